/*
 * Runs the example programs as a user would: quickstart, tcp_server with
 * several echo_clients at once, udp_server, and http_server with a plain
 * client that checks its answers byte for byte, on every platform (the
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

/* ------------------------------------------------------------------ */
/* http_server */

#define HTTP_OK                                                                \
	"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"                      \
	"Content-Length: 13\r\n"
#define HELLO "Hello, World!"

static void http_connect(const char *addr, mio_tcp_stream *s)
{
	mio_sockaddr a;

	ASSERT_OK(mio_sockaddr_parse(&a, addr));
	ASSERT_OK(mio_tcp_stream_connect(s, &a));
	wait_fd(s->source.fd, POLLOUT);
}

static void http_send(mio_tcp_stream *s, const char *text)
{
	size_t len = strlen(text), done = 0;

	while (done < len) {
		mio_ssize n = mio_tcp_stream_write(s, text + done, len - done);

		if (n == MIO_EAGAIN) {
			wait_fd(s->source.fd, POLLOUT);
			continue;
		}
		ASSERT(n > 0);
		done += (size_t)n;
	}
}

/* Reads exactly what `want` is long and compares it byte for byte. */
static void http_expect(mio_tcp_stream *s, const char *want)
{
	size_t len = strlen(want), got = 0;
	char buf[2048];

	ASSERT(len <= sizeof(buf));
	while (got < len) {
		mio_ssize n = mio_tcp_stream_read(s, buf + got, len - got);

		if (n == MIO_EAGAIN) {
			wait_fd(s->source.fd, POLLIN);
			continue;
		}
		if (n <= 0)
			FAIL_AT("connection ended after %zu of %zu bytes: %.*s",
				got, len, (int)got, buf);
		got += (size_t)n;
	}
	if (memcmp(buf, want, len) != 0)
		FAIL_AT("got \"%.*s\", want \"%s\"", (int)len, buf, want);
}

/* The server closed the connection after its last answer. */
static void http_expect_end(mio_tcp_stream *s)
{
	char c;

	wait_fd(s->source.fd, POLLIN);
	ASSERT_EQ(mio_tcp_stream_read(s, &c, 1), 0);
	ASSERT_OK(mio_tcp_stream_close(s));
}

/* A part of a request: no answer may come (within 100 ms). */
static void http_send_part(mio_tcp_stream *s, const char *part)
{
	http_send(s, part);
	ASSERT_EQ(test_poll_socket(s->source.fd, POLLIN, 100) & POLLIN, 0);
}

/*
 * Keep-alive with pipelining: several requests in one write, a request
 * split over three writes, a body skipped, and Connection: close.
 */
static void http_keep_alive(const char *addr)
{
	mio_tcp_stream s;

	http_connect(addr, &s);
	http_send(&s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
		      "GET /two HTTP/1.1\r\nHost: a\r\n\r\n"
		      "HEAD / HTTP/1.1\r\n\r\n"
		      "GET /four HTTP/1.1\r\nConnection: keep-alive\r\n\r\n");
	http_expect(&s, HTTP_OK "\r\n" HELLO HTTP_OK "\r\n" HELLO HTTP_OK
				"\r\n" HTTP_OK "\r\n" HELLO);
	http_send_part(&s, "GET /split HT");
	http_send_part(&s, "TP/1.1\r\nHost: a\r");
	http_send_part(&s, "\n\r");
	http_send(&s, "\n");
	http_expect(&s, HTTP_OK "\r\n" HELLO);
	http_send(&s, "POST /form HTTP/1.1\r\nContent-Length: 11\r\n\r\n"
		      "GET / HTTP/");
	http_expect(&s, HTTP_OK "\r\n" HELLO);
	http_send(&s, "GET /last HTTP/1.1\r\nConnection: close\r\n\r\n"
		      "GET /ignored HTTP/1.1\r\n\r\n");
	http_expect(&s, HTTP_OK "Connection: close\r\n\r\n" HELLO);
	http_expect_end(&s);
}

/* HTTP/1.0 closes unless asked to keep the connection alive. */
static void http_1_0(const char *addr)
{
	mio_tcp_stream s;

	http_connect(addr, &s);
	http_send(&s, "GET / HTTP/1.0\r\n\r\n");
	http_expect(&s, HTTP_OK "Connection: close\r\n\r\n" HELLO);
	http_expect_end(&s);
	http_connect(addr, &s);
	http_send(&s, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
		      "GET / HTTP/1.0\r\n\r\n");
	http_expect(&s, HTTP_OK "Connection: keep-alive\r\n\r\n" HELLO HTTP_OK
				"Connection: close\r\n\r\n" HELLO);
	http_expect_end(&s);
}

/* A malformed request gets 400 and the end of the connection. */
static void http_bad_request(const char *addr)
{
	mio_tcp_stream s;

	http_connect(addr, &s);
	http_send(&s, "NONSENSE\r\n\r\nGET / HTTP/1.1\r\n\r\n");
	http_expect(&s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
			"Connection: close\r\n\r\n");
	http_expect_end(&s);
}

static void http_server_requests(void)
{
	const char *const server[] = { "http_server", "--max", "4",
				       "127.0.0.1:0", NULL };
	struct test_process srv = spawn(server, true);
	char addr[64];

	read_address(&srv, addr, sizeof(addr));
	http_keep_alive(addr);
	http_1_0(addr);
	http_bad_request(addr);
	ASSERT_EQ(test_process_finish(&srv), 0);
}

int main(void)
{
	RUN(quickstart);
	RUN(tcp_server_echo);
	RUN(echo_client_refused);
	RUN(udp_server_echo);
	RUN(http_server_requests);
	return test_summary();
}
