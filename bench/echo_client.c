/*
 * The load client of the TCP echo benchmark, written once against raw
 * epoll and shared by every server: CONNS connections to 127.0.0.1:PORT,
 * one 64-byte message in flight on each. After WARMUP seconds it counts
 * round trips for SECONDS seconds, then closes every connection (which
 * stops the server) and prints one key=value line: the mean throughput,
 * that of the best tenth of the time (the one other processes on a
 * shared machine disturbed least), and round-trip percentiles.
 *
 *   echo_client PORT CONNS SECONDS WARMUP
 *
 * The paired mode loads two servers in turns, so that their throughput
 * is compared over the same few milliseconds of the machine's load:
 *
 *   echo_client pair PORT_A PORT_B CONNS TURNS TURN_MS WARMUP
 *
 * CONNS connections to each. Turn i belongs to A when i is even, to B
 * when odd: it sends one message on each of that server's connections
 * and re-sends on every reply until TURN_MS have passed, then waits for
 * the replies still outstanding (not counted), so that the other
 * server's turn starts with nothing of this one's in flight. WARMUP
 * seconds of such turns come first. Prints, turn by turn, the round trips
 * per second and the round-trip percentiles.
 *
 * The counting mode makes a fixed number of round trips, so that the
 * server's system calls can be counted per message (bench/run.py runs
 * the server under `perf stat` and counts only between the two lines):
 *
 *   echo_client count PORT CONNS MESSAGES WARMUP
 *
 * After WARMUP seconds of turns as above, it prints "ready" and waits for
 * a line on its standard input; then it makes MESSAGES round trips (one
 * message in flight on each connection, re-sent on each reply until
 * MESSAGES have been sent), prints "done" when every reply is in, and
 * waits for another line before it closes the connections.
 */

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG 64
#define MAX_SAMPLES (8u << 20)
#define SLICES 10

struct conn {
	int fd;
	int got;
	double sent_at;
};

