/* mio_udp_socket: mio::net::UdpSocket. */

#include <string.h>

#include "net/inet.h"

static int udp_setup(mio_raw_fd fd, const mio_sockaddr *addr, int arg)
{
	(void)arg;
	return mio__socket_bind(fd, &addr->sa, mio__inet_addr_len(addr));
}

int mio_udp_socket_bind(mio_udp_socket *out, const mio_sockaddr *addr)
{
	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	return mio__inet_open(&out->source, addr, SOCK_DGRAM, udp_setup, 0);
}

int mio_udp_socket_from_fd(mio_udp_socket *out, mio_raw_fd fd)
{
	return mio__inet_adopt(MIO__SRC(out), fd);
}

int mio_udp_socket_local_addr(const mio_udp_socket *u, mio_sockaddr *out)
{
	return mio__inet_local_addr(MIO__SRC(u), out);
}

int mio_udp_socket_peer_addr(const mio_udp_socket *u, mio_sockaddr *out)
{
	return mio__inet_peer_addr(MIO__SRC(u), out);
}

static int udp_check_io(const mio_udp_socket *u, const void *buf, size_t len)
{
	return mio__source_check_io(MIO__SRC(u), buf, len);
}

mio_ssize mio_udp_socket_send_to(mio_udp_socket *u, const void *buf, size_t len,
				 const mio_sockaddr *to)
{
	int err = udp_check_io(u, buf, len);

	if (err < 0)
		return err;
	if (mio__inet_addr_len(to) == 0)
		return MIO_EINVAL;
	return mio__socket_sendto(&u->source, buf, len, &to->sa,
				  mio__inet_addr_len(to));
}

/* recvfrom with flags; from (may be NULL) is written only on success. */
static mio_ssize udp_recv_from(mio_udp_socket *u, void *buf, size_t len,
			       mio_sockaddr *from, int flags)
{
	mio_sockaddr a;
	socklen_t alen = sizeof(a);
	mio_ssize n;
	int err = udp_check_io(u, buf, len);

	if (err < 0)
		return err;
	memset(&a, 0, sizeof(a));
	n = mio__socket_recvfrom(&u->source, buf, len, flags, &a.sa, &alen);
	if (n >= 0 && from != NULL)
		*from = a;
	return n;
}

mio_ssize mio_udp_socket_recv_from(mio_udp_socket *u, void *buf, size_t len,
				   mio_sockaddr *from)
{
	return udp_recv_from(u, buf, len, from, 0);
}

mio_ssize mio_udp_socket_peek_from(mio_udp_socket *u, void *buf, size_t len,
				   mio_sockaddr *from)
{
	return udp_recv_from(u, buf, len, from, MSG_PEEK);
}

mio_ssize mio_udp_socket_send(mio_udp_socket *u, const void *buf, size_t len)
{
	int err = udp_check_io(u, buf, len);
	return err < 0 ? err : mio__socket_send(&u->source, buf, len);
}

mio_ssize mio_udp_socket_recv(mio_udp_socket *u, void *buf, size_t len)
{
	int err = udp_check_io(u, buf, len);
	return err < 0 ? err : mio__socket_recv(&u->source, buf, len, 0);
}

mio_ssize mio_udp_socket_peek(mio_udp_socket *u, void *buf, size_t len)
{
	int err = udp_check_io(u, buf, len);
	return err < 0 ? err : mio__socket_recv(&u->source, buf, len, MSG_PEEK);
}

int mio_udp_socket_connect(mio_udp_socket *u, const mio_sockaddr *addr)
{
	int err = mio__inet_check(MIO__SRC(u));

	if (err < 0)
		return err;
	if (mio__inet_addr_len(addr) == 0)
		return MIO_EINVAL;
	return mio__socket_connect(u->source.fd, &addr->sa,
				   mio__inet_addr_len(addr));
}

int mio_udp_socket_set_broadcast(mio_udp_socket *u, bool on)
{
	return mio__inet_set_bool(MIO__SRC(u), SOL_SOCKET, SO_BROADCAST, on);
}

int mio_udp_socket_broadcast(const mio_udp_socket *u, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(u), SOL_SOCKET, SO_BROADCAST, out);
}

int mio_udp_socket_set_multicast_loop_v4(mio_udp_socket *u, bool on)
{
	return mio__inet_set_bool(MIO__SRC(u), IPPROTO_IP, IP_MULTICAST_LOOP,
				  on);
}

int mio_udp_socket_multicast_loop_v4(const mio_udp_socket *u, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(u), IPPROTO_IP, IP_MULTICAST_LOOP,
				  out);
}

int mio_udp_socket_set_multicast_ttl_v4(mio_udp_socket *u, uint32_t ttl)
{
	return mio__inet_set_u32(MIO__SRC(u), IPPROTO_IP, IP_MULTICAST_TTL,
				 ttl);
}

