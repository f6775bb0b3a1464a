/*
 * The kqueue backend: the event layout (mio_event is a struct kevent,
 * decoded as mio decodes it), one filter per direction, EV_RECEIPT
 * registration that neither loses pending events nor leaves a half-done
 * registration behind, exact ENOENT for borrowed descriptors, and the
 * EVFILT_USER waker. Skipped where events do not have kqueue's layout.
 */

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#if defined(MIO_EVENT_LAYOUT_KQUEUE)

enum {
	R = EXPECT_READABLE,
	W = EXPECT_WRITABLE,
	E = EXPECT_ERROR,
	RC = EXPECT_READ_CLOSED,
	WC = EXPECT_WRITE_CLOSED,
};

static mio_event make_event(int filter, int flags, unsigned fflags,
			    mio_token token)
{
	mio_event e;

	memset(&e, 0, sizeof(e));
	e.raw_.ident = 3;
	e.raw_.filter = filter;
	e.raw_.flags = flags;
	e.raw_.fflags = fflags;
	e.raw_.udata = (void *)token;
	return e;
}

/* mio's kqueue rules, for the events the kernel reports. */
static const struct {
	int filter;
	int flags;
	unsigned fflags;
	unsigned want;
} cases[] = {
	{ EVFILT_READ, 0, 0, R },
	{ EVFILT_WRITE, 0, 0, W },
	{ EVFILT_READ, EV_CLEAR, 0, R },
	/* The peer shut down its write half. */
	{ EVFILT_READ, EV_EOF, 0, R | RC },
	/* A write end whose reader is gone. */
	{ EVFILT_WRITE, EV_EOF, 0, W | WC },
	/* EOF with the socket's error in fflags (reset, refused). */
	{ EVFILT_READ, EV_EOF, ECONNRESET, R | RC | E },
	{ EVFILT_WRITE, EV_EOF, ECONNREFUSED, W | WC | E },
	/* fflags without EOF are filter notes, not errors. */
	{ EVFILT_READ, 0, 1, R },
	{ EVFILT_READ, EV_ERROR, 0, R | E },
	{ EVFILT_WRITE, EV_ERROR, 0, W | E },
	{ EVFILT_USER, 0, 0, R },
	{ EVFILT_USER, EV_CLEAR, 0x1000000, R },
	{ EVFILT_TIMER, 0, 0, 0 },
	{ EVFILT_SIGNAL, EV_EOF, 0, 0 },
};

static void decoders_follow_mio(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mio_event e = make_event(cases[i].filter, cases[i].flags,
					 cases[i].fflags, 7);
		unsigned got = event_readiness(&e);
		if (got != cases[i].want)
			FAIL_AT("case %zu: filter %d flags %#x fflags %#x: "
				"readiness %#x, want %#x",
				i, cases[i].filter, cases[i].flags,
				cases[i].fflags, got, cases[i].want);
		ASSERT(!mio_event_is_priority(&e));
		ASSERT(!mio_event_is_aio(&e));
		ASSERT(!mio_event_is_lio(&e));
	}
}

static void event_is_a_kevent(void)
{
	static const mio_token tokens[] = { 0, 1, 0x7fffffff, UINTPTR_MAX };

	ASSERT_UEQ(sizeof(mio_event), sizeof(struct kevent));
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		mio_event e = make_event(EVFILT_READ, 0, 0, tokens[i]);
		ASSERT_UEQ(mio_event_token(&e), tokens[i]);
	}
#if defined(MIO_AIO)
	{
		mio_event e = make_event(EVFILT_AIO, 0, 0, 1);
		ASSERT(mio_event_is_aio(&e));
		ASSERT(!mio_event_is_readable(&e));
	}
#endif
#if defined(MIO_LIO)
	{
		mio_event e = make_event(EVFILT_LIO, 0, 0, 1);
		ASSERT(mio_event_is_lio(&e));
		ASSERT(!mio_event_is_aio(&e));
	}
#endif
}

