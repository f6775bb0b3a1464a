/*
 * The Windows backend: one I/O completion port per poll, and readiness of
 * sockets through overlapped IOCTL_AFD_POLL requests on the AFD driver
 * (afd.c) whose completions arrive on that port, as in wepoll and mio.
 *
 * Each registered socket has a poll state (struct sock), allocated by
 * register and owned by the selector: the caller's mio_source only points
 * to it (state_), so the source can be moved or its memory reused at
 * once. A socket has at most one AFD poll in flight; changing what it
 * waits for means cancelling that poll and submitting a new one when its
 * completion comes back. A state that is deregistered while its poll is
 * in flight is freed when the cancelled poll completes, since the kernel
 * writes into it until then.
 *
 * AFD polls are level-triggered and one-shot. Edge triggering is
 * emulated as mio does: the bits an event reports are removed from what
 * the socket waits for, and come back when library I/O in that direction
 * returns MIO_EAGAIN (mio__selector_rearm) or on reregister. The re-arm
 * reaches the selector through the source's anchor (internal.h) and
 * takes only that selector's lock.
 *
 * Named pipes are another kind of source (named_pipe.c): the contract's
 * registry calls and re-arms go to the kind's operations
 * (struct mio__source_ops), chosen in one place, source_ops().
 *
 * Submitting polls is deferred to the next select, through an update
 * queue, unless a thread is blocked in select right now: then it is done
 * at once, so that the blocked thread sees the new registration.
 */

#include <limits.h>
#include <stdlib.h>

#include "win_internal.h"

#include <mswsock.h>

/* In the SDK's mswsock.h and MinGW-w64's, not in Wine's. */
#ifndef SIO_BSP_HANDLE_SELECT
#define SIO_BSP_HANDLE_SELECT _WSAIOR(IOC_WS2, 28)
#endif
#ifndef SIO_BSP_HANDLE_POLL
#define SIO_BSP_HANDLE_POLL _WSAIOR(IOC_WS2, 29)
#endif

/* Sockets per AFD handle, as in mio. */
#define GROUP_MAX 32

/* The AFD bits a socket can wait for (LOCAL_CLOSE is always added). */
#define KNOWN_EVENTS                                                           \
	(MIO__AFD_POLL_RECEIVE | MIO__AFD_POLL_RECEIVE_EXPEDITED |             \
	 MIO__AFD_POLL_SEND | MIO__AFD_POLL_DISCONNECT | MIO__AFD_POLL_ABORT | \
	 MIO__AFD_POLL_ACCEPT | MIO__AFD_POLL_CONNECT_FAIL)

/* Reported even when not asked for, as epoll's EPOLLERR and EPOLLHUP. */
#define ALWAYS_EVENTS (MIO__AFD_POLL_ABORT | MIO__AFD_POLL_CONNECT_FAIL)

/* How long freeing a selector waits for cancelled polls to come back. */
#define DRAIN_ROUNDS 20
#define DRAIN_WAIT_MS 100

struct afd_group {
	HANDLE afd;
	unsigned refs;
	struct afd_group *prev, *next;
};

enum poll_status { POLL_IDLE, POLL_PENDING, POLL_CANCELLED };

struct sock {
	IO_STATUS_BLOCK iosb; /* the OVERLAPPED pointer of its completions */
	mio__afd_poll_info info;
	struct mio__selector *sel;
	struct afd_group *group;
	struct sock *prev, *next;     /* all states of the selector */
	struct sock *q_prev, *q_next; /* the update queue */
	bool queued;
	bool delete_pending; /* deregistered; free once idle */
	bool closed;	     /* AFD reported the socket closed */
	enum poll_status status;
	SOCKET base;
	mio_token token;
	mio_interest interest;
	uint32_t user_evts;    /* what to wait for now */
	uint32_t pending_evts; /* what the poll in flight waits for */
};

struct mio__selector {
	HANDLE port;
	SRWLOCK lock; /* everything below */
	struct sock *socks;
	struct sock *queue;
	struct afd_group *groups; /* newest first */
	size_t in_flight;	  /* polls submitted, completion not seen */
	atomic_bool polling;	  /* a thread is in select */
	/* The waker (waker.c), whose packets come under MIO__KEY_WAKER. */
	struct mio__waker *waker;
	mio_token waker_token;
	struct mio__npipe *npipes; /* tied to the port (named_pipe.c) */
};

