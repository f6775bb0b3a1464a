/*
 * The errno names of <errno.h> as entries { number, "NAME" } of an array,
 * which the platforms' error.c files include into theirs: every name that
 * POSIX, Linux, the BSDs, macOS or the Windows C runtime define, each
 * where the platform defines it. Where two names share a number, the
 * first listed is the one reported (EAGAIN, not EWOULDBLOCK).
 */

#ifdef EPERM
{ .number = EPERM, .name = "EPERM" },
#endif
#ifdef ENOENT
	{ .number = ENOENT, .name = "ENOENT" },
#endif
#ifdef ENOFILE
	{ .number = ENOFILE, .name = "ENOFILE" },
#endif
#ifdef ESRCH
	{ .number = ESRCH, .name = "ESRCH" },
#endif
#ifdef EINTR
	{ .number = EINTR, .name = "EINTR" },
#endif
#ifdef EIO
	{ .number = EIO, .name = "EIO" },
#endif
#ifdef ENXIO
	{ .number = ENXIO, .name = "ENXIO" },
#endif
#ifdef E2BIG
	{ .number = E2BIG, .name = "E2BIG" },
#endif
#ifdef ENOEXEC
	{ .number = ENOEXEC, .name = "ENOEXEC" },
#endif
#ifdef EBADF
	{ .number = EBADF, .name = "EBADF" },
#endif
#ifdef ECHILD
	{ .number = ECHILD, .name = "ECHILD" },
#endif
#ifdef EAGAIN
	{ .number = EAGAIN, .name = "EAGAIN" },
#endif
#ifdef EWOULDBLOCK
	{ .number = EWOULDBLOCK, .name = "EWOULDBLOCK" },
#endif
#ifdef ENOMEM
	{ .number = ENOMEM, .name = "ENOMEM" },
#endif
#ifdef EACCES
	{ .number = EACCES, .name = "EACCES" },
#endif
#ifdef EFAULT
	{ .number = EFAULT, .name = "EFAULT" },
#endif
#ifdef ENOTBLK
	{ .number = ENOTBLK, .name = "ENOTBLK" },
#endif
#ifdef EBUSY
	{ .number = EBUSY, .name = "EBUSY" },
#endif
#ifdef EEXIST
	{ .number = EEXIST, .name = "EEXIST" },
#endif
#ifdef EXDEV
	{ .number = EXDEV, .name = "EXDEV" },
#endif
#ifdef ENODEV
	{ .number = ENODEV, .name = "ENODEV" },
#endif
#ifdef ENOTDIR
	{ .number = ENOTDIR, .name = "ENOTDIR" },
#endif
#ifdef EISDIR
	{ .number = EISDIR, .name = "EISDIR" },
#endif
#ifdef EINVAL
	{ .number = EINVAL, .name = "EINVAL" },
#endif
#ifdef ENFILE
	{ .number = ENFILE, .name = "ENFILE" },
#endif
#ifdef EMFILE
	{ .number = EMFILE, .name = "EMFILE" },
#endif
#ifdef ENOTTY
	{ .number = ENOTTY, .name = "ENOTTY" },
#endif
#ifdef ETXTBSY
	{ .number = ETXTBSY, .name = "ETXTBSY" },
#endif
#ifdef EFBIG
	{ .number = EFBIG, .name = "EFBIG" },
#endif
#ifdef ENOSPC
	{ .number = ENOSPC, .name = "ENOSPC" },
#endif
#ifdef ESPIPE
	{ .number = ESPIPE, .name = "ESPIPE" },
#endif
#ifdef EROFS
	{ .number = EROFS, .name = "EROFS" },
#endif
#ifdef EMLINK
	{ .number = EMLINK, .name = "EMLINK" },
#endif
#ifdef EPIPE
	{ .number = EPIPE, .name = "EPIPE" },
#endif
#ifdef EDOM
	{ .number = EDOM, .name = "EDOM" },
#endif
#ifdef ERANGE
	{ .number = ERANGE, .name = "ERANGE" },
#endif
#ifdef EDEADLK
	{ .number = EDEADLK, .name = "EDEADLK" },
#endif
#ifdef EDEADLOCK
	{ .number = EDEADLOCK, .name = "EDEADLOCK" },
#endif
#ifdef ENAMETOOLONG
	{ .number = ENAMETOOLONG, .name = "ENAMETOOLONG" },
#endif
#ifdef ENOLCK
	{ .number = ENOLCK, .name = "ENOLCK" },
