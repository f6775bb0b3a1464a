#ifndef MIO_NET_INET_H
#define MIO_NET_INET_H

/* What the TCP and UDP objects share (src/net/tcp_*.c, udp_*.c). */

#include "net/socket.h"

/* The TCP and UDP objects' argument check (mio__source_check). */
static inline int mio__inet_check(const mio_source *s)
{
	return mio__source_check(s);
}

/* The OS length of an IPv4/IPv6 address, or 0 for anything else. */
static inline socklen_t mio__inet_addr_len(const mio_sockaddr *a)
{
	return (socklen_t)mio_sockaddr_len(a);
}

/* A new socket of addr's family; MIO_EINVAL for a bad address. */
int mio__inet_socket(const mio_sockaddr *addr, int type, mio_raw_fd *out);

/*
 * The constructors' common part: a new socket of addr's family and type,
 * which setup (connect, bind, listen: a negative code refuses it) gets
 * with addr and arg before out takes it. On failure nothing is left open
 * and out stays as it was (callers make it inert first).
 */
int mio__inet_open(mio_source *out, const mio_sockaddr *addr, int type,
		   int (*setup)(mio_raw_fd fd, const mio_sockaddr *addr,
				int arg),
		   int arg);

/* Adopts fd for a *_from_fd constructor: s stays inert on failure. */
int mio__inet_adopt(mio_source *s, mio_raw_fd fd);

/*
 * getsockname/getpeername into a mio_sockaddr: MIO_EAFNOSUPPORT if the
 * socket is not IPv4 or IPv6. out is written only on success.
 */
int mio__inet_local_addr(const mio_source *s, mio_sockaddr *out);
int mio__inet_peer_addr(const mio_source *s, mio_sockaddr *out);

/*
 * The unicast TTL: IP_TTL on IPv4 sockets, IPV6_UNICAST_HOPS on IPv6
 * ones.
 */
int mio__inet_set_ttl(const mio_source *s, uint32_t ttl);
int mio__inet_ttl(const mio_source *s, uint32_t *out);

/* A boolean or unsigned socket option, read or written. */
int mio__inet_set_bool(const mio_source *s, int level, int name, bool on);
int mio__inet_get_bool(const mio_source *s, int level, int name, bool *out);
int mio__inet_set_u32(const mio_source *s, int level, int name, uint32_t v);
int mio__inet_get_u32(const mio_source *s, int level, int name, uint32_t *out);

/*
 * SO_LINGER from a timespec (NULL: off), in whole seconds rounded up so
 * that a short linger never becomes a reset; an invalid timespec gives
 * MIO_EINVAL. The getter writes on/off and the seconds (0 when off).
 */
int mio__inet_set_linger(const mio_source *s, const struct timespec *linger);
int mio__inet_linger(const mio_source *s, bool *on, struct timespec *out);

/* The keepalive timers (see mio__socket_set_keepalive_params). */
int mio__inet_set_keepalive_params(const mio_source *s,
				   const mio_tcp_keepalive *ka);
int mio__inet_keepalive_params(const mio_source *s, mio_tcp_keepalive *out);

#endif
