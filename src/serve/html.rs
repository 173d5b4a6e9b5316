//! The pages as HTML, drawn from the documents of `data.rs`. Every piece of
//! stored text goes through [`esc`]: sources, prompts and replies are written
//! by models and are shown, never run.

use super::data::{BenchView, CallView, CandidateView, CaseView, Home, SessionView, TuningView};
use super::svg;
use std::fmt::Write;

/// `text` made safe inside HTML text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("-".into(), |v| v.to_string())
}

fn num(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.2}"))
}

/// A whole page: the title, a trail of links back, the body.
fn page(title: &str, trail: &[(String, String)], body: &str) -> String {
    let mut links = String::from("<a href=\"/\">ale</a>");
    for (label, href) in trail {
        let _ = write!(links, " / <a href=\"{}\">{}</a>", esc(href), esc(label));
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} - ale</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\
         <body><nav>{links} <span class=\"ro\">read-only</span></nav><main><h1>{t}</h1>\n{body}\n</main>\
         <script src=\"/assets/app.js\"></script></body></html>\n",
        t = esc(title),
    )
}

/// The page of a 404, 400 or 500.
pub fn failure(status: u16, message: &str) -> String {
    page(
        &format!("{status}"),
        &[],
        &format!("<p class=\"failure\">{}</p>", esc(message)),
    )
}

/// A table: a header of column names, rows of cells already escaped;
/// `sortable` tables are sorted by the script on a click of a header.
fn table(class: &str, head: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = format!("<table class=\"{class}\"><thead><tr>");
    for h in head {
        let _ = write!(t, "<th>{}</th>", esc(h));
    }
    t.push_str("</tr></thead><tbody>");
    for row in rows {
        t.push_str("<tr>");
        for cell in row {
            let _ = write!(t, "<td>{cell}</td>");
        }
        t.push_str("</tr>");
    }
    t.push_str("</tbody></table>");
    t
}

fn link(href: &str, label: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(label))
}

pub fn home(home: &Home) -> String {
    let mut body = format!("<p>Store <code>{}</code>.</p>", esc(&home.store));
    if home.problems.is_empty() {
        body.push_str("<p class=\"empty\">Nothing in this store yet: run <code>ale run</code>, <code>ale tune</code> or <code>ale solve</code>.</p>");
    }
    for p in &home.problems {
        let _ = write!(
            body,
            "<section class=\"problem\"><h2 id=\"{id}\">{id}</h2><p>{title}{objective}</p>",
            id = esc(&p.id),
            title = esc(p
                .title
                .as_deref()
                .unwrap_or("(not a problem this ale knows)")),
            objective = p
                .objective
                .map_or(String::new(), |o| format!(", objective {o}"))
        );
        if !p.sessions.is_empty() {
            let rows: Vec<Vec<String>> = p
                .sessions
                .iter()
                .map(|s| {
                    vec![
                        link(&format!("/sessions/{}", s.id), &format!("session {}", s.id)),
                        esc(&s.status),
                        esc(&s.started_at),
                        s.candidates.to_string(),
                        s.cases.to_string(),
                        num(s.best_public_score),
                        opt(s.private_score),
                        opt(s.rank),
                        opt(s.performance),
                        s.model_calls.to_string(),
                        format!("${:.4}", s.cost),
                        esc(s.submission.as_deref().unwrap_or("-")),
                    ]
                })
                .collect();
            body.push_str("<h3>Search sessions</h3>");
            body.push_str(&table(
                "sortable sessions",
                &[
                    "session",
                    "status",
                    "started",
                    "candidates",
                    "cases",
                    "best public",
                    "private",
                    "rank",
                    "performance",
                    "model calls",
                    "cost",
                    "submission",
                ],
                &rows,
            ));
        }
        if !p.tunings.is_empty() {
            let rows: Vec<Vec<String>> = p
                .tunings
                .iter()
                .map(|t| {
                    vec![
                        link(&format!("/tunings/{}", t.id), &format!("tuning {}", t.id)),
                        esc(&t.solution),
                        esc(&t.status),
                        esc(&t.started_at),
                        t.trials.to_string(),
                        num(t.best_relative),
                        t.session.map_or("-".into(), |s| {
                            link(&format!("/sessions/{s}"), &format!("session {s}"))
                        }),
                    ]
                })
                .collect();
            body.push_str("<h3>Tunings</h3>");
            body.push_str(&table(
                "sortable tunings",
                &[
                    "tuning",
                    "solution",
                    "status",
                    "started",
                    "trials",
                    "best mean relative",
                    "of",
                ],
                &rows,
            ));
        }
        if !p.runs.is_empty() {
            let rows: Vec<Vec<String>> = p
                .runs
                .iter()
                .map(|r| {
                    vec![
                        link(&format!("/runs/{}/cases/0", r.id), &format!("run {}", r.id)),
                        esc(&r.solution),
                        esc(&r.status),
                        esc(&r.started_at),
                        format!("{}/{}", opt(r.accepted), opt(r.cases)),
                        num(r.mean_score),
                        num(r.mean_relative_score),
                    ]
                })
                .collect();
            body.push_str("<h3>Runs (newest)</h3>");
            body.push_str(&table(
                "sortable runs",
                &[
                    "run",
                    "solution",
                    "status",
                    "started",
                    "accepted",
                    "mean score",
                    "mean relative",
                ],
                &rows,
            ));
        }
        body.push_str("</section>");
    }
    if !home.benches.is_empty() {
        let rows: Vec<Vec<String>> = home
            .benches
            .iter()
            .map(|b| {
                vec![
                    link(&format!("/benches/{}", b.id), &format!("bench {}", b.id)),
                    esc(&b.status),
                    esc(&b.started_at),
                    esc(&b.problems),
                    b.done.to_string(),
                ]
            })
            .collect();
        body.push_str("<section><h2>Benches</h2>");
        body.push_str(&table(
            "sortable benches",
            &["bench", "status", "started", "problems", "done"],
            &rows,
        ));
        body.push_str("</section>");
    }
    page("Problems", &[], &body)
}

