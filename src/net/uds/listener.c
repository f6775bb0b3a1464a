/* mio_unix_listener: mio::net::UnixListener. */

#include "net/uds/uds.h"

int mio_unix_listener_bind(mio_unix_listener *out, const char *path)
{
	return mio__uds_by_path(MIO__SRC(out), &mio__uds_listener, path);
}

int mio_unix_listener_bind_addr(mio_unix_listener *out,
				const mio_unix_addr *addr)
{
	return mio__uds_open(MIO__SRC(out), &mio__uds_listener, addr);
}

int mio_unix_listener_from_fd(mio_unix_listener *out, int fd)
{
	return mio__source_adopt(MIO__SRC(out), fd, mio__socket_adopt);
}

int mio_unix_listener_accept(mio_unix_listener *l, mio_unix_stream *out,
			     mio_unix_addr *peer)
{
	mio_unix_addr addr;
	socklen_t len = sizeof(addr.addr);
	mio_raw_fd fd;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	if (peer != NULL)
		mio__unix_addr_clear(peer);
	err = mio__source_check(MIO__SRC(l));
	if (err < 0)
		return err;
	mio__unix_addr_clear(&addr);
	err = mio__socket_accept(
		&l->source, (struct sockaddr *)(void *)&addr.addr, &len, &fd);
	if (err < 0)
		return err;
	/*
	 * A peer address that does not fit is refused, never cut short; the
	 * connection then goes, as no caller could tell where it came from.
	 */
	if (peer != NULL) {
		err = mio__unix_addr_finish(&addr, len);
		if (err < 0) {
			mio__fd_close(fd);
			return err;
		}
		*peer = addr;
	}
	mio__source_init(&out->source, fd);
	return 0;
}

int mio_unix_listener_local_addr(const mio_unix_listener *l, mio_unix_addr *out)
{
	return mio__uds_addr(MIO__SRC(l), false, out);
}

int mio_unix_listener_take_error(mio_unix_listener *l)
{
	return mio__source_take_error(MIO__SRC(l));
}

int mio_unix_listener_close(mio_unix_listener *l)
{
	return mio__source_close(MIO__SRC(l));
}
