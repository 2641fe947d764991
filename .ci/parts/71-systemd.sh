#!/usr/bin/env bash
# The systemd unit: `systemd-analyze verify` (syntax, directives, executables) and the
# offline security assessment, which must stay at "OK" (exposure 2.0 or less).
set -euo pipefail
. .ci/lib.sh
step "systemd: verify deploy/systemd/zego-token.service"
if ! command -v systemd-analyze >/dev/null; then
  apt_need systemd
fi
bin="$PWD/target/debug/zego-token"
[ -x "$bin" ] || cargo build -p zego-token-cli --locked
unit_dir="$(mktemp -d)"
trap 'rm -rf "$unit_dir"' EXIT
# The unit names /usr/local/bin/zego-token; verify checks that the executable exists.
sed "s|/usr/local/bin/zego-token|$bin|g" deploy/systemd/zego-token.service >"$unit_dir/zego-token.service"
systemd-analyze verify --man=no "$unit_dir/zego-token.service"
report="$(systemd-analyze security --offline=yes "$unit_dir/zego-token.service" 2>&1)"
score="$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for zego-token.service: \([0-9.]*\).*/\1/p')"
echo "systemd: exposure level $score"
python3 -c "import sys; sys.exit(0 if float('$score') <= 2.0 else 1)" || {
  printf '%s\n' "$report" >&2
  echo "systemd: exposure above 2.0" >&2
  exit 1
}
