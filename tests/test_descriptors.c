/*
 * Every descriptor the library creates is close-on-exec (the poll's, the
 * waker's, a registry clone's), and freeing gives every one of them back.
 * The new descriptors are found by comparing /proc/self/fd before and
 * after each call.
 */

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

enum { MAX_FD = 4096 };

struct fdset {
	bool open[MAX_FD];
};

static void snapshot(struct fdset *s)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *ent;

	ASSERT(d != NULL);
	memset(s, 0, sizeof(*s));
	while ((ent = readdir(d)) != NULL) {
		int fd;
		if (ent->d_name[0] == '.')
			continue;
		fd = atoi(ent->d_name);
		if (fd != dirfd(d) && fd < MAX_FD)
			s->open[fd] = true;
	}
	closedir(d);
}

/*
 * Checks that every descriptor opened since `before` is close-on-exec;
 * returns how many there are.
 */
static int check_new_fds(const struct fdset *before, const char *what)
{
	struct fdset now;
	int n = 0;

	snapshot(&now);
	for (int fd = 0; fd < MAX_FD; fd++) {
		if (!now.open[fd] || before->open[fd])
			continue;
		int flags = fcntl(fd, F_GETFD);
		ASSERT(flags >= 0);
		if ((flags & FD_CLOEXEC) == 0)
			FAIL_AT("%s: descriptor %d is not close-on-exec", what,
				fd);
		n++;
	}
	return n;
}

static void library_descriptors_are_cloexec(void)
{
	struct fdset before;
	mio_poll *poll;
	mio_registry *clone;
	mio_waker *waker;
	int base = count_open_fds();

	snapshot(&before);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT(check_new_fds(&before, "mio_poll_new") >= 1);

	snapshot(&before);
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	check_new_fds(&before, "mio_registry_try_clone");

	snapshot(&before);
	ASSERT_OK(mio_waker_new(clone, 1, &waker));
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/* kqueue's EVFILT_USER waker lives in the kqueue: no descriptor. */
	check_new_fds(&before, "mio_waker_new");
#else
	ASSERT(check_new_fds(&before, "mio_waker_new") >= 1);
#endif

	mio_waker_free(waker);
	mio_registry_free(clone);
	mio_poll_free(poll);
	ASSERT_EQ(count_open_fds(), base);
}

/*
 * The same through a real exec: a child that execs a shell sees none of
 * the library's descriptors.
 */
static void descriptors_do_not_survive_exec(void)
{
	struct fdset before;
	mio_poll *poll;
	mio_waker *waker;
	char cmd[4096] = "exit 0";
	size_t len = 0;
	pid_t pid;
	int status;

	if (access("/bin/sh", X_OK) != 0) {
		printf("# no /bin/sh: skipped\n");
		return;
	}
	snapshot(&before);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 1, &waker));
	struct fdset now;
	snapshot(&now);
	/* "test ! -e /proc/self/fd/N && ..." for each new descriptor. */
	for (int fd = 0; fd < MAX_FD; fd++) {
		if (!now.open[fd] || before.open[fd])
			continue;
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len,
					"test ! -e /proc/self/fd/%d && ", fd);
		ASSERT(len < sizeof(cmd) - 16);
	}
	snprintf(cmd + len, sizeof(cmd) - len, "exit 0");
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		FAIL_AT("a library descriptor survived exec: %s", cmd);
	mio_waker_free(waker);
	mio_poll_free(poll);
}

/* Creating and freeing many objects returns every descriptor. */
static void nothing_leaks(void)
{
	int base = count_open_fds();

	for (int i = 0; i < 200; i++) {
		mio_poll *poll;
		mio_registry *clone;
		mio_waker *waker;
		ASSERT_OK(mio_poll_new(&poll));
		ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll),
						 &clone));
		ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 1, &waker));
		/* Alternate the freeing order. */
		if (i % 2 == 0) {
			mio_poll_free(poll);
			mio_waker_free(waker);
			mio_registry_free(clone);
		} else {
			mio_registry_free(clone);
			mio_waker_free(waker);
			mio_poll_free(poll);
		}
	}
	ASSERT_EQ(count_open_fds(), base);
}

int main(void)
{
	RUN(library_descriptors_are_cloexec);
	RUN(descriptors_do_not_survive_exec);
	RUN(nothing_leaks);
	return test_summary();
}
