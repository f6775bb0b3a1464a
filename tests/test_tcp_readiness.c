/*
 * The readiness table: for each TCP and UDP situation, exactly which
 * flags the first event reports when a source in that situation is
 * registered. Every backend is held to this table; a backend whose OS
 * reports differently (mio documents where kqueue and Windows differ)
 * gets its own column here, not a weaker test.
 *
 * Flags: R readable, W writable, E error, RC read_closed, WC write_closed.
 * "-" means no event at all. Interest is READABLE|WRITABLE unless noted.
 *
 *   situation                                 epoll (Linux)  kqueue
 *   ----------------------------------------  -------------  -----------
 *   listener, nothing pending (R)             -              -
 *   listener, a connection pending (R)        R              R
 *   stream connected, idle                    W              W
 *   stream connected, idle (R)                -              -
 *   stream, data arrived                      R W            R W
 *   stream, data arrived (W)                  W              W
 *   peer shut down its write half             R W RC         R W RC
 *   peer shut down its write half (W)         W              W
 *   peer closed                               R W RC         R W RC
 *   local shutdown write                      W              W WC
 *   local shutdown read                       R W RC         R W RC
 *   local shutdown both                       R W RC WC      R W RC WC
 *   both sides shut down their write halves   R W RC WC      R W RC WC
 *   peer reset (SO_LINGER 0)                  R W E RC WC    R W E RC WC
 *   peer reset, error taken by a read         R W RC WC      R W RC WC
 *   peer reset (W)                            W E RC WC      W E WC
 *   peer reset (R)                            R E RC WC      R E RC
 *   peer closed, then a write drew a reset    R W E RC WC    R W E RC WC
 *   refused connect                           R W E RC WC    R W E RC WC
 *   refused connect (W)                       W E RC WC      W E WC
 *   udp bound, idle                           W              W
 *   udp bound, idle (R)                       -              -
 *   udp, datagram waiting                     R W            R W
 *   udp connected, port unreachable           W E WC         R W
 *   udp connected, port unreachable (R)       E WC           R
 *
 *   Windows (AFD, measured under Wine) differs from epoll in:
 *
 *   local shutdown read                       W
 *   local shutdown both                       W
 *   both sides shut down their write halves   R W RC
 *   peer reset (SO_LINGER 0)                  R W RC WC
 *   peer reset (W)                            R W RC WC
 *   peer reset (R)                            R W RC WC
 *   peer closed, then a write drew a reset    R W RC WC
 *   refused connect (W)                       R W E RC WC
 *   udp connected, port unreachable           W
 *   udp connected, port unreachable (R)       -
 *
 * Why: epoll reports EPOLLHUP once both directions are shut down (RC and
 * WC by mio's rules), EPOLLRDHUP with EPOLLIN when the read half is
 * (RC), and EPOLLERR for a pending socket error, which with EPOLLOUT or
 * alone also means WC. A local shutdown of the write half alone changes
 * nothing epoll reports: mio ignores its write_closed test on Linux.
 * EPOLLERR and EPOLLHUP are reported whatever the interest.
 *
 * kqueue (FreeBSD's and macOS's socket filters) reports one event per
 * filter, so its column is what the two events say together, and a
 * filter that is not registered says nothing (no RC without the read
 * filter, no WC without the write filter). EV_EOF comes with the half
 * that can no longer be used, a local shutdown of the write half
 * included; its fflags carry the socket's error (E). A UDP socket's
 * pending error wakes both filters without EV_EOF: readable and
 * writable, and no E by mio's rules. This column is from the kernels'
 * filters; the test build on Linux runs it against libkqueue, which
 * differs in the rows marked with a libkqueue reason below.
 *
 * Windows, as mio maps AFD's poll bits: a reset is AFD_POLL_ABORT, which
 * is readable, writable, read_closed and write_closed, and not an error
 * (only a failed connect, AFD_POLL_CONNECT_FAIL, is); both are reported
 * whatever the interest. A graceful close of both halves is no abort, so
 * no write_closed. AFD reports nothing for a local shutdown (mio ignores
 * those tests on Windows). The library turns SIO_UDP_CONNRESET off, so
 * an ICMP port-unreachable is no error. The column was measured under
 * Wine, not on Windows itself.
 */

#include "inet.h"

