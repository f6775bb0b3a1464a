/*
 * The close rule under threads: four threads make 40,000 Unix stream
 * pairs in all, register one end, make it readable and close both ends
 * while registered (close deregisters first), while a fifth thread polls.
 * Descriptor numbers are reused all the time; every event must still
 * carry a token some registration had, nothing may be reported once all
 * is closed, and no descriptor may be left open (stress_sources.h).
 * test_stress_close.c does the same with loopback TCP pairs, on every
 * platform.
 */
/* ctest-labels: stress threads */

#include "stress_sources.h"

static void unix_pair(int worker, mio_source *a, mio_source *b)
{
	(void)worker;
	ASSERT_OK(mio_unix_stream_pair((mio_unix_stream *)a,
				       (mio_unix_stream *)b));
}

static mio_ssize unix_write(mio_source *s, const void *buf, size_t len)
{
	return mio_unix_stream_write((mio_unix_stream *)s, buf, len);
}

static int unix_close(mio_source *s)
{
	return mio_unix_stream_close((mio_unix_stream *)s);
}

static const struct close_kind unix_stream = {
	.pair = unix_pair,
	.write = unix_write,
	.close = unix_close,
};

static void close_registered_sources_while_polling(void)
{
	stress_close_run(&unix_stream);
}

int main(void)
{
	RUN(close_registered_sources_while_polling);
	return test_summary();
}