/* The exported (non-inline) accessors decode the same way. */
static void format_names_the_flags(void)
{
	mio_event e = make_event(EVFILT_WRITE, EV_EOF, ECONNRESET, 42);
	char buf[256];

	ASSERT(mio_event_format(&e, buf, sizeof(buf)) > 0);
	ASSERT(strstr(buf, "token: 42") != NULL);
	ASSERT(strstr(buf, "readable: false") != NULL);
	ASSERT(strstr(buf, "writable: true") != NULL);
	ASSERT(strstr(buf, "error: true") != NULL);
	ASSERT(strstr(buf, "read_closed: false") != NULL);
	ASSERT(strstr(buf, "write_closed: true") != NULL);
}

static void socket_pair(int sv[2])
{
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(fcntl(sv[i], F_SETFL, O_NONBLOCK), 0);
}

/* Both directions come as two events with the same token. */
static void one_event_per_filter(void)
{
	struct poll_fixture f;
	int sv[2];
	bool seen_r = false, seen_w = false;
	struct timespec t = ms_timeout(500);

	poll_fixture_setup(&f);
	socket_pair(sv);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	mio_source s = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.registry, &s, 9,
					MIO_READABLE | MIO_WRITABLE));
	for (int round = 0; round < 4 && !(seen_r && seen_w); round++) {
		ASSERT_OK(mio_poll_poll(f.poll, f.events, &t));
		for (size_t i = 0; i < mio_events_len(f.events); i++) {
			const mio_event *e = mio_events_at(f.events, i);
			ASSERT_UEQ(mio_event_token(e), 9);
			/* Exactly one direction per event. */
			ASSERT(mio_event_is_readable(e) !=
			       mio_event_is_writable(e));
			seen_r |= mio_event_is_readable(e);
			seen_w |= mio_event_is_writable(e);
		}
	}
	ASSERT(seen_r && seen_w);
	ASSERT_OK(mio_registry_deregister(f.registry, &s));
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

/*
 * Registration passes the change list as the event list too: it must not
 * swallow an event that is waiting to be polled.
 */
static void registering_keeps_pending_events(void)
{
	struct poll_fixture f;
	int a[2], b[2];
	mio_source sa, sb;

	poll_fixture_setup(&f);
	socket_pair(a);
	socket_pair(b);
	sa = mio_source_fd(a[0]);
	sb = mio_source_fd(b[0]);
	ASSERT_OK(mio_registry_register(f.registry, &sa, 1, MIO_READABLE));
	ASSERT_EQ(write(a[1], "x", 1), 1);
	/* a[0]'s event is pending now; change the kqueue thrice. */
	ASSERT_OK(mio_registry_register(f.registry, &sb, 2, MIO_READABLE));
	ASSERT_OK(mio_registry_reregister(f.registry, &sb, 2, MIO_WRITABLE));
	ASSERT_OK(mio_registry_deregister(f.registry, &sb));
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_deregister(f.registry, &sa));
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
	}
	poll_fixture_teardown(&f);
}

/* Reregistering deletes the filter of a direction no longer wanted. */
static void reregister_drops_a_direction(void)
{
	struct poll_fixture f;
	int sv[2];

	poll_fixture_setup(&f);
	socket_pair(sv);
	mio_source s = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.registry, &s, 3, MIO_WRITABLE));
	struct expect_event want_w = { 3, EXPECT_WRITABLE };
	expect_events(f.poll, f.events, &want_w, 1);
	ASSERT_OK(mio_registry_reregister(f.registry, &s, 4, MIO_READABLE));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want_r = { 4, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want_r, 1);
	/* Reading and writing now give no write event, nor the old token. */
	char c;
	ASSERT_EQ(read(sv[0], &c, 1), 1);
	ASSERT_EQ(write(sv[0], "y", 1), 1);
	expect_no_events(f.poll, f.events);
	ASSERT_OK(mio_registry_deregister(f.registry, &s));
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

/*
 * kqueue itself would let a reregister add filters to a descriptor that
 * has none; the contract says MIO_ENOENT, and nothing registered.
 */
