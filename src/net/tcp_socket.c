/*
 * mio_tcp_socket: mio 0.7's TcpSocket, a TCP socket that is configured
 * before it listens or connects, and then becomes the listener or stream
 * (listen and connect hand the descriptor over).
 */

#include "net/inet.h"

static int tcp_socket_new(mio_tcp_socket *out, int family)
{
	mio_raw_fd fd;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	err = mio__socket_new(family, SOCK_STREAM, 0, &fd);
	if (err < 0)
		return err;
	mio__source_init(&out->source, fd);
	out->source.flags_ |= MIO__SOURCE_UNREGISTRABLE;
	return 0;
}

int mio_tcp_socket_new_v4(mio_tcp_socket *out)
{
	return tcp_socket_new(out, AF_INET);
}

int mio_tcp_socket_new_v6(mio_tcp_socket *out)
{
	return tcp_socket_new(out, AF_INET6);
}

int mio_tcp_socket_new_for_addr(mio_tcp_socket *out, const mio_sockaddr *addr)
{
	if (out == NULL)
		return MIO_EINVAL;
	if (mio__inet_addr_len(addr) == 0) {
		mio__source_inert(&out->source);
		return MIO_EINVAL;
	}
	return tcp_socket_new(out, addr->sa.sa_family);
}

int mio_tcp_socket_close(mio_tcp_socket *s)
{
	return mio__source_close(MIO__SRC(s));
}

int mio_tcp_socket_bind(mio_tcp_socket *s, const mio_sockaddr *addr)
{
	int err = mio__inet_check(MIO__SRC(s));

	if (err < 0)
		return err;
	if (mio__inet_addr_len(addr) == 0)
		return MIO_EINVAL;
	return mio__socket_bind(s->source.fd, &addr->sa,
				mio__inet_addr_len(addr));
}

/*
 * What listen and connect check first: out is made inert (what a failure
 * leaves), then s must be an open socket.
 */
static int tcp_socket_consume_check(mio_tcp_socket *s, mio_source *out)
{
	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(out);
	return mio__inet_check(MIO__SRC(s));
}

/* Hands s's descriptor over to out; s is inert afterwards. */
static void tcp_socket_hand_over(mio_tcp_socket *s, mio_source *out)
{
	mio__source_init(out, s->source.fd);
	mio__source_inert(&s->source);
}

int mio_tcp_socket_listen(mio_tcp_socket *s, int backlog, mio_tcp_listener *out)
{
	int err =
		tcp_socket_consume_check(s, out == NULL ? NULL : &out->source);

	if (err < 0)
		return err;
	if (backlog <= 0)
		return MIO_EINVAL;
	err = mio__socket_listen(s->source.fd, backlog);
	if (err < 0)
		return err;
	tcp_socket_hand_over(s, &out->source);
	return 0;
}

int mio_tcp_socket_connect(mio_tcp_socket *s, const mio_sockaddr *addr,
			   mio_tcp_stream *out)
{
	int err =
		tcp_socket_consume_check(s, out == NULL ? NULL : &out->source);

	if (err < 0)
		return err;
	if (mio__inet_addr_len(addr) == 0)
		return MIO_EINVAL;
	/* In progress counts as success: a writable event tells the end. */
	err = mio__socket_connect(s->source.fd, &addr->sa,
				  mio__inet_addr_len(addr));
	if (err < 0)
		return err;
	tcp_socket_hand_over(s, &out->source);
	return 0;
}

int mio_tcp_socket_local_addr(const mio_tcp_socket *s, mio_sockaddr *out)
{
	return mio__inet_local_addr(MIO__SRC(s), out);
}

int mio_tcp_socket_set_reuseaddr(mio_tcp_socket *s, bool on)
{
	return mio__inet_set_bool(MIO__SRC(s), SOL_SOCKET, SO_REUSEADDR, on);
}

int mio_tcp_socket_reuseaddr(const mio_tcp_socket *s, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(s), SOL_SOCKET, SO_REUSEADDR, out);
}

