/*
 * mio_pipe_sender / mio_pipe_receiver (mio's tests/unix_pipe.rs): I/O and
 * events, either end closed, vectored I/O, set_nonblocking, adoption of
 * plain descriptors, the close rule, and bad input.
 *
 * Writing to a pipe whose reader is gone follows the OS: SIGPIPE, unless
 * the process ignores it. One test ignores it to see MIO_EPIPE; another
 * checks, in a child process, that the default action is left alone.
 */

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

/* The fallback path for systems without pipe2; see src/sys/unix/pipe.c. */
int mio__pipe_open_fallback(int fds[2]);

static const char DATA1[] = "Hello world";
#define DATA1_LEN (sizeof(DATA1) - 1)

enum { RECEIVER = 0, SENDER = 1 };

static struct poll_fixture fx;

static void assert_inert(const mio_source *s)
{
	ASSERT_EQ(s->fd, -1);
}

static bool is_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	ASSERT(fl >= 0);
	return (fl & O_NONBLOCK) != 0;
}

static void pipe_smoke(void)
{
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char buf[20];

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_pipe_new(&tx, &rx));
	assert_nonblocking(tx.source.fd);
	assert_cloexec(tx.source.fd);
	assert_nonblocking(rx.source.fd);
	assert_cloexec(rx.source.fd);
	ASSERT_ERR(mio_pipe_read(&rx, buf, sizeof(buf)), MIO_EAGAIN);

	ASSERT_OK(mio_registry_register(fx.registry, &rx.source, RECEIVER,
					MIO_READABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &tx.source, SENDER,
					MIO_WRITABLE));
	poll_fixture_expect(&fx, SENDER, EXPECT_WRITABLE);
	ASSERT_EQ(mio_pipe_write(&tx, DATA1, DATA1_LEN), DATA1_LEN);
	poll_fixture_expect(&fx, RECEIVER, EXPECT_READABLE);
	ASSERT_EQ(mio_pipe_read(&rx, buf, sizeof(buf)), DATA1_LEN);
	ASSERT(memcmp(buf, DATA1, DATA1_LEN) == 0);
	ASSERT_ERR(mio_pipe_read(&rx, buf, sizeof(buf)), MIO_EAGAIN);

	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	poll_fixture_teardown(&fx);
}

static void vectored_io(void)
{
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char a[5], b[7];

	ASSERT_OK(mio_pipe_new(&tx, &rx));
	mio_iovec out[2] = { { .base = (void *)"Hello", .len = 5 },
			     { .base = (void *)" world", .len = 6 } };
	ASSERT_EQ(mio_pipe_writev(&tx, out, 2), 11);
	memset(b, 'z', sizeof(b));
	mio_iovec in[2] = { { .base = a, .len = sizeof(a) },
			    { .base = b, .len = sizeof(b) } };
	ASSERT_EQ(mio_pipe_readv(&rx, in, 2), 11);
	ASSERT(memcmp(a, "Hello", 5) == 0);
	ASSERT(memcmp(b, " world", 6) == 0);
	ASSERT_EQ(b[6], 'z');
	ASSERT_ERR(mio_pipe_readv(&rx, in, 2), MIO_EAGAIN);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
}

/* mio's event_when_sender_is_dropped. */
static void sender_closed(void)
{
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char buf[20];

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_pipe_new(&tx, &rx));
	ASSERT_OK(mio_registry_register(fx.registry, &rx.source, RECEIVER,
					MIO_READABLE));
	ASSERT_EQ(mio_pipe_write(&tx, DATA1, DATA1_LEN), DATA1_LEN);
	poll_fixture_expect(&fx, RECEIVER, EXPECT_READABLE);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	poll_fixture_expect(&fx, RECEIVER, EXPECT_READ_CLOSED);
	/* The data first, then the end of the stream. */
	ASSERT_EQ(mio_pipe_read(&rx, buf, sizeof(buf)), DATA1_LEN);
	ASSERT_EQ(mio_pipe_read(&rx, buf, sizeof(buf)), 0);
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	poll_fixture_teardown(&fx);
}

