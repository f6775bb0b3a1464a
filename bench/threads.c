/*
 * Polls on several threads at once, one poll per thread, and the cost of
 * a registration's life: what a per-poll design saves over state shared
 * by the whole process. Built once per library variant, as
 * threads_mio (the default backend) and threads_mio-poll (poll(2)).
 *
 *   threads_<variant> pingpong THREADS ROUNDS
 *       Each thread has its own poll and one Unix stream pair, and
 *       bounces one byte between the two ends ROUNDS times: each hop is
 *       a write, a readable event, a read and a read that would block
 *       (which re-arms the direction on the poll(2) backend).
 *   threads_<variant> regclose THREADS CYCLES
 *       Each thread has its own poll and repeats CYCLES times: register
 *       a source, deregister it (regdereg), and separately: adopt a dup
 *       of a descriptor, register it and close it (regclose), next to
 *       the same without registering (base).
 *
 * Each command runs 5 times and prints the best and the median run as
 * one line of key=value pairs. Under callgrind, --toggle-collect=loop_*
 * counts one measure's instructions (divide by 5 runs x the count). Times are
 * wall-clock nanoseconds per round trip or per cycle, per thread: on an idle
 * machine with a core per thread, a design without shared state gives the same
 * figure for THREADS=2 as for THREADS=1.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <mio.h>

#define RUNS 5
#define MAX_THREADS 16

#ifdef BENCH_MIO_POLL
static const char variant[] = "mio-poll";
#else
static const char variant[] = "mio";
#endif

static void die(const char *what, int err)
{
	fprintf(stderr, "threads_%s: %s: %s\n", variant, what,
		mio_strerror(err));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Every thread starts timing together. */
static pthread_barrier_t start;

struct job {
	pthread_t thread;
	long count;
	double ns[3]; /* per round trip or cycle: up to three measures */
};

static void check(int ret, const char *what)
{
	if (ret < 0)
		die(what, ret);
}

/* Reads one byte, then reads until it would block, as mio asks. */
static void drain(mio_unix_stream *s)
{
	char buf[16];
	mio_ssize n = mio_unix_stream_read(s, buf, sizeof(buf));

	if (n != 1)
		die("read", n < 0 ? (int)n : MIO_EINVAL);
	n = mio_unix_stream_read(s, buf, sizeof(buf));
	if (n != MIO_EAGAIN)
		die("read until it would block", n < 0 ? (int)n : MIO_EINVAL);
}

/* Waits for the readable event of `token`. */
static void wait_for(mio_poll *poll, mio_events *events, mio_token token)
{
	for (;;) {
		int n = mio_poll_poll(poll, events, NULL);

		check(n, "poll");
		for (int i = 0; i < n; i++)
			if (mio_event_token(mio_events_at(events, (size_t)i)) ==
			    token)
				return;
	}
}

/*
 * The timed loops, out of line so that callgrind can count each one's
 * instructions (--toggle-collect=loop_pingpong, ...).
 */
__attribute__((noinline)) static void loop_pingpong(mio_poll *poll,
						    mio_events *events,
						    mio_unix_stream s[2],
						    long count)
{
	for (long i = 0; i < count; i++) {
		for (int side = 0; side < 2; side++) {
			if (mio_unix_stream_write(&s[side], "x", 1) != 1)
				die("write", MIO_EAGAIN);
			wait_for(poll, events, (mio_token)(1 - side));
			drain(&s[1 - side]);
		}
	}
}

static void *pingpong(void *arg)
{
	struct job *job = arg;
	mio_poll *poll;
	mio_events *events;
	mio_unix_stream s[2];
	mio_registry *r;
	double t0;

	check(mio_poll_new(&poll), "mio_poll_new");
	check(mio_events_new(16, &events), "mio_events_new");
	check(mio_unix_stream_pair(&s[0], &s[1]), "mio_unix_stream_pair");
	r = mio_poll_registry(poll);
	check(mio_registry_register(r, &s[0].source, 0, MIO_READABLE),
	      "register");
	check(mio_registry_register(r, &s[1].source, 1, MIO_READABLE),
	      "register");
	pthread_barrier_wait(&start);
	t0 = now_ns();
	loop_pingpong(poll, events, s, job->count);
	job->ns[0] = (now_ns() - t0) / (double)job->count;
	mio_unix_stream_close(&s[0]);
	mio_unix_stream_close(&s[1]);
	mio_events_free(events);
	mio_poll_free(poll);
	return NULL;
}

/* dup of fd adopted as an owned stream. */
static void adopt_dup(mio_unix_stream *out, int fd)
{
	int copy = dup(fd);

	if (copy < 0)
		die("dup", -errno);
	check(mio_unix_stream_from_fd(out, copy), "from_fd");
}