static void borrowed_not_registered_is_enoent(void)
{
	struct poll_fixture f;
	int sv[2];

	poll_fixture_setup(&f);
	socket_pair(sv);
	mio_source s = mio_source_fd(sv[0]);
	ASSERT_ERR(mio_registry_deregister(f.registry, &s), MIO_ENOENT);
	ASSERT_ERR(mio_registry_reregister(f.registry, &s, 1, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_reregister(f.registry, &s, 1,
					   MIO_READABLE | MIO_WRITABLE),
		   MIO_ENOENT);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	expect_no_events(f.poll, f.events);
	ASSERT_ERR(mio_registry_deregister(f.registry, &s), MIO_ENOENT);

	/* Registered for one direction only, it can be changed and dropped. */
	ASSERT_OK(mio_registry_register(f.registry, &s, 1, MIO_WRITABLE));
	ASSERT_OK(mio_registry_reregister(f.registry, &s, 2, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.registry, &s));
	ASSERT_ERR(mio_registry_deregister(f.registry, &s), MIO_ENOENT);
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

/* A fresh mio_source_fd value reaches what another value registered. */
static void borrowed_values_share_the_descriptor(void)
{
	struct poll_fixture f;
	int sv[2];

	poll_fixture_setup(&f);
	socket_pair(sv);
	mio_source a = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.registry, &a, 5, MIO_READABLE));
	mio_source b = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_reregister(f.registry, &b, 6, MIO_READABLE));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want = { 6, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	mio_source c = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_deregister(f.registry, &c));
	ASSERT_ERR(mio_registry_deregister(f.registry, &a), MIO_ENOENT);
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

/*
 * A registration that fails leaves nothing behind: registering a closed
 * descriptor fails for both filters, and one that a filter refuses (a
 * kqueue descriptor refuses EVFILT_WRITE on most kernels) keeps neither.
 */
static void failed_register_changes_nothing(void)
{
	struct poll_fixture f;
	int sv[2];
	int kq;

	poll_fixture_setup(&f);
	socket_pair(sv);
	close(sv[1]);
	mio_source s = mio_source_fd(sv[1]);
	ASSERT_ERR(mio_registry_register(f.registry, &s, 1,
					 MIO_READABLE | MIO_WRITABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_reregister(f.registry, &s, 1, MIO_READABLE),
		   MIO_EBADF);
	close(sv[0]);

	kq = kqueue();
	ASSERT(kq >= 0);
	mio_source q = mio_source_fd(kq);
	if (mio_registry_register(f.registry, &q, 2,
				  MIO_READABLE | MIO_WRITABLE) < 0)
		ASSERT_ERR(mio_registry_deregister(f.registry, &q), MIO_ENOENT);
	else
		ASSERT_OK(mio_registry_deregister(f.registry, &q));
	/* Reading a kqueue's readiness is what kqueue allows everywhere. */
	ASSERT_OK(mio_registry_register(f.registry, &q, 2, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.registry, &q));
	close(kq);
	poll_fixture_teardown(&f);
}

static void pipe_closed_ends(void)
{
	struct poll_fixture f;
	int p[2];

	poll_fixture_setup(&f);
	ASSERT_EQ(pipe(p), 0);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(fcntl(p[i], F_SETFL, O_NONBLOCK), 0);
	mio_source rx = mio_source_fd(p[0]);
	mio_source tx = mio_source_fd(p[1]);
	ASSERT_OK(mio_registry_register(f.registry, &rx, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_register(f.registry, &tx, 2, MIO_WRITABLE));
	struct expect_event w = { 2, EXPECT_WRITABLE };
	expect_events(f.poll, f.events, &w, 1);

	/* The writer goes: EV_EOF on the read filter. */
	ASSERT_OK(mio_registry_deregister(f.registry, &tx));
	close(p[1]);
	struct expect_event rc = { 1, EXPECT_READABLE | EXPECT_READ_CLOSED };
	expect_events(f.poll, f.events, &rc, 1);
	/* Deregistering a source whose peer hung up succeeds. */
	ASSERT_OK(mio_registry_deregister(f.registry, &rx));
	close(p[0]);

	/* The reader goes: EV_EOF on the write filter. */
	ASSERT_EQ(pipe(p), 0);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(fcntl(p[i], F_SETFL, O_NONBLOCK), 0);
	tx = mio_source_fd(p[1]);
	ASSERT_OK(mio_registry_register(f.registry, &tx, 3, MIO_WRITABLE));
	expect_events(f.poll, f.events, &(struct expect_event){ 3, W }, 1);
	close(p[0]);
	poll_fixture_expect_hangup(&f, &tx, 3, MIO_WRITABLE,
				   EXPECT_WRITE_CLOSED);
	close(p[1]);
	poll_fixture_teardown(&f);
}

/* Shutting down the peer's write half: EV_EOF on the read filter only. */
static void shutdown_is_read_closed(void)
{
	struct poll_fixture f;
	int sv[2];

	poll_fixture_setup(&f);
	socket_pair(sv);
	mio_source s = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.registry, &s, 8, MIO_READABLE));
	ASSERT_EQ(shutdown(sv[1], SHUT_WR), 0);
	struct expect_event want = { 8, EXPECT_READABLE | EXPECT_READ_CLOSED };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_deregister(f.registry, &s));
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

