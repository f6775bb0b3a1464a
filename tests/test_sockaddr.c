/*
 * mio_sockaddr: exactly the text forms of Rust's SocketAddr, parsed and
 * formatted, and nothing else.
 */

#if !defined(_WIN32)
#include <arpa/inet.h> /* ws2tcpip.h has inet_pton on Windows */
#endif

#include "test.h"

/* Parses text, formats it back and compares with `canonical`. */
static void round_trip(const char *text, const char *canonical)
{
	mio_sockaddr a, b;
	char buf[80];
	int n;

	ASSERT_OK(mio_sockaddr_parse(&a, text));
	n = mio_sockaddr_format(&a, buf, sizeof(buf));
	ASSERT_EQ(n, strlen(canonical));
	ASSERT_STR_EQ(buf, canonical);
	/* The canonical form parses to the same address. */
	ASSERT_OK(mio_sockaddr_parse(&b, buf));
	ASSERT_EQ(a.sa.sa_family, b.sa.sa_family);
	ASSERT_EQ(mio_sockaddr_port(&a), mio_sockaddr_port(&b));
	ASSERT_UEQ(mio_sockaddr_len(&a), mio_sockaddr_len(&b));
	if (a.sa.sa_family == AF_INET) {
		ASSERT(memcmp(&a.v4.sin_addr, &b.v4.sin_addr, 4) == 0);
	} else {
		ASSERT(memcmp(&a.v6.sin6_addr, &b.v6.sin6_addr, 16) == 0);
		ASSERT_UEQ(a.v6.sin6_scope_id, b.v6.sin6_scope_id);
	}
}

static void parse_ipv4(void)
{
	mio_sockaddr a;

	ASSERT_OK(mio_sockaddr_parse(&a, "127.0.0.1:80"));
	ASSERT_EQ(a.sa.sa_family, AF_INET);
	ASSERT_UEQ(ntohl(a.v4.sin_addr.s_addr), 0x7f000001);
	ASSERT_EQ(ntohs(a.v4.sin_port), 80);
	ASSERT_EQ(mio_sockaddr_port(&a), 80);
	ASSERT_UEQ(mio_sockaddr_len(&a), sizeof(struct sockaddr_in));

	ASSERT_OK(mio_sockaddr_parse(&a, "255.255.255.255:65535"));
	ASSERT_UEQ(a.v4.sin_addr.s_addr, 0xffffffffu);
	ASSERT_EQ(mio_sockaddr_port(&a), 65535);
	ASSERT_OK(mio_sockaddr_parse(&a, "0.0.0.0:0"));
	ASSERT_UEQ(a.v4.sin_addr.s_addr, 0);
	ASSERT_EQ(mio_sockaddr_port(&a), 0);
	/* Rust allows leading zeros in the port, not in an octet. */
	ASSERT_OK(mio_sockaddr_parse(&a, "10.0.0.1:0080"));
	ASSERT_EQ(mio_sockaddr_port(&a), 80);
}

