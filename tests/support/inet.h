#ifndef MIO_TESTS_INET_H
#define MIO_TESTS_INET_H

/*
 * Shared by the TCP and UDP tests: loopback addresses, connected pairs,
 * and waiting on a descriptor with poll(2), outside of any mio_poll, so
 * that a test can wait for a state without consuming the events it is
 * about to check.
 */

#include "test.h"

#if !defined(_WIN32)
#include <fcntl.h>
#include <poll.h> /* POLLIN, ...: winsock2.h has them on Windows */
#include <unistd.h>
#endif

/* 127.0.0.1 or ::1 with port 0 (the OS picks one when binding). */
static inline mio_sockaddr loopback(int family)
{
	mio_sockaddr a;
	ASSERT_OK(mio_sockaddr_parse(&a, family == AF_INET6 ? "[::1]:0"
							    : "127.0.0.1:0"));
	return a;
}

/* Whether ::1 can be bound here (some containers have no IPv6). */
static inline bool ipv6_available(void)
{
	mio_sockaddr a = loopback(AF_INET6);
	mio_udp_socket u;

	if (mio_udp_socket_bind(&u, &a) < 0)
		return false;
	mio_udp_socket_close(&u);
	return true;
}

/* What every descriptor the library hands out must be. */
static inline void assert_fd_flags(mio_raw_fd fd)
{
	ASSERT(fd != MIO_INVALID_FD);
	assert_nonblocking(fd);
	assert_cloexec(fd);
}

/*
 * Waits (at most 5 s) until poll(2) reports any of `events` on fd and
 * returns what it reported; fails the test on timeout.
 */
static inline short wait_fd(mio_raw_fd fd, short events)
{
	for (int i = 0; i < 50; i++) {
		short r = test_poll_socket(fd, events, 100);
		if ((r & (events | POLLERR | POLLHUP)) != 0)
			return r;
	}
	FAIL_AT("descriptor %jd: no poll events %#x", (intmax_t)fd,
		(unsigned)events);
	return 0;
}

/* A listener on the loopback address of `family`, and its address. */
static inline void listen_on(int family, mio_tcp_listener *l,
			     mio_sockaddr *addr)
{
	mio_sockaddr any = loopback(family);

	ASSERT_OK(mio_tcp_listener_bind(l, &any));
	assert_fd_flags(l->source.fd);
	ASSERT_OK(mio_tcp_listener_local_addr(l, addr));
}

/* Accepts one connection, waiting for it to arrive. */
static inline void accept_one(mio_tcp_listener *l, mio_tcp_stream *out,
			      mio_sockaddr *peer)
{
	int r;

	while ((r = mio_tcp_listener_accept(l, out, peer)) == MIO_EAGAIN)
		wait_fd(l->source.fd, POLLIN);
	ASSERT_OK(r);
	assert_fd_flags(out->source.fd);
}

/*
 * A connected pair over loopback: client connected to server through a
 * fresh listener (closed again unless l is non-NULL).
 */
static inline void tcp_pair(int family, mio_tcp_stream *client,
			    mio_tcp_stream *server, mio_tcp_listener *l)
{
	mio_tcp_listener own;
	mio_sockaddr addr;

	if (l == NULL)
		l = &own;
	listen_on(family, l, &addr);
	ASSERT_OK(mio_tcp_stream_connect(client, &addr));
	assert_fd_flags(client->source.fd);
	accept_one(l, server, NULL);
	wait_fd(client->source.fd, POLLOUT);
	if (l == &own)
		ASSERT_OK(mio_tcp_listener_close(&own));
}

/* A connected pair of streams on 127.0.0.1, and closing both. */
static inline void stream_pair(mio_tcp_stream *a, mio_tcp_stream *b)
{
	tcp_pair(AF_INET, a, b, NULL);
}

static inline void close_pair(mio_tcp_stream *a, mio_tcp_stream *b)
{
	ASSERT_OK(mio_tcp_stream_close(a));
	ASSERT_OK(mio_tcp_stream_close(b));
}

/* Reads s until MIO_EAGAIN, as edge triggering asks; the byte count. */
static inline size_t drain_stream(mio_tcp_stream *s)
{
	char buf[4096];
	size_t total = 0;
	mio_ssize n;

	while ((n = mio_tcp_stream_read(s, buf, sizeof(buf))) > 0)
		total += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	return total;
}

/* A port on loopback that nothing listens on (bound, then closed). */
static inline mio_sockaddr closed_port(int family)
{
	mio_tcp_listener l;
	mio_sockaddr addr;

	listen_on(family, &l, &addr);
	ASSERT_OK(mio_tcp_listener_close(&l));
	return addr;
}

/* Makes the next close of s send a reset instead of a FIN. */
static inline void set_linger_zero(mio_raw_fd fd)
{
	test_set_linger_zero(fd);
}

/* A poll and an event buffer. */
static inline void poll_setup(mio_poll **poll, mio_events **events)
{
	ASSERT_OK(mio_poll_new(poll));
	ASSERT_OK(mio_events_new(64, events));
}

static inline void poll_teardown(mio_poll *poll, mio_events *events)
{
	mio_events_free(events);
	mio_poll_free(poll);
}

#endif
