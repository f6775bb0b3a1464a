/*
 * Four threads register, reregister and deregister 10,000 sources, each
 * through its own registry clone, while a fifth thread polls. Every call
 * succeeds, every event carries a token some registration had, and once
 * everything is deregistered no event comes (stress_sources.h).
 *
 * The sources are borrowed eventfd descriptors (mio_source_fd), which the
 * OS judges: kqueue takes a second register as a change. Their owned
 * counterpart, which Windows runs too, is test_stress_registry.c.
 */
/* ctest-labels: stress threads */

#include <sys/eventfd.h>
#include <unistd.h>

#include "stress_sources.h"

static int fds[STRESS_REGISTRY_SOURCES];

static void eventfd_open(int i)
{
	fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT(fds[i] >= 0);
}

/* A borrowed source is made anew for every use, as callers do. */
static mio_source *eventfd_source(int i, mio_source *scratch)
{
	*scratch = mio_source_fd(fds[i]);
	return scratch;
}

static void eventfd_make_readable(int i)
{
	uint64_t one = 1;

	ASSERT_EQ(write(fds[i], &one, sizeof(one)), sizeof(one));
}

static void eventfd_close(int i)
{
	ASSERT_EQ(close(fds[i]), 0);
}

static const struct registry_kind borrowed_eventfd = {
	.open = eventfd_open,
	.source = eventfd_source,
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/* kqueue modifies a borrowed descriptor's registration (EV_ADD). */
	.second_register = 0,
#else
	.second_register = MIO_EEXIST,
#endif
	.make_readable = eventfd_make_readable,
	.close = eventfd_close,
};

static void four_threads_churn_while_one_polls(void)
{
	stress_registry_run(&borrowed_eventfd);
}

int main(void)
{
	RUN(four_threads_churn_while_one_polls);
	return test_summary();
}
