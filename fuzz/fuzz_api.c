/*
 * The stateful API fuzzer: the input is a sequence of operations on two
 * polls and up to SLOTS sources -- socketpair and pipe ends, borrowed
 * (mio_source_fd) or made by the library (mio_unix_stream_pair,
 * mio_pipe_new) -- run against a model of what must be registered with
 * which poll. Invariants checked on every poll:
 *  - every event's token belongs to a live registration (none after a
 *    deregister, a close or the poll's end);
 *  - a wake and a write towards a source registered readable are reported
 *    by the next poll (nothing lost);
 *  - registry calls give the documented codes (EEXIST, ENOENT, EINVAL),
 *    also across two polls, and after a poll was freed under its sources;
 *  - a closed library object is inert and closing it again is a no-op.
 * At the end of each input every descriptor is closed again.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../tests/support/libkqueue_settle.h"
#include "fuzz.h"
#include "mio.h"

#define SLOTS 16
#define EVENTS_CAP 64
#define WAKE_TOKEN ((mio_token)UINTPTR_MAX)

enum kind { EMPTY, SOCK, PIPE_RX, PIPE_TX };

/*
 * The library's objects all start with their mio_source, so one union
 * holds whichever a slot has; `src` is the borrowed or owned source.
 */
union object {
	mio_source src;
	mio_unix_stream stream;
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
};

struct slot {
	enum kind kind;
	int peer; /* slot index of the other end, or -1 once it is closed */
	union object obj;
	bool owned;	 /* made by the library (tracked), else borrowed */
	bool registered; /* with poll `which` */
	int which;
	mio_token token;
	mio_interest interest;
	size_t unread;	  /* bytes waiting to be read at this end */
	bool expect_read; /* a new readable edge the next poll must report */
};

struct state {
	const uint8_t *in;
	size_t left;
	mio_poll *poll;
	mio_poll *other; /* a second poll, for owned sources only */
	mio_registry *clone;
	mio_registry *reg; /* the poll's own registry or the clone */
	mio_waker *waker;
	mio_events *events, *small;
	bool expect_wake;
	mio_token next_gen;
	struct slot slots[SLOTS];
};

static uint8_t next_byte(struct state *st)
{
	if (st->left == 0)
		return 0;
	st->left--;
	return *st->in++;
}

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr,                                        \
				"fuzz_api: invariant broken: %s "              \
				"(line %d)\n",                                 \
				#cond, __LINE__);                              \
			abort();                                               \
		}                                                              \
	} while (0)

#define CHECK_RET(expr, want)                                                  \
	do {                                                                   \
		long r_ = (long)(expr);                                        \
		if (r_ != (long)(want)) {                                      \
			fprintf(stderr,                                        \
				"fuzz_api: %s gave %ld (%s), want %s "         \
				"(line %d)\n",                                 \
				#expr, r_, mio_err_name((int)r_), #want,       \
				__LINE__);                                     \
			abort();                                               \
		}                                                              \
	} while (0)

static bool readable_interest(const struct slot *s)
{
	return s->registered && (s->interest & MIO_READABLE) != 0;
}

static int free_slot(struct state *st, int from)
{
	for (int i = 0; i < SLOTS; i++) {
		int j = (from + i) % SLOTS;
		if (st->slots[j].kind == EMPTY)
			return j;
	}
	return -1;
}

static void slot_init(struct slot *s, enum kind kind, int fd, int peer)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->peer = peer;
	s->obj.src = mio_source_fd(fd);
}

/* pipe2 and SOCK_NONBLOCK are not everywhere (macOS): fcntl is. */
static void set_nonblock_cloexec(const int fds[2])
{
	for (int i = 0; i < 2; i++) {
		int fl = fcntl(fds[i], F_GETFL);
		CHECK(fl >= 0 && fcntl(fds[i], F_SETFL, fl | O_NONBLOCK) == 0);
		CHECK(fcntl(fds[i], F_SETFD, FD_CLOEXEC) == 0);
	}
}

