#ifndef MIO_SYS_SELECTOR_H
#define MIO_SYS_SELECTOR_H

/*
 * The one contract every backend meets. The build compiles exactly one
 * selector file (src/sys/unix/selector/epoll.c, poll.c, kqueue.c, or
 * src/sys/windows/selector.c) and one waker file, and the linker proves
 * that they define all of this.
 *
 * Shared code has already checked the arguments: interests are non-empty
 * and within the platform's bits, timeouts are valid, and the tracking of
 * owned sources (which poll a source belongs to) is done in registry.c.
 * Backends report errors as negative MIO_E* codes and never print.
 */

#include "mio.h"

struct mio__selector;
struct mio__waker;

/* Creates the OS event queue (close-on-exec). */
int mio__selector_new(struct mio__selector **out);

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

/*
 * The descriptor that mio.h's inline mio_poll_poll may wait on by itself
 * (epoll_wait into the caller's buffer), or -1 if every wait must come
 * here: emulated readiness, a waker that needs draining, another OS call.
 */
int mio__selector_wait_fd(const struct mio__selector *sel);

/* The OS queue's descriptor, or MIO_INVALID_FD if it is none. */
mio_raw_fd mio__selector_raw_fd(const struct mio__selector *sel);

/* Adds src->fd with token and interest (edge-triggered). */
int mio__selector_register(struct mio__selector *sel, mio_source *src,
			   mio_token token, mio_interest interest);

/* Replaces token and interest of a registered descriptor. */
int mio__selector_reregister(struct mio__selector *sel, mio_source *src,
			     mio_token token, mio_interest interest);

/* Removes it; no event for it is reported after this returns. */
int mio__selector_deregister(struct mio__selector *sel, mio_source *src);

/*
 * Called when I/O through the library on src returned MIO_EAGAIN in the
 * direction `dirs` (MIO_READABLE or MIO_WRITABLE). Backends whose edge
 * triggering is emulated re-arm exactly that direction; the others set
 * MIO__SELECTOR_NEEDS_REARM to 0 so the call is compiled out. For
 * mio_source_try_io, which cannot know the direction: no bit means "fn is
 * about to run" (the backend may note the readiness now, on this thread),
 * and both bits mean "unknown": the backend re-arms the registered
 * directions that were not ready before or are not ready after fn ran.
 */
void mio__selector_rearm(mio_source *src, mio_interest dirs);

/*
 * Registers a waker's descriptor for readable events under token. The
 * selector keeps it armed, and where `drain` is set, or where its edge
 * triggering is emulated, it empties the descriptor (reads until it would
 * block) before it returns a wake-up to the caller, so that every later
 * write is a new wake-up. The eventfd waker passes false: each write is an
 * edge for epoll already, and the epoll path then does no extra work.
 */
int mio__selector_register_waker(struct mio__selector *sel, mio_raw_fd fd,
				 mio_token token, bool drain);

/* Removes what mio__selector_register_waker added. */
void mio__selector_deregister_waker(struct mio__selector *sel, mio_raw_fd fd);

/* The waker: one per poll, registered with the selector under token. */
int mio__waker_new(struct mio__selector *sel, mio_token token,
		   struct mio__waker **out);

/* Async-signal-safe; may run on any thread. */
int mio__waker_wake(struct mio__waker *w);

void mio__waker_free(struct mio__waker *w);

#ifndef MIO__SELECTOR_NEEDS_REARM
#error "the build must define MIO__SELECTOR_NEEDS_REARM for its backend"
#endif

/* Reports a would-block result to the backend; free where unneeded. */
static inline mio_ssize mio__io_done(mio_source *src, mio_ssize ret,
				     mio_interest dir)
{
	if (MIO__SELECTOR_NEEDS_REARM && ret == MIO_EAGAIN)
		mio__selector_rearm(src, dir);
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
		mio__selector_rearm(src, dir);
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

#endif
