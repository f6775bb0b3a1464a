/*
 * Bad input everywhere in the core: NULL pointers, *_free(NULL), error
 * names and messages for every code (known, zero and unknown), and the
 * version. Nothing may crash, print, or return NULL text. The POSIX-only
 * cases (descriptor limits, signals, borrowed descriptors) are in
 * test_fd_bad_input.c.
 */

#include <errno.h>
#include <limits.h>
#include <string.h>

#if defined(_WIN32)
#include <winsock2.h>
#endif

#include "test.h"

static void frees_accept_null(void)
{
	mio_poll_free(NULL);
	mio_events_free(NULL);
	mio_waker_free(NULL);
	mio_registry_free(NULL);
	mio_events_clear(NULL);
}

static void null_out_pointers(void)
{
	mio_poll *poll;

	ASSERT_ERR(mio_poll_new(NULL), MIO_EINVAL);
	ASSERT_ERR(mio_events_new(8, NULL), MIO_EINVAL);
	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_ERR(mio_registry_try_clone(mio_poll_registry(poll), NULL),
		   MIO_EINVAL);
	ASSERT_ERR(mio_waker_new(mio_poll_registry(poll), 1, NULL), MIO_EINVAL);
	mio_poll_free(poll);
}

/* A NULL input sets *out to NULL as well, so nothing stale is left. */
static void null_inputs_clear_out(void)
{
	mio_registry *clone = (mio_registry *)&clone;
	mio_waker *waker = (mio_waker *)&waker;
	mio_events *events = (mio_events *)&events;

	ASSERT_ERR(mio_registry_try_clone(NULL, &clone), MIO_EINVAL);
	ASSERT(clone == NULL);
	ASSERT_ERR(mio_waker_new(NULL, 1, &waker), MIO_EINVAL);
	ASSERT(waker == NULL);
	ASSERT_ERR(mio_events_new(0, &events), MIO_EINVAL);
	ASSERT(events == NULL);
}

static void null_poll_and_events(void)
{
	mio_poll *poll;
	mio_events *events;
	struct timespec zero = { 0, 0 };

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_events_new(1, &events));
	ASSERT_ERR(mio_poll_poll(NULL, NULL, NULL), MIO_EINVAL);
	ASSERT_ERR(mio_poll_poll(NULL, events, &zero), MIO_EINVAL);
	ASSERT_ERR(mio_poll_poll(poll, NULL, &zero), MIO_EINVAL);
	ASSERT_ERR(mio_poll_poll(poll, NULL, NULL), MIO_EINVAL);
	ASSERT(mio_poll_registry(NULL) == NULL);
	mio_events_free(events);
	mio_poll_free(poll);
}

/* A connected loopback TCP pair, both ends owned by the library. */
static void tcp_pair(mio_tcp_stream *a, mio_tcp_stream *b)
{
	mio_raw_fd sv[2];

	test_tcp_socket_pair(sv);
	ASSERT_OK(mio_tcp_stream_from_fd(a, sv[0]));
	ASSERT_OK(mio_tcp_stream_from_fd(b, sv[1]));
}

static void null_registry_and_source(void)
{
	mio_poll *poll;
	mio_registry *reg;
	mio_tcp_stream a, b;

	ASSERT_OK(mio_poll_new(&poll));
	reg = mio_poll_registry(poll);
	tcp_pair(&a, &b);
	ASSERT_ERR(mio_registry_register(NULL, &a.source, 1, MIO_READABLE),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_register(reg, NULL, 1, MIO_READABLE),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_reregister(NULL, &a.source, 1, MIO_READABLE),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_reregister(reg, NULL, 1, MIO_READABLE),
		   MIO_EINVAL);
	ASSERT_ERR(mio_registry_deregister(NULL, &a.source), MIO_EINVAL);
	ASSERT_ERR(mio_registry_deregister(reg, NULL), MIO_EINVAL);
	/* None of them registered anything. */
	ASSERT_ERR(mio_registry_deregister(reg, &a.source), MIO_ENOENT);
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_OK(mio_tcp_stream_close(&b));
	mio_poll_free(poll);
}

static mio_ssize return_ctx(mio_source *s, void *ctx)
{
	(void)s;
	return *(mio_ssize *)ctx;
}

