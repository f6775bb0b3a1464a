/*
 * The TCP echo server that tcp_server.c, tcp_listenfd_server.c and
 * tcp_server_threads.c share: it greets each client with a line, then
 * sends back whatever the client sends, for many clients at once, until
 * the client closes. Each connection has its own buffer, so a slow
 * reader only slows itself. A server keeps all its state in one struct
 * echo_server, so that each thread can run one of its own.
 *
 * A read that returns less than it asked for has drained the socket and
 * a write that takes less than it was given has filled it, so the server
 * stops there instead of making the call that would return MIO_EAGAIN:
 * the next data, or room to write, raises a new event (mio(7), "Short
 * reads and writes end the loop"). After an event that said read-closed,
 * it reads on until end of stream.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mio.h>

#include "server_cli.h"

#define GREETING "Hello from mio!\n"
#define MAX_CONNS 256
#define LISTENER_TOKEN ((mio_token)MAX_CONNS)

struct conn {
	mio_tcp_stream stream;
	bool open;
	bool readable;	  /* input may be waiting: read until a short read */
	bool read_closed; /* an event said the client closed its half */
	bool peer_done;	  /* the client closed its half: flush, then close */
	size_t head, len; /* pending output: buf[head .. head + len) */
	char buf[16384];
};

struct echo_server {
	mio_poll *poll;
	mio_events *events;
	struct conn *conns;	/* MAX_CONNS of them */
	mio_udp_socket reserve; /* see reserve_take */
	long served;		/* connections served and closed */
};

/*
 * Moves data for one connection as far as it can go without blocking:
 * output first, then (only with an empty buffer) more input. Returns 0 to
 * wait for the next event, 1 when the connection is finished, or a
 * negative error.
 */
static int conn_run(struct conn *c)
{
	mio_ssize n;

	for (;;) {
		if (c->len > 0) {
			n = mio_tcp_stream_write(&c->stream, c->buf + c->head,
						 c->len);
			if (n == MIO_EAGAIN)
				return 0; /* a writable event will come */
			if (n < 0)
				return (int)n;
			c->head += (size_t)n;
			c->len -= (size_t)n;
			/* A short write: the socket is full. */
			if (c->len > 0)
				return 0;
			continue;
		}
		if (c->peer_done)
			return 1;
		if (!c->readable)
			return 0;
		n = mio_tcp_stream_read(&c->stream, c->buf, sizeof(c->buf));
		if (n == MIO_EAGAIN) {
			c->readable = false;
			return 0;
		}
		if (n < 0)
			return (int)n;
		if (n == 0)
			c->peer_done = true;
		/* A short read: the socket is empty, unless it was closed. */
		if ((size_t)n < sizeof(c->buf) && !c->read_closed)
			c->readable = false;
		c->head = 0;
		c->len = (size_t)n;
	}
}

/*
 * A descriptor kept in reserve (one per server) for when the process runs
 * out of them.
 * accept() failing with MIO_EMFILE leaves the connection queued, and with
 * edge-triggered readiness a queued connection raises no further event:
 * it, and every one queued behind it, would wait forever. So the server
 * gives the reserve back, accepts the connection and closes it at once
 * (the client sees it closed instead of hanging), takes the reserve again
 * and goes on accepting until MIO_EAGAIN. Any descriptor will do; a UDP
 * socket is one the library can make on every platform.
 */
static void reserve_take(struct echo_server *srv)
{
	mio_sockaddr any;

	/* Without a reserve, the server still runs, just without this help. */
	if (mio_sockaddr_parse(&any, "127.0.0.1:0") == 0)
		mio_udp_socket_bind(&srv->reserve, &any);
}

/* Out of descriptors: drops one queued connection with the reserve's. */
static int accept_and_drop(struct echo_server *srv, mio_tcp_listener *l)
{
	mio_tcp_stream s;
	int err;

	mio_udp_socket_close(&srv->reserve);
	err = mio_tcp_listener_accept(l, &s, NULL);
	if (err == 0) {
		printf("out of descriptors, dropping a connection\n");
		mio_tcp_stream_close(&s);
	}
	reserve_take(srv);
	return err;
}

