/*
 * examples/http_server.c written by hand on raw edge-triggered epoll, for
 * the HTTP benchmark: the same protocol (examples/http.h), the same
 * connection logic, the same interest (readable and writable, with
 * EPOLLRDHUP, as the library registers them). As epoll's manual teaches,
 * it reads and writes until EAGAIN; built with HTTP_SHORT, it stops at a
 * short read or write instead, as the library's server does.
 *
 *   http_epoll-et [127.0.0.1:PORT]      default port 0: any free one
 *
 * It prints "listening on 127.0.0.1:PORT" and serves until it is killed.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"

#ifdef HTTP_SHORT
static const bool stop_short = true;
#else
static const bool stop_short = false;
#endif

#define MAX_FDS 4096

struct conn {
	bool open;
	bool readable;
	bool read_closed;
	bool peer_done;
	bool shut;
	struct http_conn http;
};

static struct conn *conns; /* by descriptor */

static void die(const char *what)
{
	fprintf(stderr, "http_epoll: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* 1: all out; 0: the socket is full; -1: an error (errno). */
static int conn_flush(int fd, struct conn *c)
{
	struct http_conn *h = &c->http;

	while (h->out_len > 0) {
		ssize_t n = write(fd, h->out + h->out_head, h->out_len);

		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		h->out_head += (size_t)n;
		h->out_len -= (size_t)n;
		if (h->out_len > 0 && stop_short)
			return 0;
	}
	return 1;
}

/* 0, or -1 on an error (errno); end of file sets peer_done. */
static int conn_read(int fd, struct conn *c)
{
	struct http_conn *h = &c->http;
	char scratch[4096];
	char *at = c->shut ? scratch : h->in + h->in_len;
	size_t room = c->shut ? sizeof(scratch) : HTTP_IN_MAX - h->in_len;
	ssize_t n = read(fd, at, room);

	if (n < 0) {
		if (errno != EAGAIN)
			return -1;
		c->readable = false;
		return 0;
	}
	if (n == 0) {
		c->peer_done = true;
		return 0;
	}
	if (stop_short && (size_t)n < room && !c->read_closed)
		c->readable = false;
	if (!c->shut)
		h->in_len += (size_t)n;
	return 0;
}

/* 0: wait for an event; 1: finished; -1: an error. */
static int conn_run(int fd, struct conn *c)
{
	for (;;) {
		int r = conn_flush(fd, c);

		if (r <= 0)
			return r;
		http_answer(&c->http);
		if (c->http.out_len > 0)
			continue;
		if (c->peer_done)
			return 1;
		if (c->http.close_after && !c->shut) {
			if (shutdown(fd, SHUT_WR) < 0)
				return -1;
			c->shut = true;
		}
		if (!c->readable)
			return 0;
		if (conn_read(fd, c) < 0)
			return -1;
	}
}

static void accept_all(int epfd, int lfd)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT |
						    EPOLLRDHUP | EPOLLET };
		int one = 1;
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EAGAIN)
				return;
			if (errno == ECONNABORTED || errno == EINTR)
				continue;
			die("accept");
		}
		if (fd >= MAX_FDS) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		memset(&conns[fd], 0, sizeof(conns[fd]));
		conns[fd].open = true;
		ev.data.fd = fd;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			die("epoll_ctl");
	}
}

static void conn_event(int fd, uint32_t events)
{
	struct conn *c = &conns[fd];

	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		c->readable = true;
	if (events & (EPOLLRDHUP | EPOLLHUP))
		c->read_closed = true;
	if (conn_run(fd, c) == 0)
		return;
	/* Closing removes it from the epoll set. */
	close(fd);
	c->open = false;
}

int main(int argc, char **argv)
{
	static struct epoll_event events[256];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int one = 1, lfd, epfd;

	conns = calloc(MAX_FDS, sizeof(*conns));
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (conns == NULL || lfd < 0 || epfd < 0)
		die("setup");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (argc > 1 && strchr(argv[1], ':') != NULL)
		sin.sin_port = htons((uint16_t)atoi(strchr(argv[1], ':') + 1));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(lfd, 1024) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) < 0)
		die("listen");
	ev.data.fd = lfd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) < 0)
		die("epoll_ctl");
	printf("listening on 127.0.0.1:%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(epfd, events, 256, -1);

		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (int i = 0; i < n; i++) {
			int fd = events[i].data.fd;

			if (fd == lfd)
				accept_all(epfd, lfd);
			else if (conns[fd].open)
				conn_event(fd, events[i].events);
		}
	}
}
