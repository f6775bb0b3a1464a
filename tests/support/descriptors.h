#ifndef MIO_TEST_DESCRIPTORS_H
#define MIO_TEST_DESCRIPTORS_H

/*
 * What descriptors (handles on Windows) a process holds, their flags,
 * and its descriptor limit.
 */

#include <stdbool.h>

#include "mio.h"

/* Every descriptor the library makes must be non-blocking/close-on-exec. */
void assert_nonblocking(mio_raw_fd fd);
void assert_cloexec(mio_raw_fd fd);
/*
 * Open descriptors of this process (counted in /proc/self/fd on Linux,
 * with fcntl on other POSIX systems; on Windows, the process's handle
 * count).
 */
int count_open_fds(void);
/*
 * The open descriptors (handles on Windows), in ascending order: the
 * first `max` are written to fds (which may be NULL if max is 0);
 * returns how many are open.
 */
int list_open_fds(mio_raw_fd *fds, int max);
/*
 * The open descriptors at one moment (list_open_fds), to tell the ones a
 * call opens: fd_snapshot_take() fails the test if there are more than
 * it holds.
 */
enum { FD_SNAPSHOT_MAX = 4096 };
struct fd_snapshot {
	int n;
	mio_raw_fd fd[FD_SNAPSHOT_MAX];
};
void fd_snapshot_take(struct fd_snapshot *s);
bool fd_snapshot_contains(const struct fd_snapshot *s, mio_raw_fd fd);

/*
 * Raises the soft RLIMIT_NOFILE to at least `want` descriptors (up to the
 * hard limit). Returns false, after printing why, if the hard limit is
 * lower: the caller then skips with TEST_SKIP.
 */
bool raise_fd_limit(long want);

#endif
