#!/usr/bin/env bash
# The release tarball: built by dist/build.sh, then unpacked and checked like a user
# would: the checksum, the binary's --version, the man page, the completions, the
# example config and the licences.
set -euo pipefail
. .ci/lib.sh
step "dist: cargo package for each publishable crate"
# --no-verify: the packaged sources are the ones the steps before built and tested; a
# verify build would compile the workspace a third time.
cargo package --allow-dirty --no-verify --locked \
  -p zego-token -p zego-token-server -p zego-token-cli -p zego-token-ffi

step "dist: release tarball"
bash dist/build.sh | tee /tmp/zego-token-dist.log
tarball="$(sed -n 's/^dist: //p' /tmp/zego-token-dist.log)"
(cd "$(dirname "$tarball")" && sha256sum -c "$(basename "$tarball").sha256")
check="$(mktemp -d)"
trap 'rm -rf "$check"' EXIT
tar -xzf "$tarball" -C "$check"
root="$(find "$check" -mindepth 1 -maxdepth 1 -type d)"
for f in bin/zego-token share/man/man1/zego-token.1 share/completions/zego-token.bash \
  share/completions/_zego-token share/completions/zego-token.fish config.example.toml \
  README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE; do
  [ -s "$root/$f" ] || { echo "dist: $f missing or empty" >&2; exit 1; }
done
"$root/bin/zego-token" --version | grep -E '^zego-token [0-9.]+ \([0-9a-f]{12}(-dirty)? [0-9]{4}-[0-9]{2}-[0-9]{2}\)$'
grep -q '^\.TH zego-token 1' "$root/share/man/man1/zego-token.1"
bash -n "$root/share/completions/zego-token.bash"
echo "dist: $(basename "$tarball") checked"
