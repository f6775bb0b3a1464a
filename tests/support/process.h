#ifndef MIO_TEST_PROCESS_H
#define MIO_TEST_PROCESS_H

/*
 * Other parties to a test: a peer (forked child or thread), the pipes
 * between them, and example programs run as a user would.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A second party to a test: fn(arg) runs beside the caller until
 * test_peer_join. On POSIX it is a forked child, with descriptors and a
 * descriptor limit of its own; on Windows, which has neither fork nor
 * such a limit, a thread. Either way the two should share nothing but
 * test pipes: on POSIX the peer's memory is its own. A failed assertion
 * in the peer fails the test.
 */
struct test_peer {
	uintptr_t id; /* the child's pid, or the thread's handle */
	void (*fn)(void *arg);
	void *arg;
};
void test_peer_start(struct test_peer *p, void (*fn)(void *arg), void *arg);
void test_peer_join(struct test_peer *p);

/*
 * A blocking pipe between a test and its peer (the C runtime's on
 * Windows). Reads and writes move exactly len bytes or fail the test.
 */
void test_pipe(int fds[2]);
void test_pipe_read(int fd, void *buf, size_t len);
void test_pipe_write(int fd, const void *buf, size_t len);
void test_pipe_close(int fd);

/*
 * A program run as a user would run it (the examples' tests): dir/argv[0]
 * (".exe" appended on Windows) started with argv (NULL-terminated; argv[0]
 * is passed on as its name). With capture, its standard output comes to
 * the test through a pipe; else it shares the test's. A fork/exec on
 * POSIX, CreateProcess on Windows.
 */
struct test_process {
	uintptr_t id; /* the pid, or the process handle */
	intptr_t out; /* its stdout's read end (descriptor or handle), or -1 */
};
void test_process_spawn(struct test_process *p, const char *dir,
			const char *const argv[], bool capture);
/*
 * POSIX only (no definition on Windows): as test_process_spawn with
 * capture, also handing it `fd` as its descriptor 3, announced the
 * systemd way (LISTEN_PID, LISTEN_FDS=1).
 */
void test_process_spawn_listen_fd(struct test_process *p, const char *dir,
				  const char *const argv[], int fd);
/*
 * One line of its captured output, without the newline, echoed as "# ..."
 * to the test's stdout. Waits for it a generous while; fails the test if
 * the output ends first or nothing comes.
 */
void test_process_read_line(struct test_process *p, char *buf, size_t len);
/*
 * Waits for it to exit, copying what it still prints to the test's stdout,
 * and returns its exit status. A process that hangs is killed after a
 * generous while (a hang is the failure, not slowness) and fails the test,
 * as does one ended by a signal.
 */
int test_process_finish(struct test_process *p);

#endif
