#!/usr/bin/env python3
"""Runs the benchmark suite and writes a Markdown report and a PNG chart.

Called by bench/run.sh after it has built the programs. Every figure is
the median over rounds of the per-round ratio to raw edge-triggered epoll
(min-max beside it); implementations alternate within each round. Chain
ping and TCP echo are also measured paired: each implementation in turns
with epoll-et, a few milliseconds at a time (see Bench.paired and
Bench.echo_paired), and so is the HTTP server under wrk
(serving.http_paired). The instruction counts come from callgrind and the
system call counts from perf; they are run once.
"""

import argparse
import datetime
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

import serving

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLOOR = "epoll-et"
IMPLS = ["epoll-et", "epoll-et-short", "epoll-lt", "mio", "mio-poll",
         "libev", "libevent", "libuv"]
# Different from epoll-et only in how its echo server reads: measured in
# the echo and HTTP sections alone.
SERVER_ONLY = ["epoll-et-short"]
# The floor that stops at short reads, which the library's servers are
# also paired with.
SHORT = "epoll-et-short"

# pair_*: the paired chain ping. Each of pair_rounds rounds gives every
# process pair_slices turns of pair_events epoll-et events (about 2 ms).
# echo_pair_*: the paired echo. Each of echo_pair_rounds rounds runs
# echo_pair_turns turns of echo_pair_ms (half of them each server's) after
# echo_pair_warmup seconds of turns.
# syscall_*: system calls counted over syscall_messages echoed messages at
# each of syscall_conns connections, and over one wrk run per HTTP server.
# http_*: each of http_rounds rounds runs, for each (server, floor) of
# http_pairs, http_turns wrk runs of http_seconds in turns (half of them
# each server's), at http_conns.
FULL = dict(rounds=5, chain_events=50000, chain_ms=500, echo_seconds=0.5,
            echo_warmup=0.1, reg_n=10000, reg_reps=5, reg_turns=6,
            poll_iters=20000,
            poll_ms=150, cg_events=10000, pair_rounds=8, pair_slices=100,
            pair_events=600, echo_pair_rounds=4, echo_pair_turns=60,
            echo_pair_ms=15, echo_pair_warmup=0.1, syscall_messages=20000,
            syscall_conns=(50, 500), http_conns=50, http_seconds=1,
            http_rounds=4, http_turns=8,
            http_pairs=(("epoll-et", "epoll-et"), ("epoll-et-short", "epoll-et"),
                        ("mio", "epoll-et"), ("mio", "epoll-et-short")))
QUICK = dict(rounds=3, chain_events=20000, chain_ms=300, echo_seconds=0.2,
             echo_warmup=0.1, reg_n=2000, reg_reps=3, reg_turns=2,
             poll_iters=3000,
             poll_ms=40, cg_events=3000, pair_rounds=2, pair_slices=40,
             pair_events=600, echo_pair_rounds=2, echo_pair_turns=16,
             echo_pair_ms=15, echo_pair_warmup=0.05, syscall_messages=5000,
             syscall_conns=(50,), http_conns=50, http_seconds=1,
             http_rounds=1, http_turns=4,
             http_pairs=(("epoll-et", "epoll-et"), ("mio", "epoll-et")))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse(line):
    return dict(kv.split("=", 1) for kv in line.split()[1:])


def pinned(cpu):
    """A preexec_fn that puts the child on one CPU before it starts."""
    return lambda: os.sched_setaffinity(0, {cpu})


def run(args, timeout=120, cpu=None):
    out = subprocess.run(args, check=True, capture_output=True, text=True,
                         timeout=timeout,
                         preexec_fn=None if cpu is None else pinned(cpu)
                         ).stdout
    return parse(out.strip().splitlines()[-1])


def fd_limit():
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def settle(descriptors):
    """After a run that closed thousands of sockets, give the kernel a
    moment to finish freeing them, so the next run does not pay for it."""
    if descriptors >= 5000:
        time.sleep(0.2)


def summarise(values, floor_values, invert=False):
    """Median, min and max of the per-round ratios to the floor."""
    ratios = [(f / v if invert else v / f)
              for v, f in zip(values, floor_values)]
    return (statistics.median(ratios), min(ratios), max(ratios))


def paired_ratios(floor, other, floor_first):
    """Per-slice ratios of a paired run: each slice of `other` over the
    mean of the floor's slices just before and just after it, so that a
    load that changes linearly over the three slices cancels. Slices
    without a neighbour on both sides are left out, and so are those
    next to a zero, which is no measurement (an echo turn in which no
    reply came back in time, on a machine busy with other work)."""
    ratios = []
    for i, v in enumerate(other):
        before, after = (i, i + 1) if floor_first else (i - 1, i)
        if before >= 0 and after < len(floor) and v > 0 and \
                floor[before] > 0 and floor[after] > 0:
            ratios.append(v / ((floor[before] + floor[after]) / 2))
    return ratios


def pooled_summary(rounds):
    """Median of every per-slice (per-turn) ratio, min and max of the
    per-round medians (a round left with no ratio is skipped)."""
    per_round = [statistics.median(r) for r in rounds if r]
    if not per_round:
        return (float("nan"),) * 3
    return (statistics.median([x for r in rounds for x in r]),
            min(per_round), max(per_round))


