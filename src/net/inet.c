/* What the TCP and UDP objects share: construction, addresses, options. */

#include <limits.h>
#include <string.h>

#include "net/inet.h"

int mio__inet_socket(const mio_sockaddr *addr, int type, mio_raw_fd *out)
{
	if (mio__inet_addr_len(addr) == 0)
		return MIO_EINVAL;
	return mio__socket_new(addr->sa.sa_family, type, 0, out);
}

int mio__inet_open(mio_source *out, const mio_sockaddr *addr, int type,
		   int (*setup)(mio_raw_fd fd, const mio_sockaddr *addr,
				int arg),
		   int arg)
{
	mio_raw_fd fd;
	int err = mio__inet_socket(addr, type, &fd);

	if (err < 0)
		return err;
	err = setup(fd, addr, arg);
	if (err < 0) {
		mio__fd_close(fd);
		return err;
	}
	mio__source_init(out, fd);
	return 0;
}

/* An adopted descriptor must at least be one; then it gets the flags. */
static int inet_prepare(mio_raw_fd fd)
{
	if (!mio__fd_valid(fd))
		return MIO_EBADF;
	return mio__socket_adopt(fd);
}

int mio__inet_adopt(mio_source *s, mio_raw_fd fd)
{
	return mio__source_adopt(s, fd, inet_prepare);
}

/* getsockname (peer false) or getpeername (peer true) into out. */
static int inet_sockname(const mio_source *s, bool peer, mio_sockaddr *out)
{
	mio_sockaddr a;
	socklen_t len = sizeof(a);
	int err = mio__inet_check(s);

	if (err < 0)
		return err;
	if (out == NULL)
		return MIO_EINVAL;
	memset(&a, 0, sizeof(a));
	if (peer)
		err = mio__socket_peer_addr(s->fd, &a.sa, &len);
	else
		err = mio__socket_local_addr(s->fd, &a.sa, &len);
	if (err < 0)
		return err;
	if (mio_sockaddr_len(&a) == 0)
		return MIO_EAFNOSUPPORT;
	*out = a;
	return 0;
}

int mio__inet_local_addr(const mio_source *s, mio_sockaddr *out)
{
	return inet_sockname(s, false, out);
}

int mio__inet_peer_addr(const mio_source *s, mio_sockaddr *out)
{
	return inet_sockname(s, true, out);
}

/*
 * The option that holds s's unicast TTL, for its family (after the
 * argument check every method makes).
 */
static int inet_ttl_option(const mio_source *s, int *level, int *name)
{
	int family = mio__inet_check(s);

	if (family == 0)
		family = mio__socket_family(s->fd);
	if (family < 0)
		return family;
	if (family == AF_INET6) {
		*level = IPPROTO_IPV6;
		*name = IPV6_UNICAST_HOPS;
	} else {
		*level = IPPROTO_IP;
		*name = IP_TTL;
	}
	return 0;
}

int mio__inet_set_ttl(const mio_source *s, uint32_t ttl)
{
	int level, name;
	int err = inet_ttl_option(s, &level, &name);

	return err < 0 ? err : mio__inet_set_u32(s, level, name, ttl);
}

int mio__inet_ttl(const mio_source *s, uint32_t *out)
{
	int level, name;
	int err = inet_ttl_option(s, &level, &name);

	return err < 0 ? err : mio__inet_get_u32(s, level, name, out);
}

int mio__inet_set_bool(const mio_source *s, int level, int name, bool on)
{
	int err = mio__inet_check(s);
	return err < 0 ? err : mio__socket_set_int(s->fd, level, name, on);
}

/*
 * What the option getters share: the checks (out is the caller's result
 * pointer, which must not be NULL) and the getsockopt into v.
 */
static int inet_get_int(const mio_source *s, int level, int name,
			const void *out, int *v)
{
	int err = mio__inet_check(s);

	if (err < 0)
		return err;
	if (out == NULL)
		return MIO_EINVAL;
	return mio__socket_get_int(s->fd, level, name, v);
}

int mio__inet_get_bool(const mio_source *s, int level, int name, bool *out)
{
	int v = 0;
	int err = inet_get_int(s, level, name, out, &v);

	if (err == 0)
		*out = v != 0;
	return err;
}

int mio__inet_set_u32(const mio_source *s, int level, int name, uint32_t v)
{
	int err = mio__inet_check(s);

	if (err < 0)
		return err;
	if (v > INT_MAX)
		return MIO_EINVAL;
	return mio__socket_set_int(s->fd, level, name, (int)v);
}

int mio__inet_get_u32(const mio_source *s, int level, int name, uint32_t *out)
{
	int v = 0;
	int err = inet_get_int(s, level, name, out, &v);

	if (err == 0)
		*out = (uint32_t)v;
	return err;
}

int mio__inet_set_linger(const mio_source *s, const struct timespec *linger)
{
	int err = mio__inet_check(s);

	if (err < 0)
		return err;
	if (linger == NULL)
		return mio__socket_set_linger(s->fd, false, 0);
	if (!mio__timespec_valid(linger) ||
	    (uintmax_t)linger->tv_sec >= UINT32_MAX)
		return MIO_EINVAL;
	return mio__socket_set_linger(
		s->fd, true, (uint32_t)linger->tv_sec + (linger->tv_nsec > 0));
}

int mio__inet_linger(const mio_source *s, bool *on, struct timespec *out)
{
	uint32_t secs = 0;
	bool is_on = false;
	int err = mio__inet_check(s);

	if (err < 0)
		return err;
	if (on == NULL || out == NULL)
		return MIO_EINVAL;
	err = mio__socket_linger(s->fd, &is_on, &secs);
	if (err < 0)
		return err;
	*on = is_on;
	out->tv_sec = (time_t)secs;
	out->tv_nsec = 0;
	return 0;
}

int mio__inet_set_keepalive_params(const mio_source *s,
				   const mio_tcp_keepalive *ka)
{
	int err = mio__inet_check(s);

	if (err < 0)
		return err;
	return ka == NULL ? MIO_EINVAL
			  : mio__socket_set_keepalive_params(s->fd, ka);
}

/* A timer as the OS reports it (an int), never negative. */
static uint32_t keepalive_seconds(int v)
{
	return v > 0 ? (uint32_t)v : 0;
}

int mio__inet_keepalive_params(const mio_source *s, mio_tcp_keepalive *out)
{
	int v[MIO__KEEPALIVE_TIMERS];
	int err = mio__inet_check(s);

	if (err < 0)
		return err;
	if (out == NULL)
		return MIO_EINVAL;
	for (int t = 0; t < MIO__KEEPALIVE_TIMERS; t++) {
		err = mio__socket_keepalive_timer(s->fd, t, &v[t]);
		if (err < 0)
			return err;
	}
	out->time_s = keepalive_seconds(v[MIO__KEEPALIVE_TIME]);
	out->interval_s = keepalive_seconds(v[MIO__KEEPALIVE_INTERVAL]);
	out->retries = keepalive_seconds(v[MIO__KEEPALIVE_RETRIES]);
	return 0;
}
