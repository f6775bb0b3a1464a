/*
 * Runs the example programs as a user would: quickstart, tcp_server with
 * several echo_clients at once, tcp_server_threads with many clients,
 * udp_server, chat_server with several clients and a slow reader, and
 * http_server with a plain client that checks its answers byte for
 * byte, on every platform (the POSIX-only tcp_listenfd_server is in
 * test_fd_examples.c). Servers listen on 127.0.0.1 port 0 and print the
 * address they got, so runs never collide.
 */

#include <time.h>

#include "inet.h"
#include "mix.h"

/* Linux spreads connections over SO_REUSEPORT listeners by their hash. */
#if defined(__linux__)
#define TEST_LINUX_KERNEL 1
#else
#define TEST_LINUX_KERNEL 0
#endif

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

/* The bytes client i sends: its own pattern, so mixed-up replies show. */
static void client_payload(char *buf, size_t len, int i)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = (char)('a' + (k * 7 + (size_t)i * 13) % 26);
}

/*
 * One client of an echo server: sends len bytes of its payload, then
 * shuts down its writing half, and reads until end of stream, writing
 * and reading as the socket allows. Returns what came back.
 */
static size_t echo_exchange(mio_tcp_stream *c, const char *out, size_t len,
			    char *in, size_t cap)
{
	size_t sent = 0, got = 0;

	for (;;) {
		mio_ssize n;
		bool stalled = true;

		if (sent < len) {
			n = mio_tcp_stream_write(c, out + sent, len - sent);
			if (n > 0) {
				sent += (size_t)n;
				stalled = false;
			} else {
				ASSERT_ERR(n, MIO_EAGAIN);
			}
			if (sent == len)
				ASSERT_OK(mio_tcp_stream_shutdown(
					c, MIO_SHUTDOWN_WRITE));
		}
		ASSERT(got < cap);
		n = mio_tcp_stream_read(c, in + got, cap - got);
		if (n == 0)
			return got;
		if (n > 0) {
			got += (size_t)n;
			stalled = false;
		} else {
			ASSERT_ERR(n, MIO_EAGAIN);
		}
		if (stalled)
			wait_fd(c->source.fd,
				(short)(POLLIN | (sent < len ? POLLOUT : 0)));
	}
}

/* Reads the server's lines until one starts with `prefix`. */
static void read_until(struct test_process *p, const char *prefix, char *line,
		       size_t len)
{
	do
		test_process_read_line(p, line, len);
	while (strncmp(line, prefix, strlen(prefix)) != 0);
}

/*
 * tcp_server_threads with two listeners on one port (SO_REUSEPORT): many
 * clients at once, every byte comes back, and on Linux, which spreads
 * connections over the listeners, each thread served some. Windows has
 * no SO_REUSEPORT: the server says so and serves on one thread.
 */
