/* Test utilities for Windows (see test.h). */

#include <limits.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <fcntl.h>
#include <io.h>

#include "test.h"

#include "platform.h" /* mio__wsa_error */

/* The tests make raw sockets too; Winsock counts startups. */
static void wsa_startup(void)
{
	static bool started;
	WSADATA data;

	if (!started) {
		ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
		started = true;
	}
}

static bool is_listening(SOCKET s)
{
	BOOL on = FALSE;
	int len = sizeof(on);

	return getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, (char *)&on, &len) ==
		       0 &&
	       on;
}

static bool is_readable_now(SOCKET s)
{
	fd_set set;
	struct timeval zero = { 0, 0 };

	FD_ZERO(&set);
	FD_SET(s, &set);
	return select(0, &set, NULL, NULL, &zero) == 1;
}

/*
 * Winsock cannot report FIONBIO, so try a call that blocks only on a
 * blocking socket, when nothing is there to be read or accepted: it must
 * fail with WSAEWOULDBLOCK at once. (A blocking socket hangs the test
 * until CTest's timeout: a failure as well.) Sockets that are not
 * connected give other errors and cannot be told apart this way.
 */
void assert_nonblocking(mio_raw_fd fd)
{
	SOCKET s = (SOCKET)fd;
	char byte;
	int err;

	if (is_readable_now(s))
		return;
	if (is_listening(s)) {
		SOCKET c = accept(s, NULL, NULL);
		ASSERT(c == INVALID_SOCKET);
		err = WSAGetLastError();
	} else if (recv(s, &byte, 1, MSG_PEEK) == SOCKET_ERROR) {
		err = WSAGetLastError();
	} else {
		return;
	}
	if (err == WSAENOTCONN || err == WSAEINVAL)
		return;
	if (err != WSAEWOULDBLOCK)
		FAIL_AT("socket %ju: want WSAEWOULDBLOCK, got %d",
			(uintmax_t)fd, err);
}

/* Close-on-exec's counterpart: the handle is not inheritable. */
void assert_cloexec(mio_raw_fd fd)
{
	DWORD flags = 0;

	ASSERT(GetHandleInformation((HANDLE)fd, &flags));
	if (flags & HANDLE_FLAG_INHERIT)
		FAIL_AT("handle %ju is inheritable", (uintmax_t)fd);
}

/*
 * Handles are small multiples of 4, handed out lowest first; probing
 * them counts sockets, ports and AFD handles alike. (Wine's
 * GetProcessHandleCount always says 0.) The scan stops 1,024 slots past
 * the last live handle.
 */
int count_open_fds(void)
{
	uintptr_t last = 0;
	DWORD flags;
	int n = 0;

	for (uintptr_t h = 4; h < last + 4096; h += 4) {
		if (GetHandleInformation((HANDLE)h, &flags)) {
			n++;
			last = h;
		}
	}
	return n;
}

/* The same probe as count_open_fds, which finds handles in order. */
int list_open_fds(mio_raw_fd *fds, int max)
{
	uintptr_t last = 0;
	DWORD flags;
	int n = 0;

	for (uintptr_t h = 4; h < last + 4096; h += 4) {
		if (GetHandleInformation((HANDLE)h, &flags)) {
			if (n < max)
				fds[n] = (mio_raw_fd)h;
			n++;
			last = h;
		}
	}
	return n;
}

static char temp_dir[MAX_PATH + 32];

static void remove_temp_dir(void)
{
	if (temp_dir[0] != '\0')
		RemoveDirectoryA(temp_dir);
}

const char *test_temp_dir(void)
{
	char base[MAX_PATH + 1];
	DWORD n;

	if (temp_dir[0] != '\0')
		return temp_dir;
	n = GetTempPathA(sizeof(base), base);
	ASSERT(n > 0 && n < sizeof(base));
	for (unsigned i = 0;; i++) {
		snprintf(temp_dir, sizeof(temp_dir), "%smio-test-%lu-%u", base,
			 (unsigned long)GetCurrentProcessId(), i);
		if (CreateDirectoryA(temp_dir, NULL))
			break;
		ASSERT(GetLastError() == ERROR_ALREADY_EXISTS && i < 100);
	}
	atexit(remove_temp_dir);
	return temp_dir;
}

