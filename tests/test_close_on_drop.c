/*
 * *_close does what dropping a registered mio source does (mio's
 * tests/close_on_drop.rs and the close rule of the contract): it
 * deregisters first, so that a duplicate of the descriptor kept elsewhere
 * delivers nothing, then closes; the object is inert afterwards.
 */

#include "inet.h"

enum { LISTENER = 1, CLIENT = 2, SERVER = 3, UDP = 4 };

/*
 * mio's close_on_drop: the server accepts and drops the connection at
 * once; the client sees the stream end.
 */
static void accepted_then_dropped(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_listener l;
	mio_tcp_stream c, s;
	mio_sockaddr addr;
	char buf[8];
	const struct expect_event listener = { LISTENER, EXPECT_READABLE };
	const struct expect_event closed = {
		CLIENT, EXPECT_READABLE | EXPECT_READ_CLOSED
	};

	poll_setup(&poll, &events);
	listen_on(AF_INET, &l, &addr);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &l.source,
					LISTENER, MIO_READABLE));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source,
					CLIENT, MIO_READABLE));
	expect_events(poll, events, &listener, 1);
	ASSERT_OK(mio_tcp_listener_accept(&l, &s, NULL));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source,
					SERVER, MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_tcp_stream_close(&s));
	expect_events(poll, events, &closed, 1);
	ASSERT_EQ(mio_tcp_stream_read(&c, buf, sizeof(buf)), 0);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_listener_close(&l));
	poll_teardown(poll, events);
}

/*
 * epoll keeps a registration as long as the open file lives: without an
 * explicit deregistration, a dup would keep the closed stream's events
 * coming.
 */
static void stream_with_dup_is_silent(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream c, s;
	char buf[8];
	mio_raw_fd dup_fd;

	poll_setup(&poll, &events);
	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source,
					CLIENT, MIO_READABLE));
	dup_fd = test_dup_socket(c.source.fd);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_EQ(c.source.fd, -1);
	ASSERT_EQ(mio_tcp_stream_write(&s, "data", 4), 4);
	expect_no_events(poll, events);
	/* The data did arrive, at the duplicate. */
	wait_fd(dup_fd, POLLIN);
	ASSERT_EQ(recv(dup_fd, buf, sizeof(buf), 0), 4);
	ASSERT_OK(mio_tcp_stream_close(&s));
	expect_no_events(poll, events);
	test_close_socket(dup_fd);
	poll_teardown(poll, events);
}

static void listener_with_dup_is_silent(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_listener l;
	mio_tcp_stream c;
	mio_sockaddr addr;
	mio_raw_fd dup_fd;

	poll_setup(&poll, &events);
	listen_on(AF_INET, &l, &addr);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &l.source,
					LISTENER, MIO_READABLE));
	dup_fd = test_dup_socket(l.source.fd);
	ASSERT_OK(mio_tcp_listener_close(&l));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	wait_fd(dup_fd, POLLIN);
	expect_no_events(poll, events);
	mio_tcp_stream_close(&c);
	test_close_socket(dup_fd);
	poll_teardown(poll, events);
}

static void udp_with_dup_is_silent(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_udp_socket u, tx;
	mio_sockaddr addr, any = loopback(AF_INET);
	mio_raw_fd dup_fd;

	poll_setup(&poll, &events);
	ASSERT_OK(mio_udp_socket_bind(&u, &any));
	ASSERT_OK(mio_udp_socket_bind(&tx, &any));
	ASSERT_OK(mio_udp_socket_local_addr(&u, &addr));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &u.source, UDP,
					MIO_READABLE));
	dup_fd = test_dup_socket(u.source.fd);
	ASSERT_OK(mio_udp_socket_close(&u));
	ASSERT_EQ(mio_udp_socket_send_to(&tx, "x", 1, &addr), 1);
	wait_fd(dup_fd, POLLIN);
	expect_no_events(poll, events);
	mio_udp_socket_close(&tx);
	test_close_socket(dup_fd);
	poll_teardown(poll, events);
}

