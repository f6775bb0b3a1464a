/*
 * The POSIX socket options whose names or units differ between systems
 * (see src/net/socket.h): the family of an unbound socket, SO_REUSEPORT,
 * SO_LINGER in seconds and the keepalive timers.
 */

#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include "net/socket.h"

int mio__socket_family(mio_raw_fd fd)
{
#ifdef SO_DOMAIN
	int family = 0;
	int err = mio__socket_get_int(fd, SOL_SOCKET, SO_DOMAIN, &family);

	return err < 0 ? err : family;
#else
	/* An unbound socket still names its family (the address is 0). */
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);
	int err;

	memset(&a, 0, sizeof(a));
	err = mio__socket_local_addr(fd, (struct sockaddr *)&a, &len);
	return err < 0 ? err : a.ss_family;
#endif
}

int mio__socket_set_reuseport(mio_raw_fd fd, bool on)
{
#ifdef SO_REUSEPORT
	return mio__socket_set_int(fd, SOL_SOCKET, SO_REUSEPORT, on);
#else
	(void)fd;
	(void)on;
	return MIO_ENOTSUP;
#endif
}

int mio__socket_reuseport(mio_raw_fd fd, bool *out)
{
#ifdef SO_REUSEPORT
	int v = 0;
	int err = mio__socket_get_int(fd, SOL_SOCKET, SO_REUSEPORT, &v);

	if (err == 0)
		*out = v != 0;
	return err;
#else
	(void)fd;
	(void)out;
	return MIO_ENOTSUP;
#endif
}

/* Apple's SO_LINGER counts clock ticks; SO_LINGER_SEC counts seconds. */
#ifdef SO_LINGER_SEC
#define LINGER_OPTION SO_LINGER_SEC
#else
#define LINGER_OPTION SO_LINGER
#endif

int mio__socket_set_linger(mio_raw_fd fd, bool on, uint32_t secs)
{
	struct linger l;

	if (on && secs > INT_MAX)
		return MIO_EINVAL;
	memset(&l, 0, sizeof(l));
	l.l_onoff = on;
	l.l_linger = on ? (int)secs : 0;
	return mio__socket_setopt(fd, SOL_SOCKET, LINGER_OPTION, &l, sizeof(l));
}

int mio__socket_linger(mio_raw_fd fd, bool *on, uint32_t *secs)
{
	struct linger l;
	socklen_t len = sizeof(l);

	memset(&l, 0, sizeof(l));
	if (getsockopt(fd, SOL_SOCKET, LINGER_OPTION, &l, &len) < 0)
		return -errno;
	*on = l.l_onoff != 0;
	*secs = *on && l.l_linger > 0 ? (uint32_t)l.l_linger : 0;
	return 0;
}

/*
 * The keepalive timers' options, in mio_tcp_keepalive's order (idle time,
 * interval, probe count); -1 where the system has none (OpenBSD has no
 * per-socket timers). Apple systems call the idle time TCP_KEEPALIVE.
 */
#if defined(TCP_KEEPIDLE)
#define KEEPALIVE_IDLE TCP_KEEPIDLE
#elif defined(TCP_KEEPALIVE)
#define KEEPALIVE_IDLE TCP_KEEPALIVE
#else
#define KEEPALIVE_IDLE (-1)
#endif
#ifdef TCP_KEEPINTVL
#define KEEPALIVE_INTERVAL TCP_KEEPINTVL
#else
#define KEEPALIVE_INTERVAL (-1)
#endif
#ifdef TCP_KEEPCNT
#define KEEPALIVE_COUNT TCP_KEEPCNT
#else
#define KEEPALIVE_COUNT (-1)
#endif

static const int keepalive_options[MIO__KEEPALIVE_TIMERS] = {
	[MIO__KEEPALIVE_TIME] = KEEPALIVE_IDLE,
	[MIO__KEEPALIVE_INTERVAL] = KEEPALIVE_INTERVAL,
	[MIO__KEEPALIVE_RETRIES] = KEEPALIVE_COUNT,
};

/* Puts back the first n timers that want[] changed. */
static void keepalive_restore(mio_raw_fd fd, const uint32_t want[],
			      const int old[], int n)
{
	for (int i = 0; i < n; i++)
		if (want[i] != 0)
			mio__socket_set_int(fd, IPPROTO_TCP,
					    keepalive_options[i], old[i]);
}

int mio__socket_set_keepalive_params(mio_raw_fd fd, const mio_tcp_keepalive *ka)
{
	const uint32_t want[MIO__KEEPALIVE_TIMERS] = { ka->time_s,
						       ka->interval_s,
						       ka->retries };
	int old[MIO__KEEPALIVE_TIMERS] = { 0 };
	int i, err = 0;

	for (i = 0; i < MIO__KEEPALIVE_TIMERS; i++) {
		if (want[i] != 0 && keepalive_options[i] < 0)
			return MIO_ENOTSUP;
		if (want[i] > INT_MAX)
			return MIO_EINVAL;
	}
	/*
	 * Three options are three calls, and the kernel may refuse any one
	 * of them (Linux: more than 32767 seconds or 127 probes): keep the
	 * old values to put back, so that a failure changes nothing.
	 */
	for (i = 0; i < MIO__KEEPALIVE_TIMERS && err == 0; i++)
		if (want[i] != 0)
			err = mio__socket_get_int(
				fd, IPPROTO_TCP, keepalive_options[i], &old[i]);
	if (err < 0)
		return err;
	for (i = 0; i < MIO__KEEPALIVE_TIMERS && err == 0; i++)
		if (want[i] != 0)
			err = mio__socket_set_int(fd, IPPROTO_TCP,
						  keepalive_options[i],
						  (int)want[i]);
	if (err == 0)
		err = mio__socket_set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	if (err < 0)
		keepalive_restore(fd, want, old, i);
	return err;
}

int mio__socket_keepalive_timer(mio_raw_fd fd, enum mio__keepalive_timer t,
				int *out)
{
	if (keepalive_options[t] < 0)
		return MIO_ENOTSUP;
	return mio__socket_get_int(fd, IPPROTO_TCP, keepalive_options[t], out);
}
