/*
 * mio_unix_addr: pathname, abstract and unnamed addresses, their lengths,
 * and the refusal of names that do not fit (never truncation).
 */

#include <stddef.h>
#include <string.h>

#include "test.h"

#define PATH_OFFSET offsetof(struct sockaddr_un, sun_path)
#define PATH_SIZE sizeof(((struct sockaddr_un *)0)->sun_path)

/* A string of n copies of c (n < sizeof(buf)). */
static const char *repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void pathname_round_trip(void)
{
	mio_unix_addr a;
	size_t len = 7;

	ASSERT_OK(mio_unix_addr_from_pathname(&a, "/a/sock"));
	ASSERT_EQ(a.addr.sun_family, AF_UNIX);
	ASSERT_UEQ(a.len, PATH_OFFSET + strlen("/a/sock") + 1);
	ASSERT_STR_EQ(mio_unix_addr_pathname(&a), "/a/sock");
	ASSERT(!mio_unix_addr_is_unnamed(&a));
	ASSERT(mio_unix_addr_abstract(&a, &len) == NULL);
	ASSERT(mio_unix_addr_abstract(&a, NULL) == NULL);
	ASSERT_UEQ(len, 7); /* untouched when there is no abstract name */

	/* A relative path is a pathname too. */
	ASSERT_OK(mio_unix_addr_from_pathname(&a, "s"));
	ASSERT_UEQ(a.len, PATH_OFFSET + 2);
	ASSERT_STR_EQ(mio_unix_addr_pathname(&a), "s");
}

static void pathname_length_limit(void)
{
	char buf[512];
	mio_unix_addr a;

	/* The longest path that fits with its NUL. */
	ASSERT_OK(mio_unix_addr_from_pathname(&a,
					      repeat(buf, 'p', PATH_SIZE - 1)));
	ASSERT_UEQ(a.len, PATH_OFFSET + PATH_SIZE);
	ASSERT_UEQ(strlen(mio_unix_addr_pathname(&a)), PATH_SIZE - 1);

	/* One more byte leaves no room for the NUL: refused, not cut. */
	ASSERT_ERR(mio_unix_addr_from_pathname(&a, repeat(buf, 'p', PATH_SIZE)),
		   MIO_ENAMETOOLONG);
	ASSERT(mio_unix_addr_is_unnamed(&a));
	ASSERT(mio_unix_addr_pathname(&a) == NULL);
	ASSERT_ERR(mio_unix_addr_from_pathname(&a, repeat(buf, 'p', 400)),
		   MIO_ENAMETOOLONG);
	ASSERT(mio_unix_addr_is_unnamed(&a));
}

static void pathname_bad_input(void)
{
	mio_unix_addr a;

	ASSERT_ERR(mio_unix_addr_from_pathname(&a, ""), MIO_EINVAL);
	ASSERT(mio_unix_addr_is_unnamed(&a));
	ASSERT_ERR(mio_unix_addr_from_pathname(&a, NULL), MIO_EINVAL);
	ASSERT(mio_unix_addr_is_unnamed(&a));
	ASSERT_ERR(mio_unix_addr_from_pathname(NULL, "/x"), MIO_EINVAL);
}

#if defined(__linux__) || defined(__ANDROID__)
static void abstract_round_trip(void)
{
	/* Abstract names are bytes: a NUL inside is part of the name. */
	static const char name[] = { 'm', 'i', 'o', '\0', 'x' };
	mio_unix_addr a;
	const char *got;
	size_t len = 0;

	ASSERT_OK(mio_unix_addr_from_abstract(&a, name, sizeof(name)));
	ASSERT_EQ(a.addr.sun_family, AF_UNIX);
	ASSERT_UEQ(a.len, PATH_OFFSET + 1 + sizeof(name));
	got = mio_unix_addr_abstract(&a, &len);
	ASSERT(got != NULL);
	ASSERT_UEQ(len, sizeof(name));
	ASSERT(memcmp(got, name, sizeof(name)) == 0);
	ASSERT(mio_unix_addr_abstract(&a, NULL) == got);
	ASSERT(mio_unix_addr_pathname(&a) == NULL);
	ASSERT(!mio_unix_addr_is_unnamed(&a));

	/* The empty name is a name of its own, not an unnamed address. */
	ASSERT_OK(mio_unix_addr_from_abstract(&a, "", 0));
	ASSERT_UEQ(a.len, PATH_OFFSET + 1);
	ASSERT(mio_unix_addr_abstract(&a, &len) != NULL);
	ASSERT_UEQ(len, 0);
	ASSERT(!mio_unix_addr_is_unnamed(&a));
}

