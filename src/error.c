/*
 * mio_strerror and mio_err_name: the library's table, the same on every
 * platform, then the OS's own error numbers (src/sys/os_error.h).
 */

#include <limits.h>

#include "internal.h"
#include "sys/os_error.h"

struct error_info {
	int code;
	const char *name;
	const char *message;
};

/*
 * Messages are the library's own, so they read the same on every platform
 * and need no locale or thread-unsafe strerror().
 */
static const struct error_info errors[] = {
	{ 0, "OK", "success" },
	{ MIO_EAGAIN, "EAGAIN", "resource temporarily unavailable" },
	{ MIO_EINTR, "EINTR", "interrupted system call" },
	{ MIO_EINVAL, "EINVAL", "invalid argument" },
	{ MIO_EBADF, "EBADF", "bad file descriptor" },
	{ MIO_EEXIST, "EEXIST", "already registered" },
	{ MIO_ENOENT, "ENOENT", "no such entry" },
	{ MIO_ENOMEM, "ENOMEM", "not enough memory" },
	{ MIO_EMFILE, "EMFILE", "too many open files" },
	{ MIO_ENFILE, "ENFILE", "too many open files in system" },
	{ MIO_ENOBUFS, "ENOBUFS", "no buffer space available" },
	{ MIO_EPIPE, "EPIPE", "broken pipe" },
	{ MIO_ECONNREFUSED, "ECONNREFUSED", "connection refused" },
	{ MIO_ECONNRESET, "ECONNRESET", "connection reset by peer" },
	{ MIO_ECONNABORTED, "ECONNABORTED", "connection aborted" },
	{ MIO_ENOTCONN, "ENOTCONN", "socket is not connected" },
	{ MIO_EISCONN, "EISCONN", "socket is already connected" },
	{ MIO_EINPROGRESS, "EINPROGRESS", "operation in progress" },
	{ MIO_EALREADY, "EALREADY", "operation already in progress" },
	{ MIO_ETIMEDOUT, "ETIMEDOUT", "connection timed out" },
	{ MIO_EADDRINUSE, "EADDRINUSE", "address already in use" },
	{ MIO_EADDRNOTAVAIL, "EADDRNOTAVAIL", "address not available" },
	{ MIO_EAFNOSUPPORT, "EAFNOSUPPORT", "address family not supported" },
	{ MIO_EDESTADDRREQ, "EDESTADDRREQ", "destination address required" },
	{ MIO_EMSGSIZE, "EMSGSIZE", "message too long" },
	{ MIO_ENAMETOOLONG, "ENAMETOOLONG", "name too long" },
	{ MIO_ENOTSUP, "ENOTSUP", "operation not supported" },
	{ MIO_EACCES, "EACCES", "permission denied" },
	{ MIO_EPERM, "EPERM", "operation not permitted" },
	{ MIO_ENETUNREACH, "ENETUNREACH", "network is unreachable" },
	{ MIO_EHOSTUNREACH, "EHOSTUNREACH", "host is unreachable" },
	{ MIO_ENOSYS, "ENOSYS", "function not implemented" },
	{ MIO_ENOTSOCK, "ENOTSOCK", "not a socket" },
	{ MIO_EIO, "EIO", "input/output error" },
	{ MIO_ENETDOWN, "ENETDOWN", "network is down" },
	{ MIO_EPROTONOSUPPORT, "EPROTONOSUPPORT", "protocol not supported" },
	{ MIO_ECANCELED, "ECANCELED", "operation canceled" },
};

static const struct error_info *find(int code)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].code == code)
			return &errors[i];
	return NULL;
}

/* The OS's entry for a negative code, or NULL. */
static struct mio__os_error *find_os(int code)
{
	/* -INT_MIN does not exist; positive codes are no errors. */
	if (code >= 0 || code == INT_MIN)
		return NULL;
	for (size_t i = 0; i < mio__os_errors_len; i++)
		if (mio__os_errors[i].number == -code)
			return &mio__os_errors[i];
	return NULL;
}

/*
 * Fills the entry's copy of the OS's message the first time it is asked
 * for. The copy is never written again, so the pointer handed out stays
 * valid and its text stable; the lock only keeps two first calls from
 * writing it at once.
 */
static const char *os_text(struct mio__os_error *e)
{
	static mio__mutex lock = MIO__MUTEX_INIT;

	if (!atomic_load_explicit(&e->ready, memory_order_acquire)) {
		mio__mutex_lock(&lock);
		if (!atomic_load_explicit(&e->ready, memory_order_relaxed)) {
			mio__os_message(e->number, e->text, sizeof(e->text));
			atomic_store_explicit(&e->ready, true,
					      memory_order_release);
		}
		mio__mutex_unlock(&lock);
	}
	return e->text[0] != '\0' ? e->text : "unknown error";
}

const char *mio_strerror(int code)
{
	const struct error_info *e = find(code);
	struct mio__os_error *os;

	if (e != NULL)
		return e->message;
	os = find_os(code);
	return os != NULL ? os_text(os) : "unknown error";
}

const char *mio_err_name(int code)
{
	const struct error_info *e = find(code);
	const struct mio__os_error *os;

	if (e != NULL)
		return e->name;
	os = find_os(code);
	return os != NULL ? os->name : "UNKNOWN";
}
