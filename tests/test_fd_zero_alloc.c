/*
 * The hot loop of test_zero_alloc.c (zero_alloc_cases.c, written once)
 * on borrowed descriptors (mio_source_fd) read around the library through
 * mio_source_try_io, with an owned source registered and deregistered on
 * the way: after setup, nothing allocates. POSIX-only.
 */

#include "zero_alloc_cases.h"

static void hot_loop_allocates_nothing(void)
{
	zero_alloc_hot_loop(&source_pair_fd);
}

int main(void)
{
	RUN(hot_loop_allocates_nothing);
	return test_summary();
}
