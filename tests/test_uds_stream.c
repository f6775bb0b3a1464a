/*
 * mio_unix_stream (mio's tests/unix_stream.rs): connecting, pairs, reads
 * and writes until MIO_EAGAIN, vectored I/O, addresses, shutdown of each
 * half and the events it causes, peer close, the close rule, bad input.
 *
 * SIGPIPE keeps its default action here: a write that raised it would
 * kill the test, which is how "stream writes never raise SIGPIPE" is
 * checked.
 */

#include <limits.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "test.h"

#define PATH_OFFSET offsetof(struct sockaddr_un, sun_path)
#define PATH_SIZE sizeof(((struct sockaddr_un *)0)->sun_path)

static const char DATA1[] = "Hello same host!";
static const char DATA2[] = "Why hello mio!";
#define DATA1_LEN (sizeof(DATA1) - 1)
#define DATA2_LEN (sizeof(DATA2) - 1)

enum { TOKEN_1 = 0, TOKEN_2 = 1 };

static struct poll_fixture fx;

static const char *sock_path(char *buf, size_t size, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", test_temp_dir(), name);
	ASSERT(n > 0 && (size_t)n < size);
	return buf;
}

static void assert_inert(const mio_source *s)
{
	ASSERT_EQ(s->fd, -1);
}

/* A listener at `name`, a client connected to it and the accepted end. */
struct conn {
	char path[256];
	mio_unix_listener listener;
	mio_unix_stream client;
	mio_unix_stream server;
};

static void conn_open(struct conn *c, const char *name)
{
	sock_path(c->path, sizeof(c->path), name);
	ASSERT_OK(mio_unix_listener_bind(&c->listener, c->path));
	ASSERT_OK(mio_unix_stream_connect(&c->client, c->path));
	ASSERT_OK(mio_unix_listener_accept(&c->listener, &c->server, NULL));
}

static void conn_close(struct conn *c)
{
	ASSERT_OK(mio_unix_stream_close(&c->client));
	ASSERT_OK(mio_unix_stream_close(&c->server));
	ASSERT_OK(mio_unix_listener_close(&c->listener));
}

/* Reads exactly the bytes of want. */
static void expect_read(mio_unix_stream *s, const char *want, size_t len)
{
	char buf[64];

	ASSERT(len <= sizeof(buf));
	ASSERT_EQ(mio_unix_stream_read(s, buf, sizeof(buf)), len);
	ASSERT(memcmp(buf, want, len) == 0);
}

/* Echoes everything pending on s back to it. */
static void echo(mio_unix_stream *s)
{
	char buf[256];
	mio_ssize n;

	while ((n = mio_unix_stream_read(s, buf, sizeof(buf))) > 0)
		ASSERT_EQ(mio_unix_stream_write(s, buf, (size_t)n), n);
	ASSERT_ERR(n, MIO_EAGAIN);
}

/* mio's smoke_test: `stream` is connected to `echo_end`. */
static void smoke(mio_unix_stream *stream, mio_unix_stream *echo_end)
{
	char buf[64];

	assert_nonblocking(stream->source.fd);
	assert_cloexec(stream->source.fd);
	ASSERT_OK(mio_registry_register(fx.registry, &stream->source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);

	ASSERT_ERR(mio_unix_stream_read(stream, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_unix_stream_write(stream, DATA1, DATA1_LEN), DATA1_LEN);
	echo(echo_end);
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE);
	expect_read(stream, DATA1, DATA1_LEN);
	ASSERT_EQ(mio_unix_stream_take_error(stream), 0);
	ASSERT_ERR(mio_unix_stream_read(stream, buf, sizeof(buf)), MIO_EAGAIN);

	mio_iovec out[2] = { { .base = (void *)DATA1, .len = DATA1_LEN },
			     { .base = (void *)DATA2, .len = DATA2_LEN } };
	ASSERT_EQ(mio_unix_stream_writev(stream, out, 2),
		  DATA1_LEN + DATA2_LEN);
	echo(echo_end);
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE);

	char buf1[DATA1_LEN], buf2[DATA2_LEN + 1];
	memset(buf2, 2, sizeof(buf2));
	mio_iovec in[2] = { { .base = buf1, .len = sizeof(buf1) },
			    { .base = buf2, .len = sizeof(buf2) } };
	ASSERT_EQ(mio_unix_stream_readv(stream, in, 2), DATA1_LEN + DATA2_LEN);
	ASSERT(memcmp(buf1, DATA1, DATA1_LEN) == 0);
	ASSERT(memcmp(buf2, DATA2, DATA2_LEN) == 0);
	ASSERT_EQ(buf2[DATA2_LEN], 2); /* the last byte is untouched */
	ASSERT_ERR(mio_unix_stream_readv(stream, in, 2), MIO_EAGAIN);
}

