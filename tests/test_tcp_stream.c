/*
 * mio_tcp_stream (mio's tests/tcp_stream.rs): connecting, adopting a
 * descriptor, addresses, options, shutdown, peek, vectored I/O,
 * registration, and bad input.
 */

#if !defined(_WIN32)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#endif

#include "inet.h"

enum { CLIENT = 1, SERVER = 2 };

static void smoke(int family)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr addr, peer, local, accepted_peer;
	char buf[16];
	const struct expect_event writable = { CLIENT, EXPECT_WRITABLE };
	const struct expect_event readable = { CLIENT, EXPECT_READABLE };

	poll_setup(&poll, &events);
	listen_on(family, &l, &addr);
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	assert_fd_flags(c.source.fd);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source,
					CLIENT, MIO_READABLE | MIO_WRITABLE));
	expect_events(poll, events, &writable, 1);
	ASSERT_OK(mio_tcp_stream_take_error(&c));
	ASSERT_OK(mio_tcp_stream_peer_addr(&c, &peer));
	ASSERT_EQ(peer.sa.sa_family, family);
	ASSERT_EQ(mio_sockaddr_port(&peer), mio_sockaddr_port(&addr));
	ASSERT_OK(mio_tcp_stream_local_addr(&c, &local));
	ASSERT_EQ(local.sa.sa_family, family);

	accept_one(&l, &s, &accepted_peer);
	ASSERT_EQ(mio_sockaddr_port(&accepted_peer), mio_sockaddr_port(&local));
	/* Nothing to read yet (mio's regression issue_776). */
	ASSERT_ERR(mio_tcp_stream_read(&c, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_tcp_stream_write(&s, "hello", 5), 5);
	expect_events(poll, events, &readable, 1);
	ASSERT_EQ(mio_tcp_stream_read(&c, buf, sizeof(buf)), 5);
	ASSERT(memcmp(buf, "hello", 5) == 0);
	ASSERT_ERR(mio_tcp_stream_read(&c, buf, sizeof(buf)), MIO_EAGAIN);

	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_EQ(c.source.fd, -1);
	/* The server sees the end of the stream. */
	wait_fd(s.source.fd, POLLIN);
	ASSERT_EQ(mio_tcp_stream_read(&s, buf, sizeof(buf)), 0);
	mio_tcp_stream_close(&s);
	mio_tcp_listener_close(&l);
	poll_teardown(poll, events);
}

static void stream_ipv4(void)
{
	smoke(AF_INET);
}

static void stream_ipv6(void)
{
	if (!ipv6_available()) {
		printf("# ::1 unavailable, IPv6 part skipped\n");
		return;
	}
	smoke(AF_INET6);
}

/* Adopting a plain, blocking, connected socket. */
static void from_fd(void)
{
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr addr, peer;
	char buf[8];
	mio_raw_fd fd = test_socket(AF_INET, SOCK_STREAM);

	listen_on(AF_INET, &l, &addr);
	ASSERT_EQ(connect(fd, &addr.sa, sizeof(addr.v4)), 0);
	ASSERT_OK(mio_tcp_stream_from_fd(&c, fd));
	ASSERT_EQ(c.source.fd, fd);
	assert_fd_flags(fd);
	ASSERT_OK(mio_tcp_stream_peer_addr(&c, &peer));
	ASSERT_EQ(mio_sockaddr_port(&peer), mio_sockaddr_port(&addr));
	/* Non-blocking now: an empty read would block. */
	ASSERT_ERR(mio_tcp_stream_read(&c, buf, sizeof(buf)), MIO_EAGAIN);
	accept_one(&l, &s, NULL);
	mio_tcp_stream_close(&s);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT(!test_socket_is_open(fd));
	mio_tcp_listener_close(&l);

	/* Failure: *out inert. */
	memset(&c, 0x5a, sizeof(c));
	ASSERT_ERR(mio_tcp_stream_from_fd(&c, -1), MIO_EBADF);
	ASSERT_EQ(c.source.fd, -1);
	ASSERT_ERR(mio_tcp_stream_from_fd(NULL, 0), MIO_EINVAL);
}

