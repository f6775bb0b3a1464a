/* mio_poll: the poll and its anchor, shared with sources and clones. */

#include <stdlib.h>

#include "internal.h"

void mio__anchor_leave(struct mio__anchor *anchor)
{
	if (atomic_fetch_sub_explicit(&anchor->sel_refs, 1,
				      memory_order_acq_rel) != 1)
		return;
	/* The OS queue goes now; sources may point to the anchor longer. */
	mio__selector_free(anchor->sel);
	mio__anchor_unref(anchor);
}

int mio_poll_new(mio_poll **out)
{
	struct mio__anchor *anchor;
	struct mio__selector_fds fds;
	mio_poll *poll;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	*out = NULL;
	poll = malloc(sizeof(*poll));
	anchor = malloc(sizeof(*anchor));
	err = MIO_ENOMEM;
	if (poll == NULL || anchor == NULL)
		goto out_free;
	err = mio__selector_new(anchor, &anchor->sel, &fds);
	if (err < 0)
		goto out_free;
	poll->view.wait_fd = fds.wait_fd;
	anchor->raw_fd = fds.raw_fd;
	atomic_init(&anchor->refs, 1);
	atomic_init(&anchor->sel_refs, 1);
	atomic_init(&anchor->poll_freed, false);
	atomic_init(&anchor->has_waker, false);
	/* After the selector: making it installed the fork guard. */
	anchor->fork_generation = mio__fork_generation();
	poll->registry.sel = anchor->sel;
	poll->registry.anchor = anchor;
	poll->registry.is_clone = false;
	*out = poll;
	return 0;

out_free:
	free(anchor);
	free(poll);
	return err;
}

void mio_poll_free(mio_poll *poll)
{
	struct mio__anchor *anchor;

	if (poll == NULL)
		return;
	anchor = poll->registry.anchor;
	/* From here on, sources registered with this poll count as free. */
	atomic_store_explicit(&anchor->poll_freed, true, memory_order_relaxed);
	mio__anchor_leave(anchor);
	free(poll);
}

mio_registry *mio_poll_registry(mio_poll *poll)
{
	return poll == NULL ? NULL : &poll->registry;
}

mio_raw_fd mio_poll_raw_fd(const mio_poll *poll)
{
	return poll == NULL ? MIO_INVALID_FD
			    : mio_registry_raw_fd(&poll->registry);
}

mio_raw_fd mio_registry_raw_fd(const mio_registry *r)
{
	return r == NULL ? MIO_INVALID_FD : r->anchor->raw_fd;
}

static bool timeout_valid(const struct timespec *t)
{
	return t == NULL || mio__timespec_valid(t);
}

int mio__poll_wait(mio_poll *poll, mio_events *events,
		   const struct timespec *timeout)
{
	struct mio__events_view *ev;

	if (events == NULL)
		return MIO_EINVAL;
	/* Cleared first, even on error, so no stale event is acted on. */
	ev = mio__events_view(events);
	ev->len = 0;
	if (poll == NULL || !timeout_valid(timeout))
		return MIO_EINVAL;
	return mio__selector_select(poll->registry.sel, ev, timeout);
}
