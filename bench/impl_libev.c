/* libev 4.33 (Debian's libev-dev): one ev_io per descriptor. */

#include <stdio.h>
#include <stdlib.h>

#include <ev.h>

#include "impl.h"

const char impl_name[] = "libev";
/* Level-triggered: a short read may stop (impl.h). */
const bool impl_echo_until_eagain = false;

static struct ev_loop *loop;
static ev_io *ios;

const char *impl_version(void)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "%d.%d", ev_version_major(),
		 ev_version_minor());
	return buf;
}

static void on_io(struct ev_loop *l, ev_io *w, int revents)
{
	(void)l;
	(void)revents;
	bench_ready((uintptr_t)w->data);
}

int impl_init(int max_tokens)
{
	loop = ev_loop_new(EVBACKEND_EPOLL);
	ios = calloc((size_t)max_tokens, sizeof(*ios));
	return loop == NULL || ios == NULL ? -1 : 0;
}

void impl_fini(void)
{
	ev_loop_destroy(loop);
	free(ios);
}

int impl_add(int fd, uintptr_t token)
{
	ev_io *w = &ios[token];

	ev_io_init(w, on_io, fd, EV_READ);
	w->data = (void *)token;
	ev_io_start(loop, w);
	return 0;
}

int impl_del(int fd, uintptr_t token)
{
	(void)fd;
	ev_io_stop(loop, &ios[token]);
	return 0;
}

int impl_poll_once(bool block)
{
	ev_run(loop, block ? EVRUN_ONCE : EVRUN_NOWAIT);
	return 0;
}
