/*
 * Named pipes (mio::windows::NamedPipe): overlapped I/O on the poll's
 * completion port, turned into readiness as mio does. The library keeps
 * one read buffer and one write buffer per pipe; a read is kept in
 * flight whenever the read buffer is empty, a write whenever the caller
 * hands over data, and their completions become readable and writable
 * events. Readiness that arises outside a completion (registration, an
 * error starting a read) is delivered by posting a packet to the port.
 *
 * The kernel writes into a pipe's OVERLAPPEDs and buffers until each
 * operation completes, so the pipe state counts its operations in flight
 * and is freed, and its handle closed, only when the caller has closed it
 * and the last completion has come back.
 *
 * Each pipe has its own lock. Once its handle is tied to a poll's port,
 * the pipe is also on that selector's list (for cancelling its I/O when
 * the poll goes), which the selector's lock guards: that lock is taken
 * before a pipe's, never the other way round. Completions arrive under
 * the selector's lock, so the last one of a closed pipe takes it off the
 * list; a pipe closed with nothing in flight posts itself one. No lock is
 * shared by the whole process.
 */

#include <stdlib.h>
#include <string.h>

#include "win_internal.h"

/* In the SDK's winbase.h and MinGW-w64's, not in Wine's. */
#ifndef PIPE_REJECT_REMOTE_CLIENTS
#define PIPE_REJECT_REMOTE_CLIENTS 0x00000008
#endif

#define READ_BUF_SIZE 16384
#define WRITE_BUF_SIZE 16384
#define MAX_NAME 256 /* characters in a pipe name, as Windows allows */

enum op_kind { OP_CONNECT, OP_READ, OP_WRITE, OP_NOTIFY };

struct mio__npipe;

struct op {
	OVERLAPPED ov; /* first: the completion's OVERLAPPED pointer */
	enum op_kind kind;
	struct mio__npipe *pipe;
	struct mio__selector *sel; /* whose port its completion goes to */
	bool in_flight;
};

enum read_state { READ_NONE, READ_PENDING, READ_DATA, READ_ERROR };
enum write_state { WRITE_NONE, WRITE_PENDING, WRITE_ERROR };

struct mio__npipe {
	struct op connect, read, write, notify;
	SRWLOCK lock; /* everything below */
	HANDLE handle;
	long refs; /* the owner, plus one per operation in flight */
	bool closed;
	/*
	 * Association: a handle stays tied to one completion port, and the
	 * pipe is on that port's selector's list (listed, prev, next: under
	 * the selector's lock) until the pipe or the selector goes.
	 */
	struct mio__selector *sel;
	HANDLE port;
	bool listed;
	struct mio__npipe *prev, *next;
	bool registered;
	mio_token token;
	/* Readiness to deliver with the next notification packet. */
	uint32_t notify_flags;
	bool notify_posted;
	bool connecting;
	int connect_err;
	enum read_state rstate;
	bool read_stale; /* the read in flight predates a disconnect */
	size_t rlen, rpos;
	int rerr;
	enum write_state wstate;
	size_t wlen, wpos;
	int werr;
	char rbuf[READ_BUF_SIZE];
	char wbuf[WRITE_BUF_SIZE];
};

static void lock(struct mio__npipe *p)
{
	AcquireSRWLockExclusive(&p->lock);
}

static void unlock(struct mio__npipe *p)
{
	ReleaseSRWLockExclusive(&p->lock);
}

/* Whether nothing refers to p any more: it is to be freed. Locked. */
static bool pipe_unused(const struct mio__npipe *p)
{
	return p->refs == 0 && !p->listed;
}

/* Unlocked, as no one else can reach it now. */
static void pipe_free(struct mio__npipe *p)
{
	CloseHandle(p->handle);
	free(p);
}

/* Puts p on its selector's list. Under both locks. */
static void pipe_link(struct mio__npipe *p, struct mio__selector *sel)
{
	struct mio__npipe **head = mio__selector_npipes(sel);

	p->sel = sel;
	p->listed = true;
	p->prev = NULL;
	p->next = *head;
	if (p->next != NULL)
		p->next->prev = p;
	*head = p;
}

/* Takes p off its selector's list. Under both locks. */
static void pipe_unlink(struct mio__npipe *p)
{
	struct mio__npipe **head = mio__selector_npipes(p->sel);

	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		*head = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	p->listed = false;
}

/* An operation was started: its completion will come to p's port. */
static void op_started(struct mio__npipe *p, struct op *op)
{
	op->sel = p->sel;
	op->in_flight = true;
	p->refs++;
}

static void op_reset(struct op *op)
{
	memset(&op->ov, 0, sizeof(op->ov));
}