class Bench:
    def __init__(self, build, cfg, impls):
        self.build = build
        self.cfg = cfg
        self.impls = impls
        self.order = impls
        # raw[(bench, key)][impl] = list of per-round values
        self.raw = {}
        # pairs[(n, active)][impl] = list of per-round lists of ratios;
        # pair_floor[(n, active)] = epoll-et's slices (ns/event), pooled
        self.pairs = {}
        self.pair_floor = {}
        self.pair_allocs = {}
        self.pair_seconds = 0.0
        # echo_pairs[(conns, metric, floor)][impl] = list of per-round
        # lists of ratios to floor; echo_pair_floor[(conns, metric)] =
        # epoll-et's turns
        self.echo_pairs = {}
        self.echo_pair_floor = {}
        self.echo_pair_seconds = 0.0
        # syscalls[("echo" or "http", conns, impl)] = per message:
        # {"total", "eagain", "waits"}
        self.syscalls = {}
        # http_pairs[(conns, metric, floor)][impl], as echo_pairs;
        # http_floor[(conns, metric, floor)] = the floor's wrk runs
        self.http_pairs = {}
        self.http_floor = {}
        self.http_seconds_total = 0.0
        self.estimates = {}

    def prog(self, impl):
        return os.path.join(self.build, "bench_" + impl)

    def record(self, bench, key, impl, value):
        self.raw.setdefault((bench, key), {}).setdefault(impl, []).append(
            value)

    def chain(self, n, active):
        for impl in self.order:
            r = run([self.prog(impl), "chain", str(n), str(active),
                     str(self.cfg["chain_events"]), str(self.cfg["chain_ms"])])
            self.record("chain", (n, active), impl,
                        float(r["best_ns_per_event"]))
            self.record("chainmean", (n, active), impl,
                        float(r["ns_per_event"]))
            self.record("chaincpu", (n, active), impl,
                        float(r["cpu_ns_per_event"]))
            settle(n)
            self.record("allocs", (n, active), impl,
                        float(r["allocs_per_event"]))

    def echo(self, conns):
        for impl in self.order:
            server = subprocess.Popen([self.prog(impl), "echo"],
                                      stdout=subprocess.PIPE, text=True)
            try:
                port = parse("x " + server.stdout.readline())["port"]
                r = run([os.path.join(self.build, "echo_client"), port,
                         str(conns), str(self.cfg["echo_seconds"]),
                         str(self.cfg["echo_warmup"])])
                server.wait(timeout=30)
            finally:
                if server.poll() is None:
                    server.kill()
                    server.wait()
            self.record("echo", (conns, "msgs_per_s"), impl,
                        float(r["best_msgs_per_s"]))
            self.record("echo", (conns, "mean_msgs_per_s"), impl,
                        float(r["msgs_per_s"]))
            for k in ("p50_us", "p99_us"):
                self.record("echo", (conns, k), impl, float(r[k]))

    def reg(self):
        # Turns interleave the implementations, so that a slow spell of
        # the machine (seconds long here) falls on each of them alike;
        # the round's figure is an implementation's fastest turn.
        best = {}
        for _ in range(self.cfg["reg_turns"]):
            for impl in self.order:
                r = run([self.prog(impl), "reg", str(self.cfg["reg_n"]),
                         str(self.cfg["reg_reps"])])
                best[impl] = min(best.get(impl, float("inf")),
                                 float(r["best_us_per_fd"]))
        for impl in self.order:
            self.record("reg", self.cfg["reg_n"], impl, best[impl])

    def pollcost(self, registered):
        for impl in self.order:
            r = run([self.prog(impl), "pollcost", str(registered),
                     str(self.cfg["poll_iters"]), str(self.cfg["poll_ms"])])
            self.record("pollcost", registered, impl,
                        float(r["best_ns_per_poll"]))
            settle(registered)

    def estimate(self, impl, n, active):
        """Roughly how much slower than epoll-et impl is at this chain:
        from the separate runs if there were any, else a short run."""
        d = self.raw.get(("chainmean", (n, active)))
        if d is not None and impl in d:
            return statistics.median(d[impl]) / statistics.median(d[FLOOR])
        key = (impl, n, active)
        if key not in self.estimates:
            ns = {}
            for i in (FLOOR, impl):
                ns[i] = float(run([self.prog(i), "chain", str(n),
                                   str(active), "2000", "50"])["ns_per_event"])
                settle(n)
            self.estimates[key] = ns[impl] / ns[FLOOR]
        return self.estimates[key]

    def paired(self, n, active, impl, floor_first, cpu):
        """One paired run: epoll-et and impl (which may be epoll-et too)
        run the chain at the same time, both on one CPU, and take turns
        through a baton (two pipes), one slice of events per turn. The
        slower implementation gets fewer events per slice (the poll(2)
        build is up to hundreds of times slower), so that turns last about
        as long."""
        slices = self.cfg["pair_slices"]
        events = self.cfg["pair_events"]
        slow = max(1.0, self.estimate(impl, n, active)) if impl != FLOOR \
            else 1.0
        roles = [("floor", FLOOR, events),
                 ("other", impl, max(1, round(events / slow)))]
        if not floor_first:
            roles.reverse()
        to_first, to_second = os.pipe(), os.pipe()
        mine = [*to_first, *to_second]
        ends = [(to_first[0], to_second[1]), (to_second[0], to_first[1])]
        procs, out = {}, {}
        try:
            for (role, prog, count), (rfd, wfd) in zip(roles, ends):
                procs[role] = subprocess.Popen(
                    [self.prog(prog), "chain-turns", str(n), str(active),
                     str(slices), str(count), str(rfd), str(wfd)],
                    stdout=subprocess.PIPE, text=True, pass_fds=(rfd, wfd))
                # One CPU for both: on two CPUs each would run on its
                # own, and other people's load on them differs.
                os.sched_setaffinity(procs[role].pid, {cpu})
            # Only the children hold the baton pipes now, so that the one
            # that finishes last sees the other's exit as end of file.
            for fd in (to_first[0], to_second[0], to_second[1]):
                os.close(fd)
                mine.remove(fd)
            for role, prog, _ in roles:
                if procs[role].stdout.readline().strip() != "ready":
                    raise RuntimeError("bench_%s chain-turns failed" % prog)
            # Both are set up and warm: the first one starts.
            os.write(to_first[1], b"b")
            os.close(to_first[1])
            mine.remove(to_first[1])
            for role, prog, _ in roles:
                out[role] = parse(procs[role].stdout.read().strip())
                if procs[role].wait(timeout=120) != 0:
                    raise RuntimeError("bench_%s chain-turns failed" % prog)
        finally:
            for fd in mine:
                os.close(fd)
            for p in procs.values():
                if p.poll() is None:
                    p.kill()
                    p.wait()
        settle(n)
        ns = {role: [float(v) for v in out[role]["ns_per_event"].split(",")]
              for role in out}
        key = (n, active)
        self.pairs.setdefault(key, {}).setdefault(impl, []).append(
            paired_ratios(ns["floor"], ns["other"], floor_first))
        self.pair_floor.setdefault(key, []).extend(ns["floor"])
        self.pair_allocs.setdefault(impl, []).append(
            float(out["other"]["allocs_per_event"]))

    def echo_paired(self, conns, impl, floor_first, cpu, client_cpu,
                    floor=FLOOR):
        """One paired echo run: floor's server and impl's (which may be
        the floor's too) run at the same time, both on one CPU, and one
        client on the other CPU loads them in turns of a few
        milliseconds, each turn ending with its replies all in
        (`echo_client pair`)."""
        cfg = self.cfg
        progs = [floor, impl] if floor_first else [impl, floor]
        servers, ports = [], []
        try:
            for prog in progs:
                servers.append(subprocess.Popen(
                    [self.prog(prog), "echo"], stdout=subprocess.PIPE,
                    text=True, preexec_fn=pinned(cpu)))
                ports.append(parse("x " + servers[-1].stdout.readline())
                             ["port"])
            r = run([os.path.join(self.build, "echo_client"), "pair",
                     *ports, str(conns), str(cfg["echo_pair_turns"]),
                     str(cfg["echo_pair_ms"]),
                     str(cfg["echo_pair_warmup"])], cpu=client_cpu)
            for s in servers:
                if s.wait(timeout=30) != 0:
                    raise RuntimeError("an echo server failed")
        finally:
            for s in servers:
                if s.poll() is None:
                    s.kill()
                    s.wait()
        for metric in ("msgs_per_s", "p50_us", "p99_us"):
            turns = [float(v) for v in r[metric].split(",")]
            first, second = turns[0::2], turns[1::2]
            lo, hi = (first, second) if floor_first else (second, first)
            self.echo_pairs.setdefault((conns, metric, floor), {}).setdefault(
                impl, []).append(paired_ratios(lo, hi, floor_first))
            if floor == FLOOR:
                self.echo_pair_floor.setdefault((conns, metric), []).extend(
                    lo)

    def echo_pair_summary(self, conns, metric, impl, floor=FLOOR):
        return pooled_summary(self.echo_pairs[(conns, metric, floor)][impl])

    def http_pair_summary(self, conns, metric, impl, floor=FLOOR):
        return pooled_summary(self.http_pairs[(conns, metric, floor)][impl])

    def pair_summary(self, key, impl):
        return pooled_summary(self.pairs[key][impl])

    def summary(self, bench, key, impl, invert=False):
        d = self.raw[(bench, key)]
        return summarise(d[impl], d[FLOOR], invert)

    def median(self, bench, key, impl):
        return statistics.median(self.raw[(bench, key)][impl])


