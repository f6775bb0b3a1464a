/*
 * The Windows socket layer: WSAStartup done by the library, sockets that
 * are non-blocking and not inheritable whoever made them, UDP that an
 * ICMP port-unreachable cannot poison, WSABUF-shaped vectored I/O,
 * POSIX-like truncation and end of stream, and Winsock errors mapped to
 * the MIO_E* codes mio_strerror describes.
 */

#include <winsock2.h>
#include <windows.h>

#include "test.h"

static mio_sockaddr loopback4(void)
{
	mio_sockaddr a;
	ASSERT_OK(mio_sockaddr_parse(&a, "127.0.0.1:0"));
	return a;
}

static void assert_flags(mio_raw_fd fd)
{
	ASSERT(fd != MIO_INVALID_FD);
	assert_nonblocking(fd);
	assert_cloexec(fd);
}

static void accept_wait(mio_tcp_listener *l, mio_tcp_stream *out)
{
	int r;

	for (int i = 0;
	     (r = mio_tcp_listener_accept(l, out, NULL)) == MIO_EAGAIN &&
	     i < 500;
	     i++)
		Sleep(10);
	ASSERT_OK(r);
}

static void tcp_pair(mio_tcp_stream *c, mio_tcp_stream *s)
{
	mio_tcp_listener l;
	mio_sockaddr addr = loopback4();

	ASSERT_OK(mio_tcp_listener_bind(&l, &addr));
	ASSERT_OK(mio_tcp_listener_local_addr(&l, &addr));
	ASSERT_OK(mio_tcp_stream_connect(c, &addr));
	accept_wait(&l, s);
	ASSERT_OK(mio_tcp_listener_close(&l));
}

/*
 * Runs first: nothing in this process has called WSAStartup, so the
 * library must have done it.
 */
static void library_starts_winsock(void)
{
	mio_tcp_listener l;
	mio_udp_socket u;
	mio_sockaddr addr = loopback4();

	ASSERT_OK(mio_tcp_listener_bind(&l, &addr));
	assert_flags(l.source.fd);
	ASSERT_OK(mio_udp_socket_bind(&u, &addr));
	assert_flags(u.source.fd);
	ASSERT_OK(mio_udp_socket_close(&u));
	ASSERT_OK(mio_tcp_listener_close(&l));
}

/* Every constructor's socket is non-blocking and not inheritable. */
static void constructors_set_flags(void)
{
	mio_tcp_stream c, s, adopted;
	mio_raw_fd sv[2];

	tcp_pair(&c, &s);
	assert_flags(c.source.fd);
	assert_flags(s.source.fd);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));

	/* Plain sockets are blocking and inheritable; from_fd fixes both. */
	test_tcp_socket_pair(sv);
	ASSERT(SetHandleInformation((HANDLE)sv[0], HANDLE_FLAG_INHERIT,
				    HANDLE_FLAG_INHERIT));
	ASSERT_OK(mio_tcp_stream_from_fd(&adopted, sv[0]));
	ASSERT_UEQ(adopted.source.fd, sv[0]);
	assert_flags(adopted.source.fd);
	ASSERT_OK(mio_tcp_stream_close(&adopted));
	test_close_socket(sv[1]);

	ASSERT_ERR(mio_tcp_stream_from_fd(&adopted, MIO_INVALID_FD), MIO_EBADF);
	ASSERT(adopted.source.fd == MIO_INVALID_FD);
}

/*
 * With SIO_UDP_CONNRESET left on, the ICMP answer to a datagram sent to
 * a closed port would make the next recv fail with WSAECONNRESET. (Wine
 * never reports that ICMP answer, so only Windows can fail this.)
 */
