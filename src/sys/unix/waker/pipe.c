/*
 * The pipe waker (MIO_FORCE_WAKER_PIPE, and where no eventfd or
 * EVFILT_USER exists): a wake-up writes one byte. The selector empties the
 * pipe when it returns the wake-up (mio__selector_register_waker with
 * drain), before the caller sees it, so a write after that finds the pipe
 * empty and is a new edge on every kernel. Should the pipe be full, the
 * waker empties it and writes again, as mio's does. The waker itself is
 * waker/fd.c; this file gives it the pipe.
 */

#include "internal.h"
#include "waker.h"

const bool mio__fd_waker_drain = true;

int mio__fd_waker_open(int *rfd, int *wfd)
{
	int fds[2];
	int err = mio__pipe_open(fds);

	if (err == 0) {
		*rfd = fds[0];
		*wfd = fds[1];
	}
	return err;
}

int mio__fd_waker_signal(int wfd)
{
	const char one = 1;

	return write(wfd, &one, 1) == 1 ? 0 : -errno;
}

/*
 * A wake-up the selector reports after this emptying includes the one
 * about to be written; one it reported before, that byte wakes it again.
 */
int mio__fd_waker_make_room(int rfd)
{
	mio__pipe_drain(rfd);
	return 0;
}