/* The same on an owned source, registered or not, and once closed. */
static void source_accessors_and_try_io(void)
{
	mio_poll *poll;
	mio_tcp_stream a, b;
	mio_raw_fd fd;
	mio_ssize value = 1234, again = MIO_EAGAIN;

	ASSERT_UEQ(mio_source_raw_fd(NULL), MIO_INVALID_FD);
	tcp_pair(&a, &b);
	fd = a.source.fd;
	ASSERT_UEQ(mio_source_raw_fd(&a.source), fd);
	ASSERT_EQ(mio_source_try_io(NULL, return_ctx, &value), MIO_EINVAL);
	ASSERT_EQ(mio_source_try_io(&a.source, NULL, &value), MIO_EINVAL);
	ASSERT_EQ(mio_source_try_io(&a.source, return_ctx, &value), 1234);
	ASSERT_EQ(mio_source_try_io(&a.source, return_ctx, &again), MIO_EAGAIN);

	ASSERT_OK(mio_poll_new(&poll));
	ASSERT_OK(mio_registry_register(mio_poll_registry(poll), &a.source, 1,
					MIO_READABLE));
	ASSERT_UEQ(mio_source_raw_fd(&a.source), fd);
	ASSERT_EQ(mio_source_try_io(&a.source, return_ctx, &value), 1234);
	ASSERT_EQ(mio_source_try_io(&a.source, return_ctx, &again), MIO_EAGAIN);
	ASSERT_OK(mio_tcp_stream_close(&a));
	ASSERT_UEQ(mio_source_raw_fd(&a.source), MIO_INVALID_FD);
	ASSERT_OK(mio_tcp_stream_close(&b));
	mio_poll_free(poll);
}

static void waker_null(void)
{
	ASSERT_ERR(mio_waker_wake(NULL), MIO_EINVAL);
}

static void event_format_null(void)
{
	char buf[8];

	ASSERT_ERR(mio_event_format(NULL, buf, sizeof(buf)), MIO_EINVAL);
	ASSERT_ERR(mio_event_format(NULL, NULL, 0), MIO_EINVAL);
}

#define CODE(name)                                                             \
	{                                                                      \
		name, &#name[4]                                                \
	} /* "MIO_EAGAIN" -> "EAGAIN" */

static const struct {
	int code;
	const char *name;
} codes[] = {
	CODE(MIO_EAGAIN),	CODE(MIO_EINTR),	CODE(MIO_EINVAL),
	CODE(MIO_EBADF),	CODE(MIO_EEXIST),	CODE(MIO_ENOENT),
	CODE(MIO_ENOMEM),	CODE(MIO_EMFILE),	CODE(MIO_ENFILE),
	CODE(MIO_ENOBUFS),	CODE(MIO_EPIPE),	CODE(MIO_ECONNREFUSED),
	CODE(MIO_ECONNRESET),	CODE(MIO_ECONNABORTED), CODE(MIO_ENOTCONN),
	CODE(MIO_EISCONN),	CODE(MIO_EINPROGRESS),	CODE(MIO_EALREADY),
	CODE(MIO_ETIMEDOUT),	CODE(MIO_EADDRINUSE),	CODE(MIO_EADDRNOTAVAIL),
	CODE(MIO_EAFNOSUPPORT), CODE(MIO_EDESTADDRREQ), CODE(MIO_EMSGSIZE),
	CODE(MIO_ENAMETOOLONG), CODE(MIO_ENOTSUP),	CODE(MIO_EACCES),
	CODE(MIO_EPERM),	CODE(MIO_ENETUNREACH),	CODE(MIO_EHOSTUNREACH),
};

/* The contract's codes: negative, distinct, named and described. */
static void every_error_code_is_named(void)
{
	size_t n = sizeof(codes) / sizeof(codes[0]);

	for (size_t i = 0; i < n; i++) {
		const char *name = mio_err_name(codes[i].code);
		const char *msg = mio_strerror(codes[i].code);
		ASSERT(codes[i].code < 0);
		ASSERT(name != NULL);
		ASSERT(msg != NULL);
		ASSERT_STR_EQ(name, codes[i].name);
		ASSERT(msg[0] != '\0');
		ASSERT(strcmp(msg, mio_strerror(-99999)) != 0);
		for (size_t j = 0; j < i; j++)
			if (codes[j].code == codes[i].code)
				FAIL_AT("%s and %s are the same code",
					codes[j].name, codes[i].name);
	}
	/* A code is exactly -errno (the C runtime's errno.h on Windows). */
	ASSERT_EQ(MIO_EAGAIN, -EAGAIN);
	ASSERT_EQ(MIO_ENOTSUP, -ENOTSUP);
}

