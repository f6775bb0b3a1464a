/*
 * The Windows backend's own cases: poll states that outlive deregister
 * and close while their AFD poll is in flight, wepoll's registration fuzz
 * over 1,000 sockets, per-direction re-arming, moved sources, and the
 * waker hammered from threads.
 *
 * Labelled stress for its time under Wine, whose cost per cancelled AFD
 * poll grows with the number of polls in flight: the fuzz's 1,000
 * sockets take about half a minute there, a fraction of a second on
 * Windows.
 */
/* ctest-labels: threads stress */

#include <winsock2.h>
#include <windows.h>

#include "test.h"

static mio_sockaddr loopback4(void)
{
	mio_sockaddr a;
	ASSERT_OK(mio_sockaddr_parse(&a, "127.0.0.1:0"));
	return a;
}

/* A connected TCP pair through a listener of its own. */
static void tcp_pair(mio_tcp_stream *client, mio_tcp_stream *server)
{
	mio_tcp_listener l;
	mio_sockaddr addr = loopback4();
	int r;

	ASSERT_OK(mio_tcp_listener_bind(&l, &addr));
	ASSERT_OK(mio_tcp_listener_local_addr(&l, &addr));
	ASSERT_OK(mio_tcp_stream_connect(client, &addr));
	for (int i = 0;
	     (r = mio_tcp_listener_accept(&l, server, NULL)) == MIO_EAGAIN &&
	     i < 500;
	     i++)
		Sleep(10);
	ASSERT_OK(r);
	assert_nonblocking(server->source.fd);
	assert_cloexec(server->source.fd);
	ASSERT_OK(mio_tcp_listener_close(&l));
}

static void poll_setup(mio_poll **poll, mio_events **events)
{
	ASSERT_OK(mio_poll_new(poll));
	ASSERT_OK(mio_events_new(256, events));
}

static void poll_teardown(mio_poll *poll, mio_events *events)
{
	mio_events_free(events);
	mio_poll_free(poll);
}

/* ---------------------------------------------------------------------- */

struct poller {
	mio_poll *poll;
	mio_events *events;
	mio_token waker_token;
	int got;	/* events seen */
	int others;	/* events that were not the waker's */
	HANDLE started; /* set just before blocking */
};

static DWORD WINAPI poll_once(LPVOID arg)
{
	struct poller *p = arg;
	struct timespec t = ms_timeout(10000);
	int n;

	SetEvent(p->started);
	n = mio_poll_poll(p->poll, p->events, &t);
	ASSERT_OK(n);
	p->got = n;
	for (int i = 0; i < n; i++)
		if (mio_event_token(mio_events_at(p->events, i)) !=
		    p->waker_token)
			p->others++;
	return 0;
}

/*
 * Deregister and close while another thread is blocked in the poll with
 * the socket's AFD poll in flight: no event for it may come through, and
 * the caller's memory may be reused at once.
 */
static void deregister_and_close_while_polling(void)
{
	mio_tcp_stream c, s;
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	struct poller p = { 0 };
	HANDLE thread;

	poll_setup(&poll, &events);
	tcp_pair(&c, &s);
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 99, &waker));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source, 1,
					MIO_READABLE));
	/* A first poll submits the AFD poll; nothing is readable yet. */
	expect_no_events(poll, events);

	p.poll = poll;
	p.events = events;
	p.waker_token = 99;
	p.started = CreateEventA(NULL, TRUE, FALSE, NULL);
	thread = CreateThread(NULL, 0, poll_once, &p, 0, NULL);
	ASSERT(thread != NULL);
	WaitForSingleObject(p.started, INFINITE);
	Sleep(50);
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll), &s.source));
	/* Readable now, but deregistered: the blocked poll must not see it. */
	ASSERT_EQ(mio_tcp_stream_write(&c, "x", 1), 1);
	Sleep(50);
	ASSERT_OK(mio_waker_wake(waker));
	WaitForSingleObject(thread, INFINITE);
	CloseHandle(thread);
	ASSERT_EQ(p.others, 0);
	ASSERT_EQ(p.got, 1);

	/* Register again, let the poll go in flight, then close meanwhile. */
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source, 2,
					MIO_READABLE));
	expect_no_events(poll, events);
	p.got = p.others = 0;
	ResetEvent(p.started);
	thread = CreateThread(NULL, 0, poll_once, &p, 0, NULL);
	ASSERT(thread != NULL);
	WaitForSingleObject(p.started, INFINITE);
	Sleep(50);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT(c.source.fd == MIO_INVALID_FD);
	/* The library must not need the caller's struct any more. */
	memset(&c, 0xa5, sizeof(c));
	ASSERT_EQ(mio_tcp_stream_write(&s, "y", 1), 1);
	Sleep(50);
	ASSERT_OK(mio_waker_wake(waker));
	WaitForSingleObject(thread, INFINITE);
	CloseHandle(thread);
	ASSERT_EQ(p.others, 0);
	expect_no_events(poll, events);

	CloseHandle(p.started);
	ASSERT_OK(mio_tcp_stream_close(&s));
	mio_waker_free(waker);
	poll_teardown(poll, events);
}