/* Posts p's notification packet to its port. Locked. */
static void post_notify(struct mio__npipe *p)
{
	op_reset(&p->notify);
	if (PostQueuedCompletionStatus(p->port, 0, MIO__KEY_PIPE,
				       &p->notify.ov)) {
		p->notify_posted = true;
		op_started(p, &p->notify);
	}
}

/* Readiness for the caller; delivered by a posted packet. Locked. */
static void notify(struct mio__npipe *p, uint32_t flags)
{
	p->notify_flags |= flags;
	if (!p->notify_posted && p->registered)
		post_notify(p);
}

/*
 * Keeps a read in flight while the read buffer is empty. Returns false
 * if the server end has no client yet (nothing to read from).
 */
static bool schedule_read(struct mio__npipe *p)
{
	DWORD err;

	/* A port closed or closing takes no more completions. */
	if (p->rstate != READ_NONE || p->port == INVALID_HANDLE_VALUE)
		return true;
	op_reset(&p->read);
	if (ReadFile(p->handle, p->rbuf, READ_BUF_SIZE, NULL, &p->read.ov) ||
	    (err = GetLastError()) == ERROR_IO_PENDING ||
	    err == ERROR_MORE_DATA) {
		/* Its completion follows even when it finished at once. */
		p->rstate = READ_PENDING;
		op_started(p, &p->read);
		return true;
	}
	if (err == ERROR_PIPE_LISTENING)
		return false;
	p->rstate = READ_ERROR;
	p->rerr = mio__win_error(err);
	notify(p, MIO__AFD_POLL_RECEIVE);
	return true;
}

/* After registration or a connection: start reading, report writable. */
static void post_register(struct mio__npipe *p)
{
	if (schedule_read(p) && p->wstate == WRITE_NONE)
		notify(p, MIO__AFD_POLL_SEND);
}

static int start_write(struct mio__npipe *p)
{
	DWORD err;

	op_reset(&p->write);
	if (WriteFile(p->handle, p->wbuf + p->wpos, (DWORD)(p->wlen - p->wpos),
		      NULL, &p->write.ov) ||
	    (err = GetLastError()) == ERROR_IO_PENDING) {
		p->wstate = WRITE_PENDING;
		op_started(p, &p->write);
		return 0;
	}
	return mio__win_error(err);
}

/* The outcome of a completed operation, from its OVERLAPPED. */
static int op_result(const struct op *op, size_t *bytes)
{
	NTSTATUS status = (NTSTATUS)op->ov.Internal;

	*bytes = (size_t)op->ov.InternalHigh;
	if (status >= 0)
		return 0;
	return mio__nt_error(status);
}

static uint32_t connect_done(struct mio__npipe *p)
{
	size_t bytes;
	int err = op_result(&p->connect, &bytes);

	p->connecting = false;
	if (err < 0) {
		p->connect_err = err;
		return MIO__AFD_POLL_SEND;
	}
	post_register(p);
	return 0;
}

static uint32_t read_done(struct mio__npipe *p)
{
	size_t bytes;
	int err = op_result(&p->read, &bytes);

	if (p->read_stale) {
		/* A read from before a disconnect: drop it, start anew. */
		p->read_stale = false;
		p->rstate = READ_NONE;
		schedule_read(p);
		return 0;
	}
	if (err == 0 && bytes == 0) {
		/* A zero-length write: not the end of the stream. */
		p->rstate = READ_NONE;
		schedule_read(p);
		return 0;
	}
	/* MORE_DATA: a message larger than the buffer; the rest follows. */
	if (err == 0 || err == MIO_EMSGSIZE) {
		p->rstate = READ_DATA;
		p->rlen = bytes;
		p->rpos = 0;
	} else {
		p->rstate = READ_ERROR;
		p->rerr = err;
	}
	return MIO__AFD_POLL_RECEIVE;
}

static uint32_t write_done(struct mio__npipe *p)
{
	size_t bytes;
	int err = op_result(&p->write, &bytes);

	p->wstate = WRITE_NONE;
	if (err == 0) {
		p->wpos += bytes;
		if (p->wpos >= p->wlen)
			return MIO__AFD_POLL_SEND;
		err = start_write(p);
		if (err == 0)
			return 0;
	}
	p->wstate = WRITE_ERROR;
	p->werr = err;
	return MIO__AFD_POLL_SEND;
}

