/* mio_unix_stream: mio::net::UnixStream. Writes never raise SIGPIPE. */

#include "net/uds/uds.h"

int mio_unix_stream_connect(mio_unix_stream *out, const char *path)
{
	return mio__uds_by_path(MIO__SRC(out), &mio__uds_stream, path);
}

int mio_unix_stream_connect_addr(mio_unix_stream *out,
				 const mio_unix_addr *addr)
{
	return mio__uds_open(MIO__SRC(out), &mio__uds_stream, addr);
}

int mio_unix_stream_pair(mio_unix_stream *a, mio_unix_stream *b)
{
	return mio__uds_pair(MIO__SRC(a), MIO__SRC(b), SOCK_STREAM);
}

int mio_unix_stream_from_fd(mio_unix_stream *out, int fd)
{
	return mio__source_adopt(MIO__SRC(out), fd, mio__socket_adopt);
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
	return mio__source_shutdown(MIO__SRC(s), how);
}

int mio_unix_stream_take_error(mio_unix_stream *s)
{
	return mio__source_take_error(MIO__SRC(s));
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
	return mio__source_close(MIO__SRC(s));
}