/* Closing with a poll in flight, then freeing the poll, leaks nothing. */
static void close_in_flight_frees_state(void)
{
	mio_tcp_stream c, s;
	mio_poll *poll;
	mio_events *events;
	int handles = count_open_fds();

	poll_setup(&poll, &events);
	tcp_pair(&c, &s);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source, 1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source, 2,
					MIO_READABLE));
	struct expect_event want = { 1, EXPECT_WRITABLE };
	expect_events(poll, events, &want, 1);
	/* Both have polls in flight now (or queued): close and free at once. */
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));
	poll_teardown(poll, events);
	/* The port, the AFD handle and the sockets are all gone. */
	ASSERT_EQ(count_open_fds(), handles);
}

/*
 * A poll freed with sources still registered: they become unregistered;
 * their close must not touch the freed poll, and they can be registered
 * with another poll.
 */
static void poll_freed_first(void)
{
	mio_tcp_stream c, s;
	mio_poll *poll;
	mio_events *events;

	poll_setup(&poll, &events);
	tcp_pair(&c, &s);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source, 1,
					MIO_READABLE));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source, 2,
					MIO_READABLE));
	expect_no_events(poll, events);
	poll_teardown(poll, events);

	/* I/O that would re-arm must not touch the freed state. */
	char buf[4];
	ASSERT_ERR(mio_tcp_stream_read(&c, buf, sizeof(buf)), MIO_EAGAIN);

	poll_setup(&poll, &events);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source, 3,
					MIO_READABLE));
	ASSERT_EQ(mio_tcp_stream_write(&c, "z", 1), 1);
	struct expect_event want = { 3, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));
	poll_teardown(poll, events);
}

/*
 * Re-arming is per direction: a read that would block asks for readable
 * again, not for writable.
 */
static void rearm_per_direction(void)
{
	mio_tcp_stream c, s;
	mio_poll *poll;
	mio_events *events;
	char buf[16];

	poll_setup(&poll, &events);
	tcp_pair(&c, &s);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source, 7,
					MIO_READABLE | MIO_WRITABLE));
	struct expect_event w = { 7, EXPECT_WRITABLE };
	expect_events(poll, events, &w, 1);
	expect_no_events(poll, events);
	ASSERT_ERR(mio_tcp_stream_read(&s, buf, sizeof(buf)), MIO_EAGAIN);
	/* Still writable, but that edge was not re-armed. */
	expect_no_events(poll, events);
	ASSERT_EQ(mio_tcp_stream_write(&c, "abc", 3), 3);
	struct expect_event r = { 7, EXPECT_READABLE };
	expect_events(poll, events, &r, 1);
	for (size_t i = 0; i < mio_events_len(events); i++)
		ASSERT(!mio_event_is_writable(mio_events_at(events, i)));
	/* Not drained: no new edge for the next byte either. */
	ASSERT_EQ(mio_tcp_stream_read(&s, buf, 1), 1);
	ASSERT_EQ(mio_tcp_stream_write(&c, "d", 1), 1);
	expect_no_events(poll, events);
	/* Drained to MIO_EAGAIN: readable again when more arrives. */
	ASSERT_EQ(mio_tcp_stream_read(&s, buf, sizeof(buf)), 3);
	ASSERT_ERR(mio_tcp_stream_read(&s, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_tcp_stream_write(&c, "e", 1), 1);
	expect_events(poll, events, &r, 1);
	/* Reregister re-arms everything. */
	ASSERT_OK(mio_registry_reregister(mio_poll_registry(poll), &s.source, 8,
					  MIO_READABLE | MIO_WRITABLE));
	struct expect_event rw = { 8, EXPECT_READABLE | EXPECT_WRITABLE };
	expect_events(poll, events, &rw, 1);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));
	poll_teardown(poll, events);
}