static void op_create(struct state *st, bool pipe_pair, bool owned)
{
	int a = free_slot(st, next_byte(st)), b, fds[2];

	if (a < 0)
		return;
	st->slots[a].kind = SOCK; /* reserve it while looking for b */
	b = free_slot(st, a);
	st->slots[a].kind = EMPTY;
	if (b < 0)
		return;
	if (owned) {
		struct slot *sa = &st->slots[a], *sb = &st->slots[b];
		memset(sa, 0, sizeof(*sa));
		memset(sb, 0, sizeof(*sb));
		sa->peer = b;
		sb->peer = a;
		sa->owned = sb->owned = true;
		if (pipe_pair) {
			sa->kind = PIPE_RX;
			sb->kind = PIPE_TX;
			CHECK_RET(mio_pipe_new(&sb->obj.tx, &sa->obj.rx), 0);
		} else {
			sa->kind = sb->kind = SOCK;
			CHECK_RET(mio_unix_stream_pair(&sa->obj.stream,
						       &sb->obj.stream),
				  0);
		}
	} else if (pipe_pair) {
		CHECK(pipe(fds) == 0);
		set_nonblock_cloexec(fds);
		slot_init(&st->slots[a], PIPE_RX, fds[0], b);
		slot_init(&st->slots[b], PIPE_TX, fds[1], a);
	} else {
		CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
		set_nonblock_cloexec(fds);
		slot_init(&st->slots[a], SOCK, fds[0], b);
		slot_init(&st->slots[b], SOCK, fds[1], a);
	}
}

/* An operand naming a slot; NULL if that slot is empty. */
static struct slot *pick(struct state *st, int *index)
{
	int i = next_byte(st) % SLOTS;

	if (index != NULL)
		*index = i;
	return st->slots[i].kind == EMPTY ? NULL : &st->slots[i];
}

/* Interest bytes: mostly valid, sometimes empty or with a foreign bit. */
static mio_interest pick_interest(struct state *st)
{
	uint8_t b = next_byte(st);

	if (b >= 0xf0)
		return (mio_interest)(b & 0x0f); /* 0, or with AIO/LIO bits */
	return (mio_interest)(1 + b % 3);
}

static bool interest_valid(mio_interest i)
{
	return i != 0 && (i & ~(MIO_READABLE | MIO_WRITABLE)) == 0;
}

/* Registration made now: an already readable end gives an event. */
static void registered_now(struct slot *s, int index, struct state *st,
			   mio_interest interest)
{
	s->registered = true;
	s->interest = interest;
	s->token = (st->next_gen++ << 8) | (mio_token)index;
	s->expect_read = readable_interest(s) && s->unread > 0;
}

/*
 * Which poll an operation on s goes to: owned sources may use either;
 * borrowed ones stay with the first (the OS alone tracks them).
 */
static int pick_poll(struct state *st, const struct slot *s)
{
	return (next_byte(st) & 1) && s->owned ? 1 : 0;
}

static mio_registry *registry_of(struct state *st, int which)
{
	return which == 1 ? mio_poll_registry(st->other) : st->reg;
}

static void op_register(struct state *st, bool again)
{
	int i;
	struct slot *s = pick(st, &i);
	mio_interest interest = pick_interest(st);
	mio_token token = (st->next_gen << 8) | (mio_token)i;
	int which, ret;

	if (s == NULL)
		return;
	which = pick_poll(st, s);
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/*
	 * kqueue modifies a registered borrowed descriptor's filters (EV_ADD)
	 * where epoll refuses with EEXIST: the model follows only the latter.
	 */
	if (!again && s->registered && !s->owned)
		return;
#endif
	if (again)
		ret = mio_registry_reregister(registry_of(st, which),
					      &s->obj.src, token, interest);
	else
		ret = mio_registry_register(registry_of(st, which), &s->obj.src,
					    token, interest);
	if (!interest_valid(interest)) {
		CHECK_RET(ret, MIO_EINVAL);
		return;
	}
	if (again && (!s->registered || s->which != which)) {
		CHECK_RET(ret, MIO_ENOENT);
		return;
	}
	if (!again && s->registered) {
		CHECK_RET(ret, MIO_EEXIST);
		return;
	}
	CHECK_RET(ret, 0);
	s->which = which;
	registered_now(s, i, st, interest);
}

static void op_deregister(struct state *st)
{
	struct slot *s = pick(st, NULL);
	int which;

	if (s == NULL)
		return;
	which = pick_poll(st, s);
	CHECK_RET(mio_registry_deregister(registry_of(st, which), &s->obj.src),
		  s->registered && s->which == which ? 0 : MIO_ENOENT);
	if (s->which == which) {
		s->registered = false;
		s->expect_read = false;
	}
}

