#ifndef MIO_H
#define MIO_H

/*
 * mio for C: non-blocking I/O and readiness events over the OS's own
 * event queue (epoll, kqueue, IOCP with AFD polling), after Rust's mio.
 *
 * Conventions, in brief (the manual pages have the details):
 *  - A call that can fail returns >= 0 on success and a negative MIO_E*
 *    code on failure; on POSIX that code is exactly -errno.
 *  - Readiness is edge-triggered: after an event, do I/O until MIO_EAGAIN
 *    before counting on another event for the same readiness. On stream
 *    sockets and pipes a short read or write (0 < count < len) ends the
 *    loop too, on every backend, unless the event said read-closed.
 *  - mio_poll, mio_events, mio_waker and registry clones are heap objects
 *    (*_new / *_free). Socket and pipe objects are small structs owned by
 *    the caller; each starts with a mio_source member that the registry
 *    takes. *_close deregisters a registered source, then closes it.
 *  - mio_poll_poll is called by one thread at a time; registry calls and
 *    mio_waker_wake may be made from any thread concurrently with it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mio/export.h"
#include "mio/version.h"

/*
 * The timeouts are struct timespec, which <time.h> declares only from
 * C11 or POSIX on: declared here, the prototypes mean the same type in
 * strict C99 too.
 */
struct timespec;

