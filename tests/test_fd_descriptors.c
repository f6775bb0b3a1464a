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
	char cmd[4096];
	size_t len;
	pid_t pid;
	int status, keep[2];

	if (access("/bin/sh", X_OK) != 0) {
		printf("# no /bin/sh: skipped\n");
		return;
	}
	fd_snapshot_take(&before);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 1, &waker));
	fd_snapshot_take(&now);
	/*
	 * /dev/fd/N exists in the shell for each descriptor it has (Linux,
	 * macOS; FreeBSD without fdescfs shows 0-2 only). A pipe left
	 * inheritable on purpose proves that /dev/fd shows the others.
	 */
	ASSERT_EQ(pipe(keep), 0);
	len = (size_t)snprintf(cmd, sizeof(cmd),
			       "test -e /dev/fd/%d || exit 3; ", keep[0]);
	/* "test ! -e /dev/fd/N && ..." for each new descriptor. */
	for (int i = 0; i < now.n; i++) {
		if (fd_snapshot_contains(&before, now.fd[i]))
			continue;
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len,
					"test ! -e /dev/fd/%d && ", now.fd[i]);
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
	ASSERT_EQ(close(keep[0]), 0);
	ASSERT_EQ(close(keep[1]), 0);
	if (WEXITSTATUS(status) == 3)
		printf("# /dev/fd does not show inherited descriptors: "
		       "skipped\n");
	else if (WEXITSTATUS(status) != 0)
		FAIL_AT("a library descriptor survived exec: %s", cmd);
	mio_waker_free(waker);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(descriptors_do_not_survive_exec);
	return test_summary();
}
