/*
 * The readiness table: for each situation a Unix-domain socket or a pipe
 * can be in, exactly which flags the event for the watched end carries.
 * Every backend is held to the same table, so that a program written
 * against one behaves the same on all.
 *
 * Each row builds the objects, registers the watched end (sockets for
 * READABLE|WRITABLE, a listener and a pipe's receiver for READABLE, a
 * pipe's sender for WRITABLE), and then either looks at the first event
 * ("new" rows) or consumes it and does the row's action. The flags of all
 * events for the watched end in that poll are joined and compared with
 * the row exactly; "-" means no event at all.
 *
 *   R readable, W writable, RC read_closed, WC write_closed, E error
 *
 *   situation (watched end)                          flags
 *   stream: new pair                                 W
 *   stream: peer writes                              R W
 *   stream: peer shuts down writing                  R W RC
 *   stream: peer shuts down reading                  W
 *   stream: peer closes                              R W RC WC
 *   stream: peer writes, then closes                 R W RC WC
 *   stream: shut down reading                        R W RC
 *   stream: shut down writing                        W         (kqueue: W WC)
 *   stream: shut down both                           R W RC WC
 *   stream: written until MIO_EAGAIN                 -
 *   stream: full, then the peer reads everything     W
 *   listener: new                                    -
 *   listener: a client connects                      R
 *   datagram: new pair                               W
 *   datagram: peer sends                             R W
 *   datagram: shut down reading                      R W RC
 *   datagram: shut down writing                      W         (kqueue: W WC)
 *   datagram: shut down both                         R W RC WC
 *   datagram: peer closes                            -
 *   pipe receiver: new                               -
 *   pipe receiver: data written                      R
 *   pipe receiver: sender closed                     RC WC     (kqueue: R RC)
 *   pipe receiver: data written, sender closed       R RC WC   (kqueue: R RC)
 *   pipe sender: new                                 W
 *   pipe sender: receiver closed                     W E WC    (kqueue: W WC)
 *   pipe sender: written until MIO_EAGAIN            -
 *   pipe sender: full, then the receiver drains it   W
 *
 * The flags are mio's: what its Event methods report for epoll's bits
 * (a hang-up, EPOLLHUP, is both read_closed and write_closed; a pipe
 * whose reader is gone reports EPOLLOUT|EPOLLERR). The bracketed kqueue
 * differences are those mio's own tests and its kqueue Event methods
 * show: BSD kernels mark a shutdown of one's own writing side closed
 * (Linux only reports the socket writable, which it still is to the
 * caller until a write fails with MIO_EPIPE), and
 * kqueue reports read and write ends of a closed pipe per filter. They
 * are the only bits a kqueue build may differ in; the Linux event layout
 * (epoll, and poll(2) which must match it) is held to the table exactly.
 *
 * SIGPIPE is ignored here, for the pipe rows whose sender writes to a
 * gone receiver: none does, but a test must not die of a mistake there.
 */

#include <signal.h>
#include <unistd.h>

#include "test.h"

enum { WATCHED = 7 };

#define R EXPECT_READABLE
#define W EXPECT_WRITABLE
#define RC EXPECT_READ_CLOSED
#define WC EXPECT_WRITE_CLOSED
#define E EXPECT_ERROR
#define NO_EVENT 0u

enum kind { STREAM, LISTENER, DATAGRAM, PIPE_RECEIVER, PIPE_SENDER };

/* Everything a row may use; the watched end is the first of each pair. */
struct fixture {
	mio_unix_stream s[2];
	mio_unix_listener listener;
	mio_unix_stream client;
	char path[256];
	mio_unix_datagram d[2];
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
};

struct row {
	const char *name;
	enum kind kind;
	void (*act)(struct fixture *f); /* NULL: look at the first event */
	unsigned want;
	unsigned kqueue_may; /* bits a kqueue build may differ in */
};

static const char DATA[] = "readiness";

