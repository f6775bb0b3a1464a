/*
 * The poll(2) backend (MIO_FORCE_POLL), with edge triggering emulated so
 * that everything done through the library behaves as with epoll.
 *
 * Emulation. Each registered descriptor has an interest and an armed set
 * (a subset of it). Only armed directions go to poll(2). An event disarms
 * the directions it reports (all of them on POLLHUP or POLLERR, which
 * poll(2) reports whatever was asked); a descriptor with nothing armed is
 * handed to poll(2) as a negative number, which it ignores. A library I/O
 * call that returns MIO_EAGAIN re-arms only the direction that blocked
 * (mio__selector_rearm); re-arming both would make a writable socket
 * report an event on every poll after each read. mio_source_try_io cannot
 * know the direction, so it re-arms the registered directions that are
 * not ready right now (one zero-timeout poll(2) of that descriptor).
 * Reregistering arms the whole interest again, as EPOLL_CTL_MOD reports
 * the current readiness again.
 *
 * Costs. Every poll(2) call passes all registered descriptors to the
 * kernel and scans them on return: O(registered) per call, where epoll
 * is O(ready). Re-arming a disarmed direction takes a lock, and if another
 * thread is blocked in mio_poll_poll, a wake-up and a second poll(2).
 *
 * Difference for raw descriptors. Readiness consumed by I/O that bypasses
 * the library (a plain recv on mio_source_fd's descriptor) is not seen:
 * such a direction stays disarmed until mio_source_try_io or a
 * reregistration re-arms it. A borrowed descriptor closed without
 * deregistration stays registered by its number (epoll forgets a closed
 * file): the number's next owner would inherit its token, so deregister
 * first, as the API requires.
 *
 * Threads. The table is guarded by `lock`, released while poll(2) runs.
 * A registry call or a re-arm that changes the table while a poll(2) is
 * running writes to the internal wake-up pipe and waits until the poller
 * has left poll(2); the poller lets every waiting change in before it
 * polls again. So a change takes effect before the call returns, and a
 * deregistered descriptor is never reported afterwards, even if its
 * number is reused at once. No helper thread, no allocation per poll:
 * registration alone grows the tables.
 */

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#ifndef POLLRDHUP
#define POLLRDHUP 0
#endif

#if !defined(MIO_EVENT_LAYOUT_EPOLL)
#error "the poll(2) backend writes epoll_event records (Linux only for now)"
#endif

/* The events are struct epoll_event, whose bits equal poll's on Linux. */
_Static_assert(POLLIN == EPOLLIN && POLLPRI == EPOLLPRI &&
		       POLLOUT == EPOLLOUT && POLLERR == EPOLLERR &&
		       POLLHUP == EPOLLHUP && POLLRDHUP == EPOLLRDHUP,
	       "poll and epoll bits differ");

/* A registration, found by its descriptor. */
struct pollsel_entry {
	mio_token token;
	uint32_t slot; /* index in pfds; 0 (the wake-up pipe) = unregistered */
	uint8_t interest;
	uint8_t armed;
	bool waker; /* a waker's descriptor: drained on event, always armed */
};

struct mio__selector {
	pthread_mutex_t lock;
	pthread_cond_t left_poll;  /* the poller has left poll(2) */
	pthread_cond_t no_changes; /* no change is waiting any more */
	bool polling;		   /* a poll(2) is running on pfds */
	bool wake_pending;	   /* a byte is in the wake-up pipe */
	unsigned changes;	   /* changes waiting for the table */
	int wake_rd, wake_wr;
	struct pollfd *pfds; /* pfds[0] is wake_rd */
	size_t npfds, pfds_cap;
	struct pollsel_entry *entries; /* by descriptor */
	size_t entries_cap;
	size_t next_scan; /* where collecting starts, for fairness */
};

static short pollsel_bits(uint8_t dirs)
{
	short bits = 0;

	if (dirs & MIO_READABLE)
		bits |= POLLIN | POLLRDHUP;
	if (dirs & MIO_WRITABLE)
		bits |= POLLOUT;
	if (dirs & MIO_PRIORITY)
		bits |= POLLPRI;
	return bits;
}

