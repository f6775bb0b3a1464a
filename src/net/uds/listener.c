/* mio_unix_listener: mio::net::UnixListener. */

#include "net/uds/uds.h"

int mio_unix_listener_bind(mio_unix_listener *out, const char *path)
{
	mio_unix_addr addr;
	int err = mio__uds_path_addr(MIO__SRC(out), path, &addr);

	return err < 0 ? err : mio_unix_listener_bind_addr(out, &addr);
}

int mio_unix_listener_bind_addr(mio_unix_listener *out,
				const mio_unix_addr *addr)
{
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	if (addr == NULL)
		return MIO_EINVAL;
	err = mio__uds_new(&out->source, SOCK_STREAM, addr);
	if (err < 0)
		return err;
	/* As Rust's standard library: the largest backlog the system allows. */
	err = mio__socket_listen(out->source.fd, SOMAXCONN);
	if (err < 0) {
		/* bind made the socket file: a failed call leaves no trace. */
		const char *path = mio_unix_addr_pathname(addr);
		mio__source_close(&out->source);
		if (path != NULL)
			unlink(path);
	}
	return err;
}

int mio_unix_listener_from_fd(mio_unix_listener *out, int fd)
{
	return mio__uds_from_fd(MIO__SRC(out), fd);
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
	int err = mio__source_check(MIO__SRC(l));
	return err < 0 ? err : mio__socket_take_error(l->source.fd);
}

int mio_unix_listener_close(mio_unix_listener *l)
{
	if (l == NULL)
		return MIO_EINVAL;
	return mio__source_close(&l->source);
}
