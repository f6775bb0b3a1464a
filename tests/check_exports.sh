#!/bin/sh
# The shared library exports exactly the public functions: every symbol is
# mio_*, and every function declared MIO_EXTERN in the headers is there.
# Usage: check_exports.sh <libmio.so> <include dir>
set -eu
lib=$1
inc=$2
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TWDBR]$/ { sub(/@.*/, "", $3); print $3 }' | sort -u)
bad=$(printf '%s\n' "$exported" | grep -v '^mio_' || true)
if [ -n "$bad" ]; then
	echo "non-mio symbols exported:"
	printf '%s\n' "$bad"
	exit 1
fi
# Names of functions declared with MIO_EXTERN or MIO_INLINE (win.h and
# named_pipe.h are Windows-only: this runs on Linux).
declared=$(cat "$inc"/mio.h $(ls "$inc"/mio/*.h | grep -Ev '/(win|named_pipe)\.h$') |
	tr '\n' ' ' | grep -oE 'MIO_(EXTERN|INLINE)[^;{(]*\(' |
	grep -oE 'mio_[a-z0-9_]+ *\($' | tr -d ' (' | sort -u)
missing=$(printf '%s\n' "$declared" | while read -r f; do
	printf '%s\n' "$exported" | grep -qx "$f" || echo "$f"
done)
if [ -n "$missing" ]; then
	echo "declared but not exported:"
	printf '%s\n' "$missing"
	exit 1
fi
echo "$(printf '%s\n' "$exported" | wc -l) symbols exported, all mio_*, all declared ones present"