/* The directions an event consumes. */
static uint8_t pollsel_event_dirs(short revents)
{
	uint8_t dirs = 0;

	if (revents & (POLLHUP | POLLERR | POLLNVAL))
		return 0xff;
	if (revents & (POLLIN | POLLRDHUP))
		dirs |= MIO_READABLE;
	if (revents & POLLOUT)
		dirs |= MIO_WRITABLE;
	if (revents & POLLPRI)
		dirs |= MIO_PRIORITY;
	return dirs;
}

/* Hands the armed directions to poll(2); nothing armed: ignored. */
static void pollsel_sync_pfd(struct mio__selector *sel, int fd,
			     struct pollsel_entry *e)
{
	struct pollfd *p = &sel->pfds[e->slot];

	p->events = pollsel_bits(e->armed);
	p->fd = p->events != 0 || e->waker ? fd : ~fd;
	p->revents = 0;
}

static struct pollsel_entry *pollsel_lookup(struct mio__selector *sel, int fd)
{
	if (fd < 0 || (size_t)fd >= sel->entries_cap)
		return NULL;
	return sel->entries[fd].slot != 0 ? &sel->entries[fd] : NULL;
}

static int pollsel_set_flags(int fd)
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
static int pollsel_make_pipe(int fds[2])
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
	err = pollsel_set_flags(fds[0]);
	if (err == 0)
		err = pollsel_set_flags(fds[1]);
	if (err < 0) {
		mio__fd_close(fds[0]);
		mio__fd_close(fds[1]);
	}
	return err;
}

/* Reads a pipe or an eventfd empty (a short read means it is). */
static void pollsel_drain(int fd)
{
	char sink[64];

	while (read(fd, sink, sizeof(sink)) == (ssize_t)sizeof(sink))
		;
}

int mio__selector_new(struct mio__selector **out)
{
	struct mio__selector *sel = calloc(1, sizeof(*sel));
	int fds[2];
	int err = MIO_ENOMEM;

	if (sel == NULL)
		return MIO_ENOMEM;
	sel->pfds_cap = 8;
	sel->pfds = malloc(sel->pfds_cap * sizeof(*sel->pfds));
	if (sel->pfds == NULL)
		goto out_free;
	err = pollsel_make_pipe(fds);
	if (err < 0)
		goto out_free;
	sel->wake_rd = fds[0];
	sel->wake_wr = fds[1];
	sel->pfds[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	sel->npfds = 1;
	sel->next_scan = 1;
	pthread_mutex_init(&sel->lock, NULL);
	pthread_cond_init(&sel->left_poll, NULL);
	pthread_cond_init(&sel->no_changes, NULL);
	*out = sel;
	return 0;

out_free:
	free(sel->pfds);
	free(sel);
	return err;
}

void mio__selector_free(struct mio__selector *sel)
{
	mio__fd_close(sel->wake_rd);
	mio__fd_close(sel->wake_wr);
	pthread_cond_destroy(&sel->no_changes);
	pthread_cond_destroy(&sel->left_poll);
	pthread_mutex_destroy(&sel->lock);
	free(sel->entries);
	free(sel->pfds);
	free(sel);
}

/*
 * With the lock held: waits until no poll(2) runs on the table, waking
 * the poller if one does. The poller polls again only after end_change.
 */
static void pollsel_begin_change_locked(struct mio__selector *sel)
{
	const char one = 1;

	sel->changes++;
	while (sel->polling) {
		if (!sel->wake_pending) {
			/* A full pipe wakes the poller as well. */
			if (write(sel->wake_wr, &one, 1) == 1 ||
			    errno == EAGAIN)
				sel->wake_pending = true;
		}
		pthread_cond_wait(&sel->left_poll, &sel->lock);
	}
}

static void pollsel_begin_change(struct mio__selector *sel)
{
	pthread_mutex_lock(&sel->lock);
	pollsel_begin_change_locked(sel);
}

static void pollsel_end_change(struct mio__selector *sel)
{
	if (--sel->changes == 0)
		pthread_cond_signal(&sel->no_changes);
	pthread_mutex_unlock(&sel->lock);
}

/* Milliseconds for poll(2), rounded up: a short timeout never becomes 0. */
static int pollsel_to_ms(const struct timespec *t)
{
	int64_t ms = (int64_t)t->tv_nsec / 1000000;

	if ((int64_t)t->tv_nsec % 1000000 != 0)
		ms++;
	if (t->tv_sec > (INT_MAX - ms) / 1000)
		return INT_MAX;
	return (int)(ms + (int64_t)t->tv_sec * 1000);
}

/* The time left until deadline, or a zero timespec once it has passed. */
static struct timespec pollsel_time_left(const struct timespec *deadline)
{
	struct timespec now, left = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > deadline->tv_sec || (now.tv_sec == deadline->tv_sec &&
					      now.tv_nsec >= deadline->tv_nsec))
		return left;
	left.tv_sec = deadline->tv_sec - now.tv_sec;
	left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left.tv_nsec < 0) {
		left.tv_sec--;
		left.tv_nsec += 1000000000L;
	}
	return left;
}

