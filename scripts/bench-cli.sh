#!/usr/bin/env bash
# The whole `abiscope search` process against `fzf --filter` over a file of
# the same names, in one hyperfine run (the README quotes the figures).
# Needs hyperfine and fzf (apt-get install hyperfine fzf).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
names="$(mktemp)"
trap 'rm -f "$names"' EXIT
target/release/abiscope list | cut -d' ' -f1 > "$names"
echo "$(wc -l < "$names") names; $(nproc) cores; $(uname -sr)"
hyperfine --warmup 50 --min-runs 300 "${@}" \
  -n "abiscope search PyBuffer_" "target/release/abiscope search PyBuffer_ > /dev/null" \
  -n "fzf --filter PyBuffer_" "fzf --filter PyBuffer_ < $names > /dev/null"