/* Fills a stream or pipe until MIO_EAGAIN; returns the bytes written. */
static size_t fill_stream(mio_unix_stream *s)
{
	static char chunk[4096];
	size_t total = 0;
	mio_ssize n;

	while ((n = mio_unix_stream_write(s, chunk, sizeof(chunk))) > 0)
		total += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	return total;
}

static size_t fill_pipe(mio_pipe_sender *tx)
{
	static char chunk[4096];
	size_t total = 0;
	mio_ssize n;

	while ((n = mio_pipe_write(tx, chunk, sizeof(chunk))) > 0)
		total += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	return total;
}

static void stream_peer_writes(struct fixture *f)
{
	ASSERT_EQ(mio_unix_stream_write(&f->s[1], DATA, 4), 4);
}

static void stream_peer_shut_write(struct fixture *f)
{
	ASSERT_OK(mio_unix_stream_shutdown(&f->s[1], MIO_SHUTDOWN_WRITE));
}

static void stream_peer_shut_read(struct fixture *f)
{
	ASSERT_OK(mio_unix_stream_shutdown(&f->s[1], MIO_SHUTDOWN_READ));
}

static void stream_peer_closes(struct fixture *f)
{
	ASSERT_OK(mio_unix_stream_close(&f->s[1]));
}

static void stream_peer_writes_closes(struct fixture *f)
{
	stream_peer_writes(f);
	stream_peer_closes(f);
}

static void stream_shut_read(struct fixture *f)
{
	ASSERT_OK(mio_unix_stream_shutdown(&f->s[0], MIO_SHUTDOWN_READ));
}

static void stream_shut_write(struct fixture *f)
{
	ASSERT_OK(mio_unix_stream_shutdown(&f->s[0], MIO_SHUTDOWN_WRITE));
}

static void stream_shut_both(struct fixture *f)
{
	ASSERT_OK(mio_unix_stream_shutdown(&f->s[0], MIO_SHUTDOWN_BOTH));
}

static void stream_fill(struct fixture *f)
{
	ASSERT(fill_stream(&f->s[0]) > 0);
}

static void stream_fill_drain(struct fixture *f)
{
	static char sink[65536];
	size_t written = fill_stream(&f->s[0]), got = 0;
	mio_ssize n;

	while ((n = mio_unix_stream_read(&f->s[1], sink, sizeof(sink))) > 0)
		got += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	ASSERT_UEQ(got, written);
}

static void listener_connect(struct fixture *f)
{
	ASSERT_OK(mio_unix_stream_connect(&f->client, f->path));
}

static void dgram_peer_sends(struct fixture *f)
{
	ASSERT_EQ(mio_unix_datagram_send(&f->d[1], DATA, 4), 4);
}

static void dgram_shut_read(struct fixture *f)
{
	ASSERT_OK(mio_unix_datagram_shutdown(&f->d[0], MIO_SHUTDOWN_READ));
}

static void dgram_shut_write(struct fixture *f)
{
	ASSERT_OK(mio_unix_datagram_shutdown(&f->d[0], MIO_SHUTDOWN_WRITE));
}

static void dgram_shut_both(struct fixture *f)
{
	ASSERT_OK(mio_unix_datagram_shutdown(&f->d[0], MIO_SHUTDOWN_BOTH));
}

static void dgram_peer_closes(struct fixture *f)
{
	ASSERT_OK(mio_unix_datagram_close(&f->d[1]));
}

static void pipe_write(struct fixture *f)
{
	ASSERT_EQ(mio_pipe_write(&f->tx, DATA, 4), 4);
}

static void pipe_close_sender(struct fixture *f)
{
	ASSERT_OK(mio_pipe_sender_close(&f->tx));
}

static void pipe_write_close_sender(struct fixture *f)
{
	pipe_write(f);
	pipe_close_sender(f);
}

static void pipe_close_receiver(struct fixture *f)
{
	ASSERT_OK(mio_pipe_receiver_close(&f->rx));
}

static void pipe_fill(struct fixture *f)
{
	ASSERT(fill_pipe(&f->tx) > 0);
}