#endif
#ifdef ENOSYS
	{ .number = ENOSYS, .name = "ENOSYS" },
#endif
#ifdef ENOTEMPTY
	{ .number = ENOTEMPTY, .name = "ENOTEMPTY" },
#endif
#ifdef ELOOP
	{ .number = ELOOP, .name = "ELOOP" },
#endif
#ifdef ENOMSG
	{ .number = ENOMSG, .name = "ENOMSG" },
#endif
#ifdef EIDRM
	{ .number = EIDRM, .name = "EIDRM" },
#endif
#ifdef ECHRNG
	{ .number = ECHRNG, .name = "ECHRNG" },
#endif
#ifdef EL2NSYNC
	{ .number = EL2NSYNC, .name = "EL2NSYNC" },
#endif
#ifdef EL3HLT
	{ .number = EL3HLT, .name = "EL3HLT" },
#endif
#ifdef EL3RST
	{ .number = EL3RST, .name = "EL3RST" },
#endif
#ifdef ELNRNG
	{ .number = ELNRNG, .name = "ELNRNG" },
#endif
#ifdef EUNATCH
	{ .number = EUNATCH, .name = "EUNATCH" },
#endif
#ifdef ENOCSI
	{ .number = ENOCSI, .name = "ENOCSI" },
#endif
#ifdef EL2HLT
	{ .number = EL2HLT, .name = "EL2HLT" },
#endif
#ifdef EBADE
	{ .number = EBADE, .name = "EBADE" },
#endif
#ifdef EBADR
	{ .number = EBADR, .name = "EBADR" },
#endif
#ifdef EXFULL
	{ .number = EXFULL, .name = "EXFULL" },
#endif
#ifdef ENOANO
	{ .number = ENOANO, .name = "ENOANO" },
#endif
#ifdef EBADRQC
	{ .number = EBADRQC, .name = "EBADRQC" },
#endif
#ifdef EBADSLT
	{ .number = EBADSLT, .name = "EBADSLT" },
#endif
#ifdef EBFONT
	{ .number = EBFONT, .name = "EBFONT" },
#endif
#ifdef ENOSTR
	{ .number = ENOSTR, .name = "ENOSTR" },
#endif
#ifdef ENODATA
	{ .number = ENODATA, .name = "ENODATA" },
#endif
#ifdef ETIME
	{ .number = ETIME, .name = "ETIME" },
#endif
#ifdef ENOSR
	{ .number = ENOSR, .name = "ENOSR" },
#endif
#ifdef ENONET
	{ .number = ENONET, .name = "ENONET" },
#endif
#ifdef ENOPKG
	{ .number = ENOPKG, .name = "ENOPKG" },
#endif
#ifdef EREMOTE
	{ .number = EREMOTE, .name = "EREMOTE" },
#endif
#ifdef ENOLINK
	{ .number = ENOLINK, .name = "ENOLINK" },
#endif
#ifdef EADV
	{ .number = EADV, .name = "EADV" },
#endif
#ifdef ESRMNT
	{ .number = ESRMNT, .name = "ESRMNT" },
#endif
#ifdef ECOMM
	{ .number = ECOMM, .name = "ECOMM" },
#endif
#ifdef EPROTO
	{ .number = EPROTO, .name = "EPROTO" },
#endif
#ifdef EMULTIHOP
	{ .number = EMULTIHOP, .name = "EMULTIHOP" },
#endif
#ifdef EDOTDOT
	{ .number = EDOTDOT, .name = "EDOTDOT" },
#endif
#ifdef EBADMSG
	{ .number = EBADMSG, .name = "EBADMSG" },
#endif
#ifdef EOVERFLOW
	{ .number = EOVERFLOW, .name = "EOVERFLOW" },
#endif
#ifdef ENOTUNIQ
	{ .number = ENOTUNIQ, .name = "ENOTUNIQ" },
#endif
#ifdef EBADFD
	{ .number = EBADFD, .name = "EBADFD" },
#endif
#ifdef EREMCHG
	{ .number = EREMCHG, .name = "EREMCHG" },
#endif
#ifdef ELIBACC
	{ .number = ELIBACC, .name = "ELIBACC" },
#endif
#ifdef ELIBBAD
	{ .number = ELIBBAD, .name = "ELIBBAD" },
#endif
#ifdef ELIBSCN
	{ .number = ELIBSCN, .name = "ELIBSCN" },
#endif
#ifdef ELIBMAX
	{ .number = ELIBMAX, .name = "ELIBMAX" },
