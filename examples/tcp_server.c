/*
 * A TCP echo server (mio's examples/tcp_server.rs): greets each client
 * with a line and sends back whatever it sends.
 *
 *   tcp_server [--max N] [ADDRESS]      default 127.0.0.1:9000
 *
 * --max N exits after N connections have been served (for tests). Try it
 * with `nc 127.0.0.1 9000` or examples/echo_client.
 */

#include "echo_server.h"

static int usage(void)
{
	fprintf(stderr, "usage: tcp_server [--max N] [ADDRESS]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *text = "127.0.0.1:9000";
	mio_tcp_listener listener;
	mio_sockaddr addr;
	char name[64];
	long max = 0, served;
	int err;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--max") == 0 && i + 1 < argc)
			max = strtol(argv[++i], NULL, 10);
		else if (argv[i][0] != '-')
			text = argv[i];
		else
			return usage();
	}
	if (max < 0)
		return usage();
	err = mio_sockaddr_parse(&addr, text);
	if (err < 0) {
		fprintf(stderr, "%s: not an address like 127.0.0.1:9000\n",
			text);
		return 2;
	}
	err = mio_tcp_listener_bind(&listener, &addr);
	if (err < 0) {
		print_error(text, err);
		return 1;
	}
	/* Port 0 picks a free port: tell which. */
	err = mio_tcp_listener_local_addr(&listener, &addr);
	if (err < 0) {
		print_error("local address", err);
		mio_tcp_listener_close(&listener);
		return 1;
	}
	mio_sockaddr_format(&addr, name, sizeof(name));
	printf("listening on %s\n", name);
	fflush(stdout);
	served = echo_serve(&listener, max);
	mio_tcp_listener_close(&listener);
	return served < 0 ? 1 : 0;
}
