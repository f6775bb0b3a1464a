/*
 * Registry semantics (mio's tests/registering.rs and the registry parts of
 * tests/poll.rs): register, reregister, deregister, every error of the
 * contract, borrowed descriptors and owned-source tracking.
 */

#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"

struct fixture {
	mio_poll *poll;
	mio_registry *reg;
	mio_events *events;
};

static struct fixture setup(void)
{
	struct fixture f;

	ASSERT_OK(mio_poll_new(&f.poll));
	f.reg = mio_poll_registry(f.poll);
	ASSERT_OK(mio_events_new(16, &f.events));
	return f;
}

static void teardown(struct fixture *f)
{
	mio_events_free(f->events);
	mio_poll_free(f->poll);
}

static void socketpair_nb(int sv[2])
{
	ASSERT_EQ(socketpair(AF_UNIX,
			     SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv),
		  0);
}

static void close_pair(int sv[2])
{
	close(sv[0]);
	close(sv[1]);
}

/* Whether a descriptor number is open in this process. */
static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* mio's registry_ops_flow: every operation in turn, then events flow. */
static void register_deregister_flow(void)
{
	struct fixture f = setup();
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.reg, &src, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.reg, &src));
	ASSERT_OK(mio_registry_register(f.reg, &src, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_reregister(f.reg, &src, 1,
					  MIO_READABLE | MIO_WRITABLE));
	struct expect_event want = { 1, EXPECT_WRITABLE };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	want.readiness = EXPECT_READABLE;
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_deregister(f.reg, &src));
	close_pair(sv);
	teardown(&f);
}

/* A deregistered source reports nothing, and can be registered again. */
static void deregistered_source_has_no_events(void)
{
	struct fixture f = setup();
	char c;
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.reg, &src, 1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_deregister(f.reg, &src));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	expect_no_events(f.poll, f.events);

	/* mio's registering_after_deregistering. */
	ASSERT_OK(mio_registry_register(f.reg, &src, 2, MIO_READABLE));
	struct expect_event want = { 2, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(read(sv[0], &c, 1), 1);
	close_pair(sv);
	teardown(&f);
}

/* Reregistering replaces both the token and the interest. */
static void reregister_changes_token_and_interest(void)
{
	struct fixture f = setup();
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.reg, &src, 1, MIO_READABLE));
	/* mio's reregister_different_interest_without_poll. */
	ASSERT_OK(mio_registry_reregister(f.reg, &src, 2, MIO_WRITABLE));
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 1);
	const mio_event *e = mio_events_at(f.events, 0);
	ASSERT_UEQ(mio_event_token(e), 2);
	ASSERT(mio_event_is_writable(e));
	ASSERT(!mio_event_is_readable(e));

	/* Readable data is not reported under a writable-only interest. */
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	expect_no_events(f.poll, f.events);

	/* Back to readable, with a third token: the data is reported. */
	ASSERT_OK(mio_registry_reregister(f.reg, &src, 3, MIO_READABLE));
	struct expect_event want = { 3, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	close_pair(sv);
	teardown(&f);
}

/* Registering twice on one poll: EEXIST, the first registration stays. */
static void double_register_gives_eexist(void)
{
	struct fixture f = setup();
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.reg, &src, 1, MIO_READABLE));
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/*
	 * kqueue holds nothing that tells a second registration of a
	 * borrowed descriptor from a change: EV_ADD modifies the filter, as
	 * in mio (owned sources get MIO_EEXIST from the registry on every
	 * backend, see owned_source_second_poll_gives_eexist). Here the
	 * second call adds the write filter under token 2.
	 */
	ASSERT_OK(mio_registry_register(f.reg, &src, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_register(f.reg, &src, 2, MIO_WRITABLE));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want[] = { { 1, EXPECT_READABLE },
				       { 2, EXPECT_WRITABLE } };
	expect_events(f.poll, f.events, want, 2);
#else
	ASSERT_ERR(mio_registry_register(f.reg, &src, 1, MIO_READABLE),
		   MIO_EEXIST);
	/* mio's double_register_different_token. */
	ASSERT_ERR(mio_registry_register(f.reg, &src, 2, MIO_WRITABLE),
		   MIO_EEXIST);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(f.events, 0)), 1);
	ASSERT(!mio_event_is_writable(mio_events_at(f.events, 0)));
