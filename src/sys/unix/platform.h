#ifndef MIO_SYS_UNIX_PLATFORM_H
#define MIO_SYS_UNIX_PLATFORM_H

/* Small POSIX helpers the portable layer uses. */

#include <errno.h>
#include <netinet/tcp.h> /* TCP_NODELAY, which Windows has in winsock2.h */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

typedef pthread_mutex_t mio__mutex;
#define MIO__MUTEX_INIT PTHREAD_MUTEX_INITIALIZER

static inline void mio__mutex_lock(mio__mutex *m)
{
	pthread_mutex_lock(m);
}

static inline void mio__mutex_unlock(mio__mutex *m)
{
	pthread_mutex_unlock(m);
}

static inline bool mio__fd_valid(mio_raw_fd fd)
{
	return fd >= 0;
}

/*
 * A valid descriptor other than 0, told in one comparison: the fast path
 * of mio__source_usable (src/internal.h), which alone must look further
 * at descriptor 0.
 */
static inline bool mio__fd_valid_nonzero(mio_raw_fd fd)
{
	return fd > 0;
}

/*
 * Closes a descriptor the library owns. On Linux the descriptor is gone
 * even when close reports EINTR, so it is never retried.
 */
static inline int mio__fd_close(mio_raw_fd fd)
{
	return close(fd) < 0 && errno != EINTR ? -errno : 0;
}

/*
 * Installs, once per process, the fork() handlers of src/sys/unix/fork.c:
 * a forked child never deregisters from the parent's polls. Backends call
 * it when they create a selector.
 */
void mio__fork_guard(void);

/* The forks this process descends from, counted by the guard's handler. */
extern atomic_uint mio__forks;

/*
 * A number that changes in a forked child (once the guard is installed):
 * an object records it when it is made, and mio__fork_is_own tells later
 * whether the OS queue it belongs to is this process's or the parent's.
 */
static inline unsigned mio__fork_generation(void)
{
	return atomic_load_explicit(&mio__forks, memory_order_relaxed);
}

static inline bool mio__fork_is_own(unsigned generation)
{
	return generation == mio__fork_generation();
}

/*
 * Sets or clears one fcntl flag (F_GETFL/F_SETFL or F_GETFD/F_SETFD),
 * leaving the descriptor alone if it is already so. src/sys/unix/fd.c.
 */
int mio__fd_set_flag(int fd, int get, int set, int flag, bool on);

/* Makes a descriptor non-blocking and close-on-exec. */
int mio__fd_adopt(int fd);

/* Whether Unix-domain sockets have the abstract namespace. */
static inline bool mio__uds_has_abstract(void)
{
#if defined(__linux__) || defined(__ANDROID__)
	return true;
#else
	return false;
#endif
}

/*
 * A non-blocking, close-on-exec pipe: pipe2 where the system has it, pipe
 * and fcntl elsewhere (macOS). src/sys/unix/pipe.c; the poll(2) selector
 * and the pipe waker use it too.
 */
int mio__pipe_open(int fds[2]);

/*
 * Reads a non-blocking pipe or eventfd empty: a short read (or an error,
 * EAGAIN once it is empty) means it is. The waker's pipe, emptied by the
 * selectors and by a wake that finds it full; async-signal-safe.
 */
void mio__pipe_drain(int fd);

#endif
