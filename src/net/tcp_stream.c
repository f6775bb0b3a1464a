/* mio_tcp_stream: mio::net::TcpStream. */

#include "net/inet.h"

/* In progress counts as success: a writable event tells the end. */
static int tcp_stream_setup(mio_raw_fd fd, const mio_sockaddr *addr, int arg)
{
	(void)arg;
	return mio__socket_connect(fd, &addr->sa, mio__inet_addr_len(addr));
}

int mio_tcp_stream_connect(mio_tcp_stream *out, const mio_sockaddr *addr)
{
	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	return mio__inet_open(&out->source, addr, SOCK_STREAM, tcp_stream_setup,
			      0);
}

int mio_tcp_stream_from_fd(mio_tcp_stream *out, mio_raw_fd fd)
{
	return mio__inet_adopt(MIO__SRC(out), fd);
}

int mio_tcp_stream_peer_addr(const mio_tcp_stream *s, mio_sockaddr *out)
{
	return mio__inet_peer_addr(MIO__SRC(s), out);
}

int mio_tcp_stream_local_addr(const mio_tcp_stream *s, mio_sockaddr *out)
{
	return mio__inet_local_addr(MIO__SRC(s), out);
}

int mio_tcp_stream_shutdown(mio_tcp_stream *s, mio_shutdown how)
{
	return mio__source_shutdown(MIO__SRC(s), how);
}

int mio_tcp_stream_set_nodelay(mio_tcp_stream *s, bool on)
{
	return mio__inet_set_bool(MIO__SRC(s), IPPROTO_TCP, TCP_NODELAY, on);
}

int mio_tcp_stream_nodelay(const mio_tcp_stream *s, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(s), IPPROTO_TCP, TCP_NODELAY, out);
}

int mio_tcp_stream_set_ttl(mio_tcp_stream *s, uint32_t ttl)
{
	return mio__inet_set_ttl(MIO__SRC(s), ttl);
}

int mio_tcp_stream_ttl(const mio_tcp_stream *s, uint32_t *out)
{
	return mio__inet_ttl(MIO__SRC(s), out);
}

int mio_tcp_stream_take_error(mio_tcp_stream *s)
{
	return mio__source_take_error(MIO__SRC(s));
}

int mio_tcp_stream_set_linger(mio_tcp_stream *s, const struct timespec *linger)
{
	return mio__inet_set_linger(MIO__SRC(s), linger);
}

int mio_tcp_stream_linger(const mio_tcp_stream *s, bool *on,
			  struct timespec *out)
{
	return mio__inet_linger(MIO__SRC(s), on, out);
}

int mio_tcp_stream_set_keepalive(mio_tcp_stream *s, bool on)
{
	return mio__inet_set_bool(MIO__SRC(s), SOL_SOCKET, SO_KEEPALIVE, on);
}

int mio_tcp_stream_keepalive(const mio_tcp_stream *s, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(s), SOL_SOCKET, SO_KEEPALIVE, out);
}

int mio_tcp_stream_set_keepalive_params(mio_tcp_stream *s,
					const mio_tcp_keepalive *ka)
{
	return mio__inet_set_keepalive_params(MIO__SRC(s), ka);
}

int mio_tcp_stream_keepalive_params(const mio_tcp_stream *s,
				    mio_tcp_keepalive *out)
{
	return mio__inet_keepalive_params(MIO__SRC(s), out);
}

int mio_tcp_stream_set_send_buffer_size(mio_tcp_stream *s, uint32_t size)
{
	return mio__inet_set_u32(MIO__SRC(s), SOL_SOCKET, SO_SNDBUF, size);
}

int mio_tcp_stream_send_buffer_size(const mio_tcp_stream *s, uint32_t *out)
{
	return mio__inet_get_u32(MIO__SRC(s), SOL_SOCKET, SO_SNDBUF, out);
}

int mio_tcp_stream_set_recv_buffer_size(mio_tcp_stream *s, uint32_t size)
{
	return mio__inet_set_u32(MIO__SRC(s), SOL_SOCKET, SO_RCVBUF, size);
}

int mio_tcp_stream_recv_buffer_size(const mio_tcp_stream *s, uint32_t *out)
{
	return mio__inet_get_u32(MIO__SRC(s), SOL_SOCKET, SO_RCVBUF, out);
}

/* The checks every read and write makes before it reaches the OS. */
static int stream_check_io(const mio_tcp_stream *s, const void *buf, size_t len)
{
	return mio__source_check_io(MIO__SRC(s), buf, len);
}

mio_ssize mio_tcp_stream_read(mio_tcp_stream *s, void *buf, size_t len)
{
	int err = stream_check_io(s, buf, len);
	return err < 0 ? err : mio__socket_read(&s->source, buf, len);
}

mio_ssize mio_tcp_stream_write(mio_tcp_stream *s, const void *buf, size_t len)
{
	int err = stream_check_io(s, buf, len);
	return err < 0 ? err : mio__socket_write(&s->source, buf, len);
}

mio_ssize mio_tcp_stream_peek(mio_tcp_stream *s, void *buf, size_t len)
{
	int err = stream_check_io(s, buf, len);
	return err < 0 ? err : mio__socket_recv(&s->source, buf, len, MSG_PEEK);
}

mio_ssize mio_tcp_stream_readv(mio_tcp_stream *s, const mio_iovec *iov,
			       size_t n)
{
	int err = stream_check_io(s, iov, n);
	return err < 0 ? err : mio__socket_readv(&s->source, iov, n);
}

mio_ssize mio_tcp_stream_writev(mio_tcp_stream *s, const mio_iovec *iov,
				size_t n)
{
	int err = stream_check_io(s, iov, n);
	return err < 0 ? err : mio__socket_writev(&s->source, iov, n);
}

int mio_tcp_stream_close(mio_tcp_stream *s)
{
	return mio__source_close(MIO__SRC(s));
}
