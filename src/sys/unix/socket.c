/*
 * The POSIX socket layer (see src/net/socket.h). Linux and the BSDs have
 * SOCK_NONBLOCK/SOCK_CLOEXEC and accept4; macOS has neither and gets the
 * fcntl fallback. Sends pass MSG_NOSIGNAL where it exists; every socket
 * also gets SO_NOSIGPIPE on Apple systems (as in mio and Rust's std, which
 * do not count on MSG_NOSIGNAL there) and where MSG_NOSIGNAL is missing.
 */

#include <limits.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "net/socket.h"

#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL
#else
#define SEND_FLAGS 0
#endif

/* Where MSG_NOSIGNAL alone is not enough, the socket must not raise SIGPIPE. */
#if defined(SO_NOSIGPIPE) && (defined(__APPLE__) || !defined(MSG_NOSIGNAL))
#define NEED_SO_NOSIGPIPE 1
#endif

static int no_sigpipe(int fd)
{
#ifdef NEED_SO_NOSIGPIPE
	int on = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on)) < 0)
		return -errno;
#else
	(void)fd;
#endif
	return 0;
}

/* Finishes a descriptor made without the atomic flags; closes it on error. */
static int finish_fd(int fd, bool atomic_flags, mio_raw_fd *out)
{
	int err = atomic_flags ? 0 : mio__fd_adopt(fd);

	if (err == 0)
		err = no_sigpipe(fd);
	if (err < 0) {
		mio__fd_close(fd);
		return err;
	}
	*out = fd;
	return 0;
}

/* finish_fd for both descriptors of a pair; closes both on error. */
static int finish_pair(int fds[2], bool atomic_flags, mio_raw_fd out[2])
{
	int err = finish_fd(fds[0], atomic_flags, &out[0]);

	if (err < 0) {
		mio__fd_close(fds[1]);
		return err;
	}
	err = finish_fd(fds[1], atomic_flags, &out[1]);
	if (err < 0) {
		mio__fd_close(fds[0]);
		return err;
	}
	return 0;
}

int mio__socket_new(int domain, int type, int protocol, mio_raw_fd *out)
{
	int fd;

#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
	fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd >= 0 || errno != EINVAL)
		return fd < 0 ? -errno : finish_fd(fd, true, out);
		/* A kernel without the flags: fall back to fcntl below. */
#endif
	fd = socket(domain, type, protocol);
	if (fd < 0)
		return -errno;
	return finish_fd(fd, false, out);
}

int mio__socket_pair(int domain, int type, int protocol, mio_raw_fd out[2])
{
	int fds[2];

#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
	if (socketpair(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol,
		       fds) == 0)
		return finish_pair(fds, true, out);
	if (errno != EINVAL)
		return -errno;
		/* A kernel without the flags: fall back to fcntl below. */
#endif
	if (socketpair(domain, type, protocol, fds) < 0)
		return -errno;
	return finish_pair(fds, false, out);
}

int mio__socket_accept(mio_source *listener, struct sockaddr *addr,
		       socklen_t *len, mio_raw_fd *out)
{
	int fd;

#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC) && !defined(__APPLE__)
	fd = accept4(listener->fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd >= 0)
		return finish_fd(fd, true, out);
	if (errno != ENOSYS)
		return (int)mio__io_done(listener, -errno, MIO_READABLE);
#endif
	fd = accept(listener->fd, addr, len);
	if (fd < 0)
		return (int)mio__io_done(listener, -errno, MIO_READABLE);
	return finish_fd(fd, false, out);
}

int mio__socket_adopt(mio_raw_fd fd)
{
	int err = mio__fd_adopt(fd);
	return err < 0 ? err : no_sigpipe(fd);
}

int mio__socket_bind(mio_raw_fd fd, const struct sockaddr *addr, socklen_t len)
{
	return bind(fd, addr, len) < 0 ? -errno : 0;
}

int mio__socket_listen(mio_raw_fd fd, int backlog)
{
	return listen(fd, backlog) < 0 ? -errno : 0;
}

int mio__socket_connect(mio_raw_fd fd, const struct sockaddr *addr,
			socklen_t len)
{
	if (connect(fd, addr, len) == 0 || errno == EINPROGRESS)
		return 0;
	return -errno;
}

int mio__socket_local_addr(mio_raw_fd fd, struct sockaddr *addr, socklen_t *len)
{
	return getsockname(fd, addr, len) < 0 ? -errno : 0;
}