static void udp_port_unreachable_is_harmless(void)
{
	mio_udp_socket u, gone, peer;
	mio_sockaddr any = loopback4(), gone_addr, u_addr;
	char buf[8];

	ASSERT_OK(mio_udp_socket_bind(&gone, &any));
	ASSERT_OK(mio_udp_socket_local_addr(&gone, &gone_addr));
	ASSERT_OK(mio_udp_socket_close(&gone));
	ASSERT_OK(mio_udp_socket_bind(&u, &any));
	ASSERT_OK(mio_udp_socket_local_addr(&u, &u_addr));
	ASSERT_OK(mio_udp_socket_bind(&peer, &any));

	ASSERT_EQ(mio_udp_socket_send_to(&u, "?", 1, &gone_addr), 1);
	Sleep(100);
	ASSERT_ERR(mio_udp_socket_recv_from(&u, buf, sizeof(buf), NULL),
		   MIO_EAGAIN);
	ASSERT_EQ(mio_udp_socket_send_to(&peer, "ok", 2, &u_addr), 2);
	mio_ssize n;
	for (int i = 0; (n = mio_udp_socket_recv_from(&u, buf, sizeof(buf),
						      NULL)) == MIO_EAGAIN &&
			i < 100;
	     i++)
		Sleep(10);
	ASSERT_EQ(n, 2);
	ASSERT(memcmp(buf, "ok", 2) == 0);
	ASSERT_OK(mio_udp_socket_take_error(&u));
	ASSERT_OK(mio_udp_socket_close(&u));
	ASSERT_OK(mio_udp_socket_close(&peer));
}

/* A datagram larger than the buffer comes back truncated, as on POSIX. */
static void udp_truncation(void)
{
	mio_udp_socket a, b;
	mio_sockaddr any = loopback4(), b_addr;
	char buf[4];
	mio_ssize n;

	ASSERT_OK(mio_udp_socket_bind(&a, &any));
	ASSERT_OK(mio_udp_socket_bind(&b, &any));
	ASSERT_OK(mio_udp_socket_local_addr(&b, &b_addr));
	ASSERT_EQ(mio_udp_socket_send_to(&a, "abcdefgh", 8, &b_addr), 8);
	for (int i = 0; (n = mio_udp_socket_recv_from(&b, buf, sizeof(buf),
						      NULL)) == MIO_EAGAIN &&
			i < 100;
	     i++)
		Sleep(10);
	ASSERT_EQ(n, 4);
	ASSERT(memcmp(buf, "abcd", 4) == 0);
	/* The rest of that datagram is gone. */
	ASSERT_ERR(mio_udp_socket_recv_from(&b, buf, sizeof(buf), NULL),
		   MIO_EAGAIN);
	ASSERT_OK(mio_udp_socket_close(&a));
	ASSERT_OK(mio_udp_socket_close(&b));
}

/* mio_iovec is a WSABUF: the fields by name, the array as is. */
static void vectored_io(void)
{
	mio_tcp_stream c, s;
	char x[3] = "abc", y[4] = "defg", in1[2], in2[16];
	mio_iovec out[2] = { { .base = x, .len = 3 }, { .base = y, .len = 4 } };
	mio_iovec in[2] = { { .base = in1, .len = 2 },
			    { .base = in2, .len = 16 } };
	mio_ssize n;

	tcp_pair(&c, &s);
	ASSERT_EQ(mio_tcp_stream_writev(&c, out, 2), 7);
	for (int i = 0;
	     (n = mio_tcp_stream_readv(&s, in, 2)) == MIO_EAGAIN && i < 100;
	     i++)
		Sleep(10);
	ASSERT_EQ(n, 7);
	ASSERT(memcmp(in1, "ab", 2) == 0);
	ASSERT(memcmp(in2, "cdefg", 5) == 0);
	ASSERT_ERR(mio_tcp_stream_readv(&s, in, 2), MIO_EAGAIN);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));
}

/* Reading after a local shutdown of the read half is end of stream. */
static void shutdown_read_is_eof(void)
{
	mio_tcp_stream c, s;
	char buf[4];

	tcp_pair(&c, &s);
	ASSERT_OK(mio_tcp_stream_shutdown(&s, MIO_SHUTDOWN_READ));
	ASSERT_EQ(mio_tcp_stream_read(&s, buf, sizeof(buf)), 0);
	ASSERT_OK(mio_tcp_stream_close(&c));
	ASSERT_OK(mio_tcp_stream_close(&s));
}

