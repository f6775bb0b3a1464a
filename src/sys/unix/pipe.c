/*
 * mio_pipe_sender and mio_pipe_receiver: mio::unix::pipe. Pipes are not
 * sockets, so writes cannot be kept from raising SIGPIPE: writing after
 * the receiver is gone raises it unless the process ignores it (then the
 * write gives MIO_EPIPE), exactly as in mio.
 */

#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>

#include "internal.h"

/*
 * pipe(2), then fcntl: the path for systems without pipe2 (macOS). Not
 * static, so that the tests run it on every system.
 */
int mio__pipe_open_fallback(int fds[2]);

int mio__pipe_open(int fds[2])
{
#if defined(__linux__) || defined(__ANDROID__) || defined(__FreeBSD__) ||      \
	defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__)
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
#endif
	return mio__pipe_open_fallback(fds);
}

int mio__pipe_open_fallback(int fds[2])
{
	int err;

	if (pipe(fds) < 0)
		return -errno;
	err = mio__fd_adopt(fds[0]);
	if (err == 0)
		err = mio__fd_adopt(fds[1]);
	if (err < 0) {
		mio__fd_close(fds[0]);
		mio__fd_close(fds[1]);
	}
	return err;
}

void mio__pipe_drain(int fd)
{
	char sink[64];

	while (read(fd, sink, sizeof(sink)) == (ssize_t)sizeof(sink))
		;
}

int mio_pipe_new(mio_pipe_sender *tx, mio_pipe_receiver *rx)
{
	int fds[2], err;

	if (tx != NULL)
		mio__source_inert(&tx->source);
	if (rx != NULL)
		mio__source_inert(&rx->source);
	if (tx == NULL || rx == NULL)
		return MIO_EINVAL;
	err = mio__pipe_open(fds);
	if (err < 0)
		return err;
	mio__source_init(&rx->source, fds[0]);
	mio__source_init(&tx->source, fds[1]);
	return 0;
}

int mio_pipe_sender_from_fd(mio_pipe_sender *out, int fd)
{
	return mio__source_adopt(MIO__SRC(out), fd, mio__fd_adopt);
}

int mio_pipe_receiver_from_fd(mio_pipe_receiver *out, int fd)
{
	return mio__source_adopt(MIO__SRC(out), fd, mio__fd_adopt);
}

static int pipe_set_nonblocking(mio_source *s, bool on)
{
	int err = mio__source_check(s);
	return err < 0 ? err
		       : mio__fd_set_flag(s->fd, F_GETFL, F_SETFL, O_NONBLOCK,
					  on);
}

int mio_pipe_sender_set_nonblocking(mio_pipe_sender *tx, bool on)
{
	return pipe_set_nonblocking(MIO__SRC(tx), on);
}

int mio_pipe_receiver_set_nonblocking(mio_pipe_receiver *rx, bool on)
{
	return pipe_set_nonblocking(MIO__SRC(rx), on);
}

/*
 * read(2) (dir MIO_READABLE) or write(2) on a pipe end; a short count
 * re-arms the direction, as on a stream socket.
 */
static mio_ssize pipe_io(mio_source *s, void *buf, size_t len, uint8_t dir)
{
	ssize_t done;
	int err = mio__source_check_io(s, buf, len);

	if (err < 0)
		return err;
	if (dir == MIO_READABLE)
		done = read(s->fd, buf, len);
	else
		done = write(s->fd, buf, len);
	return mio__stream_io_done(s, done >= 0 ? done : -errno, len, dir);
}

/*
 * readv(2) (dir MIO_READABLE) or writev(2): mio_iovec has struct iovec's
 * layout (checked in the socket layer).
 */
static mio_ssize pipe_iov(mio_source *s, const mio_iovec *iov, size_t n,
			  uint8_t dir)
{
	const struct iovec *v = (const struct iovec *)(const void *)iov;
	ssize_t done;
	int err = mio__source_check_io(s, iov, n);

	if (err < 0)
		return err;
	if (n > IOV_MAX)
		return MIO_EINVAL;
	if (dir == MIO_READABLE)
		done = readv(s->fd, v, (int)n);
	else
		done = writev(s->fd, v, (int)n);
	return mio__stream_iov_done(s, done >= 0 ? done : -errno, iov, n, dir);
}

mio_ssize mio_pipe_write(mio_pipe_sender *tx, const void *buf, size_t len)
{
	/* write(2) only reads the buffer: the cast serves the shared helper. */
	return pipe_io(MIO__SRC(tx), (void *)(uintptr_t)buf, len, MIO_WRITABLE);
}

mio_ssize mio_pipe_writev(mio_pipe_sender *tx, const mio_iovec *iov, size_t n)
{
	return pipe_iov(MIO__SRC(tx), iov, n, MIO_WRITABLE);
}

mio_ssize mio_pipe_read(mio_pipe_receiver *rx, void *buf, size_t len)
{
	return pipe_io(MIO__SRC(rx), buf, len, MIO_READABLE);
}

mio_ssize mio_pipe_readv(mio_pipe_receiver *rx, const mio_iovec *iov, size_t n)
{
	return pipe_iov(MIO__SRC(rx), iov, n, MIO_READABLE);
}

int mio_pipe_sender_close(mio_pipe_sender *tx)
{
	return mio__source_close(MIO__SRC(tx));
}

int mio_pipe_receiver_close(mio_pipe_receiver *rx)
{
	return mio__source_close(MIO__SRC(rx));
}
