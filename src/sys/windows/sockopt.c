/*
 * The Windows socket options that differ from POSIX (see
 * src/net/socket.h): the family of an unbound socket, SO_REUSEPORT
 * (none), SO_LINGER's 16-bit seconds, and the keepalive timers, which
 * SIO_KEEPALIVE_VALS sets (in milliseconds, both at once) on every
 * Windows, and TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT read (and the
 * last sets) since Windows 10 versions 1703 and 1709.
 */

#include <limits.h>

#include "net/socket.h"
#include "win_internal.h"

#include <mstcpip.h> /* after winsock2.h, which it needs */
#include <ws2tcpip.h>

/* The SDK's values, which older MinGW headers lack. */
#ifndef TCP_KEEPIDLE
#define TCP_KEEPIDLE 3
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif

/*
 * Windows' keepalive timers when nobody changed them (SIO_KEEPALIVE_VALS'
 * documentation): two hours of idle time, a probe each second.
 */
#define KEEPALIVE_DEFAULT_TIME_S 7200u
#define KEEPALIVE_DEFAULT_INTERVAL_S 1u

/*
 * A non-blocking socket that lingers (SO_LINGER on with a time) cannot
 * close while data is unsent: closesocket fails with WSAEWOULDBLOCK and
 * the socket stays open. The caller asked for a lingering close, so it
 * gets one, as close(2) gives it on Linux: the socket is made blocking
 * and closed again, which waits up to the linger time.
 */
int mio__socket_close_failed(mio_raw_fd fd)
{
	u_long off = 0;

	if (WSAGetLastError() != WSAEWOULDBLOCK)
		return mio__wsa_error();
	if (ioctlsocket((SOCKET)fd, FIONBIO, &off) != 0 ||
	    closesocket((SOCKET)fd) != 0)
		return mio__wsa_error();
	return 0;
}

int mio__socket_family(mio_raw_fd fd)
{
	/* getsockname fails on an unbound socket; the protocol info does not.
	 */
	WSAPROTOCOL_INFOW info;
	int len = sizeof(info);

	if (getsockopt((SOCKET)fd, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info,
		       &len) != 0)
		return mio__wsa_error();
	return info.iAddressFamily;
}

int mio__socket_set_reuseport(mio_raw_fd fd, bool on)
{
	(void)fd;
	(void)on;
	return MIO_ENOTSUP;
}

int mio__socket_reuseport(mio_raw_fd fd, bool *out)
{
	(void)fd;
	(void)out;
	return MIO_ENOTSUP;
}

int mio__socket_set_linger(mio_raw_fd fd, bool on, uint32_t secs)
{
	struct linger l;

	if (on && secs > USHRT_MAX)
		return MIO_EINVAL;
	l.l_onoff = on;
	l.l_linger = on ? (u_short)secs : 0;
	return mio__socket_setopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

int mio__socket_linger(mio_raw_fd fd, bool *on, uint32_t *secs)
{
	struct linger l = { 0, 0 };
	int len = sizeof(l);

	if (getsockopt((SOCKET)fd, SOL_SOCKET, SO_LINGER, (char *)&l, &len) !=
	    0)
		return mio__wsa_error();
	*on = l.l_onoff != 0;
	*secs = *on ? l.l_linger : 0;
	return 0;
}

/*
 * Reads a keepalive option that only newer Windows versions have: one
 * that Winsock does not know (WSAENOPROTOOPT, or WSAEINVAL on some
 * versions; both MIO_EINVAL) gives MIO_ENOTSUP.
 */
static int keepalive_get(mio_raw_fd fd, int name, int *out)
{
	int err = mio__socket_get_int(fd, IPPROTO_TCP, name, out);

	return err == MIO_EINVAL ? MIO_ENOTSUP : err;
}

/*
 * A timer for SIO_KEEPALIVE_VALS in milliseconds: `want` seconds, or, for
 * 0, the socket's current value where Windows tells it, else the default.
 */
static int keepalive_ms(mio_raw_fd fd, int name, uint32_t want,
			uint32_t fallback, u_long *ms)
{
	int cur = 0;

	if (want == 0)
		want = keepalive_get(fd, name, &cur) == 0 && cur > 0
			       ? (uint32_t)cur
			       : fallback;
	if (want > ULONG_MAX / 1000)
		return MIO_EINVAL;
	*ms = (u_long)want * 1000;
	return 0;
}

/* SIO_KEEPALIVE_VALS with both timers; it turns keepalive on as well. */
static int keepalive_vals(mio_raw_fd fd, const mio_tcp_keepalive *ka)
{
	struct tcp_keepalive vals = { 1, 0, 0 };
	DWORD bytes = 0;
	int err;

	err = keepalive_ms(fd, TCP_KEEPIDLE, ka->time_s,
			   KEEPALIVE_DEFAULT_TIME_S, &vals.keepalivetime);
	if (err == 0)
		err = keepalive_ms(fd, TCP_KEEPINTVL, ka->interval_s,
				   KEEPALIVE_DEFAULT_INTERVAL_S,
				   &vals.keepaliveinterval);
	if (err < 0)
		return err;
	if (WSAIoctl((SOCKET)fd, SIO_KEEPALIVE_VALS, &vals, sizeof(vals), NULL,
		     0, &bytes, NULL, NULL) == SOCKET_ERROR)
		return mio__wsa_error();
	return 0;
}

int mio__socket_set_keepalive_params(mio_raw_fd fd, const mio_tcp_keepalive *ka)
{
	int old_count = 0, err;

	if (ka->time_s > ULONG_MAX / 1000 ||
	    ka->interval_s > ULONG_MAX / 1000 || ka->retries > INT_MAX)
		return MIO_EINVAL;
	/* The probe count first: if Windows has none, nothing changed yet. */
	if (ka->retries != 0) {
		err = keepalive_get(fd, TCP_KEEPCNT, &old_count);
		if (err == 0)
			err = mio__socket_set_int(fd, IPPROTO_TCP, TCP_KEEPCNT,
						  (int)ka->retries);
		if (err < 0)
			return err;
	}
	err = 0;
	if (ka->time_s != 0 || ka->interval_s != 0)
		err = keepalive_vals(fd, ka);
	/* So that SO_KEEPALIVE reads back as on, whatever the ioctl did. */
	if (err == 0)
		err = mio__socket_set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	if (err < 0 && ka->retries != 0)
		mio__socket_set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, old_count);
	return err;
}

int mio__socket_keepalive_timer(mio_raw_fd fd, enum mio__keepalive_timer t,
				int *out)
{
	static const int names[MIO__KEEPALIVE_TIMERS] = {
		[MIO__KEEPALIVE_TIME] = TCP_KEEPIDLE,
		[MIO__KEEPALIVE_INTERVAL] = TCP_KEEPINTVL,
		[MIO__KEEPALIVE_RETRIES] = TCP_KEEPCNT,
	};

	return keepalive_get(fd, names[t], out);
}
