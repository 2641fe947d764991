#!/usr/bin/env bash
# The Kubernetes manifests: rendered by kustomize (base and overlays/example), validated
# strictly by kubeconform against the Kubernetes JSON schemas that the PyPI package
# kubernetes-validate ships (kubeconform's own schema download is not reachable), the
# ServiceMonitor against the Prometheus Operator's CRD schema (npm
# @kubernetes-models/prometheus-operator), and their security and probe contract by
# check_manifests.py. Each validation is shown to refuse a broken copy.
set -euo pipefail
. .ci/lib.sh
tools="${TMPDIR:-/tmp}/zego-token-ci-kubernetes"
kube_versions="1.31.0 1.37.0"   # the oldest and newest the checks hold for
mkdir -p "$tools/bin"

step "kubernetes: tools (kustomize, kubeconform, schemas)"
export GOBIN="$tools/bin" GOFLAGS=-mod=mod
[ -x "$tools/bin/kustomize" ] || go install sigs.k8s.io/kustomize/kustomize/v5@v5.8.1
[ -x "$tools/bin/kubeconform" ] || go install github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
if [ ! -x "$tools/venv/bin/python" ] || ! "$tools/venv/bin/python" -c 'import kubernetes_validate, yaml' 2>/dev/null; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q -r deploy/kubernetes/requirements.txt
fi
py="$tools/venv/bin/python"
src="$("$py" -c 'import kubernetes_validate, os; print(os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema"))')"
schemas="$tools/schemas"
for v in $kube_versions; do
  dir="$schemas/v$v-standalone-strict"
  if [ ! -s "$dir/_definitions.json" ]; then
    # The package's schemas point at "/api/_definitions.json" (its own resolver's
    # root); kubeconform resolves references as URLs: make them file URLs.
    mkdir -p "$dir"
    cp "$src/v$v-local-strict/"*.json "$dir/"
    sed -i "s|\"/api/_definitions.json#|\"file://$dir/_definitions.json#|g" "$dir/"*.json
  fi
done
if [ ! -f "$tools/npm/node_modules/@kubernetes-models/prometheus-operator/package.json" ]; then
  mkdir -p "$tools/npm"
  # Its engines field says Node 22; it runs on the machine's Node 20 (checked by the
  # valid and the refused ServiceMonitor below).
  npm install --loglevel=error --no-audit --no-fund --prefix "$tools/npm" @kubernetes-models/prometheus-operator@6.0.0
fi
kubeconform() {
  local v="$1"; shift
  "$tools/bin/kubeconform" -strict -summary -kubernetes-version "$v" -skip ServiceMonitor \
    -schema-location "$schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for target in base overlays/example; do
  step "kubernetes: $target"
  f="$out/$(echo "$target" | tr / -).yaml"
  "$tools/bin/kustomize" build "deploy/kubernetes/$target" >"$f"
  for v in $kube_versions; do kubeconform "$v" "$f"; done
  "$py" deploy/kubernetes/check_manifests.py --self-test --servicemonitors "$out/sm.json" <"$f"
  node deploy/kubernetes/servicemonitor.mjs "$tools/npm/node_modules" "$out/sm.json"
done

step "kubernetes: the validators refuse broken manifests"
f="$out/overlays-example.yaml"
for broken in 's/readOnlyRootFilesystem: true/readOnlyRootFileSystem: true/' \
              's/containerPort: 8080/containerPort: "8080"/' \
              's/^kind: PodDisruptionBudget/kind: PodDisruptionBudgett/'; do
  sed "$broken" "$f" >"$out/broken.yaml"
  cmp -s "$f" "$out/broken.yaml" && { echo "kubernetes: '$broken' changed nothing" >&2; exit 1; }
  if kubeconform 1.37.0 "$out/broken.yaml" >"$out/broken.log" 2>&1; then
    cat "$out/broken.log" >&2
    echo "kubernetes: kubeconform accepted a manifest broken by '$broken'" >&2
    exit 1
  fi
  echo "kubernetes: refused as expected ($broken): $(grep -m1 -o 'is invalid.*\|failed validation.*' "$out/broken.log" | cut -c1-160)"
done
"$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
d[0]["spec"]["endpoints"][0]["interval"] = 30        # a number, not a duration string
json.dump(d, open(sys.argv[2], "w"))' "$out/sm.json" "$out/sm-broken.json"
node deploy/kubernetes/servicemonitor.mjs "$tools/npm/node_modules" "$out/sm-broken.json" --expect-invalid
