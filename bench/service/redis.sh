#!/usr/bin/env bash
# Rate-limit store benchmark: the token service with the in-memory store vs the Redis
# store (a local redis-server on loopback), same binary, same limits, same run.
#
#   bash bench/service/redis.sh              # 12 s per target, 32 connections
#   DURATION=5 CONNECTIONS=64 bash bench/service/redis.sh
#
# Both targets check the per-IP and the per-caller bucket on every request (limits set
# far above the load, so every request is served and each costs two bucket checks:
# two EVALSHA round trips with Redis). Same wrk script as run.sh (post-token.lua).
# Needs: cargo, wrk, curl, redis-server (apt-get install wrk redis-server).
# Prints tokens/s, p50/p99 and server CPU per target, the ratios, and the cost of the
# Redis round trips per request (wall time at this concurrency and server CPU time).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DURATION="${DURATION:-12}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
SERVICE_PORT="${SERVICE_PORT:-8092}"
REDIS_PORT="${REDIS_PORT:-8093}"
export ZEGO_SERVER_SECRET="fa94dd0f974cf2e293728a526b028271"   # the public demo secret
export BENCH_API_KEY="bench-key"

for tool in wrk cargo curl redis-server; do
  command -v "$tool" >/dev/null || { echo "redis.sh: $tool is required (apt-get install wrk redis-server)" >&2; exit 2; }
done

echo "building the service (release)..." >&2
(cd "$root" && cargo build --release --quiet -p zego-token-cli)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
bin="$target_dir/release/zego-token"
work=$(mktemp -d)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >/dev/null &
pids+=($!); redis_pid=$!

wait_port() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/healthz" && return 0
    sleep 0.1
  done
  echo "redis.sh: nothing answers on port $1" >&2; exit 2
}

cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"; }

config() { # store
  sed -e "s/^listen = .*/listen = \"127.0.0.1:$SERVICE_PORT\"/" \
      -e '/^per_caller_per_second/d' -e '/^per_ip_per_second/d' "$here/bench.toml" \
    | awk -v store="$1" -v url="redis://127.0.0.1:$REDIS_PORT/0" '
        { print }
        /^\[rate_limit\]/ {
          print "per_caller_per_second = 1000000000.0"
          print "per_caller_burst = 1000000000"
          print "per_ip_per_second = 1000000000.0"
          print "per_ip_burst = 1000000000"
          print "store = \"" store "\""
          if (store == "redis") print "redis_url = \"" url "\""
        }'
}

measure() { # store
  local store=$1
  config "$store" >"$work/$store.toml"
  "$bin" serve --config "$work/$store.toml" &
  pids+=($!); local pid=$!
  wait_port "$SERVICE_PORT"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$SERVICE_PORT/v1/token" \
    -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' -d '{"user_id":"u"}')
  [ "$code" = 200 ] || { echo "redis.sh: the $store service answered $code" >&2; exit 2; }
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$here/post-token.lua" "http://127.0.0.1:$SERVICE_PORT/v1/token" >/dev/null
  local c0 c1 r0 r1 line
  c0=$(cpu "$pid"); r0=$(cpu "$redis_pid")
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$here/post-token.lua" \
    "http://127.0.0.1:$SERVICE_PORT/v1/token" | grep '^RESULT')
  c1=$(cpu "$pid"); r1=$(cpu "$redis_pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%s %s cpu_s=%.2f redis_cpu_s=%.2f\n' "$store" "$line" \
    "$(awk -v a="$c1" -v b="$c0" 'BEGIN{print a-b}')" "$(awk -v a="$r1" -v b="$r0" 'BEGIN{print a-b}')"
}

memory=$(measure memory)
redis=$(measure redis)
keys=$(command -v redis-cli >/dev/null && redis-cli -p "$REDIS_PORT" DBSIZE || true)

field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
echo
echo "machine: $(nproc) cores; wrk, the service and redis-server on the same machine: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
printf '%-7s %10s %8s %8s %11s %10s %8s\n' store tokens/s p50_ms p99_ms service_cpu redis_cpu errors
for r in "$memory" "$redis"; do
  printf '%-7s %10s %8s %8s %11s %10s %8s\n' "${r%% *}" "$(field "$r" rps)" "$(field "$r" p50_ms)" \
    "$(field "$r" p99_ms)" "$(field "$r" cpu_s)s" "$(field "$r" redis_cpu_s)s" \
    "$(( $(field "$r" socket_errors) + $(field "$r" non2xx) ))"
done
echo "keys left in Redis after the run: ${keys:-?} (one per bucket while in use; far below their limits, buckets are full again within 1 ms and expire)"
awk -v m="$(field "$memory" rps)" -v r="$(field "$redis" rps)" \
    -v mp50="$(field "$memory" p50_ms)" -v rp50="$(field "$redis" p50_ms)" \
    -v mp99="$(field "$memory" p99_ms)" -v rp99="$(field "$redis" p99_ms)" \
    -v mc="$(field "$memory" cpu_s)" -v rc="$(field "$redis" cpu_s)" -v rr="$(field "$redis" redis_cpu_s)" \
    -v mreq="$(field "$memory" requests)" -v rreq="$(field "$redis" requests)" 'BEGIN {
  printf "ratio redis/memory: %.2fx tokens/s, %.2fx p50, %.2fx p99\n", r / m, rp50 / mp50, rp99 / mp99
  printf "cost per request of the two Redis round trips: %+.1f us wall time per request at this concurrency (1/tps), %+.3f ms p50\n", (1e6 / r - 1e6 / m), rp50 - mp50
  printf "CPU per request: service %.1f us (memory) vs %.1f us (redis), redis-server %.1f us\n", 1e6 * mc / mreq, 1e6 * rc / rreq, 1e6 * rr / rreq
}'