bool mio__npipe_complete(OVERLAPPED *ov, mio_event *ev)
{
	struct op *op = (struct op *)(void *)ov;
	struct mio__npipe *p = op->pipe;
	uint32_t flags = 0;
	bool report, unused;

	lock(p);
	op->in_flight = false;
	switch (op->kind) {
	case OP_CONNECT:
		flags = connect_done(p);
		break;
	case OP_READ:
		flags = read_done(p);
		break;
	case OP_WRITE:
		flags = write_done(p);
		break;
	case OP_NOTIFY:
		p->notify_posted = false;
		break;
	}
	/* Pending notifications ride along with this event. */
	flags |= p->notify_flags;
	p->notify_flags = 0;
	report = flags != 0 && p->registered && !p->closed;
	if (report)
		mio__event_put(ev, p->token, flags);
	/* The selector's lock is held: a closed pipe leaves its list. */
	if (--p->refs == 0 && p->closed && p->listed)
		pipe_unlink(p);
	unused = pipe_unused(p);
	unlock(p);
	if (unused)
		pipe_free(p);
	return report;
}

/* ---------------------------------------------------------------------- */
/* Registration, called through the selector                              */

/* Ties p's handle to sel's port for good, the first time. Locked. */
static int pipe_associate(struct mio__npipe *p, struct mio__selector *sel)
{
	HANDLE port = mio__selector_port(sel);

	if (p->port == port)
		return 0;
	/* Tied to another poll's port, or to a freed one's. */
	if (p->port != NULL)
		return MIO_ENOTSUP;
	if (CreateIoCompletionPort(p->handle, port, MIO__KEY_PIPE, 0) == NULL)
		return mio__win_error(GetLastError());
	p->port = port;
	pipe_link(p, sel);
	return 0;
}

static int npipe_register(struct mio__selector *sel, mio_source *src,
			  mio_token token, mio_interest interest)
{
	struct mio__npipe *p = src->state_;
	int err = MIO_EEXIST;

	/* Both directions are always watched, as in mio. */
	(void)interest;
	mio__selector_lock(sel); /* for its list of pipes */
	lock(p);
	if (!p->registered)
		err = pipe_associate(p, sel);
	if (err == 0) {
		p->registered = true;
		p->token = token;
		post_register(p);
	}
	unlock(p);
	mio__selector_unlock(sel);
	return err;
}

static int npipe_reregister(struct mio__selector *sel, mio_source *src,
			    mio_token token, mio_interest interest)
{
	struct mio__npipe *p = src->state_;
	int err = MIO_ENOENT;

	(void)interest;
	lock(p);
	if (p->registered && p->sel == sel) {
		p->token = token;
		post_register(p);
		err = 0;
	}
	unlock(p);
	return err;
}

static int npipe_deregister(struct mio__selector *sel, mio_source *src)
{
	struct mio__npipe *p = src->state_;
	int err = MIO_ENOENT;

	lock(p);
	if (p->registered && p->sel == sel) {
		p->registered = false;
		err = 0;
	}
	unlock(p);
	return err;
}

/*
 * A pipe's readiness comes from completions, not from polls that I/O
 * would have to re-arm: nothing to note or re-arm.
 */
static mio_interest npipe_try_io_begin(mio_source *src)
{
	(void)src;
	return 0;
}

static void npipe_rearm(mio_source *src, mio_interest dirs, mio_interest before)
{
	(void)src;
	(void)dirs;
	(void)before;
}

const struct mio__source_ops mio__npipe_ops = {
	npipe_register,	    npipe_reregister, npipe_deregister,
	npipe_try_io_begin, npipe_rearm,
};

void mio__npipes_detach(struct mio__selector *sel)
{
	for (struct mio__npipe *p = *mio__selector_npipes(sel); p != NULL;
	     p = p->next) {
		lock(p);
		/* Nothing will be delivered any more: end what is in flight. */
		CancelIoEx(p->handle, NULL);
		p->registered = false;
		/*
		 * The handle stays tied to the closing port, whose handle value
		 * a new port may get: keep a value no port can have.
		 */
		p->port = INVALID_HANDLE_VALUE;
		unlock(p);
	}
}

size_t mio__npipes_in_flight(struct mio__selector *sel)
{
	size_t n = 0;

	for (struct mio__npipe *p = *mio__selector_npipes(sel); p != NULL;
	     p = p->next) {
		lock(p);
		n += (size_t)p->refs - !p->closed;
		unlock(p);
	}
	return n;
}

void mio__npipes_release(struct mio__selector *sel)
{
	struct mio__npipe *p, *next;
	bool unused;

	for (p = *mio__selector_npipes(sel); p != NULL; p = next) {
		next = p->next;
		lock(p);
		pipe_unlink(p);
		p->sel = NULL;
		/* What is still in flight now is leaked, not freed under the
		 * kernel's hands. */
		unused = pipe_unused(p);
		unlock(p);
		if (unused)
			pipe_free(p);
	}
}

