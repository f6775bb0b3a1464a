/* Test utilities for POSIX systems (see test.h). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libkqueue_settle.h"
#include "test.h"

void assert_nonblocking(mio_raw_fd fd)
{
	int flags = fcntl(fd, F_GETFL);
	ASSERT(flags >= 0);
	if ((flags & O_NONBLOCK) == 0)
		FAIL_AT("descriptor %d is blocking", fd);
}

void assert_cloexec(mio_raw_fd fd)
{
	int flags = fcntl(fd, F_GETFD);
	ASSERT(flags >= 0);
	if ((flags & FD_CLOEXEC) == 0)
		FAIL_AT("descriptor %d is not close-on-exec", fd);
}

static int fd_order(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

#if defined(__linux__)
/* /proc/self/fd names exactly the open descriptors. */
static int scan_open_fds(mio_raw_fd *fds, int max)
{
	DIR *d;
	struct dirent *ent;
	int n = 0;

	d = opendir("/proc/self/fd");
	ASSERT(d != NULL);
	while ((ent = readdir(d)) != NULL) {
		int fd;
		if (ent->d_name[0] == '.')
			continue;
		fd = atoi(ent->d_name);
		if (fd == dirfd(d))
			continue;
		if (n < max)
			fds[n] = fd;
		n++;
	}
	closedir(d);
	return n;
}
#else
/*
 * Without /proc (macOS, the BSDs): every number below the descriptor
 * limit that fcntl takes. The tests open none above the soft limit.
 */
static int scan_open_fds(mio_raw_fd *fds, int max)
{
	struct rlimit rl;
	rlim_t end = 1 << 16;
	int n = 0;

	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < end)
		end = rl.rlim_cur;
	for (int fd = 0; (rlim_t)fd < end; fd++) {
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		if (n < max)
			fds[n] = fd;
		n++;
	}
	return n;
}
#endif

int list_open_fds(mio_raw_fd *fds, int max)
{
	int n;

	settle_libkqueue();
	n = scan_open_fds(fds, max);
	if (max > 0)
		qsort(fds, (size_t)(n < max ? n : max), sizeof(*fds), fd_order);
	return n;
}

static char temp_dir[256];

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_temp_dir(void)
{
	if (temp_dir[0] != '\0')
		nftw(temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *test_temp_dir(void)
{
	const char *base;

	if (temp_dir[0] != '\0')
		return temp_dir;
	base = getenv("TMPDIR");
	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	snprintf(temp_dir, sizeof(temp_dir), "%s/mio-test-XXXXXX", base);
	ASSERT(mkdtemp(temp_dir) != NULL);
	atexit(remove_temp_dir);
	return temp_dir;
}

void test_tcp_socket_pair(mio_raw_fd sv[2])
{
	struct sockaddr_in addr = { 0 };
	socklen_t len = sizeof(addr);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT(l >= 0);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ASSERT_EQ(listen(l, 1), 0);
	ASSERT_EQ(getsockname(l, (struct sockaddr *)&addr, &len), 0);
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT(sv[0] >= 0);
	ASSERT_EQ(connect(sv[0], (struct sockaddr *)&addr, sizeof(addr)), 0);
	sv[1] = accept(l, NULL, NULL);
	ASSERT(sv[1] >= 0);
	close(l);
}

void test_close_socket(mio_raw_fd fd)
{
	ASSERT_EQ(close(fd), 0);
}

short test_poll_socket(mio_raw_fd fd, short events, int timeout_ms)
{
	struct pollfd p = { fd, events, 0 };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	ASSERT(n >= 0);
	return n == 0 ? 0 : p.revents;
}

mio_raw_fd test_dup_socket(mio_raw_fd fd)
{
	int d = dup(fd);

	ASSERT(d >= 0);
	return d;
}

void test_set_linger_zero(mio_raw_fd fd)
{
	struct linger lg = { 1, 0 };

	ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
}

bool test_under_wine(void)
{
	return false;
}

mio_raw_fd test_socket(int domain, int type)
{
	int fd = socket(domain, type, 0);

	ASSERT(fd >= 0);
	return fd;
}

bool test_socket_is_open(mio_raw_fd fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

mio_ssize test_recv(mio_raw_fd fd, void *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len, 0);

	return n < 0 ? -errno : n;
}

bool raise_fd_limit(long want)
{
	struct rlimit rl;

	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= (rlim_t)want)
		return true;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < (rlim_t)want) {
		printf("skipped: needs %ld descriptors, the hard RLIMIT_NOFILE "
		       "is %ju\n",
		       want, (uintmax_t)rl.rlim_max);
		return false;
	}
	rl.rlim_cur = (rlim_t)want;
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
	return true;
}

