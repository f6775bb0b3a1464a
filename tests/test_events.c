/*
 * mio_events and mio_event: the buffer's accessors and bounds, the event
 * flags against mio's rules for the backend (mio's tests/events.rs and
 * the epoll and Windows selectors' event modules), and mio_event_format,
 * on loopback TCP streams. Pipes and Unix-domain sockets (POSIX only)
 * are in test_fd_events.c.
 */

#include "events_exported.h"
#include "inet.h"

/*
 * The huge-capacity test asks for more memory than exists: the
 * sanitizers' allocators (ASan's, and TSan's, whose largest allocation
 * is 1 TiB) must then fail like malloc does instead of aborting.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static struct exported_accessors x;

static void capacity_zero_is_einval(void)
{
	mio_events *events = (mio_events *)&events;

	ASSERT_ERR(mio_events_new(0, &events), MIO_EINVAL);
	ASSERT(events == NULL);
	ASSERT_ERR(mio_events_new(1, NULL), MIO_EINVAL);
}

/* Capacities whose size overflows, or exceeds memory, fail cleanly. */
static void huge_capacity_fails_cleanly(void)
{
	static const size_t huge[] = {
		SIZE_MAX,
		SIZE_MAX / 2,
		SIZE_MAX / sizeof(mio_event),
		SIZE_MAX / sizeof(mio_event) + 1,
		SIZE_MAX / sizeof(mio_event) - 1,
		(SIZE_MAX / 4) / sizeof(mio_event),
	};

	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		mio_events *events = (mio_events *)&events;
		int err = mio_events_new(huge[i], &events);
		/* A quarter of a 32-bit address space can be had. */
		if (err == 0 && huge[i] <= (SIZE_MAX / 4) / sizeof(mio_event)) {
			ASSERT_UEQ(mio_events_capacity(events), huge[i]);
			mio_events_free(events);
			continue;
		}
		if (err != MIO_EINVAL && err != MIO_ENOMEM)
			FAIL_AT("capacity %zu: want EINVAL or ENOMEM, got %d",
				huge[i], err);
		ASSERT(events == NULL);
	}
}

static void empty_buffer_accessors(void)
{
	mio_events *events;

	ASSERT_OK(mio_events_new(3, &events));
	ASSERT_UEQ(mio_events_capacity(events), 3);
	ASSERT_UEQ(mio_events_len(events), 0);
	ASSERT(mio_events_is_empty(events));
	ASSERT(mio_events_get(events, 0) == NULL);
	ASSERT(mio_events_get(events, 3) == NULL);
	ASSERT(mio_events_get(events, SIZE_MAX) == NULL);
	mio_events_clear(events);
	ASSERT(mio_events_is_empty(events));
	mio_events_clear(NULL);
	mio_events_free(events);
	mio_events_free(NULL);
}

/* Accessors on a buffer that a poll filled; clear empties it. */
static void filled_buffer_accessors(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream a, a_peer, b, b_peer;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	stream_pair(&a, &a_peer);
	stream_pair(&b, &b_peer);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 10,
					MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &b.source, 20,
					MIO_WRITABLE));
	struct timespec t = ms_timeout(1000);
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 2);
	ASSERT_UEQ(mio_events_len(events), 2);
	ASSERT_UEQ(mio_events_capacity(events), 4);
	ASSERT(!mio_events_is_empty(events));
	ASSERT(mio_events_get(events, 0) == mio_events_at(events, 0));
	ASSERT(mio_events_get(events, 1) == mio_events_at(events, 1));
	ASSERT(mio_events_get(events, 2) == NULL);
	ASSERT(mio_events_get(events, 3) == NULL);
	ASSERT(mio_events_get(events, 4) == NULL);
	ASSERT_UEQ(mio_event_token(mio_events_at(events, 0)) +
			   mio_event_token(mio_events_at(events, 1)),
		   30);

	/* The exported definitions agree with the inline ones. */
	ASSERT_UEQ(x.events_len(events), 2);
	ASSERT_UEQ(x.events_capacity(events), 4);
	ASSERT(!x.events_is_empty(events));
	ASSERT(x.events_get(events, 1) ==
	       (const void *)mio_events_at(events, 1));
	ASSERT(x.events_get(events, 2) == NULL);
	ASSERT(x.events_at(events, 0) ==
	       (const void *)mio_events_at(events, 0));
	ASSERT_UEQ(x.token(x.events_at(events, 1)),
		   mio_event_token(mio_events_at(events, 1)));

	mio_events_clear(events);
	ASSERT_UEQ(mio_events_len(events), 0);
	ASSERT_UEQ(mio_events_capacity(events), 4);
	ASSERT(mio_events_get(events, 0) == NULL);
	ASSERT(x.events_is_empty(events));
	close_pair(&a, &a_peer);
	close_pair(&b, &b_peer);
	mio_events_free(events);
	mio_poll_free(poll);
}

