/*
 * mio_unix_datagram (mio's tests/unix_datagram.rs): bound, unbound and
 * paired sockets, send/recv and send_to/recv_from with the sender's
 * address, connect, shutdown, the close rule, bad input. SIGPIPE keeps
 * its default action: a send that raised it would kill the test.
 */

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

static void expect2(unsigned readiness)
{
	struct expect_event want[] = { { TOKEN_1, readiness },
				       { TOKEN_2, readiness } };
	expect_events(fx.poll, fx.events, want, 2);
}

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

static void assert_fresh(const mio_unix_datagram *d)
{
	assert_nonblocking(d->source.fd);
	assert_cloexec(d->source.fd);
}

/* Receives exactly want, from the sender at from_path (NULL: unnamed). */
static void expect_recv_from(mio_unix_datagram *d, const char *want, size_t len,
			     const char *from_path)
{
	char buf[64];
	mio_unix_addr from;

	ASSERT_EQ(mio_unix_datagram_recv_from(d, buf, sizeof(buf), &from), len);
	ASSERT(memcmp(buf, want, len) == 0);
	if (from_path == NULL) {
		ASSERT(mio_unix_addr_is_unnamed(&from));
		ASSERT_UEQ(from.len, PATH_OFFSET);
	} else {
		ASSERT_STR_EQ(mio_unix_addr_pathname(&from), from_path);
		ASSERT_UEQ(from.len, PATH_OFFSET + strlen(from_path) + 1);
	}
}

static void expect_recv(mio_unix_datagram *d, const char *want, size_t len)
{
	char buf[64];

	ASSERT_EQ(mio_unix_datagram_recv(d, buf, sizeof(buf)), len);
	ASSERT(memcmp(buf, want, len) == 0);
}

static void smoke_unconnected(mio_unix_datagram *d1, mio_unix_datagram *d2)
{
	mio_unix_addr a1, a2;
	char p1[256], p2[256], buf[64];

	assert_fresh(d1);
	assert_fresh(d2);
	ASSERT_OK(mio_unix_datagram_local_addr(d1, &a1));
	ASSERT_OK(mio_unix_datagram_local_addr(d2, &a2));
	ASSERT(mio_unix_addr_pathname(&a1) != NULL);
	ASSERT(mio_unix_addr_pathname(&a2) != NULL);
	strcpy(p1, mio_unix_addr_pathname(&a1));
	strcpy(p2, mio_unix_addr_pathname(&a2));
	/* Not connected: no peer. */
	ASSERT_ERR(mio_unix_datagram_peer_addr(d1, &a1), MIO_ENOTCONN);

	ASSERT_OK(mio_registry_register(fx.registry, &d1->source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &d2->source, TOKEN_2,
					MIO_READABLE | MIO_WRITABLE));
	expect2(EXPECT_WRITABLE);

	ASSERT_ERR(mio_unix_datagram_recv_from(d1, buf, sizeof(buf), &a1),
		   MIO_EAGAIN);
	ASSERT_ERR(mio_unix_datagram_recv_from(d2, buf, sizeof(buf), NULL),
		   MIO_EAGAIN);
	ASSERT_EQ(mio_unix_datagram_send_to(d1, DATA1, DATA1_LEN, p2),
		  DATA1_LEN);
	ASSERT_EQ(mio_unix_datagram_send_to(d2, DATA2, DATA2_LEN, p1),
		  DATA2_LEN);
	expect2(EXPECT_READABLE);

	expect_recv_from(d1, DATA2, DATA2_LEN, p2);
	expect_recv_from(d2, DATA1, DATA1_LEN, p1);
	ASSERT_EQ(mio_unix_datagram_take_error(d1), 0);
	ASSERT_EQ(mio_unix_datagram_take_error(d2), 0);
}

