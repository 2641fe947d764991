#!/usr/bin/env python3
"""Soak test: the token service under load while its config is reloaded, then SIGTERM.

Starts `zego-token serve --config FILE` on a loopback port, keeps a steady load of
POST /v1/token from several threads for DURATION seconds (default 60), and every
RELOAD_EVERY seconds rewrites the config and sends SIGHUP:

  * a new API key is added and must be honoured; the previous rotating key is removed
    and must be refused (401);
  * the policy of a fixed "policy" key flips between allowing and refusing publish,
    and a publish request must follow it (200 / 403);
  * once, an invalid config is written: the reload must be refused and every existing
    key must keep working.

At the end SIGTERM is sent while the load is still running: the process must exit 0
within its grace period. Every request sent before SIGTERM that should have succeeded
must have succeeded. Loopback only, bounded in time. Prints the figures and exits
non-zero on any failure.

Usage: robustness/soak.py [--binary target/release/zego-token] [--duration 60]
"""

import argparse
import atexit
import hashlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

DEMO_APP = 1234567890
DEMO_SECRET = "fa94dd0f974cf2e293728a526b028271"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha(key):
    return hashlib.sha256(key.encode()).hexdigest()


def config_text(port, secret_file, keys, broken=False):
    lines = [
        f'listen = "127.0.0.1:{port}"',
        "",
        "[[apps]]",
        f"app_id = {DEMO_APP}",
        f'secret_file = "{secret_file}"',
    ]
    for name, key, publish in keys:
        lines += [
            "",
            "[[api_keys]]",
            f'name = "{name}"',
            f'sha256 = "{sha(key)}"',
            f"allow_publish = {'true' if publish else 'false'}",
        ]
    lines += [
        "",
        "[rate_limit]",
        "per_caller_per_second = 0.0",
        "per_ip_per_second = 0.0",
        "",
        "[limits]",
        "shutdown_grace_seconds = 10",
        "",
        "[log]",
        'level = "warn"',
    ]
    if broken:
        lines += ["", "[token]", "default_ttl_seconds = -5"]
    return "\n".join(lines) + "\n"


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = None
        self.reconnects = 0

    def post(self, key, body, timeout=5):
        """POSTs a token request on a keep-alive connection.

        A connection the server closed while idle (keep-alive) fails at send time, before
        the request is delivered: that is retried once on a new connection. A failure
        after the request was sent is raised, and counts.
        """
        payload = json.dumps(body)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                self.conn.request("POST", "/v1/token", body=payload, headers=headers)
            except (BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                self.reconnects += 1
                continue
            try:
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, data
            except Exception:
                self.conn.close()
                self.conn = None
                raise
        raise AssertionError("unreachable")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/release/zego-token")
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--reload-every", type=float, default=3.0)
    ap.add_argument("--threads", type=int, default=6)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="zego-soak-")
    secret_file = os.path.join(tmp, "secret")
    with open(secret_file, "w") as f:
        f.write(DEMO_SECRET + "\n")
    os.chmod(secret_file, 0o600)
    cfg = os.path.join(tmp, "config.toml")
    port = free_port()

    steady = "steady-" + secrets.token_hex(16)
    policy_key = "policy-" + secrets.token_hex(16)
    rotating = ["rot0-" + secrets.token_hex(16)]
    policy_publish = True

    def keys_now():
        return [("steady", steady, True), ("policy", policy_key, policy_publish)] + [
            (f"rot{i}", k, False) for i, k in enumerate(rotating[-1:])
        ]

    def write(broken=False):
        text = config_text(port, secret_file, keys_now(), broken)
        # Write then rename, so the server never reads a half-written file.
        part = cfg + ".part"
        with open(part, "w") as f:
            f.write(text)
        os.replace(part, cfg)

    write()
    log = open(os.path.join(tmp, "server.log"), "w")
    proc = subprocess.Popen([args.binary, "serve", "--config", cfg], stdout=log, stderr=log)
    # Never leave the server running, whatever happens to this script.
    atexit.register(lambda: proc.poll() is None and proc.kill())
    # Wait for readiness (bounded).
    deadline = time.time() + 20
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                break
        except OSError:
            pass
        if time.time() > deadline or proc.poll() is not None:
            print("server did not become ready", file=sys.stderr)
            print(open(os.path.join(tmp, "server.log")).read(), file=sys.stderr)
            proc.kill()
            return 2
        time.sleep(0.1)

    stop = threading.Event()
    sigterm_at = [None]
    lock = threading.Lock()
    stats = {"ok": 0, "failed": 0, "after_sigterm_errors": 0, "latencies": []}
    failures = []

    def load(n):
        cl = Client(port)
        i = 0
        while not stop.is_set():
            i += 1
            t0 = time.perf_counter()
            sent_at = time.time()
            try:
                status, data = cl.post(steady, {"user_id": f"u{n}-{i % 1000}", "ttl_seconds": 600})
                dt = time.perf_counter() - t0
                with lock:
                    if status == 200:
                        stats["ok"] += 1
                        if len(stats["latencies"]) < 200_000:
                            stats["latencies"].append(dt)
                    elif sigterm_at[0] is not None and sent_at >= sigterm_at[0]:
                        stats["after_sigterm_errors"] += 1
                    else:
                        stats["failed"] += 1
                        failures.append(f"status {status}: {data[:200]!r}")
            except Exception as e:  # connection errors
                with lock:
                    if sigterm_at[0] is not None:
                        stats["after_sigterm_errors"] += 1
                    else:
                        stats["failed"] += 1
                        failures.append(f"error: {e!r}")
                if sigterm_at[0] is not None:
                    return
                time.sleep(0.01)

    threads = [threading.Thread(target=load, args=(n,), daemon=True) for n in range(args.threads)]
    start = time.time()
    for t in threads:
        t.start()

    checker = Client(port)
    reloads = refused_reloads = 0
    reload_latencies = []
    checks = []
    broken_done = False

    def check(key, body, what):
        """The checker's request; a connection error is a failed check, not a crash."""
        try:
            return checker.post(key, body)
        except Exception as e:
            checks.append(f"{what}: {e!r}")
            return None, b""

    def wait_for(key, body, want, what):
        t0 = time.time()
        while time.time() - t0 < 5:
            status, _ = check(key, body, what)
            if status == want:
                return time.time() - t0
            time.sleep(0.02)
        checks.append(f"{what}: still not {want} after 5 s")
        return None

    while time.time() - start < args.duration:
        time.sleep(args.reload_every)
        if not broken_done and time.time() - start > args.duration / 2:
            broken_done = True
            write(broken=True)
            proc.send_signal(signal.SIGHUP)
            time.sleep(0.5)
            for name, key, _ in keys_now():
                status, data = check(key, {"user_id": "check"}, f"key {name} after refused reload")
                if status != 200:
                    checks.append(f"after refused reload, key {name} got {status}: {data[:120]!r}")
            refused_reloads += 1
            write()  # restore the valid config on disk
            continue
        old = rotating[-1]
        rotating.append(f"rot{len(rotating)}-" + secrets.token_hex(16))
        policy_publish = not policy_publish
        write()
        proc.send_signal(signal.SIGHUP)
        reloads += 1
        lat = wait_for(rotating[-1], {"user_id": "check"}, 200, f"new key after reload {reloads}")
        if lat is not None:
            reload_latencies.append(lat)
        wait_for(old, {"user_id": "check"}, 401, f"removed key after reload {reloads}")
        body = {"user_id": "check", "room_id": "room-1", "privileges": {"login": True, "publish": True}}
        wait_for(policy_key, body, 200 if policy_publish else 403, f"policy after reload {reloads}")

    # SIGTERM under load.
    with lock:
        sigterm_at[0] = time.time()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = "did not exit within 20 s"
    stop.set()
    for t in threads:
        t.join(timeout=5)
    elapsed = sigterm_at[0] - start

    lat = sorted(stats["latencies"])
    p99 = lat[int(len(lat) * 0.99)] * 1000 if lat else float("nan")
    print(f"soak: {elapsed:.1f} s under load, {args.threads} client threads")
    print(f"  requests ok           {stats['ok']} ({stats['ok'] / elapsed:.0f}/s), p99 {p99:.2f} ms")
    print(f"  failed (should be 0)  {stats['failed']}")
    print(f"  refused after SIGTERM {stats['after_sigterm_errors']} (not counted: sent after shutdown began)")
    print(f"  reloads               {reloads} applied, {refused_reloads} invalid refused")
    if reload_latencies:
        print(f"  new key honoured      after {max(reload_latencies) * 1000:.0f} ms at worst")
    print(f"  exit status           {code}")
    bad = []
    if stats["failed"]:
        bad.append(f"{stats['failed']} failed requests, e.g. {failures[:3]}")
    if checks:
        bad.append("; ".join(checks[:5]))
    if code != 0:
        bad.append(f"exit status {code}")
    if reloads < 3:
        bad.append("fewer than 3 reloads")
    if bad:
        print("SOAK FAILED: " + " | ".join(bad), file=sys.stderr)
        print("server log: " + os.path.join(tmp, "server.log"), file=sys.stderr)
        return 1
    print("soak: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
