/*
 * The HTTP/1.1 part of http_server.c, with no I/O in it (the benchmark's
 * hand-written epoll servers, bench/http_epoll.c, serve exactly the same
 * protocol with it). A connection's input is cut into requests, and each
 * complete request gets its response appended to the connection's
 * output. Only complete requests are answered and the rest of the input
 * stays for the next read, so several requests in one read (pipelining)
 * and a request split across reads both work.
 *
 * Every request is answered with "Hello, World!". Connections are kept
 * alive (HTTP/1.1's default, or HTTP/1.0 with "Connection: keep-alive")
 * until a request says "Connection: close". A request body announced by
 * Content-Length is skipped; a request with Transfer-Encoding gets 501,
 * a malformed one 400 and a head larger than the input buffer 431, each
 * followed by the end of the connection.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HTTP_IN_MAX 8192  /* a request's head must fit in this */
#define HTTP_OUT_MAX 4096 /* room for dozens of pipelined responses */

struct http_conn {
	size_t in_len;		  /* unanswered input: in[0 .. in_len) */
	size_t out_head, out_len; /* pending output: out[head .. head + len) */
	size_t body_left;	  /* body bytes of the last request to skip */
	bool close_after;	  /* nothing more to answer: send out, close */
	char in[HTTP_IN_MAX];
	char out[HTTP_OUT_MAX];
};

#define HTTP_HELLO "Hello, World!"
#define HTTP_OK                                                                \
	"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"                      \
	"Content-Length: 13\r\n"
#define HTTP_ERROR(status)                                                     \
	"HTTP/1.1 " status "\r\nContent-Length: 0\r\n"                         \
	"Connection: close\r\n\r\n"
/* The longest response, with room to spare. */
#define HTTP_RESPONSE_MAX 128
_Static_assert(sizeof(HTTP_OK "Connection: keep-alive\r\n\r\n" HTTP_HELLO) <=
		       HTTP_RESPONSE_MAX,
	       "HTTP_RESPONSE_MAX");
_Static_assert(sizeof(HTTP_ERROR("431 Request Header Fields Too Large")) <=
		       HTTP_RESPONSE_MAX,
	       "HTTP_RESPONSE_MAX");

static void http_put(struct http_conn *c, const char *s, size_t len)
{
	memcpy(c->out + c->out_head + c->out_len, s, len);
	c->out_len += len;
}

#define HTTP_PUT(c, literal) http_put(c, literal, sizeof(literal) - 1)

static char http_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* Whether s[0 .. len) is `word` (lower case), ignoring case. */
static bool http_is(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len && word[i] != '\0'; i++)
		if (http_lower(s[i]) != word[i])
			return false;
	return i == len && word[i] == '\0';
}

/* The length of the line at s (up to "\r\n"), within end. */
static size_t http_line(const char *s, const char *end)
{
	const char *p = s;

	while (p + 1 < end && !(p[0] == '\r' && p[1] == '\n'))
		p++;
	return (size_t)(p - s);
}

/* The end of a request's head (just past "\r\n\r\n"), or NULL. */
static const char *http_head_end(const char *s, const char *end)
{
	for (const char *p = s; p + 4 <= end; p++)
		if (p[0] == '\r' && p[1] == '\n' && p[2] == '\r' &&
		    p[3] == '\n')
			return p + 4;
	return NULL;
}

struct http_request {
	bool head;	 /* the HEAD method: no body in the response */
	bool http10;	 /* HTTP/1.0: keep-alive only when asked for */
	bool keep_alive; /* after the Connection header */
	bool chunked;	 /* a Transfer-Encoding header */
	bool bad;
	size_t body; /* Content-Length */
};

