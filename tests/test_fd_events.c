/*
 * Event flags for what only POSIX has: pipes and Unix-domain sockets,
 * watched as borrowed descriptors (mio_source_fd). The portable event
 * tests are in test_events.c.
 */

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "events_exported.h"
#include "posix_fd.h"
#include "test.h"

static struct exported_accessors x;

/* A full pipe whose reader goes away: error and write-closed. */
static void pipe_reader_gone_is_write_closed(void)
{
	mio_poll *poll;
	mio_events *events;
	char buf[4096] = { 0 };
	int p[2];

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	pipe_nb(p);
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	mio_source tx = mio_source_fd(p[1]);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &tx, 1,
					MIO_WRITABLE));
	close(p[0]);
	struct timespec t = ms_timeout(1000);
	ASSERT_EQ(mio_poll_poll(poll, events, &t), 1);
	const mio_event *e = mio_events_at(events, 0);
	ASSERT(mio_event_is_write_closed(e));
	ASSERT(x.is_write_closed(e));
#if defined(MIO_EVENT_LAYOUT_EPOLL)
	/* The kernel says EPOLLERR alone; kqueue would say EV_EOF. */
	ASSERT(mio_event_is_error(e));
	ASSERT(!mio_event_is_writable(e));
#elif defined(MIO_EVENT_LAYOUT_KQUEUE)
	/*
	 * kqueue: the write filter fires with EV_EOF, so writable as well,
	 * and no error (fflags stay 0 for a pipe on FreeBSD and macOS).
	 */
	ASSERT(mio_event_is_writable(e));
	if (!libkqueue_gap(LIBKQUEUE_PIPE_EOF))
		ASSERT(!mio_event_is_error(e));
#endif
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll), &tx));
	close(p[1]);

	/* With room left in the pipe: writable and write-closed. */
	pipe_nb(p);
	tx = mio_source_fd(p[1]);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &tx, 2,
					MIO_WRITABLE));
	close(p[0]);
	struct expect_event want = { 2, EXPECT_WRITABLE | EXPECT_WRITE_CLOSED };
	expect_events(poll, events, &want, 1);
	close(p[1]);
	mio_events_free(events);
	mio_poll_free(poll);
}

/*
 * A Unix-domain peer shuts its write half: read-closed, and only that;
 * its close then closes both halves (a TCP peer's close does not).
 */
static void unix_peer_shutdown_is_read_closed(void)
{
	mio_poll *poll;
	mio_events *events;
	int sv[2];

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &src, 1,
					MIO_READABLE));
	ASSERT_EQ(shutdown(sv[1], SHUT_WR), 0);
	expect_peer_write_shutdown(poll, events);

	/*
	 * Then it closes: both halves are closed. Reads would only ever
	 * return 0 now, never MIO_EAGAIN, so a reregistration re-arms the
	 * source where edge triggering is emulated.
	 */
	ASSERT_OK(mio_registry_reregister(mio_poll_registry(poll), &src, 1,
					  MIO_READABLE));
	close(sv[1]);
	expect_peer_gone(poll, events);
	close(sv[0]);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	exported_accessors_get(&x);
	RUN(pipe_reader_gone_is_write_closed);
	RUN(unix_peer_shutdown_is_read_closed);
	return test_summary();
}
