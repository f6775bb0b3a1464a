/*
 * Edge-triggered readiness of borrowed descriptors (mio_source_fd), which
 * only the library's callers read and write: peeking and raw I/O through
 * mio_source_try_io must neither hang nor livelock. The poll(2) backend
 * emulates edge triggering; epoll gives the same results natively.
 * test_poll_emulation.c holds the cases on the library's own sockets.
 */

#include <sys/socket.h>
#include <unistd.h>

#include "posix_fd.h"
#include "test.h"

#define TOKEN_A 1
#define TOKEN_B 2

/*
 * A fresh poll fixture and a raw pair whose sv[0] is registered under
 * TOKEN_A for `interest`, borrowed by the source returned.
 */
static mio_source registered_pair(struct poll_fixture *f, int sv[2],
				  mio_interest interest)
{
	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);

	poll_fixture_setup(f);
	ASSERT_OK(mio_registry_register(f->registry, &src, TOKEN_A, interest));
	return src;
}

static mio_ssize peek_fn(mio_source *s, void *ctx)
{
	char buf[16];
	mio_ssize n = recv(s->fd, buf, sizeof(buf), MSG_PEEK);

	(void)ctx;
	return n < 0 ? -errno : n;
}

/*
 * A peek that would block re-arms reading; a peek that finds data does
 * not consume the readiness. Neither may leave the caller waiting forever.
 */
static void source_fd_peek_does_not_hang(void)
{
	struct poll_fixture f;
	int sv[2];
	char buf[16];
	struct expect_event want = { TOKEN_A, EXPECT_READABLE };

	mio_source src = registered_pair(&f, sv, MIO_READABLE);
	ASSERT_ERR(mio_source_try_io(&src, peek_fn, NULL), MIO_EAGAIN);
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(write(sv[1], "ab", 2), 2);
		expect_events(f.poll, f.events, &want, 1);
		/* Peeking as often as you like consumes nothing. */
		for (int i = 0; i < 3; i++)
			ASSERT_EQ(mio_source_try_io(&src, peek_fn, NULL), 2);
		/* Read exactly what came, without running into EAGAIN... */
		ASSERT_EQ(recv(sv[0], buf, 2, 0), 2);
		/* ...so the peek's would-block is what re-arms reading. */
		ASSERT_ERR(mio_source_try_io(&src, peek_fn, NULL), MIO_EAGAIN);
	}
	ASSERT_OK(mio_registry_deregister(f.registry, &src));
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

static mio_ssize recv_fn(mio_source *s, void *ctx)
{
	char buf[4096];
	mio_ssize n = recv(s->fd, buf, sizeof(buf), 0);

	if (n > 0 && ctx != NULL)
		*(size_t *)ctx += (size_t)n;
	return n < 0 ? -errno : n;
}

/*
 * A borrowed descriptor read with plain recv: readiness consumed behind
 * the library's back is re-armed by mio_source_try_io's would-block, and
 * only for the direction that is not ready (the socket stays writable).
 */
static void source_fd_raw_recv_try_io(void)
{
	struct poll_fixture f;
	int sv[2];
	char buf[64];
	size_t got;
	struct expect_event want = { TOKEN_A, EXPECT_READABLE };

	mio_source src = registered_pair(&f, sv, MIO_READABLE | MIO_WRITABLE);
	poll_fixture_expect(&f, TOKEN_A, EXPECT_WRITABLE);
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(write(sv[1], "hello", 5), 5);
		expect_events(f.poll, f.events, &want, 1);
		got = 0;
		while (mio_source_try_io(&src, recv_fn, &got) > 0)
			;
		ASSERT_UEQ(got, 5);
		expect_no_events(f.poll, f.events);
	}

	/* Plain recv bypasses the library; try_io's would-block re-arms. */
	ASSERT_EQ(write(sv[1], "abc", 3), 3);
	expect_events(f.poll, f.events, &want, 1);
	ASSERT_EQ(recv(sv[0], buf, sizeof(buf), 0), 3);
	ASSERT_EQ(recv(sv[0], buf, sizeof(buf), 0), -1);
	ASSERT_ERR(mio_source_try_io(&src, recv_fn, NULL), MIO_EAGAIN);
	expect_no_events(f.poll, f.events);
	ASSERT_EQ(write(sv[1], "d", 1), 1);
	expect_events(f.poll, f.events, &want, 1);

	ASSERT_OK(mio_registry_deregister(f.registry, &src));
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

