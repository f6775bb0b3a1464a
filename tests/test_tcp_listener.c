/*
 * mio_tcp_listener (mio's tests/tcp_listener.rs): binding, accepting,
 * adopting a descriptor, options, registration, and bad input.
 */

#if !defined(_WIN32)
#include <netinet/in.h>
#endif

#include "inet.h"

enum { LISTENER = 1, WAKE = 2 };

/* Fills *out with junk so that a test can see it was made inert. */
static void scribble(mio_tcp_stream *out)
{
	memset(out, 0x5a, sizeof(*out));
}

static void smoke(int family)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_listener l;
	mio_tcp_stream c1, c2, s;
	mio_sockaddr addr, peer, local;
	const struct expect_event want = { LISTENER, EXPECT_READABLE };

	poll_setup(&poll, &events);
	listen_on(family, &l, &addr);
	ASSERT_EQ(addr.sa.sa_family, family);
	ASSERT_NE(mio_sockaddr_port(&addr), 0);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &l.source,
					LISTENER, MIO_READABLE));
	/* Nothing pending: MIO_EAGAIN, and *out is inert. */
	scribble(&s);
	ASSERT_ERR(mio_tcp_listener_accept(&l, &s, NULL), MIO_EAGAIN);
	ASSERT_EQ(s.source.fd, -1);
	expect_no_events(poll, events);

	ASSERT_OK(mio_tcp_stream_connect(&c1, &addr));
	ASSERT_OK(mio_tcp_stream_connect(&c2, &addr));
	expect_events(poll, events, &want, 1);
	/* Both connections, then MIO_EAGAIN again. */
	for (int i = 0; i < 2; i++) {
		accept_one(&l, &s, &peer);
		ASSERT_EQ(peer.sa.sa_family, family);
		ASSERT_OK(mio_tcp_stream_local_addr(&s, &local));
		ASSERT_EQ(mio_sockaddr_port(&local), mio_sockaddr_port(&addr));
		ASSERT_OK(mio_tcp_stream_close(&s));
	}
	scribble(&s);
	ASSERT_ERR(mio_tcp_listener_accept(&l, &s, NULL), MIO_EAGAIN);
	ASSERT_EQ(s.source.fd, -1);

	ASSERT_OK(mio_tcp_stream_close(&c1));
	ASSERT_OK(mio_tcp_stream_close(&c2));
	ASSERT_OK(mio_tcp_listener_close(&l));
	ASSERT_EQ(l.source.fd, -1);
	poll_teardown(poll, events);
}

static void listener_ipv4(void)
{
	smoke(AF_INET);
}

static void listener_ipv6(void)
{
	if (!ipv6_available()) {
		printf("# ::1 unavailable, IPv6 part skipped\n");
		return;
	}
	smoke(AF_INET6);
}

/* The peer address accept reports is the client's local address. */
static void accept_reports_peer(void)
{
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr addr, peer, client_local;

	listen_on(AF_INET, &l, &addr);
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	accept_one(&l, &s, &peer);
	ASSERT_OK(mio_tcp_stream_local_addr(&c, &client_local));
	ASSERT_EQ(mio_sockaddr_port(&peer), mio_sockaddr_port(&client_local));
	ASSERT_UEQ(peer.v4.sin_addr.s_addr, client_local.v4.sin_addr.s_addr);
	mio_tcp_stream_close(&s);
	mio_tcp_stream_close(&c);
	mio_tcp_listener_close(&l);
}

