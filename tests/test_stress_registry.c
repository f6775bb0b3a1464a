/*
 * Four threads register, reregister and deregister 10,000 sources, each
 * through its own registry clone, while a fifth thread polls. Every call
 * succeeds, every event carries a token some registration had, and once
 * everything is deregistered no event comes.
 *
 * The sources are owned UDP sockets on loopback, so the library tracks
 * them (a second register is MIO_EEXIST on every backend) and Windows
 * runs the test too; test_fd_stress_registry.c does the same with
 * borrowed descriptors, which the OS judges.
 */
/* ctest-labels: stress threads */

#include <pthread.h>
#include <stdatomic.h>

#include "test.h"

#define WORKERS 4
#define SOURCES 10000
#define PER_WORKER (SOURCES / WORKERS)
#define ROUNDS 20

/* Tokens say which source and which round registered it. */
#define TOKEN(src, round) ((mio_token)(src)*1000u + (mio_token)(round))

static mio_poll *poll;
static mio_udp_socket socks[SOURCES];
static mio_sockaddr addrs[SOURCES];
static atomic_int round_of[SOURCES]; /* the newest round that registered */
static atomic_bool stop_polling;
static atomic_long ops;
static long rounds;

struct worker {
	int index;
	pthread_t thread;
};

static void churn_one(mio_registry *r, int src, int round)
{
	mio_source *s = &socks[src].source;
	/* Readable too on every other round, so reregister changes things. */
	mio_interest again =
		(round & 1) ? MIO_READABLE | MIO_WRITABLE : MIO_WRITABLE;

	atomic_store(&round_of[src], round);
	ASSERT_OK(mio_registry_register(r, s, TOKEN(src, round), MIO_WRITABLE));
	ASSERT_ERR(mio_registry_register(r, s, TOKEN(src, round), MIO_WRITABLE),
		   MIO_EEXIST);
	ASSERT_OK(mio_registry_reregister(r, s, TOKEN(src, round), again));
	if (round & 1) {
		/* A datagram to itself makes the socket readable. */
		uint64_t one = 1;
		ASSERT_EQ(mio_udp_socket_send_to(&socks[src], &one, sizeof(one),
						 &addrs[src]),
			  sizeof(one));
	}
	ASSERT_OK(mio_registry_deregister(r, s));
	ASSERT_ERR(mio_registry_deregister(r, s), MIO_ENOENT);
	atomic_fetch_add_explicit(&ops, 5, memory_order_relaxed);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	mio_registry *r;

	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &r));
	for (int round = 1; round <= rounds; round++)
		for (int i = 0; i < PER_WORKER; i++)
			churn_one(r, w->index * PER_WORKER + i, round);
	mio_registry_free(r);
	return NULL;
}

/* The token must name a source and a round that registered it by now. */
static void check_token(mio_token t)
{
	uintmax_t src = t / 1000u, round = t % 1000u;

	if (src >= SOURCES || round < 1 || round > (uintmax_t)rounds ||
	    round > (uintmax_t)atomic_load(&round_of[src]))
		FAIL_AT("event with a token no registration had: %ju",
			(uintmax_t)t);
}

static mio_events *events;
static long events_seen;

/* The fifth thread: polls until the workers are done. */
static void *poller_main(void *arg)
{
	struct timespec t = ms_timeout(10);

	(void)arg;
	while (!atomic_load(&stop_polling)) {
		int n = mio_poll_poll(poll, events, &t);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		for (int i = 0; i < n; i++)
			check_token(mio_event_token(
				mio_events_at(events, (size_t)i)));
		events_seen += n;
	}
	return NULL;
}

static void four_threads_churn_while_one_polls(void)
{
	struct worker workers[WORKERS];
	pthread_t poller;
	mio_sockaddr any;

	if (!raise_fd_limit(SOURCES + 100))
		exit(TEST_SKIP);
	rounds = ROUNDS / stress_divisor();
	if (rounds < 2)
		rounds = 2;
	ASSERT_OK(mio_sockaddr_parse(&any, "127.0.0.1:0"));
	for (int i = 0; i < SOURCES; i++) {
		ASSERT_OK(mio_udp_socket_bind(&socks[i], &any));
		ASSERT_OK(mio_udp_socket_local_addr(&socks[i], &addrs[i]));
	}
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(1024, &events));
	ASSERT_EQ(pthread_create(&poller, NULL, poller_main, NULL), 0);
	for (int i = 0; i < WORKERS; i++) {
		workers[i].index = i;
		ASSERT_EQ(pthread_create(&workers[i].thread, NULL, worker_main,
					 &workers[i]),
			  0);
	}
	for (int i = 0; i < WORKERS; i++)
		ASSERT_EQ(pthread_join(workers[i].thread, NULL), 0);
	atomic_store(&stop_polling, true);
	ASSERT_EQ(pthread_join(poller, NULL), 0);
	ASSERT_EQ(atomic_load(&ops), (long)SOURCES * rounds * 5);
	printf("registry calls: %ld on %d sources from %d threads, %ld events "
	       "polled meanwhile\n",
	       atomic_load(&ops), SOURCES, WORKERS, events_seen);

	/* Everything is deregistered: nothing may be reported any more. */
	expect_no_events(poll, events);
	for (int i = 0; i < SOURCES; i++)
		ASSERT_OK(mio_udp_socket_close(&socks[i]));
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(four_threads_churn_while_one_polls);
	return test_summary();
}
