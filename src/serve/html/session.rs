//! A session's page, the part of it that is redrawn live, and a candidate's page.

use super::{esc, link, num, opt, page, table};
use crate::serve::data::{ArmView, CandidateNode, CandidateView, DiffLine, SessionView, StepView};
use crate::serve::svg;
use crate::store::BanditChoice;
use std::fmt::Write;

pub fn session_live(s: &SessionView) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<dl class=\"figures\">\
         <dt>status</dt><dd class=\"status\">{status}</dd>\
         <dt>candidates</dt><dd class=\"candidates\">{candidates}</dd>\
         <dt>case evaluations</dt><dd>{cases}</dd>\
         <dt>budget used</dt><dd class=\"budget\">{budget}</dd>\
         <dt>cases per second</dt><dd>{rate}</dd>\
         <dt>best public score</dt><dd>{best}</dd>\
         <dt>model calls</dt><dd>{calls} ({in_flight} in flight)</dd>\
         <dt>tokens in / out</dt><dd>{tin} / {tout}</dd>\
         <dt>cost</dt><dd>${cost:.4}</dd></dl>",
        status = esc(&s.status),
        candidates = s.activity.candidates,
        cases = s.activity.cases,
        budget = esc(&super::budget_used(s.activity.elapsed_s, s.budget.as_ref())),
        rate = num(s.cases_per_s),
        best = num(s
            .best_public_score
            .or(s.best_over_time.last().map(|b| b.score))),
        calls = s.activity.calls,
        in_flight = s.in_flight,
        tin = s.tokens_in,
        tout = s.tokens_out,
        cost = s.cost,
    );
    let points: Vec<(f64, f64)> = s
        .best_over_time
        .iter()
        .map(|b| (b.seconds, b.score))
        .collect();
    body.push_str("<h2>Best score over time</h2>");
    body.push_str(&svg::best_chart(
        &points,
        s.elapsed_s,
        " s",
        &format!(
            "best mean score of a fully judged candidate ({})",
            s.objective
        ),
    ));
    if s.cost > 0.0 {
        let points: Vec<(f64, f64)> = s.best_over_time.iter().map(|b| (b.cost, b.score)).collect();
        body.push_str("<h2>Best score against money spent on models</h2>");
        body.push_str(&svg::best_chart(
            &points,
            s.cost,
            " $",
            "best mean score against dollars spent",
        ));
    }
    body.push_str("<h2>Candidates</h2><p class=\"hint\">Colour: mean score, red worst to green best (grey: none accepted). The wheel zooms the tree where the pointer is; drag it to move it.</p><div class=\"tree-box\">");
    body.push_str(&svg::tree(
        &s.candidates,
        s.objective == "min",
        s.id,
        s.best_candidate,
    ));
    body.push_str("</div>");
    let arms = |title: &str, arms: &[ArmView]| -> String {
        if arms.is_empty() {
            return String::new();
        }
        let rows: Vec<Vec<String>> = arms
            .iter()
            .map(|a| {
                vec![
                    esc(&a.name),
                    a.candidates.to_string(),
                    a.better_than_parent.to_string(),
                    a.cases.to_string(),
                    a.calls.to_string(),
                    format!("${:.4}", a.cost),
                ]
            })
            .collect();
        format!(
            "<h2>{}</h2>{}",
            esc(title),
            table(
                "sortable arms",
                &[
                    "name",
                    "candidates",
                    "better than parent",
                    "cases",
                    "model calls",
                    "cost"
                ],
                &rows
            )
        )
    };
    body.push_str(&arms("Operators", &s.operators));
    body.push_str(&arms("Models", &s.models));
    if s.bandit_choices.is_empty() {
        candidates_over_time(s, &mut body);
    }
    for (bandit, title) in [
        ("operator", "Operators' bandit"),
        ("model", "Models' bandit"),
    ] {
        let choices = on_one_clock(s.bandit_choices.iter().filter(|c| c.bandit == bandit));
        if choices.is_empty() {
            continue;
        }
        let until = s.elapsed_s.max(choices.last().map_or(0.0, |c| c.0));
        // Each arm's choices, in the order of the arms.
        let mut chosen: Vec<(String, Vec<f64>)> = Vec::new();
        for (_, c) in &choices {
            for a in &c.arms {
                if !chosen.iter().any(|(n, _)| *n == a.name) {
                    chosen.push((a.name.clone(), Vec::new()));
                }
            }
        }
        for &(t, c) in &choices {
            match chosen.iter_mut().find(|(n, _)| *n == c.chosen) {
                Some((_, times)) => times.push(t),
                None => chosen.push((c.chosen.clone(), vec![t])),
            }
        }
        let _ = write!(
            body,
            "<h2>{title}</h2><p class=\"hint\">At each of its {n} choices: every arm's UCB value, \
             which the choice compares (the highest of the arms able to act wins; an untried one goes first), \
             and its mean reward; beside it, how many times each was chosen.</p><div class=\"charts\">",
            n = choices.len(),
        );
        body.push_str(&svg::bandit_chart(&choices, until));
        body.push_str(&svg::counts_over_time(&chosen, until, "choices"));
        body.push_str("</div>");
    }
    if !s.calls.is_empty() {
        let rows: Vec<Vec<String>> = s
            .calls
            .iter()
            .map(|c| {
                vec![
                    link(
                        &format!("/sessions/{}/calls/{}", s.id, c.id),
                        &format!("call {}", c.id),
                    ),
                    esc(&c.operator),
                    esc(&c.model),
                    num(c.asked_s),
                    num(c.answered_s),
                    format!("${:.4}", c.cost),
                    match (&c.error, c.candidate) {
                        (Some(e), _) => esc(e),
                        (None, Some(k)) => link(
                            &format!("/sessions/{}/candidates/{k}", s.id),
                            &format!("candidate {k}"),
                        ),
                        (None, None) => "-".into(),
                    },
                ]
            })
            .collect();
        body.push_str("<h2>Model calls</h2>");
        body.push_str(&table(
            "sortable calls",
            &[
                "call",
                "operator",
                "model",
                "asked (s)",
                "answered (s)",
                "cost",
                "became",
            ],
            &rows,
        ));
    }
    body
}

