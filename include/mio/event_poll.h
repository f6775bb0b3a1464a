#ifndef MIO_EVENT_POLL_H
#define MIO_EVENT_POLL_H

/*
 * The poll(2) backend's event where the system's own layout is not
 * epoll's: a build with MIO_FORCE_POLL on macOS and the BSDs, which have
 * no struct epoll_event to fill (on Linux the poll(2) backend writes
 * struct epoll_event, whose bits equal poll's). As in mio's poll backend,
 * an event is a token and readiness bits: poll(2)'s revents, translated
 * into the MIO__POLL_* bits below so that this header need not include
 * <poll.h> (whose poll() would clash with a user's variable of that
 * name). Where poll(2) has no POLLRDHUP, the backend finds a stream
 * socket's read side closed by itself.
 */

#include <stdint.h>

/* Interest bits this platform defines: none beyond the portable ones. */
#define MIO__INTEREST_PLATFORM_BITS 0x00

/* The readiness bits of an event. */
#define MIO__POLL_IN 0x01u    /* POLLIN */
#define MIO__POLL_PRI 0x02u   /* POLLPRI */
#define MIO__POLL_OUT 0x04u   /* POLLOUT */
#define MIO__POLL_ERR 0x08u   /* POLLERR */
#define MIO__POLL_HUP 0x10u   /* POLLHUP */
#define MIO__POLL_RDHUP 0x20u /* POLLRDHUP, or the read side found closed */

struct mio__poll_event {
	mio_token token;
	uint32_t events; /* MIO__POLL_* */
};

struct mio_event {
	struct mio__poll_event raw_; /* private */
};

#define MIO__EV(e) ((e)->raw_.events)

MIO_INLINE mio_token mio_event_token(const mio_event *e)
{
	return e->raw_.token;
}

MIO_INLINE bool mio_event_is_readable(const mio_event *e)
{
	return (MIO__EV(e) & (MIO__POLL_IN | MIO__POLL_PRI)) != 0;
}

MIO_INLINE bool mio_event_is_writable(const mio_event *e)
{
	return (MIO__EV(e) & MIO__POLL_OUT) != 0;
}

MIO_INLINE bool mio_event_is_error(const mio_event *e)
{
	return (MIO__EV(e) & MIO__POLL_ERR) != 0;
}

/* Both halves closed, or FIN received / shutdown(SHUT_RD). */
MIO_INLINE bool mio_event_is_read_closed(const mio_event *e)
{
	return (MIO__EV(e) & (MIO__POLL_HUP | MIO__POLL_RDHUP)) != 0;
}

/*
 * Both halves closed; or a pipe's write end whose reader is gone
 * (POLLOUT|POLLERR, or POLLERR alone).
 */
MIO_INLINE bool mio_event_is_write_closed(const mio_event *e)
{
	uint32_t ev = MIO__EV(e);
	return (ev & MIO__POLL_HUP) != 0 ||
	       ((ev & MIO__POLL_OUT) != 0 && (ev & MIO__POLL_ERR) != 0) ||
	       ev == MIO__POLL_ERR;
}

MIO_INLINE bool mio_event_is_priority(const mio_event *e)
{
	return (MIO__EV(e) & MIO__POLL_PRI) != 0;
}

/* poll(2) has no AIO or LIO readiness. */
#include "event_no_aio.h"

#undef MIO__EV

#endif
