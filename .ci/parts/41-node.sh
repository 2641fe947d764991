#!/usr/bin/env bash
# The Node.js package (bindings/node), exactly as its README says a user installs it:
# build the addon once with napi-rs (`npm --prefix bindings/node ci`, `npm --prefix
# bindings/node run build`), then `npm install <repo>/bindings/node` into a fresh npm
# project. There: node --test (the 71 official vectors, the official samples, refusals,
# secrets, worker threads, ESM), the README examples (JavaScript run, TypeScript
# checked with tsc --noEmit), and a short benchmark that prints the ratios to the
# plain node:crypto algorithm.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh

root="$PWD"
pkg="$root/bindings/node"
# The TypeScript of the user's project (the build tools pin their own in package-lock).
TYPESCRIPT=typescript@5.9.3

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step "node: Node.js >= 18 and npm"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_need nodejs npm
fi
node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 18) { console.error(`Node.js ${process.version}: the package needs >= 18`); process.exit(1); }'
echo "node $(node --version), npm $(npm --version)"

step "node: build the addon (npm ci; napi build --release)"
start=$SECONDS
npm --prefix bindings/node ci --no-audit --no-fund
npm --prefix bindings/node run build
test -f "$pkg/zego-token.node"
echo "built in $((SECONDS - start)) s"

step "node: npm install ./bindings/node into a fresh project"
project="$work/project"
mkdir -p "$project"
(
  cd "$project"
  npm init -y >/dev/null
  npm install --no-audit --no-fund "$pkg"
  npm install --no-audit --no-fund --save-dev "$TYPESCRIPT"
  # npm links a local folder: node_modules/zego-token is the package folder itself.
  test "$(readlink -f node_modules/zego-token)" = "$pkg"
  node -e 'console.log("zego-token from", require.resolve("zego-token"))'
)
# The tests run from the project, so `require('zego-token')` is the installed package.
cp -r "$pkg/test" "$project/test"
cp "$pkg/bench.mjs" "$project/bench.mjs"

step "node: node --test (vectors, samples, refusals, secrets, workers, ESM)"
(
  cd "$project"
  ZEGO_TOKEN_VECTORS="$root/crates/zego-token/tests/vectors/token04.json" \
    node --test test/*.test.js test/*.test.mjs
)

step "node: the README examples"
node - "$pkg/README.md" "$project" <<'JS'
// Writes the README's first ```js and ```ts blocks into the project.
const fs = require('node:fs');
const [readme, project] = process.argv.slice(2);
const text = fs.readFileSync(readme, 'utf8');
for (const [lang, file] of [['js', 'readme-example.js'], ['ts', 'readme-example.ts']]) {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text);
  if (!m) throw new Error(`no \`\`\`${lang} block in ${readme}`);
  fs.writeFileSync(`${project}/${file}`, m[1]);
}
JS
(
  cd "$project"
  ZEGO_SERVER_SECRET=fa94dd0f974cf2e293728a526b028271 node readme-example.js
)

step "node: tsc --noEmit (the typings: README example, ESM and CommonJS examples)"
cat >"$project/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "strict": true,
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "target": "es2022",
    "types": [],
    "noEmit": true
  },
  "files": ["readme-example.ts", "test/types/example.ts", "test/types/example.cts"]
}
JSON
(cd "$project" && npx --no-install tsc -p tsconfig.json && echo "tsc: no errors")

step "node: benchmark (short; the same run measures the plain node:crypto algorithm)"
(cd "$project" && node bench.mjs --quick)
