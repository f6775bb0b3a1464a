/* mio_tcp_listener: mio::net::TcpListener. */

#include <string.h>

#include "net/inet.h"

/* The backlog mio's TcpListener::bind asks for. */
#define LISTENER_BACKLOG 1024

int mio_tcp_listener_bind(mio_tcp_listener *out, const mio_sockaddr *addr)
{
	return mio_tcp_listener_bind_backlog(out, addr, LISTENER_BACKLOG);
}

/* The listening socket's options, address and backlog, in that order. */
static int tcp_listener_setup(mio_raw_fd fd, const mio_sockaddr *addr,
			      int backlog)
{
	int err = mio__socket_prepare_listen(fd);

	if (err == 0)
		err = mio__socket_bind(fd, &addr->sa, mio__inet_addr_len(addr));
	if (err == 0)
		err = mio__socket_listen(fd, backlog);
	return err;
}

int mio_tcp_listener_bind_backlog(mio_tcp_listener *out,
				  const mio_sockaddr *addr, int backlog)
{
	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	if (backlog <= 0)
		return MIO_EINVAL;
	return mio__inet_open(&out->source, addr, SOCK_STREAM,
			      tcp_listener_setup, backlog);
}

int mio_tcp_listener_from_fd(mio_tcp_listener *out, mio_raw_fd fd)
{
	return mio__inet_adopt(MIO__SRC(out), fd);
}

int mio_tcp_listener_accept(mio_tcp_listener *l, mio_tcp_stream *out,
			    mio_sockaddr *peer)
{
	mio_sockaddr a;
	socklen_t len = sizeof(a);
	mio_raw_fd fd;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	err = mio__inet_check(MIO__SRC(l));
	if (err < 0)
		return err;
	/* The OS fills only its own family's part of the union. */
	memset(&a, 0, sizeof(a));
	err = mio__socket_accept(&l->source, &a.sa, &len, &fd);
	if (err < 0)
		return err;
	mio__source_init(&out->source, fd);
	if (peer != NULL)
		*peer = a;
	return 0;
}

int mio_tcp_listener_local_addr(const mio_tcp_listener *l, mio_sockaddr *out)
{
	return mio__inet_local_addr(MIO__SRC(l), out);
}

int mio_tcp_listener_set_ttl(mio_tcp_listener *l, uint32_t ttl)
{
	return mio__inet_set_ttl(MIO__SRC(l), ttl);
}

int mio_tcp_listener_ttl(const mio_tcp_listener *l, uint32_t *out)
{
	return mio__inet_ttl(MIO__SRC(l), out);
}

int mio_tcp_listener_take_error(mio_tcp_listener *l)
{
	return mio__source_take_error(MIO__SRC(l));
}

int mio_tcp_listener_close(mio_tcp_listener *l)
{
	return mio__source_close(MIO__SRC(l));
}
