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

int main(int argc, char **argv)
{
	struct server_cli cli = { .usage = "tcp_server [--max N] [ADDRESS]",
				  .address = "127.0.0.1:9000" };
	mio_tcp_listener listener;
	long served;
	int err = server_cli_parse(&cli, argc, argv);

	if (err != 0)
		return err;
	if (server_cli_listen(&cli, &listener) < 0)
		return 1;
	served = echo_serve(&listener, cli.max);
	mio_tcp_listener_close(&listener);
	return served < 0 ? 1 : 0;
}