/* mio_tcp_listener_from_fd adopts a plain blocking socket as it is. */
static void from_fd(void)
{
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr addr = loopback(AF_INET), bound;
	mio_raw_fd fd = test_socket(AF_INET, SOCK_STREAM);

	ASSERT_EQ(bind(fd, &addr.sa, sizeof(addr.v4)), 0);
	ASSERT_EQ(listen(fd, 8), 0);
	ASSERT_OK(mio_tcp_listener_from_fd(&l, fd));
	ASSERT_EQ(l.source.fd, fd);
	assert_fd_flags(l.source.fd);
	ASSERT_OK(mio_tcp_listener_local_addr(&l, &bound));
	ASSERT_OK(mio_tcp_stream_connect(&c, &bound));
	accept_one(&l, &s, NULL);
	mio_tcp_stream_close(&s);
	mio_tcp_stream_close(&c);
	ASSERT_OK(mio_tcp_listener_close(&l));
	/* The listener owned fd: it is closed now. */
	ASSERT(!test_socket_is_open(fd));
}

/* A failed from_fd leaves *out inert and the descriptor to the caller. */
static void from_fd_bad(void)
{
	mio_tcp_listener l;
	mio_raw_fd fd = test_socket(AF_INET, SOCK_STREAM);

	test_close_socket(fd);
	memset(&l, 0x5a, sizeof(l));
	ASSERT_ERR(mio_tcp_listener_from_fd(&l, fd), MIO_EBADF);
	ASSERT_EQ(l.source.fd, -1);
	memset(&l, 0x5a, sizeof(l));
	ASSERT_ERR(mio_tcp_listener_from_fd(&l, -1), MIO_EBADF);
	ASSERT_EQ(l.source.fd, -1);
	ASSERT_ERR(mio_tcp_listener_from_fd(NULL, 0), MIO_EINVAL);
}

static void ttl(void)
{
	mio_tcp_listener l;
	mio_sockaddr addr;
	uint32_t t = 0;
	int v = 0;
	socklen_t len = sizeof(v);

	listen_on(AF_INET, &l, &addr);
	/* Without a previous set: the OS default, some valid TTL. */
	ASSERT_OK(mio_tcp_listener_ttl(&l, &t));
	ASSERT(t >= 1 && t <= 255);
	ASSERT_OK(mio_tcp_listener_set_ttl(&l, 42));
	ASSERT_OK(mio_tcp_listener_ttl(&l, &t));
	ASSERT_UEQ(t, 42);
	ASSERT_EQ(getsockopt(l.source.fd, IPPROTO_IP, IP_TTL, (void *)&v, &len),
		  0);
	ASSERT_EQ(v, 42);
	ASSERT_ERR(mio_tcp_listener_set_ttl(&l, 0x80000000u), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_listener_ttl(&l, NULL), MIO_EINVAL);
	mio_tcp_listener_close(&l);
	ASSERT_ERR(mio_tcp_listener_set_ttl(&l, 42), MIO_EBADF);
	ASSERT_ERR(mio_tcp_listener_ttl(&l, &t), MIO_EBADF);

	if (!ipv6_available())
		return;
	/* An IPv6 socket's TTL is its unicast hop limit. */
	listen_on(AF_INET6, &l, &addr);
	ASSERT_OK(mio_tcp_listener_set_ttl(&l, 7));
	ASSERT_OK(mio_tcp_listener_ttl(&l, &t));
	ASSERT_UEQ(t, 7);
	ASSERT_EQ(getsockopt(l.source.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
			     (void *)&v, &len),
		  0);
	ASSERT_EQ(v, 7);
	mio_tcp_listener_close(&l);
}

/*
 * SO_REUSEADDR is set on POSIX (not on Windows, where it would let another
 * socket take the port); IPV6_V6ONLY is left at the OS default.
 */
