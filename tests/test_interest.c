/*
 * mio_interest (mio's tests/interest.rs): the values, their combinations,
 * the platform's own bits, and priority readiness (MSG_OOB on TCP), on
 * loopback TCP streams.
 */

#include "inet.h"

#if !defined(_WIN32)
#include <sys/socket.h> /* send, recv: winsock2.h has them on Windows */
#endif

static void values(void)
{
	ASSERT_EQ(sizeof(mio_interest), 1);
	ASSERT_EQ(MIO_READABLE, 0x01);
	ASSERT_EQ(MIO_WRITABLE, 0x02);
	/* mio's is_tests and bit_or: distinct bits that combine. */
	ASSERT((MIO_READABLE & MIO_WRITABLE) == 0);
	mio_interest both = MIO_READABLE | MIO_WRITABLE;
	ASSERT((both & MIO_READABLE) != 0);
	ASSERT((both & MIO_WRITABLE) != 0);
	ASSERT_EQ(both, 0x03);
#ifdef MIO_PRIORITY
	ASSERT_EQ(MIO_PRIORITY, 0x10);
	ASSERT((MIO_PRIORITY & both) == 0);
#endif
#ifdef MIO_AIO
	ASSERT_EQ(MIO_AIO, 0x04);
#endif
#ifdef MIO_LIO
	ASSERT_EQ(MIO_LIO, 0x08);
#endif
}

/*
 * Linux defines PRIORITY and neither AIO nor LIO (with epoll's layout:
 * kqueue, run on Linux through libkqueue, has no priority).
 */
static void linux_platform_bits(void)
{
#if defined(__linux__) && defined(MIO_EVENT_LAYOUT_EPOLL)
	bool has_priority = false, has_aio = false, has_lio = false;
#ifdef MIO_PRIORITY
	has_priority = true;
#endif
#ifdef MIO_AIO
	has_aio = true;
#endif
#ifdef MIO_LIO
	has_lio = true;
#endif
	ASSERT(has_priority);
	ASSERT(!has_aio);
	ASSERT(!has_lio);
#endif
}

/* Windows (AFD) has none of the platform bits, as in mio. */
static void windows_platform_bits(void)
{
#if defined(_WIN32)
	bool has_platform_bit = false;
#if defined(MIO_PRIORITY) || defined(MIO_AIO) || defined(MIO_LIO)
	has_platform_bit = true;
#endif
	ASSERT(!has_platform_bit);
#endif
}

/* Every non-empty combination of the defined bits registers. */
static void every_combination_registers(void)
{
	unsigned defined = MIO_READABLE | MIO_WRITABLE;
	mio_poll *poll;
	mio_tcp_stream s, peer;

#ifdef MIO_PRIORITY
	defined |= MIO_PRIORITY;
#endif
	ASSERT_OK(mio_poll_new(&poll));
	stream_pair(&s, &peer);
	mio_source *src = &s.source;
	for (unsigned in = 1; in <= 0xff; in++) {
		int err = mio_registry_register(mio_poll_registry(poll), src,
						in, (mio_interest)in);
		if ((in & ~defined) != 0) {
			ASSERT_ERR(err, MIO_EINVAL);
			continue;
		}
		ASSERT_OK(err);
		ASSERT_OK(mio_registry_reregister(mio_poll_registry(poll), src,
						  in, (mio_interest)in));
		ASSERT_OK(
			mio_registry_deregister(mio_poll_registry(poll), src));
	}
	close_pair(&s, &peer);
	mio_poll_free(poll);
}

