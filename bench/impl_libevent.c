/*
 * libevent 2.1 (Debian's libevent-dev) with its epoll backend: one
 * persistent event per descriptor, stored in one array as libevent's own
 * test/bench.c does.
 */

#include <stdlib.h>

#include <event2/event.h>

#include "impl.h"

const char impl_name[] = "libevent";
/* Level-triggered: a short read may stop (impl.h). */
const bool impl_echo_until_eagain = false;

static struct event_base *base;
static char *evs;
static size_t ev_size;

const char *impl_version(void)
{
	return event_get_version();
}

static void on_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	bench_ready((uintptr_t)arg);
}

int impl_init(int max_tokens)
{
	struct event_config *cfg = event_config_new();

	if (cfg == NULL)
		return -1;
	event_config_avoid_method(cfg, "select");
	event_config_avoid_method(cfg, "poll");
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	ev_size = event_get_struct_event_size();
	evs = calloc((size_t)max_tokens, ev_size);
	return base == NULL || evs == NULL ? -1 : 0;
}

void impl_fini(void)
{
	event_base_free(base);
	free(evs);
}

static struct event *ev_at(uintptr_t token)
{
	return (struct event *)(void *)(evs + token * ev_size);
}

int impl_add(int fd, uintptr_t token)
{
	struct event *e = ev_at(token);

	if (event_assign(e, base, fd, EV_READ | EV_PERSIST, on_event,
			 (void *)token) < 0)
		return -1;
	return event_add(e, NULL);
}

int impl_del(int fd, uintptr_t token)
{
	(void)fd;
	return event_del(ev_at(token));
}

int impl_poll_once(bool block)
{
	return event_base_loop(base, block ? EVLOOP_ONCE : EVLOOP_NONBLOCK) < 0
		       ? -1
		       : 0;
}
