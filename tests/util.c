/*
 * The portable part of the test utilities; util_posix.c and util_windows.c
 * hold what differs between the platforms.
 */

#include <stdatomic.h>

#include "test.h"

static int tests_passed;

void test_run(const char *name, void (*fn)(void))
{
	fn();
	tests_passed++;
	printf("ok %d - %s\n", tests_passed, name);
	fflush(stdout);
}

int test_summary(void)
{
	printf("%d passed, 0 failed\n", tests_passed);
	return 0;
}

unsigned event_readiness(const mio_event *e)
{
	unsigned r = 0;

	if (mio_event_is_readable(e))
		r |= EXPECT_READABLE;
	if (mio_event_is_writable(e))
		r |= EXPECT_WRITABLE;
	if (mio_event_is_error(e))
		r |= EXPECT_ERROR;
	if (mio_event_is_read_closed(e))
		r |= EXPECT_READ_CLOSED;
	if (mio_event_is_write_closed(e))
		r |= EXPECT_WRITE_CLOSED;
	if (mio_event_is_priority(e))
		r |= EXPECT_PRIORITY;
	return r;
}

struct timespec ms_timeout(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	return t;
}

void expect_events(mio_poll *poll, mio_events *events,
		   const struct expect_event *expected, size_t n)
{
	bool seen[64] = { false };
	size_t left = n;
	struct timespec t = ms_timeout(500);

	ASSERT(n <= 64);
	for (int round = 0; round < 6 && left > 0; round++) {
		int got = mio_poll_poll(poll, events, &t);
		if (got == MIO_EINTR)
			continue;
		ASSERT_OK(got);
		for (size_t i = 0; i < mio_events_len(events); i++) {
			const mio_event *e = mio_events_at(events, i);
			unsigned r = event_readiness(e);
			for (size_t j = 0; j < n; j++) {
				if (seen[j] ||
				    mio_event_token(e) != expected[j].token ||
				    (r & expected[j].readiness) !=
					    expected[j].readiness)
					continue;
				seen[j] = true;
				left--;
			}
		}
	}
	for (size_t j = 0; j < n; j++)
		if (!seen[j])
			FAIL_AT("expected event not seen: token %ju, readiness "
				"%#x",
				(uintmax_t)expected[j].token,
				expected[j].readiness);
}

void expect_no_events(mio_poll *poll, mio_events *events)
{
	struct timespec t = ms_timeout(50);
	int got = mio_poll_poll(poll, events, &t);

	ASSERT_OK(got);
	if (got > 0) {
		char buf[256];
		mio_event_format(mio_events_at(events, 0), buf, sizeof(buf));
		FAIL_AT("expected no events, got %d, first: %s", got, buf);
	}
}

/* Link-time wrapping (-Wl,--wrap=malloc,...) counts every call. */
static atomic_long allocs;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __real_realloc(p, n);
}

void alloc_count_reset(void)
{
	atomic_store(&allocs, 0);
}

long alloc_count(void)
{
	return atomic_load(&allocs);
}
