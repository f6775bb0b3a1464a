/*
 * The Windows socket layer (see src/net/socket.h). Sockets are made
 * overlapped-capable and not inheritable (WSA_FLAG_OVERLAPPED |
 * WSA_FLAG_NO_HANDLE_INHERIT, close-on-exec's counterpart), then
 * non-blocking with FIONBIO. Windows has no SIGPIPE to suppress.
 */

#include <limits.h>
#include <stddef.h>

/* win_internal.h brings winsock2.h, which mswsock.h needs before it. */
#include "net/socket.h"
#include "win_internal.h"

#include <mswsock.h>

static int wsa_fail(void)
{
	return mio__wsa_error();
}

static int set_nonblocking(SOCKET s)
{
	u_long on = 1;
	return ioctlsocket(s, FIONBIO, &on) == 0 ? 0 : wsa_fail();
}

static int set_not_inherited(SOCKET s)
{
	if (!SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0))
		return mio__win_error(GetLastError());
	return 0;
}

/*
 * An ICMP port-unreachable answer to a datagram would otherwise make the
 * next recv on the socket fail with WSAECONNRESET.
 */
static int udp_no_connreset(SOCKET s)
{
	BOOL off = FALSE;
	DWORD bytes;

	if (WSAIoctl(s, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0, &bytes,
		     NULL, NULL) == SOCKET_ERROR)
		return wsa_fail();
	return 0;
}

/*
 * Hands a new socket out once the steps that readied it went well (err
 * 0); closes it otherwise, so that a failure leaves nothing open.
 */
static int finish_socket(SOCKET s, int err, mio_raw_fd *out)
{
	if (err < 0) {
		closesocket(s);
		return err;
	}
	*out = (mio_raw_fd)s;
	return 0;
}