/* from_fd does not check the type: a UDP socket is adopted as is. */
static void from_fd_any_socket(void)
{
	mio_tcp_stream c;
	mio_raw_fd fd = test_socket(AF_INET, SOCK_DGRAM);

	ASSERT_OK(mio_tcp_stream_from_fd(&c, fd));
	ASSERT_EQ(c.source.fd, fd);
	assert_fd_flags(fd);
	ASSERT_OK(mio_tcp_stream_close(&c));
}

#if !defined(_WIN32)
/* A Unix socket adopted as a stream works, but has no IP address. */
static void from_fd_unix_socket(void)
{
	mio_tcp_stream a, b;
	mio_sockaddr addr;
	char buf[4];
	int sv[2];

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ASSERT_OK(mio_tcp_stream_from_fd(&a, sv[0]));
	ASSERT_OK(mio_tcp_stream_from_fd(&b, sv[1]));
	assert_fd_flags(sv[0]);
	ASSERT_EQ(mio_tcp_stream_write(&a, "uds", 3), 3);
	ASSERT_EQ(mio_tcp_stream_read(&b, buf, sizeof(buf)), 3);
	memset(&addr, 0x5a, sizeof(addr));
	ASSERT_ERR(mio_tcp_stream_local_addr(&a, &addr), MIO_EAFNOSUPPORT);
	ASSERT_ERR(mio_tcp_stream_peer_addr(&a, &addr), MIO_EAFNOSUPPORT);
	/* Nothing was written on failure. */
	ASSERT_EQ(((unsigned char *)&addr)[0], 0x5a);
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
}
#endif

static void ttl_and_nodelay(void)
{
	mio_tcp_stream c, s;
	uint32_t t = 0;
	bool on = true;
	int v = 0;
	socklen_t len = sizeof(v);

	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_tcp_stream_ttl(&c, &t));
	ASSERT(t >= 1 && t <= 255);
	ASSERT_OK(mio_tcp_stream_set_ttl(&c, 10));
	ASSERT_OK(mio_tcp_stream_ttl(&c, &t));
	ASSERT_UEQ(t, 10);

	/* Nagle is on by default. */
	ASSERT_OK(mio_tcp_stream_nodelay(&c, &on));
	ASSERT(!on);
	ASSERT_OK(mio_tcp_stream_set_nodelay(&c, true));
	ASSERT_OK(mio_tcp_stream_nodelay(&c, &on));
	ASSERT(on);
	ASSERT_EQ(getsockopt(c.source.fd, IPPROTO_TCP, TCP_NODELAY, (void *)&v,
			     &len),
		  0);
	ASSERT(v != 0);
	ASSERT_OK(mio_tcp_stream_set_nodelay(&c, false));
	ASSERT_OK(mio_tcp_stream_nodelay(&c, &on));
	ASSERT(!on);
	ASSERT_ERR(mio_tcp_stream_nodelay(&c, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_ttl(&c, NULL), MIO_EINVAL);
	mio_tcp_stream_close(&c);
	mio_tcp_stream_close(&s);

	if (!ipv6_available())
		return;
	tcp_pair(AF_INET6, &c, &s, NULL);
	ASSERT_OK(mio_tcp_stream_set_ttl(&c, 9));
	ASSERT_OK(mio_tcp_stream_ttl(&c, &t));
	ASSERT_UEQ(t, 9);
	ASSERT_EQ(getsockopt(c.source.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
			     (void *)&v, &len),
		  0);
	ASSERT_EQ(v, 9);
	mio_tcp_stream_close(&c);
	mio_tcp_stream_close(&s);
}

static void shutdown_read(void)
{
	mio_tcp_stream c, s;
	char buf[8];

	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_tcp_stream_shutdown(&c, MIO_SHUTDOWN_READ));
	/* Reading now gives the end of the stream at once. */
	ASSERT_EQ(mio_tcp_stream_read(&c, buf, sizeof(buf)), 0);
	/* Writing still works. */
	ASSERT_EQ(mio_tcp_stream_write(&c, "ab", 2), 2);
	wait_fd(s.source.fd, POLLIN);
	ASSERT_EQ(mio_tcp_stream_read(&s, buf, sizeof(buf)), 2);
	mio_tcp_stream_close(&c);
	mio_tcp_stream_close(&s);
}

