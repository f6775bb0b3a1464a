/*
 * The echo server of tcp_server.c on a listening socket it is handed as
 * descriptor 3, as systemd's socket activation (LISTEN_FDS) or any other
 * supervisor passes it:
 *
 *   tcp_listenfd_server [--max N]
 *
 * With LISTEN_PID/LISTEN_FDS set (systemd), they must name this process
 * and one descriptor. Try it with systemd-socket-activate:
 *   systemd-socket-activate -l 127.0.0.1:9000 ./tcp_listenfd_server
 */

#define _POSIX_C_SOURCE 200809L

#include <unistd.h>

#include "echo_server.h"

#define LISTEN_FDS_START 3

/* Checks the systemd variables if present, and unsets them for children. */
static bool check_listen_env(void)
{
	const char *pid = getenv("LISTEN_PID");
	const char *fds = getenv("LISTEN_FDS");
	bool ok = true;

	if (fds == NULL)
		return true;
	if (pid != NULL && strtol(pid, NULL, 10) != (long)getpid()) {
		fprintf(stderr, "LISTEN_PID names another process\n");
		ok = false;
	} else if (strtol(fds, NULL, 10) != 1) {
		fprintf(stderr, "LISTEN_FDS must be 1, not %s\n", fds);
		ok = false;
	}
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return ok;
}

/* mio adopts any descriptor; this program wants a listening socket. */
static bool is_listening(int fd)
{
	int on = 0;
	socklen_t len = sizeof(on);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 &&
	       on != 0;
}

int main(int argc, char **argv)
{
	mio_tcp_listener listener;
	mio_sockaddr addr;
	char name[64];
	long max = 0, served;
	int err;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
			max = strtol(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: tcp_listenfd_server [--max N] "
					"(a listening socket as fd 3)\n");
			return 2;
		}
	}
	if (!check_listen_env())
		return 2;
	if (!is_listening(LISTEN_FDS_START)) {
		fprintf(stderr, "descriptor 3 is no listening socket: start "
				"me with one there\n");
		return 2;
	}
	/* The library takes the descriptor over, flags and all. */
	err = mio_tcp_listener_from_fd(&listener, LISTEN_FDS_START);
	if (err < 0) {
		print_error("descriptor 3", err);
		return 1;
	}
	err = mio_tcp_listener_local_addr(&listener, &addr);
	if (err < 0) {
		print_error("descriptor 3 is no IPv4/IPv6 socket", err);
		mio_tcp_listener_close(&listener);
		return 1;
	}
	mio_sockaddr_format(&addr, name, sizeof(name));
	printf("serving on %s (descriptor 3)\n", name);
	fflush(stdout);
	served = echo_serve(&listener, max);
	mio_tcp_listener_close(&listener);
	return served < 0 ? 1 : 0;
}
