/*
 * mio_poll_poll: creation, timeouts, argument checks, clearing and
 * capacity (what mio's tests/poll.rs checks), on loopback TCP streams and
 * the waker, which every platform has. The cases that hold for borrowed
 * descriptors too are written once in poll_cases.c; test_fd_poll.c runs
 * them there, with the POSIX-only signal case.
 */

#include <time.h>

#include "inet.h"
#include "poll_cases.h"

static int64_t now_ns(void)
{
	struct timespec t;

	ASSERT_EQ(clock_gettime(CLOCK_MONOTONIC, &t), 0);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/*
 * Writes `text` on `from` and waits, outside of any poll, until it can be
 * read on `to`: loopback delivery need not be immediate.
 */
static void send_text(mio_tcp_stream *from, mio_tcp_stream *to,
		      const char *text)
{
	ASSERT_EQ(mio_tcp_stream_write(from, text, strlen(text)),
		  (intmax_t)strlen(text));
	wait_fd(to->source.fd, POLLIN);
}

static void poll_new_and_free(void)
{
	mio_poll *poll;
	mio_events *events;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT(mio_poll_registry(poll) != NULL);
	/* The registry handle is the poll's own: the same every time. */
	ASSERT(mio_poll_registry(poll) == mio_poll_registry(poll));
	ASSERT_OK(mio_events_new(16, &events));
	ASSERT_UEQ(mio_events_capacity(events), 16);
	ASSERT_UEQ(mio_events_len(events), 0);
	ASSERT(mio_events_is_empty(events));
	ASSERT(mio_events_get(events, 0) == NULL);
	mio_events_free(events);
	mio_poll_free(poll);
	mio_poll_free(NULL);
	mio_events_free(NULL);
}

/* mio's poll_closes_fd: creating and freeing polls leaks nothing. */
static void poll_free_closes_its_descriptor(void)
{
	int before = count_open_fds();
	mio_events *events;
	struct timespec zero = { 0, 0 };

	ASSERT_OK(mio_events_new(4, &events));
	for (int i = 0; i < 500; i++) {
		mio_poll *poll;
		ASSERT_OK(mio_poll_new(&poll));
		ASSERT_EQ(mio_poll_poll(poll, events, &zero), 0);
		mio_poll_free(poll);
	}
	ASSERT_EQ(count_open_fds(), before);
	mio_events_free(events);
}

static void zero_timeout_returns_at_once(void)
{
	mio_poll *poll;
	mio_events *events;
	struct timespec zero = { 0, 0 };

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_EQ(mio_poll_poll(poll, events, &zero), 0);
	ASSERT(mio_events_is_empty(events));
	mio_events_free(events);
	mio_poll_free(poll);
}

/* A zero timeout still asks the OS: ready events are reported. */
static void zero_timeout_reports_ready_events(void)
{
	mio_poll *poll;
	mio_events *events;
	struct timespec zero = { 0, 0 };
	mio_tcp_stream a, b;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 3,
					MIO_WRITABLE));
	ASSERT_EQ(mio_poll_poll(poll, events, &zero), 1);
	ASSERT_UEQ(mio_event_token(mio_events_get(events, 0)), 3);
	ASSERT(mio_event_is_writable(mio_events_get(events, 0)));
	close_pair(&a, &b);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* The cases every kind of source has (poll_cases.h), on owned ones. */
static void readable_stream(void)
{
	poll_readable_source(&source_pair_tcp);
}

static void readiness_returns_after_would_block(void)
{
	poll_readiness_returns_after_would_block(&source_pair_tcp);
}

/* A NULL timeout waits until something is ready, then returns it. */
static void null_timeout_returns_pending_event(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	mio_tcp_stream a, b;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 99, &waker));
	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_EQ(mio_poll_poll(poll, events, NULL), 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(events, 0)), 99);
	ASSERT(mio_event_is_readable(mio_events_at(events, 0)));

	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 5,
					MIO_READABLE));
	ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
	ASSERT_EQ(mio_poll_poll(poll, events, NULL), 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(events, 0)), 5);
	close_pair(&a, &b);
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* Polls with `timeout` and nothing ready; returns the time it took. */
static int64_t timed_empty_poll(long sec, long nsec)
{
	mio_poll *poll;
	mio_events *events;
	struct timespec t = { sec, nsec };
	int64_t start, elapsed;
	int n;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	start = now_ns();
	n = mio_poll_poll(poll, events, &t);
	elapsed = now_ns() - start;
	ASSERT_EQ(n, 0);
	ASSERT(mio_events_is_empty(events));
	mio_events_free(events);
	mio_poll_free(poll);
	return elapsed;
}

/*
 * A timeout shorter than the OS's unit must not become a zero timeout
 * (which would turn an event loop into a busy loop): the call waits at
 * least as long as it was asked to.
 */
static void short_timeouts_are_not_rounded_to_zero(void)
{
	ASSERT(timed_empty_poll(0, 1) >= 1);
	ASSERT(timed_empty_poll(0, 999000) >= 999000);
	ASSERT(timed_empty_poll(0, 1500000) >= 1500000);
	ASSERT(timed_empty_poll(0, 10000000) >= 10000000);
}

