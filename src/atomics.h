#ifndef MIO_ATOMICS_H
#define MIO_ATOMICS_H

/*
 * C11 atomics where the compiler has them. MSVC's cl has them only from
 * Visual Studio 2022 17.5 with /experimental:c11atomics, and says so
 * with __STDC_NO_ATOMICS__: there the subset the library uses is defined
 * here under the same names, over the Interlocked intrinsics. Those are
 * full barriers, so every memory order asked for is met.
 */

#if !defined(__STDC_NO_ATOMICS__)
#include <stdatomic.h>
#elif defined(_MSC_VER)
#include <stdbool.h>

/*
 * Declared as MSVC's documentation gives them rather than through
 * <intrin.h>, which must not come before some SDK-style windows.h.
 */
long _InterlockedOr(long volatile *value, long mask);
long _InterlockedExchange(long volatile *target, long value);
long _InterlockedExchangeAdd(long volatile *addend, long value);
long _InterlockedCompareExchange(long volatile *target, long value,
				 long comparand);
#pragma intrinsic(_InterlockedOr, _InterlockedExchange, _InterlockedExchangeAdd)
#pragma intrinsic(_InterlockedCompareExchange)

typedef enum {
	memory_order_relaxed,
	memory_order_consume,
	memory_order_acquire,
	memory_order_release,
	memory_order_acq_rel,
	memory_order_seq_cst
} memory_order;

/* One representation for every atomic the library keeps. */
typedef struct {
	volatile long v;
} mio__atomic;

typedef mio__atomic atomic_bool;
typedef mio__atomic atomic_int;
typedef mio__atomic atomic_uint;

static inline void atomic_init(mio__atomic *a, long value)
{
	a->v = value;
}

static inline long atomic_load(mio__atomic *a)
{
	return _InterlockedOr(&a->v, 0);
}

static inline void atomic_store(mio__atomic *a, long value)
{
	(void)_InterlockedExchange(&a->v, value);
}

static inline long atomic_exchange(mio__atomic *a, long value)
{
	return _InterlockedExchange(&a->v, value);
}

static inline long atomic_fetch_add(mio__atomic *a, long n)
{
	return _InterlockedExchangeAdd(&a->v, n);
}

static inline long atomic_fetch_sub(mio__atomic *a, long n)
{
	return _InterlockedExchangeAdd(&a->v, -n);
}

static inline long atomic_load_explicit(mio__atomic *a, memory_order order)
{
	(void)order;
	return atomic_load(a);
}

static inline void atomic_store_explicit(mio__atomic *a, long value,
					 memory_order order)
{
	(void)order;
	atomic_store(a, value);
}

static inline long atomic_fetch_add_explicit(mio__atomic *a, long n,
					     memory_order order)
{
	(void)order;
	return atomic_fetch_add(a, n);
}

static inline long atomic_fetch_sub_explicit(mio__atomic *a, long n,
					     memory_order order)
{
	(void)order;
	return atomic_fetch_sub(a, n);
}

/*
 * The one compare-and-swap the Windows build makes is on an atomic_uint
 * (the anchor's count of selector users), hence the unsigned expected.
 */
static inline bool atomic_compare_exchange_weak_explicit(mio__atomic *a,
							 unsigned *expected,
							 long desired,
							 memory_order success,
							 memory_order failure)
{
	long old = _InterlockedCompareExchange(&a->v, desired, (long)*expected);

	(void)success;
	(void)failure;
	if (old == (long)*expected)
		return true;
	*expected = (unsigned)old;
	return false;
}
#else
#error "mio needs C11 atomics or MSVC's Interlocked intrinsics"
#endif

#endif
