/*
 * Registry calls on borrowed descriptors (mio_source_fd) from other
 * threads while a thread is blocked in mio_poll_poll: they take effect in
 * the blocked call. Borrowed sources skip the registry's bookkeeping of
 * owned ones and go straight to the OS, so the cases test_threads.c runs
 * on owned sources (threads_cases.c, written once) run here on them.
 * POSIX-only.
 */
/* ctest-labels: threads */

#include "threads_cases.h"

static void register_during_poll(void)
{
	threads_register_during_poll(&source_pair_fd);
}

static void reregister_during_poll(void)
{
	threads_reregister_during_poll(&source_pair_fd);
}

static void deregister_during_poll(void)
{
	threads_deregister_or_close_during_poll(&source_pair_fd,
						DEREGISTER_THEN_WAKE);
}

int main(void)
{
	RUN(register_during_poll);
	RUN(reregister_during_poll);
	RUN(deregister_during_poll);
	return test_summary();
}
