/*
 * The close rule under threads: four threads make 40,000 Unix stream
 * pairs in all, register one end, make it readable and close both ends
 * while registered (close deregisters first), while a fifth thread polls.
 * Descriptor numbers are reused all the time; every event must still
 * carry a token some registration had, nothing may be reported once all
 * is closed, and no descriptor may be left open. test_stress_close.c
 * does the same with loopback TCP pairs, on every platform.
 */
/* ctest-labels: stress threads */

#include <pthread.h>
#include <stdatomic.h>

#include "test.h"

#define WORKERS 4
#define PAIRS 40000

static mio_poll *poll;
static mio_events *events;
static atomic_ulong issued; /* tokens handed out: 1 .. issued */
static atomic_bool stop_polling;
static long events_seen;

static void *worker_main(void *arg)
{
	mio_registry *r = mio_poll_registry(poll);
	mio_registry *clone = NULL;
	long pairs = (long)(intptr_t)arg;

	/* Half the workers go through a clone of the registry. */
	if (pairs % 2 == 1)
		ASSERT_OK(mio_registry_try_clone(r, &clone));
	for (long i = 0; i < PAIRS / WORKERS; i++) {
		mio_unix_stream a, b;
		mio_token t = (mio_token)atomic_fetch_add(&issued, 1) + 1;
		ASSERT_OK(mio_unix_stream_pair(&a, &b));
		ASSERT_OK(mio_registry_register(clone ? clone : r, &a.source, t,
						MIO_READABLE | MIO_WRITABLE));
		ASSERT_EQ(mio_unix_stream_write(&b, "x", 1), 1);
		/* Closed while registered, half of them the peer first. */
		if (i % 2) {
			ASSERT_OK(mio_unix_stream_close(&b));
			ASSERT_OK(mio_unix_stream_close(&a));
		} else {
			ASSERT_OK(mio_unix_stream_close(&a));
			ASSERT_OK(mio_unix_stream_close(&b));
		}
		ASSERT(a.source.fd == -1 && b.source.fd == -1);
	}
	mio_registry_free(clone);
	return NULL;
}

static void *poller_main(void *arg)
{
	struct timespec t = ms_timeout(10);

	(void)arg;
	while (!atomic_load(&stop_polling)) {
		int n = mio_poll_poll(poll, events, &t);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		for (int i = 0; i < n; i++) {
			mio_token tok = mio_event_token(
				mio_events_at(events, (size_t)i));
			if (tok < 1 || tok > (mio_token)atomic_load(&issued))
				FAIL_AT("event with a token never handed out: "
					"%ju",
					(uintmax_t)tok);
		}
		events_seen += n;
	}
	return NULL;
}

static void close_registered_sources_while_polling(void)
{
	pthread_t workers[WORKERS], poller;
	int fds = count_open_fds();

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(256, &events));
	ASSERT_EQ(pthread_create(&poller, NULL, poller_main, NULL), 0);
	for (long i = 0; i < WORKERS; i++)
		ASSERT_EQ(pthread_create(&workers[i], NULL, worker_main,
					 (void *)(intptr_t)i),
			  0);
	for (int i = 0; i < WORKERS; i++)
		ASSERT_EQ(pthread_join(workers[i], NULL), 0);
	atomic_store(&stop_polling, true);
	ASSERT_EQ(pthread_join(poller, NULL), 0);
	ASSERT_UEQ(atomic_load(&issued), PAIRS);
	printf("%d pairs made, registered and closed by %d threads; %ld "
	       "events polled meanwhile\n",
	       PAIRS, WORKERS, events_seen);
	expect_no_events(poll, events);
	mio_events_free(events);
	mio_poll_free(poll);
	ASSERT_EQ(count_open_fds(), fds);
}

int main(void)
{
	RUN(close_registered_sources_while_polling);
	return test_summary();
}
