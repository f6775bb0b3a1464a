/* mio_strerror and mio_err_name: one table for every platform. */

#include "internal.h"

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

const char *mio_strerror(int code)
{
	const struct error_info *e = find(code);
	return e != NULL ? e->message : "unknown error";
}

const char *mio_err_name(int code)
{
	const struct error_info *e = find(code);
	return e != NULL ? e->name : "UNKNOWN";
}
