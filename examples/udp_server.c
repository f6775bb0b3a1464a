/*
 * A UDP echo server (mio's examples/udp_server.rs): sends every datagram
 * back to where it came from.
 *
 *   udp_server [--max N] [ADDRESS]      default 127.0.0.1:9001
 *
 * --max N exits after echoing N datagrams (for tests). Try it with
 * `nc -u 127.0.0.1 9001`.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mio.h>

#define UDP_TOKEN 0

static int fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s (%s)\n", what, mio_strerror(err),
		mio_err_name(err));
	return 1;
}

/*
 * Echoes datagrams until the socket has none left (MIO_EAGAIN). Returns
 * how many it echoed, or a negative error.
 */
static long echo_all(mio_udp_socket *socket)
{
	static char buf[65536];
	long echoed = 0;

	for (;;) {
		mio_sockaddr from;
		char name[64];
		mio_ssize n, sent;

		n = mio_udp_socket_recv_from(socket, buf, sizeof(buf), &from);
		if (n == MIO_EAGAIN)
			return echoed;
		if (n < 0)
			return n;
		mio_sockaddr_format(&from, name, sizeof(name));
		/*
		 * A datagram that cannot go out now is dropped, as UDP
		 * allows; a real server might queue it for a writable event.
		 */
		sent = mio_udp_socket_send_to(socket, buf, (size_t)n, &from);
		if (sent < 0)
			fail("send_to", (int)sent);
		else
			printf("echoed %zd bytes to %s\n", n, name);
		echoed++;
	}
}

int main(int argc, char **argv)
{
	const char *text = "127.0.0.1:9001";
	mio_poll *poll;
	mio_events *events;
	mio_udp_socket socket;
	mio_sockaddr addr;
	char name[64];
	long max = 0, echoed = 0;
	int err;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
			max = strtol(argv[++i], NULL, 10);
		} else if (argv[i][0] != '-') {
			text = argv[i];
		} else {
			fprintf(stderr, "usage: udp_server [--max N] "
					"[ADDRESS]\n");
			return 2;
		}
	}
	if (mio_sockaddr_parse(&addr, text) < 0) {
		fprintf(stderr, "%s: not an address like 127.0.0.1:9001\n",
			text);
		return 2;
	}
	err = mio_poll_new(&poll);
	if (err < 0)
		return fail("mio_poll_new", err);
	err = mio_events_new(8, &events);
	if (err < 0) {
		fail("mio_events_new", err);
		goto out_poll;
	}
	err = mio_udp_socket_bind(&socket, &addr);
	if (err < 0) {
		fail(text, err);
		goto out_events;
	}
	err = mio_udp_socket_local_addr(&socket, &addr);
	if (err == 0)
		err = mio_registry_register(mio_poll_registry(poll),
					    &socket.source, UDP_TOKEN,
					    MIO_READABLE);
	if (err < 0) {
		fail("setup", err);
		goto out_socket;
	}
	mio_sockaddr_format(&addr, name, sizeof(name));
	printf("listening on %s\n", name);
	fflush(stdout);

	while (max == 0 || echoed < max) {
		long n;

		err = mio_poll_poll(poll, events, NULL);
		if (err == MIO_EINTR)
			continue;
		if (err < 0) {
			fail("poll", err);
			break;
		}
		/* One socket: any event is ours. */
		n = echo_all(&socket);
		if (n < 0) {
			err = (int)n;
			fail("recv_from", err);
			break;
		}
		echoed += n;
		fflush(stdout);
	}
out_socket:
	mio_udp_socket_close(&socket);
out_events:
	mio_events_free(events);
out_poll:
	mio_poll_free(poll);
	return err < 0 ? 1 : 0;
}
