#!/usr/bin/env bash
# C++: the header-only wrapper (bindings/cpp) over the C library that 20-ffi.sh built:
# CTest (vectors, the official sample, errors, threads), the same under ASan, the README
# example in a fresh CMake project, and a short benchmark with its ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh
root="$PWD"

apt_need g++ cmake make libssl-dev
if [ ! -f target/release/libzego_token_ffi.a ]; then
  # Run alone (not after 20-ffi.sh): build the library the same way.
  cargo build --release -p zego-token-ffi --locked
fi

step "cpp: build and CTest"
cmake -S bindings/cpp -B target/cpp-ci -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build target/cpp-ci -j2
ctest --test-dir target/cpp-ci --output-on-failure
./target/cpp-ci/test_cpp crates/zego-token/tests/vectors/token04.json | tail -n 1

step "cpp: the test again under AddressSanitizer + UBSan (leaks on)"
g++ -std=c++17 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
  -Wall -Wextra -Werror -I bindings/cpp -I crates/zego-token-ffi/include bindings/cpp/tests/test_cpp.cpp \
  target/release/libzego_token_ffi.a -lpthread -ldl -lm -o target/cpp-ci/test_cpp_asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 ./target/cpp-ci/test_cpp_asan \
  crates/zego-token/tests/vectors/token04.json | tail -n 1

step "cpp: the README example, in a fresh CMake project"
project="$(mktemp -d)"
sed -n '/^```cpp$/,/^```$/p' bindings/cpp/README.md | sed '1d;$d' >"$project/main.cpp"
cat >"$project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(example CXX C)
add_subdirectory("$root/bindings/cpp" zego)
add_executable(example main.cpp)
target_link_libraries(example PRIVATE zego::server_assistant)
CMAKE
cmake -S "$project" -B "$project/build" -DZEGO_TOKEN_ROOT="$root" >/dev/null
cmake --build "$project/build" >/dev/null
"$project/build/example" | tee "$project/out.txt"
grep -qE '^04[A-Za-z0-9+/=]+$' "$project/out.txt"
grep -q 'user1 can publish: 1' "$project/out.txt"
rm -rf "$project"

step "cpp: benchmark (1 s per measurement, one thread)"
./target/cpp-ci/bench_cpp 1