/* A registered source moved bytewise keeps working through the copy. */
static void moved_source(void)
{
	mio_tcp_stream c, s, *moved;
	mio_poll *poll;
	mio_events *events;
	char buf[8];

	poll_setup(&poll, &events);
	tcp_pair(&c, &s);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source, 5,
					MIO_READABLE));
	moved = malloc(sizeof(*moved));
	ASSERT(moved != NULL);
	memcpy(moved, &s, sizeof(s));
	memset(&s, 0x5a, sizeof(s));
	ASSERT_EQ(mio_tcp_stream_write(&c, "m", 1), 1);
	struct expect_event want = { 5, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_EQ(mio_tcp_stream_read(moved, buf, sizeof(buf)), 1);
	ASSERT_ERR(mio_tcp_stream_read(moved, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_tcp_stream_write(&c, "n", 1), 1);
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll),
					  &moved->source));
	ASSERT_OK(mio_tcp_stream_close(moved));
	free(moved);
	ASSERT_OK(mio_tcp_stream_close(&c));
	poll_teardown(poll, events);
}

/* ---------------------------------------------------------------------- */
/* wepoll's ctl fuzz: 1,000 sockets, random (re/de)registrations          */

#define FUZZ_SOCKETS 1000
#define FUZZ_OPS 20000

struct fuzz_sock {
	mio_udp_socket u;
	mio_sockaddr addr;
	bool registered;
	mio_interest interest;
	unsigned gen;
	int readable_events;
};

static uint32_t rng_state = 0x12345678;

