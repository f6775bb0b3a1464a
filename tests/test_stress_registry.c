/*
 * Four threads register, reregister and deregister 10,000 sources, each
 * through its own registry clone, while a fifth thread polls. Every call
 * succeeds, every event carries a token some registration had, and once
 * everything is deregistered no event comes (stress_sources.h).
 *
 * The sources are owned UDP sockets on loopback, so the library tracks
 * them (a second register is MIO_EEXIST on every backend) and Windows
 * runs the test too; test_fd_stress_registry.c does the same with
 * borrowed descriptors, which the OS judges.
 */
/* ctest-labels: stress threads */

#include "stress_sources.h"

static mio_udp_socket socks[STRESS_REGISTRY_SOURCES];
static mio_sockaddr addrs[STRESS_REGISTRY_SOURCES];

static void udp_open(int i)
{
	mio_sockaddr any;

	ASSERT_OK(mio_sockaddr_parse(&any, "127.0.0.1:0"));
	ASSERT_OK(mio_udp_socket_bind(&socks[i], &any));
	ASSERT_OK(mio_udp_socket_local_addr(&socks[i], &addrs[i]));
}

static mio_source *udp_source(int i, mio_source *scratch)
{
	(void)scratch;
	return &socks[i].source;
}

/* A datagram to itself makes the socket readable. */
static void udp_make_readable(int i)
{
	uint64_t one = 1;

	ASSERT_EQ(
		mio_udp_socket_send_to(&socks[i], &one, sizeof(one), &addrs[i]),
		sizeof(one));
}

static void udp_close(int i)
{
	ASSERT_OK(mio_udp_socket_close(&socks[i]));
}

static const struct registry_kind udp = {
	.open = udp_open,
	.source = udp_source,
	.second_register = MIO_EEXIST,
	.make_readable = udp_make_readable,
	.close = udp_close,
};

static void four_threads_churn_while_one_polls(void)
{
	stress_registry_run(&udp);
}

int main(void)
{
	RUN(four_threads_churn_while_one_polls);
	return test_summary();
}
