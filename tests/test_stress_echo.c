/*
 * Echo under load over TCP on loopback, on every platform: a client
 * opens 10,000 connections to an echo server, which holds all of them at
 * once through one poll, and every byte sent in random-sized writes must
 * come back in order (stress_echo.h). test_uds_stress_echo.c runs the
 * same over a Unix socket on POSIX.
 */
/* ctest-labels: stress */

#include "stress_echo.h"

static int tcp_listen(mio_source *l, void *addr)
{
	mio_sockaddr any;

	ASSERT_OK(mio_sockaddr_parse(&any, "127.0.0.1:0"));
	ASSERT_OK(mio_tcp_listener_bind_backlog((mio_tcp_listener *)l, &any,
						4096));
	return mio_tcp_listener_local_addr((mio_tcp_listener *)l, addr);
}

static int tcp_accept(mio_source *l, mio_source *out)
{
	return mio_tcp_listener_accept((mio_tcp_listener *)l,
				       (mio_tcp_stream *)out, NULL);
}

static int tcp_connect(mio_source *out, const void *addr)
{
	return mio_tcp_stream_connect((mio_tcp_stream *)out, addr);
}

static mio_ssize tcp_read(mio_source *s, void *buf, size_t len)
{
	return mio_tcp_stream_read((mio_tcp_stream *)s, buf, len);
}

static mio_ssize tcp_write(mio_source *s, const void *buf, size_t len)
{
	return mio_tcp_stream_write((mio_tcp_stream *)s, buf, len);
}

static int tcp_shutdown_write(mio_source *s)
{
	return mio_tcp_stream_shutdown((mio_tcp_stream *)s, MIO_SHUTDOWN_WRITE);
}

static int tcp_close(mio_source *s)
{
	return mio_tcp_stream_close((mio_tcp_stream *)s);
}

static const struct echo_proto tcp = {
	"tcp",	  tcp_listen, tcp_accept,	  tcp_connect,
	tcp_read, tcp_write,  tcp_shutdown_write, tcp_close
};

_Static_assert(sizeof(mio_sockaddr) <= ECHO_ADDR_MAX, "the address fits");

static void tcp_echo_10000_connections(void)
{
	if (libkqueue_gap(LIBKQUEUE_LOST_EVENTS))
		return;
	echo_stress_run(&tcp);
}

int main(void)
{
	RUN(tcp_echo_10000_connections);
	return test_summary();
}
