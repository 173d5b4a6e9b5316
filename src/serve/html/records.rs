//! The pages of a run, a case, a model call, a tuning and a bench.

use super::{esc, link, num, opt, page, table};
use crate::serve::data::{BenchView, CallView, CaseView, OutputView, RunView, TuningView};
use crate::serve::svg;
use std::fmt::Write;

pub fn case(k: &CaseView) -> String {
    let mut body = String::new();
    let ms = |v: Option<u64>| v.map_or("-".into(), |v| format!("{v} ms"));
    let _ = write!(
        body,
        "<dl class=\"figures\"><dt>problem</dt><dd>{problem}</dd><dt>input</dt><dd>{input}</dd>\
         <dt>verdict</dt><dd class=\"verdict\">{verdict}</dd><dt>score</dt><dd>{score}</dd>\
         <dt>time</dt><dd>{time} ms (wall {wall}, CPU {cpu})</dd><dt>memory</dt><dd>{memory}</dd></dl>",
        problem = esc(&k.problem),
        input = esc(&k.input),
        verdict = esc(&k.verdict),
        score = opt(k.score),
        time = k.time_ms,
        wall = ms(k.wall_ms),
        cpu = ms(k.cpu_ms),
        memory = k.memory_kb.map_or("-".into(), |m| format!("{m} KiB")),
    );
    if let Some(m) = &k.message {
        let _ = write!(
            body,
            "<h2>Message</h2><pre class=\"stderr\">{}</pre>",
            esc(m)
        );
    }
    let _ = write!(
        body,
        "<h2>Picture</h2><p class=\"hint\">{}</p>",
        esc(&k.picture)
    );
    if let Some(svg) = &k.svg {
        // The drawing is ale's own (the scorers crate, which escapes any
        // text it draws), not stored text.
        let _ = write!(body, "<div class=\"vis\">{svg}</div>");
    }
    match &k.output {
        Some(OutputView {
            size,
            href: Some(href),
            ..
        }) => {
            let _ = write!(
                body,
                "<p class=\"output\"><a href=\"{}\">the output</a> ({size} bytes, plain text)</p>",
                esc(href)
            );
        }
        Some(OutputView { size, .. }) => {
            let _ = write!(
                body,
                "<p class=\"hint\">The output ({size} bytes) was more than the store keeps.</p>"
            );
        }
        None => body.push_str("<p class=\"hint\">No output stored for this case.</p>"),
    }
    match &k.stderr {
        Some(tail) => {
            let _ = write!(
                body,
                "<h2>End of stderr</h2><pre class=\"stderr\">{}</pre>",
                esc(tail)
            );
        }
        None => body.push_str("<p class=\"hint\">No stderr stored for this case.</p>"),
    }
    let mut trail = k.up.clone();
    trail.retain(|(_, href)| href != "/");
    page(&k.title, &trail, &body)
}

pub fn call(c: &CallView) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<dl class=\"figures\"><dt>operator</dt><dd>{op}</dd><dt>model</dt><dd>{model}</dd>\
         <dt>tokens in / out</dt><dd>{tin} / {tout}</dd><dt>cost</dt><dd>${cost:.4}</dd>\
         <dt>latency</dt><dd>{ms} ms ({attempts} attempts)</dd>\
         <dt>asked / answered (s into the search)</dt><dd>{asked} / {answered}</dd>\
         <dt>what came of it</dt><dd class=\"outcome\">{outcome}</dd></dl>",
        op = esc(&c.operator),
        model = esc(&c.model),
        tin = c.tokens_in,
        tout = c.tokens_out,
        cost = c.cost,
        ms = c.latency_ms,
        attempts = c.attempts,
        asked = num(c.asked_s),
        answered = num(c.answered_s),
        outcome = match c.candidate {
            Some(k) => link(
                &format!("/sessions/{}/candidates/{k}", c.session),
                &c.outcome
            ),
            None => esc(&c.outcome),
        },
    );
    let _ = write!(
        body,
        "<h2>System</h2><pre class=\"prompt\">{}</pre><h2>Prompt</h2><pre class=\"prompt\">{}</pre>",
        esc(&c.system),
        esc(&c.prompt)
    );
    match &c.reply {
        Some(r) => {
            let _ = write!(body, "<h2>Reply</h2><pre class=\"reply\">{}</pre>", esc(r));
        }
        None => body.push_str("<p class=\"empty\">no reply</p>"),
    }
    page(
        &format!("Model call {} of session {}", c.id, c.session),
        &[(
            format!("session {}", c.session),
            format!("/sessions/{}", c.session),
        )],
        &body,
    )
}