#endif
#ifdef ELIBEXEC
	{ .number = ELIBEXEC, .name = "ELIBEXEC" },
#endif
#ifdef EILSEQ
	{ .number = EILSEQ, .name = "EILSEQ" },
#endif
#ifdef ERESTART
	{ .number = ERESTART, .name = "ERESTART" },
#endif
#ifdef ESTRPIPE
	{ .number = ESTRPIPE, .name = "ESTRPIPE" },
#endif
#ifdef EUSERS
	{ .number = EUSERS, .name = "EUSERS" },
#endif
#ifdef ENOTSOCK
	{ .number = ENOTSOCK, .name = "ENOTSOCK" },
#endif
#ifdef EDESTADDRREQ
	{ .number = EDESTADDRREQ, .name = "EDESTADDRREQ" },
#endif
#ifdef EMSGSIZE
	{ .number = EMSGSIZE, .name = "EMSGSIZE" },
#endif
#ifdef EPROTOTYPE
	{ .number = EPROTOTYPE, .name = "EPROTOTYPE" },
#endif
#ifdef ENOPROTOOPT
	{ .number = ENOPROTOOPT, .name = "ENOPROTOOPT" },
#endif
#ifdef EPROTONOSUPPORT
	{ .number = EPROTONOSUPPORT, .name = "EPROTONOSUPPORT" },
#endif
#ifdef ESOCKTNOSUPPORT
	{ .number = ESOCKTNOSUPPORT, .name = "ESOCKTNOSUPPORT" },
#endif
#ifdef ENOTSUP
	{ .number = ENOTSUP, .name = "ENOTSUP" },
#endif
#ifdef EOPNOTSUPP
	{ .number = EOPNOTSUPP, .name = "EOPNOTSUPP" },
#endif
#ifdef EPFNOSUPPORT
	{ .number = EPFNOSUPPORT, .name = "EPFNOSUPPORT" },
#endif
#ifdef EAFNOSUPPORT
	{ .number = EAFNOSUPPORT, .name = "EAFNOSUPPORT" },
#endif
#ifdef EADDRINUSE
	{ .number = EADDRINUSE, .name = "EADDRINUSE" },
#endif
#ifdef EADDRNOTAVAIL
	{ .number = EADDRNOTAVAIL, .name = "EADDRNOTAVAIL" },
#endif
#ifdef ENETDOWN
	{ .number = ENETDOWN, .name = "ENETDOWN" },
#endif
#ifdef ENETUNREACH
	{ .number = ENETUNREACH, .name = "ENETUNREACH" },
#endif
#ifdef ENETRESET
	{ .number = ENETRESET, .name = "ENETRESET" },
#endif
#ifdef ECONNABORTED
	{ .number = ECONNABORTED, .name = "ECONNABORTED" },
#endif
#ifdef ECONNRESET
	{ .number = ECONNRESET, .name = "ECONNRESET" },
#endif
#ifdef ENOBUFS
	{ .number = ENOBUFS, .name = "ENOBUFS" },
#endif
#ifdef EISCONN
	{ .number = EISCONN, .name = "EISCONN" },
#endif
#ifdef ENOTCONN
	{ .number = ENOTCONN, .name = "ENOTCONN" },
#endif
#ifdef ESHUTDOWN
	{ .number = ESHUTDOWN, .name = "ESHUTDOWN" },
#endif
#ifdef ETOOMANYREFS
	{ .number = ETOOMANYREFS, .name = "ETOOMANYREFS" },
#endif
#ifdef ETIMEDOUT
	{ .number = ETIMEDOUT, .name = "ETIMEDOUT" },
#endif
#ifdef ECONNREFUSED
	{ .number = ECONNREFUSED, .name = "ECONNREFUSED" },
#endif
#ifdef EHOSTDOWN
	{ .number = EHOSTDOWN, .name = "EHOSTDOWN" },
#endif
#ifdef EHOSTUNREACH
	{ .number = EHOSTUNREACH, .name = "EHOSTUNREACH" },
#endif
#ifdef EALREADY
	{ .number = EALREADY, .name = "EALREADY" },
#endif
#ifdef EINPROGRESS
	{ .number = EINPROGRESS, .name = "EINPROGRESS" },
#endif
#ifdef ESTALE
	{ .number = ESTALE, .name = "ESTALE" },
#endif
#ifdef EUCLEAN
	{ .number = EUCLEAN, .name = "EUCLEAN" },
#endif
#ifdef ENOTNAM
	{ .number = ENOTNAM, .name = "ENOTNAM" },
