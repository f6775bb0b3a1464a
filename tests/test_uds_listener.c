/*
 * mio_unix_listener (mio's tests/unix_listener.rs): binding, accepting,
 * addresses, registration, the close rule, and bad input.
 */

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "test.h"

#define PATH_OFFSET offsetof(struct sockaddr_un, sun_path)
#define PATH_SIZE sizeof(((struct sockaddr_un *)0)->sun_path)

enum { LISTENER = 1, CLIENT = 2 };

static struct poll_fixture fx;

/* A socket path in the test's private directory. */
static const char *sock_path(char *buf, size_t size, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", test_temp_dir(), name);
	ASSERT(n > 0 && (size_t)n < size);
	return buf;
}

/* A plain blocking client, made and connected without the library. */
static int raw_connect(const char *path)
{
	struct sockaddr_un sa = { 0 };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ASSERT(fd >= 0);
	sa.sun_family = AF_UNIX;
	ASSERT(strlen(path) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, path);
	ASSERT_EQ(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void assert_inert(const mio_source *s)
{
	ASSERT_EQ(s->fd, -1);
}

/* What mio's smoke_test checks, for a listener made either way. */
static void smoke(mio_unix_listener *l, const char *path)
{
	mio_unix_stream conn;
	char buf[64];
	int client;

	assert_nonblocking(l->source.fd);
	assert_cloexec(l->source.fd);
	ASSERT_OK(mio_registry_register(fx.registry, &l->source, LISTENER,
					MIO_READABLE | MIO_WRITABLE));
	expect_no_events(fx.poll, fx.events);

	client = raw_connect(path);
	poll_fixture_expect(&fx, LISTENER, EXPECT_READABLE);

	ASSERT_OK(mio_unix_listener_accept(l, &conn, NULL));
	assert_nonblocking(conn.source.fd);
	assert_cloexec(conn.source.fd);
	ASSERT_ERR(mio_unix_stream_read(&conn, buf, sizeof(buf)), MIO_EAGAIN);

	/* Nothing more pending: MIO_EAGAIN, and the output stays inert. */
	mio_unix_stream none;
	none.source.fd = 12345;
	ASSERT_ERR(mio_unix_listener_accept(l, &none, NULL), MIO_EAGAIN);
	assert_inert(&none.source);
	ASSERT_EQ(mio_unix_listener_take_error(l), 0);

	ASSERT_OK(mio_unix_stream_close(&conn));
	close(client);
	ASSERT_OK(mio_unix_listener_close(l));
	assert_inert(&l->source);
}

static void listener_smoke(void)
{
	char path[256];
	mio_unix_listener l;

	poll_fixture_setup(&fx);
	sock_path(path, sizeof(path), "smoke");
	ASSERT_OK(mio_unix_listener_bind(&l, path));
	smoke(&l, path);
	poll_fixture_teardown(&fx);
}

static void listener_from_fd(void)
{
	char path[256];
	struct sockaddr_un sa = { 0 };
	mio_unix_listener l;
	int fd;

	poll_fixture_setup(&fx);
	sock_path(path, sizeof(path), "from_fd");
	/* A blocking listener, not close-on-exec, made without the library. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT(fd >= 0);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	ASSERT_EQ(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ASSERT_EQ(listen(fd, 8), 0);
	ASSERT_OK(mio_unix_listener_from_fd(&l, fd));
	ASSERT_EQ(l.source.fd, fd);
	smoke(&l, path);
	poll_fixture_teardown(&fx);
}

static void listener_local_addr(void)
{
	char path[256];
	mio_unix_listener l;
	mio_unix_stream conn;
	mio_unix_addr addr, peer;
	int client;

	poll_fixture_setup(&fx);
	sock_path(path, sizeof(path), "local_addr");
	ASSERT_OK(mio_unix_listener_bind(&l, path));
	ASSERT_OK(mio_unix_listener_local_addr(&l, &addr));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&addr), path);
	ASSERT_UEQ(addr.len, PATH_OFFSET + strlen(path) + 1);

	ASSERT_OK(mio_registry_register(fx.registry, &l.source, LISTENER,
					MIO_READABLE));
	client = raw_connect(path);
	poll_fixture_expect(&fx, LISTENER, EXPECT_READABLE);

	/* The client is unbound, so the peer address is unnamed. */
	ASSERT_OK(mio_unix_listener_accept(&l, &conn, &peer));
	ASSERT(mio_unix_addr_is_unnamed(&peer));
	ASSERT_UEQ(peer.len, PATH_OFFSET);
	ASSERT(mio_unix_addr_pathname(&peer) == NULL);
	ASSERT_OK(mio_unix_stream_local_addr(&conn, &addr));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&addr), path);

	ASSERT_OK(mio_unix_stream_close(&conn));
	close(client);
	ASSERT_OK(mio_unix_listener_close(&l));
	poll_fixture_teardown(&fx);
}

