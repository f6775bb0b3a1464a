/*
 * mio_poll_poll on borrowed descriptors (mio_source_fd) and under signals:
 * the POSIX-only cases of mio's tests/poll.rs. test_poll.c has the rest,
 * on sources every platform has.
 */

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "test.h"

static void socketpair_nb(int sv[2])
{
	ASSERT_EQ(socketpair(AF_UNIX,
			     SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv),
		  0);
}

static void readable_socketpair(void)
{
	mio_poll *poll;
	mio_events *events;
	int sv[2];

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &src, 7,
					MIO_READABLE));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want = { 7, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll), &src));
	close(sv[0]);
	close(sv[1]);
	mio_events_free(events);
	mio_poll_free(poll);
}

struct read_req {
	char *buf;
	size_t len;
};

static mio_ssize read_fn(mio_source *s, void *ctx)
{
	struct read_req *r = ctx;
	ssize_t n = read(s->fd, r->buf, r->len);

	return n < 0 ? -errno : n;
}

/*
 * Reads through mio_source_try_io, as I/O that bypasses the library must,
 * so that backends emulating edge triggering learn of MIO_EAGAIN.
 */
static mio_ssize source_read(mio_source *s, char *buf, size_t len)
{
	struct read_req r = { buf, len };

	return mio_source_try_io(s, read_fn, &r);
}

/*
 * mio's readiness_is_reregistered_after_would_block: once drained to
 * EAGAIN, new data gives a new event, and nothing comes in between.
 */
static void readiness_returns_after_would_block(void)
{
	mio_poll *poll;
	mio_events *events;
	char buf[16];
	int sv[2];

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &src, 1,
					MIO_READABLE));
	struct expect_event want = { 1, EXPECT_READABLE };
	ASSERT_EQ(write(sv[1], "hello", 5), 5);
	expect_events(poll, events, &want, 1);
	ASSERT_EQ(source_read(&src, buf, sizeof(buf)), 5);
	ASSERT_EQ(source_read(&src, buf, sizeof(buf)), MIO_EAGAIN);
	expect_no_events(poll, events);
	ASSERT_EQ(write(sv[1], "again", 5), 5);
	expect_events(poll, events, &want, 1);
	close(sv[0]);
	close(sv[1]);
	mio_events_free(events);
	mio_poll_free(poll);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/*
 * A signal that interrupts a blocking poll makes it return MIO_EINTR at
 * once (the library does not retry). An interval timer keeps signalling in
 * case the first signal arrives before the poll blocks.
 */
static void signal_interrupts_poll(void)
{
	struct sigaction sa, old;
	struct itimerval every_10ms = { { 0, 10000 }, { 0, 10000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	int n;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART */
	ASSERT_EQ(sigaction(SIGALRM, &sa, &old), 0);
	/* Leave an event in the buffer: the interrupted poll clears it. */
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 1, &waker));
	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_EQ(mio_poll_poll(poll, events, NULL), 1);
	ASSERT_EQ(setitimer(ITIMER_REAL, &every_10ms, NULL), 0);
	n = mio_poll_poll(poll, events, NULL);
	ASSERT_EQ(setitimer(ITIMER_REAL, &off, NULL), 0);
	ASSERT_ERR(n, MIO_EINTR);
	ASSERT(alarms > 0);
	ASSERT(mio_events_is_empty(events));

	/* With a (long) timeout too. */
	struct timespec t = { 30, 0 };
	ASSERT_EQ(setitimer(ITIMER_REAL, &every_10ms, NULL), 0);
	n = mio_poll_poll(poll, events, &t);
	ASSERT_EQ(setitimer(ITIMER_REAL, &off, NULL), 0);
	ASSERT_ERR(n, MIO_EINTR);
	ASSERT_EQ(sigaction(SIGALRM, &old, NULL), 0);
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(readable_socketpair);
	RUN(readiness_returns_after_would_block);
	RUN(signal_interrupts_poll);
	return test_summary();
}
