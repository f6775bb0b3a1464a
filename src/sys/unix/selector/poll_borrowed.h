#ifndef MIO_SYS_UNIX_SELECTOR_POLL_BORROWED_H
#define MIO_SYS_UNIX_SELECTOR_POLL_BORROWED_H

/*
 * Which polls have a descriptor registered through a borrowed value
 * (mio_source_fd), for the poll(2) selector (poll_borrowed.c): a
 * borrowed value carries no poll, and a fresh one may re-arm what
 * another registered, so its re-arm finds the polls by descriptor.
 */

#include "internal.h"

/* Notes that anchor's poll registered fd; 0 or MIO_ENOMEM. */
int mio__borrowed_add(int fd, struct mio__anchor *anchor);

/* Forgets one such note (deregistration, or the selector's end). */
void mio__borrowed_remove(int fd, struct mio__anchor *anchor);

/*
 * Calls fn(sel, fd, ctx) with the selector of each live poll that has
 * fd registered through a borrowed value, holding that selector while
 * fn runs, and no lock.
 */
void mio__borrowed_each(int fd,
			void (*fn)(struct mio__selector *sel, int fd,
				   void *ctx),
			void *ctx);

#endif
