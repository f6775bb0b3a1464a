/*
 * The close rule under threads: four threads make 40,000 loopback TCP
 * pairs in all, register one end, make it readable and close both ends
 * while registered (close deregisters first), while a fifth thread polls.
 * Descriptor numbers are reused all the time; every event must still
 * carry a token some registration had, nothing may be reported once all
 * is closed, and no descriptor may be left open (stress_sources.h).
 * test_uds_stress_close.c does the same with Unix stream pairs on POSIX.
 */
/* ctest-labels: stress threads */

#include "inet.h"
#include "stress_sources.h"

/* Each worker connects through a listener of its own. */
static struct {
	mio_tcp_listener l;
	mio_sockaddr addr;
} lanes[STRESS_WORKERS];

/* Winsock keeps a handle from the first socket (Wine's does). */
static void tcp_settle(void)
{
	mio_raw_fd sv[2];

	test_tcp_socket_pair(sv);
	test_close_socket(sv[0]);
	test_close_socket(sv[1]);
}

static void tcp_worker_start(int worker)
{
	listen_on(AF_INET, &lanes[worker].l, &lanes[worker].addr);
}

static void tcp_worker_end(int worker)
{
	ASSERT_OK(mio_tcp_listener_close(&lanes[worker].l));
}

/*
 * A connected pair through the worker's listener. Both ends reset the
 * connection when closed, so that 40,000 of them leave no TIME_WAIT
 * behind to hold loopback ports.
 */
static void lane_pair(int worker, mio_source *a, mio_source *b)
{
	mio_tcp_listener *l = &lanes[worker].l;
	int r;

	ASSERT_OK(mio_tcp_stream_connect((mio_tcp_stream *)a,
					 &lanes[worker].addr));
	while ((r = mio_tcp_listener_accept(l, (mio_tcp_stream *)b, NULL)) ==
	       MIO_EAGAIN)
		wait_fd(l->source.fd, POLLIN);
	ASSERT_OK(r);
	test_set_linger_zero(a->fd);
	test_set_linger_zero(b->fd);
}

static mio_ssize tcp_write(mio_source *s, const void *buf, size_t len)
{
	return mio_tcp_stream_write((mio_tcp_stream *)s, buf, len);
}

static int tcp_close(mio_source *s)
{
	return mio_tcp_stream_close((mio_tcp_stream *)s);
}

static const struct close_kind tcp = {
	.settle = tcp_settle,
	.worker_start = tcp_worker_start,
	.worker_end = tcp_worker_end,
	.pair = lane_pair,
	.write = tcp_write,
	.close = tcp_close,
};

static void close_registered_sources_while_polling(void)
{
	stress_close_run(&tcp);
}

int main(void)
{
	RUN(close_registered_sources_while_polling);
	return test_summary();
}
