#!/usr/bin/env bash
# Browser end-to-end test of the debug console (GET /console), run by .ci/run.
#
# Installs Debian's Chromium if it is missing (needs root, as CI is), installs
# playwright-core from e2e/package-lock.json (no browser download), builds the CLI,
# starts `zego-token serve --dev` on a free loopback port with a key of its own, waits
# for /readyz, runs e2e/console.test.mjs with node's test runner and always stops the
# server (the test starts a second, `serve --config` with several apps, itself).
# Screenshots and the server logs go to artifacts/ at the workspace root.
#
#   bash e2e/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
artifacts="$root/artifacts"
mkdir -p "$artifacts"

# --- Chromium: Debian's package, never a browser download.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "e2e: chromium is missing; install it as root: apt-get install chromium" >&2
    exit 1
  fi
  echo "e2e: installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core
fi
chromium_bin="$(command -v chromium)"

# --- playwright-core, exactly as locked.
if ! command -v node >/dev/null 2>&1; then
  echo "e2e: node (20 or later) is missing" >&2
  exit 1
fi
(
  cd e2e
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
)

# --- The service.
cargo build -p zego-token-cli --locked
bin="${CARGO_TARGET_DIR:-$root/target}/debug/zego-token"

# A key for this run only; the test types it into the page.
api_key="ztk_e2e_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
log="$artifacts/console-server.log"
# Port 0: the kernel picks a free loopback port; the banner tells which.
env -u ZEGO_APP_ID -u ZEGO_SERVER_SECRET -u ZEGO_SERVER_SECRET_FILE -u ZEGO_TOKEN_CONFIG \
  ZEGO_TOKEN_API_KEY="$api_key" \
  "$bin" serve --dev --listen 127.0.0.1:0 >"$log" 2>&1 &
server_pid=$!

stop_server() {
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    # SIGTERM drains; give it a few seconds, then make sure.
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

# Wait (bounded) for the banner's address, then for /readyz.
base=""
for _ in $(seq 1 100); do
  base="$(sed -n 's/^ *listening *\(http:\/\/127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' "$log" | head -n 1)"
  [ -n "$base" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: the server exited:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$base" ]; then
  echo "e2e: no 'listening' line from the server within 10 s:" >&2
  cat "$log" >&2
  exit 1
fi
if ! node -e '
  const url = process.argv[1] + "/readyz";
  const until = Date.now() + 20000;
  (async () => {
    while (Date.now() < until) {
      try {
        const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (r.ok) process.exit(0);
      } catch {}
      await new Promise((ok) => setTimeout(ok, 200));
    }
    process.exit(1);
  })();' "$base"; then
  echo "e2e: $base/readyz did not answer 200 within 20 s:" >&2
  cat "$log" >&2
  exit 1
fi
echo "e2e: service ready at $base"

# --- The test (bounded).
status=0
(
  cd e2e
  ZT_BASE_URL="$base" ZT_API_KEY="$api_key" ZT_BIN="$bin" ZT_ARTIFACTS="$artifacts" \
    CHROMIUM="$chromium_bin" \
    timeout 300 node --test --test-reporter=spec console.test.mjs
) || status=$?
stop_server
trap - EXIT
if [ "$status" != 0 ]; then
  echo "e2e: failed (status $status); server log: $log" >&2
  tail -n 40 "$log" >&2
fi
ls -1 "$artifacts"/console-*.png 2>/dev/null | sed 's/^/e2e: screenshot /' || true
exit "$status"
