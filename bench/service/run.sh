#!/usr/bin/env bash
# Load benchmark: the Rust token service vs a minimal Node.js server on the official
# algorithm, same machine, same run. Loopback only, bounded duration.
#
#   bash bench/service/run.sh                # 12 s per target, 32 connections
#   DURATION=5 CONNECTIONS=64 bash bench/service/run.sh
#
# Needs: cargo, node, wrk (apt-get install wrk). Prints tokens/s, p50/p99 latency and
# resident memory (peak VmHWM and current VmRSS after the run) for both, and the ratio.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DURATION="${DURATION:-12}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
# Worker threads of the Rust service (default: one per core).
WORKERS="${WORKERS:-}"
RUST_PORT=8090
NODE_PORT=8091
export ZEGO_SERVER_SECRET="fa94dd0f974cf2e293728a526b028271"   # the public demo secret
export BENCH_API_KEY="bench-key"

for tool in wrk node cargo curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required (wrk: apt-get install wrk)" >&2; exit 2; }
done

echo "building the service (release)..." >&2
(cd "$root" && cargo build --release --quiet -p zego-token-server --example serve)
bin="$root/target/release/examples/serve"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_port() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  echo "run.sh: nothing answers on port $1" >&2; exit 2
}

mem() { awk -v k="$2" '$1==k":" {print $2/1024}' "/proc/$1/status"; }
# CPU seconds (user + system) the process has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"; }

measure() { # name port pid
  local name=$1 port=$2 pid=$3
  # Warm-up, then the measured run.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$here/post-token.lua" "http://127.0.0.1:$port/v1/token" >/dev/null
  local line c0 c1
  c0=$(cpu "$pid")
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$here/post-token.lua" \
    "http://127.0.0.1:$port/v1/token" | grep '^RESULT')
  c1=$(cpu "$pid")
  local hwm rss reqs
  hwm=$(mem "$pid" VmHWM); rss=$(mem "$pid" VmRSS)
  reqs=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")
  printf '%s %s peak_rss_mb=%.1f rss_mb=%.1f cpu_s=%.2f per_cpu_s=%.0f\n' "$name" "$line" "$hwm" "$rss" \
    "$(awk -v a="$c1" -v b="$c0" 'BEGIN{print a-b}')" "$(awk -v r="$reqs" -v a="$c1" -v b="$c0" 'BEGIN{print r/(a-b)}')"
}

"$bin" --config "$here/bench.toml" ${WORKERS:+--workers "$WORKERS"} &
pids+=($!); rust_pid=$!
wait_port "$RUST_PORT"
# Check the key works before measuring (a 401 run would be meaningless).
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$RUST_PORT/v1/token" \
  -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' -d '{"user_id":"u"}')
[ "$code" = 200 ] || { echo "run.sh: the service answered $code" >&2; exit 2; }
rust=$(measure rust "$RUST_PORT" "$rust_pid")
kill "$rust_pid"; wait "$rust_pid" 2>/dev/null || true

PORT=$NODE_PORT node "$here/node-baseline.js" &
pids+=($!); node_pid=$!
wait_port "$NODE_PORT"
node=$(measure node "$NODE_PORT" "$node_pid")
kill "$node_pid"; wait "$node_pid" 2>/dev/null || true

field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
echo
echo "machine: $(nproc) cores; load generator on the same machine: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
printf '%-6s %10s %8s %8s %12s %10s %15s %8s\n' target tokens/s p50_ms p99_ms peak_rss_mb server_cpu tokens/cpu_s errors
for r in "$rust" "$node"; do
  printf '%-6s %10s %8s %8s %12s %10s %15s %8s\n' "${r%% *}" "$(field "$r" rps)" "$(field "$r" p50_ms)" \
    "$(field "$r" p99_ms)" "$(field "$r" peak_rss_mb)" "$(field "$r" cpu_s)s" "$(field "$r" per_cpu_s)" \
    "$(( $(field "$r" socket_errors) + $(field "$r" non2xx) ))"
done
awk -v a="$(field "$rust" rps)" -v b="$(field "$node" rps)" -v c="$(field "$rust" per_cpu_s)" -v d="$(field "$node" per_cpu_s)" \
  'BEGIN { printf "ratio rust/node: %.1fx tokens/s, %.1fx tokens per CPU-second\n", a / b, c / d }'
