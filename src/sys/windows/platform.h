#ifndef MIO_SYS_WINDOWS_PLATFORM_H
#define MIO_SYS_WINDOWS_PLATFORM_H

/* Small Windows functions the portable layer uses. */

#include <stdbool.h>
#include <winsock2.h>
#include <windows.h>

/* An SRWLOCK needs no initialisation call, so a static one just works. */
typedef SRWLOCK mio__mutex;
#define MIO__MUTEX_INIT SRWLOCK_INIT

static inline void mio__mutex_lock(mio__mutex *m)
{
	AcquireSRWLockExclusive(m);
}

static inline void mio__mutex_unlock(mio__mutex *m)
{
	ReleaseSRWLockExclusive(m);
}

/* Winsock never hands out socket 0, so 0 is never valid here. */
static inline bool mio__fd_valid(mio_raw_fd fd)
{
	return fd != MIO_INVALID_FD && fd != 0;
}

/* A valid descriptor other than 0: see mio__source_usable. */
static inline bool mio__fd_valid_nonzero(mio_raw_fd fd)
{
	return mio__fd_valid(fd);
}

/* Winsock, Win32 and NTSTATUS errors as MIO_E* codes (src/sys/windows/error.c).
 */
int mio__win_error(DWORD code);
int mio__wsa_error(void);

/* When closesocket fails: see src/sys/windows/sockopt.c. */
int mio__socket_close_failed(mio_raw_fd fd);

/* No fork on Windows: every object is the process's own. */
static inline unsigned mio__fork_generation(void)
{
	return 0;
}

static inline bool mio__fork_is_own(unsigned generation)
{
	(void)generation;
	return true;
}

/* Closes a socket the library owns. */
static inline int mio__fd_close(mio_raw_fd fd)
{
	return closesocket((SOCKET)fd) == 0 ? 0 : mio__socket_close_failed(fd);
}

#endif