/* Edge triggering: no second event for the same readiness. */
static void edge_triggered(void)
{
	struct poll_fixture f;
	int sv[2];
	char buf[8];

	poll_fixture_setup(&f);
	socket_pair(sv);
	mio_source s = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.registry, &s, 1, MIO_READABLE));
	ASSERT_EQ(write(sv[1], "ab", 2), 2);
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	expect_no_events(f.poll, f.events);
	/* New data is a new edge, even with the old data unread. */
	ASSERT_EQ(write(sv[1], "c", 1), 1);
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(read(sv[0], buf, sizeof(buf)), 3);
	expect_no_events(f.poll, f.events);
	ASSERT_OK(mio_registry_deregister(f.registry, &s));
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

/* The EVFILT_USER waker: coalescing, readable, any token. */
static void waker_user_event(void)
{
	static const mio_token tokens[] = { 0, 77, UINTPTR_MAX };

	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		struct poll_fixture f;
		mio_waker *w;
		struct timespec t = ms_timeout(500);

		poll_fixture_setup(&f);
		ASSERT_OK(mio_waker_new(f.registry, tokens[i], &w));
		expect_no_events(f.poll, f.events);
		ASSERT_OK(mio_waker_wake(w));
		ASSERT_OK(mio_waker_wake(w));
		ASSERT_EQ(mio_poll_poll(f.poll, f.events, &t), 1);
		const mio_event *e = mio_events_at(f.events, 0);
		ASSERT_UEQ(mio_event_token(e), tokens[i]);
		ASSERT(mio_event_is_readable(e));
		ASSERT(!mio_event_is_writable(e));
		ASSERT(!mio_event_is_error(e));
		ASSERT(!mio_event_is_read_closed(e));
		/* The two wakes came as one event. */
		expect_no_events(f.poll, f.events);
		ASSERT_OK(mio_waker_wake(w));
		ASSERT_EQ(mio_poll_poll(f.poll, f.events, &t), 1);
		/* A woken, unpolled waker that is freed leaves no event. */
		ASSERT_OK(mio_waker_wake(w));
		mio_waker_free(w);
		expect_no_events(f.poll, f.events);
		poll_fixture_teardown(&f);
	}
}

/*
 * More wakes than a pipe holds, then one more after the poll: still an
 * event (the pipe waker's read end is emptied when reported).
 */
static void waker_many_wakes(void)
{
	struct poll_fixture f;
	mio_waker *w;
	struct timespec t = ms_timeout(500);

	poll_fixture_setup(&f);
	ASSERT_OK(mio_waker_new(f.registry, 5, &w));
	for (int i = 0; i < 100000; i++)
		ASSERT_OK(mio_waker_wake(w));
	ASSERT_EQ(mio_poll_poll(f.poll, f.events, &t), 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(f.events, 0)), 5);
	expect_no_events(f.poll, f.events);
	ASSERT_OK(mio_waker_wake(w));
	ASSERT_EQ(mio_poll_poll(f.poll, f.events, &t), 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(f.events, 0)), 5);
	mio_waker_free(w);
	poll_fixture_teardown(&f);
}