static uint32_t rng(void)
{
	/* xorshift32: reproducible across runs and platforms. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static mio_token fuzz_token(size_t i, unsigned gen)
{
	return ((mio_token)i << 8) | (gen & 0xff);
}

/* Every event must be for a registered socket, with its current token. */
static void fuzz_check_events(struct fuzz_sock *socks, mio_events *events)
{
	for (size_t k = 0; k < mio_events_len(events); k++) {
		const mio_event *e = mio_events_at(events, k);
		mio_token t = mio_event_token(e);
		size_t i = (size_t)(t >> 8);

		ASSERT(i < FUZZ_SOCKETS);
		ASSERT(socks[i].registered);
		ASSERT_UEQ(t, fuzz_token(i, socks[i].gen));
		if (mio_event_is_readable(e)) {
			ASSERT(socks[i].interest & MIO_READABLE);
			socks[i].readable_events++;
		}
		if (mio_event_is_writable(e))
			ASSERT(socks[i].interest & MIO_WRITABLE);
	}
}

static void fuzz_op(mio_registry *r, struct fuzz_sock *f, size_t i)
{
	static const mio_interest interests[] = { MIO_READABLE, MIO_WRITABLE,
						  MIO_READABLE | MIO_WRITABLE };
	mio_interest in = interests[rng() % 3];

	switch (rng() % 3) {
	case 0:
		if (f->registered) {
			ASSERT_ERR(
				mio_registry_register(r, &f->u.source, 0, in),
				MIO_EEXIST);
			break;
		}
		f->gen++;
		ASSERT_OK(mio_registry_register(r, &f->u.source,
						fuzz_token(i, f->gen), in));
		f->registered = true;
		f->interest = in;
		break;
	case 1:
		if (!f->registered) {
			ASSERT_ERR(
				mio_registry_reregister(r, &f->u.source, 0, in),
				MIO_ENOENT);
			break;
		}
		f->gen++;
		ASSERT_OK(mio_registry_reregister(r, &f->u.source,
						  fuzz_token(i, f->gen), in));
		f->interest = in;
		break;
	default:
		if (!f->registered) {
			ASSERT_ERR(mio_registry_deregister(r, &f->u.source),
				   MIO_ENOENT);
			break;
		}
		ASSERT_OK(mio_registry_deregister(r, &f->u.source));
		f->registered = false;
		break;
	}
}

static void ctl_fuzz(void)
{
	struct fuzz_sock *socks = calloc(FUZZ_SOCKETS, sizeof(*socks));
	struct timespec zero = { 0, 0 };
	mio_udp_socket tx;
	mio_poll *poll;
	mio_events *events;
	mio_registry *r;
	mio_sockaddr any = loopback4();

	ASSERT(socks != NULL);
	poll_setup(&poll, &events);
	r = mio_poll_registry(poll);
	for (size_t i = 0; i < FUZZ_SOCKETS; i++) {
		ASSERT_OK(mio_udp_socket_bind(&socks[i].u, &any));
		ASSERT_OK(
			mio_udp_socket_local_addr(&socks[i].u, &socks[i].addr));
	}
	for (int op = 0; op < FUZZ_OPS; op++) {
		size_t i = rng() % FUZZ_SOCKETS;
		fuzz_op(r, &socks[i], i);
		if (op % 64 == 0) {
			ASSERT_OK(mio_poll_poll(poll, events, &zero));
			fuzz_check_events(socks, events);
		}
	}

	/*
	 * Now every socket registered for readable only, one datagram each:
	 * every one reports readable exactly once.
	 */
	for (size_t i = 0; i < FUZZ_SOCKETS; i++) {
		struct fuzz_sock *f = &socks[i];
		if (f->registered)
			ASSERT_OK(mio_registry_deregister(r, &f->u.source));
		f->gen++;
		ASSERT_OK(mio_registry_register(
			r, &f->u.source, fuzz_token(i, f->gen), MIO_READABLE));
		f->registered = true;
		f->interest = MIO_READABLE;
		f->readable_events = 0;
	}
	ASSERT_OK(mio_udp_socket_bind(&tx, &any));
	for (size_t i = 0; i < FUZZ_SOCKETS; i++)
		ASSERT_EQ(mio_udp_socket_send_to(&tx, "d", 1, &socks[i].addr),
			  1);
	int total = 0;
	struct timespec t = ms_timeout(200);
	for (int round = 0; round < 100 && total < FUZZ_SOCKETS; round++) {
		int n = mio_poll_poll(poll, events, &t);
		ASSERT_OK(n);
		fuzz_check_events(socks, events);
		total = 0;
		for (size_t i = 0; i < FUZZ_SOCKETS; i++)
			total += socks[i].readable_events > 0;
	}
	ASSERT_EQ(total, FUZZ_SOCKETS);
	for (size_t i = 0; i < FUZZ_SOCKETS; i++)
		ASSERT_EQ(socks[i].readable_events, 1);
	expect_no_events(poll, events);

	for (size_t i = 0; i < FUZZ_SOCKETS; i++)
		ASSERT_OK(mio_udp_socket_close(&socks[i].u));
	ASSERT_OK(mio_udp_socket_close(&tx));
	free(socks);
	poll_teardown(poll, events);
}

/* ---------------------------------------------------------------------- */

#define WAKE_THREADS 4
#define WAKES 2000

static DWORD WINAPI waker_thread(LPVOID arg)
{
	mio_waker *w = arg;

	for (int i = 0; i < WAKES; i++)
		ASSERT_OK(mio_waker_wake(w));
	return 0;
}

/*
 * Wakes from several threads while the poll runs: each poll sees at most
 * one (coalesced) waker event, and the last wake is never lost.
 */
static void waker_from_threads(void)
{
	HANDLE threads[WAKE_THREADS];
	mio_poll *poll;
	mio_events *events;
	mio_waker *w;
	struct timespec t = ms_timeout(100);
	int wakeups = 0;

	poll_setup(&poll, &events);
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), UINTPTR_MAX, &w));
	for (int i = 0; i < WAKE_THREADS; i++) {
		threads[i] = CreateThread(NULL, 0, waker_thread, w, 0, NULL);
		ASSERT(threads[i] != NULL);
	}
	while (WaitForMultipleObjects(WAKE_THREADS, threads, TRUE, 0) ==
	       WAIT_TIMEOUT) {
		int n = mio_poll_poll(poll, events, &t);
		ASSERT_OK(n);
		ASSERT(n <= 1);
		for (int i = 0; i < n; i++) {
			const mio_event *e = mio_events_at(events, i);
			ASSERT_UEQ(mio_event_token(e), UINTPTR_MAX);
			ASSERT(mio_event_is_readable(e));
			wakeups++;
		}
	}
	for (int i = 0; i < WAKE_THREADS; i++)
		CloseHandle(threads[i]);
	/* The last wakes may still be pending: at most one more event. */
	int n = mio_poll_poll(poll, events, &t);
	ASSERT_OK(n);
	ASSERT(n <= 1);
	wakeups += n;
	ASSERT(wakeups >= 1);
	expect_no_events(poll, events);
	/* And a wake after all that still gets through. */
	ASSERT_OK(mio_waker_wake(w));
	struct expect_event want = { UINTPTR_MAX, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	mio_waker_free(w);
	poll_teardown(poll, events);
}