#ifdef __cplusplus
extern "C" {
#endif

/* mio::Token: any value is valid, 0 and UINTPTR_MAX included. */
typedef uintptr_t mio_token;

/* mio::Interest: a non-empty set of these bits. */
typedef uint8_t mio_interest;
#define MIO_READABLE ((mio_interest)0x01)
#define MIO_WRITABLE ((mio_interest)0x02)

typedef struct mio_event mio_event;
typedef struct mio_events mio_events;
typedef struct mio_poll mio_poll;
typedef struct mio_registry mio_registry;
typedef struct mio_waker mio_waker;
typedef struct mio_source mio_source;

#if defined(_WIN32)
#include "mio/win.h"
#else
#include "mio/unix.h"
#endif
#include "mio/error_codes.h"

/* ---------------------------------------------------------------------- */
/* Errors and version                                                      */

/*
 * A description of any code: the library's own text for the MIO_E* codes,
 * the OS's message for any other negative errno value (FormatMessage's
 * for a negated Winsock number), else "unknown error". Never NULL; the
 * string stays valid for good. Thread-safe.
 */
MIO_EXTERN const char *mio_strerror(int code);
/*
 * The code's name without the sign, e.g. "EAGAIN" or "ENOTDIR" (on
 * Windows also "WSAECONNRESET"); "UNKNOWN" if the OS has none.
 */
MIO_EXTERN const char *mio_err_name(int code);
/* "MAJOR.MINOR.PATCH" of the library actually linked. */
MIO_EXTERN const char *mio_version(void);

/* ---------------------------------------------------------------------- */
/* Sources                                                                 */

/* Private: the shared state of a poll, which its sources point to. */
struct mio__anchor;

/*
 * What the registry takes. Every socket and pipe object starts with one.
 * `fd` is the descriptor (-1 once closed); the members ending in an
 * underscore are private.
 *
 * An object must come from its constructor or be all-zero (= {0},
 * memset, calloc). An all-zero object is inert, as a closed one is: every
 * call on it gives MIO_EBADF without touching descriptor 0, and *_close
 * is a no-op. flags_ tells it apart from a real source of descriptor 0:
 * every constructor, and mio_source_fd, sets a bit there.
 */
struct mio_source {
	mio_raw_fd fd;
	uint32_t flags_;
	struct mio__anchor *anchor_;
	void *state_;
};

/* mio_source.flags_ of a mio_source_fd value, private: not all-zero. */
#define MIO__SOURCE_BORROWED 0x2u

/* ---------------------------------------------------------------------- */
/* Poll                                                                    */

/* Creates a poll and its OS event queue (close-on-exec). */
MIO_EXTERN int mio_poll_new(mio_poll **out);

/*
 * Frees the poll. Sources still registered become unregistered; their
 * later *_close only closes them. NULL is a no-op.
 */
MIO_EXTERN void mio_poll_free(mio_poll *poll);

/* The poll's registry: borrowed, valid as long as the poll. */
MIO_EXTERN mio_registry *mio_poll_registry(mio_poll *poll);

/*
 * The descriptor of the OS queue behind a poll or a registry handle (the
 * epoll instance or the kqueue), as mio's AsRawFd for Poll and Registry:
 * for what the library does not wrap, such as naming the kqueue in an
 * aiocb for MIO_AIO. Borrowed: valid as long as the handle; do not close
 * it or change registrations through it. MIO_INVALID_FD for NULL, and
 * where the queue is no descriptor (the poll(2) build, Windows).
 */
MIO_EXTERN mio_raw_fd mio_poll_raw_fd(const mio_poll *poll);
MIO_EXTERN mio_raw_fd mio_registry_raw_fd(const mio_registry *r);

/*
 * Waits for readiness events and writes them into `events` (cleared
 * first). timeout NULL waits forever; a zero timespec returns at once; a
 * non-zero timeout is never rounded down to zero. Returns the number of
 * events (0 on timeout), MIO_EINTR if a signal interrupted the wait (not
 * retried), or MIO_EINVAL for a timespec with a negative field or
 * tv_nsec >= 1e9 (nothing is consumed then).
 */
MIO_INLINE int mio_poll_poll(mio_poll *poll, mio_events *events,
			     const struct timespec *timeout);

/* ---------------------------------------------------------------------- */
/* Registry                                                                */

/*
 * Registers `s` for readiness events of `interest`, reported with
 * `token`. MIO_EEXIST if it is already registered with this or another
 * poll; MIO_EINVAL for an empty interest or a bit the platform lacks;
 * MIO_EBADF for an invalid descriptor. A failed call changes nothing.
 * A borrowed descriptor (mio_source_fd) is the OS's to judge: kqueue
 * keeps nothing that tells a second registration from a change, so
 * there, as in mio, registering it again modifies its registration.
 */
MIO_EXTERN int mio_registry_register(mio_registry *r, mio_source *s,
				     mio_token token, mio_interest interest);

/* Replaces token and interest. MIO_ENOENT if not registered with r's poll. */
MIO_EXTERN int mio_registry_reregister(mio_registry *r, mio_source *s,
				       mio_token token, mio_interest interest);

/* Stops events for s. MIO_ENOENT if not registered with r's poll. */
MIO_EXTERN int mio_registry_deregister(mio_registry *r, mio_source *s);

/* An owned handle to the same poll, usable from any thread. */
MIO_EXTERN int mio_registry_try_clone(const mio_registry *r,
				      mio_registry **out);

/* Frees a clone (never the poll's own registry). NULL is a no-op. */
MIO_EXTERN void mio_registry_free(mio_registry *clone);

/* ---------------------------------------------------------------------- */
/* Events                                                                  */

/* A buffer for up to `capacity` events. Capacity 0 gives MIO_EINVAL. */
MIO_EXTERN int mio_events_new(size_t capacity, mio_events **out);
MIO_EXTERN void mio_events_free(mio_events *events);
MIO_EXTERN void mio_events_clear(mio_events *events);
MIO_EXTERN int mio_event_format(const mio_event *e, char *buf, size_t len);

/* Capacity, length and emptiness; a NULL buffer reads as empty. */
MIO_INLINE size_t mio_events_capacity(const mio_events *events);
MIO_INLINE size_t mio_events_len(const mio_events *events);
MIO_INLINE bool mio_events_is_empty(const mio_events *events);

/* The event at index, or NULL at or past mio_events_len() (or if NULL). */
MIO_INLINE const mio_event *mio_events_get(const mio_events *events,
					   size_t index);

/*
 * The hot-loop form: no checks; events is not NULL and index < len are the
 * caller's promise. The mio_event_* accessors likewise take a valid event.
 */
MIO_INLINE const mio_event *mio_events_at(const mio_events *events,
					  size_t index);

/*
 * The definitions of the inline functions above and of mio_poll_poll,
 * with the private layouts they read.
 */
#include "mio/inline.h"

/* ---------------------------------------------------------------------- */
/* Waker                                                                   */

/*
 * Creates the poll's waker: mio_waker_wake makes the poll report an
 * event with `token` (readable). One waker per poll: MIO_EEXIST (and
 * *out NULL) while another lives. The waker depends on the poll, not on
 * the registry handle it was made from.
 */
MIO_EXTERN int mio_waker_new(mio_registry *r, mio_token token, mio_waker **out);

/* Wakes the poll. Any thread; wakes coalesce; async-signal-safe on POSIX. */
MIO_EXTERN int mio_waker_wake(mio_waker *w);
MIO_EXTERN void mio_waker_free(mio_waker *w);

#if !defined(_WIN32)
/* ---------------------------------------------------------------------- */
/* Sources from plain descriptors (POSIX)                                  */

/*
 * mio::unix::SourceFd: borrows fd and owns nothing. Registry calls act on
 * the descriptor itself, so any such value for the same fd can reregister
 * or deregister it; deregister before you close the descriptor.
 */
MIO_INLINE mio_source mio_source_fd(int fd)
{
	mio_source s = { fd, MIO__SOURCE_BORROWED, NULL, NULL };
	return s;
}
#endif

/* The source's descriptor (-1 once closed). */
MIO_EXTERN mio_raw_fd mio_source_raw_fd(const mio_source *s);

/*
 * mio's try_io: runs fn(s, ctx) and returns its result. Where readiness is
 * emulated (poll(2), Windows), a MIO_EAGAIN result re-arms it. Use it for
 * I/O that bypasses the library on a registered source. fn's count does
 * not tell whether its I/O was short: to stop at a short read or write,
 * fn must return MIO_EAGAIN for it (the count handed back through ctx).
 */
MIO_EXTERN mio_ssize mio_source_try_io(
	mio_source *s, mio_ssize (*fn)(mio_source *s, void *ctx), void *ctx);

/* ---------------------------------------------------------------------- */
/* Socket addresses                                                        */

/* An IPv4 or IPv6 socket address. */
typedef union mio_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
} mio_sockaddr;