static void socket_options(void)
{
	mio_tcp_listener l;
	mio_sockaddr addr;
	int v = 0, def = -1;
	socklen_t len = sizeof(v);

	listen_on(AF_INET, &l, &addr);
	ASSERT_EQ(getsockopt(l.source.fd, SOL_SOCKET, SO_REUSEADDR, (void *)&v,
			     &len),
		  0);
	ASSERT_EQ(v != 0, !TEST_WINDOWS);
	ASSERT_OK(mio_tcp_listener_take_error(&l));
	mio_tcp_listener_close(&l);

	if (!ipv6_available())
		return;
	/*
	 * The OS default, for a plain socket bound the same way (Linux turns
	 * IPV6_V6ONLY on when binding a specific IPv6 address such as ::1).
	 */
	mio_raw_fd fd = test_socket(AF_INET6, SOCK_STREAM);
	mio_sockaddr any6 = loopback(AF_INET6);
	ASSERT_EQ(bind(fd, &any6.sa, sizeof(any6.v6)), 0);
	ASSERT_EQ(getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, (void *)&def, &len),
		  0);
	test_close_socket(fd);
	listen_on(AF_INET6, &l, &addr);
	ASSERT_EQ(getsockopt(l.source.fd, IPPROTO_IPV6, IPV6_V6ONLY, (void *)&v,
			     &len),
		  0);
	/* A boolean (Wine writes only its first byte into the int). */
	ASSERT_EQ(v != 0, def != 0);
	mio_tcp_listener_close(&l);
}

/* mio's bind_twice_bad: the second bind fails and leaks nothing. */
static void bind_twice(void)
{
	mio_tcp_listener l1, l2;
	mio_sockaddr addr;
	int fds;

	listen_on(AF_INET, &l1, &addr);
	fds = count_open_fds();
	memset(&l2, 0x5a, sizeof(l2));
	ASSERT_ERR(mio_tcp_listener_bind(&l2, &addr), MIO_EADDRINUSE);
	ASSERT_EQ(l2.source.fd, -1);
	ASSERT_EQ(count_open_fds(), fds);
	mio_tcp_listener_close(&l1);
}

static void backlog(void)
{
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr any = loopback(AF_INET), addr;
	int fds = count_open_fds();

	memset(&l, 0x5a, sizeof(l));
	ASSERT_ERR(mio_tcp_listener_bind_backlog(&l, &any, 0), MIO_EINVAL);
	ASSERT_EQ(l.source.fd, -1);
	ASSERT_ERR(mio_tcp_listener_bind_backlog(&l, &any, -1), MIO_EINVAL);
	ASSERT_EQ(l.source.fd, -1);
	ASSERT_EQ(count_open_fds(), fds);

	ASSERT_OK(mio_tcp_listener_bind_backlog(&l, &any, 1));
	assert_fd_flags(l.source.fd);
	ASSERT_OK(mio_tcp_listener_local_addr(&l, &addr));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	accept_one(&l, &s, NULL);
	mio_tcp_stream_close(&s);
	mio_tcp_stream_close(&c);
	mio_tcp_listener_close(&l);
	/* A huge backlog is the OS's to cap. */
	ASSERT_OK(mio_tcp_listener_bind_backlog(&l, &any, 0x7fffffff));
	mio_tcp_listener_close(&l);
}

