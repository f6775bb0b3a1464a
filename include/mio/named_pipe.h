#ifndef MIO_NAMED_PIPE_H
#define MIO_NAMED_PIPE_H

/* Windows only; included by mio.h (after struct mio_source). */

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
