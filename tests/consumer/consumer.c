/*
 * A program outside the library, built against an installed copy (pkg-config,
 * find_package) or the source tree (add_subdirectory): a poll, a waker and
 * one event.
 */

#include <mio.h>
#include <stdio.h>

int main(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	int n;

	if (mio_poll_new(&poll) < 0 || mio_events_new(4, &events) < 0)
		return 1;
	if (mio_waker_new(mio_poll_registry(poll), 42, &waker) < 0)
		return 1;
	if (mio_waker_wake(waker) < 0)
		return 1;
	n = mio_poll_poll(poll, events, NULL);
	if (n != 1 || mio_event_token(mio_events_at(events, 0)) != 42 ||
	    !mio_event_is_readable(mio_events_at(events, 0)))
		return 1;
	printf("consumer: mio %s, woken with token 42\n", mio_version());
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
	return 0;
}
