/*
 * Edge-triggered readiness as the caller sees it, on loopback TCP streams
 * so that every platform runs it. The poll(2) and Windows backends
 * emulate it (an event disarms its direction, a would-block result
 * re-arms it); epoll and kqueue give the same results natively.
 * test_fd_poll_emulation.c has the cases of borrowed descriptors (POSIX).
 */
/* ctest-labels: threads */

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "inet.h"

#define TOKEN_A 1
#define TOKEN_B 2

/*
 * Reads exactly `want` bytes from s, waiting for them with poll(2) outside
 * of any mio_poll: TCP may deliver what was written in several pieces.
 */
static void read_exactly(mio_tcp_stream *s, size_t want)
{
	char buf[4096];
	size_t got = 0;

	while (got < want) {
		size_t len =
			want - got < sizeof(buf) ? want - got : sizeof(buf);
		mio_ssize n = mio_tcp_stream_read(s, buf, len);
		if (n == MIO_EAGAIN) {
			wait_fd(s->source.fd, POLLIN);
			continue;
		}
		ASSERT(n > 0);
		got += (size_t)n;
	}
}

/*
 * Writes to s until MIO_EAGAIN, and again for as long as it becomes
 * writable within 100 ms: TCP moves what the send buffer holds on to the
 * peer's receive buffer, so the first MIO_EAGAIN does not mean full yet.
 * Returns the byte count.
 */
static size_t fill_stream(mio_tcp_stream *s)
{
	static char buf[65536];
	size_t total = 0;
	mio_ssize n;

	do {
		while ((n = mio_tcp_stream_write(s, buf, sizeof(buf))) > 0)
			total += (size_t)n;
		ASSERT_ERR(n, MIO_EAGAIN);
	} while (test_poll_socket(s->source.fd, POLLOUT, 100) & POLLOUT);
	return total;
}

/* Every event of one poll with the given token, or 0 if none. */
static unsigned poll_token(struct poll_fixture *f, mio_token token, long ms)
{
	struct timespec t = ms_timeout(ms);
	unsigned r = 0;

	ASSERT_OK(mio_poll_poll(f->poll, f->events, &t));
	for (size_t i = 0; i < mio_events_len(f->events); i++) {
		const mio_event *e = mio_events_at(f->events, i);
		if (mio_event_token(e) == token)
			r |= event_readiness(e) | 0x100;
	}
	return r;
}

/* Interest in reading only: a read that would block re-arms it. */
static void read_interest_rearmed_by_read(void)
{
	struct poll_fixture f;
	mio_tcp_stream a, b;
	struct expect_event want = { TOKEN_A, EXPECT_READABLE };

	poll_fixture_setup(&f);
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(f.registry, &a.source, TOKEN_A,
					MIO_READABLE));
	expect_no_events(f.poll, f.events);
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(mio_tcp_stream_write(&b, "abc", 3), 3);
		expect_events(f.poll, f.events, &want, 1);
		/* Not drained yet: no new event is owed. */
		expect_no_events(f.poll, f.events);
		ASSERT_UEQ(drain_stream(&a), 3);
		expect_no_events(f.poll, f.events);
	}
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	poll_fixture_teardown(&f);
}

/* Interest in writing only: a write that would block re-arms it. */
static void write_interest_rearmed_by_write(void)
{
	struct poll_fixture f;
	mio_tcp_stream a, b;
	struct expect_event want = { TOKEN_A, EXPECT_WRITABLE };

	poll_fixture_setup(&f);
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(f.registry, &a.source, TOKEN_A,
					MIO_WRITABLE));
	expect_events(f.poll, f.events, &want, 1);
	expect_no_events(f.poll, f.events);
	for (int round = 0; round < 3; round++) {
		size_t put = fill_stream(&a);
		ASSERT(put > 0);
		expect_no_events(f.poll, f.events);
		/* Room again: the blocked direction reports. */
		read_exactly(&b, put);
		expect_events(f.poll, f.events, &want, 1);
		expect_no_events(f.poll, f.events);
	}
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	poll_fixture_teardown(&f);
}

/*
 * Interest in both on a socket that stays writable: a read that blocks
 * must not bring the writable event back (re-arming both directions after
 * any would-block is a known livelock of emulated edge triggering).
 */
static void read_write_interest_no_livelock(void)
{
	struct poll_fixture f;
	mio_tcp_stream a, b;
	struct expect_event want_w = { TOKEN_A, EXPECT_WRITABLE };
	struct expect_event want_r = { TOKEN_A, EXPECT_READABLE };

	poll_fixture_setup(&f);
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(f.registry, &a.source, TOKEN_A,
					MIO_READABLE | MIO_WRITABLE));
	expect_events(f.poll, f.events, &want_w, 1);
	for (int round = 0; round < 5; round++) {
		ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
		expect_events(f.poll, f.events, &want_r, 1);
		ASSERT_UEQ(drain_stream(&a), 1);
		/* Still writable, never written to: quiet. */
		for (int i = 0; i < 3; i++)
			expect_no_events(f.poll, f.events);
	}
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	poll_fixture_teardown(&f);
}

