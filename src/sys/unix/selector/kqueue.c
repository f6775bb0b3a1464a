/*
 * The kqueue backend (macOS, iOS, FreeBSD, NetBSD, OpenBSD, DragonFly).
 * Events are struct kevent, so the kernel writes them straight into the
 * caller's mio_events. A descriptor gets one EV_CLEAR (edge-triggered)
 * filter per direction. Every change goes with EV_RECEIPT, so that one
 * kevent call both applies the changes and reports each one's own error
 * in place, without consuming any pending event.
 */

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>

#include "kqueue.h"
#include "waker.h"

_Static_assert(sizeof(mio_event) == sizeof(struct kevent),
	       "mio_event must be exactly a struct kevent");

/*
 * A timeout near time_t's limit can overflow a kernel's deadline
 * arithmetic, so waits are capped at 10^8 s (the cap BSD kernels long
 * applied to select and poll): a wait of over three years that ends with
 * no event reads as the timeout it nearly is.
 */
#define KQ_MAX_WAIT_SEC 100000000

struct mio__selector {
	int kq;
	pid_t pid; /* the process that made kq */
	/*
	 * The pipe waker's read end, emptied when its wake-up is returned,
	 * or -1. Set and cleared while other threads may poll, hence atomic.
	 */
	atomic_int drain_fd;
};

int mio__kqueue_fd(const struct mio__selector *sel)
{
	return sel->kq;
}

static int kq_new_cloexec(void)
{
#if defined(KQUEUE_CLOEXEC)
	/* FreeBSD 14 creates it close-on-exec atomically. */
	return kqueuex(KQUEUE_CLOEXEC);
#elif defined(__NetBSD__)
	return kqueue1(O_CLOEXEC);
#else
	int kq = kqueue();

	if (kq >= 0 && fcntl(kq, F_SETFD, FD_CLOEXEC) < 0) {
		int saved = errno;
		mio__fd_close(kq);
		errno = saved;
		return -1;
	}
	return kq;
#endif
}

int mio__selector_new(struct mio__anchor *anchor, struct mio__selector **out,
		      struct mio__selector_fds *fds)
{
	struct mio__selector *sel = malloc(sizeof(*sel));

	(void)anchor;
	if (sel == NULL)
		return MIO_ENOMEM;
	sel->kq = kq_new_cloexec();
	if (sel->kq < 0) {
		int err = -errno;
		free(sel);
		return err;
	}
	mio__fork_guard();
	sel->pid = getpid();
	atomic_init(&sel->drain_fd, -1);
	/* Waits go through kevent here; mio.h only inlines epoll_wait. */
	fds->wait_fd = -1;
	fds->raw_fd = sel->kq;
	*out = sel;
	return 0;
}

/*
 * A kqueue is not inherited by fork(2): in a child the number may name
 * another descriptor by now, so only the process that made it closes it.
 */
void mio__selector_free(struct mio__selector *sel)
{
	if (getpid() == sel->pid)
		mio__fd_close(sel->kq);
	free(sel);
}

/*
 * Empties the pipe waker when its wake-up is among the events, before the
 * caller sees them. EV_CLEAR alone makes every write an event, but a pipe
 * left to fill up would make later wakes block, and the waker takes a
 * full pipe for a wake-up still pending.
 */
static void kq_drain_waker(struct mio__selector *sel, const struct kevent *buf,
			   int n)
{
	int fd = atomic_load_explicit(&sel->drain_fd, memory_order_acquire);

	if (fd < 0)
		return;
	for (int i = 0; i < n; i++) {
		if (buf[i].filter != EVFILT_READ ||
		    buf[i].ident != (uintptr_t)fd)
			continue;
		mio__pipe_drain(fd);
		return;
	}
}

