/* mio_source: the close rule, raw descriptors and try_io. */

#include "internal.h"

int mio__source_close(mio_source *s)
{
	struct mio__selector *sel;
	int err;

	if (s == NULL)
		return MIO_EINVAL;
	if (!mio__source_usable(s))
		return 0;
	/*
	 * Deregister explicitly: a dup of the descriptor held elsewhere (a
	 * forked child, say) would otherwise keep its events coming. The lock
	 * keeps the poll from being freed meanwhile.
	 */
	if (s->poll_id_ != 0) {
		mio__polls_lock();
		sel = mio__polls_find(s->poll_id_);
		if (sel != NULL)
			mio__selector_deregister(sel, s);
		mio__polls_unlock();
	}
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
	if (s == NULL || fn == NULL)
		return MIO_EINVAL;
	if (!mio__source_usable(s))
		return MIO_EBADF;
	/*
	 * The direction that blocks is unknown here. An emulating backend
	 * notes the readiness before fn runs (no direction), and is told of
	 * both directions after a would-block: it re-arms what was not ready
	 * before or after fn, and leaves alone what stayed ready throughout.
	 */
	if (MIO__SELECTOR_NEEDS_REARM)
		mio__selector_rearm(s, 0);
	return mio__io_done(s, fn(s, ctx), MIO_READABLE | MIO_WRITABLE);
}
