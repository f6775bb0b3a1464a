/*
 * A chat server: every line a client sends goes to every other client.
 *
 *   chat_server [--max N] [ADDRESS]      default 127.0.0.1:9002
 *
 * --max N exits after N clients have left (for tests). Try it with a few
 * `nc 127.0.0.1 9002` in different terminals.
 *
 * This is the write side of a server, which an echo server barely needs
 * (mio(7), "The write side of a server"):
 *
 *  - Each client has an output buffer. Output goes out as far as the
 *    socket takes it; what a short write or MIO_EAGAIN leaves waits in
 *    the buffer, and the client is registered for MIO_WRITABLE as well
 *    as MIO_READABLE. Once the buffer is empty it goes back to
 *    MIO_READABLE alone.
 *  - A read that returns less than it asked for has emptied the socket,
 *    and a write that takes less than it was given has filled it: the
 *    server stops there, without the call that would return MIO_EAGAIN
 *    (mio(7), "Short reads and writes end the loop"), except that it
 *    reads on to the end once an event has said read-closed.
 *  - Back-pressure: a line is passed on only when every other client's
 *    buffer has room for it. Until then the server stops reading from
 *    the sender: its data waits in its socket, TCP slows it down, and a
 *    slow reader holds the room up without losing a byte and without the
 *    server's memory growing.
 *
 * The client table is calloc'd: an all-zero mio_tcp_stream is inert (its
 * source has no descriptor), so a free slot needs no initialising, and
 * closing one, by mistake or not, touches nothing.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mio.h>

#include "server_cli.h"

#define MAX_CLIENTS 64
#define LISTENER_TOKEN ((mio_token)MAX_CLIENTS)
#define MAX_LINE 4096 /* a longer line is passed on in pieces */
#define OUT_CAP 16384

struct client {
	mio_tcp_stream stream; /* all-zero while the slot is free */
	mio_interest interest; /* what it is registered for */
	bool readable;	       /* input may be waiting: read to a short read */
	bool read_closed;      /* an event said the client closed its half */
	size_t in_len;	       /* the line read so far: in[0 .. in_len) */
	char in[MAX_LINE];
	size_t out_head, out_len; /* unsent: out[out_head .. +out_len) */
	char out[OUT_CAP];
};

struct server {
	mio_registry *registry;
	mio_tcp_listener listener;
	struct client *clients; /* MAX_CLIENTS, calloc'd */
	size_t changes; /* bytes passed on or sent, clients gone: progress */
	long left;	/* clients that have left */
};

static bool in_use(const struct client *c)
{
	return mio_source_raw_fd(&c->stream.source) != MIO_INVALID_FD;
}

static int slot_of(const struct server *sv, const struct client *c)
{
	return (int)(c - sv->clients);
}

/*
 * Closes the connection (what was queued for it, and a line it had not
 * finished, are dropped) and makes the slot all-zero again.
 */
static void client_leave(struct server *sv, struct client *c, int err)
{
	if (err < 0)
		print_error("client", err);
	printf("client %d left\n", slot_of(sv, c));
	fflush(stdout);
	mio_tcp_stream_close(&c->stream);
	memset(c, 0, sizeof(*c));
	sv->left++;
	sv->changes++; /* a line held up for it may pass now */
}

/* Registers c for `want`, if that is not what it is registered for. */
static int client_want(struct server *sv, struct client *c, mio_interest want)
{
	int err;

	if (c->interest == want)
		return 0;
	err = mio_registry_reregister(sv->registry, &c->stream.source,
				      (mio_token)slot_of(sv, c), want);
	if (err == 0)
		c->interest = want;
	return err;
}

/*
 * Sends c's buffer until it is empty or the socket is full (MIO_EAGAIN),
 * then asks for writability exactly while output is left.
 */