static void smoke_connected(mio_unix_datagram *d1, mio_unix_datagram *d2)
{
	mio_unix_addr l1, r1, l2, r2;
	char buf[64];

	assert_fresh(d1);
	assert_fresh(d2);
	ASSERT_OK(mio_unix_datagram_local_addr(d1, &l1));
	ASSERT_OK(mio_unix_datagram_peer_addr(d1, &r1));
	ASSERT_OK(mio_unix_datagram_local_addr(d2, &l2));
	ASSERT_OK(mio_unix_datagram_peer_addr(d2, &r2));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&l1), mio_unix_addr_pathname(&r2));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&l2), mio_unix_addr_pathname(&r1));
	ASSERT_UEQ(l1.len, r2.len);

	ASSERT_OK(mio_registry_register(fx.registry, &d1->source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &d2->source, TOKEN_2,
					MIO_READABLE | MIO_WRITABLE));
	expect2(EXPECT_WRITABLE);

	ASSERT_ERR(mio_unix_datagram_recv(d1, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_ERR(mio_unix_datagram_recv(d2, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_unix_datagram_send(d1, DATA1, DATA1_LEN), DATA1_LEN);
	ASSERT_EQ(mio_unix_datagram_send(d2, DATA2, DATA2_LEN), DATA2_LEN);
	expect2(EXPECT_READABLE);
	expect_recv(d1, DATA2, DATA2_LEN);
	expect_recv(d2, DATA1, DATA1_LEN);
	ASSERT_EQ(mio_unix_datagram_take_error(d1), 0);
	ASSERT_EQ(mio_unix_datagram_take_error(d2), 0);
}

static void smoke_unconnected_bound(void)
{
	char p1[256], p2[256];
	mio_unix_datagram d1, d2;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_datagram_bind(
		&d1, sock_path(p1, sizeof(p1), "unconnected1")));
	ASSERT_OK(mio_unix_datagram_bind(
		&d2, sock_path(p2, sizeof(p2), "unconnected2")));
	smoke_unconnected(&d1, &d2);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);
}

static void smoke_connected_bound(void)
{
	char p1[256], p2[256];
	mio_unix_datagram d1, d2;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_datagram_bind(
		&d1, sock_path(p1, sizeof(p1), "connected1")));
	ASSERT_OK(mio_unix_datagram_bind(
		&d2, sock_path(p2, sizeof(p2), "connected2")));
	ASSERT_OK(mio_unix_datagram_connect(&d1, p2));
	ASSERT_OK(mio_unix_datagram_connect(&d2, p1));
	smoke_connected(&d1, &d2);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);
}

/* A blocking datagram socket bound to path, made without the library. */
static int raw_bound(const char *path)
{
	struct sockaddr_un sa = { 0 };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	ASSERT(fd >= 0);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	ASSERT_EQ(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void smoke_from_fd(void)
{
	char p1[256], p2[256];
	mio_unix_datagram d1, d2;
	int fd1, fd2;

	poll_fixture_setup(&fx);
	fd1 = raw_bound(sock_path(p1, sizeof(p1), "from_fd1"));
	fd2 = raw_bound(sock_path(p2, sizeof(p2), "from_fd2"));
	ASSERT_OK(mio_unix_datagram_from_fd(&d1, fd1));
	ASSERT_OK(mio_unix_datagram_from_fd(&d2, fd2));
	ASSERT_EQ(d1.source.fd, fd1);
	ASSERT_EQ(d2.source.fd, fd2);
	smoke_unconnected(&d1, &d2);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);

	poll_fixture_setup(&fx);
	fd1 = raw_bound(sock_path(p1, sizeof(p1), "from_fd3"));
	fd2 = raw_bound(sock_path(p2, sizeof(p2), "from_fd4"));
	ASSERT_OK(mio_unix_datagram_from_fd(&d1, fd1));
	ASSERT_OK(mio_unix_datagram_from_fd(&d2, fd2));
	ASSERT_OK(mio_unix_datagram_connect(&d1, p2));
	ASSERT_OK(mio_unix_datagram_connect(&d2, p1));
	smoke_connected(&d1, &d2);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);
}

/* Connecting to its own address is allowed. */
static void connect_to_self(void)
{
	char p[256];
	mio_unix_datagram d;
	mio_unix_addr local;

	ASSERT_OK(mio_unix_datagram_bind(&d, sock_path(p, sizeof(p), "self")));
	ASSERT_OK(mio_unix_datagram_local_addr(&d, &local));
	ASSERT_OK(
		mio_unix_datagram_connect(&d, mio_unix_addr_pathname(&local)));
	ASSERT_EQ(mio_unix_datagram_send(&d, DATA1, DATA1_LEN), DATA1_LEN);
	expect_recv_from(&d, DATA1, DATA1_LEN, p);
	ASSERT_OK(mio_unix_datagram_close(&d));
}

