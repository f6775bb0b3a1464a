#ifndef MIO_EVENT_NO_AIO_H
#define MIO_EVENT_NO_AIO_H

/*
 * The AIO and LIO accessors where no event is ever one: everywhere but
 * the kqueue systems that deliver those completions (event_kqueue.h).
 */

MIO_INLINE bool mio_event_is_aio(const mio_event *e)
{
	(void)e;
	return false;
}

MIO_INLINE bool mio_event_is_lio(const mio_event *e)
{
	(void)e;
	return false;
}

#endif
