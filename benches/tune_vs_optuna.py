#!/usr/bin/env python3
"""The same tuning task two ways, with the same wall budget and cores:
`ale tune`, and Optuna (TPE sampler, WilcoxonPruner: the set-up contestants
glue to their testers) driving the same solution through `ale run --json`.

Task: solvers/courier/ruin.rs with its time cut to 300 ms and its constants
started badly (RUIN_MAX=1, T0=500, T1=20: about 9% below its shipped values);
tuning seeds 0..40, hold-out
seeds 60..100 (never used by either search). Each tool's incumbents over time
are judged afterwards on the hold-out seeds; the table gives each tool's final
hold-out mean relative score (100 = the start) and the time each needed to
reach the other's final quality.

Usage: python3 benches/tune_vs_optuna.py [--budget 300]
(installs Optuna into target/tune-bench/venv with pip; needs the package index)
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "tune-bench")
ALE = os.path.join(ROOT, "target", "release", "ale")
PROBLEM = "courier"
SOLVER = os.path.join(ROOT, "solvers", "courier", "ruin.rs")
TUNE = (0, 40)
HOLDOUT = (60, 100)
START = {"RUIN_MAX": 1, "T0": 500.0, "T1": 20.0, "DETOUR_POWER": 1.0}
# The annotations of the solver: name -> (integer?, low, high, log scale?).
SPACE = {
    "RUIN_MAX": (True, 1, 30, False),
    "T0": (False, 0.5, 500.0, True),
    "T1": (False, 0.01, 20.0, True),
    "DETOUR_POWER": (False, 0.2, 2.0, False),
}


def typed(values):
    return {k: int(v) if SPACE[k][0] else float(v) for k, v in values.items()}
JOBS = "2"


def ensure_optuna():
    try:
        import optuna  # noqa: F401
        import scipy  # noqa: F401  (WilcoxonPruner needs it)
        return
    except ImportError:
        pass
    venv = os.path.join(WORK, "venv")
    python = os.path.join(venv, "bin", "python3")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "optuna>=3.6", "scipy"], check=True)
    os.execv(python, [python] + sys.argv)


def source(values):
    text = open(SOLVER).read()
    text = text.replace("const TIME_LIMIT_MS: u64 = 1800;", "const TIME_LIMIT_MS: u64 = 300;")
    for name, value in values.items():
        literal = repr(float(value)) if isinstance(value, float) else str(int(value))
        text, n = re.subn(rf"(const {name}: \w+ = )[^;]+;", rf"\g<1>{literal};", text)
        assert n == 1, name
    return text


def ale_run(home, values, seeds=None, inputs=None):
    """Scores by input file name of one `ale run`."""
    folder = tempfile.mkdtemp(dir=WORK)
    path = os.path.join(folder, "main.rs")
    open(path, "w").write(source(values))
    args = [ALE, "run", PROBLEM, path, "-j", JOBS, "--json"]
    args += ["--seeds", f"{seeds[0]}..{seeds[1]}"] if seeds else ["--inputs", inputs]
    out = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, ALE_HOME=home))
    shutil.rmtree(folder, ignore_errors=True)
    doc = json.loads(out.stdout)
    return {c["input"]: (c["score"] if c["verdict"] == "AC" else 0) for c in doc["cases"]}


def run_ale_tune(budget):
    """The incumbents of `ale tune` over time: [(seconds, values)]."""
    home = os.path.join(WORK, "ale-tune")
    shutil.rmtree(home, ignore_errors=True)
    path = os.path.join(WORK, "start.rs")
    open(path, "w").write(source(START))
    started = time.time()
    proc = subprocess.Popen(
        [ALE, "tune", PROBLEM, path, "--budget", f"{budget}s", "--seeds", f"{TUNE[0]}..{TUNE[1]}",
         "--holdout", f"{HOLDOUT[0]}..{HOLDOUT[1]}", "-j", JOBS, "--rng-seed", "1", "--json",
         "--out", os.path.join(WORK, "start.tuned.rs")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, ALE_HOME=home))
    timeline = [(0.0, dict(START))]
    trials = 0
    for line in proc.stderr:
        if line.startswith("judging"):
            break
        if line.startswith("trial"):
            trials += 1
        if "best so far" in line:
            values = dict(re.findall(r"(\w+)=(\S+)", line))
            timeline.append((time.time() - started, typed(values)))
    proc.communicate()
    return timeline, trials


def run_optuna(budget):
    import optuna
    from optuna.pruners import WilcoxonPruner
    from optuna.samplers import TPESampler

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    home = os.path.join(WORK, "ale-optuna")
    shutil.rmtree(home, ignore_errors=True)
    inputs = os.path.join(WORK, "inputs")
    started = time.time()
    names = [f"{s:04}.txt" for s in range(*TUNE)]
    start_scores = ale_run(home, START, seeds=TUNE)
    order = names[:]
    random.Random(1).shuffle(order)
    chunks = [order[i:i + 4] for i in range(0, len(order), 4)]
    timeline = [(0.0, dict(START))]

    def objective(trial):
        values = {
            name: trial.suggest_int(name, lo, hi, log=log) if integer
            else trial.suggest_float(name, lo, hi, log=log)
            for name, (integer, lo, hi, log) in SPACE.items()
        }
        rels = []
        for chunk in chunks:
            folder = tempfile.mkdtemp(dir=WORK)
            for name in chunk:
                os.symlink(os.path.join(inputs, name), os.path.join(folder, name))
            scores = ale_run(home, values, inputs=folder)
            shutil.rmtree(folder, ignore_errors=True)
            for name in chunk:
                rel = scores[name] / start_scores[name] if start_scores[name] else 1.0
                rels.append(rel)
                trial.report(rel, names.index(name))
            if trial.should_prune():
                raise optuna.TrialPruned()
        return sum(rels) / len(rels)

    best = [None]

    def record(study, trial):
        if study.best_trial.number != best[0] and trial.state == optuna.trial.TrialState.COMPLETE:
            best[0] = study.best_trial.number
            timeline.append((time.time() - started, typed(study.best_trial.params)))

    study = optuna.create_study(direction="maximize", sampler=TPESampler(seed=1),
                                pruner=WilcoxonPruner(p_threshold=0.1))
    study.enqueue_trial(dict(START))
    study.optimize(objective, timeout=max(1.0, budget - (time.time() - started)), callbacks=[record])
    return timeline, len(study.trials)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget", type=float, default=300)
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    ensure_optuna()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    inputs = os.path.join(WORK, "inputs")
    subprocess.run([ALE, "gen", PROBLEM, "--seeds", f"{TUNE[0]}..{TUNE[1]}", "--out", inputs], check=True,
                   capture_output=True)
    # Build once outside the timings (both tools then reuse the build cache's toolchain probe).
    ale_timeline, ale_trials = run_ale_tune(args.budget)
    optuna_timeline, optuna_trials = run_optuna(args.budget)

    # Every incumbent judged on the hold-out seeds, against the start.
    home = os.path.join(WORK, "ale-holdout")
    shutil.rmtree(home, ignore_errors=True)
    start = ale_run(home, START, seeds=HOLDOUT)
    cache = {}

    def holdout(values):
        key = json.dumps(values, sort_keys=True)
        if key not in cache:
            scores = ale_run(home, values, seeds=HOLDOUT)
            rels = [scores[n] / start[n] if start[n] else 1.0 for n in start]
            cache[key] = 100.0 * sum(rels) / len(rels)
        return cache[key]

    ale_q = [(t, holdout(v)) for t, v in ale_timeline]
    opt_q = [(t, holdout(v)) for t, v in optuna_timeline]

    def reach(timeline, target):
        for t, q in timeline:
            if q >= target:
                return t
        return None

    ale_final, opt_final = ale_q[-1][1], opt_q[-1][1]
    fmt = lambda t: "never" if t is None else f"{t:.0f} s"
    print(f"budget {args.budget:.0f} s each, {JOBS} jobs, tuning seeds {TUNE[0]}..{TUNE[1]}, "
          f"hold-out seeds {HOLDOUT[0]}..{HOLDOUT[1]}")
    print()
    print("| tool | trials | final hold-out mean relative (start = 100) | time to reach the other's final |")
    print("|---|---:|---:|---:|")
    print(f"| ale tune | {ale_trials} | {ale_final:.2f} | {fmt(reach(ale_q, opt_final))} |")
    print(f"| Optuna (TPE + WilcoxonPruner) over `ale run` | {optuna_trials} | {opt_final:.2f} | "
          f"{fmt(reach(opt_q, ale_final))} |")
    print()
    print("ale incumbents (s, hold-out):", [(round(t), round(q, 2)) for t, q in ale_q])
    print("Optuna incumbents (s, hold-out):", [(round(t), round(q, 2)) for t, q in opt_q])


if __name__ == "__main__":
    main()
