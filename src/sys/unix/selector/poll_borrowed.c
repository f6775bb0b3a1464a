/*
 * The poll(2) selector's record of borrowed registrations, by
 * descriptor. An owned source reaches its poll through its anchor; a
 * borrowed value (mio_source_fd) has nothing to point with, and mio lets
 * a fresh value act on what another value registered, in any number of
 * polls. So when mio_source_try_io on a borrowed value would block, the
 * polls to re-arm are found here, by the descriptor number.
 *
 * No lock of the whole process is taken on the way. The record is a
 * radix table indexed by descriptor (2048 x 1024 x 1024 covers every
 * non-negative int): its levels are filled in with compare-and-swap and
 * never freed, so a reader walks down with plain atomic loads. Each
 * descriptor's slot has its own lock, a flag held only while the slot's
 * short list of polls is read or changed (never across a system call or
 * an allocation), so that two threads contend only on the same
 * descriptor. A re-arm takes a reference on each poll's anchor under the
 * slot's lock, drops the lock, and then re-arms poll by poll, each held
 * with mio__anchor_enter, as an owned source's re-arm is.
 *
 * fork(): the handlers below take every slot's lock around fork, so
 * that the child inherits no list half changed, and the child forgets
 * the parent's polls (as an owned source does through its anchor's
 * generation).
 */

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "poll_borrowed.h"

#define BORROWED_SLOT_BITS 10
#define BORROWED_MID_BITS 10
#define BORROWED_TOP_SIZE (1u << (31 - BORROWED_SLOT_BITS - BORROWED_MID_BITS))
/* Polls re-armed per visit to the slot; more take further visits. */
#define BORROWED_BATCH 8

struct borrowed_poll {
	struct mio__anchor *anchor; /* holds a reference to its memory */
	uint64_t seq;		    /* order of registration in the slot */
};

struct borrowed_slot {
	atomic_uint busy; /* the slot's lock */
	uint32_t n, cap;
	uint64_t next_seq;
	struct borrowed_poll *polls;
};

struct borrowed_mid {
	_Atomic(struct borrowed_slot *) chunks[1u << BORROWED_MID_BITS];
};

static _Atomic(struct borrowed_mid *) borrowed_top[BORROWED_TOP_SIZE];
static pthread_once_t borrowed_handlers_once = PTHREAD_ONCE_INIT;

static void borrowed_slot_lock(struct borrowed_slot *s)
{
	while (atomic_exchange_explicit(&s->busy, 1, memory_order_acquire))
		sched_yield();
}

static void borrowed_slot_unlock(struct borrowed_slot *s)
{
	atomic_store_explicit(&s->busy, 0, memory_order_release);
}

static struct borrowed_mid *borrowed_mid_of(unsigned fd, bool create)
{
	_Atomic(struct borrowed_mid *) *at =
		&borrowed_top[fd >> (BORROWED_SLOT_BITS + BORROWED_MID_BITS)];
	struct borrowed_mid *mid =
		atomic_load_explicit(at, memory_order_acquire);
	struct borrowed_mid *fresh, *none = NULL;

	if (mid != NULL || !create)
		return mid;
	fresh = calloc(1, sizeof(*fresh));
	if (fresh == NULL)
		return NULL;
	if (atomic_compare_exchange_strong_explicit(at, &none, fresh,
						    memory_order_acq_rel,
						    memory_order_acquire))
		return fresh;
	/* Another thread filled it in first. */
	free(fresh);
	return none;
}

/* fd's slot, made if `create` (NULL without memory, or if not made). */
static struct borrowed_slot *borrowed_slot_of(int fd, bool create)
{
	unsigned u = (unsigned)fd;
	struct borrowed_mid *mid = borrowed_mid_of(u, create);
	_Atomic(struct borrowed_slot *) *at;
	struct borrowed_slot *chunk, *fresh, *none = NULL;

	if (mid == NULL)
		return NULL;
	at = &mid->chunks[(u >> BORROWED_SLOT_BITS) &
			  ((1u << BORROWED_MID_BITS) - 1)];
	chunk = atomic_load_explicit(at, memory_order_acquire);
	if (chunk == NULL && create) {
		fresh = calloc(1u << BORROWED_SLOT_BITS, sizeof(*fresh));
		if (fresh == NULL)
			return NULL;
		if (atomic_compare_exchange_strong_explicit(
			    at, &none, fresh, memory_order_acq_rel,
			    memory_order_acquire)) {
			chunk = fresh;
		} else {
			free(fresh);
			chunk = none;
		}
	}
	return chunk == NULL ? NULL
			     : &chunk[u & ((1u << BORROWED_SLOT_BITS) - 1)];
}

/* Calls fn on every slot that exists. */
static void borrowed_each_slot(void (*fn)(struct borrowed_slot *s))
{
	for (size_t t = 0; t < BORROWED_TOP_SIZE; t++) {
		struct borrowed_mid *mid = atomic_load_explicit(
			&borrowed_top[t], memory_order_acquire);
		if (mid == NULL)
			continue;
		for (size_t m = 0; m < (1u << BORROWED_MID_BITS); m++) {
			struct borrowed_slot *chunk = atomic_load_explicit(
				&mid->chunks[m], memory_order_acquire);
			if (chunk == NULL)
				continue;
			for (size_t i = 0; i < (1u << BORROWED_SLOT_BITS); i++)
				fn(&chunk[i]);
		}
	}
}

