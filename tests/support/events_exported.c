/*
 * Addresses of the library's exported event accessors and mio_poll_poll. This
 * file must not include mio.h: its inline definitions would hide the exported
 * ones.
 */

#include "events_exported.h"

size_t mio_events_capacity(const struct mio_events *ev);
size_t mio_events_len(const struct mio_events *ev);
bool mio_events_is_empty(const struct mio_events *ev);
const struct mio_event *mio_events_get(const struct mio_events *ev,
				       size_t index);
const struct mio_event *mio_events_at(const struct mio_events *ev,
				      size_t index);
uintptr_t mio_event_token(const struct mio_event *e);
bool mio_event_is_readable(const struct mio_event *e);
bool mio_event_is_writable(const struct mio_event *e);
bool mio_event_is_error(const struct mio_event *e);
bool mio_event_is_read_closed(const struct mio_event *e);
bool mio_event_is_write_closed(const struct mio_event *e);
bool mio_event_is_priority(const struct mio_event *e);
bool mio_event_is_aio(const struct mio_event *e);
bool mio_event_is_lio(const struct mio_event *e);
int mio_poll_poll(struct mio_poll *poll, struct mio_events *events,
		  const struct timespec *timeout);

void exported_accessors_get(struct exported_accessors *out)
{
	out->events_capacity = mio_events_capacity;
	out->events_len = mio_events_len;
	out->events_is_empty = mio_events_is_empty;
	out->events_get = mio_events_get;
	out->events_at = mio_events_at;
	out->token = mio_event_token;
	out->is_readable = mio_event_is_readable;
	out->is_writable = mio_event_is_writable;
	out->is_error = mio_event_is_error;
	out->is_read_closed = mio_event_is_read_closed;
	out->is_write_closed = mio_event_is_write_closed;
	out->is_priority = mio_event_is_priority;
	out->is_aio = mio_event_is_aio;
	out->is_lio = mio_event_is_lio;
	out->poll_poll = mio_poll_poll;
}
