#ifndef MIO_TESTS_BARRIER_H
#define MIO_TESTS_BARRIER_H

/*
 * A thread barrier over a mutex and a condition variable: macOS has no
 * pthread_barrier_t, and this one works the same everywhere the tests
 * run (winpthreads on Windows). test_barrier_wait returns when `count`
 * threads have called it; the barrier is then ready for the next round.
 */

#include <pthread.h>

#include "test.h"

struct test_barrier {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned count;	  /* threads per round */
	unsigned waiting; /* arrived in this round */
	unsigned long round;
};

static inline void test_barrier_init(struct test_barrier *b, unsigned count)
{
	ASSERT(count > 0);
	ASSERT_EQ(pthread_mutex_init(&b->lock, NULL), 0);
	ASSERT_EQ(pthread_cond_init(&b->cond, NULL), 0);
	b->count = count;
	b->waiting = 0;
	b->round = 0;
}

static inline void test_barrier_wait(struct test_barrier *b)
{
	ASSERT_EQ(pthread_mutex_lock(&b->lock), 0);
	if (++b->waiting == b->count) {
		b->waiting = 0;
		b->round++;
		ASSERT_EQ(pthread_cond_broadcast(&b->cond), 0);
	} else {
		unsigned long round = b->round;
		/* Woken spuriously or not, only a new round ends the wait. */
		while (b->round == round)
			ASSERT_EQ(pthread_cond_wait(&b->cond, &b->lock), 0);
	}
	ASSERT_EQ(pthread_mutex_unlock(&b->lock), 0);
}

static inline void test_barrier_destroy(struct test_barrier *b)
{
	ASSERT_EQ(pthread_cond_destroy(&b->cond), 0);
	ASSERT_EQ(pthread_mutex_destroy(&b->lock), 0);
}

#endif