static void pollsel_emit(struct epoll_event *out, mio_token token,
			 short revents)
{
	out->events = (uint32_t)(unsigned short)revents;
	out->data.u64 = (uint64_t)token;
}

/* Turns one descriptor's revents into at most one event; false if none. */
static bool pollsel_take_event(struct mio__selector *sel, struct pollfd *p,
			       struct epoll_event *out)
{
	short revents = p->revents;
	int fd = p->fd;
	struct pollsel_entry *e = &sel->entries[fd];

	p->revents = 0;
	if (e->waker) {
		/* Empty it first: a wake after this is seen by the next poll.
		 */
		pollsel_drain(fd);
		pollsel_emit(out, e->token, POLLIN);
		return true;
	}
	e->armed &= (uint8_t)~pollsel_event_dirs(revents);
	pollsel_sync_pfd(sel, fd, e);
	/* Closed without deregistration: epoll would say nothing either. */
	if (revents & POLLNVAL)
		return false;
	pollsel_emit(out, e->token, revents);
	return true;
}

/*
 * Turns up to cap of the `ready` descriptors poll(2) marked into events,
 * starting where the last call stopped so that none starves. Descriptors
 * left over keep their armed set and are reported by the next poll.
 */
static size_t pollsel_collect(struct mio__selector *sel,
			      struct epoll_event *out, size_t cap, int ready)
{
	size_t n = sel->npfds, i = sel->next_scan, count = 0;

	if (i >= n)
		i = 1;
	for (size_t seen = 1; seen < n && ready > 0 && count < cap; seen++) {
		struct pollfd *p = &sel->pfds[i];
		if (p->revents != 0) {
			ready--;
			if (pollsel_take_event(sel, p, &out[count]))
				count++;
		}
		i = i + 1 < n ? i + 1 : 1;
	}
	sel->next_scan = i;
	return count;
}

/* One poll(2) over the table, with the lock released while it runs. */
static int pollsel_once(struct mio__selector *sel, int ms)
{
	struct pollfd *pfds = sel->pfds;
	nfds_t n = (nfds_t)sel->npfds;
	int ret, err;

	sel->polling = true;
	pthread_mutex_unlock(&sel->lock);
	ret = poll(pfds, n, ms);
	err = errno;
	pthread_mutex_lock(&sel->lock);
	sel->polling = false;
	if (sel->changes > 0)
		pthread_cond_broadcast(&sel->left_poll);
	if (ret < 0)
		return err == EAGAIN ? 0 : -err;
	if (ret > 0 && sel->pfds[0].revents != 0) {
		pollsel_drain(sel->wake_rd);
		sel->wake_pending = false;
		sel->pfds[0].revents = 0;
		ret--;
	}
	return ret;
}

