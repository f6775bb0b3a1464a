/*
 * All-zero objects are inert (API.md, "All-zero objects are inert"): an
 * object no constructor filled in (= {0}, memset, calloc) acts like a
 * closed one. Every call on it gives MIO_EBADF and touches no descriptor,
 * *_close is a no-op that returns 0, and a bare all-zero mio_source is
 * refused by the registry. Here the objects of every platform: a bare
 * source, TCP, UDP, and on Windows named pipes; on POSIX each case runs
 * with a witness on descriptor 0 (zero_objects.h).
 * test_posix_zero_objects.c has Unix-domain sockets, pipes, and the
 * objects that really own descriptor 0.
 */

#include "zero_objects.h"

static void bare_source(void)
{
	struct witness w;
	mio_source s;

	memset(&s, 0, sizeof(s));
	witness_begin(&w);
	source_refused(&s);
	witness_end(&w);
}

/* ---------------------------------------------------------------------- */
/* TCP and UDP                                                            */

static void tcp_listener(void)
{
	struct witness w;
	mio_tcp_listener l = { 0 };
	mio_tcp_stream out;
	mio_sockaddr addr, peer;
	uint32_t ttl = 7;

	witness_begin(&w);
	memset(&out, 0xff, sizeof(out));
	memset(&peer, 0xff, sizeof(peer));
	ASSERT_ERR(mio_tcp_listener_accept(&l, &out, &peer), MIO_EBADF);
	/* As with a closed listener: *out is inert, peer not written. */
	ASSERT_UEQ(out.source.fd, MIO_INVALID_FD);
	ASSERT_ERR(mio_tcp_stream_close(&out), 0);
	ASSERT_ERR(mio_tcp_listener_local_addr(&l, &addr), MIO_EBADF);
	ASSERT_ERR(mio_tcp_listener_set_ttl(&l, 9), MIO_EBADF);
	ASSERT_ERR(mio_tcp_listener_ttl(&l, &ttl), MIO_EBADF);
	ASSERT_EQ(ttl, 7);
	ASSERT_ERR(mio_tcp_listener_take_error(&l), MIO_EBADF);
	source_refused(&l.source);
	ASSERT_ERR(mio_tcp_listener_close(&l), 0);
	ASSERT_ERR(mio_tcp_listener_close(&l), 0);
	ASSERT(all_zero(&l, sizeof(l)));
	witness_end(&w);
}

static void tcp_stream(void)
{
	struct witness w;
	mio_tcp_stream s;
	mio_sockaddr addr;
	char buf[16] = "abc";
	mio_iovec iov = { .base = buf, .len = sizeof(buf) };
	bool on = true;
	uint32_t ttl = 7;

	memset(&s, 0, sizeof(s));
	witness_begin(&w);
	ASSERT_ERR(mio_tcp_stream_read(&s, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_peek(&s, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_readv(&s, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_write(&s, buf, 3), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_writev(&s, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_read(&s, buf, 0), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_peer_addr(&s, &addr), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_local_addr(&s, &addr), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_shutdown(&s, MIO_SHUTDOWN_BOTH), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_set_nodelay(&s, true), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_nodelay(&s, &on), MIO_EBADF);
	ASSERT(on);
	ASSERT_ERR(mio_tcp_stream_set_ttl(&s, 9), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_ttl(&s, &ttl), MIO_EBADF);
	ASSERT_EQ(ttl, 7);
	ASSERT_ERR(mio_tcp_stream_take_error(&s), MIO_EBADF);
	source_refused(&s.source);
	witness_check(&w);
	ASSERT_ERR(mio_tcp_stream_close(&s), 0);
	ASSERT(all_zero(&s, sizeof(s)));
	witness_end(&w);
}

/* A connection table as C programs keep one: closing unused slots. */
static void calloc_table(void)
{
	struct witness w;
	enum { SLOTS = 64 };
	mio_tcp_stream *table = calloc(SLOTS, sizeof(*table));
	char buf[8];

	ASSERT(table != NULL);
	witness_begin(&w);
	for (int i = 0; i < SLOTS; i++) {
		ASSERT_ERR(mio_tcp_stream_read(&table[i], buf, sizeof(buf)),
			   MIO_EBADF);
		ASSERT_ERR(mio_tcp_stream_close(&table[i]), 0);
	}
	witness_end(&w);
	free(table);
}

static void udp_socket(void)
{
	struct witness w;
	mio_udp_socket u;
	mio_sockaddr to = loopback(AF_INET), from, addr;
	struct in_addr group, iface;
	struct in6_addr group6;
	char buf[16] = "abc";
	bool on = true;
	uint32_t v = 7;

	memset(&u, 0, sizeof(u));
	memset(&group6, 0, sizeof(group6));
	group6.s6_addr[0] = 0xff;
	group6.s6_addr[1] = 0x02;
	group6.s6_addr[15] = 0x7b;
	group.s_addr = htonl(0xe000007bu); /* 224.0.0.123 */
	iface.s_addr = htonl(INADDR_ANY);
	witness_begin(&w);
	ASSERT_ERR(mio_udp_socket_local_addr(&u, &addr), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_peer_addr(&u, &addr), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_send_to(&u, buf, 3, &to), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_recv_from(&u, buf, sizeof(buf), &from),
		   MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_peek_from(&u, buf, sizeof(buf), &from),
		   MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_send(&u, buf, 3), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_recv(&u, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_peek(&u, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_connect(&u, &to), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_broadcast(&u, true), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_broadcast(&u, &on), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_multicast_loop_v4(&u, false), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_multicast_loop_v4(&u, &on), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_multicast_ttl_v4(&u, 3), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_multicast_ttl_v4(&u, &v), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_multicast_loop_v6(&u, false), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_multicast_loop_v6(&u, &on), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_set_ttl(&u, 9), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_ttl(&u, &v), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_join_multicast_v4(&u, &group, &iface),
		   MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_leave_multicast_v4(&u, &group, &iface),
		   MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_join_multicast_v6(&u, &group6, 0), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_leave_multicast_v6(&u, &group6, 0),
		   MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_only_v6(&u, &on), MIO_EBADF);
	ASSERT_ERR(mio_udp_socket_take_error(&u), MIO_EBADF);
	ASSERT(on);
	ASSERT_EQ(v, 7);
	source_refused(&u.source);
	ASSERT_ERR(mio_udp_socket_close(&u), 0);
	ASSERT(all_zero(&u, sizeof(u)));
	witness_end(&w);
}

#if defined(_WIN32)
/* ---------------------------------------------------------------------- */
/* Named pipes (Windows)                                                  */

static void named_pipe(void)
{
	mio_named_pipe np;
	char buf[16] = "abc";

	memset(&np, 0, sizeof(np));
	ASSERT_ERR(mio_named_pipe_connect(&np), MIO_EBADF);
	ASSERT_ERR(mio_named_pipe_disconnect(&np), MIO_EBADF);
	ASSERT_ERR(mio_named_pipe_take_error(&np), MIO_EBADF);
	ASSERT_ERR(mio_named_pipe_read(&np, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_named_pipe_write(&np, buf, 3), MIO_EBADF);
	source_refused(&np.source);
	ASSERT_ERR(mio_named_pipe_close(&np), 0);
	ASSERT(all_zero(&np, sizeof(np)));
}
#endif

int main(void)
{
	RUN(bare_source);
	RUN(tcp_listener);
	RUN(tcp_stream);
	RUN(calloc_table);
	RUN(udp_socket);
#if defined(_WIN32)
	RUN(named_pipe);
#endif
	return test_summary();
}
