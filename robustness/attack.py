#!/usr/bin/env python3
"""Hostile-traffic run: the token service under connection attacks, loopback only.

Starts `zego-token serve --config FILE` on a loopback port and measures a legitimate
client (one keep-alive connection, POST /v1/token at a steady pace) first alone, then
while an attacker process runs, for DURATION seconds, all of:

  * slow-header flood: connections that send a request line and then ~8 KB header
    lines, up to ~400 KB, never the blank line that ends the head;
  * idle-socket hold: connections that send nothing at all (more of them than
    --max-connections, so the connection cap is exercised);
  * unauthenticated h2c body hold: HTTP/2 connections that open 16 POST streams
    without credentials, each declaring 60000 bytes and sending 16 KB, never ending.

A socket the server closes is reopened at once, so the pressure holds. At the end it
prints the server's peak RSS, the legitimate client's success rate and p99 (loaded and
unloaded) and how long the held sockets survived, and checks the targets:

  legitimate success 100 %, loaded p99 <= 2 x unloaded p99 (--p99-ratio), peak RSS
  < 64 MB (--max-rss-mb), every held socket closed within the header timeout (+ --slack,
  1 s: the time is measured by the attacker, whose own loop lags under load).

Every connection goes to 127.0.0.1; every loop is bounded in time. Exits non-zero if a
target is missed.

Usage: robustness/attack.py [--binary target/release/zego-token] [--duration 30]
       [--slow 400] [--idle 1200] [--h2 40] [--header-timeout-ms 10000]
"""

import argparse
import hashlib
import http.client
import json
import os
import resource
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

DEMO_APP = 1234567890
DEMO_SECRET = "fa94dd0f974cf2e293728a526b028271"
API_KEY = "attack-run-legitimate-key-" + os.urandom(8).hex()
H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 65536)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# ------------------------------------------------------------------------- attacker


def h2_frame(kind, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def hpack_literal(name, value):
    # Literal header field without indexing, new name, no Huffman (RFC 7541 §6.2.2).
    name, value = name.encode(), value.encode()
    assert len(name) < 127 and len(value) < 127
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def h2_streams(first_id, count):
    out = b""
    block = b"".join(
        hpack_literal(n, v)
        for n, v in [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", "/v1/token"),
            (":authority", "127.0.0.1"),
            ("content-type", "application/json"),
            ("content-length", "60000"),
        ]
    )
    for i in range(count):
        sid = first_id + 2 * i
        out += h2_frame(0x1, 0x4, sid, block)  # HEADERS, END_HEADERS, no END_STREAM
        out += h2_frame(0x0, 0x0, sid, b"x" * 16384)  # DATA, no END_STREAM
    return out


class Held:
    __slots__ = ("kind", "sock", "opened", "sent", "pending")

    def __init__(self, kind, sock):
        self.kind = kind
        self.sock = sock
        self.opened = time.monotonic()
        self.sent = 0
        self.pending = b""


def attacker(port, duration, slow, idle, h2):
    """Runs the three attacks for `duration` seconds; prints one JSON line of results."""
    raise_fd_limit()
    sel = selectors.DefaultSelector()
    survived = {"slow": [], "idle": [], "h2": []}
    connect_failures = {"slow": 0, "idle": 0, "h2": 0}
    live = {}
    end = time.monotonic() + duration

    def open_one(kind):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
        except OSError:
            connect_failures[kind] += 1
            s.close()
            return
        s.setblocking(False)
        h = Held(kind, s)
        if kind == "slow":
            h.pending = b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        elif kind == "h2":
            h.pending = H2_PREFACE + h2_frame(0x4, 0, 0, b"") + h2_streams(1, 16)
        live[s.fileno()] = h
        sel.register(s, selectors.EVENT_READ, h)

    def closed(h):
        survived[h.kind].append(time.monotonic() - h.opened)
        try:
            sel.unregister(h.sock)
        except (KeyError, ValueError):
            pass
        live.pop(h.sock.fileno(), None)
        h.sock.close()

    for kind, n in (("idle", idle), ("slow", slow), ("h2", h2)):
        for _ in range(n):
            open_one(kind)
    counts = {"slow": slow, "idle": idle, "h2": h2}
    last_tick = 0.0
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.05):
            h = key.data
            try:
                data = h.sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                closed(h)
        now = time.monotonic()
        if now - last_tick >= 0.25:
            last_tick = now
            for h in list(live.values()):
                if h.kind == "slow" and h.sent < 400_000:
                    h.pending += b"X-Pad-%d: %s\r\n" % (h.sent, b"a" * 8000)
                if h.pending:
                    try:
                        n = h.sock.send(h.pending)
                        h.sent += n
                        h.pending = h.pending[n:]
                    except BlockingIOError:
                        pass
                    except OSError:
                        closed(h)
            # Reopen what the server closed, keeping the pressure.
            have = {"slow": 0, "idle": 0, "h2": 0}
            for h in live.values():
                have[h.kind] += 1
            for kind in have:
                for _ in range(counts[kind] - have[kind]):
                    open_one(kind)
    still_open = {"slow": 0, "idle": 0, "h2": 0}
    for h in list(live.values()):
        still_open[h.kind] += 1
        survived[h.kind].append(time.monotonic() - h.opened)
        h.sock.close()
    # Sockets still open at the end were opened recently (reopened): their age counts.
    print(json.dumps({"survived": survived, "still_open": still_open, "connect_failures": connect_failures}))


