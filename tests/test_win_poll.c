/*
 * Poll and registry on Windows, for the IOCP + AFD backend: registry
 * errors, extreme tokens, and a steady state (accepting, TCP and UDP I/O,
 * waking) that allocates nothing. The portable tests (test_poll,
 * test_registry_clone, test_threads, test_zero_alloc, ...) run here too;
 * registering while another thread is blocked in the poll, which
 * deferred poll submission makes the interesting case, is test_threads'.
 */

#include <winsock2.h>
#include <windows.h>

#include "test.h"

static mio_sockaddr loopback4(void)
{
	mio_sockaddr a;
	ASSERT_OK(mio_sockaddr_parse(&a, "127.0.0.1:0"));
	return a;
}

static void udp_pair(mio_udp_socket *a, mio_udp_socket *b, mio_sockaddr *b_addr)
{
	mio_sockaddr any = loopback4();

	ASSERT_OK(mio_udp_socket_bind(a, &any));
	ASSERT_OK(mio_udp_socket_bind(b, &any));
	ASSERT_OK(mio_udp_socket_local_addr(b, b_addr));
}

static void registry_errors(void)
{
	mio_poll *p1, *p2;
	mio_udp_socket u, v;
	mio_sockaddr addr;
	mio_registry *r1, *r2;

	ASSERT_OK(mio_poll_new(&p1));
	ASSERT_OK(mio_poll_new(&p2));
	r1 = mio_poll_registry(p1);
	r2 = mio_poll_registry(p2);
	udp_pair(&u, &v, &addr);
	ASSERT_ERR(mio_registry_register(r1, &u.source, 1, 0), MIO_EINVAL);
	ASSERT_ERR(mio_registry_register(r1, &u.source, 1, 0x04), MIO_EINVAL);
	ASSERT_ERR(mio_registry_register(r1, &u.source, 1, 0x10), MIO_EINVAL);
	ASSERT_ERR(mio_registry_reregister(r1, &u.source, 1, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(r1, &u.source), MIO_ENOENT);
	ASSERT_OK(mio_registry_register(r1, &u.source, 1, MIO_READABLE));
	ASSERT_ERR(mio_registry_register(r1, &u.source, 1, MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_ERR(mio_registry_register(r2, &u.source, 1, MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_ERR(mio_registry_reregister(r2, &u.source, 1, MIO_READABLE),
		   MIO_ENOENT);
	ASSERT_ERR(mio_registry_deregister(r2, &u.source), MIO_ENOENT);
	ASSERT_ERR(mio_registry_reregister(r1, &u.source, 1, 0), MIO_EINVAL);
	ASSERT_OK(mio_registry_deregister(r1, &u.source));
	ASSERT_OK(mio_registry_register(r2, &u.source, 1, MIO_READABLE));
	ASSERT_OK(mio_udp_socket_close(&u));
	/* Closed: inert, so every registry call says so. */
	ASSERT_ERR(mio_registry_register(r1, &u.source, 1, MIO_READABLE),
		   MIO_EBADF);
	ASSERT_ERR(mio_registry_deregister(r2, &u.source), MIO_EBADF);
	ASSERT_OK(mio_udp_socket_close(&v));
	mio_poll_free(p1);
	mio_poll_free(p2);
}

/* Every token value is the caller's, 0 and UINTPTR_MAX included. */
static void extreme_tokens(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_udp_socket a, b;
	mio_sockaddr addr;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	udp_pair(&a, &b, &addr);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 0,
					MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &b.source,
					UINTPTR_MAX, MIO_WRITABLE));
	struct expect_event want[] = { { 0, EXPECT_WRITABLE },
				       { UINTPTR_MAX, EXPECT_WRITABLE } };
	expect_events(poll, events, want, 2);
	ASSERT_OK(mio_udp_socket_close(&a));
	ASSERT_OK(mio_udp_socket_close(&b));
	mio_events_free(events);
	mio_poll_free(poll);
}

/*
 * Registering allocates the poll state on Windows (API.md); after that,
 * polling, re-arming, reregistering, accepting, reading, writing and
 * waking allocate nothing.
 */
static void steady_state_allocates_nothing(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_waker *w;
	mio_tcp_listener l;
	mio_tcp_stream c, s, extra;
	mio_udp_socket a, b;
	mio_sockaddr addr = loopback4(), b_addr;
	struct timespec t = ms_timeout(1000);
	char buf[64];
	int r;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 99, &w));
	ASSERT_OK(mio_tcp_listener_bind(&l, &addr));
	ASSERT_OK(mio_tcp_listener_local_addr(&l, &addr));
	udp_pair(&a, &b, &b_addr);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &l.source, 1,
					MIO_READABLE));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &b.source, 2,
					MIO_READABLE));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source, 3,
					MIO_READABLE | MIO_WRITABLE));
	struct expect_event first[] = { { 1, EXPECT_READABLE },
					{ 3, EXPECT_WRITABLE } };
	expect_events(poll, events, first, 2);

	alloc_count_reset();
	r = mio_tcp_listener_accept(&l, &s, NULL);
	ASSERT_OK(r);
	ASSERT_ERR(mio_tcp_listener_accept(&l, &extra, NULL), MIO_EAGAIN);
	for (int i = 0; i < 20; i++) {
		ASSERT_EQ(mio_tcp_stream_write(&s, "ping", 4), 4);
		ASSERT_EQ(mio_udp_socket_send_to(&a, "d", 1, &b_addr), 1);
		ASSERT_OK(mio_waker_wake(w));
		ASSERT_OK(mio_poll_poll(poll, events, &t));
		while (mio_tcp_stream_read(&c, buf, sizeof(buf)) > 0)
			;
		while (mio_udp_socket_recv_from(&b, buf, sizeof(buf), NULL) > 0)
			;
		ASSERT_OK(mio_registry_reregister(mio_poll_registry(poll),
						  &c.source, 3, MIO_READABLE));
	}
	ASSERT_OK(mio_poll_poll(poll, events, &t));
	if (alloc_count() >= 0)
		ASSERT_EQ(alloc_count(), 0);

	ASSERT_OK(mio_tcp_stream_close(&s));
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_listener_close(&l));
	ASSERT_OK(mio_udp_socket_close(&a));
	ASSERT_OK(mio_udp_socket_close(&b));
	mio_waker_free(w);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(registry_errors);
	RUN(extreme_tokens);
	RUN(steady_state_allocates_nothing);
	return test_summary();
}
