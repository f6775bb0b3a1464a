/*
 * Registry calls from other threads while a thread is blocked in
 * mio_poll_poll (mio's register_during_poll): they take effect in the
 * blocked call; deregister and close there stop the source's events.
 * The sources are loopback TCP streams and UDP sockets, which every
 * platform has.
 */
/* ctest-labels: threads */

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "inet.h"

enum { WAKER_TOKEN = 1000 };

struct fixture {
	mio_poll *poll;
	mio_registry *clone;
	mio_events *events;
	mio_waker *waker;
};

static struct fixture setup(void)
{
	struct fixture f;

	ASSERT_OK(mio_poll_new(&f.poll));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(f.poll), &f.clone));
	ASSERT_OK(mio_events_new(16, &f.events));
	ASSERT_OK(mio_waker_new(f.clone, WAKER_TOKEN, &f.waker));
	return f;
}

static void teardown(struct fixture *f)
{
	mio_waker_free(f->waker);
	mio_events_free(f->events);
	mio_registry_free(f->clone);
	mio_poll_free(f->poll);
}

/* One byte from `from`, waited for (outside of any poll) on `to`. */
static void send_byte(mio_tcp_stream *from, mio_tcp_stream *to)
{
	ASSERT_EQ(mio_tcp_stream_write(from, "x", 1), 1);
	wait_fd(to->source.fd, POLLIN);
}

/* Gives the main thread time to block in the poll; not an assertion. */
static void let_poll_block(void)
{
	struct timespec t = { 0, 30 * 1000000L };

	nanosleep(&t, NULL);
}

/*
 * The first event of one blocking poll (a long timeout, so that a lost
 * wake-up fails the test instead of hanging it).
 */
static const mio_event *blocking_poll(struct fixture *f)
{
	struct timespec t = { 10, 0 };
	int n;

	do
		n = mio_poll_poll(f->poll, f->events, &t);
	while (n == MIO_EINTR);
	ASSERT_OK(n);
	if (n == 0)
		FAIL_AT("the blocked poll was never woken");
	return mio_events_at(f->events, 0);
}

enum action {
	REGISTER_READY,
	REGISTER_THEN_WRITE,
	REREGISTER_WRITABLE,
	DEREGISTER_THEN_WAKE,
	CLOSE_THEN_WAKE,
};

struct job {
	struct fixture *f;
	mio_registry *reg;
	enum action action;
	mio_tcp_stream *s;
	mio_tcp_stream *peer;
};

static void *run_job(void *arg)
{
	struct job *j = arg;

	let_poll_block();
	switch (j->action) {
	case REGISTER_READY:
		ASSERT_OK(mio_registry_register(j->reg, &j->s->source, 7,
						MIO_READABLE));
		break;
	case REGISTER_THEN_WRITE:
		ASSERT_OK(mio_registry_register(j->reg, &j->s->source, 7,
						MIO_READABLE));
		let_poll_block();
		ASSERT_EQ(mio_tcp_stream_write(j->peer, "x", 1), 1);
		break;
	case REREGISTER_WRITABLE:
		ASSERT_OK(mio_registry_reregister(j->reg, &j->s->source, 7,
						  MIO_WRITABLE));
		break;
	case DEREGISTER_THEN_WAKE:
		ASSERT_OK(mio_registry_deregister(j->reg, &j->s->source));
		ASSERT_EQ(mio_tcp_stream_write(j->peer, "x", 1), 1);
		ASSERT_OK(mio_waker_wake(j->f->waker));
		break;
	case CLOSE_THEN_WAKE:
		ASSERT_OK(mio_tcp_stream_close(j->s));
		/* A duplicate keeps the connection open: the byte arrives. */
		ASSERT_EQ(mio_tcp_stream_write(j->peer, "x", 1), 1);
		ASSERT_OK(mio_waker_wake(j->f->waker));
		break;
	}
	return NULL;
}

static void start(pthread_t *t, struct job *j)
{
	ASSERT_EQ(pthread_create(t, NULL, run_job, j), 0);
}

