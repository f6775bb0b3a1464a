/*
 * mio_udp_socket (mio's tests/udp_socket.rs): unconnected and connected
 * datagrams, peeking, options, multicast membership, registration and
 * edge-triggered behaviour, and bad input. Loopback only.
 */

#if defined(_WIN32)
#include <winsock2.h>
#include <iphlpapi.h> /* if_nametoindex */
#else
#include <arpa/inet.h>
#include <net/if.h>
#endif

#include "inet.h"

enum { ONE = 1, TWO = 2 };

static void bind_udp(int family, mio_udp_socket *u, mio_sockaddr *addr)
{
	mio_sockaddr any = loopback(family);

	ASSERT_OK(mio_udp_socket_bind(u, &any));
	assert_fd_flags(u->source.fd);
	ASSERT_OK(mio_udp_socket_local_addr(u, addr));
	ASSERT_EQ(addr->sa.sa_family, family);
	ASSERT_NE(mio_sockaddr_port(addr), 0);
}

static bool same_addr(const mio_sockaddr *a, const mio_sockaddr *b)
{
	if (a->sa.sa_family != b->sa.sa_family ||
	    mio_sockaddr_port(a) != mio_sockaddr_port(b))
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->v4.sin_addr.s_addr == b->v4.sin_addr.s_addr;
	return memcmp(&a->v6.sin6_addr, &b->v6.sin6_addr, 16) == 0;
}

static void unconnected(int family)
{
	mio_poll *poll;
	mio_events *events;
	mio_udp_socket u1, u2;
	mio_sockaddr a1, a2, from;
	char buf[64];
	mio_ssize r;
	const struct expect_event writable[] = { { ONE, EXPECT_WRITABLE },
						 { TWO, EXPECT_WRITABLE } };
	const struct expect_event readable = { TWO, EXPECT_READABLE };

	poll_setup(&poll, &events);
	bind_udp(family, &u1, &a1);
	bind_udp(family, &u2, &a2);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &u1.source,
					ONE, MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &u2.source,
					TWO, MIO_READABLE | MIO_WRITABLE));
	expect_events(poll, events, writable, 2);
	ASSERT_ERR(mio_udp_socket_recv_from(&u2, buf, sizeof(buf), &from),
		   MIO_EAGAIN);
	ASSERT_ERR(mio_udp_socket_peek_from(&u2, buf, sizeof(buf), &from),
		   MIO_EAGAIN);

	ASSERT_EQ(mio_udp_socket_send_to(&u1, "hello", 5, &a2), 5);
	ASSERT_EQ(mio_udp_socket_send_to(&u1, "world!", 6, &a2), 6);
	expect_events(poll, events, &readable, 1);
	memset(&from, 0, sizeof(from));
	ASSERT_EQ(mio_udp_socket_peek_from(&u2, buf, sizeof(buf), &from), 5);
	ASSERT(memcmp(buf, "hello", 5) == 0);
	ASSERT(same_addr(&from, &a1));
	memset(&from, 0, sizeof(from));
	ASSERT_EQ(mio_udp_socket_recv_from(&u2, buf, sizeof(buf), &from), 5);
	ASSERT(memcmp(buf, "hello", 5) == 0);
	ASSERT(same_addr(&from, &a1));
	/* from may be NULL. */
	ASSERT_EQ(mio_udp_socket_recv_from(&u2, buf, sizeof(buf), NULL), 6);
	ASSERT(memcmp(buf, "world!", 6) == 0);
	ASSERT_ERR(mio_udp_socket_recv_from(&u2, buf, sizeof(buf), &from),
		   MIO_EAGAIN);

	/* Not connected: no peer, and send without an address fails. */
	ASSERT_ERR(mio_udp_socket_peer_addr(&u1, &from), MIO_ENOTCONN);
	r = mio_udp_socket_send(&u1, "x", 1);
	if (!TEST_WINDOWS)
		ASSERT_ERR(r, MIO_EDESTADDRREQ);
	else if (!(test_under_wine() && r == MIO_EINVAL))
		ASSERT_ERR(r, MIO_ENOTCONN); /* WSAENOTCONN, as mio notes */

	ASSERT_OK(mio_udp_socket_close(&u1));
	ASSERT_OK(mio_udp_socket_close(&u2));
	poll_teardown(poll, events);
}

