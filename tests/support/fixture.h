#ifndef MIO_TEST_FIXTURE_H
#define MIO_TEST_FIXTURE_H

/*
 * The poll fixture and event expectations, after mio's tests/util.
 */

#include <stdbool.h>
#include <stddef.h>

#include "mio.h"

/* Readiness expected of one event (mio's tests/util ExpectEvent). */
struct expect_event {
	mio_token token;
	unsigned readiness; /* EXPECT_* bits that must all be set */
};

enum {
	EXPECT_READABLE = 1 << 0,
	EXPECT_WRITABLE = 1 << 1,
	EXPECT_ERROR = 1 << 2,
	EXPECT_READ_CLOSED = 1 << 3,
	EXPECT_WRITE_CLOSED = 1 << 4,
	EXPECT_PRIORITY = 1 << 5,
};

/*
 * Polls a few times until every expected event has been seen, tolerating
 * other (sporadic) events; fails the test if one never comes.
 */
void expect_events(mio_poll *poll, mio_events *events,
		   const struct expect_event *expected, size_t n);
/* Fails the test if a poll with a short timeout reports any event. */
void expect_no_events(mio_poll *poll, mio_events *events);

/*
 * The poll fixture a test case starts from: a poll, its registry and a
 * buffer of 16 events. poll_fixture_setup() fails the test if it cannot
 * make them; poll_fixture_teardown() frees them (sources still registered
 * become unregistered, as the API allows).
 */
struct poll_fixture {
	mio_poll *poll;
	mio_events *events;
	mio_registry *registry; /* the poll's own, borrowed */
};

void poll_fixture_setup(struct poll_fixture *f);
void poll_fixture_teardown(struct poll_fixture *f);
/* expect_events() for one event: `token` with at least `readiness`. */
void poll_fixture_expect(struct poll_fixture *f, mio_token token,
			 unsigned readiness);
/*
 * A stream source (token 1, readable interest) whose peer shut its write
 * half: one poll (up to a second) reports exactly one event, readable and
 * read-closed, neither write-closed nor an error, and the exported
 * accessors agree. Fails the test otherwise.
 */
void expect_peer_write_shutdown(mio_poll *poll, mio_events *events);
/*
 * The same source reregistered after its peer went altogether: both
 * halves closed (kqueue, with the read filter only, can tell of the read
 * half only).
 */
void expect_peer_gone(mio_poll *poll, mio_events *events);
/*
 * A source registered under `token` for `interest` whose peer is gone:
 * the poll reports `token` with `readiness`, and the source can still be
 * reregistered (under token + 1) and deregistered.
 */
void poll_fixture_expect_hangup(struct poll_fixture *f, mio_source *src,
				mio_token token, mio_interest interest,
				unsigned readiness);
/* The readiness bits (EXPECT_*) an event carries. */
unsigned event_readiness(const mio_event *e);

/* A timespec of `ms` milliseconds. */
struct timespec ms_timeout(long ms);

#endif
