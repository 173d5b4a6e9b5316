//! The pictures of the pages, drawn as inline SVG: a step chart of the best
//! score over time, points, counts over time, the bandits' values over time
//! and the tree of a session's candidates. Every chart maps its values onto
//! the same frame ([`Frame`]) and draws the same axes ([`axes`]).

use super::data::CandidateNode;
use super::html::esc;
use crate::store::BanditChoice;
use std::collections::HashMap;
use std::fmt::Write;

const CHART_W: f64 = 640.0;
const CHART_H: f64 = 240.0;
const MARGIN: f64 = 56.0;

/// A short form of a number for an axis.
fn tick(v: f64) -> String {
    if v.abs() >= 1e6 || (v != 0.0 && v.abs() < 0.01) {
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

/// The scales of a chart: the ranges of its values, mapped onto the plot
/// inside the margins (y upwards).
struct Frame {
    x_min: f64,
    x_max: f64,
    y_min: f64,
    y_max: f64,
}

impl Frame {
    /// A frame over the values `x` and `y` (an empty or a flat range is
    /// widened by one each way, so that nothing divides by zero).
    fn over(x: (f64, f64), y: (f64, f64)) -> Frame {
        let widen = |(lo, hi): (f64, f64)| {
            if !lo.is_finite() || !hi.is_finite() {
                (-1.0, 1.0)
            } else if hi - lo < 1e-9 {
                (lo - 1.0, hi + 1.0)
            } else {
                (lo, hi)
            }
        };
        let ((x_min, x_max), (y_min, y_max)) = (widen(x), widen(y));
        Frame {
            x_min,
            x_max,
            y_min,
            y_max,
        }
    }

    fn x(&self, v: f64) -> f64 {
        MARGIN + (v - self.x_min) / (self.x_max - self.x_min) * (CHART_W - 2.0 * MARGIN)
    }

    fn y(&self, v: f64) -> f64 {
        CHART_H - MARGIN + (v - self.y_min) / (self.y_max - self.y_min) * (2.0 * MARGIN - CHART_H)
    }

    /// The axes, the y range's ends written at them and the x axis's ends
    /// as `x_first` and `x_last`.
    fn axes(&self, x_first: &str, x_last: &str) -> String {
        axes(
            self.y(self.y_max),
            &tick(self.y_max),
            self.y(self.y_min),
            &tick(self.y_min),
            x_first,
            x_last,
        )
    }
}

/// The lowest and highest of `values` (infinite when there are none).
fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// The best score so far against time: a step for each new best, held until
/// `until` (the x axis in `x_unit`). `points` are (x, score), in x order.
pub fn best_chart(points: &[(f64, f64)], until: f64, x_unit: &str, y_label: &str) -> String {
    if points.is_empty() {
        return "<p class=\"empty\">no candidate has run every public seed yet</p>".into();
    }
    let x_max = until.max(points.last().map_or(0.0, |p| p.0)).max(1e-9);
    let frame = Frame::over((0.0, x_max), range(points.iter().map(|p| p.1)));
    let (x, y) = (|t| frame.x(t), |v| frame.y(v));
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
    svg.push_str(&frame.axes(&format!("0{x_unit}"), &format!("{}{x_unit}", tick(x_max))));
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
    let frame = Frame::over(
        range(points.iter().map(|p| p.0)),
        range(points.iter().map(|p| p.1)),
    );
    let (x, y) = (|v| frame.x(v), |v| frame.y(v));
    let mut svg = format!(
        "<svg class=\"chart scatter\" viewBox=\"0 0 {CHART_W} {CHART_H}\" role=\"img\" aria-label=\"{} against {}\">",
        esc(y_label),
        esc(x_label),
    );
    svg.push_str(&frame.axes(&tick(frame.x_min), &tick(frame.x_max)));
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
    let frame = Frame::over((0.0, x_max), (0.0, most as f64));
    let (x, y) = (|v| frame.x(v), |n| frame.y(n));
    let mut svg = format!(
        "<svg class=\"chart counts\" viewBox=\"0 0 {CHART_W} {CHART_H}\" role=\"img\" aria-label=\"{} over time\">",
        esc(what),
    );
    svg.push_str(&frame.axes("0 s", &format!("{} s", tick(x_max))));
    for (i, (name, times)) in series.iter().enumerate() {
        let colour = SERIES[i % SERIES.len()];
        let mut times = times.clone();
        times.sort_by(f64::total_cmp);
        let mut d = format!("M{:.1},{:.1}", x(0.0), y(0.0));
        // A long search's thousands of steps: evenly spaced ones and the
        // last stand for the rest, as in the bandits' charts.
        let every = times.len().div_ceil(MOST_CHOICES).max(1);
        let drawn = times
            .iter()
            .enumerate()
            .filter(|(n, _)| n % every == 0 || *n + 1 == times.len());
        for (n, t) in drawn {
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

/// The races of a tuning's trials: for each trial, the paired test's
/// p-value after each batch against the seeds it had run, and the level
/// `alpha` under which a trial stops, as a dashed line.
pub fn races(races: &[(usize, Vec<(f64, f64)>)], alpha: f64) -> String {
    if races.is_empty() {
        return "<p class=\"empty\">no trial has raced yet (a race is tested from five seeds on)</p>".into();
    }
    let x_max = range(races.iter().flat_map(|(_, p)| p.iter().map(|q| q.0))).1;
    let frame = Frame::over((0.0, x_max), (0.0, 1.0));
    let mut svg = format!(
        "<svg class=\"chart races\" viewBox=\"0 0 {CHART_W} {CHART_H}\" role=\"img\" aria-label=\"each trial's p-value against the seeds it ran\">"
    );
    svg.push_str(&frame.axes("0 seeds", &format!("{} seeds", tick(x_max))));
    let _ = write!(
        svg,
        "<path class=\"level\" d=\"M{:.1},{:.1} L{:.1},{:.1}\" stroke=\"#c23b5a\" stroke-dasharray=\"4 3\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#c23b5a\">stops under p = {alpha}</text>",
        frame.x(0.0),
        frame.y(alpha),
        frame.x(x_max),
        frame.y(alpha),
        MARGIN + 8.0,
        frame.y(alpha) - 4.0,
    );
    for (i, (number, points)) in races.iter().enumerate() {
        let colour = SERIES[i % SERIES.len()];
        let mut d = String::new();
        for (k, (x, p)) in points.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1},{:.1}",
                if k == 0 { "M" } else { " L" },
                frame.x(*x),
                frame.y(*p)
            );
        }
        let (x, p) = points[points.len() - 1];
        let _ = write!(
            svg,
            "<path class=\"race\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"><title>trial {number}</title></path>\
             <circle class=\"race-end\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>trial {number}: p {p:.3} after {x} seeds</title></circle>",
            frame.x(x),
            frame.y(p),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Choices drawn at most in [`bandit_chart`]: past this, evenly spaced ones
/// and the last stand for the rest, so that a long search's page stays small.
const MOST_CHOICES: usize = 400;

/// One bandit over a search: for each arm, its UCB value (solid) and its
/// mean reward (dashed) at each of `choices` (seconds into the search, and
/// the choice), held until the next, in the arm's colour, up to `until`
/// seconds, with a legend of the figures at the last choice. An untried arm
/// has no value yet: its lines start at its first use.
pub fn bandit_chart(choices: &[(f64, &BanditChoice)], until: f64) -> String {
    let Some(&(last_s, last)) = choices.last() else {
        return "<p class=\"empty\">no choices yet</p>".into();
    };
    let step = choices.len().div_ceil(MOST_CHOICES).max(1);
    let drawn: Vec<(f64, &BanditChoice)> = choices
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || i + 1 == choices.len())
        .map(|(_, c)| *c)
        .collect();
    let mut names: Vec<&str> = Vec::new();
    for (_, c) in &drawn {
        for a in &c.arms {
            if !names.contains(&a.name.as_str()) {
                names.push(&a.name);
            }
        }
    }
    let values = drawn
        .iter()
        .flat_map(|(_, c)| c.arms.iter())
        .flat_map(|a| [a.ucb, a.mean])
        .flatten();
    let x_max = until.max(last_s).max(1e-9);
    let frame = Frame::over((0.0, x_max), range(values.filter(|v| v.is_finite())));
    let mut svg = format!(
        "<svg class=\"chart bandit\" viewBox=\"0 0 {CHART_W} {:.0}\" role=\"img\" aria-label=\"the {} bandit's values over time\">",
        CHART_H - 10.0 + 16.0 * names.len() as f64,
        esc(&last.bandit),
    );
    svg.push_str(&frame.axes("0 s", &format!("{} s", tick(x_max))));
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">UCB value (solid) and mean reward (dashed) at each choice</text>",
        CHART_W / 2.0,
        MARGIN - 12.0,
    );
    for (i, name) in names.iter().enumerate() {
        let colour = SERIES[i % SERIES.len()];
        // A step line through one figure of the arm; a gap where it has none.
        let line = |figure: &dyn Fn(&crate::store::ArmFigure) -> Option<f64>| {
            let mut d = String::new();
            let mut held: Option<f64> = None;
            for &(t, c) in &drawn {
                let v = c
                    .arms
                    .iter()
                    .find(|a| a.name == *name)
                    .and_then(figure)
                    .filter(|v| v.is_finite());
                match (held, v) {
                    (Some(_), Some(v)) => {
                        let _ = write!(d, " H{:.1} V{:.1}", frame.x(t), frame.y(v));
                    }
                    (None, Some(v)) => {
                        let _ = write!(d, " M{:.1},{:.1}", frame.x(t), frame.y(v));
                    }
                    (Some(_), None) => {
                        let _ = write!(d, " H{:.1}", frame.x(t));
                    }
                    (None, None) => {}
                }
                held = v;
            }
            d.trim().to_string()
        };
        let figures = last.arms.iter().find(|a| a.name == *name);
        let said = |v: Option<f64>| v.map_or("-".into(), tick);
        let legend = match figures {
            Some(a) => format!(
                "{}: {} uses, mean {}, UCB {}",
                short(name),
                a.uses,
                said(a.mean),
                said(a.ucb)
            ),
            None => short(name),
        };
        let ucb = line(&|a| a.ucb);
        let mean = line(&|a| a.mean);
        let y = CHART_H - 18.0 + 16.0 * i as f64;
        let _ = write!(
            svg,
            "<path class=\"ucb\" d=\"{ucb}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"><title>{n}: UCB value</title></path>\
             <path class=\"mean\" d=\"{mean}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"><title>{n}: mean reward</title></path>\
             <g class=\"legend\"><path d=\"M{l0},{ly:.1} H{l1}\" stroke=\"{colour}\" stroke-width=\"2\"/>\
             <path d=\"M{l2},{ly:.1} H{l3}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\
             <text x=\"{tx}\" y=\"{ty:.1}\" fill=\"{colour}\">{legend}</text></g>",
            n = esc(name),
            l0 = MARGIN,
            l1 = MARGIN + 18.0,
            l2 = MARGIN + 22.0,
            l3 = MARGIN + 40.0,
            ly = y - 4.0,
            tx = MARGIN + 46.0,
            ty = y,
            legend = esc(&legend),
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

    fn choice(at_s: f64, arms: &[(&str, usize, Option<f64>, Option<f64>)]) -> BanditChoice {
        BanditChoice {
            number: 0,
            at_s,
            bandit: "operator".into(),
            chosen: arms[0].0.into(),
            arms: arms
                .iter()
                .map(|&(name, uses, mean, ucb)| crate::store::ArmFigure {
                    name: name.into(),
                    uses,
                    mean,
                    ucb,
                    able: true,
                })
                .collect(),
        }
    }

    #[test]
    fn a_bandit_s_lines_start_at_an_arm_s_first_use_and_step_at_each_choice() {
        let choices = [
            choice(0.0, &[("a", 0, None, None), ("b<", 0, None, None)]),
            choice(
                5.0,
                &[("a", 1, Some(0.5), Some(0.5)), ("b<", 0, None, None)],
            ),
            choice(
                10.0,
                &[
                    ("a", 1, Some(0.5), Some(0.541)),
                    ("b<", 1, Some(0.1), Some(0.141)),
                ],
            ),
        ];
        let timed: Vec<(f64, &BanditChoice)> = choices.iter().map(|c| (c.at_s, c)).collect();
        let svg = bandit_chart(&timed, 10.0);
        // x: 0..10 s over 56..584; y: 0.1..0.541 over 184..56.
        let y = |v: f64| 184.0 - (v - 0.1) / (0.541 - 0.1) * 128.0;
        let a = format!("d=\"M320.0,{:.1} H584.0 V{:.1}\"", y(0.5), y(0.541));
        assert!(svg.contains(&a), "{a} in {svg}");
        let b = format!("d=\"M584.0,{:.1}\"", y(0.141));
        assert!(svg.contains(&b), "{b} in {svg}");
        assert!(
            svg.contains(">a: 1 uses, mean 0.50, UCB 0.54</text>"),
            "{svg}"
        );
        assert!(
            svg.contains(">b&lt;: 1 uses, mean 0.10, UCB 0.14</text>"),
            "{svg}"
        );
        assert_eq!(svg.matches("class=\"ucb\"").count(), 2);

        // A long search: evenly spaced choices and the last stand for the rest.
        let many: Vec<BanditChoice> = (1..=1000)
            .map(|i| choice(i as f64, &[("a", i, Some(0.5), Some(i as f64))]))
            .collect();
        let timed: Vec<(f64, &BanditChoice)> = many.iter().map(|c| (c.at_s, c)).collect();
        let svg = bandit_chart(&timed, 0.0);
        let ucb = svg.split("class=\"ucb\" d=\"").nth(1).unwrap();
        let ucb = ucb.split('"').next().unwrap();
        // Every third of 1000 (0, 3, ..., 999): 334 points, 333 steps.
        assert_eq!(ucb.matches('H').count(), 333, "{ucb}");
        assert!(ucb.ends_with("H584.0 V56.0"), "the last is drawn: {ucb}");
        assert!(svg.contains(">a: 1000 uses, mean 0.50, UCB 1000</text>"));
    }
}
