/*
 * The poll(2) backend (MIO_FORCE_POLL), with edge triggering emulated so
 * that everything done through the library behaves as with epoll. How the
 * emulation works, what it costs and where it differs from epoll:
 * docs/poll-emulation.md.
 */

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "poll_borrowed.h"
#include "waker.h"

/*
 * The events written: struct epoll_event on Linux, whose bits equal
 * poll's, and on the kqueue systems (macOS, the BSDs), which have no
 * epoll_event, the layout of include/mio/event_poll.h. POLLSEL_EV_RDHUP
 * is the revents bit for a read side closed.
 */
#if defined(MIO_EVENT_LAYOUT_EPOLL)
_Static_assert(POLLIN == EPOLLIN && POLLPRI == EPOLLPRI &&
		       POLLOUT == EPOLLOUT && POLLERR == EPOLLERR &&
		       POLLHUP == EPOLLHUP && POLLRDHUP == EPOLLRDHUP,
	       "poll and epoll bits differ");
#define POLLSEL_EV_RDHUP ((uint32_t)EPOLLRDHUP)

static void pollsel_emit(mio_event *out, mio_token token, uint32_t events)
{
	out->raw_.events = events;
	out->raw_.data.u64 = (uint64_t)token;
}
#elif defined(MIO_EVENT_LAYOUT_POLL)
#ifdef POLLRDHUP
#define POLLSEL_EV_RDHUP ((uint32_t)POLLRDHUP)
#else
#define POLLSEL_EV_RDHUP ((uint32_t)0x10000) /* above poll(2)'s 16 bits */
#endif

static void pollsel_emit(mio_event *out, mio_token token, uint32_t revents)
{
	static const struct {
		uint32_t from, to;
	} bits[] = {
		{ POLLIN, MIO__POLL_IN },
		{ POLLPRI, MIO__POLL_PRI },
		{ POLLOUT, MIO__POLL_OUT },
		{ POLLERR, MIO__POLL_ERR },
		{ POLLHUP, MIO__POLL_HUP },
		{ POLLSEL_EV_RDHUP, MIO__POLL_RDHUP },
	};
	uint32_t events = 0;

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (revents & bits[i].from)
			events |= bits[i].to;
	out->raw_.token = token;
	out->raw_.events = events;
}
#else
#error "the poll(2) backend writes the epoll or the poll event layout"
#endif

/*
 * poll(2)'s read-side hang-up. macOS and older BSDs have none: there a
 * stream socket's read side closed is found by peeking at it when it
 * polls readable (pollsel_peek_eof).
 */
#ifdef POLLRDHUP
#define POLLSEL_RDHUP POLLRDHUP
#else
#define POLLSEL_RDHUP 0
#endif

/*
 * What an entry has armed: the interest's directions, and apart from them
 * the read side's hang-up (POLLRDHUP, so that shutdown(SHUT_RD) or a FIN
 * is reported after a readable event that was not drained, as epoll
 * does) and any hang-up or error (HUP, ERR, which poll(2) reports even
 * with no event asked for, until they have been reported once).
 */
#define ARM_IN 0x01  /* MIO_READABLE */
#define ARM_OUT 0x02 /* MIO_WRITABLE */
#define ARM_PRI 0x10 /* MIO_PRIORITY */
#define ARM_RDHUP 0x20
#define ARM_CLOSED 0x40

/* A registration, found by its descriptor. */
struct pollsel_entry {
	mio_token token;
	uint32_t slot; /* index in pfds; 0 (the wake-up pipe) = unregistered */
	uint8_t interest;
	uint8_t armed; /* ARM_* */
	bool waker; /* a waker's descriptor: drained on event, always armed */
	bool peek_eof; /* a stream socket, and poll(2) has no POLLRDHUP */
	bool borrowed; /* registered through mio_source_fd: see poll_borrowed.c
			*/
};