/*
 * Parses exactly the text forms of Rust's SocketAddr: "1.2.3.4:80",
 * "[::1]:80", "[fe80::1%2]:80". Anything else gives MIO_EINVAL.
 */
MIO_EXTERN int mio_sockaddr_parse(mio_sockaddr *out, const char *text);

/* Formats in the same text form, with snprintf's rules. */
MIO_EXTERN int mio_sockaddr_format(const mio_sockaddr *a, char *buf,
				   size_t len);
MIO_EXTERN int mio_sockaddr_ipv4(mio_sockaddr *out, uint32_t host_order_ip,
				 uint16_t port);
/* An IPv6 address from 16 bytes in network order, a port and a scope id. */
MIO_EXTERN int mio_sockaddr_ipv6(mio_sockaddr *out, const uint8_t ip[16],
				 uint16_t port, uint32_t scope_id);
MIO_EXTERN uint16_t mio_sockaddr_port(const mio_sockaddr *a);
/* The byte length of the address for the OS (sockaddr_in or _in6). */
MIO_EXTERN size_t mio_sockaddr_len(const mio_sockaddr *a);

/* ---------------------------------------------------------------------- */
/* TCP                                                                     */

typedef struct mio_tcp_listener {
	mio_source source;
} mio_tcp_listener;

typedef struct mio_tcp_stream {
	mio_source source;
} mio_tcp_stream;

typedef enum {
	MIO_SHUTDOWN_READ,
	MIO_SHUTDOWN_WRITE,
	MIO_SHUTDOWN_BOTH
} mio_shutdown;

/* Binds and listens (SO_REUSEADDR on POSIX, backlog 1024). */
MIO_EXTERN int mio_tcp_listener_bind(mio_tcp_listener *out,
				     const mio_sockaddr *addr);
/* backlog <= 0 gives MIO_EINVAL; the OS may cap it (somaxconn). */
MIO_EXTERN int mio_tcp_listener_bind_backlog(mio_tcp_listener *out,
					     const mio_sockaddr *addr,
					     int backlog);
/* Adopts a listening socket (mio's from_std); a failure leaves it yours. */
MIO_EXTERN int mio_tcp_listener_from_fd(mio_tcp_listener *out, mio_raw_fd fd);
/* Accepts one connection, or MIO_EAGAIN. peer may be NULL. */
MIO_EXTERN int mio_tcp_listener_accept(mio_tcp_listener *l, mio_tcp_stream *out,
				       mio_sockaddr *peer);
MIO_EXTERN int mio_tcp_listener_local_addr(const mio_tcp_listener *l,
					   mio_sockaddr *out);
MIO_EXTERN int mio_tcp_listener_set_ttl(mio_tcp_listener *l, uint32_t ttl);
MIO_EXTERN int mio_tcp_listener_ttl(const mio_tcp_listener *l, uint32_t *out);
/* 0 if no error is pending, else the pending error (SO_ERROR), cleared. */
MIO_EXTERN int mio_tcp_listener_take_error(mio_tcp_listener *l);
MIO_EXTERN int mio_tcp_listener_close(mio_tcp_listener *l);

/*
 * Starts a non-blocking connect: 0 while in progress. Wait for a writable
 * event, then take_error or peer_addr tell the outcome.
 */
MIO_EXTERN int mio_tcp_stream_connect(mio_tcp_stream *out,
				      const mio_sockaddr *addr);
MIO_EXTERN int mio_tcp_stream_from_fd(mio_tcp_stream *out, mio_raw_fd fd);
/* MIO_ENOTCONN until connected. */
MIO_EXTERN int mio_tcp_stream_peer_addr(const mio_tcp_stream *s,
					mio_sockaddr *out);
