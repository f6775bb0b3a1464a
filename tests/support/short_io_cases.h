#ifndef MIO_TESTS_SHORT_IO_CASES_H
#define MIO_TESTS_SHORT_IO_CASES_H

/*
 * The rule of API.md's "Short reads and writes end the loop", written
 * once and run on each kind of stream: a read that returns less than it
 * asked for drained the source, a write that took less than it was given
 * filled it, and the caller that stops there (never seeing MIO_EAGAIN)
 * still hears of the next readiness, on every backend. Loopback TCP runs
 * on every platform (short_io_tcp, test_short_io.c); Unix stream sockets
 * and pipes on POSIX, each kind defined in its own test file.
 *
 * A kind keeps one pair of ends of its own at a time, so its functions
 * take no argument: open() makes a fresh pair, close() closes it.
 */

#include "test.h"

struct short_io_kind {
	const char *name;
	void (*open)(void);
	void (*close)(void);
	/* The end that reads what the peer writes, and the end that writes
	 * to the peer (one socket, or a pipe's two ends). */
	mio_source *(*reader)(void);
	mio_source *(*writer)(void);
	/* The library's I/O on them, as their user would call it. */
	mio_ssize (*read)(void *buf, size_t len);
	mio_ssize (*readv)(const mio_iovec *iov, size_t n);
	mio_ssize (*write)(const void *buf, size_t len);
	mio_ssize (*writev)(const mio_iovec *iov, size_t n);
	/* The other side, unregistered: non-blocking, MIO_EAGAIN as usual. */
	mio_ssize (*peer_write)(const void *buf, size_t len);
	mio_ssize (*peer_read)(void *buf, size_t len);
	mio_raw_fd (*peer_fd)(void); /* to wait for with poll(2) */
	/* The peer writes no more: a FIN, or a pipe's write end closed. */
	void (*peer_shutdown)(void);
};

/* Loopback TCP streams the library owns: every platform. */
extern const struct short_io_kind short_io_tcp;

/* Runs every case on kind k (RUN each, named as the cases are). */
void short_io_run(const struct short_io_kind *k);

#endif