static void datagram_pair(void)
{
	mio_unix_datagram d1, d2;
	mio_unix_addr addr;
	char buf[64];

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_datagram_pair(&d1, &d2));
	assert_fresh(&d1);
	assert_fresh(&d2);
	ASSERT_OK(mio_registry_register(fx.registry, &d1.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &d2.source, TOKEN_2,
					MIO_READABLE | MIO_WRITABLE));
	expect2(EXPECT_WRITABLE);

	ASSERT_ERR(mio_unix_datagram_recv(&d1, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_ERR(mio_unix_datagram_recv(&d2, buf, sizeof(buf)), MIO_EAGAIN);
	ASSERT_EQ(mio_unix_datagram_send(&d1, DATA1, DATA1_LEN), DATA1_LEN);
	ASSERT_EQ(mio_unix_datagram_send(&d2, DATA2, DATA2_LEN), DATA2_LEN);
	expect2(EXPECT_READABLE);
	/* A pair's sockets are unbound: the sender is unnamed. */
	expect_recv_from(&d1, DATA2, DATA2_LEN, NULL);
	expect_recv(&d2, DATA1, DATA1_LEN);
	ASSERT_EQ(mio_unix_datagram_take_error(&d1), 0);
	ASSERT_EQ(mio_unix_datagram_take_error(&d2), 0);
	ASSERT_OK(mio_unix_datagram_local_addr(&d1, &addr));
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_OK(mio_unix_datagram_peer_addr(&d1, &addr));
	ASSERT(mio_unix_addr_is_unnamed(&addr));

	/* Message boundaries hold: two sends, two receives. */
	ASSERT_EQ(mio_unix_datagram_send(&d1, DATA1, DATA1_LEN), DATA1_LEN);
	ASSERT_EQ(mio_unix_datagram_send(&d1, DATA2, DATA2_LEN), DATA2_LEN);
	expect_recv(&d2, DATA1, DATA1_LEN);
	expect_recv(&d2, DATA2, DATA2_LEN);
	ASSERT_ERR(mio_unix_datagram_recv(&d2, buf, sizeof(buf)), MIO_EAGAIN);

	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);
}

static void unbound_sender(void)
{
	char p[256];
	mio_unix_datagram bound, unbound;
	mio_unix_addr addr;

	ASSERT_OK(mio_unix_datagram_bind(&bound,
					 sock_path(p, sizeof(p), "receiver")));
	ASSERT_OK(mio_unix_datagram_unbound(&unbound));
	assert_fresh(&unbound);
	ASSERT_OK(mio_unix_datagram_local_addr(&unbound, &addr));
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_UEQ(addr.len, PATH_OFFSET);
	ASSERT_EQ(mio_unix_datagram_send_to(&unbound, DATA1, DATA1_LEN, p),
		  DATA1_LEN);
	expect_recv_from(&bound, DATA1, DATA1_LEN, NULL);

	/* Connected, the unbound socket sends with plain send. */
	ASSERT_OK(mio_unix_datagram_connect(&unbound, p));
	ASSERT_OK(mio_unix_datagram_peer_addr(&unbound, &addr));
	ASSERT_STR_EQ(mio_unix_addr_pathname(&addr), p);
	ASSERT_EQ(mio_unix_datagram_send(&unbound, DATA2, DATA2_LEN),
		  DATA2_LEN);
	expect_recv(&bound, DATA2, DATA2_LEN);
	ASSERT_OK(mio_unix_datagram_close(&unbound));
	ASSERT_OK(mio_unix_datagram_close(&bound));
}

