/*
 * After setup, the hot path allocates nothing: polling, reading and
 * writing, waking, and registry calls (register and deregister excepted
 * on Windows, where registering allocates the socket's poll state, as
 * the contract allows). Every malloc-family call is counted
 * (alloc_count() in test.h). The sources are loopback TCP streams, which
 * every platform has; test_fd_zero_alloc.c runs the same loop, written
 * once in zero_alloc_cases.c, on borrowed descriptors (POSIX).
 */

#include "zero_alloc_cases.h"

/* First prove that the counter sees allocations at all. */
static void counter_counts(void)
{
	void *volatile p;

	if (alloc_count() < 0) {
		printf("# allocation counting unavailable\n");
		exit(TEST_SKIP);
	}
	alloc_count_reset();
	ASSERT_EQ(alloc_count(), 0);
	p = malloc(16);
	ASSERT(p != NULL);
	ASSERT_EQ(alloc_count(), 1);
	p = realloc(p, 4096);
	ASSERT(p != NULL);
	ASSERT_EQ(alloc_count(), 2);
	free(p);
	p = calloc(4, 4);
	ASSERT(p != NULL);
	ASSERT_EQ(alloc_count(), 3);
	free(p);

	/* And allocations made inside the library. */
	mio_events *events;
	alloc_count_reset();
	ASSERT_OK(mio_events_new(4, &events));
	ASSERT(alloc_count() >= 1);
	mio_events_free(events);
}

/* The hot loop (zero_alloc_cases.c), on owned sources. */
static void hot_loop_allocates_nothing(void)
{
	zero_alloc_hot_loop(&source_pair_tcp);
}

int main(void)
{
	RUN(counter_counts);
	RUN(hot_loop_allocates_nothing);
	return test_summary();
}
