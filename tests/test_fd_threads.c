/*
 * Registry calls on borrowed descriptors (mio_source_fd) from other
 * threads while a thread is blocked in mio_poll_poll: they take effect in
 * the blocked call, as in test_threads.c, which checks the same on
 * owned sources every platform has. POSIX-only.
 */
/* ctest-labels: threads */

#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

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

static void socketpair_nb(int sv[2])
{
	ASSERT_EQ(socketpair(AF_UNIX,
			     SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv),
		  0);
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
	REREGISTER_WRITABLE,
	DEREGISTER_THEN_WAKE,
};

struct job {
	struct fixture *f;
	mio_registry *reg;
	enum action action;
	mio_source *src;
	int peer;
};

static void *run_job(void *arg)
{
	struct job *j = arg;

	let_poll_block();
	switch (j->action) {
	case REGISTER_READY:
		ASSERT_OK(
			mio_registry_register(j->reg, j->src, 7, MIO_READABLE));
		break;
	case REREGISTER_WRITABLE:
		ASSERT_OK(mio_registry_reregister(j->reg, j->src, 7,
						  MIO_WRITABLE));
		break;
	case DEREGISTER_THEN_WAKE:
		ASSERT_OK(mio_registry_deregister(j->reg, j->src));
		ASSERT_EQ(write(j->peer, "x", 1), 1);
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
		int sv[2];

		socketpair_nb(sv);
		ASSERT_EQ(write(sv[1], "x", 1), 1);
		mio_source src = mio_source_fd(sv[0]);
		struct job j = { &f,
				 via_clone ? f.clone
					   : mio_poll_registry(f.poll),
				 REGISTER_READY, &src, sv[1] };
		start(&t, &j);
		const mio_event *e = blocking_poll(&f);
		ASSERT_UEQ(mio_event_token(e), 7);
		ASSERT(mio_event_is_readable(e));
		ASSERT_EQ(pthread_join(t, NULL), 0);
		close(sv[0]);
		close(sv[1]);
		teardown(&f);
	}
}

/* A reregistration made while blocked takes effect in that call. */
static void reregister_during_poll(void)
{
	struct fixture f = setup();
	pthread_t t;
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.clone, &src, 3, MIO_READABLE));
	struct job j = { &f, f.clone, REREGISTER_WRITABLE, &src, sv[1] };
	start(&t, &j);
	const mio_event *e = blocking_poll(&f);
	ASSERT_UEQ(mio_event_token(e), 7);
	ASSERT(mio_event_is_writable(e));
	ASSERT_EQ(pthread_join(t, NULL), 0);
	close(sv[0]);
	close(sv[1]);
	teardown(&f);
}

/*
 * Deregistered by another thread while the poll is blocked: the data
 * written afterwards is never reported; the wake-up is.
 */
static void deregister_during_poll(void)
{
	for (int round = 0; round < 5; round++) {
		struct fixture f = setup();
		pthread_t t;
		int sv[2];

		socketpair_nb(sv);
		mio_source src = mio_source_fd(sv[0]);
		ASSERT_OK(
			mio_registry_register(f.clone, &src, 5, MIO_READABLE));
		struct job j = { &f, mio_poll_registry(f.poll),
				 DEREGISTER_THEN_WAKE, &src, sv[1] };
		start(&t, &j);
		const mio_event *e = blocking_poll(&f);
		ASSERT_UEQ(mio_event_token(e), WAKER_TOKEN);
		ASSERT_UEQ(mio_events_len(f.events), 1);
		ASSERT_EQ(pthread_join(t, NULL), 0);
		expect_no_events(f.poll, f.events);
		close(sv[0]);
		close(sv[1]);
		teardown(&f);
	}
}

int main(void)
{
	RUN(register_during_poll);
	RUN(reregister_during_poll);
	RUN(deregister_during_poll);
	return test_summary();
}