/* A source registered by another thread is reported by the blocked poll. */
static void register_during_poll(void)
{
	for (int via_clone = 0; via_clone < 2; via_clone++) {
		struct fixture f = setup();
		pthread_t t;
		mio_tcp_stream a, b;

		stream_pair(&a, &b);
		send_byte(&b, &a);
		struct job j = { &f,
				 via_clone ? f.clone
					   : mio_poll_registry(f.poll),
				 REGISTER_READY, &a, &b };
		start(&t, &j);
		const mio_event *e = blocking_poll(&f);
		ASSERT_UEQ(mio_event_token(e), 7);
		ASSERT(mio_event_is_readable(e));
		ASSERT_EQ(pthread_join(t, NULL), 0);
		close_pair(&a, &b);
		teardown(&f);
	}
}

/* Registered while blocked, ready later: still reported. */
static void register_then_ready_during_poll(void)
{
	struct fixture f = setup();
	pthread_t t;
	mio_tcp_stream a, b;

	stream_pair(&a, &b);
	struct job j = { &f, f.clone, REGISTER_THEN_WRITE, &a, &b };
	start(&t, &j);
	const mio_event *e = blocking_poll(&f);
	ASSERT_UEQ(mio_event_token(e), 7);
	ASSERT(mio_event_is_readable(e));
	ASSERT_EQ(pthread_join(t, NULL), 0);
	ASSERT_ERR(mio_registry_register(mio_poll_registry(f.poll), &a.source,
					 1, MIO_READABLE),
		   MIO_EEXIST);
	close_pair(&a, &b);
	teardown(&f);
}

/*
 * A reregistration made while blocked takes effect in that call: first
 * with nothing ready, then with a byte whose readable event was already
 * reported (and not read): the new interest, writable alone, reports
 * writable and not readable.
 */
static void reregister_during_poll(void)
{
	for (int pending = 0; pending < 2; pending++) {
		struct fixture f = setup();
		pthread_t t;
		mio_tcp_stream a, b;

		stream_pair(&a, &b);
		ASSERT_OK(mio_registry_register(f.clone, &a.source, 3,
						MIO_READABLE));
		if (pending) {
			struct expect_event want = { 3, EXPECT_READABLE };
			send_byte(&b, &a);
			expect_events(f.poll, f.events, &want, 1);
		}
		struct job j = { &f, f.clone, REREGISTER_WRITABLE, &a, &b };
		start(&t, &j);
		const mio_event *e = blocking_poll(&f);
		ASSERT_UEQ(mio_event_token(e), 7);
		ASSERT(mio_event_is_writable(e));
		ASSERT(!mio_event_is_readable(e));
		ASSERT_EQ(pthread_join(t, NULL), 0);
		close_pair(&a, &b);
		teardown(&f);
	}
}

/*
 * Deregistered (or closed) by another thread while the poll is blocked:
 * the data written afterwards is never reported; the wake-up is.
 */
static void deregister_or_close_during_poll(enum action action)
{
	for (int round = 0; round < 5; round++) {
		struct fixture f = setup();
		pthread_t t;
		mio_tcp_stream a, b;
		mio_raw_fd keep = MIO_INVALID_FD;

		stream_pair(&a, &b);
		/* A duplicate elsewhere must not keep the events coming. */
		if (action == CLOSE_THEN_WAKE)
			keep = test_dup_socket(a.source.fd);
		ASSERT_OK(mio_registry_register(f.clone, &a.source, 5,
						MIO_READABLE));
		struct job j = { &f, mio_poll_registry(f.poll), action, &a,
				 &b };
		start(&t, &j);
		const mio_event *e = blocking_poll(&f);
		ASSERT_UEQ(mio_event_token(e), WAKER_TOKEN);
		ASSERT_UEQ(mio_events_len(f.events), 1);
		ASSERT_EQ(pthread_join(t, NULL), 0);
		expect_no_events(f.poll, f.events);
		if (action == CLOSE_THEN_WAKE) {
			ASSERT_EQ(a.source.fd, MIO_INVALID_FD);
			test_close_socket(keep);
		}
		close_pair(&a, &b);
		teardown(&f);
	}
}

static void deregister_during_poll(void)
{
	deregister_or_close_during_poll(DEREGISTER_THEN_WAKE);
}

static void close_during_poll(void)
{
	deregister_or_close_during_poll(CLOSE_THEN_WAKE);
}

enum { CHURNERS = 4, CHURN_ROUNDS = 300 };