int mio_udp_socket_multicast_ttl_v4(const mio_udp_socket *u, uint32_t *out)
{
	return mio__inet_get_u32(MIO__SRC(u), IPPROTO_IP, IP_MULTICAST_TTL,
				 out);
}

int mio_udp_socket_set_multicast_loop_v6(mio_udp_socket *u, bool on)
{
	return mio__inet_set_bool(MIO__SRC(u), IPPROTO_IPV6,
				  IPV6_MULTICAST_LOOP, on);
}

int mio_udp_socket_multicast_loop_v6(const mio_udp_socket *u, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(u), IPPROTO_IPV6,
				  IPV6_MULTICAST_LOOP, out);
}

int mio_udp_socket_set_ttl(mio_udp_socket *u, uint32_t ttl)
{
	return mio__inet_set_ttl(MIO__SRC(u), ttl);
}

int mio_udp_socket_ttl(const mio_udp_socket *u, uint32_t *out)
{
	return mio__inet_ttl(MIO__SRC(u), out);
}

/*
 * Joins (join true) or leaves an IPv4 multicast group on the interface
 * with address iface (INADDR_ANY: the OS picks), or an IPv6 group on the
 * interface with index iface (0: the OS picks).
 */
static int udp_multicast_v4(mio_udp_socket *u, const struct in_addr *group,
			    const struct in_addr *iface, bool join)
{
	struct ip_mreq mreq;
	int err = mio__inet_check(MIO__SRC(u));

	if (err < 0)
		return err;
	if (group == NULL || iface == NULL)
		return MIO_EINVAL;
	mreq.imr_multiaddr = *group;
	mreq.imr_interface = *iface;
	return mio__socket_setopt(u->source.fd, IPPROTO_IP,
				  join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
				  &mreq, sizeof(mreq));
}

int mio_udp_socket_join_multicast_v4(mio_udp_socket *u,
				     const struct in_addr *group,
				     const struct in_addr *iface)
{
	return udp_multicast_v4(u, group, iface, true);
}

int mio_udp_socket_leave_multicast_v4(mio_udp_socket *u,
				      const struct in_addr *group,
				      const struct in_addr *iface)
{
	return udp_multicast_v4(u, group, iface, false);
}

static int udp_multicast_v6(mio_udp_socket *u, const struct in6_addr *group,
			    uint32_t iface, bool join)
{
	struct ipv6_mreq mreq;
	int err = mio__inet_check(MIO__SRC(u));

	if (err < 0)
		return err;
	if (group == NULL)
		return MIO_EINVAL;
	mreq.ipv6mr_multiaddr = *group;
	mreq.ipv6mr_interface = iface;
	/* RFC 3493's names: the BSDs have no IPV6_ADD/DROP_MEMBERSHIP. */
	return mio__socket_setopt(u->source.fd, IPPROTO_IPV6,
				  join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP,
				  &mreq, sizeof(mreq));
}

int mio_udp_socket_join_multicast_v6(mio_udp_socket *u,
				     const struct in6_addr *group,
				     uint32_t iface_index)
{
	return udp_multicast_v6(u, group, iface_index, true);
}

int mio_udp_socket_leave_multicast_v6(mio_udp_socket *u,
				      const struct in6_addr *group,
				      uint32_t iface_index)
{
	return udp_multicast_v6(u, group, iface_index, false);
}

int mio_udp_socket_only_v6(const mio_udp_socket *u, bool *out)
{
	return mio__inet_get_bool(MIO__SRC(u), IPPROTO_IPV6, IPV6_V6ONLY, out);
}

int mio_udp_socket_take_error(mio_udp_socket *u)
{
	return mio__source_take_error(MIO__SRC(u));
}

int mio_udp_socket_close(mio_udp_socket *u)
{
	return mio__source_close(MIO__SRC(u));
}

int mio_udp_socket_set_send_buffer_size(mio_udp_socket *u, uint32_t size)
{
	return mio__inet_set_u32(MIO__SRC(u), SOL_SOCKET, SO_SNDBUF, size);
}

int mio_udp_socket_send_buffer_size(const mio_udp_socket *u, uint32_t *out)
{
	return mio__inet_get_u32(MIO__SRC(u), SOL_SOCKET, SO_SNDBUF, out);
}

int mio_udp_socket_set_recv_buffer_size(mio_udp_socket *u, uint32_t size)
{
	return mio__inet_set_u32(MIO__SRC(u), SOL_SOCKET, SO_RCVBUF, size);
}

int mio_udp_socket_recv_buffer_size(const mio_udp_socket *u, uint32_t *out)
{
	return mio__inet_get_u32(MIO__SRC(u), SOL_SOCKET, SO_RCVBUF, out);
}
