/* Descriptor flags, for the descriptors the library adopts or makes. */

#include <fcntl.h>

#include "internal.h"

int mio__fd_set_flag(int fd, int get, int set, int flag, bool on)
{
	int fl = fcntl(fd, get);

	if (fl < 0)
		return -errno;
	if (((fl & flag) != 0) == on)
		return 0;
	fl = on ? fl | flag : fl & ~flag;
	return fcntl(fd, set, fl) < 0 ? -errno : 0;
}

int mio__fd_adopt(int fd)
{
	int err = mio__fd_set_flag(fd, F_GETFL, F_SETFL, O_NONBLOCK, true);

	if (err == 0)
		err = mio__fd_set_flag(fd, F_GETFD, F_SETFD, FD_CLOEXEC, true);
	return err;
}
