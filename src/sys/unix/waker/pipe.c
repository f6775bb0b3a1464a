/*
 * The pipe waker (MIO_FORCE_WAKER_PIPE, and where no eventfd or
 * EVFILT_USER exists): a wake-up writes one byte. The selector empties the
 * pipe when it returns the wake-up (mio__selector_register_waker with
 * drain), before the caller sees it, so a write after that finds the pipe
 * empty and is a new edge on every kernel. A full pipe means a wake-up is
 * pending already, so a write that would block has done its job.
 */

#include <fcntl.h>
#include <stdlib.h>

#include "internal.h"

struct mio__waker {
	int rfd;
	int wfd;
	struct mio__selector *sel;
};

static int pipe_waker_set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	fl = fcntl(fd, F_GETFD);
	if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* A non-blocking, close-on-exec pipe (atomically where pipe2 exists). */
static int pipe_waker_make_pipe(int fds[2])
{
	int err;

#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) ||       \
	defined(__OpenBSD__) || defined(__DragonFly__)
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
#endif
	if (pipe(fds) < 0)
		return -errno;
	err = pipe_waker_set_flags(fds[0]);
	if (err == 0)
		err = pipe_waker_set_flags(fds[1]);
	if (err < 0) {
		mio__fd_close(fds[0]);
		mio__fd_close(fds[1]);
	}
	return err;
}

int mio__waker_new(struct mio__selector *sel, mio_token token,
		   struct mio__waker **out)
{
	struct mio__waker *w = malloc(sizeof(*w));
	int fds[2];
	int err;

	if (w == NULL)
		return MIO_ENOMEM;
	err = pipe_waker_make_pipe(fds);
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

	while (write(w->wfd, &one, 1) < 0) {
		if (errno == EINTR)
			continue;
		/* Full: a wake-up is pending and the poll will drain it. */
		if (errno != EAGAIN)
			err = -errno;
		break;
	}
	errno = saved_errno;
	return err;
}

void mio__waker_free(struct mio__waker *w)
{
	mio__selector_deregister_waker(w->sel, w->rfd);
	mio__fd_close(w->rfd);
	mio__fd_close(w->wfd);
	free(w);
}