static void stream_smoke(void)
{
	struct conn c;

	poll_fixture_setup(&fx);
	conn_open(&c, "smoke");
	assert_nonblocking(c.server.source.fd);
	assert_cloexec(c.server.source.fd);
	smoke(&c.client, &c.server);
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

static void stream_connect_addr(void)
{
	char path[256];
	mio_unix_listener l;
	mio_unix_stream client, server;
	mio_unix_addr addr;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_listener_bind(
		&l, sock_path(path, sizeof(path), "connect_addr")));
	ASSERT_OK(mio_unix_listener_local_addr(&l, &addr));
	ASSERT_OK(mio_unix_stream_connect_addr(&client, &addr));
	ASSERT_OK(mio_unix_listener_accept(&l, &server, NULL));
	smoke(&client, &server);

	/* The server closes: the client sees it. */
	ASSERT_OK(mio_unix_stream_close(&server));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE | EXPECT_READ_CLOSED);
	ASSERT_EQ(mio_unix_stream_read(&client, path, 1), 0);
	ASSERT_OK(mio_unix_stream_close(&client));
	ASSERT_OK(mio_unix_listener_close(&l));
	poll_fixture_teardown(&fx);
}

static void stream_from_fd(void)
{
	struct sockaddr_un sa = { 0 };
	char path[256];
	mio_unix_listener l;
	mio_unix_stream client, server;
	int fd;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_listener_bind(
		&l, sock_path(path, sizeof(path), "from_fd")));
	/* A blocking client, not close-on-exec, made without the library. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT(fd >= 0);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	ASSERT_EQ(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ASSERT_OK(mio_unix_stream_from_fd(&client, fd));
	ASSERT_EQ(client.source.fd, fd);
	ASSERT_OK(mio_unix_listener_accept(&l, &server, NULL));
	smoke(&client, &server);
	ASSERT_OK(mio_unix_stream_close(&client));
	ASSERT_OK(mio_unix_stream_close(&server));
	ASSERT_OK(mio_unix_listener_close(&l));
	poll_fixture_teardown(&fx);
}

/* from_fd does not check the descriptor's type (a datagram socket here). */
static void from_fd_any_type(void)
{
	int sv[2];
	mio_unix_stream s;
	mio_unix_datagram peer;

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	ASSERT_OK(mio_unix_stream_from_fd(&s, sv[0]));
	ASSERT_EQ(s.source.fd, sv[0]);
	assert_nonblocking(sv[0]);
	assert_cloexec(sv[0]);
	ASSERT_OK(mio_unix_datagram_from_fd(&peer, sv[1]));
	/* It is still what it was: a datagram goes through whole. */
	ASSERT_EQ(mio_unix_datagram_send(&peer, DATA1, DATA1_LEN), DATA1_LEN);
	expect_read(&s, DATA1, DATA1_LEN);
	ASSERT_OK(mio_unix_stream_close(&s));
	ASSERT_OK(mio_unix_datagram_close(&peer));
}

