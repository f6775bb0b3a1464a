/*
 * Windows definitions of the platform-dependent public types, and the
 * Windows extensions (mio::windows).
 *
 * mio.h includes this file twice: first for the types it needs before
 * struct mio_source exists, then at its end for the extensions, which
 * embed a mio_source.
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

/*
 * Error codes: the negative errno values of the C runtime's errno.h.
 * Winsock, Win32 and NTSTATUS errors are mapped onto them.
 */
#define MIO_EAGAIN (-EAGAIN)
#define MIO_EINTR (-EINTR)
#define MIO_EINVAL (-EINVAL)
#define MIO_EBADF (-EBADF)
#define MIO_EEXIST (-EEXIST)
#define MIO_ENOENT (-ENOENT)
#define MIO_ENOMEM (-ENOMEM)
#define MIO_EMFILE (-EMFILE)
#define MIO_ENFILE (-ENFILE)
#define MIO_ENOBUFS (-ENOBUFS)
#define MIO_EPIPE (-EPIPE)
#define MIO_ECONNREFUSED (-ECONNREFUSED)
#define MIO_ECONNRESET (-ECONNRESET)
#define MIO_ECONNABORTED (-ECONNABORTED)
#define MIO_ENOTCONN (-ENOTCONN)
#define MIO_EISCONN (-EISCONN)
#define MIO_EINPROGRESS (-EINPROGRESS)
#define MIO_EALREADY (-EALREADY)
#define MIO_ETIMEDOUT (-ETIMEDOUT)
#define MIO_EADDRINUSE (-EADDRINUSE)
#define MIO_EADDRNOTAVAIL (-EADDRNOTAVAIL)
#define MIO_EAFNOSUPPORT (-EAFNOSUPPORT)
#define MIO_EDESTADDRREQ (-EDESTADDRREQ)
#define MIO_EMSGSIZE (-EMSGSIZE)
#define MIO_ENAMETOOLONG (-ENAMETOOLONG)
#define MIO_ENOTSUP (-ENOTSUP)
#define MIO_EACCES (-EACCES)
#define MIO_EPERM (-EPERM)
#define MIO_ENETUNREACH (-ENETUNREACH)
#define MIO_EHOSTUNREACH (-EHOSTUNREACH)
/* Additions beyond the contract's list. */
#define MIO_ENOSYS (-ENOSYS)
#define MIO_ENOTSOCK (-ENOTSOCK)
#define MIO_EIO (-EIO)
#define MIO_ENETDOWN (-ENETDOWN)
#define MIO_EPROTONOSUPPORT (-EPROTONOSUPPORT)
#define MIO_ECANCELED (-ECANCELED)

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
MIO_INLINE bool mio_event_is_aio(const mio_event *e)
{
	(void)e;
	return false;
}

MIO_INLINE bool mio_event_is_lio(const mio_event *e)
{
	(void)e;
	return false;
}

#elif !defined(MIO_WIN_EXT_H)
#define MIO_WIN_EXT_H

/* ---------------------------------------------------------------------- */
/* Named pipes (Windows, mio::windows::NamedPipe)                          */

/*
 * A non-blocking named pipe, server or client end, driven by overlapped
 * I/O on the poll's completion port. As in mio, the library keeps one
 * read buffer and one write buffer per pipe (allocated once, when the
 * object is made) and translates completions into readiness:
 *
 *  - mio_named_pipe_read copies out of the read buffer; while the buffer
 *    is empty and a read is in flight it returns MIO_EAGAIN, and a
 *    readable event follows when data (or end of stream) arrives. The
 *    peer closing its end reads as 0 (end of stream).
 *  - mio_named_pipe_write copies as much as fits into the write buffer
 *    and starts an overlapped write; while that write is in flight it
 *    returns MIO_EAGAIN, and a writable event follows when it completes.
 *    An error of a completed write is returned by the next write.
 *  - Until the pipe is registered, read and write return MIO_EAGAIN.
 *
 * The interest passed to the registry is ignored: a registered pipe
 * reports both readable and writable readiness, as mio's does. A pipe is
 * registered with one poll for its lifetime: the handle stays associated
 * with that poll's completion port even after deregister.
 *
 * Pipe names are UTF-8, e.g. "\\\\.\\pipe\\my-pipe".
 */
typedef struct mio_named_pipe {
	mio_source source;
} mio_named_pipe;

/*
 * Creates the first instance of a server pipe (duplex, byte mode,
 * overlapped, not inheritable, remote clients rejected). MIO_EACCES if a
 * pipe of that name exists already. Then register it and call
 * mio_named_pipe_connect.
 */
MIO_EXTERN int mio_named_pipe_new(mio_named_pipe *out, const char *name);

/*
 * Opens the client end of an existing pipe (duplex, overlapped, not
 * inheritable). MIO_ENOENT if no such pipe exists, MIO_EAGAIN if every
 * instance is busy.
 */
MIO_EXTERN int mio_named_pipe_open(mio_named_pipe *out, const char *name);

/*
 * Adopts a pipe handle opened with FILE_FLAG_OVERLAPPED (mio's
 * from_raw_handle); it is owned from then on. A failure leaves it yours.
 */
MIO_EXTERN int mio_named_pipe_from_handle(mio_named_pipe *out, HANDLE handle);

/*
 * Server end: waits for a client. Returns 0 when one is connected
 * already, or MIO_EAGAIN while the connection is pending: a writable
 * event reports it, and mio_named_pipe_take_error then gives its outcome.
 * Register the pipe first: MIO_EINVAL otherwise, since the completion
 * would have no port to go to.
 */
MIO_EXTERN int mio_named_pipe_connect(mio_named_pipe *p);

/*
 * Server end: drops the connected client (DisconnectNamedPipe), so that
 * mio_named_pipe_connect can wait for the next one.
 */
MIO_EXTERN int mio_named_pipe_disconnect(mio_named_pipe *p);

/* 0, or the error of the last connect attempt (cleared). */
MIO_EXTERN int mio_named_pipe_take_error(mio_named_pipe *p);

/* Reads up to len bytes: the count, 0 at end of stream, or an error. */
MIO_EXTERN mio_ssize mio_named_pipe_read(mio_named_pipe *p, void *buf,
					 size_t len);

/* Writes up to len bytes (as many as the write buffer takes). */
MIO_EXTERN mio_ssize mio_named_pipe_write(mio_named_pipe *p, const void *buf,
					  size_t len);

/*
 * Deregisters if registered, cancels a pending connect and read, and
 * closes the handle; a write in flight is allowed to finish, as in mio.
 * The object is inert afterwards; closing it again is a no-op.
 */
MIO_EXTERN int mio_named_pipe_close(mio_named_pipe *p);

#endif
