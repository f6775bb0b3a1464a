/* The owned kind of source_pair.h, and what both kinds share. */

#include "inet.h"
#include "source_pair.h"

struct read_req {
	void *buf;
	size_t len;
};

static mio_ssize read_fn(mio_source *s, void *ctx)
{
	struct read_req *r = ctx;

	return test_recv(s->fd, r->buf, r->len);
}

mio_ssize source_pair_try_read(mio_source *s, void *buf, size_t len)
{
	struct read_req r = { buf, len };

	return mio_source_try_io(s, read_fn, &r);
}

static void tcp_open(struct source_pair *p)
{
	stream_pair(&p->u.tcp.a, &p->u.tcp.b);
	p->src = &p->u.tcp.a.source;
}

static mio_ssize tcp_peer_write(struct source_pair *p, const void *buf,
				size_t len)
{
	return mio_tcp_stream_write(&p->u.tcp.b, buf, len);
}

static mio_ssize tcp_read(struct source_pair *p, void *buf, size_t len)
{
	return mio_tcp_stream_read(&p->u.tcp.a, buf, len);
}

static int tcp_close_source(struct source_pair *p)
{
	return mio_tcp_stream_close(&p->u.tcp.a);
}

static void tcp_close(struct source_pair *p)
{
	/* Closing an already closed stream is a no-op returning 0. */
	close_pair(&p->u.tcp.a, &p->u.tcp.b);
}

const struct source_pair_kind source_pair_tcp = {
	"owned TCP stream", tcp_open,	      tcp_peer_write,
	tcp_read,	    tcp_close_source, tcp_close,
};
