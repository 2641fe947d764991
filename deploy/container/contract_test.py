#!/usr/bin/env python3
"""Runs the release binary exactly as the image does, and checks what an operator relies on.

    contract_test.py --binary target/release/zego-token [--secrets-dir DIR]

ENTRYPOINT, CMD, ENV, USER, WORKDIR and HEALTHCHECK come from the Dockerfile, the
environment, the secret's path and the stop grace period from compose.yaml (through
check_dockerfile.py), so the test fails when they drift. As root, the binary runs in a
private mount namespace laid out like the container: the binary at the ENTRYPOINT's
path, the secret under the real /run/secrets, a read-only root filesystem with a tmpfs
on /tmp, as the image's numeric USER with no capabilities and no new privileges, in
WORKDIR, with no environment but the image's and compose's. Without root (or without
`unshare`), the binary runs as the current user from a read-only working directory with
/run/secrets mapped to --secrets-dir (default: a temporary directory).

The only change to the image's configuration: the listen ports are remapped to free
loopback ports (what `docker run -p` does), and the HEALTHCHECK URL with them.

Checks: it starts and /readyz is 200; the HEALTHCHECK command exits 0; a token minted
with the API key whose hash the environment gives verifies with `zego-token verify`
(and a wrong user is refused); /metrics answers on the metrics port; the process runs
unprivileged; its log is JSON lines without the secret or the key. Then SIGTERM:
/readyz turns 503 `draining` at once, new requests are still served and the HEALTHCHECK
fails during limits.drain_delay_seconds, then connections are refused and the process
exits 0 within compose's stop_grace_period.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
APP_ID = "1234567890"
RESULTS: list[tuple[str, bool]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    RESULTS.append((name, ok))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail and not ok else ''}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: dict | None = None, headers: dict | None = None, timeout: float = 2.0):
    """(status, parsed JSON or text); status None when the connection fails."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except (urllib.error.URLError, ConnectionError, socket.timeout) as e:
        return None, str(e)
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error}."""

    def sub(m: re.Match) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3)
        if name in variables and variables[name] != "":
            return variables[name]
        if op == ":-":
            return arg or ""
        if op == ":?":
            raise SystemExit(f"compose.yaml needs {name}: {arg}")
        return ""

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-?])([^}]*))?\}", sub, value)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", type=Path, required=True, help="the release build of zego-token")
    ap.add_argument("--secrets-dir", type=Path, help="where /run/secrets is, without root (default: a temporary directory)")
    ap.add_argument("--no-namespace", action="store_true", help="never use a mount namespace, even as root")
    ap.add_argument("--root", type=Path, default=HERE.parents[1], help="the repository whose Dockerfile and compose.yaml to follow")
    a = ap.parse_args()

    spec = json.loads(subprocess.run(
        [sys.executable, str(HERE / "check_dockerfile.py"), "spec", "--root", str(a.root)], check=True, capture_output=True, text=True).stdout)
    image, compose = spec["image"], spec["compose"]
    binary = a.binary.resolve()
    entry_bin = image["entrypoint"][0]

    # The caller's credentials, as an operator makes them (compose.yaml's interpolation).
    api_key = secrets.token_hex(24)
    server_secret = secrets.token_hex(16)  # 32 characters, as ZEGO's console gives
    variables = {"ZEGO_APP_ID": APP_ID, "ZEGO_API_KEY_SHA256": hashlib.sha256(api_key.encode()).hexdigest()}

    api_port, metrics_port = free_port(), free_port()
    ports = {8080: api_port, 9090: metrics_port}
    env = dict(image["env"])
    env.update({k: interpolate(v, variables) for k, v in compose["environment"].items()})
    # -p: the container's ports to free loopback ports.
    for key in ("ZEGO_TOKEN_LISTEN", "ZEGO_TOKEN_METRICS__LISTEN"):
        if key in env:
            port = int(env[key].rsplit(":", 1)[1])
            ports[port] = ports.get(port) or free_port()
            env[key] = f"127.0.0.1:{ports[port]}"
    api_port = ports[int(image["env"]["ZEGO_TOKEN_LISTEN"].rsplit(":", 1)[1])]
    metrics_port = ports[int(image["env"]["ZEGO_TOKEN_METRICS__LISTEN"].rsplit(":", 1)[1])]
    base = f"http://127.0.0.1:{api_port}"

    def remap_url(url: str) -> str:
        return re.sub(r"://127\.0\.0\.1:(\d+)/", lambda m: f"://127.0.0.1:{ports.get(int(m.group(1)), int(m.group(1)))}/", url)

    uid, _, gid = image["user"].partition(":")
    gid = gid or uid
    namespace = os.geteuid() == 0 and not a.no_namespace and shutil.which("unshare") and shutil.which("setpriv")
    work = Path(tempfile.mkdtemp(prefix="zego-token-contract-"))
    os.chmod(work, 0o755)
    secret_target = compose["secrets"][0]["target"]  # e.g. /run/secrets/zego_server_secret
    host_secret = work / "secret-for-verify"
    host_secret.write_text(server_secret)
    host_secret.chmod(0o600)

    env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    env["HOME"] = "/nonexistent"
    argv = image["entrypoint"] + image["cmd"]
    healthcheck = [remap_url(x) for x in image["healthcheck"]]
    if namespace:
        stage = work / "stage"
        stage.mkdir()
        shutil.copy2(binary, stage / "zego-token")
        (stage / "secret").write_text(server_secret)
        setpriv = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--no-new-privs",
                   "--inh-caps=-all", "--bounding-set=-all"]
        envargs = [f"{k}={v}" for k, v in env.items()]
        bindir, secret_dir = os.path.dirname(entry_bin), os.path.dirname(secret_target)
        # Private mounts only: the host's filesystems are untouched. Every mount but
        # the kernel's becomes read-only (bind remounts change this namespace's view,
        # not the filesystem), then a fresh tmpfs on /tmp.
        script = f"""
