#ifndef MIO_TEST_OS_SOCKET_H
#define MIO_TEST_OS_SOCKET_H

/*
 * Sockets made and used with the OS's own calls, beside the library:
 * peers and checks that must not go through the code under test.
 */

#include <stdbool.h>
#include <stddef.h>

#include "mio.h"

/* A fresh private directory for Unix sockets; removed at exit. */
const char *test_temp_dir(void);

/*
 * A connected pair of blocking loopback TCP sockets, created with the
 * OS's own calls (wrap them with *_from_fd); test_close_socket closes one.
 */
void test_tcp_socket_pair(mio_raw_fd sv[2]);
void test_close_socket(mio_raw_fd fd);

/*
 * Waits up to timeout_ms for any of `events` (POLLIN, POLLOUT, ...: from
 * <poll.h> on POSIX, <winsock2.h> on Windows) on a socket with poll(2)
 * (WSAPoll on Windows), outside of any mio_poll; returns the reported
 * events, 0 on timeout.
 */
short test_poll_socket(mio_raw_fd fd, short events, int timeout_ms);
/* A second descriptor for the same socket (dup; WSADuplicateSocket). */
mio_raw_fd test_dup_socket(mio_raw_fd fd);
/* Makes the next close of the socket send a reset (SO_LINGER 0). */
void test_set_linger_zero(mio_raw_fd fd);
/*
 * Whether this Windows test runs under Wine, which differs from Windows
 * in a few documented places (false on POSIX).
 */
bool test_under_wine(void);
/* A plain blocking socket made with the OS's own call (fails the test). */
mio_raw_fd test_socket(int domain, int type);
/* Whether fd is still an open descriptor (handle on Windows). */
bool test_socket_is_open(mio_raw_fd fd);
/*
 * recv(2) on a socket with the OS's own call, bypassing the library (for
 * mio_source_try_io): the byte count, or a library code (MIO_EAGAIN when
 * it would block).
 */
mio_ssize test_recv(mio_raw_fd fd, void *buf, size_t len);

#endif
