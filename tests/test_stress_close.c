/*
 * The close rule under threads: four threads make 40,000 loopback TCP
 * pairs in all, register one end, make it readable and close both ends
 * while registered (close deregisters first), while a fifth thread polls.
 * Descriptor numbers are reused all the time; every event must still
 * carry a token some registration had, nothing may be reported once all
 * is closed, and no descriptor may be left open. test_unix_stress_close.c
 * does the same with Unix stream pairs on POSIX.
 */
/* ctest-labels: stress threads */

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "inet.h"

#define WORKERS 4
#define PAIRS 40000

static mio_poll *the_poll;
static mio_events *events;
static long pairs;	    /* PAIRS, or fewer under MIO_TEST_SCALE */
static atomic_ulong issued; /* tokens handed out: 1 .. issued */
static atomic_bool stop_polling;
static long events_seen;

/*
 * A connected pair through the worker's listener. Both ends reset the
 * connection when closed, so that 40,000 of them leave no TIME_WAIT
 * behind to hold loopback ports.
 */
static void tcp_pair_from(mio_tcp_listener *l, const mio_sockaddr *addr,
			  mio_tcp_stream *a, mio_tcp_stream *b)
{
	int r;

	ASSERT_OK(mio_tcp_stream_connect(a, addr));
	while ((r = mio_tcp_listener_accept(l, b, NULL)) == MIO_EAGAIN)
		wait_fd(l->source.fd, POLLIN);
	ASSERT_OK(r);
	test_set_linger_zero(a->source.fd);
	test_set_linger_zero(b->source.fd);
}

static void *worker_main(void *arg)
{
	mio_registry *r = mio_poll_registry(the_poll);
	mio_registry *clone = NULL;
	long index = (long)(intptr_t)arg;
	mio_tcp_listener l;
	mio_sockaddr addr;

	/* Half the workers go through a clone of the registry. */
	if (index % 2 == 1)
		ASSERT_OK(mio_registry_try_clone(r, &clone));
	listen_on(AF_INET, &l, &addr);
	for (long i = 0; i < pairs / WORKERS; i++) {
		mio_tcp_stream a, b;
		mio_token t = (mio_token)atomic_fetch_add(&issued, 1) + 1;
		tcp_pair_from(&l, &addr, &a, &b);
		ASSERT_OK(mio_registry_register(clone ? clone : r, &a.source, t,
						MIO_READABLE | MIO_WRITABLE));
		ASSERT_EQ(mio_tcp_stream_write(&b, "x", 1), 1);
		/* Closed while registered, half of them the peer first. */
		if (i % 2) {
			ASSERT_OK(mio_tcp_stream_close(&b));
			ASSERT_OK(mio_tcp_stream_close(&a));
		} else {
			ASSERT_OK(mio_tcp_stream_close(&a));
			ASSERT_OK(mio_tcp_stream_close(&b));
		}
		ASSERT(a.source.fd == MIO_INVALID_FD &&
		       b.source.fd == MIO_INVALID_FD);
	}
	ASSERT_OK(mio_tcp_listener_close(&l));
	mio_registry_free(clone);
	return NULL;
}

static void *poller_main(void *arg)
{
	struct timespec t = ms_timeout(10);

	(void)arg;
	while (!atomic_load(&stop_polling)) {
		int n = mio_poll_poll(the_poll, events, &t);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		for (int i = 0; i < n; i++) {
			mio_token tok = mio_event_token(
				mio_events_at(events, (size_t)i));
			if (tok < 1 || tok > (mio_token)atomic_load(&issued))
				FAIL_AT("event with a token never handed out: "
					"%ju",
					(uintmax_t)tok);
		}
		events_seen += n;
	}
	return NULL;
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
 * Whatever the process keeps from its first socket and from running
 * WORKERS + 1 threads at once, it has before counting: Winsock keeps a
 * handle from the first socket (Wine's does), and winpthreads a handle
 * per thread it ever ran at the same time as others, for reuse.
 */
static void settle_process_handles(void)
{
	pthread_t threads[WORKERS + 1];
	mio_raw_fd sv[2];

	test_tcp_socket_pair(sv);
	test_close_socket(sv[0]);
	test_close_socket(sv[1]);
	for (int i = 0; i < WORKERS + 1; i++)
		ASSERT_EQ(pthread_create(&threads[i], NULL, arrive_main, NULL),
			  0);
	for (int i = 0; i < WORKERS + 1; i++)
		ASSERT_EQ(pthread_join(threads[i], NULL), 0);
}

static void close_registered_sources_while_polling(void)
{
	pthread_t workers[WORKERS], poller;
	int fds;

	settle_process_handles();
	fds = count_open_fds();

	pairs = PAIRS / stress_divisor() / WORKERS * WORKERS;
	if (pairs < WORKERS)
		pairs = WORKERS;
	ASSERT_OK(mio_poll_new(&the_poll));
	ASSERT_OK(mio_events_new(256, &events));
	ASSERT_EQ(pthread_create(&poller, NULL, poller_main, NULL), 0);
	for (long i = 0; i < WORKERS; i++)
		ASSERT_EQ(pthread_create(&workers[i], NULL, worker_main,
					 (void *)(intptr_t)i),
			  0);
	for (int i = 0; i < WORKERS; i++)
		ASSERT_EQ(pthread_join(workers[i], NULL), 0);
	atomic_store(&stop_polling, true);
	ASSERT_EQ(pthread_join(poller, NULL), 0);
	ASSERT_UEQ(atomic_load(&issued), pairs);
	printf("%ld pairs made, registered and closed by %d threads; %ld "
	       "events polled meanwhile\n",
	       pairs, WORKERS, events_seen);
	expect_no_events(the_poll, events);
	mio_events_free(events);
	mio_poll_free(the_poll);
	ASSERT_EQ(count_open_fds(), fds);
}

int main(void)
{
	RUN(close_registered_sources_while_polling);
	return test_summary();
}
