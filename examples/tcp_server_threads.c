/*
 * The echo server of tcp_server.c on several threads, the way nginx and
 * many Rust servers spread the load: each thread has its own poll and its
 * own listener, all listeners share one port through SO_REUSEPORT (set
 * with mio_tcp_socket before bind), and the kernel hands each new
 * connection to one of them. No lock is taken on the hot path.
 *
 *   tcp_server_threads [--threads N] [--max N] [ADDRESS]
 *                                 default 2 threads, 127.0.0.1:9000
 *
 * --max N exits once N connections have been served in all, printing how
 * many each thread served. Linux balances the connections among the
 * listeners; other kernels may favour one (FreeBSD balances only with
 * its SO_REUSEPORT_LB). Where the OS has no SO_REUSEPORT (Windows), the
 * server says so and serves with one listener on one thread.
 */

#include <stdatomic.h>

#include "echo_server.h"

#if defined(_WIN32)
#include <windows.h>
#else
#include <pthread.h>
#endif

#define MAX_THREADS 64
#define WAKE_TOKEN (LISTENER_TOKEN + 1)

struct worker {
	mio_tcp_listener listener;
	struct echo_server srv;
	mio_waker *waker; /* stops the thread when --max is reached */
	int err;
#if defined(_WIN32)
	HANDLE thread;
#else
	pthread_t thread;
#endif
};

static struct worker workers[MAX_THREADS];
static int nworkers;
static long max_total;
static atomic_long total_served;

static bool all_served(void)
{
	return max_total > 0 && atomic_load(&total_served) >= max_total;
}

/* A thread's loop: serves its listener until every thread is done. */
static void worker_run(struct worker *w)
{
	int err = 0;

	while (err >= 0 && !all_served()) {
		long before = w->srv.served, n;

		err = echo_server_turn(&w->srv, &w->listener);
		n = w->srv.served - before;
		if (n == 0 || max_total == 0)
			continue;
		/* The last connection of all: wake the others to stop. */
		if (atomic_fetch_add(&total_served, n) + n >= max_total)
			for (int i = 0; i < nworkers; i++)
				mio_waker_wake(workers[i].waker);
	}
	if (err < 0)
		print_error("poll", err);
	w->err = err;
}

/*
 * The threads, POSIX's or Windows' own (which never has more than one
 * listener to serve, for want of SO_REUSEPORT).
 */
#if defined(_WIN32)
static DWORD WINAPI worker_main(LPVOID arg)
{
	worker_run(arg);
	return 0;
}

static int worker_start(struct worker *w)
{
	w->thread = CreateThread(NULL, 0, worker_main, w, 0, NULL);
	return w->thread != NULL ? 0 : MIO_ENOMEM;
}

static void worker_join(struct worker *w)
{
	WaitForSingleObject(w->thread, INFINITE);
	CloseHandle(w->thread);
}
#else
static void *worker_main(void *arg)
{
	worker_run(arg);
	return NULL;
}

static int worker_start(struct worker *w)
{
	return -pthread_create(&w->thread, NULL, worker_main, w);
}

static void worker_join(struct worker *w)
{
	pthread_join(w->thread, NULL);
}
#endif

/*
 * A listener on addr that shares its port: SO_REUSEPORT, and
 * SO_REUSEADDR as mio_tcp_listener_bind sets it, so that a restarted
 * server gets its port back. MIO_ENOTSUP where there is no SO_REUSEPORT.
 */
static int reuseport_listener(const mio_sockaddr *addr, mio_tcp_listener *out)
{
	mio_tcp_socket s;
	int err = mio_tcp_socket_new_for_addr(&s, addr);

	if (err < 0)
		return err;
	err = mio_tcp_socket_set_reuseport(&s, true);
	if (err == 0)
		err = mio_tcp_socket_set_reuseaddr(&s, true);
	if (err == 0)
		err = mio_tcp_socket_bind(&s, addr);
	if (err == 0)
		err = mio_tcp_socket_listen(&s, 1024, out);
	/* Once listen has consumed the socket, this does nothing. */
	mio_tcp_socket_close(&s);
	return err;
}

/*
 * The listeners: the first one picks the port (if addr asks for port 0),
 * the others join it. Falls back to a single plain listener where the OS
 * has no SO_REUSEPORT. Returns 0 or a negative error.
 */
static int open_listeners(mio_sockaddr *addr, int want)
{
	int err = reuseport_listener(addr, &workers[0].listener);

	if (err == MIO_ENOTSUP) {
		printf("SO_REUSEPORT is not supported here: "
		       "one listener, one thread\n");
		want = 1;
		err = mio_tcp_listener_bind(&workers[0].listener, addr);
	}
	if (err == 0)
		err = mio_tcp_listener_local_addr(&workers[0].listener, addr);
	if (err < 0) {
		mio_tcp_listener_close(&workers[0].listener);
		return err;
	}
	for (nworkers = 1; nworkers < want; nworkers++) {
		err = reuseport_listener(addr, &workers[nworkers].listener);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Starts a thread per listener, each with its own server and waker. */
static int start_workers(void)
{
	for (int i = 0; i < nworkers; i++) {
		struct worker *w = &workers[i];
		int err = echo_server_init(&w->srv, &w->listener);

		if (err == 0)
			err = mio_waker_new(mio_poll_registry(w->srv.poll),
					    WAKE_TOKEN, &w->waker);
		if (err < 0)
			return err;
	}
	for (int i = 0; i < nworkers; i++) {
		int err = worker_start(&workers[i]);

		if (err < 0)
			return err;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct server_cli cli = {
		.usage = "tcp_server_threads [--threads N] [--max N] [ADDRESS]",
		.address = "127.0.0.1:9000",
		.option = "--threads",
		.option_value = 2,
	};
	mio_sockaddr addr;
	char threads[32];
	int err = server_cli_parse(&cli, argc, argv);

	if (err != 0)
		return err;
	if (cli.option_value < 1 || cli.option_value > MAX_THREADS)
		return server_cli_usage(&cli);
	max_total = cli.max;
	addr = cli.addr;
	err = open_listeners(&addr, (int)cli.option_value);
	if (err < 0) {
		print_error(cli.address, err);
		goto out_close;
	}
	snprintf(threads, sizeof(threads), " (%d thread%s)", nworkers,
		 nworkers == 1 ? "" : "s");
	server_cli_announce(&addr, threads);

	if (nworkers == 1) {
		/* One listener: this thread serves it. */
		long served = echo_serve(&workers[0].listener, max_total);

		err = served < 0 ? (int)served : 0;
		if (served >= 0)
			printf("thread 0 served %ld connections\n", served);
		goto out_close;
	}
	err = start_workers();
	if (err < 0) {
		print_error("threads", err);
		return 1; /* threads may be running: leave it to exit */
	}
	for (int i = 0; i < nworkers; i++) {
		worker_join(&workers[i]);
		if (workers[i].err < 0)
			err = workers[i].err;
	}
	for (int i = 0; i < nworkers; i++) {
		printf("thread %d served %ld connections\n", i,
		       workers[i].srv.served);
		mio_waker_free(workers[i].waker);
		echo_server_free(&workers[i].srv);
	}
out_close:
	for (int i = 0; i < nworkers; i++)
		mio_tcp_listener_close(&workers[i].listener);
	return err < 0 ? 1 : 0;
}
