/*
 * Registry calls from other threads while a thread is blocked in
 * mio_poll_poll (mio's register_during_poll): they take effect in the
 * blocked call; deregister and close there stop the source's events.
 * The sources are loopback TCP streams and UDP sockets, which every
 * platform has; the cases that hold for borrowed descriptors too are
 * written once in threads_cases.c, and test_fd_threads.c runs them there.
 */
/* ctest-labels: threads */

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "barrier.h"
#include "inet.h"
#include "threads_cases.h"

/* The cases every kind of source has (threads_cases.h), on owned ones. */
static void register_during_poll(void)
{
	threads_register_during_poll(&source_pair_tcp);
}

/* Registered while blocked, ready later: still reported. */
static void register_then_ready_during_poll(void)
{
	struct threads_fixture f = threads_setup();
	pthread_t t;
	struct source_pair p;

	source_pair_open(&source_pair_tcp, &p);
	struct threads_job j = { &f, f.clone, REGISTER_THEN_WRITE, &p };
	threads_start(&t, &j);
	const mio_event *e = threads_blocking_poll(&f);
	ASSERT_UEQ(mio_event_token(e), 7);
	ASSERT(mio_event_is_readable(e));
	ASSERT_EQ(pthread_join(t, NULL), 0);
	/* Owned sources only: the registry knows it is registered. */
	ASSERT_ERR(mio_registry_register(mio_poll_registry(f.poll), p.src, 1,
					 MIO_READABLE),
		   MIO_EEXIST);
	p.kind->close(&p);
	threads_teardown(&f);
}

static void reregister_during_poll(void)
{
	threads_reregister_during_poll(&source_pair_tcp);
}

static void deregister_during_poll(void)
{
	threads_deregister_or_close_during_poll(&source_pair_tcp,
						DEREGISTER_THEN_WAKE);
}

/* Owned sources only: the close rule deregisters. */
static void close_during_poll(void)
{
	threads_deregister_or_close_during_poll(&source_pair_tcp,
						CLOSE_THEN_WAKE);
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
	struct threads_fixture f = threads_setup();
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
	threads_teardown(&f);
}

enum { OWNED = 32 };

struct closer {
	mio_udp_socket *u;
	struct test_barrier *barrier;
};

static void *close_all(void *arg)
{
	struct closer *c = arg;

	test_barrier_wait(c->barrier);
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
		struct test_barrier barrier;
		pthread_t t;

		ASSERT_OK(mio_poll_new(&poll));
		for (int i = 0; i < OWNED; i++) {
			ASSERT_OK(mio_udp_socket_bind(&u[i], &any));
			ASSERT_OK(mio_registry_register(
				mio_poll_registry(poll), &u[i].source,
				(mio_token)i, MIO_READABLE));
		}
		test_barrier_init(&barrier, 2);
		struct closer c = { u, &barrier };
		ASSERT_EQ(pthread_create(&t, NULL, close_all, &c), 0);
		test_barrier_wait(&barrier);
		mio_poll_free(poll);
		ASSERT_EQ(pthread_join(t, NULL), 0);
		for (int i = 0; i < OWNED; i++)
			ASSERT_EQ(u[i].source.fd, MIO_INVALID_FD);
		test_barrier_destroy(&barrier);
		ASSERT_EQ(count_open_fds(), before);
	}
}

/*
 * The OS's error texts are filled on first use: threads asking for them
 * at once all get the same, stable pointer for a code.
 */
enum { TEXT_THREADS = 4, TEXT_CODES = 160 };

struct text_job {
	struct test_barrier *barrier;
	const char *msg[TEXT_CODES];
	const char *name[TEXT_CODES];
};

static void *read_texts(void *arg)
{
	struct text_job *j = arg;

	test_barrier_wait(j->barrier);
	for (int e = 1; e < TEXT_CODES; e++) {
		j->msg[e] = mio_strerror(-e);
		j->name[e] = mio_err_name(-e);
	}
	return NULL;
}

static void error_texts_from_many_threads(void)
{
	static struct text_job jobs[TEXT_THREADS];
	struct test_barrier barrier;
	pthread_t t[TEXT_THREADS];

	test_barrier_init(&barrier, TEXT_THREADS);
	for (int i = 0; i < TEXT_THREADS; i++) {
		jobs[i].barrier = &barrier;
		ASSERT_EQ(pthread_create(&t[i], NULL, read_texts, &jobs[i]), 0);
	}
	for (int i = 0; i < TEXT_THREADS; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	test_barrier_destroy(&barrier);
	for (int e = 1; e < TEXT_CODES; e++) {
		const char *msg = mio_strerror(-e);
		for (int i = 0; i < TEXT_THREADS; i++) {
			ASSERT(jobs[i].msg[e] == msg);
			ASSERT(jobs[i].name[e] == mio_err_name(-e));
		}
		ASSERT(msg[0] != '\0');
	}
	ASSERT_STR_EQ(mio_err_name(-ENOSPC), "ENOSPC");
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
	RUN(error_texts_from_many_threads);
	return test_summary();
}
