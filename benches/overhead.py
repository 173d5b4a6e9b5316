#!/usr/bin/env python3
"""Per-case overhead of the runner, from the estimates `cargo bench --bench runner` wrote.

Usage: cargo bench --bench runner && python3 benches/overhead.py
"""
import json
import pathlib
import sys

CASES = 200
root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion" / "run_200_cases"


def mean_ms(name):
    path = root / name / "new" / "estimates.json"
    if not path.exists():
        sys.exit(f"{path} is missing: run `cargo bench --bench runner` first")
    return json.loads(path.read_text())["mean"]["point_estimate"] / 1e6


jobs = sorted({p.name.rsplit("_j", 1)[1] for p in root.glob("*_j*")}, key=int)
print(f"{'jobs':>4}  {'plain ms':>9}  {'ale ms':>9}  {'ratio':>6}  {'overhead ms/case':>16}")
for j in jobs:
    plain, ale = mean_ms(f"plain_spawn_loop_j{j}"), mean_ms(f"ale_runner_j{j}")
    print(f"{j:>4}  {plain:9.1f}  {ale:9.1f}  {ale / plain:6.2f}  {(ale - plain) / CASES:16.3f}")
for j in jobs:
    if (root / f"ale_runner_boxed_j{j}").exists():
        plain, unboxed, boxed = (mean_ms(f"{name}_j{j}") for name in ("plain_spawn_loop", "ale_runner", "ale_runner_boxed"))
        print(f"j{j} under bubblewrap: {boxed:.1f} ms, {boxed / plain:.2f} x the plain loop; "
              f"the sandbox costs {(boxed - unboxed) / CASES:.3f} ms/case, "
              f"overhead over the plain loop {(boxed - plain) / CASES:.3f} ms/case")
if len(jobs) > 1:
    lo, hi = jobs[0], jobs[-1]
    for label in ("plain_spawn_loop", "ale_runner"):
        speedup = mean_ms(f"{label}_j{lo}") / mean_ms(f"{label}_j{hi}")
        print(f"{label}: j{hi} is {speedup:.2f}x faster than j{lo}")
compiles = root.parent / "compile"
for fixture in ("tsp_identity.rs", "tsp_identity.cpp", "tsp_identity_stdc.cpp"):
    if (compiles / f"{fixture}_boxed" / "new" / "estimates.json").exists():
        times = {}
        for how in ("unboxed", "boxed"):
            est = json.loads((compiles / f"{fixture}_{how}" / "new" / "estimates.json").read_text())
            times[how] = est["mean"]["point_estimate"] / 1e6
        print(f"compile {fixture}: unboxed {times['unboxed']:.1f} ms, boxed {times['boxed']:.1f} ms, "
              f"boxed / unboxed {times['boxed'] / times['unboxed']:.2f}")
