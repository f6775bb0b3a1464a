/*
 * The shared half of every benchmark program: descriptors, the read and
 * write work done per event, timing and allocation counting. Linked with
 * one impl_*.c, it becomes bench_<impl>; bench/run.py drives them.
 *
 *   bench_<impl> info
 *   bench_<impl> chain N ACTIVE EVENTS MS chain ping (libevent's bench.c)
 *   bench_<impl> chain-turns N ACTIVE SLICES EVENTS BATON_RFD BATON_WFD
 *                                         chain ping in turns with another
 *   bench_<impl> reg N REPS               registration cost
 *   bench_<impl> pollcost REGISTERED ITERS MS
 *   bench_<impl> echo                     echo server on 127.0.0.1
 *
 * Results are printed as one line of key=value pairs.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "impl.h"

void (*bench_ready)(uintptr_t token);
bool bench_read_closed;

/* ------------------------------------------------------------------ */
/* Allocation counting: the executable's malloc interposes on every
 * library's, so calls from libuv, libev, libevent and mio all count. */

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);

static atomic_long allocs;

void *malloc(size_t n)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __libc_realloc(p, n);
}

/* ------------------------------------------------------------------ */

static void die(const char *what)
{
	fprintf(stderr, "bench_%s: %s: %s\n", impl_name, what, strerror(errno));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		die("fcntl");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------------ */
/* Chain ping: N socketpairs, ACTIVE bytes travelling along the chain.
 * Each readiness event reads what its pair holds (one byte, unless two
 * travellers met) and passes it on to the next pair, so edge- and
 * level-triggered loops do the same system calls. */

static int *chain_rfd, *chain_wfd;
static int chain_n;
static long events_seen;

__attribute__((noinline)) static void chain_fire(uintptr_t idx)
{
	char buf[256];
	ssize_t n = read(chain_rfd[idx], buf, sizeof(buf));

	if (n <= 0)
		return;
	events_seen++;
	if (write(chain_wfd[idx + 1 == (uintptr_t)chain_n ? 0 : idx + 1], buf,
		  (size_t)n) != n)
		die("write");
}

/* The timed loop; callgrind collects exactly while it runs. */
__attribute__((noinline)) void bench_loop(long target)
{
	while (events_seen < target)
		if (impl_poll_once(true) < 0)
			die("poll");
}

static void chain_open(int n, int active)
{
	chain_n = n;
	chain_rfd = calloc((size_t)n, sizeof(int));
	chain_wfd = calloc((size_t)n, sizeof(int));
	if (chain_rfd == NULL || chain_wfd == NULL || impl_init(n) < 0)
		die("init");
	for (int i = 0; i < n; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			die("socketpair");
		set_nonblock(sv[0]);
		set_nonblock(sv[1]);
		chain_rfd[i] = sv[0];
		chain_wfd[i] = sv[1];
		if (impl_add(sv[0], (uintptr_t)i) < 0)
			die("register");
	}
	for (int i = 0; i < active; i++)
		if (write(chain_wfd[(long)i * n / active], "e", 1) != 1)
			die("write");
}

static void chain_close(void)
{
	for (int i = 0; i < chain_n; i++)
		impl_del(chain_rfd[i], (uintptr_t)i);
	impl_fini();
	for (int i = 0; i < chain_n; i++) {
		close(chain_rfd[i]);
		close(chain_wfd[i]);
	}
	free(chain_rfd);
	free(chain_wfd);
}

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * A timed run is cut into SLICES equal slices, each ending after its
 * share of the events or of the time budget. Besides the mean, a run
 * reports its fastest slice: on a shared machine, the slice that other
 * processes disturbed least.
 */
#define SLICES 10

struct slices {
	double deadline, slice_ns, best;
};

static void slices_start(struct slices *s, double now, long ms)
{
	s->deadline = now + (double)ms * 1e6;
	s->slice_ns = (double)ms * 1e6 / SLICES;
	s->best = 0;
}

static void slices_note(struct slices *s, double ns, long count)
{
	if (count == 0)
		return;
	if (s->best == 0 || ns / (double)count < s->best)
		s->best = ns / (double)count;
}

/*
 * Chain ping for `events` events or `ms` milliseconds, whichever comes
 * first (a poll(2) backend with thousands of descriptors is slow).
 */
static int cmd_chain(int n, int active, long events, long ms)
{
	long slice = events / SLICES > 0 ? events / SLICES : 1;
	double t0, t1, c0, c1;
	struct slices sl;
	long a0;

	bench_ready = chain_fire;
	chain_open(n, active);
	/* Warm caches and let every library grow its tables first. */
	events_seen = 0;
	bench_loop(events / 100 + 1);
	events_seen = 0;
	a0 = atomic_load(&allocs);
	t0 = now_ns();
	c0 = cpu_ns();
	slices_start(&sl, t0, ms);
	for (t1 = t0; events_seen < events && t1 < sl.deadline;) {
		long from = events_seen, end = from + slice;
		double s0 = t1;

		/* The clock is read once per hundred events. */
		while (events_seen < end && t1 - s0 < sl.slice_ns) {
			bench_loop(events_seen + 100 < end ? events_seen + 100
							   : end);
			t1 = now_ns();
		}
		slices_note(&sl, t1 - s0, events_seen - from);
	}
	c1 = cpu_ns();
	a0 = atomic_load(&allocs) - a0;
	printf("chain n=%d active=%d events=%ld ns_per_event=%.2f "
	       "best_ns_per_event=%.2f cpu_ns_per_event=%.2f "
	       "allocs_per_event=%.6f\n",
	       n, active, events_seen, (t1 - t0) / (double)events_seen, sl.best,
	       (c1 - c0) / (double)events_seen,
	       (double)a0 / (double)events_seen);
	chain_close();
	return 0;
}

/*
 * Chain ping in turns with a partner process running the same chain in
 * its own loop (bench/run.py starts the two). A baton byte goes back and
 * forth through two pipes: this process waits for it on baton_rfd, times
 * one slice of `events` events, and hands it on through baton_wfd. The
 * two thus alternate every few milliseconds, and changes in the machine's
 * load that are slower than that hit both alike.
 *
 * Setup and warm-up happen before the line "ready" and teardown after a
 * last baton (or the partner's exit), so neither overlaps a timed slice
 * of the partner's. Prints the wall time per event of every slice.
 */
static bool baton_take(int fd)
{
	char c;
	ssize_t n;

	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("baton read");
	return n == 1;
}

static void baton_pass(int fd)
{
	ssize_t n;

	do
		n = write(fd, "b", 1);
	while (n < 0 && errno == EINTR);
	/* EPIPE: the partner has already finished. */
	if (n < 0 && errno != EPIPE)
		die("baton write");
}

static int cmd_chain_turns(int n, int active, int slices, long events,
			   int baton_rfd, int baton_wfd)
{
	double *ns = calloc((size_t)slices, sizeof(double));
	long a0, timed = 0;

	if (ns == NULL || slices <= 0 || events <= 0)
		die("chain-turns arguments");
	signal(SIGPIPE, SIG_IGN);
	bench_ready = chain_fire;
	chain_open(n, active);
	events_seen = 0;
	bench_loop(4 * events);
	printf("ready\n");
	a0 = atomic_load(&allocs);
	for (int i = 0; i < slices; i++) {
		long from = events_seen;
		double t0, t1;

		if (!baton_take(baton_rfd)) {
			errno = EPIPE;
			die("partner gone");
		}
		t0 = now_ns();
		bench_loop(from + events);
		t1 = now_ns();
		baton_pass(baton_wfd);
		ns[i] = (t1 - t0) / (double)(events_seen - from);
		timed += events_seen - from;
	}
	a0 = atomic_load(&allocs) - a0;
	/* Wait until the partner's last slice is over, or it has exited. */
	baton_take(baton_rfd);
	printf("turns n=%d active=%d slices=%d events=%ld "
	       "allocs_per_event=%.6f "
	       "ns_per_event=",
	       n, active, slices, events, (double)a0 / (double)timed);
	for (int i = 0; i < slices; i++)
		printf("%s%.1f", i ? "," : "", ns[i]);
	printf("\n");
	fflush(stdout);
	chain_close();
	free(ns);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Registration cost: register N idle descriptors, then one loop
 * iteration without waiting, so that libraries which defer the OS call
 * to the loop (libev, libuv) pay for it too. */

static void ignore_ready(uintptr_t token)
{
	(void)token;
}

static int *open_eventfds(int n)
{
	int *fds = calloc((size_t)n, sizeof(int));

	if (fds == NULL)
		die("calloc");
	for (int i = 0; i < n; i++) {
		fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fds[i] < 0)
			die("eventfd");
	}
	return fds;
}

/* The timed registrations; callgrind collects exactly while it runs. */
__attribute__((noinline)) void bench_register(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (impl_add(fds[i], (uintptr_t)i) < 0)
			die("register");
	if (impl_poll_once(false) < 0)
		die("poll");
}

static int cmd_reg(int n, int reps)
{
	int *fds = open_eventfds(n);
	double *us = calloc((size_t)reps, sizeof(double));

	bench_ready = ignore_ready;
	/* Repetition -1 warms the kernel's and the library's allocators. */
	for (int r = -1; r < reps; r++) {
		double t0, t1;

		if (impl_init(n) < 0)
			die("init");
		t0 = now_ns();
		bench_register(fds, n);
		t1 = now_ns();
		if (r >= 0)
			us[r] = (t1 - t0) / 1e3 / n;
		for (int i = 0; i < n; i++)
			impl_del(fds[i], (uintptr_t)i);
		impl_fini();
	}
	qsort(us, (size_t)reps, sizeof(double), cmp_double);
	printf("reg n=%d us_per_fd=%.4f best_us_per_fd=%.4f\n", n, us[reps / 2],
	       us[0]);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	free(us);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Poll cost: REGISTERED descriptors, one of them active; each iteration
 * writes a byte, waits once, and reads it back. It stops after ITERS
 * iterations or MS milliseconds, whichever comes first, since a poll(2)
 * backend scans every registered descriptor on each wait. */

static int ping_fd[2];

static void ping_fire(uintptr_t token)
{
	char c;

	if (token == 0 && read(ping_fd[0], &c, 1) == 1)
		events_seen++;
}

static void ping_once(void)
{
	if (write(ping_fd[1], "p", 1) != 1)
		die("write");
	while (events_seen == 0)
		if (impl_poll_once(true) < 0)
			die("poll");
	events_seen = 0;
}

static int cmd_pollcost(int registered, long iters, long ms)
{
	long slice = iters / SLICES > 0 ? iters / SLICES : 1;
	int idle = registered - 1;
	int *fds = open_eventfds(idle);
	struct slices sl;
	double t0, t1;
	long i, done;

	bench_ready = ping_fire;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ping_fd) < 0)
		die("socketpair");
	set_nonblock(ping_fd[0]);
	if (impl_init(registered) < 0 || impl_add(ping_fd[0], 0) < 0)
		die("init");
	for (i = 0; i < idle; i++)
		if (impl_add(fds[i], (uintptr_t)i + 1) < 0)
			die("register");
	for (i = 0; i < 100; i++)
		ping_once();
	t0 = now_ns();
	slices_start(&sl, t0, ms);
	for (done = 0, t1 = t0; done < iters && t1 < sl.deadline;) {
		double s0 = t1;

		/* The clock is read once per sixteen iterations. */
		for (i = 0; i < slice; i++) {
			ping_once();
			if (i % 16 == 15 && now_ns() - s0 > sl.slice_ns) {
				i++;
				break;
			}
		}
		t1 = now_ns();
		slices_note(&sl, t1 - s0, i);
		done += i;
	}
	printf("pollcost registered=%d iters=%ld ns_per_poll=%.2f "
	       "best_ns_per_poll=%.2f\n",
	       registered, done, (t1 - t0) / (double)done, sl.best);
	for (i = 0; i < idle; i++)
		impl_del(fds[i], (uintptr_t)i + 1);
	impl_del(ping_fd[0], 0);
	impl_fini();
	for (i = 0; i < idle; i++)
		close(fds[i]);
	close(ping_fd[0]);
	close(ping_fd[1]);
	free(fds);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Echo server: the token of a connection is its descriptor. The server
 * stops once every connection it accepted has closed. */

#define ECHO_MAX_FDS 4096

static int listen_fd;
static int live, accepted;

static void echo_accept(void)
{
	for (;;) {
		int one = 1;
		int fd = accept4(listen_fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				die("accept");
			return;
		}
		if (fd >= ECHO_MAX_FDS)
			die("too many connections");
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (impl_add(fd, (uintptr_t)fd) < 0)
			die("register");
		live++;
		accepted++;
	}
}

static void echo_fire(uintptr_t token)
{
	char buf[4096];
	int fd = (int)token;
	ssize_t n;

	if (fd == listen_fd) {
		echo_accept();
		return;
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (write(fd, buf, (size_t)n) != n)
			die("echo write");
		/* A short read drained the socket (impl.h). */
		if ((size_t)n < sizeof(buf) && !impl_echo_until_eagain &&
		    !bench_read_closed)
			return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	impl_del(fd, token);
	close(fd);
	live--;
}

/* An implementation may bring an echo server of its own (impl.h). */
__attribute__((weak)) int impl_echo(void (*announce)(int port));

static void announce_port(int port)
{
	printf("port=%d\n", port);
	fflush(stdout);
}

static int cmd_echo(void)
{
	struct sockaddr_in sin = { 0 };
	socklen_t len = sizeof(sin);
	int one = 1;

	if (impl_echo != NULL)
		return impl_echo(announce_port) < 0 ? 1 : 0;
	bench_ready = echo_fire;
	listen_fd =
		socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		die("socket");
	setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(listen_fd, 1024) < 0 ||
	    getsockname(listen_fd, (struct sockaddr *)&sin, &len) < 0)
		die("listen");
	if (impl_init(ECHO_MAX_FDS) < 0 ||
	    impl_add(listen_fd, (uintptr_t)listen_fd) < 0)
		die("init");
	announce_port(ntohs(sin.sin_port));
	while (accepted == 0 || live > 0)
		if (impl_poll_once(true) < 0)
			die("poll");
	impl_del(listen_fd, (uintptr_t)listen_fd);
	impl_fini();
	close(listen_fd);
	return 0;
}

/* ------------------------------------------------------------------ */

static long arg(char **argv, int i)
{
	return strtol(argv[i], NULL, 10);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "info") == 0 && argc == 2) {
		printf("impl=%s version=%s\n", impl_name, impl_version());
		return 0;
	}
	if (strcmp(cmd, "chain") == 0 && argc == 6)
		return cmd_chain((int)arg(argv, 2), (int)arg(argv, 3),
				 arg(argv, 4), arg(argv, 5));
	if (strcmp(cmd, "chain-turns") == 0 && argc == 8)
		return cmd_chain_turns((int)arg(argv, 2), (int)arg(argv, 3),
				       (int)arg(argv, 4), arg(argv, 5),
				       (int)arg(argv, 6), (int)arg(argv, 7));
	if (strcmp(cmd, "reg") == 0 && argc == 4)
		return cmd_reg((int)arg(argv, 2), (int)arg(argv, 3));
	if (strcmp(cmd, "pollcost") == 0 && argc == 5)
		return cmd_pollcost((int)arg(argv, 2), arg(argv, 3),
				    arg(argv, 4));
	if (strcmp(cmd, "echo") == 0 && argc == 2)
		return cmd_echo();
	fprintf(stderr,
		"usage: bench_%s info | chain N ACTIVE EVENTS MS |"
		" chain-turns N ACTIVE SLICES EVENTS BATON_RFD BATON_WFD |"
		" reg N REPS | pollcost REGISTERED ITERS MS | echo\n",
		impl_name);
	return 2;
}