def callgrind(build, impl, n, active, events, outdir):
    out = os.path.join(outdir, "callgrind.%s.%d.%d" % (impl, n, active))
    subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=bench_loop",
                    "--callgrind-out-file=" + out,
                    os.path.join(build, "bench_" + impl), "chain", str(n),
                    str(active), str(events), "600000"],
                   check=True, capture_output=True, timeout=600)
    total = None
    with open(out) as f:
        for line in f:
            if line.startswith("totals:"):
                total = int(line.split()[1])
    ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", out],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"^\s*([\d,]+) .*=> .*:chain_fire \(([\d,]+)x\)", ann, re.M)
    shared = int(m.group(1).replace(",", ""))
    calls = int(m.group(2).replace(",", ""))
    return total / calls, (total - shared) / calls, out, calls


def callgrind_reg(build, impl, n, outdir):
    """User-space instructions per registration (and the loop iteration
    that makes deferred registrations happen), over n descriptors."""
    out = os.path.join(outdir, "callgrind.%s.reg" % impl)
    subprocess.run(["valgrind", "--tool=callgrind",
                    "--toggle-collect=bench_register",
                    "--callgrind-out-file=" + out,
                    os.path.join(build, "bench_" + impl), "reg", str(n), "1"],
                   check=True, capture_output=True, timeout=600)
    with open(out) as f:
        for line in f:
            if line.startswith("totals:"):
                # One warm-up repetition and one timed: 2n registrations.
                return int(line.split()[1]) / (2 * n)
    return float("nan")


def library_functions(path, calls):
    """This library's own functions in a callgrind profile: self
    instructions per event, largest first."""
    ann = subprocess.run(["callgrind_annotate", "--inclusive=no", path],
                         check=True, capture_output=True, text=True).stdout
    rows = []
    for line in ann.splitlines():
        m = re.match(r"^\s*([\d,]+) \([^)]*\)\s+(\S*?)((?:src|include)/\S+)"
                     r":(\S+)", line)
        if m and "bench/" not in m.group(2):
            rows.append((m.group(4), m.group(3),
                         int(m.group(1).replace(",", "")) / calls))
    return rows


def fmt(s, digits=2):
    med, lo, hi = s
    return "%.*f (%.*f–%.*f)" % (digits, med, digits, lo, digits, hi)


def machine_info():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    uname = platform.uname()
    cc = subprocess.run(["cc", "--version"], capture_output=True,
                        text=True).stdout.splitlines()[0]
    return "%s, %d cores; %s %s %s; %s" % (cpu, os.cpu_count(), uname.system,
                                          uname.release, uname.machine, cc)


