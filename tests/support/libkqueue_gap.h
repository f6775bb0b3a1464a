#ifndef MIO_TEST_LIBKQUEUE_GAP_H
#define MIO_TEST_LIBKQUEUE_GAP_H

/*
 * Where libkqueue, which runs the kqueue backend on Linux, differs from
 * the kernels: the cases that meet such a gap skip themselves there.
 */

#include <stdbool.h>

/*
 * The developer build that runs the kqueue backend on Linux through
 * libkqueue (MIO_FORCE_KQUEUE) meets a few places where the emulation
 * differs from the kernels. A test case that depends on one calls this
 * first and returns at once if it is true: the case then counts as
 * skipped, with `why` printed. In every other build it returns false.
 */
bool libkqueue_gap(const char *why);

/* The gaps met so far. */
#define LIBKQUEUE_PIPE_EOF                                                     \
	"libkqueue reports a pipe whose reader is gone with fflags EIO, an "   \
	"error to mio; the kernels leave fflags 0"
#define LIBKQUEUE_USER_FD                                                      \
	"libkqueue's EVFILT_USER needs an eventfd, and reports EBADF when it " \
	"cannot have one"
#define LIBKQUEUE_LOST_EVENTS                                                  \
	"libkqueue drops the events it took from epoll but has no room for "   \
	"(it returns at most 512, and one epoll event can make two), so "      \
	"edge-triggered sources under load stall"
#define LIBKQUEUE_FD_HUNGRY                                                    \
	"libkqueue opens ten descriptors of its own for a first kqueue and "   \
	"its user event, more than a limit of 16 can spare"
#define LIBKQUEUE_FD_REUSE                                                     \
	"libkqueue's thread closes a closed kqueue's descriptors at any "      \
	"moment, so which number is free next cannot be told"
#define LIBKQUEUE_SO_ERROR                                                     \
	"libkqueue reads SO_ERROR to fill in fflags, which clears the "        \
	"socket's pending error"
#define LIBKQUEUE_QUEUE_FD                                                     \
	"libkqueue's kqueue descriptor is the write end of a pipe, which "     \
	"never turns readable when events are pending"

#endif
