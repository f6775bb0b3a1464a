/*
 * mio_registry_try_clone: clones are the same poll, usable from any
 * thread, and the poll, its clones and its waker may be freed in any order
 * (mio's registry_behind_arc and registry_operations_are_thread_safe), on
 * loopback TCP streams, which every platform has. A borrowed descriptor
 * through a clone is POSIX-only: test_fd_registry_clone.c.
 */
/* ctest-labels: threads */

#include <pthread.h>

#include "inet.h"

static void clone_registers_with_the_same_poll(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *clone, *clone2;
	mio_tcp_stream a, b;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT(clone != NULL);
	ASSERT(clone != mio_poll_registry(poll));
	/* A clone of a clone is the same poll as well. */
	ASSERT_OK(mio_registry_try_clone(clone, &clone2));
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(clone2, &a.source, 4, MIO_READABLE));
	/* Registered with the poll, whichever handle asks. */
	ASSERT_ERR(mio_registry_register(clone, &a.source, 4, MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_ERR(mio_registry_register(mio_poll_registry(poll), &a.source, 4,
					 MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_OK(mio_registry_reregister(clone, &a.source, 4, MIO_READABLE));
	ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
	struct expect_event want = { 4, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_registry_deregister(clone, &a.source));
	ASSERT_ERR(mio_registry_deregister(mio_poll_registry(poll), &a.source),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(clone2, &a.source), MIO_ENOENT);
	close_pair(&a, &b);
	mio_registry_free(clone);
	mio_registry_free(clone2);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* An owned source registered through a clone outlives the clone. */
static void owned_registration_outlives_clone(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *clone;
	mio_tcp_stream a, b;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	stream_pair(&a, &b);
	ASSERT_OK(mio_registry_register(clone, &a.source, 1, MIO_READABLE));
	mio_registry_free(clone);
	ASSERT_ERR(mio_registry_register(mio_poll_registry(poll), &a.source, 1,
					 MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll), &a.source));
	close_pair(&a, &b);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* Freeing NULL or the poll's own registry does nothing. */
static void free_null_and_own_registry(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	mio_registry *out = (mio_registry *)&out;

	mio_registry_free(NULL);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	mio_registry_free(mio_poll_registry(poll));
	mio_registry_free(mio_poll_registry(poll));
	/* The poll and its registry still work. */
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 9, &waker));
	ASSERT_OK(mio_waker_wake(waker));
	struct expect_event want = { 9, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &out));
	mio_registry_free(out);

	out = (mio_registry *)&out;
	ASSERT_ERR(mio_registry_try_clone(NULL, &out), MIO_EINVAL);
	ASSERT(out == NULL);
	ASSERT_ERR(mio_registry_try_clone(mio_poll_registry(poll), NULL),
		   MIO_EINVAL);
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

enum { POLL, CLONE, WAKER };

/*
 * Creates a poll, a clone and a waker (made from the clone), checks the
 * waker, then frees the three in `order`, using what is left after each
 * step. No descriptor may leak; ASan sees any leak or stale access.
 */
static void free_in_order(const int order[3])
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *clone;
	mio_waker *waker;
	int before = count_open_fds();
	bool poll_alive = true, waker_alive = true;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT_OK(mio_waker_new(clone, 5, &waker));
	for (int i = 0; i < 3; i++) {
		switch (order[i]) {
		case POLL:
			mio_poll_free(poll);
			poll_alive = false;
			break;
		case CLONE:
			mio_registry_free(clone);
			break;
		case WAKER:
			mio_waker_free(waker);
			waker_alive = false;
			break;
		}
		/* What is left still works. */
		if (poll_alive && waker_alive) {
			ASSERT_OK(mio_waker_wake(waker));
			struct expect_event want = { 5, EXPECT_READABLE };
			expect_events(poll, events, &want, 1);
		} else if (waker_alive) {
			/* Its poll is gone: waking must still be harmless. */
			(void)mio_waker_wake(waker);
		}
	}
	ASSERT_EQ(count_open_fds(), before);
	mio_events_free(events);
}

static void free_in_every_order(void)
{
	static const int orders[6][3] = {
		{ POLL, CLONE, WAKER }, { POLL, WAKER, CLONE },
		{ CLONE, POLL, WAKER }, { CLONE, WAKER, POLL },
		{ WAKER, POLL, CLONE }, { WAKER, CLONE, POLL },
	};

	for (int i = 0; i < 6; i++)
		free_in_order(orders[i]);
}

/* Many clones, freed out of order, some after the poll. */
static void many_clones(void)
{
	enum { N = 64 };
	mio_poll *poll;
	mio_registry *clones[N];
	int before = count_open_fds();

	ASSERT_OK(mio_poll_new(&poll));
	for (int i = 0; i < N; i++)
		ASSERT_OK(mio_registry_try_clone(
			i == 0 ? mio_poll_registry(poll) : clones[i - 1],
			&clones[i]));
	for (int i = 0; i < N; i += 2)
		mio_registry_free(clones[i]);
	mio_poll_free(poll);
	for (int i = 1; i < N; i += 2)
		mio_registry_free(clones[i]);
	ASSERT_EQ(count_open_fds(), before);
}

enum { THREADS = 4, ROUNDS = 50 };

struct worker {
	pthread_t thread;
	mio_registry *reg; /* shared by all workers, or each one's own */
	mio_tcp_stream s, peer;
	mio_token token;
};

/*
 * mio's registry_ops_flow, many times over, ending registered for
 * readable and writable.
 */
static void *ops_flow(void *arg)
{
	struct worker *w = arg;
	mio_source *src = &w->s.source;

	for (int i = 0; i < ROUNDS; i++) {
		ASSERT_OK(mio_registry_register(w->reg, src, w->token,
						MIO_READABLE));
		ASSERT_OK(mio_registry_deregister(w->reg, src));
	}
	ASSERT_OK(mio_registry_register(w->reg, src, w->token, MIO_READABLE));
	ASSERT_OK(mio_registry_reregister(w->reg, src, w->token,
					  MIO_READABLE | MIO_WRITABLE));
	ASSERT_EQ(mio_tcp_stream_write(&w->peer, "x", 1), 1);
	return NULL;
}

static void clones_from_threads(bool shared)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *common;
	struct worker w[THREADS];
	struct expect_event want[THREADS];

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(16, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &common));
	for (int i = 0; i < THREADS; i++) {
		stream_pair(&w[i].s, &w[i].peer);
		w[i].token = (mio_token)(100 + i);
		if (shared)
			w[i].reg = common;
		else
			ASSERT_OK(mio_registry_try_clone(common, &w[i].reg));
		want[i] = (struct expect_event){
			w[i].token, EXPECT_READABLE | EXPECT_WRITABLE
		};
	}
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(pthread_create(&w[i].thread, NULL, ops_flow, &w[i]),
			  0);
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(pthread_join(w[i].thread, NULL), 0);
	expect_events(poll, events, want, THREADS);
	for (int i = 0; i < THREADS; i++) {
		if (!shared)
			mio_registry_free(w[i].reg);
		close_pair(&w[i].s, &w[i].peer);
	}
	mio_registry_free(common);
	mio_events_free(events);
	mio_poll_free(poll);
}

