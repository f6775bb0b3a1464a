/*
 * A minimal HTTP/1.1 server: answers every request with "Hello, World!",
 * keeps connections alive and takes pipelined requests (http.h has the
 * protocol). Try it with `curl -v http://127.0.0.1:8080/`, or load it
 * with `wrk http://127.0.0.1:8080/`.
 *
 *   http_server [--max N] [ADDRESS]      default 127.0.0.1:8080
 *
 * --max N exits after N connections have been served (for tests).
 *
 * It shows the rule that saves a system call per request: a read that
 * returns less than it asked for has emptied the socket, and a write that
 * takes less than it was given has filled it, so the server stops there
 * instead of making the call that would return MIO_EAGAIN; the next data,
 * or room to write, raises a new event on every backend. The exception is
 * an event that reported read-closed: the peer's FIN may have come with
 * the last data, so the server reads on until end of file.
 */

#include <stdio.h>
#include <stdlib.h>

#include <mio.h>

#include "http.h"
#include "server_cli.h"

#define MAX_CONNS 1024
#define LISTENER_TOKEN ((mio_token)MAX_CONNS)

struct conn {
	mio_tcp_stream stream;
	bool open;
	bool readable;	  /* input may be waiting: read until a short read */
	bool read_closed; /* an event said the peer closed its half */
	bool peer_done;	  /* a read returned end of file */
	bool shut;	  /* the last response is out and the write half shut */
	struct http_conn http;
};

/*
 * Sends pending output. Returns 1 when all of it is out, 0 when the
 * socket is full (a writable event will come), or a negative error.
 */
static int conn_flush(struct conn *c)
{
	struct http_conn *h = &c->http;

	while (h->out_len > 0) {
		mio_ssize n = mio_tcp_stream_write(
			&c->stream, h->out + h->out_head, h->out_len);

		if (n == MIO_EAGAIN)
			return 0;
		if (n < 0)
			return (int)n;
		h->out_head += (size_t)n;
		h->out_len -= (size_t)n;
		/* A short write: the socket is full. */
		if (h->out_len > 0)
			return 0;
	}
	return 1;
}

/*
 * Reads once into the free end of the input buffer (or, after the last
 * response, into a scratch buffer: the rest is read only to be dropped).
 * Returns 0, or a negative error; end of file sets peer_done.
 */
static int conn_read(struct conn *c)
{
	struct http_conn *h = &c->http;
	char scratch[4096];
	char *at = c->shut ? scratch : h->in + h->in_len;
	size_t room = c->shut ? sizeof(scratch) : HTTP_IN_MAX - h->in_len;
	mio_ssize n = mio_tcp_stream_read(&c->stream, at, room);

	if (n == MIO_EAGAIN) {
		c->readable = false;
		return 0;
	}
	if (n < 0)
		return (int)n;
	if (n == 0) {
		c->peer_done = true;
		return 0;
	}
	/* A short read: the socket is empty, unless the peer closed. */
	if ((size_t)n < room && !c->read_closed)
		c->readable = false;
	if (!c->shut)
		h->in_len += (size_t)n;
	return 0;
}

/*
 * Moves one connection as far as it can go without blocking: output
 * first, then the requests already read, then more input. Returns 0 to
 * wait for the next event, 1 when the connection is finished, or a
 * negative error.
 */
static int conn_run(struct conn *c)
{
	for (;;) {
		int r = conn_flush(c);

		if (r <= 0)
			return r;
		http_answer(&c->http);
		if (c->http.out_len > 0)
			continue;
		if (c->peer_done)
			return 1;
		/*
		 * After the last response, shut the write half (the client
		 * sees the end) and read until the client closes: closing
		 * with unread input would reset the connection and could
		 * destroy the response on its way.
		 */
		if (c->http.close_after && !c->shut) {
			r = mio_tcp_stream_shutdown(&c->stream,
						    MIO_SHUTDOWN_WRITE);
			if (r < 0)
				return r;
			c->shut = true;
		}
		if (!c->readable)
			return 0;
		r = conn_read(c);
		if (r < 0)
			return r;
	}
}

