/*
 * The README's example with every error checked: a listener, a client
 * that connects to it, and one poll loop that ends when the client can
 * write (or learns it was closed).
 *
 *   quickstart [ADDRESS]      default 127.0.0.1:13265
 */

#include <stdio.h>

#include <mio.h>

enum { SERVER, CLIENT };

static int fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s (%s)\n", what, mio_strerror(err),
		mio_err_name(err));
	return 1;
}

/* Polls until the client's event arrives; 0, or 1 after printing why. */
static int run(mio_poll *poll, mio_events *events, mio_tcp_listener *server)
{
	/* A few seconds are plenty on loopback; never hang. */
	struct timespec timeout = { 5, 0 };

	for (;;) {
		int n = mio_poll_poll(poll, events, &timeout);

		if (n == MIO_EINTR)
			continue;
		if (n < 0)
			return fail("poll", n);
		if (n == 0) {
			fprintf(stderr, "no event within 5 seconds\n");
			return 1;
		}
		for (size_t i = 0; i < mio_events_len(events); i++) {
			const mio_event *e = mio_events_at(events, i);
			mio_tcp_stream conn;
			int err;

			switch (mio_event_token(e)) {
			case SERVER:
				/* Accept, and drop the connection at once. */
				while ((err = mio_tcp_listener_accept(
						server, &conn, NULL)) == 0) {
					printf("server: accepted a connection "
					       "and closed it\n");
					mio_tcp_stream_close(&conn);
				}
				if (err != MIO_EAGAIN)
					return fail("accept", err);
				break;
			case CLIENT:
				/* Writable, or closed by the server: done. */
				printf("client: %s\n",
				       mio_event_is_writable(e)
					       ? "connected, can write"
					       : "closed by the server");
				return 0;
			}
		}
	}
}

int main(int argc, char **argv)
{
	const char *text = argc > 1 ? argv[1] : "127.0.0.1:13265";
	mio_poll *poll;
	mio_events *events;
	mio_sockaddr addr;
	mio_tcp_listener server;
	mio_tcp_stream client;
	int err, status = 1;

	if (argc > 2 || mio_sockaddr_parse(&addr, text) < 0) {
		fprintf(stderr, "usage: quickstart [ADDRESS like %s]\n",
			"127.0.0.1:13265");
		return 2;
	}
	err = mio_poll_new(&poll);
	if (err < 0)
		return fail("mio_poll_new", err);
	err = mio_events_new(128, &events);
	if (err < 0) {
		fail("mio_events_new", err);
		goto out_poll;
	}

	/* Set up a listener and register it for readable events. */
	err = mio_tcp_listener_bind(&server, &addr);
	if (err < 0) {
		fail(text, err);
		goto out_events;
	}
	err = mio_tcp_listener_local_addr(&server, &addr);
	if (err < 0) {
		fail("local address", err);
		goto out_server;
	}
	char name[64];
	mio_sockaddr_format(&addr, name, sizeof(name));
	printf("server: listening on %s\n", name);
	err = mio_registry_register(mio_poll_registry(poll), &server.source,
				    SERVER, MIO_READABLE);
	if (err < 0) {
		fail("register server", err);
		goto out_server;
	}

	/* A client connects to it, and waits to be able to write. */
	err = mio_tcp_stream_connect(&client, &addr);
	if (err < 0) {
		fail("connect", err);
		goto out_server;
	}
	printf("client: connecting to %s\n", name);
	err = mio_registry_register(mio_poll_registry(poll), &client.source,
				    CLIENT, MIO_READABLE | MIO_WRITABLE);
	if (err < 0)
		fail("register client", err);
	else
		status = run(poll, events, &server);

	mio_tcp_stream_close(&client);
out_server:
	mio_tcp_listener_close(&server);
out_events:
	mio_events_free(events);
out_poll:
	mio_poll_free(poll);
	if (status == 0)
		printf("done\n");
	return status;
}
