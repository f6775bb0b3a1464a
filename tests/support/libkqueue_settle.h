#ifndef MIO_TESTS_LIBKQUEUE_SETTLE_H
#define MIO_TESTS_LIBKQUEUE_SETTLE_H

/*
 * libkqueue (the kqueue backend's test build on Linux) opens descriptors
 * of its own: a few for good with its first kqueue, and a few per kqueue
 * that its monitoring thread closes some time after the kqueue is closed.
 * Descriptor counts compare equal once those of the first kqueue exist
 * and every closed kqueue has been reaped, which
 * libkqueue_drain_pending_close() waits for (where the libkqueue release
 * has it). In every other build settle_libkqueue() does nothing. Shared
 * by the tests and the fuzz targets.
 */

#include "mio.h" /* which event layout; kqueue() */

#if defined(MIO_EVENT_LAYOUT_KQUEUE) && defined(__linux__)
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

void libkqueue_drain_pending_close(void) __attribute__((weak));

static inline void settle_libkqueue(void)
{
	static bool started;

	if (!started) {
		int kq = kqueue();
		if (kq < 0)
			abort();
		close(kq);
		started = true;
	}
	if (libkqueue_drain_pending_close != NULL)
		libkqueue_drain_pending_close();
}
#else
static inline void settle_libkqueue(void)
{
}
#endif

#endif