static void datagram_shutdown(void)
{
	char p1[256], p2[256];
	mio_unix_datagram d1, d2;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_datagram_bind(
		&d1, sock_path(p1, sizeof(p1), "shutdown1")));
	ASSERT_OK(mio_unix_datagram_bind(
		&d2, sock_path(p2, sizeof(p2), "shutdown2")));
	ASSERT_OK(mio_registry_register(fx.registry, &d1.source, TOKEN_1,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_registry_register(fx.registry, &d2.source, TOKEN_2,
					MIO_READABLE | MIO_WRITABLE));
	ASSERT_OK(mio_unix_datagram_connect(&d1, p2));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	ASSERT_EQ(mio_unix_datagram_send(&d1, DATA1, DATA1_LEN), DATA1_LEN);
	poll_fixture_expect(&fx, TOKEN_2, EXPECT_READABLE);

	ASSERT_OK(mio_unix_datagram_shutdown(&d1, MIO_SHUTDOWN_READ));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_READ_CLOSED);
	ASSERT_OK(mio_unix_datagram_shutdown(&d1, MIO_SHUTDOWN_WRITE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITE_CLOSED);
	/* No SIGPIPE: the send fails. */
	ASSERT_ERR(mio_unix_datagram_send(&d1, DATA2, DATA2_LEN), MIO_EPIPE);
	ASSERT_ERR(mio_unix_datagram_send_to(&d1, DATA2, DATA2_LEN, p2),
		   MIO_EPIPE);
	ASSERT_EQ(mio_unix_datagram_take_error(&d1), 0);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);
}

/* Sending and receiving allocate nothing (the API's promise). */
static void io_allocates_nothing(void)
{
	char p1[256], p2[256], buf[64];
	mio_unix_datagram d1, d2;
	mio_unix_addr from;

	ASSERT_OK(mio_unix_datagram_bind(&d1,
					 sock_path(p1, sizeof(p1), "alloc1")));
	ASSERT_OK(mio_unix_datagram_bind(&d2,
					 sock_path(p2, sizeof(p2), "alloc2")));
	alloc_count_reset();
	ASSERT_EQ(mio_unix_datagram_send_to(&d1, DATA1, DATA1_LEN, p2),
		  DATA1_LEN);
	ASSERT_EQ(mio_unix_datagram_recv_from(&d2, buf, sizeof(buf), &from),
		  DATA1_LEN);
	ASSERT_OK(mio_unix_datagram_connect(&d2, p1));
	ASSERT_EQ(mio_unix_datagram_send(&d2, DATA2, DATA2_LEN), DATA2_LEN);
	ASSERT_EQ(mio_unix_datagram_recv(&d1, buf, sizeof(buf)), DATA2_LEN);
	ASSERT_ERR(mio_unix_datagram_recv(&d1, buf, sizeof(buf)), MIO_EAGAIN);
	long n = alloc_count();
	if (n >= 0)
		ASSERT_EQ(n, 0);
	ASSERT_STR_EQ(mio_unix_addr_pathname(&from), p1);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
}

static void datagram_register(void)
{
	char p[256];
	mio_unix_datagram d;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_datagram_bind(&d, sock_path(p, sizeof(p), "reg")));
	ASSERT_OK(mio_registry_register(fx.registry, &d.source, TOKEN_1,
					MIO_READABLE));
	expect_no_events(fx.poll, fx.events);
	ASSERT_OK(mio_unix_datagram_close(&d));
	poll_fixture_teardown(&fx);
}

static void datagram_reregister(void)
{
	char p1[256], p2[256];
	mio_unix_datagram d1, d2;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_datagram_bind(&d1,
					 sock_path(p1, sizeof(p1), "rereg1")));
	ASSERT_OK(mio_registry_register(fx.registry, &d1.source, TOKEN_1,
					MIO_READABLE));
	ASSERT_OK(mio_unix_datagram_bind(&d2,
					 sock_path(p2, sizeof(p2), "rereg2")));
	ASSERT_OK(mio_unix_datagram_connect(&d2, p1));
	ASSERT_OK(mio_registry_reregister(fx.registry, &d1.source, TOKEN_1,
					  MIO_WRITABLE));
	poll_fixture_expect(&fx, TOKEN_1, EXPECT_WRITABLE);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);
}

static void datagram_deregister(void)
{
	char p1[256], p2[256];
	mio_unix_datagram d1, d2;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_datagram_bind(&d1,
					 sock_path(p1, sizeof(p1), "dereg1")));
	ASSERT_OK(mio_registry_register(fx.registry, &d1.source, TOKEN_1,
					MIO_WRITABLE));
	ASSERT_OK(mio_unix_datagram_bind(&d2,
					 sock_path(p2, sizeof(p2), "dereg2")));
	ASSERT_OK(mio_unix_datagram_connect(&d2, p1));
	ASSERT_OK(mio_registry_deregister(fx.registry, &d1.source));
	expect_no_events(fx.poll, fx.events);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);
}

