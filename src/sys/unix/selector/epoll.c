/*
 * The epoll backend (Linux, Android). Events are struct epoll_event, so
 * the kernel writes them straight into the caller's mio_events.
 */

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/syscall.h>

#include "internal.h"
#include "waker.h"

/*
 * Whether the build's waker is the pipe waker, whose wake-ups this
 * selector drains; eventfd builds compile the check out of the hot path.
 */
#ifndef MIO__WAKER_DRAINS
#define MIO__WAKER_DRAINS 1
#endif

struct mio__selector {
	int epfd;
	/*
	 * A waker descriptor that must be emptied when its event is returned
	 * (the pipe waker), or -1. Set and cleared while other threads may
	 * poll, hence atomic.
	 */
	atomic_int drain_fd;
	mio_token drain_token;
};

/* mio's Interest -> epoll flags, edge-triggered. */
static uint32_t epoll_flags(mio_interest interest)
{
	uint32_t flags = EPOLLET;

	if (interest & MIO_READABLE)
		flags |= EPOLLIN | EPOLLRDHUP;
	if (interest & MIO_WRITABLE)
		flags |= EPOLLOUT;
	if (interest & MIO_PRIORITY)
		flags |= EPOLLPRI;
	return flags;
}

int mio__selector_new(struct mio__anchor *anchor, struct mio__selector **out,
		      struct mio__selector_fds *fds)
{
	struct mio__selector *sel = malloc(sizeof(*sel));

	(void)anchor;
	if (sel == NULL)
		return MIO_ENOMEM;
	mio__fork_guard();
	sel->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sel->epfd < 0) {
		int err = -errno;
		free(sel);
		return err;
	}
	atomic_init(&sel->drain_fd, -1);
	sel->drain_token = 0;
	/* A pipe waker's wake-ups must be drained here, after each wait. */
	fds->wait_fd = MIO__WAKER_DRAINS ? -1 : sel->epfd;
	fds->raw_fd = sel->epfd;
	*out = sel;
	return 0;
}

void mio__selector_free(struct mio__selector *sel)
{
	mio__fd_close(sel->epfd);
	free(sel);
}

/* 0: not known yet, 1: the kernel has epoll_pwait2, -1: it does not. */
static atomic_int have_pwait2;

/*
 * epoll_pwait2 takes the kernel's 64-bit timespec on every architecture,
 * which is not struct timespec on 32-bit systems with a 32-bit time_t.
 */
static int wait_ns(int epfd, struct epoll_event *buf, int cap,
		   const struct timespec *timeout)
{
#ifdef SYS_epoll_pwait2
	struct {
		int64_t tv_sec;
		int64_t tv_nsec;
	} kts = { timeout->tv_sec, timeout->tv_nsec };
	int n;

	if (atomic_load_explicit(&have_pwait2, memory_order_relaxed) >= 0) {
		n = (int)syscall(SYS_epoll_pwait2, epfd, buf, cap, &kts, NULL,
				 (size_t)(_NSIG / 8));
		/*
		 * Kernels before 5.11 say ENOSYS; seccomp profiles that
		 * predate the call (containers) say EPERM, which the call
		 * itself never returns.
		 */
		if (n >= 0 || (errno != ENOSYS && errno != EPERM)) {
			atomic_store_explicit(&have_pwait2, 1,
					      memory_order_relaxed);
			return n;
		}
		atomic_store_explicit(&have_pwait2, -1, memory_order_relaxed);
	}
#endif
	return epoll_wait(epfd, buf, cap,
			  (int)mio__timeout_ms(timeout, INT_MAX));
}

/*
 * Out of line, so that the timeout arithmetic does not make every call of
 * mio__selector_select save and restore registers it does not use.
 */
__attribute__((noinline)) static int
epoll_select_timed(int epfd, struct epoll_event *buf, int cap,
		   const struct timespec *timeout)
{
	if (timeout->tv_sec == 0 && timeout->tv_nsec == 0)
		return epoll_wait(epfd, buf, cap, 0);
	return wait_ns(epfd, buf, cap, timeout);
}

/*
 * Empties the pipe waker when its wake-up is among the events, before the
 * caller sees them: a write after this is a new edge. A source registered
 * with the waker's token also triggers it, which is harmless since such an
 * event reads as a wake-up to the caller anyway. Out of line: only pipe
 * waker builds get here.
 */
__attribute__((noinline)) static void
epoll_drain_waker(struct mio__selector *sel, int fd,
		  const struct epoll_event *buf, int n)
{
	for (int i = 0; i < n; i++) {
		if (buf[i].data.u64 != (uint64_t)sel->drain_token)
			continue;
		mio__pipe_drain(fd);
		return;
	}
}

int mio__selector_select(struct mio__selector *sel,
			 struct mio__events_view *events,
			 const struct timespec *timeout)
{
	struct epoll_event *buf =
		(struct epoll_event *)(void *)mio__events_buf(events);
	int cap = events->os_cap;
	int n;

	if (timeout == NULL)
		n = epoll_wait(sel->epfd, buf, cap, -1);
	else
		n = epoll_select_timed(sel->epfd, buf, cap, timeout);
	if (n < 0)
		return -errno;
	if (MIO__WAKER_DRAINS && n > 0) {
		int fd = atomic_load_explicit(&sel->drain_fd,
					      memory_order_acquire);
		if (fd >= 0)
			epoll_drain_waker(sel, fd, buf, n);
	}
	events->len = (size_t)n;
	return n;
}

static int ctl(struct mio__selector *sel, int op, mio_source *src,
	       mio_token token, mio_interest interest)
{
	struct epoll_event ev = { 0 };

	ev.events = epoll_flags(interest);
	ev.data.u64 = (uint64_t)token;
	return epoll_ctl(sel->epfd, op, src->fd, &ev) < 0 ? -errno : 0;
}

int mio__selector_register(struct mio__selector *sel, mio_source *src,
			   mio_token token, mio_interest interest)
{
	return ctl(sel, EPOLL_CTL_ADD, src, token, interest);
}

int mio__selector_reregister(struct mio__selector *sel, mio_source *src,
			     mio_token token, mio_interest interest)
{
	return ctl(sel, EPOLL_CTL_MOD, src, token, interest);
}

int mio__selector_deregister(struct mio__selector *sel, mio_source *src)
{
	return epoll_ctl(sel->epfd, EPOLL_CTL_DEL, src->fd, NULL) < 0 ? -errno
								      : 0;
}

int mio__selector_register_waker(struct mio__selector *sel, mio_raw_fd fd,
				 mio_token token, bool drain)
{
	mio_source src = mio_source_fd(fd);
	int err = ctl(sel, EPOLL_CTL_ADD, &src, token, MIO_READABLE);

	if (err == 0 && drain) {
		sel->drain_token = token;
		atomic_store_explicit(&sel->drain_fd, fd, memory_order_release);
	}
	return err;
}

void mio__selector_deregister_waker(struct mio__selector *sel, mio_raw_fd fd)
{
	if (atomic_load_explicit(&sel->drain_fd, memory_order_relaxed) == fd)
		atomic_store_explicit(&sel->drain_fd, -1, memory_order_relaxed);
	epoll_ctl(sel->epfd, EPOLL_CTL_DEL, fd, NULL);
}
