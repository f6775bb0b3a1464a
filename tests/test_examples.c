/*
 * Runs the example programs as a user would: quickstart, tcp_server with
 * several echo_clients at once, tcp_listenfd_server on an inherited
 * descriptor 3, and udp_server. Servers listen on 127.0.0.1 port 0 and
 * print the address they got, so runs never collide.
 */

#include <signal.h>
#include <sys/wait.h>

#include "inet.h"

#ifndef MIO_EXAMPLES_DIR
#error "the build passes MIO_EXAMPLES_DIR"
#endif

struct child {
	pid_t pid;
	int out; /* read end of its stdout, or -1 when inherited */
};

/*
 * Starts MIO_EXAMPLES_DIR/argv[0]. With capture, its stdout comes through
 * a pipe; with listen_fd >= 0, that descriptor becomes its descriptor 3,
 * announced the systemd way.
 */
static struct child spawn(const char *const argv[], bool capture, int listen_fd)
{
	struct child c = { -1, -1 };
	char path[512];
	int p[2] = { -1, -1 };

	snprintf(path, sizeof(path), "%s/%s", MIO_EXAMPLES_DIR, argv[0]);
	if (capture)
		ASSERT_EQ(pipe(p), 0);
	fflush(stdout);
	c.pid = fork();
	ASSERT(c.pid >= 0);
	if (c.pid == 0) {
		if (capture) {
			dup2(p[1], STDOUT_FILENO);
			close(p[0]);
			close(p[1]);
		}
		if (listen_fd >= 0) {
			char pid[32];
			if (listen_fd != 3) {
				dup2(listen_fd, 3);
				close(listen_fd);
			}
			snprintf(pid, sizeof(pid), "%ld", (long)getpid());
			setenv("LISTEN_PID", pid, 1);
			setenv("LISTEN_FDS", "1", 1);
		}
		execv(path, (char *const *)argv);
		fprintf(stderr, "exec %s failed\n", path);
		_exit(127);
	}
	if (capture) {
		close(p[1]);
		c.out = p[0];
	}
	return c;
}

/* Reads one line of the child's output (waiting for it). */
static void read_line(struct child *c, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len) {
		wait_fd(c->out, POLLIN);
		ASSERT_EQ(read(c->out, buf + n, 1), 1);
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	printf("# %s\n", buf);
}

/* A server's "listening on ADDRESS" (or "serving on ...") line. */
static void read_address(struct child *c, char *addr, size_t len)
{
	char line[128];
	const char *p;

	read_line(c, line, sizeof(line));
	p = strstr(line, " on ");
	ASSERT(p != NULL);
	snprintf(addr, len, "%s", p + 4);
	addr[strcspn(addr, " ")] = '\0';
}

/* Copies what the child printed to our stdout, without blocking. */
static void drain(struct child *c)
{
	char buf[4096];
	ssize_t n;

	if (c->out < 0)
		return;
	while (poll(&(struct pollfd){ c->out, POLLIN, 0 }, 1, 0) > 0 &&
	       (n = read(c->out, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
}

/*
 * Waits for the child to exit and returns its status. A child that hangs
 * is killed after a generous while (a hang is the failure, not speed).
 */
static int finish(struct child *c)
{
	int status;

	for (int i = 0; i < 6000; i++) {
		pid_t r = waitpid(c->pid, &status, WNOHANG);
		ASSERT(r >= 0);
		if (r == c->pid) {
			drain(c);
			if (c->out >= 0)
				close(c->out);
			ASSERT(WIFEXITED(status));
			return WEXITSTATUS(status);
		}
		drain(c);
		usleep(10000);
	}
	kill(c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
	FAIL_AT("%ld did not exit", (long)c->pid);
	return -1;
}

static int run(const char *const argv[])
{
	struct child c = spawn(argv, false, -1);
	return finish(&c);
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
	struct child srv = spawn(server, true, -1), clients[3];
	char addr[64];

	read_address(&srv, addr, sizeof(addr));
	for (int i = 0; i < 3; i++) {
		const char *const argv[] = { "echo_client", "--bytes", sizes[i],
					     addr, NULL };
		clients[i] = spawn(argv, false, -1);
	}
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(finish(&clients[i]), 0);
	ASSERT_EQ(finish(&srv), 0);
}

/* echo_client reports a refused connection in its exit status. */
static void echo_client_refused(void)
{
	mio_sockaddr a = closed_port(AF_INET);
	char addr[64];

	mio_sockaddr_format(&a, addr, sizeof(addr));
	const char *const argv[] = { "echo_client", addr, NULL };
	ASSERT_NE(run(argv), 0);
}

/* tcp_listenfd_server serves on the listener it inherits as fd 3. */
static void listenfd_server(void)
{
	const char *const server[] = { "tcp_listenfd_server", "--max", "1",
				       NULL };
	mio_sockaddr any = loopback(AF_INET), bound;
	struct child srv;
	char addr[64], shown[64];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT(fd >= 0);
	ASSERT_EQ(bind(fd, &any.sa, sizeof(any.v4)), 0);
	ASSERT_EQ(listen(fd, 16), 0);
	{
		socklen_t len = sizeof(bound);
		ASSERT_EQ(getsockname(fd, &bound.sa, &len), 0);
	}
	mio_sockaddr_format(&bound, addr, sizeof(addr));
	srv = spawn(server, true, fd);
	close(fd);
	read_address(&srv, shown, sizeof(shown));
	ASSERT_STR_EQ(shown, addr);
	const char *const client[] = { "echo_client", "--bytes", "50000", addr,
				       NULL };
	ASSERT_EQ(run(client), 0);
	ASSERT_EQ(finish(&srv), 0);
}

/* udp_server sends each datagram back to its sender. */
static void udp_server_echo(void)
{
	const char *const server[] = { "udp_server", "--max", "2",
				       "127.0.0.1:0", NULL };
	struct child srv = spawn(server, true, -1);
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
	ASSERT_EQ(finish(&srv), 0);
}

int main(void)
{
	RUN(quickstart);
	RUN(tcp_server_echo);
	RUN(echo_client_refused);
	RUN(listenfd_server);
	RUN(udp_server_echo);
	return test_summary();
}