/* A dup of a closed socket's descriptor delivers no events. */
static void close_deregisters(void)
{
	mio_unix_datagram d1, d2;
	int dup_fd;

	poll_fixture_setup(&fx);
	ASSERT_OK(mio_unix_datagram_pair(&d1, &d2));
	ASSERT_OK(mio_registry_register(fx.registry, &d1.source, TOKEN_1,
					MIO_READABLE));
	dup_fd = dup(d1.source.fd);
	ASSERT(dup_fd >= 0);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_EQ(mio_unix_datagram_send(&d2, DATA1, DATA1_LEN), DATA1_LEN);
	expect_no_events(fx.poll, fx.events);
	close(dup_fd);
	ASSERT_OK(mio_unix_datagram_close(&d2));
	poll_fixture_teardown(&fx);
}

#if defined(__linux__) || defined(__ANDROID__)
static void abstract_bind(void)
{
	char name[64];
	mio_unix_addr addr, local, from;
	mio_unix_datagram d, sender;
	const void *got;
	size_t len;
	char buf[64];

	snprintf(name, sizeof(name), "mio-test-dgram-%ld", (long)getpid());
	ASSERT_OK(mio_unix_addr_from_abstract(&addr, name, strlen(name)));
	ASSERT_OK(mio_unix_datagram_bind_addr(&d, &addr));
	assert_fresh(&d);
	ASSERT_OK(mio_unix_datagram_local_addr(&d, &local));
	got = mio_unix_addr_abstract(&local, &len);
	ASSERT(got != NULL);
	ASSERT_UEQ(len, strlen(name));
	ASSERT(memcmp(got, name, len) == 0);

	/* A sender bound in the namespace too is seen under its name. */
	snprintf(name, sizeof(name), "mio-test-dgram-tx-%ld", (long)getpid());
	ASSERT_OK(mio_unix_addr_from_abstract(&addr, name, strlen(name)));
	ASSERT_OK(mio_unix_datagram_bind_addr(&sender, &addr));
	ASSERT_EQ(sendto(sender.source.fd, DATA1, DATA1_LEN, 0,
			 (struct sockaddr *)&local.addr, local.len),
		  DATA1_LEN);
	ASSERT_EQ(mio_unix_datagram_recv_from(&d, buf, sizeof(buf), &from),
		  DATA1_LEN);
	got = mio_unix_addr_abstract(&from, &len);
	ASSERT(got != NULL);
	ASSERT_UEQ(len, strlen(name));
	ASSERT(memcmp(got, name, len) == 0);
	ASSERT_UEQ(from.len, addr.len);
	ASSERT_OK(mio_unix_datagram_close(&sender));
	ASSERT_OK(mio_unix_datagram_close(&d));
}
#endif

