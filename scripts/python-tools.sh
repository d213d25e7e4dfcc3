#!/usr/bin/env bash
# Installs the Python tools the packaging tests use (maturin and ziglang
# to build the wheel, pre-commit, cibuildwheel, jsonschema for the SARIF
# schema, setuptools and wheel to build test wheels) into a venv under
# target/, pinned by scripts/python-tools.txt, and keeps maturin's own
# wheel beside it so that pre-commit's install of the hook builds offline.
# tests/packaging.rs finds the venv there (or at $ABISCOPE_PYTHON_TOOLS).
# It also fetches two real abi3t wheels for tests/check_generated.rs.
#
#   scripts/python-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${ABISCOPE_PYTHON_TOOLS:-target/python-tools}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/python-tools.txt
maturin=$(grep '^maturin==' scripts/python-tools.txt)
"$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
  --dest "$venv/wheels" "$maturin"
echo "Python tools in $venv: $("$venv/bin/python" -m pip list --format=freeze 2>/dev/null |
  grep -Ei '^(maturin|ziglang|pre.commit|cibuildwheel|jsonschema|setuptools|wheel)==' | tr '\n' ' ')"
# Real cp315-abi3.abi3t wheels that load on free-threaded 3.15, for
# tests/check_generated.rs: check must call them abi3t-clean.
"$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: --implementation cp --python-version 3.15 --abi abi3t \
  --platform manylinux_2_34_x86_64 --platform manylinux_2_28_x86_64 \
  --dest "$venv/abi3t-wheels" cryptography==50.0.2 argon2-cffi-bindings==26.2.0
