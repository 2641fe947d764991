#!/usr/bin/env bash
# Load benchmark: the token service against its floor and a Node.js baseline, same
# machine, same run, interleaved rounds. Loopback only, bounded duration.
#
#   bash bench/service/run.sh                          # 3 rounds, 12 s per target
#   ROUNDS=1 DURATION=5 CONNECTIONS=64 bash bench/service/run.sh
#
# Targets, each round in this order:
#   floor  bench/floor: bare hyper 1 + zego_token::generate, no logging/metrics/limits
#   prod   `zego-token serve` with bench-prod.toml: info access log (to a file), rate
#          limits on at a rate the load does not reach
#   warn   `zego-token serve` with bench.toml: log level warn, rate limits off
#   node   node-baseline.js: Node `http` + the official GCM algorithm
#   prod-base, warn-base  with BASELINE_BIN=an older zego-token: prod and warn on it
#   floor+N  with EXTRA_US="N ...": the floor busy-looping N µs more per request
# For each: tokens/s, p50/p99 latency, server CPU per request (utime + stime from
# /proc/PID/stat, before/after the measured run, ÷ requests), errors; then the medians
# over the rounds and the ratios to the floor, against the targets of issue 11.
#
# Needs: cargo, node, wrk (apt-get install wrk), curl.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DURATION="${DURATION:-12}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-3}"
# Worker threads of the Rust servers (default: one per core).
WORKERS="${WORKERS:-}"
# A free loopback port (override with PORT=).
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 8090)}"
export ZEGO_SERVER_SECRET="fa94dd0f974cf2e293728a526b028271"   # the public demo secret
export BENCH_API_KEY="bench-key"

for tool in wrk node cargo curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required (wrk: apt-get install wrk)" >&2; exit 2; }
done

echo "building the service and the floor (release)..." >&2
(cd "$root" && cargo build --release --quiet -p zego-token-cli -p zego-token-bench-floor)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
service="$target_dir/release/zego-token"
floor="$target_dir/release/zego-token-bench-floor"
work="$(mktemp -d)"

pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_port() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return 0
    sleep 0.1
  done
  echo "run.sh: nothing answers on port $PORT" >&2; exit 2
}

# CPU ticks (user + system) the process has used so far.
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

start() { # target: starts it in the background, sets $pid
  case $1 in
    floor) WORKERS="$WORKERS" "$floor" "127.0.0.1:$PORT" >/dev/null 2>&1 & ;;
    floor+*) FLOOR_EXTRA_US="${1#floor+}" WORKERS="$WORKERS" "$floor" "127.0.0.1:$PORT" >/dev/null 2>&1 & ;;
    prod)  "$service" serve --config "$here/bench-prod.toml" --listen "127.0.0.1:$PORT" \
             ${WORKERS:+--workers "$WORKERS"} >"$work/access.log" 2>&1 & ;;
    warn)  "$service" serve --config "$here/bench.toml" --listen "127.0.0.1:$PORT" \
             ${WORKERS:+--workers "$WORKERS"} >/dev/null 2>&1 & ;;
    node)  PORT=$PORT node "$here/node-baseline.js" >/dev/null 2>&1 & ;;
    prod-base) "$BASELINE_BIN" serve --config "$here/bench-prod.toml" --listen "127.0.0.1:$PORT" \
             ${WORKERS:+--workers "$WORKERS"} >"$work/access-base.log" 2>&1 & ;;
    warn-base) "$BASELINE_BIN" serve --config "$here/bench.toml" --listen "127.0.0.1:$PORT" \
             ${WORKERS:+--workers "$WORKERS"} >/dev/null 2>&1 & ;;
  esac
  pid=$!
  wait_port
  # A run of 401s would be meaningless.
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/v1/token" \
    -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' -d '{"user_id":"u"}')
  [ "$code" = 200 ] || { echo "run.sh: $1 answered $code" >&2; exit 2; }
}

