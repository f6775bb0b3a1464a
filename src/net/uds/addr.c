/*
 * mio_unix_addr: pathname, abstract (Linux, Android) and unnamed
 * Unix-domain socket addresses, as Rust's std::os::unix::net::SocketAddr.
 * A name that does not fit is refused, never truncated.
 */

#include <string.h>

#include "net/uds/uds.h"

/* Where sun_path starts, and how many bytes it has. */
static const size_t uds_path_offset = offsetof(struct sockaddr_un, sun_path);
static const size_t uds_path_size = sizeof(((struct sockaddr_un *)0)->sun_path);

void mio__unix_addr_clear(mio_unix_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->addr.sun_family = AF_UNIX;
	a->len = (socklen_t)uds_path_offset;
}

int mio_unix_addr_from_pathname(mio_unix_addr *out, const char *path)
{
	size_t n;

	if (out == NULL)
		return MIO_EINVAL;
	mio__unix_addr_clear(out);
	if (path == NULL)
		return MIO_EINVAL;
	/* The path and its NUL must both fit in sun_path. */
	n = strnlen(path, uds_path_size);
	if (n == 0)
		return MIO_EINVAL;
	if (n >= uds_path_size)
		return MIO_ENAMETOOLONG;
	memcpy(out->addr.sun_path, path, n);
	out->len = (socklen_t)(uds_path_offset + n + 1);
	return 0;
}

int mio_unix_addr_from_abstract(mio_unix_addr *out, const void *name,
				size_t len)
{
	if (out == NULL)
		return MIO_EINVAL;
	mio__unix_addr_clear(out);
	if (name == NULL)
		return MIO_EINVAL;
	if (!mio__uds_has_abstract())
		return MIO_ENOTSUP;
	/* The leading NUL that marks the namespace takes one byte. */
	if (len > uds_path_size - 1)
		return MIO_ENAMETOOLONG;
	memcpy(out->addr.sun_path + 1, name, len);
	out->len = (socklen_t)(uds_path_offset + 1 + len);
	return 0;
}

/* How many bytes of sun_path the address uses (clamped to its size). */
static size_t uds_path_used(const mio_unix_addr *a)
{
	size_t n;

	if (a->len <= uds_path_offset)
		return 0;
	n = a->len - uds_path_offset;
	return n > uds_path_size ? uds_path_size : n;
}

/* Where there is no abstract namespace, a leading NUL means unnamed. */
static bool uds_is_abstract(const mio_unix_addr *a)
{
	return uds_path_used(a) > 0 && a->addr.sun_path[0] == '\0' &&
	       mio__uds_has_abstract();
}

bool mio_unix_addr_is_unnamed(const mio_unix_addr *a)
{
	if (a == NULL)
		return false;
	return uds_path_used(a) == 0 ||
	       (a->addr.sun_path[0] == '\0' && !mio__uds_has_abstract());
}

const char *mio_unix_addr_pathname(const mio_unix_addr *a)
{
	if (a == NULL || uds_path_used(a) == 0 || a->addr.sun_path[0] == '\0')
		return NULL;
	/* Only a NUL-terminated path is handed out as a string. */
	if (memchr(a->addr.sun_path, '\0', uds_path_size) == NULL)
		return NULL;
	return a->addr.sun_path;
}

const void *mio_unix_addr_abstract(const mio_unix_addr *a, size_t *len)
{
	if (a == NULL || !uds_is_abstract(a))
		return NULL;
	if (len != NULL)
		*len = uds_path_used(a) - 1;
	return a->addr.sun_path + 1;
}

bool mio__unix_addr_valid(const mio_unix_addr *a)
{
	return a != NULL && a->addr.sun_family == AF_UNIX &&
	       a->len <= sizeof(a->addr);
}

int mio__unix_addr_finish(mio_unix_addr *a, socklen_t len)
{
	size_t n;

	/* The kernel reports the full length even when it had to cut. */
	if (len > sizeof(a->addr))
		return MIO_ENAMETOOLONG;
	/* Some systems report an unbound peer with no bytes at all. */
	a->addr.sun_family = AF_UNIX;
	a->len = len;
	if (mio_unix_addr_is_unnamed(a)) {
		a->len = (socklen_t)uds_path_offset;
		return 0;
	}
	if (a->addr.sun_path[0] == '\0')
		return 0;
	/* A pathname: its length up to the NUL, which some systems omit. */
	n = strnlen(a->addr.sun_path, len - uds_path_offset);
	if (n >= uds_path_size)
		return MIO_ENAMETOOLONG;
	a->addr.sun_path[n] = '\0';
	a->len = (socklen_t)(uds_path_offset + n + 1);
	return 0;
}