static int client_flush(struct server *sv, struct client *c)
{
	while (c->out_len > 0) {
		mio_ssize n = mio_tcp_stream_write(
			&c->stream, c->out + c->out_head, c->out_len);
		if (n == MIO_EAGAIN)
			break;
		if (n < 0)
			return (int)n;
		c->out_head += (size_t)n;
		c->out_len -= (size_t)n;
		sv->changes += (size_t)n;
		/* A short write: the socket is full. */
		if (c->out_len > 0)
			break;
	}
	if (c->out_len == 0)
		c->out_head = 0;
	return client_want(sv, c,
			   c->out_len > 0 ? MIO_READABLE | MIO_WRITABLE
					  : MIO_READABLE);
}

/* Appends to c's buffer, which has room (the caller checked). */
static void client_queue(struct client *c, const char *data, size_t len)
{
	if (c->out_head + c->out_len + len > OUT_CAP) {
		memmove(c->out, c->out + c->out_head, c->out_len);
		c->out_head = 0;
	}
	memcpy(c->out + c->out_head + c->out_len, data, len);
	c->out_len += len;
}

/*
 * Passes a line from `from` to every other client, or to none: false if
 * one of them has no room for it yet.
 */
static bool broadcast(struct server *sv, const struct client *from,
		      const char *line, size_t len)
{
	for (int i = 0; i < MAX_CLIENTS; i++) {
		const struct client *c = &sv->clients[i];
		if (c != from && in_use(c) && OUT_CAP - c->out_len < len)
			return false;
	}
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &sv->clients[i];
		if (c != from && in_use(c))
			client_queue(c, line, len);
	}
	sv->changes += len;
	return true;
}

/*
 * Passes on the whole lines c has sent (a line longer than the buffer in
 * pieces). False while one is held up by a full buffer elsewhere.
 */
static bool client_pass_lines(struct server *sv, struct client *c)
{
	size_t done = 0;
	bool all = true;

	while (done < c->in_len) {
		const char *line = c->in + done;
		const char *nl = memchr(line, '\n', c->in_len - done);
		size_t len =
			nl != NULL ? (size_t)(nl - line) + 1 : c->in_len - done;

		if (nl == NULL && len < MAX_LINE)
			break; /* wait for the rest of the line */
		if (!broadcast(sv, c, line, len)) {
			all = false;
			break;
		}
		done += len;
	}
	memmove(c->in, c->in + done, c->in_len - done);
	c->in_len -= done;
	return all;
}

/*
 * Reads c's input and passes its lines on, until a short read or
 * MIO_EAGAIN has emptied the socket or a line is held up: then reading
 * stops, and its data waits in the socket. 1 when the client has gone,
 * or a negative error.
 */
static int client_take_input(struct server *sv, struct client *c)
{
	for (;;) {
		size_t room;
		mio_ssize n;

		if (!client_pass_lines(sv, c) || !c->readable)
			return 0;
		room = MAX_LINE - c->in_len;
		n = mio_tcp_stream_read(&c->stream, c->in + c->in_len, room);
		if (n == MIO_EAGAIN) {
			c->readable = false;
			continue; /* pass on what the last read completed */
		}
		if (n <= 0)
			return n == 0 ? 1 : (int)n;
		c->in_len += (size_t)n;
		if ((size_t)n < room && !c->read_closed)
			c->readable = false;
	}
}

/*
 * Moves data until nothing moves: a client that could send makes room
 * that a held-up sender may be waiting for, and input passed on is
 * output someone can send.
 */
static void pump(struct server *sv)
{
	size_t before;

	do {
		before = sv->changes;
		for (int i = 0; i < MAX_CLIENTS; i++) {
			struct client *c = &sv->clients[i];
			int err;

			if (!in_use(c))
				continue;
			err = client_flush(sv, c);
			if (err == 0)
				err = client_take_input(sv, c);
			if (err != 0)
				client_leave(sv, c, err);
		}
	} while (sv->changes != before);
}

