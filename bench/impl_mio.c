/*
 * This library, through its public API only: mio_source_fd over the
 * harness's descriptors, as mio's SourceFd. Linked once against the
 * default build (epoll) and once against a -DMIO_FORCE_POLL=ON build.
 */

#include <stdlib.h>

#include <mio.h>

#include "impl.h"

/*
 * The poll(2) backend emulates edge triggering: after an event, a source
 * stays quiet until I/O through the library would block or is short, or
 * until it is reregistered. The harness reads each source once with
 * read(2) on its descriptor, which drains it but bypasses the library,
 * so the poll(2) build reregisters after each event instead. (The echo
 * server below reads through the library, which re-arms by itself.)
 */
#ifdef BENCH_MIO_POLL
const char impl_name[] = "mio-poll";
static const bool rearm_by_reregister = true;
#else
const char impl_name[] = "mio";
static const bool rearm_by_reregister = false;
#endif

/* Its own echo server (below) stops at short reads. */
const bool impl_echo_until_eagain = false;

static mio_poll *poll_;
static mio_events *events;
static int *fds; /* by token, for reregistering */

const char *impl_version(void)
{
	return mio_version();
}

int impl_init(int max_tokens)
{
	fds = calloc((size_t)max_tokens, sizeof(*fds));
	if (fds == NULL || mio_poll_new(&poll_) < 0)
		return -1;
	return mio_events_new(1024, &events) < 0 ? -1 : 0;
}

void impl_fini(void)
{
	mio_events_free(events);
	mio_poll_free(poll_);
	free(fds);
}

int impl_add(int fd, uintptr_t token)
{
	mio_source s = mio_source_fd(fd);

	fds[token] = fd;
	return mio_registry_register(mio_poll_registry(poll_), &s, token,
				     MIO_READABLE) < 0
		       ? -1
		       : 0;
}

int impl_del(int fd, uintptr_t token)
{
	mio_source s = mio_source_fd(fd);

	fds[token] = -1;
	return mio_registry_deregister(mio_poll_registry(poll_), &s) < 0 ? -1
									 : 0;
}

int impl_poll_once(bool block)
{
	static const struct timespec zero = { 0, 0 };
	mio_events *ev = events;
	int n = mio_poll_poll(poll_, ev, block ? NULL : &zero);

	/* mio_events_at is the unchecked form for hot loops; n is the count. */
	for (int i = 0; i < n; i++) {
		mio_token token = mio_event_token(mio_events_at(ev, (size_t)i));

		bench_ready(token);
		if (rearm_by_reregister && fds[token] >= 0) {
			mio_source s = mio_source_fd(fds[token]);

			mio_registry_reregister(mio_poll_registry(poll_), &s,
						token, MIO_READABLE);
		}
	}
	return n < 0 ? -1 : 0;
}

/*
 * The echo server through the library's TCP API. Connections live in an
 * array indexed by token. A read that returns less than it asked for has
 * drained the socket, so the server stops there without the read that
 * would return MIO_EAGAIN, unless the event reported read-closed: the
 * peer's FIN may have come with the last data, and no later event would
 * announce it. Accepting goes on until MIO_EAGAIN, which is what re-arms
 * the listener on the poll(2) build.
 */
#define ECHO_MAX_CONNS 4096
#define LISTENER ECHO_MAX_CONNS

static mio_tcp_stream conns[ECHO_MAX_CONNS];
static mio_tcp_listener listener;
static int live, accepted;

static int echo_accept(mio_registry *r)
{
	for (;;) {
		mio_tcp_stream *c = &conns[accepted];
		int err;

		if (accepted == ECHO_MAX_CONNS)
			return -1;
		err = mio_tcp_listener_accept(&listener, c, NULL);
		if (err == MIO_EAGAIN)
			return 0;
		if (err < 0)
			return -1;
		mio_tcp_stream_set_nodelay(c, true);
		if (mio_registry_register(r, &c->source, (mio_token)accepted,
					  MIO_READABLE) < 0)
			return -1;
		accepted++;
		live++;
	}
}

static int echo_conn(const mio_event *e)
{
	mio_tcp_stream *c = &conns[mio_event_token(e)];
	bool closed = mio_event_is_read_closed(e);
	char buf[4096];
	mio_ssize n;

	for (;;) {
		n = mio_tcp_stream_read(c, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (mio_tcp_stream_write(c, buf, (size_t)n) != n)
			return -1;
		if ((size_t)n < sizeof(buf) && !closed)
			return 0;
	}
	if (n == MIO_EAGAIN || n == MIO_EINTR)
		return 0;
	mio_tcp_stream_close(c);
	live--;
	return 0;
}

int impl_echo(void (*announce)(int port))
{
	mio_registry *r;
	mio_sockaddr addr;

	if (impl_init(1) < 0)
		return -1;
	r = mio_poll_registry(poll_);
	mio_sockaddr_ipv4(&addr, 0x7f000001, 0);
	if (mio_tcp_listener_bind(&listener, &addr) < 0 ||
	    mio_tcp_listener_local_addr(&listener, &addr) < 0 ||
	    mio_registry_register(r, &listener.source, LISTENER, MIO_READABLE) <
		    0)
		return -1;
	announce(mio_sockaddr_port(&addr));
	while (accepted == 0 || live > 0) {
		mio_events *ev = events;

		if (mio_poll_poll(poll_, ev, NULL) < 0)
			return -1;
		for (size_t i = 0, len = mio_events_len(ev); i < len; i++) {
			const mio_event *e = mio_events_at(ev, i);
			int err = mio_event_token(e) == LISTENER
					  ? echo_accept(r)
					  : echo_conn(e);

			if (err < 0)
				return -1;
		}
	}
	mio_tcp_listener_close(&listener);
	impl_fini();
	return 0;
}