# -------------------------------------------------------------------------- measure


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Legit:
    """One keep-alive client asking for tokens at a steady pace."""

    def __init__(self, port, interval):
        self.port = port
        self.interval = interval
        self.lat = []
        self.ok = 0
        self.failed = 0
        self.errors = []
        self.stop = threading.Event()
        self.conn = None
        self.body = json.dumps({"user_id": "legit-user", "room_id": "room-1"})

    def one(self):
        t0 = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.conn.request(
                "POST",
                "/v1/token",
                body=self.body,
                headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"},
            )
            r = self.conn.getresponse()
            data = r.read()
            if r.status == 200 and b'"token":"04' in data:
                self.ok += 1
            else:
                self.failed += 1
                self.errors.append(f"HTTP {r.status}")
            if r.getheader("connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException) as e:
            self.failed += 1
            self.errors.append(repr(e))
            if self.conn is not None:
                self.conn.close()
            self.conn = None
        self.lat.append(time.perf_counter() - t0)

    def run(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self.stop.is_set():
            self.one()
            time.sleep(self.interval)


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * 0.99))] if xs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default="target/release/zego-token")
    ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--baseline", type=float, default=5, help="seconds of unloaded measurement")
    ap.add_argument("--slow", type=int, default=400)
    ap.add_argument("--idle", type=int, default=1200)
    ap.add_argument("--h2", type=int, default=40)
    ap.add_argument("--header-timeout-ms", type=int, default=10000)
    ap.add_argument("--max-connections", type=int, default=1024)
    ap.add_argument("--interval", type=float, default=0.005, help="legitimate client pause between requests")
    ap.add_argument("--max-rss-mb", type=float, default=64)
    ap.add_argument("--p99-ratio", type=float, default=2.0, help="loaded/unloaded p99 bound (0: report only)")
    ap.add_argument("--slack", type=float, default=1.0,
                    help="seconds a held socket may outlive the header timeout (the attacker's own loop lags)")
    ap.add_argument("--attacker-nice", type=int, default=0,
                    help="run the attacker at this nice level (models an attacker whose CPU is not the "
                         "service's; 0: same priority, the harshest setting)")
    ap.add_argument("--attack", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.attack:
        attacker(args.port, args.duration, args.slow, args.idle, args.h2)
        return 0

    fd_limit = raise_fd_limit()
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="zego-attack-")
    cfg = os.path.join(tmp, "config.toml")
    timeout_ms = args.header_timeout_ms
    with open(cfg, "w") as f:
        f.write(
            f"""listen = "127.0.0.1:{port}"
[[apps]]
app_id = {DEMO_APP}
secret_env = "ATTACK_APP_SECRET"
[[api_keys]]
name = "legit"
sha256 = "{hashlib.sha256(API_KEY.encode()).hexdigest()}"
[limits]
header_read_timeout_ms = {timeout_ms}
idle_timeout_ms = {timeout_ms}
max_connections = {args.max_connections}
[rate_limit]
per_caller_per_second = 0.0
per_ip_per_second = 0.0
[log]
level = "error"
"""
        )
    env = dict(os.environ, ATTACK_APP_SECRET=DEMO_SECRET)
    server = subprocess.Popen([args.binary, "serve", "--config", cfg], env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.05)
        idle_rss = rss_kb(server.pid)

        base = Legit(port, args.interval)
        base.run(args.baseline)
        unloaded_p99 = p99(base.lat)
        base_ok = base.ok

        attack = subprocess.Popen(
            [sys.executable, __file__, "--attack", "--port", str(port), "--duration", str(args.duration),
             "--slow", str(args.slow), "--idle", str(args.idle), "--h2", str(args.h2)],
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=(lambda: os.nice(args.attacker_nice)) if args.attacker_nice else None,
        )
        time.sleep(min(2.0, args.duration / 4))  # let the attack build up
        # The same keep-alive connection as before the attack: with more attack sockets
        # than max_connections, a *new* connection may be refused (that is the cap);
        # one already served must not be harmed.
        loaded = Legit(port, args.interval)
        loaded.conn = base.conn
        peak = 0
        sampler_stop = threading.Event()

        def sample():
            nonlocal peak
            while not sampler_stop.is_set():
                peak = max(peak, rss_kb(server.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        loaded.run(max(1.0, args.duration - min(2.0, args.duration / 4) - 0.5))
        out, _ = attack.communicate(timeout=args.duration + 30)
        sampler_stop.set()
        sampler.join()
        peak = max(peak, hwm_kb(server.pid))
        result = json.loads(out.strip().splitlines()[-1])
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    total = loaded.ok + loaded.failed + base_ok + base.failed
    success = 100.0 * (loaded.ok + base_ok) / total if total else 0.0
    loaded_p99 = p99(loaded.lat)
    ratio = loaded_p99 / unloaded_p99 if unloaded_p99 > 0 else float("inf")
    limit_s = timeout_ms / 1000.0 + args.slack
    print(f"open-files limit {fd_limit}; header/idle timeout {timeout_ms} ms; max_connections {args.max_connections}")
    print(f"attack: {args.slow} slow-header, {args.idle} idle, {args.h2} h2c x16 streams, {args.duration:.0f} s (reopened when closed)")
    print(f"server RSS: {idle_rss / 1024:.1f} MB at rest, peak {peak / 1024:.1f} MB")
    print(f"legitimate: {loaded.ok + base_ok}/{total} ok ({success:.2f} %); p99 unloaded {unloaded_p99 * 1000:.2f} ms, "
          f"under attack {loaded_p99 * 1000:.2f} ms (x{ratio:.2f}); {loaded.ok} requests under attack")
    if loaded.errors or base.errors:
        print("  failures:", (base.errors + loaded.errors)[:5])
    worst = 0.0
    for kind, times in result["survived"].items():
        if times:
            times = sorted(times)
            worst = max(worst, times[-1])
            print(f"held {kind:5}: {len(times)} sockets, survived median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s")
    print(f"attacker connects refused/failed: {result['connect_failures']}")

    failed = []
    if success < 100.0:
        failed.append(f"legitimate success {success:.2f} % < 100 %")
    if args.p99_ratio > 0 and ratio > args.p99_ratio:
        failed.append(f"p99 ratio {ratio:.2f} > {args.p99_ratio}")
    if peak / 1024 >= args.max_rss_mb:
        failed.append(f"peak RSS {peak / 1024:.1f} MB >= {args.max_rss_mb} MB")
    if worst > limit_s:
        failed.append(f"a held socket survived {worst:.2f} s > {limit_s:.1f} s")
    if failed:
        print("TARGETS MISSED: " + "; ".join(failed))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