static void die(const char *what)
{
	fprintf(stderr, "echo_client: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return x < y ? -1 : x > y;
}

static void send_msg(struct conn *c, double now)
{
	static const char msg[MSG] = "ping";

	if (write(c->fd, msg, MSG) != MSG)
		die("write");
	c->sent_at = now;
}

static int connect_one(int port)
{
	struct sockaddr_in sin = { 0 };
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* ------------------------------------------------------------------ */
/* Paired mode */

#define TURN_SAMPLES (1u << 20)

struct turn {
	double msgs_per_s, p50_us, p99_us;
};

static struct conn *pconns;
static int pconns_n, pepfd;
static float *turn_rtt;

/*
 * One turn of side (0 = A, 1 = B): connections side * n ... side * n + n-1.
 * It ends after turn_s seconds or `budget` messages, whichever comes first.
 */
static void pair_turn(int side, double turn_s, long budget, struct turn *out)
{
	struct epoll_event evs[1024];
	struct conn *mine = pconns + (size_t)side * (size_t)pconns_n;
	double t = now_s(), t0 = t, deadline = t + turn_s, last = t;
	int outstanding = 0;
	size_t samples = 0;
	long counted = 0, sent = 0;

	for (int i = 0; i < pconns_n; i++) {
		mine[i].got = 0;
		if (sent < budget) {
			send_msg(&mine[i], t);
			sent++;
			outstanding++;
		}
	}
	while (outstanding > 0) {
		int k = epoll_wait(pepfd, evs, 1024, 5000);

		if (k == 0) {
			errno = ETIMEDOUT;
			die("no reply for 5 s");
		}
		if (k < 0 && errno != EINTR)
			die("epoll_wait");
		t = now_s();
		for (int j = 0; j < k; j++) {
			int idx = (int)evs[j].data.u32;
			struct conn *c = &pconns[idx];
			char buf[MSG * 4];
			ssize_t r;

			r = read(c->fd, buf, sizeof(buf));
			if (r <= 0) {
				if (r < 0 && errno == EAGAIN)
					continue;
				die("read (server gone?)");
			}
			if (idx / pconns_n != side) {
				errno = EPROTO;
				die("reply out of turn");
			}
			c->got += (int)r;
			if (c->got < MSG)
				continue;
			c->got -= MSG;
			if (t >= deadline) {
				outstanding--;
				continue;
			}
			counted++;
			last = t;
			if (samples < TURN_SAMPLES)
				turn_rtt[samples++] =
					(float)((t - c->sent_at) * 1e6);
			if (sent < budget) {
				send_msg(c, t);
				sent++;
			} else {
				outstanding--;
			}
		}
	}
	if (out == NULL)
		return;
	qsort(turn_rtt, samples, sizeof(*turn_rtt), cmp_float);
	/*
	 * Up to the last counted reply, not to the deadline: replies tend to
	 * come in waves (all connections started together), and a wave that
	 * just missed the deadline would otherwise cost a whole wave's count.
	 */
	out->msgs_per_s = counted ? (double)counted / (last - t0) : 0.0;
	out->p50_us = samples ? turn_rtt[samples / 2] : 0.0;
	out->p99_us = samples ? turn_rtt[samples * 99 / 100] : 0.0;
}

static void print_list(const char *key, const struct turn *t, int turns,
		       size_t field)
{
	printf(" %s=", key);
	for (int i = 0; i < turns; i++)
		printf("%s%.1f", i ? "," : "",
		       *(const double *)((const char *)&t[i] + field));
}

/* nports * n connections, those to port[i] from i * n on; one epoll. */
static void pair_setup(const int *port, int nports, int n)
{
	pconns_n = n;
	pconns = calloc((size_t)nports * (size_t)n, sizeof(*pconns));
	turn_rtt = malloc(TURN_SAMPLES * sizeof(*turn_rtt));
	pepfd = epoll_create1(EPOLL_CLOEXEC);
	if (pconns == NULL || turn_rtt == NULL || pepfd < 0)
		die("setup");
	for (int i = 0; i < nports * n; i++) {
		struct epoll_event ev = { .events = EPOLLIN };

		pconns[i].fd = connect_one(port[i / n]);
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(pepfd, EPOLL_CTL_ADD, pconns[i].fd, &ev) < 0)
			die("epoll_ctl");
	}
}

static void pair_teardown(int nports)
{
	for (int i = 0; i < nports * pconns_n; i++)
		close(pconns[i].fd);
	close(pepfd);
	free(pconns);
	free(turn_rtt);
}

static int pair_main(char **argv)
{
	int port[2] = { atoi(argv[2]), atoi(argv[3]) };
	int n = atoi(argv[4]), turns = atoi(argv[5]);
	double turn_s = atof(argv[6]) / 1e3, warmup = atof(argv[7]);
	struct turn *res;
	double end;

	if (n <= 0 || turns <= 0 || turn_s <= 0) {
		fprintf(stderr, "echo_client pair: bad arguments\n");
		return 2;
	}
	res = calloc((size_t)turns, sizeof(*res));
	if (res == NULL)
		die("setup");
	pair_setup(port, 2, n);
	/* Warm-up turns, an even number so that A starts the timed ones. */
	end = now_s() + warmup;
	for (int i = 0; i < 2 || now_s() < end; i += 2) {
		pair_turn(0, turn_s, LONG_MAX, NULL);
		pair_turn(1, turn_s, LONG_MAX, NULL);
	}
	for (int i = 0; i < turns; i++)
		pair_turn(i % 2, turn_s, LONG_MAX, &res[i]);
	pair_teardown(2);
	printf("pair conns=%d turns=%d turn_ms=%.1f", n, turns, turn_s * 1e3);
	print_list("msgs_per_s", res, turns, offsetof(struct turn, msgs_per_s));
	print_list("p50_us", res, turns, offsetof(struct turn, p50_us));
	print_list("p99_us", res, turns, offsetof(struct turn, p99_us));
	printf("\n");
	free(res);
	return 0;
}

/* Waits for a line on standard input (any text, or end of file). */
static void await_line(const char *say)
{
	char line[64];

	printf("%s\n", say);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL && ferror(stdin))
		die("stdin");
}

