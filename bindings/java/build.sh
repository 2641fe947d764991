#!/usr/bin/env bash
# Builds the Java package without Maven: the native library (cargo), the classes
# (javac --release 8 -Xlint:all -Werror) and target/plain/zego-token-0.1.0.jar with the
# native library inside, next to target/plain/classes (the same classes, without it).
#
#   bindings/java/build.sh [--skip-cargo] [--test]
#
# --skip-cargo  use the library already in $CARGO_TARGET_DIR/release (default: <repo>/target)
# --test        also compile and run the JUnit tests; needs ZEGO_TEST_CLASSPATH, the jars of
#               junit-platform-console-standalone and json-simple 1.1.1 (':'-separated)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
skip_cargo=0
run_tests=0
for arg in "$@"; do
  case "$arg" in
    --skip-cargo) skip_cargo=1 ;;
    --test) run_tests=1 ;;
    *) echo "build.sh: unknown option $arg (expected --skip-cargo or --test)" >&2; exit 2 ;;
  esac
done
target="${CARGO_TARGET_DIR:-$root/target}"
if [ "$skip_cargo" = 0 ]; then
  (cd "$root" && cargo build --release --locked -p zego-token-jni)
fi

case "$(uname -s)" in
  Linux) os=linux; lib=libzego_token_jni.so ;;
  Darwin) os=darwin; lib=libzego_token_jni.dylib ;;
  MINGW*|MSYS*|CYGWIN*) os=windows; lib=zego_token_jni.dll ;;
  *) echo "build.sh: unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch="$(uname -m)" ;;
esac
native="$target/release/$lib"
[ -f "$native" ] || { echo "build.sh: $native not found (build it with cargo or drop --skip-cargo)" >&2; exit 1; }

out="$here/target/plain"
rm -rf "$out"
mkdir -p "$out/classes" "$out/jar"
javac --release 8 -Xlint:all -Werror -encoding UTF-8 -d "$out/classes" \
  $(find "$here/src/main/java" -name '*.java' | sort)
cp -R "$out/classes/." "$out/jar/"
mkdir -p "$out/jar/im/zego/token/native/$os-$arch"
cp "$native" "$out/jar/im/zego/token/native/$os-$arch/"
jar cf "$out/zego-token-0.1.0.jar" -C "$out/jar" .
echo "built $out/zego-token-0.1.0.jar (native library for $os-$arch inside)"

if [ "$run_tests" = 1 ]; then
  : "${ZEGO_TEST_CLASSPATH:?--test needs ZEGO_TEST_CLASSPATH (junit-platform-console-standalone and json-simple jars)}"
  mkdir -p "$out/test-classes"
  javac --release 8 -Xlint:all -Werror -encoding UTF-8 -d "$out/test-classes" \
    -cp "$out/classes:$ZEGO_TEST_CLASSPATH" $(find "$here/src/test/java" -name '*.java' | sort)
  # The classes without the packaged library: this run loads it from java.library.path.
  java -Djava.library.path="$target/release" -Dzego.repo.root="$root" \
    -Dzego.token.expectLoadedFrom=library-path \
    -jar "$(tr ':' '\n' <<<"$ZEGO_TEST_CLASSPATH" | grep console-standalone)" \
    execute --class-path "$out/classes:$out/test-classes:$ZEGO_TEST_CLASSPATH" --scan-class-path \
    --disable-banner --details=summary --fail-if-no-tests
fi