static void abstract_length_limit(void)
{
	char buf[512];
	mio_unix_addr a;
	size_t len = 0;

	ASSERT_OK(mio_unix_addr_from_abstract(&a, repeat(buf, 'a', 200),
					      PATH_SIZE - 1));
	ASSERT_UEQ(a.len, PATH_OFFSET + PATH_SIZE);
	ASSERT(mio_unix_addr_abstract(&a, &len) != NULL);
	ASSERT_UEQ(len, PATH_SIZE - 1);

	ASSERT_ERR(mio_unix_addr_from_abstract(&a, buf, PATH_SIZE),
		   MIO_ENAMETOOLONG);
	ASSERT(mio_unix_addr_is_unnamed(&a));
	ASSERT_ERR(mio_unix_addr_from_abstract(&a, buf, 200), MIO_ENAMETOOLONG);
	ASSERT(mio_unix_addr_is_unnamed(&a));
}

static void abstract_bad_input(void)
{
	mio_unix_addr a;

	ASSERT_ERR(mio_unix_addr_from_abstract(&a, NULL, 3), MIO_EINVAL);
	ASSERT(mio_unix_addr_is_unnamed(&a));
	ASSERT_ERR(mio_unix_addr_from_abstract(NULL, "x", 1), MIO_EINVAL);
}
#else
static void abstract_unsupported(void)
{
	mio_unix_addr a;

	ASSERT_ERR(mio_unix_addr_from_abstract(&a, "x", 1), MIO_ENOTSUP);
	ASSERT(mio_unix_addr_is_unnamed(&a));
}
#endif

static void unnamed(void)
{
	mio_unix_addr a;

	memset(&a, 0, sizeof(a));
	a.addr.sun_family = AF_UNIX;
	a.len = PATH_OFFSET;
	ASSERT(mio_unix_addr_is_unnamed(&a));
	ASSERT(mio_unix_addr_pathname(&a) == NULL);
	ASSERT(mio_unix_addr_abstract(&a, NULL) == NULL);

	/* Some systems report an unbound peer with a length of zero. */
	a.len = 0;
	ASSERT(mio_unix_addr_is_unnamed(&a));
	ASSERT(mio_unix_addr_pathname(&a) == NULL);
}

static void null_address(void)
{
	size_t len = 5;

	ASSERT(!mio_unix_addr_is_unnamed(NULL));
	ASSERT(mio_unix_addr_pathname(NULL) == NULL);
	ASSERT(mio_unix_addr_abstract(NULL, &len) == NULL);
	ASSERT_UEQ(len, 5);
}

/* Accessors stay within the structure whatever a caller put in it. */
static void hand_made_addresses(void)
{
	mio_unix_addr a;

	/* A path filling sun_path with no NUL is no C string. */
	memset(&a, 'z', sizeof(a));
	a.addr.sun_family = AF_UNIX;
	a.len = PATH_OFFSET + PATH_SIZE;
	ASSERT(mio_unix_addr_pathname(&a) == NULL);
	ASSERT(!mio_unix_addr_is_unnamed(&a));

	/* A length past the structure is clamped, not followed. */
	a.len = (socklen_t)(sizeof(a.addr) + 100);
	ASSERT(mio_unix_addr_pathname(&a) == NULL);
	a.addr.sun_path[PATH_SIZE - 1] = '\0';
	ASSERT(mio_unix_addr_pathname(&a) != NULL);
	ASSERT_UEQ(strlen(mio_unix_addr_pathname(&a)), PATH_SIZE - 1);
}

int main(void)
{
	RUN(pathname_round_trip);
	RUN(pathname_length_limit);
	RUN(pathname_bad_input);
#if defined(__linux__) || defined(__ANDROID__)
	RUN(abstract_round_trip);
	RUN(abstract_length_limit);
	RUN(abstract_bad_input);
#else
	RUN(abstract_unsupported);
#endif
	RUN(unnamed);
	RUN(null_address);
	RUN(hand_made_addresses);
	return test_summary();
}
