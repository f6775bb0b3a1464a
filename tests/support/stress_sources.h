#ifndef MIO_TESTS_STRESS_SOURCES_H
#define MIO_TESTS_STRESS_SOURCES_H

/*
 * Registry and close-rule stress under threads, each case written once
 * and run over one kind of source that a test file supplies:
 *  - test_stress_registry.c: owned UDP sockets on loopback, and
 *    test_fd_stress_registry.c: borrowed descriptors (POSIX);
 *  - test_stress_close.c: loopback TCP pairs, and
 *    test_uds_stress_close.c: Unix stream pairs (POSIX).
 *
 * In both cases STRESS_WORKERS threads work on sources while one more
 * thread polls, and every event it gets must carry a token that some
 * registration had. MIO_TEST_SCALE divides the work.
 */

#include "test.h"

#define STRESS_WORKERS 4

/*
 * Registry churn: the workers register, reregister and deregister
 * STRESS_REGISTRY_SOURCES sources, each worker through its own registry
 * clone, for a number of rounds. Every call succeeds, every event
 * carries a token some registration had, and once everything is
 * deregistered no event comes.
 */
#define STRESS_REGISTRY_SOURCES 10000

struct registry_kind {
	/* Opens source i (0 <= i < STRESS_REGISTRY_SOURCES). */
	void (*open)(int i);
	/*
	 * The source to register for i. `scratch` is room for a source the
	 * kind makes anew on every call (a borrowed descriptor's).
	 */
	mio_source *(*source)(int i, mio_source *scratch);
	/*
	 * What registering a registered source again returns: MIO_EEXIST
	 * where the library tracks the source, else what the OS says.
	 */
	int second_register;
	/* Makes source i readable; fails the test if it cannot. */
	void (*make_readable)(int i);
	void (*close)(int i);
};

void stress_registry_run(const struct registry_kind *k);

/*
 * The close rule under threads: the workers make STRESS_CLOSE_PAIRS
 * connected stream pairs in all, register one end, make it readable and
 * close both ends while registered (close deregisters first), half of
 * them the peer first. Descriptor numbers are reused all the time; every
 * event must still carry a token some registration had, nothing may be
 * reported once all is closed, and no descriptor may be left open.
 */
#define STRESS_CLOSE_PAIRS 40000

/*
 * The stream operations of one kind. A stream object starts with its
 * mio_source, so a pointer to it stands for the object.
 */
struct close_kind {
	/*
	 * Whatever the process keeps for good from its first stream (Winsock
	 * keeps a handle), made before the descriptors are counted; or NULL.
	 */
	void (*settle)(void);
	/* Around one worker's pairs (0 <= worker < STRESS_WORKERS); or NULL. */
	void (*worker_start)(int worker);
	void (*worker_end)(int worker);
	/* A connected pair, made by `worker`; fails the test otherwise. */
	void (*pair)(int worker, mio_source *a, mio_source *b);
	mio_ssize (*write)(mio_source *s, const void *buf, size_t len);
	int (*close)(mio_source *s);
};

void stress_close_run(const struct close_kind *k);

#endif