int mio_tcp_socket_set_reuseport(mio_tcp_socket *s, bool on)
{
	int err = mio__inet_check(MIO__SRC(s));
	return err < 0 ? err : mio__socket_set_reuseport(s->source.fd, on);
}

int mio_tcp_socket_reuseport(const mio_tcp_socket *s, bool *out)
{
	bool v = false;
	int err = mio__inet_check(MIO__SRC(s));

	if (err < 0)
		return err;
	if (out == NULL)
		return MIO_EINVAL;
	err = mio__socket_reuseport(s->source.fd, &v);
	if (err == 0)
		*out = v;
	return err;
}

/* IPV6_V6ONLY exists on IPv6 sockets only. */
static int tcp_socket_check_v6(const mio_tcp_socket *s)
{
	int family = mio__inet_check(MIO__SRC(s));

	if (family == 0)
		family = mio__socket_family(s->source.fd);
	if (family < 0)
		return family;
	return family == AF_INET6 ? 0 : MIO_EINVAL;
}

int mio_tcp_socket_set_only_v6(mio_tcp_socket *s, bool on)
{
	int err = tcp_socket_check_v6(s);

	if (err < 0)
		return err;
	return mio__inet_set_bool(&s->source, IPPROTO_IPV6, IPV6_V6ONLY, on);
}

int mio_tcp_socket_only_v6(const mio_tcp_socket *s, bool *out)
{
	int err = tcp_socket_check_v6(s);

	if (err < 0)
		return err;
	return mio__inet_get_bool(&s->source, IPPROTO_IPV6, IPV6_V6ONLY, out);
}

int mio_tcp_socket_set_nodelay(mio_tcp_socket *s, bool on)
{
	return mio__inet_set_bool(MIO__SRC(s), IPPROTO_TCP, TCP_NODELAY, on);
}

int mio_tcp_socket_nodelay(const mio_tcp_socket *s, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(s), IPPROTO_TCP, TCP_NODELAY, out);
}

int mio_tcp_socket_set_linger(mio_tcp_socket *s, const struct timespec *linger)
{
	return mio__inet_set_linger(MIO__SRC(s), linger);
}

int mio_tcp_socket_linger(const mio_tcp_socket *s, bool *on,
			  struct timespec *out)
{
	return mio__inet_linger(MIO__SRC(s), on, out);
}

int mio_tcp_socket_set_send_buffer_size(mio_tcp_socket *s, uint32_t size)
{
	return mio__inet_set_u32(MIO__SRC(s), SOL_SOCKET, SO_SNDBUF, size);
}

int mio_tcp_socket_send_buffer_size(const mio_tcp_socket *s, uint32_t *out)
{
	return mio__inet_get_u32(MIO__SRC(s), SOL_SOCKET, SO_SNDBUF, out);
}

int mio_tcp_socket_set_recv_buffer_size(mio_tcp_socket *s, uint32_t size)
{
	return mio__inet_set_u32(MIO__SRC(s), SOL_SOCKET, SO_RCVBUF, size);
}

int mio_tcp_socket_recv_buffer_size(const mio_tcp_socket *s, uint32_t *out)
{
	return mio__inet_get_u32(MIO__SRC(s), SOL_SOCKET, SO_RCVBUF, out);
}

int mio_tcp_socket_set_keepalive(mio_tcp_socket *s, bool on)
{
	return mio__inet_set_bool(MIO__SRC(s), SOL_SOCKET, SO_KEEPALIVE, on);
}

int mio_tcp_socket_keepalive(const mio_tcp_socket *s, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(s), SOL_SOCKET, SO_KEEPALIVE, out);
}

int mio_tcp_socket_set_keepalive_params(mio_tcp_socket *s,
					const mio_tcp_keepalive *ka)
{
	return mio__inet_set_keepalive_params(MIO__SRC(s), ka);
}

int mio_tcp_socket_keepalive_params(const mio_tcp_socket *s,
				    mio_tcp_keepalive *out)
{
	return mio__inet_keepalive_params(MIO__SRC(s), out);
}
