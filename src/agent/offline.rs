//! The operators that need no language model: they vary a parent's
//! annotated constants (`// ale:param`), by a random step, by taking them
//! from another candidate, or by a short burst of the tuner.

use super::operator::{Archived, Operator, OperatorContext, Proposal};
use crate::error::{Error, Result};
use crate::problem::Seeds;
use crate::tune::params::{find, rewrite};
use crate::tune::space::Space;
use crate::tune::tpe::standard_normal;
use crate::tune::{tune, TuneOptions};
use rand::Rng;
use std::time::Duration;

fn describe(values: &[(String, String)]) -> String {
    values
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One or a few annotated constants moved: a normal step of 0.2 of the range
/// (on the log scale for `log` ranges), a new draw for a choice.
pub struct Perturb;

impl Operator for Perturb {
    fn name(&self) -> &'static str {
        "perturb"
    }

    fn propose(&mut self, cx: &mut OperatorContext) -> Result<Vec<Proposal>> {
        let Some(parent) = cx.parent.map(|p| &cx.archive[p]) else {
            return Ok(Vec::new());
        };
        let space = Space::new(find(parent.source).unwrap_or_default());
        let d = space.dims();
        if d == 0 {
            return Ok(Vec::new());
        }
        let start = space.current();
        let mut out = Vec::new();
        for _ in 0..10 {
            let mut point = start.clone();
            let pick = cx.rng.random_range(0..d);
            for (j, x) in point.iter_mut().enumerate() {
                if j != pick && cx.rng.random::<f64>() >= 1.0 / d as f64 {
                    continue;
                }
                match space.choices(j) {
                    Some(k) => *x = cx.rng.random_range(0..k) as f64,
                    None => *x = (*x + 0.2 * standard_normal(cx.rng)).clamp(0.0, 1.0),
                }
            }
            let point = space.snap(&point);
            if point == start {
                continue;
            }
            let values = space.values(&point);
            let pairs: Vec<(&str, String)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            if let Ok(source) = rewrite(parent.source, &space.params, &pairs) {
                out.push(Proposal::child(source, describe(&values)));
            }
        }
        Ok(out)
    }
}

/// The parent's constants, each taken from it or from another fully judged
/// candidate with the same annotated names.
pub struct Crossover;

impl Operator for Crossover {
    fn name(&self) -> &'static str {
        "crossover"
    }

    fn propose(&mut self, cx: &mut OperatorContext) -> Result<Vec<Proposal>> {
        let Some(me) = cx.parent else {
            return Ok(Vec::new());
        };
        let parent = &cx.archive[me];
        let mine = find(parent.source).unwrap_or_default();
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        let names: Vec<&str> = mine.iter().map(|p| p.name.as_str()).collect();
        let mates: Vec<&Archived> = cx
            .archive
            .iter()
            .enumerate()
            .filter(|(j, a)| *j != me && a.full && a.extension == parent.extension)
            .map(|(_, a)| a)
            .filter(|a| {
                find(a.source)
                    .is_ok_and(|p| p.iter().map(|q| q.name.as_str()).collect::<Vec<_>>() == names)
            })
            .collect();
        if mates.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for _ in 0..5 {
            let mate = mates[cx.rng.random_range(0..mates.len())];
            let theirs = find(mate.source).unwrap_or_default();
            let pairs: Vec<(&str, String)> = mine
                .iter()
                .zip(&theirs)
                .map(|(a, b)| {
                    let v = if cx.rng.random::<bool>() {
                        &a.value
                    } else {
                        &b.value
                    };
                    (a.name.as_str(), v.clone())
                })
                .collect();
            if let Ok(source) = rewrite(parent.source, &mine, &pairs) {
                out.push(Proposal::child(
                    source,
                    format!("with candidate {}", mate.id),
                ));
            }
        }
        Ok(out)
    }
}

/// A slice of the budget (half of what is left, at most two minutes) given to
/// the tuner on the public seeds; its best is the child.
pub struct TuneBurst;

impl Operator for TuneBurst {
    fn name(&self) -> &'static str {
        "tune"
    }

    fn propose(&mut self, cx: &mut OperatorContext) -> Result<Vec<Proposal>> {
        let Some(parent) = cx.parent.map(|p| &cx.archive[p]) else {
            return Ok(Vec::new());
        };
        if find(parent.source).map_or(true, |p| p.is_empty()) {
            return Ok(Vec::new());
        }
        let slice = (cx.left / 2).min(Duration::from_secs(120));
        if slice < Duration::from_secs(2) {
            return Ok(Vec::new());
        }
        // Under an evaluation cap the burst gets half of what is left of it.
        let cases = cx.evaluations_left.map(|m| m / 2);
        if cases.is_some_and(|c| c < 10) {
            return Ok(Vec::new());
        }
        let folder = cx.work_dir.join("bursts");
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let input = folder.join(format!("candidate-{}.{}", parent.id, parent.extension));
        let output = folder.join(format!(
            "candidate-{}.tuned.{}",
            parent.id, parent.extension
        ));
        std::fs::write(&input, parent.source).map_err(|e| Error::io(&input, e))?;
        let options = TuneOptions {
            budget: if cases.is_some() { None } else { Some(slice) },
            max_evaluations: cases,
            seeds: cx.problem.public_seeds.clone(),
            holdout: Seeds::range(0, 0),
            rng_seed: cx.rng.random(),
            resume: false,
            run: cx.run.clone(),
            work_dir: cx.work_dir.join("tune"),
            build_dir: cx.build_dir.to_path_buf(),
            alpha: crate::tune::stats::RACING_ALPHA,
            spread: 2,
            session: Some(cx.session),
        };
        let report = tune(cx.problem, &input, &output, &options, cx.store, &mut |_| {})?;
        *cx.evaluations += report.evaluations;
        let source = std::fs::read_to_string(&output).map_err(|e| Error::io(&output, e))?;
        let changed: Vec<(String, String)> = report
            .changes
            .iter()
            .map(|c| (c.name.clone(), c.new.clone()))
            .collect();
        Ok(vec![Proposal::child(source, describe(&changed))])
    }
}