/* mio's event_when_receiver_is_dropped, with SIGPIPE ignored. */
static void receiver_closed(void)
{
	struct sigaction ign = { 0 }, old;
	mio_pipe_sender tx;
	mio_pipe_receiver rx;

	ign.sa_handler = SIG_IGN;
	ASSERT_EQ(sigaction(SIGPIPE, &ign, &old), 0);
	poll_fixture_setup(&fx);
	ASSERT_OK(mio_pipe_new(&tx, &rx));
	ASSERT_OK(mio_registry_register(fx.registry, &tx.source, SENDER,
					MIO_WRITABLE));
	poll_fixture_expect(&fx, SENDER, EXPECT_WRITABLE);
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	/* And error on epoll; test_uds_readiness has the details. */
	poll_fixture_expect(&fx, SENDER, EXPECT_WRITE_CLOSED);
	ASSERT_ERR(mio_pipe_write(&tx, DATA1, DATA1_LEN), MIO_EPIPE);
	mio_iovec iov = { .base = (void *)DATA1, .len = DATA1_LEN };
	ASSERT_ERR(mio_pipe_writev(&tx, &iov, 1), MIO_EPIPE);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	poll_fixture_teardown(&fx);
	ASSERT_EQ(sigaction(SIGPIPE, &old, NULL), 0);
}

/*
 * With SIGPIPE at its default action the library changes nothing: the
 * write raises it, as in mio (run in a child, which it kills).
 */
static void receiver_closed_raises_sigpipe(void)
{
	int status;
	pid_t pid = fork();

	ASSERT(pid >= 0);
	if (pid == 0) {
		mio_pipe_sender tx;
		mio_pipe_receiver rx;

		signal(SIGPIPE, SIG_DFL);
		if (mio_pipe_new(&tx, &rx) < 0)
			_exit(2);
		mio_pipe_receiver_close(&rx);
		mio_pipe_write(&tx, DATA1, DATA1_LEN);
		_exit(3);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFSIGNALED(status));
	ASSERT_EQ(WTERMSIG(status), SIGPIPE);
}

/* Edge-triggered writes: a full pipe is writable again once drained. */
static void write_until_would_block(void)
{
	static char chunk[4096], sink[65536];
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	size_t written = 0, got = 0;
	mio_ssize n;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_pipe_new(&tx, &rx));
	ASSERT_OK(mio_registry_register(fx.registry, &tx.source, SENDER,
					MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &rx.source, RECEIVER,
					MIO_READABLE));
	poll_fixture_expect(&fx, SENDER, EXPECT_WRITABLE);
	while ((n = mio_pipe_write(&tx, chunk, sizeof(chunk))) > 0)
		written += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	poll_fixture_expect(&fx, RECEIVER, EXPECT_READABLE);
	expect_no_events(fx.poll, fx.events);
	while ((n = mio_pipe_read(&rx, sink, sizeof(sink))) > 0)
		got += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	ASSERT_UEQ(got, written);
	poll_fixture_expect(&fx, SENDER, EXPECT_WRITABLE);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	poll_fixture_teardown(&fx);
}

/* Reading and writing allocate nothing (the API's promise). */
static void io_allocates_nothing(void)
{
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char buf[20];

	ASSERT_OK(mio_pipe_new(&tx, &rx));
	alloc_count_reset();
	ASSERT_EQ(mio_pipe_write(&tx, DATA1, DATA1_LEN), DATA1_LEN);
	mio_iovec iov = { .base = (void *)DATA1, .len = DATA1_LEN };
	ASSERT_EQ(mio_pipe_writev(&tx, &iov, 1), DATA1_LEN);
	ASSERT_EQ(mio_pipe_read(&rx, buf, DATA1_LEN), DATA1_LEN);
	iov.base = buf;
	ASSERT_EQ(mio_pipe_readv(&rx, &iov, 1), DATA1_LEN);
	ASSERT_ERR(mio_pipe_read(&rx, buf, sizeof(buf)), MIO_EAGAIN);
	long n = alloc_count();
	if (n >= 0)
		ASSERT_EQ(n, 0);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
}