static void pipe_fill_drain(struct fixture *f)
{
	static char sink[65536];
	size_t written = fill_pipe(&f->tx), got = 0;
	mio_ssize n;

	while ((n = mio_pipe_read(&f->rx, sink, sizeof(sink))) > 0)
		got += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	ASSERT_UEQ(got, written);
}

static const struct row rows[] = {
	{ "stream: new pair", STREAM, NULL, W, 0 },
	{ "stream: peer writes", STREAM, stream_peer_writes, R | W, 0 },
	{ "stream: peer shuts down writing", STREAM, stream_peer_shut_write,
	  R | W | RC, 0 },
	{ "stream: peer shuts down reading", STREAM, stream_peer_shut_read, W,
	  0 },
	{ "stream: peer closes", STREAM, stream_peer_closes, R | W | RC | WC,
	  0 },
	{ "stream: peer writes, then closes", STREAM, stream_peer_writes_closes,
	  R | W | RC | WC, 0 },
	{ "stream: shut down reading", STREAM, stream_shut_read, R | W | RC,
	  0 },
	{ "stream: shut down writing", STREAM, stream_shut_write, W, WC },
	{ "stream: shut down both", STREAM, stream_shut_both, R | W | RC | WC,
	  0 },
	{ "stream: written until MIO_EAGAIN", STREAM, stream_fill, NO_EVENT,
	  0 },
	{ "stream: full, then the peer reads everything", STREAM,
	  stream_fill_drain, W, 0 },
	{ "listener: new", LISTENER, NULL, NO_EVENT, 0 },
	{ "listener: a client connects", LISTENER, listener_connect, R, 0 },
	{ "datagram: new pair", DATAGRAM, NULL, W, 0 },
	{ "datagram: peer sends", DATAGRAM, dgram_peer_sends, R | W, 0 },
	{ "datagram: shut down reading", DATAGRAM, dgram_shut_read, R | W | RC,
	  0 },
	{ "datagram: shut down writing", DATAGRAM, dgram_shut_write, W, WC },
	{ "datagram: shut down both", DATAGRAM, dgram_shut_both,
	  R | W | RC | WC, 0 },
	{ "datagram: peer closes", DATAGRAM, dgram_peer_closes, NO_EVENT, 0 },
	{ "pipe receiver: new", PIPE_RECEIVER, NULL, NO_EVENT, 0 },
	{ "pipe receiver: data written", PIPE_RECEIVER, pipe_write, R, 0 },
	{ "pipe receiver: sender closed", PIPE_RECEIVER, pipe_close_sender,
	  RC | WC, R | WC },
	{ "pipe receiver: data written, sender closed", PIPE_RECEIVER,
	  pipe_write_close_sender, R | RC | WC, WC },
	{ "pipe sender: new", PIPE_SENDER, NULL, W, 0 },
	{ "pipe sender: receiver closed", PIPE_SENDER, pipe_close_receiver,
	  W | E | WC, E },
	{ "pipe sender: written until MIO_EAGAIN", PIPE_SENDER, pipe_fill,
	  NO_EVENT, 0 },
	{ "pipe sender: full, then the receiver drains it", PIPE_SENDER,
	  pipe_fill_drain, W, 0 },
};

static mio_poll *poll;
static mio_events *events;
static const struct row *current;

/* Builds the row's objects and returns the watched end. */
static mio_source *build(struct fixture *f, enum kind kind,
			 mio_interest *interest)
{
	static int serial;

	*interest = MIO_READABLE | MIO_WRITABLE;
	switch (kind) {
	case STREAM:
		ASSERT_OK(mio_unix_stream_pair(&f->s[0], &f->s[1]));
		return &f->s[0].source;
	case LISTENER:
		snprintf(f->path, sizeof(f->path), "%s/listener-%d",
			 test_temp_dir(), serial++);
		ASSERT_OK(mio_unix_listener_bind(&f->listener, f->path));
		*interest = MIO_READABLE;
		return &f->listener.source;
	case DATAGRAM:
		ASSERT_OK(mio_unix_datagram_pair(&f->d[0], &f->d[1]));
		return &f->d[0].source;
	case PIPE_RECEIVER:
		ASSERT_OK(mio_pipe_new(&f->tx, &f->rx));
		*interest = MIO_READABLE;
		return &f->rx.source;
	case PIPE_SENDER:
		ASSERT_OK(mio_pipe_new(&f->tx, &f->rx));
		*interest = MIO_WRITABLE;
		return &f->tx.source;
	}
	FAIL_AT("unknown kind %d", (int)kind);
}

