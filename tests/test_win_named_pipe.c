/*
 * Named pipes (mio::windows::NamedPipe, mio's tests/win_named_pipe.rs):
 * connect, read, write, disconnect and close through a poll.
 */

#include <winsock2.h>
#include <windows.h>

#include "test.h"

enum { SERVER = 1, CLIENT = 2 };

static const char *pipe_name(void)
{
	static char name[128];
	static unsigned n;

	snprintf(name, sizeof(name), "\\\\.\\pipe\\mio-test-%lu-%u",
		 (unsigned long)GetCurrentProcessId(), n++);
	return name;
}

static void poll_setup(mio_poll **poll, mio_events **events)
{
	ASSERT_OK(mio_poll_new(poll));
	ASSERT_OK(mio_events_new(64, events));
}

static void poll_teardown(mio_poll *poll, mio_events *events)
{
	mio_events_free(events);
	mio_poll_free(poll);
}

/* A registered server with a registered client connected to it. */
static void connected_pair(mio_poll *poll, mio_events *events, const char *name,
			   mio_named_pipe *server, mio_named_pipe *client)
{
	mio_registry *r = mio_poll_registry(poll);

	ASSERT_OK(mio_named_pipe_new(server, name));
	assert_cloexec(server->source.fd);
	ASSERT_OK(mio_registry_register(r, &server->source, SERVER,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_ERR(mio_named_pipe_connect(server), MIO_EAGAIN);
	ASSERT_OK(mio_named_pipe_open(client, name));
	assert_cloexec(client->source.fd);
	ASSERT_OK(mio_registry_register(r, &client->source, CLIENT,
					MIO_READABLE | MIO_WRITABLE));
	struct expect_event want[] = { { SERVER, EXPECT_WRITABLE },
				       { CLIENT, EXPECT_WRITABLE } };
	expect_events(poll, events, want, 2);
	ASSERT_EQ(mio_named_pipe_take_error(server), 0);
}

/* Reads exactly len bytes, waiting for readable events in between. */
static void read_all(mio_poll *poll, mio_events *events, mio_named_pipe *p,
		     mio_token token, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		mio_ssize n = mio_named_pipe_read(p, buf + got, len - got);
		if (n == MIO_EAGAIN) {
			struct expect_event want = { token, EXPECT_READABLE };
			expect_events(poll, events, &want, 1);
			continue;
		}
		ASSERT(n > 0);
		got += (size_t)n;
	}
}

static void connect_read_write(void)
{
	mio_named_pipe server, client;
	mio_poll *poll;
	mio_events *events;
	char buf[16];

	poll_setup(&poll, &events);
	connected_pair(poll, events, pipe_name(), &server, &client);

	ASSERT_EQ(mio_named_pipe_write(&client, "hello", 5), 5);
	read_all(poll, events, &server, SERVER, buf, 5);
	ASSERT(memcmp(buf, "hello", 5) == 0);
	ASSERT_ERR(mio_named_pipe_read(&server, buf, sizeof(buf)), MIO_EAGAIN);

	ASSERT_EQ(mio_named_pipe_write(&server, "world", 5), 5);
	read_all(poll, events, &client, CLIENT, buf, 5);
	ASSERT(memcmp(buf, "world", 5) == 0);

	ASSERT_OK(mio_named_pipe_close(&client));
	ASSERT_OK(mio_named_pipe_close(&server));
	poll_teardown(poll, events);
}

/* More than the write buffer holds, in both directions' worth of events. */
static void large_transfer(void)
{
	enum { TOTAL = 256 * 1024 };
	mio_named_pipe server, client;
	mio_poll *poll;
	mio_events *events;
	char *out = malloc(TOTAL), *in = malloc(TOTAL);
	size_t sent = 0, got = 0;
	struct timespec t = ms_timeout(1000);

	ASSERT(out != NULL && in != NULL);
	for (size_t i = 0; i < TOTAL; i++)
		out[i] = (char)(i * 7 + i / 251);
	poll_setup(&poll, &events);
	connected_pair(poll, events, pipe_name(), &server, &client);
	for (int rounds = 0; got < TOTAL && rounds < 10000; rounds++) {
		mio_ssize n;

		while (sent < TOTAL &&
		       (n = mio_named_pipe_write(&client, out + sent,
						 TOTAL - sent)) > 0)
			sent += (size_t)n;
		if (sent < TOTAL)
			ASSERT_ERR(n, MIO_EAGAIN);
		while ((n = mio_named_pipe_read(&server, in + got,
						TOTAL - got)) > 0)
			got += (size_t)n;
		if (got < TOTAL) {
			ASSERT_ERR(n, MIO_EAGAIN);
			ASSERT_OK(mio_poll_poll(poll, events, &t));
		}
	}
	ASSERT_UEQ(got, TOTAL);
	ASSERT(memcmp(in, out, TOTAL) == 0);
	ASSERT_OK(mio_named_pipe_close(&client));
	ASSERT_OK(mio_named_pipe_close(&server));
	poll_teardown(poll, events);
	free(in);
	free(out);
}

/* The client goes: the server reads end of stream, then takes another. */
static void disconnect_and_reconnect(void)
{
	mio_named_pipe server, client;
	mio_poll *poll;
	mio_events *events;
	const char *name = pipe_name();
	char buf[16];
	mio_ssize n;

	poll_setup(&poll, &events);
	connected_pair(poll, events, name, &server, &client);
	ASSERT_OK(mio_named_pipe_close(&client));
	struct expect_event r = { SERVER, EXPECT_READABLE };
	expect_events(poll, events, &r, 1);
	ASSERT_EQ(mio_named_pipe_read(&server, buf, sizeof(buf)), 0);

	ASSERT_OK(mio_named_pipe_disconnect(&server));
	ASSERT_ERR(mio_named_pipe_connect(&server), MIO_EAGAIN);
	ASSERT_OK(mio_named_pipe_open(&client, name));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &client.source,
					CLIENT, MIO_READABLE | MIO_WRITABLE));
	struct expect_event want[] = { { SERVER, EXPECT_WRITABLE },
				       { CLIENT, EXPECT_WRITABLE } };
	expect_events(poll, events, want, 2);
	ASSERT_EQ(mio_named_pipe_write(&client, "again", 5), 5);
	/* Nothing of the old client may show up: only the new bytes. */
	for (int i = 0; (n = mio_named_pipe_read(&server, buf, sizeof(buf))) ==
				MIO_EAGAIN &&
			i < 10;
	     i++)
		expect_events(poll, events, &r, 1);
	ASSERT_EQ(n, 5);
	ASSERT(memcmp(buf, "again", 5) == 0);
	ASSERT_OK(mio_named_pipe_close(&client));
	ASSERT_OK(mio_named_pipe_close(&server));
	poll_teardown(poll, events);
}

