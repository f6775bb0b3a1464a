#ifndef MIO_TESTS_POSIX_FD_H
#define MIO_TESTS_POSIX_FD_H

/*
 * Non-blocking, close-on-exec socket pairs and pipes made with the calls
 * every POSIX system has: macOS has neither pipe2 nor SOCK_NONBLOCK and
 * SOCK_CLOEXEC. What the tests check of these descriptors does not depend
 * on the flags being set atomically.
 */

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"

static inline void fd_set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	ASSERT(fl >= 0);
	ASSERT_EQ(fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
	ASSERT_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
}

/* A Unix-domain stream pair. */
static inline void socketpair_nb(int sv[2])
{
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fd_set_nonblock_cloexec(sv[0]);
	fd_set_nonblock_cloexec(sv[1]);
}

static inline void pipe_nb(int p[2])
{
	ASSERT_EQ(pipe(p), 0);
	fd_set_nonblock_cloexec(p[0]);
	fd_set_nonblock_cloexec(p[1]);
}

#endif
