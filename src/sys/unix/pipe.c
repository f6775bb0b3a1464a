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

static int pipe_from_fd(mio_source *out, int fd)
{
	int err;

	mio__source_inert(out);
	err = mio__fd_adopt(fd);
	if (err < 0)
		return err;
	mio__source_init(out, fd);
	return 0;
}

int mio_pipe_sender_from_fd(mio_pipe_sender *out, int fd)
{
	if (out == NULL)
		return MIO_EINVAL;
	return pipe_from_fd(&out->source, fd);
}

int mio_pipe_receiver_from_fd(mio_pipe_receiver *out, int fd)
{
	if (out == NULL)
		return MIO_EINVAL;
	return pipe_from_fd(&out->source, fd);
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

mio_ssize mio_pipe_write(mio_pipe_sender *tx, const void *buf, size_t len)
{
	ssize_t n;
	int err = mio__source_check_io(MIO__SRC(tx), buf, len);

	if (err < 0)
		return err;
	n = write(tx->source.fd, buf, len);
	return mio__stream_io_done(&tx->source, n >= 0 ? n : -errno, len,
				   MIO_WRITABLE);
}

/* mio_iovec has struct iovec's layout (checked in the socket layer). */
mio_ssize mio_pipe_writev(mio_pipe_sender *tx, const mio_iovec *iov, size_t n)
{
	ssize_t put;
	int err = mio__source_check_io(MIO__SRC(tx), iov, n);

	if (err < 0)
		return err;
	if (n > IOV_MAX)
		return MIO_EINVAL;
	put = writev(tx->source.fd, (const struct iovec *)(const void *)iov,
		     (int)n);
	return mio__stream_iov_done(&tx->source, put >= 0 ? put : -errno, iov,
				    n, MIO_WRITABLE);
}

mio_ssize mio_pipe_read(mio_pipe_receiver *rx, void *buf, size_t len)
{
	ssize_t n;
	int err = mio__source_check_io(MIO__SRC(rx), buf, len);

	if (err < 0)
		return err;
	n = read(rx->source.fd, buf, len);
	return mio__stream_io_done(&rx->source, n >= 0 ? n : -errno, len,
				   MIO_READABLE);
}

mio_ssize mio_pipe_readv(mio_pipe_receiver *rx, const mio_iovec *iov, size_t n)
{
	ssize_t got;
	int err = mio__source_check_io(MIO__SRC(rx), iov, n);

	if (err < 0)
		return err;
	if (n > IOV_MAX)
		return MIO_EINVAL;
	got = readv(rx->source.fd, (const struct iovec *)(const void *)iov,
		    (int)n);
	return mio__stream_iov_done(&rx->source, got >= 0 ? got : -errno, iov,
				    n, MIO_READABLE);
}

int mio_pipe_sender_close(mio_pipe_sender *tx)
{
	if (tx == NULL)
		return MIO_EINVAL;
	return mio__source_close(&tx->source);
}

int mio_pipe_receiver_close(mio_pipe_receiver *rx)
{
	if (rx == NULL)
		return MIO_EINVAL;
	return mio__source_close(&rx->source);
}