enum {
	R = EXPECT_READABLE,
	W = EXPECT_WRITABLE,
	E = EXPECT_ERROR,
	RC = EXPECT_READ_CLOSED,
	WC = EXPECT_WRITE_CLOSED,
	NONE = 0
};

#if defined(MIO_EVENT_LAYOUT_KQUEUE)
static const bool kqueue_layout = true;
#else
static const bool kqueue_layout = false;
#endif

#define RW (MIO_READABLE | MIO_WRITABLE)
#define TOKEN 42

/* Every object a situation may use; `src` is the one registered. */
struct ctx {
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_udp_socket u, v;
	mio_source *src;
};

static void connected(struct ctx *x)
{
	tcp_pair(AF_INET, &x->c, &x->s, NULL);
	x->src = &x->c.source;
}

static void listener_idle(struct ctx *x)
{
	mio_sockaddr addr;

	listen_on(AF_INET, &x->l, &addr);
	x->src = &x->l.source;
}

static void listener_pending(struct ctx *x)
{
	mio_sockaddr addr;

	listen_on(AF_INET, &x->l, &addr);
	ASSERT_OK(mio_tcp_stream_connect(&x->c, &addr));
	wait_fd(x->l.source.fd, POLLIN);
	x->src = &x->l.source;
}

static void data_arrived(struct ctx *x)
{
	connected(x);
	ASSERT_EQ(mio_tcp_stream_write(&x->s, "data", 4), 4);
	wait_fd(x->c.source.fd, POLLIN);
}

static void peer_shutdown_write(struct ctx *x)
{
	connected(x);
	ASSERT_OK(mio_tcp_stream_shutdown(&x->s, MIO_SHUTDOWN_WRITE));
	wait_fd(x->c.source.fd, POLLIN);
}

static void peer_closed(struct ctx *x)
{
	connected(x);
	ASSERT_OK(mio_tcp_stream_close(&x->s));
	wait_fd(x->c.source.fd, POLLIN);
}

static void local_shutdown_write(struct ctx *x)
{
	connected(x);
	ASSERT_OK(mio_tcp_stream_shutdown(&x->c, MIO_SHUTDOWN_WRITE));
	/* The peer has seen the FIN, so it was acknowledged as well. */
	wait_fd(x->s.source.fd, POLLIN);
}

static void local_shutdown_read(struct ctx *x)
{
	connected(x);
	ASSERT_OK(mio_tcp_stream_shutdown(&x->c, MIO_SHUTDOWN_READ));
}

static void local_shutdown_both(struct ctx *x)
{
	connected(x);
	ASSERT_OK(mio_tcp_stream_shutdown(&x->c, MIO_SHUTDOWN_BOTH));
	wait_fd(x->s.source.fd, POLLIN);
}

static void both_shutdown_write(struct ctx *x)
{
	connected(x);
	ASSERT_OK(mio_tcp_stream_shutdown(&x->c, MIO_SHUTDOWN_WRITE));
	ASSERT_OK(mio_tcp_stream_shutdown(&x->s, MIO_SHUTDOWN_WRITE));
	wait_fd(x->c.source.fd, POLLHUP);
}

static void peer_reset(struct ctx *x)
{
	connected(x);
	set_linger_zero(x->s.source.fd);
	ASSERT_OK(mio_tcp_stream_close(&x->s));
	wait_fd(x->c.source.fd, POLLERR);
}

static void peer_reset_read(struct ctx *x)
{
	char buf[4];

	peer_reset(x);
	/* Wine reads a reset as end of stream; Windows and POSIX do not. */
	mio_ssize r = mio_tcp_stream_read(&x->c, buf, sizeof(buf));
	if (!(test_under_wine() && r == 0))
		ASSERT_ERR(r, MIO_ECONNRESET);
}

static void peer_closed_then_write(struct ctx *x)
{
	peer_closed(x);
	/* The closed peer answers the data with a reset. */
	ASSERT_EQ(mio_tcp_stream_write(&x->c, "x", 1), 1);
	wait_fd(x->c.source.fd, POLLERR);
}

static void refused(struct ctx *x)
{
	mio_sockaddr addr = closed_port(AF_INET);
	int r = mio_tcp_stream_connect(&x->c, &addr);

	if (r == MIO_ECONNREFUSED)
		FAIL_AT("connect refused synchronously; the table assumes "
			"a non-blocking refusal");
	ASSERT_OK(r);
	wait_fd(x->c.source.fd, POLLERR);
	x->src = &x->c.source;
}