static void unconnected_ipv4(void)
{
	unconnected(AF_INET);
}

static void unconnected_ipv6(void)
{
	if (!ipv6_available()) {
		printf("# ::1 unavailable, IPv6 part skipped\n");
		return;
	}
	unconnected(AF_INET6);
}

/* mio's empty_datagram: a zero-length datagram is sent and received. */
static void empty_datagram(void)
{
	mio_udp_socket u1, u2;
	mio_sockaddr a1, a2, from;
	char buf[8];

	bind_udp(AF_INET, &u1, &a1);
	bind_udp(AF_INET, &u2, &a2);
	ASSERT_EQ(mio_udp_socket_send_to(&u1, NULL, 0, &a2), 0);
	wait_fd(u2.source.fd, POLLIN);
	ASSERT_EQ(mio_udp_socket_recv_from(&u2, buf, sizeof(buf), &from), 0);
	ASSERT(same_addr(&from, &a1));
	ASSERT_ERR(mio_udp_socket_recv_from(&u2, buf, sizeof(buf), &from),
		   MIO_EAGAIN);
	mio_udp_socket_close(&u1);
	mio_udp_socket_close(&u2);
}

static void connected(int family)
{
	mio_udp_socket u1, u2;
	mio_sockaddr a1, a2, peer, from;
	char buf[64];

	bind_udp(family, &u1, &a1);
	bind_udp(family, &u2, &a2);
	ASSERT_OK(mio_udp_socket_connect(&u1, &a2));
	ASSERT_OK(mio_udp_socket_connect(&u2, &a1));
	ASSERT_OK(mio_udp_socket_peer_addr(&u1, &peer));
	ASSERT(same_addr(&peer, &a2));

	ASSERT_EQ(mio_udp_socket_send(&u1, "ping", 4), 4);
	wait_fd(u2.source.fd, POLLIN);
	ASSERT_EQ(mio_udp_socket_peek(&u2, buf, sizeof(buf)), 4);
	ASSERT_EQ(mio_udp_socket_recv(&u2, buf, sizeof(buf)), 4);
	ASSERT(memcmp(buf, "ping", 4) == 0);
	ASSERT_ERR(mio_udp_socket_recv(&u2, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_ERR(mio_udp_socket_peek(&u2, buf, sizeof(buf)), MIO_EAGAIN);

	/* The unconnected methods work on a connected socket too. */
	ASSERT_EQ(mio_udp_socket_send_to(&u2, "pong", 4, &a1), 4);
	wait_fd(u1.source.fd, POLLIN);
	ASSERT_EQ(mio_udp_socket_recv_from(&u1, buf, sizeof(buf), &from), 4);
	ASSERT(memcmp(buf, "pong", 4) == 0);
	ASSERT(same_addr(&from, &a2));
	mio_udp_socket_close(&u1);
	mio_udp_socket_close(&u2);
}

static void connected_ipv4(void)
{
	connected(AF_INET);
}

static void connected_ipv6(void)
{
	if (!ipv6_available()) {
		printf("# ::1 unavailable, IPv6 part skipped\n");
		return;
	}
	connected(AF_INET6);
}

/* mio's reconnect_udp_socket_sending/receiving. */
static void reconnect(void)
{
	mio_udp_socket u, a, b;
	mio_sockaddr ua, aa, ba, peer;
	char buf[8];

	bind_udp(AF_INET, &u, &ua);
	bind_udp(AF_INET, &a, &aa);
	bind_udp(AF_INET, &b, &ba);
	ASSERT_OK(mio_udp_socket_connect(&u, &aa));
	ASSERT_EQ(mio_udp_socket_send(&u, "1", 1), 1);
	ASSERT_OK(mio_udp_socket_connect(&u, &ba));
	ASSERT_OK(mio_udp_socket_peer_addr(&u, &peer));
	ASSERT(same_addr(&peer, &ba));
	ASSERT_EQ(mio_udp_socket_send(&u, "2", 1), 1);
	wait_fd(a.source.fd, POLLIN);
	ASSERT_EQ(mio_udp_socket_recv(&a, buf, sizeof(buf)), 1);
	ASSERT_EQ(buf[0], '1');
	wait_fd(b.source.fd, POLLIN);
	ASSERT_EQ(mio_udp_socket_recv(&b, buf, sizeof(buf)), 1);
	ASSERT_EQ(buf[0], '2');
	/* Connected to b now: what a sends is filtered out. */
	ASSERT_EQ(mio_udp_socket_send_to(&a, "3", 1, &ua), 1);
	ASSERT_EQ(mio_udp_socket_send_to(&b, "4", 1, &ua), 1);
	wait_fd(u.source.fd, POLLIN);
	ASSERT_EQ(mio_udp_socket_recv(&u, buf, sizeof(buf)), 1);
	ASSERT_EQ(buf[0], '4');
	mio_udp_socket_close(&u);
	mio_udp_socket_close(&a);
	mio_udp_socket_close(&b);
}

static void options(void)
{
	mio_udp_socket u;
	mio_sockaddr a;
	uint32_t v = 0;
	bool on = true;
	int raw = 0;
	socklen_t len = sizeof(raw);

	bind_udp(AF_INET, &u, &a);
	ASSERT_OK(mio_udp_socket_ttl(&u, &v));
	ASSERT(v >= 1 && v <= 255);
	ASSERT_OK(mio_udp_socket_set_ttl(&u, 33));
	ASSERT_OK(mio_udp_socket_ttl(&u, &v));
	ASSERT_UEQ(v, 33);

	ASSERT_OK(mio_udp_socket_broadcast(&u, &on));
	ASSERT(!on);
	ASSERT_OK(mio_udp_socket_set_broadcast(&u, true));
	ASSERT_OK(mio_udp_socket_broadcast(&u, &on));
	ASSERT(on);
	ASSERT_EQ(getsockopt(u.source.fd, SOL_SOCKET, SO_BROADCAST,
			     (void *)&raw, &len),
		  0);
	ASSERT(raw != 0);

	ASSERT_OK(mio_udp_socket_multicast_loop_v4(&u, &on));
	ASSERT(on);
	ASSERT_OK(mio_udp_socket_set_multicast_loop_v4(&u, false));
	ASSERT_OK(mio_udp_socket_multicast_loop_v4(&u, &on));
	ASSERT(!on);

	ASSERT_OK(mio_udp_socket_multicast_ttl_v4(&u, &v));
	ASSERT_UEQ(v, 1);
	ASSERT_OK(mio_udp_socket_set_multicast_ttl_v4(&u, 42));
	ASSERT_OK(mio_udp_socket_multicast_ttl_v4(&u, &v));
	ASSERT_UEQ(v, 42);
	ASSERT_ERR(mio_udp_socket_set_multicast_ttl_v4(&u, 256), MIO_EINVAL);

	/* IPv6 options on an IPv4 socket are the OS's error. */
	ASSERT(mio_udp_socket_only_v6(&u, &on) < 0);
	ASSERT_ERR(mio_udp_socket_broadcast(&u, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_ttl(&u, NULL), MIO_EINVAL);
	mio_udp_socket_close(&u);

	if (!ipv6_available())
		return;
	bind_udp(AF_INET6, &u, &a);
	ASSERT_OK(mio_udp_socket_multicast_loop_v6(&u, &on));
	ASSERT(on);
	ASSERT_OK(mio_udp_socket_set_multicast_loop_v6(&u, false));
	ASSERT_OK(mio_udp_socket_multicast_loop_v6(&u, &on));
	ASSERT(!on);
	ASSERT_OK(mio_udp_socket_set_ttl(&u, 5));
	ASSERT_OK(mio_udp_socket_ttl(&u, &v));
	ASSERT_UEQ(v, 5);
	ASSERT_EQ(getsockopt(u.source.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
			     (void *)&raw, &len),
		  0);
	ASSERT_EQ(raw, 5);
	/* only_v6 reports the option as it is. */
	ASSERT_EQ(getsockopt(u.source.fd, IPPROTO_IPV6, IPV6_V6ONLY,
			     (void *)&raw, &len),
		  0);
	ASSERT_OK(mio_udp_socket_only_v6(&u, &on));
	ASSERT_EQ(on, raw != 0);
	mio_udp_socket_close(&u);
}

/*
 * Joining and leaving a group on the loopback interface: membership
 * only, nothing is sent.
 */
static void multicast_v4(void)
{
	mio_udp_socket u;
	mio_sockaddr a;
	struct in_addr group, iface, unicast;
	int r;

	ASSERT_EQ(inet_pton(AF_INET, "239.255.77.1", &group), 1);
	ASSERT_EQ(inet_pton(AF_INET, "127.0.0.1", &iface), 1);
	unicast = iface;
	bind_udp(AF_INET, &u, &a);
	r = mio_udp_socket_join_multicast_v4(&u, &group, &iface);
	if (r == -ENODEV || r == MIO_EADDRNOTAVAIL || r == MIO_ENOBUFS) {
		printf("# kernel refused a loopback multicast join: %s\n",
		       mio_err_name(r));
		mio_udp_socket_close(&u);
		return;
	}
	ASSERT_OK(r);
	/* Joining twice is the OS's error; leaving works once. */
	ASSERT_ERR(mio_udp_socket_join_multicast_v4(&u, &group, &iface),
		   MIO_EADDRINUSE);
	ASSERT_OK(mio_udp_socket_leave_multicast_v4(&u, &group, &iface));
	r = mio_udp_socket_leave_multicast_v4(&u, &group, &iface);
	if (test_under_wine())
		ASSERT(r < 0); /* Wine says MIO_EINVAL */
	else
		ASSERT_ERR(r, MIO_EADDRNOTAVAIL);
	/* A unicast address is no group. */
	ASSERT_ERR(mio_udp_socket_join_multicast_v4(&u, &unicast, &iface),
		   MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_join_multicast_v4(&u, NULL, &iface),
		   MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_join_multicast_v4(&u, &group, NULL),
		   MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_leave_multicast_v4(NULL, &group, &iface),
		   MIO_EINVAL);
	mio_udp_socket_close(&u);
	ASSERT_ERR(mio_udp_socket_join_multicast_v4(&u, &group, &iface),
		   MIO_EBADF);
}

static void multicast_v6(void)
{
	mio_udp_socket u;
	mio_sockaddr a;
	struct in6_addr group;
	unsigned lo = if_nametoindex(TEST_WINDOWS ? "loopback_0" : "lo");
	int r;

	if (!ipv6_available() || lo == 0) {
		printf("# no IPv6 loopback interface, skipped\n");
		return;
	}
	ASSERT_EQ(inet_pton(AF_INET6, "ff02::1:77", &group), 1);
	bind_udp(AF_INET6, &u, &a);
	r = mio_udp_socket_join_multicast_v6(&u, &group, lo);
	if (r == -ENODEV || r == MIO_EADDRNOTAVAIL || r == MIO_ENOBUFS) {
		printf("# kernel refused a loopback multicast join: %s\n",
		       mio_err_name(r));
		mio_udp_socket_close(&u);
		return;
	}
	ASSERT_OK(r);
	ASSERT_OK(mio_udp_socket_leave_multicast_v6(&u, &group, lo));
	ASSERT(mio_udp_socket_leave_multicast_v6(&u, &group, lo) < 0);
	ASSERT_ERR(mio_udp_socket_join_multicast_v6(&u, NULL, lo), MIO_EINVAL);
	mio_udp_socket_close(&u);
	ASSERT_ERR(mio_udp_socket_join_multicast_v6(&u, &group, lo), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_leave_multicast_v6(&u, &group, lo),
		   MIO_EBADF);
}

/*
 * mio's et_behavior_recv: a readable event, one datagram of two read, no
 * new event; after reading until MIO_EAGAIN, a new datagram brings one.
 */
static void edge_triggered(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_udp_socket u1, u2;
	mio_sockaddr a1, a2;
	char buf[8];
	const struct expect_event readable = { TWO, EXPECT_READABLE };

	poll_setup(&poll, &events);
	bind_udp(AF_INET, &u1, &a1);
	bind_udp(AF_INET, &u2, &a2);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &u2.source,
					TWO, MIO_READABLE));
	expect_no_events(poll, events);
	ASSERT_EQ(mio_udp_socket_send_to(&u1, "a", 1, &a2), 1);
	ASSERT_EQ(mio_udp_socket_send_to(&u1, "b", 1, &a2), 1);
	expect_events(poll, events, &readable, 1);
	ASSERT_EQ(mio_udp_socket_recv(&u2, buf, sizeof(buf)), 1);
	expect_no_events(poll, events);
	ASSERT_EQ(mio_udp_socket_recv(&u2, buf, sizeof(buf)), 1);
	ASSERT_ERR(mio_udp_socket_recv(&u2, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_udp_socket_send_to(&u1, "c", 1, &a2), 1);
	expect_events(poll, events, &readable, 1);
	mio_udp_socket_close(&u1);
	mio_udp_socket_close(&u2);
	poll_teardown(poll, events);
}

/* mio's udp_socket_register/reregister/no_events_after_deregister. */
static void registration(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *r;
	mio_udp_socket u1, u2;
	mio_sockaddr a1, a2;
	const struct expect_event readable = { ONE, EXPECT_READABLE };

	poll_setup(&poll, &events);
	r = mio_poll_registry(poll);
	bind_udp(AF_INET, &u1, &a1);
	bind_udp(AF_INET, &u2, &a2);
	ASSERT_OK(mio_registry_register(r, &u2.source, TWO, MIO_READABLE));
	ASSERT_OK(mio_registry_reregister(r, &u2.source, ONE, MIO_READABLE));
	ASSERT_EQ(mio_udp_socket_send_to(&u1, "a", 1, &a2), 1);
	expect_events(poll, events, &readable, 1);
	ASSERT_OK(mio_registry_deregister(r, &u2.source));
	ASSERT_EQ(mio_udp_socket_send_to(&u1, "b", 1, &a2), 1);
	expect_no_events(poll, events);
	mio_udp_socket_close(&u1);
	mio_udp_socket_close(&u2);
	poll_teardown(poll, events);
}

/* A connected socket learns of an unreachable port: take_error. */
static void take_error(void)
{
	mio_udp_socket u, gone;
	mio_sockaddr ua, ga;
	char buf[8];
	int err = 0;

	bind_udp(AF_INET, &gone, &ga);
	mio_udp_socket_close(&gone);
	bind_udp(AF_INET, &u, &ua);
	ASSERT_OK(mio_udp_socket_take_error(&u));
	ASSERT_OK(mio_udp_socket_connect(&u, &ga));
	ASSERT_EQ(mio_udp_socket_send(&u, "?", 1), 1);
	if (TEST_WINDOWS) {
		/*
		 * The library turns SIO_UDP_CONNRESET off: the ICMP answer
		 * leaves no error behind. (Wine ignores that setting, but
		 * shows the host's pending error only in SO_ERROR.)
		 */
		test_poll_socket(u.source.fd, POLLERR, 200);
		err = mio_udp_socket_take_error(&u);
		if (!(test_under_wine() && err == MIO_ECONNREFUSED))
			ASSERT_OK(err);
		ASSERT_ERR(mio_udp_socket_recv(&u, buf, sizeof(buf)),
			   MIO_EAGAIN);
		mio_udp_socket_close(&u);
		return;
	}
	/* The ICMP port-unreachable comes back on loopback. */
	wait_fd(u.source.fd, POLLERR);
	err = mio_udp_socket_take_error(&u);
	ASSERT_ERR(err, MIO_ECONNREFUSED);
	ASSERT_OK(mio_udp_socket_take_error(&u));
	ASSERT_ERR(mio_udp_socket_recv(&u, buf, sizeof(buf)), MIO_EAGAIN);
	mio_udp_socket_close(&u);
}

static void from_fd(void)
{
	mio_udp_socket u;
	mio_sockaddr any = loopback(AF_INET), a;
	char buf[4];
	mio_raw_fd fd = test_socket(AF_INET, SOCK_DGRAM);

	ASSERT_EQ(bind(fd, &any.sa, sizeof(any.v4)), 0);
	ASSERT_OK(mio_udp_socket_from_fd(&u, fd));
	ASSERT_EQ(u.source.fd, fd);
	assert_fd_flags(fd);
	ASSERT_OK(mio_udp_socket_local_addr(&u, &a));
	ASSERT_ERR(mio_udp_socket_recv(&u, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_OK(mio_udp_socket_close(&u));
	ASSERT(!test_socket_is_open(fd));
	memset(&u, 0x5a, sizeof(u));
	ASSERT_ERR(mio_udp_socket_from_fd(&u, -1), MIO_EBADF);
	ASSERT_EQ(u.source.fd, -1);
	ASSERT_ERR(mio_udp_socket_from_fd(NULL, 0), MIO_EINVAL);
}

static void bad_input(void)
{
	mio_udp_socket u, u2;
	mio_sockaddr a, garbage;
	char buf[4];
	bool on;
	uint32_t v;
	int fds = count_open_fds();

	memset(&garbage, 0, sizeof(garbage));
	garbage.sa.sa_family = AF_UNIX;
	memset(&u, 0x5a, sizeof(u));
	ASSERT_ERR(mio_udp_socket_bind(&u, &garbage), MIO_EINVAL);
	ASSERT_EQ(u.source.fd, -1);
	memset(&u, 0x5a, sizeof(u));
	ASSERT_ERR(mio_udp_socket_bind(&u, NULL), MIO_EINVAL);
	ASSERT_EQ(u.source.fd, -1);
	ASSERT_ERR(mio_udp_socket_bind(NULL, &garbage), MIO_EINVAL);

	bind_udp(AF_INET, &u, &a);
	/* The same address twice: the OS's error, and no leak. */
	memset(&u2, 0x5a, sizeof(u2));
	ASSERT_ERR(mio_udp_socket_bind(&u2, &a), MIO_EADDRINUSE);
	ASSERT_EQ(u2.source.fd, -1);
	ASSERT_ERR(mio_udp_socket_send_to(&u, buf, 1, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_send_to(&u, buf, 1, &garbage), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_send_to(&u, NULL, 1, &a), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_recv_from(&u, NULL, 1, &a), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_connect(&u, &garbage), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_connect(&u, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_local_addr(&u, NULL), MIO_EINVAL);
	ASSERT_OK(mio_udp_socket_close(&u));

	/* Closed: MIO_EBADF everywhere; close again is a no-op. */
	ASSERT_ERR(mio_udp_socket_send_to(&u, buf, 1, &a), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_recv_from(&u, buf, 1, &a), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_peek_from(&u, buf, 1, &a), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_send(&u, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_recv(&u, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_peek(&u, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_connect(&u, &a), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_local_addr(&u, &a), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_peer_addr(&u, &a), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_broadcast(&u, true), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_broadcast(&u, &on), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_multicast_loop_v4(&u, true), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_multicast_loop_v4(&u, &on), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_multicast_ttl_v4(&u, 1), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_multicast_ttl_v4(&u, &v), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_multicast_loop_v6(&u, true), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_multicast_loop_v6(&u, &on), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_ttl(&u, 1), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_ttl(&u, &v), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_only_v6(&u, &on), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_take_error(&u), MIO_EBADF);
	ASSERT_OK(mio_udp_socket_close(&u));

	/* NULL objects. */
	ASSERT_ERR(mio_udp_socket_send(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_recv(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_local_addr(NULL, &a), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_set_ttl(NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_only_v6(NULL, &on), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_take_error(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_udp_socket_close(NULL), MIO_EINVAL);
	ASSERT_EQ(count_open_fds(), fds);
}

int main(void)
{
	RUN(unconnected_ipv4);
	RUN(unconnected_ipv6);
	RUN(empty_datagram);
	RUN(connected_ipv4);
	RUN(connected_ipv6);
	RUN(reconnect);
	RUN(options);
	RUN(multicast_v4);
	RUN(multicast_v6);
	RUN(edge_triggered);
	RUN(registration);
	RUN(take_error);
	RUN(from_fd);
	RUN(bad_input);
	return test_summary();
}
