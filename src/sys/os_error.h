#ifndef MIO_SYS_OS_ERROR_H
#define MIO_SYS_OS_ERROR_H

/*
 * The OS's own error numbers, for mio_strerror and mio_err_name (src/
 * error.c) beyond the library's table. Each platform's error.c defines
 * the table and the message lookup; src/error.c searches the table and
 * keeps each message it was asked for in the entry, filled once.
 */

#include <stdbool.h>
#include <stddef.h>

#include "atomics.h"

/*
 * Room for one message: every English one fits; a longer translation is
 * cut short.
 */
#define MIO__OS_ERROR_TEXT 96

struct mio__os_error {
	int number; /* positive: an errno value, or a Winsock error */
	const char *name;
	atomic_bool ready; /* text holds the message (set once, release) */
	char text[MIO__OS_ERROR_TEXT];
};

/*
 * Every number the platform names; where two names share a number (EAGAIN
 * and EWOULDBLOCK), the first listed is the one found.
 */
extern struct mio__os_error mio__os_errors[];
extern const size_t mio__os_errors_len;

/*
 * Writes the OS's message for `number` into buf (NUL-terminated, cut to
 * len): strerror_r on POSIX; on Windows the C runtime's text, or
 * FormatMessage's for a Winsock number. An empty string if the OS has
 * none.
 */
void mio__os_message(int number, char *buf, size_t len);

#endif