#endif
	close_pair(sv);
	teardown(&f);
}

/* Reregister or deregister what was never registered: ENOENT. */
static void unregistered_source_gives_enoent(void)
{
	struct fixture f = setup();
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_ERR(mio_registry_reregister(f.reg, &src, 1, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(f.reg, &src), MIO_ENOENT);
	/* Neither call registered it by accident. */
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	expect_no_events(f.poll, f.events);
	/* Deregistered twice: the second is ENOENT. */
	ASSERT_OK(mio_registry_register(f.reg, &src, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.reg, &src));
	ASSERT_ERR(mio_registry_deregister(f.reg, &src), MIO_ENOENT);
	ASSERT_ERR(mio_registry_reregister(f.reg, &src, 1, MIO_READABLE),
		   MIO_ENOENT);
	close_pair(sv);
	teardown(&f);
}

/* Through a poll the source is not registered with: ENOENT, no change. */
static void other_poll_gives_enoent(void)
{
	struct fixture a = setup(), b = setup();
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(a.reg, &src, 1, MIO_READABLE));
	ASSERT_ERR(mio_registry_reregister(b.reg, &src, 2, MIO_WRITABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(b.reg, &src), MIO_ENOENT);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(a.poll, a.events, &want, 1);
	expect_no_events(b.poll, b.events);
	close_pair(sv);
	teardown(&a);
	teardown(&b);
}

/*
 * An empty interest or an undefined bit is EINVAL for register and
 * reregister, and the failed call changes nothing.
 */
static void invalid_interest_gives_einval(void)
{
	static const unsigned bad[] = { 0x00, 0x04, 0x08, 0x20, 0x40,
					0x80, 0x05, 0x0c, 0xff };
	struct fixture f = setup();
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mio_interest in = (mio_interest)bad[i];
		ASSERT_ERR(mio_registry_register(f.reg, &src, 1, in),
			   MIO_EINVAL);
	}
	/* Not registered by any failed call. */
	ASSERT_ERR(mio_registry_deregister(f.reg, &src), MIO_ENOENT);

	ASSERT_OK(mio_registry_register(f.reg, &src, 7, MIO_READABLE));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mio_interest in = (mio_interest)bad[i];
		ASSERT_ERR(mio_registry_reregister(f.reg, &src, 8, in),
			   MIO_EINVAL);
	}
	/* The registration is still token 7, readable only. */
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(f.events, 0)), 7);
	ASSERT(!mio_event_is_writable(mio_events_at(f.events, 0)));
	close_pair(sv);
	teardown(&f);
}

