#!/usr/bin/env bash
# abiscope check beside abi3audit on the same real abi3 wheels from PyPI:
# what each finds, side by side, then both timed on every wheel in one
# hyperfine run, with the ratio. Not run in CI (it downloads from PyPI).
# Needs python3 (venv, pip) and hyperfine (apt-get install hyperfine).
#
#   scripts/compare-abi3audit.sh [PACKAGE...]
set -euo pipefail
cd "$(dirname "$0")/.."
work="target/compare-abi3audit"
mkdir -p "$work/wheels"
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(cryptography bcrypt tokenizers safetensors pycryptodome argon2-cffi-bindings polars-runtime-32)

cargo build --release --quiet
abiscope="$PWD/target/release/abiscope"
if [ ! -x "$work/venv/bin/abi3audit" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet abi3audit
fi
abi3audit="$PWD/$work/venv/bin/abi3audit"

for pkg in "${packages[@]}"; do
  "$work/venv/bin/pip" download --quiet --no-deps --only-binary=:all: --dest "$work/wheels" \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --python-version 3.12 --implementation cp --abi abi3 "$pkg"
done

echo "abi3audit $("$work/venv/bin/pip" show abi3audit | sed -n 's/^Version: //p'), $("$abiscope" --version)"
echo "$(nproc) cores, $(uname -sr)"
echo
printf '%-58s  %-32s  %s\n' "wheel" "abi3audit" "abiscope check"
for wheel in "$work"/wheels/*.whl; do
  a3=$("$abi3audit" --report "$wheel" 2>/dev/null || true)
  as=$("$abiscope" check --json "$wheel" || true)
  python3 - "$wheel" "$a3" "$as" <<'PY'
import json, os, sys
wheel, a3, ab = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
computed, violations = set(), 0
for spec in a3["specs"].values():
    for module in spec.get("wheel", []):
        result = module["result"]
        computed.add(result.get("computed") or "?")
        violations += len(result.get("non_abi3_symbols", []))
a3_text = f"needs {max(computed) if computed else '-'}, {violations} non-abi3 symbols"
mv = ab["min_version"]
blockers = sorted({u["name"] for u in ab["blockers"]["abi3"]})
findings = sum(len(w["findings"]) for w in ab.get("wheel", []))
ab_text = (f"abi3 {mv['abi3'] or 'blocked'}, abi3t {mv['abi3t'] or 'blocked'}, "
           f"{ab['inputs']['modules']} modules, {len(blockers)} abi3 blockers, {findings} findings")
name = os.path.basename(wheel)
print(f"{name[:58]:<58}  {a3_text:<32}  {ab_text}")
PY
done
echo

args=()
for wheel in "$work"/wheels/*.whl; do
  name=$(basename "$wheel" | cut -d- -f1)
  args+=(-n "abiscope  $name" "$abiscope check --json $wheel")
  args+=(-n "abi3audit $name" "$abi3audit --report $wheel")
done
hyperfine -N --warmup 2 --min-runs 10 --ignore-failure --style basic \
  --export-json "$work/times.json" "${args[@]}" > "$work/hyperfine.txt" 2>&1

python3 - "$work/times.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print(f"{'wheel':<22} {'abiscope':>12} {'abi3audit':>12} {'ratio':>8}")
total_ab = total_a3 = 0.0
for name in sorted({c.split()[-1] for c in results}):
    ab, a3 = results[f"abiscope  {name}"]["mean"], results[f"abi3audit {name}"]["mean"]
    total_ab += ab
    total_a3 += a3
    print(f"{name:<22} {ab*1000:>9.1f} ms {a3*1000:>9.1f} ms {a3/ab:>7.0f}x")
print(f"{'all':<22} {total_ab*1000:>9.1f} ms {total_a3*1000:>9.1f} ms {total_a3/total_ab:>7.0f}x")
PY
