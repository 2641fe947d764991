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

step "go: benchmark (one core; ratios to the official algorithm in plain Go)"
(
  cd bindings/go
  go test -run XXX -bench . -cpu 1 -benchtime 1s ./token04/ | tee /tmp/zego-go-bench.txt
  awk '/^Benchmark/ { ns[$1] = $3 }
       END {
         printf "ratio vs plain Go (official algorithm): drop-in %.1fx, reused ServerSecret %.1fx\n",
           ns["BenchmarkPlainGo"] / ns["BenchmarkDropIn"], ns["BenchmarkPlainGo"] / ns["BenchmarkServerSecret"]
         printf "ratio vs plain Go without per-call math/rand seeding: drop-in %.1fx, reused ServerSecret %.1fx\n",
           ns["BenchmarkPlainGoTuned"] / ns["BenchmarkDropIn"], ns["BenchmarkPlainGoTuned"] / ns["BenchmarkServerSecret"]
       }' /tmp/zego-go-bench.txt
)