struct churner {
	pthread_t thread;
	mio_registry *reg;
	mio_token token;
	atomic_int *done;
};

/* Registers, makes ready, reregisters and deregisters, over and over. */
static void *churn(void *arg)
{
	struct churner *c = arg;
	mio_tcp_stream a, b;

	stream_pair(&a, &b);
	for (int i = 0; i < CHURN_ROUNDS; i++) {
		ASSERT_OK(mio_registry_register(c->reg, &a.source, c->token,
						MIO_READABLE));
		ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
		ASSERT_OK(mio_registry_reregister(c->reg, &a.source, c->token,
						  MIO_READABLE | MIO_WRITABLE));
		ASSERT_OK(mio_registry_deregister(c->reg, &a.source));
		char buf[4];
		wait_fd(a.source.fd, POLLIN);
		ASSERT_EQ(mio_tcp_stream_read(&a, buf, sizeof(buf)), 1);
	}
	close_pair(&a, &b);
	atomic_fetch_add(c->done, 1);
	return NULL;
}

/*
 * Threads churn registrations while the poll thread keeps polling: every
 * event carries a token that some thread registered, and nothing breaks.
 */
static void registry_churn_while_polling(void)
{
	struct fixture f = setup();
	struct churner c[CHURNERS];
	atomic_int done = 0;
	struct timespec t = ms_timeout(5);

	for (int i = 0; i < CHURNERS; i++) {
		c[i] = (struct churner){ 0, f.clone, (mio_token)(i + 1),
					 &done };
		ASSERT_EQ(pthread_create(&c[i].thread, NULL, churn, &c[i]), 0);
	}
	while (atomic_load(&done) < CHURNERS) {
		int n = mio_poll_poll(f.poll, f.events, &t);
		ASSERT_OK(n);
		for (int i = 0; i < n; i++) {
			mio_token tok =
				mio_event_token(mio_events_at(f.events, i));
			ASSERT(tok >= 1 && tok <= CHURNERS);
		}
	}
	for (int i = 0; i < CHURNERS; i++)
		ASSERT_EQ(pthread_join(c[i].thread, NULL), 0);
	expect_no_events(f.poll, f.events);
	teardown(&f);
}

enum { OWNED = 32 };

struct closer {
	mio_udp_socket *u;
	pthread_barrier_t *barrier;
};

static void *close_all(void *arg)
{
	struct closer *c = arg;

	pthread_barrier_wait(c->barrier);
	for (int i = 0; i < OWNED; i++)
		ASSERT_OK(mio_udp_socket_close(&c->u[i]));
	return NULL;
}

/* Owned sources closed on one thread while the poll is freed on another. */
static void close_races_poll_free(void)
{
	for (int round = 0; round < 10; round++) {
		int before = count_open_fds();
		mio_poll *poll;
		mio_udp_socket u[OWNED];
		mio_sockaddr any = loopback(AF_INET);
		pthread_barrier_t barrier;
		pthread_t t;

		ASSERT_OK(mio_poll_new(&poll));
		for (int i = 0; i < OWNED; i++) {
			ASSERT_OK(mio_udp_socket_bind(&u[i], &any));
			ASSERT_OK(mio_registry_register(
				mio_poll_registry(poll), &u[i].source,
				(mio_token)i, MIO_READABLE));
		}
		ASSERT_EQ(pthread_barrier_init(&barrier, NULL, 2), 0);
		struct closer c = { u, &barrier };
		ASSERT_EQ(pthread_create(&t, NULL, close_all, &c), 0);
		pthread_barrier_wait(&barrier);
		mio_poll_free(poll);
		ASSERT_EQ(pthread_join(t, NULL), 0);
		for (int i = 0; i < OWNED; i++)
			ASSERT_EQ(u[i].source.fd, MIO_INVALID_FD);
		pthread_barrier_destroy(&barrier);
		ASSERT_EQ(count_open_fds(), before);
	}
}

int main(void)
{
	RUN(register_during_poll);
	RUN(register_then_ready_during_poll);
	RUN(reregister_during_poll);
	RUN(deregister_during_poll);
	RUN(close_during_poll);
	RUN(registry_churn_while_polling);
	RUN(close_races_poll_free);
	return test_summary();
}