/* ---------------------------------------------------------------------- */
/* The public API                                                          */

static struct mio__npipe *pipe_of(mio_named_pipe *np)
{
	if (np == NULL || !mio__fd_valid(np->source.fd) ||
	    !(np->source.flags_ & MIO__SOURCE_NAMED_PIPE))
		return NULL;
	return np->source.state_;
}

/*
 * The checks every call on an open pipe begins with; on success the
 * pipe is locked and *out set.
 */
static int pipe_enter(mio_named_pipe *np, const void *buf, size_t len,
		      struct mio__npipe **out)
{
	struct mio__npipe *p = pipe_of(np);

	if (p == NULL)
		return np == NULL ? MIO_EINVAL : MIO_EBADF;
	if (buf == NULL && len != 0)
		return MIO_EINVAL;
	lock(p);
	*out = p;
	return 0;
}

static int adopt(mio_named_pipe *out, HANDLE h)
{
	struct mio__npipe *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return MIO_ENOMEM;
	InitializeSRWLock(&p->lock);
	p->handle = h;
	p->refs = 1;
	p->connect.kind = OP_CONNECT;
	p->read.kind = OP_READ;
	p->write.kind = OP_WRITE;
	p->notify.kind = OP_NOTIFY;
	p->connect.pipe = p->read.pipe = p->write.pipe = p->notify.pipe = p;
	mio__source_init(&out->source, (mio_raw_fd)h);
	out->source.flags_ |= MIO__SOURCE_NAMED_PIPE;
	out->source.state_ = p;
	return 0;
}

static int wide_name(const char *name, WCHAR *out)
{
	int n;

	if (name == NULL)
		return MIO_EINVAL;
	n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, out,
				MAX_NAME + 1);
	if (n > 0)
		return 0;
	return GetLastError() == ERROR_INSUFFICIENT_BUFFER ? MIO_ENAMETOOLONG
							   : MIO_EINVAL;
}

static int adopt_or_close(mio_named_pipe *out, HANDLE h)
{
	int err;

	if (h == INVALID_HANDLE_VALUE)
		return mio__win_error(GetLastError());
	err = adopt(out, h);
	if (err < 0)
		CloseHandle(h);
	return err;
}

/* The server end: the first instance of its name, local clients only. */
static HANDLE create_server(const WCHAR *wname)
{
	return CreateNamedPipeW(
		wname,
		PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE |
			FILE_FLAG_OVERLAPPED,
		PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
			PIPE_REJECT_REMOTE_CLIENTS,
		PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, NULL);
}

/* A client end. SQOS: the server may only identify, not impersonate, us. */
static HANDLE open_client(const WCHAR *wname)
{
	return CreateFileW(wname, GENERIC_READ | GENERIC_WRITE, 0, NULL,
			   OPEN_EXISTING,
			   FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT |
				   SECURITY_IDENTIFICATION,
			   NULL);
}

static int pipe_by_name(mio_named_pipe *out, const char *name,
			HANDLE (*make)(const WCHAR *wname))
{
	WCHAR wname[MAX_NAME + 1];
	int err;

	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	err = wide_name(name, wname);
	if (err < 0)
		return err;
	return adopt_or_close(out, make(wname));
}

int mio_named_pipe_new(mio_named_pipe *out, const char *name)
{
	return pipe_by_name(out, name, create_server);
}

int mio_named_pipe_open(mio_named_pipe *out, const char *name)
{
	return pipe_by_name(out, name, open_client);
}

int mio_named_pipe_from_handle(mio_named_pipe *out, HANDLE handle)
{
	if (out == NULL)
		return MIO_EINVAL;
	mio__source_inert(&out->source);
	if (handle == NULL || handle == INVALID_HANDLE_VALUE)
		return MIO_EBADF;
	return adopt(out, handle);
}

int mio_named_pipe_connect(mio_named_pipe *np)
{
	struct mio__npipe *p;
	DWORD err;
	int ret = pipe_enter(np, NULL, 0, &p);

	if (ret < 0)
		return ret;
	if (!p->registered) {
		/* Its completion would have no port to go to. */
		ret = MIO_EINVAL;
	} else if (p->connecting) {
		ret = MIO_EAGAIN;
	} else {
		op_reset(&p->connect);
		/*
		 * Even a connect that succeeds at once queues its completion
		 * on the port, as any overlapped I/O does: wait for it.
		 */
		if (ConnectNamedPipe(p->handle, &p->connect.ov) ||
		    (err = GetLastError()) == ERROR_IO_PENDING) {
			p->connecting = true;
			op_started(p, &p->connect);
			ret = MIO_EAGAIN;
		} else if (err == ERROR_PIPE_CONNECTED ||
			   err == ERROR_NO_DATA) {
			/* A client came (and maybe went) before the call. */
			post_register(p);
		} else {
			ret = mio__win_error(err);
		}
	}
	unlock(p);
	return ret;
}

