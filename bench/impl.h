#ifndef BENCH_IMPL_H
#define BENCH_IMPL_H

/*
 * What each implementation under test provides to the shared harness
 * (harness.c). The harness owns every descriptor, does every read and
 * write, and measures; an implementation only registers descriptors for
 * readability and waits for readiness, calling bench_ready(token) once
 * per readiness event.
 */

#include <stdbool.h>
#include <stdint.h>

/* Set by the harness: the work done for one readiness event. */
extern void (*bench_ready)(uintptr_t token);

/*
 * How the harness's echo server reads after an event. Edge-triggered
 * epoll, as its manual and every tutorial teach, reads until EAGAIN
 * (true). The others stop at a read that returned less than it asked
 * for: a level-triggered loop reports a descriptor again while data is
 * left, and an edge-triggered one raises a new edge for data that comes
 * later (the short-read rule).
 */
extern const bool impl_echo_until_eagain;

/*
 * Set by an edge-triggered loop that stops at short reads, before each
 * bench_ready: the event reported the peer's shutdown, which may have
 * come with the last data and raises no later edge, so the echo server
 * reads on until end of file.
 */
extern bool bench_read_closed;

/* "epoll-et", "libuv", ...: the name the driver knows it by. */
extern const char impl_name[];

/* The version of the library actually linked, e.g. "1.44.2". */
const char *impl_version(void);

/* Creates the event loop; tokens are below max_tokens. 0 or -1. */
int impl_init(int max_tokens);

void impl_fini(void);

/* Watches fd for readability, reporting token. 0 or -1. */
int impl_add(int fd, uintptr_t token);

/* Stops watching what impl_add(fd, token) watches. 0 or -1. */
int impl_del(int fd, uintptr_t token);

/*
 * One loop iteration: waits for readiness (forever, or not at all when
 * block is false) and calls bench_ready for each event. -1 on error.
 */
int impl_poll_once(bool block);

/*
 * Optional: an echo server written against the implementation's own
 * socket API, used instead of the harness's (raw accepted sockets). It
 * listens on 127.0.0.1 at a port of the OS's choosing, calls announce
 * with it, echoes until every accepted connection has closed, and
 * returns 0 or -1.
 */
int impl_echo(void (*announce)(int port));

#endif
