/*
 * The Windows waker: a completion packet posted to the poll's port under
 * MIO__KEY_WAKER, which the selector turns into the waker's event. Wakes
 * coalesce: while a packet is on the port, waking again posts nothing.
 */

#include <stdlib.h>

#include "win_internal.h"

struct mio__waker {
	struct mio__selector *sel;
	HANDLE port;
	atomic_int pending; /* a packet is on the port */
};

int mio__waker_new(struct mio__selector *sel, mio_token token,
		   struct mio__waker **out)
{
	struct mio__waker *w = malloc(sizeof(*w));

	if (w == NULL)
		return MIO_ENOMEM;
	w->sel = sel;
	w->port = mio__selector_port(sel);
	atomic_init(&w->pending, 0);
	mio__selector_set_waker(sel, w, token);
	*out = w;
	return 0;
}

int mio__waker_wake(struct mio__waker *w)
{
	if (atomic_exchange(&w->pending, 1) != 0)
		return 0;
	if (!PostQueuedCompletionStatus(w->port, 0, MIO__KEY_WAKER, NULL)) {
		atomic_store(&w->pending, 0);
		return mio__win_error(GetLastError());
	}
	return 0;
}

void mio__waker_consumed(struct mio__waker *w)
{
	/*
	 * Wakes after this point post a new packet. An exchange, not a
	 * store: it reads the last coalesced wake, so what its thread did
	 * before waking happens before the event.
	 */
	atomic_exchange(&w->pending, 0);
}

void mio__waker_free(struct mio__waker *w, bool own_queue)
{
	/* No fork on Windows: the queue is always this process's. */
	(void)own_queue;
	mio__selector_clear_waker(w->sel, w);
	free(w);
}