/* A client bound to a path of its own is seen under that path. */
static void accept_named_peer(void)
{
	char path[256], client_path[256];
	struct sockaddr_un sa = { 0 };
	mio_unix_listener l;
	mio_unix_stream conn;
	mio_unix_addr peer;
	int client;

	sock_path(path, sizeof(path), "named_peer");
	sock_path(client_path, sizeof(client_path), "named_peer_client");
	ASSERT_OK(mio_unix_listener_bind(&l, path));
	client = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT(client >= 0);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, client_path);
	ASSERT_EQ(bind(client, (struct sockaddr *)&sa, sizeof(sa)), 0);
	strcpy(sa.sun_path, path);
	ASSERT_EQ(connect(client, (struct sockaddr *)&sa, sizeof(sa)), 0);

	ASSERT_OK(mio_unix_listener_accept(&l, &conn, &peer));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&peer), client_path);
	ASSERT_UEQ(peer.len, PATH_OFFSET + strlen(client_path) + 1);
	ASSERT_OK(mio_unix_stream_peer_addr(&conn, &peer));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&peer), client_path);

	ASSERT_OK(mio_unix_stream_close(&conn));
	close(client);
	ASSERT_OK(mio_unix_listener_close(&l));
}

static void listener_register(void)
{
	char path[256];
	mio_unix_listener l;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_listener_bind(
		&l, sock_path(path, sizeof(path), "register")));
	ASSERT_OK(mio_registry_register(fx.registry, &l.source, LISTENER,
					MIO_READABLE));
	expect_no_events(fx.poll, fx.events);
	ASSERT_ERR(mio_registry_register(fx.registry, &l.source, LISTENER,
					 MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_OK(mio_unix_listener_close(&l));
	poll_fixture_teardown(&fx);
}

static void listener_reregister(void)
{
	char path[256];
	mio_unix_listener l;
	int client;

	poll_fixture_setup(&fx);
	sock_path(path, sizeof(path), "reregister");
	ASSERT_OK(mio_unix_listener_bind(&l, path));
	ASSERT_OK(mio_registry_register(fx.registry, &l.source, LISTENER,
					MIO_WRITABLE));
	client = raw_connect(path);
	expect_no_events(fx.poll, fx.events);

	ASSERT_OK(mio_registry_reregister(fx.registry, &l.source, LISTENER,
					  MIO_READABLE));
	poll_fixture_expect(&fx, LISTENER, EXPECT_READABLE);

	close(client);
	ASSERT_OK(mio_unix_listener_close(&l));
	poll_fixture_teardown(&fx);
}

static void listener_deregister(void)
{
	char path[256];
	mio_unix_listener l;
	int client;

	poll_fixture_setup(&fx);
	sock_path(path, sizeof(path), "deregister");
	ASSERT_OK(mio_unix_listener_bind(&l, path));
	ASSERT_OK(mio_registry_register(fx.registry, &l.source, LISTENER,
					MIO_READABLE));
	ASSERT_OK(mio_registry_deregister(fx.registry, &l.source));
	client = raw_connect(path);
	expect_no_events(fx.poll, fx.events);
	ASSERT_ERR(mio_registry_deregister(fx.registry, &l.source), MIO_ENOENT);

	close(client);
	ASSERT_OK(mio_unix_listener_close(&l));
	poll_fixture_teardown(&fx);
}

/*
 * Closing deregisters first: a dup of the descriptor (a forked child's,
 * say) keeps the socket alive, and must not keep its events coming.
 */
static void close_deregisters(void)
{
	char path[256];
	mio_unix_listener l;
	int dup_fd, client;

	poll_fixture_setup(&fx);
	sock_path(path, sizeof(path), "close_deregisters");
	ASSERT_OK(mio_unix_listener_bind(&l, path));
	ASSERT_OK(mio_registry_register(fx.registry, &l.source, LISTENER,
					MIO_READABLE));
	dup_fd = dup(l.source.fd);
	ASSERT(dup_fd >= 0);
	ASSERT_OK(mio_unix_listener_close(&l));
	client = raw_connect(path);
	expect_no_events(fx.poll, fx.events);

	/* Closing again is a no-op. */
	ASSERT_OK(mio_unix_listener_close(&l));
	assert_inert(&l.source);
	close(client);
	close(dup_fd);
	poll_fixture_teardown(&fx);
}

/* A poll freed first leaves the listener unregistered, closable. */
static void close_after_poll_freed(void)
{
	char path[256];
	mio_unix_listener l;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_listener_bind(
		&l, sock_path(path, sizeof(path), "poll_freed")));
	ASSERT_OK(mio_registry_register(fx.registry, &l.source, LISTENER,
					MIO_READABLE));
	poll_fixture_teardown(&fx);
	ASSERT_OK(mio_unix_listener_close(&l));
	assert_inert(&l.source);
}

