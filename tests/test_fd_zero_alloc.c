/*
 * The hot loop of test_zero_alloc.c on borrowed descriptors
 * (mio_source_fd) read around the library through mio_source_try_io,
 * with an owned source registered and deregistered on the way: after
 * setup, nothing allocates. POSIX-only.
 */

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"

enum { PAIRS = 4, ITERATIONS = 10000 };

static void socketpair_nb(int sv[2])
{
	ASSERT_EQ(socketpair(AF_UNIX,
			     SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv),
		  0);
}

static mio_ssize read_fn(mio_source *s, void *ctx)
{
	ssize_t n = read(s->fd, ctx, 256);

	return n < 0 ? -errno : n;
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
	mio_source src[PAIRS], owned;
	int sv[PAIRS][2], osv[2];
	struct timespec zero = { 0, 0 }, t = ms_timeout(1000);
	long bytes = 0, wakes = 0;
	char text[256];

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
		socketpair_nb(sv[i]);
		src[i] = mio_source_fd(sv[i][0]);
		ASSERT_OK(mio_registry_register(clone, &src[i], (mio_token)i,
						MIO_READABLE));
	}
	socketpair_nb(osv);
	mio__source_init(&owned, osv[0]);
	/*
	 * The poll(2) backend may grow its tables in register: let it do so
	 * once, before counting.
	 */
	ASSERT_OK(mio_registry_register(clone, &owned, 200, MIO_WRITABLE));
	ASSERT_OK(mio_registry_deregister(clone, &owned));

	alloc_count_reset();
	for (int it = 0; it < ITERATIONS; it++) {
		int k = it % PAIRS;
		ASSERT_EQ(write(sv[k][1], "ping", 4), 4);
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
			ASSERT(tok < PAIRS);
			ASSERT(mio_event_is_readable(e));
			bytes += drain(&src[tok]);
		}
		ASSERT(mio_events_get(events, mio_events_len(events)) == NULL);
		/* Registry calls, borrowed and owned, allocate nothing either.
		 */
		if (it % 8 == 0) {
			ASSERT_OK(mio_registry_reregister(
				mio_poll_registry(poll), &src[k], (mio_token)k,
				MIO_READABLE));
			ASSERT_OK(mio_registry_register(clone, &owned, 200,
							MIO_WRITABLE));
			ASSERT_OK(mio_registry_reregister(clone, &owned, 200,
							  MIO_READABLE));
			ASSERT_OK(mio_registry_deregister(clone, &owned));
		}
		if (it % 1000 == 0) {
			ASSERT(mio_event_format(mio_events_at(events, 0), text,
						sizeof(text)) > 0);
			ASSERT(mio_poll_poll(poll, events, &zero) >= 0);
		}
	}
	long allocs = alloc_count();
	ASSERT_EQ(bytes, 4L * ITERATIONS);
	ASSERT(wakes >= 1);
	ASSERT_EQ(allocs, 0);

	ASSERT_OK(mio__source_close(&owned));
	close(osv[1]);
	for (int i = 0; i < PAIRS; i++) {
		close(sv[i][0]);
		close(sv[i][1]);
	}
	mio_waker_free(waker);
	mio_registry_free(clone);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(hot_loop_allocates_nothing);
	return test_summary();
}
