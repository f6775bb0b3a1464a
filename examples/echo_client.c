/*
 * A client for the echo servers: connects, sends data, and checks that
 * exactly the same bytes come back. The exit status tells (0: all came
 * back intact).
 *
 *   echo_client [--bytes N] [--no-greeting] [ADDRESS]
 *                                  default 127.0.0.1:9000, 100000 bytes
 *
 * tcp_server greets each client with one line before echoing; the client
 * skips that line unless --no-greeting is given.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mio.h>

#define CLIENT 0
#define MAX_GREETING 1024

struct client {
	mio_tcp_stream stream;
	size_t total; /* bytes to send and to get back */
	size_t sent, checked;
	bool in_greeting, write_done;
};

static int fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s (%s)\n", what, mio_strerror(err),
		mio_err_name(err));
	return 1;
}

/* The byte at offset i of what the client sends. */
static unsigned char pattern(size_t i)
{
	return (unsigned char)('a' + (i * 7 + i / 26) % 26);
}

/* Sends until done or MIO_EAGAIN, then shuts the write half. */
static int send_some(struct client *c)
{
	unsigned char buf[8192];

	while (c->sent < c->total) {
		size_t len = c->total - c->sent;
		mio_ssize n;

		if (len > sizeof(buf))
			len = sizeof(buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = pattern(c->sent + i);
		n = mio_tcp_stream_write(&c->stream, buf, len);
		if (n == MIO_EAGAIN)
			return 0;
		if (n < 0)
			return fail("write", (int)n);
		c->sent += (size_t)n;
	}
	if (!c->write_done) {
		int err =
			mio_tcp_stream_shutdown(&c->stream, MIO_SHUTDOWN_WRITE);
		if (err < 0)
			return fail("shutdown", err);
		c->write_done = true;
	}
	return 0;
}

/* Checks received bytes; 1 after printing a mismatch. */
static int check(struct client *c, const unsigned char *buf, size_t n)
{
	size_t i = 0;

	if (c->in_greeting) {
		while (i < n && buf[i] != '\n')
			i++;
		if (i < n) {
			printf("greeting: %.*s\n", (int)i, (const char *)buf);
			c->in_greeting = false;
			i++;
		}
	}
	for (; i < n; i++, c->checked++) {
		if (c->checked >= c->total) {
			fprintf(stderr,
				"more bytes came back than were sent\n");
			return 1;
		}
		if (buf[i] != pattern(c->checked)) {
			fprintf(stderr, "byte %zu differs: sent %#x, got %#x\n",
				c->checked, pattern(c->checked), buf[i]);
			return 1;
		}
	}
	return 0;
}

/* Reads until MIO_EAGAIN; *eof is set at the end of the stream. */
static int receive_some(struct client *c, bool *eof)
{
	unsigned char buf[8192];

	for (;;) {
		mio_ssize n = mio_tcp_stream_read(&c->stream, buf, sizeof(buf));

		if (n == MIO_EAGAIN)
			return 0;
		if (n < 0)
			return fail("read", (int)n);
		if (n == 0) {
			*eof = true;
			return 0;
		}
		if (check(c, buf, (size_t)n) != 0)
			return 1;
	}
}

static int run(struct client *c, mio_poll *poll, mio_events *events)
{
	struct timespec timeout = { 10, 0 };
	bool eof = false;
	int err;

	while (!eof) {
		int n = mio_poll_poll(poll, events, &timeout);

		if (n == MIO_EINTR)
			continue;
		if (n < 0)
			return fail("poll", n);
		if (n == 0) {
			fprintf(stderr, "timed out after %zu of %zu bytes\n",
				c->checked, c->total);
			return 1;
		}
		/* A failed connect shows as an error on the socket. */
		err = mio_tcp_stream_take_error(&c->stream);
		if (err < 0)
			return fail("connect", err);
		if (send_some(c) != 0 || receive_some(c, &eof) != 0)
			return 1;
	}
	if (c->checked != c->total) {
		fprintf(stderr, "connection ended after %zu of %zu bytes\n",
			c->checked, c->total);
		return 1;
	}
	printf("sent %zu bytes, all came back intact\n", c->total);
	return 0;
}

int main(int argc, char **argv)
{
	const char *text = "127.0.0.1:9000";
	struct client c = { .total = 100000, .in_greeting = true };
	mio_poll *poll;
	mio_events *events;
	mio_sockaddr addr;
	int err, status = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--bytes") == 0 && i + 1 < argc) {
			c.total = strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--no-greeting") == 0) {
			c.in_greeting = false;
		} else if (argv[i][0] != '-') {
			text = argv[i];
		} else {
			fprintf(stderr, "usage: echo_client [--bytes N] "
					"[--no-greeting] [ADDRESS]\n");
			return 2;
		}
	}
	if (mio_sockaddr_parse(&addr, text) < 0) {
		fprintf(stderr, "%s: not an address like 127.0.0.1:9000\n",
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
	err = mio_tcp_stream_connect(&c.stream, &addr);
	if (err < 0) {
		fail(text, err);
		goto out_events;
	}
	err = mio_registry_register(mio_poll_registry(poll), &c.stream.source,
				    CLIENT, MIO_READABLE | MIO_WRITABLE);
	if (err < 0)
		fail("register", err);
	else
		status = run(&c, poll, events);
	mio_tcp_stream_close(&c.stream);
out_events:
	mio_events_free(events);
out_poll:
	mio_poll_free(poll);
	return status;
}
