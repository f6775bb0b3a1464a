/*
 * Timed polls on a kernel without epoll_pwait2 (before Linux 5.11), or in
 * a container whose seccomp profile refuses it with EPERM: the poll must
 * fall back to epoll_wait, rounding the timeout up to whole milliseconds
 * and never down to zero. A seccomp filter in a child process makes the
 * system call fail as such systems do.
 */

#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

#if defined(__linux__)
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

static int64_t now_ns(void)
{
	struct timespec t;

	ASSERT_EQ(clock_gettime(CLOCK_MONOTONIC, &t), 0);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The checks, run in the restricted child. */
static void timed_polls_work(void)
{
	static const long waits_ns[] = { 1, 999000, 1500000, 2000001 };
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	for (size_t i = 0; i < sizeof(waits_ns) / sizeof(waits_ns[0]); i++) {
		struct timespec t = { 0, waits_ns[i] };
		int64_t start = now_ns();
		ASSERT_EQ(mio_poll_poll(poll, events, &t), 0);
		ASSERT(now_ns() - start >= waits_ns[i]);
	}
	/* Ready events come back from a timed poll, huge timeouts included. */
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 3, &waker));
	struct timespec second = { 1, 0 }, huge = { (time_t)INT32_MAX, 0 };
	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_EQ(mio_poll_poll(poll, events, &second), 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(events, 0)), 3);
	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_EQ(mio_poll_poll(poll, events, &huge), 1);
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

#if defined(__linux__) && defined(SYS_epoll_pwait2)
/* Makes epoll_pwait2 fail with `err` in this process from now on. */
static bool refuse_pwait2(int err)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_epoll_pwait2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K,
			 SECCOMP_RET_ERRNO |
				 ((unsigned)err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return false;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

/* Runs timed_polls_work in a child where epoll_pwait2 gives `err`. */
static void without_pwait2(int err)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		if (!refuse_pwait2(err))
			_exit(TEST_SKIP);
		/* Really refused? */
		if (syscall(SYS_epoll_pwait2, -1, NULL, 0, NULL, NULL, 0) !=
			    -1 ||
		    errno != err)
			_exit(2);
		timed_polls_work();
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFEXITED(status));
	if (WEXITSTATUS(status) == TEST_SKIP) {
		printf("# seccomp unavailable: skipped\n");
		return;
	}
	ASSERT_EQ(WEXITSTATUS(status), 0);
}

/* An old kernel: ENOSYS. */
static void pwait2_missing(void)
{
	without_pwait2(ENOSYS);
}

/* A container's seccomp profile: EPERM for system calls it does not know. */
static void pwait2_refused(void)
{
	without_pwait2(EPERM);
}
#endif

static void with_pwait2_if_any(void)
{
	timed_polls_work();
}

int main(void)
{
	RUN(with_pwait2_if_any);
#if defined(__linux__) && defined(SYS_epoll_pwait2)
	RUN(pwait2_missing);
	RUN(pwait2_refused);
#endif
	return test_summary();
}