MIO_EXTERN int mio_tcp_stream_local_addr(const mio_tcp_stream *s,
					 mio_sockaddr *out);
MIO_EXTERN int mio_tcp_stream_shutdown(mio_tcp_stream *s, mio_shutdown how);
MIO_EXTERN int mio_tcp_stream_set_nodelay(mio_tcp_stream *s, bool on);
MIO_EXTERN int mio_tcp_stream_nodelay(const mio_tcp_stream *s, bool *out);
MIO_EXTERN int mio_tcp_stream_set_ttl(mio_tcp_stream *s, uint32_t ttl);
MIO_EXTERN int mio_tcp_stream_ttl(const mio_tcp_stream *s, uint32_t *out);
MIO_EXTERN int mio_tcp_stream_take_error(mio_tcp_stream *s);
/*
 * Reads up to len bytes: the count, 0 at end of stream, or an error. A
 * count below len (above 0) means the socket is drained, as MIO_EAGAIN
 * would: the next data raises an event (likewise for a short write).
 */
MIO_EXTERN mio_ssize mio_tcp_stream_read(mio_tcp_stream *s, void *buf,
					 size_t len);
MIO_EXTERN mio_ssize mio_tcp_stream_write(mio_tcp_stream *s, const void *buf,
					  size_t len);
MIO_EXTERN mio_ssize mio_tcp_stream_peek(mio_tcp_stream *s, void *buf,
					 size_t len);
MIO_EXTERN mio_ssize mio_tcp_stream_readv(mio_tcp_stream *s,
					  const mio_iovec *iov, size_t n);
MIO_EXTERN mio_ssize mio_tcp_stream_writev(mio_tcp_stream *s,
					   const mio_iovec *iov, size_t n);
MIO_EXTERN int mio_tcp_stream_close(mio_tcp_stream *s);

/*
 * mio 0.7's TcpSocket: a TCP socket not yet listening or connected, for
 * the options that must be set before bind, connect or listen. A new one
 * is non-blocking and close-on-exec with no option set (SO_REUSEADDR off,
 * unlike mio_tcp_listener_bind). It is not a source the registry takes
 * (MIO_EINVAL): register the listener or stream it becomes.
 */
typedef struct mio_tcp_socket {
	mio_source source;
} mio_tcp_socket;

/* TCP keepalive timers, in seconds; 0 in a field leaves the OS's value. */
typedef struct mio_tcp_keepalive {
	uint32_t time_s;     /* idle time before the first probe */
	uint32_t interval_s; /* time between probes */
	uint32_t retries;    /* probes before the connection is dropped */
} mio_tcp_keepalive;

/* An IPv4, an IPv6 socket, or one of addr's family. */
MIO_EXTERN int mio_tcp_socket_new_v4(mio_tcp_socket *out);
MIO_EXTERN int mio_tcp_socket_new_v6(mio_tcp_socket *out);
MIO_EXTERN int mio_tcp_socket_new_for_addr(mio_tcp_socket *out,
					   const mio_sockaddr *addr);
/* Closes the socket; a no-op on a closed or consumed one. */
MIO_EXTERN int mio_tcp_socket_close(mio_tcp_socket *s);
/* Binds before listen, or before connect to choose the local address. */
MIO_EXTERN int mio_tcp_socket_bind(mio_tcp_socket *s, const mio_sockaddr *addr);
/*
 * listen and connect consume the socket: on success *s is inert and *out
 * owns the descriptor (a connect in progress is a success, as with
 * mio_tcp_stream_connect); on failure *s is unchanged and still yours,
 * and *out is inert. backlog <= 0 gives MIO_EINVAL.
 */
MIO_EXTERN int mio_tcp_socket_listen(mio_tcp_socket *s, int backlog,
				     mio_tcp_listener *out);
MIO_EXTERN int mio_tcp_socket_connect(mio_tcp_socket *s,
				      const mio_sockaddr *addr,
				      mio_tcp_stream *out);
/* The bound address (Windows: MIO_EINVAL until bound). */
MIO_EXTERN int mio_tcp_socket_local_addr(const mio_tcp_socket *s,
					 mio_sockaddr *out);

