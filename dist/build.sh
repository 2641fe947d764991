#!/usr/bin/env bash
# Builds the release tarball of the `zego-token` command:
#
#   target/dist/zego-token-<version>-<target>.tar.gz        (and .sha256 beside it)
#     zego-token-<version>-<target>/
#       bin/zego-token                      the release binary
#       share/man/man1/zego-token.1         the manual page (zego-token man)
#       share/completions/                  bash, zsh, fish completion scripts
#       config.example.toml                 every service setting, commented
#       README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE
#
#   bash dist/build.sh            # host target
#   TARGET=x86_64-unknown-linux-musl bash dist/build.sh   # with that target installed
#
# The archive is reproducible for a given commit: file times are the commit's, owners
# are 0, entries are sorted.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"
version="$(cargo metadata --no-deps --format-version 1 --locked \
  | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "zego-token-cli"))')"
name="zego-token-${version}-${target}"
out="target/dist"
stage="$out/$name"

if [ -n "${TARGET:-}" ]; then
  cargo build --release --locked -p zego-token-cli --target "$target"
  bin="target/$target/release/zego-token"
else
  # The host build: the same target/release the other release builds share.
  cargo build --release --locked -p zego-token-cli
  bin="target/release/zego-token"
fi

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/share/man/man1" "$stage/share/completions"
install -m 0755 "$bin" "$stage/bin/zego-token"
"$bin" man > "$stage/share/man/man1/zego-token.1"
"$bin" completions bash > "$stage/share/completions/zego-token.bash"
"$bin" completions zsh > "$stage/share/completions/_zego-token"
"$bin" completions fish > "$stage/share/completions/zego-token.fish"
"$bin" serve --print-example-config > "$stage/config.example.toml"
cp README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE "$stage/"

mtime="@$(git log -1 --format=%ct 2>/dev/null || date +%s)"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$mtime" \
  -C "$out" -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "dist: $out/$name.tar.gz"
cat "$out/$name.tar.gz.sha256"