static void shutdown_write(void)
{
	mio_tcp_stream c, s;
	char buf[8];

	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_EQ(mio_tcp_stream_write(&c, "xy", 2), 2);
	ASSERT_OK(mio_tcp_stream_shutdown(&c, MIO_SHUTDOWN_WRITE));
	/* Writing fails (without SIGPIPE), reading still works. */
	ASSERT_ERR(mio_tcp_stream_write(&c, "z", 1), MIO_EPIPE);
	ASSERT_EQ(mio_tcp_stream_write(&s, "back", 4), 4);
	wait_fd(c.source.fd, POLLIN);
	ASSERT_EQ(mio_tcp_stream_read(&c, buf, sizeof(buf)), 4);
	/* The peer gets the data, then the end of the stream. */
	wait_fd(s.source.fd, POLLIN);
	ASSERT_EQ(mio_tcp_stream_read(&s, buf, sizeof(buf)), 2);
	ASSERT(memcmp(buf, "xy", 2) == 0);
	wait_fd(s.source.fd, POLLIN);
	ASSERT_EQ(mio_tcp_stream_read(&s, buf, sizeof(buf)), 0);
	mio_tcp_stream_close(&c);
	mio_tcp_stream_close(&s);
}

static void shutdown_both(void)
{
	mio_tcp_stream c, s;
	char buf[8];

	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_tcp_stream_shutdown(&c, MIO_SHUTDOWN_BOTH));
	ASSERT_EQ(mio_tcp_stream_read(&c, buf, sizeof(buf)), 0);
	ASSERT_ERR(mio_tcp_stream_write(&c, "z", 1), MIO_EPIPE);
	wait_fd(s.source.fd, POLLIN);
	ASSERT_EQ(mio_tcp_stream_read(&s, buf, sizeof(buf)), 0);
	ASSERT_ERR(mio_tcp_stream_shutdown(&c, (mio_shutdown)3), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_shutdown(&c, (mio_shutdown)-1), MIO_EINVAL);
	mio_tcp_stream_close(&c);
	mio_tcp_stream_close(&s);
}

/* Waits until peek sees `want` bytes (they may arrive in pieces). */
static void peek_until(mio_tcp_stream *s, char *buf, size_t len, size_t want)
{
	mio_ssize n;

	for (int i = 0; i < 100; i++) {
		n = mio_tcp_stream_peek(s, buf, len);
		if (n == (mio_ssize)want)
			return;
		ASSERT(n == MIO_EAGAIN || (n > 0 && (size_t)n < want));
		wait_fd(s->source.fd, POLLIN);
	}
	FAIL_AT("peek never saw %zu bytes", want);
}

