/*
 * The eventfd waker (Linux, Android): each write is a new edge for epoll,
 * so the counter is read only when it would overflow. The poll(2)
 * selector, which emulates edge triggering, empties it itself when it
 * reports a wake-up (mio__selector_register_waker). The waker itself is
 * waker/fd.c; this file gives it the descriptor.
 */

#include <sys/eventfd.h>

#include "internal.h"
#include "waker.h"

/* Each write is an edge for epoll already: the epoll path does no more. */
const bool mio__fd_waker_drain = false;

int mio__fd_waker_open(int *rfd, int *wfd)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	if (fd < 0)
		return -errno;
	*rfd = fd;
	*wfd = fd;
	return 0;
}

int mio__fd_waker_signal(int wfd)
{
	const uint64_t one = 1;

	return write(wfd, &one, sizeof(one)) == sizeof(one) ? 0 : -errno;
}

/*
 * Only an overflowing counter blocks: empty it. EAGAIN means another
 * thread already did.
 */
int mio__fd_waker_make_room(int rfd)
{
	uint64_t value;

	if (read(rfd, &value, sizeof(value)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}