/* SO_REUSEADDR (Windows: SO_REUSEADDR too, which lets a port be shared). */
MIO_EXTERN int mio_tcp_socket_set_reuseaddr(mio_tcp_socket *s, bool on);
MIO_EXTERN int mio_tcp_socket_reuseaddr(const mio_tcp_socket *s, bool *out);
/* SO_REUSEPORT; MIO_ENOTSUP where the OS has none (Windows). */
MIO_EXTERN int mio_tcp_socket_set_reuseport(mio_tcp_socket *s, bool on);
MIO_EXTERN int mio_tcp_socket_reuseport(const mio_tcp_socket *s, bool *out);
/* IPV6_V6ONLY: IPv6 sockets only, MIO_EINVAL on IPv4 ones. */
MIO_EXTERN int mio_tcp_socket_set_only_v6(mio_tcp_socket *s, bool on);
MIO_EXTERN int mio_tcp_socket_only_v6(const mio_tcp_socket *s, bool *out);
/* TCP_NODELAY. */
MIO_EXTERN int mio_tcp_socket_set_nodelay(mio_tcp_socket *s, bool on);
MIO_EXTERN int mio_tcp_socket_nodelay(const mio_tcp_socket *s, bool *out);
/*
 * SO_LINGER: NULL turns it off; else the close waits up to linger, in
 * whole seconds rounded up (a zero timespec: close resets the
 * connection). The getter reports on/off and the OS's seconds.
 */
MIO_EXTERN int mio_tcp_socket_set_linger(mio_tcp_socket *s,
					 const struct timespec *linger);
MIO_EXTERN int mio_tcp_socket_linger(const mio_tcp_socket *s, bool *on,
				     struct timespec *out);
/* SO_SNDBUF and SO_RCVBUF; the getters report the OS's (Linux doubles). */
MIO_EXTERN int mio_tcp_socket_set_send_buffer_size(mio_tcp_socket *s,
						   uint32_t size);
MIO_EXTERN int mio_tcp_socket_send_buffer_size(const mio_tcp_socket *s,
					       uint32_t *out);
MIO_EXTERN int mio_tcp_socket_set_recv_buffer_size(mio_tcp_socket *s,
						   uint32_t size);
MIO_EXTERN int mio_tcp_socket_recv_buffer_size(const mio_tcp_socket *s,
					       uint32_t *out);
/* SO_KEEPALIVE. */
MIO_EXTERN int mio_tcp_socket_set_keepalive(mio_tcp_socket *s, bool on);
MIO_EXTERN int mio_tcp_socket_keepalive(const mio_tcp_socket *s, bool *out);
/*
 * Sets the keepalive timers whose fields are not 0 and turns keepalive
 * on. MIO_ENOTSUP for a timer the OS cannot set per socket (retries on
 * Windows before 10 version 1703). The getter reports the OS's current
 * values.
 */
MIO_EXTERN int mio_tcp_socket_set_keepalive_params(mio_tcp_socket *s,
						   const mio_tcp_keepalive *ka);
MIO_EXTERN int mio_tcp_socket_keepalive_params(const mio_tcp_socket *s,
					       mio_tcp_keepalive *out);

/*
 * Options a stream can change after the fact (accepted or connected);
 * each works as the mio_tcp_socket option of the same name above.
 */
MIO_EXTERN int mio_tcp_stream_set_linger(mio_tcp_stream *s,
					 const struct timespec *linger);
MIO_EXTERN int mio_tcp_stream_linger(const mio_tcp_stream *s, bool *on,
				     struct timespec *out);
MIO_EXTERN int mio_tcp_stream_set_keepalive(mio_tcp_stream *s, bool on);
MIO_EXTERN int mio_tcp_stream_keepalive(const mio_tcp_stream *s, bool *out);
MIO_EXTERN int mio_tcp_stream_set_keepalive_params(mio_tcp_stream *s,
						   const mio_tcp_keepalive *ka);
MIO_EXTERN int mio_tcp_stream_keepalive_params(const mio_tcp_stream *s,
					       mio_tcp_keepalive *out);
MIO_EXTERN int mio_tcp_stream_set_send_buffer_size(mio_tcp_stream *s,
						   uint32_t size);
MIO_EXTERN int mio_tcp_stream_send_buffer_size(const mio_tcp_stream *s,
					       uint32_t *out);
MIO_EXTERN int mio_tcp_stream_set_recv_buffer_size(mio_tcp_stream *s,
						   uint32_t size);
MIO_EXTERN int mio_tcp_stream_recv_buffer_size(const mio_tcp_stream *s,
					       uint32_t *out);

/* ---------------------------------------------------------------------- */
/* UDP                                                                     */

typedef struct mio_udp_socket {
	mio_source source;
} mio_udp_socket;

MIO_EXTERN int mio_udp_socket_bind(mio_udp_socket *out,
				   const mio_sockaddr *addr);
MIO_EXTERN int mio_udp_socket_from_fd(mio_udp_socket *out, mio_raw_fd fd);
MIO_EXTERN int mio_udp_socket_local_addr(const mio_udp_socket *u,
					 mio_sockaddr *out);
MIO_EXTERN int mio_udp_socket_peer_addr(const mio_udp_socket *u,
					mio_sockaddr *out);
