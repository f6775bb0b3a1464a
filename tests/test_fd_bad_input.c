/*
 * Bad input of the POSIX kind (test_bad_input.c has the portable cases):
 * running out of descriptors under RLIMIT_NOFILE, signal dispositions
 * and masks the library must leave alone, and a borrowed descriptor's
 * accessors. Windows has neither descriptor limits nor POSIX signals,
 * and refuses borrowed sources (test_win_socket.c).
 */

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <pthread.h>
#include <unistd.h>

#include "posix_fd.h"
#include "test.h"

static mio_ssize return_ctx(mio_source *s, void *ctx)
{
	(void)s;
	return *(mio_ssize *)ctx;
}

/* A borrowed descriptor is taken as it is, even one that is not open. */
static void borrowed_source_accessors_and_try_io(void)
{
	mio_source src = mio_source_fd(42);
	mio_ssize value = 1234, again = MIO_EAGAIN;

	ASSERT_EQ(mio_source_raw_fd(&src), 42);
	ASSERT_EQ(mio_source_try_io(&src, NULL, &value), MIO_EINVAL);
	ASSERT_EQ(mio_source_try_io(&src, return_ctx, &value), 1234);
	ASSERT_EQ(mio_source_try_io(&src, return_ctx, &again), MIO_EAGAIN);
}

/* The lowest descriptor number not in use. */
static int lowest_free_fd(void)
{
	int fd = fcntl(0, F_DUPFD, 0);

	ASSERT(fd >= 0);
	close(fd);
	return fd;
}

/* No descriptor can be created while this is in force. */
static struct rlimit limit_fds(void)
{
	struct rlimit old, tight;

	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
	tight = old;
	tight.rlim_cur = (rlim_t)lowest_free_fd();
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
	return old;
}

/*
 * Out of descriptors: constructors fail with EMFILE, leave *out NULL,
 * and leave nothing behind (no descriptor, no memory, no registration).
 */
static void out_of_descriptors(void)
{
	mio_poll *poll = (mio_poll *)&poll, *ok_poll;
	mio_waker *waker = (mio_waker *)&waker;
	mio_events *events;
	int before = count_open_fds();
	struct rlimit old;
	int err;

	old = limit_fds();
	ASSERT_ERR(mio_poll_new(&poll), MIO_EMFILE);
	ASSERT(poll == NULL);
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
	ASSERT_EQ(count_open_fds(), before);

	ASSERT_OK(mio_poll_new(&ok_poll));
	ASSERT_OK(mio_events_new(4, &events));
	old = limit_fds();
	err = mio_waker_new(mio_poll_registry(ok_poll), 1, &waker);
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/* kqueue's EVFILT_USER waker lives in the kqueue: no descriptor. */
	if (err == 0) {
		mio_waker_free(waker);
		waker = NULL;
	} else if (!libkqueue_gap(LIBKQUEUE_USER_FD)) {
		ASSERT_ERR(err, MIO_EMFILE);
	}
#else
	ASSERT_ERR(err, MIO_EMFILE);
#endif
	ASSERT(waker == NULL);
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
	expect_no_events(ok_poll, events);
	/* A waker can still be made afterwards. */
	ASSERT_OK(mio_waker_new(mio_poll_registry(ok_poll), 1, &waker));
	ASSERT_OK(mio_waker_wake(waker));
	struct expect_event want = { 1, EXPECT_READABLE };
	expect_events(ok_poll, events, &want, 1);
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(ok_poll);
	ASSERT_EQ(count_open_fds(), before);
}

struct signal_state {
	sigset_t mask;
	struct sigaction act[65];
};

static void signal_snapshot(struct signal_state *st)
{
	memset(st, 0, sizeof(*st));
	ASSERT_EQ(pthread_sigmask(SIG_BLOCK, NULL, &st->mask), 0);
	for (int sig = 1; sig < 65; sig++)
		sigaction(sig, NULL, &st->act[sig]);
}

/* The library never changes signal dispositions or masks. */
static void signals_left_alone(void)
{
	struct signal_state before, after;
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	mio_registry *clone;
	struct timespec t = ms_timeout(1);
	int sv[2];

	signal_snapshot(&before);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT_OK(mio_waker_new(clone, 1, &waker));
	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(clone, &src, 2, MIO_READABLE));
	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_OK(mio_poll_poll(poll, events, &t));
	ASSERT_OK(mio_poll_poll(poll, events, &t));
	ASSERT_OK(mio_registry_deregister(clone, &src));
	close(sv[0]);
	close(sv[1]);
	mio_waker_free(waker);
	mio_registry_free(clone);
	mio_events_free(events);
	mio_poll_free(poll);
	signal_snapshot(&after);

	for (int sig = 1; sig < 65; sig++) {
		ASSERT_EQ(sigismember(&before.mask, sig),
			  sigismember(&after.mask, sig));
		ASSERT(before.act[sig].sa_handler == after.act[sig].sa_handler);
		ASSERT_EQ(before.act[sig].sa_flags, after.act[sig].sa_flags);
	}
}

int main(void)
{
	RUN(borrowed_source_accessors_and_try_io);
	RUN(out_of_descriptors);
	RUN(signals_left_alone);
	return test_summary();
}