/// The candidates each operator, and each model, made over the search: what
/// a session from before the bandits' figures were kept shows instead.
fn candidates_over_time(s: &SessionView, body: &mut String) {
    let over_time = |name_of: &dyn Fn(&CandidateNode) -> Option<String>| {
        let mut series: Vec<(String, Vec<f64>)> = Vec::new();
        for c in &s.candidates {
            let Some(name) = name_of(c) else { continue };
            match series.iter_mut().find(|(n, _)| *n == name) {
                Some((_, times)) => times.push(c.created_s),
                None => series.push((name, vec![c.created_s])),
            }
        }
        series
    };
    body.push_str("<h2>Candidates by operator over time</h2>");
    body.push_str(&svg::counts_over_time(
        &over_time(&|c| Some(c.operator.clone())),
        s.elapsed_s,
        "candidates",
    ));
    let by_model = over_time(&|c| c.model.clone());
    if !by_model.is_empty() {
        body.push_str("<h2>Candidates by model over time</h2>");
        body.push_str(&svg::counts_over_time(&by_model, s.elapsed_s, "candidates"));
    }
}

/// Choices on one clock: each resumed run of a search counts its seconds
/// from its own start, so a run's are placed after the run before it.
fn on_one_clock<'a>(
    choices: impl Iterator<Item = &'a BanditChoice>,
) -> Vec<(f64, &'a BanditChoice)> {
    let (mut offset, mut previous) = (0.0, 0.0);
    choices
        .map(|c| {
            if c.at_s < previous {
                offset += previous;
            }
            previous = c.at_s;
            (offset + c.at_s, c)
        })
        .collect()
}