MIO_EXTERN mio_ssize mio_udp_socket_send_to(mio_udp_socket *u, const void *buf,
					    size_t len, const mio_sockaddr *to);
MIO_EXTERN mio_ssize mio_udp_socket_recv_from(mio_udp_socket *u, void *buf,
					      size_t len, mio_sockaddr *from);
MIO_EXTERN mio_ssize mio_udp_socket_peek_from(mio_udp_socket *u, void *buf,
					      size_t len, mio_sockaddr *from);
MIO_EXTERN mio_ssize mio_udp_socket_send(mio_udp_socket *u, const void *buf,
					 size_t len);
MIO_EXTERN mio_ssize mio_udp_socket_recv(mio_udp_socket *u, void *buf,
					 size_t len);
MIO_EXTERN mio_ssize mio_udp_socket_peek(mio_udp_socket *u, void *buf,
					 size_t len);
MIO_EXTERN int mio_udp_socket_connect(mio_udp_socket *u,
				      const mio_sockaddr *addr);
MIO_EXTERN int mio_udp_socket_set_broadcast(mio_udp_socket *u, bool on);
MIO_EXTERN int mio_udp_socket_broadcast(const mio_udp_socket *u, bool *out);
MIO_EXTERN int mio_udp_socket_set_multicast_loop_v4(mio_udp_socket *u, bool on);
MIO_EXTERN int mio_udp_socket_multicast_loop_v4(const mio_udp_socket *u,
						bool *out);
MIO_EXTERN int mio_udp_socket_set_multicast_ttl_v4(mio_udp_socket *u,
						   uint32_t ttl);
MIO_EXTERN int mio_udp_socket_multicast_ttl_v4(const mio_udp_socket *u,
					       uint32_t *out);
MIO_EXTERN int mio_udp_socket_set_multicast_loop_v6(mio_udp_socket *u, bool on);
MIO_EXTERN int mio_udp_socket_multicast_loop_v6(const mio_udp_socket *u,
						bool *out);
MIO_EXTERN int mio_udp_socket_set_ttl(mio_udp_socket *u, uint32_t ttl);
MIO_EXTERN int mio_udp_socket_ttl(const mio_udp_socket *u, uint32_t *out);
MIO_EXTERN int mio_udp_socket_join_multicast_v4(mio_udp_socket *u,
						const struct in_addr *group,
						const struct in_addr *iface);
MIO_EXTERN int mio_udp_socket_leave_multicast_v4(mio_udp_socket *u,
						 const struct in_addr *group,
						 const struct in_addr *iface);
MIO_EXTERN int mio_udp_socket_join_multicast_v6(mio_udp_socket *u,
						const struct in6_addr *group,
						uint32_t iface_index);
MIO_EXTERN int mio_udp_socket_leave_multicast_v6(mio_udp_socket *u,
						 const struct in6_addr *group,
						 uint32_t iface_index);
MIO_EXTERN int mio_udp_socket_only_v6(const mio_udp_socket *u, bool *out);
MIO_EXTERN int mio_udp_socket_take_error(mio_udp_socket *u);
MIO_EXTERN int mio_udp_socket_close(mio_udp_socket *u);
/* SO_SNDBUF and SO_RCVBUF; the getters report the OS's (Linux doubles). */
MIO_EXTERN int mio_udp_socket_set_send_buffer_size(mio_udp_socket *u,
						   uint32_t size);
MIO_EXTERN int mio_udp_socket_send_buffer_size(const mio_udp_socket *u,
					       uint32_t *out);
MIO_EXTERN int mio_udp_socket_set_recv_buffer_size(mio_udp_socket *u,
						   uint32_t size);
MIO_EXTERN int mio_udp_socket_recv_buffer_size(const mio_udp_socket *u,
					       uint32_t *out);

#if !defined(_WIN32)
/* ---------------------------------------------------------------------- */
/* Unix domain sockets (POSIX)                                             */

typedef struct mio_unix_addr {
	struct sockaddr_un addr;
	socklen_t len;
} mio_unix_addr;

/*
 * A Unix-domain address: pathname, abstract (Linux, Android) or unnamed.
 * `len` is the length the OS takes: for a pathname it counts the path and
 * its NUL, for an abstract name the leading NUL and the name, and for an
 * unnamed address only the family.
 *
 * A path with strlen(path) >= sizeof(sun_path), or an abstract name longer
 * than sizeof(sun_path) - 1, gives MIO_ENAMETOOLONG: never truncation. An
 * empty path or a NULL argument gives MIO_EINVAL. On failure *out is an
 * unnamed address.
 */
MIO_EXTERN int mio_unix_addr_from_pathname(mio_unix_addr *out,
					   const char *path);