void test_tcp_socket_pair(mio_raw_fd sv[2])
{
	struct sockaddr_in addr = { 0 };
	int len = sizeof(addr);
	SOCKET l, a, b;

	wsa_startup();
	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT(l != INVALID_SOCKET);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ASSERT_EQ(listen(l, 1), 0);
	ASSERT_EQ(getsockname(l, (struct sockaddr *)&addr, &len), 0);
	a = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT(a != INVALID_SOCKET);
	ASSERT_EQ(connect(a, (struct sockaddr *)&addr, sizeof(addr)), 0);
	b = accept(l, NULL, NULL);
	ASSERT(b != INVALID_SOCKET);
	closesocket(l);
	sv[0] = (mio_raw_fd)a;
	sv[1] = (mio_raw_fd)b;
}

void test_close_socket(mio_raw_fd fd)
{
	ASSERT_EQ(closesocket((SOCKET)fd), 0);
}

short test_poll_socket(mio_raw_fd fd, short events, int timeout_ms)
{
	/* WSAPoll refuses POLLERR and POLLHUP as input; it always reports them.
	 */
	WSAPOLLFD p = { (SOCKET)fd, events & ~(POLLERR | POLLHUP | POLLNVAL),
			0 };
	int n = WSAPoll(&p, 1, timeout_ms);

	ASSERT(n >= 0);
	return n == 0 ? 0 : p.revents;
}

mio_raw_fd test_dup_socket(mio_raw_fd fd)
{
	WSAPROTOCOL_INFOW info;
	SOCKET d;

	ASSERT_EQ(WSADuplicateSocketW((SOCKET)fd, GetCurrentProcessId(), &info),
		  0);
	d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
		       FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
	ASSERT(d != INVALID_SOCKET);
	return (mio_raw_fd)d;
}

void test_set_linger_zero(mio_raw_fd fd)
{
	struct linger lg = { 1, 0 };

	ASSERT_EQ(setsockopt((SOCKET)fd, SOL_SOCKET, SO_LINGER,
			     (const char *)&lg, sizeof(lg)),
		  0);
}

/* Windows has no per-process limit on sockets or handles to raise. */
bool raise_fd_limit(long want)
{
	(void)want;
	return true;
}

bool test_under_wine(void)
{
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");

	/* Wine's ntdll has an export Windows' lacks. */
	return ntdll != NULL &&
	       GetProcAddress(ntdll, "wine_get_version") != NULL;
}

mio_raw_fd test_socket(int domain, int type)
{
	SOCKET s;

	wsa_startup();
	s = socket(domain, type, 0);
	ASSERT(s != INVALID_SOCKET);
	return (mio_raw_fd)s;
}

bool test_socket_is_open(mio_raw_fd fd)
{
	DWORD flags;

	return GetHandleInformation((HANDLE)fd, &flags) != 0;
}

mio_ssize test_recv(mio_raw_fd fd, void *buf, size_t len)
{
	int n = recv((SOCKET)fd, buf, len > INT_MAX ? INT_MAX : (int)len, 0);

	return n == SOCKET_ERROR ? mio__wsa_error() : n;
}

static DWORD WINAPI peer_main(LPVOID arg)
{
	struct test_peer *p = arg;

	p->fn(p->arg);
	return 0;
}

void test_peer_start(struct test_peer *p, void (*fn)(void *arg), void *arg)
{
	HANDLE h;

	p->fn = fn;
	p->arg = arg;
	h = CreateThread(NULL, 0, peer_main, p, 0, NULL);
	ASSERT(h != NULL);
	p->id = (uintptr_t)h;
}

/* A failed assertion in the thread has ended the process already. */
void test_peer_join(struct test_peer *p)
{
	HANDLE h = (HANDLE)p->id;

	ASSERT_EQ(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
	ASSERT(CloseHandle(h));
}

void test_pipe(int fds[2])
{
	ASSERT_EQ(_pipe(fds, 65536, _O_BINARY), 0);
}

void test_pipe_read(int fd, void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		int n = _read(fd, (char *)buf + done, (unsigned)(len - done));
		if (n <= 0)
			FAIL_AT("pipe %d: read %d of %zu bytes", fd, n, len);
		done += (size_t)n;
	}
}

void test_pipe_write(int fd, const void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		int n = _write(fd, (const char *)buf + done,
			       (unsigned)(len - done));
		if (n <= 0)
			FAIL_AT("pipe %d: write %d of %zu bytes", fd, n, len);
		done += (size_t)n;
	}
}

void test_pipe_close(int fd)
{
	ASSERT_EQ(_close(fd), 0);
}
