/* mio_poll: the poll, its shared selector, and the table of live polls. */

#include <stdlib.h>

#include "internal.h"

/*
 * Live polls, by id. Ids are never reused, so a source that recorded the
 * id of a freed poll can never mistake a newer poll for it.
 */
struct live_poll {
	uint64_t id;
	struct mio__selector *sel;
};

static mio__mutex polls_mutex = MIO__MUTEX_INIT;
static struct live_poll *polls;
static size_t polls_len, polls_cap;
static uint64_t polls_next_id = 1;

void mio__polls_lock(void)
{
	mio__mutex_lock(&polls_mutex);
}

void mio__polls_unlock(void)
{
	mio__mutex_unlock(&polls_mutex);
}

struct mio__selector *mio__polls_find(uint64_t poll_id)
{
	for (size_t i = 0; i < polls_len; i++)
		if (polls[i].id == poll_id)
			return polls[i].sel;
	return NULL;
}

struct mio__selector *mio__polls_at(size_t i)
{
	return i < polls_len ? polls[i].sel : NULL;
}

void mio__polls_forget_all(void)
{
	/* Ids go on from polls_next_id: none is ever reused. */
	free(polls);
	polls = NULL;
	polls_len = 0;
	polls_cap = 0;
}

/* Adds sel to the table and returns its new id, or 0 without memory. */
static uint64_t polls_add(struct mio__selector *sel)
{
	uint64_t id = 0;

	mio__polls_lock();
	if (polls_len == polls_cap) {
		size_t cap = polls_cap ? polls_cap * 2 : 8;
		struct live_poll *grown = realloc(polls, cap * sizeof(*polls));
		if (grown == NULL)
			goto out_unlock;
		polls = grown;
		polls_cap = cap;
	}
	id = polls_next_id++;
	polls[polls_len++] = (struct live_poll){ id, sel };
out_unlock:
	mio__polls_unlock();
	return id;
}

static void polls_remove(uint64_t id)
{
	mio__polls_lock();
	for (size_t i = 0; i < polls_len; i++) {
		if (polls[i].id == id) {
			polls[i] = polls[--polls_len];
			break;
		}
	}
	if (polls_len == 0) {
		/* Leave nothing allocated once every poll is gone. */
		free(polls);
		polls = NULL;
		polls_cap = 0;
	}
	mio__polls_unlock();
}

void mio__anchor_release(struct mio__anchor *anchor)
{
	if (atomic_fetch_sub(&anchor->refs, 1) != 1)
		return;
	mio__selector_free(anchor->sel);
	free(anchor);
}

int mio_poll_new(mio_poll **out)
{
	struct mio__anchor *anchor;
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
	err = mio__selector_new(&anchor->sel);
	if (err < 0)
		goto out_free;
	atomic_init(&anchor->refs, 1);
	atomic_init(&anchor->has_waker, false);
	anchor->poll_id = polls_add(anchor->sel);
	if (anchor->poll_id == 0) {
		err = MIO_ENOMEM;
		goto out_free_selector;
	}
	poll->view.wait_fd = mio__selector_wait_fd(anchor->sel);
	poll->registry.sel = anchor->sel;
	poll->registry.anchor = anchor;
	poll->registry.poll_id = anchor->poll_id;
	poll->registry.is_clone = false;
	*out = poll;
	return 0;

out_free_selector:
	mio__selector_free(anchor->sel);
out_free:
	free(anchor);
	free(poll);
	return err;
}

void mio_poll_free(mio_poll *poll)
{
	if (poll == NULL)
		return;
	/* From here on, sources registered with this poll count as free. */
	polls_remove(poll->registry.poll_id);
	mio__anchor_release(poll->registry.anchor);
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
	return r == NULL ? MIO_INVALID_FD : mio__selector_raw_fd(r->sel);
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
