#!/usr/bin/env bash
# The Python package (bindings/python): installed into a fresh venv exactly as a user
# would (`pip install ./bindings/python`, maturin through the PEP 517 backend, building
# into the workspace's target/), then pytest, ruff, mypy --strict, the README example
# and a short benchmark that prints the ratios to the plain-Python algorithm.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh

# The tools the checks use, pinned so a new release cannot change the verdict.
TOOLS=(pytest==9.2.0 pycryptodome==4.4.0 ruff==0.17.6 mypy==2.4.1)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step "python: a fresh venv"
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt_need python3-venv
fi
python3 -m venv "$work/venv"
py="$work/venv/bin/python"
pip=("$py" -m pip --disable-pip-version-check --no-input)
"$py" --version

step "python: pip install ./bindings/python (maturin, release build in target/)"
start=$SECONDS
"${pip[@]}" install ./bindings/python
echo "built and installed in $((SECONDS - start)) s"
"${pip[@]}" install --quiet "${TOOLS[@]}"
# The tests must run against the installed wheel, not the source tree.
(cd "$work" && "$py" -c 'import zego_token, sys; assert "site-packages" in zego_token.__file__, zego_token.__file__; print("zego_token from", zego_token.__file__)')

step "python: pytest (the 71 official vectors, drop-in samples, refusals, secrets, threads)"
(cd bindings/python && "$py" -m pytest -p no:cacheprovider -ra tests)

step "python: the README example"
"$py" - bindings/python/README.md "$work/readme_example.py" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
assert blocks, "no ```python block in the README"
open(sys.argv[2], "w", encoding="utf-8").write(blocks[0])
PY
(cd "$work" && "$py" readme_example.py)

step "python: ruff and mypy --strict (package, stubs, tests, bench, README example)"
pkg="$PWD/bindings/python"
ruff=("$work/venv/bin/ruff")
mypy=("$work/venv/bin/mypy" --strict --cache-dir "$work/mypy-cache" --config-file "$pkg/pyproject.toml")
(cd "$pkg" && "${ruff[@]}" check --no-cache python tests bench.py)
"${ruff[@]}" check --no-cache --config "$pkg/pyproject.toml" "$work/readme_example.py"
(cd "$pkg" && "${ruff[@]}" format --no-cache --check python tests bench.py)
(cd "$pkg" && "${mypy[@]}" python/zego_token)
# From outside the source tree: the installed package and its stubs, as users see them.
(cd "$work" && "${mypy[@]}" "$pkg/tests" "$pkg/bench.py" readme_example.py)

step "python: benchmark (a few seconds; same run as the plain-Python baseline)"
"$py" bindings/python/bench.py --seconds 0.2 --rounds 3