/* Readable only, writable only and both report what was asked for. */
static void interest_selects_readiness(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_tcp_stream s, peer;
	struct timespec t = ms_timeout(1000);

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	stream_pair(&s, &peer);
	ASSERT_EQ(mio_tcp_stream_write(&peer, "x", 1), 1);
	mio_source *src = &s.source;
	mio_registry *reg = mio_poll_registry(poll);

	ASSERT_OK(mio_registry_register(reg, src, 1, MIO_READABLE));
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
	ASSERT(mio_event_is_readable(mio_events_at(events, 0)));
	ASSERT(!mio_event_is_writable(mio_events_at(events, 0)));

	ASSERT_OK(mio_registry_reregister(reg, src, 2, MIO_WRITABLE));
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
	ASSERT(!mio_event_is_readable(mio_events_at(events, 0)));
	ASSERT(mio_event_is_writable(mio_events_at(events, 0)));

	ASSERT_OK(mio_registry_reregister(reg, src, 3,
					  MIO_READABLE | MIO_WRITABLE));
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/* kqueue reports each filter as an event of its own. */
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 2);
	ASSERT_UEQ(mio_event_token(mio_events_at(events, 1)), 3);
	ASSERT_EQ(event_readiness(mio_events_at(events, 0)) |
			  event_readiness(mio_events_at(events, 1)),
		  EXPECT_READABLE | EXPECT_WRITABLE);
#else
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
	ASSERT(mio_event_is_readable(mio_events_at(events, 0)));
	ASSERT(mio_event_is_writable(mio_events_at(events, 0)));
#endif
	close_pair(&s, &peer);
	mio_events_free(events);
	mio_poll_free(poll);
}

#ifdef MIO_PRIORITY
/* Out-of-band data is priority readiness (and readable, as in mio). */
static void priority_with_msg_oob(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_raw_fd sv[2];
	mio_tcp_stream s;
	char c;

	/* The client stays a plain socket: it sends the urgent data. */
	test_tcp_socket_pair(sv);
	mio_raw_fd client = sv[0];
	ASSERT_OK(mio_tcp_stream_from_fd(&s, sv[1]));
	mio_raw_fd server = s.source.fd;
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	mio_source *src = &s.source;
	mio_registry *reg = mio_poll_registry(poll);

	/* Priority alone. */
	ASSERT_OK(mio_registry_register(reg, src, 1, MIO_PRIORITY));
	expect_no_events(poll, events);
	ASSERT_EQ(send(client, "!", 1, MSG_OOB), 1);
	struct expect_event want = { 1, EXPECT_PRIORITY | EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_EQ(recv(server, &c, 1, MSG_OOB), 1);
	ASSERT_EQ(c, '!');

	/* Readable and priority: normal data, then urgent data. */
	ASSERT_OK(mio_registry_reregister(reg, src, 2,
					  MIO_READABLE | MIO_PRIORITY));
	ASSERT_EQ(send(client, "a", 1, 0), 1);
	want = (struct expect_event){ 2, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_EQ(send(client, "?", 1, MSG_OOB), 1);
	want = (struct expect_event){ 2, EXPECT_PRIORITY };
	expect_events(poll, events, &want, 1);
	ASSERT_EQ(recv(server, &c, 1, MSG_OOB), 1);
	ASSERT_EQ(c, '?');
	ASSERT_EQ(recv(server, &c, 1, 0), 1);
	ASSERT_EQ(c, 'a');

	/* Without the priority interest there is no priority readiness. */
	ASSERT_OK(mio_registry_reregister(reg, src, 3, MIO_READABLE));
	ASSERT_EQ(send(client, "b", 1, 0), 1);
	ASSERT_EQ(send(client, "#", 1, MSG_OOB), 1);
	struct timespec t = ms_timeout(100);
	for (int round = 0; round < 3; round++) {
		int n = mio_poll_poll(poll, events, &t);
		ASSERT_OK(n);
		for (int i = 0; i < n; i++)
			ASSERT(!mio_event_is_priority(
				mio_events_at(events, i)));
	}
	test_close_socket(client);
	ASSERT_OK(mio_tcp_stream_close(&s));
	mio_events_free(events);
	mio_poll_free(poll);
}
#endif

int main(void)
{
	RUN(values);
	RUN(linux_platform_bits);
	RUN(windows_platform_bits);
	RUN(every_combination_registers);
	RUN(interest_selects_readiness);
#ifdef MIO_PRIORITY
	RUN(priority_with_msg_oob);
#endif
	return test_summary();
}
