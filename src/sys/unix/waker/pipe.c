/*
 * The pipe waker (MIO_FORCE_WAKER_PIPE, and where no eventfd or
 * EVFILT_USER exists): a wake-up writes one byte. The selector empties the
 * pipe when it returns the wake-up (mio__selector_register_waker with
 * drain), before the caller sees it, so a write after that finds the pipe
 * empty and is a new edge on every kernel. Should the pipe be full, the
 * waker empties it and writes again, as mio's does.
 */

#include <stdlib.h>

#include "internal.h"
#include "waker.h"

struct mio__waker {
	int rfd;
	int wfd;
	struct mio__selector *sel;
};

int mio__waker_new(struct mio__selector *sel, mio_token token,
		   struct mio__waker **out)
{
	struct mio__waker *w = malloc(sizeof(*w));
	int fds[2];
	int err;

	if (w == NULL)
		return MIO_ENOMEM;
	err = mio__pipe_open(fds);
	if (err < 0)
		goto out_free;
	w->rfd = fds[0];
	w->wfd = fds[1];
	w->sel = sel;
	err = mio__selector_register_waker(sel, w->rfd, token, true);
	if (err < 0)
		goto out_close;
	*out = w;
	return 0;

out_close:
	mio__fd_close(w->rfd);
	mio__fd_close(w->wfd);
out_free:
	free(w);
	return err;
}

int mio__waker_wake(struct mio__waker *w)
{
	const char one = 1;
	int saved_errno = errno; /* callable from signal handlers */
	int err = 0;

	for (int tries = 0; tries < 2;) {
		if (write(w->wfd, &one, 1) == 1)
			goto out;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			err = -errno;
			goto out;
		}
		/*
		 * Full: empty it and write again, so that the byte is new. A
		 * wake-up the selector reports after this emptying includes
		 * ours; one it reported before, our byte wakes it again.
		 */
		mio__pipe_drain(w->rfd);
		tries++;
	}
	/* Others refilled it each time: the poll is woken anyway. */
out:
	errno = saved_errno;
	return err;
}

void mio__waker_free(struct mio__waker *w, bool own_queue)
{
	if (own_queue)
		mio__selector_deregister_waker(w->sel, w->rfd);
	mio__fd_close(w->rfd);
	mio__fd_close(w->wfd);
	free(w);
}
