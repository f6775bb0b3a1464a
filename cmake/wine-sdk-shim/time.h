/*
 * Used with Wine's headers as the Windows SDK (cmake/toolchain-clang-cl.cmake):
 * what Wine's CRT headers lack of the Universal CRT's <time.h>, whose
 * struct timespec C11 asks for.
 */
#include_next <time.h>

#ifndef MIO_WINE_SDK_SHIM_TIME_H
#define MIO_WINE_SDK_SHIM_TIME_H
struct timespec {
	time_t tv_sec;
	long tv_nsec;
};
#endif
