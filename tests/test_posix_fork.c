/*
 * fork(): what a child does with its copies of the parent's poll and
 * sources must not break the parent's registrations (docs/fork.md).
 */

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

struct fixture {
	mio_poll *poll;
	mio_events *events;
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
};

static void setup(struct fixture *f)
{
	ASSERT_OK(mio_poll_new(&f->poll));
	ASSERT_OK(mio_events_new(8, &f->events));
	ASSERT_OK(mio_pipe_new(&f->tx, &f->rx));
	ASSERT_OK(mio_registry_register(mio_poll_registry(f->poll),
					&f->rx.source, 1, MIO_READABLE));
}

static void teardown(struct fixture *f)
{
	ASSERT_OK(mio_pipe_sender_close(&f->tx));
	ASSERT_OK(mio_pipe_receiver_close(&f->rx));
	mio_events_free(f->events);
	mio_poll_free(f->poll);
}

/* Runs child() in a forked child and waits for it to exit with 0. */
static void in_child(void (*child)(struct fixture *f), struct fixture *f)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		child(f);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * The parent's registration still reports a write. The pipe is then read
 * until MIO_EAGAIN, as edge-triggered readiness asks before another event
 * can be counted on (backends that emulate it hold to that).
 */
static void expect_parent_registration_works(struct fixture *f)
{
	struct expect_event want = { 1, EXPECT_READABLE };
	char buf[64];
	mio_ssize n;

	ASSERT_EQ(mio_pipe_write(&f->tx, "x", 1), 1);
	expect_events(f->poll, f->events, &want, 1);
	while ((n = mio_pipe_read(&f->rx, buf, sizeof(buf))) > 0)
		;
	ASSERT_ERR(n, MIO_EAGAIN);
}

static void child_frees_poll(struct fixture *f)
{
	mio_events_free(f->events);
	mio_poll_free(f->poll);
}

static void child_freeing_poll_leaves_parent_poll_working(void)
{
	struct fixture f;

	setup(&f);
	in_child(child_frees_poll, &f);
	expect_parent_registration_works(&f);
	teardown(&f);
}

static mio_waker *inherited_waker;

static void child_frees_waker(struct fixture *f)
{
	(void)f;
	mio_waker_free(inherited_waker);
}

/* The waker's descriptor sits in the epoll set the child shares. */
static void child_freeing_waker_leaves_parent_waker_working(void)
{
	struct fixture f;
	struct expect_event want = { 9, EXPECT_READABLE };

	setup(&f);
	ASSERT_OK(
		mio_waker_new(mio_poll_registry(f.poll), 9, &inherited_waker));
	in_child(child_frees_waker, &f);
	ASSERT_OK(mio_waker_wake(inherited_waker));
	expect_events(f.poll, f.events, &want, 1);
	mio_waker_free(inherited_waker);
	teardown(&f);
}

static void child_closes_sources(struct fixture *f)
{
	/* Only the child's descriptors: no deregistration from the parent. */
	ASSERT_OK(mio_pipe_receiver_close(&f->rx));
	ASSERT_OK(mio_pipe_sender_close(&f->tx));
	ASSERT_EQ(f->rx.source.fd, -1);
}

static void child_closing_registered_source_keeps_parent_registration(void)
{
	struct fixture f;

	setup(&f);
	in_child(child_closes_sources, &f);
	expect_parent_registration_works(&f);
	/* The parent's own close still deregisters (the close rule). */
	teardown(&f);
}

static void child_closes_everything(struct fixture *f)
{
	child_closes_sources(f);
	child_frees_poll(f);
}

static void child_closing_everything_in_any_order(void)
{
	struct fixture f;

	setup(&f);
	in_child(child_closes_everything, &f);
	expect_parent_registration_works(&f);
	in_child(child_frees_poll, &f);
	in_child(child_closes_sources, &f);
	expect_parent_registration_works(&f);
	teardown(&f);
}