static void stream_pair(void)
{
	mio_unix_stream s1, s2;
	char buf[64];

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_stream_pair(&s1, &s2));
	assert_nonblocking(s1.source.fd);
	assert_cloexec(s1.source.fd);
	assert_nonblocking(s2.source.fd);
	assert_cloexec(s2.source.fd);
	ASSERT_OK(mio_registry_register(fx.registry, &s1.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &s2.source, TOKEN_2,
					MIO_READABLE | MIO_WRITABLE));
	struct expect_event both[] = { { TOKEN_1, EXPECT_WRITABLE },
				       { TOKEN_2, EXPECT_WRITABLE } };
	expect_events(fx.poll, fx.events, both, 2);

	ASSERT_ERR(mio_unix_stream_read(&s1, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_unix_stream_write(&s1, DATA1, DATA1_LEN), DATA1_LEN);
	poll_fixture_expect(&fx, TOKEN_2, EXPECT_READABLE);
	expect_read(&s2, DATA1, DATA1_LEN);
	ASSERT_ERR(mio_unix_stream_read(&s2, buf, sizeof(buf)), MIO_EAGAIN);

	ASSERT_EQ(mio_unix_stream_write(&s2, DATA2, DATA2_LEN), DATA2_LEN);
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE);
	expect_read(&s1, DATA2, DATA2_LEN);
	ASSERT_ERR(mio_unix_stream_read(&s1, buf, sizeof(buf)), MIO_EAGAIN);

	/* A pair's addresses are unnamed. */
	mio_unix_addr addr;
	ASSERT_OK(mio_unix_stream_local_addr(&s1, &addr));
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_UEQ(addr.len, PATH_OFFSET);
	ASSERT_OK(mio_unix_stream_peer_addr(&s1, &addr));
	ASSERT(mio_unix_addr_is_unnamed(&addr));

	ASSERT_OK(mio_unix_stream_close(&s1));
	ASSERT_OK(mio_unix_stream_close(&s2));
	poll_fixture_teardown(&fx);
}

static void stream_peer_addr(void)
{
	struct conn c;
	mio_unix_addr addr;

	conn_open(&c, "peer_addr");
	ASSERT_OK(mio_unix_stream_peer_addr(&c.client, &addr));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&addr), c.path);
	ASSERT_UEQ(addr.len, PATH_OFFSET + strlen(c.path) + 1);
	ASSERT_OK(mio_unix_stream_local_addr(&c.client, &addr));
	ASSERT(mio_unix_addr_pathname(&addr) == NULL);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_UEQ(addr.len, PATH_OFFSET);
	ASSERT_OK(mio_unix_stream_local_addr(&c.server, &addr));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&addr), c.path);
	ASSERT_OK(mio_unix_stream_peer_addr(&c.server, &addr));
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	conn_close(&c);
}

