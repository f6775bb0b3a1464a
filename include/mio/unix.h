#ifndef MIO_UNIX_H
#define MIO_UNIX_H

/* POSIX definitions of the platform-dependent public types. */

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>

typedef ssize_t mio_ssize;

/* A descriptor as the OS names it. */
typedef int mio_raw_fd;
#define MIO_INVALID_FD (-1)

/* Same layout as struct iovec, so an array can go to readv/writev as is. */
typedef struct mio_iovec {
	void *base;
	size_t len;
} mio_iovec;

/*
 * The event layout follows the backend. A build that forces a backend the
 * platform does not default to defines MIO_EVENT_LAYOUT_* for its users
 * (the CMake target and pkg-config file carry it): kqueue on Linux
 * through libkqueue, poll(2) on the kqueue systems. The single-file
 * build reads MIO_FORCE_POLL itself.
 */
#if !defined(MIO_EVENT_LAYOUT_EPOLL) && !defined(MIO_EVENT_LAYOUT_KQUEUE) &&   \
	!defined(MIO_EVENT_LAYOUT_POLL)
#if defined(__linux__)
#define MIO_EVENT_LAYOUT_EPOLL 1
#elif defined(MIO_FORCE_POLL)
#define MIO_EVENT_LAYOUT_POLL 1
#else
#define MIO_EVENT_LAYOUT_KQUEUE 1
#endif
#endif

#if defined(MIO_EVENT_LAYOUT_EPOLL)
#include "event_epoll.h"
#elif defined(MIO_EVENT_LAYOUT_POLL)
#include "event_poll.h"
#else
#include "event_kqueue.h"
#endif

#endif
