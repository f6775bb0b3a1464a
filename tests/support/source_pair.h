#ifndef MIO_TESTS_SOURCE_PAIR_H
#define MIO_TESTS_SOURCE_PAIR_H

/*
 * A connected stream pair whose one end is the source under test, of one
 * of two kinds: loopback TCP streams the library owns (every platform),
 * or a borrowed descriptor (mio_source_fd) of a Unix socketpair (POSIX).
 * Owned sources go through the registry's own bookkeeping, borrowed ones
 * straight to the OS, so a case that holds for both is run on both: its
 * body is written once, against these function pointers, and each test
 * file runs it on the kinds it is about.
 */

#include "test.h"

struct source_pair_kind;

struct source_pair {
	const struct source_pair_kind *kind;
	mio_source *src; /* the end under test: points into u */
	union {
		struct {
			mio_tcp_stream a, b;
		} tcp;
		struct {
			mio_source src;
			int sv[2];
		} fd;
	} u;
};

struct source_pair_kind {
	const char *name;
	/* Connects a pair; p must stay where it is until closed. */
	void (*open)(struct source_pair *p);
	/* Writes from the peer end: what the write returned. */
	mio_ssize (*peer_write)(struct source_pair *p, const void *buf,
				size_t len);
	/*
	 * Reads the end under test the way its user would: the library's
	 * read for an owned stream, mio_source_try_io for a borrowed one.
	 */
	mio_ssize (*read)(struct source_pair *p, void *buf, size_t len);
	/*
	 * Closes the end under test by the library's close rule (which
	 * deregisters it); NULL for borrowed descriptors, whose user must
	 * deregister before closing.
	 */
	int (*close_source)(struct source_pair *p);
	/* Closes both ends (the one under test unless already closed). */
	void (*close)(struct source_pair *p);
};

/* Owned loopback TCP streams (127.0.0.1): every platform. */
extern const struct source_pair_kind source_pair_tcp;
/* A borrowed AF_UNIX socketpair descriptor: POSIX only. */
extern const struct source_pair_kind source_pair_fd;

static inline void source_pair_open(const struct source_pair_kind *k,
				    struct source_pair *p)
{
	p->kind = k;
	k->open(p);
}

/*
 * Reads through mio_source_try_io with the OS's recv, as I/O that
 * bypasses the library must, so that backends emulating edge triggering
 * learn of MIO_EAGAIN. Works on either kind.
 */
mio_ssize source_pair_try_read(mio_source *s, void *buf, size_t len);

#endif
