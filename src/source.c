/* mio_source: the close rule, raw descriptors and try_io. */

#include "internal.h"

void mio__source_detach(mio_source *s)
{
	struct mio__anchor *anchor = s->anchor_;
	struct mio__selector *sel;

	if (anchor == NULL)
		return;
	/*
	 * Deregister explicitly: a dup of the descriptor held elsewhere (a
	 * forked child, say) would otherwise keep its events coming. Holding
	 * the selector keeps it from being freed meanwhile.
	 */
	sel = mio__anchor_enter(anchor);
	if (sel != NULL) {
		mio__selector_deregister(sel, s);
		mio__anchor_leave(anchor);
	}
	s->anchor_ = NULL;
	mio__anchor_unref(anchor);
}

int mio__source_adopt(mio_source *out, mio_raw_fd fd,
		      int (*prepare)(mio_raw_fd fd))
{
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(out);
	err = prepare(fd);
	if (err == 0)
		mio__source_init(out, fd);
	return err;
}

int mio__source_close(mio_source *s)
{
	int err;

	if (s == NULL)
		return MIO_EINVAL;
	if (!mio__source_usable(s))
		return 0;
	if (s->anchor_ != NULL)
		mio__source_detach(s);
	err = mio__fd_close(s->fd);
	mio__source_inert(s);
	return err;
}

mio_raw_fd mio_source_raw_fd(const mio_source *s)
{
	return s != NULL && mio__source_usable(s) ? s->fd : MIO_INVALID_FD;
}

mio_ssize mio_source_try_io(mio_source *s,
			    mio_ssize (*fn)(mio_source *s, void *ctx),
			    void *ctx)
{
	mio_interest before;
	mio_ssize ret;

	if (s == NULL || fn == NULL)
		return MIO_EINVAL;
	if (!mio__source_usable(s))
		return MIO_EBADF;
	/*
	 * The direction that blocks is unknown here. An emulating backend
	 * notes the readiness before fn runs, and is told of both directions
	 * after a would-block: it re-arms what was not ready before or after
	 * fn, and leaves alone what stayed ready throughout.
	 */
	if (!MIO__SELECTOR_NEEDS_REARM)
		return fn(s, ctx);
	before = mio__selector_try_io_begin(s);
	ret = fn(s, ctx);
	if (ret == MIO_EAGAIN)
		mio__selector_rearm(s, MIO_READABLE | MIO_WRITABLE, before);
	return ret;
}