int mio__selector_select(struct mio__selector *sel,
			 struct mio__events_view *events,
			 const struct timespec *timeout)
{
	struct kevent *buf = (struct kevent *)(void *)mio__events_buf(events);
	int cap = events->os_cap;
	struct timespec ts;
	int n;

	if (timeout != NULL) {
		ts = *timeout;
		if (ts.tv_sec > KQ_MAX_WAIT_SEC)
			ts.tv_sec = KQ_MAX_WAIT_SEC;
	}
	n = kevent(sel->kq, NULL, 0, buf, cap, timeout != NULL ? &ts : NULL);
	if (n < 0)
		return -errno;
	if (n > 0)
		kq_drain_waker(sel, buf, n);
	events->len = (size_t)n;
	return n;
}

/* One change for fd's filter; the token travels in udata. */
static struct kevent kq_change(int fd, int filter, int flags, mio_token token)
{
	struct kevent kev;

	memset(&kev, 0, sizeof(kev));
	kev.ident = (uintptr_t)fd;
	kev.filter = filter;
	kev.flags = flags | EV_RECEIPT;
	kev.udata = (void *)token;
	return kev;
}

/*
 * Applies the changes; each receipt comes back in place. On EINTR every
 * change has been applied (kevent(2) on FreeBSD says so), and the entries
 * left untouched read as successes.
 */
static int kq_apply(int kq, struct kevent *changes, int n)
{
	if (kevent(kq, changes, n, changes, n, NULL) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

/* A receipt's result: 0 or a positive errno value. */
static int kq_receipt_errno(const struct kevent *kev)
{
	return (kev->flags & EV_ERROR) != 0 ? (int)kev->data : 0;
}

/*
 * EPIPE is ignored, as mio does: some macOS versions refuse a pipe whose
 * other end is gone with EPIPE, yet report its events.
 */
static bool kq_receipt_ok(const struct kevent *kev)
{
	int e = kq_receipt_errno(kev);
	return e == 0 || e == EPIPE;
}

/* The first error among receipts, ignoring `ignored` as well as EPIPE. */
static int kq_first_error(const struct kevent *kev, int n, int ignored)
{
	for (int i = 0; i < n; i++) {
		int e = kq_receipt_errno(&kev[i]);
		if (e != 0 && e != EPIPE && e != ignored)
			return -e;
	}
	return 0;
}

/* Deletes the filters of fd that `added` says were added by this call. */
static void kq_undo_adds(int kq, int fd, const int *filt, const bool *added,
			 int n)
{
	struct kevent del[2];
	int k = 0;

	for (int i = 0; i < n; i++)
		if (added[i])
			del[k++] = kq_change(fd, filt[i], EV_DELETE, 0);
	if (k > 0)
		kq_apply(kq, del, k);
}

static const int kq_filters[2] = { EVFILT_WRITE, EVFILT_READ };

static bool kq_wants(mio_interest interest, int i)
{
	return (interest & (i == 0 ? MIO_WRITABLE : MIO_READABLE)) != 0;
}

static bool kq_owned(const mio_source *src)
{
	return (src->flags_ & MIO__SOURCE_OWNED) != 0;
}

/*
 * A borrowed descriptor with no filter: MIO_ENOENT, or MIO_EBADF if it is
 * not open at all. The kernels say EBADF themselves; libkqueue says
 * ENOENT for a closed descriptor, so it is checked here.
 */
static int kq_not_registered(int fd)
{
	if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
		return MIO_EBADF;
	return MIO_ENOENT;
}

int mio__selector_register(struct mio__selector *sel, mio_source *src,
			   mio_token token, mio_interest interest)
{
	struct kevent ch[2];
	bool added[2] = { false, false };
	int filt[2];
	int n = 0, err;

	for (int i = 0; i < 2; i++) {
		if (!kq_wants(interest, i))
			continue;
		filt[n] = kq_filters[i];
		ch[n++] = kq_change(src->fd, kq_filters[i], EV_ADD | EV_CLEAR,
				    token);
	}
	/* AIO and LIO add no filter: the aiocb's sigevent names the kqueue. */
	if (n == 0)
		return 0;
	err = kq_apply(sel->kq, ch, n);
	if (err < 0)
		return err;
	err = kq_first_error(ch, n, 0);
	if (err < 0) {
		/* A failed call changes nothing: drop what was added. */
		for (int i = 0; i < n; i++)
			added[i] = kq_receipt_ok(&ch[i]);
		kq_undo_adds(sel->kq, src->fd, filt, added, n);
	}
	return err;
}

/*
 * kqueue cannot say which filters a descriptor has, so the changes start
 * with a probe of both: EV_ENABLE changes nothing on a filter that exists
 * (mio never disables one) and fails with ENOENT where there is none.
 * Then the filter no longer wanted is deleted (ENOENT ignored, as in mio)
 * and the wanted ones are added. The probe tells which additions to undo
 * if the call fails, and whether a borrowed descriptor was registered at
 * all (owned sources are tracked by the registry, and one registered only
 * for AIO has no filter).
 *
 * Deleting before adding is the same on the kernels; libkqueue, which
 * shares one epoll registration between an fd's filters, otherwise keeps
 * the deleted direction's epoll interest and reports spurious events.
 * A filter that existed and stays is only modified, which cannot fail on
 * the kernels; were it to, it might keep the new token.
 */
int mio__selector_reregister(struct mio__selector *sel, mio_source *src,
			     mio_token token, mio_interest interest)
{
	struct kevent ch[4];
	bool had[2], added[2];
	int op_at[2], n = 2, err;

	for (int i = 0; i < 2; i++)
		ch[i] = kq_change(src->fd, kq_filters[i], EV_ENABLE | EV_CLEAR,
				  token);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 2; i++) {
			bool add = kq_wants(interest, i);
			if (add != (pass == 1))
				continue;
			op_at[i] = n;
			ch[n++] = kq_change(
				src->fd, kq_filters[i],
				(add ? EV_ADD : EV_DELETE) | EV_CLEAR, token);
		}
	}
	err = kq_apply(sel->kq, ch, n);
	if (err < 0)
		return err;
	for (int i = 0; i < 2; i++) {
		had[i] = kq_receipt_errno(&ch[i]) == 0;
		added[i] = !had[i] && kq_wants(interest, i) &&
			   kq_receipt_ok(&ch[op_at[i]]);
	}
	err = kq_first_error(&ch[2], 2, ENOENT);
	if (err == 0 && !kq_owned(src) && !had[0] && !had[1])
		err = kq_not_registered(src->fd);
	if (err < 0)
		kq_undo_adds(sel->kq, src->fd, kq_filters, added, 2);
	return err;
}

