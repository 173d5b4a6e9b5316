#!/usr/bin/env bash
# Measures every solver of every built-in problem on public seeds 0..50 with
# `ale run`, in a fresh store, and prints the figures of docs/PROBLEMS.md.
# Usage: bash benches/problems_table.sh [SEEDS]   (default 0..50; takes a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-0..50}
cargo build --release --quiet
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
for dir in solvers/*/; do
  id=$(basename "$dir")
  for solver in "$dir"baseline.rs $(ls "$dir"*.rs | grep -v '/baseline.rs$'); do
    ./target/release/ale --store "$store/ale.db" run "$id" "$solver" --seeds "$seeds" --json \
      > "$store/$id-$(basename "$solver" .rs).json" || true
  done
done
python3 - "$store" <<'PY'
import json, pathlib, sys
store = pathlib.Path(sys.argv[1])
objective = {}
runs = {}
for f in sorted(store.glob("*.json")):
    problem, solver = f.stem.split("-", 1)
    runs.setdefault(problem, {})[solver + ".rs"] = json.loads(f.read_text())
minimise = {"tsp", "qap", "jobshop"}
print("| problem | solver | accepted | mean score | mean relative score | vs baseline |")
print("|---|---|---:|---:|---:|---:|")
for problem, by_solver in runs.items():
    low = problem in minimise
    base = by_solver["baseline.rs"]["cases"]
    n = len(base)
    best = []
    for i in range(n):
        scores = [r["cases"][i]["score"] for r in by_solver.values() if r["cases"][i]["verdict"] == "AC"]
        best.append((min if low else max)(scores) if scores else None)
    for solver, run in by_solver.items():
        cases = run["cases"]
        def rel(s, b):
            return 100 * b / s if low else 100 * s / b
        ok = [c for c in cases if c["verdict"] == "AC"]
        mean = sum(c["score"] for c in ok) / len(ok) if ok else float("nan")
        vs_best = sum(rel(c["score"], best[i]) if c["verdict"] == "AC" else 0 for i, c in enumerate(cases)) / n
        vs_base = sum(rel(c["score"], base[i]["score"]) if c["verdict"] == "AC" and base[i]["score"] else 0 for i, c in enumerate(cases)) / n
        print(f"| {problem} | {solver} | {len(ok)}/{n} | {mean:.1f} | {vs_best:.2f} | {vs_base:.2f} |")
PY
