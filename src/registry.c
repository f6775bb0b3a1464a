/*
 * mio_registry: argument checks and the tracking of owned sources, shared
 * by every backend. An owned source records the id of the poll it is
 * registered with; a borrowed one (mio_source_fd) records nothing, and
 * the OS alone decides what is registered.
 */

#include <stdlib.h>

#include "internal.h"

#define VALID_INTEREST_BITS                                                    \
	(MIO_READABLE | MIO_WRITABLE | MIO__INTEREST_PLATFORM_BITS)

static int check_args(const mio_registry *r, const mio_source *s,
		      mio_interest interest)
{
	if (r == NULL || s == NULL)
		return MIO_EINVAL;
	if (interest == 0 || (interest & ~VALID_INTEREST_BITS) != 0)
		return MIO_EINVAL;
	if (!mio__source_usable(s))
		return MIO_EBADF;
	return 0;
}

static bool owned(const mio_source *s)
{
	return (s->flags_ & MIO__SOURCE_OWNED) != 0;
}

/* Whether an owned source is registered with a poll that still exists. */
static bool registered_anywhere(const mio_registry *r, const mio_source *s)
{
	bool live;

	if (s->poll_id_ == 0)
		return false;
	if (s->poll_id_ == r->poll_id)
		return true;
	mio__polls_lock();
	live = mio__polls_find(s->poll_id_) != NULL;
	mio__polls_unlock();
	return live;
}

int mio_registry_register(mio_registry *r, mio_source *s, mio_token token,
			  mio_interest interest)
{
	int err = check_args(r, s, interest);

	if (err < 0)
		return err;
	/* A mio_tcp_socket is no source until it listens or connects. */
	if ((s->flags_ & MIO__SOURCE_UNREGISTRABLE) != 0)
		return MIO_EINVAL;
	if (owned(s) && registered_anywhere(r, s))
		return MIO_EEXIST;
	err = mio__selector_register(r->sel, s, token, interest);
	if (err < 0)
		return err;
	if (owned(s))
		s->poll_id_ = r->poll_id;
	return 0;
}

int mio_registry_reregister(mio_registry *r, mio_source *s, mio_token token,
			    mio_interest interest)
{
	int err = check_args(r, s, interest);

	if (err < 0)
		return err;
	if (owned(s) && s->poll_id_ != r->poll_id)
		return MIO_ENOENT;
	return mio__selector_reregister(r->sel, s, token, interest);
}

int mio_registry_deregister(mio_registry *r, mio_source *s)
{
	int err;

	if (r == NULL || s == NULL)
		return MIO_EINVAL;
	if (!mio__source_usable(s))
		return MIO_EBADF;
	if (owned(s) && s->poll_id_ != r->poll_id)
		return MIO_ENOENT;
	err = mio__selector_deregister(r->sel, s);
	if (err < 0)
		return err;
	if (owned(s))
		s->poll_id_ = 0;
	return 0;
}

int mio_registry_try_clone(const mio_registry *r, mio_registry **out)
{
	mio_registry *clone;

	if (out == NULL)
		return MIO_EINVAL;
	*out = NULL;
	if (r == NULL)
		return MIO_EINVAL;
	clone = malloc(sizeof(*clone));
	if (clone == NULL)
		return MIO_ENOMEM;
	*clone = *r;
	clone->is_clone = true;
	atomic_fetch_add(&r->anchor->refs, 1);
	*out = clone;
	return 0;
}

void mio_registry_free(mio_registry *clone)
{
	/* The poll's own registry is freed with the poll, never here. */
	if (clone == NULL || !clone->is_clone)
		return;
	mio__anchor_release(clone->anchor);
	free(clone);
}