int mio__selector_select(struct mio__selector *sel,
			 struct mio__events_view *events,
			 const struct timespec *timeout)
{
	struct epoll_event *out = (struct epoll_event *)(void *)events->buf;
	struct timespec deadline, left;
	bool forever = timeout == NULL;
	bool once = !forever && timeout->tv_sec == 0 && timeout->tv_nsec == 0;
	int ms = forever ? -1 : once ? 0 : pollsel_to_ms(timeout);
	int ret;

	if (!forever && !once) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout->tv_sec;
		deadline.tv_nsec += timeout->tv_nsec;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&sel->lock);
	for (;;) {
		/* Let every waiting registry change in first. */
		while (sel->changes > 0)
			pthread_cond_wait(&sel->no_changes, &sel->lock);
		ret = pollsel_once(sel, ms);
		if (ret > 0)
			ret = (int)pollsel_collect(sel, out, events->cap, ret);
		/* Only the wake-up pipe, or only closed descriptors: again. */
		if (ret != 0 || once)
			break;
		if (!forever) {
			left = pollsel_time_left(&deadline);
			if (left.tv_sec == 0 && left.tv_nsec == 0)
				break;
			ms = pollsel_to_ms(&left);
		}
	}
	pthread_mutex_unlock(&sel->lock);
	if (ret < 0)
		return ret;
	events->len = (size_t)ret;
	return ret;
}

/* Makes room for descriptor fd and one more pollfd. */
static int pollsel_grow(struct mio__selector *sel, int fd)
{
	if ((size_t)fd >= sel->entries_cap) {
		size_t cap = sel->entries_cap ? sel->entries_cap : 64;
		struct pollsel_entry *grown;
		while (cap <= (size_t)fd)
			cap *= 2;
		grown = realloc(sel->entries, cap * sizeof(*grown));
		if (grown == NULL)
			return MIO_ENOMEM;
		memset(grown + sel->entries_cap, 0,
		       (cap - sel->entries_cap) * sizeof(*grown));
		sel->entries = grown;
		sel->entries_cap = cap;
	}
	if (sel->npfds == sel->pfds_cap) {
		size_t cap = sel->pfds_cap * 2;
		struct pollfd *grown = realloc(sel->pfds, cap * sizeof(*grown));
		if (grown == NULL)
			return MIO_ENOMEM;
		sel->pfds = grown;
		sel->pfds_cap = cap;
	}
	return 0;
}

/* MIO_EBADF for a descriptor that is not open, else 0. */
static int pollsel_check_open(int fd)
{
	return fcntl(fd, F_GETFD) < 0 ? -errno : 0;
}

static int pollsel_add(struct mio__selector *sel, int fd, mio_token token,
		       mio_interest interest, bool waker)
{
	struct pollsel_entry *e;
	int err = pollsel_check_open(fd);

	if (err < 0)
		return err;
	pollsel_begin_change(sel);
	err = pollsel_grow(sel, fd);
	if (err < 0)
		goto out;
	err = MIO_EEXIST;
	if (pollsel_lookup(sel, fd) != NULL)
		goto out;
	e = &sel->entries[fd];
	e->token = token;
	e->interest = interest;
	e->armed = interest;
	e->waker = waker;
	e->slot = (uint32_t)sel->npfds++;
	pollsel_sync_pfd(sel, fd, e);
	err = 0;
out:
	pollsel_end_change(sel);
	return err;
}

int mio__selector_register(struct mio__selector *sel, mio_source *src,
			   mio_token token, mio_interest interest)
{
	return pollsel_add(sel, src->fd, token, interest, false);
}

int mio__selector_reregister(struct mio__selector *sel, mio_source *src,
			     mio_token token, mio_interest interest)
{
	struct pollsel_entry *e;
	int err = 0;

	pollsel_begin_change(sel);
	e = pollsel_lookup(sel, src->fd);
	if (e == NULL || e->waker) {
		err = pollsel_check_open(src->fd);
		err = err < 0 ? err : MIO_ENOENT;
		goto out;
	}
	e->token = token;
	e->interest = interest;
	e->armed = interest;
	pollsel_sync_pfd(sel, src->fd, e);
out:
	pollsel_end_change(sel);
	return err;
}

/* Drops fd's entry; the last pollfd moves into its slot. */
static void pollsel_remove_entry(struct mio__selector *sel, int fd,
				 struct pollsel_entry *e)
{
	size_t last = sel->npfds - 1;
	struct pollfd *moved = &sel->pfds[last];

