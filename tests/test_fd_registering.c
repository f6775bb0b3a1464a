/*
 * Registry semantics for borrowed descriptors (mio_source_fd, POSIX
 * only): the library tracks nothing for them, so every outcome here is
 * the OS's own. Also what only POSIX has: pipes and regular files. The
 * same operations on owned sources, on every platform, are in
 * test_registering.c.
 */

#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "posix_fd.h"
#include "test.h"

/* A fresh poll fixture and a socket pair; the source borrows sv[0]. */
static mio_source setup_pair(struct poll_fixture *f, int sv[2])
{
	poll_fixture_setup(f);
	socketpair_nb(sv);
	return mio_source_fd(sv[0]);
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

/* mio's registry_ops_flow, on a borrowed descriptor. */
static void borrowed_register_deregister_flow(void)
{
	struct poll_fixture f;
	int sv[2];

	mio_source src = setup_pair(&f, sv);
	ASSERT_OK(mio_registry_register(f.registry, &src, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.registry, &src));
	ASSERT_OK(mio_registry_register(f.registry, &src, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_reregister(f.registry, &src, 1,
					  MIO_READABLE | MIO_WRITABLE));
	struct expect_event want = { 1, EXPECT_WRITABLE };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	want.readiness = EXPECT_READABLE;
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_deregister(f.registry, &src));
	close_pair(sv);
	poll_fixture_teardown(&f);
}

/* Registering a borrowed descriptor twice on one poll: the OS decides. */
static void borrowed_double_register_gives_eexist(void)
{
	struct poll_fixture f;
	int sv[2];

	mio_source src = setup_pair(&f, sv);
	ASSERT_OK(mio_registry_register(f.registry, &src, 1, MIO_READABLE));
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/*
	 * kqueue holds nothing that tells a second registration of a
	 * borrowed descriptor from a change: EV_ADD modifies the filter, as
	 * in mio (owned sources get MIO_EEXIST from the registry on every
	 * backend, see test_registering.c). Here the second call adds the
	 * write filter under token 2.
	 */
	ASSERT_OK(mio_registry_register(f.registry, &src, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_register(f.registry, &src, 2, MIO_WRITABLE));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want[] = { { 1, EXPECT_READABLE },
				       { 2, EXPECT_WRITABLE } };
	expect_events(f.poll, f.events, want, 2);
#else
	ASSERT_ERR(mio_registry_register(f.registry, &src, 1, MIO_READABLE),
		   MIO_EEXIST);
	/* mio's double_register_different_token. */
	ASSERT_ERR(mio_registry_register(f.registry, &src, 2, MIO_WRITABLE),
		   MIO_EEXIST);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(f.events, 0)), 1);
	ASSERT(!mio_event_is_writable(mio_events_at(f.events, 0)));
#endif
	close_pair(sv);
	poll_fixture_teardown(&f);
}

/* Reregister or deregister a never registered descriptor: ENOENT. */
static void borrowed_unregistered_gives_enoent(void)
{
	struct poll_fixture f;
	int sv[2];

	mio_source src = setup_pair(&f, sv);
	ASSERT_ERR(mio_registry_reregister(f.registry, &src, 1, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(f.registry, &src), MIO_ENOENT);
	/* Neither call registered it by accident. */
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	expect_no_events(f.poll, f.events);
	/* Deregistered twice: the second is ENOENT. */
	ASSERT_OK(mio_registry_register(f.registry, &src, 1, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(f.registry, &src));
	ASSERT_ERR(mio_registry_deregister(f.registry, &src), MIO_ENOENT);
	ASSERT_ERR(mio_registry_reregister(f.registry, &src, 1, MIO_READABLE),
		   MIO_ENOENT);
	close_pair(sv);
	poll_fixture_teardown(&f);
}

/* Through a poll the descriptor is not registered with: ENOENT. */
static void borrowed_other_poll_gives_enoent(void)
{
	struct poll_fixture a, b;
	int sv[2];

	poll_fixture_setup(&a);
	mio_source src = setup_pair(&b, sv);
	ASSERT_OK(mio_registry_register(a.registry, &src, 1, MIO_READABLE));
	ASSERT_ERR(mio_registry_reregister(b.registry, &src, 2, MIO_WRITABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(b.registry, &src), MIO_ENOENT);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(a.poll, a.events, &want, 1);
	expect_no_events(b.poll, b.events);
	close_pair(sv);
	poll_fixture_teardown(&a);
	poll_fixture_teardown(&b);
}

/* Invalid interests are refused before the OS sees the descriptor. */
static void borrowed_invalid_interest_gives_einval(void)
{
	static const unsigned bad[] = { 0x00, 0x04, 0x08, 0x20, 0x40,
					0x80, 0x05, 0x0c, 0xff };
	struct poll_fixture f;
	int sv[2];

	mio_source src = setup_pair(&f, sv);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mio_interest in = (mio_interest)bad[i];
		ASSERT_ERR(mio_registry_register(f.registry, &src, 1, in),
			   MIO_EINVAL);
	}
	/* Not registered by any failed call. */
	ASSERT_ERR(mio_registry_deregister(f.registry, &src), MIO_ENOENT);

	ASSERT_OK(mio_registry_register(f.registry, &src, 7, MIO_READABLE));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mio_interest in = (mio_interest)bad[i];
		ASSERT_ERR(mio_registry_reregister(f.registry, &src, 8, in),
			   MIO_EINVAL);
	}
	/* The registration is still token 7, readable only. */
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	int n = mio_poll_poll(f.poll, f.events, &(struct timespec){ 1, 0 });
	ASSERT_EQ(n, 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(f.events, 0)), 7);
	ASSERT(!mio_event_is_writable(mio_events_at(f.events, 0)));
	close_pair(sv);
	poll_fixture_teardown(&f);
}

