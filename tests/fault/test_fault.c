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

static int sites_seen(long total, void **seen, int max)
{
	int n = 0;

	for (long i = 1; i <= total; i++) {
		const struct fault_site *s = fault_site_of(i);
		void *key = s->caller;
		int j = 0;
		while (j < n && seen[j] != key)
			j++;
		if (j == n && n < max)
			seen[n++] = key;
	}
	return n;
}

static long total_runs, total_sites;

/* Runs `fn` failing each of its calls in turn, with each errno. */
static void walk(const char *name, void (*fn)(void))
{
	int fds_before = count_open_fds();
	long total, runs = 0;
	static struct fault_site plan[4096];
	void *seen[1024];
	int sites;

	fault_plan(0, 0);
	cur_nth = 0;
	fn();
	total = fault_calls();
	ASSERT(total > 0 && total <= 4096);
	for (long i = 1; i <= total; i++)
		plan[i - 1] = *fault_site_of(i);
	sites = sites_seen(total, seen, 1024);
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
			ASSERT(fault_fired());
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
	total_sites += sites;
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

/* A poll (retried as a step) that must report `token` with `readiness`. */
#define POLL_EXPECT(poll, events, token, readiness)                            \
	do {                                                                   \
		struct timespec t_ = ms_timeout(1000);                         \
		STEP(mio_poll_poll(poll, events, &t_));                        \
		expect_token(events, token, readiness, __LINE__);              \
	} while (0)

static void expect_token(mio_events *events, mio_token token,
			 unsigned readiness, int line)
{
	for (size_t i = 0; i < mio_events_len(events); i++) {
		const mio_event *e = mio_events_at(events, i);
		if (mio_event_token(e) == token &&
		    (event_readiness(e) & readiness) == readiness)
			return;
	}
	FAIL_AT("line %d: event for token %ju lost (fault: call %ld, %s)", line,
		(uintmax_t)token, cur_nth, mio_err_name(-cur_errno));
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

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	mio_source src = mio_source_fd(sv[0]);
	STEP(mio_poll_new(&poll));
	STEP(mio_events_new(8, &events));
	mio_registry *r = mio_poll_registry(poll);
	STEP(mio_registry_try_clone(r, &clone));
	STEP(mio_waker_new(clone, 100, &waker));
	STEP(mio_registry_register(clone, &src, 1, MIO_READABLE));
	STEP(mio_poll_poll(poll, events, &zero));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	POLL_EXPECT(poll, events, 1, EXPECT_READABLE);
	STEP(mio_registry_reregister(r, &src, 2, MIO_READABLE | MIO_WRITABLE));
	POLL_EXPECT(poll, events, 2, EXPECT_READABLE | EXPECT_WRITABLE);
	STEP(mio_waker_wake(waker));
	POLL_EXPECT(poll, events, 100, EXPECT_READABLE);
	STEP(mio_registry_deregister(r, &src));
	STEP(mio_poll_poll(poll, events, &zero));
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

static void core_survives_every_fault(void)
{
	walk("core", core_script);
}

int main(void)
{
	RUN(core_survives_every_fault);
	printf("fault injection: %ld call sites, %ld failing runs; %ld errors "
	       "reported, %ld absorbed\n",
	       total_sites, total_runs, scenario_reported, scenario_absorbed);
	return test_summary();
}
