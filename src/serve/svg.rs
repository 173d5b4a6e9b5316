//! The pictures of the pages, drawn as inline SVG: a step chart of the best
//! score over time and the tree of a session's candidates.

use super::data::CandidateNode;
use super::html::esc;
use std::collections::HashMap;
use std::fmt::Write;

const CHART_W: f64 = 640.0;
const CHART_H: f64 = 240.0;
const MARGIN: f64 = 56.0;

/// A short form of a number for an axis.
fn tick(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{:.3e}", v)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// The frame of a chart: the two axes, the values at the y axis's top and
/// bottom (drawn at heights `y_top` and `y_bottom`), and at the x axis's ends.
fn axes(y_top: f64, top: &str, y_bottom: f64, bottom: &str, x_first: &str, x_last: &str) -> String {
    let (left, right, upper, lower) = (MARGIN, CHART_W - MARGIN, MARGIN, CHART_H - MARGIN);
    format!(
        "<path class=\"axis\" d=\"M{left},{upper} L{left},{lower} L{right},{lower}\"/>\
         <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{top}</text>\
         <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{bottom}</text>\
         <text x=\"{left}\" y=\"{}\">{x_first}</text>\
         <text x=\"{right}\" y=\"{}\" text-anchor=\"end\">{x_last}</text>",
        left - 4.0,
        y_top + 4.0,
        left - 4.0,
        y_bottom + 4.0,
        lower + 16.0,
        lower + 16.0,
    )
}

/// The best score so far against time: a step for each new best, held until
/// `until` (the x axis in `x_unit`). `points` are (x, score), in x order.
pub fn best_chart(points: &[(f64, f64)], until: f64, x_unit: &str, y_label: &str) -> String {
    if points.is_empty() {
        return "<p class=\"empty\">no candidate has run every public seed yet</p>".into();
    }
    let x_max = until.max(points.last().map_or(0.0, |p| p.0)).max(1e-9);
    let (mut y_min, mut y_max) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    if y_max - y_min < 1e-9 {
        y_min -= 1.0;
        y_max += 1.0;
    }
    let x = |t: f64| MARGIN + t / x_max * (CHART_W - 2.0 * MARGIN);
    let y = |v: f64| CHART_H - MARGIN + (v - y_min) / (y_max - y_min) * (2.0 * MARGIN - CHART_H);
    let mut path = String::new();
    let mut last: Option<f64> = None;
    for &(t, v) in points {
        if let Some(prev) = last {
            let _ = write!(path, " {:.1},{:.1}", x(t), y(prev));
        }
        let _ = write!(path, " {:.1},{:.1}", x(t), y(v));
        last = Some(v);
    }
    if let Some(v) = last {
        let _ = write!(path, " {:.1},{:.1}", x(x_max), y(v));
    }
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {CHART_W} {CHART_H}\" role=\"img\" aria-label=\"best score against time\">"
    );
    svg.push_str(&axes(
        y(y_max),
        &tick(y_max),
        y(y_min),
        &tick(y_min),
        &format!("0{x_unit}"),
        &format!("{}{x_unit}", tick(x_max)),
    ));
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <polyline class=\"line\" points=\"{}\"/>",
        CHART_W / 2.0,
        MARGIN - 12.0,
        esc(y_label),
        path.trim()
    );
    for &(t, v) in points {
        let _ = write!(
            svg,
            "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"><title>{} at {:.1}{x_unit}</title></circle>",
            x(t),
            y(v),
            tick(v),
            t
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Points (x, y) as dots, for a parameter's values against the scores they got.
pub fn scatter(points: &[(f64, f64)], x_label: &str, y_label: &str) -> String {
    if points.is_empty() {
        return "<p class=\"empty\">no trial with a score and a number here yet</p>".into();
    }
    let range = |values: &mut dyn Iterator<Item = f64>| {
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if hi - lo < 1e-9 {
            (lo - 1.0, hi + 1.0)
        } else {
            (lo, hi)
        }
    };
    let (x_min, x_max) = range(&mut points.iter().map(|p| p.0));
    let (y_min, y_max) = range(&mut points.iter().map(|p| p.1));
    let x = |v: f64| MARGIN + (v - x_min) / (x_max - x_min) * (CHART_W - 2.0 * MARGIN);
    let y = |v: f64| CHART_H - MARGIN + (v - y_min) / (y_max - y_min) * (2.0 * MARGIN - CHART_H);
    let mut svg = format!(
        "<svg class=\"chart scatter\" viewBox=\"0 0 {CHART_W} {CHART_H}\" role=\"img\" aria-label=\"{} against {}\">",
        esc(y_label),
        esc(x_label),
    );
    svg.push_str(&axes(
        y(y_max),
        &tick(y_max),
        y(y_min),
        &tick(y_min),
        &tick(x_min),
        &tick(x_max),
    ));
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{} (across) against {}</text>",
        CHART_W / 2.0,
        MARGIN - 12.0,
        esc(x_label),
        esc(y_label),
    );
    for &(px, py) in points {
        let _ = write!(
            svg,
            "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"><title>{}: {}</title></circle>",
            x(px),
            y(py),
            tick(px),
            tick(py)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Colours of the series of [`counts_over_time`], in turn.
const SERIES: [&str; 6] = [
    "#1f6fc5", "#d9622b", "#2a9d4b", "#8a4fbf", "#c23b5a", "#6b6b6b",
];

/// How many times each named thing happened by each moment: a step line per
/// series (its moments in seconds, in any order) up to `until`, with a
/// legend. The operators' and the models' choices over a search.
pub fn counts_over_time(series: &[(String, Vec<f64>)], until: f64, what: &str) -> String {
    let most = series.iter().map(|(_, t)| t.len()).max().unwrap_or(0);
    if most == 0 {
        return format!("<p class=\"empty\">no {} yet</p>", esc(what));
    }
    let x_max = series
        .iter()
        .flat_map(|(_, t)| t.iter().copied())
        .fold(until, f64::max)
        .max(1e-9);
    let x = |v: f64| MARGIN + v / x_max * (CHART_W - 2.0 * MARGIN);
    let y = |n: f64| CHART_H - MARGIN - n / most as f64 * (CHART_H - 2.0 * MARGIN);
    let mut svg = format!(
        "<svg class=\"chart counts\" viewBox=\"0 0 {CHART_W} {CHART_H}\" role=\"img\" aria-label=\"{} over time\">",
        esc(what),
    );
    svg.push_str(&axes(
        y(most as f64),
        &most.to_string(),
        y(0.0),
        "0",
        "0 s",
        &format!("{} s", tick(x_max)),
    ));
    for (i, (name, times)) in series.iter().enumerate() {
        let colour = SERIES[i % SERIES.len()];
        let mut times = times.clone();
        times.sort_by(f64::total_cmp);
        let mut d = format!("M{:.1},{:.1}", x(0.0), y(0.0));
        for (n, t) in times.iter().enumerate() {
            let _ = write!(
                d,
                " L{:.1},{:.1} L{:.1},{:.1}",
                x(*t),
                y(n as f64),
                x(*t),
                y(n as f64 + 1.0)
            );
        }
        let _ = write!(d, " L{:.1},{:.1}", x(x_max), y(times.len() as f64));
        let _ = write!(
            svg,
            "<path class=\"series\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"><title>{}: {}</title></path>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{} ({})</text>",
            esc(name),
            times.len(),
            MARGIN + 8.0,
            MARGIN + 14.0 * i as f64,
            esc(&short(name)),
            times.len()
        );
    }
    svg.push_str("</svg>");
    svg
}

const COLUMN: f64 = 110.0;
const ROW: f64 = 74.0;

/// A colour from red (worst) to green (best) for a score's place in [0, 1].
fn colour(place: Option<f64>) -> String {
    match place {
        None => "#9a9a9a".into(),
        Some(p) => format!("hsl({:.0}, 65%, 45%)", 120.0 * p.clamp(0.0, 1.0)),
    }
}

/// A label cut to fit under a node (the whole one is on the candidate's page).
fn short(text: &str) -> String {
    const MAX: usize = 18;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{cut}\u{2026}")
}

/// The candidate tree: one node (`<g class="node">`) per candidate, children
/// below their parent, coloured by mean score (grey: none accepted), each
/// labelled with its id, operator and model and linking to its page.
pub fn tree(nodes: &[CandidateNode], minimise: bool, session: i64, best: Option<i64>) -> String {
    if nodes.is_empty() {
        return "<p class=\"empty\">no candidates yet</p>".into();
    }
    let known: HashMap<i64, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut roots = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        match n.parent.and_then(|p| known.get(&p)) {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    // Leaves take the next column; a parent sits above the middle of its children.
    let mut place: Vec<(f64, usize)> = vec![(0.0, 0); nodes.len()];
    let mut next_column = 0.0;
    let mut stack: Vec<(usize, usize, bool)> = roots.iter().rev().map(|&r| (r, 0, false)).collect();
    let mut seen = vec![false; nodes.len()];
    while let Some((i, depth, done)) = stack.pop() {
        if done {
            let kids = &children[i];
            let x = if kids.is_empty() {
                next_column += 1.0;
                next_column - 1.0
            } else {
                (place[kids[0]].0 + place[kids[kids.len() - 1]].0) / 2.0
            };
            place[i] = (x, depth);
            continue;
        }
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.push((i, depth, true));
        for &k in children[i].iter().rev() {
            stack.push((k, depth + 1, false));
        }
    }
    let scores: Vec<f64> = nodes.iter().filter_map(|n| n.mean_score).collect();
    let (lo, hi) = scores
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &s| {
            (a.min(s), b.max(s))
        });
    let rank = |s: f64| {
        let p = if hi - lo < 1e-12 {
            1.0
        } else {
            (s - lo) / (hi - lo)
        };
        if minimise {
            1.0 - p
        } else {
            p
        }
    };
    let depth = place.iter().map(|p| p.1).max().unwrap_or(0);
    let width = (next_column.max(1.0)) * COLUMN;
    let height = (depth as f64 + 1.0) * ROW + 20.0;
    let at = |i: usize| {
        (
            place[i].0 * COLUMN + COLUMN / 2.0,
            place[i].1 as f64 * ROW + 24.0,
        )
    };
    let mut svg = format!(
        "<svg class=\"tree\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"candidate tree\">"
    );
    for (i, kids) in children.iter().enumerate() {
        let (x1, y1) = at(i);
        for &k in kids {
            let (x2, y2) = at(k);
            let _ = write!(
                svg,
                "<line class=\"edge\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>"
            );
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        let (x, y) = at(i);
        let fill = colour(n.mean_score.map(rank));
        let ring = if best == Some(n.id) { " best" } else { "" };
        let _ = write!(
            svg,
            "<a href=\"/sessions/{session}/candidates/{id}\"><g class=\"node{ring}\" data-id=\"{id}\">\
             <title>candidate {id}: {op}, {status}, {cases} cases, mean {mean}</title>\
             <circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"11\" fill=\"{fill}\"/>\
             <text x=\"{x:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\">#{id} {op}</text>\
             <text class=\"model\" x=\"{x:.1}\" y=\"{my:.1}\" text-anchor=\"middle\">{model}</text></g></a>",
            id = n.id,
            op = esc(&n.operator),
            status = esc(&n.status),
            cases = n.cases,
            mean = n.mean_score.map_or("-".into(), |m| format!("{m:.2}")),
            ty = y + 25.0,
            my = y + 37.0,
            model = esc(&short(n.model.as_deref().unwrap_or(""))),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent: Option<i64>, mean: Option<f64>) -> CandidateNode {
        CandidateNode {
            id,
            parent,
            operator: "op<x>".into(),
            origin: String::new(),
            model: None,
            status: "evaluated".into(),
            evaluated: true,
            cases: 1,
            accepted: 1,
            mean_score: mean,
            created_s: 0.0,
        }
    }

    #[test]
    fn a_tree_has_a_node_per_candidate_and_a_parent_above_its_children() {
        let nodes = [
            node(1, None, Some(10.0)),
            node(2, Some(1), Some(20.0)),
            node(3, Some(1), None),
            node(4, Some(99), Some(5.0)),
        ];
        let svg = tree(&nodes, false, 7, Some(2));
        assert_eq!(svg.matches("<g class=\"node").count(), 4);
        assert_eq!(svg.matches("class=\"edge\"").count(), 2);
        assert!(svg.contains("op&lt;x&gt;") && !svg.contains("op<x>"));
        assert!(svg.contains("href=\"/sessions/7/candidates/3\""));
        // Node 1 sits between its children (columns 0 and 1), node 4 in column 2.
        assert!(svg.contains("cx=\"110.0\" cy=\"24.0\""), "{svg}");
        assert!(svg.contains("cx=\"275.0\" cy=\"24.0\""), "{svg}");
        // The best is green, the worst red, no score grey.
        assert!(svg.contains("hsl(120, 65%, 45%)") && svg.contains("hsl(0, 65%, 45%)"));
        assert!(svg.contains("#9a9a9a"));
    }
}
