/* mio_unix_datagram: mio::net::UnixDatagram. Sends never raise SIGPIPE. */

#include "net/uds/uds.h"

int mio_unix_datagram_bind(mio_unix_datagram *out, const char *path)
{
	return mio__uds_by_path(MIO__SRC(out), &mio__uds_datagram, path);
}

int mio_unix_datagram_bind_addr(mio_unix_datagram *out,
				const mio_unix_addr *addr)
{
	return mio__uds_open(MIO__SRC(out), &mio__uds_datagram, addr);
}

int mio_unix_datagram_unbound(mio_unix_datagram *out)
{
	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	return mio__uds_new(&out->source, SOCK_DGRAM, NULL);
}

int mio_unix_datagram_pair(mio_unix_datagram *a, mio_unix_datagram *b)
{
	return mio__uds_pair(MIO__SRC(a), MIO__SRC(b), SOCK_DGRAM);
}

int mio_unix_datagram_from_fd(mio_unix_datagram *out, int fd)
{
	return mio__source_adopt(MIO__SRC(out), fd, mio__socket_adopt);
}

int mio_unix_datagram_connect(mio_unix_datagram *d, const char *path)
{
	mio_unix_addr addr;
	int err;

	err = mio__source_check(MIO__SRC(d));
	if (err < 0)
		return err;
	err = mio_unix_addr_from_pathname(&addr, path);
	if (err < 0)
		return err;
	return mio__socket_connect(d->source.fd, (const void *)&addr.addr,
				   addr.len);
}

int mio_unix_datagram_local_addr(const mio_unix_datagram *d, mio_unix_addr *out)
{
	return mio__uds_addr(MIO__SRC(d), false, out);
}

int mio_unix_datagram_peer_addr(const mio_unix_datagram *d, mio_unix_addr *out)
{
	return mio__uds_addr(MIO__SRC(d), true, out);
}

mio_ssize mio_unix_datagram_send_to(mio_unix_datagram *d, const void *buf,
				    size_t len, const char *path)
{
	mio_unix_addr addr;
	int err = mio__source_check_io(MIO__SRC(d), buf, len);

	if (err < 0)
		return err;
	err = mio_unix_addr_from_pathname(&addr, path);
	if (err < 0)
		return err;
	return mio__socket_sendto(&d->source, buf, len,
				  (const void *)&addr.addr, addr.len);
}

mio_ssize mio_unix_datagram_recv_from(mio_unix_datagram *d, void *buf,
				      size_t len, mio_unix_addr *from)
{
	mio_unix_addr addr;
	socklen_t addr_len = sizeof(addr.addr);
	mio_ssize n;
	int err;

	if (from != NULL)
		mio__unix_addr_clear(from);
	err = mio__source_check_io(MIO__SRC(d), buf, len);
	if (err < 0)
		return err;
	mio__unix_addr_clear(&addr);
	n = mio__socket_recvfrom(&d->source, buf, len, 0,
				 (struct sockaddr *)(void *)&addr.addr,
				 &addr_len);
	if (n < 0 || from == NULL)
		return n;
	/* A sender address that did not fit is reported, not cut short. */
	err = mio__unix_addr_finish(&addr, addr_len);
	if (err < 0)
		return err;
	*from = addr;
	return n;
}

mio_ssize mio_unix_datagram_send(mio_unix_datagram *d, const void *buf,
				 size_t len)
{
	int err = mio__source_check_io(MIO__SRC(d), buf, len);
	return err < 0 ? err : mio__socket_send(&d->source, buf, len);
}

mio_ssize mio_unix_datagram_recv(mio_unix_datagram *d, void *buf, size_t len)
{
	int err = mio__source_check_io(MIO__SRC(d), buf, len);
	return err < 0 ? err : mio__socket_recv(&d->source, buf, len, 0);
}

int mio_unix_datagram_shutdown(mio_unix_datagram *d, mio_shutdown how)
{
	return mio__source_shutdown(MIO__SRC(d), how);
}

int mio_unix_datagram_take_error(mio_unix_datagram *d)
{
	return mio__source_take_error(MIO__SRC(d));
}

int mio_unix_datagram_close(mio_unix_datagram *d)
{
	return mio__source_close(MIO__SRC(d));
}
