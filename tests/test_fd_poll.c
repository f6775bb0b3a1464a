/*
 * mio_poll_poll on borrowed descriptors (mio_source_fd) and under signals:
 * the POSIX-only cases of mio's tests/poll.rs. test_poll.c has the rest,
 * on sources every platform has; the cases both run are written once, in
 * poll_cases.c.
 */

#include <signal.h>
#include <sys/time.h>

#include "poll_cases.h"

/* The cases every kind of source has (poll_cases.h), on borrowed ones. */
static void readable_socketpair(void)
{
	poll_readable_source(&source_pair_fd);
}

static void readiness_returns_after_would_block(void)
{
	poll_readiness_returns_after_would_block(&source_pair_fd);
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
