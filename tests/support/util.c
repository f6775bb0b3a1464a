/*
 * The portable part of the test utilities; util_posix.c and util_windows.c
 * hold what differs between the platforms.
 */

#include <errno.h>
#include <stdatomic.h>
#if defined(__APPLE__)
#include <malloc/malloc.h>
#endif

#include "events_exported.h"
#include "test.h"

static int tests_passed, tests_skipped;
static const char *skip_reason;

void test_run(const char *name, void (*fn)(void))
{
	skip_reason = NULL;
	fn();
	if (skip_reason != NULL) {
		tests_skipped++;
		printf("ok %d - %s # SKIP %s\n", tests_passed + tests_skipped,
		       name, skip_reason);
	} else {
		tests_passed++;
		printf("ok %d - %s\n", tests_passed + tests_skipped, name);
	}
	fflush(stdout);
}

int test_summary(void)
{
	if (tests_skipped > 0)
		printf("%d passed, %d skipped, 0 failed\n", tests_passed,
		       tests_skipped);
	else
		printf("%d passed, 0 failed\n", tests_passed);
	return 0;
}

bool libkqueue_gap(const char *why)
{
#if defined(MIO_EVENT_LAYOUT_KQUEUE) && defined(__linux__)
	skip_reason = why;
	return true;
#else
	(void)why;
	return false;
#endif
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

unsigned exported_readiness(const struct exported_accessors *x,
			    const struct mio_event *e)
{
	unsigned r = 0;

	r |= x->is_readable(e) ? EXPECT_READABLE : 0;
	r |= x->is_writable(e) ? EXPECT_WRITABLE : 0;
	r |= x->is_error(e) ? EXPECT_ERROR : 0;
	r |= x->is_read_closed(e) ? EXPECT_READ_CLOSED : 0;
	r |= x->is_write_closed(e) ? EXPECT_WRITE_CLOSED : 0;
	r |= x->is_priority(e) ? EXPECT_PRIORITY : 0;
	ASSERT(!x->is_aio(e));
	ASSERT(!x->is_lio(e));
	return r;
}

void expect_peer_write_shutdown(mio_poll *poll, mio_events *events)
{
	struct exported_accessors x;
	struct timespec t = ms_timeout(1000);

	exported_accessors_get(&x);
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
	const mio_event *e = mio_events_at(events, 0);
	ASSERT(mio_event_is_readable(e));
	ASSERT(mio_event_is_read_closed(e));
	ASSERT(!mio_event_is_write_closed(e));
	ASSERT(!mio_event_is_error(e));
	ASSERT_UEQ(exported_readiness(&x, e), event_readiness(e));
}

void expect_peer_gone(mio_poll *poll, mio_events *events)
{
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	struct expect_event want = { 1, EXPECT_READ_CLOSED };
#else
	struct expect_event want = { 1,
				     EXPECT_READ_CLOSED | EXPECT_WRITE_CLOSED };
#endif
	expect_events(poll, events, &want, 1);
}

void fd_snapshot_take(struct fd_snapshot *s)
{
	s->n = list_open_fds(s->fd, FD_SNAPSHOT_MAX);
	ASSERT(s->n <= FD_SNAPSHOT_MAX);
}

bool fd_snapshot_contains(const struct fd_snapshot *s, mio_raw_fd fd)
{
	for (int i = 0; i < s->n; i++)
		if (s->fd[i] == fd)
			return true;
	return false;
}

struct timespec ms_timeout(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	return t;
}

/*
 * The readiness `e` stands for. kqueue reports each direction of a source
 * as an event of its own (one filter per event), so there the events of
 * one token in one poll are taken together, as epoll's single event for
 * the descriptor would be.
 */
static unsigned polled_readiness(const mio_events *events, const mio_event *e)
{
	unsigned r = event_readiness(e);

#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	for (size_t i = 0; i < mio_events_len(events); i++) {
		const mio_event *o = mio_events_at(events, i);
		if (mio_event_token(o) == mio_event_token(e))
			r |= event_readiness(o);
	}
#else
	(void)events;
#endif
	return r;
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
			unsigned r = polled_readiness(events, e);
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

void poll_fixture_setup(struct poll_fixture *f)
{
	ASSERT_OK(mio_poll_new(&f->poll));
	ASSERT_OK(mio_events_new(16, &f->events));
	f->registry = mio_poll_registry(f->poll);
}

void poll_fixture_teardown(struct poll_fixture *f)
{
	mio_events_free(f->events);
	mio_poll_free(f->poll);
	f->events = NULL;
	f->poll = NULL;
	f->registry = NULL;
}

void poll_fixture_expect(struct poll_fixture *f, mio_token token,
			 unsigned readiness)
{
	struct expect_event want = { token, readiness };
	expect_events(f->poll, f->events, &want, 1);
}

void poll_fixture_expect_hangup(struct poll_fixture *f, mio_source *src,
				mio_token token, mio_interest interest,
				unsigned readiness)
{
	poll_fixture_expect(f, token, readiness);
	ASSERT_OK(
		mio_registry_reregister(f->registry, src, token + 1, interest));
	ASSERT_OK(mio_registry_deregister(f->registry, src));
}

/*
 * Every malloc-family call made in the test program, the library's static
 * archive included, is counted: by link-time wrapping (-Wl,--wrap=malloc,
 * ...) with the GNU linkers; on Apple's, which cannot wrap, by the
 * program's own malloc, calloc and realloc, which its calls bind to
 * before the system's, passing the work on to the default malloc zone.
 */
static atomic_long allocs;

bool (*test_alloc_should_fail)(void *caller);

/* Counts the call; true if the fault-injection hook fails this one. */
static bool alloc_fails(void *caller)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	if (test_alloc_should_fail == NULL || !test_alloc_should_fail(caller))
		return false;
	errno = ENOMEM;
	return true;
}

#if defined(__APPLE__)
#define ALLOC_WRAPPER(name) name
#define real_malloc(n) malloc_zone_malloc(malloc_default_zone(), (n))
#define real_calloc(n, m) malloc_zone_calloc(malloc_default_zone(), (n), (m))
#define real_realloc(p, n) malloc_zone_realloc(malloc_default_zone(), (p), (n))
#else
#define ALLOC_WRAPPER(name) __wrap_##name
#define real_malloc(n) __real_malloc(n)
#define real_calloc(n, m) __real_calloc((n), (m))
#define real_realloc(p, n) __real_realloc((p), (n))
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
#endif

void *ALLOC_WRAPPER(malloc)(size_t n)
{
	return alloc_fails(__builtin_return_address(0)) ? NULL : real_malloc(n);
}

void *ALLOC_WRAPPER(calloc)(size_t n, size_t m)
{
	return alloc_fails(__builtin_return_address(0)) ? NULL
							: real_calloc(n, m);
}

void *ALLOC_WRAPPER(realloc)(void *p, size_t n)
{
	return alloc_fails(__builtin_return_address(0)) ? NULL
							: real_realloc(p, n);
}

void alloc_count_reset(void)
{
	atomic_store(&allocs, 0);
}

long alloc_count(void)
{
	return atomic_load(&allocs);
}

long stress_divisor(void)
{
	const char *env = getenv("MIO_TEST_SCALE");

	return env != NULL && atol(env) > 0 ? atol(env) : 1;
}

int count_open_fds(void)
{
	return list_open_fds(NULL, 0);
}
