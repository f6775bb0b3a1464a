#ifndef MIO_NET_SOCKET_H
#define MIO_NET_SOCKET_H

/*
 * The socket layer the portable networking code is written against. Each
 * platform defines it once (src/sys/unix/socket.c, src/sys/windows/
 * socket.c): descriptors come out non-blocking and close-on-exec, writes
 * never raise SIGPIPE, and every error is a negative MIO_E* code.
 *
 * The I/O functions take the source, not the descriptor, so that a
 * MIO_EAGAIN result can re-arm emulated readiness (mio__io_done).
 */

#include "internal.h"

/* socket(2), non-blocking and close-on-exec (atomically where possible). */
int mio__socket_new(int domain, int type, int protocol, mio_raw_fd *out);

/*
 * Accepts one connection as a non-blocking, close-on-exec descriptor.
 * addr/len may be NULL. MIO_EAGAIN when none is pending.
 */
int mio__socket_accept(mio_source *listener, struct sockaddr *addr,
		       socklen_t *len, mio_raw_fd *out);

/*
 * socketpair(2) of two connected, non-blocking, close-on-exec descriptors
 * (POSIX; Unix-domain sockets). On failure neither descriptor is open.
 */
int mio__socket_pair(int domain, int type, int protocol, mio_raw_fd out[2]);

/* Makes an adopted descriptor non-blocking and close-on-exec. */
int mio__socket_adopt(mio_raw_fd fd);

int mio__socket_bind(mio_raw_fd fd, const struct sockaddr *addr, socklen_t len);
int mio__socket_listen(mio_raw_fd fd, int backlog);

/* A non-blocking connect: 0 when it completed or is in progress. */
int mio__socket_connect(mio_raw_fd fd, const struct sockaddr *addr,
			socklen_t len);

int mio__socket_local_addr(mio_raw_fd fd, struct sockaddr *addr,
			   socklen_t *len);
int mio__socket_peer_addr(mio_raw_fd fd, struct sockaddr *addr, socklen_t *len);

/* SO_ERROR as 0 or a negative code (and thereby cleared). */
int mio__socket_take_error(mio_raw_fd fd);

int mio__socket_shutdown(mio_raw_fd fd, mio_shutdown how);

/*
 * take_error and shutdown of a socket object: the argument check
 * (mio__source_check), then the call on its descriptor.
 */
static inline int mio__source_take_error(const mio_source *s)
{
	int err = mio__source_check(s);
	return err < 0 ? err : mio__socket_take_error(s->fd);
}

static inline int mio__source_shutdown(const mio_source *s, mio_shutdown how)
{
	int err = mio__source_check(s);
	return err < 0 ? err : mio__socket_shutdown(s->fd, how);
}

/* getsockopt/setsockopt of an int-sized option, and setsockopt of any. */
int mio__socket_get_int(mio_raw_fd fd, int level, int name, int *out);
int mio__socket_setopt(mio_raw_fd fd, int level, int name, const void *val,
		       socklen_t len);

static inline int mio__socket_set_int(mio_raw_fd fd, int level, int name,
				      int value)
{
	return mio__socket_setopt(fd, level, name, &value, sizeof(value));
}

/*
 * recv/send with flags (MSG_PEEK, ...); send adds the no-SIGPIPE flag.
 * Re-arm the direction that would block.
 */
mio_ssize mio__socket_recv(mio_source *s, void *buf, size_t len, int flags);
mio_ssize mio__socket_send(mio_source *s, const void *buf, size_t len);
mio_ssize mio__socket_recvfrom(mio_source *s, void *buf, size_t len, int flags,
			       struct sockaddr *from, socklen_t *fromlen);
mio_ssize mio__socket_sendto(mio_source *s, const void *buf, size_t len,
			     const struct sockaddr *to, socklen_t tolen);

/*
 * Reads and writes on stream sockets (TCP, Unix stream): as recv/send,
 * and a short count re-arms the direction too (mio__stream_io_done).
 */
mio_ssize mio__socket_read(mio_source *s, void *buf, size_t len);
mio_ssize mio__socket_write(mio_source *s, const void *buf, size_t len);
mio_ssize mio__socket_readv(mio_source *s, const mio_iovec *iov, size_t n);
mio_ssize mio__socket_writev(mio_source *s, const mio_iovec *iov, size_t n);

/*
 * The socket's address family (AF_INET, AF_INET6, ...) or a negative
 * code. It works on a socket that is not bound yet.
 */
int mio__socket_family(mio_raw_fd fd);

/* SO_REUSEPORT, or MIO_ENOTSUP where the OS has none (Windows). */
int mio__socket_set_reuseport(mio_raw_fd fd, bool on);
int mio__socket_reuseport(mio_raw_fd fd, bool *out);

/*
 * SO_LINGER in whole seconds (on Apple systems SO_LINGER_SEC: their
 * SO_LINGER counts clock ticks). secs is ignored when off; more seconds
 * than the OS's field holds give MIO_EINVAL. The getter gives 0 seconds
 * when lingering is off.
 */
int mio__socket_set_linger(mio_raw_fd fd, bool on, uint32_t secs);
int mio__socket_linger(mio_raw_fd fd, bool *on, uint32_t *secs);

/*
 * TCP keepalive: sets the timers whose fields are not 0, then turns
 * SO_KEEPALIVE on. MIO_ENOTSUP for a timer the OS cannot set per socket;
 * a failure leaves the timers as they were.
 */
int mio__socket_set_keepalive_params(mio_raw_fd fd,
				     const mio_tcp_keepalive *ka);

/* The keepalive timers, in mio_tcp_keepalive's order. */
enum mio__keepalive_timer {
	MIO__KEEPALIVE_TIME,
	MIO__KEEPALIVE_INTERVAL,
	MIO__KEEPALIVE_RETRIES,
	MIO__KEEPALIVE_TIMERS
};

/* One timer's current value, or MIO_ENOTSUP where the OS cannot tell it. */
int mio__socket_keepalive_timer(mio_raw_fd fd, enum mio__keepalive_timer t,
				int *out);

/*
 * Options a listening TCP socket gets before bind: SO_REUSEADDR on POSIX,
 * so that a restarted server can bind a port with connections still in
 * TIME_WAIT (mio does this). Windows sets nothing: there SO_REUSEADDR
 * would let another socket take the port over.
 */
int mio__socket_prepare_listen(mio_raw_fd fd);

#endif