static int count_main(char **argv)
{
	int port = atoi(argv[2]), n = atoi(argv[3]);
	long messages = atol(argv[4]);
	double warmup = atof(argv[5]), t0, t1, end;

	if (n <= 0 || messages <= 0) {
		fprintf(stderr, "echo_client count: bad arguments\n");
		return 2;
	}
	pair_setup(&port, 1, n);
	end = now_s() + warmup;
	do
		pair_turn(0, 0.015, LONG_MAX, NULL);
	while (now_s() < end);
	await_line("ready");
	t0 = now_s();
	pair_turn(0, 1e9, messages, NULL);
	t1 = now_s();
	await_line("done");
	pair_teardown(1);
	printf("count conns=%d messages=%ld seconds=%.3f\n", n, messages,
	       t1 - t0);
	return 0;
}

/* ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	struct epoll_event evs[1024];
	struct conn *conns;
	float *rtt_us;
	size_t samples = 0;
	long done = 0, per_slice[SLICES] = { 0 }, best = 0;
	int port, n, epfd;
	double seconds, warmup, start, stop, t;

	if (argc == 8 && strcmp(argv[1], "pair") == 0)
		return pair_main(argv);
	if (argc == 6 && strcmp(argv[1], "count") == 0)
		return count_main(argv);
	if (argc != 5) {
		fprintf(stderr,
			"usage: echo_client PORT CONNS SECONDS WARMUP\n"
			"       echo_client pair PORT_A PORT_B CONNS TURNS "
			"TURN_MS WARMUP\n"
			"       echo_client count PORT CONNS MESSAGES "
			"WARMUP\n");
		return 2;
	}
	port = atoi(argv[1]);
	n = atoi(argv[2]);
	seconds = atof(argv[3]);
	warmup = atof(argv[4]);
	conns = calloc((size_t)n, sizeof(*conns));
	rtt_us = malloc(MAX_SAMPLES * sizeof(*rtt_us));
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (conns == NULL || rtt_us == NULL || epfd < 0)
		die("setup");
	for (int i = 0; i < n; i++) {
		struct epoll_event ev = { .events = EPOLLIN };

		conns[i].fd = connect_one(port);
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, conns[i].fd, &ev) < 0)
			die("epoll_ctl");
	}
	t = now_s();
	start = t + warmup;
	stop = start + seconds;
	for (int i = 0; i < n; i++)
		send_msg(&conns[i], t);
	while (t < stop) {
		int k = epoll_wait(epfd, evs, 1024, 1000);

		if (k < 0 && errno != EINTR)
			die("epoll_wait");
		t = now_s();
		for (int j = 0; j < k; j++) {
			struct conn *c = &conns[evs[j].data.u32];
			char buf[MSG * 4];
			ssize_t r = read(c->fd, buf, sizeof(buf));

			if (r <= 0) {
				if (r < 0 && errno == EAGAIN)
					continue;
				die("read (server gone?)");
			}
			c->got += (int)r;
			if (c->got < MSG)
				continue;
			c->got -= MSG;
			if (t >= start && t < stop) {
				int slot =
					(int)((t - start) / seconds * SLICES);

				done++;
				per_slice[slot < SLICES ? slot : SLICES - 1]++;
				if (samples < MAX_SAMPLES)
					rtt_us[samples++] =
						(float)((t - c->sent_at) * 1e6);
			}
			send_msg(c, t);
		}
	}
	for (int i = 0; i < n; i++)
		close(conns[i].fd);
	qsort(rtt_us, samples, sizeof(*rtt_us), cmp_float);
	for (int i = 0; i < SLICES; i++)
		if (per_slice[i] > best)
			best = per_slice[i];
	printf("echo conns=%d msgs_per_s=%.0f best_msgs_per_s=%.0f "
	       "p50_us=%.1f p99_us=%.1f\n",
	       n, (double)done / seconds, (double)best * SLICES / seconds,
	       samples ? rtt_us[samples / 2] : 0.0,
	       samples ? rtt_us[samples * 99 / 100] : 0.0);
	close(epfd);
	free(conns);
	free(rtt_us);
	return 0;
}
