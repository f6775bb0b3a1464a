#ifndef MIO_INTERNAL_H
#define MIO_INTERNAL_H

/* Definitions shared by the portable layer and the backends. */

#include "atomics.h"

#include "mio.h"
#include "platform.h"
#include "sys/selector.h"

/*
 * mio_source.flags_: the library owns the descriptor and tracks its poll.
 * (MIO__SOURCE_BORROWED, in mio.h, marks a mio_source_fd value; flags_ 0
 * is an all-zero object that no constructor filled in.)
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
 * The selector is shared by the poll, its registry clones and its waker,
 * which may be freed in any order: the last reference frees it.
 */
struct mio__anchor {
	atomic_uint refs;
	struct mio__selector *sel;
	uint64_t poll_id;
	atomic_bool has_waker; /* one waker per poll (src/waker.c) */
};

struct mio_registry {
	struct mio__selector *sel;
	struct mio__anchor *anchor;
	uint64_t poll_id; /* what owned sources record; never reused */
	bool is_clone;
};

struct mio_poll {
	struct mio__poll_view view; /* first: mio.h reads it */
	struct mio_registry registry;
};

void mio__anchor_release(struct mio__anchor *anchor);

/*
 * Live polls by id, so that a source can tell whether the poll it was
 * registered with still exists without touching freed memory.
 * Returns the selector of a live poll, or NULL. Call with the lock held.
 */
void mio__polls_lock(void);
void mio__polls_unlock(void);
struct mio__selector *mio__polls_find(uint64_t poll_id);
/* The i-th live poll's selector, or NULL past the end (lock held). */
struct mio__selector *mio__polls_at(size_t i);
/*
 * Empties the table without freeing any poll: in a forked child, whose
 * copies of the parent's polls are not its own. Call with the lock held.
 */
void mio__polls_forget_all(void);

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
	s->poll_id_ = 0;
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
