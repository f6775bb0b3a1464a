/* What the Unix-domain listener, stream and datagram files share. */

#include "net/uds/uds.h"

int mio__uds_addr(const mio_source *s, bool peer, mio_unix_addr *out)
{
	socklen_t len = sizeof(out->addr);
	struct sockaddr *sa;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__unix_addr_clear(out);
	err = mio__source_check(s);
	if (err < 0)
		return err;
	sa = (struct sockaddr *)(void *)&out->addr;
	if (peer)
		err = mio__socket_peer_addr(s->fd, sa, &len);
	else
		err = mio__socket_local_addr(s->fd, sa, &len);
	if (err == 0)
		err = mio__unix_addr_finish(out, len);
	if (err < 0)
		mio__unix_addr_clear(out);
	return err;
}

int mio__uds_new(mio_source *out, int type, const mio_unix_addr *addr)
{
	mio_raw_fd fd;
	int err;

	if (addr != NULL && !mio__unix_addr_valid(addr))
		return MIO_EINVAL;
	err = mio__socket_new(AF_UNIX, type, 0, &fd);
	if (err < 0)
		return err;
	if (addr != NULL) {
		err = mio__socket_bind(fd, (const void *)&addr->addr,
				       addr->len);
		if (err < 0) {
			mio__fd_close(fd);
			return err;
		}
	}
	mio__source_init(out, fd);
	return 0;
}

int mio__uds_open(mio_source *out, const struct mio__uds_kind *kind,
		  const mio_unix_addr *addr)
{
	const char *path;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(out);
	if (!mio__unix_addr_valid(addr))
		return MIO_EINVAL;
	err = mio__uds_new(out, kind->type, kind->bind ? addr : NULL);
	if (err < 0 || kind->then == NULL)
		return err;
	err = kind->then(out->fd, addr);
	if (err < 0) {
		/* bind made the socket file: a failed call leaves no trace. */
		path = kind->bind ? mio_unix_addr_pathname(addr) : NULL;
		mio__source_close(out);
		if (path != NULL)
			unlink(path);
	}
	return err;
}

int mio__uds_pair(mio_source *a, mio_source *b, int type)
{
	mio_raw_fd fds[2];
	int err;

	if (a != NULL)
		mio__source_inert(a);
	if (b != NULL)
		mio__source_inert(b);
	if (a == NULL || b == NULL)
		return MIO_EINVAL;
	err = mio__socket_pair(AF_UNIX, type, 0, fds);
	if (err < 0)
		return err;
	mio__source_init(a, fds[0]);
	mio__source_init(b, fds[1]);
	return 0;
}

int mio__uds_by_path(mio_source *out, const struct mio__uds_kind *kind,
		     const char *path)
{
	mio_unix_addr addr;
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(out);
	err = mio_unix_addr_from_pathname(&addr, path);
	return err < 0 ? err : mio__uds_open(out, kind, &addr);
}

/* As Rust's standard library: the largest backlog the system allows. */
static int uds_listen(mio_raw_fd fd, const mio_unix_addr *addr)
{
	(void)addr;
	return mio__socket_listen(fd, SOMAXCONN);
}

/*
 * A Unix-domain connect completes at once or fails; with a full backlog it
 * fails with MIO_EAGAIN, as in mio.
 */
static int uds_connect(mio_raw_fd fd, const mio_unix_addr *addr)
{
	return mio__socket_connect(fd, (const void *)&addr->addr, addr->len);
}

const struct mio__uds_kind mio__uds_listener = { SOCK_STREAM, true,
						 uds_listen };
const struct mio__uds_kind mio__uds_stream = { SOCK_STREAM, false,
					       uds_connect };
const struct mio__uds_kind mio__uds_datagram = { SOCK_DGRAM, true, NULL };
