#ifndef MIO_TEST_ASSERT_H
#define MIO_TEST_ASSERT_H

/*
 * Assertions that print both values and the place, and the running of
 * test cases. A failed assertion ends the process with status 1; exit
 * status 77 means skipped.
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
 * What a stress test divides its work by: 1 unless MIO_TEST_SCALE=<n> in
 * the environment asks for a smaller run (slow emulators, Valgrind).
 */
long stress_divisor(void);

#endif
