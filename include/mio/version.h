#ifndef MIO_VERSION_H
#define MIO_VERSION_H

/*
 * Version of the library this header belongs to.
 *
 * ABI rule (docs/abi.md): the SONAME names the ABI. Under one SONAME the
 * shared library only gains symbols; no exported function changes its
 * signature or meaning, and no layout that code compiled against the
 * header relies on changes: the public structs (mio_source, the socket
 * and pipe objects, mio_sockaddr, mio_unix_addr, mio_iovec) and the
 * private layouts the inline functions read (include/mio/inline.h, the
 * event layouts). Any such change takes a new SONAME: in 0.x every minor
 * release has its own (libmio.so.0.2), from 1.0 on every major one.
 * Private members (those ending in an underscore) are never yours to
 * touch.
 */
#define MIO_VERSION_MAJOR 0
#define MIO_VERSION_MINOR 2
#define MIO_VERSION_PATCH 0

#define MIO_VERSION_HEX                                                        \
	((MIO_VERSION_MAJOR << 16) | (MIO_VERSION_MINOR << 8) |                \
	 MIO_VERSION_PATCH)

#endif
