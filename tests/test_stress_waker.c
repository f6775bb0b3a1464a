/*
 * One million wake-ups from 8 threads while one thread polls: every wake
 * must eventually be seen, and the last one is never lost (the poll would
 * otherwise wait out its timeout with wakes still unseen).
 */
/* ctest-labels: stress threads */

#include <pthread.h>
#include <stdatomic.h>

#include "test.h"

#define THREADS 8
#define TOTAL_WAKES 1000000L
#define WAKE_TOKEN ((mio_token)UINTPTR_MAX)

static mio_waker *waker;
static atomic_long woken;
static long per_thread;

static void *waking_thread(void *arg)
{
	(void)arg;
	for (long i = 0; i < per_thread; i++) {
		/* Count first: a wake seen by the poller covers this count. */
		atomic_fetch_add(&woken, 1);
		int err = mio_waker_wake(waker);
		if (err < 0)
			FAIL_AT("mio_waker_wake: %s", mio_err_name(err));
	}
	return NULL;
}

/*
 * Polls until the poller has seen a wake after the last count. A lost
 * final wake shows as a poll that times out while wakes are unseen.
 */
static void poll_until_all_seen(mio_poll *poll, mio_events *events, long total,
				long *wake_events)
{
	struct timespec t = ms_timeout(20000);
	long seen = 0;

	while (seen < total) {
		int n = mio_poll_poll(poll, events, &t);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		if (n == 0)
			FAIL_AT("lost wake-up: %ld of %ld counted wakes seen",
				seen, total);
		for (int i = 0; i < n; i++) {
			const mio_event *e = mio_events_at(events, (size_t)i);
			ASSERT_UEQ(mio_event_token(e), WAKE_TOKEN);
			ASSERT(mio_event_is_readable(e));
			(*wake_events)++;
		}
		seen = atomic_load(&woken);
	}
}

static void million_wakes_from_eight_threads(void)
{
	pthread_t threads[THREADS];
	mio_poll *poll;
	mio_events *events;
	long wake_events = 0;
	long total;

	per_thread = TOTAL_WAKES / THREADS / stress_divisor();
	total = per_thread * THREADS;
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(64, &events));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), WAKE_TOKEN, &waker));
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(
			pthread_create(&threads[i], NULL, waking_thread, NULL),
			0);
	poll_until_all_seen(poll, events, total, &wake_events);
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(pthread_join(threads[i], NULL), 0);
	ASSERT_EQ(atomic_load(&woken), total);
	/* Wakes coalesce, but at least one event was seen, at most one each. */
	ASSERT(wake_events >= 1 && wake_events <= total);
	printf("wakes: %ld from %d threads, %ld wake events seen\n", total,
	       THREADS, wake_events);

	/* The waker still works afterwards, and only once per wake. */
	ASSERT_OK(mio_waker_wake(waker));
	struct expect_event want = { WAKE_TOKEN, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	expect_no_events(poll, events);
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(million_wakes_from_eight_threads);
	return test_summary();
}