/* Linux/Android abstract namespace; MIO_ENOTSUP elsewhere. */
MIO_EXTERN int mio_unix_addr_from_abstract(mio_unix_addr *out, const void *name,
					   size_t len);
/* An unbound socket's address. False for NULL. */
MIO_EXTERN bool mio_unix_addr_is_unnamed(const mio_unix_addr *a);
/* NULL unless a pathname address (then a NUL-terminated string). */
MIO_EXTERN const char *mio_unix_addr_pathname(const mio_unix_addr *a);
/* NULL unless an abstract address; len may be NULL. */
MIO_EXTERN const void *mio_unix_addr_abstract(const mio_unix_addr *a,
					      size_t *len);

typedef struct mio_unix_listener {
	mio_source source;
} mio_unix_listener;

typedef struct mio_unix_stream {
	mio_source source;
} mio_unix_stream;

typedef struct mio_unix_datagram {
	mio_source source;
} mio_unix_datagram;

/*
 * Unix-domain sockets (mio::net::UnixListener, UnixStream, UnixDatagram).
 * Constructors take a path (see mio_unix_addr_from_pathname for its
 * errors) or an address (MIO_EINVAL unless its family is AF_UNIX and its
 * len within the structure); on any failure *out is inert and nothing is
 * left open. *_from_fd adopts a socket of the right type and keeps its number;
 * a failure leaves it open and yours. local_addr, peer_addr, accept's
 * peer and recv_from's from get the address with its exact length
 * (unnamed for an unbound socket); an address too long for mio_unix_addr
 * gives MIO_ENAMETOOLONG. A closed object gives MIO_EBADF; *_close
 * deregisters, closes, and is a no-op the second time.
 */

/* Binds to path and listens with the system's largest backlog. */
MIO_EXTERN int mio_unix_listener_bind(mio_unix_listener *out, const char *path);
MIO_EXTERN int mio_unix_listener_bind_addr(mio_unix_listener *out,
					   const mio_unix_addr *addr);
MIO_EXTERN int mio_unix_listener_from_fd(mio_unix_listener *out, int fd);
/*
 * Accepts one connection, non-blocking and close-on-exec, or gives
 * MIO_EAGAIN; *out is inert on any failure. peer may be NULL.
 */
MIO_EXTERN int mio_unix_listener_accept(mio_unix_listener *l,
					mio_unix_stream *out,
					mio_unix_addr *peer);
MIO_EXTERN int mio_unix_listener_local_addr(const mio_unix_listener *l,
					    mio_unix_addr *out);
/* 0 if no error is pending, else the pending error (SO_ERROR), cleared. */
MIO_EXTERN int mio_unix_listener_take_error(mio_unix_listener *l);
MIO_EXTERN int mio_unix_listener_close(mio_unix_listener *l);

/*
 * Connects to a listening socket. A Unix-domain connect completes at once
 * or fails (MIO_EAGAIN when the listener's backlog is full).
 */
MIO_EXTERN int mio_unix_stream_connect(mio_unix_stream *out, const char *path);
MIO_EXTERN int mio_unix_stream_connect_addr(mio_unix_stream *out,
					    const mio_unix_addr *addr);
/* A connected pair (socketpair); both inert on failure. */
MIO_EXTERN int mio_unix_stream_pair(mio_unix_stream *a, mio_unix_stream *b);
MIO_EXTERN int mio_unix_stream_from_fd(mio_unix_stream *out, int fd);
MIO_EXTERN int mio_unix_stream_local_addr(const mio_unix_stream *s,
					  mio_unix_addr *out);
MIO_EXTERN int mio_unix_stream_peer_addr(const mio_unix_stream *s,
					 mio_unix_addr *out);
MIO_EXTERN int mio_unix_stream_shutdown(mio_unix_stream *s, mio_shutdown how);
MIO_EXTERN int mio_unix_stream_take_error(mio_unix_stream *s);
/*
 * Reads and writes: a count, 0 at end of stream, or an error. Writes never
 * raise SIGPIPE: after a shutdown or the peer's close they fail instead
 * (MIO_EPIPE on Linux).
 */
MIO_EXTERN mio_ssize mio_unix_stream_read(mio_unix_stream *s, void *buf,
					  size_t len);
MIO_EXTERN mio_ssize mio_unix_stream_write(mio_unix_stream *s, const void *buf,
					   size_t len);
MIO_EXTERN mio_ssize mio_unix_stream_readv(mio_unix_stream *s,
					   const mio_iovec *iov, size_t n);
MIO_EXTERN mio_ssize mio_unix_stream_writev(mio_unix_stream *s,
					    const mio_iovec *iov, size_t n);