void test_peer_start(struct test_peer *p, void (*fn)(void *arg), void *arg)
{
	pid_t pid;

	p->fn = fn;
	p->arg = arg;
	/* Nothing buffered may be written twice. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	p->id = (uintptr_t)pid;
}

void test_peer_join(struct test_peer *p)
{
	pid_t pid = (pid_t)p->id;
	int status;

	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL_AT("the peer failed (status %#x)", status);
}

void test_pipe(int fds[2])
{
	ASSERT_EQ(pipe(fds), 0);
}

void test_pipe_read(int fd, void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			FAIL_AT("pipe %d: read %zd of %zu bytes", fd, n, len);
		done += (size_t)n;
	}
}

void test_pipe_write(int fd, const void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			FAIL_AT("pipe %d: write %zd of %zu bytes", fd, n, len);
		done += (size_t)n;
	}
}

void test_pipe_close(int fd)
{
	ASSERT_EQ(close(fd), 0);
}

/* Starts dir/argv[0]; see test_process_spawn(_listen_fd) in test.h. */
static void process_start(struct test_process *p, const char *dir,
			  const char *const argv[], bool capture, int listen_fd)
{
	char path[512];
	int fds[2] = { -1, -1 };
	pid_t pid;

	ASSERT((size_t)snprintf(path, sizeof(path), "%s/%s", dir, argv[0]) <
	       sizeof(path));
	/* Close-on-exec: no other child may hold the ends (dup2 clears it). */
	if (capture) {
		ASSERT_EQ(pipe(fds), 0);
		ASSERT_EQ(fcntl(fds[0], F_SETFD, FD_CLOEXEC), 0);
		ASSERT_EQ(fcntl(fds[1], F_SETFD, FD_CLOEXEC), 0);
	}
	/* Nothing buffered may be written twice. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		if (capture && dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(127);
		if (listen_fd >= 0) {
			char text[32];

			if (listen_fd != 3 && dup2(listen_fd, 3) < 0)
				_exit(127);
			if (listen_fd != 3)
				close(listen_fd);
			snprintf(text, sizeof(text), "%ld", (long)getpid());
			setenv("LISTEN_PID", text, 1);
			setenv("LISTEN_FDS", "1", 1);
		}
		execv(path, (char *const *)argv);
		fprintf(stderr, "exec %s failed\n", path);
		_exit(127);
	}
	if (capture)
		close(fds[1]);
	p->id = (uintptr_t)pid;
	p->out = fds[0];
}

void test_process_spawn(struct test_process *p, const char *dir,
			const char *const argv[], bool capture)
{
	process_start(p, dir, argv, capture, -1);
}

void test_process_spawn_listen_fd(struct test_process *p, const char *dir,
				  const char *const argv[], int fd)
{
	process_start(p, dir, argv, true, fd);
}

void test_process_read_line(struct test_process *p, char *buf, size_t len)
{
	int fd = (int)p->out;
	size_t n = 0;

	ASSERT(fd >= 0 && len > 0);
	while (n + 1 < len) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t r;
		int i;

		/* 60 s for each byte: the child may be slow to start. */
		for (i = 0; i < 600; i++) {
			int ready = poll(&pfd, 1, 100);
			ASSERT(ready >= 0 || errno == EINTR);
			if (ready > 0)
				break;
		}
		if (i == 600)
			FAIL_AT("pid %ju printed no line", (uintmax_t)p->id);
		r = read(fd, buf + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 1)
			FAIL_AT("pid %ju: output ended before a line (%zd)",
				(uintmax_t)p->id, r);
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	printf("# %s\n", buf);
}

/* Copies what the child printed to our stdout, without blocking. */
static void process_drain(struct test_process *p)
{
	char buf[4096];
	ssize_t n;

	if (p->out < 0)
		return;
	while (poll(&(struct pollfd){ (int)p->out, POLLIN, 0 }, 1, 0) > 0 &&
	       (n = read((int)p->out, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
}

int test_process_finish(struct test_process *p)
{
	pid_t pid = (pid_t)p->id;
	int status;

	/* 60 s, in steps of 10 ms, draining the output as it comes. */
	for (int i = 0; i < 6000; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		ASSERT(r >= 0 || errno == EINTR);
		process_drain(p);
		if (r == pid) {
			if (p->out >= 0)
				close((int)p->out);
			p->out = -1;
			if (!WIFEXITED(status))
				FAIL_AT("pid %ld ended by signal %d", (long)pid,
					WIFSIGNALED(status) ? WTERMSIG(status)
							    : -1);
			return WEXITSTATUS(status);
		}
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	FAIL_AT("pid %ld did not exit", (long)pid);
	return -1;
}