__attribute__((noinline)) static void
loop_regdereg(mio_registry *r, mio_unix_stream *s, long count)
{
	for (long i = 0; i < count; i++) {
		check(mio_registry_register(r, &s->source, 1,
					    MIO_READABLE | MIO_WRITABLE),
		      "register");
		check(mio_registry_deregister(r, &s->source), "deregister");
	}
}

__attribute__((noinline)) static void loop_regclose(mio_registry *r, int fd,
						    long count)
{
	mio_unix_stream c;

	for (long i = 0; i < count; i++) {
		adopt_dup(&c, fd);
		check(mio_registry_register(r, &c.source, 1,
					    MIO_READABLE | MIO_WRITABLE),
		      "register");
		check(mio_unix_stream_close(&c), "close");
	}
}

__attribute__((noinline)) static void loop_base(int fd, long count)
{
	mio_unix_stream c;

	for (long i = 0; i < count; i++) {
		adopt_dup(&c, fd);
		check(mio_unix_stream_close(&c), "close");
	}
}

static void *regclose(void *arg)
{
	struct job *job = arg;
	mio_poll *poll;
	mio_unix_stream s[2];
	mio_registry *r;
	double t0;

	check(mio_poll_new(&poll), "mio_poll_new");
	check(mio_unix_stream_pair(&s[0], &s[1]), "mio_unix_stream_pair");
	r = mio_poll_registry(poll);
	pthread_barrier_wait(&start);
	t0 = now_ns();
	loop_regdereg(r, &s[0], job->count);
	job->ns[0] = (now_ns() - t0) / (double)job->count;
	t0 = now_ns();
	loop_regclose(r, s[0].source.fd, job->count);
	job->ns[1] = (now_ns() - t0) / (double)job->count;
	t0 = now_ns();
	loop_base(s[0].source.fd, job->count);
	job->ns[2] = (now_ns() - t0) / (double)job->count;
	mio_unix_stream_close(&s[0]);
	mio_unix_stream_close(&s[1]);
	mio_poll_free(poll);
	return NULL;
}

/* Voluntary context switches of the whole process so far. */
static long waits(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_nvcsw;
}

/*
 * One run on `threads` threads: the mean over threads of each measure.
 * Returns the voluntary context switches the run made: no wait in these
 * loops blocks (every wait finds its event ready), so each one is a
 * thread that slept on a lock another thread held.
 */
static long run_once(void *(*fn)(void *), int threads, long count,
		     double out[3])
{
	struct job jobs[MAX_THREADS];
	long before = waits();

	memset(jobs, 0, sizeof(jobs));
	pthread_barrier_init(&start, NULL, (unsigned)threads);
	for (int t = 0; t < threads; t++) {
		jobs[t].count = count;
		if (pthread_create(&jobs[t].thread, NULL, fn, &jobs[t]) != 0)
			die("pthread_create", MIO_ENOMEM);
	}
	out[0] = out[1] = out[2] = 0;
	for (int t = 0; t < threads; t++) {
		pthread_join(jobs[t].thread, NULL);
		for (int k = 0; k < 3; k++)
			out[k] += jobs[t].ns[k] / threads;
	}
	pthread_barrier_destroy(&start);
	return waits() - before;
}

static void report(const char *cmd, void *(*fn)(void *), int threads,
		   long count, const char *const names[3])
{
	double runs[3][RUNS], one[3];
	long sleeps = 0;

	for (int i = 0; i < RUNS; i++) {
		sleeps += run_once(fn, threads, count, one);
		for (int k = 0; k < 3; k++)
			runs[k][i] = one[k];
	}
	printf("impl=%s cmd=%s threads=%d count=%ld", variant, cmd, threads,
	       count);
	for (int k = 0; k < 3; k++) {
		if (names[k] == NULL)
			continue;
		qsort(runs[k], RUNS, sizeof(double), cmp_double);
		printf(" %s_ns=%.1f %s_best_ns=%.1f", names[k],
		       runs[k][RUNS / 2], names[k], runs[k][0]);
	}
	printf(" sleeps_per_1000=%.2f\n",
	       (double)sleeps * 1000.0 / ((double)RUNS * (double)count));
}

int main(int argc, char **argv)
{
	static const char *const pp[3] = { "round_trip", NULL, NULL };
	static const char *const rc[3] = { "regdereg", "regclose", "base" };
	int threads = argc == 4 ? atoi(argv[2]) : 0;
	long count = argc == 4 ? atol(argv[3]) : 0;

	if (threads < 1 || threads > MAX_THREADS || count < 1) {
		fprintf(stderr,
			"usage: threads_%s pingpong THREADS ROUNDS |"
			" regclose THREADS CYCLES\n",
			variant);
		return 2;
	}
	if (strcmp(argv[1], "pingpong") == 0)
		report("pingpong", pingpong, threads, count, pp);
	else if (strcmp(argv[1], "regclose") == 0)
		report("regclose", regclose, threads, count, rc);
	else
		return 2;
	return 0;
}
