#ifndef MIO_TESTS_THREADS_CASES_H
#define MIO_TESTS_THREADS_CASES_H

/*
 * Registry calls from other threads while a thread is blocked in
 * mio_poll_poll (mio's register_during_poll), written once over the kinds
 * of source_pair.h: test_threads.c runs them on owned TCP streams,
 * test_fd_threads.c on borrowed descriptors. The fixture and the jobs
 * are here too, for the cases only one kind has.
 */

#include <pthread.h>

#include "source_pair.h"

enum { THREADS_WAKER_TOKEN = 1000 };

struct threads_fixture {
	mio_poll *poll;
	mio_registry *clone;
	mio_events *events;
	mio_waker *waker;
};

struct threads_fixture threads_setup(void);
void threads_teardown(struct threads_fixture *f);

/* Gives the main thread time to block in the poll; not an assertion. */
void threads_let_poll_block(void);

/*
 * The first event of one blocking poll (a long timeout, so that a lost
 * wake-up fails the test instead of hanging it).
 */
const mio_event *threads_blocking_poll(struct threads_fixture *f);

/* One byte from the peer, waited for (outside of any poll). */
void threads_send_byte(struct source_pair *p);

enum threads_action {
	REGISTER_READY,
	REGISTER_THEN_WRITE,
	REREGISTER_WRITABLE,
	DEREGISTER_THEN_WAKE,
	CLOSE_THEN_WAKE, /* kinds with close_source only */
};

/* What another thread does, after letting the poll block. */
struct threads_job {
	struct threads_fixture *f;
	mio_registry *reg;
	enum threads_action action;
	struct source_pair *p; /* registered with token 7 by the jobs */
};

void threads_start(pthread_t *t, struct threads_job *j);

/* A source registered by another thread is reported by the blocked poll. */
void threads_register_during_poll(const struct source_pair_kind *k);

/*
 * A reregistration made while blocked takes effect in that call: first
 * with nothing ready, then with a byte whose readable event was already
 * reported (and not read): the new interest, writable alone, reports
 * writable and not readable.
 */
void threads_reregister_during_poll(const struct source_pair_kind *k);

/*
 * Deregistered (or, action CLOSE_THEN_WAKE, closed) by another thread
 * while the poll is blocked: the data written afterwards is never
 * reported; the wake-up is.
 */
void threads_deregister_or_close_during_poll(const struct source_pair_kind *k,
					     enum threads_action action);

#endif
