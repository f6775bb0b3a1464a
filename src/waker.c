/*
 * mio_waker: keeps the selector alive for the backend's waker, and keeps
 * a poll to one waker at a time.
 */

#include <stdlib.h>

#include "internal.h"

struct mio_waker {
	struct mio__waker *impl;
	struct mio__anchor *anchor;
};

/*
 * Claims the poll's one waker slot; MIO_EEXIST if a live waker holds it.
 * The exchange is what makes two threads racing for it see one winner.
 */
static int waker_claim(struct mio__anchor *anchor)
{
	return atomic_exchange(&anchor->has_waker, true) ? MIO_EEXIST : 0;
}

static void waker_unclaim(struct mio__anchor *anchor)
{
	atomic_store(&anchor->has_waker, false);
}

int mio_waker_new(mio_registry *r, mio_token token, mio_waker **out)
{
	mio_waker *w;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	*out = NULL;
	if (r == NULL)
		return MIO_EINVAL;
	err = waker_claim(r->anchor);
	if (err < 0)
		return err;
	w = malloc(sizeof(*w));
	if (w == NULL) {
		waker_unclaim(r->anchor);
		return MIO_ENOMEM;
	}
	err = mio__waker_new(r->sel, token, &w->impl);
	if (err < 0) {
		free(w);
		waker_unclaim(r->anchor);
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
	/* Only once the old one is gone from the poll may a new one come. */
	waker_unclaim(w->anchor);
	mio__anchor_leave(w->anchor);
	free(w);
}