set -eu
mount --make-rprivate /
mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(bindir)}
cp {shlex.quote(str(stage / 'zego-token'))} {shlex.quote(entry_bin)}
chmod 0755 {shlex.quote(entry_bin)}
# A missing /run/secrets is made inside a tmpfs over its parent, never on the host.
[ -d {shlex.quote(secret_dir)} ] || mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(os.path.dirname(secret_dir))}
mkdir -p {shlex.quote(secret_dir)}
mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(secret_dir)}
cp {shlex.quote(str(stage / 'secret'))} {shlex.quote(secret_target)}
chown {uid}:{gid} {shlex.quote(secret_target)}
chmod 0400 {shlex.quote(secret_target)}
rm -rf {shlex.quote(str(stage))}
awk '{{print $2}}' /proc/self/mounts | grep -Ev '^/(proc|sys|dev)(/|$)' | sort -u | while read -r m; do
  mount -o remount,bind,ro "$m" 2>/dev/null || true
done
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
cd {shlex.quote(image['workdir'])}
exec {' '.join(map(shlex.quote, setpriv))} env -i {' '.join(map(shlex.quote, envargs))} {' '.join(map(shlex.quote, argv))}
"""
        cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]
        cwd = "/"
        hc_cmd = [str(binary)] + healthcheck[1:]
        mode = f"root: a private mount namespace, uid {uid}:{gid}, read-only root, tmpfs /tmp, {secret_target}"
    else:
        secrets_dir = a.secrets_dir or (work / "run-secrets")
        secrets_dir.mkdir(parents=True, exist_ok=True)
        secret_file = secrets_dir / os.path.basename(secret_target)
        secret_file.write_text(server_secret)
        for k, v in env.items():
            if v.startswith(os.path.dirname(secret_target) + "/"):
                env[k] = str(secrets_dir / os.path.basename(v))
        (work / "bin").mkdir()
        shutil.copy2(binary, work / "bin" / "zego-token")
        os.chmod(work / "bin" / "zego-token", 0o755)
        cmd = [str(work / "bin" / "zego-token")] + argv[1:]
        if os.geteuid() == 0:
            # Root without a namespace: still the image's user, without privileges.
            os.chown(secret_file, int(uid), int(gid))
            cmd = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--no-new-privs",
                   "--inh-caps=-all", "--bounding-set=-all"] + cmd
        secret_file.chmod(0o400)
        ro = work / "cwd"
        ro.mkdir()
        ro.chmod(0o555)
        cwd = str(ro)
        hc_cmd = [str(binary)] + healthcheck[1:]
        who = f"uid {uid}:{gid}" if os.geteuid() == 0 else f"uid {os.geteuid()} (not root)"
        mode = f"{who}, no namespace, /run/secrets -> {secrets_dir}, read-only cwd"
    print(f"contract: {' '.join(argv)} as {mode}")
    print(f"contract: ports {ports}, drain {compose['drain_delay_seconds']:g} s, grace {compose['shutdown_grace_seconds']:g} s, stop grace period {compose['stop_grace_seconds']:g} s")

    log_path = work / "service.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=cwd, env=env if not namespace else {"PATH": env["PATH"]},
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        return run_checks(proc, base, metrics_port, hc_cmd, binary, host_secret, api_key, server_secret,
                          compose, uid, gid, log_path)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def run_checks(proc, base, metrics_port, hc_cmd, binary, host_secret, api_key, server_secret,
               compose, uid, gid, log_path) -> int:
    deadline = time.monotonic() + 30
    status = None
    while time.monotonic() < deadline and proc.poll() is None:
        status, body = http("GET", f"{base}/readyz", timeout=1)
        if status == 200:
            break
        time.sleep(0.1)
    check("starts with env-only config and /readyz is 200", status == 200,
          f"readyz {status}, exit {proc.poll()}, log:\n{log_path.read_text(errors='replace')[-3000:]}")
    if status != 200:
        return summary()

    r = subprocess.run(hc_cmd, capture_output=True, text=True, timeout=15)
    check("HEALTHCHECK command exits 0 while ready", r.returncode == 0, f"exit {r.returncode}: {r.stderr.strip()}")

    auth = {"Authorization": f"Bearer {api_key}"}
    st, body = http("POST", f"{base}/v1/token", {"user_id": "alice", "room_id": "room-1", "privileges": {"login": True}}, auth)
    token = body.get("token") if isinstance(body, dict) else None
    check("POST /v1/token with the environment's API key mints", st == 200 and bool(token), f"{st} {body}")
    if token:
        v = subprocess.run([str(binary), "verify", token, "--app-id", APP_ID, "--user-id", "alice", "--room", "room-1",
                            "--secret-file", str(host_secret)], capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
        check("zego-token verify accepts it with the mounted secret", v.returncode == 0, v.stdout + v.stderr)
        w = subprocess.run([str(binary), "verify", token, "--app-id", APP_ID, "--user-id", "mallory",
                            "--secret-file", str(host_secret)], capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
        check("zego-token verify refuses it for another user", w.returncode == 1, f"exit {w.returncode}")
    st, _ = http("POST", f"{base}/v1/token", {"user_id": "alice"}, {"Authorization": "Bearer " + "x" * 48})
    check("an unknown API key is refused (401)", st == 401, str(st))
    st, text = http("GET", f"http://127.0.0.1:{metrics_port}/metrics")
    check("/metrics answers on the metrics port", st == 200 and "zego_token_tokens_issued_total" in str(text), str(st))

    status_file = Path(f"/proc/{proc.pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status_file.splitlines() if ":" in line)
    uids = fields["Uid"].split()
    if os.geteuid() == 0:
        check(f"runs as the image's USER {uid}:{gid}", uids[0] == uid and fields["Gid"].split()[0] == gid, fields["Uid"])
        check("no capabilities, no new privileges", int(fields["CapEff"], 16) == 0 and int(fields["CapBnd"], 16) == 0
              and fields.get("NoNewPrivs", "").strip() == "1", f"CapEff {fields['CapEff']} CapBnd {fields['CapBnd']}")
    else:
        check("runs unprivileged", uids[0] != "0" or os.geteuid() == 0, fields["Uid"])

    # SIGTERM: readiness turns 503 at once; the listener keeps serving for the delay.
    delay, stop_grace = compose["drain_delay_seconds"], compose["stop_grace_seconds"]
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    seen_503 = None
    served_during_delay = False
    hc_failed = False
    refused_at = None
    last_answer = None
    while time.monotonic() - t0 < stop_grace and proc.poll() is None:
        st, body = http("GET", f"{base}/readyz", timeout=1)
        now = time.monotonic() - t0
        if st is not None:
            last_answer = now
        if st == 503 and seen_503 is None and isinstance(body, dict) and body.get("status") == "draining":
            seen_503 = now
            ts, tb = http("POST", f"{base}/v1/token", {"user_id": "bob"}, auth)
            served_during_delay = ts == 200 and isinstance(tb, dict) and bool(tb.get("token"))
            r = subprocess.run(hc_cmd, capture_output=True, text=True, timeout=15)
            hc_failed = r.returncode != 0
        if st is None and refused_at is None:
            refused_at = now
            break
        time.sleep(0.1)
    try:
        code = proc.wait(timeout=max(0.1, stop_grace - (time.monotonic() - t0)))
    except subprocess.TimeoutExpired:
        code = None
    exited = time.monotonic() - t0
    check("after SIGTERM /readyz answers 503 draining at once", seen_503 is not None and seen_503 < 1.5,
          f"first 503 at {seen_503}")
    check("during the drain delay new requests are still served", served_during_delay)
    check("during the drain delay the HEALTHCHECK command fails", hc_failed)
    check(f"the listener keeps answering for drain_delay_seconds ({delay:g} s)",
          last_answer is not None and last_answer >= delay * 0.9,
          f"last answer {last_answer} s after SIGTERM, refused from {refused_at} s")
    check(f"exits 0 within stop_grace_period ({stop_grace:g} s)", code == 0 and exited < stop_grace,
          f"exit {code} after {exited:.1f} s")

    out = log_path.read_text(errors="replace")
    lines = [line for line in out.splitlines() if line.strip()]
    bad = [line for line in lines if not line.startswith("{")]
    check("the log is JSON lines (the image's log.format)", bool(lines) and not bad, f"{bad[:3]}")
    check("the log holds neither the ServerSecret nor the API key", server_secret not in out and api_key not in out)
    return summary()


def summary() -> int:
    passed = sum(ok for _, ok in RESULTS)
    failed = len(RESULTS) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
