#ifndef MIO_INTERNAL_H
#define MIO_INTERNAL_H

/* Definitions shared by the portable layer and the backends. */

#include <stdlib.h>

#include "atomics.h"

#include "mio.h"
#include "platform.h"
#include "sys/selector.h"

/*
 * mio_source.flags_: 0 means never constructed (an all-zero object);
 * MIO__SOURCE_OWNED an object that owns its descriptor and tracks the
 * poll it is registered with (anchor_); MIO__SOURCE_BORROWED, in mio.h,
 * marks a mio_source_fd value.
 */
#define MIO__SOURCE_OWNED 0x1u
/*
 * mio_source.flags_: a mio_tcp_socket, neither listening nor connected,
 * which the registry refuses (its listener or stream is the source).
 * 0x2 is MIO__SOURCE_BORROWED; Windows uses 0x100 for named pipes.
 */
#define MIO__SOURCE_UNREGISTRABLE 0x4u
_Static_assert((MIO__SOURCE_UNREGISTRABLE &
		(MIO__SOURCE_OWNED | MIO__SOURCE_BORROWED)) == 0,
	       "mio_source.flags_ bits overlap");

/*
 * A poll's anchor: the state that the poll, its registry clones, its
 * waker and its registered owned sources share, any of which may be
 * freed or closed first, on any thread. A registered owned source points
 * to its poll's anchor (mio_source.anchor_), as a mio IoSource holds its
 * Selector: no table, and no lock shared by the whole process, stands
 * between a source and its poll.
 *
 *  - sel_refs counts who may use the selector: the poll, each clone,
 *    the waker, and a source for the length of one call into it
 *    (mio__anchor_enter). The last one out frees the selector, closing
 *    the OS queue, whatever sources still point to the anchor.
 *  - refs counts who points to the anchor's memory: the selector's users
 *    together count as one, and each registered owned source as one.
 *  - poll_freed: mio_poll_free was called. The poll's sources are
 *    unregistered from then on (the contract's lifetime rule), even
 *    while clones keep the selector alive.
 *  - fork_generation: the process that made it. In a forked child the
 *    anchor of an inherited poll is not the child's own: its sources
 *    never deregister from it (docs/fork.md).
 */
struct mio__anchor {
	atomic_uint refs;
	atomic_uint sel_refs;
	atomic_bool poll_freed;
	unsigned fork_generation;
	struct mio__selector *sel;
	mio_raw_fd raw_fd;     /* the OS queue's, for mio_registry_raw_fd */
	atomic_bool has_waker; /* one waker per poll (src/waker.c) */
};

struct mio_registry {
	struct mio__selector *sel;
	struct mio__anchor *anchor;
	bool is_clone;
};

struct mio_poll {
	struct mio__poll_view view; /* first: mio.h reads it */
	struct mio_registry registry;
};

/* Drops a reference to the anchor's memory; the last one frees it. */
static inline void mio__anchor_unref(struct mio__anchor *anchor)
{
	if (atomic_fetch_sub_explicit(&anchor->refs, 1, memory_order_acq_rel) ==
	    1)
		free(anchor);
}

/* Another user of a selector that the caller already uses. */
static inline void mio__anchor_hold(struct mio__anchor *anchor)
{
	atomic_fetch_add_explicit(&anchor->sel_refs, 1, memory_order_relaxed);
}

/*
 * Ends a use of the selector (mio__anchor_hold, mio__anchor_enter, or
 * the poll's, a clone's or a waker's own); the last one frees it.
 */
void mio__anchor_leave(struct mio__anchor *anchor);

/*
 * The selector of a source's poll, held for one call (end it with
 * mio__anchor_leave), or NULL when there is none to use: the poll was
 * freed, or it belongs to the parent of this forked process. Takes no
 * lock: one atomic increment, on the poll's own counter.
 */
static inline struct mio__selector *
mio__anchor_enter(struct mio__anchor *anchor)
{
	unsigned n;

	if (atomic_load_explicit(&anchor->poll_freed, memory_order_relaxed) ||
	    !mio__fork_is_own(anchor->fork_generation))
		return NULL;
	n = atomic_load_explicit(&anchor->sel_refs, memory_order_relaxed);
	do {
		/* Never from zero: the selector is being freed. */
		if (n == 0)
			return NULL;
	} while (!atomic_compare_exchange_weak_explicit(
		&anchor->sel_refs, &n, n + 1, memory_order_acquire,
		memory_order_relaxed));
	return anchor->sel;
}

