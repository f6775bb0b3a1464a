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
 * What a constructor by address (bind, connect) makes: a socket of
 * `type`, bound to the address where bind is set, then finished by
 * `then` (listen, connect; NULL: nothing) with the address.
 */
struct mio__uds_kind {
	int type;
	bool bind;
	int (*then)(mio_raw_fd fd, const mio_unix_addr *addr);
};

/*
 * The kinds: a listener (bound, then listening), a connected stream (not
 * bound) and a bound datagram socket.
 */
extern const struct mio__uds_kind mio__uds_listener, mio__uds_stream,
	mio__uds_datagram;

/*
 * A constructor by address: out (NULL gives MIO_EINVAL) is made inert,
 * addr must be valid (MIO_EINVAL), and out gets the socket `kind` says.
 * Should `then` fail, the socket is closed and a file bind made is
 * removed: a failed call leaves no trace.
 */
int mio__uds_open(mio_source *out, const struct mio__uds_kind *kind,
		  const mio_unix_addr *addr);

/*
 * A connected pair of `type` into a and b; both inert on failure. Either
 * NULL gives MIO_EINVAL (the other is made inert).
 */
int mio__uds_pair(mio_source *a, mio_source *b, int type);

/*
 * mio__uds_open with the address of a pathname; a path that makes no
 * address (mio_unix_addr_from_pathname's error) leaves out inert.
 */
int mio__uds_by_path(mio_source *out, const struct mio__uds_kind *kind,
		     const char *path);

#endif
