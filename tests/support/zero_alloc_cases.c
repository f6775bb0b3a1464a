/* The case of zero_alloc_cases.h. */

#include "inet.h"
#include "zero_alloc_cases.h"

enum { PAIRS = 4, ITERATIONS = 10000 };

/*
 * Reads a source until it would block (through mio_source_try_io, so that
 * emulated edge triggering re-arms); returns the bytes read.
 */
static int drain(mio_source *s)
{
	char buf[256];
	int total = 0;
	mio_ssize n;

	while ((n = source_pair_try_read(s, buf, sizeof(buf))) > 0)
		total += (int)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	return total;
}

void zero_alloc_hot_loop(const struct source_pair_kind *k)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *clone;
	mio_waker *waker;
	struct source_pair p[PAIRS], extra;
	struct timespec zero = { 0, 0 }, t = ms_timeout(1000);
	long bytes = 0, wakes = 0;
	char text[256];
	/*
	 * Under Wine each socket call is a round trip to its server, and the
	 * full loop takes up to a minute on a busy machine: a tenth of it
	 * still runs every path of the loop a hundred times or more.
	 */
	int iterations = test_under_wine() ? ITERATIONS / 10 : ITERATIONS;

	/* test_zero_alloc's counter_counts proves the counter works. */
	if (alloc_count() < 0) {
		printf("# allocation counting unavailable\n");
		exit(TEST_SKIP);
	}
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(16, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT_OK(mio_waker_new(clone, 100, &waker));
	for (int i = 0; i < PAIRS; i++) {
		source_pair_open(k, &p[i]);
		ASSERT_OK(mio_registry_register(clone, p[i].src, (mio_token)i,
						MIO_READABLE));
	}
	source_pair_open(&source_pair_tcp, &extra);
	/*
	 * The poll(2) backend may grow its tables in register: let it do so
	 * once, before counting. On Windows, where registering allocates,
	 * the extra source stays registered and the loop only reregisters
	 * it.
	 */
	ASSERT_OK(mio_registry_register(clone, extra.src, 200, MIO_WRITABLE));
	if (!TEST_WINDOWS)
		ASSERT_OK(mio_registry_deregister(clone, extra.src));

	alloc_count_reset();
	for (int it = 0; it < iterations; it++) {
		int i = it % PAIRS;
		ASSERT_EQ(k->peer_write(&p[i], "ping", 4), 4);
		if (it % 16 == 0)
			ASSERT_OK(mio_waker_wake(waker));
		int n = mio_poll_poll(poll, events, &t);
		ASSERT(n >= 1);
		for (size_t e_i = 0, len = mio_events_len(events); e_i < len;
		     e_i++) {
			const mio_event *e = mio_events_at(events, e_i);
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
			bytes += drain(p[tok].src);
		}
		ASSERT(mio_events_get(events, mio_events_len(events)) == NULL);
		/* Registry calls, on both kinds, allocate nothing either. */
		if (it % 8 == 0) {
			ASSERT_OK(mio_registry_reregister(
				mio_poll_registry(poll), p[i].src, (mio_token)i,
				MIO_READABLE));
			if (TEST_WINDOWS)
				ASSERT_OK(mio_registry_reregister(
					clone, extra.src, 200, MIO_WRITABLE));
			else
				ASSERT_OK(mio_registry_register(
					clone, extra.src, 200, MIO_WRITABLE));
			ASSERT_OK(mio_registry_reregister(clone, extra.src, 200,
							  MIO_READABLE));
			if (!TEST_WINDOWS)
				ASSERT_OK(mio_registry_deregister(clone,
								  extra.src));
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

	extra.kind->close(&extra);
	for (int i = 0; i < PAIRS; i++)
		k->close(&p[i]);
	mio_waker_free(waker);
	mio_registry_free(clone);
	mio_events_free(events);
	mio_poll_free(poll);
}
