//! The pages as HTML, drawn from the documents of `data/`: the home page
//! and what every page shares (here), a session and its candidates
//! (`session.rs`), runs, cases, model calls, tunings and benches
//! (`records.rs`), and the colouring of a source (`highlight.rs`).
//! Every piece of stored text goes through [`esc`]: sources, prompts and
//! replies are written by models and are shown, never run.

mod highlight;
mod records;
mod session;

pub use records::{bench, call, case, run, tuning};
pub use session::{candidate, session, session_live};

use super::data::Home;
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

pub(super) fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("-".into(), |v| v.to_string())
}

pub(super) fn num(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.2}"))
}

/// How much of its budget a search's latest run spent, `12.3 s of 120 s`,
/// and its caps on evaluations and dollars (counted per run of the search,
/// tuning bursts included, which the store's totals of a resumed session
/// are not).
pub(super) fn budget_used(elapsed_s: f64, budget: Option<&crate::store::Budget>) -> String {
    let Some(b) = budget else {
        return format!("{elapsed_s:.1} s");
    };
    // A budget too long for the clock is none at all.
    let mut used = if b.seconds < 1e9 {
        format!("{elapsed_s:.1} s of {:.0} s", b.seconds)
    } else {
        format!("{elapsed_s:.1} s")
    };
    if let Some(n) = b.evaluations {
        let _ = write!(used, ", at most {n} evaluations");
    }
    if let Some(d) = b.dollars {
        let _ = write!(used, ", at most ${d:.2} on models");
    }
    used
}

/// A whole page: the title, a trail of links back, the body.
pub(super) fn page(title: &str, trail: &[(String, String)], body: &str) -> String {
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
pub(super) fn table(class: &str, head: &[&str], rows: &[Vec<String>]) -> String {
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

pub(super) fn link(href: &str, label: &str) -> String {
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
                        esc(&budget_used(s.elapsed_s, s.budget.as_ref())),
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
                    "budget used",
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
                        link(&format!("/runs/{}", r.id), &format!("run {}", r.id)),
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
