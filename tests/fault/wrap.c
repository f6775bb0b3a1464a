/*
 * The interposer: __wrap_<fn> for the library's system calls. Each counts
 * the call while armed, and the planned one fails without reaching the
 * kernel -- except close, which the kernel always completes on Linux even
 * when it reports an error, so the injected failure follows the real call.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fault.h"
#include "test.h"

#define MAX_SITES 4096

static bool armed;
static long calls, fail_at;
static int fail_errno;
static bool fired;
static struct fault_site sites[MAX_SITES];

void fault_arm(void)
{
	armed = true;
}

void fault_disarm(void)
{
	armed = false;
}

void fault_plan(long nth, int err)
{
	calls = 0;
	fail_at = nth;
	fail_errno = err;
	fired = false;
}

bool fault_fired(void)
{
	return fired;
}

long fault_calls(void)
{
	return calls;
}

const struct fault_site *fault_site_of(long i)
{
	return i >= 1 && i <= MAX_SITES ? &sites[i - 1] : NULL;
}

/* Counts an armed call; true if this one must fail (errno is then set). */
static bool inject(const char *fn, void *caller)
{
	if (!armed)
		return false;
	calls++;
	if (calls <= MAX_SITES)
		sites[calls - 1] = (struct fault_site){ fn, caller };
	if (calls != fail_at)
		return false;
	fired = true;
	errno = fail_errno;
	return true;
}

static bool alloc_hook(void *caller)
{
	/* Allocations fail only one way. */
	if (!inject("malloc", caller))
		return false;
	errno = ENOMEM;
	return true;
}

__attribute__((constructor)) static void install_alloc_hook(void)
{
	test_alloc_should_fail = alloc_hook;
}

#define CALLER __builtin_return_address(0)

/* A wrapper that fails before the real call, returning -1. */
#define WRAP(ret, fn, params, args)                                            \
	ret __real_##fn params;                                                \
	ret __wrap_##fn params;                                                \
	ret __wrap_##fn params                                                 \
	{                                                                      \
		if (inject(#fn, CALLER))                                       \
			return -1;                                             \
		return __real_##fn args;                                       \
	}

WRAP(int, socket, (int d, int t, int p), (d, t, p))
WRAP(int, socketpair, (int d, int t, int p, int sv[2]), (d, t, p, sv))
WRAP(int, accept, (int fd, struct sockaddr *a, socklen_t *l), (fd, a, l))
WRAP(int, accept4, (int fd, struct sockaddr *a, socklen_t *l, int f),
     (fd, a, l, f))
WRAP(int, bind, (int fd, const struct sockaddr *a, socklen_t l), (fd, a, l))
WRAP(int, listen, (int fd, int b), (fd, b))
WRAP(int, connect, (int fd, const struct sockaddr *a, socklen_t l), (fd, a, l))
WRAP(int, getsockname, (int fd, struct sockaddr *a, socklen_t *l), (fd, a, l))
WRAP(int, getpeername, (int fd, struct sockaddr *a, socklen_t *l), (fd, a, l))
WRAP(int, getsockopt, (int fd, int lv, int n, void *v, socklen_t *l),
     (fd, lv, n, v, l))
WRAP(int, setsockopt, (int fd, int lv, int n, const void *v, socklen_t l),
     (fd, lv, n, v, l))
WRAP(int, shutdown, (int fd, int how), (fd, how))
WRAP(ssize_t, send, (int fd, const void *b, size_t n, int f), (fd, b, n, f))
WRAP(ssize_t, recv, (int fd, void *b, size_t n, int f), (fd, b, n, f))
WRAP(ssize_t, sendto,
     (int fd, const void *b, size_t n, int f, const struct sockaddr *a,
      socklen_t l),
     (fd, b, n, f, a, l))
WRAP(ssize_t, recvfrom,
     (int fd, void *b, size_t n, int f, struct sockaddr *a, socklen_t *l),
     (fd, b, n, f, a, l))
WRAP(ssize_t, sendmsg, (int fd, const struct msghdr *m, int f), (fd, m, f))
WRAP(ssize_t, recvmsg, (int fd, struct msghdr *m, int f), (fd, m, f))
WRAP(ssize_t, read, (int fd, void *b, size_t n), (fd, b, n))
WRAP(ssize_t, write, (int fd, const void *b, size_t n), (fd, b, n))
WRAP(ssize_t, readv, (int fd, const struct iovec *v, int n), (fd, v, n))
WRAP(ssize_t, writev, (int fd, const struct iovec *v, int n), (fd, v, n))
WRAP(int, pipe, (int fds[2]), (fds))
WRAP(int, pipe2, (int fds[2], int f), (fds, f))
WRAP(int, epoll_create1, (int f), (f))
WRAP(int, epoll_ctl, (int ep, int op, int fd, struct epoll_event *e),
     (ep, op, fd, e))
WRAP(int, epoll_wait, (int ep, struct epoll_event *e, int n, int t),
     (ep, e, n, t))
WRAP(int, eventfd, (unsigned int v, int f), (v, f))
WRAP(int, unlink, (const char *p), (p))

int __real_close(int fd);
int __wrap_close(int fd);
int __wrap_close(int fd)
{
	int ret = __real_close(fd);

	/* The descriptor is released whatever close reports. */
	if (inject("close", CALLER))
		return -1;
	return ret;
}

int __real_fcntl(int fd, int cmd, ...);
int __wrap_fcntl(int fd, int cmd, ...);
int __wrap_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg = NULL;

	if (inject("fcntl", CALLER))
		return -1;
	/* Every command the library uses takes an int or nothing. */
	if (cmd != F_GETFL && cmd != F_GETFD) {
		va_start(ap, cmd);
		arg = (void *)(intptr_t)va_arg(ap, int);
		va_end(ap);
	}
	return __real_fcntl(fd, cmd, (int)(intptr_t)arg);
}

long __real_syscall(long nr, ...);
long __wrap_syscall(long nr, ...);
long __wrap_syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	if (inject("syscall", CALLER))
		return -1;
	/* The library makes only six-argument calls (epoll_pwait2). */
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