pub fn session(s: &SessionView) -> String {
    let body = format!(
        "<p>Problem <a href=\"/#{p}\">{p}</a> ({objective}), started {started}, rng seed {seed}, \
         public seeds {public}, private seeds {private}{submission}.</p>\
         <div id=\"live\" data-live=\"/sessions/{id}/live\" data-events=\"/api/sessions/{id}/events\" data-activity=\"{activity}\">{live}</div>",
        p = esc(&s.problem),
        objective = s.objective,
        started = esc(&s.started_at),
        seed = s.rng_seed,
        public = esc(s.public_seeds.as_deref().unwrap_or("the problem's")),
        private = esc(s.private_seeds.as_deref().unwrap_or("the problem's")),
        submission = s
            .submission
            .as_ref()
            .map_or(String::new(), |f| format!(", submitted to <code>{}</code>", esc(f))),
        id = s.id,
        activity = esc(&serde_json::to_string(&s.activity).unwrap_or_default()),
        live = session_live(s),
    );
    page(
        &format!("Session {} of {}", s.id, s.problem),
        &[(format!("session {}", s.id), format!("/sessions/{}", s.id))],
        &body,
    )
}

/// The steps a candidate went through: each measure the search took of it,
/// against what, and what it decided.
fn steps(c: &CandidateView) -> String {
    let mut out = String::from(
        "<h2>Through the search</h2><p class=\"hint\">Its relative and the other's: mean relative \
         score on the seeds it had run (100 = the best seen on each seed at that moment, so the \
         figures of a step are not those of the case table below, which weighs against the best \
         now). p (worse): the paired test's p-value that it is worse; under 0.05 it stops.</p>",
    );
    if c.steps.is_empty() {
        out.push_str(
            "<p class=\"hint\">No step recorded (a candidate of an earlier ale, or not judged yet).</p>",
        );
        return out;
    }
    // A race checks its candidate after every batch of seeds: the checks
    // that let it go on are one row, with the figures of the last.
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut k = 0;
    while k < c.steps.len() {
        let goes_on = |s: &StepView| s.stage == "race" && s.outcome == "goes on";
        let mut last = k;
        while goes_on(&c.steps[k]) && last + 1 < c.steps.len() && goes_on(&c.steps[last + 1]) {
            last += 1;
        }
        let (first, step) = (&c.steps[k], &c.steps[last]);
        let (seeds, outcome) = if last > k {
            (
                format!("{}-{}", first.seeds, step.seeds),
                format!("goes on ({} checks)", last - k + 1),
            )
        } else {
            (step.seeds.to_string(), esc(&step.outcome))
        };
        rows.push(vec![
            format!("{:.1}", step.at_s),
            esc(&step.stage),
            seeds,
            step.against.map_or("-".into(), |a| {
                link(
                    &format!("/sessions/{}/candidates/{a}", c.session),
                    &format!("candidate {a}"),
                )
            }),
            num(step.mine),
            num(step.theirs),
            step.p_value.map_or("-".into(), |p| format!("{p:.3}")),
            outcome,
        ]);
        k = last + 1;
    }
    out.push_str(&table(
        "steps",
        &[
            "at (s)",
            "stage",
            "seeds run",
            "against",
            "its relative",
            "the other's",
            "p (worse)",
            "what came of it",
        ],
        &rows,
    ));
    out
}