/* The waker outlives its poll: waking it then is harmless. */
static void waker_after_poll_free(void)
{
	struct poll_fixture f;
	mio_waker *w;

	poll_fixture_setup(&f);
	ASSERT_OK(mio_waker_new(f.registry, 1, &w));
	poll_fixture_teardown(&f);
	ASSERT_OK(mio_waker_wake(w));
	mio_waker_free(w);
}

/* A timeout beyond what kernels take is clamped, never refused. */
static void very_long_timeout(void)
{
	struct poll_fixture f;
	mio_waker *w;
	struct timespec t = { (time_t)1 << 40, 999999999 };

	poll_fixture_setup(&f);
	if (sizeof(time_t) < 8)
		t.tv_sec = 0x7fffffff;
	ASSERT_OK(mio_waker_new(f.registry, 1, &w));
	ASSERT_OK(mio_waker_wake(w));
	ASSERT_EQ(mio_poll_poll(f.poll, f.events, &t), 1);
	mio_waker_free(w);
	poll_fixture_teardown(&f);
}

/*
 * A kqueue is not inherited by fork(2): the child's copy of the poll has
 * only a number, which the child may have reused. Freeing that copy must
 * close none of the child's own descriptors.
 */
static void fork_child_frees_inherited_poll(void)
{
	mio_poll *poll;
	int status;
	pid_t pid;

	ASSERT_OK(mio_poll_new(&poll));
	fflush(stdout);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		int fds[64], n = 0, fd;
		/* Fill every free number below 64, the kqueue's included. */
		while (n < 64 && (fd = dup(STDERR_FILENO)) >= 0 && fd < 64)
			fds[n++] = fd;
		mio_poll_free(poll);
		for (int i = 0; i < n; i++)
			if (fcntl(fds[i], F_GETFD) < 0)
				_exit(1);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	mio_poll_free(poll);
}

/* AIO and LIO exist only where the kernel has them. */
static void platform_interests(void)
{
	struct poll_fixture f;
	int sv[2];

	poll_fixture_setup(&f);
	socket_pair(sv);
	mio_source s = mio_source_fd(sv[0]);
#if defined(MIO_AIO)
	/* No filter is added: the aiocb names the kqueue and token. */
	ASSERT_OK(mio_registry_register(f.registry, &s, 1, MIO_AIO));
	ASSERT_OK(mio_registry_reregister(f.registry, &s, 1,
					  MIO_AIO | MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.registry, &s));
#else
	ASSERT_ERR(mio_registry_register(f.registry, &s, 1, (mio_interest)0x04),
		   MIO_EINVAL);
#endif
#if !defined(MIO_LIO)
	ASSERT_ERR(mio_registry_register(f.registry, &s, 1, (mio_interest)0x08),
		   MIO_EINVAL);
#endif
	ASSERT_ERR(mio_registry_register(f.registry, &s, 1, (mio_interest)0x10),
		   MIO_EINVAL);
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(decoders_follow_mio);
	RUN(event_is_a_kevent);
	RUN(format_names_the_flags);
	RUN(one_event_per_filter);
	RUN(registering_keeps_pending_events);
	RUN(reregister_drops_a_direction);
	RUN(borrowed_not_registered_is_enoent);
	RUN(borrowed_values_share_the_descriptor);
	RUN(failed_register_changes_nothing);
	RUN(pipe_closed_ends);
	RUN(shutdown_is_read_closed);
	RUN(edge_triggered);
	RUN(waker_user_event);
	RUN(waker_many_wakes);
	RUN(waker_after_poll_free);
	RUN(very_long_timeout);
	RUN(fork_child_frees_inherited_poll);
	RUN(platform_interests);
	return test_summary();
}

#else

int main(void)
{
	printf("skipped: events do not have kqueue's layout in this build\n");
	return TEST_SKIP;
}

#endif