/* The library's close for an owned object: it deregisters by itself. */
static int owned_close(struct slot *s)
{
	switch (s->kind) {
	case SOCK:
		return mio_unix_stream_close(&s->obj.stream);
	case PIPE_RX:
		return mio_pipe_receiver_close(&s->obj.rx);
	default:
		return mio_pipe_sender_close(&s->obj.tx);
	}
}

static void slot_close(struct state *st, struct slot *s, bool deregister)
{
	if (s->owned) {
		CHECK_RET(owned_close(s), 0);
		CHECK(s->obj.src.fd == -1);
		CHECK_RET(owned_close(s), 0); /* again: a no-op */
	} else {
		if (s->registered && deregister)
			CHECK_RET(mio_registry_deregister(st->reg, &s->obj.src),
				  0);
		/* The only descriptor of a file: it leaves the epoll set. */
		CHECK(close(s->obj.src.fd) == 0);
	}
	/* The peer sees a hang-up; what it has not read stays readable. */
	if (s->peer >= 0)
		st->slots[s->peer].peer = -1;
	memset(s, 0, sizeof(*s));
	s->kind = EMPTY;
}

static void op_close(struct state *st)
{
	struct slot *s = pick(st, NULL);
	bool deregister = next_byte(st) & 1;

	if (s != NULL)
		slot_close(st, s, deregister);
}

static void op_write(struct state *st)
{
	struct slot *s = pick(st, NULL);
	size_t len = (size_t)next_byte(st) * 64 + 1;
	static const uint8_t junk[256 * 64 + 1];
	ssize_t n;

	if (s == NULL || s->kind == PIPE_RX || s->peer < 0)
		return;
	if (s->owned && s->kind == SOCK)
		n = mio_unix_stream_write(&s->obj.stream, junk, len);
	else if (s->owned)
		n = mio_pipe_write(&s->obj.tx, junk, len);
	else if (s->kind == SOCK)
		n = send(s->obj.src.fd, junk, len, MSG_NOSIGNAL);
	else
		n = write(s->obj.src.fd, junk, len);
	if (!s->owned && n < 0)
		n = -errno;
	CHECK(n > 0 || n == MIO_EAGAIN);
	if (n > 0) {
		struct slot *p = &st->slots[s->peer];
		p->unread += (size_t)n;
		if (readable_interest(p))
			p->expect_read = true;
	}
}

static void op_read(struct state *st)
{
	struct slot *s = pick(st, NULL);
	size_t len = (size_t)next_byte(st) * 64 + 1;
	static uint8_t buf[256 * 64 + 1];
	ssize_t n;

	if (s == NULL || s->kind == PIPE_TX)
		return;
	if (s->owned && s->kind == SOCK)
		n = mio_unix_stream_read(&s->obj.stream, buf, len);
	else if (s->owned)
		n = mio_pipe_read(&s->obj.rx, buf, len);
	else if ((n = read(s->obj.src.fd, buf, len)) < 0)
		n = -errno;
	if (s->unread == 0) {
		/*
		 * End of stream once the peer is gone -- or ECONNRESET for a
		 * socket whose peer closed with data unread.
		 */
		if (s->peer >= 0)
			CHECK(n == MIO_EAGAIN);
		else
			CHECK(n == 0 ||
			      (n == MIO_ECONNRESET && s->kind == SOCK));
		return;
	}
	CHECK(n > 0 && (size_t)n <= s->unread);
	s->unread -= (size_t)n;
	/* A queued edge is dropped at harvest if nothing is left to read. */
	if (s->unread == 0)
		s->expect_read = false;
}

static void check_events(struct state *st, int which, mio_events *ev, int n)
{
	bool full = (size_t)n == mio_events_capacity(ev);

	CHECK((size_t)n == mio_events_len(ev));
	for (int i = 0; i < n; i++) {
		const mio_event *e = mio_events_at(ev, (size_t)i);
		mio_token t = mio_event_token(e);
		if (t == WAKE_TOKEN) {
			CHECK(st->waker != NULL && which == 0);
			st->expect_wake = false;
			continue;
		}
		struct slot *s = &st->slots[t & 0xff];
		CHECK((t & 0xff) < SLOTS && s->kind != EMPTY && s->registered);
		CHECK(s->which == which && s->token == t);
		if (mio_event_is_readable(e))
			s->expect_read = false;
	}
	if (full)
		return; /* the rest stays queued for the next poll */
	CHECK(which == 1 || !st->expect_wake);
	for (int i = 0; i < SLOTS; i++)
		CHECK(st->slots[i].which != which || !st->slots[i].expect_read);
}

