#ifndef MIO_TEST_H
#define MIO_TEST_H

/*
 * The test harness: assertions that print both values and the place, and
 * helpers after mio's tests/util. A failed assertion ends the process
 * with status 1; exit status 77 means skipped.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mio.h"

#define TEST_SKIP 77

/* Windows, where a few expectations differ (each test says why). */
#if defined(_WIN32)
#define TEST_WINDOWS 1
#else
#define TEST_WINDOWS 0
#endif

#define FAIL_AT(...)                                                           \
	do {                                                                   \
		fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, __func__);  \
		fprintf(stderr, __VA_ARGS__);                                  \
		fputc('\n', stderr);                                           \
		exit(1);                                                       \
	} while (0)

#define ASSERT(cond)                                                           \
	do {                                                                   \
		if (!(cond))                                                   \
			FAIL_AT("assertion failed: %s", #cond);                \
	} while (0)

#define ASSERT_EQ(a, b)                                                        \
	do {                                                                   \
		intmax_t a_ = (intmax_t)(a), b_ = (intmax_t)(b);               \
		if (a_ != b_)                                                  \
			FAIL_AT("%s == %s: %jd != %jd", #a, #b, a_, b_);       \
	} while (0)

#define ASSERT_NE(a, b)                                                        \
	do {                                                                   \
		intmax_t a_ = (intmax_t)(a), b_ = (intmax_t)(b);               \
		if (a_ == b_)                                                  \
			FAIL_AT("%s != %s: both %jd", #a, #b, a_);             \
	} while (0)

#define ASSERT_UEQ(a, b)                                                       \
	do {                                                                   \
		uintmax_t a_ = (uintmax_t)(a), b_ = (uintmax_t)(b);            \
		if (a_ != b_)                                                  \
			FAIL_AT("%s == %s: %ju != %ju", #a, #b, a_, b_);       \
	} while (0)

/* A library call that must succeed (>= 0). */
#define ASSERT_OK(expr)                                                        \
	do {                                                                   \
		intmax_t r_ = (intmax_t)(expr);                                \
		if (r_ < 0)                                                    \
			FAIL_AT("%s failed: %jd %s (%s)", #expr, r_,           \
				mio_err_name((int)r_), mio_strerror((int)r_)); \
	} while (0)

/* A library call that must fail with exactly `code`. */
#define ASSERT_ERR(expr, code)                                                 \
	do {                                                                   \
		intmax_t r_ = (intmax_t)(expr);                                \
		if (r_ != (intmax_t)(code))                                    \
			FAIL_AT("%s: want %s, got %jd %s", #expr, #code, r_,   \
				r_ < 0 ? mio_err_name((int)r_) : "(success)"); \
	} while (0)

#define ASSERT_STR_EQ(a, b)                                                    \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (strcmp(a_, b_) != 0)                                       \
			FAIL_AT("%s == %s: \"%s\" != \"%s\"", #a, #b, a_, b_); \
	} while (0)

/* Runs one test function and counts it; see test_summary(). */
#define RUN(fn) test_run(#fn, fn)
void test_run(const char *name, void (*fn)(void));
/* Prints "N passed, 0 failed" for this file and returns the exit status. */
int test_summary(void);

/*
 * The developer build that runs the kqueue backend on Linux through
 * libkqueue (MIO_FORCE_KQUEUE) meets a few places where the emulation
 * differs from the kernels. A test case that depends on one calls this
 * first and returns at once if it is true: the case then counts as
 * skipped, with `why` printed. In every other build it returns false.
 */
bool libkqueue_gap(const char *why);

/* The gaps met so far. */
#define LIBKQUEUE_PIPE_EOF                                                     \
	"libkqueue reports a pipe whose reader is gone with fflags EIO, an "   \
	"error to mio; the kernels leave fflags 0"
#define LIBKQUEUE_USER_FD                                                      \
	"libkqueue's EVFILT_USER needs an eventfd, and reports EBADF when it " \
	"cannot have one"
#define LIBKQUEUE_LOST_EVENTS                                                  \
	"libkqueue drops the events it took from epoll but has no room for "   \
	"(it returns at most 512, and one epoll event can make two), so "      \
	"edge-triggered sources under load stall"
#define LIBKQUEUE_FD_HUNGRY                                                    \
	"libkqueue opens ten descriptors of its own for a first kqueue and "   \
	"its user event, more than a limit of 16 can spare"
#define LIBKQUEUE_FD_REUSE                                                     \
	"libkqueue's thread closes a closed kqueue's descriptors at any "      \
	"moment, so which number is free next cannot be told"
#define LIBKQUEUE_SO_ERROR                                                     \
	"libkqueue reads SO_ERROR to fill in fflags, which clears the "        \
	"socket's pending error"
#define LIBKQUEUE_QUEUE_FD                                                     \
	"libkqueue's kqueue descriptor is the write end of a pipe, which "     \
	"never turns readable when events are pending"

/* Readiness expected of one event (mio's tests/util ExpectEvent). */
struct expect_event {
	mio_token token;
	unsigned readiness; /* EXPECT_* bits that must all be set */
};

enum {
	EXPECT_READABLE = 1 << 0,
	EXPECT_WRITABLE = 1 << 1,
	EXPECT_ERROR = 1 << 2,
	EXPECT_READ_CLOSED = 1 << 3,
	EXPECT_WRITE_CLOSED = 1 << 4,
	EXPECT_PRIORITY = 1 << 5,
};

/*
 * Polls a few times until every expected event has been seen, tolerating
 * other (sporadic) events; fails the test if one never comes.
 */
void expect_events(mio_poll *poll, mio_events *events,
		   const struct expect_event *expected, size_t n);
/* Fails the test if a poll with a short timeout reports any event. */
void expect_no_events(mio_poll *poll, mio_events *events);

/*
 * The poll fixture a test case starts from: a poll, its registry and a
 * buffer of 16 events. poll_fixture_setup() fails the test if it cannot
 * make them; poll_fixture_teardown() frees them (sources still registered
 * become unregistered, as the API allows).
 */
struct poll_fixture {
	mio_poll *poll;
	mio_events *events;
	mio_registry *registry; /* the poll's own, borrowed */
};

void poll_fixture_setup(struct poll_fixture *f);
void poll_fixture_teardown(struct poll_fixture *f);
/* expect_events() for one event: `token` with at least `readiness`. */
void poll_fixture_expect(struct poll_fixture *f, mio_token token,
			 unsigned readiness);
/*
 * A stream source (token 1, readable interest) whose peer shut its write
 * half: one poll (up to a second) reports exactly one event, readable and
 * read-closed, neither write-closed nor an error, and the exported
 * accessors agree. Fails the test otherwise.
 */
void expect_peer_write_shutdown(mio_poll *poll, mio_events *events);
/*
 * The same source reregistered after its peer went altogether: both
 * halves closed (kqueue, with the read filter only, can tell of the read
 * half only).
 */
void expect_peer_gone(mio_poll *poll, mio_events *events);
/*
 * A source registered under `token` for `interest` whose peer is gone:
 * the poll reports `token` with `readiness`, and the source can still be
 * reregistered (under token + 1) and deregistered.
 */
void poll_fixture_expect_hangup(struct poll_fixture *f, mio_source *src,
				mio_token token, mio_interest interest,
				unsigned readiness);
/* The readiness bits (EXPECT_*) an event carries. */
unsigned event_readiness(const mio_event *e);

/* A timespec of `ms` milliseconds. */
struct timespec ms_timeout(long ms);

/* Every descriptor the library makes must be non-blocking/close-on-exec. */
void assert_nonblocking(mio_raw_fd fd);
void assert_cloexec(mio_raw_fd fd);
/*
 * Open descriptors of this process (counted in /proc/self/fd; on
 * Windows, the process's handle count).
 */
int count_open_fds(void);
/*
 * The open descriptors (handles on Windows), in ascending order: the
 * first `max` are written to fds (which may be NULL if max is 0);
 * returns how many are open.
 */
int list_open_fds(mio_raw_fd *fds, int max);
/*
 * The open descriptors at one moment (list_open_fds), to tell the ones a
 * call opens: fd_snapshot_take() fails the test if there are more than
 * it holds.
 */
enum { FD_SNAPSHOT_MAX = 4096 };
struct fd_snapshot {
	int n;
	mio_raw_fd fd[FD_SNAPSHOT_MAX];
};
void fd_snapshot_take(struct fd_snapshot *s);
bool fd_snapshot_contains(const struct fd_snapshot *s, mio_raw_fd fd);

/*
 * Allocation counting: every malloc-family call made by the library or
 * the test since the last reset (link-time wrapping on GNU toolchains;
 * -1 where it is not available).
 */
void alloc_count_reset(void);
long alloc_count(void);
/*
 * Fault injection: when set, called on every malloc-family call with the
 * caller's return address; returning true makes that call fail (ENOMEM).
 */
extern bool (*test_alloc_should_fail)(void *caller);

/*
 * Raises the soft RLIMIT_NOFILE to at least `want` descriptors (up to the
 * hard limit). Returns false, after printing why, if the hard limit is
 * lower: the caller then skips with TEST_SKIP.
 */
bool raise_fd_limit(long want);

/*
 * What a stress test divides its work by: 1 unless MIO_TEST_SCALE=<n> in
 * the environment asks for a smaller run (slow emulators, Valgrind).
 */
long stress_divisor(void);

/*
 * A second party to a test: fn(arg) runs beside the caller until
 * test_peer_join. On POSIX it is a forked child, with descriptors and a
 * descriptor limit of its own; on Windows, which has neither fork nor
 * such a limit, a thread. Either way the two should share nothing but
 * test pipes: on POSIX the peer's memory is its own. A failed assertion
 * in the peer fails the test.
 */
struct test_peer {
	uintptr_t id; /* the child's pid, or the thread's handle */
	void (*fn)(void *arg);
	void *arg;
};
void test_peer_start(struct test_peer *p, void (*fn)(void *arg), void *arg);
void test_peer_join(struct test_peer *p);

/*
 * A blocking pipe between a test and its peer (the C runtime's on
 * Windows). Reads and writes move exactly len bytes or fail the test.
 */
void test_pipe(int fds[2]);
void test_pipe_read(int fd, void *buf, size_t len);
void test_pipe_write(int fd, const void *buf, size_t len);
void test_pipe_close(int fd);

/* A fresh private directory for Unix sockets; removed at exit. */
const char *test_temp_dir(void);

/*
 * A connected pair of blocking loopback TCP sockets, created with the
 * OS's own calls (wrap them with *_from_fd); test_close_socket closes one.
 */
void test_tcp_socket_pair(mio_raw_fd sv[2]);
void test_close_socket(mio_raw_fd fd);

/*
 * Waits up to timeout_ms for any of `events` (POLLIN, POLLOUT, ...: from
 * <poll.h> on POSIX, <winsock2.h> on Windows) on a socket with poll(2)
 * (WSAPoll on Windows), outside of any mio_poll; returns the reported
 * events, 0 on timeout.
 */
short test_poll_socket(mio_raw_fd fd, short events, int timeout_ms);
/* A second descriptor for the same socket (dup; WSADuplicateSocket). */
mio_raw_fd test_dup_socket(mio_raw_fd fd);
/* Makes the next close of the socket send a reset (SO_LINGER 0). */
void test_set_linger_zero(mio_raw_fd fd);
/*
 * Whether this Windows test runs under Wine, which differs from Windows
 * in a few documented places (false on POSIX).
 */
bool test_under_wine(void);
/* A plain blocking socket made with the OS's own call (fails the test). */
mio_raw_fd test_socket(int domain, int type);
/* Whether fd is still an open descriptor (handle on Windows). */
bool test_socket_is_open(mio_raw_fd fd);
/*
 * recv(2) on a socket with the OS's own call, bypassing the library (for
 * mio_source_try_io): the byte count, or a library code (MIO_EAGAIN when
 * it would block).
 */
mio_ssize test_recv(mio_raw_fd fd, void *buf, size_t len);

/*
 * A program run as a user would run it (the examples' tests): dir/argv[0]
 * (".exe" appended on Windows) started with argv (NULL-terminated; argv[0]
 * is passed on as its name). With capture, its standard output comes to
 * the test through a pipe; else it shares the test's. A fork/exec on
 * POSIX, CreateProcess on Windows.
 */
struct test_process {
	uintptr_t id; /* the pid, or the process handle */
	intptr_t out; /* its stdout's read end (descriptor or handle), or -1 */
};
void test_process_spawn(struct test_process *p, const char *dir,
			const char *const argv[], bool capture);
/*
 * POSIX only (no definition on Windows): as test_process_spawn with
 * capture, also handing it `fd` as its descriptor 3, announced the
 * systemd way (LISTEN_PID, LISTEN_FDS=1).
 */
void test_process_spawn_listen_fd(struct test_process *p, const char *dir,
				  const char *const argv[], int fd);
/*
 * One line of its captured output, without the newline, echoed as "# ..."
 * to the test's stdout. Waits for it a generous while; fails the test if
 * the output ends first or nothing comes.
 */
void test_process_read_line(struct test_process *p, char *buf, size_t len);
/*
 * Waits for it to exit, copying what it still prints to the test's stdout,
 * and returns its exit status. A process that hangs is killed after a
 * generous while (a hang is the failure, not slowness) and fails the test,
 * as does one ended by a signal.
 */
int test_process_finish(struct test_process *p);

#endif