static void parse_ipv6(void)
{
	mio_sockaddr a;
	struct in6_addr want;

	ASSERT_OK(mio_sockaddr_parse(&a, "[::1]:8080"));
	ASSERT_EQ(a.sa.sa_family, AF_INET6);
	ASSERT_EQ(inet_pton(AF_INET6, "::1", &want), 1);
	ASSERT(memcmp(&a.v6.sin6_addr, &want, 16) == 0);
	ASSERT_EQ(mio_sockaddr_port(&a), 8080);
	ASSERT_UEQ(a.v6.sin6_scope_id, 0);
	ASSERT_UEQ(a.v6.sin6_flowinfo, 0);
	ASSERT_UEQ(mio_sockaddr_len(&a), sizeof(struct sockaddr_in6));

	ASSERT_OK(mio_sockaddr_parse(&a, "[fe80::1%2]:80"));
	ASSERT_EQ(inet_pton(AF_INET6, "fe80::1", &want), 1);
	ASSERT(memcmp(&a.v6.sin6_addr, &want, 16) == 0);
	ASSERT_UEQ(a.v6.sin6_scope_id, 2);

	ASSERT_OK(
		mio_sockaddr_parse(&a, "[FE80:0:0:0:0:0:0:ABCD%4294967295]:1"));
	ASSERT_EQ(inet_pton(AF_INET6, "fe80::abcd", &want), 1);
	ASSERT(memcmp(&a.v6.sin6_addr, &want, 16) == 0);
	ASSERT_UEQ(a.v6.sin6_scope_id, 4294967295u);

	/* An embedded IPv4 address in the last 32 bits. */
	ASSERT_OK(mio_sockaddr_parse(&a, "[::ffff:192.0.2.1]:9"));
	ASSERT_EQ(inet_pton(AF_INET6, "::ffff:192.0.2.1", &want), 1);
	ASSERT(memcmp(&a.v6.sin6_addr, &want, 16) == 0);
	ASSERT_OK(mio_sockaddr_parse(&a, "[1:2:3:4:5:6:7.8.9.10]:9"));
	ASSERT_EQ(inet_pton(AF_INET6, "1:2:3:4:5:6:708:90a", &want), 1);
	ASSERT(memcmp(&a.v6.sin6_addr, &want, 16) == 0);

	/* "::" anywhere, standing for one or more zero groups. */
	ASSERT_OK(mio_sockaddr_parse(&a, "[::]:0"));
	ASSERT_OK(mio_sockaddr_parse(&a, "[1::]:0"));
	ASSERT_OK(mio_sockaddr_parse(&a, "[1:2:3:4:5:6:7::]:0"));
	ASSERT_OK(mio_sockaddr_parse(&a, "[::2:3:4:5:6:7:8]:0"));
	ASSERT_OK(mio_sockaddr_parse(&a, "[1:2:3::6:7:8]:0"));
	ASSERT_EQ(inet_pton(AF_INET6, "1:2:3::6:7:8", &want), 1);
	ASSERT(memcmp(&a.v6.sin6_addr, &want, 16) == 0);
	ASSERT_OK(mio_sockaddr_parse(&a, "[0001:02:003:0004::]:0"));
}

static void parse_rejects(void)
{
	static const char *const bad[] = {
		"",
		":80",
		"127.0.0.1",
		"127.0.0.1:",
		"127.0.0.1:65536",
		"127.0.0.1:99999999999",
		"127.0.0.1:-1",
		"127.0.0.1:+80",
		"127.0.0.1: 80",
		" 127.0.0.1:80",
		"127.0.0.1:80 ",
		"127.0.0.1:80x",
		"127.0.0.1:80\n",
		"127.1:80",
		"127.0.1:80",
		"0x7f.0.0.1:80",
		"0x7f000001:80",
		"2130706433:80",
		"01.2.3.4:80",
		"1.2.3.04:80",
		"1.2.3.000:80",
		"256.0.0.1:80",
		"1.2.3.4.5:80",
		"1.2.3.:80",
		"1..3.4:80",
		"1.2.3.4/8:80",
		"localhost:80",
		"example.com:80",
		"::1:80",
		"[::1]",
		"[::1]:",
		"[::1]80",
		"[::1]:65536",
		"::1",
		"[::1:80",
		"::1]:80",
		"[[::1]]:80",
		"[127.0.0.1]:80",
		"[1.2.3.4::]:80",
		"[:::1]:80",
		"[1::2::3]:80",
		"[1:2:3:4:5:6:7:8:9]:80",
		"[1:2:3:4:5:6:7:8::]:80",
		"[::1:2:3:4:5:6:7:8]:80",
		"[1:2:3:4:5:6:7]:80",
		"[12345::1]:80",
		"[g::1]:80",
		"[::1%]:80",
		"[::1%eth0]:80",
		"[::1%4294967296]:80",
		"[::1%-1]:80",
		"[::1.2.3]:80",
		"[::1.2.3.4.5]:80",
		"[::ffff:1.2.3.256]:80",
		"[::01.2.3.4]:80",
		"[1:2:3:4:5:6:7:1.2.3.4]:80",
		"[::1] :80",
		"[ ::1]:80",
		"[::1]:80x",
	};
	mio_sockaddr a, before;

	memset(&a, 0x5a, sizeof(a));
	before = a;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = mio_sockaddr_parse(&a, bad[i]);
		if (r != MIO_EINVAL)
			FAIL_AT("\"%s\" parsed: %d", bad[i], r);
		/* A failed parse leaves *out as it was. */
		ASSERT(memcmp(&a, &before, sizeof(a)) == 0);
	}
	/* An embedded NUL ends the text: what follows is not seen. */
	ASSERT_OK(mio_sockaddr_parse(&a, "1.2.3.4:5\0junk"));
	ASSERT_ERR(mio_sockaddr_parse(NULL, "1.2.3.4:5"), MIO_EINVAL);
	ASSERT_ERR(mio_sockaddr_parse(&a, NULL), MIO_EINVAL);
}

