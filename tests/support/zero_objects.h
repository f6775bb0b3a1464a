#ifndef MIO_TEST_ZERO_OBJECTS_H
#define MIO_TEST_ZERO_OBJECTS_H

/*
 * Shared by test_zero_objects.c and test_posix_zero_objects.c: all-zero
 * objects (API.md, "All-zero objects are inert") have fd 0, so on POSIX
 * each case runs with descriptor 0 replaced by a witness, a connected TCP
 * socket with data waiting. A call that reached descriptor 0 would read
 * that data, write to its peer, change one of its options, shut it down,
 * close it or register it, and witness_check would see it. (Windows has
 * no socket 0: there the witness does nothing.)
 */

#include <string.h>

#include "inet.h"

#if !defined(_WIN32)
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static const char witness_data[] = "stdin";

struct witness {
	int saved_stdin; /* restored by witness_end */
	int peer;	 /* the other end of descriptor 0 */
	int ttl;	 /* descriptor 0's IP_TTL, which no case may change */
};

static inline int get_int_opt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	ASSERT_EQ(getsockopt(fd, level, name, &v, &len), 0);
	return v;
}

/* Puts a connected TCP socket with data waiting on descriptor 0. */
static inline void witness_begin(struct witness *w)
{
	mio_raw_fd sv[2];

	w->saved_stdin = dup(0);
	test_tcp_socket_pair(sv);
	ASSERT_EQ(dup2(sv[0], 0), 0);
	test_close_socket(sv[0]);
	w->peer = sv[1];
	ASSERT_EQ(send(w->peer, witness_data, sizeof(witness_data), 0),
		  (ssize_t)sizeof(witness_data));
	wait_fd(0, POLLIN);
	ASSERT_EQ(get_int_opt(0, IPPROTO_TCP, TCP_NODELAY), 0);
	w->ttl = get_int_opt(0, IPPROTO_IP, IP_TTL);
}

/*
 * Descriptor 0 is as witness_begin left it: open, its data unread,
 * nothing written to its peer, no option changed, not shut down.
 */
static inline void witness_check(const struct witness *w)
{
	char buf[64];

	ASSERT(fcntl(0, F_GETFD) >= 0);
	ASSERT_EQ(recv(0, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT),
		  (ssize_t)sizeof(witness_data));
	ASSERT_EQ(memcmp(buf, witness_data, sizeof(witness_data)), 0);
	ASSERT_EQ(recv(w->peer, buf, sizeof(buf), MSG_DONTWAIT), -1);
	ASSERT(errno == EAGAIN || errno == EWOULDBLOCK);
	ASSERT_EQ(get_int_opt(0, IPPROTO_TCP, TCP_NODELAY), 0);
	ASSERT_EQ(get_int_opt(0, IPPROTO_IP, IP_TTL), w->ttl);
	ASSERT_EQ(test_poll_socket(w->peer, POLLIN, 0), 0);
}

/* Both directions still work; then stdin is put back. */
static inline void witness_end(struct witness *w)
{
	char buf[64];

	witness_check(w);
	ASSERT_EQ(recv(0, buf, sizeof(buf), 0), (ssize_t)sizeof(witness_data));
	ASSERT_EQ(send(0, "x", 1, 0), 1);
	ASSERT_EQ(recv(w->peer, buf, 1, 0), 1);
	test_close_socket(w->peer);
	ASSERT_EQ(dup2(w->saved_stdin, 0), 0);
	close(w->saved_stdin);
}
#else
struct witness {
	int unused;
};

static inline void witness_begin(struct witness *w)
{
	(void)w;
}

static inline void witness_check(const struct witness *w)
{
	(void)w;
}

static inline void witness_end(struct witness *w)
{
	(void)w;
}
#endif

/* What every object shares: its source, which the registry refuses. */

static inline mio_ssize must_not_run(mio_source *s, void *ctx)
{
	(void)s;
	(void)ctx;
	FAIL_AT("try_io ran its function on an all-zero source");
	return 0;
}

static inline bool all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/*
 * The registry refuses s (all-zero), on its own poll and with another
 * poll's registry of every kind; try_io and raw_fd see no descriptor.
 */
static inline void source_refused(mio_source *s)
{
	mio_poll *poll;
	mio_registry *clone;
	mio_events *events;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT_ERR(mio_registry_register(mio_poll_registry(poll), s, 1,
					 MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(
		mio_registry_register(clone, s, 1, MIO_READABLE | MIO_WRITABLE),
		MIO_EBADF);
	ASSERT_ERR(mio_registry_reregister(mio_poll_registry(poll), s, 2,
					   MIO_WRITABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(mio_poll_registry(poll), s),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(clone, s), MIO_EBADF);
	ASSERT_ERR(mio_source_try_io(s, must_not_run, NULL), MIO_EBADF);
	ASSERT_UEQ(mio_source_raw_fd(s), MIO_INVALID_FD);
	/* Nothing was registered: descriptor 0's data raises no event. */
	expect_no_events(poll, events);
	ASSERT(all_zero(s, sizeof(*s)));
	mio_registry_free(clone);
	mio_events_free(events);
	mio_poll_free(poll);
}

#endif