/// The part of a session's page that the script redraws when the store changes.
pub fn session_live(s: &SessionView) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<dl class=\"figures\">\
         <dt>status</dt><dd class=\"status\">{status}</dd>\
         <dt>candidates</dt><dd class=\"candidates\">{candidates}</dd>\
         <dt>case evaluations</dt><dd>{cases}</dd>\
         <dt>seconds of search</dt><dd>{elapsed:.1}</dd>\
         <dt>cases per second</dt><dd>{rate}</dd>\
         <dt>best public score</dt><dd>{best}</dd>\
         <dt>model calls</dt><dd>{calls} ({in_flight} in flight)</dd>\
         <dt>tokens in / out</dt><dd>{tin} / {tout}</dd>\
         <dt>cost</dt><dd>${cost:.4}</dd></dl>",
        status = esc(&s.status),
        candidates = s.activity.candidates,
        cases = s.activity.cases,
        elapsed = s.elapsed_s,
        rate = num(s.cases_per_s),
        best = num(s.best_public_score.or(s.best_over_time.last().map(|b| b.1))),
        calls = s.activity.calls,
        in_flight = s.in_flight,
        tin = s.tokens_in,
        tout = s.tokens_out,
        cost = s.cost,
    );
    let points: Vec<(f64, f64)> = s.best_over_time.iter().map(|b| (b.0, b.1)).collect();
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
    body.push_str("<h2>Candidates</h2><p class=\"hint\">Colour: mean score, red worst to green best (grey: none accepted). Scroll over the tree to zoom.</p><div class=\"tree-box\">");
    body.push_str(&svg::tree(
        &s.candidates,
        s.objective == "min",
        s.id,
        s.best_candidate,
    ));
    body.push_str("</div>");
    let arms = |title: &str, arms: &[super::data::ArmView]| -> String {
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
            ]
        })
        .collect();
    body.push_str(&table(
        "sortable cases",
        &["seed", "verdict", "score", "relative", "time (ms)"],
        &rows,
    ));
    if let Some(diff) = &c.diff {
        let _ = write!(
            body,
            "<h2>Against its parent, candidate {}</h2>",
            c.parent.unwrap_or_default()
        );
        if diff.is_empty() {
            body.push_str("<p class=\"empty\">the same text as its parent</p>");
        } else {
            body.push_str("<pre class=\"diff\">");
            for line in diff {
                let class = match line.kind {
                    '+' => "add",
                    '-' => "del",
                    '@' => "gap",
                    _ => "same",
                };
                // Each line is a block of its own: no newline between them.
                if line.kind == '@' {
                    body.push_str("<span class=\"gap\">\u{22ef}</span>");
                    continue;
                }
                let _ = write!(
                    body,
                    "<span class=\"{class}\"><span class=\"ln\">{:>4} {:>4}</span> {}{}</span>",
                    opt(line.old),
                    opt(line.new),
                    line.kind,
                    esc(&line.text)
                );
            }
            body.push_str("</pre>");
        }
    }
    let _ = write!(
        body,
        "<h2>Source</h2><pre class=\"source\"><code>{}</code></pre>",
        esc(&c.source)
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
        // The drawing is ale's own (the scorers crate), not stored text.
        let _ = write!(body, "<div class=\"vis\">{svg}</div>");
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
                    format!("{}/{} accepted", tr.holdout_accepted, tr.holdout_cases)
                } else {
                    "-".into()
                },
            ]
        })
        .collect();
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
        "<p>{status}, started {started}, {done} of {all} problems done.</p>",
        status = esc(&b.status),
        started = esc(&b.started_at),
        done = b.rows.len(),
        all = b.problems.len(),
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
    page(
        &format!("Bench {}", b.id),
        &[(format!("bench {}", b.id), format!("/benches/{}", b.id))],
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_cannot_open_a_tag() {
        assert_eq!(
            esc("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
        let page = failure(404, "session <b>9</b>");
        assert!(page.contains("session &lt;b&gt;9&lt;/b&gt;"));
        assert!(!page.contains("<b>9"));
    }
}
