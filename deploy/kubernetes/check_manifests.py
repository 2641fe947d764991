#!/usr/bin/env python3
"""What the rendered Kubernetes manifests promise, beyond their schemas.

    kustomize build deploy/kubernetes/overlays/example | check_manifests.py [--self-test]

Every pod runs non-root (numeric UID), without privilege escalation, with a read-only
root filesystem, all capabilities dropped and the RuntimeDefault seccomp profile; every
container has its startup, readiness (/readyz) and liveness (/healthz) probes and
resource requests and a memory limit; the ports are the image's (Dockerfile ENV); the
ServerSecret comes from a Secret mounted where the config's SECRET_FILE points; the
config comes from a generated (hash-suffixed) ConfigMap; terminationGracePeriodSeconds
is above drain_delay_seconds + shutdown_grace_seconds; the Service, PodDisruptionBudget,
HorizontalPodAutoscaler, NetworkPolicy and ServiceMonitor select these pods and name
ports that exist. --self-test breaks a copy one way at a time and requires a refusal
for each, so the checks cannot pass vacuously. Writes the ServiceMonitors as JSON to
--servicemonitors FILE for their schema check (servicemonitor.mjs).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


class Refused(Exception):
    pass


def need(ok: bool, msg: str) -> None:
    if not ok:
        raise Refused(msg)


def image_ports() -> dict[str, int]:
    text = (ROOT / "Dockerfile").read_text()
    ports = {}
    for key, name in (("ZEGO_TOKEN_LISTEN", "http"), ("ZEGO_TOKEN_METRICS__LISTEN", "metrics")):
        m = re.search(rf"\b{key}=[^\s:]+:(\d+)", text)
        need(m is not None, f"Dockerfile: no ENV {key}")
        ports[name] = int(m.group(1))
    return ports


def selects(selector: dict, labels: dict) -> bool:
    ml = (selector or {}).get("matchLabels") or {}
    return bool(ml) and all(labels.get(k) == v for k, v in ml.items())


def check(docs: list[dict]) -> list[dict]:
    by_kind: dict[str, list[dict]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    deployments = by_kind.get("Deployment", [])
    need(len(deployments) == 1, f"expected one Deployment, found {len(deployments)}")
    dep = deployments[0]
    name = dep["metadata"]["name"]
    tpl = dep["spec"]["template"]
    labels = tpl["metadata"]["labels"]
    need(selects(dep["spec"]["selector"], labels), "Deployment: its selector does not match its pod labels")
    pod = tpl["spec"]
    psc = pod.get("securityContext") or {}
    need(pod.get("automountServiceAccountToken") is False, "pod: automountServiceAccountToken is not false (the service calls no Kubernetes API)")
    configmaps = {c["metadata"]["name"]: c for c in by_kind.get("ConfigMap", [])}
    env: dict[str, str] = {}
    containers = pod.get("initContainers", []) + pod["containers"]
    ports = image_ports()
    for c in containers:
        where = f"container {c['name']}"
        sc = c.get("securityContext") or {}
        non_root = sc.get("runAsNonRoot", psc.get("runAsNonRoot"))
        uid = sc.get("runAsUser", psc.get("runAsUser"))
        need(non_root is True, f"{where}: runAsNonRoot is not true")
        need(isinstance(uid, int) and uid != 0, f"{where}: runAsUser {uid!r} is not a non-zero UID")
        need(sc.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation is not false")
        need(sc.get("privileged") in (None, False), f"{where}: privileged")
        need(sc.get("readOnlyRootFilesystem") is True, f"{where}: readOnlyRootFilesystem is not true")
        need("ALL" in ((sc.get("capabilities") or {}).get("drop") or []), f"{where}: capabilities do not drop ALL")
        need(((sc.get("capabilities") or {}).get("add") or []) == [], f"{where}: capabilities added")
        seccomp = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
        need(seccomp == "RuntimeDefault", f"{where}: seccompProfile is {seccomp!r}, not RuntimeDefault")
        if c in pod.get("initContainers", []):
            continue
        for probe, path in (("startupProbe", None), ("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
            p = c.get(probe)
            need(p is not None, f"{where}: no {probe}")
            if path:
                need((p.get("httpGet") or {}).get("path") == path, f"{where}: {probe} does not GET {path}")
        res = c.get("resources") or {}
        need({"cpu", "memory"} <= set((res.get("requests") or {})), f"{where}: resources.requests needs cpu and memory (the HPA scales on CPU requests)")
        need("memory" in (res.get("limits") or {}), f"{where}: no memory limit")
        cports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
        need(cports == ports, f"{where}: ports {cports} are not the image's {ports} (Dockerfile ENV)")
        for src in c.get("envFrom", []):
            ref = (src.get("configMapRef") or {}).get("name")
            if ref:
                need(ref in configmaps, f"{where}: envFrom names ConfigMap {ref}, which is not rendered")
                need(re.search(r"-[a-z0-9]{10}$", ref) is not None, f"{where}: ConfigMap {ref} has no content-hash suffix: a config change would not roll the Deployment")
                env.update(configmaps[ref].get("data") or {})
        for e in c.get("env", []):
            if "value" in e:
                env[e["name"]] = e["value"]
        need(not any(re.search(r"SECRET(?!_FILE$|_ENV$)", k.removeprefix("ZEGO_TOKEN_")) for k in env),
             f"{where}: a secret in the environment; mount it as a file")
        secret_files = [v for k, v in env.items() if k.endswith("__SECRET_FILE")]
        need(bool(secret_files), f"{where}: no ZEGO_TOKEN_APPS__N__SECRET_FILE in its config")
        secret_vols = {v["name"] for v in pod.get("volumes", []) if "secret" in v}
        mounts = [m for m in c.get("volumeMounts", []) if m["name"] in secret_vols]
        for f in secret_files:
            need(any(f.startswith(m["mountPath"].rstrip("/") + "/") for m in mounts),
                 f"{where}: SECRET_FILE {f} is not in a mounted Secret volume")
        for m in mounts:
            need("subPath" not in m, f"{where}: a Secret mounted with subPath never sees a rotation")
    delay = float(env.get("ZEGO_TOKEN_LIMITS__DRAIN_DELAY_SECONDS", 5))
    grace = float(env.get("ZEGO_TOKEN_LIMITS__SHUTDOWN_GRACE_SECONDS", 10))
    tgp = pod.get("terminationGracePeriodSeconds", 30)
    need(tgp > delay + grace, f"terminationGracePeriodSeconds {tgp} is not above drain_delay_seconds + shutdown_grace_seconds ({delay:g} + {grace:g})")

    services = by_kind.get("Service", [])
    need(any(selects({"matchLabels": s["spec"].get("selector")}, labels) for s in services), "no Service selects the pods")
    port_names = {p.get("name") for c in pod["containers"] for p in c.get("ports", [])}
    for s in services:
        for p in s["spec"]["ports"]:
            tp = p.get("targetPort")
            need(not isinstance(tp, str) or tp in port_names, f"Service {s['metadata']['name']}: targetPort {tp} is no container port")
    pdbs = by_kind.get("PodDisruptionBudget", [])
    need(any(selects(p["spec"].get("selector"), labels) for p in pdbs), "no PodDisruptionBudget selects the pods")
    hpas = by_kind.get("HorizontalPodAutoscaler", [])
    need(any(h["apiVersion"] == "autoscaling/v2" and h["spec"]["scaleTargetRef"]["kind"] == "Deployment"
             and h["spec"]["scaleTargetRef"]["name"] == name for h in hpas), "no autoscaling/v2 HorizontalPodAutoscaler targets the Deployment")
    for h in hpas:
        need(h["spec"].get("minReplicas", 1) >= 2 or not pdbs, "HPA minReplicas < 2: the PodDisruptionBudget would block every node drain")
    need("replicas" not in dep["spec"] or not hpas, "Deployment sets replicas while an HPA owns the count: every apply would reset it")
    nps = by_kind.get("NetworkPolicy", [])
    need(any(selects(n["spec"].get("podSelector"), labels) for n in nps), "no NetworkPolicy selects the pods")
    monitors = by_kind.get("ServiceMonitor", [])
    need(bool(monitors), "no ServiceMonitor")
    for m in monitors:
        svc = [s for s in services if selects(m["spec"].get("selector"), s["metadata"].get("labels") or {})]
        need(bool(svc), f"ServiceMonitor {m['metadata']['name']} selects no Service")
        for ep in m["spec"]["endpoints"]:
            need(any(ep.get("port") == p.get("name") for s in svc for p in s["spec"]["ports"]),
                 f"ServiceMonitor {m['metadata']['name']}: port {ep.get('port')} is no port of the Service")
    return monitors


def breaks(docs: list[dict]):
    """(what, expected refusal, broken copy): check() must refuse each, for that reason."""

    def dep(d):
        return next(x for x in d if x["kind"] == "Deployment")

    def ctr(d):
        return dep(d)["spec"]["template"]["spec"]["containers"][0]

    def mutate(what, expect, f):
        d = copy.deepcopy(docs)
        f(d)
        return what, expect, d

    yield mutate("readOnlyRootFilesystem false", "readOnlyRootFilesystem", lambda d: ctr(d)["securityContext"].update(readOnlyRootFilesystem=False))
    yield mutate("runAsUser 0", "runAsUser", lambda d: (ctr(d)["securityContext"].update(runAsUser=0)))
    yield mutate("runAsNonRoot missing", "runAsNonRoot", lambda d: (ctr(d)["securityContext"].pop("runAsNonRoot"), dep(d)["spec"]["template"]["spec"]["securityContext"].pop("runAsNonRoot")))
    yield mutate("privilege escalation", "allowPrivilegeEscalation", lambda d: ctr(d)["securityContext"].update(allowPrivilegeEscalation=True))
    yield mutate("capabilities kept", "drop ALL", lambda d: ctr(d)["securityContext"].update(capabilities={"drop": ["NET_RAW"]}))
    yield mutate("no seccomp profile", "seccompProfile", lambda d: (ctr(d)["securityContext"].pop("seccompProfile"), dep(d)["spec"]["template"]["spec"]["securityContext"].pop("seccompProfile")))
    yield mutate("no readiness probe", "no readinessProbe", lambda d: ctr(d).pop("readinessProbe"))
    yield mutate("liveness on /readyz", "livenessProbe does not GET /healthz", lambda d: ctr(d)["livenessProbe"]["httpGet"].update(path="/readyz"))
    yield mutate("no startup probe", "no startupProbe", lambda d: ctr(d).pop("startupProbe"))
    yield mutate("no memory limit", "no memory limit", lambda d: ctr(d)["resources"].pop("limits"))
    yield mutate("grace period too short", "terminationGracePeriodSeconds", lambda d: dep(d)["spec"]["template"]["spec"].update(terminationGracePeriodSeconds=15))
    yield mutate("secret not mounted", "not in a mounted Secret volume", lambda d: ctr(d).update(volumeMounts=[m for m in ctr(d)["volumeMounts"] if not m["mountPath"].startswith("/run/secrets")]))
    yield mutate("wrong metrics port", "image's", lambda d: ctr(d)["ports"][1].update(containerPort=9091))
    yield mutate("ServiceMonitor on a missing port", "no port of the Service", lambda d: next(x for x in d if x["kind"] == "ServiceMonitor")["spec"]["endpoints"][0].update(port="prom"))
    yield mutate("PDB selects nothing", "no PodDisruptionBudget", lambda d: next(x for x in d if x["kind"] == "PodDisruptionBudget")["spec"].update(selector={"matchLabels": {"app": "other"}}))
    yield mutate("no NetworkPolicy", "no NetworkPolicy", lambda d: d.remove(next(x for x in d if x["kind"] == "NetworkPolicy")))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--servicemonitors", type=Path)
    a = ap.parse_args()
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    try:
        monitors = check(docs)
    except Refused as e:
        print(f"check_manifests: {e}", file=sys.stderr)
        return 1
    if a.servicemonitors:
        a.servicemonitors.write_text(json.dumps(monitors))
    print(f"check_manifests: {len(docs)} resources keep the contract")
    if a.self_test:
        n = 0
        for what, expect, broken in breaks(docs):
            try:
                check(broken)
            except Refused as e:
                if expect not in str(e):
                    print(f"check_manifests self-test: a copy with {what} was refused for another reason: {e}", file=sys.stderr)
                    return 1
                n += 1
                continue
            print(f"check_manifests self-test: a copy with {what} passed", file=sys.stderr)
            return 1
        print(f"check_manifests self-test: {n} broken variants refused")
    return 0


if __name__ == "__main__":
    sys.exit(main())