/* Winsock's errors arrive as the named codes. */
static void errors_are_mapped(void)
{
	mio_tcp_listener l, l2;
	mio_tcp_stream c;
	mio_poll *poll;
	mio_events *events;
	mio_sockaddr addr = loopback4();

	ASSERT_OK(mio_tcp_listener_bind(&l, &addr));
	ASSERT_OK(mio_tcp_listener_local_addr(&l, &addr));
	ASSERT_ERR(mio_tcp_listener_bind(&l2, &addr), MIO_EADDRINUSE);
	ASSERT(l2.source.fd == MIO_INVALID_FD);
	ASSERT_ERR(mio_tcp_listener_accept(&l, &c, NULL), MIO_EAGAIN);
	ASSERT(c.source.fd == MIO_INVALID_FD);
	ASSERT_OK(mio_tcp_listener_close(&l));

	/* Nothing listens there now: the connect is refused. */
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_tcp_stream_connect(&c, &addr));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &c.source, 1,
					MIO_WRITABLE));
	struct expect_event want = { 1, EXPECT_ERROR | EXPECT_WRITE_CLOSED };
	expect_events(poll, events, &want, 1);
	/* (Whether it is cleared then depends on the stack: not on Wine.) */
	ASSERT_ERR(mio_tcp_stream_take_error(&c), MIO_ECONNREFUSED);
	ASSERT_OK(mio_tcp_stream_close(&c));
	mio_events_free(events);
	mio_poll_free(poll);

	/* Every code the library returns has a name and a description. */
	static const int codes[] = {
		MIO_EAGAIN,	  MIO_EINTR,	       MIO_EINVAL,
		MIO_EBADF,	  MIO_EEXIST,	       MIO_ENOENT,
		MIO_ENOMEM,	  MIO_EMFILE,	       MIO_ENFILE,
		MIO_ENOBUFS,	  MIO_EPIPE,	       MIO_ECONNREFUSED,
		MIO_ECONNRESET,	  MIO_ECONNABORTED,    MIO_ENOTCONN,
		MIO_EISCONN,	  MIO_EINPROGRESS,     MIO_EALREADY,
		MIO_ETIMEDOUT,	  MIO_EADDRINUSE,      MIO_EADDRNOTAVAIL,
		MIO_EAFNOSUPPORT, MIO_EDESTADDRREQ,    MIO_EMSGSIZE,
		MIO_ENAMETOOLONG, MIO_ENOTSUP,	       MIO_EACCES,
		MIO_EPERM,	  MIO_ENETUNREACH,     MIO_EHOSTUNREACH,
		MIO_ENOSYS,	  MIO_ENOTSOCK,	       MIO_EIO,
		MIO_ENETDOWN,	  MIO_EPROTONOSUPPORT, MIO_ECANCELED,
	};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ASSERT(codes[i] < 0);
		ASSERT(strcmp(mio_err_name(codes[i]), "UNKNOWN") != 0);
		ASSERT(strcmp(mio_strerror(codes[i]), "unknown error") != 0);
		for (size_t j = 0; j < i; j++)
			ASSERT_NE(codes[i], codes[j]);
	}
	ASSERT_STR_EQ(mio_err_name(MIO_ECONNREFUSED), "ECONNREFUSED");
	ASSERT_STR_EQ(mio_err_name(MIO_EAGAIN), "EAGAIN");
}

/* Registration needs an owned source: a made-up one is refused. */
static void borrowed_sources_unsupported(void)
{
	mio_poll *poll;
	mio_raw_fd sv[2];
	mio_source raw = { 0 };

	ASSERT_OK(mio_poll_new(&poll));
	test_tcp_socket_pair(sv);
	raw.fd = sv[0];
	ASSERT_ERR(mio_registry_register(mio_poll_registry(poll), &raw, 1,
					 MIO_READABLE),
		   MIO_ENOTSUP);
	test_close_socket(sv[0]);
	test_close_socket(sv[1]);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(library_starts_winsock);
	RUN(constructors_set_flags);
	RUN(udp_port_unreachable_is_harmless);
	RUN(udp_truncation);
	RUN(vectored_io);
	RUN(shutdown_read_is_eof);
	RUN(errors_are_mapped);
	RUN(borrowed_sources_unsupported);
	return test_summary();
}
