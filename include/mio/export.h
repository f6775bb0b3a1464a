#ifndef MIO_EXPORT_H
#define MIO_EXPORT_H

/*
 * MIO_EXTERN marks the public functions. The library is built with hidden
 * visibility, so only these are exported from the shared library.
 * On Windows, define MIO_STATIC when linking the static library.
 */
#if defined(_WIN32)
#if defined(MIO_BUILDING_SHARED)
#define MIO_EXTERN __declspec(dllexport)
#elif defined(MIO_STATIC) || defined(MIO_BUILDING)
#define MIO_EXTERN
#else
#define MIO_EXTERN __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define MIO_EXTERN __attribute__((visibility("default")))
#else
#define MIO_EXTERN
#endif

/*
 * The event accessors are defined in the header so that a hot event loop
 * pays no call per accessor. The library compiles one translation unit
 * with MIO_INLINE set to MIO_EXTERN, which emits the same functions as
 * exported symbols for bindings that cannot use the header.
 */
#ifndef MIO_INLINE
#define MIO_INLINE static inline
#endif

#endif
