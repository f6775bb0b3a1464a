/*
 * mio_sockaddr: the text forms of Rust's SocketAddr, parsed and formatted
 * here without the C library's inet_* functions, whose accepted forms
 * differ between platforms (inet_aton shorthands, leading zeros).
 *
 * The grammar, as Rust's std::net parser has it:
 *   v4 address   four decimal octets 0-255 separated by '.', at most three
 *                digits each, no leading zero ("0" itself is fine);
 *   v6 address   up to eight groups of 1-4 hex digits separated by ':',
 *                with at most one "::" standing for one or more zero
 *                groups; the last two groups may be written as a v4
 *                address, but not before a "::";
 *   port         decimal 0-65535 (leading zeros allowed);
 *   scope id     decimal 0-4294967295 (leading zeros allowed);
 *   socket addr  "v4:port" or "[v6]:port" or "[v6%scope]:port".
 * The whole text must be consumed.
 */

#include <stdio.h>
#include <string.h>

#include "internal.h"

/* A cursor over the text being parsed. */
struct addr_cursor {
	const char *p;
};

static int addr_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int addr_digit(char c, unsigned radix)
{
	int d = addr_hex_digit(c);
	return d >= 0 && (unsigned)d < radix ? d : -1;
}

static bool addr_eat(struct addr_cursor *c, char ch)
{
	if (*c->p != ch)
		return false;
	c->p++;
	return true;
}

/*
 * Reads a number of at least one digit that is at most `max`. max_digits
 * 0 means no limit on the digit count. On failure the cursor stays put.
 */
static bool addr_read_number(struct addr_cursor *c, unsigned radix,
			     unsigned max_digits, bool zero_prefix_ok,
			     uint32_t max, uint32_t *out)
{
	const char *p = c->p;
	uint64_t value = 0;
	unsigned count = 0;
	int d;

	while ((d = addr_digit(*p, radix)) >= 0) {
		value = value * radix + (unsigned)d;
		count++;
		p++;
		if (value > max || (max_digits != 0 && count > max_digits))
			return false;
	}
	if (count == 0 || (!zero_prefix_ok && count > 1 && *c->p == '0'))
		return false;
	*out = (uint32_t)value;
	c->p = p;
	return true;
}

static bool addr_read_ipv4(struct addr_cursor *c, uint8_t out[4])
{
	struct addr_cursor t = *c;
	uint32_t octet;

	for (int i = 0; i < 4; i++) {
		if (i > 0 && !addr_eat(&t, '.'))
			return false;
		if (!addr_read_number(&t, 10, 3, false, 255, &octet))
			return false;
		out[i] = (uint8_t)octet;
	}
	*c = t;
	return true;
}

/*
 * Reads up to `limit` groups (each preceded by ':' except the first) into
 * groups[]. Returns how many were read; *v4 tells whether the last two
 * came from a trailing v4 address. Stops before anything it cannot take.
 */
static int addr_read_groups(struct addr_cursor *c, uint16_t *groups, int limit,
			    bool *v4)
{
	*v4 = false;
	for (int i = 0; i < limit; i++) {
		struct addr_cursor t = *c;
		uint8_t b[4];
		uint32_t g;

		if (i > 0 && !addr_eat(&t, ':'))
			return i;
		if (i < limit - 1 && addr_read_ipv4(&t, b)) {
			groups[i] = (uint16_t)(b[0] << 8 | b[1]);
			groups[i + 1] = (uint16_t)(b[2] << 8 | b[3]);
			*c = t;
			*v4 = true;
			return i + 2;
		}
		if (!addr_read_number(&t, 16, 4, true, 0xffff, &g))
			return i;
		groups[i] = (uint16_t)g;
		*c = t;
	}
	return limit;
}

