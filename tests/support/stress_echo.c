/* Echo under load: see stress_echo.h. */

#include "stress_echo.h"

#include "mix.h"

#define CONNS 10000
#define MIN_LEN 2048
#define MAX_LEN 8192
#define MAX_WRITE 1500
#define BATCH 1000
#define LISTENER_TOKEN ((mio_token)UINTPTR_MAX)
#define IDLE_MS 30000

_Static_assert(CONNS % BATCH == 0, "the server signals whole batches");

/*
 * CONNS and BATCH, or fewer under MIO_TEST_SCALE; set before the client
 * starts, so that both sides see them.
 */
static int conns, batch;

/* ---------------------------------------------------------------------- */
/* The data: byte p of connection i is a hash of (i, p); lengths vary.     */

static uint8_t data_byte(uint32_t conn, uint32_t pos)
{
	return (uint8_t)(test_mix32(conn * 0x9e3779b9U + (pos >> 2)) >>
			 (8 * (pos & 3)));
}

static uint32_t data_len(uint32_t conn)
{
	return MIN_LEN +
	       test_mix32(conn ^ 0xabcdef12U) % (MAX_LEN - MIN_LEN + 1);
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
/* The server: the test itself, one poll for the listener and every one  */
/* of the connections.                                                    */

struct server_conn {
	mio_source stream; /* a mio_tcp_stream or mio_unix_stream */
	uint16_t pending, off;
	uint8_t buf[MAX_WRITE];
};

struct server {
	const struct echo_proto *p;
	mio_poll *poll;
	mio_events *events;
	mio_source listener;
	struct server_conn *conns;
	int accepted, live, peak;
	uint64_t echoed;
	int go_fd; /* a byte each time a whole batch has been accepted */
};

static void server_accept(struct server *sv)
{
	for (;;) {
		if (sv->accepted == conns) {
			mio_source extra;
			int err = sv->p->accept(&sv->listener, &extra);
			if (err != MIO_EAGAIN)
				FAIL_AT("a connection beyond %d: %s", conns,
					mio_err_name(err));
			return;
		}
		struct server_conn *c = &sv->conns[sv->accepted];
		int err = sv->p->accept(&sv->listener, &c->stream);
		if (err == MIO_EAGAIN)
			return;
		/* Not the library's: Wine's limit (docs/windows.md). */
		if (err == MIO_EINVAL && test_under_wine())
			FAIL_AT("accept: EINVAL after %d connections, which "
				"under Wine means the wineserver ran out of "
				"Unix descriptors (RLIMIT_NOFILE): see "
				"docs/windows.md, \"Many sockets under Wine\"",
				sv->accepted);
		ASSERT_OK(err);
		ASSERT_OK(mio_registry_register(
			mio_poll_registry(sv->poll), &c->stream,
			(mio_token)sv->accepted, MIO_READABLE | MIO_WRITABLE));
		sv->accepted++;
		if (++sv->live > sv->peak)
			sv->peak = sv->live;
		if (sv->accepted % batch == 0)
			test_pipe_write(sv->go_fd, "g", 1);
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

	while (sv->accepted < conns || sv->live > 0) {
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
			if (sv->conns[t].stream.fd == MIO_INVALID_FD)
				continue; /* closed earlier in this batch */
			server_echo(sv, &sv->conns[t]);
			if (sv->conns[t].stream.fd == MIO_INVALID_FD)
				closed_total++;
		}
	}
	ASSERT_EQ(closed_total, conns);
}

/* ---------------------------------------------------------------------- */
/* The client: the test's peer, one poll for its 10,000 connections.    */

struct client_conn {
	mio_source stream;
	uint32_t len, sent, received, rng;
	bool connected, shut;
};

struct client {
	const struct echo_proto *p;
	char addr[ECHO_ADDR_MAX];
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
		ASSERT_OK(cl->p->connect(&c->stream, cl->addr));
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
	for (int first = 0; first < conns; first += batch) {
		client_connect_batch(cl, first, batch);
		test_pipe_read(go_fd, &go, 1);
	}
	for (int i = 0; i < conns; i++)
		client_send(cl, &cl->conns[i], (uint32_t)i);
	while (cl->done < conns) {
		int n = mio_poll_poll(cl->poll, cl->events, &t);
		if (n == MIO_EINTR)
			continue;
		ASSERT_OK(n);
		if (n == 0)
			FAIL_AT("client idle: %d of %d done", cl->done, conns);
		for (int i = 0; i < n; i++) {
			uint32_t id = (uint32_t)mio_event_token(
				mio_events_at(cl->events, (size_t)i));
			struct client_conn *c = &cl->conns[id];
			if (c->stream.fd == MIO_INVALID_FD)
				continue;
			client_send(cl, c, id);
			client_receive(cl, c, id);
		}
	}
}

/* The peer's side: the address, then batches, then the results. */
struct client_pipes {
	const struct echo_proto *p;
	int go_fd, result_fd;
};

static void client_main(void *arg)
{
	const struct client_pipes *pipes = arg;
	struct client cl = { 0 };

	cl.p = pipes->p;
	cl.checksum = 2166136261U;
	cl.conns = calloc((size_t)conns, sizeof(*cl.conns));
	ASSERT(cl.conns != NULL);
	test_pipe_read(pipes->go_fd, cl.addr, sizeof(cl.addr));
	ASSERT_OK(mio_poll_new(&cl.poll));
	ASSERT_OK(mio_events_new(1024, &cl.events));
	client_run(&cl, pipes->go_fd);
	test_pipe_write(pipes->result_fd, &cl.verified, sizeof(cl.verified));
	test_pipe_write(pipes->result_fd, &cl.checksum, sizeof(cl.checksum));
	mio_events_free(cl.events);
	mio_poll_free(cl.poll);
	free(cl.conns);
}

/* ---------------------------------------------------------------------- */

void echo_stress_run(const struct echo_proto *p)
{
	struct server sv = { 0 };
	struct client_pipes pipes = { p, -1, -1 };
	struct test_peer client;
	int go[2], result[2];
	char addr[ECHO_ADDR_MAX] = { 0 };
	uint64_t verified = 0, expected = 0;
	uint32_t checksum = 0;

	/* Whole batches, and at least one connection. */
	conns = CONNS / (int)stress_divisor();
	if (conns < 1)
		conns = 1;
	batch = conns < BATCH ? conns : BATCH;
	conns -= conns % batch;
	/* Each side: its connections, the poll, stdio and a little more. */
	if (!raise_fd_limit(conns + 64))
		exit(TEST_SKIP);
	test_pipe(go);
	test_pipe(result);
	pipes.go_fd = go[0];
	pipes.result_fd = result[1];
	/* The client starts with nothing of the server's but the pipes. */
	test_peer_start(&client, client_main, &pipes);

	sv.p = p;
	sv.go_fd = go[1];
	sv.conns = calloc((size_t)conns, sizeof(*sv.conns));
	ASSERT(sv.conns != NULL);
	ASSERT_OK(p->listen(&sv.listener, addr));
	test_pipe_write(go[1], addr, sizeof(addr));
	ASSERT_OK(mio_poll_new(&sv.poll));
	ASSERT_OK(mio_events_new(1024, &sv.events));
	ASSERT_OK(mio_registry_register(mio_poll_registry(sv.poll),
					&sv.listener, LISTENER_TOKEN,
					MIO_READABLE));
	server_run(&sv);
	test_peer_join(&client);
	test_pipe_read(result[0], &verified, sizeof(verified));
	test_pipe_read(result[0], &checksum, sizeof(checksum));
	for (uint32_t i = 0; i < (uint32_t)conns; i++)
		expected += data_len(i);
	ASSERT_UEQ(sv.echoed, expected);
	ASSERT_UEQ(verified, expected);
	ASSERT_EQ(sv.peak, conns);
	printf("%s: %d connections held at once through one poll, %ju bytes "
	       "echoed and checked (checksum %08x)\n",
	       p->name, sv.peak, (uintmax_t)verified, checksum);
	ASSERT_OK(p->close(&sv.listener));
	mio_events_free(sv.events);
	mio_poll_free(sv.poll);
	test_pipe_close(go[0]);
	test_pipe_close(go[1]);
	test_pipe_close(result[0]);
	test_pipe_close(result[1]);
	free(sv.conns);
}