static void format_canonical(void)
{
	round_trip("127.0.0.1:80", "127.0.0.1:80");
	round_trip("0.0.0.0:0", "0.0.0.0:0");
	round_trip("10.0.0.1:0080", "10.0.0.1:80");
	round_trip("255.255.255.255:65535", "255.255.255.255:65535");
	round_trip("[::1]:80", "[::1]:80");
	round_trip("[::]:0", "[::]:0");
	round_trip("[0:0:0:0:0:0:0:1]:1", "[::1]:1");
	round_trip("[FE80::1%2]:80", "[fe80::1%2]:80");
	round_trip("[fe80::1%0]:80", "[fe80::1]:80");
	round_trip("[2001:db8:0:0:1:0:0:1]:443", "[2001:db8::1:0:0:1]:443");
	round_trip("[2001:0db8::0001]:1", "[2001:db8::1]:1");
	/* A single zero group is not compressed (RFC 5952 4.2.2). */
	round_trip("[2001:db8:0:1:1:1:1:1]:1", "[2001:db8:0:1:1:1:1:1]:1");
	/* The first of two equally long runs is compressed. */
	round_trip("[1:0:0:2:0:0:3:4]:1", "[1::2:0:0:3:4]:1");
	round_trip("[1:0:0:2:0:0:0:4]:1", "[1:0:0:2::4]:1");
	round_trip("[1:2:3:4:5:6:7:8]:1", "[1:2:3:4:5:6:7:8]:1");
	round_trip("[1::]:1", "[1::]:1");
	/* IPv4-mapped addresses end in dotted form, as Rust prints them. */
	round_trip("[::ffff:1.2.3.4]:1", "[::ffff:1.2.3.4]:1");
	round_trip("[::ffff:0102:0304]:1", "[::ffff:1.2.3.4]:1");
	/*
	 * Others do not: Rust prints ::1.2.3.4 (IPv4-compatible, deprecated)
	 * in hex, where glibc's inet_ntop would print the dotted form.
	 */
	round_trip("[::1.2.3.4]:1", "[::102:304]:1");
	round_trip(
		"[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295]:65535",
		"[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295]:65535");
}

/* The compressed form agrees with glibc's inet_ntop where both apply. */
static void format_matches_inet_ntop(void)
{
	static const char *const addrs[] = {
		"::",
		"::1",
		"1::",
		"fe80::1",
		"2001:db8::1:0:0:1",
		"1:0:0:2:0:0:3:4",
		"1:2:3:4:5:6:7:8",
		"0:1:0:1:0:1:0:1",
		"ffff::",
		"::ffff:10.0.0.1",
		"1:0:2:0:0:3:0:0",
	};
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		struct in6_addr ip;
		char want[INET6_ADDRSTRLEN + 16], ntop[INET6_ADDRSTRLEN];
		char got[80];
		mio_sockaddr a;

		ASSERT_EQ(inet_pton(AF_INET6, addrs[i], &ip), 1);
		ASSERT(inet_ntop(AF_INET6, &ip, ntop, sizeof(ntop)) != NULL);
		snprintf(want, sizeof(want), "[%s]:7", ntop);
		ASSERT_OK(mio_sockaddr_ipv6(&a, ip.s6_addr, 7, 0));
		ASSERT_OK(mio_sockaddr_format(&a, got, sizeof(got)));
		ASSERT_STR_EQ(got, want);
	}
}