/* Accepts every pending connection into a free slot. */
static int accept_all(struct server *sv)
{
	for (;;) {
		mio_tcp_stream s;
		mio_sockaddr peer;
		char name[64];
		int slot, err;

		err = mio_tcp_listener_accept(&sv->listener, &s, &peer);
		if (err == MIO_EAGAIN)
			return 0;
		if (err == MIO_ECONNABORTED || err == MIO_EMFILE ||
		    err == MIO_ENFILE || err == MIO_ENOBUFS ||
		    err == MIO_ENOMEM) {
			/* tcp_server.c shows how to get past EMFILE. */
			print_error("accept", err);
			return 0;
		}
		if (err < 0)
			return err;
		for (slot = 0; slot < MAX_CLIENTS; slot++)
			if (!in_use(&sv->clients[slot]))
				break;
		mio_sockaddr_format(&peer, name, sizeof(name));
		if (slot == MAX_CLIENTS) {
			printf("full, turning %s away\n", name);
			mio_tcp_stream_close(&s);
			continue;
		}
		err = mio_registry_register(sv->registry, &s.source,
					    (mio_token)slot, MIO_READABLE);
		if (err < 0) {
			print_error("register", err);
			mio_tcp_stream_close(&s);
			continue;
		}
		sv->clients[slot].stream = s;
		sv->clients[slot].interest = MIO_READABLE;
		/* It may have sent already: read until MIO_EAGAIN. */
		sv->clients[slot].readable = true;
		printf("client %d joined from %s\n", slot, name);
		fflush(stdout);
	}
}

/* Serves until `max` clients have left (0: forever). */
static int serve(struct server *sv, mio_poll *poll, long max)
{
	mio_events *events;
	int err = mio_events_new(128, &events);

	if (err < 0)
		return err;
	while (max == 0 || sv->left < max) {
		int n = mio_poll_poll(poll, events, NULL);

		if (n == MIO_EINTR)
			continue;
		if (n < 0) {
			err = n;
			break;
		}
		for (int i = 0; i < n; i++) {
			const mio_event *e = mio_events_at(events, (size_t)i);
			mio_token t = mio_event_token(e);

			if (t == LISTENER_TOKEN) {
				err = accept_all(sv);
				if (err < 0)
					break;
				continue;
			}
			/*
			 * Readable, closed or failed: the next read tells.
			 * Writable needs no note: pump() sends whatever is
			 * buffered.
			 */
			if (mio_event_is_readable(e) ||
			    mio_event_is_read_closed(e) ||
			    mio_event_is_error(e))
				sv->clients[t].readable = true;
			if (mio_event_is_read_closed(e))
				sv->clients[t].read_closed = true;
		}
		if (err < 0)
			break;
		pump(sv);
	}
	mio_events_free(events);
	return err;
}

int main(int argc, char **argv)
{
	struct server_cli cli = { .usage = "chat_server [--max N] [ADDRESS]",
				  .address = "127.0.0.1:9002" };
	struct server sv = { 0 };
	mio_poll *poll = NULL;
	int err = server_cli_parse(&cli, argc, argv);

	if (err != 0)
		return err;
	sv.clients = calloc(MAX_CLIENTS, sizeof(*sv.clients));
	if (sv.clients == NULL)
		return 1;
	err = mio_poll_new(&poll);
	if (err == 0)
		err = mio_tcp_listener_bind(&sv.listener, &cli.addr);
	if (err == 0)
		err = mio_tcp_listener_local_addr(&sv.listener, &cli.addr);
	if (err == 0) {
		sv.registry = mio_poll_registry(poll);
		err = mio_registry_register(sv.registry, &sv.listener.source,
					    LISTENER_TOKEN, MIO_READABLE);
	}
	if (err == 0) {
		server_cli_announce(&cli.addr, "");
		err = serve(&sv, poll, cli.max);
	}
	if (err < 0)
		print_error(cli.address, err);
	/* Closing every slot is fine: the free ones are all-zero, inert. */
	for (int i = 0; i < MAX_CLIENTS; i++)
		mio_tcp_stream_close(&sv.clients[i].stream);
	mio_tcp_listener_close(&sv.listener);
	if (poll != NULL)
		mio_poll_free(poll);
	free(sv.clients);
	return err < 0 ? 1 : 0;
}
