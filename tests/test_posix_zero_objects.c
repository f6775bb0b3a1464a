/*
 * All-zero objects are inert, the POSIX objects (test_zero_objects.c has
 * the others): Unix-domain sockets and pipes, each with a witness on
 * descriptor 0 (zero_objects.h). And descriptor 0 stays usable where it
 * is meant to be: an object whose constructor really got descriptor 0
 * (stdin closed first) works, and so does mio_source_fd(0), a borrowed
 * source of stdin.
 */

#include <fcntl.h>
#include <unistd.h>

#include "zero_objects.h"

/* ---------------------------------------------------------------------- */
/* Unix-domain sockets and pipes                                          */

static void unix_listener(void)
{
	struct witness w;
	mio_unix_listener l;
	mio_unix_stream out;
	mio_unix_addr addr, peer;

	memset(&l, 0, sizeof(l));
	witness_begin(&w);
	ASSERT_ERR(mio_unix_listener_accept(&l, &out, &peer), MIO_EBADF);
	ASSERT_UEQ(out.source.fd, MIO_INVALID_FD);
	ASSERT(mio_unix_addr_is_unnamed(&peer));
	ASSERT_ERR(mio_unix_listener_local_addr(&l, &addr), MIO_EBADF);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_ERR(mio_unix_listener_take_error(&l), MIO_EBADF);
	source_refused(&l.source);
	ASSERT_ERR(mio_unix_listener_close(&l), 0);
	ASSERT(all_zero(&l, sizeof(l)));
	witness_end(&w);
}

