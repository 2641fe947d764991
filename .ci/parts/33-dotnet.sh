#!/usr/bin/env bash
# .NET package (bindings/dotnet) over the C ABI library that 20-ffi.sh builds, compiled
# and run with Mono from Debian (no .NET SDK here; ZegoToken.csproj is for SDK users):
# the library, tests and benchmark compiled with warnings as errors, the assembly and the
# native library copied into a fresh application folder as a user would, the test runner
# (vectors, drop-in and ZEGO's demo, refusals, secrets, threads), the README example, and a
# short benchmark against the official algorithm in plain C#.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh

step "dotnet: Mono and Json.NET (the official demo's JSON library) from Debian"
apt_need mono-devel libnewtonsoft-json-cil-dev
json="$(pkg-config --variable=Libraries newtonsoft-json 2>/dev/null || true)"
[ -f "$json" ] || json=/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll
test -f "$json"

lib="$PWD/target/release/libzego_token_ffi.so"
if [ ! -f "$lib" ]; then
  step "dotnet: build the C ABI library (20-ffi.sh did not run)"
  cargo build --release --locked -p zego-token-ffi
fi

app="$(mktemp -d)"
trap 'rm -rf "$app"' EXIT
mcs=(mcs -langversion:7.2 -warnaserror+ -warn:4 -nologo)

step "dotnet: compile the assembly, tests and benchmark (warnings are errors)"
"${mcs[@]}" -target:library -unsafe -out:"$app/ZegoToken.dll" bindings/dotnet/src/*.cs
"${mcs[@]}" -target:exe -out:"$app/ZegoToken.Tests.exe" -main:ZegoToken.Tests.Program \
  -r:"$app/ZegoToken.dll" -r:"$json" -r:System.Core \
  bindings/dotnet/tests/*.cs bindings/dotnet/samples/DropInSample.cs bindings/dotnet/bench/OfficialToken04.cs
"${mcs[@]}" -target:exe -out:"$app/ZegoToken.Bench.exe" \
  -r:"$app/ZegoToken.dll" -r:"$json" -r:System.Core bindings/dotnet/bench/*.cs

step "dotnet: the application folder: assembly, native library, Json.NET side by side"
cp "$lib" "$json" "$app/"

step "dotnet: tests"
(cd "$app" && ZEGO_TOKEN_REPO="$OLDPWD" env -u LD_LIBRARY_PATH mono ZegoToken.Tests.exe) | tee "$app/tests.log"
tail -n 1 "$app/tests.log" | grep -Eq '^[0-9]+ passed, 0 failed$'

step "dotnet: the README example"
awk '/^```csharp$/ {on = 1; next} on && /^```$/ {exit} on {print}' bindings/dotnet/README.md >"$app/Example.cs"
"${mcs[@]}" -target:exe -out:"$app/Example.exe" -r:"$app/ZegoToken.dll" "$app/Example.cs"
(cd "$app" && env -u LD_LIBRARY_PATH mono Example.exe)

step "dotnet: benchmark (short; the README's figures come from 2 s rounds)"
(cd "$app" && env -u LD_LIBRARY_PATH mono ZegoToken.Bench.exe 0.5 3)
