/* mio_poll basics: creation, timeouts, argument checks (mio's tests/poll.rs).
 */

#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

static void poll_new_and_free(void)
{
	mio_poll *poll;
	mio_events *events;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT(mio_poll_registry(poll) != NULL);
	ASSERT_OK(mio_events_new(16, &events));
	ASSERT_UEQ(mio_events_capacity(events), 16);
	ASSERT_UEQ(mio_events_len(events), 0);
	ASSERT(mio_events_is_empty(events));
	ASSERT(mio_events_get(events, 0) == NULL);
	mio_events_free(events);
	mio_poll_free(poll);
	mio_poll_free(NULL);
	mio_events_free(NULL);
}

static void zero_timeout_returns_at_once(void)
{
	mio_poll *poll;
	mio_events *events;
	struct timespec zero = { 0, 0 };

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_EQ(mio_poll_poll(poll, events, &zero), 0);
	ASSERT(mio_events_is_empty(events));
	mio_events_free(events);
	mio_poll_free(poll);
}

static void readable_socketpair(void)
{
	mio_poll *poll;
	mio_events *events;
	int sv[2];

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &src, 7,
					MIO_READABLE));
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want = { 7, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll), &src));
	close(sv[0]);
	close(sv[1]);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(poll_new_and_free);
	RUN(zero_timeout_returns_at_once);
	RUN(readable_socketpair);
	return test_summary();
}
