#ifndef MIO_INLINE_H
#define MIO_INLINE_H

/*
 * Private: the inline definitions that mio.h declares (the event buffer's
 * accessors and mio_poll_poll), with the layouts they read. Nothing here
 * is part of the API; the layouts may change with any release that
 * changes the SONAME (see mio/version.h). Include <mio.h>, not this file.
 */

#ifndef MIO_H
#error "include <mio.h>, not <mio/inline.h>"
#endif

/* The event buffer's layout, private: only the accessors below use it. */
struct mio__events_view {
	int os_cap; /* cap, or fewer: one OS wait takes INT_MAX bytes */
	size_t len;
	size_t cap;
};

#define MIO__EVENTS(ev) ((const struct mio__events_view *)(const void *)(ev))

/*
 * The events follow the view in the same allocation (src/events.c), so
 * the accessors find them at a fixed offset: a hot loop need not reload
 * the buffer's address after each call it makes.
 */
struct mio__events_layout {
	struct mio__events_view view;
	mio_event first[1];
};

#define MIO__EVENTS_FIRST_OFFSET offsetof(struct mio__events_layout, first)
#define MIO__EVENTS_BUF(ev)                                                    \
	((const mio_event *)(const void *)((const char *)(ev) +                \
					   MIO__EVENTS_FIRST_OFFSET))

MIO_INLINE size_t mio_events_capacity(const mio_events *events)
{
	return events != NULL ? MIO__EVENTS(events)->cap : 0;
}

MIO_INLINE size_t mio_events_len(const mio_events *events)
{
	return events != NULL ? MIO__EVENTS(events)->len : 0;
}

MIO_INLINE bool mio_events_is_empty(const mio_events *events)
{
	return mio_events_len(events) == 0;
}

MIO_INLINE const mio_event *mio_events_get(const mio_events *events,
					   size_t index)
{
	return index < mio_events_len(events) ? &MIO__EVENTS_BUF(events)[index]
					      : NULL;
}

MIO_INLINE const mio_event *mio_events_at(const mio_events *events,
					  size_t index)
{
	return &MIO__EVENTS_BUF(events)[index];
}

/*
 * mio_poll_poll is defined here as well: where the platform header
 * offers a direct wait (MIO__DIRECT_WAIT: epoll_wait on Linux) and the
 * poll allows it (an epoll build whose waker needs no draining), an
 * endless or zero wait is that one call straight into the caller's
 * buffer, with no call into the library in between.
 * Everything else (other timeouts, other backends, bad arguments) goes
 * to mio__poll_wait, which is the checked, general path.
 */

/* The head of a mio_poll, private: see src/internal.h. */
struct mio__poll_view {
	int wait_fd; /* handed to MIO__DIRECT_WAIT as is, or -1 */
};

MIO_EXTERN int mio__poll_wait(mio_poll *poll, mio_events *events,
			      const struct timespec *timeout);

#if defined(__GNUC__)
#define MIO__LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define MIO__LIKELY(x) (x)
#endif

MIO_INLINE int mio_poll_poll(mio_poll *poll, mio_events *events,
			     const struct timespec *timeout)
{
#if defined(MIO__DIRECT_WAIT)
	const struct mio__poll_view *p =
		(const struct mio__poll_view *)(const void *)poll;
	struct mio__events_view *v = (struct mio__events_view *)(void *)events;

	/* Laid out so that the common case runs straight through. */
	if (MIO__LIKELY(p != NULL && v != NULL && p->wait_fd >= 0 &&
			(timeout == NULL ||
			 (timeout->tv_sec == 0 && timeout->tv_nsec == 0)))) {
		mio_event *first =
			(mio_event *)(void *)((char *)events +
					      MIO__EVENTS_FIRST_OFFSET);
		int n = MIO__DIRECT_WAIT(p->wait_fd, first, v->os_cap,
					 timeout == NULL ? -1 : 0);

		if (MIO__LIKELY(n >= 0)) {
			v->len = (size_t)n;
			return n;
		}
		v->len = 0;
		return -errno;
	}
#endif
	return mio__poll_wait(poll, events, timeout);
}

#undef MIO__LIKELY
#undef MIO__EVENTS
#undef MIO__EVENTS_BUF
#undef MIO__EVENTS_FIRST_OFFSET

#endif
