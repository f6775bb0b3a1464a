#ifndef MIO_TEST_EVENTS_EXPORTED_H
#define MIO_TEST_EVENTS_EXPORTED_H

/*
 * The exported (out-of-line) definitions of the accessors that mio.h
 * defines inline, as a binding that cannot use the header would call them.
 * Their addresses are taken in a translation unit that never sees the
 * inline definitions.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mio_event;
struct mio_events;
struct mio_poll;
struct timespec;

struct exported_accessors {
	size_t (*events_capacity)(const struct mio_events *ev);
	size_t (*events_len)(const struct mio_events *ev);
	bool (*events_is_empty)(const struct mio_events *ev);
	const struct mio_event *(*events_get)(const struct mio_events *ev,
					      size_t index);
	const struct mio_event *(*events_at)(const struct mio_events *ev,
					     size_t index);
	uintptr_t (*token)(const struct mio_event *e);
	bool (*is_readable)(const struct mio_event *e);
	bool (*is_writable)(const struct mio_event *e);
	bool (*is_error)(const struct mio_event *e);
	bool (*is_read_closed)(const struct mio_event *e);
	bool (*is_write_closed)(const struct mio_event *e);
	bool (*is_priority)(const struct mio_event *e);
	bool (*is_aio)(const struct mio_event *e);
	bool (*is_lio)(const struct mio_event *e);
	int (*poll_poll)(struct mio_poll *poll, struct mio_events *events,
			 const struct timespec *timeout);
};

void exported_accessors_get(struct exported_accessors *out);
/*
 * The readiness of e (test.h's EXPECT_* bits) through the exported
 * accessors; fails the test if they call it aio or lio.
 */
unsigned exported_readiness(const struct exported_accessors *x,
			    const struct mio_event *e);

#endif