#endif
#ifdef ENAVAIL
	{ .number = ENAVAIL, .name = "ENAVAIL" },
#endif
#ifdef EISNAM
	{ .number = EISNAM, .name = "EISNAM" },
#endif
#ifdef EREMOTEIO
	{ .number = EREMOTEIO, .name = "EREMOTEIO" },
#endif
#ifdef EDQUOT
	{ .number = EDQUOT, .name = "EDQUOT" },
#endif
#ifdef ENOMEDIUM
	{ .number = ENOMEDIUM, .name = "ENOMEDIUM" },
#endif
#ifdef EMEDIUMTYPE
	{ .number = EMEDIUMTYPE, .name = "EMEDIUMTYPE" },
#endif
#ifdef ECANCELED
	{ .number = ECANCELED, .name = "ECANCELED" },
#endif
#ifdef ENOKEY
	{ .number = ENOKEY, .name = "ENOKEY" },
#endif
#ifdef EKEYEXPIRED
	{ .number = EKEYEXPIRED, .name = "EKEYEXPIRED" },
#endif
#ifdef EKEYREVOKED
	{ .number = EKEYREVOKED, .name = "EKEYREVOKED" },
#endif
#ifdef EKEYREJECTED
	{ .number = EKEYREJECTED, .name = "EKEYREJECTED" },
#endif
#ifdef EOWNERDEAD
	{ .number = EOWNERDEAD, .name = "EOWNERDEAD" },
#endif
#ifdef ENOTRECOVERABLE
	{ .number = ENOTRECOVERABLE, .name = "ENOTRECOVERABLE" },
#endif
#ifdef ERFKILL
	{ .number = ERFKILL, .name = "ERFKILL" },
#endif
#ifdef EHWPOISON
	{ .number = EHWPOISON, .name = "EHWPOISON" },
#endif
#ifdef EPROCLIM
	{ .number = EPROCLIM, .name = "EPROCLIM" },
#endif
#ifdef EBADRPC
	{ .number = EBADRPC, .name = "EBADRPC" },
#endif
#ifdef ERPCMISMATCH
	{ .number = ERPCMISMATCH, .name = "ERPCMISMATCH" },
#endif
#ifdef EPROGUNAVAIL
	{ .number = EPROGUNAVAIL, .name = "EPROGUNAVAIL" },
#endif
#ifdef EPROGMISMATCH
	{ .number = EPROGMISMATCH, .name = "EPROGMISMATCH" },
#endif
#ifdef EPROCUNAVAIL
	{ .number = EPROCUNAVAIL, .name = "EPROCUNAVAIL" },
#endif
#ifdef EFTYPE
	{ .number = EFTYPE, .name = "EFTYPE" },
#endif
#ifdef EAUTH
	{ .number = EAUTH, .name = "EAUTH" },
#endif
#ifdef ENEEDAUTH
	{ .number = ENEEDAUTH, .name = "ENEEDAUTH" },
#endif
#ifdef EIPSEC
	{ .number = EIPSEC, .name = "EIPSEC" },
#endif
#ifdef ENOATTR
	{ .number = ENOATTR, .name = "ENOATTR" },
#endif
#ifdef EDOOFUS
	{ .number = EDOOFUS, .name = "EDOOFUS" },
#endif
#ifdef ENOTCAPABLE
	{ .number = ENOTCAPABLE, .name = "ENOTCAPABLE" },
#endif
#ifdef ECAPMODE
	{ .number = ECAPMODE, .name = "ECAPMODE" },
#endif
#ifdef EINTEGRITY
	{ .number = EINTEGRITY, .name = "EINTEGRITY" },
#endif
#ifdef EPWROFF
	{ .number = EPWROFF, .name = "EPWROFF" },
#endif
#ifdef EDEVERR
	{ .number = EDEVERR, .name = "EDEVERR" },
#endif
#ifdef EBADEXEC
	{ .number = EBADEXEC, .name = "EBADEXEC" },
#endif
#ifdef EBADARCH
	{ .number = EBADARCH, .name = "EBADARCH" },
#endif
#ifdef ESHLIBVERS
	{ .number = ESHLIBVERS, .name = "ESHLIBVERS" },
#endif
#ifdef EBADMACHO
	{ .number = EBADMACHO, .name = "EBADMACHO" },
#endif
#ifdef ENOPOLICY
	{ .number = ENOPOLICY, .name = "ENOPOLICY" },
#endif
#ifdef EQFULL
	{ .number = EQFULL, .name = "EQFULL" },
#endif
