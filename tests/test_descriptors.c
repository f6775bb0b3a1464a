/*
 * Every descriptor the library creates is close-on-exec (the poll's, the
 * waker's, a registry clone's; on Windows, where that means a handle that
 * is not inheritable, the completion port and the AFD handles that
 * registration opens), and freeing gives every one of them back. The new
 * descriptors are found by listing the open ones before and after each
 * call. test_fd_descriptors.c checks the same through a real exec.
 */

#include "test.h"

/*
 * Checks that every descriptor opened since `before` is close-on-exec;
 * returns how many there are.
 */
static int check_new_fds(const struct fd_snapshot *before)
{
	static struct fd_snapshot now;
	int n = 0;

	fd_snapshot_take(&now);
	for (int i = 0; i < now.n; i++) {
		if (fd_snapshot_contains(before, now.fd[i]))
			continue;
		assert_cloexec(now.fd[i]);
		n++;
	}
	return n;
}

static void library_descriptors_are_cloexec(void)
{
	static struct fd_snapshot before;
	mio_poll *poll;
	mio_registry *clone;
	mio_waker *waker;
	mio_raw_fd sv[2];
	mio_tcp_stream a, b;
	int base;

	/*
	 * Winsock may keep a handle from the first socket a process makes
	 * until the process ends (Wine's does): make that socket before
	 * counting.
	 */
	test_tcp_socket_pair(sv);
	test_close_socket(sv[0]);
	test_close_socket(sv[1]);
	base = count_open_fds();

	fd_snapshot_take(&before);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT(check_new_fds(&before) >= 1);

	fd_snapshot_take(&before);
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	check_new_fds(&before);

	fd_snapshot_take(&before);
	ASSERT_OK(mio_waker_new(clone, 1, &waker));
#if defined(MIO_EVENT_LAYOUT_KQUEUE) || defined(_WIN32)
	/*
	 * kqueue's EVFILT_USER waker lives in the kqueue, and the Windows
	 * waker posts to the completion port: no descriptor.
	 */
	check_new_fds(&before);
#else
	ASSERT(check_new_fds(&before) >= 1);
#endif

	/* Registration opens an AFD handle on Windows, nothing elsewhere. */
	test_tcp_socket_pair(sv);
	ASSERT_OK(mio_tcp_stream_from_fd(&a, sv[0]));
	ASSERT_OK(mio_tcp_stream_from_fd(&b, sv[1]));
	fd_snapshot_take(&before);
	ASSERT_OK(mio_registry_register(clone, &a.source, 2,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(clone, &b.source, 3, MIO_READABLE));
	if (TEST_WINDOWS)
		ASSERT(check_new_fds(&before) >= 1);
	else
		check_new_fds(&before);
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));

	mio_waker_free(waker);
	mio_registry_free(clone);
	mio_poll_free(poll);
	ASSERT_EQ(count_open_fds(), base);
}

/*
 * Creating and freeing many objects returns every descriptor, whichever
 * goes first: a registered stream (polled once, so that Windows has a
 * poll in flight for it) or its poll.
 */
static void nothing_leaks(void)
{
	int base = count_open_fds();
	struct timespec zero = { 0, 0 };
	mio_events *events;

	ASSERT_OK(mio_events_new(8, &events));
	for (int i = 0; i < 200; i++) {
		mio_poll *poll;
		mio_registry *clone;
		mio_waker *waker;
		mio_raw_fd sv[2];
		mio_tcp_stream s;
		ASSERT_OK(mio_poll_new(&poll));
		ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll),
						 &clone));
		ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 1, &waker));
		test_tcp_socket_pair(sv);
		ASSERT_OK(mio_tcp_stream_from_fd(&s, sv[0]));
		ASSERT_OK(mio_registry_register(clone, &s.source, 2,
						MIO_READABLE));
		ASSERT_OK(mio_poll_poll(poll, events, &zero));
		/* Alternate the freeing order. */
		if (i % 2 == 0) {
			mio_poll_free(poll);
			mio_waker_free(waker);
			ASSERT_OK(mio_tcp_stream_close(&s));
			mio_registry_free(clone);
		} else {
			ASSERT_OK(mio_tcp_stream_close(&s));
			mio_registry_free(clone);
			mio_waker_free(waker);
			mio_poll_free(poll);
		}
		test_close_socket(sv[1]);
	}
	mio_events_free(events);
	ASSERT_EQ(count_open_fds(), base);
}

int main(void)
{
	RUN(library_descriptors_are_cloexec);
	RUN(nothing_leaks);
	return test_summary();
}