/* Closed objects are inert: close again is a no-op, I/O is MIO_EBADF. */
static void closed_is_inert(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream c, s;
	char buf[4];

	poll_setup(&poll, &events);
	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source,
					CLIENT, MIO_READABLE));
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_EQ(c.source.fd, -1);
	ASSERT_ERR(mio_tcp_stream_read(&c, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_tcp_stream_write(&c, buf, 1), MIO_EBADF);
	/* The registry sees it as a bad descriptor. */
	ASSERT_ERR(mio_registry_register(mio_poll_registry(poll), &c.source,
					 CLIENT, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_OK(mio_tcp_stream_close(&s));
	poll_teardown(poll, events);
}

/*
 * The descriptor number is reused by the next socket: it registers as
 * new, since the close ended the old registration.
 */
static void reused_descriptor_registers_anew(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_udp_socket u;
	mio_sockaddr any = loopback(AF_INET);
	mio_raw_fd fd;

	poll_setup(&poll, &events);
	ASSERT_OK(mio_udp_socket_bind(&u, &any));
	fd = u.source.fd;
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &u.source, UDP,
					MIO_READABLE));
	ASSERT_OK(mio_udp_socket_close(&u));
	ASSERT_OK(mio_udp_socket_bind(&u, &any));
	if (!(u.source.fd != fd && libkqueue_gap(LIBKQUEUE_FD_REUSE)))
		ASSERT_EQ(u.source.fd, fd);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &u.source, UDP,
					MIO_READABLE));
	ASSERT_OK(mio_udp_socket_close(&u));
	poll_teardown(poll, events);
}

/* Freeing the poll first: a later close only closes the descriptor. */
static void close_after_poll_freed(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream c, s;
	int fds;

	poll_setup(&poll, &events);
	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source,
					CLIENT, MIO_READABLE));
	poll_teardown(poll, events);
	fds = count_open_fds();
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_EQ(count_open_fds(), fds - 1);
	ASSERT_OK(mio_tcp_stream_close(&s));
}

/*
 * The OS queue goes with the last of the poll and its clones, even while
 * sources registered with it stay open: they point to the poll's shared
 * state, which outlives the queue. A source of a freed poll counts as
 * unregistered even while a clone lives on: another poll takes it, and
 * the clone no longer reaches it.
 */
static void queue_released_while_sources_remain(void)
{
	mio_poll *poll, *other;
	mio_events *events;
	mio_registry *clone;
	mio_tcp_stream c, s;
	int before;

	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_events_new(8, &events));
	before = count_open_fds();
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT_OK(
		mio_registry_register(clone, &c.source, CLIENT, MIO_READABLE));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &s.source,
					SERVER, MIO_READABLE));
	mio_poll_free(poll);
	ASSERT_ERR(
		mio_registry_reregister(clone, &s.source, SERVER, MIO_READABLE),
		MIO_ENOENT);
	mio_registry_free(clone);
	ASSERT_EQ(count_open_fds(), before);

	ASSERT_OK(mio_poll_new(&other));
	ASSERT_OK(mio_registry_register(mio_poll_registry(other), &c.source,
					CLIENT, MIO_READABLE));
	ASSERT_EQ(mio_tcp_stream_write(&s, "x", 1), 1);
	struct expect_event want = { CLIENT, EXPECT_READABLE };
	expect_events(other, events, &want, 1);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));
	mio_poll_free(other);
	ASSERT_EQ(count_open_fds(), before - 2);
	mio_events_free(events);
}

/* Closing after an explicit deregister is fine too. */
static void deregister_then_close(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream c, s;

	poll_setup(&poll, &events);
	tcp_pair(AF_INET, &c, &s, NULL);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source,
					CLIENT, MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll), &c.source));
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));
	expect_no_events(poll, events);
	poll_teardown(poll, events);
}

int main(void)
{
	RUN(accepted_then_dropped);
	RUN(stream_with_dup_is_silent);
	RUN(listener_with_dup_is_silent);
	RUN(udp_with_dup_is_silent);
	RUN(closed_is_inert);
	RUN(reused_descriptor_registers_anew);
	RUN(close_after_poll_freed);
	RUN(queue_released_while_sources_remain);
	RUN(deregister_then_close);
	return test_summary();
}