static void shutdown_read(void)
{
	struct conn c;

	poll_fixture_setup(&fx);
	conn_open(&c, "shutdown_read");
	ASSERT_OK(mio_registry_register(fx.registry, &c.client.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	ASSERT_EQ(mio_unix_stream_write(&c.client, DATA1, DATA1_LEN),
		  DATA1_LEN);
	echo(&c.server);
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE);

	ASSERT_OK(mio_unix_stream_shutdown(&c.client, MIO_SHUTDOWN_READ));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READ_CLOSED);
	/* Writing is still allowed. */
	ASSERT_EQ(mio_unix_stream_write(&c.client, DATA2, DATA2_LEN),
		  DATA2_LEN);
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

static void shutdown_write(void)
{
	struct conn c;
	char buf[64];

	poll_fixture_setup(&fx);
	conn_open(&c, "shutdown_write");
	ASSERT_OK(mio_registry_register(fx.registry, &c.client.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &c.server.source, TOKEN_2,
					MIO_READABLE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	ASSERT_EQ(mio_unix_stream_write(&c.client, DATA1, DATA1_LEN),
		  DATA1_LEN);
	poll_fixture_expect(&fx, TOKEN_2, EXPECT_READABLE);
	echo(&c.server);
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE);

	ASSERT_OK(mio_unix_stream_shutdown(&c.client, MIO_SHUTDOWN_WRITE));
	/* The peer sees the end of the stream after the data. */
	poll_fixture_expect(&fx, TOKEN_2, EXPECT_READABLE | EXPECT_READ_CLOSED);
	ASSERT_EQ(mio_unix_stream_read(&c.server, buf, sizeof(buf)), 0);

	/* Writing fails, without SIGPIPE; reading still works. */
	ASSERT_ERR(mio_unix_stream_write(&c.client, DATA2, DATA2_LEN),
		   MIO_EPIPE);
	mio_iovec iov = { .base = (void *)DATA2, .len = DATA2_LEN };
	ASSERT_ERR(mio_unix_stream_writev(&c.client, &iov, 1), MIO_EPIPE);
	expect_read(&c.client, DATA1, DATA1_LEN);
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

static void shutdown_both(void)
{
	struct conn c;

	poll_fixture_setup(&fx);
	conn_open(&c, "shutdown_both");
	ASSERT_OK(mio_registry_register(fx.registry, &c.client.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &c.server.source, TOKEN_2,
					MIO_READABLE | MIO_WRITABLE));
	struct expect_event both[] = { { TOKEN_1, EXPECT_WRITABLE },
				       { TOKEN_2, EXPECT_WRITABLE } };
	expect_events(fx.poll, fx.events, both, 2);

	ASSERT_OK(mio_unix_stream_shutdown(&c.client, MIO_SHUTDOWN_BOTH));
	struct expect_event closed[] = {
		{ TOKEN_1, EXPECT_READ_CLOSED | EXPECT_WRITE_CLOSED },
		{ TOKEN_2, EXPECT_READ_CLOSED },
	};
	expect_events(fx.poll, fx.events, closed, 2);
	ASSERT_ERR(mio_unix_stream_write(&c.client, DATA2, DATA2_LEN),
		   MIO_EPIPE);
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

/* mio's shutdown_listener_write: the accepted end stops writing. */
static void peer_shutdown_write(void)
{
	struct conn c;
	char buf[64];

	poll_fixture_setup(&fx);
	conn_open(&c, "peer_shutdown_write");
	ASSERT_OK(mio_registry_register(fx.registry, &c.client.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	ASSERT_EQ(mio_unix_stream_write(&c.server, DATA1, DATA1_LEN),
		  DATA1_LEN);
	ASSERT_OK(mio_unix_stream_shutdown(&c.server, MIO_SHUTDOWN_WRITE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE | EXPECT_READ_CLOSED);
	/* The data first, then the end of the stream. */
	expect_read(&c.client, DATA1, DATA1_LEN);
	ASSERT_EQ(mio_unix_stream_read(&c.client, buf, sizeof(buf)), 0);
	/* The other direction still works. */
	ASSERT_EQ(mio_unix_stream_write(&c.client, DATA2, DATA2_LEN),
		  DATA2_LEN);
	expect_read(&c.server, DATA2, DATA2_LEN);
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

static void peer_close(void)
{
	mio_unix_stream s1, s2;
	char buf[64];

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_stream_pair(&s1, &s2));
	ASSERT_OK(mio_registry_register(fx.registry, &s1.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	ASSERT_EQ(mio_unix_stream_write(&s2, DATA1, DATA1_LEN), DATA1_LEN);
	ASSERT_OK(mio_unix_stream_close(&s2));
	/* write_closed too on epoll; test_uds_readiness has the details. */
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE | EXPECT_READ_CLOSED);
	/* What was sent before the close is still delivered. */
	expect_read(&s1, DATA1, DATA1_LEN);
	ASSERT_EQ(mio_unix_stream_read(&s1, buf, sizeof(buf)), 0);
	/* No SIGPIPE: the write just fails. */
	ASSERT_ERR(mio_unix_stream_write(&s1, DATA2, DATA2_LEN), MIO_EPIPE);
	ASSERT_OK(mio_unix_stream_close(&s1));
	poll_fixture_teardown(&fx);
}

/*
 * Edge-triggered writes: fill the socket until MIO_EAGAIN, then a new
 * writable event comes only once the peer has made room.
 */
static void write_until_would_block(void)
{
	static char chunk[4096];
	static char sink[65536];
	mio_unix_stream s1, s2;
	mio_ssize n;
	size_t written = 0, got = 0;

	poll_fixture_setup(&fx);
	memset(chunk, 'w', sizeof(chunk));
	ASSERT_OK(mio_unix_stream_pair(&s1, &s2));
	ASSERT_OK(mio_registry_register(fx.registry, &s1.source, TOKEN_1,
					MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &s2.source, TOKEN_2,
					MIO_READABLE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	while ((n = mio_unix_stream_write(&s1, chunk, sizeof(chunk))) > 0)
		written += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	ASSERT(written > 0);
	poll_fixture_expect(&fx, TOKEN_2, EXPECT_READABLE);
	expect_no_events(fx.poll, fx.events);

	while ((n = mio_unix_stream_read(&s2, sink, sizeof(sink))) > 0)
		got += (size_t)n;
	ASSERT_ERR(n, MIO_EAGAIN);
	ASSERT_UEQ(got, written);
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	ASSERT_OK(mio_unix_stream_close(&s1));
	ASSERT_OK(mio_unix_stream_close(&s2));
	poll_fixture_teardown(&fx);
}

/* Accepting, reading and writing allocate nothing (the API's promise). */
static void io_allocates_nothing(void)
{
	struct conn c;
	mio_unix_stream extra, accepted, none;
	mio_unix_addr peer;
	char buf[64];

	poll_fixture_setup(&fx);
	conn_open(&c, "no_alloc");
	ASSERT_OK(mio_registry_register(fx.registry, &c.client.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	ASSERT_OK(mio_unix_stream_connect(&extra, c.path));

	alloc_count_reset();
	ASSERT_OK(mio_unix_listener_accept(&c.listener, &accepted, &peer));
	ASSERT_ERR(mio_unix_listener_accept(&c.listener, &none, NULL),
		   MIO_EAGAIN);
	ASSERT_EQ(mio_unix_stream_write(&c.client, DATA1, DATA1_LEN),
		  DATA1_LEN);
	mio_iovec iov = { .base = (void *)DATA2, .len = DATA2_LEN };
	ASSERT_EQ(mio_unix_stream_writev(&c.client, &iov, 1), DATA2_LEN);
	ASSERT_EQ(mio_unix_stream_read(&c.server, buf, sizeof(buf)),
		  DATA1_LEN + DATA2_LEN);
	ASSERT_ERR(mio_unix_stream_read(&c.client, buf, sizeof(buf)),
		   MIO_EAGAIN);
	iov.base = buf;
	iov.len = sizeof(buf);
	ASSERT_ERR(mio_unix_stream_readv(&c.client, &iov, 1), MIO_EAGAIN);
	ASSERT_OK(mio_unix_stream_local_addr(&c.client, &peer));
	ASSERT_OK(mio_unix_stream_peer_addr(&c.client, &peer));
	long n = alloc_count();
	if (n >= 0)
		ASSERT_EQ(n, 0);

	ASSERT_OK(mio_unix_stream_close(&accepted));
	ASSERT_OK(mio_unix_stream_close(&extra));
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

static void stream_register(void)
{
	struct conn c;

	poll_fixture_setup(&fx);
	conn_open(&c, "register");
	ASSERT_OK(mio_registry_register(fx.registry, &c.client.source, TOKEN_1,
					MIO_READABLE));
	expect_no_events(fx.poll, fx.events);
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

static void stream_reregister(void)
{
	struct conn c;

	poll_fixture_setup(&fx);
	conn_open(&c, "reregister");
	ASSERT_OK(mio_registry_register(fx.registry, &c.client.source, TOKEN_1,
					MIO_READABLE));
	ASSERT_OK(mio_registry_reregister(fx.registry, &c.client.source,
					  TOKEN_2, MIO_WRITABLE));
	poll_fixture_expect(&fx, TOKEN_2, EXPECT_WRITABLE);
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

static void stream_deregister(void)
{
	struct conn c;

	poll_fixture_setup(&fx);
	conn_open(&c, "deregister");
	ASSERT_OK(mio_registry_register(fx.registry, &c.client.source, TOKEN_1,
					MIO_WRITABLE));
	ASSERT_OK(mio_registry_deregister(fx.registry, &c.client.source));
	expect_no_events(fx.poll, fx.events);
	conn_close(&c);
	poll_fixture_teardown(&fx);
}

/* A dup of a closed stream's descriptor delivers no events. */
static void close_deregisters(void)
{
	mio_unix_stream s1, s2;
	int dup_fd;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_stream_pair(&s1, &s2));
	ASSERT_OK(mio_registry_register(fx.registry, &s1.source, TOKEN_1,
					MIO_READABLE));
	dup_fd = dup(s1.source.fd);
	ASSERT(dup_fd >= 0);
	ASSERT_OK(mio_unix_stream_close(&s1));
	ASSERT_EQ(mio_unix_stream_write(&s2, DATA1, DATA1_LEN), DATA1_LEN);
	expect_no_events(fx.poll, fx.events);
	close(dup_fd);
	ASSERT_OK(mio_unix_stream_close(&s2));
	poll_fixture_teardown(&fx);
}

/*
 * A registered stream may be moved (copied bytewise, as realloc of an
 * array of connections does); the copy then does everything, close too.
 */
static void moved_stream(void)
{
	mio_unix_stream s1, s2, *moved;
	int dup_fd;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_stream_pair(&s1, &s2));
	ASSERT_OK(mio_registry_register(fx.registry, &s1.source, TOKEN_1,
					MIO_READABLE));
	moved = malloc(sizeof(*moved));
	ASSERT(moved != NULL);
	memcpy(moved, &s1, sizeof(s1));
	memset(&s1, 0xa5, sizeof(s1));
	ASSERT_EQ(mio_unix_stream_write(&s2, DATA1, DATA1_LEN), DATA1_LEN);
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READABLE);
	expect_read(moved, DATA1, DATA1_LEN);
	ASSERT_OK(mio_registry_reregister(fx.registry, &moved->source, TOKEN_2,
					  MIO_READABLE));
	/* Its close deregisters: a dup of the descriptor stays quiet. */
	dup_fd = dup(moved->source.fd);
	ASSERT(dup_fd >= 0);
	ASSERT_OK(mio_unix_stream_close(moved));
	ASSERT_EQ(mio_unix_stream_write(&s2, DATA2, DATA2_LEN), DATA2_LEN);
	expect_no_events(fx.poll, fx.events);
	free(moved);
	close(dup_fd);
	ASSERT_OK(mio_unix_stream_close(&s2));
	poll_fixture_teardown(&fx);
}

static void connect_bad_input(void)
{
	char path[512];
	mio_unix_stream s;
	mio_unix_addr addr;
	mio_unix_listener l;
	int fds = count_open_fds();

	memset(path, 'x', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	s.source.fd = 12345;
	ASSERT_ERR(mio_unix_stream_connect(&s, path), MIO_ENAMETOOLONG);
	assert_inert(&s.source);
	path[PATH_SIZE] = '\0';
	ASSERT_ERR(mio_unix_stream_connect(&s, path), MIO_ENAMETOOLONG);
	assert_inert(&s.source);
	ASSERT_ERR(mio_unix_stream_connect(&s, ""), MIO_EINVAL);
	assert_inert(&s.source);
	ASSERT_ERR(mio_unix_stream_connect(&s, NULL), MIO_EINVAL);
	assert_inert(&s.source);
	ASSERT_ERR(mio_unix_stream_connect(NULL, "/x"), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_connect_addr(&s, NULL), MIO_EINVAL);
	assert_inert(&s.source);
	ASSERT_OK(mio_unix_addr_from_pathname(&addr, "/x"));
	addr.len = (socklen_t)sizeof(addr.addr) + 1;
	ASSERT_ERR(mio_unix_stream_connect_addr(&s, &addr), MIO_EINVAL);
	assert_inert(&s.source);

	/* The OS's errors, with the socket closed again. */
	ASSERT_ERR(mio_unix_stream_connect(
			   &s, sock_path(path, sizeof(path), "nobody")),
		   MIO_ENOENT);
	assert_inert(&s.source);
	/* A socket file whose listener is gone refuses. */
	ASSERT_OK(mio_unix_listener_bind(
		&l, sock_path(path, sizeof(path), "stale")));
	ASSERT_OK(mio_unix_listener_close(&l));
	ASSERT_ERR(mio_unix_stream_connect(&s, path), MIO_ECONNREFUSED);
	assert_inert(&s.source);
	ASSERT_EQ(count_open_fds(), fds);
}

/*
 * A Unix-domain connect does not wait: with the listener's backlog full it
 * fails with MIO_EAGAIN at once, and leaves nothing open.
 */
static void connect_backlog_full(void)
{
	char path[256];
	mio_unix_listener l;
	mio_unix_stream s[4];
	int fd, fds, i, err = 0;

	sock_path(path, sizeof(path), "backlog");
	ASSERT_OK(mio_unix_listener_bind(&l, path));
	/* The smallest backlog the system takes. */
	fd = l.source.fd;
	ASSERT_EQ(listen(fd, 0), 0);
	for (i = 0; i < 4; i++) {
		fds = count_open_fds();
		err = mio_unix_stream_connect(&s[i], path);
		if (err < 0)
			break;
	}
	ASSERT_ERR(err, MIO_EAGAIN);
	assert_inert(&s[i].source);
	ASSERT_EQ(count_open_fds(), fds);
	while (i-- > 0)
		ASSERT_OK(mio_unix_stream_close(&s[i]));
	ASSERT_OK(mio_unix_listener_close(&l));
}

static void closed_stream(void)
{
	mio_unix_stream s1, s2;
	mio_unix_addr addr;
	char buf[8] = { 0 };
	mio_iovec iov = { .base = buf, .len = sizeof(buf) };
	int fds = count_open_fds();

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_stream_pair(&s1, &s2));
	ASSERT_OK(mio_unix_stream_close(&s1));
	assert_inert(&s1.source);
	ASSERT_ERR(mio_unix_stream_read(&s1, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_write(&s1, buf, sizeof(buf)), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_readv(&s1, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_writev(&s1, &iov, 1), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_shutdown(&s1, MIO_SHUTDOWN_BOTH), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_take_error(&s1), MIO_EBADF);
	ASSERT_ERR(mio_unix_stream_local_addr(&s1, &addr), MIO_EBADF);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_ERR(mio_unix_stream_peer_addr(&s1, &addr), MIO_EBADF);
	ASSERT_ERR(mio_registry_register(fx.registry, &s1.source, TOKEN_1,
					 MIO_READABLE),
		   MIO_EBADF);
	/* Closing again is a no-op. */
	ASSERT_OK(mio_unix_stream_close(&s1));
	ASSERT_OK(mio_unix_stream_close(&s2));
	poll_fixture_teardown(&fx);
	ASSERT_EQ(count_open_fds(), fds);
}

static void bad_arguments(void)
{
	static mio_iovec many[IOV_MAX + 1];
	mio_unix_stream s1, s2;
	mio_unix_addr addr;
	char buf[8];
	int fds = count_open_fds();

	s2.source.fd = 12345;
	ASSERT_ERR(mio_unix_stream_pair(NULL, &s2), MIO_EINVAL);
	assert_inert(&s2.source);
	s1.source.fd = 12345;
	ASSERT_ERR(mio_unix_stream_pair(&s1, NULL), MIO_EINVAL);
	assert_inert(&s1.source);
	ASSERT_EQ(count_open_fds(), fds);

	ASSERT_OK(mio_unix_stream_pair(&s1, &s2));
	ASSERT_ERR(mio_unix_stream_read(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_read(&s1, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_write(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_write(&s1, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_readv(&s1, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_writev(&s1, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_readv(NULL, many, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_writev(NULL, many, 1), MIO_EINVAL);
	/* More buffers than the OS takes at once. */
	ASSERT_ERR(mio_unix_stream_writev(&s1, many, IOV_MAX + 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_readv(&s1, many, IOV_MAX + 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_shutdown(&s1, (mio_shutdown)7), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_shutdown(NULL, MIO_SHUTDOWN_READ),
		   MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_take_error(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_local_addr(&s1, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_peer_addr(NULL, &addr), MIO_EINVAL);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_ERR(mio_unix_stream_from_fd(NULL, s1.source.fd), MIO_EINVAL);
	ASSERT_ERR(mio_unix_stream_close(NULL), MIO_EINVAL);
	/* Zero-length I/O is no error. */
	ASSERT_EQ(mio_unix_stream_write(&s1, NULL, 0), 0);
	ASSERT_OK(mio_unix_stream_close(&s1));
	ASSERT_OK(mio_unix_stream_close(&s2));

	s1.source.fd = 12345;
	ASSERT_ERR(mio_unix_stream_from_fd(&s1, -1), MIO_EBADF);
	assert_inert(&s1.source);
	ASSERT_EQ(count_open_fds(), fds);
}

int main(void)
{
	RUN(stream_smoke);
	RUN(stream_connect_addr);
	RUN(stream_from_fd);
	RUN(from_fd_any_type);
	RUN(stream_pair);
	RUN(stream_peer_addr);
	RUN(shutdown_read);
	RUN(shutdown_write);
	RUN(shutdown_both);
	RUN(peer_shutdown_write);
	RUN(peer_close);
	RUN(write_until_would_block);
	RUN(io_allocates_nothing);
	RUN(stream_register);
	RUN(stream_reregister);
	RUN(stream_deregister);
	RUN(close_deregisters);
	RUN(moved_stream);
	RUN(connect_bad_input);
	RUN(connect_backlog_full);
	RUN(closed_stream);
	RUN(bad_arguments);
	return test_summary();
}
