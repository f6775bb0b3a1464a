#ifndef MIO_TEST_FAULT_H
#define MIO_TEST_FAULT_H

/*
 * The fault injector. This executable links the library with
 * -Wl,--wrap=<symbol> for each system call and allocation the library
 * makes (see tests/CMakeLists.txt), so every such call made while the
 * injector is armed is counted, and the Nth one can be made to fail with
 * a chosen errno. The library source is unchanged.
 */

#include <stdbool.h>

struct fault_site {
	const char *fn; /* the wrapped function */
	void *caller;	/* the call site: its return address */
};

/* Counting and failing apply only between fault_arm() and fault_disarm(). */
void fault_arm(void);
void fault_disarm(void);

/* Fail the nth armed call (1-based; 0 = none) with err. */
void fault_plan(long nth, int err);
/* Whether the planned failure has happened. */
bool fault_fired(void);
/* Armed calls counted since the last fault_plan(). */
long fault_calls(void);
/* The site of the ith counted call (1-based), recorded when counting. */
const struct fault_site *fault_site_of(long i);

#endif
