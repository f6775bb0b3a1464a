/*
 * mio_registry: argument checks and the tracking of owned sources, shared
 * by every backend. An owned source points to the anchor of the poll it
 * is registered with; a borrowed one (mio_source_fd) records nothing, and
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

/*
 * For registering an owned source: MIO_EEXIST if it is registered with a
 * poll (r's, or another that is alive). A source left registered by a
 * poll that was freed since, or by the parent of this forked process,
 * is not: it lets go of that poll and may be registered anew.
 */
static int claim(const mio_registry *r, mio_source *s)
{
	if (s->anchor_ == NULL)
		return 0;
	if (s->anchor_ == r->anchor || mio__anchor_live(s->anchor_))
		return MIO_EEXIST;
	mio__source_detach(s);
	return 0;
}

/*
 * Whether an owned source is registered with r's poll, for reregister
 * and deregister. Not once that poll is freed, even through a clone
 * that outlives it. (In a forked child, an inherited poll's sources are
 * still reached through it: the child's explicit calls act on the
 * parent's queue, as docs/fork.md says.)
 */
static bool registered_here(const mio_registry *r, const mio_source *s)
{
	return s->anchor_ == r->anchor &&
	       !atomic_load_explicit(&r->anchor->poll_freed,
				     memory_order_relaxed);
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
	if (owned(s)) {
		err = claim(r, s);
		if (err < 0)
			return err;
	}
	err = mio__selector_register(r->sel, s, token, interest);
	if (err < 0)
		return err;
	if (owned(s)) {
		/* r is in use, so the anchor is alive to take a reference. */
		atomic_fetch_add_explicit(&r->anchor->refs, 1,
					  memory_order_relaxed);
		s->anchor_ = r->anchor;
	}
	return 0;
}

int mio_registry_reregister(mio_registry *r, mio_source *s, mio_token token,
			    mio_interest interest)
{
	int err = check_args(r, s, interest);

	if (err < 0)
		return err;
	if (owned(s) && !registered_here(r, s))
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
	if (owned(s) && !registered_here(r, s))
		return MIO_ENOENT;
	err = mio__selector_deregister(r->sel, s);
	if (err < 0)
		return err;
	if (owned(s)) {
		s->anchor_ = NULL;
		mio__anchor_unref(r->anchor);
	}
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
	mio__anchor_hold(r->anchor);
	*out = clone;
	return 0;
}

void mio_registry_free(mio_registry *clone)
{
	/* The poll's own registry is freed with the poll, never here. */
	if (clone == NULL || !clone->is_clone)
		return;
	mio__anchor_leave(clone->anchor);
	free(clone);
}