/* Closes whatever the row made (closing an inert object is a no-op). */
static void destroy(struct fixture *f)
{
	ASSERT_OK(mio_unix_stream_close(&f->s[0]));
	ASSERT_OK(mio_unix_stream_close(&f->s[1]));
	ASSERT_OK(mio_unix_stream_close(&f->client));
	ASSERT_OK(mio_unix_listener_close(&f->listener));
	ASSERT_OK(mio_unix_datagram_close(&f->d[0]));
	ASSERT_OK(mio_unix_datagram_close(&f->d[1]));
	ASSERT_OK(mio_pipe_sender_close(&f->tx));
	ASSERT_OK(mio_pipe_receiver_close(&f->rx));
}

/* Polls once; returns the joined flags of the watched end's events. */
static unsigned poll_flags(long timeout_ms, bool *seen)
{
	struct timespec t = ms_timeout(timeout_ms);
	unsigned flags = 0;
	int n;

	do
		n = mio_poll_poll(poll, events, &t);
	while (n == MIO_EINTR);
	ASSERT_OK(n);
	for (size_t i = 0; i < mio_events_len(events); i++) {
		const mio_event *e = mio_events_at(events, i);
		if (mio_event_token(e) != WATCHED)
			FAIL_AT("event for unknown token %ju",
				(uintmax_t)mio_event_token(e));
		flags |= event_readiness(e);
		*seen = true;
	}
	return flags;
}

/* Whether got matches the row, with the kqueue allowance on kqueue. */
static bool matches(const struct row *r, unsigned got)
{
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	return (got & ~r->kqueue_may) == (r->want & ~r->kqueue_may);
#else
	return got == r->want;
#endif
}

static void name_flags(unsigned flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s", flags == 0 ? "-" : "",
		 flags & R ? "R " : "", flags & W ? "W " : "",
		 flags & RC ? "RC " : "", flags & WC ? "WC " : "",
		 flags & E ? "E " : "");
}

static void run_row(void)
{
	const struct row *r = current;
	struct fixture f;
	mio_interest interest;
	mio_source *watched;
	unsigned got;
	bool seen = false, unused = false;
	char want_s[32], got_s[32];

	memset(&f, 0, sizeof(f));
	/* Every object starts inert, so destroy() may close them all. */
	f.s[0].source.fd = f.s[1].source.fd = f.client.source.fd = -1;
	f.listener.source.fd = f.d[0].source.fd = f.d[1].source.fd = -1;
	f.tx.source.fd = f.rx.source.fd = -1;
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(16, &events));

	watched = build(&f, r->kind, &interest);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), watched,
					WATCHED, interest));
	if (r->act != NULL) {
		/* Consume the first event, if any, then act. */
		do {
			unused = false;
			poll_flags(50, &unused);
		} while (unused);
		r->act(&f);
	}
	/* A row that wants an event waits for it; others look briefly. */
	got = poll_flags(r->want != NO_EVENT ? 1000 : 100, &seen);
	if (seen)
		got |= poll_flags(0, &seen);

	if (!matches(r, got)) {
		name_flags(r->want, want_s, sizeof(want_s));
		name_flags(got, got_s, sizeof(got_s));
		FAIL_AT("%s: want %s, got %s", r->name, want_s, got_s);
	}
	destroy(&f);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	struct sigaction ign = { 0 };
	int fds = count_open_fds();

	ign.sa_handler = SIG_IGN;
	ASSERT_EQ(sigaction(SIGPIPE, &ign, NULL), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		current = &rows[i];
		test_run(rows[i].name, run_row);
	}
	/* No row leaves a descriptor behind. */
	ASSERT_EQ(count_open_fds(), fds);
	return test_summary();
}
