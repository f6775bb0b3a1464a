#ifndef MIO_SYS_WINDOWS_WIN_INTERNAL_H
#define MIO_SYS_WINDOWS_WIN_INTERNAL_H

/*
 * What the Windows backend's files share: the AFD driver interface, the
 * completion keys that tell the selector whose completion it dequeued,
 * and the hooks between the selector and named pipes and the waker.
 */

#include <winsock2.h>
#include <windows.h>
#include <winternl.h>

#include "internal.h"

/* mio_source.flags_: the source is a named pipe, not a socket. */
#define MIO__SOURCE_NAMED_PIPE 0x100u

/* Completion keys: who a packet on the port belongs to. */
enum {
	MIO__KEY_AFD =
		0, /* an AFD poll; the OVERLAPPED is its IO_STATUS_BLOCK */
	MIO__KEY_WAKER = 1, /* a posted wake-up, no OVERLAPPED */
	MIO__KEY_PIPE = 2,  /* overlapped I/O of a named pipe */
};

/* Writes an event: token and AFD poll bits, as mio's Windows events. */
static inline void mio__event_put(mio_event *ev, mio_token token,
				  uint32_t flags)
{
	ev->token_ = token;
	ev->reserved_[0] = 0;
	ev->reserved_[1] = 0;
	ev->flags_ = flags;
}

/* NTSTATUS values used here (ntstatus.h clashes with windows.h). */
#define MIO__STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define MIO__STATUS_PENDING ((NTSTATUS)0x00000103L)
#define MIO__STATUS_CANCELLED ((NTSTATUS)0xC0000120L)
#define MIO__STATUS_NOT_FOUND ((NTSTATUS)0xC0000225L)

/* What Winsock's WSAENOTSOCK means for fd: MIO_EBADF if it is closed. */
int mio__socket_not_socket(mio_raw_fd fd);

/* One-time, thread-safe WSAStartup; returns 0 or a negative code. */
int mio__win_init(void);

/* An NTSTATUS as a MIO_E* code. */
int mio__nt_error(NTSTATUS status);

/* The AFD driver's IOCTL_AFD_POLL request for one socket. */
typedef struct mio__afd_poll_handle_info {
	HANDLE handle;
	ULONG events;
	NTSTATUS status;
} mio__afd_poll_handle_info;

typedef struct mio__afd_poll_info {
	LARGE_INTEGER timeout;
	ULONG number_of_handles;
	ULONG exclusive;
	mio__afd_poll_handle_info handles[1];
} mio__afd_poll_info;

/*
 * Opens a handle to the AFD driver (not a socket) whose completions go
 * to iocp under MIO__KEY_AFD.
 */
int mio__afd_open(HANDLE iocp, HANDLE *out);

/*
 * Starts an overlapped poll; its completion carries iosb as the
 * OVERLAPPED pointer. 0 when submitted (a packet will follow), else a
 * negative code (MIO_EBADF: the socket is closed).
 */
int mio__afd_poll(HANDLE afd, mio__afd_poll_info *info, IO_STATUS_BLOCK *iosb);

/* Cancels a poll started on afd; its completion still follows. */
int mio__afd_cancel(HANDLE afd, IO_STATUS_BLOCK *iosb);

/* The selector's completion port, for named pipes to associate with. */
HANDLE mio__selector_port(struct mio__selector *sel);

/*
 * The named pipes tied to the selector's port (struct mio__npipe, in
 * named_pipe.c), a list under the selector's lock, which is taken before
 * a pipe's own. Completions are handled under it too.
 */
struct mio__npipe;
void mio__selector_lock(struct mio__selector *sel);
void mio__selector_unlock(struct mio__selector *sel);
struct mio__npipe **mio__selector_npipes(struct mio__selector *sel);

/*
 * How the selector drives one kind of source: the contract's registry
 * calls and re-arms (src/sys/selector.h), which selector.c hands to the
 * kind's operations. Sockets' are in selector.c, named pipes' here.
 */
struct mio__source_ops {
	int (*register_source)(struct mio__selector *sel, mio_source *src,
			       mio_token token, mio_interest interest);
	int (*reregister)(struct mio__selector *sel, mio_source *src,
			  mio_token token, mio_interest interest);
	int (*deregister)(struct mio__selector *sel, mio_source *src);
	mio_interest (*try_io_begin)(mio_source *src);
	void (*rearm)(mio_source *src, mio_interest dirs, mio_interest before);
};

/* Named pipes (named_pipe.c), driven by the selector. */
extern const struct mio__source_ops mio__npipe_ops;

/*
 * Handles a MIO__KEY_PIPE completion, under the selector's lock; writes
 * at most one event into *ev and returns whether it did.
 */
bool mio__npipe_complete(OVERLAPPED *ov, mio_event *ev);

/*
 * For freeing a selector, under its lock: detach its pipes (cancelling
 * what they have in flight), count their operations whose completions
 * are still due, and at last take them all off its list.
 */
void mio__npipes_detach(struct mio__selector *sel);
size_t mio__npipes_in_flight(struct mio__selector *sel);
void mio__npipes_release(struct mio__selector *sel);

/*
 * The waker (waker.c) posts packets under MIO__KEY_WAKER to the port;
 * the selector turns each into an event with the token set here, while
 * w is set, and tells w that its wake-up was taken.
 */
void mio__selector_set_waker(struct mio__selector *sel, struct mio__waker *w,
			     mio_token token);
/* Unsets w, if it is still the selector's waker. */
void mio__selector_clear_waker(struct mio__selector *sel, struct mio__waker *w);
/* Called by select, under the selector's lock, for each packet of w. */
void mio__waker_consumed(struct mio__waker *w);

#endif