/*
 * A peek that would block re-arms reading; a peek that finds data does
 * not consume the readiness. Neither may leave the caller waiting forever.
 */
static void tcp_peek_does_not_hang(void)
{
	struct poll_fixture f;
	mio_tcp_stream c, s;
	struct expect_event want = { TOKEN_A, EXPECT_READABLE };
	char buf[16];

	poll_fixture_setup(&f);
	stream_pair(&c, &s);
	ASSERT_OK(mio_registry_register(f.registry, &s.source, TOKEN_A,
					MIO_READABLE));
	ASSERT_ERR(mio_tcp_stream_peek(&s, buf, sizeof(buf)), MIO_EAGAIN);
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(mio_tcp_stream_write(&c, "ab", 2), 2);
		expect_events(f.poll, f.events, &want, 1);
		/* Peeking as often as you like consumes nothing. */
		while (mio_tcp_stream_peek(&s, buf, sizeof(buf)) < 2)
			poll_token(&f, TOKEN_A, 10);
		ASSERT_EQ(mio_tcp_stream_peek(&s, buf, sizeof(buf)), 2);
		/* Read exactly what came, without running into MIO_EAGAIN... */
		ASSERT_EQ(mio_tcp_stream_read(&s, buf, 2), 2);
		/* ...so the peek's would-block is what re-arms reading. */
		ASSERT_ERR(mio_tcp_stream_peek(&s, buf, sizeof(buf)),
			   MIO_EAGAIN);
	}
	ASSERT_OK(mio_tcp_stream_close(&s));
	ASSERT_OK(mio_tcp_stream_close(&c));
	poll_fixture_teardown(&f);
}

static mio_ssize recv_fn(mio_source *s, void *ctx)
{
	char buf[4096];
	mio_ssize n = test_recv(s->fd, buf, sizeof(buf));

	if (n > 0 && ctx != NULL)
		*(size_t *)ctx += (size_t)n;
	return n;
}

/*
 * An owned stream read with the OS's recv, bypassing the library:
 * readiness consumed behind its back is re-armed by mio_source_try_io's
 * would-block, and only for the direction that is not ready (the socket
 * stays writable).
 */
static void raw_recv_through_try_io(void)
{
	struct poll_fixture f;
	mio_tcp_stream a, b;
	char buf[64];
	size_t got;
	struct expect_event want = { TOKEN_A, EXPECT_READABLE };
	struct expect_event want_w = { TOKEN_A, EXPECT_WRITABLE };

	poll_fixture_setup(&f);
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(f.registry, &a.source, TOKEN_A,
					MIO_READABLE | MIO_WRITABLE));
	expect_events(f.poll, f.events, &want_w, 1);
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(mio_tcp_stream_write(&b, "hello", 5), 5);
		expect_events(f.poll, f.events, &want, 1);
		got = 0;
		while (got < 5) {
			mio_ssize n =
				mio_source_try_io(&a.source, recv_fn, &got);
			if (n == MIO_EAGAIN)
				wait_fd(a.source.fd, POLLIN);
			else
				ASSERT(n > 0);
		}
		ASSERT_ERR(mio_source_try_io(&a.source, recv_fn, &got),
			   MIO_EAGAIN);
		ASSERT_UEQ(got, 5);
		expect_no_events(f.poll, f.events);
	}

	/* Plain recv bypasses the library; try_io's would-block re-arms. */
	ASSERT_EQ(mio_tcp_stream_write(&b, "abc", 3), 3);
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(test_recv(a.source.fd, buf, sizeof(buf)), 3);
	ASSERT_ERR(test_recv(a.source.fd, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_ERR(mio_source_try_io(&a.source, recv_fn, NULL), MIO_EAGAIN);
	expect_no_events(f.poll, f.events);
	ASSERT_EQ(mio_tcp_stream_write(&b, "d", 1), 1);
	expect_events(f.poll, f.events, &want, 1);

	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	poll_fixture_teardown(&f);
}

/* A hang-up is reported once, not on every poll after it. */
static void hangup_reported_once(void)
{
	struct poll_fixture f;
	mio_tcp_stream a, b;
	struct expect_event want = { TOKEN_A, EXPECT_READ_CLOSED };

	poll_fixture_setup(&f);
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(f.registry, &a.source, TOKEN_A,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_tcp_stream_close(&b));
	expect_events(f.poll, f.events, &want, 1);
	expect_no_events(f.poll, f.events);
	expect_no_events(f.poll, f.events);
	ASSERT_OK(mio_tcp_stream_close(&a));
	poll_fixture_teardown(&f);
}

/* More ready sources than the buffer holds: none is lost or starved. */
static void small_buffer_reports_every_source(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream a[3], b[3];
	unsigned seen = 0;
	struct timespec t = ms_timeout(500);

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(1, &events));
	for (int i = 0; i < 3; i++) {
		stream_pair(&a[i], &b[i]);
		ASSERT_EQ(mio_tcp_stream_write(&b[i], "x", 1), 1);
		wait_fd(a[i].source.fd, POLLIN);
		ASSERT_OK(mio_registry_register(mio_poll_registry(poll),
						&a[i].source, (mio_token)i,
						MIO_READABLE));
	}
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
		seen |= 1u << mio_event_token(mio_events_at(events, 0));
	}
	ASSERT_UEQ(seen, 7);
	for (int i = 0; i < 3; i++) {
		ASSERT_OK(mio_tcp_stream_close(&a[i]));
		ASSERT_OK(mio_tcp_stream_close(&b[i]));
	}
	mio_events_free(events);
	mio_poll_free(poll);
}