static void bad_input(void)
{
	mio_tcp_listener l;
	mio_tcp_stream s;
	mio_sockaddr addr, garbage;
	uint32_t t;
	int fds = count_open_fds();

	memset(&garbage, 0, sizeof(garbage));
	garbage.sa.sa_family = AF_UNIX;
	memset(&l, 0x5a, sizeof(l));
	ASSERT_ERR(mio_tcp_listener_bind(&l, &garbage), MIO_EINVAL);
	ASSERT_EQ(l.source.fd, -1);
	memset(&l, 0x5a, sizeof(l));
	ASSERT_ERR(mio_tcp_listener_bind(&l, NULL), MIO_EINVAL);
	ASSERT_EQ(l.source.fd, -1);
	ASSERT_ERR(mio_tcp_listener_bind(NULL, &addr), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_listener_bind_backlog(NULL, &addr, 1), MIO_EINVAL);
	ASSERT_EQ(count_open_fds(), fds);

	ASSERT_ERR(mio_tcp_listener_accept(NULL, &s, NULL), MIO_EINVAL);
	ASSERT_EQ(s.source.fd, -1);
	ASSERT_ERR(mio_tcp_listener_local_addr(NULL, &addr), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_listener_set_ttl(NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_listener_ttl(NULL, &t), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_listener_take_error(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_listener_close(NULL), MIO_EINVAL);

	listen_on(AF_INET, &l, &addr);
	ASSERT_ERR(mio_tcp_listener_accept(&l, NULL, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_tcp_listener_local_addr(&l, NULL), MIO_EINVAL);
	ASSERT_OK(mio_tcp_listener_close(&l));
	/* A closed listener: MIO_EBADF everywhere, close is a no-op. */
	scribble(&s);
	ASSERT_ERR(mio_tcp_listener_accept(&l, &s, NULL), MIO_EBADF);
	ASSERT_EQ(s.source.fd, -1);
	ASSERT_ERR(mio_tcp_listener_local_addr(&l, &addr), MIO_EBADF);
	ASSERT_ERR(mio_tcp_listener_take_error(&l), MIO_EBADF);
	ASSERT_OK(mio_tcp_listener_close(&l));
	ASSERT_OK(mio_tcp_listener_close(&l));
	ASSERT_EQ(count_open_fds(), fds);
}

/* mio's registering/reregister tests. */
static void reregister(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr addr;
	mio_registry *r;
	const struct expect_event want = { WAKE, EXPECT_READABLE };

	poll_setup(&poll, &events);
	r = mio_poll_registry(poll);
	listen_on(AF_INET, &l, &addr);
	ASSERT_OK(mio_registry_register(r, &l.source, LISTENER, MIO_WRITABLE));
	ASSERT_OK(mio_registry_reregister(r, &l.source, WAKE, MIO_READABLE));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	expect_events(poll, events, &want, 1);
	accept_one(&l, &s, NULL);
	mio_tcp_stream_close(&s);
	mio_tcp_stream_close(&c);
	mio_tcp_listener_close(&l);
	poll_teardown(poll, events);
}

/* mio's no_events_after_deregister and regression issue_1205. */
static void no_events_after_deregister(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr addr;
	mio_registry *r;

	poll_setup(&poll, &events);
	r = mio_poll_registry(poll);
	listen_on(AF_INET, &l, &addr);
	ASSERT_OK(mio_registry_register(r, &l.source, LISTENER, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(r, &l.source));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	expect_no_events(poll, events);
	/* The connection is still there to accept. */
	accept_one(&l, &s, NULL);
	expect_no_events(poll, events);
	mio_tcp_stream_close(&s);
	mio_tcp_stream_close(&c);
	mio_tcp_listener_close(&l);
	poll_teardown(poll, events);
}

/* Closing a registered listener deregisters it; the poll stays usable. */
static void close_registered(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_listener l;
	mio_sockaddr addr;
	int fds;

	poll_setup(&poll, &events);
	fds = count_open_fds();
	listen_on(AF_INET, &l, &addr);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &l.source,
					LISTENER, MIO_READABLE));
	ASSERT_OK(mio_tcp_listener_close(&l));
	ASSERT_EQ(count_open_fds(), fds);
	/* A new listener (maybe with the same descriptor) registers anew. */
	listen_on(AF_INET, &l, &addr);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &l.source,
					LISTENER, MIO_READABLE));
	ASSERT_OK(mio_tcp_listener_close(&l));
	poll_teardown(poll, events);
}

int main(void)
{
	RUN(listener_ipv4);
	RUN(listener_ipv6);
	RUN(accept_reports_peer);
	RUN(from_fd);
	RUN(from_fd_bad);
	RUN(ttl);
	RUN(socket_options);
	RUN(bind_twice);
	RUN(backlog);
	RUN(bad_input);
	RUN(reregister);
	RUN(no_events_after_deregister);
	RUN(close_registered);
	return test_summary();
}
