#!/usr/bin/env bash
# The container image's runtime contract, without a Docker engine: runs the RELEASE
# binary exactly as the Dockerfile's ENTRYPOINT/CMD/ENV/USER/HEALTHCHECK and compose.yaml
# say (contract_test.py reads them through check_dockerfile.py), as root in a private
# mount namespace shaped like the container, otherwise as the current user.
#
#   bash deploy/container/contract-test.sh [--secrets-dir DIR] [--no-namespace]
#
# Needs python3 with the packages of deploy/container/requirements.txt; PYTHON names
# the interpreter (default: python3). Builds target/release/zego-token when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-python3}"
bin="$PWD/target/release/zego-token"
if [ ! -x "$bin" ]; then
  echo "contract-test: building $bin"
  cargo build --release --locked -p zego-token-cli
fi
exec "$python" deploy/container/contract_test.py --binary "$bin" "$@"
