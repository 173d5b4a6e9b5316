#!/usr/bin/env bash
# Wall time of ale against pahcer on the same tools and the same solution over
# 100 seeds: a solution that answers at once and one that runs about 1 s, batch
# (tests/fixtures/tools-pick) and interactive (tests/fixtures/tools-guess).
# pahcer is measured twice: with the configuration `pahcer init` writes (it
# goes through `cargo run` for vis and tester) and with one edited to call the
# built binaries.
# Usage: bash benches/vs_pahcer.sh    (installs pahcer with cargo if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
command -v pahcer >/dev/null || cargo install pahcer --locked
cargo build --release --quiet
ale=$root/target/release/ale
work=$root/target/vs-pahcer
rm -rf "$work"
mkdir -p "$work"

now() { date +%s.%N; }
seconds() { python3 -c "print(f'{$2 - $1:.2f}')"; }

solution() { # $1 = instant|slow, $2 = batch|interactive
  local wait=0
  [ "$1" = slow ] && wait=1000
  if [ "$2" = batch ]; then
    cat <<CPP
#include <bits/stdc++.h>
int main() {
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds($wait)) {}
  int n; std::cin >> n; long best = -1; int at = 0;
  for (int i = 0; i < n; i++) { long a; std::cin >> a; if (a > best) { best = a; at = i; } }
  std::cout << at << std::endl;
}
CPP
  else
    cat <<CPP
#include <bits/stdc++.h>
int main() {
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds($wait)) {}
  long n; std::cin >> n; long lo = 1, hi = n; std::string reply;
  while (lo <= hi) {
    long mid = (lo + hi) / 2; std::cout << "? " << mid << std::endl; std::cin >> reply;
    if (reply == "=") return 0; if (reply == "<") lo = mid + 1; else hi = mid - 1;
  }
}
CPP
  fi
}

printf '| problem | solution | pahcer (init config) | pahcer (built binaries) | ale | ale / pahcer init | ale / pahcer built | mean solution time: pahcer init / pahcer built / ale |\n'
printf '|---|---|---:|---:|---:|---:|---:|---|\n'
for kind in batch interactive; do
  fixture=tools-pick; [ $kind = interactive ] && fixture=tools-guess
  base=$work/$kind
  mkdir -p "$base"
  cp -r "tests/fixtures/$fixture" "$base/tools"
  rm -rf "$base/tools/target"
  (cd "$base/tools" && cargo build --release --quiet && seq 0 99 > seeds.txt && rm -rf in && ./target/release/gen seeds.txt --dir=in)
  (cd "$base" && git init -q && pahcer init -p "b$kind" -o max -l cpp $([ $kind = interactive ] && echo -i) >/dev/null)
  cp "$base/pahcer_config.toml" "$base/init.toml"
  python3 - "$base" "$kind" <<'PY'
import sys, re
base, kind = sys.argv[1], sys.argv[2]
text = open(f"{base}/init.toml").read()
if kind == "batch":
    text = re.sub(r'program = "cargo"\nargs = \[\n    "run",\n    "--bin",\n    "vis",\n    "--release",\n    "./in/\{SEED04\}.txt",\n    "./out/\{SEED04\}.txt",\n\]\ncurrent_dir = "./tools"',
                  'program = "./tools/target/release/vis"\nargs = ["./tools/in/{SEED04}.txt", "./tools/out/{SEED04}.txt"]', text)
else:
    text = re.sub(r'program = "cargo"\nargs = \["run", "--bin", "tester", "--release", "../a.out"\]\ncurrent_dir = "./tools"',
                  'program = "./tools/target/release/tester"\nargs = ["./a.out"]', text)
assert "cargo" not in text.split("TEST STEPS")[1], "the edit did not apply"
open(f"{base}/built.toml", "w").write(text)
PY
  "$ale" --problems-dir "$base/problems" import "$base/tools" --id "b$kind" >/dev/null 2>&1 || mkdir -p "$base/problems" && "$ale" --problems-dir "$base/problems" import "$base/tools" --id "b$kind" >/dev/null 2>&1
  # ale precompiles bits/stdc++.h once per machine (a few seconds); like the
  # tools' own build above, that one-time step is done before timing.
  printf '#include <bits/stdc++.h>\nint main() {}\n' > "$base/warm.cpp"
  (cd "$base" && ALE_HOME="$base/.ale" "$ale" --problems-dir "$base/problems" run "b$kind" warm.cpp --seeds 0..1 >/dev/null 2>&1 || true)
  for speed in instant slow; do
    solution $speed $kind > "$base/main.cpp"
    row="| $kind | $speed |"
    times=()
    for config in init built; do
      cp "$base/$config.toml" "$base/pahcer_config.toml"
      rm -rf "$base/pahcer/json" "$base/pahcer/summary.md"
      start=$(now); (cd "$base" && pahcer run >/dev/null 2>&1); end=$(now)
      row="$row $(seconds "$start" "$end") s |"
      times+=("$(python3 - "$base" <<'PY'
import json, glob, sys
files = sorted(glob.glob(f"{sys.argv[1]}/pahcer/json/*.json"))
cases = json.load(open(files[-1]))["cases"] if files else []
ms = [c.get("execution_time", 0) * 1000 for c in cases]
print(f"{sum(ms) / len(ms):.0f} ms" if ms else "-")
PY
)")
    done
    start=$(now)
    out=$(cd "$base" && ALE_HOME="$base/.ale" "$ale" --problems-dir "$base/problems" run "b$kind" main.cpp --seeds 0..100 --json 2>/dev/null || true)
    end=$(now)
    ale_time=$(seconds "$start" "$end")
    ale_ms=$(echo "$out" | python3 -c "import json,sys; c=json.load(sys.stdin)['cases']; print(f'{sum(x[\"time_ms\"] for x in c)/len(c):.0f} ms')")
    init=$(echo "$row" | awk -F'|' '{print $4}' | tr -d ' s')
    built=$(echo "$row" | awk -F'|' '{print $5}' | tr -d ' s')
    printf '%s %s s | %s | %s | %s / %s / %s |\n' "$row" "$ale_time" \
      "$(python3 -c "print(f'{$ale_time / $init:.2f}')")" "$(python3 -c "print(f'{$ale_time / $built:.2f}')")" \
      "${times[0]}" "${times[1]}" "$ale_ms"
  done
done
