/*
 * mio_waker (mio's tests/waker.rs): wakes from this and other threads,
 * coalescing, concurrent wakers, the eventfd counter's overflow, and
 * waking from a signal handler.
 */
/* ctest-labels: threads */

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#if !defined(_WIN32)
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#endif

#include "barrier.h"
#include "test.h"

#define TOKEN 10

struct fixture {
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
};

static struct fixture setup(void)
{
	struct fixture f;

	ASSERT_OK(mio_poll_new(&f.poll));
	ASSERT_OK(mio_events_new(8, &f.events));
	ASSERT_OK(mio_waker_new(mio_poll_registry(f.poll), TOKEN, &f.waker));
	return f;
}

static void teardown(struct fixture *f)
{
	mio_waker_free(f->waker);
	mio_events_free(f->events);
	mio_poll_free(f->poll);
}

/*
 * mio's expect_waker_event: a poll reports exactly one event, the
 * waker's, readable. `timeout` NULL waits for it.
 */
static void expect_wake(struct fixture *f, const struct timespec *timeout)
{
	int n;

	do
		n = mio_poll_poll(f->poll, f->events, timeout);
	while (n == MIO_EINTR);
	ASSERT_EQ(n, 1);
	const mio_event *e = mio_events_at(f->events, 0);
	ASSERT_UEQ(mio_event_token(e), TOKEN);
	ASSERT(mio_event_is_readable(e));
	ASSERT(!mio_event_is_error(e));
}

static void wake_then_poll(void)
{
	struct fixture f = setup();
	struct timespec t = ms_timeout(1000);

	ASSERT_OK(mio_waker_wake(f.waker));
	expect_wake(&f, &t);
	expect_no_events(f.poll, f.events);
	/* And again: each wake after a poll is a new event. */
	ASSERT_OK(mio_waker_wake(f.waker));
	expect_wake(&f, &t);
	expect_no_events(f.poll, f.events);
	teardown(&f);
}

/* Wakes before a poll coalesce into one event. */
static void wakes_coalesce(void)
{
	struct fixture f = setup();

	for (int i = 0; i < 3; i++)
		ASSERT_OK(mio_waker_wake(f.waker));
	expect_wake(&f, NULL);
	expect_no_events(f.poll, f.events);
	for (int i = 0; i < 10000; i++)
		ASSERT_OK(mio_waker_wake(f.waker));
	expect_wake(&f, NULL);
	expect_no_events(f.poll, f.events);
	teardown(&f);
}

/* Any token is the caller's, 0 and UINTPTR_MAX included. */
static void extreme_tokens(void)
{
	static const mio_token tokens[] = { 0, UINTPTR_MAX };

	for (int i = 0; i < 2; i++) {
		mio_poll *poll;
		mio_events *events;
		mio_waker *waker;
		ASSERT_OK(mio_poll_new(&poll));
		ASSERT_OK(mio_events_new(2, &events));
		ASSERT_OK(mio_waker_new(mio_poll_registry(poll), tokens[i],
					&waker));
		ASSERT_OK(mio_waker_wake(waker));
		ASSERT_EQ(mio_poll_poll(poll, events, NULL), 1);
		ASSERT_UEQ(mio_event_token(mio_events_at(events, 0)),
			   tokens[i]);
		mio_waker_free(waker);
		mio_events_free(events);
		mio_poll_free(poll);
	}
}

