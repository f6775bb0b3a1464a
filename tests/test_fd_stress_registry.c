/*
 * Four threads register, reregister and deregister 10,000 sources, each
 * through its own registry clone, while a fifth thread polls. Every call
 * succeeds, every event carries a token some registration had, and once
 * everything is deregistered no event comes (stress_sources.h).
 *
 * The sources are borrowed descriptors (mio_source_fd): eventfds on
 * Linux, UDP sockets elsewhere. The OS judges them: kqueue takes a second
 * register as a change. Their owned counterpart, which Windows runs too,
 * is test_stress_registry.c.
 */
/* ctest-labels: stress threads */

#include <unistd.h>
#if defined(__linux__)
#include <sys/eventfd.h>
#else
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include "posix_fd.h"
#include "stress_sources.h"

static int fds[STRESS_REGISTRY_SOURCES];

#if defined(__linux__)
static void borrowed_open(int i)
{
	fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT(fds[i] >= 0);
}

static void borrowed_make_readable(int i)
{
	uint64_t one = 1;

	ASSERT_EQ(write(fds[i], &one, sizeof(one)), sizeof(one));
}
#else
/*
 * Elsewhere a UDP socket on loopback, one descriptor per source as an
 * eventfd is: a datagram to itself makes it readable.
 */
static void borrowed_open(int i)
{
	struct sockaddr_in a = { 0 };
	socklen_t len = sizeof(a);

	fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT(fds[i] >= 0);
	fd_set_nonblock_cloexec(fds[i]);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(bind(fds[i], (struct sockaddr *)&a, sizeof(a)), 0);
	ASSERT_EQ(getsockname(fds[i], (struct sockaddr *)&a, &len), 0);
	ASSERT_EQ(connect(fds[i], (struct sockaddr *)&a, len), 0);
}

static void borrowed_make_readable(int i)
{
	uint64_t one = 1;

	ASSERT_EQ(send(fds[i], &one, sizeof(one), 0), sizeof(one));
}
#endif

/* A borrowed source is made anew for every use, as callers do. */
static mio_source *borrowed_source(int i, mio_source *scratch)
{
	*scratch = mio_source_fd(fds[i]);
	return scratch;
}

static void borrowed_close(int i)
{
	ASSERT_EQ(close(fds[i]), 0);
}

static const struct registry_kind borrowed = {
	.open = borrowed_open,
	.source = borrowed_source,
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/* kqueue modifies a borrowed descriptor's registration (EV_ADD). */
	.second_register = 0,
#else
	.second_register = MIO_EEXIST,
#endif
	.make_readable = borrowed_make_readable,
	.close = borrowed_close,
};

static void four_threads_churn_while_one_polls(void)
{
	stress_registry_run(&borrowed);
}

int main(void)
{
	RUN(four_threads_churn_while_one_polls);
	return test_summary();
}
