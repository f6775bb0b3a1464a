/*
 * mio_poll_poll has two definitions: the header's inline one, which on a
 * plain epoll build waits with epoll_wait itself for endless and zero
 * timeouts, and the exported one that bindings call. Every case runs
 * through both and expects the same results.
 */

#include "events_exported.h"
#include "inet.h"

typedef int (*poll_fn)(mio_poll *, mio_events *, const struct timespec *);

static struct exported_accessors x;

static int inline_poll(mio_poll *poll, mio_events *events,
		       const struct timespec *timeout)
{
	return mio_poll_poll(poll, events, timeout);
}

static int exported_poll(mio_poll *poll, mio_events *events,
			 const struct timespec *timeout)
{
	return x.poll_poll((struct mio_poll *)poll, (struct mio_events *)events,
			   timeout);
}

static const poll_fn poll_fns[] = { inline_poll, exported_poll };
#define FOR_EACH_POLL_FN(fn)                                                   \
	for (size_t fn_i_ = 0; fn_i_ < 2 && ((fn) = poll_fns[fn_i_], 1);       \
	     fn_i_++)

static const struct timespec zero = { 0, 0 };

static void send_byte(mio_tcp_stream *s)
{
	ASSERT_EQ(mio_tcp_stream_write(s, "x", 1), 1);
}

/* Waits with fn until one event arrives; returns its token. */
static mio_token wait_one(poll_fn fn, mio_poll *poll, mio_events *events,
			  const struct timespec *timeout)
{
	ASSERT_EQ(fn(poll, events, timeout), 1);
	ASSERT_UEQ(mio_events_len(events), 1);
	return mio_event_token(mio_events_at(events, 0));
}

static void endless_and_zero_waits(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream a, b;
	poll_fn fn;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 7,
					MIO_READABLE));
	FOR_EACH_POLL_FN(fn)
	{
		/* Nothing ready: a zero wait returns at once, empty. */
		ASSERT_EQ(fn(poll, events, &zero), 0);
		ASSERT_UEQ(mio_events_len(events), 0);

		send_byte(&b);
		ASSERT_UEQ(wait_one(fn, poll, events, NULL), 7);
		ASSERT(mio_event_is_readable(mio_events_at(events, 0)));
		drain_stream(&a);
		ASSERT_EQ(fn(poll, events, &zero), 0);
		ASSERT_UEQ(mio_events_len(events), 0);

		/* A zero wait reports what is ready, too. */
		send_byte(&b);
		ASSERT(wait_fd(a.source.fd, POLLIN) & POLLIN);
		ASSERT_UEQ(wait_one(fn, poll, events, &zero), 7);
		drain_stream(&a);
	}
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	mio_events_free(events);
	mio_poll_free(poll);
}

/* A timeout that is neither endless nor zero takes the general path. */
static void timed_waits(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream a, b;
	struct timespec t = ms_timeout(5000);
	poll_fn fn;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 3,
					MIO_READABLE));
	FOR_EACH_POLL_FN(fn)
	{
		send_byte(&b);
		ASSERT_UEQ(wait_one(fn, poll, events, &t), 3);
		drain_stream(&a);
		t = ms_timeout(10);
		ASSERT_EQ(fn(poll, events, &t), 0);
		ASSERT_UEQ(mio_events_len(events), 0);
		t = ms_timeout(5000);
	}
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	mio_events_free(events);
	mio_poll_free(poll);
}

/* Bad arguments: MIO_EINVAL, and a buffer given is left empty. */
static void bad_arguments_clear_the_buffer(void)
{
	static const struct timespec bad[] = {
		{ -1, 0 }, { 0, -1 }, { 0, 1000000000L }, { 1, 1000000000L }
	};
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	poll_fn fn;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 9, &waker));
	FOR_EACH_POLL_FN(fn)
	{
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			ASSERT_OK(mio_waker_wake(waker));
			ASSERT_UEQ(wait_one(fn, poll, events, NULL), 9);
			ASSERT_EQ(fn(poll, events, &bad[i]), MIO_EINVAL);
			ASSERT_UEQ(mio_events_len(events), 0);
		}
		ASSERT_OK(mio_waker_wake(waker));
		ASSERT_UEQ(wait_one(fn, poll, events, NULL), 9);
		ASSERT_EQ(fn(NULL, events, NULL), MIO_EINVAL);
		ASSERT_UEQ(mio_events_len(events), 0);
		ASSERT_EQ(fn(poll, NULL, NULL), MIO_EINVAL);
		ASSERT_EQ(fn(NULL, NULL, &zero), MIO_EINVAL);
		/* Nothing was consumed: no wake-up is pending any more. */
		ASSERT_EQ(fn(poll, events, &zero), 0);
	}
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* A buffer smaller than the ready set: the rest comes with later waits. */
static void small_buffer_gets_the_rest_later(void)
{
	enum { N = 3 };
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream a[N], b[N];
	poll_fn fn;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(1, &events));
	for (int i = 0; i < N; i++) {
		stream_pair(&a[i], &b[i]);
		ASSERT_OK(mio_registry_register(mio_poll_registry(poll),
						&a[i].source, (mio_token)i,
						MIO_READABLE));
	}
	FOR_EACH_POLL_FN(fn)
	{
		unsigned seen = 0;

		for (int i = 0; i < N; i++) {
			send_byte(&b[i]);
			ASSERT(wait_fd(a[i].source.fd, POLLIN) & POLLIN);
		}
		for (int i = 0; i < N; i++) {
			mio_token t = wait_one(fn, poll, events, NULL);

			ASSERT(t < N);
			ASSERT_EQ(seen & (1u << t), 0);
			seen |= 1u << t;
			drain_stream(&a[t]);
		}
		ASSERT_EQ(fn(poll, events, &zero), 0);
	}
	for (int i = 0; i < N; i++) {
		ASSERT_OK(mio_tcp_stream_close(&a[i]));
		ASSERT_OK(mio_tcp_stream_close(&b[i]));
	}
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	exported_accessors_get(&x);
	RUN(endless_and_zero_waits);
	RUN(timed_waits);
	RUN(bad_arguments_clear_the_buffer);
	RUN(small_buffer_gets_the_rest_later);
	return test_summary();
}