/* The waker is re-armed after every wake-up. */
static void waker_wakes_again_and_again(void)
{
	struct poll_fixture f;
	mio_waker *w;
	struct expect_event want = { TOKEN_B, EXPECT_READABLE };

	poll_fixture_setup(&f);
	ASSERT_OK(mio_waker_new(f.registry, TOKEN_B, &w));
	for (int i = 0; i < 10; i++) {
		ASSERT_OK(mio_waker_wake(w));
		if (i % 2 == 0)
			ASSERT_OK(mio_waker_wake(w));
		expect_events(f.poll, f.events, &want, 1);
		expect_no_events(f.poll, f.events);
	}
	mio_waker_free(w);
	poll_fixture_teardown(&f);
}

/* ---------------------------------------------------------------------- */
/* Changes while another thread is blocked in mio_poll_poll               */

struct poller {
	mio_poll *poll;
	mio_token stop;
	atomic_bool seen_stale;
	mio_token stale;
	atomic_uint_fast64_t last; /* 1 + the last token seen, 0 = none */
	atomic_uchar *seen;	   /* by token, where tokens are small */
	size_t nseen;
};

/* Polls without a timeout until the stop token comes. */
static void *poller_main(void *arg)
{
	struct poller *p = arg;
	mio_events *events;
	bool stop = false;

	ASSERT_OK(mio_events_new(64, &events));
	while (!stop) {
		int n = mio_poll_poll(p->poll, events, NULL);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		for (int i = 0; i < n; i++) {
			mio_token t = mio_event_token(
				mio_events_at(events, (size_t)i));
			if (t == p->stop) {
				stop = true;
				continue;
			}
			if (t == p->stale)
				atomic_store(&p->seen_stale, true);
			if (t < p->nseen)
				atomic_store(&p->seen[t], 1);
			atomic_store(&p->last, (uint_fast64_t)t + 1);
		}
	}
	mio_events_free(events);
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec t = ms_timeout(ms);
	nanosleep(&t, NULL);
}

/* Waits (for as long as it takes) until the poller has seen `token`. */
static void wait_seen(struct poller *p, mio_token token)
{
	while (!atomic_load(&p->seen[token]))
		sleep_ms(1);
}

/*
 * A stream closed while the poll is blocked on it, a new stream
 * registered at once: only the new token ever comes, and the change takes
 * effect without any other wake-up.
 */
static void close_and_reuse_during_blocked_poll(void)
{
	struct poller p = { 0 };
	atomic_uchar seen[300] = { 0 };
	mio_waker *stop;
	pthread_t th;

	ASSERT_OK(mio_poll_new(&p.poll));
	p.stop = 1000;
	p.stale = 100;
	p.seen = seen;
	p.nseen = 300;
	ASSERT_OK(mio_waker_new(mio_poll_registry(p.poll), p.stop, &stop));
	ASSERT_EQ(pthread_create(&th, NULL, poller_main, &p), 0);

	for (int round = 0; round < 50; round++) {
		mio_token token = 200 + (mio_token)round;
		mio_tcp_stream a, b;

		/* Old: registered, never ready, closed by the close rule. */
		stream_pair(&a, &b);
		ASSERT_OK(mio_registry_register(mio_poll_registry(p.poll),
						&a.source, p.stale,
						MIO_READABLE));
		sleep_ms(1); /* let the poller block on it */
		ASSERT_OK(mio_tcp_stream_close(&a));
		ASSERT_OK(mio_tcp_stream_close(&b));

		/* New: readable, under a new token. */
		stream_pair(&a, &b);
		ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
		ASSERT_OK(mio_registry_register(mio_poll_registry(p.poll),
						&a.source, token,
						MIO_READABLE));
		wait_seen(&p, token);
		ASSERT_OK(mio_tcp_stream_close(&a));
		ASSERT_OK(mio_tcp_stream_close(&b));
	}
	ASSERT_OK(mio_waker_wake(stop));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT(!atomic_load(&p.seen_stale));
	mio_waker_free(stop);
	mio_poll_free(p.poll);
}

