#!/usr/bin/env bash
# Runs every fuzz target for a while (default 20 s each) and fails on the first
# crash. cargo-fuzz wants a nightly compiler; RUSTC_BOOTSTRAP lets the stable
# one take the same flags, and `-s none` skips the sanitizer runtime.
# Usage: bash fuzz/run.sh [SECONDS]   (needs `cargo install cargo-fuzz`)
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
export RUSTC_BOOTSTRAP=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in $(cargo fuzz list); do
  if cargo fuzz run -s none "$target" -- -max_total_time="$seconds" >"$log" 2>&1; then
    echo "fuzzed $target: $(grep -E '^Done' "$log" | tail -1)"
  else
    tail -40 "$log"
    echo "fuzz target $target found a crash (the input is under fuzz/artifacts/$target/)"
    exit 1
  fi
done