# A second SIGTERM ends the drain delay (limits.drain_delay_seconds): the next target
# needs the port.
stop() { kill "$pid"; sleep 0.3; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }

measure() { # target round -> one line of key=value
  local name=$1 round=$2 line t0 t1 reqs
  start "$name"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$here/post-token.lua" "http://127.0.0.1:$PORT/v1/token" >/dev/null
  t0=$(ticks "$pid")
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$here/post-token.lua" \
    "http://127.0.0.1:$PORT/v1/token" | grep '^RESULT')
  t1=$(ticks "$pid")
  stop
  reqs=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")
  local extra=""
  if [ "$name" = prod ]; then
    # Every request of warm-up, check and run has its access line (written before exit).
    extra=" access_lines=$(grep -c ' request$\| request ' "$work/access.log" || true)"
    rm -f "$work/access.log"
  fi
  rm -f "$work/access-base.log"
  echo "target=$name round=$round ${line#RESULT } cpu_us=$(awk -v a="$t1" -v b="$t0" -v hz="$hz" -v r="$reqs" \
    'BEGIN { printf "%.2f", (a - b) / hz * 1e6 / r }')$extra"
}

results="$work/results"
targets=(floor prod warn node)
# BASELINE_BIN=path/to/an/older/zego-token adds its production and warn runs to the same
# rounds (prod-base, warn-base), for a before/after comparison.
if [ -n "${BASELINE_BIN:-}" ]; then targets+=(prod-base warn-base); fi
# EXTRA_US="4 8" adds the floor with that many microseconds of busy CPU per request
# (floor+4, floor+8): what a fixed per-request cost does to tokens/s and CPU here.
for us in ${EXTRA_US:-}; do targets+=("floor+$us"); done
for round in $(seq 1 "$ROUNDS"); do
  for t in "${targets[@]}"; do
    r=$(measure "$t" "$round")
    echo "$r" | tee -a "$results" >&2
  done
done

field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
med() { grep "target=$1 " "$results" | field "" "$2" | median; }

echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s beside the servers; median of $ROUNDS interleaved round(s)"
printf '%-9s %10s %8s %8s %12s %8s %14s %14s\n' target tokens/s p50_ms p99_ms cpu_us/req errors x_floor_tok/s x_floor_cpu
f_rps=$(med floor rps); f_cpu=$(med floor cpu_us)
for t in "${targets[@]}"; do
  rps=$(med "$t" rps); cpu=$(med "$t" cpu_us)
  errs=$(grep "target=$t " "$results" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "socket_errors" || kv[1] == "non2xx") e += kv[2] } } END { print e + 0 }')
  printf '%-9s %10.0f %8s %8s %12s %8s %14.2f %14.2f\n' "$t" "$rps" "$(med "$t" p50_ms)" "$(med "$t" p99_ms)" \
    "$cpu" "$errs" "$(awk -v a="$rps" -v b="$f_rps" 'BEGIN{print a/b}')" "$(awk -v a="$cpu" -v b="$f_cpu" 'BEGIN{print a/b}')"
done
awk -v p="$(med prod rps)" -v w="$(med warn rps)" -v f="$f_rps" -v pc="$(med prod cpu_us)" -v wc="$(med warn cpu_us)" -v fc="$f_cpu" 'BEGIN {
  printf "targets: prod >= 0.85x floor tokens/s: %.2fx %s; warn >= 0.90x: %.2fx %s; CPU/request <= 1.2x floor: prod %.2fx %s, warn %.2fx %s\n",
    p / f, (p / f >= 0.85 ? "met" : "NOT met"), w / f, (w / f >= 0.90 ? "met" : "NOT met"),
    pc / fc, (pc / fc <= 1.2 ? "met" : "NOT met"), wc / fc, (wc / fc <= 1.2 ? "met" : "NOT met") }'
echo "access lines written (prod): $(grep 'target=prod ' "$results" | field "" access_lines | tr '\n' ' ')(each = that round's requests + warm-up + check)"
