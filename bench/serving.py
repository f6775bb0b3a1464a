"""The server benchmarks of bench/run.py that need tools from outside:
system calls per echoed message or HTTP request, counted by `perf stat`,
and the HTTP server loaded by `wrk` (Debian packages linux-perf and wrk).
Either tool missing leaves its section out of the report, with a note.
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile

# The system calls that wait for readiness, whichever a loop uses.
WAIT_CALLS = ["epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll",
              "select", "pselect6"]
EAGAIN = 11

# The HTTP servers: bench/http_epoll.c built both ways, and the library's
# examples/http_server.c on each of its builds here.
HTTP_IMPLS = ["epoll-et", "epoll-et-short", "mio", "mio-poll"]


def pinned(cpu):
    return lambda: os.sched_setaffinity(0, {cpu})


def perf_events():
    """The perf events to count, or None when perf cannot count system
    calls here (not installed, or no tracepoints)."""
    if shutil.which("perf") is None:
        return None
    try:
        listed = subprocess.run(["perf", "list", "tracepoint"],
                                capture_output=True, text=True,
                                timeout=60).stdout
        subprocess.run(["perf", "stat", "-x,", "-e",
                        "raw_syscalls:sys_enter", "true"], check=True,
                       capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    events = ["-e", "raw_syscalls:sys_enter", "-e", "raw_syscalls:sys_exit",
              "--filter", "ret == -%d" % EAGAIN]
    for call in WAIT_CALLS:
        name = "syscalls:sys_enter_" + call
        if name in listed:
            events += ["-e", name]
    return events


class Counted:
    """A server started under `perf stat` with its counters off: on() and
    off() bracket the window that counts, finish() ends the server (or
    waits for it to end) and returns the counts: all system calls, those
    that returned EAGAIN, and the waits."""

    def __init__(self, events, args, cpu):
        self.ctl_r, self.ctl_w = os.pipe()
        self.ack_r, self.ack_w = os.pipe()
        fd, self.out = tempfile.mkstemp(prefix="perf-", suffix=".txt")
        os.close(fd)
        # perf's chatter ("Events enabled", the server's "Terminated"),
        # shown only if something fails.
        self.err = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            ["perf", "stat", "-D", "-1", "--control",
             "fd:%d,%d" % (self.ctl_r, self.ack_w), "-x,", "-o", self.out,
             *events, "--", *args],
            stdout=subprocess.PIPE, stderr=self.err, text=True,
            pass_fds=(self.ctl_r, self.ack_w), preexec_fn=pinned(cpu))
        os.close(self.ctl_r)
        os.close(self.ack_w)

    def _control(self, command):
        os.write(self.ctl_w, command + b"\n")
        reply = b""
        while b"ack" not in reply:
            chunk = os.read(self.ack_r, 64)
            if not chunk:
                raise RuntimeError("perf stat gave no ack")
            reply += chunk

    def on(self):
        self._control(b"enable")

    def off(self):
        self._control(b"disable")

    def finish(self, kill):
        """kill: end the server (it serves until killed); else wait."""
        try:
            if kill:
                pid = self.proc.pid
                with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                    for child in f.read().split():
                        os.kill(int(child), signal.SIGTERM)
            if self.proc.wait(timeout=60) != 0 and not kill:
                self.err.seek(0)
                raise RuntimeError("perf stat failed:\n" + self.err.read())
            counts = {"total": 0, "eagain": 0, "waits": 0}
            with open(self.out) as f:
                for line in f:
                    fields = line.strip().split(",")
                    if len(fields) < 3 or not fields[0].isdigit():
                        continue
                    v, event = int(fields[0]), fields[2]
                    if event == "raw_syscalls:sys_enter":
                        counts["total"] += v
                    elif event == "raw_syscalls:sys_exit":
                        counts["eagain"] += v
                    elif event.startswith("syscalls:sys_enter_"):
                        counts["waits"] += v
            return counts
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for fd in (self.ctl_w, self.ack_r):
                os.close(fd)
            os.unlink(self.out)
            self.err.close()


def echo_syscalls(b, events, conns, impl, cpu, client_cpu):
    """System calls of impl's echo server per echoed message, over exactly
    syscall_messages round trips (`echo_client count`)."""
    messages = b.cfg["syscall_messages"]
    server = Counted(events, [b.prog(impl), "echo"], cpu)
    client = None
    try:
        port = server.proc.stdout.readline().split("=", 1)[1].strip()
        client = subprocess.Popen(
            [os.path.join(b.build, "echo_client"), "count", port,
             str(conns), str(messages), "0.1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            preexec_fn=pinned(client_cpu))
        for say, action in (("ready", server.on), ("done", server.off)):
            if client.stdout.readline().strip() != say:
                raise RuntimeError("echo_client count failed")
            action()
            client.stdin.write("go\n")
            client.stdin.flush()
        client.stdout.read()
        if client.wait(timeout=60) != 0:
            raise RuntimeError("echo_client count failed")
    finally:
        if client is not None and client.poll() is None:
            client.kill()
            client.wait()
        counts = server.finish(kill=client is None or client.returncode)
    b.syscalls[("echo", conns, impl)] = {
        k: v / messages for k, v in counts.items()}


def http_prog(b, impl):
    return os.path.join(b.build, "http_" + impl)


def start_http(b, impl, cpu, events=None):
    """impl's HTTP server on a free port: (process or Counted, port)."""
    args = [http_prog(b, impl), "127.0.0.1:0"]
    if events is not None:
        server = Counted(events, args, cpu)
        proc = server.proc
    else:
        server = proc = subprocess.Popen(args, stdout=subprocess.PIPE,
                                         text=True, preexec_fn=pinned(cpu))
    line = proc.stdout.readline()
    m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
    if m is None:
        raise RuntimeError("http_%s did not start" % impl)
    return server, m.group(1)