/* Accepts every pending connection; returns 0 or a fatal error. */
static int accept_all(struct echo_server *srv, mio_tcp_listener *l)
{
	mio_registry *r = mio_poll_registry(srv->poll);
	struct conn *conns = srv->conns;

	for (;;) {
		mio_tcp_stream s;
		mio_sockaddr peer;
		char name[64];
		int slot, err;

		err = mio_tcp_listener_accept(l, &s, &peer);
		if (err == MIO_EAGAIN)
			return 0;
		if (err == MIO_EMFILE || err == MIO_ENFILE) {
			print_error("accept", err);
			/* Dropped one: try the next. Else wait for an event. */
			if (srv->reserve.source.fd != MIO_INVALID_FD &&
			    accept_and_drop(srv, l) == 0)
				continue;
			return 0;
		}
		if (err == MIO_ECONNABORTED || err == MIO_ENOBUFS ||
		    err == MIO_ENOMEM) {
			print_error("accept", err);
			continue;
		}
		if (err < 0)
			return err;
		mio_sockaddr_format(&peer, name, sizeof(name));
		for (slot = 0; slot < MAX_CONNS && conns[slot].open; slot++)
			;
		if (slot == MAX_CONNS) {
			printf("too many connections, dropping %s\n", name);
			mio_tcp_stream_close(&s);
			continue;
		}
		err = mio_registry_register(r, &s.source, (mio_token)slot,
					    MIO_READABLE | MIO_WRITABLE);
		if (err < 0) {
			print_error("register", err);
			mio_tcp_stream_close(&s);
			continue;
		}
		printf("connection %d from %s\n", slot, name);
		struct conn *c = &conns[slot];
		c->stream = s;
		c->open = true;
		c->readable = false;
		c->read_closed = false;
		c->peer_done = false;
		c->head = 0;
		c->len = strlen(GREETING);
		memcpy(c->buf, GREETING, c->len);
	}
}

/*
 * Makes a server for l: its poll (l registered with it), its events and
 * its connection table. Returns 0 or a negative error, having freed what
 * it made.
 */
static int echo_server_init(struct echo_server *srv, mio_tcp_listener *l)
{
	int err;

	memset(srv, 0, sizeof(*srv));
	srv->reserve.source.fd = MIO_INVALID_FD;
	srv->conns = calloc(MAX_CONNS, sizeof(*srv->conns));
	if (srv->conns == NULL)
		return MIO_ENOMEM;
	err = mio_poll_new(&srv->poll);
	if (err < 0)
		goto out_free_conns;
	err = mio_events_new(128, &srv->events);
	if (err < 0)
		goto out_free_poll;
	err = mio_registry_register(mio_poll_registry(srv->poll), &l->source,
				    LISTENER_TOKEN, MIO_READABLE);
	if (err < 0)
		goto out_free_events;
	reserve_take(srv);
	return 0;

out_free_events:
	mio_events_free(srv->events);
out_free_poll:
	mio_poll_free(srv->poll);
out_free_conns:
	free(srv->conns);
	return err;
}

/* Closes every connection and frees what echo_server_init made. */
static void echo_server_free(struct echo_server *srv)
{
	for (int i = 0; i < MAX_CONNS; i++)
		if (srv->conns[i].open)
			mio_tcp_stream_close(&srv->conns[i].stream);
	mio_events_free(srv->events);
	mio_poll_free(srv->poll);
	mio_udp_socket_close(&srv->reserve);
	free(srv->conns);
}

/*
 * One wait for events and the work they bring; srv->served counts the
 * connections that finish. Events with tokens beyond LISTENER_TOKEN
 * (a waker's, say) only end the wait. Returns 0 or a fatal error.
 */
static int echo_server_turn(struct echo_server *srv, mio_tcp_listener *l)
{
	int err = mio_poll_poll(srv->poll, srv->events, NULL);

	if (err == MIO_EINTR)
		return 0;
	for (size_t i = 0; err >= 0 && i < mio_events_len(srv->events); i++) {
		const mio_event *e = mio_events_at(srv->events, i);
		mio_token t = mio_event_token(e);
		struct conn *c;
		int r;

		if (t == LISTENER_TOKEN) {
			err = accept_all(srv, l);
			continue;
		}
		if (t > LISTENER_TOKEN)
			continue;
		c = &srv->conns[t];
		if (!c->open)
			continue; /* closed earlier in this batch */
		if (mio_event_is_readable(e) || mio_event_is_read_closed(e))
			c->readable = true;
		if (mio_event_is_read_closed(e))
			c->read_closed = true;
		r = conn_run(c);
		if (r == 0)
			continue;
		if (r < 0)
			print_error("connection", r);
		printf("connection %d closed (%s)\n", (int)t,
		       r > 0 ? "client done" : "error");
		mio_tcp_stream_close(&c->stream);
		c->open = false;
		srv->served++;
	}
	return err < 0 ? err : 0;
}

/*
 * Serves on l until `max` connections have been served and closed
 * (max 0: forever). Returns how many were served, or a negative error.
 */
static long echo_serve(mio_tcp_listener *l, long max)
{
	struct echo_server srv;
	long served;
	int err = echo_server_init(&srv, l);

	if (err < 0) {
		print_error("server", err);
		return err;
	}
	while (err >= 0 && (max == 0 || srv.served < max))
		err = echo_server_turn(&srv, l);
	if (err < 0)
		print_error("poll", err);
	served = srv.served;
	echo_server_free(&srv);
	return err < 0 ? err : served;
}
