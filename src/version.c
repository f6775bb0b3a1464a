#include "internal.h"

#define STR2(x) #x
#define STR(x) STR2(x)

const char *mio_version(void)
{
	return STR(MIO_VERSION_MAJOR) "." STR(MIO_VERSION_MINOR) "." STR(
		MIO_VERSION_PATCH);
}
