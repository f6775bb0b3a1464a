/*
 * The library's descriptors through a real exec (test_descriptors.c
 * checks their flags on every platform): a child that execs a shell sees
 * none of them. POSIX only: Windows has no fork or exec, and a handle
 * that is not inheritable, which test_descriptors.c checks, is what
 * keeps it out of a child process there.
 */

#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

static void descriptors_do_not_survive_exec(void)
{
	static struct fd_snapshot before, now;
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
	fd_snapshot_take(&before);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 1, &waker));
	fd_snapshot_take(&now);
	/* "test ! -e /proc/self/fd/N && ..." for each new descriptor. */
	for (int i = 0; i < now.n; i++) {
		if (fd_snapshot_contains(&before, now.fd[i]))
			continue;
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len,
					"test ! -e /proc/self/fd/%d && ",
					now.fd[i]);
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

int main(void)
{
	RUN(descriptors_do_not_survive_exec);
	return test_summary();
}