static uint32_t afd_flags(mio_interest interest)
{
	uint32_t flags = 0;

	if (interest & MIO_READABLE)
		flags |= MIO__EV_READABLE | MIO__EV_READ_CLOSED;
	if (interest & MIO_WRITABLE)
		flags |= MIO__EV_WRITABLE | MIO__EV_WRITE_CLOSED;
	return flags;
}

/* ---------------------------------------------------------------------- */
/* AFD handles, shared by up to GROUP_MAX sockets each                     */

static int group_acquire(struct mio__selector *sel, struct afd_group **out)
{
	struct afd_group *g = sel->groups;
	int err;

	if (g == NULL || g->refs >= GROUP_MAX) {
		g = malloc(sizeof(*g));
		if (g == NULL)
			return MIO_ENOMEM;
		err = mio__afd_open(sel->port, &g->afd);
		if (err < 0) {
			free(g);
			return err;
		}
		g->refs = 0;
		g->prev = NULL;
		g->next = sel->groups;
		if (g->next != NULL)
			g->next->prev = g;
		sel->groups = g;
	}
	g->refs++;
	*out = g;
	return 0;
}

static void group_free(struct mio__selector *sel, struct afd_group *g)
{
	if (g->prev != NULL)
		g->prev->next = g->next;
	else
		sel->groups = g->next;
	if (g->next != NULL)
		g->next->prev = g->prev;
	CloseHandle(g->afd);
	free(g);
}

/* No poll of the group is in flight once its last socket is freed. */
static void group_release(struct mio__selector *sel, struct afd_group *g)
{
	if (--g->refs == 0)
		group_free(sel, g);
}

/* ---------------------------------------------------------------------- */
/* Poll states                                                             */

static void queue_add(struct mio__selector *sel, struct sock *s)
{
	if (s->queued)
		return;
	s->queued = true;
	s->q_prev = NULL;
	s->q_next = sel->queue;
	if (s->q_next != NULL)
		s->q_next->q_prev = s;
	sel->queue = s;
}

static void queue_remove(struct mio__selector *sel, struct sock *s)
{
	if (!s->queued)
		return;
	s->queued = false;
	if (s->q_prev != NULL)
		s->q_prev->q_next = s->q_next;
	else
		sel->queue = s->q_next;
	if (s->q_next != NULL)
		s->q_next->q_prev = s->q_prev;
}

static void sock_free(struct mio__selector *sel, struct sock *s)
{
	queue_remove(sel, s);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		sel->socks = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	group_release(sel, s->group);
	free(s);
}

static int sock_cancel(struct sock *s)
{
	int err = mio__afd_cancel(s->group->afd, &s->iosb);

	if (err < 0)
		return err;
	s->status = POLL_CANCELLED;
	s->pending_evts = 0;
	return 0;
}

/*
 * Brings the AFD poll in line with what the socket waits for: submits
 * one if none is in flight, or cancels one that misses some bits (its
 * completion then leads here again). Dequeues s unless it fails.
 */
static int sock_update(struct mio__selector *sel, struct sock *s)
{
	int err = 0;

	if (s->closed || s->delete_pending) {
		/* Nothing to wait for. */
	} else if (s->status == POLL_PENDING) {
		/* A poll waiting for more than needed may complete
		 * spuriously; the bits no longer wanted are filtered then. */
		if ((s->user_evts & KNOWN_EVENTS & ~s->pending_evts) != 0)
			err = sock_cancel(s);
	} else if (s->status == POLL_IDLE) {
		s->info.exclusive = FALSE;
		s->info.number_of_handles = 1;
		s->info.timeout.QuadPart = INT64_MAX;
		s->info.handles[0].handle = (HANDLE)s->base;
		s->info.handles[0].status = 0;
		s->info.handles[0].events =
			s->user_evts | MIO__AFD_POLL_LOCAL_CLOSE;
		err = mio__afd_poll(s->group->afd, &s->info, &s->iosb);
		if (err == MIO_EBADF) {
			/* Closed behind the library's back: stop polling. */
			s->closed = true;
			err = 0;
		} else if (err == 0) {
			s->status = POLL_PENDING;
			s->pending_evts = s->user_evts;
			sel->in_flight++;
		}
	}
	/* POLL_CANCELLED: wait for the completion, then submit anew. */
	if (err == 0)
		queue_remove(sel, s);
	return err;
}

