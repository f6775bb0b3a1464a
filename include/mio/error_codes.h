#ifndef MIO_ERROR_CODES_H
#define MIO_ERROR_CODES_H

/*
 * Error codes: the negative errno values of the platform's <errno.h>. On
 * POSIX a code is exactly -errno; on Windows the C runtime's values are
 * used, and Winsock, Win32 and NTSTATUS errors are mapped onto them.
 */

#include <errno.h>

#define MIO_EAGAIN (-EAGAIN)
#define MIO_EINTR (-EINTR)
#define MIO_EINVAL (-EINVAL)
#define MIO_EBADF (-EBADF)
#define MIO_EEXIST (-EEXIST)
#define MIO_ENOENT (-ENOENT)
#define MIO_ENOMEM (-ENOMEM)
#define MIO_EMFILE (-EMFILE)
#define MIO_ENFILE (-ENFILE)
#define MIO_ENOBUFS (-ENOBUFS)
#define MIO_EPIPE (-EPIPE)
#define MIO_ECONNREFUSED (-ECONNREFUSED)
#define MIO_ECONNRESET (-ECONNRESET)
#define MIO_ECONNABORTED (-ECONNABORTED)
#define MIO_ENOTCONN (-ENOTCONN)
#define MIO_EISCONN (-EISCONN)
#define MIO_EINPROGRESS (-EINPROGRESS)
#define MIO_EALREADY (-EALREADY)
#define MIO_ETIMEDOUT (-ETIMEDOUT)
#define MIO_EADDRINUSE (-EADDRINUSE)
#define MIO_EADDRNOTAVAIL (-EADDRNOTAVAIL)
#define MIO_EAFNOSUPPORT (-EAFNOSUPPORT)
#define MIO_EDESTADDRREQ (-EDESTADDRREQ)
#define MIO_EMSGSIZE (-EMSGSIZE)
#define MIO_ENAMETOOLONG (-ENAMETOOLONG)
#define MIO_ENOTSUP (-ENOTSUP)
#define MIO_EACCES (-EACCES)
#define MIO_EPERM (-EPERM)
#define MIO_ENETUNREACH (-ENETUNREACH)
#define MIO_EHOSTUNREACH (-EHOSTUNREACH)
/* Additions beyond the contract's list. */
#define MIO_ENOSYS (-ENOSYS)
#define MIO_ENOTSOCK (-ENOTSOCK)
#define MIO_EIO (-EIO)
#define MIO_ENETDOWN (-ENETDOWN)
#define MIO_EPROTONOSUPPORT (-EPROTONOSUPPORT)
#define MIO_ECANCELED (-ECANCELED)

#endif
