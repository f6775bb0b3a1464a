/*
 * Registry semantics (mio's tests/registering.rs and the registry parts of
 * tests/poll.rs): register, reregister, deregister, every error of the
 * contract, and owned-source tracking, on loopback TCP streams, which
 * every platform has. Borrowed descriptors (mio_source_fd), pipes and
 * regular files are POSIX-only: test_fd_registering.c.
 */

#include "inet.h"
#include "internal.h"

/* A fresh poll fixture and a connected pair of streams. */
static void setup_pair(struct poll_fixture *f, mio_tcp_stream *s,
		       mio_tcp_stream *peer)
{
	poll_fixture_setup(f);
	stream_pair(s, peer);
}

/* The same, with s registered under token 1 for `interest`. */
static void setup_registered(struct poll_fixture *f, mio_tcp_stream *s,
			     mio_tcp_stream *peer, mio_interest interest)
{
	setup_pair(f, s, peer);
	ASSERT_OK(mio_registry_register(f->registry, &s->source, 1, interest));
}

/* Registering s again, through any registry, is MIO_EEXIST. */
static void assert_eexist(mio_registry *r, mio_tcp_stream *s, mio_token token,
			  mio_interest interest)
{
	ASSERT_ERR(mio_registry_register(r, &s->source, token, interest),
		   MIO_EEXIST);
}

/* s is not registered through r: reregister and deregister are ENOENT. */
static void assert_enoent(mio_registry *r, mio_tcp_stream *s)
{
	ASSERT_ERR(mio_registry_reregister(r, &s->source, 1, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(r, &s->source), MIO_ENOENT);
}

/* One byte from the peer. */
static void send_byte(mio_tcp_stream *peer, char c)
{
	ASSERT_EQ(mio_tcp_stream_write(peer, &c, 1), 1);
}

/* mio's registry_ops_flow: every operation in turn, then events flow. */
static void register_deregister_flow(void)
{
	struct poll_fixture f;
	mio_tcp_stream s, peer;

	setup_registered(&f, &s, &peer, MIO_READABLE);
	ASSERT_OK(mio_registry_deregister(f.registry, &s.source));
	ASSERT_OK(
		mio_registry_register(f.registry, &s.source, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_reregister(f.registry, &s.source, 1,
					  MIO_READABLE | MIO_WRITABLE));
	struct expect_event want = { 1, EXPECT_WRITABLE };
	expect_events(f.poll, f.events, &want, 1);
	send_byte(&peer, 'x');
	want.readiness = EXPECT_READABLE;
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_deregister(f.registry, &s.source));
	close_pair(&s, &peer);
	poll_fixture_teardown(&f);
}

/* A deregistered source reports nothing, and can be registered again. */
static void deregistered_source_has_no_events(void)
{
	struct poll_fixture f;
	mio_tcp_stream s, peer;
	char c;

	setup_registered(&f, &s, &peer, MIO_READABLE | MIO_WRITABLE);
	ASSERT_OK(mio_registry_deregister(f.registry, &s.source));
	send_byte(&peer, 'x');
	expect_no_events(f.poll, f.events);

	/* mio's registering_after_deregistering. */
	ASSERT_OK(
		mio_registry_register(f.registry, &s.source, 2, MIO_READABLE));
	struct expect_event want = { 2, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(mio_tcp_stream_read(&s, &c, 1), 1);
	close_pair(&s, &peer);
	poll_fixture_teardown(&f);
}

/* Reregistering replaces both the token and the interest. */
static void reregister_changes_token_and_interest(void)
{
	struct poll_fixture f;
	mio_tcp_stream s, peer;

	setup_registered(&f, &s, &peer, MIO_READABLE);
	/* mio's reregister_different_interest_without_poll. */
	ASSERT_OK(mio_registry_reregister(f.registry, &s.source, 2,
					  MIO_WRITABLE));
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 1);
	const mio_event *e = mio_events_at(f.events, 0);
	ASSERT_UEQ(mio_event_token(e), 2);
	ASSERT(mio_event_is_writable(e));
	ASSERT(!mio_event_is_readable(e));

	/* Readable data is not reported under a writable-only interest. */
	send_byte(&peer, 'x');
	expect_no_events(f.poll, f.events);

	/* Back to readable, with a third token: the data is reported. */
	ASSERT_OK(mio_registry_reregister(f.registry, &s.source, 3,
					  MIO_READABLE));
	struct expect_event want = { 3, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	close_pair(&s, &peer);
	poll_fixture_teardown(&f);
}

/*
 * Registering twice on one poll: EEXIST, the first registration stays.
 * An owned source gets this from the registry on every backend, kqueue
 * included (for a borrowed one see test_fd_registering.c).
 */
static void double_register_gives_eexist(void)
{
	struct poll_fixture f;
	mio_tcp_stream s, peer;

	setup_registered(&f, &s, &peer, MIO_READABLE);
	assert_eexist(f.registry, &s, 1, MIO_READABLE);
	/* mio's double_register_different_token. */
	assert_eexist(f.registry, &s, 2, MIO_WRITABLE);
	send_byte(&peer, 'x');
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(f.events, 0)), 1);
	ASSERT(!mio_event_is_writable(mio_events_at(f.events, 0)));
	close_pair(&s, &peer);
	poll_fixture_teardown(&f);
}