static int update_queue(struct mio__selector *sel)
{
	struct sock *s = sel->queue, *next;
	int err;

	for (; s != NULL; s = next) {
		next = s->q_next;
		err = sock_update(sel, s);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Asks for an update: now if a thread is blocked in select, else later. */
static int sock_request_update(struct mio__selector *sel, struct sock *s)
{
	if ((s->user_evts & KNOWN_EVENTS & ~s->pending_evts) == 0)
		return 0;
	queue_add(sel, s);
	if (atomic_load(&sel->polling))
		return sock_update(sel, s);
	return 0;
}

/* A poll completed: returns the readiness to report, 0 for none. */
static uint32_t sock_feed(struct mio__selector *sel, struct sock *s)
{
	NTSTATUS status = s->iosb.Status;
	uint32_t events = 0;

	sel->in_flight--;
	s->status = POLL_IDLE;
	s->pending_evts = 0;
	if (s->delete_pending) {
		sock_free(sel, s);
		return 0;
	}
	if (status == MIO__STATUS_CANCELLED) {
		/* Cancelled to change what it waits for. */
	} else if (status < 0) {
		/* The request itself failed: report it as an error. */
		events = MIO__AFD_POLL_CONNECT_FAIL;
	} else if (s->info.number_of_handles < 1) {
		/* Completed without reporting anything. */
	} else if (s->info.handles[0].events & MIO__AFD_POLL_LOCAL_CLOSE) {
		s->closed = true;
		return 0;
	} else {
		events = s->info.handles[0].events;
	}
	queue_add(sel, s);
	events &= s->user_evts;
	/* Edge triggering: these stay off until re-armed. */
	s->user_evts &= ~events;
	return events;
}

static int base_socket(SOCKET s, SOCKET *out)
{
	static const DWORD fallbacks[] = { SIO_BSP_HANDLE_POLL,
					   SIO_BSP_HANDLE_SELECT };
	SOCKET base = INVALID_SOCKET;
	DWORD bytes;
	int err;

	if (WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &bytes,
		     NULL, NULL) != SOCKET_ERROR) {
		*out = base;
		return 0;
	}
	err = mio__wsa_error();
	/*
	 * A layered service provider may intercept SIO_BASE_HANDLE; then the
	 * handle it gives the base provider for polling is the one AFD knows.
	 */
	for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
		if (WSAIoctl(s, fallbacks[i], NULL, 0, &base, sizeof(base),
			     &bytes, NULL, NULL) != SOCKET_ERROR &&
		    base != s) {
			*out = base;
			return 0;
		}
	}
	/* Closed (MIO_EBADF), or some other kind of handle. */
	return err == MIO_ENOTSOCK ? mio__socket_not_socket(s) : err;
}

/* The source's state, if it belongs to sel and is still registered. */
static struct sock *sock_of(struct mio__selector *sel, const mio_source *src)
{
	struct sock *s = src->state_;

	if (s == NULL || s->sel != sel || s->delete_pending)
		return NULL;
	return s;
}

/* ---------------------------------------------------------------------- */
/* The selector contract                                                   */

int mio__selector_new(struct mio__anchor *anchor, struct mio__selector **out,
		      struct mio__selector_fds *fds)
{
	struct mio__selector *sel;
	int err = mio__win_init();

	(void)anchor;

	if (err < 0)
		return err;
	sel = calloc(1, sizeof(*sel));
	if (sel == NULL)
		return MIO_ENOMEM;
	/* A completion port is never inheritable. */
	sel->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
	if (sel->port == NULL) {
		err = mio__win_error(GetLastError());
		free(sel);
		return err;
	}
	InitializeSRWLock(&sel->lock);
	atomic_init(&sel->polling, false);
	/* Waits go through the completion port, a HANDLE, no descriptor. */
	fds->wait_fd = -1;
	fds->raw_fd = MIO_INVALID_FD;
	*out = sel;
	return 0;
}

