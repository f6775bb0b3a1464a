/*
 * Fault injection: each scenario below is a script of library calls. It
 * is run once to count the system calls and allocations the library makes
 * (the call sites), then once per call site and errno with exactly that
 * call failing. Whatever fails, the library must return the injected
 * error (or absorb it where the contract says so), leave its objects
 * usable (the failed step is retried and must then succeed, with no event
 * lost) or cleanly closed, and leak no descriptor and no memory.
 */
/* ctest-labels: fault */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fault.h"
#include "test.h"

/* LeakSanitizer's check, when the build has it. */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

static const int errnos[] = { EINTR,  EAGAIN,  ENOMEM,	  EMFILE,
			      ENFILE, ENOBUFS, ECONNRESET };
#define N_ERRNOS (sizeof(errnos) / sizeof(errnos[0]))

/* What the run under way injects, for the messages. */
static long cur_nth;
static int cur_errno;
static const char *cur_fn = "";
static long step_first_call;
static long scenario_reported, scenario_absorbed;

static void scenario_step_begin(void)
{
	step_first_call = fault_calls() + 1;
	fault_arm();
}

/* The call failed: only the injected fault, in this step, may cause that. */
static void scenario_step_failed(const char *expr, int line, long ret)
{
	int want = -cur_errno;

	fault_disarm();
	if (!fault_fired() || cur_nth < step_first_call)
		FAIL_AT("line %d: %s failed with %s (%ld) without a fault in "
			"it (fault: call %ld, %s)",
			line, expr, mio_err_name((int)ret), ret, cur_nth,
			mio_err_name(-cur_errno));
	if (ret != want)
		FAIL_AT("line %d: %s: injected %s at call %ld (%s), got %s",
			line, expr, mio_err_name(want), cur_nth, cur_fn,
			mio_err_name((int)ret));
	scenario_reported++;
}

static void scenario_step_end(const char *expr, int line, long ret,
			      bool retried)
{
	fault_disarm();
	if (ret < 0)
		FAIL_AT("line %d: %s failed %s: %s (fault: call %ld, %s)", line,
			expr, retried ? "again on retry" : "",
			mio_err_name((int)ret), cur_nth,
			mio_err_name(-cur_errno));
	if (!retried && fault_fired() && cur_nth >= step_first_call)
		scenario_absorbed++;
}

/* Distinct call sites (return addresses) over every scenario. */
static void *all_sites[4096];
static int n_all_sites;

static int sites_seen(long total)
{
	int mine = 0;
	void *own[1024];

	for (long i = 1; i <= total; i++) {
		void *key = fault_site_of(i)->caller;
		int j = 0;
		while (j < mine && own[j] != key)
			j++;
		if (j == mine && mine < 1024)
			own[mine++] = key;
		j = 0;
		while (j < n_all_sites && all_sites[j] != key)
			j++;
		if (j == n_all_sites && n_all_sites < 4096)
			all_sites[n_all_sites++] = key;
	}
	return mine;
}

static long total_runs;

/* Runs `fn` failing each of its calls in turn, with each errno. */
static void walk(const char *name, void (*fn)(void))
{
	int fds_before = count_open_fds();
	long total, runs = 0;
	static struct fault_site plan[4096];
	int sites;

	/*
	 * A first run settles what the library probes once (such as whether
	 * the kernel has epoll_pwait2); the second counts the calls.
	 */
	fault_plan(0, 0);
	cur_nth = 0;
	fn();
	fault_plan(0, 0);
	fn();
	total = fault_calls();
	ASSERT(total > 0 && total <= 4096);
	for (long i = 1; i <= total; i++)
		plan[i - 1] = *fault_site_of(i);
	sites = sites_seen(total);
	for (long nth = 1; nth <= total; nth++) {
		const char *fn_name = plan[nth - 1].fn;
		bool is_alloc = strcmp(fn_name, "malloc") == 0;
		for (size_t e = 0; e < N_ERRNOS; e++) {
			if (is_alloc && errnos[e] != ENOMEM)
				continue;
			cur_nth = nth;
			cur_errno = errnos[e];
			cur_fn = fn_name;
			fault_plan(nth, errnos[e]);
			fn();
			if (!fault_fired())
				FAIL_AT("%s: call %ld (%s) was not reached",
					name, nth, fn_name);
			if (count_open_fds() != fds_before)
				FAIL_AT("%s: descriptor leak after failing "
					"call "
					"%ld (%s) with %s: %d open, %d before",
					name, nth, fn_name,
					mio_err_name(-errnos[e]),
					count_open_fds(), fds_before);
			if (__lsan_do_recoverable_leak_check != NULL &&
			    __lsan_do_recoverable_leak_check() != 0)
				FAIL_AT("%s: memory leak after failing call "
					"%ld "
					"(%s) with %s",
					name, nth, fn_name,
					mio_err_name(-errnos[e]));
			runs++;
		}
	}
	printf("%s: %ld calls, %d distinct call sites, %ld failing runs\n",
	       name, total, sites, runs);
	total_runs += runs;
}