enum {
	R = EXPECT_READABLE,
	W = EXPECT_WRITABLE,
	E = EXPECT_ERROR,
	RC = EXPECT_READ_CLOSED,
	WC = EXPECT_WRITE_CLOSED,
	P = EXPECT_PRIORITY,
};

/*
 * Events crafted by hand, for the layouts whose event carries the OS's
 * bits as they are: epoll's, and the AFD poll bits on Windows. (kqueue
 * reports one filter per event: test_posix_kqueue.c.)
 */
#if defined(MIO_EVENT_LAYOUT_EPOLL)
#define HAVE_CRAFTED_EVENTS 1

/* mio's epoll rules, bit by bit, for events the kernel can report. */
static const struct {
	uint32_t events;
	unsigned want;
} crafted_cases[] = {
	{ 0, 0 },
	{ EPOLLIN, R },
	{ EPOLLRDNORM, 0 },
	{ EPOLLIN | EPOLLRDNORM, R },
	{ EPOLLPRI, R | P },
	{ EPOLLIN | EPOLLPRI, R | P },
	{ EPOLLOUT, W },
	{ EPOLLOUT | EPOLLWRNORM, W },
	{ EPOLLWRNORM, 0 },
	{ EPOLLIN | EPOLLOUT, R | W },
	/* A pipe whose reader is gone and that is full: EPOLLERR alone. */
	{ EPOLLERR, E | WC },
	{ EPOLLERR | EPOLLOUT, E | W | WC },
	{ EPOLLERR | EPOLLIN, E | R },
	{ EPOLLERR | EPOLLPRI, E | R | P },
	{ EPOLLERR | EPOLLRDHUP, E },
	{ EPOLLHUP, RC | WC },
	{ EPOLLHUP | EPOLLIN, R | RC | WC },
	{ EPOLLHUP | EPOLLOUT, W | RC | WC },
	{ EPOLLHUP | EPOLLERR, E | RC | WC },
	{ EPOLLRDHUP, 0 },
	{ EPOLLRDHUP | EPOLLIN, R | RC },
	{ EPOLLRDHUP | EPOLLIN | EPOLLOUT, R | W | RC },
	{ EPOLLRDHUP | EPOLLOUT, W },
	{ EPOLLRDHUP | EPOLLPRI, R | P },
	{ EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDHUP | EPOLLPRI,
	  R | W | E | RC | WC | P },
};

#define CRAFTED_READABLE EPOLLIN
#define CRAFTED_ALL                                                            \
	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDHUP | EPOLLPRI)

static mio_event crafted(uint32_t events, uint64_t data)
{
	mio_event e;

	memset(&e, 0, sizeof(e));
	e.raw_.events = events;
	e.raw_.data.u64 = data;
	return e;
}
#elif defined(_WIN32)
#define HAVE_CRAFTED_EVENTS 1