HANDLE mio__selector_port(struct mio__selector *sel)
{
	return sel->port;
}

void mio__selector_lock(struct mio__selector *sel)
{
	AcquireSRWLockExclusive(&sel->lock);
}

void mio__selector_unlock(struct mio__selector *sel)
{
	ReleaseSRWLockExclusive(&sel->lock);
}

struct mio__npipe **mio__selector_npipes(struct mio__selector *sel)
{
	return &sel->npipes;
}

/*
 * The kernel writes into a state until its poll completes, so freeing
 * the selector cancels every poll and waits for the completions. Should
 * some never come, their states are leaked rather than freed under the
 * kernel's hands.
 */
static void drain(struct mio__selector *sel)
{
	OVERLAPPED_ENTRY entries[64];
	ULONG got;

	for (struct sock *s = sel->socks; s != NULL; s = s->next)
		if (s->status == POLL_PENDING)
			sock_cancel(s);
	mio__npipes_detach(sel);
	for (int round = 0;
	     round < DRAIN_ROUNDS &&
	     (sel->in_flight > 0 || mio__npipes_in_flight(sel) > 0);) {
		if (!GetQueuedCompletionStatusEx(sel->port, entries, 64, &got,
						 DRAIN_WAIT_MS, FALSE)) {
			round++;
			continue;
		}
		for (ULONG i = 0; i < got; i++) {
			OVERLAPPED *ov = entries[i].lpOverlapped;
			mio_event ignored;

			if (entries[i].lpCompletionKey == MIO__KEY_AFD) {
				struct sock *s = (struct sock *)(void *)ov;
				s->delete_pending = true;
				sock_feed(sel, s);
			} else if (entries[i].lpCompletionKey ==
				   MIO__KEY_PIPE) {
				mio__npipe_complete(ov, &ignored);
			}
		}
	}
}

void mio__selector_free(struct mio__selector *sel)
{
	struct sock *s, *next;

	AcquireSRWLockExclusive(&sel->lock);
	drain(sel);
	mio__npipes_release(sel);
	for (s = sel->socks; s != NULL; s = next) {
		next = s->next;
		if (s->status == POLL_IDLE)
			sock_free(sel, s);
	}
	/* Only the groups of leaked states are left; close them all. */
	while (sel->groups != NULL)
		group_free(sel, sel->groups);
	ReleaseSRWLockExclusive(&sel->lock);
	CloseHandle(sel->port);
	free(sel);
}

/*
 * Turns the completions in buf into events, in place: event j is written
 * over entry j <= i only after entry i has been read.
 */
static int feed(struct mio__selector *sel, mio_event *buf, ULONG got)
{
	OVERLAPPED_ENTRY *entries = (OVERLAPPED_ENTRY *)(void *)buf;
	int n = 0;

	AcquireSRWLockExclusive(&sel->lock);
	for (ULONG i = 0; i < got; i++) {
		OVERLAPPED_ENTRY e = entries[i];
		uint32_t flags;

		switch (e.lpCompletionKey) {
		case MIO__KEY_AFD:
			flags = sock_feed(
				sel, (struct sock *)(void *)e.lpOverlapped);
			if (flags != 0) {
				struct sock *s =
					(struct sock *)(void *)e.lpOverlapped;
				mio__event_put(&buf[n++], s->token, flags);
			}
			break;
		case MIO__KEY_WAKER:
			/* A packet of a waker freed since reports nothing. */
			if (sel->waker != NULL) {
				mio__waker_consumed(sel->waker);
				mio__event_put(&buf[n++], sel->waker_token,
					       MIO__AFD_POLL_RECEIVE);
			}
			break;
		case MIO__KEY_PIPE:
			if (mio__npipe_complete(e.lpOverlapped, &buf[n]))
				n++;
			break;
		}
	}
	ReleaseSRWLockExclusive(&sel->lock);
	return n;
}

/* INFINITE is no finite wait: the longest one is a millisecond less. */
static DWORD timeout_ms(const struct timespec *t)
{
	return t == NULL ? INFINITE
			 : (DWORD)mio__timeout_ms(t, (int64_t)INFINITE - 1);
}

