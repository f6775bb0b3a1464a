/*
 * The stateful API fuzzer: the input is a sequence of operations on a poll
 * and up to SLOTS sources (socketpair and pipe ends), run against a model
 * of what must be registered. Invariants checked on every poll:
 *  - every event's token belongs to a live registration (none after a
 *    deregister, a close or the poll's end);
 *  - a wake and a write towards a source registered readable are reported
 *    by the next poll (nothing lost);
 *  - registry calls give the documented codes (EEXIST, ENOENT, EINVAL).
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

#include "fuzz.h"
#include "mio.h"

#define SLOTS 16
#define EVENTS_CAP 64
#define WAKE_TOKEN ((mio_token)UINTPTR_MAX)

enum kind { EMPTY, SOCK, PIPE_RX, PIPE_TX };

struct slot {
	enum kind kind;
	int peer; /* slot index of the other end, or -1 once it is closed */
	mio_source src;
	bool registered;
	mio_token token;
	mio_interest interest;
	size_t unread;	  /* bytes waiting to be read at this end */
	bool expect_read; /* a new readable edge the next poll must report */
};

struct state {
	const uint8_t *in;
	size_t left;
	mio_poll *poll;
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
	s->src = mio_source_fd(fd);
}

static void op_create(struct state *st, bool pipe_pair)
{
	int a = free_slot(st, next_byte(st)), b, fds[2];

	if (a < 0)
		return;
	st->slots[a].kind = SOCK; /* reserve it while looking for b */
	b = free_slot(st, a);
	st->slots[a].kind = EMPTY;
	if (b < 0)
		return;
	if (pipe_pair) {
		CHECK(pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
		slot_init(&st->slots[a], PIPE_RX, fds[0], b);
		slot_init(&st->slots[b], PIPE_TX, fds[1], a);
	} else {
		CHECK(socketpair(AF_UNIX,
				 SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
				 fds) == 0);
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

static void op_register(struct state *st, bool again)
{
	int i;
	struct slot *s = pick(st, &i);
	mio_interest interest = pick_interest(st);
	mio_token token = (st->next_gen << 8) | (mio_token)i;
	int ret;

	if (s == NULL)
		return;
	if (again)
		ret = mio_registry_reregister(st->reg, &s->src, token,
					      interest);
	else
		ret = mio_registry_register(st->reg, &s->src, token, interest);
	if (!interest_valid(interest)) {
		CHECK_RET(ret, MIO_EINVAL);
		return;
	}
	if (again && !s->registered) {
		CHECK_RET(ret, MIO_ENOENT);
		return;
	}
	if (!again && s->registered) {
		CHECK_RET(ret, MIO_EEXIST);
		return;
	}
	CHECK_RET(ret, 0);
	registered_now(s, i, st, interest);
}

static void op_deregister(struct state *st)
{
	struct slot *s = pick(st, NULL);

	if (s == NULL)
		return;
	CHECK_RET(mio_registry_deregister(st->reg, &s->src),
		  s->registered ? 0 : MIO_ENOENT);
	s->registered = false;
	s->expect_read = false;
}

static void slot_close(struct state *st, struct slot *s, bool deregister)
{
	if (s->registered && deregister)
		CHECK_RET(mio_registry_deregister(st->reg, &s->src), 0);
	/* Closing the only descriptor of a file leaves the epoll set too. */
	CHECK(close(s->src.fd) == 0);
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
	if (s->kind == SOCK)
		n = send(s->src.fd, junk, len, MSG_NOSIGNAL);
	else
		n = write(s->src.fd, junk, len);
	CHECK(n > 0 || (n < 0 && errno == EAGAIN));
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
	n = read(s->src.fd, buf, len);
	if (s->unread == 0) {
		/*
		 * End of stream once the peer is gone -- or ECONNRESET for a
		 * socket whose peer closed with data unread.
		 */
		if (s->peer >= 0)
			CHECK(n < 0 && errno == EAGAIN);
		else
			CHECK(n == 0 || (n < 0 && errno == ECONNRESET &&
					 s->kind == SOCK));
		return;
	}
	CHECK(n > 0 && (size_t)n <= s->unread);
	s->unread -= (size_t)n;
	/* A queued edge is dropped at harvest if nothing is left to read. */
	if (s->unread == 0)
		s->expect_read = false;
}

static void check_events(struct state *st, mio_events *ev, int n)
{
	bool full = (size_t)n == mio_events_capacity(ev);

	CHECK((size_t)n == mio_events_len(ev));
	for (int i = 0; i < n; i++) {
		const mio_event *e = mio_events_at(ev, (size_t)i);
		mio_token t = mio_event_token(e);
		if (t == WAKE_TOKEN) {
			CHECK(st->waker != NULL);
			st->expect_wake = false;
			continue;
		}
		struct slot *s = &st->slots[t & 0xff];
		CHECK((t & 0xff) < SLOTS && s->kind != EMPTY && s->registered);
		CHECK(s->token == t);
		if (mio_event_is_readable(e))
			s->expect_read = false;
	}
	if (full)
		return; /* the rest stays queued for the next poll */
	CHECK(!st->expect_wake);
	for (int i = 0; i < SLOTS; i++)
		CHECK(!st->slots[i].expect_read);
}

static void op_poll(struct state *st, bool small)
{
	struct timespec zero = { 0, 0 };
	mio_events *ev = small ? st->small : st->events;
	int n = mio_poll_poll(st->poll, ev, &zero);

	CHECK(n >= 0);
	check_events(st, ev, n);
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
	for (int i = 0; i < SLOTS; i++) {
		st->slots[i].registered = false;
		st->slots[i].expect_read = false;
	}
	CHECK_RET(mio_poll_new(&st->poll), 0);
	st->reg = mio_poll_registry(st->poll);
}

static void run(struct state *st)
{
	while (st->left > 0) {
		switch (next_byte(st) % 14) {
		case 0:
			op_create(st, false);
			break;
		case 1:
			op_create(st, true);
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
		case 9:
			op_poll(st, false);
			break;
		case 10:
			op_poll(st, true);
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
		}
	}
}

/*
 * The lowest free descriptor number is the same after every input: a
 * leaked descriptor would take it.
 */
static void check_no_fd_leak(void)
{
	static int first = -1;
	int fd = dup(STDERR_FILENO);

	CHECK(fd >= 0);
	close(fd);
	if (first < 0)
		first = fd;
	CHECK(fd == first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state st;

	signal(SIGPIPE, SIG_IGN);
	memset(&st, 0, sizeof(st));
	st.in = data;
	st.left = size;
	CHECK_RET(mio_poll_new(&st.poll), 0);
	CHECK_RET(mio_events_new(EVENTS_CAP, &st.events), 0);
	CHECK_RET(mio_events_new(2, &st.small), 0);
	st.reg = mio_poll_registry(st.poll);
	run(&st);
	/* The last poll must still be consistent with the model. */
	op_poll(&st, false);
	for (int i = 0; i < SLOTS; i++)
		if (st.slots[i].kind != EMPTY)
			slot_close(&st, &st.slots[i], true);
	mio_waker_free(st.waker);
	mio_registry_free(st.clone);
	mio_events_free(st.small);
	mio_events_free(st.events);
	mio_poll_free(st.poll);
	check_no_fd_leak();
	return 0;
}