pub fn candidate(c: &CandidateView) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<dl class=\"figures\"><dt>operator</dt><dd>{op}</dd><dt>made by</dt><dd>{origin}</dd>\
         <dt>model</dt><dd>{model}</dd><dt>parent</dt><dd>{parent}</dd><dt>status</dt><dd>{status}</dd>\
         <dt>why it stopped</dt><dd class=\"stopped\">{stopped}</dd><dt>mean score</dt><dd>{mean}</dd>\
         <dt>seeds judged</dt><dd>{n} of {full}</dd></dl>",
        op = esc(&c.operator),
        origin = esc(&c.origin),
        model = match (&c.model, c.call) {
            (Some(m), Some(k)) => format!(
                "{} ({})",
                esc(m),
                link(&format!("/sessions/{}/calls/{k}", c.session), &format!("call {k}"))
            ),
            _ => "-".into(),
        },
        parent = c.parent.map_or("none (a root)".into(), |p| link(
            &format!("/sessions/{}/candidates/{p}", c.session),
            &format!("candidate {p}")
        )),
        status = esc(&c.status),
        stopped = esc(&c.stopped),
        mean = num(c.mean_score),
        n = c.cases.len(),
        full = c.full,
    );
    if let Some(m) = &c.message {
        let _ = write!(
            body,
            "<h2>Compiler's message</h2><pre class=\"stderr\">{}</pre>",
            esc(m)
        );
    }
    body.push_str(&steps(c));
    body.push_str("<h2>Cases</h2>");
    let rows: Vec<Vec<String>> = c
        .cases
        .iter()
        .map(|k| {
            vec![
                link(
                    &format!(
                        "/sessions/{}/candidates/{}/cases/{}",
                        c.session, c.id, k.seed
                    ),
                    &k.seed.to_string(),
                ),
                esc(&k.verdict),
                opt(k.score),
                num(k.relative),
                k.time_ms.to_string(),
                k.memory_kb.map_or("-".into(), |m| m.to_string()),
            ]
        })
        .collect();
    body.push_str(&table(
        "sortable cases",
        &[
            "seed",
            "verdict",
            "score",
            "relative",
            "time (ms)",
            "memory (KiB)",
        ],
        &rows,
    ));
    // Each seed's relative score (100: the session's best on it), and its time.
    let relative: Vec<(f64, f64)> = c
        .cases
        .iter()
        .filter_map(|k| Some((k.seed as f64, k.relative?)))
        .collect();
    let times: Vec<(f64, f64)> = c
        .cases
        .iter()
        .map(|k| (k.seed as f64, k.time_ms as f64))
        .collect();
    body.push_str("<div class=\"charts\">");
    body.push_str(&svg::scatter(&relative, "seed", "relative score"));
    body.push_str(&svg::scatter(&times, "seed", "time (ms)"));
    body.push_str("</div>");
    if let (Some(diff), Some(parent)) = (&c.diff, c.parent) {
        body.push_str(&diff_block(
            &format!("Against its parent, candidate {parent}"),
            diff,
        ));
    }
    if let (Some(diff), Some(best)) = (&c.diff_best, c.best_candidate) {
        body.push_str(&diff_block(
            &format!("Against the best, candidate {best}"),
            diff,
        ));
    }
    let _ = write!(
        body,
        "<h2>Source</h2><pre class=\"source\"><code>{}</code></pre>",
        super::highlight::highlight(&c.source, &c.extension)
    );
    page(
        &format!("Candidate {} of session {}", c.id, c.session),
        &[
            (
                format!("session {}", c.session),
                format!("/sessions/{}", c.session),
            ),
            (
                format!("candidate {}", c.id),
                format!("/sessions/{}/candidates/{}", c.session, c.id),
            ),
        ],
        &body,
    )
}

/// A heading and a line diff, each line a block of its own (no newline
/// between them), or a word when the two texts are the same.
fn diff_block(title: &str, diff: &[DiffLine]) -> String {
    let mut out = format!("<h2>{}</h2>", esc(title));
    if diff.is_empty() {
        out.push_str("<p class=\"empty\">the same text</p>");
        return out;
    }
    out.push_str("<pre class=\"diff\">");
    for line in diff {
        let class = match line.kind {
            '+' => "add",
            '-' => "del",
            '@' => {
                out.push_str("<span class=\"gap\">\u{22ef}</span>");
                continue;
            }
            _ => "same",
        };
        let _ = write!(
            out,
            "<span class=\"{class}\"><span class=\"ln\">{:>4} {:>4}</span> {}{}</span>",
            opt(line.old),
            opt(line.new),
            line.kind,
            esc(&line.text)
        );
    }
    out.push_str("</pre>");
    out
}