/* Reregister or deregister what was never registered: ENOENT. */
static void unregistered_source_gives_enoent(void)
{
	struct poll_fixture f;
	mio_tcp_stream s, peer;

	setup_pair(&f, &s, &peer);
	assert_enoent(f.registry, &s);
	/* Neither call registered it by accident. */
	send_byte(&peer, 'x');
	expect_no_events(f.poll, f.events);
	/* Deregistered twice: the second is ENOENT. */
	ASSERT_OK(
		mio_registry_register(f.registry, &s.source, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.registry, &s.source));
	ASSERT_ERR(mio_registry_deregister(f.registry, &s.source), MIO_ENOENT);
	ASSERT_ERR(
		mio_registry_reregister(f.registry, &s.source, 1, MIO_READABLE),
		MIO_ENOENT);
	close_pair(&s, &peer);
	poll_fixture_teardown(&f);
}

/* Through a poll the source is not registered with: ENOENT, no change. */
static void other_poll_gives_enoent(void)
{
	struct poll_fixture a, b;
	mio_tcp_stream s, peer;

	poll_fixture_setup(&b);
	setup_registered(&a, &s, &peer, MIO_READABLE);
	ASSERT_ERR(
		mio_registry_reregister(b.registry, &s.source, 2, MIO_WRITABLE),
		MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(b.registry, &s.source), MIO_ENOENT);
	send_byte(&peer, 'x');
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(a.poll, a.events, &want, 1);
	expect_no_events(b.poll, b.events);
	close_pair(&s, &peer);
	poll_fixture_teardown(&a);
	poll_fixture_teardown(&b);
}

/*
 * An empty interest or an undefined bit is EINVAL for register and
 * reregister, and the failed call changes nothing.
 */
static void invalid_interest_gives_einval(void)
{
	static const unsigned bad[] = { 0x00, 0x04, 0x08, 0x20, 0x40,
					0x80, 0x05, 0x0c, 0xff };
	struct poll_fixture f;
	mio_tcp_stream s, peer;

	setup_pair(&f, &s, &peer);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mio_interest in = (mio_interest)bad[i];
		ASSERT_ERR(mio_registry_register(f.registry, &s.source, 1, in),
			   MIO_EINVAL);
	}
	/* Not registered by any failed call. */
	ASSERT_ERR(mio_registry_deregister(f.registry, &s.source), MIO_ENOENT);

	ASSERT_OK(
		mio_registry_register(f.registry, &s.source, 7, MIO_READABLE));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mio_interest in = (mio_interest)bad[i];
		ASSERT_ERR(
			mio_registry_reregister(f.registry, &s.source, 8, in),
			MIO_EINVAL);
	}
	/* The registration is still token 7, readable only. */
	send_byte(&peer, 'x');
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(f.events, 0)), 7);
	ASSERT(!mio_event_is_writable(mio_events_at(f.events, 0)));
	close_pair(&s, &peer);
	poll_fixture_teardown(&f);
}

/*
 * Invalid descriptors: EBADF from every registry call. Negative and
 * closed descriptor numbers given as borrowed sources are in
 * test_fd_registering.c.
 */