static void udp_idle(struct ctx *x)
{
	mio_sockaddr any = loopback(AF_INET);

	ASSERT_OK(mio_udp_socket_bind(&x->u, &any));
	x->src = &x->u.source;
}

static void udp_datagram(struct ctx *x)
{
	mio_sockaddr any = loopback(AF_INET), addr;

	udp_idle(x);
	ASSERT_OK(mio_udp_socket_bind(&x->v, &any));
	ASSERT_OK(mio_udp_socket_local_addr(&x->u, &addr));
	ASSERT_EQ(mio_udp_socket_send_to(&x->v, "d", 1, &addr), 1);
	wait_fd(x->u.source.fd, POLLIN);
}

static void udp_unreachable(struct ctx *x)
{
	mio_sockaddr any = loopback(AF_INET), gone;

	ASSERT_OK(mio_udp_socket_bind(&x->v, &any));
	ASSERT_OK(mio_udp_socket_local_addr(&x->v, &gone));
	ASSERT_OK(mio_udp_socket_close(&x->v));
	udp_idle(x);
	ASSERT_OK(mio_udp_socket_connect(&x->u, &gone));
	ASSERT_EQ(mio_udp_socket_send(&x->u, "?", 1), 1);
#if defined(_WIN32)
	/* No error will come (SIO_UDP_CONNRESET is off): give it a chance. */
	test_poll_socket(x->u.source.fd, POLLERR, 200);
#else
	wait_fd(x->u.source.fd, POLLERR);
#endif
}

struct situation {
	const char *name;
	void (*setup)(struct ctx *x);
	mio_interest interest;
	unsigned want;	       /* epoll */
	unsigned want_kqueue;  /* kqueue: the flags of both filters' events */
	unsigned want_windows; /* AFD, as measured under Wine */
	/* Where libkqueue, not being a kernel, reports otherwise: why. */
	const char *libkqueue_differs;
};

#define LIBKQUEUE_NO_LOCAL_SHUT_WR                                             \
	"libkqueue runs on epoll, which reports nothing for a local "          \
	"shutdown of the write half; the kernels set EV_EOF on the write "     \
	"filter"
#define LIBKQUEUE_UDP_ERROR                                                    \
	"libkqueue turns EPOLLERR into EV_EOF with the error in fflags; the "  \
	"kernels report a UDP socket's pending error without EV_EOF"

static const struct situation table[] = {
	{ "listener, nothing pending", listener_idle, MIO_READABLE, NONE, NONE,
	  NONE, NULL },
	{ "listener, a connection pending", listener_pending, MIO_READABLE, R,
	  R, R, NULL },
	{ "stream connected, idle", connected, RW, W, W, W, NULL },
	{ "stream connected, idle (R)", connected, MIO_READABLE, NONE, NONE,
	  NONE, NULL },
	{ "stream, data arrived", data_arrived, RW, R | W, R | W, R | W, NULL },
	{ "stream, data arrived (W)", data_arrived, MIO_WRITABLE, W, W, W,
	  NULL },
	{ "peer shut down its write half", peer_shutdown_write, RW, R | W | RC,
	  R | W | RC, R | W | RC, NULL },
	{ "peer shut down its write half (W)", peer_shutdown_write,
	  MIO_WRITABLE, W, W, W, NULL },
	{ "peer closed", peer_closed, RW, R | W | RC, R | W | RC, R | W | RC,
	  NULL },
	{ "local shutdown write", local_shutdown_write, RW, W, W | WC, W,
	  LIBKQUEUE_NO_LOCAL_SHUT_WR },
	{ "local shutdown read", local_shutdown_read, RW, R | W | RC,
	  R | W | RC, W, NULL },
	{ "local shutdown both", local_shutdown_both, RW, R | W | RC | WC,
	  R | W | RC | WC, W, NULL },
	{ "both sides shut down their write halves", both_shutdown_write, RW,
	  R | W | RC | WC, R | W | RC | WC, R | W | RC, NULL },
	{ "peer reset", peer_reset, RW, R | W | E | RC | WC,
	  R | W | E | RC | WC, R | W | RC | WC, NULL },
	{ "peer reset, error taken by a read", peer_reset_read, RW,
	  R | W | RC | WC, R | W | RC | WC, R | W | RC | WC, NULL },
	{ "peer reset (W)", peer_reset, MIO_WRITABLE, W | E | RC | WC,
	  W | E | WC, R | W | RC | WC, NULL },
	{ "peer reset (R)", peer_reset, MIO_READABLE, R | E | RC | WC,
	  R | E | RC, R | W | RC | WC, NULL },
	{ "peer closed, then a write drew a reset", peer_closed_then_write, RW,
	  R | W | E | RC | WC, R | W | E | RC | WC, R | W | RC | WC, NULL },
	{ "refused connect", refused, RW, R | W | E | RC | WC,
	  R | W | E | RC | WC, R | W | E | RC | WC, NULL },
	{ "refused connect (W)", refused, MIO_WRITABLE, W | E | RC | WC,
	  W | E | WC, R | W | E | RC | WC, NULL },
	{ "udp bound, idle", udp_idle, RW, W, W, W, NULL },
	{ "udp bound, idle (R)", udp_idle, MIO_READABLE, NONE, NONE, NONE,
	  NULL },
	{ "udp, datagram waiting", udp_datagram, RW, R | W, R | W, R | W,
	  NULL },
	{ "udp connected, port unreachable", udp_unreachable, RW, W | E | WC,
	  R | W, W, LIBKQUEUE_UDP_ERROR },
	{ "udp connected, port unreachable (R)", udp_unreachable, MIO_READABLE,
	  E | WC, R, NONE, LIBKQUEUE_UDP_ERROR },
};