/* The waker depends on its poll, not on the registry handle. */
static void waker_outlives_its_clone(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *clone;
	mio_waker *waker;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(2, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT_OK(mio_waker_new(clone, TOKEN, &waker));
	mio_registry_free(clone);
	ASSERT_OK(mio_waker_wake(waker));
	ASSERT_EQ(mio_poll_poll(poll, events, NULL), 1);
	ASSERT_UEQ(mio_event_token(mio_events_at(events, 0)), TOKEN);
	mio_waker_free(waker);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* A freed waker leaves no registration and no descriptor behind. */
static void free_deregisters_and_closes(void)
{
	int before = count_open_fds();
	struct fixture f = setup();

	ASSERT(count_open_fds() > before);
	ASSERT_OK(mio_waker_wake(f.waker));
	mio_waker_free(f.waker);
	f.waker = NULL;
	expect_no_events(f.poll, f.events);
	/* A new one can take its place. */
	ASSERT_OK(mio_waker_new(mio_poll_registry(f.poll), TOKEN, &f.waker));
	ASSERT_OK(mio_waker_wake(f.waker));
	expect_wake(&f, NULL);
	teardown(&f);
	ASSERT_EQ(count_open_fds(), before);
}

static void bad_arguments(void)
{
	mio_poll *poll;
	mio_waker *waker = (mio_waker *)&waker;

	ASSERT_ERR(mio_waker_new(NULL, 1, &waker), MIO_EINVAL);
	ASSERT(waker == NULL);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_ERR(mio_waker_new(mio_poll_registry(poll), 1, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_waker_wake(NULL), MIO_EINVAL);
	mio_waker_free(NULL);
	mio_poll_free(poll);
}

/*
 * One waker per poll: a second one, through the poll's registry or a
 * clone, is MIO_EEXIST with *out NULL, and leaves the first working;
 * once the first is freed a new one may be made. Another poll is not
 * affected.
 */
static void one_waker_per_poll(void)
{
	struct fixture f = setup();
	mio_registry *clone;
	mio_waker *second = (mio_waker *)&second;
	mio_poll *other;
	mio_waker *other_waker;

	ASSERT_ERR(mio_waker_new(mio_poll_registry(f.poll), TOKEN + 1, &second),
		   MIO_EEXIST);
	ASSERT(second == NULL);
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(f.poll), &clone));
	second = (mio_waker *)&second;
	ASSERT_ERR(mio_waker_new(clone, TOKEN + 1, &second), MIO_EEXIST);
	ASSERT(second == NULL);
	/* The refusals changed nothing: the first still wakes, alone. */
	ASSERT_OK(mio_waker_wake(f.waker));
	expect_wake(&f, NULL);
	expect_no_events(f.poll, f.events);

	/* Another poll has a waker of its own. */
	ASSERT_OK(mio_poll_new(&other));
	ASSERT_OK(mio_waker_new(mio_poll_registry(other), 1, &other_waker));

	/* Freed, it makes room, through the clone as well. */
	mio_waker_free(f.waker);
	ASSERT_OK(mio_waker_new(clone, TOKEN, &f.waker));
	ASSERT_ERR(mio_waker_new(mio_poll_registry(f.poll), TOKEN, &second),
		   MIO_EEXIST);
	mio_registry_free(clone);
	ASSERT_OK(mio_waker_wake(f.waker));
	expect_wake(&f, NULL);
	mio_waker_free(other_waker);
	mio_poll_free(other);
	teardown(&f);
}

/* Threads racing to make a poll's waker: exactly one wins. */
enum { RACERS = 8 };

struct waker_race {
	mio_registry *registry;
	struct test_barrier *barrier;
	mio_waker *waker;
	int err;
};

static void *race_for_waker(void *arg)
{
	struct waker_race *r = arg;

	test_barrier_wait(r->barrier);
	r->err = mio_waker_new(r->registry, TOKEN, &r->waker);
	return NULL;
}

static void racing_for_the_waker(void)
{
	mio_poll *poll;
	mio_registry *clones[RACERS];
	struct waker_race races[RACERS];
	pthread_t t[RACERS];
	struct test_barrier barrier;

	ASSERT_OK(mio_poll_new(&poll));
	test_barrier_init(&barrier, RACERS);
	for (int round = 0; round < 20; round++) {
		int won = -1;

		for (int i = 0; i < RACERS; i++) {
			ASSERT_OK(mio_registry_try_clone(
				mio_poll_registry(poll), &clones[i]));
			races[i] = (struct waker_race){ clones[i], &barrier,
							NULL, 1 };
			ASSERT_EQ(pthread_create(&t[i], NULL, race_for_waker,
						 &races[i]),
				  0);
		}
		for (int i = 0; i < RACERS; i++) {
			ASSERT_EQ(pthread_join(t[i], NULL), 0);
			mio_registry_free(clones[i]);
			if (races[i].err == 0) {
				ASSERT_EQ(won, -1);
				won = i;
				continue;
			}
			ASSERT_ERR(races[i].err, MIO_EEXIST);
			ASSERT(races[i].waker == NULL);
		}
		ASSERT(won >= 0);
		mio_waker_free(races[won].waker);
	}
	test_barrier_destroy(&barrier);
	mio_poll_free(poll);
}

struct wake_later {
	mio_waker *waker;
	struct test_barrier *barrier; /* NULL: wake at once */
};

static void *wake_thread(void *arg)
{
	struct wake_later *w = arg;

	if (w->barrier != NULL)
		test_barrier_wait(w->barrier);
	ASSERT_OK(mio_waker_wake(w->waker));
	return NULL;
}

/* mio's waker_wakeup_different_thread: a blocked poll is woken. */
static void wake_from_other_thread(void)
{
	struct fixture f = setup();
	struct wake_later w = { f.waker, NULL };
	pthread_t t;

	ASSERT_EQ(pthread_create(&t, NULL, wake_thread, &w), 0);
	expect_wake(&f, NULL);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	expect_no_events(f.poll, f.events);
	teardown(&f);
}

/* mio's waker_multiple_wakeups_different_thread. */
static void wakes_from_two_threads(void)
{
	struct fixture f = setup();
	struct test_barrier barrier;
	struct wake_later w1 = { f.waker, NULL }, w2 = { f.waker, &barrier };
	pthread_t t1, t2;
	struct timespec t = ms_timeout(5000);

	test_barrier_init(&barrier, 2);
	ASSERT_EQ(pthread_create(&t1, NULL, wake_thread, &w1), 0);
	ASSERT_EQ(pthread_create(&t2, NULL, wake_thread, &w2), 0);
	expect_wake(&f, &t);
	ASSERT_EQ(pthread_join(t1, NULL), 0);
	test_barrier_wait(&barrier);
	expect_wake(&f, &t);
	ASSERT_EQ(pthread_join(t2, NULL), 0);
	expect_no_events(f.poll, f.events);
	test_barrier_destroy(&barrier);
	teardown(&f);
}

enum { WAKERS = 8, ROUNDS = 200, WAKES_PER_ROUND = 50 };

struct crowd {
	mio_waker *waker;
	struct test_barrier start, done;
};

static void *crowd_thread(void *arg)
{
	struct crowd *c = arg;

	for (int r = 0; r < ROUNDS; r++) {
		test_barrier_wait(&c->start);
		for (int i = 0; i < WAKES_PER_ROUND; i++)
			ASSERT_OK(mio_waker_wake(c->waker));
		test_barrier_wait(&c->done);
	}
	return NULL;
}

/*
 * Eight threads wake one waker at once, round after round; after every
 * round the poll must see the wake-up (no lost final wake), and exactly
 * one event for it.
 */
static void eight_threads_one_waker(void)
{
	struct fixture f = setup();
	struct crowd c;
	pthread_t t[WAKERS];

	c.waker = f.waker;
	test_barrier_init(&c.start, WAKERS + 1);
	test_barrier_init(&c.done, WAKERS + 1);
	for (int i = 0; i < WAKERS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, crowd_thread, &c), 0);
	for (int r = 0; r < ROUNDS; r++) {
		test_barrier_wait(&c.start);
		test_barrier_wait(&c.done);
		expect_wake(&f, NULL);
	}
	for (int i = 0; i < WAKERS; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	expect_no_events(f.poll, f.events);
	test_barrier_destroy(&c.start);
	test_barrier_destroy(&c.done);
	teardown(&f);
}

struct racer {
	mio_waker *waker;
	atomic_int *stop;
};

static void *racing_waker(void *arg)
{
	struct racer *r = arg;

	while (!atomic_load(r->stop))
		ASSERT_OK(mio_waker_wake(r->waker));
	/* The final wake, after which the poller must still wake up. */
	ASSERT_OK(mio_waker_wake(r->waker));
	return NULL;
}

/*
 * Wakers racing with a polling thread: whatever interleaving, the wake
 * made after the poller's last event must still be reported.
 */
static void racing_wakes_are_not_lost(void)
{
	struct fixture f = setup();
	atomic_int stop = 0;
	struct racer r = { f.waker, &stop };
	pthread_t t[WAKERS];
	struct timespec zero = { 0, 0 };

	for (int i = 0; i < WAKERS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, racing_waker, &r), 0);
	for (int i = 0; i < 200; i++)
		ASSERT_OK(mio_poll_poll(f.poll, f.events, &zero));
	atomic_store(&stop, 1);
	for (int i = 0; i < WAKERS; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	/* At least the final wakes are pending: one event reports them. */
	expect_wake(&f, NULL);
	expect_no_events(f.poll, f.events);
	teardown(&f);
}

#if !defined(_WIN32)
/* POSIX only: the eventfd waker and signal handlers. */

/*
 * The waker's eventfd: the descriptor that mio_waker_new added, if it is
 * an eventfd (-1 for another waker backend).
 */
static int find_new_eventfd(const bool before[1024])
{
#if defined(__linux__)
	DIR *d = opendir("/proc/self/fd");
	struct dirent *ent;
	int found = -1;

	ASSERT(d != NULL);
	while ((ent = readdir(d)) != NULL) {
		char path[64], target[64];
		int fd = atoi(ent->d_name);
		if (ent->d_name[0] == '.' || fd == dirfd(d) || fd >= 1024 ||
		    before[fd])
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, "anon_inode:[eventfd]") == 0)
			found = fd;
	}
	closedir(d);
	return found;