def git_rev(root):
    r = subprocess.run(["git", "-C", root, "describe", "--always", "--dirty"],
                       capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--quick", action="store_true",
                    help="fewer rounds, shorter runs; report to the build dir")
    ap.add_argument("--out", help="where benchmarks.md/.png go")
    ap.add_argument("--command", default="bench/run.sh")
    opts = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cfg = QUICK if opts.quick else FULL
    out = opts.out or (os.path.join(opts.build, "results") if opts.quick
                       else os.path.join(root, "docs"))
    work = os.path.join(opts.build, "work")
    os.makedirs(out, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    impls = [i for i in IMPLS
             if os.path.exists(os.path.join(opts.build, "bench_" + i))]
    missing = [i for i in IMPLS if i not in impls]
    started = time.time()

    # Descriptors: a chain of N pairs needs 2N, and the VM's hard limit
    # may be below what the issue asks for.
    limit = fd_limit()
    big_n = min(10000, (limit - 200) // 2 // 100 * 100)
    chain_ns = [100, 1000, big_n]
    regs = [r for r in (1, 10, 100, 1000, 10000, 100000) if r < limit - 200]
    if regs[-1] < 100000:
        regs.append((limit - 200) // 1000 * 1000)

    versions = {i: run([os.path.join(opts.build, "bench_" + i), "info"])
                ["version"] for i in impls}
    chain_impls = [i for i in impls if i not in SERVER_ONLY]
    b = Bench(opts.build, cfg, impls)
    for rnd in range(cfg["rounds"]):
        log("round %d/%d" % (rnd + 1, cfg["rounds"]))
        # Who goes first changes from round to round, so that no
        # implementation always runs on the heels of the same one.
        k = rnd % len(chain_impls)
        b.order = chain_impls[k:] + chain_impls[:k]
        for n in chain_ns:
            for a in (1, 100):
                b.chain(n, a)
        b.reg()
        for r in regs:
            b.pollcost(r)
        k = rnd % len(impls)
        b.order = impls[k:] + impls[:k]
        for conns in (50, 500):
            b.echo(conns)

    # Paired chain ping: every implementation in turns with epoll-et
    # (epoll-et against itself shows what the method cannot resolve).
    # Rounds alternate who goes first, then which CPU both run on.
    cpus = sorted(os.sched_getaffinity(0))
    paired_started = time.time()
    for rnd in range(cfg["pair_rounds"]):
        log("paired round %d/%d" % (rnd + 1, cfg["pair_rounds"]))
        for n in chain_ns:
            for a in (1, 100):
                for impl in chain_impls:
                    b.paired(n, a, impl, rnd % 2 == 0,
                             cpus[rnd // 2 % len(cpus)])

    b.pair_seconds = time.time() - paired_started

    # Paired echo: both servers on one CPU, the client on the other.
    # Rounds alternate which server goes first, then the CPUs. The
    # library's server is paired with epoll-et-short as well.
    echo_started = time.time()
    for rnd in range(cfg["echo_pair_rounds"]):
        log("paired echo round %d/%d" % (rnd + 1, cfg["echo_pair_rounds"]))
        cpu = cpus[rnd // 2 % len(cpus)]
        client_cpu = cpus[(rnd // 2 + 1) % len(cpus)]
        for conns in (50, 500):
            for impl in impls:
                b.echo_paired(conns, impl, rnd % 2 == 0, cpu, client_cpu)
            if "mio" in impls and SHORT in impls:
                b.echo_paired(conns, "mio", rnd % 2 == 0, cpu, client_cpu,
                              floor=SHORT)
    b.echo_pair_seconds = time.time() - echo_started

    # System calls per message: exact but for the waits, whose number
    # depends on how many events each wait finds; run once.
    events = serving.perf_events()
    http_impls = [i for i in serving.HTTP_IMPLS
                  if os.path.exists(serving.http_prog(b, i))]
    have_wrk = shutil.which("wrk") is not None and FLOOR in http_impls
    cpu, client_cpu = cpus[0], cpus[1 % len(cpus)]
    if events is not None:
        log("system calls")
        for conns in cfg["syscall_conns"]:
            for impl in impls:
                serving.echo_syscalls(b, events, conns, impl, cpu,
                                      client_cpu)
        if have_wrk:
            for impl in http_impls:
                serving.http_syscalls(b, events, cfg["http_conns"], impl,
                                      cpu, client_cpu)
    else:
        log("perf cannot count system calls here: section left out")

    # The HTTP server under wrk, paired as the echo is.
    http_started = time.time()
    if have_wrk:
        for rnd in range(cfg["http_rounds"]):
            log("paired HTTP round %d/%d" % (rnd + 1, cfg["http_rounds"]))
            cpu = cpus[rnd // 2 % len(cpus)]
            client_cpu = cpus[(rnd // 2 + 1) % len(cpus)]
            pairs = [(i, f) for i, f in cfg["http_pairs"]
                     if i in http_impls and f in http_impls]
            for impl, floor in pairs:
                serving.http_paired(b, cfg["http_conns"], impl, floor,
                                    rnd % 2 == 0, cpu, client_cpu,
                                    paired_ratios)
    else:
        log("wrk not found: HTTP section left out")
    b.http_seconds_total = time.time() - http_started

    log("callgrind")
    cg = {}
    for impl in chain_impls:
        for a in (1, 100):
            cg[(impl, a)] = callgrind(opts.build, impl, 1000, a,
                                      cfg["cg_events"], work)
        cg[(impl, "reg")] = callgrind_reg(opts.build, impl, 1000, work)

    elapsed = time.time() - started
    write_report(out, opts, cfg, b, cg, impls, missing, versions, chain_ns,
                 regs, elapsed, root, http_impls)
    write_chart(out, work, b, cg, impls, chain_ns, regs, http_impls)
    log("wrote %s/benchmarks.md and benchmarks.png (%.0f s)" % (out, elapsed))


def write_report(out, opts, cfg, b, cg, all_impls, missing, versions,
                 chain_ns, regs, elapsed, root, http_impls):
    # epoll-et-short is measured only in the server sections.
    impls = [i for i in all_impls if i not in SERVER_ONLY]
    now = datetime.datetime.now(datetime.timezone.utc)
    L = []
    w = L.append
    w("# Benchmarks")
    w("")
    w("Measured %s UTC with `%s%s` (%d rounds, %.0f s)." % (
        now.strftime("%Y-%m-%d %H:%M"), opts.command,
        " --quick" if opts.quick else "", cfg["rounds"], elapsed))
    w("")
    w("Machine: %s. **A shared virtual machine with 2 cores, whose speed "
      "changes from one minute to the next with its host's other work: "
      "wall-clock figures are noisy; the instruction counts are exact.**"
      % machine_info())
    w("")
    w("Benchmark sources: `bench/` (one program per implementation around "
      "the shared `bench/harness.c`). Library revision %s. Implementations: %s." % (git_rev(root), ", ".join(
        "%s %s" % (i, versions[i]) for i in all_impls)))
    if missing:
        w("Not built, so not measured: %s." % ", ".join(missing))
    w("")
    w("Every figure is the median over rounds of the ratio to raw "
      "edge-triggered epoll (`epoll-et`) in the same round, with min–max "
      "in brackets, unless marked absolute. Lower is better except for "
      "throughput (echo messages and HTTP requests per second). "
      "Implementations take turns within each round "
      "(A B C … for one configuration, then the next), and the one that "
      "goes first changes from round to round. Chain ping and TCP echo "
      "are also measured paired, in turns a few milliseconds long "
      "(sections 1 and 5): those are the figures precise enough to judge "
      "a 1% target. The HTTP server under `wrk` is paired in turns of a "
      "second (section 8).")
    w("")
    w("Outside sections 1, 5 and 8, each timed run is cut into ten slices, and its figure is that of its "
      "fastest slice (for registration: the fastest of its repetitions): "
      "on this machine other people's processes take cores away at random, "
      "and the fastest slice is the one they disturbed least. The plain "
      "means over whole runs are reported too.")
    w("")
    w(targets(b, cg, all_impls, chain_ns, http_impls))
    keys = [(n, a) for n in chain_ns for a in (1, 100)]
    w("## 1. Chain ping, paired in turns: wall time per event")
    w("")
    w("N socketpairs, A bytes travelling; each readiness event reads and "
      "passes on one byte (libevent's test/bench.c).")
    w("")
    w("Separate runs one after another (section 2) differ by ±15%% here, "
      "since other people's processes take the cores at random, so they "
      "cannot resolve 1%%. In this table each implementation runs at the "
      "same time as `epoll-et`, each process with its own socketpairs and "
      "event loop, both on the same CPU, and the two take turns through "
      "a baton, a byte passed back and forth through two pipes: a process "
      "waits for the baton, times one slice of %d events (about 2 ms; "
      "fewer for an implementation many times slower, so that turns last "
      "about as long), and hands the baton on (`bench_<impl> chain-turns`"
      "). They alternate every few milliseconds instead of every run, so "
      "load that changes more slowly than that hits both alike. Each "
      "slice of the implementation is divided by the mean of the "
      "`epoll-et` slices just before and after it, which cancels a drift "
      "that is linear over the three; the figure is the median of these "
      "per-slice ratios over %d rounds of %d turns each (%.0f s in all), "
      "with min–max of "
      "the per-round medians in brackets. Rounds alternate which process "
      "goes first, then which CPU both run on; set-up and warm-up end "
      "before the first turn and teardown waits for the last. "
      "`epoll-et (itself)` pairs two `epoll-et` processes: how far it "
      "strays from 1.000 is what the method cannot resolve." % (
          cfg["pair_events"], cfg["pair_rounds"], cfg["pair_slices"],
          b.pair_seconds))
    w("")
    w("| | " + " | ".join("N=%d A=%d" % k for k in keys) + " |")
    w("|---" * (len(keys) + 1) + "|")
    w("| epoll-et, ns/event (absolute, median slice) | " + " | ".join(
        "%.0f" % statistics.median(b.pair_floor[k]) for k in keys) + " |")
    for impl in impls:
        w("| %s | " % (impl + " (itself)" if impl == FLOOR else impl) +
          " | ".join(fmt(b.pair_summary(k, impl), 3) for k in keys) + " |")
    w("")
    w("Allocations per event in the paired slices (largest): " + ", ".join(
        "%s %g" % (i, max(b.pair_allocs[i])) for i in impls) + ".")
    w("")
    w("## 2. Chain ping, separate runs: wall time per event")
    w("")
    w("The same chains, each implementation in a run of its own, one after "
      "another. %d events per run (or %d ms, whichever comes first), "
      "after a warm-up. Wall time per event, fastest slice:" % (
          cfg["chain_events"], cfg["chain_ms"]))
    w("")
    w("| | " + " | ".join("N=%d A=%d" % k for k in keys) + " |")
    w("|---" * (len(keys) + 1) + "|")
    w("| epoll-et, ns/event (absolute) | " + " | ".join(
        "%.0f" % b.median("chain", k, FLOOR) for k in keys) + " |")
    for impl in impls:
        w("| %s | " % impl + " | ".join(
            fmt(b.summary("chain", k, impl)) for k in keys) + " |")
    w("")
    w("Mean wall time per event over the whole run:")
    w("")
    w("| | " + " | ".join("N=%d A=%d" % k for k in keys) + " |")
    w("|---" * (len(keys) + 1) + "|")
    w("| epoll-et, ns/event (absolute) | " + " | ".join(
        "%.0f" % b.median("chainmean", k, FLOOR) for k in keys) + " |")
    for impl in impls:
        w("| %s | " % impl + " | ".join(
            fmt(b.summary("chainmean", k, impl)) for k in keys) + " |")
    w("")
    w("CPU time (user + system) per event over the whole run: time the "
      "process spent waiting for a core is left out.")
    w("")
    w("| | " + " | ".join("N=%d A=%d" % k for k in keys) + " |")
    w("|---" * (len(keys) + 1) + "|")
    w("| epoll-et, ns/event (absolute) | " + " | ".join(
        "%.0f" % b.median("chaincpu", k, FLOOR) for k in keys) + " |")
    for impl in impls:
        w("| %s | " % impl + " | ".join(
            fmt(b.summary("chaincpu", k, impl)) for k in keys) + " |")
    w("")
    w("## 3. Instructions per event (callgrind, N=1000)")
    w("")
    w("User-space instructions in the timed loop, per readiness event. "
      "*Loop alone* subtracts the shared work (the callback's read and "
      "write, identical in every implementation).")
    w("")
    w("| | A=1 total | A=1 loop alone | A=1 total vs epoll-et "
      "| A=100 total | A=100 loop alone | A=100 total vs epoll-et |")
    w("|---|---|---|---|---|---|---|")
    for impl in impls:
        row = [impl]
        for a in (1, 100):
            t, l = cg[(impl, a)][:2]
            row += ["%.1f" % t, "%.1f" % l,
                    "%+.1f%%" % (100 * (t / cg[(FLOOR, a)][0] - 1))]
        w("| " + " | ".join(row) + " |")
    w("")
    for impl in ("mio", "mio-poll"):
        if impl not in impls:
            continue
        w("Where %s's own instructions go (self instructions per event, "
          "its functions only; the rest of the difference is in the "
          "caller's loop over `mio_events`, which holds a pointer rather "
          "than a static array):" % impl)
        w("")
        w("| function | A=1 | A=100 |")
        w("|---|---|---|")
        per = {}
        for a in (1, 100):
            _, _, path, calls = cg[(impl, a)]
            for fn, src, v in library_functions(path, calls):
                per.setdefault((fn, src), {})[a] = v
        for (fn, src), v in sorted(per.items(), key=lambda kv: -kv[1].get(
                1, 0)):
            w("| `%s` (%s) | %.1f | %.1f |" % (fn, src, v.get(1, 0),
                                              v.get(100, 0)))
        w("")
    if "mio" in impls:
        w(why_instructions(cg))
        w("")
    w("## 4. Allocations per event")
    w("")
    w("malloc, calloc and realloc calls in the timed chain-ping loop "
      "(the largest figure over every N, A and round).")
    w("")
    w("| | allocations per event |")
    w("|---|---|")
    for impl in impls:
        worst = max(max(b.raw[("allocs", k)][impl]) for k in keys)
        w("| %s | %g |" % (impl, worst))
    w("")
    w("## 5. TCP echo on loopback, paired in turns")
    w("")
    w("One load client (raw epoll, `bench/echo_client.c`) and two servers, "
      "`epoll-et`'s and the implementation's, running at the same time; "
      "64-byte messages, one in flight per connection. " + ECHO_SERVERS +
      " Both servers run on one CPU and the client "
      "on the other; the client holds the connections to both and loads "
      "them in turns (`echo_client pair`): for %d ms it keeps a message "
      "in flight on each of one server's connections, then stops "
      "re-sending, waits for the replies still outstanding (not counted) "
      "and turns to the other server, whose connections were idle all the "
      "while. A turn's throughput is its round trips over the time from "
      "its start to its last counted reply; its round-trip percentiles "
      "are over its round trips. Each turn of the implementation is "
      "divided by the mean of the `epoll-et` turns just before and after "
      "it, as in section 1; the figure is the median of these per-turn "
      "ratios over %d rounds of %d turns (%.1f s of turns after %.2f s of "
      "warm-up turns per run; %.0f s in all), with min–max of the "
      "per-round medians in brackets. Rounds alternate which server goes "
      "first, then which CPU the servers and the client run on. "
      "`epoll-et (itself)` pairs two `epoll-et` servers: how far it "
      "strays from 1.000 is what the method cannot resolve. Throughput "
      "ratio: higher is better; round-trip ratios: lower is better. The "
      "percentiles are shown but do not resolve 1%%: a turn starts every "
      "connection at once, so the messages travel in waves, and a turn's "
      "p99 at 500 connections comes out either about one wave or about "
      "two; the mean round trip follows from the throughput (connections "
      "over throughput), which is what the targets judge." % (
          cfg["echo_pair_ms"], cfg["echo_pair_rounds"],
          cfg["echo_pair_turns"],
          cfg["echo_pair_turns"] * cfg["echo_pair_ms"] / 1e3,
          cfg["echo_pair_warmup"], b.echo_pair_seconds))
    w("")
    w("| | 50 conns msgs/s | p50 | p99 | 500 conns msgs/s | p50 | p99 |")
    w("|---|---|---|---|---|---|---|")
    row = ["epoll-et (absolute, median turn)"]
    for c in (50, 500):
        med = [statistics.median(b.echo_pair_floor[(c, m)])
               for m in ("msgs_per_s", "p50_us", "p99_us")]
        row += ["%.0f/s" % med[0], "%.0f µs" % med[1], "%.0f µs" % med[2]]
    w("| " + " | ".join(row) + " |")
    for impl in all_impls:
        row = [impl + " (itself)" if impl == FLOOR else impl]
        for c in (50, 500):
            row += [fmt(b.echo_pair_summary(c, m, impl), 3)
                    for m in ("msgs_per_s", "p50_us", "p99_us")]
        w("| " + " | ".join(row) + " |")
    if (50, "msgs_per_s", SHORT) in b.echo_pairs:
        row = ["mio, paired with %s instead" % SHORT]
        for c in (50, 500):
            row += [fmt(b.echo_pair_summary(c, m, "mio", SHORT), 3)
                    for m in ("msgs_per_s", "p50_us", "p99_us")]
        w("| " + " | ".join(row) + " |")
    w("")
    w("## 6. TCP echo on loopback, separate runs")
    w("")
    w("The same client against one server at a time, implementations one "
      "after another; %.1f s measured after %.1f s warm-up. Throughput "
      "of the fastest tenth of the time (best), over the whole time "
      "(mean), and round-trip percentiles over the whole time. Throughput "
      "ratio: higher is better." % (
          cfg["echo_seconds"], cfg["echo_warmup"]))
    w("")
    w("| | 50 conns best msgs/s | mean msgs/s | p50 | p99 "
      "| 500 conns best msgs/s | mean msgs/s | p50 | p99 |")
    w("|---|---|---|---|---|---|---|---|---|")
    row = ["epoll-et (absolute)"]
    for c in (50, 500):
        row += ["%.0f/s" % b.median("echo", (c, "msgs_per_s"), FLOOR),
                "%.0f/s" % b.median("echo", (c, "mean_msgs_per_s"), FLOOR),
                "%.0f µs" % b.median("echo", (c, "p50_us"), FLOOR),
                "%.0f µs" % b.median("echo", (c, "p99_us"), FLOOR)]
    w("| " + " | ".join(row) + " |")
    for impl in all_impls:
        row = [impl]
        for c in (50, 500):
            row += [fmt(b.summary("echo", (c, k), impl))
                    for k in ("msgs_per_s", "mean_msgs_per_s", "p50_us",
                              "p99_us")]
        w("| " + " | ".join(row) + " |")
    w("")
    write_syscalls(w, cfg, b, all_impls, http_impls)
    write_http(w, cfg, b, http_impls)
    w("## 9. Registration and poll cost")
    w("")
    w("Registering %d idle descriptors (eventfds), then one non-blocking "
      "loop iteration so that libraries that defer the system call (libev, "
      "libuv) pay for it. Each round runs %d turns, each implementation "
      "once per turn with %d repetitions, one after another; its figure "
      "is its fastest repetition of the round: the machine's slow spells "
      "last seconds, and the turns spread them over every "
      "implementation." % (cfg["reg_n"], cfg["reg_turns"], cfg["reg_reps"]))
    w("")
    w("| | µs per descriptor (median, absolute) | vs epoll-et |")
    w("|---|---|---|")
    for impl in impls:
        w("| %s | %.3f | %s |" % (impl, b.median("reg", cfg["reg_n"], impl),
                                  fmt(b.summary("reg", cfg["reg_n"], impl))))
    w("")
    w("User-space instructions per registration (callgrind, 1,000 "
      "descriptors, exact): " + ", ".join(
          "%s %.0f" % (i, cg[(i, "reg")]) for i in impls) + ".")
    w("")
    w("Poll cost: one wait that reports the one active descriptor among R "
      "registered ones (write a byte, wait, read it), ns per iteration, "
      "fastest slice.")
    w("")
    w("| | " + " | ".join("R=%d" % r for r in regs) + " |")
    w("|---" * (len(regs) + 1) + "|")
    w("| epoll-et, ns (absolute) | " + " | ".join(
        "%.0f" % b.median("pollcost", r, FLOOR) for r in regs) + " |")
    for impl in impls:
        w("| %s | " % impl + " | ".join(
            fmt(b.summary("pollcost", r, impl)) for r in regs) + " |")
    w("")
    w("## Notes")
    w("")
    w("- `epoll-lt` does exactly the system calls `epoll-et` does, so its "
      "spread around 1.00 in the separate-run tables shows this machine's "
      "noise floor. It is not the same work for the kernel, though: after "
      "reporting a level-triggered descriptor, the next wait checks it "
      "again, which the paired table can see; there `epoll-et (itself)` "
      "is the noise floor.")
    w("- The descriptor limit here is %d and cannot be raised, so the "
      "largest chain has N=%d pairs and the largest registered count is %d "
      "instead of 10,000 and 100,000." % (fd_limit(), chain_ns[-1],
                                          regs[-1]))
    w("- libev uses one `ev_io` per descriptor, libevent one persistent "
      "event (its epoll backend), libuv one `uv_poll_t` (its readiness "
      "interface). All do the same read and write calls, in "
      "`bench/harness.c`.")
    w("- The per-round numbers are in `benchmarks.raw.txt` beside this "
      "file. `bench/run.sh --quick` (fewer, shorter rounds) writes its "
      "report into the build directory instead.")
    w("- This library's echo server uses its own TCP API "
      "(`mio_tcp_listener_accept`, `mio_tcp_stream_read`/`_write`); the "
      "other servers use `accept4`, `read` and `write` on the descriptors "
      "their loops report. " + ECHO_SERVERS)
    w("")
    w("![benchmarks](benchmarks.png)")
    with open(os.path.join(out, "benchmarks.md"), "w") as f:
        f.write("\n".join(L) + "\n")
    with open(os.path.join(out, "benchmarks.raw.txt"), "w") as f:
        for key, d in sorted(b.raw.items(), key=str):
            for impl, vals in d.items():
                f.write("%s %s %s %s\n" % (key[0], key[1], impl, vals))
        # Paired: the median of each round's per-slice (per-turn) ratios,
        # None for a round left with none.
        for name, pairs in (("paired", b.pairs),
                            ("echo-paired", b.echo_pairs),
                            ("http-paired", b.http_pairs)):
            for key, d in sorted(pairs.items()):
                for impl, rounds in d.items():
                    f.write("%s %s %s %s\n" % (name, key, impl, [
                        round(statistics.median(r), 4) if r else None
                        for r in rounds]))
        for key, d in sorted(b.syscalls.items()):
            f.write("syscalls %s %s\n" % (key, {
                k: round(v, 4) for k, v in d.items()}))


ECHO_SERVERS = (
    "How the servers read: `epoll-et`'s, like epoll's manual and the "
    "tutorials, reads until `EAGAIN` after each event; `epoll-et-short`'s "
    "stops at a read that returned less than it asked for (a short read "
    "has drained the socket, and later data raises a new edge), unless "
    "the event reported the peer's shutdown; this library's does the "
    "same through its API, on every backend; the level-triggered loops "
    "(`epoll-lt`, libev, libevent, libuv) also stop at a short read, since "
    "they report a descriptor again while data is left.")


def syscall_cells(d):
    return ["%.2f" % d["total"], "%.2f" % d["eagain"], "%.2f" % d["waits"],
            "%.2f" % (d["total"] - d["eagain"] - d["waits"])]


def write_syscalls(w, cfg, b, impls, http_impls):
    w("## 7. System calls per message")
    w("")
    if not b.syscalls:
        w("Not measured: `perf stat` could not count system calls here "
          "(Debian's linux-perf, and tracepoints the user may read).")
        w("")
        return
    w("Each server runs under `perf stat` (tracepoints "
      "`raw_syscalls:sys_enter`, `raw_syscalls:sys_exit` filtered on "
      "`EAGAIN`, and `syscalls:sys_enter_*` of the waiting calls), which "
      "counts only while the client makes exactly %d round trips "
      "(`echo_client count`, after warm-up, one message in flight per "
      "connection); the server on one CPU and the client on the other. "
      "Per echoed message: all system calls, those that returned "
      "`EAGAIN`, the waits (`epoll_wait`, `poll`, ...) and the rest (the "
      "reads and writes that moved data). Every count is exact, but how "
      "many events one wait collects depends on timing, so the waits "
      "(and thus the totals) change a little from run to run. %s" % (
          cfg["syscall_messages"], ECHO_SERVERS))
    w("")
    conns = cfg["syscall_conns"]
    w("| | " + " | ".join(
        "%d conns: all | EAGAIN | waits | data" % c for c in conns) + " |")
    w("|---" * (1 + 4 * len(conns)) + "|")
    for impl in impls:
        row = [impl]
        for c in conns:
            row += syscall_cells(b.syscalls[("echo", c, impl)])
        w("| " + " | ".join(row) + " |")
    w("")
    if not any(k[0] == "http" for k in b.syscalls):
        return
    w("The HTTP servers of section 8, per request: counted over one `wrk` "
      "run of %d s at %d connections (so the connections' accept and "
      "close are in it, about 0.01 per request)." % (
          cfg["http_seconds"], cfg["http_conns"]))
    w("")
    w("| | all | EAGAIN | waits | data |")
    w("|---|---|---|---|---|")
    for impl in http_impls:
        w("| %s | " % impl + " | ".join(
            syscall_cells(b.syscalls[("http", cfg["http_conns"], impl)])) +
          " |")
    w("")


def write_http(w, cfg, b, http_impls):
    w("## 8. HTTP/1.1 keep-alive under wrk, paired in turns")
    w("")
    if not b.http_pairs:
        w("Not measured: `wrk` (Debian's package wrk) is not installed.")
        w("")
        return
    c = cfg["http_conns"]
    w("A real client nobody here wrote: `wrk -t1 -c%d -d%ds --latency` "
      "against a minimal HTTP/1.1 keep-alive server that answers every "
      "request with \"Hello, World!\" (the protocol in `examples/http.h`). "
      "`mio` runs the library's own `examples/http_server.c` (as `mio-poll` "
      "does in section 7, on the poll(2) build); "
      "`epoll-et` and `epoll-et-short` are the same server written by "
      "hand on raw epoll (`bench/http_epoll.c`), reading and writing until "
      "`EAGAIN`, or stopping at a short read or write as the library's "
      "does. Two servers run at once on one CPU and `wrk` on the other, "
      "one wrk run of %d s per turn, alternating between the servers "
      "after a warm-up run on each. Each turn of the implementation is "
      "divided by the mean of the floor's turns just before and after it; "
      "the figure is the median of these ratios over %d rounds of %d "
      "turns (%.0f s in all), min–max of the per-round medians in "
      "brackets. Rounds alternate which server goes first, then the CPUs. "
      "Requests per second: higher is better; p99 latency (wrk's): lower "
      "is better. A turn of a second is far longer than the echo's, so "
      "this resolves less." % (
          c, cfg["http_seconds"], cfg["http_seconds"], cfg["http_rounds"],
          cfg["http_turns"], b.http_seconds_total))
    w("")
    w("| | requests/s | p99 latency |")
    w("|---|---|---|")
    w("| epoll-et (absolute, median turn) | %.0f/s | %.0f µs |" % (
        statistics.median(b.http_floor[(c, "reqs_per_s", FLOOR)]),
        statistics.median(b.http_floor[(c, "p99_us", FLOOR)])))
    for impl in http_impls:
        if impl not in b.http_pairs[(c, "reqs_per_s", FLOOR)]:
            continue
        w("| %s | %s | %s |" % (
            impl + " (itself)" if impl == FLOOR else impl,
            fmt(b.http_pair_summary(c, "reqs_per_s", impl), 3),
            fmt(b.http_pair_summary(c, "p99_us", impl), 3)))
    if (c, "reqs_per_s", SHORT) in b.http_pairs:
        w("| mio, paired with %s instead | %s | %s |" % (
            SHORT, fmt(b.http_pair_summary(c, "reqs_per_s", "mio", SHORT),
                       3),
            fmt(b.http_pair_summary(c, "p99_us", "mio", SHORT), 3)))
    w("")


def why_instructions(cg):
    return WHY_INSTRUCTIONS % (
        100 * (cg[("mio", 1)][0] / cg[(FLOOR, 1)][0] - 1),
        100 * (cg[("mio", 100)][0] / cg[(FLOOR, 100)][0] - 1))


WHY_INSTRUCTIONS = (
    "Why the library stays above raw epoll with one event per wait: "
    "`mio_poll_poll` is defined in `mio.h` and, on this build, calls "
    "`epoll_wait` itself for endless and zero timeouts, so no call into "
    "the library is left (its rows above are header code inlined into the "
    "caller). What remains is what the API's contract asks of every wait "
    "and a hand-written loop skips: checking that the poll and the buffer "
    "are not NULL, telling endless and zero timeouts from the others, "
    "reading the descriptor and the capacity through the opaque handles, "
    "and storing the count in the buffer. With one event per wait (A=1) "
    "that comes to %+.0f%% user-space instructions over the hand-written "
    "loop; with many events per wait (A=100) it is spread over them "
    "(%+.0f%%). Either way it is a few nanoseconds against the "
    "microseconds that the system calls of one event take: section 1 "
    "compares the wall times closely enough to see whether they show.")


def targets(b, cg, impls, chain_ns, http_impls):
    if "mio" not in impls:
        return ""
    L = ["## Targets (this library, default build)", "",
         "| target | measured | met |", "|---|---|---|"]

    def row(name, value, ok):
        L.append("| %s | %s | %s |" % (name, value, "yes" if ok else "**no**"))

    keys = [(n, a) for n in chain_ns for a in (1, 100)]
    worst = max(keys, key=lambda k: b.pair_summary(k, "mio")[0])
    s = b.pair_summary(worst, "mio")
    row("chain ping time ≤ 1.01 × epoll-et at every N and A (paired in "
        "turns, median of per-slice ratios; section 1)",
        "worst %s at N=%d A=%d" % (fmt(s, 3), *worst), s[0] <= 1.01)
    worst = max(b.summary("chain", k, "mio")[0] for k in keys)
    row("(the same, separate runs: fastest slice, median over rounds; "
        "noisier than 1%)", "worst median %.3f" % worst, worst <= 1.01)
    worst = max(b.summary("chainmean", k, "mio")[0] for k in keys)
    row("(the same, separate runs: mean wall time over whole runs)",
        "worst median %.3f" % worst, worst <= 1.01)
    worst = max(b.summary("chaincpu", k, "mio")[0] for k in keys)
    row("(the same, separate runs: CPU time over whole runs)",
        "worst median %.3f" % worst, worst <= 1.01)
    for a in (1, 100):
        t = cg[("mio", a)][0]
        f = cg[(FLOOR, a)][0]
        row("instructions/event within 5%% of epoll-et (A=%d)" % a,
            "%.1f vs %.1f (%+.1f%%)" % (t, f, 100 * (t / f - 1)),
            t <= 1.05 * f)
        peers = [p for p in ("libev", "libevent", "libuv") if p in impls]
        lowest = min(cg[(p, a)][0] for p in peers) if peers else float("inf")
        row("instructions/event below libev, libevent, libuv (A=%d)" % a,
            "%.1f vs lowest peer %.1f" % (t, lowest), t < lowest)
    allocs = max(max(b.raw[("allocs", k)]["mio"]) for k in keys)
    row("0 allocations per event", "%g" % allocs, allocs == 0)
    reg = b.summary("reg", list(k for (n, k) in b.raw if n == "reg")[0], "mio")
    row("registration ≤ 1.10 × epoll_ctl", "median %.3f" % reg[0],
        reg[0] <= 1.10)
    for c in (50, 500):
        d = b.syscalls.get(("echo", c, "mio"))
        if d is not None:
            f = b.syscalls[("echo", c, FLOOR)]["total"]
            row("system calls per echoed message ≤ 2.1, %d connections "
                "(section 7)" % c, "%.2f (epoll-et %.2f)" % (d["total"], f),
                d["total"] <= 2.1)
    for c in (50, 500):
        s = b.echo_pair_summary(c, "msgs_per_s", "mio")
        row("echo throughput ≥ 1.05 × epoll-et, %d connections (paired in "
            "turns, median of per-turn ratios; section 5)" % c,
            fmt(s, 3), s[0] >= 1.05)
        s = b.summary("echo", (c, "msgs_per_s"), "mio")
        row("(the same, separate runs: fastest tenth, median over rounds; "
            "noisier than 1%)", "median %.3f" % s[0], s[0] >= 1.05)
        s = b.summary("echo", (c, "mean_msgs_per_s"), "mio")
        row("(the same, separate runs: mean over the whole time)",
            "median %.3f" % s[0], s[0] >= 1.05)
        if (c, "msgs_per_s", SHORT) in b.echo_pairs:
            s = b.echo_pair_summary(c, "msgs_per_s", "mio", SHORT)
            row("echo throughput ≥ 0.99 × epoll-et-short, %d connections "
                "(paired with it in turns; section 5)" % c, fmt(s, 3),
                s[0] >= 0.99)
    c = b.cfg["http_conns"]
    if "mio" in b.http_pairs.get((c, "reqs_per_s", FLOOR), {}):
        s = b.http_pair_summary(c, "reqs_per_s", "mio")
        row("HTTP requests/s ≥ 1.05 × epoll-et, %d connections (wrk, "
            "paired in turns; section 8)" % c, fmt(s, 3), s[0] >= 1.05)
    L.append("")
    return "\n".join(L) + "\n"


# An empty panel, for a section the tools here could not measure.
NOT_MEASURED = ("set label 9 'not measured here' at graph 0.4, graph 0.5\n"
                "plot [0:1] [0:1] NaN notitle\nunset label 9")


def write_chart(out, work, b, cg, all_impls, chain_ns, regs, http_impls):
    if shutil.which("gnuplot") is None:
        log("gnuplot not found: no chart")
        return
    impls = [i for i in all_impls if i not in SERVER_ONLY]
    keys = [(n, a) for n in chain_ns for a in (1, 100)]
    # The poll(2) build, up to hundreds of times slower, would flatten
    # the differences of a few percent that this panel is about.
    near = [i for i in impls if i != "mio-poll"]
    with open(os.path.join(work, "chain.dat"), "w") as f:
        f.write("config " + " ".join(near) + "\n")
        for k in keys:
            f.write("N=%d,A=%d " % k + " ".join(
                "%.4f" % b.pair_summary(k, i)[0] for i in near) + "\n")
    with open(os.path.join(work, "instr.dat"), "w") as f:
        f.write("impl total loop total100 loop100\n")
        for i in impls:
            f.write("%s %.1f %.1f %.1f %.1f\n" % (i, *cg[(i, 1)][:2],
                                                 *cg[(i, 100)][:2]))
    with open(os.path.join(work, "echo.dat"), "w") as f:
        f.write("impl c50 c500\n")
        for i in all_impls:
            f.write("%s %.4f %.4f\n" % (i, *(
                b.echo_pair_summary(c, "msgs_per_s", i)[0]
                for c in (50, 500))))
    conns = b.cfg["syscall_conns"]
    with open(os.path.join(work, "syscalls.dat"), "w") as f:
        f.write("impl " + " ".join("echo,%d" % c for c in conns) +
                " http\n")
        for i in all_impls:
            if ("echo", conns[0], i) not in b.syscalls:
                continue
            d = b.syscalls.get(("http", b.cfg["http_conns"], i))
            f.write("%s " % i + " ".join(
                "%.3f" % b.syscalls[("echo", c, i)]["total"] for c in conns) +
                " %s\n" % ("%.3f" % d["total"] if d else "NaN"))
    c = b.cfg["http_conns"]
    with open(os.path.join(work, "http.dat"), "w") as f:
        f.write("impl reqs p99\n")
        for i in http_impls:
            if i in b.http_pairs.get((c, "reqs_per_s", FLOOR), {}):
                f.write("%s %.4f %.4f\n" % (i, *(
                    b.http_pair_summary(c, m, i)[0]
                    for m in ("reqs_per_s", "p99_us"))))
    with open(os.path.join(work, "poll.dat"), "w") as f:
        f.write("registered " + " ".join(impls) + "\n")
        for r in regs:
            f.write("%d " % r + " ".join(
                "%.1f" % b.median("pollcost", r, i) for i in impls) + "\n")
    script = """
set terminal pngcairo size 1400,1400 font ",10"
set output '%(png)s'
set datafile separator whitespace
set datafile missing 'NaN'
set key autotitle columnhead
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set grid ytics
set multiplot layout 3,2 title 'mio for C vs raw epoll and peers (shared 2-core VM)'
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5
set title 'Chain ping wall time / epoll-et, paired in turns (median; lower is better; mio-poll off scale)'
set yrange [0.8:*]
set offsets 0, 0, graph 0.2, 0
set key top left font ",8" maxrows 2
set xtics font ",8"
plot for [i=2:%(near)d] '%(work)s/chain.dat' using i:xtic(1)
set yrange [0:*]
set offsets 0, 0, 0, 0
set title 'Instructions per event, N=1000 (callgrind; lower is better)'
unset arrow 1
set key top left
plot '%(work)s/instr.dat' using 2:xtic(1) title 'A=1 total', \\
     '' using 3 title 'A=1 loop alone', \\
     '' using 4 title 'A=100 total', \\
     '' using 5 title 'A=100 loop alone'
set title 'TCP echo throughput / epoll-et, paired in turns (median; higher is better)'
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5
set yrange [0.9:*]
set offsets 0, 0, graph 0.2, 0
plot '%(work)s/echo.dat' using 2:xtic(1) title '50 connections', \\
     '' using 3 title '500 connections'
set offsets 0, 0, 0, 0
unset arrow 1
set yrange [0:*]
set title 'System calls per echoed message or HTTP request (perf; lower is better)'
%(syscalls_plot)s
set title 'HTTP under wrk / epoll-et, paired in turns (median)'
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5
set yrange [0.8:*]
set offsets 0, 0, graph 0.2, 0
%(http_plot)s
set offsets 0, 0, 0, 0
set title 'Poll cost vs registered descriptors, 1 active (ns per wait, fastest slice)'
unset arrow 1
set style data linespoints
set logscale xy
set xrange [*:*]
set yrange [*:*]
set xlabel 'registered'
set key top left
plot for [i=2:%(cols)d] '%(work)s/poll.dat' using 1:i
unset multiplot
""" % dict(png=os.path.join(out, "benchmarks.png"), work=work,
           cols=len(impls) + 1, near=len(near) + 1,
           syscalls_plot=(
               "plot for [i=2:%d] '%s/syscalls.dat' using i:xtic(1)" % (
                   len(conns) + 2, work) if b.syscalls else NOT_MEASURED),
           http_plot=(
               "plot '%s/http.dat' using 2:xtic(1) title 'requests/s "
               "(higher is better)', '' using 3 title 'p99 latency (lower "
               "is better)'" % work if b.http_pairs else NOT_MEASURED))
    path = os.path.join(work, "chart.gp")
    with open(path, "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", path], check=True)


if __name__ == "__main__":
    main()
