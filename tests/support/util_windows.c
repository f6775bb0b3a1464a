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
 * them finds sockets, ports and AFD handles alike, in order. (Wine's
 * GetProcessHandleCount always says 0.) The scan stops 1,024 slots past
 * the last live handle.
 */
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

/* A command line under construction (fails the test when it overflows). */
struct cmdline {
	char text[8192];
	size_t len;
};

static void cmdline_put(struct cmdline *c, char ch, size_t times)
{
	for (size_t i = 0; i < times; i++) {
		ASSERT(c->len + 1 < sizeof(c->text));
		c->text[c->len++] = ch;
	}
	c->text[c->len] = '\0';
}

/*
 * Appends one argument so that the C runtime's parser (the rules of
 * CommandLineToArgvW) gives it back unchanged: quoted when it is empty
 * or holds blanks or quotes; inside quotes, backslashes are literal
 * except before a quote, where each is doubled and the quote escaped.
 */
static void cmdline_arg(struct cmdline *c, const char *arg)
{
	if (c->len > 0)
		cmdline_put(c, ' ', 1);
	if (arg[0] != '\0' && strpbrk(arg, " \t\n\v\"") == NULL) {
		for (const char *s = arg; *s != '\0'; s++)
			cmdline_put(c, *s, 1);
		return;
	}
	cmdline_put(c, '"', 1);
	for (const char *s = arg;; s++) {
		size_t slashes = 0;

		while (*s == '\\') {
			slashes++;
			s++;
		}
		if (*s == '\0') {
			cmdline_put(c, '\\', 2 * slashes);
			break;
		}
		if (*s == '"') {
			cmdline_put(c, '\\', 2 * slashes + 1);
		} else {
			cmdline_put(c, '\\', slashes);
		}
		cmdline_put(c, *s, 1);
	}
	cmdline_put(c, '"', 1);
}

/* An inheritable copy of h (which may be none: then none). */
static HANDLE inheritable(HANDLE h)
{
	HANDLE dup = NULL;

	if (h == NULL || h == INVALID_HANDLE_VALUE)
		return h;
	ASSERT(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(),
			       &dup, 0, TRUE, DUPLICATE_SAME_ACCESS));
	return dup;
}

static void close_copy(HANDLE h)
{
	if (h != NULL && h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
}

/*
 * The child gets inheritable copies of its three standard handles, made
 * just for CreateProcess and closed right after it: the test's other
 * handles are not inheritable, so no other child holds the pipe's write
 * end and the pipe ends when this child exits.
 */
void test_process_spawn(struct test_process *p, const char *dir,
			const char *const argv[], bool capture)
{
	struct cmdline cmd = { .len = 0 };
	char path[512];
	HANDLE read_end = NULL, write_end = NULL;
	STARTUPINFOA si;
	PROCESS_INFORMATION pi;
	BOOL ok;

	ASSERT((size_t)snprintf(path, sizeof(path), "%s/%s.exe", dir, argv[0]) <
	       sizeof(path));
	for (char *s = path; *s != '\0'; s++)
		if (*s == '/')
			*s = '\\';
	cmdline_arg(&cmd, path);
	for (size_t i = 1; argv[i] != NULL; i++)
		cmdline_arg(&cmd, argv[i]);
	if (capture)
		ASSERT(CreatePipe(&read_end, &write_end, NULL, 0));
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = inheritable(GetStdHandle(STD_INPUT_HANDLE));
	si.hStdOutput = inheritable(capture ? write_end
					    : GetStdHandle(STD_OUTPUT_HANDLE));
	si.hStdError = inheritable(GetStdHandle(STD_ERROR_HANDLE));
	/* Nothing buffered may come after what the child prints. */
	fflush(stdout);
	fflush(stderr);
	ok = CreateProcessA(path, cmd.text, NULL, NULL, TRUE, 0, NULL, NULL,
			    &si, &pi);
	close_copy(si.hStdInput);
	close_copy(si.hStdOutput);
	close_copy(si.hStdError);
	if (capture)
		CloseHandle(write_end);
	if (!ok)
		FAIL_AT("CreateProcess %s: error %lu", path,
			(unsigned long)GetLastError());
	CloseHandle(pi.hThread);
	p->id = (uintptr_t)pi.hProcess;
	p->out = capture ? (intptr_t)read_end : -1;
}

/* How many bytes wait in the pipe; -1 once it has ended. */
static long pipe_available(HANDLE h)
{
	DWORD avail = 0;

	if (!PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL)) {
		ASSERT_EQ(GetLastError(), ERROR_BROKEN_PIPE);
		return -1;
	}
	return (long)avail;
}

void test_process_read_line(struct test_process *p, char *buf, size_t len)
{
	HANDLE h = (HANDLE)p->out;
	size_t n = 0;

	ASSERT(p->out != -1 && len > 0);
	while (n + 1 < len) {
		DWORD got = 0;
		long avail = 0;
		int i;

		/* 60 s for each byte: the child may be slow to start. */
		for (i = 0; i < 6000; i++) {
			avail = pipe_available(h);
			if (avail != 0)
				break;
			Sleep(10);
		}
		if (i == 6000)
			FAIL_AT("process %ju printed no line",
				(uintmax_t)GetProcessId((HANDLE)p->id));
		if (avail < 0 || !ReadFile(h, buf + n, 1, &got, NULL) ||
		    got != 1)
			FAIL_AT("process %ju: output ended before a line",
				(uintmax_t)GetProcessId((HANDLE)p->id));
		if (buf[n] == '\n')
			break;
		n++;
	}
	/* A C runtime in text mode ends its lines with "\r\n". */
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	printf("# %s\n", buf);
}

/* Copies what the child printed to our stdout, without blocking. */
static void process_drain(struct test_process *p)
{
	char buf[4096];
	long avail;

	if (p->out == -1)
		return;
	while ((avail = pipe_available((HANDLE)p->out)) > 0) {
		DWORD got = 0;
		DWORD want = avail < (long)sizeof(buf) ? (DWORD)avail
						       : (DWORD)sizeof(buf);

		ASSERT(ReadFile((HANDLE)p->out, buf, want, &got, NULL));
		fwrite(buf, 1, got, stdout);
	}
}

int test_process_finish(struct test_process *p)
{
	HANDLE h = (HANDLE)p->id;
	DWORD code = 0;

	/* 60 s, in steps of 10 ms, draining the output as it comes. */
	for (int i = 0; i < 6000; i++) {
		DWORD r = WaitForSingleObject(h, 10);

		ASSERT(r == WAIT_OBJECT_0 || r == WAIT_TIMEOUT);
		process_drain(p);
		if (r == WAIT_OBJECT_0) {
			ASSERT(GetExitCodeProcess(h, &code));
			if (p->out != -1)
				CloseHandle((HANDLE)p->out);
			p->out = -1;
			CloseHandle(h);
			/* Windows' counterpart of a signal: an exception. */
			if (code >= 0xC0000000u)
				FAIL_AT("process ended by exception %#lx",
					(unsigned long)code);
			return (int)code;
		}
	}
	TerminateProcess(h, 1);
	WaitForSingleObject(h, INFINITE);
	FAIL_AT("process %ju did not exit", (uintmax_t)GetProcessId(h));
	return -1;
}
