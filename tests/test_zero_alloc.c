/*
 * After setup, the hot path allocates nothing: polling, reading and
 * writing, waking, and registry calls (register and deregister excepted
 * on Windows, where registering allocates the socket's poll state, as
 * the contract allows). Every malloc-family call is counted
 * (alloc_count() in test.h). The sources are loopback TCP streams, which
 * every platform has; test_fd_zero_alloc.c runs the same loop on
 * borrowed descriptors (POSIX).
 */

#include "inet.h"

/* First prove that the counter sees allocations at all. */
static void counter_counts(void)
{
	void *volatile p;

	if (alloc_count() < 0) {
		printf("# allocation counting unavailable\n");
		exit(TEST_SKIP);
	}
	alloc_count_reset();
	ASSERT_EQ(alloc_count(), 0);
	p = malloc(16);
	ASSERT(p != NULL);
	ASSERT_EQ(alloc_count(), 1);
	p = realloc(p, 4096);
	ASSERT(p != NULL);
	ASSERT_EQ(alloc_count(), 2);
	free(p);
	p = calloc(4, 4);
	ASSERT(p != NULL);
	ASSERT_EQ(alloc_count(), 3);
	free(p);

	/* And allocations made inside the library. */
	mio_events *events;
	alloc_count_reset();
	ASSERT_OK(mio_events_new(4, &events));
	ASSERT(alloc_count() >= 1);
	mio_events_free(events);
}

enum { PAIRS = 4, ITERATIONS = 10000 };

static mio_ssize read_fn(mio_source *s, void *ctx)
{
	return test_recv(s->fd, ctx, 256);
}

/*
 * Reads a source until it would block (through mio_source_try_io, so that
 * emulated edge triggering re-arms); returns the bytes read.
 */
static int drain(mio_source *s)
{
	char buf[256];
	int total = 0;
	mio_ssize n;

	while ((n = mio_source_try_io(s, read_fn, buf)) > 0)
		total += (int)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	return total;
}

static void hot_loop_allocates_nothing(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *clone;
	mio_waker *waker;
	mio_tcp_stream a[PAIRS], b[PAIRS], extra, extra_peer;
	struct timespec zero = { 0, 0 }, t = ms_timeout(1000);
	long bytes = 0, wakes = 0;
	char text[256];
	/*
	 * Under Wine each socket call is a round trip to its server, and the
	 * full loop takes up to a minute on a busy machine: a tenth of it
	 * still runs every path of the loop a hundred times or more.
	 */
	int iterations = test_under_wine() ? ITERATIONS / 10 : ITERATIONS;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(16, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT_OK(mio_waker_new(clone, 100, &waker));
	for (int i = 0; i < PAIRS; i++) {
		tcp_pair(AF_INET, &a[i], &b[i], NULL);
		ASSERT_OK(mio_registry_register(clone, &a[i].source,
						(mio_token)i, MIO_READABLE));
	}
	tcp_pair(AF_INET, &extra, &extra_peer, NULL);
	/*
	 * The poll(2) backend may grow its tables in register: let it do so
	 * once, before counting. On Windows, where registering allocates,
	 * the extra source stays registered and the loop only reregisters
	 * it.
	 */
	ASSERT_OK(
		mio_registry_register(clone, &extra.source, 200, MIO_WRITABLE));
	if (!TEST_WINDOWS)
		ASSERT_OK(mio_registry_deregister(clone, &extra.source));

	alloc_count_reset();
	for (int it = 0; it < iterations; it++) {
		int k = it % PAIRS;
		ASSERT_EQ(mio_tcp_stream_write(&b[k], "ping", 4), 4);
		if (it % 16 == 0)
			ASSERT_OK(mio_waker_wake(waker));
		int n = mio_poll_poll(poll, events, &t);
		ASSERT(n >= 1);
		for (size_t i = 0, len = mio_events_len(events); i < len; i++) {
			const mio_event *e = mio_events_at(events, i);
			mio_token tok = mio_event_token(e);
			if (tok == 100) {
				wakes++;
				continue;
			}
			/* Only where the extra source stays registered. */
			if (TEST_WINDOWS && tok == 200)
				continue;
			ASSERT(tok < PAIRS);
			ASSERT(mio_event_is_readable(e));
			bytes += drain(&a[tok].source);
		}
		ASSERT(mio_events_get(events, mio_events_len(events)) == NULL);
		/* Registry calls allocate nothing either. */
		if (it % 8 == 0) {
			ASSERT_OK(mio_registry_reregister(
				mio_poll_registry(poll), &a[k].source,
				(mio_token)k, MIO_READABLE));
			if (TEST_WINDOWS)
				ASSERT_OK(mio_registry_reregister(
					clone, &extra.source, 200,
					MIO_WRITABLE));
			else
				ASSERT_OK(mio_registry_register(
					clone, &extra.source, 200,
					MIO_WRITABLE));
			ASSERT_OK(mio_registry_reregister(clone, &extra.source,
							  200, MIO_READABLE));
			if (!TEST_WINDOWS)
				ASSERT_OK(mio_registry_deregister(
					clone, &extra.source));
		}
		if (it % 1000 == 0) {
			ASSERT(mio_event_format(mio_events_at(events, 0), text,
						sizeof(text)) > 0);
			ASSERT(mio_poll_poll(poll, events, &zero) >= 0);
		}
	}
	long allocs = alloc_count();
	ASSERT_EQ(bytes, 4L * iterations);
	ASSERT(wakes >= 1);
	ASSERT_EQ(allocs, 0);

	ASSERT_OK(mio_tcp_stream_close(&extra));
	ASSERT_OK(mio_tcp_stream_close(&extra_peer));
	for (int i = 0; i < PAIRS; i++) {
		ASSERT_OK(mio_tcp_stream_close(&a[i]));
		ASSERT_OK(mio_tcp_stream_close(&b[i]));
	}
	mio_waker_free(waker);
	mio_registry_free(clone);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(counter_counts);
	RUN(hot_loop_allocates_nothing);
	return test_summary();
}
