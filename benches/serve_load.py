#!/usr/bin/env python3
"""Whether `ale serve` under load slows a search down.

Runs `ale solve tsp` rounds with a fixed budget into one store, alternately with the
server idle and with 200 clients asking it for pages as fast as it answers, and compares
the search's rate (cases judged a second). Every answer must be 200.

Usage: cargo build --release && python3 benches/serve_load.py [ROUNDS] [BUDGET_S]
"""
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALE = str(ROOT / "target" / "release" / "ale")
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
BUDGET = int(sys.argv[2]) if len(sys.argv) > 2 else 30
CLIENTS = 200


def cpu_of(pid):
    """User and system CPU seconds of a process so far."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def solve(home):
    out = subprocess.run(
        [ALE, "solve", "tsp", "--budget", f"{BUDGET}s", "--seeds", "0..20",
         "--private-seeds", "1000..1002", "--json"],
        cwd=home, env=dict(os.environ, ALE_HOME=str(home / ".ale")),
        capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"ale solve failed: {out.stderr}")
    doc = json.loads(out.stdout)
    return doc["evaluations"] / doc["elapsed_s"], doc["session"]


def main():
    home = pathlib.Path(tempfile.mkdtemp())
    (home / ".ale").mkdir()
    rates = {"idle": [], "loaded": []}
    # A first round makes the store (and the pages to ask for).
    rate, session = solve(home)
    server = subprocess.Popen(
        [ALE, "serve", "--store", str(home / ".ale" / "ale.db"), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = server.stdout.readline()
    port = re.search(r":(\d+)", line).group(1)
    base = f"http://127.0.0.1:{port}"
    pages = ["/", f"/sessions/{session}", f"/api/sessions/{session}",
             f"/sessions/{session}/candidates/1"]
    answered, failed = [0], []
    loading = threading.Event()
    stop = threading.Event()

    def client(i):
        while not stop.is_set():
            if not loading.wait(0.2):
                continue
            url = base + pages[i % len(pages)]
            try:
                with urllib.request.urlopen(url, timeout=30) as r:
                    r.read()
                    if r.status != 200:
                        failed.append((url, r.status))
                answered[0] += 1
            except Exception as e:  # noqa: BLE001 - every failure is reported
                failed.append((url, str(e)))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    try:
        for _ in range(ROUNDS):
            for kind in ("idle", "loaded"):
                if kind == "loaded":
                    loading.set()
                before = answered[0]
                t0, server0, clients0 = time.time(), cpu_of(server.pid), time.process_time()
                rate, _ = solve(home)
                loading.clear()
                wall = time.time() - t0
                served = answered[0] - before
                rates[kind].append(rate)
                print(f"{kind:>6}: {rate:6.3f} cases/s; the server used {cpu_of(server.pid) - server0:.1f} s of CPU"
                      + (f", the clients {time.process_time() - clients0:.1f} s, in {wall:.0f} s;"
                         f" {served} pages served ({served / wall:.0f}/s)" if kind == "loaded" else ""),
                      flush=True)
    finally:
        stop.set()
        server.terminate()
    idle, loaded = statistics.median(rates["idle"]), statistics.median(rates["loaded"])
    print(f"median: idle {idle:.3f} cases/s, loaded {loaded:.3f} cases/s, ratio {loaded / idle:.3f}")
    print(f"spread idle {min(rates['idle']):.3f}-{max(rates['idle']):.3f}, "
          f"loaded {min(rates['loaded']):.3f}-{max(rates['loaded']):.3f}; failed requests: {len(failed)}")
    if failed:
        print(failed[:5])
        sys.exit(1)


main()
