/* The cases of short_io_cases.h, and its TCP kind. */

#include "inet.h"
#include "short_io_cases.h"

#define TOKEN 1
#define CHUNK (1u << 20)

static const struct short_io_kind *kind;
static char big[2 * CHUNK];

/* Reads whatever the peer end holds, waiting (up to 5 s) for `total`. */
static void peer_drain(size_t total)
{
	static char buf[65536];
	size_t got = 0;
	int waits = 0;

	while (got < total) {
		mio_ssize n = kind->peer_read(buf, sizeof(buf));

		if (n == MIO_EAGAIN) {
			ASSERT(waits++ < 50);
			test_poll_socket(kind->peer_fd(), POLLIN, 100);
			continue;
		}
		ASSERT(n > 0);
		got += (size_t)n;
	}
	ASSERT_EQ(got, total);
}

static void setup(struct poll_fixture *f, mio_source *src,
		  mio_interest interest)
{
	poll_fixture_setup(f);
	kind->open();
	ASSERT_OK(mio_registry_register(f->registry, src, TOKEN, interest));
}

static void teardown(struct poll_fixture *f)
{
	kind->close();
	poll_fixture_teardown(f);
}

/*
 * A read of 100 bytes into 4096 is short: the caller stops without the
 * read that would return MIO_EAGAIN, and the next data still raises an
 * event. The poll(2) and AFD backends, which emulate edge triggering,
 * would otherwise keep the direction disarmed until a MIO_EAGAIN.
 */
static void short_read_then_data(void)
{
	struct poll_fixture f;
	char buf[4096];

	setup(&f, kind->reader(), MIO_READABLE);
	ASSERT_EQ(kind->peer_write(big, 100), 100);
	poll_fixture_expect(&f, TOKEN, EXPECT_READABLE);
	ASSERT_EQ(kind->read(buf, sizeof(buf)), 100);
	ASSERT_EQ(kind->peer_write(big, 50), 50);
	poll_fixture_expect(&f, TOKEN, EXPECT_READABLE);
	ASSERT_EQ(kind->read(buf, sizeof(buf)), 50);
	teardown(&f);
}

/* readv is short against the buffers' total, not against the first. */
static void short_readv_then_data(void)
{
	struct poll_fixture f;
	char head[10], tail[4096];
	mio_iovec iov[2];

	iov[0].base = head;
	iov[0].len = sizeof(head);
	iov[1].base = tail;
	iov[1].len = sizeof(tail);
	setup(&f, kind->reader(), MIO_READABLE);
	ASSERT_EQ(kind->peer_write(big, 100), 100);
	poll_fixture_expect(&f, TOKEN, EXPECT_READABLE);
	ASSERT_EQ(kind->readv(iov, 2), 100);
	ASSERT_EQ(kind->peer_write(big, 50), 50);
	poll_fixture_expect(&f, TOKEN, EXPECT_READABLE);
	ASSERT_EQ(kind->readv(iov, 2), 50);
	teardown(&f);
}

/*
 * Writes of `len` (one buffer, or two halves through writev) until one
 * is short, which none may fail to be before MIO_EAGAIN; returns the
 * bytes written in all.
 */
static size_t write_until_short(size_t len, bool vectored)
{
	mio_iovec iov[2];
	size_t total = 0;

	iov[0].base = big;
	iov[0].len = (len / 2);
	iov[1].base = big + len / 2;
	iov[1].len = (len - len / 2);
	for (;;) {
		mio_ssize n =
			vectored ? kind->writev(iov, 2) : kind->write(big, len);

		if (n == MIO_EAGAIN)
			FAIL_AT("%s: MIO_EAGAIN before a short write",
				kind->name);
		ASSERT(n > 0);
		total += (size_t)n;
		if ((size_t)n < len)
			return total;
	}
}

/*
 * A short write filled the source: the caller stops there, and once the
 * peer has read everything, a writable event comes.
 */
static void short_write_then_writable(bool vectored)
{
	struct poll_fixture f;
	size_t total;

	setup(&f, kind->writer(), MIO_WRITABLE);
	poll_fixture_expect(&f, TOKEN, EXPECT_WRITABLE);
	total = write_until_short(vectored ? 2 * CHUNK : CHUNK, vectored);
	peer_drain(total);
	poll_fixture_expect(&f, TOKEN, EXPECT_WRITABLE);
	teardown(&f);
}

static void short_write(void)
{
	short_write_then_writable(false);
}

static void short_writev(void)
{
	short_write_then_writable(true);
}

/*
 * Serves the reader as a server following the rule would, until end of
 * file: at each event, one read, or reads until 0 once read-closed has
 * been reported. Returns the bytes read; every read succeeds (the rule
 * never has it call the read that returns MIO_EAGAIN). *seen collects
 * the events' readiness.
 */
static size_t serve_until_eof(struct poll_fixture *f, unsigned *seen)
{
	struct timespec t = ms_timeout(500);
	size_t total = 0;
	char buf[4096];

	*seen = 0;
	for (int round = 0; round < 10; round++) {
		ASSERT_OK(mio_poll_poll(f->poll, f->events, &t));
		for (size_t i = 0; i < mio_events_len(f->events); i++) {
			const mio_event *e = mio_events_at(f->events, i);
			mio_ssize n;

			if (mio_event_token(e) != TOKEN)
				continue;
			*seen |= event_readiness(e);
			do {
				n = kind->read(buf, sizeof(buf));
				ASSERT(n >= 0);
				if (n == 0)
					return total;
				total += (size_t)n;
			} while (*seen & EXPECT_READ_CLOSED);
		}
	}
	FAIL_AT("%s: no end of file", kind->name);
	return total;
}

