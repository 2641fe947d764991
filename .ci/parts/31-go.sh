#!/usr/bin/env bash
# Go: the module in bindings/go (cgo over target/release/libzego_token_ffi.a, built by
# 20-ffi.sh): go vet, go test (vectors, the official samples, errors, goroutines), the
# README example in a fresh Go module, and a short benchmark with its ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh
root="$PWD"

[ -x /usr/local/go/bin/go ] && PATH="/usr/local/go/bin:$PATH"
if ! command -v go >/dev/null; then
  apt_need golang-go
fi
apt_need gcc libc6-dev
export CGO_ENABLED=1 GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
go version
if [ ! -f target/release/libzego_token_ffi.a ]; then
  # Run alone (not after 20-ffi.sh): the module's go:generate step builds it.
  (cd bindings/go && go generate ./...)
fi

step "go: vet and test"
(
  cd bindings/go
  test -z "$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting" >&2; exit 1; }
  go vet ./...
  go test -count=1 ./...
  # The race detector over the goroutine test of a shared ServerSecret (and the rest).
  go test -race -count=1 ./...
)

step "go: the README example, in a fresh Go module"
project="$(mktemp -d)"
sed -n '/^```go$/,/^```$/p' bindings/go/README.md | sed '1d;$d' >"$project/main.go"
(
  cd "$project"
  go mod init example.com/demo >/dev/null 2>&1
  go mod edit -require example.invalid/zego-token/bindings/go@v0.0.0 \
    -replace "example.invalid/zego-token/bindings/go=$root/bindings/go"
  go run . | tee out.txt
  grep -qx '04 user1 true' out.txt
)
rm -rf "$project"

step "go: benchmark (one core; interleaved rounds, medians; ratios to the official algorithm in plain Go)"
# The machine is shared and noisy: the four benchmarks run interleaved, 5 rounds of
# 300 ms each, and each reports its median round.
(
  cd bindings/go
  go test -c -o /tmp/zego-token04.test ./token04/
  : >/tmp/zego-go-bench.txt
  for round in 1 2 3 4 5; do
    for b in PlainGo PlainGoTuned DropIn ServerSecret; do
      (cd token04 && /tmp/zego-token04.test -test.run XXX -test.bench "^Benchmark$b\$" -test.cpu 1 \
        -test.benchtime 300ms) | grep '^Benchmark' >>/tmp/zego-go-bench.txt
    done
  done
  awk '/^Benchmark/ { n[$1]++; v[$1, n[$1]] = $3 }
       function median(name,   i, j, t, a, k) {
         k = n[name]; for (i = 1; i <= k; i++) a[i] = v[name, i]
         for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
         return a[int((k + 1) / 2)]
       }
       END {
         split("BenchmarkPlainGo BenchmarkPlainGoTuned BenchmarkDropIn BenchmarkServerSecret", names, " ")
         for (i = 1; i <= 4; i++) { m[names[i]] = median(names[i]); printf "%-24s %8.0f ns/token  %9.0f tokens/s (median of %d)\n", names[i], m[names[i]], 1e9 / m[names[i]], n[names[i]] }
         printf "ratio vs plain Go (official algorithm): drop-in %.1fx, reused ServerSecret %.1fx\n",
           m["BenchmarkPlainGo"] / m["BenchmarkDropIn"], m["BenchmarkPlainGo"] / m["BenchmarkServerSecret"]
         printf "ratio vs plain Go without per-call math/rand seeding: drop-in %.1fx, reused ServerSecret %.1fx\n",
           m["BenchmarkPlainGoTuned"] / m["BenchmarkDropIn"], m["BenchmarkPlainGoTuned"] / m["BenchmarkServerSecret"]
       }' /tmp/zego-go-bench.txt
)