/* Invalid descriptors: EBADF from every registry call. */
static void invalid_descriptor_gives_ebadf(void)
{
	struct fixture f = setup();
	int sv[2];

	mio_source neg = mio_source_fd(-1);
	ASSERT_ERR(mio_registry_register(f.reg, &neg, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_reregister(f.reg, &neg, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(f.reg, &neg), MIO_EBADF);
	mio_source neg2 = mio_source_fd(-2);
	ASSERT_ERR(mio_registry_register(f.reg, &neg2, 1, MIO_READABLE),
		   MIO_EBADF);

	/* A descriptor number that is not open. */
	socketpair_nb(sv);
	close_pair(sv);
	ASSERT(!fd_open(sv[0]));
	mio_source closed = mio_source_fd(sv[0]);
	ASSERT_ERR(mio_registry_register(f.reg, &closed, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_reregister(f.reg, &closed, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(f.reg, &closed), MIO_EBADF);

	/* An inert owned source (closed object) too. */
	mio_source inert;
	mio__source_inert(&inert);
	ASSERT_ERR(mio_registry_register(f.reg, &inert, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_reregister(f.reg, &inert, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(f.reg, &inert), MIO_EBADF);
	teardown(&f);
}

/*
 * A regular file: epoll cannot watch one (EPERM), poll(2) and kqueue can.
 * Either way the outcome is clean: registered for real, or not at all.
 */
static void regular_file_registers_cleanly_or_not_at_all(void)
{
	struct fixture f = setup();
	FILE *file = tmpfile();

	ASSERT(file != NULL);
	mio_source src = mio_source_fd(fileno(file));
	int err = mio_registry_register(f.reg, &src, 1, MIO_READABLE);
	if (err == 0) {
		ASSERT_OK(mio_registry_deregister(f.reg, &src));
	} else {
		ASSERT(err < 0);
		ASSERT(mio_registry_deregister(f.reg, &src) < 0);
		expect_no_events(f.poll, f.events);
	}
	fclose(file);
	teardown(&f);
}

/*
 * A source whose peer hung up can still be reregistered and deregistered
 * (mio relies on this when it tears connections down).
 */
static void peer_hangup_then_reregister_and_deregister(void)
{
	struct fixture f = setup();
	int sv[2];

	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.reg, &src, 1, MIO_WRITABLE));
	struct expect_event want = { 1, EXPECT_WRITABLE };
	expect_events(f.poll, f.events, &want, 1);
	close(sv[1]);
	ASSERT_OK(mio_registry_reregister(f.reg, &src, 2, MIO_READABLE));
	want = (struct expect_event){ 2, EXPECT_READ_CLOSED };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_deregister(f.reg, &src));
	expect_no_events(f.poll, f.events);
	close(sv[0]);

	/* Same for a pipe whose writer is gone. */
	int p[2];
	ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	mio_source rx = mio_source_fd(p[0]);
	ASSERT_OK(mio_registry_register(f.reg, &rx, 3, MIO_READABLE));
	close(p[1]);
	want = (struct expect_event){ 3, EXPECT_READ_CLOSED };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_reregister(f.reg, &rx, 4, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.reg, &rx));
	close(p[0]);
	teardown(&f);
}

/* Every token value is the caller's, 0 and UINTPTR_MAX included. */
static void extreme_tokens(void)
{
	struct fixture f = setup();
	mio_waker *waker;
	int a[2], b[2];
	bool saw_zero = false, saw_max = false, saw_waker = false;

	socketpair_nb(a);
	socketpair_nb(b);
	mio_source sa = mio_source_fd(a[0]), sb = mio_source_fd(b[0]);
	ASSERT_OK(mio_registry_register(f.reg, &sa, 0, MIO_READABLE));
	ASSERT_OK(mio_registry_register(f.reg, &sb, UINTPTR_MAX, MIO_READABLE));
	ASSERT_OK(mio_waker_new(f.reg, UINTPTR_MAX - 1, &waker));
	ASSERT_EQ(write(a[1], "x", 1), 1);
	ASSERT_EQ(write(b[1], "x", 1), 1);
	ASSERT_OK(mio_waker_wake(waker));
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
	ASSERT_OK(
		mio_registry_reregister(f.reg, &sa, UINTPTR_MAX, MIO_WRITABLE));
	ASSERT_OK(mio_registry_reregister(f.reg, &sb, 0, MIO_WRITABLE));
	struct expect_event want[2] = { { UINTPTR_MAX, EXPECT_WRITABLE },
					{ 0, EXPECT_WRITABLE } };
	expect_events(f.poll, f.events, want, 2);
	mio_waker_free(waker);
	close_pair(a);
	close_pair(b);
	teardown(&f);
}

/*
 * Borrowed sources are not tracked: a fresh mio_source_fd value for the
 * same descriptor reregisters and deregisters what another registered.
 */
static void borrowed_source_is_the_descriptor(void)
{
	struct fixture f = setup();
	int sv[2];

	socketpair_nb(sv);
	mio_source first = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(f.reg, &first, 1, MIO_READABLE));
	mio_source second = mio_source_fd(sv[0]);
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/* kqueue modifies (EV_ADD): see double_register_gives_eexist. */
	ASSERT_OK(mio_registry_register(f.reg, &second, 1, MIO_READABLE));
#else
	ASSERT_ERR(mio_registry_register(f.reg, &second, 1, MIO_READABLE),
		   MIO_EEXIST);
#endif
	ASSERT_OK(mio_registry_reregister(f.reg, &second, 2, MIO_READABLE));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want = { 2, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	mio_source third = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_deregister(f.reg, &third));
	ASSERT_ERR(mio_registry_deregister(f.reg, &first), MIO_ENOENT);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	expect_no_events(f.poll, f.events);
	/* The borrowed value never owned anything: the fd is still open. */
	ASSERT(fd_open(sv[0]));
	close_pair(sv);
	teardown(&f);
}

/* An owned source, as the library's constructors make it. */
static void owned_pair(mio_source *s, int *peer)
{
	int sv[2];

	socketpair_nb(sv);
	mio__source_init(s, sv[0]);
	*peer = sv[1];
}

/* Owned sources: one poll at a time; EEXIST from a second poll. */
static void owned_source_second_poll_gives_eexist(void)
{
	struct fixture a = setup(), b = setup();
	mio_registry *clone;
	mio_source s;
	int peer;

	owned_pair(&s, &peer);
	ASSERT_OK(mio_registry_register(a.reg, &s, 1, MIO_READABLE));
	ASSERT_ERR(mio_registry_register(a.reg, &s, 1, MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_ERR(mio_registry_register(b.reg, &s, 2, MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_ERR(mio_registry_reregister(b.reg, &s, 2, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(b.reg, &s), MIO_ENOENT);
	/* A clone of the poll's registry is the same poll. */
	ASSERT_OK(mio_registry_try_clone(a.reg, &clone));
	ASSERT_ERR(mio_registry_register(clone, &s, 3, MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_OK(mio_registry_reregister(clone, &s, 3, MIO_READABLE));

	ASSERT_EQ(write(peer, "x", 1), 1);
	struct expect_event want = { 3, EXPECT_READABLE };
	expect_events(a.poll, a.events, &want, 1);
	expect_no_events(b.poll, b.events);

	/* Deregistered through the clone, it can go to the other poll. */
	ASSERT_OK(mio_registry_deregister(clone, &s));
	ASSERT_ERR(mio_registry_deregister(a.reg, &s), MIO_ENOENT);
	ASSERT_OK(mio_registry_register(b.reg, &s, 4, MIO_READABLE));
	ASSERT_EQ(write(peer, "y", 1), 1);
	want.token = 4;
	expect_events(b.poll, b.events, &want, 1);
	expect_no_events(a.poll, a.events);

	ASSERT_OK(mio__source_close(&s));
	ASSERT_EQ(s.fd, -1);
	close(peer);
	mio_registry_free(clone);
	teardown(&a);
	teardown(&b);
}

/* Owned: never registered gives ENOENT, and failed calls change nothing. */
static void owned_source_errors_change_nothing(void)
{
	struct fixture f = setup();
	mio_source s;
	int peer;

	owned_pair(&s, &peer);
	ASSERT_ERR(mio_registry_reregister(f.reg, &s, 1, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(f.reg, &s), MIO_ENOENT);
	ASSERT_ERR(mio_registry_register(f.reg, &s, 1, 0), MIO_EINVAL);
	ASSERT_ERR(mio_registry_register(f.reg, &s, 1, 0x04), MIO_EINVAL);
	/* Still unregistered: a register now succeeds. */
	ASSERT_OK(mio_registry_register(f.reg, &s, 1, MIO_READABLE));
	ASSERT_ERR(mio_registry_reregister(f.reg, &s, 1, 0x08), MIO_EINVAL);
	ASSERT_ERR(mio_registry_reregister(f.reg, &s, 1, 0), MIO_EINVAL);
	ASSERT_OK(mio_registry_deregister(f.reg, &s));
	ASSERT_ERR(mio_registry_deregister(f.reg, &s), MIO_ENOENT);
	ASSERT_OK(mio__source_close(&s));
	close(peer);
	teardown(&f);
}

/*
 * Freeing a poll with owned sources registered: they count as
 * unregistered, a later close only closes the descriptor, and they can be
 * registered with another poll.
 */
static void poll_freed_before_owned_sources(void)
{
	struct fixture a = setup(), b = setup();
	mio_source s1, s2;
	int p1, p2;

	owned_pair(&s1, &p1);
	owned_pair(&s2, &p2);
	ASSERT_OK(mio_registry_register(a.reg, &s1, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_register(a.reg, &s2, 2, MIO_READABLE));
	teardown(&a);

	/* s1: close only closes (ASan would see a touch of the freed poll). */
	int fd1 = s1.fd;
	ASSERT_OK(mio__source_close(&s1));
	ASSERT(!fd_open(fd1));
	ASSERT_EQ(s1.fd, -1);
	ASSERT_OK(mio__source_close(&s1)); /* again: a no-op */

	/* s2: unregistered, so b takes it; b never saw it before. */
	ASSERT_ERR(mio_registry_reregister(b.reg, &s2, 3, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(b.reg, &s2), MIO_ENOENT);
	ASSERT_OK(mio_registry_register(b.reg, &s2, 3, MIO_READABLE));
	ASSERT_EQ(write(p2, "x", 1), 1);
	struct expect_event want = { 3, EXPECT_READABLE };
	expect_events(b.poll, b.events, &want, 1);
	ASSERT_OK(mio__source_close(&s2));
	close(p1);
	close(p2);
	teardown(&b);
}

/* A newer poll never mistakes a stale registration for its own. */
static void poll_ids_are_not_reused(void)
{
	struct fixture a = setup();
	mio_source s;
	int peer;

	owned_pair(&s, &peer);
	ASSERT_OK(mio_registry_register(a.reg, &s, 1, MIO_READABLE));
	for (int i = 0; i < 20; i++) {
		teardown(&a);
		a = setup();
		ASSERT_ERR(mio_registry_deregister(a.reg, &s), MIO_ENOENT);
		ASSERT_OK(mio_registry_register(a.reg, &s, 1, MIO_READABLE));
	}
	ASSERT_OK(mio__source_close(&s));
	close(peer);
	teardown(&a);
}

/* A registered source copied bytewise (realloc) keeps working. */
static void owned_source_moved_bytewise(void)
{
	struct fixture f = setup();
	mio_source *arr = malloc(sizeof(*arr));
	int peer;
	char c;

	ASSERT(arr != NULL);
	owned_pair(&arr[0], &peer);
	ASSERT_OK(mio_registry_register(f.reg, &arr[0], 1, MIO_READABLE));
	/* Make realloc move it: grow a lot, and copy by hand if it did not. */
	mio_source *moved = malloc(64 * sizeof(*moved));
	ASSERT(moved != NULL);
	memcpy(&moved[5], &arr[0], sizeof(*arr));
	memset(arr, 0xa5, sizeof(*arr));
	free(arr);

	ASSERT_EQ(write(peer, "x", 1), 1);
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(read(moved[5].fd, &c, 1), 1);
	ASSERT_ERR(mio_registry_register(f.reg, &moved[5], 2, MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_OK(mio_registry_reregister(f.reg, &moved[5], 2, MIO_READABLE));
	ASSERT_EQ(write(peer, "y", 1), 1);
	want.token = 2;
	expect_events(f.poll, f.events, &want, 1);

	/* Its close deregisters it (see below) and closes it. */
	int fd = moved[5].fd;
	ASSERT_OK(mio__source_close(&moved[5]));
	ASSERT(!fd_open(fd));
	free(moved);
	close(peer);
	teardown(&f);
}

/*
 * Close deregisters explicitly: a dup of the descriptor kept elsewhere
 * must not keep delivering the closed source's events.
 */
static void owned_close_deregisters_despite_dup(void)
{
	struct fixture f = setup();
	mio_source s;
	int peer, dup_fd;

	owned_pair(&s, &peer);
	dup_fd = dup(s.fd);
	ASSERT(dup_fd >= 0);
	ASSERT_OK(mio_registry_register(f.reg, &s, 1, MIO_READABLE));
	ASSERT_OK(mio__source_close(&s));
	ASSERT_EQ(s.fd, -1);
	ASSERT_EQ(write(peer, "x", 1), 1);
	expect_no_events(f.poll, f.events);
	close(dup_fd);
	close(peer);
	teardown(&f);
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
	RUN(regular_file_registers_cleanly_or_not_at_all);
	RUN(peer_hangup_then_reregister_and_deregister);
	RUN(extreme_tokens);
	RUN(borrowed_source_is_the_descriptor);
	RUN(owned_source_second_poll_gives_eexist);
	RUN(owned_source_errors_change_nothing);
	RUN(poll_freed_before_owned_sources);
	RUN(poll_ids_are_not_reused);
	RUN(owned_source_moved_bytewise);
	RUN(owned_close_deregisters_despite_dup);
	return test_summary();
}