#else
	/* Only Linux has eventfd (and /proc/self/fd to find one in). */
	(void)before;
	return -1;
#endif
}

static void open_fds(bool out[1024])
{
	memset(out, 0, 1024 * sizeof(bool));
	for (int fd = 0; fd < 1024; fd++)
		out[fd] = fcntl(fd, F_GETFD) >= 0;
}

#if defined(MIO_EVENT_LAYOUT_KQUEUE)
static const bool kqueue_layout = true;
#else
static const bool kqueue_layout = false;
#endif

/*
 * Sets up a poll whose waker's eventfd is returned in *efd; skips the test
 * (returns false) where the waker is not an eventfd.
 */
static bool setup_eventfd(struct fixture *f, int *efd)
{
	bool before[1024];

	/* Not with kqueue, where libkqueue's own eventfds would pass for it. */
	if (kqueue_layout) {
		printf("# the waker is not an eventfd: skipped\n");
		return false;
	}

	open_fds(before);
	*f = setup();
	*efd = find_new_eventfd(before);
	if (*efd < 0) {
		printf("# the waker is not an eventfd: skipped\n");
		teardown(f);
		return false;
	}
	return true;
}

/*
 * An eventfd's counter stops at 0xfffffffffffffffe: a write that would
 * pass it fails with EAGAIN. mio resets the counter then and wakes again.
 */
