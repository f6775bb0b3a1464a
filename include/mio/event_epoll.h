#ifndef MIO_EVENT_EPOLL_H
#define MIO_EVENT_EPOLL_H

/*
 * On Linux an event is a struct epoll_event, as in mio: the kernel writes
 * straight into the caller's buffer and the accessors decode its bits.
 * The poll(2) backend writes the same layout (POLL* and EPOLL* bits are
 * equal on Linux).
 */

#include <stdint.h>
#include <sys/epoll.h>

/* Interest bits this platform defines. */
#define MIO__INTEREST_PLATFORM_BITS 0x10
#define MIO_PRIORITY ((mio_interest)0x10)

struct mio_event {
	struct epoll_event raw_; /* private */
};

/*
 * The wait that mio.h's inline mio_poll_poll makes by itself where the
 * poll allows it (struct mio__poll_view): straight into the buffer.
 */
#define MIO__DIRECT_WAIT(fd, first, cap, ms)                                   \
	epoll_wait((fd), &(first)->raw_, (cap), (ms))

#define MIO__EV(e) ((e)->raw_.events)

MIO_INLINE mio_token mio_event_token(const mio_event *e)
{
	return (mio_token)e->raw_.data.u64;
}

MIO_INLINE bool mio_event_is_readable(const mio_event *e)
{
	return (MIO__EV(e) & (EPOLLIN | EPOLLPRI)) != 0;
}

MIO_INLINE bool mio_event_is_writable(const mio_event *e)
{
	return (MIO__EV(e) & EPOLLOUT) != 0;
}

MIO_INLINE bool mio_event_is_error(const mio_event *e)
{
	return (MIO__EV(e) & EPOLLERR) != 0;
}

/* Both halves closed, or FIN received / shutdown(SHUT_RD). */
MIO_INLINE bool mio_event_is_read_closed(const mio_event *e)
{
	uint32_t ev = MIO__EV(e);
	return (ev & EPOLLHUP) != 0 ||
	       ((ev & EPOLLIN) != 0 && (ev & EPOLLRDHUP) != 0);
}

/*
 * Both halves closed; or a pipe's write end whose reader is gone
 * (EPOLLOUT|EPOLLERR, or EPOLLERR alone).
 */
MIO_INLINE bool mio_event_is_write_closed(const mio_event *e)
{
	uint32_t ev = MIO__EV(e);
	return (ev & EPOLLHUP) != 0 ||
	       ((ev & EPOLLOUT) != 0 && (ev & EPOLLERR) != 0) || ev == EPOLLERR;
}

MIO_INLINE bool mio_event_is_priority(const mio_event *e)
{
	return (MIO__EV(e) & EPOLLPRI) != 0;
}

/* The kernel has no AIO or LIO readiness on Linux. */
#include "event_no_aio.h"

#undef MIO__EV

#endif
