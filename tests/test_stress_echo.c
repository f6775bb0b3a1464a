/*
 * Echo under load: a client process opens 10,000 connections to an echo
 * server, over TCP on loopback and over a Unix socket. The server holds
 * all of them at once through one poll, then each connection sends a few
 * kilobytes in random-sized writes and checks that every byte comes back,
 * in order. The client is a forked process so that each side needs only
 * 10,000 descriptors of its own.
 */
/* ctest-labels: stress */

#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#define CONNS 10000
#define MIN_LEN 2048
#define MAX_LEN 8192
#define MAX_WRITE 1500
#define BATCH 1000
#define LISTENER_TOKEN ((mio_token)UINTPTR_MAX)
#define IDLE_MS 30000

_Static_assert(CONNS % BATCH == 0, "the server signals whole batches");

/* The stream operations, the same for TCP and Unix-domain streams. */
struct proto {
	const char *name;
	int (*listen)(mio_source *listener);
	int (*accept)(mio_source *listener, mio_source *out);
	int (*connect)(mio_source *out);
	mio_ssize (*read)(mio_source *s, void *buf, size_t len);
	mio_ssize (*write)(mio_source *s, const void *buf, size_t len);
	int (*shutdown_write)(mio_source *s);
	int (*close)(mio_source *s);
};

/* Every object starts with its mio_source, so a pointer converts. */
static mio_sockaddr tcp_addr;

static int tcp_listen(mio_source *l)
{
	mio_sockaddr any;

	ASSERT_OK(mio_sockaddr_parse(&any, "127.0.0.1:0"));
	ASSERT_OK(mio_tcp_listener_bind_backlog((mio_tcp_listener *)l, &any,
						4096));
	return mio_tcp_listener_local_addr((mio_tcp_listener *)l, &tcp_addr);
}

static int tcp_accept(mio_source *l, mio_source *out)
{
	return mio_tcp_listener_accept((mio_tcp_listener *)l,
				       (mio_tcp_stream *)out, NULL);
}

static int tcp_connect(mio_source *out)
{
	return mio_tcp_stream_connect((mio_tcp_stream *)out, &tcp_addr);
}

static mio_ssize tcp_read(mio_source *s, void *buf, size_t len)
{
	return mio_tcp_stream_read((mio_tcp_stream *)s, buf, len);
}

static mio_ssize tcp_write(mio_source *s, const void *buf, size_t len)
{
	return mio_tcp_stream_write((mio_tcp_stream *)s, buf, len);
}

static int tcp_shutdown_write(mio_source *s)
{
	return mio_tcp_stream_shutdown((mio_tcp_stream *)s, MIO_SHUTDOWN_WRITE);
}

static int tcp_close(mio_source *s)
{
	return mio_tcp_stream_close((mio_tcp_stream *)s);
}

static const struct proto tcp = {
	"tcp",	  tcp_listen, tcp_accept,	  tcp_connect,
	tcp_read, tcp_write,  tcp_shutdown_write, tcp_close
};

static char unix_path[512];

static int unix_listen(mio_source *l)
{
	snprintf(unix_path, sizeof(unix_path), "%s/echo.sock", test_temp_dir());
	return mio_unix_listener_bind((mio_unix_listener *)l, unix_path);
}

static int unix_accept(mio_source *l, mio_source *out)
{
	return mio_unix_listener_accept((mio_unix_listener *)l,
					(mio_unix_stream *)out, NULL);
}

static int unix_connect(mio_source *out)
{
	return mio_unix_stream_connect((mio_unix_stream *)out, unix_path);
}

static mio_ssize unix_read(mio_source *s, void *buf, size_t len)
{
	return mio_unix_stream_read((mio_unix_stream *)s, buf, len);
}

static mio_ssize unix_write(mio_source *s, const void *buf, size_t len)
{
	return mio_unix_stream_write((mio_unix_stream *)s, buf, len);
}

static int unix_shutdown_write(mio_source *s)
{
	return mio_unix_stream_shutdown((mio_unix_stream *)s,
					MIO_SHUTDOWN_WRITE);
}

static int unix_close(mio_source *s)
{
	return mio_unix_stream_close((mio_unix_stream *)s);
}

static const struct proto unix_proto = {
	"unix",	   unix_listen, unix_accept,	     unix_connect,
	unix_read, unix_write,	unix_shutdown_write, unix_close
};

