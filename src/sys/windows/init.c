/* WSAStartup, once per process and thread-safely, as the API promises. */

#include "win_internal.h"

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static int init_result;

static BOOL CALLBACK startup(PINIT_ONCE o, PVOID param, PVOID *ctx)
{
	WSADATA data;
	int err = WSAStartup(MAKEWORD(2, 2), &data);

	(void)o;
	(void)param;
	(void)ctx;
	init_result = err == 0 ? 0 : mio__win_error((DWORD)err);
	return TRUE;
}

int mio__win_init(void)
{
	InitOnceExecuteOnce(&once, startup, NULL, NULL);
	return init_result;
}