#if defined(__linux__) || defined(__ANDROID__)
static void listener_abstract_namespace(void)
{
	char name[64];
	mio_unix_addr addr, local, peer;
	mio_unix_listener l;
	mio_unix_stream client, conn;
	const void *got;
	size_t len;

	poll_fixture_setup(&fx);
	/* The pid keeps concurrent runs apart in the shared namespace. */
	snprintf(name, sizeof(name), "mio-test-abstract-%ld", (long)getpid());
	ASSERT_OK(mio_unix_addr_from_abstract(&addr, name, strlen(name)));
	ASSERT_OK(mio_unix_listener_bind_addr(&l, &addr));
	assert_nonblocking(l.source.fd);
	assert_cloexec(l.source.fd);
	ASSERT_OK(mio_unix_listener_local_addr(&l, &local));
	got = mio_unix_addr_abstract(&local, &len);
	ASSERT(got != NULL);
	ASSERT_UEQ(len, strlen(name));
	ASSERT(memcmp(got, name, len) == 0);
	ASSERT_UEQ(local.len, addr.len);

	ASSERT_OK(mio_registry_register(fx.registry, &l.source, LISTENER,
					MIO_READABLE | MIO_WRITABLE));
	expect_no_events(fx.poll, fx.events);
	ASSERT_OK(mio_unix_stream_connect_addr(&client, &local));
	poll_fixture_expect(&fx, LISTENER, EXPECT_READABLE);

	ASSERT_OK(mio_unix_listener_accept(&l, &conn, &peer));
	ASSERT(mio_unix_addr_is_unnamed(&peer));

	/* The name is taken while the listener lives. */
	mio_unix_listener second;
	ASSERT_ERR(mio_unix_listener_bind_addr(&second, &addr), MIO_EADDRINUSE);
	assert_inert(&second.source);

	ASSERT_OK(mio_unix_stream_close(&conn));
	ASSERT_OK(mio_unix_stream_close(&client));
	ASSERT_OK(mio_unix_listener_close(&l));
	poll_fixture_teardown(&fx);
}
#endif

/*
 * The kernel accepts a path that fills sun_path without a NUL; its
 * address cannot be given back as a string, so local_addr refuses it
 * rather than cut it.
 */
static void local_addr_too_long(void)
{
	struct sockaddr_un sa = { 0 };
	char path[PATH_SIZE + 1];
	mio_unix_listener l;
	mio_unix_addr addr;
	size_t n;
	int fd;

	n = (size_t)snprintf(path, sizeof(path), "%s/", test_temp_dir());
	if (n >= PATH_SIZE - 8)
		return; /* a temporary directory too deep for this test */
	memset(path + n, 'L', PATH_SIZE - n);
	path[PATH_SIZE] = '\0';
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT(fd >= 0);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, PATH_SIZE);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		/* This system wants the NUL inside sun_path: nothing to see. */
		close(fd);
		return;
	}
	ASSERT_EQ(listen(fd, 8), 0);
	ASSERT_OK(mio_unix_listener_from_fd(&l, fd));
	ASSERT_ERR(mio_unix_listener_local_addr(&l, &addr), MIO_ENAMETOOLONG);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_OK(mio_unix_listener_close(&l));
	unlink(path);
}

