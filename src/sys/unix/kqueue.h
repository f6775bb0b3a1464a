#ifndef MIO_SYS_UNIX_KQUEUE_H
#define MIO_SYS_UNIX_KQUEUE_H

/*
 * What the kqueue selector shares with the EVFILT_USER waker, which is
 * only ever built together with it.
 */

#include "internal.h"

/* The selector's kqueue descriptor. */
int mio__kqueue_fd(const struct mio__selector *sel);

#endif
