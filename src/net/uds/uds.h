#ifndef MIO_NET_UDS_UDS_H
#define MIO_NET_UDS_UDS_H

/*
 * Shared by the Unix-domain socket files (POSIX only). The socket work is
 * done through the socket layer; what differs between POSIX systems is in
 * src/sys/unix/platform.h.
 */

#include "net/socket.h"

/* Makes the address `a` unnamed, with every byte defined. */
void mio__unix_addr_clear(mio_unix_addr *a);

/*
 * Whether a can go to the kernel as it is: the AF_UNIX family and a
 * length within the structure (the kernel would read past it otherwise).
 */
bool mio__unix_addr_valid(const mio_unix_addr *a);

/*
 * Completes an address the kernel wrote `len` bytes of: an unnamed one
 * gets the family and the unnamed length, a pathname its NUL and the
 * length from_pathname gives. MIO_ENAMETOOLONG if the kernel's address
 * did not fit (a path of sizeof(sun_path) bytes has no room for its NUL).
 */
int mio__unix_addr_finish(mio_unix_addr *a, socklen_t len);

/*
 * local_addr (peer false) or peer_addr (peer true) of s into out, which
 * is left unnamed on any failure. s may be NULL (MIO_EINVAL) or inert
 * (MIO_EBADF).
 */
int mio__uds_addr(const mio_source *s, bool peer, mio_unix_addr *out);

/*
 * A new non-blocking, close-on-exec AF_UNIX socket of `type`, bound to
 * `addr` unless it is NULL, as an owned source. MIO_EINVAL for an
 * address that is not valid. On failure nothing is left open and out
 * stays as it was (callers make it inert first).
 */
int mio__uds_new(mio_source *out, int type, const mio_unix_addr *addr);

/*
 * What the constructors by address start with: out (NULL gives
 * MIO_EINVAL) is made inert, addr must be valid (MIO_EINVAL), and out gets
 * a new socket of `type`, bound to addr where bind is set.
 */
int mio__uds_open(mio_source *out, int type, const mio_unix_addr *addr,
		  bool bind);

/*
 * A connected pair of `type` into a and b; both inert on failure. Either
 * NULL gives MIO_EINVAL (the other is made inert).
 */
int mio__uds_pair(mio_source *a, mio_source *b, int type);

/*
 * What bind and connect by path do: out (NULL gives MIO_EINVAL) is made
 * inert, path becomes an address, and by_addr, the same call by address,
 * does the rest.
 */
int mio__uds_by_path(mio_source *out, const char *path,
		     int (*by_addr)(mio_source *out,
				    const mio_unix_addr *addr));

#endif
