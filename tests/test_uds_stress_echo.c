/*
 * Echo under load over a Unix socket (POSIX): a client opens 10,000
 * connections to an echo server, which holds all of them at once through
 * one poll, and every byte sent in random-sized writes must come back in
 * order (stress_echo.h). test_stress_echo.c runs the same over TCP on
 * every platform.
 */
/* ctest-labels: stress */

#include <time.h>

#include "stress_echo.h"

_Static_assert(sizeof(((struct sockaddr_un *)0)->sun_path) <= ECHO_ADDR_MAX,
	       "the path fits");

static int unix_listen(mio_source *l, void *path)
{
	int n = snprintf(path, ECHO_ADDR_MAX, "%s/echo.sock", test_temp_dir());

	ASSERT(n > 0 && n < ECHO_ADDR_MAX);
	return mio_unix_listener_bind((mio_unix_listener *)l, path);
}

static int unix_accept(mio_source *l, mio_source *out)
{
	return mio_unix_listener_accept((mio_unix_listener *)l,
					(mio_unix_stream *)out, NULL);
}

static int unix_connect(mio_source *out, const void *path)
{
	int err;

	/* A full Unix-socket backlog says MIO_EAGAIN: wait, retry. */
	while ((err = mio_unix_stream_connect((mio_unix_stream *)out, path)) ==
	       MIO_EAGAIN) {
		struct timespec pause = ms_timeout(1);
		ASSERT(out->fd < 0);
		nanosleep(&pause, NULL);
	}
	return err;
}

static mio_ssize unix_read(mio_source *s, void *buf, size_t len)
{
	return mio_unix_stream_read((mio_unix_stream *)s, buf, len);
}

static mio_ssize unix_write(mio_source *s, const void *buf, size_t len)
{
	return mio_unix_stream_write((mio_unix_stream *)s, buf, len);
}

static int unix_shutdown_write(mio_source *s)
{
	return mio_unix_stream_shutdown((mio_unix_stream *)s,
					MIO_SHUTDOWN_WRITE);
}

static int unix_close(mio_source *s)
{
	return mio_unix_stream_close((mio_unix_stream *)s);
}

static const struct echo_proto unix_proto = {
	"unix",	   unix_listen, unix_accept,	     unix_connect,
	unix_read, unix_write,	unix_shutdown_write, unix_close
};

static void unix_echo_10000_connections(void)
{
	if (libkqueue_gap(LIBKQUEUE_LOST_EVENTS))
		return;
	echo_stress_run(&unix_proto);
}

int main(void)
{
	RUN(unix_echo_10000_connections);
	return test_summary();
}