static void describe(unsigned r, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s", r == 0 ? "-" : "", r & R ? "R " : "",
		 r & W ? "W " : "", r & E ? "E " : "", r & RC ? "RC " : "",
		 r & WC ? "WC " : "");
}

static void inert(struct ctx *x)
{
	memset(x, 0, sizeof(*x));
	x->l.source.fd = -1;
	x->c.source.fd = -1;
	x->s.source.fd = -1;
	x->u.source.fd = -1;
	x->v.source.fd = -1;
}

/* Checks one row; false if it was skipped for a libkqueue difference. */
static bool check(const struct situation *sit)
{
	mio_poll *poll;
	mio_events *events;
	struct ctx x;
	struct timespec t = ms_timeout(1000);
	char want[32], got[32];
#if defined(_WIN32)
	unsigned wanted = sit->want_windows;
#else
	unsigned wanted = kqueue_layout ? sit->want_kqueue : sit->want;
#endif
	bool checked = true;
	int n;

	inert(&x);
	poll_setup(&poll, &events);
	sit->setup(&x);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), x.src, TOKEN,
					sit->interest));
	if (wanted == NONE) {
		expect_no_events(poll, events);
	} else {
		unsigned r = 0;
		n = mio_poll_poll(poll, events, &t);
		/* kqueue: one event per filter, so up to two. */
		ASSERT(n == 1 || (kqueue_layout && n == 2));
		for (int i = 0; i < n; i++) {
			const mio_event *e = mio_events_at(events, (size_t)i);
			ASSERT_UEQ(mio_event_token(e), TOKEN);
			r |= event_readiness(e);
		}
		describe(wanted, want, sizeof(want));
		describe(r, got, sizeof(got));
		if (r != wanted && sit->libkqueue_differs != NULL &&
		    libkqueue_gap(sit->libkqueue_differs)) {
			printf("# %-42s skipped: got %s\n", sit->name, got);
			checked = false;
		} else if (r != wanted) {
			FAIL_AT("%s: want %s, got %s", sit->name, want, got);
		}
	}
	ASSERT_OK(mio_tcp_stream_close(&x.c));
	ASSERT_OK(mio_tcp_stream_close(&x.s));
	ASSERT_OK(mio_tcp_listener_close(&x.l));
	ASSERT_OK(mio_udp_socket_close(&x.u));
	ASSERT_OK(mio_udp_socket_close(&x.v));
	poll_teardown(poll, events);
	return checked;
}

static void readiness_table(void)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (check(&table[i]))
			printf("# %-42s ok\n", table[i].name);
}

int main(void)
{
	RUN(readiness_table);
	return test_summary();
}