/* Accepts every pending connection; returns 0 or a fatal error. */
static int accept_all(mio_registry *r, mio_tcp_listener *l, struct conn *conns)
{
	for (;;) {
		mio_tcp_stream s;
		struct conn *c;
		int slot, err = mio_tcp_listener_accept(l, &s, NULL);

		if (err == MIO_EAGAIN)
			return 0;
		if (err == MIO_ECONNABORTED)
			continue;
		/*
		 * Out of descriptors (or memory): the connection stays
		 * queued until the next one raises an event. tcp_server
		 * shows how a spare descriptor gets it out of the queue.
		 */
		if (err == MIO_EMFILE || err == MIO_ENFILE ||
		    err == MIO_ENOBUFS || err == MIO_ENOMEM) {
			print_error("accept", err);
			return 0;
		}
		if (err < 0)
			return err;
		for (slot = 0; slot < MAX_CONNS && conns[slot].open; slot++)
			;
		if (slot == MAX_CONNS) {
			mio_tcp_stream_close(&s);
			continue;
		}
		/* Small responses: send each at once, not after a delay. */
		mio_tcp_stream_set_nodelay(&s, true);
		err = mio_registry_register(r, &s.source, (mio_token)slot,
					    MIO_READABLE | MIO_WRITABLE);
		if (err < 0) {
			print_error("register", err);
			mio_tcp_stream_close(&s);
			continue;
		}
		c = &conns[slot];
		memset(c, 0, sizeof(*c));
		c->stream = s;
		c->open = true;
	}
}

/* Runs one connection after an event; closes it when it is finished. */
static bool conn_event(struct conn *c, const mio_event *e)
{
	int r;

	if (mio_event_is_readable(e) || mio_event_is_read_closed(e))
		c->readable = true;
	if (mio_event_is_read_closed(e))
		c->read_closed = true;
	r = conn_run(c);
	if (r == 0)
		return false;
	if (r < 0 && r != MIO_ECONNRESET && r != MIO_EPIPE)
		print_error("connection", r);
	mio_tcp_stream_close(&c->stream);
	c->open = false;
	return true;
}

/*
 * Serves on l until `max` connections have been served and closed
 * (max 0: forever). Returns 0 or a negative error.
 */
static int serve(mio_tcp_listener *l, long max)
{
	struct conn *conns = calloc(MAX_CONNS, sizeof(*conns));
	mio_poll *poll;
	mio_events *events;
	long served = 0;
	int err;

	if (conns == NULL)
		return MIO_ENOMEM;
	err = mio_poll_new(&poll);
	if (err < 0)
		goto out_free_conns;
	err = mio_events_new(256, &events);
	if (err < 0)
		goto out_free_poll;
	err = mio_registry_register(mio_poll_registry(poll), &l->source,
				    LISTENER_TOKEN, MIO_READABLE);
	while (err >= 0 && (max == 0 || served < max)) {
		err = mio_poll_poll(poll, events, NULL);
		if (err == MIO_EINTR) {
			err = 0;
			continue;
		}
		for (size_t i = 0; err >= 0 && i < mio_events_len(events);
		     i++) {
			const mio_event *e = mio_events_at(events, i);
			mio_token t = mio_event_token(e);

			if (t == LISTENER_TOKEN)
				err = accept_all(mio_poll_registry(poll), l,
						 conns);
			else if (conns[t].open && conn_event(&conns[t], e))
				served++;
		}
	}
	if (err < 0)
		print_error("poll", err);
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].open)
			mio_tcp_stream_close(&conns[i].stream);
	mio_events_free(events);
out_free_poll:
	mio_poll_free(poll);
out_free_conns:
	free(conns);
	return err < 0 ? err : 0;
}

int main(int argc, char **argv)
{
	struct server_cli cli = { .usage = "http_server [--max N] [ADDRESS]",
				  .address = "127.0.0.1:8080" };
	mio_tcp_listener listener;
	int err = server_cli_parse(&cli, argc, argv);

	if (err != 0)
		return err;
	if (server_cli_listen(&cli, &listener) < 0)
		return 1;
	err = serve(&listener, cli.max);
	mio_tcp_listener_close(&listener);
	return err < 0 ? 1 : 0;
}