static void op_poll(struct state *st, int which, bool small)
{
	struct timespec zero = { 0, 0 };
	mio_events *ev = small ? st->small : st->events;
	int n = mio_poll_poll(which ? st->other : st->poll, ev, &zero);

	CHECK(n >= 0);
	check_events(st, which, ev, n);
}

static void op_waker(struct state *st)
{
	if (st->waker == NULL) {
		CHECK_RET(mio_waker_new(st->reg, WAKE_TOKEN, &st->waker), 0);
		return;
	}
	if (next_byte(st) & 1) {
		mio_waker_free(st->waker);
		st->waker = NULL;
		st->expect_wake = false;
		return;
	}
	CHECK_RET(mio_waker_wake(st->waker), 0);
	st->expect_wake = true;
}

static void op_clone(struct state *st)
{
	if (st->clone == NULL) {
		CHECK_RET(mio_registry_try_clone(mio_poll_registry(st->poll),
						 &st->clone),
			  0);
		st->reg = st->clone;
	} else {
		mio_registry_free(st->clone);
		st->clone = NULL;
		st->reg = mio_poll_registry(st->poll);
	}
}

/* Frees poll, clone and waker in an order the input picks; a new poll. */
static void op_new_poll(struct state *st)
{
	uint8_t order = next_byte(st);

	if (order & 1)
		mio_waker_free(st->waker);
	if (order & 2)
		mio_registry_free(st->clone);
	mio_poll_free(st->poll);
	if (!(order & 1))
		mio_waker_free(st->waker);
	if (!(order & 2))
		mio_registry_free(st->clone);
	st->waker = NULL;
	st->clone = NULL;
	st->expect_wake = false;
	/* Sources of the freed poll are unregistered, owned ones too. */
	for (int i = 0; i < SLOTS; i++) {
		if (st->slots[i].which != 0)
			continue;
		st->slots[i].registered = false;
		st->slots[i].expect_read = false;
	}
	CHECK_RET(mio_poll_new(&st->poll), 0);
	st->reg = mio_poll_registry(st->poll);
}

static void run(struct state *st)
{
	while (st->left > 0) {
		switch (next_byte(st) % 16) {
		case 0:
			op_create(st, false, false);
			break;
		case 1:
			op_create(st, true, false);
			break;
		case 2:
			op_register(st, false);
			break;
		case 3:
			op_register(st, true);
			break;
		case 4:
			op_deregister(st);
			break;
		case 5:
			op_close(st);
			break;
		case 6:
			op_write(st);
			break;
		case 7:
			op_read(st);
			break;
		case 8:
			op_poll(st, 0, false);
			break;
		case 9:
			op_poll(st, 1, false);
			break;
		case 10:
			op_poll(st, 0, true);
			break;
		case 11:
			op_waker(st);
			break;
		case 12:
			op_clone(st);
			break;
		case 13:
			op_new_poll(st);
			break;
		case 14:
			op_create(st, false, true);
			break;
		case 15:
			op_create(st, true, true);
			break;
		}
	}
}

/*
 * The lowest free descriptor number: the same after an input as before
 * it, or the input leaked a descriptor (which would take it).
 */
static int lowest_free_fd(void)
{
	int fd;

	settle_libkqueue();
	fd = dup(STDERR_FILENO);
	CHECK(fd >= 0);
	close(fd);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state st;
	int free_fd = lowest_free_fd();

	signal(SIGPIPE, SIG_IGN);
	memset(&st, 0, sizeof(st));
	st.in = data;
	st.left = size;
	CHECK_RET(mio_poll_new(&st.poll), 0);
	CHECK_RET(mio_poll_new(&st.other), 0);
	CHECK_RET(mio_events_new(EVENTS_CAP, &st.events), 0);
	CHECK_RET(mio_events_new(2, &st.small), 0);
	st.reg = mio_poll_registry(st.poll);
	run(&st);
	/* The last polls must still be consistent with the model. */
	op_poll(&st, 0, false);
	op_poll(&st, 1, false);
	for (int i = 0; i < SLOTS; i++)
		if (st.slots[i].kind != EMPTY)
			slot_close(&st, &st.slots[i], true);
	mio_waker_free(st.waker);
	mio_registry_free(st.clone);
	mio_events_free(st.small);
	mio_events_free(st.events);
	mio_poll_free(st.poll);
	mio_poll_free(st.other);
	CHECK(lowest_free_fd() == free_fd);
	return 0;
}
