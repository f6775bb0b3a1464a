/* mio_unix_stream: mio::net::UnixStream. Writes never raise SIGPIPE. */

#include "net/uds/uds.h"

int mio_unix_stream_connect(mio_unix_stream *out, const char *path)
{
	mio_unix_addr addr;
	int err = mio__uds_path_addr(MIO__SRC(out), path, &addr);

	return err < 0 ? err : mio_unix_stream_connect_addr(out, &addr);
}

int mio_unix_stream_connect_addr(mio_unix_stream *out,
				 const mio_unix_addr *addr)
{
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	if (!mio__unix_addr_valid(addr))
		return MIO_EINVAL;
	err = mio__uds_new(&out->source, SOCK_STREAM, NULL);
	if (err < 0)
		return err;
	/*
	 * A Unix-domain connect completes at once or fails; with a full
	 * backlog it fails with MIO_EAGAIN, as in mio.
	 */
	err = mio__socket_connect(out->source.fd, (const void *)&addr->addr,
				  addr->len);
	if (err < 0)
		mio__source_close(&out->source);
	return err;
}

int mio_unix_stream_pair(mio_unix_stream *a, mio_unix_stream *b)
{
	return mio__uds_pair(MIO__SRC(a), MIO__SRC(b), SOCK_STREAM);
}

int mio_unix_stream_from_fd(mio_unix_stream *out, int fd)
{
	return mio__uds_from_fd(MIO__SRC(out), fd);
}

int mio_unix_stream_local_addr(const mio_unix_stream *s, mio_unix_addr *out)
{
	return mio__uds_addr(MIO__SRC(s), false, out);
}

int mio_unix_stream_peer_addr(const mio_unix_stream *s, mio_unix_addr *out)
{
	return mio__uds_addr(MIO__SRC(s), true, out);
}

int mio_unix_stream_shutdown(mio_unix_stream *s, mio_shutdown how)
{
	int err = mio__source_check(MIO__SRC(s));
	return err < 0 ? err : mio__socket_shutdown(s->source.fd, how);
}

int mio_unix_stream_take_error(mio_unix_stream *s)
{
	int err = mio__source_check(MIO__SRC(s));
	return err < 0 ? err : mio__socket_take_error(s->source.fd);
}

mio_ssize mio_unix_stream_read(mio_unix_stream *s, void *buf, size_t len)
{
	int err = mio__source_check_io(MIO__SRC(s), buf, len);
	return err < 0 ? err : mio__socket_read(&s->source, buf, len);
}

mio_ssize mio_unix_stream_write(mio_unix_stream *s, const void *buf, size_t len)
{
	int err = mio__source_check_io(MIO__SRC(s), buf, len);
	return err < 0 ? err : mio__socket_write(&s->source, buf, len);
}

mio_ssize mio_unix_stream_readv(mio_unix_stream *s, const mio_iovec *iov,
				size_t n)
{
	int err = mio__source_check_io(MIO__SRC(s), iov, n);
	return err < 0 ? err : mio__socket_readv(&s->source, iov, n);
}

mio_ssize mio_unix_stream_writev(mio_unix_stream *s, const mio_iovec *iov,
				 size_t n)
{
	int err = mio__source_check_io(MIO__SRC(s), iov, n);
	return err < 0 ? err : mio__socket_writev(&s->source, iov, n);
}

int mio_unix_stream_close(mio_unix_stream *s)
{
	if (s == NULL)
		return MIO_EINVAL;
	return mio__source_close(&s->source);
}
