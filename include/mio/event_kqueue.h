#ifndef MIO_EVENT_KQUEUE_H
#define MIO_EVENT_KQUEUE_H

/*
 * On macOS, iOS and the BSDs an event is a struct kevent, as in mio: the
 * kernel writes straight into the caller's buffer, one filter per event
 * (a source registered for both directions can give two events in one
 * poll), and the token travels in udata. The accessors decode the filter
 * and flags exactly as mio's kqueue backend does.
 */

#include <stdint.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>

/*
 * Interest bits this platform defines: AIO completions where the kernel
 * delivers them through kqueue (FreeBSD, DragonFly, Apple systems), list
 * I/O completions on FreeBSD. Registering with them adds no filter: the
 * aiocb's sigevent names the kqueue and the token.
 */
#if defined(EVFILT_AIO) &&                                                     \
	(defined(__FreeBSD__) || defined(__DragonFly__) || defined(__APPLE__))
#define MIO_AIO ((mio_interest)0x04)
#define MIO__EVENT_HAS_AIO 1
#endif
#if defined(EVFILT_LIO) && defined(__FreeBSD__)
#define MIO_LIO ((mio_interest)0x08)
#define MIO__EVENT_HAS_LIO 1
#endif

#if defined(MIO_AIO) && defined(MIO_LIO)
#define MIO__INTEREST_PLATFORM_BITS 0x0c
#elif defined(MIO_AIO)
#define MIO__INTEREST_PLATFORM_BITS 0x04
#else
#define MIO__INTEREST_PLATFORM_BITS 0x00
#endif

struct mio_event {
	struct kevent raw_; /* private */
};

MIO_INLINE mio_token mio_event_token(const mio_event *e)
{
	/* udata is a pointer on most systems, an intptr_t on older NetBSD. */
	return (mio_token)(uintptr_t)e->raw_.udata;
}

/* The waker's EVFILT_USER event counts as readable, as an eventfd would. */
MIO_INLINE bool mio_event_is_readable(const mio_event *e)
{
#ifdef EVFILT_USER
	if (e->raw_.filter == EVFILT_USER)
		return true;
#endif
	return e->raw_.filter == EVFILT_READ;
}

MIO_INLINE bool mio_event_is_writable(const mio_event *e)
{
	return e->raw_.filter == EVFILT_WRITE;
}

/*
 * EV_ERROR, or EV_EOF with an error in fflags (the socket's pending error
 * when the peer reset or refused the connection).
 */
MIO_INLINE bool mio_event_is_error(const mio_event *e)
{
	return (e->raw_.flags & EV_ERROR) != 0 ||
	       ((e->raw_.flags & EV_EOF) != 0 && e->raw_.fflags != 0);
}

/* EV_EOF on the read filter: the peer shut down its write half. */
MIO_INLINE bool mio_event_is_read_closed(const mio_event *e)
{
	return e->raw_.filter == EVFILT_READ && (e->raw_.flags & EV_EOF) != 0;
}

/* EV_EOF on the write filter: no more writing is possible. */
MIO_INLINE bool mio_event_is_write_closed(const mio_event *e)
{
	return e->raw_.filter == EVFILT_WRITE && (e->raw_.flags & EV_EOF) != 0;
}

/* kqueue has no priority readiness. */
MIO_INLINE bool mio_event_is_priority(const mio_event *e)
{
	(void)e;
	return false;
}

MIO_INLINE bool mio_event_is_aio(const mio_event *e)
{
#ifdef MIO__EVENT_HAS_AIO
	return e->raw_.filter == EVFILT_AIO;
#else
	(void)e;
	return false;
#endif
}

MIO_INLINE bool mio_event_is_lio(const mio_event *e)
{
#ifdef MIO__EVENT_HAS_LIO
	return e->raw_.filter == EVFILT_LIO;
#else
	(void)e;
	return false;
#endif
}

#endif
