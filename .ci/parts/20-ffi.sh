#!/usr/bin/env bash
# The C ABI library (crates/zego-token-ffi): built ONCE in release for the 3x parts (C++,
# Go, PHP, .NET reuse target/release/libzego_token_ffi.{a,so}); the checked-in header
# must equal cbindgen's output; the plain C test runs under AddressSanitizer (leaks on)
# and under valgrind.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh

step "ffi: build the C library (release, once)"
cargo build --release -p zego-token-ffi --locked
ls -l target/release/libzego_token_ffi.a target/release/libzego_token_ffi.so

step "ffi: the checked-in header equals cbindgen's output"
# cbindgen is a build tool only (MPL-2.0); its output is not covered by its licence.
if ! command -v cbindgen >/dev/null || [ "$(cbindgen --version)" != "cbindgen 0.29.4" ]; then
  cargo install cbindgen --locked --version 0.29.4
fi
generated="$(mktemp)"
cbindgen --quiet --config crates/zego-token-ffi/cbindgen.toml --crate zego-token-ffi --output "$generated"
if ! diff -u crates/zego-token-ffi/include/zego_token.h "$generated"; then
  echo "crates/zego-token-ffi/include/zego_token.h is out of date: regenerate it (see cbindgen.toml)" >&2
  exit 1
fi

step "ffi: Rust tests of the boundary"
cargo test -p zego-token-ffi --locked

step "ffi: the C test, every function, under AddressSanitizer"
apt_need gcc libc6-dev
mkdir -p target/ffi-c
cc -std=c99 -Wall -Wextra -Werror -pedantic -g -fsanitize=address,undefined -fno-omit-frame-pointer \
  -fno-sanitize-recover=undefined \
  -I crates/zego-token-ffi/include crates/zego-token-ffi/tests/c/test_ffi.c \
  target/release/libzego_token_ffi.a -lpthread -ldl -lm -o target/ffi-c/test_ffi
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 ./target/ffi-c/test_ffi crates/zego-token/tests/vectors/token04.json

step "ffi: the C test again, uninstrumented, under valgrind (checks the Rust side's memory too)"
apt_need valgrind
cc -std=c99 -O1 -g -I crates/zego-token-ffi/include crates/zego-token-ffi/tests/c/test_ffi.c \
  target/release/libzego_token_ffi.a -lpthread -ldl -lm -o target/ffi-c/test_ffi_plain
valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
  ./target/ffi-c/test_ffi_plain crates/zego-token/tests/vectors/token04.json

step "ffi: the README example, linked against the shared library"
# The C block of the crate's README, as written there.
sed -n '/^```c$/,/^```$/p' crates/zego-token-ffi/README.md | sed '1d;$d' >target/ffi-c/example.c
grep -q zego_token_generate_token04 target/ffi-c/example.c
cc -I crates/zego-token-ffi/include target/ffi-c/example.c -Ltarget/release -lzego_token_ffi \
  -Wl,-rpath,"$PWD/target/release" -o target/ffi-c/example
./target/ffi-c/example | grep -E '^04[A-Za-z0-9+/=]+$'