static void invalid_descriptor_gives_ebadf(void)
{
	struct poll_fixture f;
	mio_tcp_stream s;
	mio_raw_fd sv[2];

	poll_fixture_setup(&f);
	/* An inert owned source (closed object). */
	mio_source inert;
	mio__source_inert(&inert);
	ASSERT_ERR(mio_registry_register(f.registry, &inert, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_reregister(f.registry, &inert, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(f.registry, &inert), MIO_EBADF);

	/*
	 * An owned source whose descriptor was closed behind its back.
	 * Wine's SIO_BASE_HANDLE answers for any handle value, closed or
	 * not (docs/windows.md), so there the backend cannot tell; Windows
	 * refuses a closed socket with WSAENOTSOCK.
	 */
	test_tcp_socket_pair(sv);
	ASSERT_OK(mio_tcp_stream_from_fd(&s, sv[0]));
	test_close_socket(sv[0]);
	test_close_socket(sv[1]);
	ASSERT(!test_socket_is_open(sv[0]));
	if (!test_under_wine()) {
		ASSERT_ERR(mio_registry_register(f.registry, &s.source, 1,
						 MIO_READABLE),
			   MIO_EBADF);
		/* Not registered by the failed call. */
		ASSERT_ERR(mio_registry_deregister(f.registry, &s.source),
			   MIO_ENOENT);
	}
	poll_fixture_teardown(&f);
}

/*
 * A source whose peer hung up can still be reregistered and deregistered
 * (mio relies on this when it tears connections down). A pipe whose
 * writer is gone: test_fd_registering.c.
 */
static void peer_hangup_then_reregister_and_deregister(void)
{
	struct poll_fixture f;
	mio_tcp_stream s, peer;

	setup_registered(&f, &s, &peer, MIO_WRITABLE);
	struct expect_event want = { 1, EXPECT_WRITABLE };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_tcp_stream_close(&peer));
	ASSERT_OK(mio_registry_reregister(f.registry, &s.source, 2,
					  MIO_READABLE));
	want = (struct expect_event){ 2, EXPECT_READ_CLOSED };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_deregister(f.registry, &s.source));
	expect_no_events(f.poll, f.events);
	ASSERT_OK(mio_tcp_stream_close(&s));
	poll_fixture_teardown(&f);
}

/* Every token value is the caller's, 0 and UINTPTR_MAX included. */
static void extreme_tokens(void)
{
	struct poll_fixture f;
	mio_waker *waker;
	mio_tcp_stream a, a_peer, b, b_peer;
	bool saw_zero = false, saw_max = false, saw_waker = false;

	setup_pair(&f, &a, &a_peer);
	stream_pair(&b, &b_peer);
	ASSERT_OK(
		mio_registry_register(f.registry, &a.source, 0, MIO_READABLE));
	ASSERT_OK(mio_registry_register(f.registry, &b.source, UINTPTR_MAX,
					MIO_READABLE));
	ASSERT_OK(mio_waker_new(f.registry, UINTPTR_MAX - 1, &waker));
	send_byte(&a_peer, 'x');
	send_byte(&b_peer, 'x');
	ASSERT_OK(mio_waker_wake(waker));
	/* All three are ready before the poll that must report them. */
	wait_fd(a.source.fd, POLLIN);
	wait_fd(b.source.fd, POLLIN);
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 3);
	for (int i = 0; i < n; i++) {
		const mio_event *e = mio_events_at(f.events, i);
		ASSERT(mio_event_is_readable(e));
		saw_zero |= mio_event_token(e) == 0;
		saw_max |= mio_event_token(e) == UINTPTR_MAX;
		saw_waker |= mio_event_token(e) == UINTPTR_MAX - 1;
	}
	ASSERT(saw_zero && saw_max && saw_waker);
	/* Swapped by reregister. */
	ASSERT_OK(mio_registry_reregister(f.registry, &a.source, UINTPTR_MAX,
					  MIO_WRITABLE));
	ASSERT_OK(mio_registry_reregister(f.registry, &b.source, 0,
					  MIO_WRITABLE));
	struct expect_event want[2] = { { UINTPTR_MAX, EXPECT_WRITABLE },
					{ 0, EXPECT_WRITABLE } };
	expect_events(f.poll, f.events, want, 2);
	mio_waker_free(waker);
	close_pair(&a, &a_peer);
	close_pair(&b, &b_peer);
	poll_fixture_teardown(&f);
}

