/*
 * fork(): the child gets copies of the parent's polls, but not polls of
 * its own. On epoll the child's copy of the descriptor names the very
 * epoll set the parent uses; on kqueue the child has no kqueue at all.
 * So in the child, closing a source must not deregister it: that would
 * take it out of the parent's set (epoll) or act on a stale descriptor
 * number (kqueue). The child therefore forgets the table of live polls,
 * and *_close there only closes its copy of the descriptor.
 *
 * The table's lock is also taken across fork(), so that a child forked
 * while another thread held it does not inherit it locked.
 */

#include <pthread.h>

#include "internal.h"

static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static void before_fork(void)
{
	mio__polls_lock();
}

static void after_fork_parent(void)
{
	mio__polls_unlock();
}

/* Counts the forks this process descends from, through the handlers. */
static atomic_uint generation;

unsigned mio__fork_generation(void)
{
	return atomic_load_explicit(&generation, memory_order_relaxed);
}

static void after_fork_child(void)
{
	atomic_fetch_add_explicit(&generation, 1, memory_order_relaxed);
	mio__polls_forget_all();
	mio__polls_unlock();
}

static void install(void)
{
	/* Without handlers (ENOMEM), fork stays as it was: nothing to undo. */
	pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

void mio__fork_guard(void)
{
	pthread_once(&fork_once, install);
}
