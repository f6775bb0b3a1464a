#ifndef MIO_TEST_ALLOC_COUNT_H
#define MIO_TEST_ALLOC_COUNT_H

/*
 * Counting, and failing, the allocations made by the library.
 */

#include <stdbool.h>

/*
 * Allocation counting: every malloc-family call made by the library or
 * the test since the last reset (link-time wrapping on GNU toolchains,
 * the program's own malloc on Apple's; -1 where neither is available).
 */
void alloc_count_reset(void);
long alloc_count(void);
/*
 * Fault injection: when set, called on every malloc-family call with the
 * caller's return address; returning true makes that call fail (ENOMEM).
 */
extern bool (*test_alloc_should_fail)(void *caller);

#endif