/*
 * After a short read, data and the peer's end arrive together: both are
 * reported (in one event, or a readable one and then a read-closed one,
 * as the AFD emulation does), and the caller that stops at short reads
 * gets all the data and the end of file.
 */
static void data_and_fin_after_short_read(void)
{
	struct poll_fixture f;
	char buf[4096];
	unsigned seen;

	setup(&f, kind->reader(), MIO_READABLE);
	ASSERT_EQ(kind->peer_write(big, 100), 100);
	poll_fixture_expect(&f, TOKEN, EXPECT_READABLE);
	ASSERT_EQ(kind->read(buf, sizeof(buf)), 100);
	ASSERT_EQ(kind->peer_write(big, 50), 50);
	kind->peer_shutdown();
	ASSERT_EQ(serve_until_eof(&f, &seen), 50);
	ASSERT_EQ(seen & (EXPECT_READABLE | EXPECT_READ_CLOSED),
		  EXPECT_READABLE | EXPECT_READ_CLOSED);
	teardown(&f);
}

/*
 * A zero-length read or write returns 0 and re-arms nothing: with data
 * waiting after a reported readable event, and room after a reported
 * writable one, no new event comes (an emulated backend that re-armed
 * would report them again at once). Errors are unchanged: a closed end
 * gives MIO_EBADF.
 */
static void zero_length_rearms_nothing(void)
{
	struct poll_fixture f;
	char buf[4096];
	mio_iovec none = { 0 };

	bool one = kind->writer() == kind->reader();
	struct expect_event want[2] = {
		{ TOKEN, EXPECT_READABLE | (one ? EXPECT_WRITABLE : 0) },
		{ TOKEN + 1, EXPECT_WRITABLE },
	};

	setup(&f, kind->reader(),
	      one ? MIO_READABLE | MIO_WRITABLE : MIO_READABLE);
	if (!one)
		ASSERT_OK(mio_registry_register(f.registry, kind->writer(),
						TOKEN + 1, MIO_WRITABLE));
	ASSERT_EQ(kind->peer_write(big, 100), 100);
	expect_events(f.poll, f.events, want, one ? 1 : 2);
	ASSERT_EQ(kind->read(buf, 0), 0);
	ASSERT_EQ(kind->readv(&none, 1), 0);
	ASSERT_EQ(kind->write(buf, 0), 0);
	ASSERT_EQ(kind->writev(&none, 1), 0);
	expect_no_events(f.poll, f.events);
	ASSERT_EQ(kind->read(buf, sizeof(buf)), 100);
	kind->close();
	ASSERT_ERR(kind->read(buf, 0), MIO_EBADF);
	ASSERT_ERR(kind->write(buf, 0), MIO_EBADF);
	poll_fixture_teardown(&f);
}

void short_io_run(const struct short_io_kind *k)
{
	kind = k;
	RUN(short_read_then_data);
	RUN(short_readv_then_data);
	RUN(short_write);
	RUN(short_writev);
	RUN(data_and_fin_after_short_read);
	RUN(zero_length_rearms_nothing);
}

/* ------------------------------------------------------------------ */
/* The TCP kind: a and b, connected over 127.0.0.1; a is under test. */

static mio_tcp_stream tcp_a, tcp_b;

static void tcp_open(void)
{
	stream_pair(&tcp_a, &tcp_b);
}

static void tcp_close(void)
{
	close_pair(&tcp_a, &tcp_b);
}

static mio_source *tcp_end(void)
{
	return &tcp_a.source;
}

static mio_ssize tcp_read(void *buf, size_t len)
{
	return mio_tcp_stream_read(&tcp_a, buf, len);
}

static mio_ssize tcp_readv(const mio_iovec *iov, size_t n)
{
	return mio_tcp_stream_readv(&tcp_a, iov, n);
}

static mio_ssize tcp_write(const void *buf, size_t len)
{
	return mio_tcp_stream_write(&tcp_a, buf, len);
}

static mio_ssize tcp_writev(const mio_iovec *iov, size_t n)
{
	return mio_tcp_stream_writev(&tcp_a, iov, n);
}

static mio_ssize tcp_peer_write(const void *buf, size_t len)
{
	return mio_tcp_stream_write(&tcp_b, buf, len);
}

static mio_ssize tcp_peer_read(void *buf, size_t len)
{
	return mio_tcp_stream_read(&tcp_b, buf, len);
}

static mio_raw_fd tcp_peer_fd(void)
{
	return tcp_b.source.fd;
}

static void tcp_peer_shutdown(void)
{
	ASSERT_OK(mio_tcp_stream_shutdown(&tcp_b, MIO_SHUTDOWN_WRITE));
}

const struct short_io_kind short_io_tcp = {
	.name = "TCP stream",
	.open = tcp_open,
	.close = tcp_close,
	.reader = tcp_end,
	.writer = tcp_end,
	.read = tcp_read,
	.readv = tcp_readv,
	.write = tcp_write,
	.writev = tcp_writev,
	.peer_write = tcp_peer_write,
	.peer_read = tcp_peer_read,
	.peer_fd = tcp_peer_fd,
	.peer_shutdown = tcp_peer_shutdown,
};
