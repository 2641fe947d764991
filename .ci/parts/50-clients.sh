#!/usr/bin/env bash
# Client examples (docs/clients.md): the Go, Java, Node, Python and PHP backends and the
# browser module, each against a real `zego-token serve`; the browser test drives ZEGO's
# real web SDKs from npm in Debian's headless Chromium. Run from the repository root:
#
#   bash .ci/parts/50-clients.sh
#
# Installs what is missing (Debian packages, npm packages from clients/web's lockfile,
# ruff from PyPI into a throwaway venv), reuses target/debug/zego-token.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
# shellcheck source=.ci/lib.sh
. .ci/lib.sh

step "clients: toolchains"
need=(chromium fonts-dejavu-core python3-venv)
command -v go >/dev/null || need+=(golang-go)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v php >/dev/null || need+=(php-cli)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
apt_need "${need[@]}"
node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error("clients: node 20 or later is needed, found " + process.version); process.exit(1) }'
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if [ "${java_major:-0}" -lt 17 ]; then
  echo "clients: JDK 17 or later is needed, found ${java_major:-none}" >&2
  exit 1
fi
printf 'go: %s\njava: %s\nnode: %s\nphp: %s\npython: %s\nchromium: %s\n' \
  "$(go version)" "$java_major" "$(node --version)" "$(php -r 'echo PHP_VERSION;')" \
  "$(python3 --version)" "$(chromium --version 2>/dev/null | head -n 1)"

step "clients: the service binary (reused when built)"
cargo build -p zego-token-cli --locked
export ZT_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/zego-token"
export CHROMIUM="$(command -v chromium)"

step "clients: linters (gofmt, go vet, javac -Xlint, php -l, ruff, node --check, tsc)"
(
  cd clients/go
  unformatted="$(gofmt -l .)"
  if [ -n "$unformatted" ]; then
    echo "gofmt: $unformatted" >&2
    exit 1
  fi
  go vet ./...
)
javac_out="$(mktemp -d)"
javac -Xlint:all -Werror -d "$javac_out" clients/java/TokenClient.java
rm -rf "$javac_out"
php -l clients/php/token_client.php
venv="$(mktemp -d)/venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check ruff==0.17.6
"$venv/bin/ruff" check clients/python
"$venv/bin/ruff" format --check clients/python
rm -rf "$(dirname "$venv")"
for f in clients/node/token-client.mjs clients/service.mjs clients/examples.test.mjs \
  clients/web/zego-token-client.mjs clients/web/uikit-example.mjs clients/web/test/browser.test.mjs \
  clients/web/test/module.test.mjs; do
  node --check "$f"
done
(
  cd clients/web
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  npx --no-install tsc -p tsconfig.json
)

step "clients: the backend examples against a real zego-token serve"
timeout 300 node --test --test-reporter=spec clients/examples.test.mjs

step "clients: docs/clients.md's commands against zego-token serve --dev"
dev_log="$(mktemp)"
dev_key="ztk_docs_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
env -u ZEGO_APP_ID -u ZEGO_SERVER_SECRET -u ZEGO_SERVER_SECRET_FILE -u ZEGO_TOKEN_CONFIG \
  ZEGO_TOKEN_API_KEY="$dev_key" "$ZT_BIN" serve --dev --listen 127.0.0.1:0 >"$dev_log" 2>&1 &
dev_pid=$!
stop_dev() {
  kill "$dev_pid" 2>/dev/null || true
  wait "$dev_pid" 2>/dev/null || true
  rm -f "$dev_log"
}
trap stop_dev EXIT
dev_url=""
for _ in $(seq 1 100); do
  dev_url="$(sed -n 's/^ *listening *\(http:\/\/127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' "$dev_log" | head -n 1)"
  [ -n "$dev_url" ] && break
  sleep 0.1
done
if [ -z "$dev_url" ]; then
  echo "clients: serve --dev printed no listening line:" >&2
  cat "$dev_log" >&2
  exit 1
fi
export TOKEN_SERVICE_URL="$dev_url" TOKEN_SERVICE_API_KEY="$dev_key"
check_answer() { # the command's output must be an answer for alice
  node -e 'const a = JSON.parse(require("fs").readFileSync(0, "utf8")); if (a.user_id !== "alice" || !a.token.startsWith("04")) process.exit(1)'
}
(cd clients/go && go run . alice room-1) | check_answer
java clients/java/TokenClient.java alice room-1 | check_answer
node clients/node/token-client.mjs alice room-1 | check_answer
python3 clients/python/token_client.py alice room-1 | check_answer
php clients/php/token_client.php alice room-1 | check_answer
echo "all five examples answered"
stop_dev
trap - EXIT

step "clients: the browser module's error handling (Node, real service)"
timeout 120 node --test --test-reporter=spec clients/web/test/module.test.mjs

step "clients: browser module, Express, ZIM and UIKit in headless Chromium (45-s token)"
timeout 400 node --test --test-reporter=spec clients/web/test/browser.test.mjs