static void bind_bad_input(void)
{
	char path[512], taken[256];
	mio_unix_listener l, other;
	mio_unix_addr addr;
	int fds = count_open_fds();

	/* Too long: refused before any socket exists. */
	memset(path, 'x', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	l.source.fd = 12345;
	ASSERT_ERR(mio_unix_listener_bind(&l, path), MIO_ENAMETOOLONG);
	assert_inert(&l.source);
	memset(path + PATH_SIZE, '\0', sizeof(path) - PATH_SIZE);
	ASSERT_ERR(mio_unix_listener_bind(&l, path), MIO_ENAMETOOLONG);
	assert_inert(&l.source);

	ASSERT_ERR(mio_unix_listener_bind(&l, ""), MIO_EINVAL);
	assert_inert(&l.source);
	ASSERT_ERR(mio_unix_listener_bind(&l, NULL), MIO_EINVAL);
	assert_inert(&l.source);
	ASSERT_ERR(mio_unix_listener_bind(NULL, "/x"), MIO_EINVAL);
	ASSERT_ERR(mio_unix_listener_bind_addr(&l, NULL), MIO_EINVAL);
	assert_inert(&l.source);
	ASSERT_ERR(mio_unix_listener_bind_addr(NULL, &addr), MIO_EINVAL);

	/* An address that is not AF_UNIX (all zero, say). */
	memset(&addr, 0, sizeof(addr));
	addr.len = (socklen_t)(PATH_OFFSET + 3);
	ASSERT_ERR(mio_unix_listener_bind_addr(&l, &addr), MIO_EINVAL);
	assert_inert(&l.source);

	/* An address whose length runs past the structure. */
	ASSERT_OK(mio_unix_addr_from_pathname(&addr, "/x"));
	addr.len = (socklen_t)sizeof(addr.addr) + 1;
	ASSERT_ERR(mio_unix_listener_bind_addr(&l, &addr), MIO_EINVAL);
	assert_inert(&l.source);

	/* The OS's errors, with the socket it made closed again. */
	sock_path(path, sizeof(path), "no/such/dir");
	ASSERT_ERR(mio_unix_listener_bind(&l, path), MIO_ENOENT);
	assert_inert(&l.source);
	sock_path(taken, sizeof(taken), "taken");
	ASSERT_OK(mio_unix_listener_bind(&other, taken));
	ASSERT_ERR(mio_unix_listener_bind(&l, taken), MIO_EADDRINUSE);
	assert_inert(&l.source);
	ASSERT_OK(mio_unix_listener_close(&other));
	ASSERT_EQ(count_open_fds(), fds);
}

static void closed_listener(void)
{
	char path[256];
	mio_unix_listener l;
	mio_unix_stream conn;
	mio_unix_addr addr;
	int fds = count_open_fds();

	ASSERT_OK(mio_unix_listener_bind(
		&l, sock_path(path, sizeof(path), "closed")));
	ASSERT_OK(mio_unix_listener_close(&l));
	conn.source.fd = 12345;
	ASSERT_ERR(mio_unix_listener_accept(&l, &conn, &addr), MIO_EBADF);
	assert_inert(&conn.source);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_ERR(mio_unix_listener_local_addr(&l, &addr), MIO_EBADF);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_ERR(mio_unix_listener_take_error(&l), MIO_EBADF);
	ASSERT_OK(mio_unix_listener_close(&l));
	ASSERT_EQ(count_open_fds(), fds);
}

static void null_arguments(void)
{
	char path[256];
	mio_unix_listener l;
	mio_unix_stream conn;
	mio_unix_addr addr;

	ASSERT_OK(mio_unix_listener_bind(
		&l, sock_path(path, sizeof(path), "nulls")));
	ASSERT_ERR(mio_unix_listener_accept(&l, NULL, NULL), MIO_EINVAL);
	conn.source.fd = 12345;
	ASSERT_ERR(mio_unix_listener_accept(NULL, &conn, NULL), MIO_EINVAL);
	assert_inert(&conn.source);
	ASSERT_ERR(mio_unix_listener_local_addr(&l, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_unix_listener_local_addr(NULL, &addr), MIO_EINVAL);
	ASSERT_ERR(mio_unix_listener_take_error(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_unix_listener_from_fd(NULL, l.source.fd), MIO_EINVAL);
	ASSERT_ERR(mio_unix_listener_close(NULL), MIO_EINVAL);
	ASSERT_OK(mio_unix_listener_close(&l));
}

static void from_fd_bad_descriptor(void)
{
	mio_unix_listener l;
	int fd, fds;

	l.source.fd = 12345;
	ASSERT_ERR(mio_unix_listener_from_fd(&l, -1), MIO_EBADF);
	assert_inert(&l.source);
	/* A number that is no open descriptor. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT(fd >= 0);
	close(fd);
	fds = count_open_fds();
	ASSERT_ERR(mio_unix_listener_from_fd(&l, fd), MIO_EBADF);
	assert_inert(&l.source);
	ASSERT_EQ(count_open_fds(), fds);
}

int main(void)
{
	RUN(listener_smoke);
	RUN(listener_from_fd);
	RUN(listener_local_addr);
	RUN(accept_named_peer);
	RUN(listener_register);
	RUN(listener_reregister);
	RUN(listener_deregister);
	RUN(close_deregisters);
	RUN(close_after_poll_freed);
#if defined(__linux__) || defined(__ANDROID__)
	RUN(listener_abstract_namespace);
#endif
	RUN(local_addr_too_long);
	RUN(bind_bad_input);
	RUN(closed_listener);
	RUN(null_arguments);
	RUN(from_fd_bad_descriptor);
	return test_summary();
}