static void unix_stream(void)
{
	struct witness w;
	mio_unix_stream s;
	mio_unix_addr addr;
	char buf[16] = "abc";
	mio_iovec iov = { .base = buf, .len = sizeof(buf) };

	memset(&s, 0, sizeof(s));
	witness_begin(&w);
	ASSERT_ERR(mio_unix_stream_read(&s, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_readv(&s, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_write(&s, buf, 3), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_writev(&s, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_local_addr(&s, &addr), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_peer_addr(&s, &addr), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_shutdown(&s, MIO_SHUTDOWN_BOTH), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_take_error(&s), MIO_EBADF);
	source_refused(&s.source);
	ASSERT_ERR(mio_unix_stream_close(&s), 0);
	ASSERT(all_zero(&s, sizeof(s)));
	witness_end(&w);
}

static void unix_datagram(void)
{
	struct witness w;
	mio_unix_datagram d;
	mio_unix_addr addr, from;
	char path[512];
	char buf[16] = "abc";

	snprintf(path, sizeof(path), "%s/zero", test_temp_dir());
	memset(&d, 0, sizeof(d));
	witness_begin(&w);
	ASSERT_ERR(mio_unix_datagram_connect(&d, path), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_local_addr(&d, &addr), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_peer_addr(&d, &addr), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_send_to(&d, buf, 3, path), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_recv_from(&d, buf, sizeof(buf), &from),
		   MIO_EBADF);
	ASSERT(mio_unix_addr_is_unnamed(&from));
	ASSERT_ERR(mio_unix_datagram_send(&d, buf, 3), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_recv(&d, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_shutdown(&d, MIO_SHUTDOWN_BOTH),
		   MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_take_error(&d), MIO_EBADF);
	source_refused(&d.source);
	ASSERT_ERR(mio_unix_datagram_close(&d), 0);
	ASSERT(all_zero(&d, sizeof(d)));
	witness_end(&w);
}

static void pipe_ends(void)
{
	struct witness w;
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char buf[16] = "abc";
	mio_iovec iov = { .base = buf, .len = sizeof(buf) };

	memset(&tx, 0, sizeof(tx));
	memset(&rx, 0, sizeof(rx));
	witness_begin(&w);
	ASSERT_ERR(mio_pipe_read(&rx, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_pipe_readv(&rx, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_pipe_write(&tx, buf, 3), MIO_EBADF);
	ASSERT_ERR(mio_pipe_writev(&tx, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_pipe_sender_set_nonblocking(&tx, true), MIO_EBADF);
	ASSERT_ERR(mio_pipe_receiver_set_nonblocking(&rx, false), MIO_EBADF);
	/* set_nonblocking(false) on descriptor 0 would have made it block. */
	ASSERT_EQ(fcntl(0, F_GETFL) & O_NONBLOCK, 0);
	source_refused(&tx.source);
	source_refused(&rx.source);
	ASSERT_ERR(mio_pipe_sender_close(&tx), 0);
	ASSERT_ERR(mio_pipe_receiver_close(&rx), 0);
	ASSERT(all_zero(&tx, sizeof(tx)));
	ASSERT(all_zero(&rx, sizeof(rx)));
	witness_end(&w);
}

/* ---------------------------------------------------------------------- */
/* Descriptor 0 that is really the object's, or borrowed on purpose.      */

/* stdin closed, so that the next descriptor made is 0. */
static int free_fd0(void)
{
	int saved = dup(0);

	ASSERT(saved > 0);
	ASSERT_EQ(close(0), 0);
	return saved;
}

/* The object at 0 was closed by its *_close; stdin comes back. */
static void restore_fd0(int saved)
{
	ASSERT_EQ(fcntl(0, F_GETFD), -1);
	ASSERT_EQ(errno, EBADF);
	ASSERT_EQ(dup2(saved, 0), 0);
	close(saved);
}

/* A TCP listener and then a connected stream that each own descriptor 0. */
static void tcp_owning_fd0(void)
{
	struct poll_fixture f;
	mio_tcp_listener l, l2;
	mio_tcp_stream c, a;
	mio_sockaddr addr, any = loopback(AF_INET);
	char buf[8];
	int saved;

	poll_fixture_setup(&f);
	saved = free_fd0();
	ASSERT_OK(mio_tcp_listener_bind(&l, &any));
	ASSERT_EQ(l.source.fd, 0);
	ASSERT_EQ(mio_source_raw_fd(&l.source), 0);
	ASSERT_OK(mio_tcp_listener_local_addr(&l, &addr));
	ASSERT_OK(
		mio_registry_register(f.registry, &l.source, 1, MIO_READABLE));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	poll_fixture_expect(&f, 1, EXPECT_READABLE);
	accept_one(&l, &a, NULL);
	ASSERT_OK(mio_tcp_listener_close(&l));
	restore_fd0(saved);

	/* The accepted end, adopted at descriptor 0 with from_fd. */
	saved = free_fd0();
	ASSERT_EQ(dup2(a.source.fd, 0), 0);
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_from_fd(&a, 0));
	ASSERT_OK(
		mio_registry_register(f.registry, &a.source, 2, MIO_READABLE));
	ASSERT_EQ(mio_tcp_stream_write(&c, "hi", 2), 2);
	poll_fixture_expect(&f, 2, EXPECT_READABLE);
	ASSERT_EQ(mio_tcp_stream_read(&a, buf, sizeof(buf)), 2);
	ASSERT_OK(mio_tcp_stream_set_nodelay(&a, true));
	ASSERT_EQ(mio_tcp_stream_write(&a, "yo", 2), 2);
	ASSERT_OK(mio_registry_deregister(f.registry, &a.source));
	ASSERT_OK(mio_tcp_stream_close(&a));
	restore_fd0(saved);
	wait_fd(c.source.fd, POLLIN);
	ASSERT_EQ(mio_tcp_stream_read(&c, buf, sizeof(buf)), 2);
	ASSERT_EQ(memcmp(buf, "yo", 2), 0);

	/* A connecting stream at 0 (the listener is elsewhere this time). */
	ASSERT_OK(mio_tcp_listener_bind(&l2, &any));
	ASSERT_OK(mio_tcp_listener_local_addr(&l2, &addr));
	saved = free_fd0();
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	ASSERT_EQ(c.source.fd, 0);
	ASSERT_OK(
		mio_registry_register(f.registry, &c.source, 3, MIO_WRITABLE));
	poll_fixture_expect(&f, 3, EXPECT_WRITABLE);
	ASSERT_OK(mio_tcp_stream_peer_addr(&c, &any));
	ASSERT_EQ(mio_sockaddr_port(&any), mio_sockaddr_port(&addr));
	ASSERT_OK(mio_tcp_stream_close(&c));
	restore_fd0(saved);
	ASSERT_OK(mio_tcp_listener_close(&l2));
	poll_fixture_teardown(&f);
}

static void udp_owning_fd0(void)
{
	mio_udp_socket u;
	mio_sockaddr any = loopback(AF_INET), self, from;
	char buf[8];
	int saved = free_fd0();

	ASSERT_OK(mio_udp_socket_bind(&u, &any));
	ASSERT_EQ(u.source.fd, 0);
	ASSERT_OK(mio_udp_socket_local_addr(&u, &self));
	ASSERT_EQ(mio_udp_socket_send_to(&u, "dg", 2, &self), 2);
	wait_fd(0, POLLIN);
	ASSERT_EQ(mio_udp_socket_recv_from(&u, buf, sizeof(buf), &from), 2);
	ASSERT_EQ(mio_sockaddr_port(&from), mio_sockaddr_port(&self));
	ASSERT_OK(mio_udp_socket_close(&u));
	restore_fd0(saved);
}

static void unix_and_pipe_owning_fd0(void)
{
	struct poll_fixture f;
	mio_unix_stream a, b;
	mio_unix_datagram da, db;
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char buf[8];
	int saved;

	poll_fixture_setup(&f);
	saved = free_fd0();
	ASSERT_OK(mio_unix_stream_pair(&a, &b));
	ASSERT_EQ(a.source.fd, 0);
	ASSERT_OK(
		mio_registry_register(f.registry, &a.source, 1, MIO_READABLE));
	ASSERT_EQ(mio_unix_stream_write(&b, "us", 2), 2);
	poll_fixture_expect(&f, 1, EXPECT_READABLE);
	ASSERT_EQ(mio_unix_stream_read(&a, buf, sizeof(buf)), 2);
	ASSERT_OK(mio_unix_stream_shutdown(&a, MIO_SHUTDOWN_WRITE));
	ASSERT_EQ(mio_unix_stream_read(&b, buf, sizeof(buf)), 0);
	ASSERT_OK(mio_unix_stream_close(&a));
	restore_fd0(saved);
	ASSERT_OK(mio_unix_stream_close(&b));

	saved = free_fd0();
	ASSERT_OK(mio_unix_datagram_pair(&da, &db));
	ASSERT_EQ(da.source.fd, 0);
	ASSERT_EQ(mio_unix_datagram_send(&db, "ud", 2), 2);
	ASSERT_EQ(mio_unix_datagram_recv(&da, buf, sizeof(buf)), 2);
	ASSERT_OK(mio_unix_datagram_close(&da));
	restore_fd0(saved);
	ASSERT_OK(mio_unix_datagram_close(&db));

	saved = free_fd0();
	ASSERT_OK(mio_pipe_new(&tx, &rx));
	ASSERT_EQ(rx.source.fd, 0);
	ASSERT_OK(
		mio_registry_register(f.registry, &rx.source, 2, MIO_READABLE));
	ASSERT_EQ(mio_pipe_write(&tx, "p", 1), 1);
	poll_fixture_expect(&f, 2, EXPECT_READABLE);
	ASSERT_EQ(mio_pipe_read(&rx, buf, sizeof(buf)), 1);
	ASSERT_OK(mio_pipe_receiver_set_nonblocking(&rx, true));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	restore_fd0(saved);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	poll_fixture_teardown(&f);
}

/*
 * mio_source_fd(0) is a real borrowed source of stdin, not an all-zero
 * one: it registers, reports descriptor 0's readiness, and neither an
 * all-zero source nor an all-zero object can deregister or change it.
 */
static void source_fd0_borrowed(void)
{
	struct poll_fixture f;
	struct witness w;
	mio_source in = mio_source_fd(0);
	mio_source zero;
	mio_tcp_stream zero_stream;

	memset(&zero, 0, sizeof(zero));
	memset(&zero_stream, 0, sizeof(zero_stream));
	ASSERT(!all_zero(&in, sizeof(in)));
	ASSERT_EQ(mio_source_raw_fd(&in), 0);
	witness_begin(&w);
	poll_fixture_setup(&f);
	ASSERT_OK(mio_registry_register(f.registry, &in, 7, MIO_READABLE));
	ASSERT_ERR(mio_registry_deregister(f.registry, &zero), MIO_EBADF);
	ASSERT_ERR(mio_registry_reregister(f.registry, &zero, 9, MIO_WRITABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_close(&zero_stream), 0);
	/* Still registered, under its own token and interest. */
	poll_fixture_expect(&f, 7, EXPECT_READABLE);
	ASSERT_OK(mio_registry_reregister(f.registry, &in, 8,
					  MIO_READABLE | MIO_WRITABLE));
	poll_fixture_expect(&f, 8, EXPECT_WRITABLE);
	ASSERT_OK(mio_registry_deregister(f.registry, &in));
	poll_fixture_teardown(&f);
	witness_end(&w);
}

int main(void)
{
	RUN(unix_listener);
	RUN(unix_stream);
	RUN(unix_datagram);
	RUN(pipe_ends);
	RUN(tcp_owning_fd0);
	RUN(udp_owning_fd0);
	RUN(unix_and_pipe_owning_fd0);
	RUN(source_fd0_borrowed);
	return test_summary();
}
