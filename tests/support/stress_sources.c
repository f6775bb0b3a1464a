/* Registry and close-rule stress under threads: see stress_sources.h. */

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "stress_sources.h"

#define WORKERS STRESS_WORKERS

/* ---------------------------------------------------------------------- */
/* The poller: one thread polls until the workers are done.               */

struct poller {
	mio_poll *poll;
	mio_events *events;
	/* Fails the test unless some registration had token t. */
	void (*check)(mio_token t);
	atomic_bool stop;
	long events_seen;
	pthread_t thread;
};

static void *poller_main(void *arg)
{
	struct poller *p = arg;
	struct timespec t = ms_timeout(10);

	while (!atomic_load(&p->stop)) {
		int n = mio_poll_poll(p->poll, p->events, &t);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		for (int i = 0; i < n; i++)
			p->check(mio_event_token(
				mio_events_at(p->events, (size_t)i)));
		p->events_seen += n;
	}
	return NULL;
}

static void poller_start(struct poller *p, size_t capacity,
			 void (*check)(mio_token t))
{
	p->check = check;
	p->events_seen = 0;
	atomic_store(&p->stop, false);
	ASSERT_OK(mio_poll_new(&p->poll));
	ASSERT_OK(mio_events_new(capacity, &p->events));
	ASSERT_EQ(pthread_create(&p->thread, NULL, poller_main, p), 0);
}

static void poller_stop(struct poller *p)
{
	atomic_store(&p->stop, true);
	ASSERT_EQ(pthread_join(p->thread, NULL), 0);
}

static void poller_free(struct poller *p)
{
	mio_events_free(p->events);
	mio_poll_free(p->poll);
}

/* Runs fn(index) on WORKERS threads at once and waits for them all. */
static void run_workers(void *(*fn)(void *arg))
{
	pthread_t workers[WORKERS];

	for (long i = 0; i < WORKERS; i++)
		ASSERT_EQ(pthread_create(&workers[i], NULL, fn,
					 (void *)(intptr_t)i),
			  0);
	for (int i = 0; i < WORKERS; i++)
		ASSERT_EQ(pthread_join(workers[i], NULL), 0);
}

/* ---------------------------------------------------------------------- */
/* Registry churn.                                                        */

#define SOURCES STRESS_REGISTRY_SOURCES
#define PER_WORKER (SOURCES / WORKERS)
#define ROUNDS 20

/* Tokens say which source and which round registered it. */
#define TOKEN(src, round) ((mio_token)(src)*1000u + (mio_token)(round))

static const struct registry_kind *rkind;
static struct poller rpoller;
static atomic_int round_of[SOURCES]; /* the newest round that registered */
static atomic_long ops;
static long rounds;

static void churn_one(mio_registry *r, int src, int round)
{
	mio_source scratch;
	mio_source *s = rkind->source(src, &scratch);
	/* Readable too on every other round, so reregister changes things. */
	mio_interest again =
		(round & 1) ? MIO_READABLE | MIO_WRITABLE : MIO_WRITABLE;

	atomic_store(&round_of[src], round);
	ASSERT_OK(mio_registry_register(r, s, TOKEN(src, round), MIO_WRITABLE));
	ASSERT_EQ(mio_registry_register(r, s, TOKEN(src, round), MIO_WRITABLE),
		  rkind->second_register);
	ASSERT_OK(mio_registry_reregister(r, s, TOKEN(src, round), again));
	if (round & 1)
		rkind->make_readable(src);
	ASSERT_OK(mio_registry_deregister(r, s));
	ASSERT_ERR(mio_registry_deregister(r, s), MIO_ENOENT);
	atomic_fetch_add_explicit(&ops, 5, memory_order_relaxed);
}

static void *churn_main(void *arg)
{
	int index = (int)(intptr_t)arg;
	mio_registry *r;

	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(rpoller.poll), &r));
	for (int round = 1; round <= rounds; round++)
		for (int i = 0; i < PER_WORKER; i++)
			churn_one(r, index * PER_WORKER + i, round);
	mio_registry_free(r);
	return NULL;
}

/* The token must name a source and a round that registered it by now. */
static void check_churn_token(mio_token t)
{
	uintmax_t src = t / 1000u, round = t % 1000u;

	if (src >= SOURCES || round < 1 || round > (uintmax_t)rounds ||
	    round > (uintmax_t)atomic_load(&round_of[src]))
		FAIL_AT("event with a token no registration had: %ju",
			(uintmax_t)t);
}