static void shared_clone_from_threads(void)
{
	clones_from_threads(true);
}

static void own_clone_per_thread(void)
{
	clones_from_threads(false);
}

struct churn {
	mio_registry *reg;
	pthread_t thread;
};

/* Clones and frees clones while other threads do the same. */
static void *clone_churn(void *arg)
{
	struct churn *c = arg;

	for (int i = 0; i < 200; i++) {
		mio_registry *r;
		ASSERT_OK(mio_registry_try_clone(c->reg, &r));
		mio_registry_free(r);
	}
	/* The last one is freed by the main thread, after the poll. */
	return NULL;
}

static void concurrent_clone_and_free(void)
{
	mio_poll *poll;
	mio_registry *base;
	struct churn c[THREADS];

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &base));
	for (int i = 0; i < THREADS; i++) {
		c[i].reg = base;
		ASSERT_EQ(
			pthread_create(&c[i].thread, NULL, clone_churn, &c[i]),
			0);
	}
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(pthread_join(c[i].thread, NULL), 0);
	mio_poll_free(poll);
	mio_registry_free(base);
}

int main(void)
{
	RUN(clone_registers_with_the_same_poll);
	RUN(owned_registration_outlives_clone);
	RUN(free_null_and_own_registry);
	RUN(free_in_every_order);
	RUN(many_clones);
	RUN(shared_clone_from_threads);
	RUN(own_clone_per_thread);
	RUN(concurrent_clone_and_free);
	return test_summary();
}
