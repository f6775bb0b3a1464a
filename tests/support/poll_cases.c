/* The cases of poll_cases.h. */

#include "inet.h"
#include "poll_cases.h"

void poll_readable_source(const struct source_pair_kind *k)
{
	mio_poll *poll;
	mio_events *events;
	struct source_pair p;

	poll_setup(&poll, &events);
	source_pair_open(k, &p);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), p.src, 7,
					MIO_READABLE));
	ASSERT_EQ(k->peer_write(&p, "x", 1), 1);
	struct expect_event want = { 7, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll), p.src));
	k->close(&p);
	poll_teardown(poll, events);
}

void poll_readiness_returns_after_would_block(const struct source_pair_kind *k)
{
	mio_poll *poll;
	mio_events *events;
	char buf[16];
	struct source_pair p;

	poll_setup(&poll, &events);
	source_pair_open(k, &p);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), p.src, 1,
					MIO_READABLE));
	struct expect_event want = { 1, EXPECT_READABLE };
	/* Loopback delivery need not be immediate: wait for it, unpolled. */
	ASSERT_EQ(k->peer_write(&p, "hello", 5), 5);
	wait_fd(p.src->fd, POLLIN);
	expect_events(poll, events, &want, 1);
	ASSERT_EQ(source_pair_try_read(p.src, buf, sizeof(buf)), 5);
	ASSERT_EQ(source_pair_try_read(p.src, buf, sizeof(buf)), MIO_EAGAIN);
	expect_no_events(poll, events);
	ASSERT_EQ(k->peer_write(&p, "again", 5), 5);
	expect_events(poll, events, &want, 1);
	/* The same through the kind's own read (the library's, if owned). */
	ASSERT_EQ(k->read(&p, buf, sizeof(buf)), 5);
	ASSERT_EQ(k->read(&p, buf, sizeof(buf)), MIO_EAGAIN);
	expect_no_events(poll, events);
	ASSERT_EQ(k->peer_write(&p, "third", 5), 5);
	expect_events(poll, events, &want, 1);
	k->close(&p);
	poll_teardown(poll, events);
}
