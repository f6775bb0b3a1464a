/*
 * Short reads and writes end the loop (API.md), on a Unix stream socket
 * pair: every POSIX backend (the cases are in short_io_cases.c).
 */

#include "short_io_cases.h"

static mio_unix_stream a, b; /* a is under test */

static void uds_open(void)
{
	ASSERT_OK(mio_unix_stream_pair(&a, &b));
}

static void uds_close(void)
{
	ASSERT_OK(mio_unix_stream_close(&a));
	ASSERT_OK(mio_unix_stream_close(&b));
}

static mio_source *uds_end(void)
{
	return &a.source;
}

static mio_ssize uds_read(void *buf, size_t len)
{
	return mio_unix_stream_read(&a, buf, len);
}

static mio_ssize uds_readv(const mio_iovec *iov, size_t n)
{
	return mio_unix_stream_readv(&a, iov, n);
}

static mio_ssize uds_write(const void *buf, size_t len)
{
	return mio_unix_stream_write(&a, buf, len);
}

static mio_ssize uds_writev(const mio_iovec *iov, size_t n)
{
	return mio_unix_stream_writev(&a, iov, n);
}

static mio_ssize uds_peer_write(const void *buf, size_t len)
{
	return mio_unix_stream_write(&b, buf, len);
}

static mio_ssize uds_peer_read(void *buf, size_t len)
{
	return mio_unix_stream_read(&b, buf, len);
}

static mio_raw_fd uds_peer_fd(void)
{
	return b.source.fd;
}

static void uds_peer_shutdown(void)
{
	ASSERT_OK(mio_unix_stream_shutdown(&b, MIO_SHUTDOWN_WRITE));
}

static const struct short_io_kind uds = {
	.name = "Unix stream",
	.open = uds_open,
	.close = uds_close,
	.reader = uds_end,
	.writer = uds_end,
	.read = uds_read,
	.readv = uds_readv,
	.write = uds_write,
	.writev = uds_writev,
	.peer_write = uds_peer_write,
	.peer_read = uds_peer_read,
	.peer_fd = uds_peer_fd,
	.peer_shutdown = uds_peer_shutdown,
};

int main(void)
{
	short_io_run(&uds);
	return test_summary();
}
