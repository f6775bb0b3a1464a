/*
 * The socket address text form. The input's first byte picks:
 *  - parse: the rest, as a string, goes to mio_sockaddr_parse; a success
 *    must format back to text that parses to the same address, and that
 *    text must be a fixed point;
 *  - format: the rest, as raw bytes of a mio_sockaddr, goes to
 *    mio_sockaddr_format with every buffer size up to the full length:
 *    snprintf's rules (the needed length, a NUL-terminated prefix).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mio.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_sockaddr: %s (line %d)\n",       \
				#cond, __LINE__);                              \
			abort();                                               \
		}                                                              \
	} while (0)

static bool same_address(const mio_sockaddr *a, const mio_sockaddr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (mio_sockaddr_port(a) != mio_sockaddr_port(b))
		return false;
	if (a->sa.sa_family == AF_INET)
		return memcmp(&a->v4.sin_addr, &b->v4.sin_addr, 4) == 0;
	return memcmp(&a->v6.sin6_addr, &b->v6.sin6_addr, 16) == 0 &&
	       a->v6.sin6_scope_id == b->v6.sin6_scope_id;
}

static void round_trip(const char *text)
{
	mio_sockaddr a, b, c;
	char out[128], again[128];
	int n;

	if (mio_sockaddr_parse(&a, text) < 0)
		return;
	CHECK(a.sa.sa_family == AF_INET || a.sa.sa_family == AF_INET6);
	n = mio_sockaddr_format(&a, out, sizeof(out));
	CHECK(n > 0 && (size_t)n < sizeof(out) && strlen(out) == (size_t)n);
	CHECK(mio_sockaddr_parse(&b, out) == 0);
	CHECK(same_address(&a, &b));
	CHECK(mio_sockaddr_format(&b, again, sizeof(again)) == n);
	CHECK(strcmp(out, again) == 0);
	CHECK(mio_sockaddr_parse(&c, again) == 0 && same_address(&b, &c));
}

static void format_raw(const uint8_t *data, size_t size)
{
	mio_sockaddr a;
	char full[128], part[128];
	int n;

	memset(&a, 0, sizeof(a));
	memcpy(&a, data, size < sizeof(a) ? size : sizeof(a));
	n = mio_sockaddr_format(&a, full, sizeof(full));
	if (n < 0)
		return;
	CHECK((size_t)n < sizeof(full) && strlen(full) == (size_t)n);
	CHECK(mio_sockaddr_format(&a, NULL, 0) == n);
	for (size_t len = 1; len <= (size_t)n; len++) {
		memset(part, 'X', sizeof(part));
		CHECK(mio_sockaddr_format(&a, part, len) == n);
		CHECK(part[len - 1] == '\0' && part[len] == 'X');
		CHECK(memcmp(part, full, len - 1) == 0);
	}
	round_trip(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256];

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		format_raw(data + 1, size - 1);
		return 0;
	}
	size = size - 1 < sizeof(text) - 1 ? size - 1 : sizeof(text) - 1;
	memcpy(text, data + 1, size);
	text[size] = '\0';
	round_trip(text);
	return 0;
}