#define RACE_SOCKETS 8

struct closer {
	mio_udp_socket *u;
	HANDLE go;
};

static DWORD WINAPI close_all(LPVOID arg)
{
	struct closer *c = arg;

	WaitForSingleObject(c->go, INFINITE);
	for (int i = 0; i < RACE_SOCKETS; i++) {
		char buf[4];
		/* A read that would block re-arms: it races the free too. */
		ASSERT_ERR(mio_udp_socket_recv(&c->u[i], buf, sizeof(buf)),
			   MIO_EAGAIN);
		ASSERT_OK(mio_udp_socket_close(&c->u[i]));
	}
	return 0;
}

/*
 * One thread closes registered sockets (deregistering them, with their
 * polls in flight) while another frees the poll: whichever wins, nothing
 * crashes, deadlocks or leaks a handle.
 */
static void close_races_poll_free(void)
{
	int handles = count_open_fds();
	mio_sockaddr any = loopback4();

	for (int round = 0; round < 20; round++) {
		mio_udp_socket u[RACE_SOCKETS];
		struct closer c = { u, CreateEventA(NULL, TRUE, FALSE, NULL) };
		mio_poll *poll;
		mio_events *events;
		struct timespec zero = { 0, 0 };
		HANDLE thread;

		ASSERT_OK(mio_poll_new(&poll));
		ASSERT_OK(mio_events_new(16, &events));
		for (int i = 0; i < RACE_SOCKETS; i++) {
			ASSERT_OK(mio_udp_socket_bind(&u[i], &any));
			ASSERT_OK(mio_registry_register(
				mio_poll_registry(poll), &u[i].source,
				(mio_token)i, MIO_READABLE | MIO_WRITABLE));
		}
		/* Submit the AFD polls; the writable events come back. */
		ASSERT_OK(mio_poll_poll(poll, events, &zero));
		ASSERT_OK(mio_poll_poll(poll, events, &zero));
		thread = CreateThread(NULL, 0, close_all, &c, 0, NULL);
		ASSERT(thread != NULL);
		SetEvent(c.go);
		if (round % 2)
			Sleep(1);
		mio_events_free(events);
		mio_poll_free(poll);
		WaitForSingleObject(thread, INFINITE);
		CloseHandle(thread);
		CloseHandle(c.go);
	}
	ASSERT_EQ(count_open_fds(), handles);
}

int main(void)
{
	RUN(deregister_and_close_while_polling);
	RUN(close_in_flight_frees_state);
	RUN(poll_freed_first);
	RUN(rearm_per_direction);
	RUN(moved_source);
	RUN(ctl_fuzz);
	RUN(waker_from_threads);
	RUN(close_races_poll_free);
	return test_summary();
}