static void set_nonblocking(void)
{
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char buf[20];

	ASSERT_OK(mio_pipe_new(&tx, &rx));
	ASSERT_OK(mio_pipe_receiver_set_nonblocking(&rx, false));
	ASSERT(!is_nonblocking(rx.source.fd));
	ASSERT_OK(mio_pipe_sender_set_nonblocking(&tx, false));
	ASSERT(!is_nonblocking(tx.source.fd));
	/* Idempotent. */
	ASSERT_OK(mio_pipe_sender_set_nonblocking(&tx, false));
	ASSERT(!is_nonblocking(tx.source.fd));
	/* Blocking I/O that need not wait works as usual. */
	ASSERT_EQ(mio_pipe_write(&tx, DATA1, DATA1_LEN), DATA1_LEN);
	ASSERT_EQ(mio_pipe_read(&rx, buf, sizeof(buf)), DATA1_LEN);

	ASSERT_OK(mio_pipe_receiver_set_nonblocking(&rx, true));
	ASSERT(is_nonblocking(rx.source.fd));
	ASSERT_OK(mio_pipe_sender_set_nonblocking(&tx, true));
	ASSERT(is_nonblocking(tx.source.fd));
	ASSERT_ERR(mio_pipe_read(&rx, buf, sizeof(buf)), MIO_EAGAIN);
	/* Close-on-exec is not touched. */
	assert_cloexec(rx.source.fd);
	assert_cloexec(tx.source.fd);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
}

