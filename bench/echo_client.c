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
 */

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

int main(int argc, char **argv)
{
	struct epoll_event evs[1024];
	struct conn *conns;
	float *rtt_us;
	size_t samples = 0;
	long done = 0, per_slice[SLICES] = { 0 }, best = 0;
	int port, n, epfd;
	double seconds, warmup, start, stop, t;

	if (argc != 5) {
		fprintf(stderr,
			"usage: echo_client PORT CONNS SECONDS WARMUP\n");
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
