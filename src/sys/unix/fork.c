/*
 * fork(): the child gets copies of the parent's polls, but not polls of
 * its own. On epoll the child's copy of the descriptor names the very
 * epoll set the parent uses; on kqueue the child has no kqueue at all.
 * So in the child, closing a source must not deregister it: that would
 * take it out of the parent's set (epoll) or act on a stale descriptor
 * number (kqueue). Every poll records the generation it was made in
 * (struct mio__anchor); the handler below counts forks, so that in the
 * child an inherited poll reads as another process's, and *_close there
 * only closes its copy of the descriptor.
 *
 * No lock is held across fork(): no register, close or re-arm path
 * takes a lock that the whole process shares, so there is none a child
 * could inherit taken.
 */

#include <pthread.h>

#include "internal.h"

static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

atomic_uint mio__forks;

static void after_fork_child(void)
{
	atomic_fetch_add_explicit(&mio__forks, 1, memory_order_relaxed);
}

static void install(void)
{
	/* Without handlers (ENOMEM), fork stays as it was: nothing to undo. */
	pthread_atfork(NULL, NULL, after_fork_child);
}

void mio__fork_guard(void)
{
	pthread_once(&fork_once, install);
}
