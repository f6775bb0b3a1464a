#ifndef MIO_TESTS_ZERO_ALLOC_CASES_H
#define MIO_TESTS_ZERO_ALLOC_CASES_H

/*
 * The hot loop that must allocate nothing after setup, written once over
 * the kinds of source_pair.h: test_zero_alloc.c runs it on owned TCP
 * streams, test_fd_zero_alloc.c on borrowed descriptors.
 */

#include "source_pair.h"

/*
 * Polling, reading (through mio_source_try_io) and writing, waking, and
 * registry calls on sources of kind k, with an owned TCP stream
 * registered and deregistered on the way (only reregistered on Windows,
 * where registering allocates the socket's poll state, as the contract
 * allows): no malloc-family call at all. Skips (exit 77) where
 * allocations cannot be counted.
 */
void zero_alloc_hot_loop(const struct source_pair_kind *k);

#endif