/* mio's Windows rules (its event.rs), AFD poll bit by bit. */
static const struct {
	uint32_t events;
	unsigned want;
} crafted_cases[] = {
	{ 0, 0 },
	{ MIO__AFD_POLL_RECEIVE, R },
	{ MIO__AFD_POLL_RECEIVE_EXPEDITED, P },
	{ MIO__AFD_POLL_RECEIVE | MIO__AFD_POLL_RECEIVE_EXPEDITED, R | P },
	{ MIO__AFD_POLL_SEND, W },
	{ MIO__AFD_POLL_RECEIVE | MIO__AFD_POLL_SEND, R | W },
	/* A FIN: end of stream. */
	{ MIO__AFD_POLL_DISCONNECT, R | RC },
	{ MIO__AFD_POLL_DISCONNECT | MIO__AFD_POLL_SEND, R | W | RC },
	/* A reset is no error to mio, only a failed connect is. */
	{ MIO__AFD_POLL_ABORT, R | W | RC | WC },
	/* The library's own close ends polling: nothing to report. */
	{ MIO__AFD_POLL_LOCAL_CLOSE, 0 },
	{ MIO__AFD_POLL_ACCEPT, R },
	{ MIO__AFD_POLL_CONNECT_FAIL, R | W | E | RC | WC },
	{ MIO__AFD_POLL_RECEIVE | MIO__AFD_POLL_RECEIVE_EXPEDITED |
		  MIO__AFD_POLL_SEND | MIO__AFD_POLL_DISCONNECT |
		  MIO__AFD_POLL_ABORT | MIO__AFD_POLL_LOCAL_CLOSE |
		  MIO__AFD_POLL_ACCEPT | MIO__AFD_POLL_CONNECT_FAIL,
	  R | W | E | RC | WC | P },
};

#define CRAFTED_READABLE MIO__AFD_POLL_RECEIVE
#define CRAFTED_ALL                                                            \
	(MIO__AFD_POLL_RECEIVE | MIO__AFD_POLL_RECEIVE_EXPEDITED |             \
	 MIO__AFD_POLL_SEND | MIO__AFD_POLL_CONNECT_FAIL)

static mio_event crafted(uint32_t events, uint64_t data)
{
	mio_event e;

	memset(&e, 0, sizeof(e));
	e.token_ = (mio_token)data;
	e.flags_ = events;
	return e;
}
#endif

#if defined(HAVE_CRAFTED_EVENTS)
static void crafted_flags(void)
{
	for (size_t i = 0; i < sizeof(crafted_cases) / sizeof(crafted_cases[0]);
	     i++) {
		mio_event e = crafted(crafted_cases[i].events, i);
		unsigned got = event_readiness(&e);
		if (got != crafted_cases[i].want)
			FAIL_AT("events %#x: readiness %#x, want %#x",
				crafted_cases[i].events, got,
				crafted_cases[i].want);
		got = exported_readiness(&x, &e);
		if (got != crafted_cases[i].want)
			FAIL_AT("events %#x: exported readiness %#x, want %#x",
				crafted_cases[i].events, got,
				crafted_cases[i].want);
		ASSERT(!mio_event_is_aio(&e));
		ASSERT(!mio_event_is_lio(&e));
		ASSERT_UEQ(mio_event_token(&e), i);
	}
}

static void crafted_tokens(void)
{
	static const uint64_t tokens[] = { 0, 1, 0x7fffffff, 0xffffffff,
					   (uint64_t)UINTPTR_MAX };

	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		mio_event e = crafted(CRAFTED_READABLE, tokens[i]);
		ASSERT_UEQ(mio_event_token(&e), tokens[i]);
		ASSERT_UEQ(x.token(&e), tokens[i]);
	}
}

/* Every flag appears in the text, and the largest token fits. */
static void format_all_flags(void)
{
	mio_event e = crafted(CRAFTED_ALL, (uint64_t)UINTPTR_MAX);
	char buf[512], tok[32];

	ASSERT(mio_event_format(&e, buf, sizeof(buf)) > 0);
	snprintf(tok, sizeof(tok), "token: %ju", (uintmax_t)UINTPTR_MAX);
	ASSERT(strstr(buf, tok) != NULL);
	ASSERT(strstr(buf, "readable: true") != NULL);
	ASSERT(strstr(buf, "writable: true") != NULL);
	ASSERT(strstr(buf, "error: true") != NULL);
	ASSERT(strstr(buf, "read_closed: true") != NULL);
	ASSERT(strstr(buf, "write_closed: true") != NULL);
	ASSERT(strstr(buf, "priority: true") != NULL);
	ASSERT(strstr(buf, "aio: false") != NULL);
	ASSERT(strstr(buf, "lio: false") != NULL);
}
#endif