/* Trims blanks (spaces and tabs) off both ends of [*v, *end). */
static void http_trim(const char **v, const char **end)
{
	while (*v < *end && (**v == ' ' || **v == '\t'))
		(*v)++;
	while (*end > *v && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
}

/* Applies "Connection: token, token, ..." to r. */
static void http_connection(struct http_request *r, const char *v,
			    const char *end)
{
	while (v < end) {
		const char *comma = memchr(v, ',', (size_t)(end - v));
		const char *t = v, *e = comma != NULL ? comma : end;

		http_trim(&t, &e);
		if (http_is(t, (size_t)(e - t), "close"))
			r->keep_alive = false;
		else if (http_is(t, (size_t)(e - t), "keep-alive"))
			r->keep_alive = true;
		v = comma != NULL ? comma + 1 : end;
	}
}

/* Content-Length: decimal digits only, and no more than size_t holds. */
static void http_content_length(struct http_request *r, const char *v,
				const char *end)
{
	size_t n = 0;

	if (v == end)
		r->bad = true;
	for (; v < end; v++) {
		if (*v < '0' || *v > '9' || n > (SIZE_MAX - 9) / 10) {
			r->bad = true;
			return;
		}
		n = n * 10 + (size_t)(*v - '0');
	}
	r->body = n;
}

/* One header line "Name: value" (no "\r\n"). */
static void http_header(struct http_request *r, const char *s, size_t len)
{
	const char *end = s + len, *colon = memchr(s, ':', len), *v;

	if (colon == NULL || colon == s) {
		r->bad = true;
		return;
	}
	v = colon + 1;
	http_trim(&v, &end);
	if (http_is(s, (size_t)(colon - s), "connection"))
		http_connection(r, v, end);
	else if (http_is(s, (size_t)(colon - s), "content-length"))
		http_content_length(r, v, end);
	else if (http_is(s, (size_t)(colon - s), "transfer-encoding"))
		r->chunked = true;
}

/* "METHOD TARGET HTTP/1.x": sets head, keep_alive and bad. */
static void http_request_line(struct http_request *r, const char *s, size_t len)
{
	const char *end = s + len, *sp1 = memchr(s, ' ', len), *sp2;

	if (sp1 == NULL || sp1 == s) {
		r->bad = true;
		return;
	}
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (sp2 == NULL || sp2 == sp1 + 1 || end - sp2 - 1 != 8 ||
	    memcmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1')) {
		r->bad = true;
		return;
	}
	r->head = sp1 - s == 4 && memcmp(s, "HEAD", 4) == 0;
	r->http10 = sp2[8] == '0';
	r->keep_alive = !r->http10;
}

/* Parses the head s[0 .. len), which ends in "\r\n\r\n". */
static struct http_request http_parse(const char *s, size_t len)
{
	struct http_request r = { 0 };
	const char *end = s + len - 2; /* the last line's "\r\n" */
	size_t n = http_line(s, end);

	http_request_line(&r, s, n);
	for (s += n + 2; !r.bad && s < end; s += n + 2) {
		n = http_line(s, end);
		http_header(&r, s, n);
	}
	return r;
}

/* Appends the response to one request; sets close_after when it is the last. */
static void http_respond(struct http_conn *c, const struct http_request *r)
{
	if (r->bad || r->chunked) {
		if (r->bad)
			HTTP_PUT(c, HTTP_ERROR("400 Bad Request"));
		else
			HTTP_PUT(c, HTTP_ERROR("501 Not Implemented"));
		c->close_after = true;
		return;
	}
	HTTP_PUT(c, HTTP_OK);
	if (!r->keep_alive)
		HTTP_PUT(c, "Connection: close\r\n");
	else if (r->http10)
		HTTP_PUT(c, "Connection: keep-alive\r\n");
	HTTP_PUT(c, "\r\n");
	if (!r->head)
		HTTP_PUT(c, HTTP_HELLO);
	c->body_left = r->body;
	c->close_after = !r->keep_alive;
}

/*
 * Answers the complete requests in c->in while c->out has room, and keeps
 * what is left (a partial request) at the start of c->in. Call it after
 * every read and after output has gone out.
 */
static void http_answer(struct http_conn *c)
{
	const char *p = c->in, *end = c->in + c->in_len, *head;

	if (c->out_len == 0)
		c->out_head = 0;
	while (p < end) {
		if (c->body_left > 0) {
			size_t skip = (size_t)(end - p) < c->body_left
					      ? (size_t)(end - p)
					      : c->body_left;

			p += skip;
			c->body_left -= skip;
			continue;
		}
		/* After the last response, the rest of the input is ignored. */
		if (c->close_after) {
			p = end;
			break;
		}
		if (HTTP_OUT_MAX - c->out_head - c->out_len < HTTP_RESPONSE_MAX)
			break;
		head = http_head_end(p, end);
		if (head == NULL) {
			if (p == c->in && c->in_len == HTTP_IN_MAX) {
				HTTP_PUT(c, HTTP_ERROR("431 Request Header "
						       "Fields Too Large"));
				c->close_after = true;
			}
			break;
		}
		struct http_request r = http_parse(p, (size_t)(head - p));
		http_respond(c, &r);
		p = head;
	}
	c->in_len = (size_t)(end - p);
	memmove(c->in, p, c->in_len);
}
