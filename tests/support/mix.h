#ifndef MIO_TEST_MIX_H
#define MIO_TEST_MIX_H

/*
 * A 32-bit integer hash (Chris Wellons' lowbias32), for test data that
 * looks random but is the same on every run: each side of an exchange
 * computes what the other must have sent.
 */

#include <stdint.h>

static inline uint32_t test_mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

#endif