int mio__socket_peer_addr(mio_raw_fd fd, struct sockaddr *addr, socklen_t *len)
{
	return getpeername(fd, addr, len) < 0 ? -errno : 0;
}

int mio__socket_take_error(mio_raw_fd fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

int mio__socket_shutdown(mio_raw_fd fd, mio_shutdown how)
{
	static const int hows[] = { SHUT_RD, SHUT_WR, SHUT_RDWR };

	if ((unsigned)how > MIO_SHUTDOWN_BOTH)
		return MIO_EINVAL;
	return shutdown(fd, hows[how]) < 0 ? -errno : 0;
}

int mio__socket_get_int(mio_raw_fd fd, int level, int name, int *out)
{
	socklen_t len = sizeof(*out);
	return getsockopt(fd, level, name, out, &len) < 0 ? -errno : 0;
}

int mio__socket_setopt(mio_raw_fd fd, int level, int name, const void *val,
		       socklen_t len)
{
	return setsockopt(fd, level, name, val, len) < 0 ? -errno : 0;
}

mio_ssize mio__socket_recv(mio_source *s, void *buf, size_t len, int flags)
{
	ssize_t n = recv(s->fd, buf, len, flags);
	return n >= 0 ? n : mio__io_done(s, -errno, MIO_READABLE);
}

mio_ssize mio__socket_send(mio_source *s, const void *buf, size_t len)
{
	ssize_t n = send(s->fd, buf, len, SEND_FLAGS);
	return n >= 0 ? n : mio__io_done(s, -errno, MIO_WRITABLE);
}

mio_ssize mio__socket_read(mio_source *s, void *buf, size_t len)
{
	ssize_t n = recv(s->fd, buf, len, 0);
	return mio__stream_io_done(s, n >= 0 ? n : -errno, len, MIO_READABLE);
}

mio_ssize mio__socket_write(mio_source *s, const void *buf, size_t len)
{
	ssize_t n = send(s->fd, buf, len, SEND_FLAGS);
	return mio__stream_io_done(s, n >= 0 ? n : -errno, len, MIO_WRITABLE);
}

mio_ssize mio__socket_recvfrom(mio_source *s, void *buf, size_t len, int flags,
			       struct sockaddr *from, socklen_t *fromlen)
{
	ssize_t n = recvfrom(s->fd, buf, len, flags, from, fromlen);
	return n >= 0 ? n : mio__io_done(s, -errno, MIO_READABLE);
}

mio_ssize mio__socket_sendto(mio_source *s, const void *buf, size_t len,
			     const struct sockaddr *to, socklen_t tolen)
{
	ssize_t n = sendto(s->fd, buf, len, SEND_FLAGS, to, tolen);
	return n >= 0 ? n : mio__io_done(s, -errno, MIO_WRITABLE);
}

/* mio_iovec has struct iovec's layout, so the array goes to the OS as is. */
_Static_assert(sizeof(mio_iovec) == sizeof(struct iovec), "iovec size");
_Static_assert(offsetof(mio_iovec, base) == offsetof(struct iovec, iov_base),
	       "iovec base");
_Static_assert(offsetof(mio_iovec, len) == offsetof(struct iovec, iov_len),
	       "iovec len");

/* recvmsg (dir MIO_READABLE) or sendmsg of an iovec array. */
static mio_ssize socket_iov(mio_source *s, const mio_iovec *iov, size_t n,
			    uint8_t dir)
{
	struct msghdr msg = { 0 };
	ssize_t done;

	if (n > IOV_MAX)
		return MIO_EINVAL;
	msg.msg_iov = (struct iovec *)(void *)iov;
	msg.msg_iovlen = n;
	if (dir == MIO_READABLE)
		done = recvmsg(s->fd, &msg, 0);
	else
		done = sendmsg(s->fd, &msg, SEND_FLAGS);
	return mio__stream_iov_done(s, done >= 0 ? done : -errno, iov, n, dir);
}

mio_ssize mio__socket_readv(mio_source *s, const mio_iovec *iov, size_t n)
{
	return socket_iov(s, iov, n, MIO_READABLE);
}

mio_ssize mio__socket_writev(mio_source *s, const mio_iovec *iov, size_t n)
{
	return socket_iov(s, iov, n, MIO_WRITABLE);
}

int mio__socket_prepare_listen(mio_raw_fd fd)
{
	return mio__socket_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
}