/* The child's own poll and sources follow the usual rules. */
static void child_uses_own_poll(struct fixture *f)
{
	struct fixture own;
	struct expect_event want = { 1, EXPECT_READABLE };

	(void)f;
	setup(&own);
	ASSERT_OK(mio_pipe_write(&own.tx, "y", 1));
	expect_events(own.poll, own.events, &want, 1);
	/*
	 * The parent's poll is not the child's: an inherited source can be
	 * registered with the child's own poll, and its close then
	 * deregisters it from there alone.
	 */
	ASSERT_OK(mio_registry_register(mio_poll_registry(own.poll),
					&f->rx.source, 2, MIO_READABLE));
	ASSERT_OK(mio_pipe_write(&f->tx, "w", 1));
	want.token = 2;
	expect_events(own.poll, own.events, &want, 1);
	ASSERT_OK(mio_pipe_receiver_close(&f->rx));
	teardown(&own);
}

static void child_can_make_its_own_poll(void)
{
	struct fixture f;

	setup(&f);
	in_child(child_uses_own_poll, &f);
	expect_parent_registration_works(&f);
	teardown(&f);
}

/*
 * The other direction, the reason for the close rule: the parent closes
 * a registered source whose duplicate the child still holds; the parent's
 * poll must not report it any more.
 */
static void parent_close_deregisters_despite_childs_duplicate(void)
{
	struct fixture f;
	int hold[2];
	char c;
	pid_t pid;

	setup(&f);
	ASSERT_EQ(pipe(hold), 0);
	fflush(stdout);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		/* Hold the duplicates until the parent is done. */
		close(hold[1]);
		while (read(hold[0], &c, 1) < 0)
			;
		_exit(0);
	}
	close(hold[0]);
	int tx_dup = dup(f.tx.source.fd);
	ASSERT(tx_dup >= 0);
	ASSERT_OK(mio_pipe_receiver_close(&f.rx));
	/* The read end lives on in the child: make it readable. */
	ASSERT_EQ(write(tx_dup, "z", 1), 1);
	expect_no_events(f.poll, f.events);
	close(hold[1]);
	int status;
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(tx_dup);
	teardown(&f);
}

static atomic_bool churn_stop;

/* Registers and closes owned sources: takes the poll table's lock often. */
static void *churn(void *arg)
{
	mio_poll *poll = arg;

	while (!atomic_load(&churn_stop)) {
		mio_unix_stream a, b;
		ASSERT_OK(mio_unix_stream_pair(&a, &b));
		ASSERT_OK(mio_registry_register(mio_poll_registry(poll),
						&a.source, 9, MIO_READABLE));
		ASSERT_OK(mio_unix_stream_close(&a));
		ASSERT_OK(mio_unix_stream_close(&b));
	}
	return NULL;
}

/*
 * fork() while another thread holds the library's lock of live polls:
 * the child must not inherit it locked (its close would hang).
 */
static void fork_while_another_thread_closes(void)
{
	struct fixture f;
	pthread_t thread;

	setup(&f);
	atomic_store(&churn_stop, false);
	ASSERT_EQ(pthread_create(&thread, NULL, churn, f.poll), 0);
	for (long i = 0; i < 200 / stress_divisor(); i++) {
		int status = 0;
		pid_t pid, r = 0;

		fflush(stdout);
		pid = fork();
		ASSERT(pid >= 0);
		if (pid == 0) {
			/* Takes the lock: the source is registered. */
			mio_pipe_receiver_close(&f.rx);
			_exit(0);
		}
		/* A child stuck on the lock never exits: a hang, not speed. */
		for (int wait = 0; wait < 1000 && r == 0; wait++) {
			r = waitpid(pid, &status, WNOHANG);
			if (r == 0)
				usleep(10000);
		}
		if (r == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			FAIL_AT("fork %ld: the child hung closing a source", i);
		}
		ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	atomic_store(&churn_stop, true);
	ASSERT_EQ(pthread_join(thread, NULL), 0);
	expect_parent_registration_works(&f);
	teardown(&f);
}

int main(void)
{
	RUN(child_freeing_poll_leaves_parent_poll_working);
	RUN(child_freeing_waker_leaves_parent_waker_working);
	RUN(child_closing_registered_source_keeps_parent_registration);
	RUN(child_closing_everything_in_any_order);
	RUN(child_can_make_its_own_poll);
	RUN(parent_close_deregisters_despite_childs_duplicate);
	RUN(fork_while_another_thread_closes);
	return test_summary();
}