#define THREADS 4
#define PER_THREAD 250

struct registrar {
	mio_registry *reg;
	struct poller *p;
	int index;
};

/*
 * Registers an always-readable stream PER_THREAD times under fresh
 * tokens; each registration must reach the blocked poller by itself.
 */
static void *registrar_main(void *arg)
{
	struct registrar *r = arg;
	mio_tcp_stream a, b;

	stream_pair(&a, &b);
	ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
	wait_fd(a.source.fd, POLLIN);
	for (int k = 0; k < PER_THREAD; k++) {
		mio_token token = (mio_token)(r->index * PER_THREAD + k);
		ASSERT_OK(mio_registry_register(r->reg, &a.source, token,
						MIO_READABLE));
		wait_seen(r->p, token);
		if (k % 2 == 0) {
			ASSERT_OK(mio_registry_deregister(r->reg, &a.source));
			continue;
		}
		/* Or: change the token in place, then deregister. */
		ASSERT_OK(mio_registry_reregister(r->reg, &a.source, token,
						  MIO_WRITABLE));
		ASSERT_OK(mio_registry_deregister(r->reg, &a.source));
	}
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	return NULL;
}

static void registrations_from_threads_while_polling(void)
{
	static atomic_uchar seen[THREADS * PER_THREAD];
	struct poller p = { 0 };
	struct registrar r[THREADS];
	pthread_t poller_th, th[THREADS];
	mio_waker *stop;

	ASSERT_OK(mio_poll_new(&p.poll));
	p.stop = UINTPTR_MAX;
	p.stale = UINTPTR_MAX - 1;
	p.seen = seen;
	p.nseen = THREADS * PER_THREAD;
	ASSERT_OK(mio_waker_new(mio_poll_registry(p.poll), p.stop, &stop));
	ASSERT_EQ(pthread_create(&poller_th, NULL, poller_main, &p), 0);
	for (int i = 0; i < THREADS; i++) {
		r[i].p = &p;
		r[i].index = i;
		ASSERT_OK(mio_registry_try_clone(mio_poll_registry(p.poll),
						 &r[i].reg));
		ASSERT_EQ(pthread_create(&th[i], NULL, registrar_main, &r[i]),
			  0);
	}
	for (int i = 0; i < THREADS; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		mio_registry_free(r[i].reg);
	}
	ASSERT_OK(mio_waker_wake(stop));
	ASSERT_EQ(pthread_join(poller_th, NULL), 0);
	for (size_t t = 0; t < THREADS * PER_THREAD; t++)
		ASSERT(atomic_load(&seen[t]));
	mio_waker_free(stop);
	mio_poll_free(p.poll);
}

/*
 * I/O on another thread re-arms a direction while the poll is blocked:
 * the poller must see the next readiness without any other wake-up.
 */
static void rearm_from_other_thread_during_blocked_poll(void)
{
	static atomic_uchar seen[4];
	struct poller p = { 0 };
	mio_tcp_stream a, b;
	mio_waker *stop;
	pthread_t th;

	ASSERT_OK(mio_poll_new(&p.poll));
	p.stop = 3;
	p.stale = 2;
	p.seen = seen;
	p.nseen = 2;
	ASSERT_OK(mio_waker_new(mio_poll_registry(p.poll), p.stop, &stop));
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(mio_poll_registry(p.poll), &a.source,
					TOKEN_A, MIO_READABLE));
	ASSERT_EQ(pthread_create(&th, NULL, poller_main, &p), 0);
	for (int round = 0; round < 20; round++) {
		ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
		wait_seen(&p, TOKEN_A);
		atomic_store(&seen[TOKEN_A], 0);
		ASSERT_UEQ(drain_stream(&a), 1);
		sleep_ms(1); /* the poller is blocked again, most likely */
	}
	ASSERT_OK(mio_waker_wake(stop));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	mio_waker_free(stop);
	mio_poll_free(p.poll);
}

int main(void)
{
	RUN(read_interest_rearmed_by_read);
	RUN(write_interest_rearmed_by_write);
	RUN(read_write_interest_no_livelock);
	RUN(tcp_peek_does_not_hang);
	RUN(raw_recv_through_try_io);
	RUN(hangup_reported_once);
	RUN(small_buffer_reports_every_source);
	RUN(waker_wakes_again_and_again);
	RUN(close_and_reuse_during_blocked_poll);
	RUN(registrations_from_threads_while_polling);
	RUN(rearm_from_other_thread_during_blocked_poll);
	return test_summary();
}
