#ifndef MIO_TESTS_STRESS_ECHO_H
#define MIO_TESTS_STRESS_ECHO_H

/*
 * Echo under load, shared by test_stress_echo.c (TCP on loopback, every
 * platform) and test_uds_stress_echo.c (Unix sockets, POSIX): a client
 * opens 10,000 connections to an echo server, which holds all of them at
 * once through one poll; then each connection sends a few kilobytes in
 * random-sized writes and checks that every byte comes back, in order.
 *
 * The client is a test_peer: a forked process on POSIX, so that each
 * side needs only 10,000 descriptors of its own, and a thread on
 * Windows. MIO_TEST_SCALE divides the number of connections.
 */

#include "test.h"

/* Room for the address the client connects to, whatever the protocol. */
#define ECHO_ADDR_MAX 256

/*
 * The stream operations of one protocol. Every object starts with its
 * mio_source, so a pointer to it stands for the object.
 */
struct echo_proto {
	const char *name;
	/* Binds a listener; writes the address to connect to into addr. */
	int (*listen)(mio_source *listener, void *addr);
	int (*accept)(mio_source *listener, mio_source *out);
	/* Starts a connection, which may still be in progress. */
	int (*connect)(mio_source *out, const void *addr);
	mio_ssize (*read)(mio_source *s, void *buf, size_t len);
	mio_ssize (*write)(mio_source *s, const void *buf, size_t len);
	int (*shutdown_write)(mio_source *s);
	int (*close)(mio_source *s);
};

/* Runs the whole exchange over `p`; fails the test on any mismatch. */
void echo_stress_run(const struct echo_proto *p);

#endif