static void tcp_server_threads_echo(void)
{
	enum { CLIENTS = 32, LEN = 20000 };
	static char out[LEN], in[LEN + 64];
	const char *const server[] = {
		"tcp_server_threads", "--threads", "2", "--max", "32",
		"127.0.0.1:0",	      NULL
	};
	const char greeting[] = "Hello from mio!\n";
	struct test_process srv = spawn(server, true);
	mio_tcp_stream clients[CLIENTS];
	mio_sockaddr addr;
	char line[128], text[64];
	long served[2] = { 0, 0 }, total = 0;
	int threads = 0;

	read_until(&srv, "listening on ", line, sizeof(line));
	ASSERT_EQ(sscanf(line, "listening on %63s (%d thread", text, &threads),
		  2);
	ASSERT_EQ(threads, TEST_WINDOWS ? 1 : 2);
	ASSERT_OK(mio_sockaddr_parse(&addr, text));
	/* All connected before any is served: the kernel spreads them. */
	for (int i = 0; i < CLIENTS; i++)
		ASSERT_OK(mio_tcp_stream_connect(&clients[i], &addr));
	for (int i = 0; i < CLIENTS; i++) {
		size_t got;

		client_payload(out, LEN, i);
		got = echo_exchange(&clients[i], out, LEN, in, sizeof(in));
		ASSERT_UEQ(got, strlen(greeting) + LEN);
		ASSERT(memcmp(in, greeting, strlen(greeting)) == 0);
		ASSERT(memcmp(in + strlen(greeting), out, LEN) == 0);
		ASSERT_OK(mio_tcp_stream_close(&clients[i]));
	}
	for (int t = 0; t < threads; t++) {
		int id = -1;

		read_until(&srv, "thread ", line, sizeof(line));
		ASSERT_EQ(sscanf(line, "thread %d served %ld", &id, &served[t]),
			  2);
		ASSERT_EQ(id, t);
		total += served[t];
	}
	ASSERT_EQ(total, CLIENTS);
	if (TEST_LINUX_KERNEL) {
		ASSERT(served[0] > 0);
		ASSERT(served[1] > 0);
	}
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

/* ---------------------------------------------------------------------- */
/* chat_server: every line to every other client, with back-pressure.    */

enum {
	CHAT_CLIENTS = 4,
	CHAT_SLOW = CHAT_CLIENTS - 1, /* reads only once the others are held */
	SLOW_LINES = 5,		      /* what the slow one says first */
	HELD_MS = 500,		      /* no byte sent for this long: held */
};
#define CHAT_SEND_CAP ((uint64_t)256 << 20) /* the server never held back */

struct chat_client {
	mio_tcp_stream s;
	uint32_t lines; /* lines begun: the last few may be partly sent */
	uint64_t sent;	/* bytes */
	bool talking;	/* still begins new lines */
	char out[8192]; /* whole lines being sent: out[off .. len) */
	size_t len, off;
	char in[65536]; /* received, up to a partial line */
	size_t in_len;
	uint32_t got[CHAT_CLIENTS]; /* lines received from each sender */
	uint64_t got_bytes;
};

/* Line `seq` of client `from`: "from seq " and letters, 30 to 229 bytes. */
static size_t chat_line(uint32_t from, uint32_t seq, char *buf, size_t cap)
{
	uint32_t h = test_mix32(from * 0x9e3779b9U ^ seq);
	int n = snprintf(buf, cap, "%u %u ", from, seq);
	size_t len = (size_t)n + 20 + h % 180;

	ASSERT(n > 0 && len < cap);
	for (size_t k = (size_t)n; k < len - 1; k++)
		buf[k] = (char)('a' + test_mix32(h + (uint32_t)k) % 26);
	buf[len - 1] = '\n';
	return len;
}

/*
 * A small send buffer on a talker's socket, so that less is in flight
 * when the server holds back (the server's own buffers still grow). Not
 * on the slow reader's receiving side: a tiny window there would make
 * the rest crawl at one delayed acknowledgement per window.
 */
static void chat_small_buffer(mio_raw_fd fd, int name)
{
	int size = 8192;

	ASSERT_EQ(setsockopt(fd, SOL_SOCKET, name, (const void *)&size,
			     sizeof(size)),
		  0);
}

static int64_t chat_now_ms(void)
{
	struct timespec t;

	ASSERT_EQ(clock_gettime(CLOCK_MONOTONIC, &t), 0);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Begins as many new lines as fit in c's output (whole lines only). */
static void chat_compose(struct chat_client *c, uint32_t self)
{
	char line[256];

	c->len = c->off = 0;
	while (c->talking) {
		size_t n;

		if (self == CHAT_SLOW && c->lines == SLOW_LINES) {
			c->talking = false;
			break;
		}
		n = chat_line(self, c->lines, line, sizeof(line));
		if (c->len + n > sizeof(c->out))
			break;
		memcpy(c->out + c->len, line, n);
		c->len += n;
		c->lines++;
	}
}

/* Sends what it can; a talking client begins new lines. */
static void chat_send(struct chat_client *c, uint32_t self, int64_t *moved)
{
	for (;;) {
		mio_ssize n;

		if (c->off == c->len) {
			chat_compose(c, self);
			if (c->len == 0)
				return;
		}
		n = mio_tcp_stream_write(&c->s, c->out + c->off,
					 c->len - c->off);
		if (n == MIO_EAGAIN)
			return;
		ASSERT_OK(n);
		c->off += (size_t)n;
		c->sent += (uint64_t)n;
		*moved = chat_now_ms();
		if (c->sent > CHAT_SEND_CAP)
			FAIL_AT("client %u sent %ju bytes and was never held "
				"back",
				self, (uintmax_t)c->sent);
	}
}

/* Checks one whole line received by client `self`. */
static void chat_check_line(struct chat_client *c, uint32_t self,
			    const char *line, size_t len)
{
	unsigned from, seq;
	char want[256];

	ASSERT_EQ(sscanf(line, "%u %u ", &from, &seq), 2);
	ASSERT(from < CHAT_CLIENTS && from != self);
	if (seq != c->got[from])
		FAIL_AT("client %u: line %u of client %u came, expected %u",
			self, seq, from, c->got[from]);
	ASSERT_EQ(chat_line(from, seq, want, sizeof(want)), len);
	ASSERT(memcmp(line, want, len) == 0);
	c->got[from]++;
	c->got_bytes += len;
}

/* Reads all there is, checking every line. */
static void chat_receive(struct chat_client *c, uint32_t self, int64_t *moved)
{
	for (;;) {
		mio_ssize n = mio_tcp_stream_read(&c->s, c->in + c->in_len,
						  sizeof(c->in) - c->in_len);
		char *nl;

		if (n == MIO_EAGAIN)
			return;
		ASSERT_OK(n);
		ASSERT(n > 0); /* the server closes no one */
		c->in_len += (size_t)n;
		while ((nl = memchr(c->in, '\n', c->in_len)) != NULL) {
			size_t len = (size_t)(nl - c->in) + 1;
			chat_check_line(c, self, c->in, len);
			memmove(c->in, c->in + len, c->in_len - len);
			c->in_len -= len;
		}
		ASSERT(c->in_len < sizeof(c->in));
		*moved = chat_now_ms();
	}
}

/* Whether c has every line the others sent (all sent in full by now). */
static bool chat_has_all(const struct chat_client *all, uint32_t self)
{
	for (uint32_t i = 0; i < CHAT_CLIENTS; i++)
		if (i != self && (all[i].off != all[i].len ||
				  all[self].got[i] != all[i].lines))
			return false;
	return true;
}

static bool chat_done(const struct chat_client *all)
{
	for (uint32_t i = 0; i < CHAT_CLIENTS; i++)
		if (!chat_has_all(all, i))
			return false;
	return true;
}

/*
 * Four clients; three talk as fast as they can and read everything,
 * the fourth says a few lines and then reads nothing. The server must
 * hold the talkers back (stop reading them) instead of buffering without
 * end: they stall. Then the slow one reads, and every client gets every
 * line of every other one, in order, byte for byte.
 */
static void chat_server_back_pressure(void)
{
	const char *const server[] = { "chat_server", "--max", "4",
				       "127.0.0.1:0", NULL };
	struct test_process srv = spawn(server, true);
	static struct chat_client cl[CHAT_CLIENTS];
	mio_poll *poll;
	mio_events *events;
	struct timespec tick = ms_timeout(20);
	mio_sockaddr addr;
	char text[64], line[128];
	int64_t moved, sent_at;
	uint64_t held_at = 0;
	bool held = false;

	read_address(&srv, text, sizeof(text));
	ASSERT_OK(mio_sockaddr_parse(&addr, text));
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(64, &events));
	for (uint32_t i = 0; i < CHAT_CLIENTS; i++) {
		memset(&cl[i], 0, sizeof(cl[i]));
		cl[i].talking = true;
		ASSERT_OK(mio_tcp_stream_connect(&cl[i].s, &addr));
		if (i != CHAT_SLOW)
			chat_small_buffer(cl[i].s.source.fd, SO_SNDBUF);
		ASSERT_OK(mio_registry_register(mio_poll_registry(poll),
						&cl[i].s.source, i,
						MIO_READABLE | MIO_WRITABLE));
		/* Joined before anyone talks, so all hear every line. */
		test_process_read_line(&srv, line, sizeof(line));
		ASSERT(strstr(line, "joined") != NULL);
	}
	moved = sent_at = chat_now_ms();
	while (!held || !chat_done(cl)) {
		int n = mio_poll_poll(poll, events, &tick);

		ASSERT(n >= 0 || n == MIO_EINTR);
		for (uint32_t i = 0; i < CHAT_CLIENTS; i++) {
			chat_send(&cl[i], i, &sent_at);
			if (i != CHAT_SLOW || held)
				chat_receive(&cl[i], i, &moved);
		}
		if (!held && chat_now_ms() - sent_at > HELD_MS) {
			/* Held back: finish the lines begun, then read. */
			held = true;
			for (uint32_t i = 0; i < CHAT_CLIENTS; i++) {
				held_at += cl[i].sent;
				cl[i].talking = false;
			}
			printf("# held back after %ju bytes sent\n",
			       (uintmax_t)held_at);
		}
		if (sent_at > moved)
			moved = sent_at;
		if (chat_now_ms() - moved > 30000)
			FAIL_AT("nothing moved for 30 s");
	}
	for (uint32_t i = 0; i < CHAT_CLIENTS; i++) {
		uint64_t want = 0;

		for (uint32_t j = 0; j < CHAT_CLIENTS; j++)
			if (j != i)
				want += cl[j].sent;
		ASSERT_UEQ(cl[i].got_bytes, want);
		ASSERT_EQ(cl[i].in_len, 0);
		ASSERT_OK(mio_tcp_stream_close(&cl[i].s));
	}
	ASSERT(cl[0].lines > SLOW_LINES);
	mio_events_free(events);
	mio_poll_free(poll);
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
	RUN(tcp_server_threads_echo);
	RUN(echo_client_refused);
	RUN(udp_server_echo);
	RUN(chat_server_back_pressure);
	RUN(http_server_requests);
	return test_summary();
}
