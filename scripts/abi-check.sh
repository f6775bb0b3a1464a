#!/usr/bin/env bash
# Compares the ABI of a freshly built libmio.so with the releases recorded
# in abi/ (abidw dumps), by the policy of docs/abi.md:
#  - against the newest release with the same SONAME, only additions are
#    allowed: any other change fails, since programs built against that
#    release would break without a new SONAME to tell them;
#  - where no release has this SONAME yet (a new one under way), the
#    whole difference from the newest release is printed, for the
#    changelog, and the SONAME must differ from that release's.
# Usage: scripts/abi-check.sh <build dir with libmio.so>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$1
lib=$(readlink -f "$build/libmio.so")
current=$(mktemp --suffix=.abi)
trap 'rm -f "$current"' EXIT

soname_of() { sed -n "s/.*soname='\([^']*\)'.*/\1/p" "$1" | head -n 1; }

abidw --headers-dir "$top/include" --short-locs --no-comp-dir-path \
	--no-corpus-path --out-file "$current" "$lib"
soname=$(soname_of "$current")
echo "built: $soname ($(basename "$lib"))"

newest= same=
for f in $(ls "$top"/abi/libmio-*.abi | sort -V); do
	newest=$f
	[ "$(soname_of "$f")" = "$soname" ] && same=$f
done
[ -n "$newest" ] || {
	echo "no release ABI in abi/" >&2
	exit 1
}

if [ -n "$same" ]; then
	echo "against $(basename "$same") (same SONAME): only additions allowed"
	set +e
	abidiff --no-added-syms "$same" "$current"
	rc=$?
	set -e
	if [ "$rc" -ne 0 ]; then
		echo "ABI changed under the SONAME $soname: give the release a new SONAME (docs/abi.md)" >&2
		exit 1
	fi
	abidiff --added-fns "$same" "$current" || true
	echo "ABI: compatible with $(basename "$same")"
	exit 0
fi

old=$(soname_of "$newest")
echo "against $(basename "$newest") ($old): a new SONAME, every change listed"
set +e
abidiff "$newest" "$current"
rc=$?
set -e
# Bit 1 is abidiff's own error (usage, unreadable input), not a change.
if [ $((rc & 1)) -ne 0 ] || [ "$soname" = "$old" ]; then
	echo "abidiff failed, or the SONAME did not change" >&2
	exit 1
fi
echo "ABI: $soname replaces $old; the changes above are announced by it"
