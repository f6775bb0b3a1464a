/*
 * libuv 1.44 (Debian's libuv1-dev): one uv_poll_t per descriptor, libuv's
 * readiness interface (its streams would add their own buffering).
 */

#include <stdlib.h>

#include <uv.h>

#include "impl.h"

const char impl_name[] = "libuv";
/* Level-triggered: a short read may stop (impl.h). */
const bool impl_echo_until_eagain = false;

static uv_loop_t loop;
static uv_poll_t *polls;

const char *impl_version(void)
{
	return uv_version_string();
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	(void)status;
	(void)events;
	bench_ready((uintptr_t)h->data);
}

int impl_init(int max_tokens)
{
	polls = calloc((size_t)max_tokens, sizeof(*polls));
	if (polls == NULL)
		return -1;
	return uv_loop_init(&loop) < 0 ? -1 : 0;
}

void impl_fini(void)
{
	/* Run the close callbacks of the handles impl_del closed. */
	uv_run(&loop, UV_RUN_NOWAIT);
	uv_loop_close(&loop);
	free(polls);
}

int impl_add(int fd, uintptr_t token)
{
	uv_poll_t *h = &polls[token];

	if (uv_poll_init(&loop, h, fd) < 0)
		return -1;
	h->data = (void *)token;
	return uv_poll_start(h, UV_READABLE, on_poll) < 0 ? -1 : 0;
}

int impl_del(int fd, uintptr_t token)
{
	(void)fd;
	uv_poll_stop(&polls[token]);
	uv_close((uv_handle_t *)&polls[token], NULL);
	return 0;
}

int impl_poll_once(bool block)
{
	uv_run(&loop, block ? UV_RUN_ONCE : UV_RUN_NOWAIT);
	return 0;
}
