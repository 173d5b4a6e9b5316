#!/usr/bin/env python3
"""`ale solve` on every built-in problem: the private mean relative score of
its submission against the best starting solver (each starting solver is
judged on the same private seeds here; relative per seed, 100 = that solver).

Usage: python3 benches/solve_table.py [--budget 5m] [--problem ID ...] [-j 2]
(ALE=/path/to/ale uses that binary instead of building target/release/ale.)
Takes about (budget + 3 x private judging) per problem: ~15 minutes each at
5 minutes of budget, 2 s time limits and 2 cores (the submission's own private
judging is read from the store).
"""
import argparse
import json
import os
import sqlite3
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALE = os.environ.get("ALE") or os.path.join(ROOT, "target", "release", "ale")
WORK = os.path.join(ROOT, "target", "solve-bench")


def ale(args, home):
    out = subprocess.run([ALE] + args, capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, ALE_HOME=home))
    if out.returncode not in (0, 1):
        raise SystemExit(f"ale {' '.join(args)} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def relative(objective, score, reference):
    if score is None:
        return 0.0
    if reference is None or reference == 0:
        return 100.0
    return 100.0 * (score / reference if objective == "max" else reference / score)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget", default="5m")
    parser.add_argument("--problem", action="append")
    parser.add_argument("-j", default="2")
    args = parser.parse_args()
    if not os.environ.get("ALE"):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    problems = args.problem or sorted(
        d for d in os.listdir(os.path.join(ROOT, "problems"))
        if os.path.isdir(os.path.join(ROOT, "solvers", d)))
    print(f"budget {args.budget}, {args.j} jobs; private seeds of each problem\n")
    print("| problem | starting solvers | best starting solver (private mean score) | submission (private mean score) | submission vs best start (mean relative, start = 100) | candidates | cases | submitted from | lineage |")
    print("|---|---|---|---:|---:|---:|---:|---|---|")
    for problem in problems:
        home = os.path.join(WORK, problem, ".ale")
        os.makedirs(home, exist_ok=True)
        solved = ale(["solve", problem, "--budget", args.budget, "-j", args.j, "--json",
                      "--out", os.path.join(WORK, "submissions")], home)
        report = solved["report"]
        objective = report["objective"]
        private = report["private"]["seeds"]
        # The submission's own private judging, from the store.
        db = sqlite3.connect(os.path.join(home, "ale.db"))
        mine = {i: (s if v == "AC" else None) for i, v, s in db.execute(
            "SELECT input, verdict, score FROM case_results WHERE run_id = ?",
            (report["private"]["run_id"],))}
        db.close()
        starts = {}
        folder = os.path.join(ROOT, "solvers", problem)
        for name in sorted(os.listdir(folder)):
            if ".tuned." in name:
                continue
            doc = ale(["run", problem, os.path.join(folder, name), "--seeds", private, "-j", args.j, "--json"], home)
            starts[name] = {c["input"]: (c["score"] if c["verdict"] == "AC" else None) for c in doc["cases"]}

        def mean_score(scores):
            accepted = [s for s in scores.values() if s is not None]
            return sum(accepted) / len(accepted) if accepted else float("nan")

        better = max if objective == "max" else min
        best = better(starts, key=lambda n: mean_score(starts[n]))
        rel = [relative(objective, mine[k], starts[best][k]) for k in mine]
        origin = report["lineage"][-1]["origin"] if report["lineage"] else "-"
        steps = " > ".join(step["operator"] for step in reversed(report["lineage"]))
        print(f"| {problem} | {', '.join(starts)} | {best} ({mean_score(starts[best]):.1f}) | "
              f"{mean_score(mine):.1f} | {sum(rel) / len(rel):.2f} | {solved['candidates']} | "
              f"{solved['evaluations']} | {os.path.basename(origin)} | {steps} |", flush=True)


if __name__ == "__main__":
    main()
