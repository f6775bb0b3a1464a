/*
 * Runs the example programs as a user would: quickstart, tcp_server with
 * several echo_clients at once, and udp_server, on every platform (the
 * POSIX-only tcp_listenfd_server is in test_fd_examples.c). Servers
 * listen on 127.0.0.1 port 0 and print the address they got, so runs
 * never collide.
 */

#include "inet.h"

#ifndef MIO_EXAMPLES_DIR
#error "the build passes MIO_EXAMPLES_DIR"
#endif

static struct test_process spawn(const char *const argv[], bool capture)
{
	struct test_process p;

	test_process_spawn(&p, MIO_EXAMPLES_DIR, argv, capture);
	return p;
}

/* A server's "listening on ADDRESS" line. */
static void read_address(struct test_process *p, char *addr, size_t len)
{
	char line[128];
	const char *at;

	test_process_read_line(p, line, sizeof(line));
	at = strstr(line, " on ");
	ASSERT(at != NULL);
	snprintf(addr, len, "%s", at + 4);
	addr[strcspn(addr, " ")] = '\0';
}

static int run(const char *const argv[])
{
	struct test_process p = spawn(argv, false);
	return test_process_finish(&p);
}

static void quickstart(void)
{
	const char *const ok[] = { "quickstart", "127.0.0.1:0", NULL };
	const char *const bad[] = { "quickstart", "localhost:1", NULL };

	ASSERT_EQ(run(ok), 0);
	ASSERT_EQ(run(bad), 2);
}

/* tcp_server with three clients at once, small to large. */
static void tcp_server_echo(void)
{
	const char *const server[] = { "tcp_server", "--max", "3",
				       "127.0.0.1:0", NULL };
	static const char *const sizes[] = { "1", "100000", "3000000" };
	struct test_process srv = spawn(server, true), clients[3];
	char addr[64];

	read_address(&srv, addr, sizeof(addr));
	for (int i = 0; i < 3; i++) {
		const char *const argv[] = { "echo_client", "--bytes", sizes[i],
					     addr, NULL };
		clients[i] = spawn(argv, false);
	}
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(test_process_finish(&clients[i]), 0);
	ASSERT_EQ(test_process_finish(&srv), 0);
}

/* echo_client reports a refused connection in its exit status, 1. */
static void echo_client_refused(void)
{
	mio_sockaddr a = closed_port(AF_INET);
	char addr[64];

	mio_sockaddr_format(&a, addr, sizeof(addr));
	const char *const argv[] = { "echo_client", addr, NULL };
	ASSERT_EQ(run(argv), 1);
}

/* udp_server sends each datagram back to its sender. */
static void udp_server_echo(void)
{
	const char *const server[] = { "udp_server", "--max", "2",
				       "127.0.0.1:0", NULL };
	struct test_process srv = spawn(server, true);
	mio_udp_socket u;
	mio_sockaddr any = loopback(AF_INET), to, from;
	char addr[64], buf[64];

	read_address(&srv, addr, sizeof(addr));
	ASSERT_OK(mio_sockaddr_parse(&to, addr));
	ASSERT_OK(mio_udp_socket_bind(&u, &any));
	for (int i = 0; i < 2; i++) {
		const char *msg = i == 0 ? "first" : "second datagram";
		mio_ssize n;

		ASSERT_EQ(mio_udp_socket_send_to(&u, msg, strlen(msg), &to),
			  strlen(msg));
		wait_fd(u.source.fd, POLLIN);
		n = mio_udp_socket_recv_from(&u, buf, sizeof(buf), &from);
		ASSERT_EQ(n, strlen(msg));
		ASSERT(memcmp(buf, msg, strlen(msg)) == 0);
		ASSERT_EQ(mio_sockaddr_port(&from), mio_sockaddr_port(&to));
	}
	mio_udp_socket_close(&u);
	ASSERT_EQ(test_process_finish(&srv), 0);
}

int main(void)
{
	RUN(quickstart);
	RUN(tcp_server_echo);
	RUN(echo_client_refused);
	RUN(udp_server_echo);
	return test_summary();
}