struct mio__selector {
	struct mio__anchor *anchor; /* its poll's, for borrowed records */
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

/* The ARM_* bits that directions (MIO_READABLE, ...) stand for. */
static uint8_t pollsel_arm_bits(uint8_t dirs)
{
	uint8_t arm = dirs & (ARM_IN | ARM_OUT | ARM_PRI);

	if (dirs & MIO_READABLE)
		arm |= ARM_RDHUP;
	return arm;
}

/*
 * Each ARM_* bit beside the poll(2) bit that asks for it and the revents
 * bit that reports it (they differ for the read-side hang-up only).
 */
static const struct {
	uint8_t arm;
	short asked;
	uint32_t reported;
} pollsel_bit_map[] = {
	{ ARM_IN, POLLIN, POLLIN },
	{ ARM_RDHUP, POLLSEL_RDHUP, POLLSEL_EV_RDHUP },
	{ ARM_OUT, POLLOUT, POLLOUT },
	{ ARM_PRI, POLLPRI, POLLPRI },
};

/* poll(2)'s events for ARM_* bits. */
static short pollsel_bits(uint8_t arm)
{
	short bits = 0;

	for (size_t i = 0;
	     i < sizeof(pollsel_bit_map) / sizeof(pollsel_bit_map[0]); i++)
		if (arm & pollsel_bit_map[i].arm)
			bits |= pollsel_bit_map[i].asked;
	return bits;
}

/* The ARM_* bits an event consumes: all of them on a hang-up or error. */
static uint8_t pollsel_consumed(uint32_t revents)
{
	uint8_t arm = 0;

	if (revents & (POLLHUP | POLLERR | POLLNVAL))
		return 0xff;
	for (size_t i = 0;
	     i < sizeof(pollsel_bit_map) / sizeof(pollsel_bit_map[0]); i++)
		if (revents & pollsel_bit_map[i].reported)
			arm |= pollsel_bit_map[i].arm;
	return arm;
}

/* What poll(2) says of fd right now, for `events`; 0 if nothing. */
static short pollsel_peek(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 0) > 0 ? p.revents : 0;
}

/* Hands the armed directions to poll(2); nothing armed: ignored. */
static void pollsel_sync_pfd(struct mio__selector *sel, int fd,
			     struct pollsel_entry *e)
{
	struct pollfd *p = &sel->pfds[e->slot];

	p->events = pollsel_bits(e->armed);
	p->fd = e->armed != 0 ? fd : ~fd;
	p->revents = 0;
}

static struct pollsel_entry *pollsel_lookup(struct mio__selector *sel, int fd)
{
	if (fd < 0 || (size_t)fd >= sel->entries_cap)
		return NULL;
	return sel->entries[fd].slot != 0 ? &sel->entries[fd] : NULL;
}

int mio__selector_new(struct mio__anchor *anchor, struct mio__selector **out,
		      struct mio__selector_fds *fds)
{
	struct mio__selector *sel = calloc(1, sizeof(*sel));
	int wake[2];
	int err = MIO_ENOMEM;

	if (sel == NULL)
		return MIO_ENOMEM;
	sel->anchor = anchor;
	mio__fork_guard();
	/*
	 * Room for the descriptors most programs have, so that registering
	 * seldom allocates (it may, but polling and re-arming never do).
	 */
	sel->pfds_cap = 64;
	sel->pfds = malloc(sel->pfds_cap * sizeof(*sel->pfds));
	sel->entries_cap = 1024;
	sel->entries = calloc(sel->entries_cap, sizeof(*sel->entries));
	if (sel->pfds == NULL || sel->entries == NULL)
		goto out_free;
	err = mio__pipe_open(wake);
	if (err < 0)
		goto out_free;
	sel->wake_rd = wake[0];
	sel->wake_wr = wake[1];
	sel->pfds[0] = (struct pollfd){ .fd = wake[0], .events = POLLIN };
	sel->npfds = 1;
	sel->next_scan = 1;
	pthread_mutex_init(&sel->lock, NULL);
	pthread_cond_init(&sel->left_poll, NULL);
	pthread_cond_init(&sel->no_changes, NULL);
	/* Readiness is emulated: every wait goes through this backend. */
	fds->wait_fd = -1;
	/* The table that poll(2) takes is no descriptor. */
	fds->raw_fd = MIO_INVALID_FD;
	*out = sel;
	return 0;

out_free:
	free(sel->entries);
	free(sel->pfds);
	free(sel);
	return err;
}

