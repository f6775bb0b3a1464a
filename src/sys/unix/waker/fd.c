/*
 * What the eventfd and pipe wakers share: a descriptor the selector
 * watches for readable (rfd), one that wake-ups are written to (wfd: the
 * same eventfd, or the pipe's write end), and what a wake does when wfd
 * is full. Their own files (eventfd.c, pipe.c) make, signal and empty the
 * descriptors (the hooks in waker.h).
 */

#include <stdlib.h>

#include "internal.h"
#include "waker.h"

struct mio__waker {
	int rfd;
	int wfd;
	struct mio__selector *sel;
};

/* Closes the waker's descriptors: one or two. */
static void fd_waker_close(const struct mio__waker *w)
{
	mio__fd_close(w->rfd);
	if (w->wfd != w->rfd)
		mio__fd_close(w->wfd);
}

int mio__waker_new(struct mio__selector *sel, mio_token token,
		   struct mio__waker **out)
{
	struct mio__waker *w = malloc(sizeof(*w));
	int err;

	if (w == NULL)
		return MIO_ENOMEM;
	w->sel = sel;
	err = mio__fd_waker_open(&w->rfd, &w->wfd);
	if (err < 0)
		goto out_free;
	err = mio__selector_register_waker(sel, w->rfd, token,
					   mio__fd_waker_drain);
	if (err < 0)
		goto out_close;
	*out = w;
	return 0;

out_close:
	fd_waker_close(w);
out_free:
	free(w);
	return err;
}

int mio__waker_wake(struct mio__waker *w)
{
	int saved_errno = errno; /* callable from signal handlers */
	int err = 0;

	for (int tries = 0; tries < 2;) {
		err = mio__fd_waker_signal(w->wfd);
		if (err == -EINTR)
			continue;
		if (err != -EAGAIN)
			goto out;
		/* Full: make room, then write again so that the wake-up is new.
		 */
		err = mio__fd_waker_make_room(w->rfd);
		if (err < 0)
			goto out;
		tries++;
	}
	/* Others refilled it each time: the poll is woken anyway. */
	err = 0;
out:
	errno = saved_errno;
	return err;
}

void mio__waker_free(struct mio__waker *w, bool own_queue)
{
	if (own_queue)
		mio__selector_deregister_waker(w->sel, w->rfd);
	fd_waker_close(w);
	free(w);
}
