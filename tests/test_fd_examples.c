/*
 * The POSIX-only example: tcp_listenfd_server serves on the listener it
 * inherits as descriptor 3, announced the systemd way (socket
 * activation). The other examples are run in test_examples.c.
 */

#include "inet.h"

#ifndef MIO_EXAMPLES_DIR
#error "the build passes MIO_EXAMPLES_DIR"
#endif

/* It prints the address it inherited, then echoes one client. */
static void listenfd_server(void)
{
	const char *const server[] = { "tcp_listenfd_server", "--max", "1",
				       NULL };
	const char *client[] = { "echo_client", "--bytes", "50000", NULL,
				 NULL };
	mio_sockaddr any = loopback(AF_INET), bound;
	socklen_t len = sizeof(bound);
	struct test_process srv, cli;
	char addr[64], line[128];
	char *shown;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT(fd >= 0);
	ASSERT_EQ(bind(fd, &any.sa, sizeof(any.v4)), 0);
	ASSERT_EQ(listen(fd, 16), 0);
	ASSERT_EQ(getsockname(fd, &bound.sa, &len), 0);
	mio_sockaddr_format(&bound, addr, sizeof(addr));
	test_process_spawn_listen_fd(&srv, MIO_EXAMPLES_DIR, server, fd);
	close(fd);
	test_process_read_line(&srv, line, sizeof(line));
	shown = strstr(line, " on ");
	ASSERT(shown != NULL);
	shown += 4;
	shown[strcspn(shown, " ")] = '\0';
	ASSERT_STR_EQ(shown, addr);
	client[3] = addr;
	test_process_spawn(&cli, MIO_EXAMPLES_DIR, client, false);
	ASSERT_EQ(test_process_finish(&cli), 0);
	ASSERT_EQ(test_process_finish(&srv), 0);
}

int main(void)
{
	RUN(listenfd_server);
	return test_summary();
}
