#ifndef MIO_TESTS_POLL_CASES_H
#define MIO_TESTS_POLL_CASES_H

/*
 * The mio_poll_poll cases that hold for every kind of source_pair.h,
 * written once: test_poll.c runs them on owned TCP streams,
 * test_fd_poll.c on borrowed descriptors.
 */

#include "source_pair.h"

/* A registered source is reported readable once the peer writes. */
void poll_readable_source(const struct source_pair_kind *k);

/*
 * mio's readiness_is_reregistered_after_would_block: once drained to
 * EAGAIN, new data gives a new event, and nothing comes in between.
 */
void poll_readiness_returns_after_would_block(const struct source_pair_kind *k);

#endif