/* Owned sources: one poll at a time; EEXIST from a second poll. */
static void owned_source_second_poll_gives_eexist(void)
{
	struct poll_fixture a, b;
	mio_registry *clone;
	mio_tcp_stream s, peer;

	poll_fixture_setup(&b);
	setup_registered(&a, &s, &peer, MIO_READABLE);
	assert_eexist(a.registry, &s, 1, MIO_READABLE);
	assert_eexist(b.registry, &s, 2, MIO_READABLE);
	assert_enoent(b.registry, &s);
	/* A clone of the poll's registry is the same poll. */
	ASSERT_OK(mio_registry_try_clone(a.registry, &clone));
	assert_eexist(clone, &s, 3, MIO_READABLE);
	ASSERT_OK(mio_registry_reregister(clone, &s.source, 3, MIO_READABLE));

	send_byte(&peer, 'x');
	struct expect_event want = { 3, EXPECT_READABLE };
	expect_events(a.poll, a.events, &want, 1);
	expect_no_events(b.poll, b.events);

	/* Deregistered through the clone, it can go to the other poll. */
	ASSERT_OK(mio_registry_deregister(clone, &s.source));
	ASSERT_ERR(mio_registry_deregister(a.registry, &s.source), MIO_ENOENT);
	ASSERT_OK(
		mio_registry_register(b.registry, &s.source, 4, MIO_READABLE));
	send_byte(&peer, 'y');
	want.token = 4;
	expect_events(b.poll, b.events, &want, 1);
	expect_no_events(a.poll, a.events);

	ASSERT_OK(mio__source_close(&s.source));
	ASSERT(s.source.fd == MIO_INVALID_FD);
	ASSERT_OK(mio_tcp_stream_close(&peer));
	mio_registry_free(clone);
	poll_fixture_teardown(&a);
	poll_fixture_teardown(&b);
}

/* Owned: never registered gives ENOENT, and failed calls change nothing. */
static void owned_source_errors_change_nothing(void)
{
	struct poll_fixture f;
	mio_tcp_stream s, peer;

	setup_pair(&f, &s, &peer);
	assert_enoent(f.registry, &s);
	ASSERT_ERR(mio_registry_register(f.registry, &s.source, 1, 0),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_register(f.registry, &s.source, 1, 0x04),
		   MIO_EINVAL);
	/* Still unregistered: a register now succeeds. */
	ASSERT_OK(
		mio_registry_register(f.registry, &s.source, 1, MIO_READABLE));
	ASSERT_ERR(mio_registry_reregister(f.registry, &s.source, 1, 0x08),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_reregister(f.registry, &s.source, 1, 0),
		   MIO_EINVAL);
	ASSERT_OK(mio_registry_deregister(f.registry, &s.source));
	ASSERT_ERR(mio_registry_deregister(f.registry, &s.source), MIO_ENOENT);
	ASSERT_OK(mio__source_close(&s.source));
	ASSERT_OK(mio_tcp_stream_close(&peer));
	poll_fixture_teardown(&f);
}

/*
 * Freeing a poll with owned sources registered: they count as
 * unregistered, a later close only closes the descriptor, and they can be
 * registered with another poll.
 */