static void eventfd_counter_overflow_still_wakes(void)
{
	const uint64_t near_max = UINT64_C(0xfffffffffffffffe);
	struct fixture f;
	int efd;

	if (!setup_eventfd(&f, &efd))
		return;
	ASSERT_EQ(write(efd, &near_max, sizeof(near_max)), sizeof(near_max));
	expect_wake(&f, NULL);
	expect_no_events(f.poll, f.events);
	/* The counter is full: a plain write of 1 would block. */
	for (int i = 0; i < 3; i++) {
		ASSERT_OK(mio_waker_wake(f.waker));
		expect_wake(&f, NULL);
	}
	/*
	 * The counter was reset, not left full (a backend that acknowledges
	 * wake-ups in the poll may have emptied it already).
	 */
	uint64_t value = 0;
	if (read(efd, &value, sizeof(value)) < 0)
		ASSERT_EQ(errno, EAGAIN);
	else
		ASSERT(value < near_max);
	/* Reading it to zero lost nothing: a new wake is a new event. */
	ASSERT_OK(mio_waker_wake(f.waker));
	expect_wake(&f, NULL);
	teardown(&f);
}

static mio_waker *signal_waker;
static volatile sig_atomic_t handler_result = 1;
static volatile sig_atomic_t handler_errno_kept;

static void on_signal(int sig)
{
	(void)sig;
	errno = EDOM;
	handler_result = mio_waker_wake(signal_waker);
	handler_errno_kept = errno == EDOM;
}

/* mio_waker_wake is async-signal-safe and keeps errno. */
static void wake_from_signal_handler(void)
{
	struct sigaction sa, old;
	struct fixture f;
	int efd = -1;
	bool is_eventfd;

	is_eventfd = setup_eventfd(&f, &efd);
	if (!is_eventfd)
		f = setup();
	signal_waker = f.waker;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGUSR1, &sa, &old), 0);

	ASSERT_EQ(raise(SIGUSR1), 0);
	ASSERT_EQ(handler_result, 0);
	ASSERT(handler_errno_kept);
	expect_wake(&f, NULL);

	/* Also when the handler has to reset a full counter. */
	if (is_eventfd) {
		const uint64_t near_max = UINT64_C(0xfffffffffffffffe);
		uint64_t value;
		/* Empty the counter (it may be empty already). */
		(void)!read(efd, &value, sizeof(value));
		ASSERT_EQ(write(efd, &near_max, sizeof(near_max)),
			  sizeof(near_max));
		expect_wake(&f, NULL);
		handler_result = 1;
		ASSERT_EQ(raise(SIGUSR1), 0);
		ASSERT_EQ(handler_result, 0);
		ASSERT(handler_errno_kept);
		expect_wake(&f, NULL);
	}
	ASSERT_EQ(sigaction(SIGUSR1, &old, NULL), 0);
	signal_waker = NULL;
	teardown(&f);
}
#endif

int main(void)
{
	RUN(wake_then_poll);
	RUN(wakes_coalesce);
	RUN(extreme_tokens);
	RUN(waker_outlives_its_clone);
	RUN(free_deregisters_and_closes);
	RUN(bad_arguments);
	RUN(one_waker_per_poll);
	RUN(racing_for_the_waker);
	RUN(wake_from_other_thread);
	RUN(wakes_from_two_threads);
	RUN(eight_threads_one_waker);
	RUN(racing_wakes_are_not_lost);
#if !defined(_WIN32)
	RUN(eventfd_counter_overflow_still_wakes);
	RUN(wake_from_signal_handler);
#endif
	return test_summary();
}
