#!/bin/sh
# Builds the benchmark programs and runs the suite:
#   bench/run.sh            full run (about 10 minutes), report in docs/
#   bench/run.sh --quick    short run (under 2 minutes), report in
#                           build-bench/results/
#   bench/run.sh --out DIR  the report in DIR instead
# Needs cmake, a C compiler, python3, valgrind, gnuplot and Debian's
# libev-dev, libevent-dev and libuv1-dev; the system call counts need
# perf (linux-perf) and the HTTP benchmark wrk, and are left out without
# them. BENCH_BUILD_DIR overrides the build directory.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
mkdir -p "$build"
if ! { cmake -S "$root/bench" -B "$build" &&
	cmake --build "$build" -j2; } >"$build/build.log" 2>&1; then
	cat "$build/build.log" >&2
	exit 1
fi
exec python3 "$root/bench/run.py" --build "$build" "$@"