int mio__selector_select(struct mio__selector *sel,
			 struct mio__events_view *events,
			 const struct timespec *timeout)
{
	ULONG cap = events->cap > ULONG_MAX ? ULONG_MAX : (ULONG)events->cap;
	DWORD ms = timeout_ms(timeout);
	ULONGLONG deadline = GetTickCount64() + ms;
	ULONG got;
	int n, err;

	_Static_assert(sizeof(mio_event) == sizeof(OVERLAPPED_ENTRY),
		       "an event is decoded in place of its completion");
	for (;;) {
		AcquireSRWLockExclusive(&sel->lock);
		atomic_store(&sel->polling, true);
		err = update_queue(sel);
		ReleaseSRWLockExclusive(&sel->lock);
		if (err < 0) {
			atomic_store(&sel->polling, false);
			return err;
		}
		if (!GetQueuedCompletionStatusEx(
			    sel->port,
			    (OVERLAPPED_ENTRY *)(void *)mio__events_buf(events),
			    cap, &got, ms, FALSE)) {
			err = GetLastError();
			atomic_store(&sel->polling, false);
			if (err != WAIT_TIMEOUT)
				return mio__win_error(err);
			got = 0;
		}
		atomic_store(&sel->polling, false);
		n = feed(sel, mio__events_buf(events), got);
		if (n > 0 || ms == 0)
			break;
		/* Only completions without events: wait for the rest. */
		if (ms != INFINITE) {
			ULONGLONG now = GetTickCount64();
			if (now >= deadline)
				break;
			ms = (DWORD)(deadline - now);
		}
	}
	events->len = (size_t)n;
	return n;
}

static int sock_register(struct mio__selector *sel, mio_source *src,
			 mio_token token, mio_interest interest)
{
	struct sock *s;
	SOCKET base = INVALID_SOCKET;
	int err;

	/* A state per socket needs a source that can point to it. */
	if (!(src->flags_ & MIO__SOURCE_OWNED))
		return MIO_ENOTSUP;
	err = base_socket((SOCKET)src->fd, &base);
	if (err < 0)
		return err;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return MIO_ENOMEM;
	s->sel = sel;
	s->base = base;
	s->token = token;
	s->interest = interest;
	s->user_evts = afd_flags(interest) | ALWAYS_EVENTS;
	s->status = POLL_IDLE;

	AcquireSRWLockExclusive(&sel->lock);
	err = group_acquire(sel, &s->group);
	if (err < 0)
		goto out_unlock;
	s->next = sel->socks;
	if (s->next != NULL)
		s->next->prev = s;
	sel->socks = s;
	err = sock_request_update(sel, s);
	if (err < 0) {
		/* Nothing is in flight: undo at once. */
		sock_free(sel, s);
		s = NULL;
	}
out_unlock:
	ReleaseSRWLockExclusive(&sel->lock);
	if (err < 0) {
		if (s != NULL)
			free(s);
		return err;
	}
	src->state_ = s;
	return 0;
}

static int sock_reregister(struct mio__selector *sel, mio_source *src,
			   mio_token token, mio_interest interest)
{
	struct sock *s;
	int err = MIO_ENOENT;

	AcquireSRWLockExclusive(&sel->lock);
	s = sock_of(sel, src);
	if (s != NULL) {
		s->token = token;
		s->interest = interest;
		s->user_evts = afd_flags(interest) | ALWAYS_EVENTS;
		err = sock_request_update(sel, s);
	}
	ReleaseSRWLockExclusive(&sel->lock);
	return err;
}

static int sock_deregister(struct mio__selector *sel, mio_source *src)
{
	struct sock *s;

	AcquireSRWLockExclusive(&sel->lock);
	s = sock_of(sel, src);
	if (s == NULL) {
		ReleaseSRWLockExclusive(&sel->lock);
		return MIO_ENOENT;
	}
	s->delete_pending = true;
	queue_remove(sel, s);
	/* The state outlives its poll; the completion frees it. */
	if (s->status == POLL_PENDING)
		sock_cancel(s);
	if (s->status == POLL_IDLE)
		sock_free(sel, s);
	ReleaseSRWLockExclusive(&sel->lock);
	src->state_ = NULL;
	return 0;
}