MIO_EXTERN int mio_unix_stream_close(mio_unix_stream *s);

MIO_EXTERN int mio_unix_datagram_bind(mio_unix_datagram *out, const char *path);
MIO_EXTERN int mio_unix_datagram_bind_addr(mio_unix_datagram *out,
					   const mio_unix_addr *addr);
/* A socket bound to no address (its peers see it as unnamed). */
MIO_EXTERN int mio_unix_datagram_unbound(mio_unix_datagram *out);
MIO_EXTERN int mio_unix_datagram_pair(mio_unix_datagram *a,
				      mio_unix_datagram *b);
MIO_EXTERN int mio_unix_datagram_from_fd(mio_unix_datagram *out, int fd);
/* Sets the default destination of send and the only source of recv. */
MIO_EXTERN int mio_unix_datagram_connect(mio_unix_datagram *d,
					 const char *path);
MIO_EXTERN int mio_unix_datagram_local_addr(const mio_unix_datagram *d,
					    mio_unix_addr *out);
MIO_EXTERN int mio_unix_datagram_peer_addr(const mio_unix_datagram *d,
					   mio_unix_addr *out);
/*
 * Sends one datagram to path (MIO_ENAMETOOLONG if it does not fit) or
 * receives one; from may be NULL. Sends never raise SIGPIPE.
 */
MIO_EXTERN mio_ssize mio_unix_datagram_send_to(mio_unix_datagram *d,
					       const void *buf, size_t len,
					       const char *path);
MIO_EXTERN mio_ssize mio_unix_datagram_recv_from(mio_unix_datagram *d,
						 void *buf, size_t len,
						 mio_unix_addr *from);
MIO_EXTERN mio_ssize mio_unix_datagram_send(mio_unix_datagram *d,
					    const void *buf, size_t len);
MIO_EXTERN mio_ssize mio_unix_datagram_recv(mio_unix_datagram *d, void *buf,
					    size_t len);
MIO_EXTERN int mio_unix_datagram_shutdown(mio_unix_datagram *d,
					  mio_shutdown how);
MIO_EXTERN int mio_unix_datagram_take_error(mio_unix_datagram *d);
MIO_EXTERN int mio_unix_datagram_close(mio_unix_datagram *d);

/* ---------------------------------------------------------------------- */
/* Pipes (POSIX, mio::unix::pipe)                                          */

typedef struct mio_pipe_sender {
	mio_source source;
} mio_pipe_sender;

typedef struct mio_pipe_receiver {
	mio_source source;
} mio_pipe_receiver;

/*
 * A non-blocking, close-on-exec pipe (pipe2, or pipe and fcntl where pipe2
 * is missing). Writing after the receiver is gone raises SIGPIPE unless
 * the process ignores it, as in mio; with SIGPIPE ignored the write gives
 * MIO_EPIPE. Both are inert on failure. *_from_fd adopts a descriptor
 * (non-blocking, close-on-exec, its number kept); a failure leaves it
 * open and yours.
 */
MIO_EXTERN int mio_pipe_new(mio_pipe_sender *tx, mio_pipe_receiver *rx);
MIO_EXTERN int mio_pipe_sender_from_fd(mio_pipe_sender *out, int fd);
MIO_EXTERN int mio_pipe_receiver_from_fd(mio_pipe_receiver *out, int fd);
/* Switches O_NONBLOCK on or off (off: read and write block). */
MIO_EXTERN int mio_pipe_sender_set_nonblocking(mio_pipe_sender *tx, bool on);
MIO_EXTERN int mio_pipe_receiver_set_nonblocking(mio_pipe_receiver *rx,
						 bool on);
/* A count, 0 at end of stream (read), or an error; MIO_EBADF once closed. */
MIO_EXTERN mio_ssize mio_pipe_write(mio_pipe_sender *tx, const void *buf,
				    size_t len);
MIO_EXTERN mio_ssize mio_pipe_writev(mio_pipe_sender *tx, const mio_iovec *iov,
				     size_t n);
MIO_EXTERN mio_ssize mio_pipe_read(mio_pipe_receiver *rx, void *buf,
				   size_t len);
MIO_EXTERN mio_ssize mio_pipe_readv(mio_pipe_receiver *rx, const mio_iovec *iov,
				    size_t n);
MIO_EXTERN int mio_pipe_sender_close(mio_pipe_sender *tx);
MIO_EXTERN int mio_pipe_receiver_close(mio_pipe_receiver *rx);
#endif /* !_WIN32 */

#if defined(_WIN32)
/* The Windows extensions, which embed a mio_source. */
#include "mio/named_pipe.h"
#endif

#ifdef __cplusplus
}
#endif

#endif
