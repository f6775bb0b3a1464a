/* The cases of threads_cases.h. */

#include <time.h>

#include "inet.h"
#include "threads_cases.h"

struct threads_fixture threads_setup(void)
{
	struct threads_fixture f;

	ASSERT_OK(mio_poll_new(&f.poll));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(f.poll), &f.clone));
	ASSERT_OK(mio_events_new(16, &f.events));
	ASSERT_OK(mio_waker_new(f.clone, THREADS_WAKER_TOKEN, &f.waker));
	return f;
}

void threads_teardown(struct threads_fixture *f)
{
	mio_waker_free(f->waker);
	mio_events_free(f->events);
	mio_registry_free(f->clone);
	mio_poll_free(f->poll);
}

void threads_let_poll_block(void)
{
	struct timespec t = { 0, 30 * 1000000L };

	nanosleep(&t, NULL);
}

const mio_event *threads_blocking_poll(struct threads_fixture *f)
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

void threads_send_byte(struct source_pair *p)
{
	ASSERT_EQ(p->kind->peer_write(p, "x", 1), 1);
	wait_fd(p->src->fd, POLLIN);
}

static void *run_job(void *arg)
{
	struct threads_job *j = arg;
	struct source_pair *p = j->p;

	threads_let_poll_block();
	switch (j->action) {
	case REGISTER_READY:
		ASSERT_OK(
			mio_registry_register(j->reg, p->src, 7, MIO_READABLE));
		break;
	case REGISTER_THEN_WRITE:
		ASSERT_OK(
			mio_registry_register(j->reg, p->src, 7, MIO_READABLE));
		threads_let_poll_block();
		ASSERT_EQ(p->kind->peer_write(p, "x", 1), 1);
		break;
	case REREGISTER_WRITABLE:
		ASSERT_OK(mio_registry_reregister(j->reg, p->src, 7,
						  MIO_WRITABLE));
		break;
	case DEREGISTER_THEN_WAKE:
		ASSERT_OK(mio_registry_deregister(j->reg, p->src));
		ASSERT_EQ(p->kind->peer_write(p, "x", 1), 1);
		ASSERT_OK(mio_waker_wake(j->f->waker));
		break;
	case CLOSE_THEN_WAKE:
		ASSERT_OK(p->kind->close_source(p));
		/* A duplicate keeps the connection open: the byte arrives. */
		ASSERT_EQ(p->kind->peer_write(p, "x", 1), 1);
		ASSERT_OK(mio_waker_wake(j->f->waker));
		break;
	}
	return NULL;
}

void threads_start(pthread_t *t, struct threads_job *j)
{
	ASSERT_EQ(pthread_create(t, NULL, run_job, j), 0);
}

void threads_register_during_poll(const struct source_pair_kind *k)
{
	for (int via_clone = 0; via_clone < 2; via_clone++) {
		struct threads_fixture f = threads_setup();
		pthread_t t;
		struct source_pair p;

		source_pair_open(k, &p);
		threads_send_byte(&p);
		struct threads_job j = { &f,
					 via_clone ? f.clone
						   : mio_poll_registry(f.poll),
					 REGISTER_READY, &p };
		threads_start(&t, &j);
		const mio_event *e = threads_blocking_poll(&f);
		ASSERT_UEQ(mio_event_token(e), 7);
		ASSERT(mio_event_is_readable(e));
		ASSERT_EQ(pthread_join(t, NULL), 0);
		k->close(&p);
		threads_teardown(&f);
	}
}

void threads_reregister_during_poll(const struct source_pair_kind *k)
{
	for (int pending = 0; pending < 2; pending++) {
		struct threads_fixture f = threads_setup();
		pthread_t t;
		struct source_pair p;

		source_pair_open(k, &p);
		ASSERT_OK(
			mio_registry_register(f.clone, p.src, 3, MIO_READABLE));
		if (pending) {
			struct expect_event want = { 3, EXPECT_READABLE };
			threads_send_byte(&p);
			expect_events(f.poll, f.events, &want, 1);
		}
		struct threads_job j = { &f, f.clone, REREGISTER_WRITABLE, &p };
		threads_start(&t, &j);
		const mio_event *e = threads_blocking_poll(&f);
		ASSERT_UEQ(mio_event_token(e), 7);
		ASSERT(mio_event_is_writable(e));
		ASSERT(!mio_event_is_readable(e));
		ASSERT_EQ(pthread_join(t, NULL), 0);
		k->close(&p);
		threads_teardown(&f);
	}
}

void threads_deregister_or_close_during_poll(const struct source_pair_kind *k,
					     enum threads_action action)
{
	for (int round = 0; round < 5; round++) {
		struct threads_fixture f = threads_setup();
		pthread_t t;
		struct source_pair p;
		mio_raw_fd keep = MIO_INVALID_FD;

		source_pair_open(k, &p);
		/* A duplicate elsewhere must not keep the events coming. */
		if (action == CLOSE_THEN_WAKE) {
			ASSERT(k->close_source != NULL);
			keep = test_dup_socket(p.src->fd);
		}
		ASSERT_OK(
			mio_registry_register(f.clone, p.src, 5, MIO_READABLE));
		struct threads_job j = { &f, mio_poll_registry(f.poll), action,
					 &p };
		threads_start(&t, &j);
		const mio_event *e = threads_blocking_poll(&f);
		ASSERT_UEQ(mio_event_token(e), THREADS_WAKER_TOKEN);
		ASSERT_UEQ(mio_events_len(f.events), 1);
		ASSERT_EQ(pthread_join(t, NULL), 0);
		expect_no_events(f.poll, f.events);
		if (action == CLOSE_THEN_WAKE) {
			ASSERT_EQ(p.src->fd, MIO_INVALID_FD);
			test_close_socket(keep);
		}
		k->close(&p);
		threads_teardown(&f);
	}
}
