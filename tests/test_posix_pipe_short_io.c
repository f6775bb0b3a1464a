/*
 * Short reads and writes end the loop (API.md), on pipes: every POSIX
 * backend (the cases are in short_io_cases.c). Two pipes: the peer
 * writes into the first, whose read end is under test, and reads from
 * the second, whose write end is under test.
 */

#include "short_io_cases.h"

static mio_pipe_sender peer_tx, tx;
static mio_pipe_receiver rx, peer_rx;

static void pipes_open(void)
{
	ASSERT_OK(mio_pipe_new(&peer_tx, &rx));
	ASSERT_OK(mio_pipe_new(&tx, &peer_rx));
}

/* Closing what is closed already (peer_tx, after a shutdown) is a no-op. */
static void pipes_close(void)
{
	ASSERT_OK(mio_pipe_sender_close(&peer_tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&peer_rx));
}

static mio_source *pipes_reader(void)
{
	return &rx.source;
}

static mio_source *pipes_writer(void)
{
	return &tx.source;
}

static mio_ssize pipes_read(void *buf, size_t len)
{
	return mio_pipe_read(&rx, buf, len);
}

static mio_ssize pipes_readv(const mio_iovec *iov, size_t n)
{
	return mio_pipe_readv(&rx, iov, n);
}

static mio_ssize pipes_write(const void *buf, size_t len)
{
	return mio_pipe_write(&tx, buf, len);
}

static mio_ssize pipes_writev(const mio_iovec *iov, size_t n)
{
	return mio_pipe_writev(&tx, iov, n);
}

static mio_ssize pipes_peer_write(const void *buf, size_t len)
{
	return mio_pipe_write(&peer_tx, buf, len);
}

static mio_ssize pipes_peer_read(void *buf, size_t len)
{
	return mio_pipe_read(&peer_rx, buf, len);
}

static mio_raw_fd pipes_peer_fd(void)
{
	return peer_rx.source.fd;
}

static void pipes_peer_shutdown(void)
{
	ASSERT_OK(mio_pipe_sender_close(&peer_tx));
}

static const struct short_io_kind pipes = {
	.name = "pipe",
	.open = pipes_open,
	.close = pipes_close,
	.reader = pipes_reader,
	.writer = pipes_writer,
	.read = pipes_read,
	.readv = pipes_readv,
	.write = pipes_write,
	.writev = pipes_writev,
	.peer_write = pipes_peer_write,
	.peer_read = pipes_peer_read,
	.peer_fd = pipes_peer_fd,
	.peer_shutdown = pipes_peer_shutdown,
};

int main(void)
{
	short_io_run(&pipes);
	return test_summary();
}