int mio__socket_new(int domain, int type, int protocol, mio_raw_fd *out)
{
	SOCKET s;
	int err = mio__win_init();

	if (err < 0)
		return err;
	s = WSASocketW(domain, type, protocol, NULL, 0,
		       WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
	if (s == INVALID_SOCKET)
		return wsa_fail();
	err = set_nonblocking(s);
	if (err == 0 && type == SOCK_DGRAM)
		err = udp_no_connreset(s);
	return finish_socket(s, err, out);
}

int mio__socket_accept(mio_source *listener, struct sockaddr *addr,
		       socklen_t *len, mio_raw_fd *out)
{
	SOCKET s = accept((SOCKET)listener->fd, addr, len);
	int err;

	if (s == INVALID_SOCKET)
		return (int)mio__io_done(listener, wsa_fail(), MIO_READABLE);
	/* Accepted sockets inherit the listener's flags; make sure. */
	err = set_nonblocking(s);
	if (err == 0)
		err = set_not_inherited(s);
	return finish_socket(s, err, out);
}

/*
 * Winsock calls a closed handle "not a socket"; POSIX calls it a bad
 * descriptor, and so does the library, keeping MIO_ENOTSOCK for handles
 * that are open but are no sockets.
 */
int mio__socket_not_socket(mio_raw_fd fd)
{
	DWORD flags;

	return GetHandleInformation((HANDLE)fd, &flags) ? MIO_ENOTSOCK
							: MIO_EBADF;
}

int mio__socket_adopt(mio_raw_fd fd)
{
	int type = 0, err = mio__win_init();

	if (err == 0)
		err = set_nonblocking((SOCKET)fd);
	if (err == MIO_ENOTSOCK)
		err = mio__socket_not_socket(fd);
	if (err == 0)
		err = set_not_inherited((SOCKET)fd);
	if (err == 0 &&
	    mio__socket_get_int(fd, SOL_SOCKET, SO_TYPE, &type) == 0 &&
	    type == SOCK_DGRAM)
		err = udp_no_connreset((SOCKET)fd);
	return err;
}

int mio__socket_bind(mio_raw_fd fd, const struct sockaddr *addr, socklen_t len)
{
	return bind((SOCKET)fd, addr, len) == 0 ? 0 : wsa_fail();
}

int mio__socket_listen(mio_raw_fd fd, int backlog)
{
	return listen((SOCKET)fd, backlog) == 0 ? 0 : wsa_fail();
}

int mio__socket_connect(mio_raw_fd fd, const struct sockaddr *addr,
			socklen_t len)
{
	int err;

	if (connect((SOCKET)fd, addr, len) == 0)
		return 0;
	err = wsa_fail();
	/* Non-blocking connect in progress. */
	return err == MIO_EAGAIN || err == MIO_EINPROGRESS ? 0 : err;
}

int mio__socket_local_addr(mio_raw_fd fd, struct sockaddr *addr, socklen_t *len)
{
	return getsockname((SOCKET)fd, addr, len) == 0 ? 0 : wsa_fail();
}

int mio__socket_peer_addr(mio_raw_fd fd, struct sockaddr *addr, socklen_t *len)
{
	return getpeername((SOCKET)fd, addr, len) == 0 ? 0 : wsa_fail();
}

int mio__socket_take_error(mio_raw_fd fd)
{
	int err = 0;
	int len = sizeof(err);

	if (getsockopt((SOCKET)fd, SOL_SOCKET, SO_ERROR, (char *)&err, &len) !=
	    0)
		return wsa_fail();
	if (err == 0)
		return 0;
	/*
	 * Reading SO_ERROR does not clear it on Windows; writing it does
	 * where the stack allows (Wine's does not, so there it sticks).
	 */
	len = 0;
	setsockopt((SOCKET)fd, SOL_SOCKET, SO_ERROR, (char *)&len, sizeof(len));
	return mio__win_error((DWORD)err);
}

int mio__socket_shutdown(mio_raw_fd fd, mio_shutdown how)
{
	static const int hows[] = { SD_RECEIVE, SD_SEND, SD_BOTH };

	if ((unsigned)how > MIO_SHUTDOWN_BOTH)
		return MIO_EINVAL;
	return shutdown((SOCKET)fd, hows[how]) == 0 ? 0 : wsa_fail();
}

int mio__socket_get_int(mio_raw_fd fd, int level, int name, int *out)
{
	int len = sizeof(*out);

	/* Some options are a BOOL or a DWORD: start from zero. */
	*out = 0;
	if (getsockopt((SOCKET)fd, level, name, (char *)out, &len) != 0)
		return wsa_fail();
	return 0;
}

int mio__socket_setopt(mio_raw_fd fd, int level, int name, const void *val,
		       socklen_t len)
{
	return setsockopt((SOCKET)fd, level, name, val, len) == 0 ? 0
								  : wsa_fail();
}

/* Winsock counts in int; a larger request is a short read or write. */
static int clamp_len(size_t len)
{
	return len > INT_MAX ? INT_MAX : (int)len;
}

/*
 * A receive error as the POSIX layer reports it: reading a shut-down
 * socket is end of stream, and a datagram larger than the buffer comes
 * back truncated (Winsock fills the buffer, then reports WSAEMSGSIZE).
 */
static mio_ssize recv_result(mio_source *s, size_t len)
{
	int err = WSAGetLastError();

	if (err == WSAESHUTDOWN)
		return 0;
	if (err == WSAEMSGSIZE)
		return clamp_len(len);
	return mio__io_done(s, mio__win_error((DWORD)err), MIO_READABLE);
}

mio_ssize mio__socket_recv(mio_source *s, void *buf, size_t len, int flags)
{
	int n = recv((SOCKET)s->fd, buf, clamp_len(len), flags);
	return n != SOCKET_ERROR ? n : recv_result(s, len);
}

mio_ssize mio__socket_send(mio_source *s, const void *buf, size_t len)
{
	int n = send((SOCKET)s->fd, buf, clamp_len(len), 0);
	return n != SOCKET_ERROR ? n
				 : mio__io_done(s, wsa_fail(), MIO_WRITABLE);
}

/* Stream sockets: a short count re-arms too (of what was asked of Winsock). */
mio_ssize mio__socket_read(mio_source *s, void *buf, size_t len)
{
	int want = clamp_len(len);
	int n = recv((SOCKET)s->fd, buf, want, 0);

	if (n == SOCKET_ERROR)
		return recv_result(s, len);
	return mio__stream_io_done(s, n, (size_t)want, MIO_READABLE);
}

mio_ssize mio__socket_write(mio_source *s, const void *buf, size_t len)
{
	int want = clamp_len(len);
	int n = send((SOCKET)s->fd, buf, want, 0);

	if (n == SOCKET_ERROR)
		return mio__io_done(s, wsa_fail(), MIO_WRITABLE);
	return mio__stream_io_done(s, n, (size_t)want, MIO_WRITABLE);
}

mio_ssize mio__socket_recvfrom(mio_source *s, void *buf, size_t len, int flags,
			       struct sockaddr *from, socklen_t *fromlen)
{
	int n = recvfrom((SOCKET)s->fd, buf, clamp_len(len), flags, from,
			 fromlen);
	return n != SOCKET_ERROR ? n : recv_result(s, len);
}

mio_ssize mio__socket_sendto(mio_source *s, const void *buf, size_t len,
			     const struct sockaddr *to, socklen_t tolen)
{
	int n = sendto((SOCKET)s->fd, buf, clamp_len(len), 0, to, tolen);
	return n != SOCKET_ERROR ? n
				 : mio__io_done(s, wsa_fail(), MIO_WRITABLE);
}

/* mio_iovec has WSABUF's layout, so the array goes to Winsock as is. */
_Static_assert(sizeof(mio_iovec) == sizeof(WSABUF), "iovec size");
_Static_assert(offsetof(mio_iovec, base) == offsetof(WSABUF, buf),
	       "iovec base");
_Static_assert(offsetof(mio_iovec, len) == offsetof(WSABUF, len), "iovec len");

mio_ssize mio__socket_readv(mio_source *s, const mio_iovec *iov, size_t n)
{
	DWORD got = 0, flags = 0;
	size_t total = 0;

	if (n > INT_MAX)
		return MIO_EINVAL;
	for (size_t i = 0; i < n; i++)
		total += iov[i].len;
	if (WSARecv((SOCKET)s->fd, (WSABUF *)(void *)iov, (DWORD)n, &got,
		    &flags, NULL, NULL) == SOCKET_ERROR)
		return recv_result(s, total);
	return mio__stream_io_done(s, (mio_ssize)got, total, MIO_READABLE);
}

mio_ssize mio__socket_writev(mio_source *s, const mio_iovec *iov, size_t n)
{
	DWORD put = 0;

	if (n > INT_MAX)
		return MIO_EINVAL;
	if (WSASend((SOCKET)s->fd, (WSABUF *)(void *)iov, (DWORD)n, &put, 0,
		    NULL, NULL) == SOCKET_ERROR)
		return mio__io_done(s, wsa_fail(), MIO_WRITABLE);
	return mio__stream_iov_done(s, (mio_ssize)put, iov, n, MIO_WRITABLE);
}

/*
 * Nothing before bind on Windows: SO_REUSEADDR there would let another
 * socket take the port over, and exclusive use is already the default
 * for a port in use by a listener.
 */
int mio__socket_prepare_listen(mio_raw_fd fd)
{
	(void)fd;
	return 0;
}
