/*
 * Short reads and writes end the loop (API.md), on loopback TCP streams:
 * every platform and backend. Unix stream sockets and pipes: in
 * test_uds_short_io.c and test_posix_pipe_short_io.c.
 */

#include "short_io_cases.h"

int main(void)
{
	short_io_run(&short_io_tcp);
	return test_summary();
}
