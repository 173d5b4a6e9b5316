//! Per-case overhead of the runner: 200 cases of a solution that answers at
//! once, run by `ale::runner::run` and by a plain loop that spawns the same
//! binary with the same input and waits for it. Both at 1 job and at one job
//! per core, and ale also under bubblewrap when it is installed. Then a
//! compile of a Rust and a C++ solution, outside the box and in it. See
//! docs/PERFORMANCE.md for the figures.

use ale::judge::languages::Languages;
use ale::judge::sandbox::Sandbox;
use ale::judge::{prepare, prepare_in};
use ale::problem::Registry;
use ale::runner::{run, seed_cases, silent, RunOptions};
use ale::store::Store;
use criterion::{criterion_group, criterion_main, Criterion};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const CASES: u64 = 200;

/// Spawns `exe` on every case, `jobs` at a time, writing stdin and reading stdout.
fn plain_loop(exe: &Path, inputs: &[String], jobs: usize) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= inputs.len() {
                    break;
                }
                let mut child = Command::new(exe)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .unwrap();
                let mut stdin = child.stdin.take().unwrap();
                let input = inputs[i].as_bytes();
                let writer = std::thread::spawn({
                    let input = input.to_vec();
                    move || {
                        let _ = stdin.write_all(&input);
                    }
                });
                let mut out = Vec::new();
                child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
                child.wait().unwrap();
                writer.join().unwrap();
                assert!(!out.is_empty());
            });
        }
    });
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let build = tmp.path().join("build");
    let solution = root.join("tests/solutions/tsp_identity.rs");
    let exe = prepare(&solution, &build).unwrap().exe;
    let registry = Registry::builtin();
    let problem = registry.get("tsp").unwrap();
    let cases = seed_cases(&format!("0..{CASES}").parse().unwrap());
    // The plain loop is given its inputs ready; ale generates them as it runs.
    let inputs: Vec<String> = cases
        .iter()
        .map(|c| c.input(problem).unwrap().into_owned())
        .collect();
    let mut store = Store::open(&tmp.path().join("ale.db")).unwrap();
    let cores = ale::runner::default_jobs();

    let mut group = c.benchmark_group("run_200_cases");
    group.sample_size(10);
    for jobs in [1, cores] {
        group.bench_function(format!("plain_spawn_loop/j{jobs}"), |b| {
            b.iter(|| plain_loop(&exe, &inputs, jobs))
        });
        // Unboxed, then under bubblewrap when this machine has it.
        let mut variants = vec![("ale_runner", Sandbox::disabled())];
        if let boxed @ Sandbox::Bubblewrap(_) = Sandbox::detect() {
            variants.push(("ale_runner_boxed", boxed));
        }
        for (name, sandbox) in variants {
            let options = RunOptions {
                jobs,
                sandbox,
                ..RunOptions::default()
            };
            group.bench_function(format!("{name}/j{jobs}"), |b| {
                b.iter(|| {
                    let report = run(
                        problem,
                        &solution,
                        &cases,
                        &options,
                        &build,
                        &mut store,
                        &mut silent,
                    )
                    .unwrap();
                    assert!(report.all_accepted());
                })
            });
        }
    }
    group.finish();
}

/// One compile from a cold cache, unboxed and boxed: rustc on a small Rust
/// solution, g++ on a C++ one with `<cstdio>` and on one with
/// `<bits/stdc++.h>` (its precompiled header built beforehand).
fn compile(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let languages = Languages::builtin();
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    let mut variants: Vec<(&str, Option<std::path::PathBuf>)> = vec![("unboxed", None)];
    if let Sandbox::Bubblewrap(bwrap) = Sandbox::detect() {
        variants.push(("boxed", Some(bwrap)));
    }
    for fixture in [
        "tsp_identity.rs",
        "tsp_identity.cpp",
        "tsp_identity_stdc.cpp",
    ] {
        let solution = root.join("tests/solutions").join(fixture);
        let source = std::fs::read_to_string(&solution).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let built = AtomicUsize::new(0);
        // The precompiled header is built once, outside the timings.
        prepare(&solution, &tmp.path().join("warm")).unwrap();
        for (name, sandbox) in &variants {
            group.bench_function(format!("{fixture}/{name}"), |b| {
                b.iter(|| {
                    // A new comment each time: a cache miss, the header still shared.
                    let n = built.fetch_add(1, Ordering::Relaxed);
                    let file = tmp.path().join(format!("s{n}")).join(fixture);
                    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                    std::fs::write(&file, format!("{source}\n// {n}\n")).unwrap();
                    let prepared = prepare_in(
                        &file,
                        &tmp.path().join("warm"),
                        &languages,
                        sandbox.as_deref(),
                    )
                    .unwrap();
                    assert!(
                        prepared.compile_error.is_none(),
                        "{:?}",
                        prepared.compile_error
                    );
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench, compile);
criterion_main!(benches);
