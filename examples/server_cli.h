/*
 * What the example servers share outside their event loops: the command
 * line "[--max N] [ADDRESS]" (and one more "--NAME N" option where a
 * server has one), listening on the address, and how errors are printed.
 */

#ifndef EXAMPLES_SERVER_CLI_H
#define EXAMPLES_SERVER_CLI_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mio.h>

struct server_cli {
	const char *usage;   /* the usage line, printed on a bad command */
	const char *address; /* the default ADDRESS, then the one given */
	long max;	     /* --max N: connections to serve, 0 for ever */
	const char *option;  /* one more option ("--threads"), or NULL */
	long option_value;   /* its default, then the value given */
	mio_sockaddr addr;   /* address, parsed */
};

static inline void print_error(const char *what, int err)
{
	fprintf(stderr, "%s: %s (%s)\n", what, mio_strerror(err),
		mio_err_name(err));
}

static inline int server_cli_usage(const struct server_cli *cli)
{
	fprintf(stderr, "usage: %s\n", cli->usage);
	return 2;
}

/* Returns 0, or the exit status 2 once it has said what is wrong. */
static inline int server_cli_parse(struct server_cli *cli, int argc,
				   char **argv)
{
	const char *like = cli->address;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--max") == 0 && i + 1 < argc)
			cli->max = strtol(argv[++i], NULL, 10);
		else if (cli->option != NULL &&
			 strcmp(argv[i], cli->option) == 0 && i + 1 < argc)
			cli->option_value = strtol(argv[++i], NULL, 10);
		else if (argv[i][0] != '-')
			cli->address = argv[i];
		else
			return server_cli_usage(cli);
	}
	if (cli->max < 0)
		return server_cli_usage(cli);
	if (mio_sockaddr_parse(&cli->addr, cli->address) < 0) {
		fprintf(stderr, "%s: not an address like %s\n", cli->address,
			like);
		return 2;
	}
	return 0;
}

/* Prints the address a server listens on (port 0 picks a free one). */
static inline void server_cli_announce(const mio_sockaddr *addr,
				       const char *more)
{
	char name[64];

	mio_sockaddr_format(addr, name, sizeof(name));
	printf("listening on %s%s\n", name, more);
	fflush(stdout);
}

/* Binds l to cli's address and says where it listens. */
static inline int server_cli_listen(struct server_cli *cli, mio_tcp_listener *l)
{
	int err = mio_tcp_listener_bind(l, &cli->addr);

	if (err == 0)
		err = mio_tcp_listener_local_addr(l, &cli->addr);
	if (err < 0) {
		print_error(cli->address, err);
		mio_tcp_listener_close(l);
		return err;
	}
	server_cli_announce(&cli->addr, "");
	return 0;
}

#endif