static void poll_freed_before_owned_sources(void)
{
	struct poll_fixture a, b;
	mio_tcp_stream s1, p1, s2, p2;

	poll_fixture_setup(&a);
	setup_pair(&b, &s1, &p1);
	stream_pair(&s2, &p2);
	ASSERT_OK(
		mio_registry_register(a.registry, &s1.source, 1, MIO_READABLE));
	ASSERT_OK(
		mio_registry_register(a.registry, &s2.source, 2, MIO_READABLE));
	poll_fixture_teardown(&a);

	/* s1: close only closes (ASan would see a touch of the freed poll). */
	mio_raw_fd fd1 = s1.source.fd;
	ASSERT_OK(mio__source_close(&s1.source));
	ASSERT(!test_socket_is_open(fd1));
	ASSERT(s1.source.fd == MIO_INVALID_FD);
	ASSERT_OK(mio__source_close(&s1.source)); /* again: a no-op */

	/* s2: unregistered, so b takes it; b never saw it before. */
	ASSERT_ERR(mio_registry_reregister(b.registry, &s2.source, 3,
					   MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(b.registry, &s2.source), MIO_ENOENT);
	ASSERT_OK(
		mio_registry_register(b.registry, &s2.source, 3, MIO_READABLE));
	send_byte(&p2, 'x');
	struct expect_event want = { 3, EXPECT_READABLE };
	expect_events(b.poll, b.events, &want, 1);
	ASSERT_OK(mio__source_close(&s2.source));
	ASSERT_OK(mio_tcp_stream_close(&p1));
	ASSERT_OK(mio_tcp_stream_close(&p2));
	poll_fixture_teardown(&b);
}

/* A newer poll never mistakes a stale registration for its own. */
static void poll_ids_are_not_reused(void)
{
	struct poll_fixture a;
	mio_tcp_stream s, peer;

	setup_registered(&a, &s, &peer, MIO_READABLE);
	for (int i = 0; i < 20; i++) {
		poll_fixture_teardown(&a);
		poll_fixture_setup(&a);
		ASSERT_ERR(mio_registry_deregister(a.registry, &s.source),
			   MIO_ENOENT);
		ASSERT_OK(mio_registry_register(a.registry, &s.source, 1,
						MIO_READABLE));
	}
	ASSERT_OK(mio__source_close(&s.source));
	ASSERT_OK(mio_tcp_stream_close(&peer));
	poll_fixture_teardown(&a);
}

/* A registered source copied bytewise (realloc) keeps working. */
static void owned_source_moved_bytewise(void)
{
	struct poll_fixture f;
	mio_tcp_stream *arr = malloc(sizeof(*arr));
	mio_tcp_stream peer;
	char c;

	poll_fixture_setup(&f);
	ASSERT(arr != NULL);
	stream_pair(&arr[0], &peer);
	ASSERT_OK(mio_registry_register(f.registry, &arr[0].source, 1,
					MIO_READABLE));
	/* Make realloc move it: grow a lot, and copy by hand if it did not. */
	mio_tcp_stream *moved = malloc(64 * sizeof(*moved));
	ASSERT(moved != NULL);
	memcpy(&moved[5], &arr[0], sizeof(*arr));
	memset(arr, 0xa5, sizeof(*arr));
	free(arr);

	send_byte(&peer, 'x');
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(mio_tcp_stream_read(&moved[5], &c, 1), 1);
	ASSERT_ERR(mio_registry_register(f.registry, &moved[5].source, 2,
					 MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_OK(mio_registry_reregister(f.registry, &moved[5].source, 2,
					  MIO_READABLE));
	send_byte(&peer, 'y');
	want.token = 2;
	expect_events(f.poll, f.events, &want, 1);

	/* Its close deregisters it (see below) and closes it. */
	mio_raw_fd fd = moved[5].source.fd;
	ASSERT_OK(mio__source_close(&moved[5].source));
	ASSERT(!test_socket_is_open(fd));
	free(moved);
	ASSERT_OK(mio_tcp_stream_close(&peer));
	poll_fixture_teardown(&f);
}

/*
 * Close deregisters explicitly: a dup of the descriptor kept elsewhere
 * must not keep delivering the closed source's events.
 */
static void owned_close_deregisters_despite_dup(void)
{
	struct poll_fixture f;
	mio_tcp_stream s, peer;
	mio_raw_fd dup_fd;

	setup_pair(&f, &s, &peer);
	dup_fd = test_dup_socket(s.source.fd);
	ASSERT_OK(
		mio_registry_register(f.registry, &s.source, 1, MIO_READABLE));
	ASSERT_OK(mio__source_close(&s.source));
	ASSERT(s.source.fd == MIO_INVALID_FD);
	send_byte(&peer, 'x');
	expect_no_events(f.poll, f.events);
	test_close_socket(dup_fd);
	ASSERT_OK(mio_tcp_stream_close(&peer));
	poll_fixture_teardown(&f);
}

int main(void)
{
	RUN(register_deregister_flow);
	RUN(deregistered_source_has_no_events);
	RUN(reregister_changes_token_and_interest);
	RUN(double_register_gives_eexist);
	RUN(unregistered_source_gives_enoent);
	RUN(other_poll_gives_enoent);
	RUN(invalid_interest_gives_einval);
	RUN(invalid_descriptor_gives_ebadf);
	RUN(peer_hangup_then_reregister_and_deregister);
	RUN(extreme_tokens);
	RUN(owned_source_second_poll_gives_eexist);
	RUN(owned_source_errors_change_nothing);
	RUN(poll_freed_before_owned_sources);
	RUN(poll_ids_are_not_reused);
	RUN(owned_source_moved_bytewise);
	RUN(owned_close_deregisters_despite_dup);
	return test_summary();
}