/*
 * Whether a source pointing to anchor counts as registered with its
 * poll: the poll is alive and this process's own.
 */
static inline bool mio__anchor_live(struct mio__anchor *anchor)
{
	return !atomic_load_explicit(&anchor->poll_freed,
				     memory_order_relaxed) &&
	       mio__fork_is_own(anchor->fork_generation);
}

/* A timespec with no negative field and tv_nsec below a second. */
static inline bool mio__timespec_valid(const struct timespec *t)
{
	return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < 1000000000L;
}

/* Makes s an owned, unregistered source for fd. */
static inline void mio__source_init(mio_source *s, mio_raw_fd fd)
{
	s->fd = fd;
	s->flags_ = MIO__SOURCE_OWNED;
	s->anchor_ = NULL;
	s->state_ = NULL;
}

/* Makes s inert, as a closed or failed object is. */
static inline void mio__source_inert(mio_source *s)
{
	mio__source_init(s, MIO_INVALID_FD);
}

/*
 * Whether s has a descriptor to act on: not closed, and not an all-zero
 * object (whose fd 0 is no descriptor of its own; see mio.h). Any other
 * descriptor is decided by its number alone, in the one comparison the
 * plain validity check costs; only descriptor 0 looks at flags_ (and
 * only where the platform has one: Windows has no socket 0).
 */
static inline bool mio__source_usable(const mio_source *s)
{
	/*
	 * A volatile read keeps this load on descriptor 0's path: else the
	 * compiler shares it with the caller's own test of flags_ (owned or
	 * not) and every call pays two instructions for it.
	 */
	const volatile uint32_t *flags = &s->flags_;

	if (mio__fd_valid_nonzero(s->fd))
		return true;
	return s->fd == 0 && *flags != 0 && mio__fd_valid(s->fd);
}

/*
 * The argument check that every method of a socket or pipe object starts
 * with: NULL gives MIO_EINVAL, a closed or all-zero object MIO_EBADF.
 */
static inline int mio__source_check(const mio_source *s)
{
	if (s == NULL)
		return MIO_EINVAL;
	return mio__source_usable(s) ? 0 : MIO_EBADF;
}

/* mio__source_check, then a buffer (or iovec array) of len: NULL only if 0. */
static inline int mio__source_check_io(const mio_source *s, const void *buf,
				       size_t len)
{
	int err = mio__source_check(s);

	if (err == 0 && buf == NULL && len != 0)
		err = MIO_EINVAL;
	return err;
}

/*
 * Forgets an owned source's poll: deregisters it if that poll is alive
 * and this process's own (the close rule), and drops its reference to
 * the anchor. Nothing to do for a source that points to no anchor.
 */
void mio__source_detach(mio_source *s);

/*
 * What every from_fd constructor does: out (NULL gives MIO_EINVAL) is made
 * inert, which is what a failure leaves, then prepare readies fd for the
 * library (flags; a negative code refuses it), and out takes fd. On
 * failure fd stays open: it is still the caller's.
 */
int mio__source_adopt(mio_source *out, mio_raw_fd fd,
		      int (*prepare)(mio_raw_fd fd));

/*
 * The close rule: deregisters s if it is still registered with a live
 * poll, closes the descriptor, and leaves s inert. A no-op (0) on an
 * inert s, closed or all-zero.
 */
int mio__source_close(mio_source *s);

/*
 * A timeout in whole milliseconds for the OS wait, rounded up so that a
 * short timeout never becomes zero (as mio's as_millis rounding does),
 * and capped at max, the longest finite wait the OS call takes.
 */
static inline int64_t mio__timeout_ms(const struct timespec *t, int64_t max)
{
	int64_t ms = (int64_t)t->tv_nsec / 1000000;

	if ((int64_t)t->tv_nsec % 1000000 != 0)
		ms++;
	if (t->tv_sec > (max - ms) / 1000)
		return max;
	return ms + (int64_t)t->tv_sec * 1000;
}

/* The source of a socket or pipe object, or NULL for a NULL object. */
#define MIO__SRC(obj) ((obj) == NULL ? NULL : &(obj)->source)

static inline struct mio__events_view *mio__events_view(mio_events *ev)
{
	return (struct mio__events_view *)(void *)ev;
}

/* The events themselves, which follow the view (see mio.h). */
static inline mio_event *mio__events_buf(struct mio__events_view *view)
{
	return (mio_event *)(void *)((char *)view +
				     offsetof(struct mio__events_layout,
					      first));
}

#endif