/// A trial's checks in a line: `6: -1.20 p 0.219; 8: -1.90 p 0.031`.
fn race_checks(checks: &[crate::store::RaceCheck]) -> String {
    if checks.is_empty() {
        return "-".into();
    }
    checks
        .iter()
        .map(|c| {
            format!(
                "{}: {:.2} p {}",
                c.seeds,
                c.mean_difference,
                c.p_value.map_or("-".into(), |p| format!("{p:.3}"))
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn tuning(t: &TuningView) -> String {
    let mut body = format!(
        "<p>Problem {p}, solution <code>{sol}</code>, {status}, started {started}; tuning seeds {seeds}, hold-out seeds {holdout}{of}.</p>",
        p = esc(&t.problem),
        sol = esc(&t.solution),
        status = esc(&t.status),
        started = esc(&t.started_at),
        seeds = esc(&t.seeds),
        holdout = esc(&t.holdout),
        of = t.session.map_or(String::new(), |s| format!(
            ", a burst of {}",
            link(&format!("/sessions/{s}"), &format!("session {s}"))
        )),
    );
    let points: Vec<(f64, f64)> = {
        let mut best: Option<f64> = None;
        t.trials
            .iter()
            .filter_map(|tr| {
                let m = tr.mean_relative?;
                (best.is_none_or(|b| m > b)).then(|| {
                    best = Some(m);
                    (tr.number as f64, m)
                })
            })
            .collect()
    };
    body.push_str("<h2>Best trial so far</h2>");
    let until = t.trials.last().map_or(0.0, |tr| tr.number as f64);
    body.push_str(&svg::best_chart(
        &points,
        until,
        "",
        "best mean relative score, by trial number",
    ));
    // One scatter per parameter: the values tried against the trial's score.
    let mut names: Vec<&String> = t
        .trials
        .iter()
        .filter_map(|tr| tr.values.as_object())
        .flat_map(|v| v.keys())
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        let points: Vec<(f64, f64)> = t
            .trials
            .iter()
            .filter_map(|tr| {
                let literal = tr.values.get(name)?;
                let x = literal
                    .as_f64()
                    .or_else(|| literal.as_str()?.parse().ok())?;
                Some((x, tr.mean_relative?))
            })
            .collect();
        let _ = write!(body, "<h2>{}</h2>", esc(name));
        body.push_str(&svg::scatter(&points, name, "mean relative score"));
    }
    let rows: Vec<Vec<String>> = t
        .trials
        .iter()
        .map(|tr| {
            vec![
                tr.number.to_string(),
                esc(&tr.values.to_string()),
                esc(&tr.status),
                num(tr.mean_relative),
                tr.cases.to_string(),
                if tr.holdout_cases > 0 {
                    format!(
                        "{}/{} accepted, mean {}",
                        tr.holdout_accepted,
                        tr.holdout_cases,
                        num(tr.holdout_mean)
                    )
                } else {
                    "-".into()
                },
                tr.raced_against
                    .map_or("-".into(), |n| format!("trial {n}")),
                race_checks(&tr.race),
            ]
        })
        .collect();
    // Each trial's race: the paired test's p-value of "it is worse than the
    // trial it raced" after each batch; under the level, it stopped.
    let races: Vec<(usize, Vec<(f64, f64)>)> = t
        .trials
        .iter()
        .map(|tr| {
            let points = tr
                .race
                .iter()
                .filter_map(|c| Some((c.seeds as f64, c.p_value?)))
                .collect();
            (tr.number, points)
        })
        .filter(|(_, points): &(usize, Vec<(f64, f64)>)| !points.is_empty())
        .collect();
    body.push_str("<h2>Races</h2>");
    body.push_str(&svg::races(&races, crate::tune::stats::RACING_ALPHA));
    body.push_str("<h2>Trials</h2>");
    body.push_str(&table(
        "sortable trials",
        &[
            "trial",
            "values",
            "status",
            "mean relative",
            "cases",
            "hold-out",
            "raced against",
            "race: seeds, mean difference (%), p (worse)",
        ],
        &rows,
    ));
    page(
        &format!("Tuning {}", t.id),
        &[(format!("tuning {}", t.id), format!("/tunings/{}", t.id))],
        &body,
    )
}

pub fn bench(b: &BenchView) -> String {
    let mut body = format!(
        "<p>{status}, started {started}, {done} of {all} problems done; mean performance {mean}.</p>",
        status = esc(&b.status),
        started = esc(&b.started_at),
        done = b.rows.len(),
        all = b.problems.len(),
        mean = num(b.mean_performance),
    );
    let rows: Vec<Vec<String>> = b
        .rows
        .iter()
        .map(|r| {
            vec![
                esc(&r.problem),
                link(
                    &format!("/sessions/{}", r.session),
                    &format!("session {}", r.session),
                ),
                r.private_score.to_string(),
                opt(r.rank),
                opt(r.performance),
                num(r.vs_best_start),
                r.candidates.to_string(),
                r.cases.to_string(),
                format!("${:.4}", r.cost),
                format!("{:.1}", r.elapsed_s),
            ]
        })
        .collect();
    body.push_str(&table(
        "sortable bench",
        &[
            "problem",
            "session",
            "private score",
            "rank",
            "performance",
            "vs best start",
            "candidates",
            "cases",
            "cost",
            "seconds",
        ],
        &rows,
    ));
    if let Some(old) = b.compared_with {
        let rows: Vec<Vec<String>> = b
            .compared
            .iter()
            .map(|c| {
                vec![
                    esc(&c.problem),
                    opt(c.old_performance),
                    opt(c.new_performance),
                    num(c.new_vs_old),
                    c.p_value.map_or("-".into(), |p| format!("{p:.3}")),
                    esc(c.verdict),
                ]
            })
            .collect();
        let _ = write!(
            body,
            "<h2>Against {} (its private cases, case by case: it = 100)</h2>",
            link(&format!("/benches/{old}"), &format!("bench {old}"))
        );
        body.push_str(&table(
            "sortable compared",
            &[
                "problem",
                "its performance",
                "performance here",
                "here against it",
                "p",
                "verdict",
            ],
            &rows,
        ));
    } else {
        body.push_str("<p class=\"hint\">Add <code>?compare=ID</code> to the address to set this bench beside bench ID, problem by problem.</p>");
    }
    page(
        &format!("Bench {}", b.id),
        &[(format!("bench {}", b.id), format!("/benches/{}", b.id))],
        &body,
    )
}

pub fn run(r: &RunView) -> String {
    let mut body = format!(
        "<p>Problem {p}, solution <code>{sol}</code>, {status}, started {started}; \
         accepted {accepted} of {cases}, mean score {mean}, mean relative score {relative}, \
         longest time {time}.</p>",
        p = esc(&r.problem),
        sol = esc(&r.solution),
        status = esc(&r.status),
        started = esc(&r.started_at),
        accepted = opt(r.accepted),
        cases = r.cases.len(),
        mean = num(r.mean_score),
        relative = num(r.mean_relative_score),
        time = r.max_time_ms.map_or("-".into(), |t| format!("{t} ms")),
    );
    let rows: Vec<Vec<String>> = r
        .cases
        .iter()
        .map(|k| {
            vec![
                link(
                    &format!("/runs/{}/cases/{}", r.id, k.index),
                    &k.index.to_string(),
                ),
                opt(k.seed),
                esc(&k.input),
                esc(&k.verdict),
                opt(k.score),
                k.time_ms.to_string(),
                k.memory_kb.to_string(),
                esc(k.message.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    body.push_str(&table(
        "sortable cases",
        &[
            "case",
            "seed",
            "input",
            "verdict",
            "score",
            "time (ms)",
            "memory (KiB)",
            "message",
        ],
        &rows,
    ));
    page(
        &format!("Run {} of {}", r.id, r.problem),
        &[(format!("run {}", r.id), format!("/runs/{}", r.id))],
        &body,
    )
}