static void bad_input(void)
{
	mio_named_pipe p, q;
	mio_poll *poll;
	mio_events *events;
	char name[400];
	char buf[4];

	ASSERT_ERR(mio_named_pipe_new(NULL, "\\\\.\\pipe\\x"), MIO_EINVAL);
	ASSERT_ERR(mio_named_pipe_new(&p, NULL), MIO_EINVAL);
	ASSERT(p.source.fd == MIO_INVALID_FD);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ASSERT_ERR(mio_named_pipe_new(&p, name), MIO_ENAMETOOLONG);
	ASSERT_ERR(mio_named_pipe_open(&p, pipe_name()), MIO_ENOENT);
	ASSERT(p.source.fd == MIO_INVALID_FD);
	ASSERT_ERR(mio_named_pipe_from_handle(&p, INVALID_HANDLE_VALUE),
		   MIO_EBADF);

	/*
	 * A second first instance of one name is refused. Wine ignores
	 * FILE_FLAG_FIRST_PIPE_INSTANCE, so only Windows can check it.
	 */
	const char *taken = pipe_name();
	ASSERT_OK(mio_named_pipe_new(&p, taken));
	if (!test_under_wine()) {
		ASSERT_ERR(mio_named_pipe_new(&q, taken), MIO_EACCES);
		ASSERT(q.source.fd == MIO_INVALID_FD);
	} else {
		printf("# Wine: FILE_FLAG_FIRST_PIPE_INSTANCE not checked\n");
	}

	/* Unregistered: no I/O, no connect. */
	ASSERT_ERR(mio_named_pipe_read(&p, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_ERR(mio_named_pipe_write(&p, "x", 1), MIO_EAGAIN);
	ASSERT_ERR(mio_named_pipe_connect(&p), MIO_EINVAL);

	/* Registration follows the usual rules. */
	poll_setup(&poll, &events);
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &p.source, 1,
					MIO_READABLE));
	ASSERT_ERR(mio_registry_register(mio_poll_registry(poll), &p.source, 1,
					 MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_OK(mio_registry_reregister(mio_poll_registry(poll), &p.source, 2,
					  MIO_WRITABLE));
	ASSERT_OK(mio_registry_deregister(mio_poll_registry(poll), &p.source));
	ASSERT_ERR(mio_registry_deregister(mio_poll_registry(poll), &p.source),
		   MIO_ENOENT);

	ASSERT_OK(mio_named_pipe_close(&p));
	ASSERT(p.source.fd == MIO_INVALID_FD);
	ASSERT_OK(mio_named_pipe_close(&p));
	ASSERT_ERR(mio_named_pipe_read(&p, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_named_pipe_write(&p, "x", 1), MIO_EBADF);
	ASSERT_ERR(mio_named_pipe_close(NULL), MIO_EINVAL);
	poll_teardown(poll, events);
}

/*
 * Closing with a connect and a read in flight, then freeing the poll:
 * every handle is released once the cancelled operations come back.
 */
static void close_in_flight(void)
{
	mio_named_pipe server, client, lonely;
	mio_poll *poll;
	mio_events *events;
	int handles = count_open_fds();

	poll_setup(&poll, &events);
	connected_pair(poll, events, pipe_name(), &server, &client);
	ASSERT_OK(mio_named_pipe_new(&lonely, pipe_name()));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &lonely.source,
					3, MIO_READABLE));
	ASSERT_ERR(mio_named_pipe_connect(&lonely), MIO_EAGAIN);
	ASSERT_OK(mio_named_pipe_close(&lonely));
	ASSERT_OK(mio_named_pipe_close(&server));
	/* The client's peer is gone: it reads end of stream. */
	char buf[4];
	struct expect_event r = { CLIENT, EXPECT_READABLE };
	expect_events(poll, events, &r, 1);
	ASSERT_EQ(mio_named_pipe_read(&client, buf, sizeof(buf)), 0);
	ASSERT_OK(mio_named_pipe_close(&client));
	poll_teardown(poll, events);
	ASSERT_EQ(count_open_fds(), handles);
}

/* The poll freed first: the pipe becomes unregistered, close still works. */
static void poll_freed_first(void)
{
	mio_named_pipe server, client;
	mio_poll *poll;
	mio_events *events;
	char buf[4];
	int handles = count_open_fds();

	poll_setup(&poll, &events);
	connected_pair(poll, events, pipe_name(), &server, &client);
	/* Freeing the poll cancels the reads in flight and waits for them. */
	poll_teardown(poll, events);
	ASSERT_ERR(mio_named_pipe_read(&server, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_ERR(mio_named_pipe_write(&server, "x", 1), MIO_EAGAIN);
	/* Its handle is tied to the old port for good. */
	poll_setup(&poll, &events);
	ASSERT_ERR(mio_registry_register(mio_poll_registry(poll),
					 &server.source, 1, MIO_READABLE),
		   MIO_ENOTSUP);
	ASSERT_OK(mio_named_pipe_close(&server));
	ASSERT_OK(mio_named_pipe_close(&client));
	poll_teardown(poll, events);
	ASSERT_EQ(count_open_fds(), handles);
}

/*
 * Pipes closed while their poll lives are released by that poll's next
 * waits, with no event for them: a server that makes a pipe instance per
 * client holds no more than it has open.
 */
static void closed_while_poll_lives(void)
{
	enum { PAIRS = 16 };
	mio_named_pipe server, client;
	mio_poll *poll;
	mio_events *events;
	int handles;

	poll_setup(&poll, &events);
	handles = count_open_fds();
	for (int i = 0; i < PAIRS; i++) {
		connected_pair(poll, events, pipe_name(), &server, &client);
		ASSERT_OK(mio_named_pipe_close(&client));
		ASSERT_OK(mio_named_pipe_close(&server));
	}
	struct timespec t = { 0, 50 * 1000 * 1000 };
	for (int round = 0; round < 40 && count_open_fds() > handles; round++) {
		ASSERT_OK(mio_poll_poll(poll, events, &t));
		ASSERT(mio_events_is_empty(events));
	}
	ASSERT_EQ(count_open_fds(), handles);
	poll_teardown(poll, events);
}

int main(void)
{
	RUN(connect_read_write);
	RUN(large_transfer);
	RUN(disconnect_and_reconnect);
	RUN(bad_input);
	RUN(close_in_flight);
	RUN(poll_freed_first);
	RUN(closed_while_poll_lives);
	return test_summary();
}