int mio_named_pipe_disconnect(mio_named_pipe *np)
{
	struct mio__npipe *p;
	int ret = pipe_enter(np, NULL, 0, &p);

	if (ret < 0)
		return ret;
	if (!DisconnectNamedPipe(p->handle)) {
		ret = mio__win_error(GetLastError());
	} else {
		/* What was read or failed belongs to the old client. */
		if (p->rstate == READ_PENDING)
			p->read_stale = true;
		else
			p->rstate = READ_NONE;
		if (p->wstate == WRITE_ERROR)
			p->wstate = WRITE_NONE;
	}
	unlock(p);
	return ret;
}

int mio_named_pipe_take_error(mio_named_pipe *np)
{
	struct mio__npipe *p;
	int err = pipe_enter(np, NULL, 0, &p);

	if (err < 0)
		return err;
	err = p->connect_err;
	p->connect_err = 0;
	unlock(p);
	return err;
}

mio_ssize mio_named_pipe_read(mio_named_pipe *np, void *buf, size_t len)
{
	struct mio__npipe *p;
	mio_ssize ret = pipe_enter(np, buf, len, &p);
	size_t n;

	if (ret < 0)
		return ret;
	ret = MIO_EAGAIN;
	if (!p->registered) {
		/* Nothing is read until completions have somewhere to go. */
	} else if (p->rstate == READ_DATA) {
		n = p->rlen - p->rpos < len ? p->rlen - p->rpos : len;
		memcpy(buf, p->rbuf + p->rpos, n);
		p->rpos += n;
		if (p->rpos == p->rlen) {
			p->rstate = READ_NONE;
			schedule_read(p);
		}
		ret = (mio_ssize)n;
	} else if (p->rstate == READ_ERROR) {
		ret = p->rerr;
		p->rstate = READ_NONE;
		schedule_read(p);
		/* The writer closed its end: end of stream. */
		if (ret == MIO_EPIPE)
			ret = 0;
	}
	unlock(p);
	return ret;
}

mio_ssize mio_named_pipe_write(mio_named_pipe *np, const void *buf, size_t len)
{
	struct mio__npipe *p;
	mio_ssize ret = pipe_enter(np, buf, len, &p);
	int err;

	if (ret < 0)
		return ret;
	ret = MIO_EAGAIN;
	if (!p->registered || p->wstate == WRITE_PENDING) {
		/* A writable event follows the write in flight. */
	} else if (p->wstate == WRITE_ERROR) {
		ret = p->werr;
		p->wstate = WRITE_NONE;
	} else if (len == 0) {
		ret = 0;
	} else {
		p->wlen = len < WRITE_BUF_SIZE ? len : WRITE_BUF_SIZE;
		p->wpos = 0;
		memcpy(p->wbuf, buf, p->wlen);
		err = start_write(p);
		ret = err < 0 ? err : (mio_ssize)p->wlen;
	}
	unlock(p);
	return ret;
}

/*
 * The caller lets go of p, locked. A pipe on a selector's list leaves it
 * under that selector's lock, which completions hold: unless one is due
 * already, post one to the port (alive while p is listed).
 */
static void pipe_release(struct mio__npipe *p)
{
	p->refs--;
	/* If the post fails, it leaves the list when the selector goes. */
	if (p->refs == 0 && p->listed && p->port != INVALID_HANDLE_VALUE)
		post_notify(p);
}

int mio_named_pipe_close(mio_named_pipe *np)
{
	struct mio__npipe *p = pipe_of(np);
	bool unused;

	if (np == NULL)
		return MIO_EINVAL;
	if (p == NULL)
		return 0;
	/* The close rule, as mio__source_close: deregister from a live poll. */
	mio__source_detach(&np->source);
	lock(p);
	p->closed = true;
	p->registered = false;
	/* A write in flight may finish, as in mio; nothing else may. */
	if (p->connecting)
		CancelIoEx(p->handle, &p->connect.ov);
	if (p->rstate == READ_PENDING)
		CancelIoEx(p->handle, &p->read.ov);
	pipe_release(p);
	unused = pipe_unused(p);
	unlock(p);
	if (unused)
		pipe_free(p);
	mio__source_inert(&np->source);
	return 0;
}