/* ---------------------------------------------------------------------- */
/* The data: byte p of connection i is a hash of (i, p); lengths vary.     */

static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static uint8_t data_byte(uint32_t conn, uint32_t pos)
{
	return (uint8_t)(mix(conn * 0x9e3779b9U + (pos >> 2)) >>
			 (8 * (pos & 3)));
}

static uint32_t data_len(uint32_t conn)
{
	return MIN_LEN + mix(conn ^ 0xabcdef12U) % (MAX_LEN - MIN_LEN + 1);
}

static uint32_t xorshift(uint32_t *state)
{
	uint32_t x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* ---------------------------------------------------------------------- */
/* The server: the parent, one poll for the listener and every connection. */

struct server_conn {
	mio_source stream; /* a mio_tcp_stream or mio_unix_stream */
	uint16_t pending, off;
	uint8_t buf[MAX_WRITE];
};

struct server {
	const struct proto *p;
	mio_poll *poll;
	mio_events *events;
	mio_source listener;
	struct server_conn *conns;
	int accepted, live, peak;
	uint64_t echoed;
	pid_t child;
	int go_fd; /* a byte each time a whole batch has been accepted */
};

static void server_accept(struct server *sv)
{
	for (;;) {
		if (sv->accepted == CONNS) {
			mio_source extra;
			int err = sv->p->accept(&sv->listener, &extra);
			if (err != MIO_EAGAIN)
				FAIL_AT("a connection beyond %d: %s", CONNS,
					mio_err_name(err));
			return;
		}
		struct server_conn *c = &sv->conns[sv->accepted];
		int err = sv->p->accept(&sv->listener, &c->stream);
		if (err == MIO_EAGAIN)
			return;
		ASSERT_OK(err);
		ASSERT_OK(mio_registry_register(
			mio_poll_registry(sv->poll), &c->stream,
			(mio_token)sv->accepted, MIO_READABLE | MIO_WRITABLE));
		sv->accepted++;
		if (++sv->live > sv->peak)
			sv->peak = sv->live;
		if (sv->accepted % BATCH == 0)
			ASSERT_EQ(write(sv->go_fd, "g", 1), 1);
	}
}

/* Echoes until the stream would block either way, or ends. */
static void server_echo(struct server *sv, struct server_conn *c)
{
	for (;;) {
		while (c->pending > 0) {
			mio_ssize n = sv->p->write(&c->stream, c->buf + c->off,
						   c->pending);
			if (n == MIO_EAGAIN)
				return;
			ASSERT_OK(n);
			c->off += (uint16_t)n;
			c->pending -= (uint16_t)n;
			sv->echoed += (uint64_t)n;
		}
		mio_ssize n = sv->p->read(&c->stream, c->buf, sizeof(c->buf));
		if (n == MIO_EAGAIN)
			return;
		ASSERT_OK(n);
		if (n == 0) {
			/* Everything read was echoed: done with this one. */
			ASSERT_OK(sv->p->close(&c->stream));
			sv->live--;
			return;
		}
		c->pending = (uint16_t)n;
		c->off = 0;
	}
}

static void server_run(struct server *sv)
{
	struct timespec idle = ms_timeout(IDLE_MS);
	int closed_total = 0;

	while (sv->accepted < CONNS || sv->live > 0) {
		int n = mio_poll_poll(sv->poll, sv->events, &idle);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		if (n == 0)
			FAIL_AT("server idle for %d ms: %d accepted, %d live",
				IDLE_MS, sv->accepted, sv->live);
		for (int i = 0; i < n; i++) {
			mio_token t = mio_event_token(
				mio_events_at(sv->events, (size_t)i));
			if (t == LISTENER_TOKEN) {
				server_accept(sv);
				continue;
			}
			ASSERT(t < (mio_token)sv->accepted);
			if (sv->conns[t].stream.fd < 0)
				continue; /* closed earlier in this batch */
			server_echo(sv, &sv->conns[t]);
			if (sv->conns[t].stream.fd < 0)
				closed_total++;
		}
	}
	ASSERT_EQ(closed_total, CONNS);
}

/* ---------------------------------------------------------------------- */
/* The client: the forked child, one poll for its 10,000 connections.     */

struct client_conn {
	mio_source stream;
	uint32_t len, sent, received, rng;
	bool connected, shut;
};

struct client {
	const struct proto *p;
	mio_poll *poll;
	mio_events *events;
	struct client_conn *conns;
	int done;
	uint64_t verified;
	uint32_t checksum;
};

static void client_connect_batch(struct client *cl, int first, int count)
{
	mio_registry *r = mio_poll_registry(cl->poll);
	struct timespec t = ms_timeout(IDLE_MS);
	int connected = 0;

	for (int i = first; i < first + count; i++) {
		struct client_conn *c = &cl->conns[i];
		int err;
		/* A full Unix-socket backlog says MIO_EAGAIN: wait, retry. */
		while ((err = cl->p->connect(&c->stream)) == MIO_EAGAIN) {
			struct timespec pause = ms_timeout(1);
			ASSERT(c->stream.fd < 0);
			nanosleep(&pause, NULL);
		}
		ASSERT_OK(err);
		c->len = data_len((uint32_t)i);
		c->rng = (uint32_t)i * 2654435761U + 1;
		ASSERT_OK(mio_registry_register(r, &c->stream, (mio_token)i,
						MIO_READABLE | MIO_WRITABLE));
	}
	/* Established once writable: wait for the whole batch. */
	while (connected < count) {
		int n = mio_poll_poll(cl->poll, cl->events, &t);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		if (n == 0)
			FAIL_AT("connects stalled: %d of %d", connected, count);
		for (int i = 0; i < n; i++) {
			const mio_event *e =
				mio_events_at(cl->events, (size_t)i);
			struct client_conn *c = &cl->conns[mio_event_token(e)];
			ASSERT(!mio_event_is_error(e));
			if (mio_event_is_writable(e) && !c->connected) {
				c->connected = true;
				connected++;
			}
		}
	}
}

static void client_send(struct client *cl, struct client_conn *c, uint32_t id)
{
	uint8_t buf[MAX_WRITE];

	while (c->sent < c->len) {
		uint32_t want = 1 + xorshift(&c->rng) % MAX_WRITE;
		if (want > c->len - c->sent)
			want = c->len - c->sent;
		for (uint32_t k = 0; k < want; k++)
			buf[k] = data_byte(id, c->sent + k);
		mio_ssize n = cl->p->write(&c->stream, buf, want);
		if (n == MIO_EAGAIN)
			return;
		ASSERT_OK(n);
		c->sent += (uint32_t)n;
	}
	if (!c->shut) {
		ASSERT_OK(cl->p->shutdown_write(&c->stream));
		c->shut = true;
	}
}

static void client_receive(struct client *cl, struct client_conn *c,
			   uint32_t id)
{
	uint8_t buf[4096];

	for (;;) {
		mio_ssize n = cl->p->read(&c->stream, buf, sizeof(buf));
		if (n == MIO_EAGAIN)
			return;
		ASSERT_OK(n);
		if (n == 0) {
			if (c->received != c->len)
				FAIL_AT("connection %u: %u of %u bytes came "
					"back",
					id, c->received, c->len);
			ASSERT_OK(cl->p->close(&c->stream));
			cl->done++;
			return;
		}
		if (c->received + (uint32_t)n > c->len)
			FAIL_AT("connection %u: more came back than was sent",
				id);
		for (mio_ssize k = 0; k < n; k++) {
			uint8_t want = data_byte(id, c->received + (uint32_t)k);
			if (buf[k] != want)
				FAIL_AT("connection %u, byte %u: %#x, sent %#x",
					id, c->received + (uint32_t)k, buf[k],
					want);
			cl->checksum = (cl->checksum ^ buf[k]) * 16777619U;
		}
		c->received += (uint32_t)n;
		cl->verified += (uint64_t)n;
	}
}

static void client_run(struct client *cl, int go_fd)
{
	struct timespec t = ms_timeout(IDLE_MS);
	char go;

	/*
	 * A batch at a time, each once the server has accepted the one
	 * before, so the listen backlog never overflows (a dropped SYN costs
	 * seconds). After the last batch, the server holds every connection:
	 * only then does any data flow.
	 */
	for (int first = 0; first < CONNS; first += BATCH) {
		client_connect_batch(cl, first, BATCH);
		ASSERT_EQ(read(go_fd, &go, 1), 1);
	}
	for (int i = 0; i < CONNS; i++)
		client_send(cl, &cl->conns[i], (uint32_t)i);
	while (cl->done < CONNS) {
		int n = mio_poll_poll(cl->poll, cl->events, &t);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		if (n == 0)
			FAIL_AT("client idle: %d of %d done", cl->done, CONNS);
		for (int i = 0; i < n; i++) {
			uint32_t id = (uint32_t)mio_event_token(
				mio_events_at(cl->events, (size_t)i));
			struct client_conn *c = &cl->conns[id];
			if (c->stream.fd < 0)
				continue;
			client_send(cl, c, id);
			client_receive(cl, c, id);
		}
	}
}

static void client_main(const struct proto *p, int go_fd, int result_fd)
{
	struct client cl = { 0 };

	cl.p = p;
	cl.checksum = 2166136261U;
	cl.conns = calloc(CONNS, sizeof(*cl.conns));
	ASSERT(cl.conns != NULL);
	ASSERT_OK(mio_poll_new(&cl.poll));
	ASSERT_OK(mio_events_new(1024, &cl.events));
	client_run(&cl, go_fd);
	ASSERT_EQ(write(result_fd, &cl.verified, sizeof(cl.verified)),
		  sizeof(cl.verified));
	ASSERT_EQ(write(result_fd, &cl.checksum, sizeof(cl.checksum)),
		  sizeof(cl.checksum));
	mio_events_free(cl.events);
	mio_poll_free(cl.poll);
	free(cl.conns);
}

/* ---------------------------------------------------------------------- */

static void echo_10000(const struct proto *p)
{
	struct server sv = { 0 };
	int go[2], result[2], status;
	uint64_t verified = 0, expected = 0;
	uint32_t checksum = 0;

	/* Each side: its connections, the poll, stdio and a little more. */
	if (!raise_fd_limit(CONNS + 64))
		exit(TEST_SKIP);
	sv.p = p;
	sv.conns = calloc(CONNS, sizeof(*sv.conns));
	ASSERT(sv.conns != NULL);
	ASSERT_OK(p->listen(&sv.listener));
	ASSERT_EQ(pipe(go), 0);
	ASSERT_EQ(pipe(result), 0);
	fflush(stdout);
	sv.child = fork();
	ASSERT(sv.child >= 0);
	if (sv.child == 0) {
		close(go[1]);
		close(result[0]);
		ASSERT_OK(p->close(&sv.listener));
		client_main(p, go[0], result[1]);
		_exit(0);
	}
	close(go[0]);
	close(result[1]);
	sv.go_fd = go[1];
	ASSERT_OK(mio_poll_new(&sv.poll));
	ASSERT_OK(mio_events_new(1024, &sv.events));
	ASSERT_OK(mio_registry_register(mio_poll_registry(sv.poll),
					&sv.listener, LISTENER_TOKEN,
					MIO_READABLE));
	server_run(&sv);
	ASSERT_EQ(waitpid(sv.child, &status, 0), sv.child);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL_AT("the client failed (status %#x)", status);
	ASSERT_EQ(read(result[0], &verified, sizeof(verified)),
		  sizeof(verified));
	ASSERT_EQ(read(result[0], &checksum, sizeof(checksum)),
		  sizeof(checksum));
	for (uint32_t i = 0; i < CONNS; i++)
		expected += data_len(i);
	ASSERT_UEQ(sv.echoed, expected);
	ASSERT_UEQ(verified, expected);
	ASSERT_EQ(sv.peak, CONNS);
	printf("%s: %d connections held at once through one poll, %ju bytes "
	       "echoed and checked (checksum %08x)\n",
	       p->name, sv.peak, (uintmax_t)verified, checksum);
	ASSERT_OK(p->close(&sv.listener));
	mio_events_free(sv.events);
	mio_poll_free(sv.poll);
	close(go[1]);
	close(result[0]);
	free(sv.conns);
}

static void tcp_echo_10000_connections(void)
{
	if (libkqueue_gap(LIBKQUEUE_LOST_EVENTS))
		return;
	echo_10000(&tcp);
}

static void unix_echo_10000_connections(void)
{
	if (libkqueue_gap(LIBKQUEUE_LOST_EVENTS))
		return;
	echo_10000(&unix_proto);
}

int main(void)
{
	RUN(tcp_echo_10000_connections);
	RUN(unix_echo_10000_connections);
	return test_summary();
}
