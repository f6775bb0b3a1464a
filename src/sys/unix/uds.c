/* What differs between POSIX systems for Unix-domain sockets. */

#include "net/unix/uds.h"

bool mio__uds_has_abstract(void)
{
#if defined(__linux__) || defined(__ANDROID__)
	return true;
#else
	return false;
#endif
}
