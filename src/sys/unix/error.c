/*
 * The POSIX side of mio_strerror and mio_err_name (src/sys/os_error.h):
 * the names of <errno.h>, and the messages of strerror_r, which unlike
 * strerror is thread-safe everywhere.
 */

#include <string.h>

#include "internal.h"
#include "sys/os_error.h"

struct mio__os_error mio__os_errors[] = {
#include "sys/errno_names.h"
};

const size_t mio__os_errors_len =
	sizeof(mio__os_errors) / sizeof(mio__os_errors[0]);

/*
 * strerror_r comes in two kinds: POSIX's returns 0 and fills buf; the GNU
 * one (glibc and bionic with _GNU_SOURCE) returns the message, which may
 * be a static string instead of buf. The type of the call's result
 * picks the reader.
 */
static const char *strerror_r_posix(int ret, const char *buf)
{
	return ret == 0 ? buf : "";
}

static const char *strerror_r_gnu(const char *ret, const char *buf)
{
	(void)buf;
	return ret != NULL ? ret : "";
}

void mio__os_message(int number, char *buf, size_t len)
{
	const char *msg;

	buf[0] = '\0';
	msg = _Generic(strerror_r(number, buf, len), int: strerror_r_posix,
		       char *: strerror_r_gnu)(strerror_r(number, buf, len),
					       buf);
	if (msg != buf) {
		strncpy(buf, msg, len - 1);
		buf[len - 1] = '\0';
	}
}