/* Zero is success; anything unknown is "UNKNOWN", never NULL. */
static void zero_and_unknown_codes(void)
{
	static const int unknown[] = { 1,	EAGAIN,	 -4095,	     -99999,
				       INT_MIN, INT_MAX, INT_MIN + 1 };

	ASSERT(mio_err_name(0) != NULL);
	ASSERT(mio_strerror(0) != NULL);
	ASSERT(strcmp(mio_err_name(0), "UNKNOWN") != 0);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const char *msg = mio_strerror(unknown[i]);
		ASSERT_STR_EQ(mio_err_name(unknown[i]), "UNKNOWN");
		ASSERT(msg != NULL);
		ASSERT(msg[0] != '\0');
	}
	/* Every negative errno the OS has gets some text. */
	for (int e = 1; e < 4096; e++) {
		ASSERT(mio_err_name(-e) != NULL);
		ASSERT(mio_strerror(-e) != NULL);
	}
}

/*
 * An errno value outside the library's table gets the OS's name and
 * message, in storage that stays put: the same pointer, with the same
 * text, on every call.
 */
static void os_error_code(int code, const char *name)
{
	const char *msg = mio_strerror(code);
	char copy[128];

	ASSERT_STR_EQ(mio_err_name(code), name);
	ASSERT_STR_EQ(msg, strerror(-code));
	ASSERT(strcmp(msg, "unknown error") != 0);
	snprintf(copy, sizeof(copy), "%s", msg);
	for (int e = 1; e < 200; e++)
		(void)mio_strerror(-e);
	ASSERT(mio_strerror(code) == msg);
	ASSERT_STR_EQ(msg, copy);
}

static void codes_beyond_the_table(void)
{
	os_error_code(-ENOTDIR, "ENOTDIR");
	os_error_code(-ENOSPC, "ENOSPC");
	os_error_code(-EDOM, "EDOM");
	/* The library's own table still answers first. */
	ASSERT_STR_EQ(mio_strerror(MIO_EEXIST), "already registered");
	ASSERT_STR_EQ(mio_err_name(MIO_ENOTSUP), "ENOTSUP");
	/* Only negative codes: a positive errno is no code. */
	ASSERT_STR_EQ(mio_err_name(ENOTDIR), "UNKNOWN");
	ASSERT_STR_EQ(mio_strerror(ENOTDIR), "unknown error");
	ASSERT_STR_EQ(mio_err_name(0), "OK");
	ASSERT_STR_EQ(mio_strerror(0), "success");
	ASSERT_STR_EQ(mio_err_name(INT_MIN), "UNKNOWN");
	ASSERT_STR_EQ(mio_strerror(INT_MIN), "unknown error");
	/* A number no errno name has. */
	ASSERT_STR_EQ(mio_err_name(-4000), "UNKNOWN");
	ASSERT_STR_EQ(mio_strerror(-4000), "unknown error");
#if defined(_WIN32)
	/* Winsock's own numbers, negated: FormatMessage's text. */
	ASSERT_STR_EQ(mio_err_name(-WSAECONNRESET), "WSAECONNRESET");
	ASSERT_STR_EQ(mio_err_name(-WSAHOST_NOT_FOUND), "WSAHOST_NOT_FOUND");
	ASSERT(strcmp(mio_strerror(-WSAECONNRESET), "unknown error") != 0);
	ASSERT(strcmp(mio_strerror(-WSAECONNRESET),
		      mio_strerror(-WSAENOTSOCK)) != 0);
	ASSERT(mio_strerror(-WSAECONNRESET) == mio_strerror(-WSAECONNRESET));
	ASSERT(strchr(mio_strerror(-WSAECONNRESET), '\n') == NULL);
#endif
}

static void version_matches_macros(void)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", MIO_VERSION_MAJOR,
		 MIO_VERSION_MINOR, MIO_VERSION_PATCH);
	ASSERT(mio_version() != NULL);
	ASSERT_STR_EQ(mio_version(), want);
	ASSERT_EQ(MIO_VERSION_HEX, (MIO_VERSION_MAJOR << 16) |
					   (MIO_VERSION_MINOR << 8) |
					   MIO_VERSION_PATCH);
}

int main(void)
{
	RUN(frees_accept_null);
	RUN(null_out_pointers);
	RUN(null_inputs_clear_out);
	RUN(null_poll_and_events);
	RUN(null_registry_and_source);
	RUN(source_accessors_and_try_io);
	RUN(waker_null);
	RUN(event_format_null);
	RUN(every_error_code_is_named);
	RUN(zero_and_unknown_codes);
	RUN(codes_beyond_the_table);
	RUN(version_matches_macros);
	return test_summary();
}