/*
 * A step of a script: a library call that must succeed, at once or, if
 * the injected fault made it fail with exactly that error, on a retry.
 */
#define STEP(expr)                                                             \
	do {                                                                   \
		long r_;                                                       \
		scenario_step_begin();                                         \
		r_ = (long)(expr);                                             \
		if (r_ < 0) {                                                  \
			scenario_step_failed(#expr, __LINE__, r_);             \
			scenario_step_begin();                                 \
			r_ = (long)(expr);                                     \
			scenario_step_end(#expr, __LINE__, r_, true);          \
		} else {                                                       \
			scenario_step_end(#expr, __LINE__, r_, false);         \
		}                                                              \
	} while (0)

/* A call with no result to check (the *_free functions). */
#define STEP_VOID(expr)                                                        \
	do {                                                                   \
		scenario_step_begin();                                         \
		expr;                                                          \
		fault_disarm();                                                \
	} while (0)

/*
 * Readiness seen by the script's polls, by token (tokens are small), so
 * that an expectation is met by an event however the polls group them.
 */
static unsigned seen[8];

static void note_events(mio_events *events)
{
	for (size_t i = 0; i < mio_events_len(events); i++) {
		const mio_event *e = mio_events_at(events, i);
		mio_token t = mio_event_token(e);
		if (t < 8)
			seen[t] |= event_readiness(e);
	}
}

/* Polls (each poll a step) until `token` showed `readiness`; consumes it. */
#define POLL_EXPECT(poll, events, token, readiness)                            \
	do {                                                                   \
		struct timespec t_ = ms_timeout(1000);                         \
		for (int round_ = 0; round_ < 5; round_++) {                   \
			if ((seen[token] & (readiness)) == (readiness))        \
				break;                                         \
			STEP(mio_poll_poll(poll, events, &t_));                \
			note_events(events);                                   \
		}                                                              \
		expect_seen(token, readiness, __LINE__);                       \
	} while (0)

static void expect_seen(mio_token token, unsigned readiness, int line)
{
	if ((seen[token] & readiness) != readiness)
		FAIL_AT("line %d: event for token %ju lost (fault: call %ld, "
			"%s in %s)",
			line, (uintmax_t)token, cur_nth,
			mio_err_name(-cur_errno), cur_fn);
	seen[token] &= ~readiness;
}

static void script_begin(void)
{
	memset(seen, 0, sizeof(seen));
}

/*
 * The core: create a poll, events, a clone and a waker; register a
 * socketpair end, reregister, poll (zero and non-zero timeouts), wake,
 * deregister, free.
 */
static void core_script(void)
{
	mio_poll *poll = NULL;
	mio_events *events = NULL;
	mio_registry *clone = NULL;
	mio_waker *waker = NULL;
	struct timespec zero = { 0, 0 };
	int sv[2];

	script_begin();
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	mio_source src = mio_source_fd(sv[0]);
	STEP(mio_poll_new(&poll));
	STEP(mio_events_new(8, &events));
	mio_registry *r = mio_poll_registry(poll);
	STEP(mio_registry_try_clone(r, &clone));
	STEP(mio_waker_new(clone, 7, &waker));
	STEP(mio_registry_register(clone, &src, 1, MIO_READABLE));
	STEP(mio_poll_poll(poll, events, &zero));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	POLL_EXPECT(poll, events, 1, EXPECT_READABLE);
	STEP(mio_registry_reregister(r, &src, 2, MIO_READABLE | MIO_WRITABLE));
	POLL_EXPECT(poll, events, 2, EXPECT_READABLE | EXPECT_WRITABLE);
	STEP(mio_waker_wake(waker));
	POLL_EXPECT(poll, events, 7, EXPECT_READABLE);
	STEP(mio_registry_deregister(r, &src));
	STEP(mio_poll_poll(poll, events, &zero));
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(write(sv[1], "y", 1), 1);
	STEP(mio_poll_poll(poll, events, &zero));
	ASSERT(mio_events_is_empty(events));
	STEP_VOID(mio_registry_free(clone));
	STEP_VOID(mio_waker_free(waker));
	STEP_VOID(mio_events_free(events));
	STEP_VOID(mio_poll_free(poll));
	close(sv[0]);
	close(sv[1]);
}

/* A read step that must give exactly `want`. */
#define READ_EXPECT(expr, want)                                                \
	do {                                                                   \
		char buf_[64] = { 0 };                                         \
		STEP(n_ = (expr(buf_, sizeof(buf_))));                         \
		ASSERT_EQ(n_, (mio_ssize)strlen(want));                        \
		ASSERT(memcmp(buf_, want, strlen(want)) == 0);                 \
	} while (0)

/*
 * TCP: bind, connect, accept, write and read both ways, shutdown, close.
 * The *_close steps must leave the object inert whatever they return.
 */
static void tcp_script(void)
{
	mio_poll *poll = NULL;
	mio_events *events = NULL;
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr any, addr;
	mio_ssize n_;

	script_begin();
	ASSERT_OK(mio_sockaddr_parse(&any, "127.0.0.1:0"));
	STEP(mio_poll_new(&poll));
	STEP(mio_events_new(16, &events));
	mio_registry *r = mio_poll_registry(poll);
	STEP(mio_tcp_listener_bind(&l, &any));
	STEP(mio_tcp_listener_local_addr(&l, &addr));
	STEP(mio_registry_register(r, &l.source, 0, MIO_READABLE));
	STEP(mio_tcp_stream_connect(&c, &addr));
	STEP(mio_registry_register(r, &c.source, 1,
				   MIO_READABLE | MIO_WRITABLE));
	POLL_EXPECT(poll, events, 0, EXPECT_READABLE);
	STEP(mio_tcp_listener_accept(&l, &s, NULL));
	STEP(mio_registry_register(r, &s.source, 2,
				   MIO_READABLE | MIO_WRITABLE));
	POLL_EXPECT(poll, events, 1, EXPECT_WRITABLE);
	STEP(mio_tcp_stream_set_nodelay(&c, true));
	STEP(mio_tcp_stream_take_error(&c));
	STEP(mio_tcp_stream_write(&c, "ping", 4));
	POLL_EXPECT(poll, events, 2, EXPECT_READABLE);
#define READ_S(b, l) mio_tcp_stream_read(&s, b, l)
	READ_EXPECT(READ_S, "ping");
	mio_iovec iov[2] = { { .base = "po", .len = 2 },
			     { .base = "ng", .len = 2 } };
	STEP(mio_tcp_stream_writev(&s, iov, 2));
	POLL_EXPECT(poll, events, 1, EXPECT_READABLE);
#define READ_C(b, l) mio_tcp_stream_read(&c, b, l)
	READ_EXPECT(READ_C, "pong");
	STEP(mio_tcp_stream_shutdown(&c, MIO_SHUTDOWN_WRITE));
	POLL_EXPECT(poll, events, 2, EXPECT_READ_CLOSED);
	READ_EXPECT(READ_S, "");
	STEP(mio_tcp_stream_close(&s));
	ASSERT_EQ(s.source.fd, -1);
	STEP(mio_tcp_stream_close(&c));
	ASSERT_EQ(c.source.fd, -1);
	STEP(mio_registry_deregister(r, &l.source));
	STEP(mio_tcp_listener_close(&l));
	ASSERT_EQ(l.source.fd, -1);
	STEP_VOID(mio_events_free(events));
	STEP_VOID(mio_poll_free(poll));
}

/* UDP: bind two sockets, send_to and recv_from through a poll. */
static void udp_script(void)
{
	mio_poll *poll = NULL;
	mio_events *events = NULL;
	mio_udp_socket a, b;
	mio_sockaddr any, addr_b, from;
	mio_ssize n_;

	script_begin();
	ASSERT_OK(mio_sockaddr_parse(&any, "127.0.0.1:0"));
	STEP(mio_poll_new(&poll));
	STEP(mio_events_new(16, &events));
	mio_registry *r = mio_poll_registry(poll);
	STEP(mio_udp_socket_bind(&a, &any));
	STEP(mio_udp_socket_bind(&b, &any));
	STEP(mio_udp_socket_local_addr(&b, &addr_b));
	STEP(mio_registry_register(r, &b.source, 1, MIO_READABLE));
	STEP(mio_udp_socket_send_to(&a, "dgram", 5, &addr_b));
	POLL_EXPECT(poll, events, 1, EXPECT_READABLE);
#define RECV_B(buf, l) mio_udp_socket_recv_from(&b, buf, l, &from)
	READ_EXPECT(RECV_B, "dgram");
	STEP(mio_udp_socket_close(&a));
	STEP(mio_udp_socket_close(&b));
	ASSERT(a.source.fd == -1 && b.source.fd == -1);
	STEP_VOID(mio_events_free(events));
	STEP_VOID(mio_poll_free(poll));
}

static char unix_path[512];

/* Unix sockets: a listener on a path, connect, accept, I/O; a pair. */
static void unix_script(void)
{
	mio_poll *poll = NULL;
	mio_events *events = NULL;
	mio_unix_listener l;
	mio_unix_stream c, s, p1, p2;
	mio_ssize n_;

	script_begin();
	STEP(mio_poll_new(&poll));
	STEP(mio_events_new(16, &events));
	mio_registry *r = mio_poll_registry(poll);
	STEP(mio_unix_listener_bind(&l, unix_path));
	STEP(mio_registry_register(r, &l.source, 0, MIO_READABLE));
	STEP(mio_unix_stream_connect(&c, unix_path));
	POLL_EXPECT(poll, events, 0, EXPECT_READABLE);
	STEP(mio_unix_listener_accept(&l, &s, NULL));
	STEP(mio_registry_register(r, &s.source, 2, MIO_READABLE));
	STEP(mio_unix_stream_write(&c, "unix", 4));
	POLL_EXPECT(poll, events, 2, EXPECT_READABLE);
#define READ_US(b, l) mio_unix_stream_read(&s, b, l)
	READ_EXPECT(READ_US, "unix");
	STEP(mio_unix_stream_pair(&p1, &p2));
	STEP(mio_registry_register(r, &p2.source, 3, MIO_READABLE));
	mio_iovec iov[2] = { { .base = "pa", .len = 2 },
			     { .base = "ir", .len = 2 } };
	STEP(mio_unix_stream_writev(&p1, iov, 2));
	POLL_EXPECT(poll, events, 3, EXPECT_READABLE);
#define READ_P2(b, l) mio_unix_stream_read(&p2, b, l)
	READ_EXPECT(READ_P2, "pair");
	STEP(mio_unix_stream_close(&p1));
	STEP(mio_unix_stream_close(&p2));
	STEP(mio_unix_stream_close(&s));
	STEP(mio_unix_stream_close(&c));
	ASSERT(p1.source.fd == -1 && p2.source.fd == -1);
	ASSERT(s.source.fd == -1 && c.source.fd == -1);
	STEP(mio_unix_listener_close(&l));
	ASSERT_EQ(l.source.fd, -1);
	/* mio leaves the socket file, as Rust's standard library does. */
	unlink(unix_path);
	STEP_VOID(mio_events_free(events));
	STEP_VOID(mio_poll_free(poll));
}

/* Pipes: create, register both ends, write, read, close either first. */
static void pipe_script(void)
{
	mio_poll *poll = NULL;
	mio_events *events = NULL;
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	mio_ssize n_;

	script_begin();
	STEP(mio_poll_new(&poll));
	STEP(mio_events_new(16, &events));
	mio_registry *r = mio_poll_registry(poll);
	STEP(mio_pipe_new(&tx, &rx));
	STEP(mio_registry_register(r, &rx.source, 1, MIO_READABLE));
	STEP(mio_registry_register(r, &tx.source, 2, MIO_WRITABLE));
	POLL_EXPECT(poll, events, 2, EXPECT_WRITABLE);
	STEP(mio_pipe_write(&tx, "pipe", 4));
	POLL_EXPECT(poll, events, 1, EXPECT_READABLE);
#define READ_RX(b, l) mio_pipe_read(&rx, b, l)
	READ_EXPECT(READ_RX, "pipe");
	STEP(mio_pipe_sender_close(&tx));
	POLL_EXPECT(poll, events, 1, EXPECT_READ_CLOSED);
	READ_EXPECT(READ_RX, "");
	STEP(mio_pipe_receiver_close(&rx));
	ASSERT(tx.source.fd == -1 && rx.source.fd == -1);
	STEP_VOID(mio_events_free(events));
	STEP_VOID(mio_poll_free(poll));
}

static void tcp_survives_every_fault(void)
{
	walk("tcp", tcp_script);
}

static void udp_survives_every_fault(void)
{
	walk("udp", udp_script);
}

static void unix_survives_every_fault(void)
{
	snprintf(unix_path, sizeof(unix_path), "%s/fault.sock",
		 test_temp_dir());
	walk("unix", unix_script);
}

static void pipe_survives_every_fault(void)
{
	walk("pipe", pipe_script);
}

static void core_survives_every_fault(void)
{
	walk("core", core_script);
}

int main(void)
{
	RUN(core_survives_every_fault);
	RUN(tcp_survives_every_fault);
	RUN(udp_survives_every_fault);
	RUN(unix_survives_every_fault);
	RUN(pipe_survives_every_fault);
	printf("fault injection: %d distinct call sites, %ld failing runs; %ld "
	       "errors reported, %ld absorbed\n",
	       n_all_sites, total_runs, scenario_reported, scenario_absorbed);
	return test_summary();
}
