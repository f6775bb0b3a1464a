/*
 * The readiness table: for each situation a Unix-domain socket or a pipe
 * can be in, which flags the event for the watched end carries, so that
 * every backend can be held to the same table.
 *
 * Each row builds the objects, registers the watched end (sockets for
 * READABLE|WRITABLE, a listener and a pipe's receiver for READABLE, a
 * pipe's sender for WRITABLE), and then either looks at the first event
 * ("new" rows) or consumes it and does the row's action. The flags of all
 * events for the watched end in that poll are joined ("-": no event).
 *
 *   R readable, W writable, RC read_closed, WC write_closed, E error
 *
 *  situation (watched end)               every    epoll      others
 *                                        backend             may add
 *  stream: new pair                      W        W
 *  stream: peer writes                   R        R W
 *  stream: peer shuts down writing       R RC     R W RC
 *  stream: peer shuts down reading       -        W
 *  stream: peer closes                   R RC     R W RC WC
 *  stream: peer writes, then closes      R RC     R W RC WC
 *  stream: shut down reading             R RC     R W RC
 *  stream: shut down writing             -        W          WC
 *  stream: shut down both                R RC WC  R W RC WC
 *  stream: written until MIO_EAGAIN      -        -
 *  stream: full, then the peer drains it W        W
 *  listener: new                         -        -
 *  listener: a client connects           R        R
 *  datagram: new pair                    W        W
 *  datagram: peer sends                  R        R W
 *  datagram: shut down reading           R RC     R W RC
 *  datagram: shut down writing           -        W          WC
 *  datagram: shut down both              R RC WC  R W RC WC
 *  datagram: peer closes                 -        -
 *  pipe receiver: new                    -        -
 *  pipe receiver: data written           R        R
 *  pipe receiver: sender closed          RC       RC WC      R
 *  pipe receiver: data, sender closed    R RC     R RC WC
 *  pipe sender: new                      W        W
 *  pipe sender: receiver closed          WC       W E WC
 *  pipe sender: written until MIO_EAGAIN -        -
 *  pipe sender: full, then drained       W        W
 *
 * "every backend" is what the situation itself means: a new readiness,
 * or the end of a direction. An epoll build must report exactly the
 * "epoll" column. The flags are mio's, what its Event methods make of
 * epoll's bits: a hang-up (EPOLLHUP) is both read_closed and
 * write_closed, a pipe whose reader is gone reports EPOLLOUT|EPOLLERR,
 * and an edge carries every bit that is ready at that moment, so a
 * writable socket that becomes readable is reported R W.
 *
 * Other backends (poll(2) with emulated edges, kqueue) report what became
 * ready or closed: at least the "every backend" flags, and nothing outside
 * the "epoll" column except the last one's. Those additions are the ones
 * mio's own tests and its kqueue Event methods show: BSD kernels mark a
 * shutdown of one's own writing side write_closed, and kqueue reports a
 * closed pipe per filter, so a receiver sees readable and read_closed.
 *
 * SIGPIPE is ignored here: no row writes to a pipe whose receiver is
 * gone, but a mistake there must fail the row, not kill the test.
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
	unsigned must;			/* every backend */
	unsigned epoll;			/* exactly, with epoll */
	unsigned extra;			/* other backends may add */
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
	{ "stream: new pair", STREAM, NULL, W, W, 0 },
	{ "stream: peer writes", STREAM, stream_peer_writes, R, R | W, 0 },
	{ "stream: peer shuts down writing", STREAM, stream_peer_shut_write,
	  R | RC, R | W | RC, 0 },
	{ "stream: peer shuts down reading", STREAM, stream_peer_shut_read,
	  NO_EVENT, W, 0 },
	{ "stream: peer closes", STREAM, stream_peer_closes, R | RC,
	  R | W | RC | WC, 0 },
	{ "stream: peer writes, then closes", STREAM, stream_peer_writes_closes,
	  R | RC, R | W | RC | WC, 0 },
	{ "stream: shut down reading", STREAM, stream_shut_read, R | RC,
	  R | W | RC, 0 },
	{ "stream: shut down writing", STREAM, stream_shut_write, NO_EVENT, W,
	  WC },
	{ "stream: shut down both", STREAM, stream_shut_both, R | RC | WC,
	  R | W | RC | WC, 0 },
	{ "stream: written until MIO_EAGAIN", STREAM, stream_fill, NO_EVENT,
	  NO_EVENT, 0 },
	{ "stream: full, then the peer drains it", STREAM, stream_fill_drain, W,
	  W, 0 },
	{ "listener: new", LISTENER, NULL, NO_EVENT, NO_EVENT, 0 },
	{ "listener: a client connects", LISTENER, listener_connect, R, R, 0 },
	{ "datagram: new pair", DATAGRAM, NULL, W, W, 0 },
	{ "datagram: peer sends", DATAGRAM, dgram_peer_sends, R, R | W, 0 },
	{ "datagram: shut down reading", DATAGRAM, dgram_shut_read, R | RC,
	  R | W | RC, 0 },
	{ "datagram: shut down writing", DATAGRAM, dgram_shut_write, NO_EVENT,
	  W, WC },
	{ "datagram: shut down both", DATAGRAM, dgram_shut_both, R | RC | WC,
	  R | W | RC | WC, 0 },
	{ "datagram: peer closes", DATAGRAM, dgram_peer_closes, NO_EVENT,
	  NO_EVENT, 0 },
	{ "pipe receiver: new", PIPE_RECEIVER, NULL, NO_EVENT, NO_EVENT, 0 },
	{ "pipe receiver: data written", PIPE_RECEIVER, pipe_write, R, R, 0 },
	{ "pipe receiver: sender closed", PIPE_RECEIVER, pipe_close_sender, RC,
	  RC | WC, R },
	{ "pipe receiver: data, sender closed", PIPE_RECEIVER,
	  pipe_write_close_sender, R | RC, R | RC | WC, 0 },
	{ "pipe sender: new", PIPE_SENDER, NULL, W, W, 0 },
	{ "pipe sender: receiver closed", PIPE_SENDER, pipe_close_receiver, WC,
	  W | E | WC, 0 },
	{ "pipe sender: written until MIO_EAGAIN", PIPE_SENDER, pipe_fill,
	  NO_EVENT, NO_EVENT, 0 },
	{ "pipe sender: full, then drained", PIPE_SENDER, pipe_fill_drain, W, W,
	  0 },
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

/*
 * Whether this build is epoll itself: the epoll event layout without
 * emulated readiness (the poll(2) backend shares the layout, not the
 * edges).
 */
#if defined(MIO_EVENT_LAYOUT_EPOLL) && !MIO__SELECTOR_NEEDS_REARM
static const bool is_epoll = true;
#else
static const bool is_epoll = false;
#endif

static bool matches(const struct row *r, unsigned got)
{
	if (is_epoll)
		return got == r->epoll;
	return (got & r->must) == r->must &&
	       (got & ~(r->epoll | r->extra)) == 0;
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
	char must_s[32], epoll_s[32], got_s[32];

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
	got = poll_flags(matches(r, 0) ? 100 : 1000, &seen);
	if (seen)
		got |= poll_flags(0, &seen);

	if (!matches(r, got)) {
		name_flags(r->must, must_s, sizeof(must_s));
		name_flags(r->epoll, epoll_s, sizeof(epoll_s));
		name_flags(got, got_s, sizeof(got_s));
		FAIL_AT("%s: got %s; want %s%s", r->name, got_s,
			is_epoll ? "exactly " : "at least ",
			is_epoll ? epoll_s : must_s);
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
