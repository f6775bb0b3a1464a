#ifndef MIO_SYS_UNIX_WAKER_H
#define MIO_SYS_UNIX_WAKER_H

/*
 * What a POSIX selector offers the wakers in src/sys/unix/waker/: a
 * descriptor of the waker's, watched for readable under its token. The
 * EVFILT_USER waker needs none of it: it lives in the kqueue itself.
 */

#include "internal.h"

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

/*
 * The eventfd and pipe wakers share waker/fd.c, which defines the waker
 * contract through these, defined by the one of them that is built.
 */

/* Makes the descriptors: rfd is watched, wfd written (they may be one). */
int mio__fd_waker_open(int *rfd, int *wfd);

/*
 * Writes one wake-up to wfd: 0, or the negative errno of the write
 * (-EAGAIN when it is full).
 */
int mio__fd_waker_signal(int wfd);

/* Makes room in a full descriptor, so that the next write is an edge. */
int mio__fd_waker_make_room(int rfd);

/* The `drain` mio__selector_register_waker gets. */
extern const bool mio__fd_waker_drain;

#endif