static void bad_paths(void)
{
	char path[512], p[256];
	mio_unix_datagram d, other;
	int fds = count_open_fds();

	memset(path, 'x', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	d.source.fd = 12345;
	ASSERT_ERR(mio_unix_datagram_bind(&d, path), MIO_ENAMETOOLONG);
	assert_inert(&d.source);
	ASSERT_ERR(mio_unix_datagram_bind(&d, ""), MIO_EINVAL);
	assert_inert(&d.source);
	ASSERT_ERR(mio_unix_datagram_bind(&d, NULL), MIO_EINVAL);
	assert_inert(&d.source);
	ASSERT_ERR(mio_unix_datagram_bind_addr(&d, NULL), MIO_EINVAL);
	assert_inert(&d.source);

	ASSERT_OK(mio_unix_datagram_bind(&other,
					 sock_path(p, sizeof(p), "taken")));
	ASSERT_ERR(mio_unix_datagram_bind(&d, p), MIO_EADDRINUSE);
	assert_inert(&d.source);

	/* send_to and connect refuse too-long paths, never cut them. */
	ASSERT_ERR(mio_unix_datagram_send_to(&other, DATA1, DATA1_LEN, path),
		   MIO_ENAMETOOLONG);
	path[PATH_SIZE] = '\0';
	ASSERT_ERR(mio_unix_datagram_send_to(&other, DATA1, DATA1_LEN, path),
		   MIO_ENAMETOOLONG);
	ASSERT_ERR(mio_unix_datagram_connect(&other, path), MIO_ENAMETOOLONG);
	ASSERT_ERR(mio_unix_datagram_send_to(&other, DATA1, DATA1_LEN, ""),
		   MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_send_to(&other, DATA1, DATA1_LEN, NULL),
		   MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_connect(&other, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_send_to(
			   &other, DATA1, DATA1_LEN,
			   sock_path(path, sizeof(path), "nobody")),
		   MIO_ENOENT);
	ASSERT_ERR(mio_unix_datagram_connect(&other, path), MIO_ENOENT);
	/* Sending without a destination. */
	ASSERT_ERR(mio_unix_datagram_send(&other, DATA1, DATA1_LEN),
		   MIO_ENOTCONN);
	ASSERT_OK(mio_unix_datagram_close(&other));
	ASSERT_EQ(count_open_fds(), fds);
}

static void closed_datagram(void)
{
	char p[256], buf[8] = { 0 };
	mio_unix_datagram d;
	mio_unix_addr addr;
	int fds = count_open_fds();

	ASSERT_OK(
		mio_unix_datagram_bind(&d, sock_path(p, sizeof(p), "closed")));
	ASSERT_OK(mio_unix_datagram_close(&d));
	assert_inert(&d.source);
	ASSERT_ERR(mio_unix_datagram_send(&d, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_recv(&d, buf, 1), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_send_to(&d, buf, 1, p), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_recv_from(&d, buf, 1, &addr), MIO_EBADF);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_ERR(mio_unix_datagram_connect(&d, p), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_shutdown(&d, MIO_SHUTDOWN_READ),
		   MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_take_error(&d), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_local_addr(&d, &addr), MIO_EBADF);
	ASSERT_ERR(mio_unix_datagram_peer_addr(&d, &addr), MIO_EBADF);
	ASSERT_OK(mio_unix_datagram_close(&d));
	ASSERT_EQ(count_open_fds(), fds);
}

static void null_arguments(void)
{
	mio_unix_datagram d1, d2;
	mio_unix_addr addr;
	char buf[8];
	int fds = count_open_fds();

	d2.source.fd = 12345;
	ASSERT_ERR(mio_unix_datagram_pair(NULL, &d2), MIO_EINVAL);
	assert_inert(&d2.source);
	ASSERT_ERR(mio_unix_datagram_unbound(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_bind(NULL, "/x"), MIO_EINVAL);
	ASSERT_OK(mio_unix_datagram_pair(&d1, &d2));
	ASSERT_ERR(mio_unix_datagram_send(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_send(&d1, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_recv(NULL, buf, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_recv(&d1, NULL, 1), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_send_to(NULL, buf, 1, "/x"), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_recv_from(NULL, buf, 1, &addr),
		   MIO_EINVAL);
	ASSERT(mio_unix_addr_is_unnamed(&addr));
	ASSERT_ERR(mio_unix_datagram_connect(NULL, "/x"), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_local_addr(&d1, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_peer_addr(NULL, &addr), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_shutdown(NULL, MIO_SHUTDOWN_READ),
		   MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_shutdown(&d1, (mio_shutdown)-1),
		   MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_take_error(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_from_fd(NULL, d1.source.fd), MIO_EINVAL);
	ASSERT_ERR(mio_unix_datagram_close(NULL), MIO_EINVAL);
	ASSERT_OK(mio_unix_datagram_close(&d1));
	ASSERT_OK(mio_unix_datagram_close(&d2));
	d1.source.fd = 12345;
	ASSERT_ERR(mio_unix_datagram_from_fd(&d1, -1), MIO_EBADF);
	assert_inert(&d1.source);
	ASSERT_EQ(count_open_fds(), fds);
}

int main(void)
{
	RUN(smoke_unconnected_bound);
	RUN(smoke_connected_bound);
	RUN(smoke_from_fd);
	RUN(connect_to_self);
	RUN(datagram_pair);
	RUN(unbound_sender);
	RUN(datagram_shutdown);
	RUN(io_allocates_nothing);
	RUN(datagram_register);
	RUN(datagram_reregister);
	RUN(datagram_deregister);
	RUN(close_deregisters);
#if defined(__linux__) || defined(__ANDROID__)
	RUN(abstract_bind);
#endif
	RUN(bad_paths);
	RUN(closed_datagram);
	RUN(null_arguments);
	return test_summary();
}