static mio_ssize send_fn(mio_source *s, void *ctx)
{
	static char buf[4096];
	mio_ssize n = send(s->fd, buf, sizeof(buf), MSG_NOSIGNAL);

	if (n > 0)
		*(size_t *)ctx += (size_t)n;
	return n < 0 ? -errno : n;
}

/* try_io that blocks writing re-arms writing, and only writing. */
static void source_fd_raw_send_try_io(void)
{
	struct poll_fixture f;
	int sv[2];
	char buf[4096];
	size_t put, got;
	ssize_t n;
	struct expect_event want_w = { TOKEN_A, EXPECT_WRITABLE };

	mio_source src = registered_pair(&f, sv, MIO_READABLE | MIO_WRITABLE);
	expect_events(f.poll, f.events, &want_w, 1);
	for (int round = 0; round < 3; round++) {
		put = 0;
		while (mio_source_try_io(&src, send_fn, &put) > 0)
			;
		ASSERT(put > 0);
		expect_no_events(f.poll, f.events);
		got = 0;
		while ((n = read(sv[1], buf, sizeof(buf))) > 0)
			got += (size_t)n;
		ASSERT_UEQ(got, put);
		expect_events(f.poll, f.events, &want_w, 1);
		expect_no_events(f.poll, f.events);
	}
	ASSERT_OK(mio_registry_deregister(f.registry, &src));
	close(sv[0]);
	close(sv[1]);
	poll_fixture_teardown(&f);
}

/*
 * One borrowed descriptor in many polls (more than the poll(2) backend
 * re-arms per visit to its record of them): a would-block through any
 * borrowed value re-arms it in every poll that still has it, and polls
 * that dropped it, by deregistering or by being freed, are left out.
 */
static void source_fd_rearms_every_poll(void)
{
	enum { POLLS = 12 };
	struct poll_fixture f[POLLS];
	bool live[POLLS];
	int sv[2];
	char buf[16];

	socketpair_nb(sv);
	for (int i = 0; i < POLLS; i++) {
		mio_source src = mio_source_fd(sv[0]);

		poll_fixture_setup(&f[i]);
		live[i] = true;
		ASSERT_OK(mio_registry_register(f[i].registry, &src,
						(mio_token)i, MIO_READABLE));
	}
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(write(sv[1], "x", 1), 1);
		for (int i = 0; i < POLLS; i++) {
			struct expect_event want = { (mio_token)i,
						     EXPECT_READABLE };
			if (live[i])
				expect_events(f[i].poll, f[i].events, &want, 1);
		}
		/* Read behind the library's back, then a fresh value's
		 * would-block re-arms. */
		ASSERT_EQ(recv(sv[0], buf, sizeof(buf), 0), 1);
		mio_source fresh = mio_source_fd(sv[0]);
		ASSERT_ERR(mio_source_try_io(&fresh, recv_fn, NULL),
			   MIO_EAGAIN);
		for (int i = 0; i < POLLS; i++)
			if (live[i])
				expect_no_events(f[i].poll, f[i].events);
		/* Drop two polls per round: one deregisters, one is freed. */
		mio_source src = mio_source_fd(sv[0]);
		ASSERT_OK(mio_registry_deregister(f[round * 2].registry, &src));
		live[round * 2] = false;
		poll_fixture_teardown(&f[round * 2 + 1]);
		live[round * 2 + 1] = false;
	}
	ASSERT_EQ(write(sv[1], "y", 1), 1);
	for (int i = 0; i < POLLS; i++) {
		struct expect_event want = { (mio_token)i, EXPECT_READABLE };
		if (live[i])
			expect_events(f[i].poll, f[i].events, &want, 1);
		else if (i % 2 == 0)
			expect_no_events(f[i].poll, f[i].events);
	}
	for (int i = 0; i < POLLS; i++) {
		mio_source src = mio_source_fd(sv[0]);

		if (live[i])
			ASSERT_OK(mio_registry_deregister(f[i].registry, &src));
		if (live[i] || i % 2 == 0)
			poll_fixture_teardown(&f[i]);
	}
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	RUN(source_fd_peek_does_not_hang);
	RUN(source_fd_raw_recv_try_io);
	RUN(source_fd_raw_send_try_io);
	RUN(source_fd_rearms_every_poll);
	return test_summary();
}
