/*
 * A borrowed descriptor (mio_source_fd) through registry clones: the
 * clones are the same OS queue, so the OS itself refuses a second
 * registration. POSIX-only; test_registry_clone.c has the rest.
 */

#include <sys/socket.h>
#include <unistd.h>

#include "posix_fd.h"
#include "test.h"

static void clone_registers_with_the_same_poll(void)
{
	mio_poll *poll;
	mio_events *events;
	mio_registry *clone, *clone2;
	int sv[2];

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(8, &events));
	ASSERT_OK(mio_registry_try_clone(mio_poll_registry(poll), &clone));
	ASSERT(clone != NULL);
	ASSERT(clone != mio_poll_registry(poll));
	/* A clone of a clone is the same poll as well. */
	ASSERT_OK(mio_registry_try_clone(clone, &clone2));
	socketpair_nb(sv);
	mio_source src = mio_source_fd(sv[0]);
	ASSERT_OK(mio_registry_register(clone2, &src, 4, MIO_READABLE));
#if defined(MIO_EVENT_LAYOUT_KQUEUE)
	/*
	 * kqueue cannot tell a borrowed descriptor's second registration
	 * from a change (EV_ADD modifies), as in mio: the same registration
	 * again succeeds. The ENOENT below shows the clone is the same poll.
	 */
	ASSERT_OK(mio_registry_register(clone, &src, 4, MIO_READABLE));
#else
	ASSERT_ERR(mio_registry_register(clone, &src, 4, MIO_READABLE),
		   MIO_EEXIST);
	ASSERT_ERR(mio_registry_register(mio_poll_registry(poll), &src, 4,
					 MIO_READABLE),
		   MIO_EEXIST);
#endif
	ASSERT_EQ(write(sv[1], "x", 1), 1);
	struct expect_event want = { 4, EXPECT_READABLE };
	expect_events(poll, events, &want, 1);
	ASSERT_OK(mio_registry_deregister(clone, &src));
	ASSERT_ERR(mio_registry_deregister(mio_poll_registry(poll), &src),
		   MIO_ENOENT);
	close(sv[0]);
	close(sv[1]);
	mio_registry_free(clone);
	mio_registry_free(clone2);
	mio_events_free(events);
	mio_poll_free(poll);
}

int main(void)
{
	RUN(clone_registers_with_the_same_poll);
	return test_summary();
}