int mio__selector_deregister(struct mio__selector *sel, mio_source *src)
{
	struct kevent ch[2];
	int err;

	for (int i = 0; i < 2; i++)
		ch[i] = kq_change(src->fd, kq_filters[i], EV_DELETE, 0);
	err = kq_apply(sel->kq, ch, 2);
	if (err < 0)
		return err;
	err = kq_first_error(ch, 2, ENOENT);
	/* Owned sources are tracked; one registered only for AIO has none. */
	if (err == 0 && !kq_owned(src) && kq_receipt_errno(&ch[0]) == ENOENT &&
	    kq_receipt_errno(&ch[1]) == ENOENT)
		err = kq_not_registered(src->fd);
	return err;
}

/*
 * The waker hooks, for the pipe waker (MIO_FORCE_WAKER_PIPE, and kqueue
 * systems without EVFILT_USER): its read end is an ordinary EV_CLEAR
 * read filter, emptied by select when it reports a wake-up.
 */
int mio__selector_register_waker(struct mio__selector *sel, mio_raw_fd fd,
				 mio_token token, bool drain)
{
	mio_source src = mio_source_fd(fd);
	int err = mio__selector_register(sel, &src, token, MIO_READABLE);

	if (err == 0 && drain)
		atomic_store_explicit(&sel->drain_fd, fd, memory_order_release);
	return err;
}

void mio__selector_deregister_waker(struct mio__selector *sel, mio_raw_fd fd)
{
	mio_source src = mio_source_fd(fd);

	if (atomic_load_explicit(&sel->drain_fd, memory_order_relaxed) == fd)
		atomic_store_explicit(&sel->drain_fd, -1, memory_order_relaxed);
	mio__selector_deregister(sel, &src);
}