/* In a forked child: the parent's polls are not this process's. */
static void borrowed_slot_forget(struct borrowed_slot *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		mio__anchor_unref(s->polls[i].anchor);
	free(s->polls);
	s->polls = NULL;
	s->n = s->cap = 0;
	borrowed_slot_unlock(s);
}

static void borrowed_before_fork(void)
{
	borrowed_each_slot(borrowed_slot_lock);
}

static void borrowed_after_fork_parent(void)
{
	borrowed_each_slot(borrowed_slot_unlock);
}

static void borrowed_after_fork_child(void)
{
	borrowed_each_slot(borrowed_slot_forget);
}

static void borrowed_install_handlers(void)
{
	/*
	 * Without handlers (ENOMEM) a child may inherit a slot locked; the
	 * fork guard of the selector has the same limit.
	 */
	pthread_atfork(borrowed_before_fork, borrowed_after_fork_parent,
		       borrowed_after_fork_child);
}

/*
 * With s locked: makes room for one more poll, dropping and retaking the
 * lock to allocate, and sets *retired to what the caller frees once it
 * has unlocked. MIO_ENOMEM, with s unlocked, without memory.
 */
static int borrowed_slot_reserve(struct borrowed_slot *s,
				 struct borrowed_poll **retired)
{
	struct borrowed_poll *grown = NULL, *old;
	uint32_t cap;

	while (s->n == s->cap) {
		cap = s->cap != 0 ? s->cap * 2 : 1;
		borrowed_slot_unlock(s);
		free(grown);
		grown = malloc(cap * sizeof(*grown));
		if (grown == NULL)
			return MIO_ENOMEM;
		borrowed_slot_lock(s);
		if (s->cap >= cap)
			continue; /* grown meanwhile: look again */
		if (s->n > 0)
			memcpy(grown, s->polls, s->n * sizeof(*grown));
		old = s->polls;
		s->polls = grown;
		s->cap = cap;
		grown = old;
	}
	*retired = grown;
	return 0;
}

int mio__borrowed_add(int fd, struct mio__anchor *anchor)
{
	struct borrowed_poll *retired;
	struct borrowed_slot *s;
	int err;

	pthread_once(&borrowed_handlers_once, borrowed_install_handlers);
	s = borrowed_slot_of(fd, true);
	if (s == NULL)
		return MIO_ENOMEM;
	borrowed_slot_lock(s);
	err = borrowed_slot_reserve(s, &retired);
	if (err < 0)
		return err;
	atomic_fetch_add_explicit(&anchor->refs, 1, memory_order_relaxed);
	s->polls[s->n].anchor = anchor;
	s->polls[s->n].seq = ++s->next_seq;
	s->n++;
	borrowed_slot_unlock(s);
	free(retired);
	return 0;
}

void mio__borrowed_remove(int fd, struct mio__anchor *anchor)
{
	struct borrowed_slot *s = borrowed_slot_of(fd, false);
	bool found = false;

	if (s == NULL)
		return;
	borrowed_slot_lock(s);
	for (uint32_t i = 0; i < s->n; i++) {
		if (s->polls[i].anchor != anchor)
			continue;
		/* Kept in order: a walk in batches goes by seq. */
		memmove(&s->polls[i], &s->polls[i + 1],
			(s->n - i - 1) * sizeof(s->polls[0]));
		s->n--;
		found = true;
		break;
	}
	borrowed_slot_unlock(s);
	if (found)
		mio__anchor_unref(anchor);
}

/*
 * Takes up to BORROWED_BATCH polls of s registered after `*last`, with a
 * reference to each anchor; moves *last on. Returns how many.
 */
static size_t borrowed_slot_take(struct borrowed_slot *s, uint64_t *last,
				 struct mio__anchor **out)
{
	size_t n = 0;

	borrowed_slot_lock(s);
	for (uint32_t i = 0; i < s->n && n < BORROWED_BATCH; i++) {
		if (s->polls[i].seq <= *last)
			continue;
		out[n] = s->polls[i].anchor;
		atomic_fetch_add_explicit(&out[n]->refs, 1,
					  memory_order_relaxed);
		*last = s->polls[i].seq;
		n++;
	}
	borrowed_slot_unlock(s);
	return n;
}

void mio__borrowed_each(int fd,
			void (*fn)(struct mio__selector *sel, int fd,
				   void *ctx),
			void *ctx)
{
	struct borrowed_slot *s = borrowed_slot_of(fd, false);
	struct mio__anchor *batch[BORROWED_BATCH];
	struct mio__selector *sel;
	uint64_t last = 0;
	size_t n;

	if (s == NULL)
		return;
	do {
		n = borrowed_slot_take(s, &last, batch);
		for (size_t i = 0; i < n; i++) {
			sel = mio__anchor_enter(batch[i]);
			if (sel != NULL) {
				fn(sel, fd, ctx);
				mio__anchor_leave(batch[i]);
			}
			mio__anchor_unref(batch[i]);
		}
	} while (n == BORROWED_BATCH);
}
