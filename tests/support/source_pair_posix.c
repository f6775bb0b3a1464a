/* The borrowed kind of source_pair.h: POSIX descriptors. */

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "posix_fd.h"
#include "source_pair.h"

static void fd_open(struct source_pair *p)
{
	socketpair_nb(p->u.fd.sv);
	p->u.fd.src = mio_source_fd(p->u.fd.sv[0]);
	p->src = &p->u.fd.src;
}

static mio_ssize fd_peer_write(struct source_pair *p, const void *buf,
			       size_t len)
{
	ssize_t n = write(p->u.fd.sv[1], buf, len);

	return n < 0 ? -errno : n;
}

static mio_ssize fd_read(struct source_pair *p, void *buf, size_t len)
{
	return source_pair_try_read(p->src, buf, len);
}

static void fd_close(struct source_pair *p)
{
	ASSERT_EQ(close(p->u.fd.sv[0]), 0);
	ASSERT_EQ(close(p->u.fd.sv[1]), 0);
}

const struct source_pair_kind source_pair_fd = {
	"borrowed descriptor", fd_open, fd_peer_write, fd_read, NULL, fd_close,
};
