/*
 * Accept under descriptor exhaustion: examples/tcp_server runs with a
 * small RLIMIT_NOFILE (ulimit -n) and more clients than it can hold.
 *
 * The trap: accept() failing with EMFILE leaves the connection queued,
 * and with edge-triggered readiness a queued connection raises no further
 * event, so a server that just waits for the next event leaves those
 * clients hanging forever (and one that retries at once spins). The
 * example keeps a descriptor in reserve to accept and close them. Every
 * client must get an answer -- the greeting or a closed connection --
 * and once descriptors are free again the server serves as many clients
 * as before.
 */

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "inet.h"

#ifndef MIO_EXAMPLES_DIR
#error "the build passes MIO_EXAMPLES_DIR"
#endif

#define FD_LIMIT 16
#define CLIENTS 24
#define GREETING "Hello from mio!\n"

struct server {
	pid_t pid;
	int out; /* its stdout */
	struct sockaddr_in addr;
};

/* A failed assertion exits: the server must not outlive the test. */
static pid_t server_pid;

static void kill_server(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
	}
}

static void start_server(struct server *sv)
{
	char path[512], line[256];
	size_t n = 0;
	int p[2];

	snprintf(path, sizeof(path), "%s/tcp_server", MIO_EXAMPLES_DIR);
	ASSERT_EQ(pipe(p), 0);
	fflush(stdout);
	sv->pid = fork();
	ASSERT(sv->pid >= 0);
	if (sv->pid == 0) {
		char cmd[64];
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		/*
		 * The shell's ulimit, as a user would do it (and so that the
		 * limit holds even when this test runs under Valgrind, which
		 * keeps a setrlimit of its own process to itself).
		 */
		snprintf(cmd, sizeof(cmd), "ulimit -n %d && exec \"$0\" \"$1\"",
			 FD_LIMIT);
		execl("/bin/sh", "sh", "-c", cmd, path, "127.0.0.1:0",
		      (char *)NULL);
		_exit(127);
	}
	server_pid = sv->pid;
	atexit(kill_server);
	close(p[1]);
	sv->out = p[0];
	/* "listening on 127.0.0.1:PORT" */
	while (n + 1 < sizeof(line)) {
		wait_fd(sv->out, POLLIN);
		ASSERT_EQ(read(sv->out, line + n, 1), 1);
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	const char *colon = strrchr(line, ':');
	ASSERT(strstr(line, "listening on 127.0.0.1:") == line && colon);
	memset(&sv->addr, 0, sizeof(sv->addr));
	sv->addr.sin_family = AF_INET;
	sv->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sv->addr.sin_port = htons((uint16_t)atoi(colon + 1));
}

static int connect_client(const struct server *sv)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT(fd >= 0);
	ASSERT_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	ASSERT_EQ(connect(fd, (const struct sockaddr *)&sv->addr,
			  sizeof(sv->addr)),
		  0);
	return fd;
}

/* true: greeted; false: the server closed the connection unserved. */
static bool greeted(int fd)
{
	char buf[64];
	size_t n = 0;

	while (n < strlen(GREETING)) {
		/* wait_fd fails the test if no answer comes within 5 s. */
		wait_fd(fd, POLLIN);
		ssize_t got = recv(fd, buf + n, sizeof(buf) - n, 0);
		if (got == 0 || (got < 0 && errno == ECONNRESET)) {
			ASSERT_EQ(n, 0);
			return false;
		}
		ASSERT(got > 0);
		n += (size_t)got;
	}
	ASSERT(n == strlen(GREETING) && memcmp(buf, GREETING, n) == 0);
	return true;
}

static void echo_once(int fd)
{
	char buf[8];

	ASSERT_EQ(send(fd, "ping\n", 5, MSG_NOSIGNAL), 5);
	for (size_t n = 0; n < 5;) {
		wait_fd(fd, POLLIN);
		ssize_t got = recv(fd, buf + n, sizeof(buf) - n, 0);
		ASSERT(got > 0);
		n += (size_t)got;
	}
	ASSERT(memcmp(buf, "ping\n", 5) == 0);
}

/* Opens `count` clients at once; returns how many the server greeted. */
static int connect_all(struct server *sv, int *fds, int count)
{
	int served = 0;

	for (int i = 0; i < count; i++)
		fds[i] = connect_client(sv);
	for (int i = 0; i < count; i++) {
		if (greeted(fds[i])) {
			echo_once(fds[i]);
			served++;
		} else {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	return served;
}

/*
 * Ends the served clients the way that shows when the server let go of
 * their descriptors: it closes its side on our end of stream, and its
 * close is what we then read as end of stream.
 */
static void close_all(int *fds, int count)
{
	char c;

	for (int i = 0; i < count; i++) {
		if (fds[i] < 0)
			continue;
		ASSERT_EQ(shutdown(fds[i], SHUT_WR), 0);
		wait_fd(fds[i], POLLIN);
		ASSERT_EQ(recv(fds[i], &c, 1, 0), 0);
		close(fds[i]);
	}
}

static void tcp_server_survives_descriptor_exhaustion(void)
{
	struct server sv;
	int fds[CLIENTS], first, again, status;

	if (libkqueue_gap(LIBKQUEUE_FD_HUNGRY))
		return;
	start_server(&sv);
	first = connect_all(&sv, fds, CLIENTS);
	printf("ulimit -n %d: %d of %d clients served, the rest closed at "
	       "once\n",
	       FD_LIMIT, first, CLIENTS);
	/* The limit was reached, yet some were served and none hung. */
	ASSERT(first >= 1 && first < CLIENTS);
	close_all(fds, CLIENTS);

	/* Descriptors are free again: as many clients as before are served. */
	again = connect_all(&sv, fds, first);
	ASSERT_EQ(again, first);
	close_all(fds, first);
	/* And exhaustion again is survived the same way. */
	again = connect_all(&sv, fds, CLIENTS);
	ASSERT_EQ(again, first);
	close_all(fds, CLIENTS);

	ASSERT_EQ(kill(sv.pid, SIGTERM), 0);
	ASSERT_EQ(waitpid(sv.pid, &status, 0), sv.pid);
	server_pid = 0;
	ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	close(sv.out);
}

int main(void)
{
	RUN(tcp_server_survives_descriptor_exhaustion);
	return test_summary();
}