/* Negative and closed descriptor numbers: EBADF from every call. */
static void borrowed_invalid_descriptor_gives_ebadf(void)
{
	struct poll_fixture f;
	int sv[2];

	poll_fixture_setup(&f);
	mio_source neg = mio_source_fd(-1);
	ASSERT_ERR(mio_registry_register(f.registry, &neg, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_reregister(f.registry, &neg, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(f.registry, &neg), MIO_EBADF);
	mio_source neg2 = mio_source_fd(-2);
	ASSERT_ERR(mio_registry_register(f.registry, &neg2, 1, MIO_READABLE),
		   MIO_EBADF);

	/* A descriptor number that is not open. */
	socketpair_nb(sv);
	close_pair(sv);
	ASSERT(!fd_open(sv[0]));
	mio_source closed = mio_source_fd(sv[0]);
	ASSERT_ERR(mio_registry_register(f.registry, &closed, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(
		mio_registry_reregister(f.registry, &closed, 1, MIO_READABLE),
		MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(f.registry, &closed), MIO_EBADF);
	poll_fixture_teardown(&f);
}

/*
 * A regular file: epoll cannot watch one (EPERM), poll(2) and kqueue can.
 * Either way the outcome is clean: registered for real, or not at all.
 */
static void regular_file_registers_cleanly_or_not_at_all(void)
{
	struct poll_fixture f;
	FILE *file = tmpfile();

	poll_fixture_setup(&f);
	ASSERT(file != NULL);
	mio_source src = mio_source_fd(fileno(file));
	int err = mio_registry_register(f.registry, &src, 1, MIO_READABLE);
	if (err == 0) {
		ASSERT_OK(mio_registry_deregister(f.registry, &src));
	} else {
		ASSERT(err < 0);
		ASSERT(mio_registry_deregister(f.registry, &src) < 0);
		expect_no_events(f.poll, f.events);
	}
	fclose(file);
	poll_fixture_teardown(&f);
}

/*
 * A borrowed socket, and a pipe, whose peer hung up can still be
 * reregistered and deregistered.
 */
static void hangup_then_reregister_and_deregister(void)
{
	struct poll_fixture f;
	int sv[2];

	mio_source src = setup_pair(&f, sv);
	ASSERT_OK(mio_registry_register(f.registry, &src, 1, MIO_WRITABLE));
	struct expect_event want = { 1, EXPECT_WRITABLE };
	expect_events(f.poll, f.events, &want, 1);
	close(sv[1]);
	ASSERT_OK(mio_registry_reregister(f.registry, &src, 2, MIO_READABLE));
	want = (struct expect_event){ 2, EXPECT_READ_CLOSED };
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_OK(mio_registry_deregister(f.registry, &src));
	expect_no_events(f.poll, f.events);
	close(sv[0]);

	/* Same for a pipe whose writer is gone. */
	int p[2];
	pipe_nb(p);
	mio_source rx = mio_source_fd(p[0]);
	ASSERT_OK(mio_registry_register(f.registry, &rx, 3, MIO_READABLE));
	close(p[1]);
	poll_fixture_expect_hangup(&f, &rx, 3, MIO_READABLE,
				   EXPECT_READ_CLOSED);
	close(p[0]);
	poll_fixture_teardown(&f);
}

/*
 * Borrowed sources are not tracked: a fresh mio_source_fd value for the
 * same descriptor reregisters and deregisters what another registered.
 */
static void borrowed_source_is_the_descriptor(void)
{
	struct poll_fixture f;
	int sv[2];

	mio_source first = setup_pair(&f, sv);
	ASSERT_OK(mio_registry_register(f.registry, &first, 1, MIO_READABLE));
	mio_source second = mio_source_fd(sv[0]);
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/* kqueue modifies (EV_ADD): see borrowed_double_register. */
	ASSERT_OK(mio_registry_register(f.registry, &second, 1, MIO_READABLE));
#else
	ASSERT_ERR(mio_registry_register(f.registry, &second, 1, MIO_READABLE),
		   MIO_EEXIST);
#endif
	ASSERT_OK(
		mio_registry_reregister(f.registry, &second, 2, MIO_READABLE));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want = { 2, EXPECT_READABLE };
	expect_events(f.poll, f.events, &want, 1);
	mio_source third = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_deregister(f.registry, &third));
	ASSERT_ERR(mio_registry_deregister(f.registry, &first), MIO_ENOENT);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	expect_no_events(f.poll, f.events);
	/* The borrowed value never owned anything: the fd is still open. */
	ASSERT(fd_open(sv[0]));
	close_pair(sv);
	poll_fixture_teardown(&f);
}

int main(void)
{
	RUN(borrowed_register_deregister_flow);
	RUN(borrowed_double_register_gives_eexist);
	RUN(borrowed_unregistered_gives_enoent);
	RUN(borrowed_other_poll_gives_enoent);
	RUN(borrowed_invalid_interest_gives_einval);
	RUN(borrowed_invalid_descriptor_gives_ebadf);
	RUN(regular_file_registers_cleanly_or_not_at_all);
	RUN(hangup_then_reregister_and_deregister);
	RUN(borrowed_source_is_the_descriptor);
	return test_summary();
}
