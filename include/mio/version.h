#ifndef MIO_VERSION_H
#define MIO_VERSION_H

/*
 * Version of the library this header belongs to.
 *
 * ABI rule: within one major version, the shared library only gains
 * symbols; no exported function changes its signature or meaning, and no
 * public struct (mio_source, the socket and pipe objects, mio_sockaddr,
 * mio_unix_addr, mio_iovec) changes its size or the offset of a public
 * member. Private members (those ending in an underscore) may change
 * between any two releases, so never touch them.
 */
#define MIO_VERSION_MAJOR 0
#define MIO_VERSION_MINOR 1
#define MIO_VERSION_PATCH 0

#define MIO_VERSION_HEX                                                        \
	((MIO_VERSION_MAJOR << 16) | (MIO_VERSION_MINOR << 8) |                \
	 MIO_VERSION_PATCH)

#endif
