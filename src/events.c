/*
 * mio_events, and the exported definitions of the accessors that the
 * header defines inline: this file compiles them as ordinary functions.
 */

#include "mio/export.h"
#undef MIO_INLINE
#define MIO_INLINE MIO_EXTERN

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

struct mio_events {
	struct mio__events_view view;
	mio_event buf[];
};

/*
 * The header's accessors rely on the events being where this says, and
 * programs built against 0.1.0 read the length, the capacity and the
 * events at the offsets of that release's view, whose first member was
 * a pointer (os_cap, an int, sits in its place): the length after one
 * pointer's room, the capacity after that, and the first event at the
 * next multiple of the event's alignment. That is 24 on 64-bit targets;
 * 12 on i386, whose glibc packs struct epoll_event; 16 on 32-bit targets
 * that align it to 8 bytes (armhf, MIPS).
 */
#define MIO__ROUND_UP(n, align) (((n) + (align)-1) / (align) * (align))

_Static_assert(offsetof(struct mio_events, buf) ==
		       offsetof(struct mio__events_layout, first),
	       "mio.h's event layout does not match mio_events");
_Static_assert(offsetof(struct mio__events_view, len) == sizeof(void *) &&
		       offsetof(struct mio__events_view, cap) ==
			       sizeof(void *) + sizeof(size_t) &&
		       offsetof(struct mio__events_layout, first) ==
			       MIO__ROUND_UP(sizeof(void *) +
						     2 * sizeof(size_t),
					     _Alignof(mio_event)),
	       "the event buffer's layout changed since 0.1.0");

int mio_events_new(size_t capacity, mio_events **out)
{
	mio_events *events;

	if (out == NULL)
		return MIO_EINVAL;
	*out = NULL;
	if (capacity == 0 ||
	    capacity > (SIZE_MAX - sizeof(*events)) / sizeof(mio_event))
		return MIO_EINVAL;
	events = malloc(sizeof(*events) + capacity * sizeof(mio_event));
	if (events == NULL)
		return MIO_ENOMEM;
	events->view.len = 0;
	events->view.cap = capacity;
	events->view.os_cap = capacity < INT_MAX / sizeof(mio_event)
				      ? (int)capacity
				      : (int)(INT_MAX / sizeof(mio_event));
	*out = events;
	return 0;
}

void mio_events_free(mio_events *events)
{
	free(events);
}

void mio_events_clear(mio_events *events)
{
	if (events != NULL)
		events->view.len = 0;
}

static const char *yes_no(bool b)
{
	return b ? "true" : "false";
}

int mio_event_format(const mio_event *e, char *buf, size_t len)
{
	if (e == NULL)
		return MIO_EINVAL;
	if (buf == NULL && len != 0)
		return MIO_EINVAL;
	return snprintf(
		buf, len,
		"Event { token: %ju, readable: %s, writable: %s, "
		"error: %s, read_closed: %s, write_closed: %s, "
		"priority: %s, aio: %s, lio: %s }",
		(uintmax_t)mio_event_token(e), yes_no(mio_event_is_readable(e)),
		yes_no(mio_event_is_writable(e)), yes_no(mio_event_is_error(e)),
		yes_no(mio_event_is_read_closed(e)),
		yes_no(mio_event_is_write_closed(e)),
		yes_no(mio_event_is_priority(e)), yes_no(mio_event_is_aio(e)),
		yes_no(mio_event_is_lio(e)));
}
