/*
 * The EVFILT_USER waker (macOS, iOS, FreeBSD, DragonFly, and any other
 * kqueue system that has EVFILT_USER): a user event in the poll's own kqueue,
 * so waking needs no descriptor of its own. EV_CLEAR makes it edge-triggered:
 * wakes before the next poll coalesce into one event, which reads as readable
 * (as mio's does). Built only with the kqueue selector; CMake picks the pipe
 * waker where the OS lacks EVFILT_USER.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>

#include "kqueue.h"

struct mio__waker {
	int kq;
	mio_token token;
};

/*
 * The user event is named by the waker's own address, which no other
 * live waker can have.
 */
static struct kevent kq_user_event(const struct mio__waker *w, int flags,
				   unsigned fflags)
{
	struct kevent kev;

	memset(&kev, 0, sizeof(kev));
	kev.ident = (uintptr_t)w;
	kev.filter = EVFILT_USER;
	kev.flags = flags;
	kev.fflags = fflags;
	/* The kernel replaces udata on every change, so always pass it. */
	kev.udata = (void *)w->token;
	return kev;
}

int mio__waker_new(struct mio__selector *sel, mio_token token,
		   struct mio__waker **out)
{
	struct mio__waker *w = malloc(sizeof(*w));
	struct kevent kev;

	if (w == NULL)
		return MIO_ENOMEM;
	w->kq = mio__kqueue_fd(sel);
	w->token = token;
	kev = kq_user_event(w, EV_ADD | EV_CLEAR | EV_RECEIPT, 0);
	if (kevent(w->kq, &kev, 1, &kev, 1, NULL) < 0) {
		int err = -errno;
		free(w);
		return err;
	}
	if ((kev.flags & EV_ERROR) != 0 && kev.data != 0) {
		int err = -(int)kev.data;
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

/*
 * Triggers the user event. With no room for events, kevent reports a
 * failed change as its own error. The kqueue outlives the poll while a
 * waker holds the selector, so this is safe after mio_poll_free too.
 */
int mio__waker_wake(struct mio__waker *w)
{
	struct kevent kev = kq_user_event(w, 0, NOTE_TRIGGER);
	int saved_errno = errno; /* callable from signal handlers */
	int err = 0;

	if (kevent(w->kq, &kev, 1, NULL, 0, NULL) < 0 && errno != EINTR)
		err = -errno;
	errno = saved_errno;
	return err;
}

void mio__waker_free(struct mio__waker *w, bool own_queue)
{
	struct kevent kev = kq_user_event(w, EV_DELETE, 0);

	/* A forked child has no kqueue: w->kq may name another file there. */
	if (own_queue)
		kevent(w->kq, &kev, 1, NULL, 0, NULL);
	free(w);
}
