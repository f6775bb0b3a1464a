/*
 * The cost of one mio_poll_poll call as registrations grow: 1 active
 * descriptor among N registered (10, 1,000, 10,000 by default), for
 * whichever backend the library was built with. poll(2) is O(registered)
 * per call, epoll O(ready): this shows by how much.
 *
 *   cmake -S . -B build-poll -DMIO_FORCE_POLL=ON
 *   cmake --build build-poll --target poll_scaling
 *   ./build-poll/bench/poll_scaling [N...]
 *
 * The idle descriptors are eventfds that never fire; the active one is
 * an eventfd written before each call and read empty after it (through
 * mio_source_try_io, so that the poll(2) backend re-arms it). Only the
 * mio_poll_poll call is timed.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "mio.h"

#ifndef POLL_SCALING_BACKEND
#define POLL_SCALING_BACKEND "unknown"
#endif

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static mio_ssize read_counter(mio_source *s, void *ctx)
{
	uint64_t v;

	(void)ctx;
	return read(s->fd, &v, sizeof(v)) < 0 ? -errno : (mio_ssize)sizeof(v);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Times `iters` polls with one active descriptor among n; 0 on success. */
static int run(int n, int iters)
{
	mio_poll *poll;
	mio_events *events;
	int *fds = calloc((size_t)n, sizeof(*fds));
	double *samples = calloc((size_t)iters, sizeof(*samples));
	const uint64_t one = 1;
	double total = 0;
	int err = -1;

	if (fds == NULL || samples == NULL || mio_poll_new(&poll) < 0)
		return -1;
	if (mio_events_new(64, &events) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		mio_source s;
		fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		s = mio_source_fd(fds[i]);
		if (fds[i] < 0 ||
		    mio_registry_register(mio_poll_registry(poll), &s,
					  (mio_token)i, MIO_READABLE) < 0) {
			fprintf(stderr, "setup failed at %d: %s\n", i,
				mio_strerror(-errno));
			goto out;
		}
	}
	/* The active one is in the middle of the table. */
	mio_source active = mio_source_fd(fds[n / 2]);
	for (int i = -iters / 10; i < iters; i++) {
		double t0, t1;
		int got;

		if (write(active.fd, &one, sizeof(one)) != sizeof(one))
			goto out;
		t0 = now_ns();
		got = mio_poll_poll(poll, events, NULL);
		t1 = now_ns();
		if (got != 1 || mio_event_token(mio_events_at(events, 0)) !=
					(mio_token)(n / 2)) {
			fprintf(stderr, "unexpected poll result %d\n", got);
			goto out;
		}
		while (mio_source_try_io(&active, read_counter, NULL) > 0)
			;
		if (i >= 0) {
			samples[i] = t1 - t0;
			total += t1 - t0;
		}
	}
	qsort(samples, (size_t)iters, sizeof(*samples), cmp_double);
	printf("%-6s %6d registered, 1 active: %9.0f ns/call mean, "
	       "%9.0f median, %9.0f p99 (%d calls)\n",
	       POLL_SCALING_BACKEND, n, total / iters, samples[iters / 2],
	       samples[iters * 99 / 100], iters);
	err = 0;
out:
	for (int i = 0; i < n; i++) {
		mio_source s = mio_source_fd(fds[i]);
		if (fds[i] > 0) {
			mio_registry_deregister(mio_poll_registry(poll), &s);
			close(fds[i]);
		}
	}
	mio_events_free(events);
	mio_poll_free(poll);
	free(samples);
	free(fds);
	return err;
}

int main(int argc, char **argv)
{
	static const int defaults[] = { 10, 1000, 10000 };
	struct rlimit rl;

	/* 10,000 descriptors need more than the usual soft limit. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (int i = 0; i < (argc > 1 ? argc - 1 : 3); i++) {
		int n = argc > 1 ? atoi(argv[i + 1]) : defaults[i];
		/* Fewer calls for more descriptors: seconds, not minutes. */
		int iters = n <= 100 ? 20000 : n >= 20000 ? 100 : 2000000 / n;
		if (n < 1 || run(n, iters) < 0)
			return 1;
	}
	return 0;
}
