#!/bin/sh
# Builds the benchmark programs and runs the suite:
#   bench/run.sh            full run (~5 minutes), report in docs/
#   bench/run.sh --quick    short run (~1.5 minutes), report in build-bench/
# Needs cmake, a C compiler, python3, valgrind, gnuplot and Debian's
# libev-dev, libevent-dev and libuv1-dev.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
cmake -S "$root/bench" -B "$build" >/dev/null
cmake --build "$build" -j2 >/dev/null
exec python3 "$root/bench/run.py" --build "$build" "$@"
