/*
 * mio_poll_raw_fd and mio_registry_raw_fd: the OS queue's descriptor, as
 * mio's AsRawFd for Poll and Registry, where the queue is a descriptor.
 */

#include "inet.h"

/* epoll and kqueue are descriptors; poll(2)'s table and IOCP are not. */
static const bool queue_is_fd = !MIO__SELECTOR_NEEDS_REARM;

static void null_handles(void)
{
	ASSERT(mio_poll_raw_fd(NULL) == MIO_INVALID_FD);
	ASSERT(mio_registry_raw_fd(NULL) == MIO_INVALID_FD);
}

/* The descriptor is the queue itself: it turns readable with an event. */
static void queue_descriptor(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_waker *waker;
	mio_registry *clone;
	mio_raw_fd fd;

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(4, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	fd = mio_poll_raw_fd(poll);
	ASSERT(mio_registry_raw_fd(mio_poll_registry(poll)) == fd);
	ASSERT(mio_registry_raw_fd(clone) == fd);
	if (!queue_is_fd) {
		ASSERT(fd == MIO_INVALID_FD);
	} else {
		ASSERT(fd != MIO_INVALID_FD);
		assert_cloexec(fd);
		if (libkqueue_gap(LIBKQUEUE_QUEUE_FD))
			goto out;
		ASSERT_EQ(test_poll_socket(fd, POLLIN, 0), 0);
		ASSERT_OK(mio_waker_new(mio_poll_registry(poll), 5, &waker));
		ASSERT_OK(mio_waker_wake(waker));
		ASSERT(test_poll_socket(fd, POLLIN, 5000) & POLLIN);
		ASSERT_EQ(mio_poll_poll(poll, events, NULL), 1);
		ASSERT_UEQ(mio_event_token(mio_events_at(events, 0)), 5);
		mio_waker_free(waker);
	}
out:
	mio_registry_free(clone);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* A registry clone keeps the queue, and so its descriptor, open. */
static void clone_keeps_the_descriptor(void)
{
	mio_poll *poll;
	mio_registry *clone;
	mio_raw_fd fd;

	if (!queue_is_fd)
		return;
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	fd = mio_poll_raw_fd(poll);
	mio_poll_free(poll);
	ASSERT(test_socket_is_open(fd));
	ASSERT(mio_registry_raw_fd(clone) == fd);
	mio_registry_free(clone);
	ASSERT(!test_socket_is_open(fd));
}

int main(void)
{
	RUN(null_handles);
	RUN(queue_descriptor);
	RUN(clone_keeps_the_descriptor);
	return test_summary();
}
