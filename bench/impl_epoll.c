/*
 * The floor: epoll used directly, edge-triggered (EPOLLET, as mio does)
 * or, built with BENCH_EPOLL_LT, level-triggered. Built with
 * BENCH_EPOLL_SHORT, it is edge-triggered and its echo server stops at a
 * short read instead of reading until EAGAIN ("epoll-et-short").
 */

#include <sys/epoll.h>
#include <unistd.h>

#include "impl.h"

#if defined(BENCH_EPOLL_LT)
#define TRIGGER 0u
const char impl_name[] = "epoll-lt";
const bool impl_echo_until_eagain = false;
#elif defined(BENCH_EPOLL_SHORT)
#define TRIGGER ((unsigned)(EPOLLET | EPOLLRDHUP))
const char impl_name[] = "epoll-et-short";
const bool impl_echo_until_eagain = false;
#else
#define TRIGGER ((unsigned)EPOLLET)
const char impl_name[] = "epoll-et";
const bool impl_echo_until_eagain = true;
#endif

static int epfd = -1;
static struct epoll_event events[1024];

const char *impl_version(void)
{
	return "kernel";
}

int impl_init(int max_tokens)
{
	(void)max_tokens;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd < 0 ? -1 : 0;
}

void impl_fini(void)
{
	close(epfd);
	epfd = -1;
}

int impl_add(int fd, uintptr_t token)
{
	struct epoll_event ev = { .events = EPOLLIN | TRIGGER };

	ev.data.u64 = token;
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int impl_del(int fd, uintptr_t token)
{
	(void)token;
	return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

int impl_poll_once(bool block)
{
	int n = epoll_wait(epfd, events, 1024, block ? -1 : 0);

	for (int i = 0; i < n; i++) {
#ifdef BENCH_EPOLL_SHORT
		bench_read_closed =
			events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR);
#endif
		bench_ready((uintptr_t)events[i].data.u64);
	}
	return n < 0 ? -1 : 0;
}
