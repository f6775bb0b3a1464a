/*
 * The accept pattern of test_stress_echo in plain Winsock, without the
 * library: to tell the library's failures from Wine's (docs/windows.md,
 * "Many sockets under Wine"). One process; a client thread opens N
 * loopback connections in batches of B, each batch once the server has
 * accepted the one before; the server accepts with non-blocking accept()
 * until WSAEWOULDBLOCK and waits with select() on the listener in
 * between. Every connection is held open to the end. It prints progress
 * and the first failure, then waits HOLD_MS (so that the descriptors of
 * the wineserver can be counted) and exits 1.
 *
 *   winsock_accept_storm [N [B [addr|noaddr [HOLD_MS]]]]
 *
 * noaddr passes no address buffer to accept(), which rules out its
 * getpeername step. Built on Windows only; not a test.
 */

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n_conns = 10000, batch = 1000;
static struct sockaddr_in addr;
static HANDLE batch_connected, batch_accepted;
static volatile LONG client_err;

static SOCKET client_socket(int i)
{
	SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, 0, NULL, 0,
			      WSA_FLAG_OVERLAPPED);
	u_long on = 1;

	if (s == INVALID_SOCKET || ioctlsocket(s, FIONBIO, &on) != 0 ||
	    (connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0 &&
	     WSAGetLastError() != WSAEWOULDBLOCK)) {
		client_err = WSAGetLastError();
		printf("client: connection %d failed: error %ld\n", i,
		       (long)client_err);
		return INVALID_SOCKET;
	}
	return s;
}

static DWORD WINAPI client(LPVOID arg)
{
	(void)arg;
	for (int first = 0; first < n_conns; first += batch) {
		for (int i = first; i < first + batch; i++) {
			if (client_socket(i) == INVALID_SOCKET) {
				SetEvent(batch_connected);
				return 1;
			}
		}
		SetEvent(batch_connected);
		WaitForSingleObject(batch_accepted, INFINITE);
	}
	return 0;
}

/* Waits for the listener to be readable; false after 30 s of nothing. */
static BOOL wait_listener(SOCKET l)
{
	fd_set rd;
	struct timeval tv = { 30, 0 };

	FD_ZERO(&rd);
	FD_SET(l, &rd);
	return select(0, &rd, NULL, NULL, &tv) > 0;
}

int main(int argc, char **argv)
{
	WSADATA wsa;
	SOCKET l;
	int len = sizeof(addr), accepted = 0, with_addr = 1, hold_ms = 0;
	u_long on = 1;
	DWORD t0;

	if (argc > 1)
		n_conns = atoi(argv[1]);
	if (argc > 2)
		batch = atoi(argv[2]);
	if (argc > 3)
		with_addr = strcmp(argv[3], "noaddr") != 0;
	if (argc > 4)
		hold_ms = atoi(argv[4]);
	if (n_conns < 1 || batch < 1 || n_conns % batch != 0) {
		fprintf(stderr, "N must be a multiple of B\n");
		return 2;
	}
	WSAStartup(MAKEWORD(2, 2), &wsa);
	l = WSASocketW(AF_INET, SOCK_STREAM, 0, NULL, 0, WSA_FLAG_OVERLAPPED);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l == INVALID_SOCKET ||
	    bind(l, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(l, 1024) != 0 ||
	    getsockname(l, (struct sockaddr *)&addr, &len) != 0 ||
	    ioctlsocket(l, FIONBIO, &on) != 0) {
		printf("listener: error %d\n", WSAGetLastError());
		return 2;
	}
	batch_connected = CreateEventW(NULL, FALSE, FALSE, NULL);
	batch_accepted = CreateEventW(NULL, FALSE, FALSE, NULL);
	t0 = GetTickCount();
	CloseHandle(CreateThread(NULL, 0, client, NULL, 0, NULL));
	while (accepted < n_conns) {
		struct sockaddr_in6 peer;
		int plen = sizeof(peer);
		SOCKET s;

		if (accepted % batch == 0)
			WaitForSingleObject(batch_connected, INFINITE);
		if (client_err != 0)
			return 1;
		s = with_addr ? accept(l, (struct sockaddr *)&peer, &plen)
			      : accept(l, NULL, NULL);
		if (s == INVALID_SOCKET) {
			int e = WSAGetLastError();

			if (e == WSAEWOULDBLOCK && wait_listener(l))
				continue;
			printf("accept failed after %d accepted, with %d "
			       "sockets open in this process: error %d\n",
			       accepted,
			       accepted + accepted / batch * batch + batch + 1,
			       e);
			fflush(stdout);
			Sleep((DWORD)hold_ms);
			return 1;
		}
		accepted++;
		if (accepted % batch == 0) {
			printf("%d accepted, %lu ms\n", accepted,
			       (unsigned long)(GetTickCount() - t0));
			fflush(stdout);
			SetEvent(batch_accepted);
		}
	}
	printf("all %d accepted (%d sockets open)\n", accepted,
	       2 * accepted + 1);
	return 0;
}