/* mio's peek_ok, peek_would_block and read_peek_would_block. */
static void peek(void)
{
	mio_tcp_stream c, s;
	char buf[16];

	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_ERR(mio_tcp_stream_peek(&c, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_tcp_stream_write(&s, "peekaboo", 8), 8);
	peek_until(&c, buf, sizeof(buf), 8);
	ASSERT(memcmp(buf, "peekaboo", 8) == 0);
	/* Peeking consumes nothing. */
	ASSERT_EQ(mio_tcp_stream_peek(&c, buf, 4), 4);
	ASSERT_EQ(mio_tcp_stream_read(&c, buf, sizeof(buf)), 8);
	ASSERT(memcmp(buf, "peekaboo", 8) == 0);
	ASSERT_ERR(mio_tcp_stream_peek(&c, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_ERR(mio_tcp_stream_read(&c, buf, sizeof(buf)), MIO_EAGAIN);
	mio_tcp_stream_close(&c);
	mio_tcp_stream_close(&s);
}

static void vectored(void)
{
	mio_tcp_stream c, s;
	char a[3], b[5], got[8] = { 0 };
	char h[] = "abc", t[] = "defgh";
	mio_iovec out[2] = { { .base = h, .len = 3 }, { .base = t, .len = 5 } };
	mio_iovec in[2] = { { .base = a, .len = 3 }, { .base = b, .len = 5 } };
	size_t have = 0;
	mio_ssize n;

	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_EQ(mio_tcp_stream_writev(&c, out, 2), 8);
	wait_fd(s.source.fd, POLLIN);
	n = mio_tcp_stream_readv(&s, in, 2);
	ASSERT(n > 0);
	have = (size_t)n;
	memcpy(got, a, have < 3 ? have : 3);
	if (have > 3)
		memcpy(got + 3, b, have - 3);
	while (have < 8) {
		wait_fd(s.source.fd, POLLIN);
		n = mio_tcp_stream_read(&s, got + have, 8 - have);
		ASSERT(n > 0);
		have += (size_t)n;
	}
	ASSERT(memcmp(got, "abcdefgh", 8) == 0);
	/* Zero buffers: nothing to do. */
	ASSERT_EQ(mio_tcp_stream_writev(&c, out, 0), 0);
	ASSERT_ERR(mio_tcp_stream_readv(&s, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_writev(&c, NULL, 1), MIO_EINVAL);
	mio_tcp_stream_close(&c);
	mio_tcp_stream_close(&s);
}

/* Before the connection exists there is no peer. */
static void peer_addr_not_connected(void)
{
	mio_tcp_stream c;
	mio_sockaddr addr = closed_port(AF_INET), peer;
	int r;

	memset(&peer, 0x5a, sizeof(peer));
	r = mio_tcp_stream_connect(&c, &addr);
	if (r == MIO_ECONNREFUSED) {
		ASSERT_EQ(c.source.fd, -1);
		return;
	}
	ASSERT_OK(r);
	wait_fd(c.source.fd, POLLOUT);
	ASSERT_ERR(mio_tcp_stream_peer_addr(&c, &peer), MIO_ENOTCONN);
	ASSERT_ERR(mio_tcp_stream_take_error(&c), MIO_ECONNREFUSED);
	/* The error is taken: it is gone now (Wine cannot clear SO_ERROR). */
	if (!test_under_wine())
		ASSERT_OK(mio_tcp_stream_take_error(&c));
	mio_tcp_stream_close(&c);
}

static void bad_input(void)
{
	mio_tcp_stream c, s;
	mio_sockaddr garbage, addr;
	mio_iovec iov = { .base = (void *)&addr, .len = 1 };
	char buf[4];
	bool on;
	uint32_t t;
	int fds = count_open_fds();

	memset(&garbage, 0, sizeof(garbage));
	garbage.sa.sa_family = AF_UNIX;
	memset(&c, 0x5a, sizeof(c));
	ASSERT_ERR(mio_tcp_stream_connect(&c, &garbage), MIO_EINVAL);
	ASSERT_EQ(c.source.fd, -1);
	memset(&c, 0x5a, sizeof(c));
	ASSERT_ERR(mio_tcp_stream_connect(&c, NULL), MIO_EINVAL);
	ASSERT_EQ(c.source.fd, -1);
	ASSERT_ERR(mio_tcp_stream_connect(NULL, &garbage), MIO_EINVAL);
	ASSERT_EQ(count_open_fds(), fds);

	ASSERT_ERR(mio_tcp_stream_read(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_write(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_peek(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_readv(NULL, &iov, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_writev(NULL, &iov, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_peer_addr(NULL, &addr), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_local_addr(NULL, &addr), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_shutdown(NULL, MIO_SHUTDOWN_BOTH),
		   MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_set_nodelay(NULL, true), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_nodelay(NULL, &on), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_set_ttl(NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_ttl(NULL, &t), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_take_error(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_close(NULL), MIO_EINVAL);

	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_ERR(mio_tcp_stream_read(&c, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_write(&c, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_peek(&c, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_peer_addr(&c, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_stream_local_addr(&c, NULL), MIO_EINVAL);
	/* A zero-length write is not an error. */
	ASSERT_EQ(mio_tcp_stream_write(&c, NULL, 0), 0);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));

	/* Closed: MIO_EBADF everywhere, and close again is a no-op. */
	ASSERT_ERR(mio_tcp_stream_read(&c, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_write(&c, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_peek(&c, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_readv(&c, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_writev(&c, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_peer_addr(&c, &addr), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_local_addr(&c, &addr), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_shutdown(&c, MIO_SHUTDOWN_BOTH), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_set_nodelay(&c, true), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_nodelay(&c, &on), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_set_ttl(&c, 1), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_ttl(&c, &t), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_take_error(&c), MIO_EBADF);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_EQ(count_open_fds(), fds);
}

#if !defined(_WIN32)
/* Out of descriptors: constructors fail cleanly and leave *out inert. */
static void out_of_descriptors(void)
{
	mio_tcp_listener l;
	mio_tcp_stream c, s, c2;
	mio_sockaddr addr;
	struct rlimit old, low;
	int fds;

	listen_on(AF_INET, &l, &addr);
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	wait_fd(l.source.fd, POLLIN);
	fds = count_open_fds();
	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	/* Every descriptor number up to the highest in use is taken. */
	low.rlim_cur = (rlim_t)(fcntl(c.source.fd, F_DUPFD, 0));
	ASSERT(low.rlim_cur > 0);
	close((int)low.rlim_cur);
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
	memset(&s, 0x5a, sizeof(s));
	ASSERT_ERR(mio_tcp_listener_accept(&l, &s, NULL), MIO_EMFILE);
	ASSERT_EQ(s.source.fd, -1);
	memset(&c2, 0x5a, sizeof(c2));
	ASSERT_ERR(mio_tcp_stream_connect(&c2, &addr), MIO_EMFILE);
	ASSERT_EQ(c2.source.fd, -1);
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
	ASSERT_EQ(count_open_fds(), fds);
	/* The connection waited in the queue. */
	accept_one(&l, &s, NULL);
	mio_tcp_stream_close(&s);
	mio_tcp_stream_close(&c);
	mio_tcp_listener_close(&l);
}
#endif

/* mio's registering, reregistering and no_events_after_deregister. */
static void registration(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *r;
	mio_tcp_stream c, s;
	const struct expect_event readable = { SERVER, EXPECT_READABLE };

	poll_setup(&poll, &events);
	r = mio_poll_registry(poll);
	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_registry_register(r, &c.source, CLIENT, MIO_READABLE));
	ASSERT_ERR(mio_registry_register(r, &c.source, CLIENT, MIO_READABLE),
		   MIO_EEXIST);
	/* Only readable interest: a connected idle stream reports nothing. */
	expect_no_events(poll, events);
	ASSERT_OK(mio_registry_reregister(r, &c.source, SERVER, MIO_READABLE));
	ASSERT_EQ(mio_tcp_stream_write(&s, "1", 1), 1);
	expect_events(poll, events, &readable, 1);
	ASSERT_OK(mio_registry_deregister(r, &c.source));
	ASSERT_EQ(mio_tcp_stream_write(&s, "2", 1), 1);
	expect_no_events(poll, events);
	ASSERT_ERR(mio_registry_deregister(r, &c.source), MIO_ENOENT);
	mio_tcp_stream_close(&c);
	mio_tcp_stream_close(&s);
	poll_teardown(poll, events);
}

int main(void)
{
	RUN(stream_ipv4);
	RUN(stream_ipv6);
	RUN(from_fd);
	RUN(from_fd_any_socket);
#if !defined(_WIN32)
	/* POSIX only: Unix sockets, rlimits. */
	RUN(from_fd_unix_socket);
	RUN(out_of_descriptors);
#endif
	RUN(ttl_and_nodelay);
	RUN(shutdown_read);
	RUN(shutdown_write);
	RUN(shutdown_both);
	RUN(peek);
	RUN(vectored);
	RUN(peer_addr_not_connected);
	RUN(bad_input);
	RUN(registration);
	return test_summary();
}
