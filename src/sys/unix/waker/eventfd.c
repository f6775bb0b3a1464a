/*
 * The eventfd waker (Linux, Android): each write is a new edge for epoll,
 * so the counter is read only when it would overflow. The poll(2)
 * selector, which emulates edge triggering, empties it itself when it
 * reports a wake-up (mio__selector_register_waker).
 */

#include <stdlib.h>
#include <sys/eventfd.h>

#include "internal.h"
#include "waker.h"

struct mio__waker {
	int fd;
	struct mio__selector *sel;
};

int mio__waker_new(struct mio__selector *sel, mio_token token,
		   struct mio__waker **out)
{
	struct mio__waker *w = malloc(sizeof(*w));
	int err;

	if (w == NULL)
		return MIO_ENOMEM;
	w->sel = sel;
	w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->fd < 0) {
		err = -errno;
		goto out_free;
	}
	err = mio__selector_register_waker(sel, w->fd, token, false);
	if (err < 0)
		goto out_close;
	*out = w;
	return 0;

out_close:
	mio__fd_close(w->fd);
out_free:
	free(w);
	return err;
}

/* Empties the counter; EAGAIN means another thread already did. */
static int reset(int fd)
{
	uint64_t value;

	if (read(fd, &value, sizeof(value)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

int mio__waker_wake(struct mio__waker *w)
{
	const uint64_t one = 1;
	int saved_errno = errno; /* callable from signal handlers */
	int err = 0;

	for (int tries = 0; tries < 2; tries++) {
		if (write(w->fd, &one, sizeof(one)) == sizeof(one))
			goto out;
		if (errno != EAGAIN) {
			err = -errno;
			goto out;
		}
		/* Only an overflowing counter blocks: reset it, wake again. */
		err = reset(w->fd);
		if (err < 0)
			goto out;
	}
	/* Others refilled the counter each time: the poll is woken anyway. */
	err = 0;
out:
	errno = saved_errno;
	return err;
}

void mio__waker_free(struct mio__waker *w, bool own_queue)
{
	if (own_queue)
		mio__selector_deregister_waker(w->sel, w->fd);
	mio__fd_close(w->fd);
	free(w);
}
