/* mio_waker: keeps the selector alive for the backend's waker. */

#include <stdlib.h>

#include "internal.h"

struct mio_waker {
	struct mio__waker *impl;
	struct mio__anchor *anchor;
};

int mio_waker_new(mio_registry *r, mio_token token, mio_waker **out)
{
	mio_waker *w;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	*out = NULL;
	if (r == NULL)
		return MIO_EINVAL;
	w = malloc(sizeof(*w));
	if (w == NULL)
		return MIO_ENOMEM;
	err = mio__waker_new(r->sel, token, &w->impl);
	if (err < 0) {
		free(w);
		return err;
	}
	w->anchor = r->anchor;
	mio__anchor_hold(w->anchor);
	*out = w;
	return 0;
}

int mio_waker_wake(mio_waker *w)
{
	return w == NULL ? MIO_EINVAL : mio__waker_wake(w->impl);
}

void mio_waker_free(mio_waker *w)
{
	if (w == NULL)
		return;
	/* In a forked child the poll's OS queue is the parent's: leave it. */
	mio__waker_free(w->impl, mio__fork_is_own(w->anchor->fork_generation));
	mio__anchor_leave(w->anchor);
	free(w);
}
