/*
 * Unix-domain socket addresses. The input's first byte picks:
 *  - pathname: the rest, as a string, goes to mio_unix_addr_from_pathname;
 *  - abstract: the rest, as bytes, goes to mio_unix_addr_from_abstract.
 * A name that fits must come back exactly; one that does not must be
 * refused with MIO_ENAMETOOLONG, never cut short.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mio.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_unix_addr: %s (line %d)\n",      \
				#cond, __LINE__);                              \
			abort();                                               \
		}                                                              \
	} while (0)

#define PATH_SIZE sizeof(((struct sockaddr_un *)0)->sun_path)

static void pathname(const uint8_t *data, size_t size)
{
	char path[512];
	mio_unix_addr a;
	int err;

	size = size < sizeof(path) - 1 ? size : sizeof(path) - 1;
	memcpy(path, data, size);
	path[size] = '\0';
	err = mio_unix_addr_from_pathname(&a, path);
	if (strlen(path) == 0) {
		CHECK(err == MIO_EINVAL);
		return;
	}
	if (strlen(path) >= PATH_SIZE) {
		CHECK(err == MIO_ENAMETOOLONG);
		return;
	}
	CHECK(err == 0);
	CHECK(!mio_unix_addr_is_unnamed(&a));
	CHECK(mio_unix_addr_abstract(&a, NULL) == NULL);
	CHECK(mio_unix_addr_pathname(&a) != NULL);
	CHECK(strcmp(mio_unix_addr_pathname(&a), path) == 0);
}

static void abstract(const uint8_t *data, size_t size)
{
	mio_unix_addr a;
	const void *name;
	size_t len = 12345;
	int err = mio_unix_addr_from_abstract(&a, data, size);

	if (err == MIO_ENOTSUP)
		return;
	if (size > PATH_SIZE - 1) {
		CHECK(err == MIO_ENAMETOOLONG);
		return;
	}
	CHECK(err == 0);
	CHECK(mio_unix_addr_pathname(&a) == NULL);
	name = mio_unix_addr_abstract(&a, &len);
	CHECK(name != NULL && len == size);
	CHECK(size == 0 || memcmp(name, data, size) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		abstract(data + 1, size - 1);
	else
		pathname(data + 1, size - 1);
	return 0;
}