static bool addr_read_ipv6(struct addr_cursor *c, uint8_t out[16])
{
	struct addr_cursor t = *c;
	uint16_t head[8], tail[7], all[8] = { 0 };
	int nhead, ntail;
	bool v4;

	nhead = addr_read_groups(&t, head, 8, &v4);
	memcpy(all, head, (size_t)nhead * sizeof(head[0]));
	if (nhead < 8) {
		/* A v4 part may only end the address, and "::" must follow. */
		if (v4 || !addr_eat(&t, ':') || !addr_eat(&t, ':'))
			return false;
		/* "::" stands for at least one zero group. */
		ntail = addr_read_groups(&t, tail, 7 - nhead, &v4);
		memcpy(all + 8 - ntail, tail, (size_t)ntail * sizeof(tail[0]));
	}
	for (int i = 0; i < 8; i++) {
		out[2 * i] = (uint8_t)(all[i] >> 8);
		out[2 * i + 1] = (uint8_t)all[i];
	}
	*c = t;
	return true;
}

static bool addr_read_port(struct addr_cursor *c, uint16_t *port)
{
	uint32_t v;

	if (!addr_eat(c, ':') || !addr_read_number(c, 10, 0, true, 0xffff, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool addr_parse_v4(const char *text, mio_sockaddr *out)
{
	struct addr_cursor c = { text };
	uint8_t ip[4];
	uint16_t port;

	if (!addr_read_ipv4(&c, ip) || !addr_read_port(&c, &port) ||
	    *c.p != '\0')
		return false;
	mio_sockaddr_ipv4(out,
			  (uint32_t)ip[0] << 24 | (uint32_t)ip[1] << 16 |
				  (uint32_t)ip[2] << 8 | ip[3],
			  port);
	return true;
}

static bool addr_parse_v6(const char *text, mio_sockaddr *out)
{
	struct addr_cursor c = { text };
	uint8_t ip[16];
	uint32_t scope = 0;
	uint16_t port;

	if (!addr_eat(&c, '[') || !addr_read_ipv6(&c, ip))
		return false;
	if (addr_eat(&c, '%') &&
	    !addr_read_number(&c, 10, 0, true, UINT32_MAX, &scope))
		return false;
	if (!addr_eat(&c, ']') || !addr_read_port(&c, &port) || *c.p != '\0')
		return false;
	mio_sockaddr_ipv6(out, ip, port, scope);
	return true;
}

int mio_sockaddr_parse(mio_sockaddr *out, const char *text)
{
	mio_sockaddr a;

	if (out == NULL || text == NULL)
		return MIO_EINVAL;
	if (!addr_parse_v4(text, &a) && !addr_parse_v6(text, &a))
		return MIO_EINVAL;
	*out = a;
	return 0;
}

/* Ports and addresses are stored in network order, byte by byte. */
static void addr_put_be16(void *dst, uint16_t v)
{
	uint8_t *b = dst;
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static uint16_t addr_get_be16(const void *src)
{
	const uint8_t *b = src;
	return (uint16_t)(b[0] << 8 | b[1]);
}

int mio_sockaddr_ipv4(mio_sockaddr *out, uint32_t host_order_ip, uint16_t port)
{
	uint8_t *ip;

	if (out == NULL)
		return MIO_EINVAL;
	memset(out, 0, sizeof(*out));
	out->v4.sin_family = AF_INET;
	addr_put_be16(&out->v4.sin_port, port);
	ip = (uint8_t *)&out->v4.sin_addr;
	addr_put_be16(ip, (uint16_t)(host_order_ip >> 16));
	addr_put_be16(ip + 2, (uint16_t)host_order_ip);
	return 0;
}

int mio_sockaddr_ipv6(mio_sockaddr *out, const uint8_t ip[16], uint16_t port,
		      uint32_t scope_id)
{
	if (out == NULL || ip == NULL)
		return MIO_EINVAL;
	memset(out, 0, sizeof(*out));
	out->v6.sin6_family = AF_INET6;
	addr_put_be16(&out->v6.sin6_port, port);
	memcpy(&out->v6.sin6_addr, ip, 16);
	out->v6.sin6_scope_id = scope_id;
	return 0;
}

uint16_t mio_sockaddr_port(const mio_sockaddr *a)
{
	if (a == NULL)
		return 0;
	if (a->sa.sa_family == AF_INET)
		return addr_get_be16(&a->v4.sin_port);
	if (a->sa.sa_family == AF_INET6)
		return addr_get_be16(&a->v6.sin6_port);
	return 0;
}

size_t mio_sockaddr_len(const mio_sockaddr *a)
{
	if (a == NULL)
		return 0;
	if (a->sa.sa_family == AF_INET)
		return sizeof(a->v4);
	if (a->sa.sa_family == AF_INET6)
		return sizeof(a->v6);
	return 0;
}

static int addr_format_ipv4(char *buf, size_t len, const uint8_t *b)
{
	return snprintf(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

/*
 * Writes groups [from, to) as hex separated by ':' into buf, which has
 * room for them (5 bytes a group); returns the length.
 */
static int addr_format_groups(char *buf, size_t len, const uint16_t *g,
			      int from, int to)
{
	int n = 0;

	for (int i = from; i < to; i++)
		n += snprintf(buf + n, len - (size_t)n, i > from ? ":%x" : "%x",
			      g[i]);
	return n;
}

/*
 * RFC 5952, as Rust prints it: the first longest run of two or more zero
 * groups becomes "::", hex in lower case, and an IPv4-mapped address ends
 * in dotted form ("::ffff:1.2.3.4"). Needs 40 bytes.
 */
static int addr_format_ipv6(char *buf, size_t len, const uint8_t *b)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0,    0,
					    0, 0, 0, 0, 0xff, 0xff };
	uint16_t g[8];
	int best = 0, best_len = 0, run = 0, n;

	if (memcmp(b, mapped, sizeof(mapped)) == 0) {
		n = snprintf(buf, len, "::ffff:");
		return n + addr_format_ipv4(buf + n, len - (size_t)n, b + 12);
	}
	for (int i = 0; i < 8; i++) {
		g[i] = addr_get_be16(b + 2 * i);
		run = g[i] == 0 ? run + 1 : 0;
		if (run > best_len) {
			best_len = run;
			best = i - run + 1;
		}
	}
	if (best_len < 2)
		return addr_format_groups(buf, len, g, 0, 8);
	n = addr_format_groups(buf, len, g, 0, best);
	n += snprintf(buf + n, len - (size_t)n, "::");
	return n + addr_format_groups(buf + n, len - (size_t)n, g,
				      best + best_len, 8);
}

int mio_sockaddr_format(const mio_sockaddr *a, char *buf, size_t len)
{
	/* "[" 39 "%" 10 "]:" 5 and a NUL fit with room to spare. */
	char text[72];
	int n;

	if (a == NULL || (buf == NULL && len != 0))
		return MIO_EINVAL;
	if (a->sa.sa_family == AF_INET) {
		n = addr_format_ipv4(text, sizeof(text),
				     (const uint8_t *)&a->v4.sin_addr);
	} else if (a->sa.sa_family == AF_INET6) {
		text[0] = '[';
		n = 1 + addr_format_ipv6(text + 1, sizeof(text) - 1,
					 (const uint8_t *)&a->v6.sin6_addr);
		if (a->v6.sin6_scope_id != 0)
			n += snprintf(text + n, sizeof(text) - (size_t)n,
				      "%%%lu",
				      (unsigned long)a->v6.sin6_scope_id);
		text[n++] = ']';
	} else {
		return MIO_EAFNOSUPPORT;
	}
	snprintf(text + n, sizeof(text) - (size_t)n, ":%u",
		 (unsigned)mio_sockaddr_port(a));
	return snprintf(buf, len, "%s", text);
}