/* Huge timeouts are clamped, not wrapped to negative (infinite) or 0. */
static void huge_timeout_still_reports_events(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	struct timespec huge = { (time_t)INT32_MAX, 999999999 };

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 1, &waker));
	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_EQ(mio_poll_poll(poll, events, &huge), 1);
	if (sizeof(time_t) > 4) {
		struct timespec huger = { (time_t)((uint64_t)1 << 62), 0 };
		ASSERT_OK(mio_waker_wake(waker));
		ASSERT_EQ(mio_poll_poll(poll, events, &huger), 1);
	}
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

/*
 * Invalid timespecs give MIO_EINVAL and consume nothing: the pending
 * wake-up and the pending readiness are still reported afterwards.
 */
static void invalid_timeouts_consume_nothing(void)
{
	static const struct timespec bad[] = {
		{ -1, 0 },	    { 0, -1 },	{ 0, 1000000000L },
		{ 1, 1000000000L }, { -1, -1 }, { 0, 2000000000L },
	};
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	bool saw_waker = false, saw_source = false;
	mio_tcp_stream a, b;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 100, &waker));
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 200,
					MIO_READABLE));
	ASSERT_OK(mio_waker_wake(waker));
	send_text(&b, &a, "x");

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_ERR(mio_poll_poll(poll, events, &bad[i]), MIO_EINVAL);
		/* Cleared first, even then: no stale events to act on. */
		ASSERT(mio_events_is_empty(events));
	}

	struct timespec t = ms_timeout(1000);
	int n = mio_poll_poll(poll, events, &t);
	ASSERT_EQ(n, 2);
	for (int i = 0; i < n; i++) {
		mio_token tok = mio_event_token(mio_events_at(events, i));
		saw_waker |= tok == 100;
		saw_source |= tok == 200;
	}
	ASSERT(saw_waker);
	ASSERT(saw_source);
	ASSERT_ERR(mio_poll_poll(poll, events, &bad[0]), MIO_EINVAL);
	ASSERT(mio_events_is_empty(events));
	close_pair(&a, &b);
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* Each poll clears what the previous one left in `events`. */
static void events_are_cleared_first(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	struct timespec zero = { 0, 0 };
	struct timespec t = ms_timeout(1);

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 1, &waker));
	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_EQ(mio_poll_poll(poll, events, &zero), 1);
	ASSERT_UEQ(mio_events_len(events), 1);
	ASSERT_EQ(mio_poll_poll(poll, events, &zero), 0);
	ASSERT_UEQ(mio_events_len(events), 0);
	ASSERT(mio_events_get(events, 0) == NULL);

	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_EQ(mio_poll_poll(poll, events, &zero), 1);
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 0);
	ASSERT(mio_events_is_empty(events));
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

/*
 * More ready sources than the buffer holds: each poll returns at most
 * `capacity` events, and later polls return the rest, each source once.
 */
static void capacity_is_respected(void)
{
	enum { N = 10, CAP = 4 };
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream a[N], b[N];
	int seen[N] = { 0 };
	int total = 0;
	struct timespec zero = { 0, 0 };

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(CAP, &events));
	for (int i = 0; i < N; i++) {
		stream_pair(&a[i], &b[i]);
		ASSERT_OK(mio_registry_register(mio_poll_registry(poll),
						&a[i].source, (mio_token)i,
						MIO_READABLE));
		send_text(&b[i], &a[i], "x");
	}
	while (total < N) {
		int n = mio_poll_poll(poll, events, &zero);
		ASSERT(n > 0);
		ASSERT(n <= CAP);
		ASSERT_UEQ(mio_events_len(events), n);
		for (int i = 0; i < n; i++) {
			mio_token tok =
				mio_event_token(mio_events_at(events, i));
			ASSERT(tok < N);
			seen[tok]++;
		}
		total += n;
	}
	ASSERT_EQ(total, N);
	for (int i = 0; i < N; i++)
		ASSERT_EQ(seen[i], 1);
	expect_no_events(poll, events);
	for (int i = 0; i < N; i++)
		close_pair(&a[i], &b[i]);
	mio_events_free(events);
	mio_poll_free(poll);
}

/*
 * mio's add_then_drop: closing a registered source (the close rule
 * deregisters it) leaves a poll that works and reports nothing of it.
 */
static void close_registered_source_then_poll(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream a, b;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_EQ(a.source.fd, MIO_INVALID_FD);
	ASSERT_OK(mio_tcp_stream_close(&b));
	expect_no_events(poll, events);
	mio_events_free(events);
	mio_poll_free(poll);
}

static void bad_arguments(void)
{
	mio_poll *poll;
	mio_events *events;
	struct timespec zero = { 0, 0 };

	ASSERT_ERR(mio_poll_new(NULL), MIO_EINVAL);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(1, &events));
	ASSERT_ERR(mio_poll_poll(NULL, events, &zero), MIO_EINVAL);
	ASSERT_ERR(mio_poll_poll(poll, NULL, &zero), MIO_EINVAL);
	ASSERT(mio_poll_registry(NULL) == NULL);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(poll_new_and_free);
	RUN(poll_free_closes_its_descriptor);
	RUN(zero_timeout_returns_at_once);
	RUN(zero_timeout_reports_ready_events);
	RUN(readable_stream);
	RUN(readiness_returns_after_would_block);
	RUN(null_timeout_returns_pending_event);
	RUN(short_timeouts_are_not_rounded_to_zero);
	RUN(huge_timeout_still_reports_events);
	RUN(invalid_timeouts_consume_nothing);
	RUN(events_are_cleared_first);
	RUN(capacity_is_respected);
	RUN(close_registered_source_then_poll);
	RUN(bad_arguments);
	return test_summary();
}
