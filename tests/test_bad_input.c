/*
 * Bad input everywhere in the core: NULL pointers, *_free(NULL), error
 * names and messages for every code (known, zero and unknown), and the
 * version. Nothing may crash, print, or return NULL text.
 */

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <pthread.h>
#include <unistd.h>

#include "test.h"

static void frees_accept_null(void)
{
	mio_poll_free(NULL);
	mio_events_free(NULL);
	mio_waker_free(NULL);
	mio_registry_free(NULL);
	mio_events_clear(NULL);
}

static void null_out_pointers(void)
{
	mio_poll *poll;

	ASSERT_ERR(mio_poll_new(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_events_new(8, NULL), MIO_EINVAL);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_ERR(mio_registry_try_clone(mio_poll_registry(poll), NULL),
		   MIO_EINVAL);
	ASSERT_ERR(mio_waker_new(mio_poll_registry(poll), 1, NULL), MIO_EINVAL);
	mio_poll_free(poll);
}

/* A NULL input sets *out to NULL as well, so nothing stale is left. */
static void null_inputs_clear_out(void)
{
	mio_registry *clone = (mio_registry *)&clone;
	mio_waker *waker = (mio_waker *)&waker;
	mio_events *events = (mio_events *)&events;

	ASSERT_ERR(mio_registry_try_clone(NULL, &clone), MIO_EINVAL);
	ASSERT(clone == NULL);
	ASSERT_ERR(mio_waker_new(NULL, 1, &waker), MIO_EINVAL);
	ASSERT(waker == NULL);
	ASSERT_ERR(mio_events_new(0, &events), MIO_EINVAL);
	ASSERT(events == NULL);
}

static void null_poll_and_events(void)
{
	mio_poll *poll;
	mio_events *events;
	struct timespec zero = { 0, 0 };

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(1, &events));
	ASSERT_ERR(mio_poll_poll(NULL, NULL, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_poll_poll(NULL, events, &zero), MIO_EINVAL);
	ASSERT_ERR(mio_poll_poll(poll, NULL, &zero), MIO_EINVAL);
	ASSERT_ERR(mio_poll_poll(poll, NULL, NULL), MIO_EINVAL);
	ASSERT(mio_poll_registry(NULL) == NULL);
	mio_events_free(events);
	mio_poll_free(poll);
}

static void null_registry_and_source(void)
{
	mio_poll *poll;
	mio_registry *reg;
	int sv[2];

	ASSERT_OK(mio_poll_new(&poll));
	reg = mio_poll_registry(poll);
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_ERR(mio_registry_register(NULL, &src, 1, MIO_READABLE),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_register(reg, NULL, 1, MIO_READABLE),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_reregister(NULL, &src, 1, MIO_READABLE),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_reregister(reg, NULL, 1, MIO_READABLE),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_deregister(NULL, &src), MIO_EINVAL);
	ASSERT_ERR(mio_registry_deregister(reg, NULL), MIO_EINVAL);
	/* None of them registered anything. */
	ASSERT_ERR(mio_registry_deregister(reg, &src), MIO_ENOENT);
	close(sv[0]);
	close(sv[1]);
	mio_poll_free(poll);
}

static mio_ssize return_ctx(mio_source *s, void *ctx)
{
	(void)s;
	return *(mio_ssize *)ctx;
}

static void source_accessors_and_try_io(void)
{
	mio_source src = mio_source_fd(42);
	mio_ssize value = 1234, again = MIO_EAGAIN;

	ASSERT_EQ(mio_source_raw_fd(NULL), MIO_INVALID_FD);
	ASSERT_EQ(mio_source_raw_fd(&src), 42);
	ASSERT_EQ(mio_source_try_io(NULL, return_ctx, &value), MIO_EINVAL);
	ASSERT_EQ(mio_source_try_io(&src, NULL, &value), MIO_EINVAL);
	ASSERT_EQ(mio_source_try_io(&src, return_ctx, &value), 1234);
	ASSERT_EQ(mio_source_try_io(&src, return_ctx, &again), MIO_EAGAIN);
}

static void waker_null(void)
{
	ASSERT_ERR(mio_waker_wake(NULL), MIO_EINVAL);
}

static void event_format_null(void)
{
	char buf[8];

	ASSERT_ERR(mio_event_format(NULL, buf, sizeof(buf)), MIO_EINVAL);
	ASSERT_ERR(mio_event_format(NULL, NULL, 0), MIO_EINVAL);
}

#define CODE(name)                                                             \
	{                                                                      \
		name, &#name[4]                                                \
	} /* "MIO_EAGAIN" -> "EAGAIN" */

static const struct {
	int code;
	const char *name;
} codes[] = {
	CODE(MIO_EAGAIN),	CODE(MIO_EINTR),	CODE(MIO_EINVAL),
	CODE(MIO_EBADF),	CODE(MIO_EEXIST),	CODE(MIO_ENOENT),
	CODE(MIO_ENOMEM),	CODE(MIO_EMFILE),	CODE(MIO_ENFILE),
	CODE(MIO_ENOBUFS),	CODE(MIO_EPIPE),	CODE(MIO_ECONNREFUSED),
	CODE(MIO_ECONNRESET),	CODE(MIO_ECONNABORTED), CODE(MIO_ENOTCONN),
	CODE(MIO_EISCONN),	CODE(MIO_EINPROGRESS),	CODE(MIO_EALREADY),
	CODE(MIO_ETIMEDOUT),	CODE(MIO_EADDRINUSE),	CODE(MIO_EADDRNOTAVAIL),
	CODE(MIO_EAFNOSUPPORT), CODE(MIO_EDESTADDRREQ), CODE(MIO_EMSGSIZE),
	CODE(MIO_ENAMETOOLONG), CODE(MIO_ENOTSUP),	CODE(MIO_EACCES),
	CODE(MIO_EPERM),	CODE(MIO_ENETUNREACH),	CODE(MIO_EHOSTUNREACH),
};

/* The contract's codes: negative, distinct, named and described. */
static void every_error_code_is_named(void)
{
	size_t n = sizeof(codes) / sizeof(codes[0]);

	for (size_t i = 0; i < n; i++) {
		const char *name = mio_err_name(codes[i].code);
		const char *msg = mio_strerror(codes[i].code);
		ASSERT(codes[i].code < 0);
		ASSERT(name != NULL);
		ASSERT(msg != NULL);
		ASSERT_STR_EQ(name, codes[i].name);
		ASSERT(msg[0] != '\0');
		ASSERT(strcmp(msg, mio_strerror(-99999)) != 0);
		for (size_t j = 0; j < i; j++)
			if (codes[j].code == codes[i].code)
				FAIL_AT("%s and %s are the same code",
					codes[j].name, codes[i].name);
	}
	/* On POSIX a code is exactly -errno. */
	ASSERT_EQ(MIO_EAGAIN, -EAGAIN);
	ASSERT_EQ(MIO_ENOTSUP, -ENOTSUP);
}

/* Zero is success; anything unknown is "UNKNOWN", never NULL. */
static void zero_and_unknown_codes(void)
{
	static const int unknown[] = { 1,	EAGAIN,	 -4095,	     -99999,
				       INT_MIN, INT_MAX, INT_MIN + 1 };

	ASSERT(mio_err_name(0) != NULL);
	ASSERT(mio_strerror(0) != NULL);
	ASSERT(strcmp(mio_err_name(0), "UNKNOWN") != 0);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const char *msg = mio_strerror(unknown[i]);
		ASSERT_STR_EQ(mio_err_name(unknown[i]), "UNKNOWN");
		ASSERT(msg != NULL);
		ASSERT(msg[0] != '\0');
	}
	/* Every negative errno the OS has gets some text. */
	for (int e = 1; e < 4096; e++) {
		ASSERT(mio_err_name(-e) != NULL);
		ASSERT(mio_strerror(-e) != NULL);
	}
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
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
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

static void version_matches_macros(void)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", MIO_VERSION_MAJOR,
		 MIO_VERSION_MINOR, MIO_VERSION_PATCH);
	ASSERT(mio_version() != NULL);
	ASSERT_STR_EQ(mio_version(), want);
	ASSERT_EQ(MIO_VERSION_HEX, (MIO_VERSION_MAJOR << 16) |
					   (MIO_VERSION_MINOR << 8) |
					   MIO_VERSION_PATCH);
}

int main(void)
{
	RUN(frees_accept_null);
	RUN(null_out_pointers);
	RUN(null_inputs_clear_out);
	RUN(null_poll_and_events);
	RUN(null_registry_and_source);
	RUN(source_accessors_and_try_io);
	RUN(waker_null);
	RUN(event_format_null);
	RUN(every_error_code_is_named);
	RUN(zero_and_unknown_codes);
	RUN(out_of_descriptors);
	RUN(signals_left_alone);
	RUN(version_matches_macros);
	return test_summary();
}