	if (e->slot != last) {
		int mfd = moved->fd < 0 ? ~moved->fd : moved->fd;
		sel->pfds[e->slot] = *moved;
		sel->entries[mfd].slot = e->slot;
	}
	sel->npfds--;
	sel->entries[fd].slot = 0;
}

int mio__selector_deregister(struct mio__selector *sel, mio_source *src)
{
	struct pollsel_entry *e;
	int err = 0;

	pollsel_begin_change(sel);
	e = pollsel_lookup(sel, src->fd);
	if (e == NULL || e->waker) {
		err = pollsel_check_open(src->fd);
		err = err < 0 ? err : MIO_ENOENT;
	} else {
		pollsel_remove_entry(sel, src->fd, e);
	}
	pollsel_end_change(sel);
	return err;
}

int mio__selector_register_waker(struct mio__selector *sel, mio_raw_fd fd,
				 mio_token token, bool drain_it)
{
	/* Emulated edges need the drain whatever the waker kind. */
	(void)drain_it;
	return pollsel_add(sel, fd, token, MIO_READABLE, true);
}

void mio__selector_deregister_waker(struct mio__selector *sel, mio_raw_fd fd)
{
	struct pollsel_entry *e;

	pollsel_begin_change(sel);
	e = pollsel_lookup(sel, fd);
	if (e != NULL && e->waker)
		pollsel_remove_entry(sel, fd, e);
	pollsel_end_change(sel);
}

/* The registered directions among `dirs` that are ready right now. */
static uint8_t pollsel_ready_now(int fd, uint8_t dirs)
{
	struct pollfd p = { .fd = fd, .events = pollsel_bits(dirs) };

	if (poll(&p, 1, 0) <= 0)
		return 0;
	return pollsel_event_dirs(p.revents) & dirs;
}

/* The disarmed directions a would-block result in `dirs` re-arms. */
static uint8_t pollsel_to_rearm(const struct pollsel_entry *e, int fd,
				mio_interest dirs)
{
	uint8_t want = dirs;

	/* Priority data comes through reads: a read that blocked re-arms it. */
	if (dirs & MIO_READABLE)
		want |= MIO_PRIORITY;
	want &= e->interest & (uint8_t)~e->armed;
	/* Direction unknown (try_io): leave alone what is ready anyway. */
	if (want != 0 && (dirs & MIO_READABLE) && (dirs & MIO_WRITABLE))
		want &= (uint8_t)~pollsel_ready_now(fd, want);
	return want;
}

static void pollsel_rearm_fd(struct mio__selector *sel, int fd,
			     mio_interest dirs)
{
	struct pollsel_entry *e;
	uint8_t want;

	pthread_mutex_lock(&sel->lock);
	e = pollsel_lookup(sel, fd);
	/* Armed already (the usual case): no need to disturb the poller. */
	if (e == NULL || e->waker || pollsel_to_rearm(e, fd, dirs) == 0) {
		pthread_mutex_unlock(&sel->lock);
		return;
	}
	pollsel_begin_change_locked(sel);
	/* The table may have changed while the lock was released. */
	e = pollsel_lookup(sel, fd);
	if (e != NULL && !e->waker) {
		want = pollsel_to_rearm(e, fd, dirs);
		e->armed |= want;
		pollsel_sync_pfd(sel, fd, e);
	}
	pollsel_end_change(sel);
}

/*
 * An owned source knows its poll; a borrowed one (mio_source_fd) does
 * not, so its descriptor is re-armed in every live poll that has it. The
 * live-poll lock keeps the selectors from being freed meanwhile.
 */
void mio__selector_rearm(mio_source *src, mio_interest dirs)
{
	struct mio__selector *sel;

	if ((src->flags_ & MIO__SOURCE_OWNED) != 0 && src->poll_id_ == 0)
		return;
	mio__polls_lock();
	if ((src->flags_ & MIO__SOURCE_OWNED) != 0) {
		sel = mio__polls_find(src->poll_id_);
		if (sel != NULL)
			pollsel_rearm_fd(sel, src->fd, dirs);
	} else {
		for (size_t i = 0; (sel = mio__polls_at(i)) != NULL; i++)
			pollsel_rearm_fd(sel, src->fd, dirs);
	}
	mio__polls_unlock();
}