static void format_truncates(void)
{
	mio_sockaddr a;
	char buf[32];

	ASSERT_OK(mio_sockaddr_parse(&a, "192.168.100.200:65535"));
	/* len 0: nothing written, the needed length returned. */
	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ(mio_sockaddr_format(&a, buf, 0), 21);
	ASSERT_EQ(buf[0], 'x');
	ASSERT_EQ(mio_sockaddr_format(&a, NULL, 0), 21);
	/* Short buffers: a NUL-terminated prefix, nothing past len. */
	for (size_t len = 1; len <= 22; len++) {
		memset(buf, 'x', sizeof(buf));
		ASSERT_EQ(mio_sockaddr_format(&a, buf, len), 21);
		ASSERT_EQ(buf[len - 1], '\0');
		ASSERT(strncmp(buf, "192.168.100.200:65535", len - 1) == 0);
		ASSERT_EQ(buf[len], 'x');
	}
	ASSERT_OK(mio_sockaddr_parse(&a, "[fe80::1%2]:80"));
	ASSERT_EQ(mio_sockaddr_format(&a, buf, 5), 14);
	ASSERT_STR_EQ(buf, "[fe8");
}

static void format_rejects(void)
{
	mio_sockaddr a;
	char buf[32];

	memset(&a, 0, sizeof(a));
	a.sa.sa_family = AF_UNIX;
	ASSERT_ERR(mio_sockaddr_format(&a, buf, sizeof(buf)), MIO_EAFNOSUPPORT);
	ASSERT_ERR(mio_sockaddr_format(NULL, buf, sizeof(buf)), MIO_EINVAL);
	ASSERT_OK(mio_sockaddr_parse(&a, "1.2.3.4:5"));
	ASSERT_ERR(mio_sockaddr_format(&a, NULL, 4), MIO_EINVAL);
	ASSERT_UEQ(mio_sockaddr_len(NULL), 0);
	ASSERT_EQ(mio_sockaddr_port(NULL), 0);
	a.sa.sa_family = AF_UNIX;
	ASSERT_UEQ(mio_sockaddr_len(&a), 0);
	ASSERT_EQ(mio_sockaddr_port(&a), 0);
}

static void constructors(void)
{
	static const uint8_t loop6[16] = { [15] = 1 };
	mio_sockaddr a;
	char buf[64];

	ASSERT_OK(mio_sockaddr_ipv4(&a, 0x7f000001, 13265));
	ASSERT_EQ(a.sa.sa_family, AF_INET);
	ASSERT_UEQ(a.v4.sin_addr.s_addr, htonl(0x7f000001));
	ASSERT_EQ(a.v4.sin_port, htons(13265));
	ASSERT_OK(mio_sockaddr_format(&a, buf, sizeof(buf)));
	ASSERT_STR_EQ(buf, "127.0.0.1:13265");
	ASSERT_ERR(mio_sockaddr_ipv4(NULL, 0, 0), MIO_EINVAL);

	ASSERT_OK(mio_sockaddr_ipv6(&a, loop6, 443, 3));
	ASSERT_EQ(a.sa.sa_family, AF_INET6);
	ASSERT(IN6_IS_ADDR_LOOPBACK(&a.v6.sin6_addr));
	ASSERT_EQ(a.v6.sin6_port, htons(443));
	ASSERT_OK(mio_sockaddr_format(&a, buf, sizeof(buf)));
	ASSERT_STR_EQ(buf, "[::1%3]:443");
	ASSERT_ERR(mio_sockaddr_ipv6(NULL, loop6, 0, 0), MIO_EINVAL);
	ASSERT_ERR(mio_sockaddr_ipv6(&a, NULL, 0, 0), MIO_EINVAL);
}

int main(void)
{
	RUN(parse_ipv4);
	RUN(parse_ipv6);
	RUN(parse_rejects);
	RUN(format_canonical);
	RUN(format_matches_inet_ntop);
	RUN(format_truncates);
	RUN(format_rejects);
	RUN(constructors);
	return test_summary();
}