/* mio's From<ChildStdin>/From<ChildStdout>: plain, blocking descriptors. */
static void from_fd(void)
{
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	int fds[2];
	char buf[20];

	poll_fixture_setup(&fx);
	ASSERT_EQ(pipe(fds), 0);
	ASSERT_OK(mio_pipe_receiver_from_fd(&rx, fds[0]));
	ASSERT_OK(mio_pipe_sender_from_fd(&tx, fds[1]));
	ASSERT_EQ(rx.source.fd, fds[0]);
	ASSERT_EQ(tx.source.fd, fds[1]);
	assert_nonblocking(rx.source.fd);
	assert_cloexec(rx.source.fd);
	assert_nonblocking(tx.source.fd);
	assert_cloexec(tx.source.fd);
	ASSERT_ERR(mio_pipe_read(&rx, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_OK(mio_registry_register(fx.registry, &rx.source, RECEIVER,
					MIO_READABLE));
	ASSERT_EQ(mio_pipe_write(&tx, DATA1, DATA1_LEN), DATA1_LEN);
	poll_fixture_expect(&fx, RECEIVER, EXPECT_READABLE);
	ASSERT_EQ(mio_pipe_read(&rx, buf, sizeof(buf)), DATA1_LEN);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	poll_fixture_expect(&fx, RECEIVER, EXPECT_READ_CLOSED);
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	poll_fixture_teardown(&fx);
}

/* The pipe(2) + fcntl path, which systems without pipe2 take. */
static void fallback_creation(void)
{
	int fds[2];
	int before = count_open_fds();

	ASSERT_OK(mio__pipe_open_fallback(fds));
	assert_nonblocking(fds[0]);
	assert_cloexec(fds[0]);
	assert_nonblocking(fds[1]);
	assert_cloexec(fds[1]);
	ASSERT_EQ(write(fds[1], "x", 1), 1);
	close(fds[0]);
	close(fds[1]);
	ASSERT_EQ(count_open_fds(), before);
}

/* A dup of a closed receiver's descriptor delivers no events. */
static void close_deregisters(void)
{
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	int dup_fd;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_pipe_new(&tx, &rx));
	ASSERT_OK(mio_registry_register(fx.registry, &rx.source, RECEIVER,
					MIO_READABLE));
	dup_fd = dup(rx.source.fd);
	ASSERT(dup_fd >= 0);
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	ASSERT_EQ(mio_pipe_write(&tx, DATA1, DATA1_LEN), DATA1_LEN);
	expect_no_events(fx.poll, fx.events);
	close(dup_fd);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	poll_fixture_teardown(&fx);
}

static void closed_ends(void)
{
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char buf[8];
	mio_iovec iov = { .base = buf, .len = sizeof(buf) };
	int fds = count_open_fds();

	ASSERT_OK(mio_pipe_new(&tx, &rx));
	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	assert_inert(&tx.source);
	assert_inert(&rx.source);
	ASSERT_ERR(mio_pipe_write(&tx, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_pipe_writev(&tx, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_pipe_read(&rx, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_pipe_readv(&rx, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_pipe_sender_set_nonblocking(&tx, true), MIO_EBADF);
	ASSERT_ERR(mio_pipe_receiver_set_nonblocking(&rx, false), MIO_EBADF);
	/* Closing again is a no-op. */
	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));
	ASSERT_EQ(count_open_fds(), fds);
}

static void bad_arguments(void)
{
	static mio_iovec many[IOV_MAX + 1];
	mio_pipe_sender tx;
	mio_pipe_receiver rx;
	char buf[8];
	int fd, fds = count_open_fds();

	rx.source.fd = 12345;
	ASSERT_ERR(mio_pipe_new(NULL, &rx), MIO_EINVAL);
	assert_inert(&rx.source);
	tx.source.fd = 12345;
	ASSERT_ERR(mio_pipe_new(&tx, NULL), MIO_EINVAL);
	assert_inert(&tx.source);
	ASSERT_EQ(count_open_fds(), fds);

	ASSERT_OK(mio_pipe_new(&tx, &rx));
	ASSERT_ERR(mio_pipe_write(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_write(&tx, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_read(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_read(&rx, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_writev(&tx, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_readv(&rx, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_writev(&tx, many, IOV_MAX + 1), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_readv(&rx, many, IOV_MAX + 1), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_sender_set_nonblocking(NULL, true), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_receiver_set_nonblocking(NULL, true), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_sender_from_fd(NULL, tx.source.fd), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_receiver_from_fd(NULL, rx.source.fd), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_sender_close(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_pipe_receiver_close(NULL), MIO_EINVAL);
	ASSERT_EQ(mio_pipe_write(&tx, NULL, 0), 0);
	ASSERT_OK(mio_pipe_sender_close(&tx));
	ASSERT_OK(mio_pipe_receiver_close(&rx));

	/* Adopting what is no open descriptor fails and leaves out inert. */
	fd = open("/dev/null", O_RDONLY);
	ASSERT(fd >= 0);
	close(fd);
	tx.source.fd = 12345;
	ASSERT_ERR(mio_pipe_sender_from_fd(&tx, fd), MIO_EBADF);
	assert_inert(&tx.source);
	rx.source.fd = 12345;
	ASSERT_ERR(mio_pipe_receiver_from_fd(&rx, -1), MIO_EBADF);
	assert_inert(&rx.source);
	ASSERT_EQ(count_open_fds(), fds);
}

int main(void)
{
	RUN(pipe_smoke);
	RUN(vectored_io);
	RUN(sender_closed);
	RUN(receiver_closed);
	RUN(receiver_closed_raises_sigpipe);
	RUN(write_until_would_block);
	RUN(io_allocates_nothing);
	RUN(set_nonblocking);
	RUN(from_fd);
	RUN(fallback_creation);
	RUN(close_deregisters);
	RUN(closed_ends);
	RUN(bad_arguments);
	return test_summary();
}