/* The peer shuts its write half: read-closed, and only that. */
static void peer_shutdown_is_read_closed(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream s, peer;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	stream_pair(&s, &peer);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source, 1,
					MIO_READABLE));
	ASSERT_OK(mio_tcp_stream_shutdown(&peer, MIO_SHUTDOWN_WRITE));
	expect_peer_write_shutdown(poll, events);

	/*
	 * Then it resets the connection: both halves are closed. (A TCP
	 * peer's plain close after its shutdown changes nothing here; a
	 * Unix-domain one's does, see test_fd_events.c.) Reads would only
	 * ever return 0 now, never MIO_EAGAIN, so a reregistration re-arms
	 * the source where edge triggering is emulated.
	 */
	ASSERT_OK(mio_registry_reregister(mio_poll_registry(poll), &s.source, 1,
					  MIO_READABLE));
	test_set_linger_zero(peer.source.fd);
	ASSERT_OK(mio_tcp_stream_close(&peer));
	expect_peer_gone(poll, events);
	ASSERT_OK(mio_tcp_stream_close(&s));
	mio_events_free(events);
	mio_poll_free(poll);
}

static mio_event some_event(mio_events *events, mio_poll *poll,
			    mio_tcp_stream *s)
{
	struct timespec t = ms_timeout(1000);

	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s->source, 5,
					MIO_WRITABLE));
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
	return *mio_events_at(events, 0);
}

/* mio_event_format follows snprintf: length needed, safe truncation. */
static void format_follows_snprintf(void)
{
	mio_poll *poll;
	mio_events *events;
	char full[512], small[16];
	mio_tcp_stream s, peer;
	int n;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	stream_pair(&s, &peer);
	mio_event e = some_event(events, poll, &s);

	n = mio_event_format(&e, full, sizeof(full));
	ASSERT(n > 0);
	ASSERT((size_t)n < sizeof(full));
	ASSERT_UEQ(strlen(full), n);
	ASSERT(strstr(full, "token: 5") != NULL);
	ASSERT(strstr(full, "writable: true") != NULL);
	ASSERT(strstr(full, "readable: false") != NULL);

	/* NULL with length 0: just the length needed. */
	ASSERT_EQ(mio_event_format(&e, NULL, 0), n);
	/* A zero length never writes. */
	small[0] = 'Z';
	ASSERT_EQ(mio_event_format(&e, small, 0), n);
	ASSERT_EQ(small[0], 'Z');
	/* Truncated: a NUL-terminated prefix, nothing written past len. */
	memset(small, 'Z', sizeof(small));
	ASSERT_EQ(mio_event_format(&e, small, 10), n);
	ASSERT_UEQ(strlen(small), 9);
	ASSERT(strncmp(small, full, 9) == 0);
	for (size_t i = 10; i < sizeof(small); i++)
		ASSERT_EQ(small[i], 'Z');
	memset(small, 'Z', sizeof(small));
	ASSERT_EQ(mio_event_format(&e, small, 1), n);
	ASSERT_EQ(small[0], '\0');
	ASSERT_EQ(small[1], 'Z');
	/* Exactly the length: one byte short of the terminator. */
	char *exact = malloc((size_t)n + 1);
	ASSERT(exact != NULL);
	ASSERT_EQ(mio_event_format(&e, exact, (size_t)n), n);
	ASSERT_UEQ(strlen(exact), n - 1);
	ASSERT_EQ(mio_event_format(&e, exact, (size_t)n + 1), n);
	ASSERT_STR_EQ(exact, full);
	free(exact);

	ASSERT_ERR(mio_event_format(NULL, full, sizeof(full)), MIO_EINVAL);
	ASSERT_ERR(mio_event_format(&e, NULL, 10), MIO_EINVAL);
	close_pair(&s, &peer);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* The checked accessors read a NULL buffer as empty. */
static void null_buffer_reads_as_empty(void)
{
	ASSERT_UEQ(mio_events_len(NULL), 0);
	ASSERT_UEQ(mio_events_capacity(NULL), 0);
	ASSERT(mio_events_is_empty(NULL));
	ASSERT(mio_events_get(NULL, 0) == NULL);
	mio_events_clear(NULL);
}

int main(void)
{
	exported_accessors_get(&x);
	RUN(capacity_zero_is_einval);
	RUN(null_buffer_reads_as_empty);
	RUN(huge_capacity_fails_cleanly);
	RUN(empty_buffer_accessors);
	RUN(filled_buffer_accessors);
#if defined(HAVE_CRAFTED_EVENTS)
	RUN(crafted_flags);
	RUN(crafted_tokens);
	RUN(format_all_flags);
#endif
	RUN(peer_shutdown_is_read_closed);
	RUN(format_follows_snprintf);
	return test_summary();
}
