/*
 * Windows definitions of the platform-dependent public types. The
 * Windows extensions (mio::windows) are in mio/named_pipe.h, which mio.h
 * includes at its end, once struct mio_source exists.
 */

#ifndef MIO_WIN_H
#define MIO_WIN_H

#include <errno.h>
#include <stdint.h>
#include <winsock2.h>
#include <ws2tcpip.h>

typedef intptr_t mio_ssize;

/* A socket (SOCKET) or, for a named pipe, its HANDLE. */
typedef uintptr_t mio_raw_fd;
#define MIO_INVALID_FD ((mio_raw_fd)INVALID_SOCKET)

/* Same layout as WSABUF, so an array goes to WSARecv/WSASend as is. */
typedef struct mio_iovec {
	ULONG len;
	char *base;
} mio_iovec;

/* No interest bits beyond readable and writable. */
#define MIO__INTEREST_PLATFORM_BITS 0

/* The AFD driver's poll bits, which an event carries (private). */
#define MIO__AFD_POLL_RECEIVE 0x0001u
#define MIO__AFD_POLL_RECEIVE_EXPEDITED 0x0002u
#define MIO__AFD_POLL_SEND 0x0004u
#define MIO__AFD_POLL_DISCONNECT 0x0008u
#define MIO__AFD_POLL_ABORT 0x0010u
#define MIO__AFD_POLL_LOCAL_CLOSE 0x0020u
#define MIO__AFD_POLL_ACCEPT 0x0080u
#define MIO__AFD_POLL_CONNECT_FAIL 0x0100u

/*
 * An event is as large as an OVERLAPPED_ENTRY, so the completion port
 * writes straight into the caller's mio_events and each entry is decoded
 * in place. flags_ holds AFD poll bits, as in mio.
 */
struct mio_event {
	mio_token token_;	/* private */
	uintptr_t reserved_[2]; /* private */
	uint32_t flags_;	/* private */
};

#define MIO__EV_READABLE                                                       \
	(MIO__AFD_POLL_RECEIVE | MIO__AFD_POLL_DISCONNECT |                    \
	 MIO__AFD_POLL_ACCEPT | MIO__AFD_POLL_ABORT |                          \
	 MIO__AFD_POLL_CONNECT_FAIL)
#define MIO__EV_WRITABLE                                                       \
	(MIO__AFD_POLL_SEND | MIO__AFD_POLL_ABORT | MIO__AFD_POLL_CONNECT_FAIL)
#define MIO__EV_READ_CLOSED                                                    \
	(MIO__AFD_POLL_DISCONNECT | MIO__AFD_POLL_ABORT |                      \
	 MIO__AFD_POLL_CONNECT_FAIL)
#define MIO__EV_WRITE_CLOSED (MIO__AFD_POLL_ABORT | MIO__AFD_POLL_CONNECT_FAIL)

MIO_INLINE mio_token mio_event_token(const mio_event *e)
{
	return e->token_;
}

MIO_INLINE bool mio_event_is_readable(const mio_event *e)
{
	return (e->flags_ & MIO__EV_READABLE) != 0;
}

MIO_INLINE bool mio_event_is_writable(const mio_event *e)
{
	return (e->flags_ & MIO__EV_WRITABLE) != 0;
}

/* A failed connect, or a poll request that failed. */
MIO_INLINE bool mio_event_is_error(const mio_event *e)
{
	return (e->flags_ & MIO__AFD_POLL_CONNECT_FAIL) != 0;
}

/* The peer shut down its write half, or the connection is gone. */
MIO_INLINE bool mio_event_is_read_closed(const mio_event *e)
{
	return (e->flags_ & MIO__EV_READ_CLOSED) != 0;
}

/* The connection was reset or never established. */
MIO_INLINE bool mio_event_is_write_closed(const mio_event *e)
{
	return (e->flags_ & MIO__EV_WRITE_CLOSED) != 0;
}

MIO_INLINE bool mio_event_is_priority(const mio_event *e)
{
	return (e->flags_ & MIO__AFD_POLL_RECEIVE_EXPEDITED) != 0;
}

/* Windows has no AIO or LIO readiness. */
#include "event_no_aio.h"

#endif
