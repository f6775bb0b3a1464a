/*
 * mio_interest (mio's tests/interest.rs): the values, their combinations,
 * the platform's own bits, and priority readiness (MSG_OOB on TCP).
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"

static void socketpair_nb(int sv[2])
{
	ASSERT_EQ(socketpair(AF_UNIX,
			     SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv),
		  0);
}

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

/* Every non-empty combination of the defined bits registers. */
static void every_combination_registers(void)
{
	unsigned defined = MIO_READABLE | MIO_WRITABLE;
	mio_poll *poll;
	int sv[2];

#ifdef MIO_PRIORITY
	defined |= MIO_PRIORITY;
#endif
	ASSERT_OK(mio_poll_new(&poll));
	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	for (unsigned in = 1; in <= 0xff; in++) {
		int err = mio_registry_register(mio_poll_registry(poll), &src,
						in, (mio_interest)in);
		if ((in & ~defined) != 0) {
			ASSERT_ERR(err, MIO_EINVAL);
			continue;
		}
		ASSERT_OK(err);
		ASSERT_OK(mio_registry_reregister(mio_poll_registry(poll), &src,
						  in, (mio_interest)in));
		ASSERT_OK(
			mio_registry_deregister(mio_poll_registry(poll), &src));
	}
	close(sv[0]);
	close(sv[1]);
	mio_poll_free(poll);
}

/* Readable only, writable only and both report what was asked for. */
static void interest_selects_readiness(void)
{
	mio_poll *poll;
	mio_events *events;
	int sv[2];
	struct timespec t = ms_timeout(1000);

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	socketpair_nb(sv);
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	mio_source src = mio_source_fd(sv[0]);
	mio_registry *reg = mio_poll_registry(poll);

	ASSERT_OK(mio_registry_register(reg, &src, 1, MIO_READABLE));
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
	ASSERT(mio_event_is_readable(mio_events_at(events, 0)));
	ASSERT(!mio_event_is_writable(mio_events_at(events, 0)));

	ASSERT_OK(mio_registry_reregister(reg, &src, 2, MIO_WRITABLE));
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
	ASSERT(!mio_event_is_readable(mio_events_at(events, 0)));
	ASSERT(mio_event_is_writable(mio_events_at(events, 0)));

	ASSERT_OK(mio_registry_reregister(reg, &src, 3,
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
	close(sv[0]);
	close(sv[1]);
	mio_events_free(events);
	mio_poll_free(poll);
}

#ifdef MIO_PRIORITY
/*
 * A connected TCP pair on loopback, made with plain socket calls: the
 * socket objects are not needed for this. False if the machine has no
 * IPv4 loopback.
 */
static bool tcp_pair(int *client, int *server)
{
	struct sockaddr_in addr = { 0 };
	socklen_t len = sizeof(addr);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ASSERT(l >= 0);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(l);
		return false;
	}
	ASSERT_EQ(listen(l, 1), 0);
	ASSERT_EQ(getsockname(l, (struct sockaddr *)&addr, &len), 0);
	*client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT(*client >= 0);
	ASSERT_EQ(connect(*client, (struct sockaddr *)&addr, sizeof(addr)), 0);
	*server = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	ASSERT(*server >= 0);
	close(l);
	return true;
}

/* Out-of-band data is priority readiness (and readable, as in mio). */
static void priority_with_msg_oob(void)
{
	mio_poll *poll;
	mio_events *events;
	int client, server;
	char c;

	if (!tcp_pair(&client, &server)) {
		printf("# no IPv4 loopback: skipped\n");
		return;
	}
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	mio_source src = mio_source_fd(server);
	mio_registry *reg = mio_poll_registry(poll);

	/* Priority alone. */
	ASSERT_OK(mio_registry_register(reg, &src, 1, MIO_PRIORITY));
	expect_no_events(poll, events);
	ASSERT_EQ(send(client, "!", 1, MSG_OOB), 1);
	struct expect_event want = { 1, EXPECT_PRIORITY | EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_EQ(recv(server, &c, 1, MSG_OOB), 1);
	ASSERT_EQ(c, '!');

	/* Readable and priority: normal data, then urgent data. */
	ASSERT_OK(mio_registry_reregister(reg, &src, 2,
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
	ASSERT_OK(mio_registry_reregister(reg, &src, 3, MIO_READABLE));
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
	close(client);
	close(server);
	mio_events_free(events);
	mio_poll_free(poll);
}
#endif

int main(void)
{
	RUN(values);
	RUN(linux_platform_bits);
	RUN(every_combination_registers);
	RUN(interest_selects_readiness);
#ifdef MIO_PRIORITY
	RUN(priority_with_msg_oob);
#endif
	return test_summary();
}