void stress_registry_run(const struct registry_kind *k)
{
	rkind = k;
	if (!raise_fd_limit(SOURCES + 100))
		exit(TEST_SKIP);
	rounds = ROUNDS / stress_divisor();
	if (rounds < 2)
		rounds = 2;
	for (int i = 0; i < SOURCES; i++)
		k->open(i);
	poller_start(&rpoller, 1024, check_churn_token);
	run_workers(churn_main);
	poller_stop(&rpoller);
	ASSERT_EQ(atomic_load(&ops), (long)SOURCES * rounds * 5);
	printf("registry calls: %ld on %d sources from %d threads, %ld events "
	       "polled meanwhile\n",
	       atomic_load(&ops), SOURCES, WORKERS, rpoller.events_seen);

	/* Everything is deregistered: nothing may be reported any more. */
	expect_no_events(rpoller.poll, rpoller.events);
	for (int i = 0; i < SOURCES; i++)
		k->close(i);
	poller_free(&rpoller);
}

/* ---------------------------------------------------------------------- */
/* The close rule.                                                        */

static const struct close_kind *ckind;
static struct poller cpoller;
static long pairs;	    /* STRESS_CLOSE_PAIRS, or fewer under scale */
static atomic_ulong issued; /* tokens handed out: 1 .. issued */

static void *close_main(void *arg)
{
	mio_registry *r = mio_poll_registry(cpoller.poll);
	mio_registry *clone = NULL;
	int index = (int)(intptr_t)arg;

	/* Half the workers go through a clone of the registry. */
	if (index % 2 == 1)
		ASSERT_OK(mio_registry_try_clone(r, &clone));
	if (ckind->worker_start)
		ckind->worker_start(index);
	for (long i = 0; i < pairs / WORKERS; i++) {
		mio_source a, b;
		mio_token t = (mio_token)atomic_fetch_add(&issued, 1) + 1;
		ckind->pair(index, &a, &b);
		ASSERT_OK(mio_registry_register(clone ? clone : r, &a, t,
						MIO_READABLE | MIO_WRITABLE));
		ASSERT_EQ(ckind->write(&b, "x", 1), 1);
		/* Closed while registered, half of them the peer first. */
		if (i % 2) {
			ASSERT_OK(ckind->close(&b));
			ASSERT_OK(ckind->close(&a));
		} else {
			ASSERT_OK(ckind->close(&a));
			ASSERT_OK(ckind->close(&b));
		}
		ASSERT(a.fd == MIO_INVALID_FD && b.fd == MIO_INVALID_FD);
	}
	if (ckind->worker_end)
		ckind->worker_end(index);
	mio_registry_free(clone);
	return NULL;
}

static void check_close_token(mio_token t)
{
	if (t < 1 || t > (mio_token)atomic_load(&issued))
		FAIL_AT("event with a token never handed out: %ju",
			(uintmax_t)t);
}

static atomic_int arrived;

static void *arrive_main(void *arg)
{
	(void)arg;
	atomic_fetch_add(&arrived, 1);
	while (atomic_load(&arrived) < WORKERS + 1)
		sched_yield();
	return NULL;
}

/*
 * Whatever the process keeps from running WORKERS + 1 threads at once,
 * it has before counting: winpthreads keeps a handle per thread it ever
 * ran at the same time as others, for reuse.
 */
static void settle_threads(void)
{
	pthread_t threads[WORKERS + 1];

	for (int i = 0; i < WORKERS + 1; i++)
		ASSERT_EQ(pthread_create(&threads[i], NULL, arrive_main, NULL),
			  0);
	for (int i = 0; i < WORKERS + 1; i++)
		ASSERT_EQ(pthread_join(threads[i], NULL), 0);
}

void stress_close_run(const struct close_kind *k)
{
	int fds;

	ckind = k;
	if (k->settle)
		k->settle();
	settle_threads();
	fds = count_open_fds();

	pairs = STRESS_CLOSE_PAIRS / stress_divisor() / WORKERS * WORKERS;
	if (pairs < WORKERS)
		pairs = WORKERS;
	poller_start(&cpoller, 256, check_close_token);
	run_workers(close_main);
	poller_stop(&cpoller);
	ASSERT_UEQ(atomic_load(&issued), pairs);
	printf("%ld pairs made, registered and closed by %d threads; %ld "
	       "events polled meanwhile\n",
	       pairs, WORKERS, cpoller.events_seen);
	expect_no_events(cpoller.poll, cpoller.events);
	poller_free(&cpoller);
	ASSERT_EQ(count_open_fds(), fds);
}
