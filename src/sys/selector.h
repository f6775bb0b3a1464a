#ifndef MIO_SYS_SELECTOR_H
#define MIO_SYS_SELECTOR_H

/*
 * The one contract every backend meets. The build compiles exactly one
 * selector and one waker: on POSIX a selector file
 * (src/sys/unix/selector/epoll.c, kqueue.c, or poll.c with its
 * poll_borrowed.c) and a waker file (src/sys/unix/waker/kqueue.c, or
 * fd.c with the eventfd.c or pipe.c that gives it its descriptors); on
 * Windows src/sys/windows/selector.c and
 * src/sys/windows/waker.c. The linker proves that they define all of
 * this. How a POSIX selector hosts its waker's descriptor is in
 * src/sys/unix/waker.h; the Windows files share win_internal.h.
 *
 * Shared code has already checked the arguments: interests are non-empty
 * and within the platform's bits, timeouts are valid, and the tracking of
 * owned sources (which poll a source belongs to, mio_source.anchor_) is
 * done in registry.c. Backends report errors as negative MIO_E* codes and
 * never print.
 */

#include "mio.h"

struct mio__anchor;
struct mio__selector;
struct mio__waker;

/* What a selector hands over once, at creation, for the poll's life. */
struct mio__selector_fds {
	/*
	 * The descriptor that mio.h's inline mio_poll_poll may wait on by
	 * itself (MIO__DIRECT_WAIT: epoll_wait into the caller's buffer),
	 * or -1 if every wait must come to mio__selector_select: emulated
	 * readiness, a waker that needs draining, another OS call.
	 */
	int wait_fd;
	/* The OS queue's descriptor, or MIO_INVALID_FD if it is none. */
	mio_raw_fd raw_fd;
};

/*
 * Creates the OS event queue (close-on-exec) for the poll whose anchor
 * is `anchor` (not yet initialised: the backend may keep the pointer,
 * not read it), and fills in *fds.
 */
int mio__selector_new(struct mio__anchor *anchor, struct mio__selector **out,
		      struct mio__selector_fds *fds);

/* Closes the queue and frees what the backend owns. */
void mio__selector_free(struct mio__selector *sel);

/*
 * Waits and writes at most events->cap events, setting events->len.
 * timeout NULL waits forever. Returns the count or a negative code;
 * MIO_EINTR is returned, not retried.
 */
int mio__selector_select(struct mio__selector *sel,
			 struct mio__events_view *events,
			 const struct timespec *timeout);

/* Adds src->fd with token and interest (edge-triggered). */
int mio__selector_register(struct mio__selector *sel, mio_source *src,
			   mio_token token, mio_interest interest);

/* Replaces token and interest of a registered descriptor. */
int mio__selector_reregister(struct mio__selector *sel, mio_source *src,
			     mio_token token, mio_interest interest);

/* Removes it; no event for it is reported after this returns. */
int mio__selector_deregister(struct mio__selector *sel, mio_source *src);

#ifndef MIO__SELECTOR_NEEDS_REARM
#error "the build must define MIO__SELECTOR_NEEDS_REARM for its backend"
#endif

#if MIO__SELECTOR_NEEDS_REARM
/*
 * Backends whose edge triggering is emulated (poll(2), AFD) disarm a
 * direction when they report it, and need to hear when I/O through the
 * library has consumed it. They reach the source's poll through the
 * source (mio_source.anchor_, or for a borrowed descriptor, a record
 * kept by descriptor), never through state of the whole process.
 *
 * mio__selector_try_io_begin: mio_source_try_io is about to run its
 * function, whose direction it cannot know. Returns the directions
 * (MIO_READABLE, MIO_WRITABLE, MIO_PRIORITY bits) src is ready for now,
 * or 0 where nothing needs noting; the caller hands that back to
 * mio__selector_rearm.
 *
 * mio__selector_rearm: I/O in the directions `dirs` would block (or
 * otherwise consumed their readiness): wait for them again, those that
 * are registered. A direction in `before` that is still ready now did
 * not block, and waiting for it again would report it again at once: it
 * is left alone. Library I/O knows its one direction and passes 0;
 * try_io passes both directions and what try_io_begin returned.
 */
mio_interest mio__selector_try_io_begin(mio_source *src);
void mio__selector_rearm(mio_source *src, mio_interest dirs,
			 mio_interest before);
#else
/* The kernel's edge triggering needs no help: compiled out. */
static inline mio_interest mio__selector_try_io_begin(mio_source *src)
{
	(void)src;
	return 0;
}

static inline void mio__selector_rearm(mio_source *src, mio_interest dirs,
				       mio_interest before)
{
	(void)src;
	(void)dirs;
	(void)before;
}
#endif

/*
 * Reports the result of library I/O in direction `dir` (MIO_READABLE or
 * MIO_WRITABLE): a would-block re-arms that direction. Free where
 * readiness is the kernel's. With mio__stream_io_done below, which adds
 * the short read or write of a stream, the only places where a result
 * becomes a re-arm.
 */
static inline mio_ssize mio__io_done(mio_source *src, mio_ssize ret,
				     mio_interest dir)
{
	if (MIO__SELECTOR_NEEDS_REARM && ret == MIO_EAGAIN)
		mio__selector_rearm(src, dir, 0);
	return ret;
}

/*
 * The same for a read or write of `len` bytes on a stream socket or a
 * pipe, where a short count (0 < ret < len) also means that the source
 * is drained or full: the caller may stop there, so the direction is
 * re-armed as on a would-block (API.md, "Short reads and writes end the
 * loop"). A zero-length call and end of file re-arm nothing. Free where
 * unneeded.
 */
static inline mio_ssize mio__stream_io_done(mio_source *src, mio_ssize ret,
					    size_t len, mio_interest dir)
{
	if (MIO__SELECTOR_NEEDS_REARM &&
	    (ret == MIO_EAGAIN || (ret > 0 && (size_t)ret < len)))
		mio__selector_rearm(src, dir, 0);
	return ret;
}

/* mio__stream_io_done for scatter/gather: len is the buffers' total. */
static inline mio_ssize mio__stream_iov_done(mio_source *src, mio_ssize ret,
					     const mio_iovec *iov, size_t n,
					     mio_interest dir)
{
	size_t total = 0;

	if (!MIO__SELECTOR_NEEDS_REARM || ret <= 0)
		return mio__io_done(src, ret, dir);
	for (size_t i = 0; i < n; i++)
		total += iov[i].len;
	return mio__stream_io_done(src, ret, total, dir);
}

/* The waker: one per poll, made on the poll's selector under token. */
int mio__waker_new(struct mio__selector *sel, mio_token token,
		   struct mio__waker **out);

/* Async-signal-safe; may run on any thread. */
int mio__waker_wake(struct mio__waker *w);

/*
 * Frees the waker. `own_queue` is false in a forked child, whose copy of
 * the poll's queue (an epoll set, a kqueue number) is the parent's: the
 * waker then leaves it alone and only closes its own descriptors.
 */
void mio__waker_free(struct mio__waker *w, bool own_queue);

#endif