/* The directions in which I/O on the socket would not block now. */
static mio_interest socket_ready(mio_raw_fd fd)
{
	WSAPOLLFD p = { (SOCKET)fd, POLLRDNORM | POLLWRNORM, 0 };
	mio_interest ready = 0;

	if (WSAPoll(&p, 1, 0) <= 0)
		return 0;
	if (p.revents & (POLLRDNORM | POLLHUP | POLLERR))
		ready |= MIO_READABLE;
	if (p.revents & (POLLWRNORM | POLLHUP | POLLERR))
		ready |= MIO_WRITABLE;
	return ready;
}

/*
 * Waits again for the registered directions among `dirs` that the socket
 * no longer waits for. Locked.
 */
static void sock_wait_again(struct mio__selector *sel, struct sock *s,
			    mio_interest dirs)
{
	uint32_t add = afd_flags(dirs & s->interest);

	if (add != 0 && (add & ~s->user_evts) != 0) {
		s->user_evts |= add | ALWAYS_EVENTS;
		/* An error here shows up at the next select. */
		sock_request_update(sel, s);
	}
}

/* What try_io's socket is ready for before its function runs. */
static mio_interest sock_try_io_begin(mio_source *src)
{
	if (src->state_ == NULL || src->anchor_ == NULL)
		return 0;
	return socket_ready(src->fd);
}

/*
 * I/O in directions `dirs` would block: wait for them again. The state
 * is only touched while the source's poll is held (mio__anchor_enter).
 */
static void sock_rearm(mio_source *src, mio_interest dirs, mio_interest before)
{
	struct mio__anchor *anchor = src->anchor_;
	struct mio__selector *sel;
	struct sock *s;

	if (src->state_ == NULL || anchor == NULL)
		return;
	/*
	 * try_io, whose direction is unknown: a direction ready before its
	 * function ran and still ready now did not block, and waiting for it
	 * again would report it again at once. Asked outside the locks: the
	 * poller need not wait for it.
	 */
	if ((dirs & before) != 0)
		dirs &= (mio_interest) ~(before & socket_ready(src->fd));
	sel = mio__anchor_enter(anchor);
	if (sel == NULL)
		return;
	AcquireSRWLockExclusive(&sel->lock);
	s = sock_of(sel, src);
	if (s != NULL)
		sock_wait_again(sel, s, dirs);
	ReleaseSRWLockExclusive(&sel->lock);
	mio__anchor_leave(anchor);
}

static const struct mio__source_ops sock_ops = {
	sock_register,	   sock_reregister, sock_deregister,
	sock_try_io_begin, sock_rearm,
};

/* The one place where the kind of a source is told. */
static const struct mio__source_ops *source_ops(const mio_source *src)
{
	return (src->flags_ & MIO__SOURCE_NAMED_PIPE) ? &mio__npipe_ops
						      : &sock_ops;
}

int mio__selector_register(struct mio__selector *sel, mio_source *src,
			   mio_token token, mio_interest interest)
{
	return source_ops(src)->register_source(sel, src, token, interest);
}

int mio__selector_reregister(struct mio__selector *sel, mio_source *src,
			     mio_token token, mio_interest interest)
{
	return source_ops(src)->reregister(sel, src, token, interest);
}

int mio__selector_deregister(struct mio__selector *sel, mio_source *src)
{
	return source_ops(src)->deregister(sel, src);
}

mio_interest mio__selector_try_io_begin(mio_source *src)
{
	return source_ops(src)->try_io_begin(src);
}

void mio__selector_rearm(mio_source *src, mio_interest dirs,
			 mio_interest before)
{
	source_ops(src)->rearm(src, dirs, before);
}

/* The waker (waker.c): one per poll, named by its completion key. */
void mio__selector_set_waker(struct mio__selector *sel, struct mio__waker *w,
			     mio_token token)
{
	AcquireSRWLockExclusive(&sel->lock);
	sel->waker = w;
	sel->waker_token = token;
	ReleaseSRWLockExclusive(&sel->lock);
}

void mio__selector_clear_waker(struct mio__selector *sel, struct mio__waker *w)
{
	AcquireSRWLockExclusive(&sel->lock);
	if (sel->waker == w)
		sel->waker = NULL;
	ReleaseSRWLockExclusive(&sel->lock);
}