def to_us(text):
    m = re.match(r"([\d.]+)(us|ms|s)$", text)
    return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)]


def wrk(port, conns, seconds, cpu):
    """One wrk run: requests per second, p99 latency (µs), requests."""
    out = subprocess.run(
        ["wrk", "-t1", "-c%d" % conns, "-d%ds" % seconds, "--latency",
         "http://127.0.0.1:%s/" % port],
        check=True, capture_output=True, text=True, timeout=seconds + 60,
        preexec_fn=pinned(cpu)).stdout
    if re.search(r"Non-2xx|Socket errors", out):
        raise RuntimeError("wrk saw errors:\n" + out)
    return (float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1)),
            to_us(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1)),
            int(re.search(r"(\d+) requests in", out).group(1)))


def http_syscalls(b, events, conns, impl, cpu, client_cpu):
    """System calls of impl's HTTP server per request, over one wrk run
    (the connections' setup and teardown included)."""
    server, port = start_http(b, impl, cpu, events)
    try:
        server.on()
        _, _, requests = wrk(port, conns, b.cfg["http_seconds"], client_cpu)
        server.off()
    finally:
        counts = server.finish(kill=True)
    b.syscalls[("http", conns, impl)] = {
        k: v / requests for k, v in counts.items()}


def http_paired(b, conns, impl, floor, floor_first, cpu, client_cpu,
                paired_ratios):
    """One paired HTTP run: floor's server and impl's on one CPU, wrk on
    the other loading them in turns (one wrk run of http_seconds each),
    after a warm-up run on each."""
    cfg = b.cfg
    order = [floor, impl] if floor_first else [impl, floor]
    servers, ports = [], []
    try:
        for i in order:
            server, port = start_http(b, i, cpu)
            servers.append(server)
            ports.append(port)
        for port in ports:
            wrk(port, conns, 1, client_cpu)
        turns = [wrk(ports[t % 2], conns, cfg["http_seconds"], client_cpu)
                 for t in range(cfg["http_turns"])]
    finally:
        for s in servers:
            s.terminate()
            s.wait()
    for k, metric in enumerate(("reqs_per_s", "p99_us")):
        values = [t[k] for t in turns]
        first, second = values[0::2], values[1::2]
        lo, hi = (first, second) if floor_first else (second, first)
        key = (conns, metric, floor)
        b.http_pairs.setdefault(key, {}).setdefault(impl, []).append(
            paired_ratios(lo, hi, floor_first))
        b.http_floor.setdefault(key, []).extend(lo)
