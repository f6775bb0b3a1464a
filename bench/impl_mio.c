/*
 * This library, through its public API only: mio_source_fd over the
 * harness's descriptors, as mio's SourceFd. Linked once against the
 * default build (epoll) and once against a -DMIO_FORCE_POLL=ON build.
 */

#include <mio.h>

#include "impl.h"

#ifdef BENCH_MIO_POLL
const char impl_name[] = "mio-poll";
#else
const char impl_name[] = "mio";
#endif

static mio_poll *poll_;
static mio_events *events;

const char *impl_version(void)
{
	return mio_version();
}

int impl_init(int max_tokens)
{
	(void)max_tokens;
	if (mio_poll_new(&poll_) < 0)
		return -1;
	return mio_events_new(1024, &events) < 0 ? -1 : 0;
}

void impl_fini(void)
{
	mio_events_free(events);
	mio_poll_free(poll_);
}

int impl_add(int fd, uintptr_t token)
{
	mio_source s = mio_source_fd(fd);

	return mio_registry_register(mio_poll_registry(poll_), &s, token,
				     MIO_READABLE) < 0
		       ? -1
		       : 0;
}

int impl_del(int fd, uintptr_t token)
{
	mio_source s = mio_source_fd(fd);

	(void)token;
	return mio_registry_deregister(mio_poll_registry(poll_), &s) < 0 ? -1
									 : 0;
}

int impl_poll_once(bool block)
{
	static const struct timespec zero = { 0, 0 };
	int n = mio_poll_poll(poll_, events, block ? NULL : &zero);

	for (size_t i = 0, len = mio_events_len(events); i < len; i++)
		bench_ready(mio_event_token(mio_events_at(events, i)));
	return n < 0 && n != MIO_EINTR ? -1 : 0;
}