void mio__selector_free(struct mio__selector *sel)
{
	/* Borrowed descriptors left registered: forget the records. */
	for (size_t i = 1; i < sel->npfds; i++) {
		int fd = sel->pfds[i].fd < 0 ? ~sel->pfds[i].fd
					     : sel->pfds[i].fd;
		if (sel->entries[fd].borrowed)
			mio__borrowed_remove(fd, sel->anchor);
	}
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
	struct timespec soon;
	ssize_t n;

	sel->changes++;
	while (sel->polling) {
		if (!sel->wake_pending) {
			do
				n = write(sel->wake_wr, &one, 1);
			while (n < 0 && errno == EINTR);
			sel->wake_pending = n == 1;
		}
		if (sel->wake_pending) {
			pthread_cond_wait(&sel->left_poll, &sel->lock);
			continue;
		}
		/*
		 * The write failed, which a pipe holding at most one byte per
		 * poll cycle cannot do: retry soon rather than wait forever.
		 */
		clock_gettime(CLOCK_REALTIME, &soon);
		soon.tv_nsec += 1000000;
		if (soon.tv_nsec >= 1000000000L) {
			soon.tv_sec++;
			soon.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&sel->left_poll, &sel->lock, &soon);
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

/*
 * Without POLLRDHUP: whether a readable stream socket's read side is
 * closed, which a peek of one byte tells by returning 0 (end of stream).
 */
static uint32_t pollsel_peek_eof(const struct pollsel_entry *e, int fd,
				 uint32_t revents)
{
	char c;

	if (!e->peek_eof || (revents & POLLIN) == 0 || (revents & POLLHUP))
		return 0;
	return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0 ? POLLSEL_EV_RDHUP
							     : 0;
}

/* Whether fd's read side closed must be found by pollsel_peek_eof. */
static bool pollsel_needs_peek(int fd)
{
	int type = 0;
	socklen_t len = sizeof(type);

	return POLLSEL_RDHUP == 0 &&
	       getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	       type == SOCK_STREAM;
}

/*
 * Turns one descriptor's revents into at most one event; false if none.
 * epoll's event carries everything true for the interest when the edge
 * comes, poll(2) only what was armed: when something of the interest was
 * not armed, or for a hang-up or an error (a shut-down socket is also
 * readable), one more poll(2) of the descriptor asks for all of it.
 */
static bool pollsel_take_event(struct mio__selector *sel, struct pollfd *p,
			       mio_event *out)
{
	uint32_t revents = (uint16_t)p->revents;
	int fd = p->fd;
	struct pollsel_entry *e = &sel->entries[fd];
	uint8_t all = pollsel_arm_bits(e->interest);

	p->revents = 0;
	if (e->waker) {
		/* Empty it first: a wake after this is seen by the next poll.
		 */
		mio__pipe_drain(fd);
		pollsel_emit(out, e->token, POLLIN);
		return true;
	}
	/* Closed without deregistration: epoll would say nothing either. */
	if (revents & POLLNVAL) {
		e->armed = 0;
		pollsel_sync_pfd(sel, fd, e);
		return false;
	}
	if ((e->armed & all) != all ||
	    (revents & (POLLHUP | POLLERR | POLLSEL_RDHUP)) != 0)
		revents |= (uint16_t)pollsel_peek(fd, pollsel_bits(all)) &
			   ~(uint32_t)POLLNVAL;
	revents |= pollsel_peek_eof(e, fd, revents);
	e->armed &= (uint8_t)~pollsel_consumed(revents);
	pollsel_sync_pfd(sel, fd, e);
	pollsel_emit(out, e->token, revents);
	return true;
}

/*
 * Turns up to cap of the `ready` descriptors poll(2) marked into events,
 * starting where the last call stopped so that none starves. Descriptors
 * left over keep their armed set and are reported by the next poll.
 */
static size_t pollsel_collect(struct mio__selector *sel, mio_event *out,
			      size_t cap, int ready)
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
		mio__pipe_drain(sel->wake_rd);
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
	mio_event *out = mio__events_buf(events);
	struct timespec deadline, left;
	bool forever = timeout == NULL;
	bool once = !forever && timeout->tv_sec == 0 && timeout->tv_nsec == 0;
	int ms = forever ? -1
		 : once	 ? 0
			 : (int)mio__timeout_ms(timeout, INT_MAX);
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
			ms = (int)mio__timeout_ms(&left, INT_MAX);
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
		       mio_interest interest, bool waker, bool borrowed)
{
	struct pollsel_entry *e;
	int err = pollsel_check_open(fd);
	bool peek_eof = !waker && pollsel_needs_peek(fd);

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
	e->armed = pollsel_arm_bits(interest) | ARM_CLOSED;
	e->waker = waker;
	e->peek_eof = peek_eof;
	e->borrowed = borrowed;
	e->slot = (uint32_t)sel->npfds++;
	pollsel_sync_pfd(sel, fd, e);
	err = 0;
out:
	pollsel_end_change(sel);
	return err;
}

static bool pollsel_owned(const mio_source *src)
{
	return (src->flags_ & MIO__SOURCE_OWNED) != 0;
}

/* A borrowed descriptor is also recorded for its re-arms. */
static int pollsel_add_borrowed(struct mio__selector *sel, int fd,
				mio_token token, mio_interest interest)
{
	/* The record first: alone, it can make no event appear. */
	int err = mio__borrowed_add(fd, sel->anchor);

	if (err < 0)
		return err;
	err = pollsel_add(sel, fd, token, interest, false, true);
	if (err < 0)
		mio__borrowed_remove(fd, sel->anchor);
	return err;
}

int mio__selector_register(struct mio__selector *sel, mio_source *src,
			   mio_token token, mio_interest interest)
{
	if (!pollsel_owned(src))
		return pollsel_add_borrowed(sel, src->fd, token, interest);
	return pollsel_add(sel, src->fd, token, interest, false, false);
}

/* fd's entry as a registered source (a waker's is none), or NULL. */
static struct pollsel_entry *pollsel_source_entry(struct mio__selector *sel,
						  int fd)
{
	struct pollsel_entry *e = pollsel_lookup(sel, fd);

	return e != NULL && !e->waker ? e : NULL;
}

/* Why fd has no such entry: what is wrong with it, else MIO_ENOENT. */
static int pollsel_no_entry(int fd)
{
	int err = pollsel_check_open(fd);

	return err < 0 ? err : MIO_ENOENT;
}

int mio__selector_reregister(struct mio__selector *sel, mio_source *src,
			     mio_token token, mio_interest interest)
{
	struct pollsel_entry *e;
	int err = 0;

	pollsel_begin_change(sel);
	e = pollsel_source_entry(sel, src->fd);
	if (e != NULL) {
		e->token = token;
		e->interest = interest;
		e->armed = pollsel_arm_bits(interest) | ARM_CLOSED;
		pollsel_sync_pfd(sel, src->fd, e);
	} else {
		err = pollsel_no_entry(src->fd);
	}
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
	bool borrowed = false;
	int err = 0;

	pollsel_begin_change(sel);
	e = pollsel_source_entry(sel, src->fd);
	if (e == NULL) {
		err = pollsel_no_entry(src->fd);
	} else {
		borrowed = e->borrowed;
		pollsel_remove_entry(sel, src->fd, e);
	}
	pollsel_end_change(sel);
	if (borrowed)
		mio__borrowed_remove(src->fd, sel->anchor);
	return err;
}

int mio__selector_register_waker(struct mio__selector *sel, mio_raw_fd fd,
				 mio_token token, bool drain_it)
{
	/* Emulated edges need the drain whatever the waker kind. */
	(void)drain_it;
	return pollsel_add(sel, fd, token, MIO_READABLE, true, false);
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

/* The ARM_* bits that I/O in directions `dirs` consumed, to arm again. */
static uint8_t pollsel_to_rearm(const struct pollsel_entry *e, int fd,
				mio_interest dirs, mio_interest before)
{
	uint8_t want = dirs;

	/*
	 * Priority data comes through reads: a read that blocked re-arms it
	 * (ARM_PRI, as MIO_PRIORITY is defined only where epoll is).
	 */
	if (dirs & MIO_READABLE)
		want |= ARM_PRI;
	want = pollsel_arm_bits(want & e->interest) & (uint8_t)~e->armed;
	/*
	 * Direction unknown (try_io): a direction ready both before and
	 * after the function ran was not what blocked, and re-arming it
	 * would report it again at once; every other one is re-armed.
	 */
	if ((want & before) != 0)
		want &= (uint8_t) ~(before &
				    pollsel_consumed((uint16_t)pollsel_peek(
					    fd, pollsel_bits(want))));
	/* Whatever is armed again watches for a hang-up again too. */
	return want != 0 ? want | ARM_CLOSED : 0;
}

static void pollsel_rearm_fd(struct mio__selector *sel, int fd,
			     mio_interest dirs, mio_interest before)
{
	struct pollsel_entry *e;
	uint8_t want;

	pthread_mutex_lock(&sel->lock);
	e = pollsel_lookup(sel, fd);
	/* Armed already (the usual case): no need to disturb the poller. */
	if (e == NULL || e->waker ||
	    pollsel_to_rearm(e, fd, dirs, before) == 0) {
		pthread_mutex_unlock(&sel->lock);
		return;
	}
	pollsel_begin_change_locked(sel);
	/* The table may have changed while the lock was released. */
	e = pollsel_lookup(sel, fd);
	if (e != NULL && !e->waker) {
		want = pollsel_to_rearm(e, fd, dirs, before);
		e->armed |= want;
		pollsel_sync_pfd(sel, fd, e);
	}
	pollsel_end_change(sel);
}

/*
 * What try_io's descriptor is ready for before its function runs, as
 * ARM_* bits (a hang-up or an error: all of them), for pollsel_to_rearm.
 * An owned source that is not registered has nothing to re-arm.
 */
mio_interest mio__selector_try_io_begin(mio_source *src)
{
	if (pollsel_owned(src) && src->anchor_ == NULL)
		return 0;
	return pollsel_consumed(
		(uint16_t)pollsel_peek(src->fd, POLLIN | POLLOUT | POLLPRI));
}

struct pollsel_rearm_args {
	mio_interest dirs, before;
};

static void pollsel_rearm_borrowed(struct mio__selector *sel, int fd, void *ctx)
{
	const struct pollsel_rearm_args *a = ctx;

	pollsel_rearm_fd(sel, fd, a->dirs, a->before);
}

/*
 * An owned source reaches its poll through its anchor. A borrowed one
 * (mio_source_fd) has none: its descriptor is re-armed in every poll
 * that registered it through a borrowed value (poll_borrowed.c). Either
 * way, only the polls concerned are locked, one at a time.
 */
void mio__selector_rearm(mio_source *src, mio_interest dirs,
			 mio_interest before)
{
	struct pollsel_rearm_args args = { dirs, before };
	struct mio__selector *sel;

	if (!pollsel_owned(src)) {
		mio__borrowed_each(src->fd, pollsel_rearm_borrowed, &args);
		return;
	}
	if (src->anchor_ == NULL)
		return;
	sel = mio__anchor_enter(src->anchor_);
	if (sel == NULL)
		return;
	pollsel_rearm_fd(sel, src->fd, dirs, before);
	mio__anchor_leave(src->anchor_);
}
