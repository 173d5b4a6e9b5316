//! The operators that ask a language model: draft (from the statement),
//! improve (from a parent and the judge's feedback, as a rewrite or as
//! SEARCH/REPLACE edits), repair (a candidate that failed, with the compiler's
//! or the judge's message) and crossover (two strong parents of different
//! lineage). Every call is recorded in the store, answered or not; a reply
//! without usable code, or edits that do not apply, is a recorded failure.

use super::models::ModelSetup;
use super::operator::{
    asks_model, Archived, Asking, AsksModel, Kind, OperatorContext, Proposal, ProposedParent,
};
use crate::error::{Error, Result};
use crate::llm::{apply_edits, last_code_block, parse_edits, Prompt, Templates};
use crate::problem::Problem;
use crate::store::CandidateStatus;
use rand::Rng;

/// The request for a new running summary, when one is due: the prompt and
/// the number of model-made candidates it covers.
pub fn summary_request(archive: &[Archived], model: &ModelSetup) -> Option<(Prompt, usize)> {
    let made = archive.iter().filter(|a| asks_model(a.operator)).count();
    if !model.summary_due(made) || model.llm.over_budget() {
        return None;
    }
    let mut ranked: Vec<&Archived> = archive.iter().collect();
    ranked.sort_by(|a, b| b.public_relative.total_cmp(&a.public_relative));
    let history: Vec<String> = ranked
        .iter()
        .take(20)
        .map(|a| {
            format!(
                "- candidate {} by {} ({}): {}, {:.2}%",
                a.id,
                a.operator,
                a.origin.chars().take(60).collect::<String>(),
                a.status,
                100.0 * a.public_relative
            )
        })
        .collect();
    let text = model
        .templates
        .render("summarise", &[("history", &history.join("\n"))]);
    Some((Prompt::new("", text), made))
}

/// The language's name and its code fence's tag.
fn language(extension: &str) -> (&'static str, &'static str) {
    match extension {
        "rs" => ("Rust", "rust"),
        "cpp" | "cc" | "cxx" => ("C++17", "cpp"),
        "py" => ("Python 3", "python"),
        "java" => ("Java", "java"),
        "go" => ("Go", "go"),
        _ => ("the language of the solution", ""),
    }
}

pub struct ModelOperator {
    pub kind: Kind,
}

const EDITS: &str = "Reply with SEARCH/REPLACE edits only, each as\n\n<<<<<<< SEARCH\n(lines copied exactly from the solution)\n=======\n(the lines that replace them)\n>>>>>>> REPLACE\n\nEvery SEARCH text must occur exactly once in the solution.";
const REWRITE: &str = "Reply with the whole improved program in one fenced code block.";

/// Template `name` filled with `values` as a prompt whose `droppable`
/// blanks are parts of their own, which go in that order when the prompt
/// is over a model's context limit.
fn sectioned(
    templates: &Templates,
    name: &str,
    system: String,
    values: &[(&str, String)],
    droppable: &[&str],
) -> Prompt {
    const MARK: char = '\u{1}';
    let marks: Vec<String> = droppable
        .iter()
        .map(|k| format!("{MARK}{k}{MARK}"))
        .collect();
    let filled: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| match droppable.iter().position(|d| d == k) {
            Some(i) => (*k, marks[i].as_str()),
            None => (*k, v.as_str()),
        })
        .collect();
    let text = templates.render(name, &filled);
    let mut parts = Vec::new();
    let mut order: Vec<(usize, usize)> = Vec::new();
    for (n, piece) in text.split(MARK).enumerate() {
        if n % 2 == 1 {
            let rank = droppable.iter().position(|d| *d == piece).unwrap_or(0);
            let value = values
                .iter()
                .find(|(k, _)| *k == piece)
                .map_or("", |(_, v)| v.as_str());
            order.push((rank, parts.len()));
            parts.push(value.to_string());
        } else {
            parts.push(piece.to_string());
        }
    }
    order.sort();
    let mut prompt = Prompt::new(system, String::new());
    prompt.parts = parts;
    prompt.droppable = order.into_iter().map(|(_, i)| i).collect();
    prompt
}

/// A candidate's results as the model reads them: counts, mean score, time
/// against the limit, and the cases that did not pass.
fn feedback(cx: &OperatorContext, candidate: &Archived) -> Result<String> {
    let cases = cx.store.candidate_cases(candidate.id)?;
    if cases.is_empty() {
        return Ok("Not judged yet.".into());
    }
    let accepted: Vec<i64> = cases.iter().filter_map(|c| c.accepted_score()).collect();
    let mean = if accepted.is_empty() {
        "-".to_string()
    } else {
        format!(
            "{:.1}",
            accepted.iter().sum::<i64>() as f64 / accepted.len() as f64
        )
    };
    let slowest = cases.iter().map(|c| c.time_ms).max().unwrap_or(0);
    let mut text = format!(
        "- {} test cases judged, {} accepted; mean score {mean}; mean score relative to the best candidate on each case {:.2}%.\n- Slowest case: {slowest} ms of the {} ms limit.\n",
        cases.len(),
        accepted.len(),
        100.0 * candidate.public_relative,
        cx.problem.time_limit_ms
    );
    let failed = failed_cases(&cases);
    if !failed.is_empty() {
        text.push_str(&format!("- Failed cases: {}.\n", failed.join("; ")));
    }
    let mut by_seed: Vec<String> = cases
        .iter()
        .take(12)
        .map(|c| {
            format!(
                "seed {} {} score {} in {} ms",
                c.seed,
                c.verdict,
                c.score.map_or("-".into(), |s| s.to_string()),
                c.time_ms
            )
        })
        .collect();
    by_seed.sort();
    text.push_str(&format!("- Some cases: {}.\n", by_seed.join("; ")));
    text.push_str(&stderr_tails(&cases));
    Ok(text)
}

/// The first ten cases that did not pass, as a model reads them.
fn failed_cases(cases: &[crate::store::TuneCase]) -> Vec<String> {
    cases
        .iter()
        .filter(|c| c.verdict != crate::judge::Verdict::AC)
        .take(10)
        .map(|c| format!("seed {}: {} after {} ms", c.seed, c.verdict, c.time_ms))
        .collect()
}

/// The end of stderr of a few cases, failing ones first.
fn stderr_tails(cases: &[crate::store::TuneCase]) -> String {
    let mut with: Vec<&crate::store::TuneCase> = cases
        .iter()
        .filter(|c| c.stderr.as_deref().is_some_and(|s| !s.trim().is_empty()))
        .collect();
    with.sort_by_key(|c| (c.verdict == crate::judge::Verdict::AC, c.seed));
    let mut text = String::new();
    for c in with.iter().take(3) {
        text.push_str(&format!(
            "\nThe end of stderr on seed {} ({}):\n```\n{}\n```\n",
            c.seed,
            c.verdict,
            c.stderr.as_deref().unwrap_or("").trim_end()
        ));
    }
    text
}

/// The best few fully judged candidates, for the model to see where it stands.
fn standing(cx: &OperatorContext) -> String {
    let mut full: Vec<&Archived> = cx.archive.iter().filter(|a| a.full).collect();
    full.sort_by(|a, b| b.public_relative.total_cmp(&a.public_relative));
    full.iter()
        .take(5)
        .map(|a| {
            format!(
                "- candidate {} ({}: {}): {:.2}%",
                a.id,
                a.operator,
                a.origin.chars().take(60).collect::<String>(),
                100.0 * a.public_relative
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn sample_input(problem: &Problem) -> String {
    let input = problem.generate(0).unwrap_or_default();
    if input.len() > 2000 {
        let cut: String = input.chars().take(2000).collect();
        format!("{cut}\n... (cut; the whole input is longer)")
    } else {
        input
    }
}

/// Why a candidate failed: the compiler's message, or its failing cases.
fn failure(cx: &OperatorContext, candidate: &Archived) -> Result<String> {
    if let Some(message) = cx.store.candidate_message(candidate.id)? {
        let tail = crate::text::tail(&message, 3000);
        return Ok(format!("It does not compile:\n\n```\n{tail}\n```"));
    }
    let cases = cx.store.candidate_cases(candidate.id)?;
    let failed = failed_cases(&cases);
    Ok(format!(
        "It fails on some test cases (RE: it crashed; WA: its output is not a valid answer; TLE: over the {} ms limit; MLE: over the memory limit): {}.\n{}",
        cx.problem.time_limit_ms,
        failed.join("; "),
        stderr_tails(&cases)
    ))
}

fn failed(a: &Archived) -> bool {
    a.status == CandidateStatus::CompileError
}

impl AsksModel for ModelOperator {
    fn name(&self) -> &'static str {
        self.kind.name()
    }

    fn request(&mut self, cx: &mut OperatorContext, model: &ModelSetup) -> Result<Option<Asking>> {
        if model.llm.over_budget() || model.llm.backends().is_empty() {
            return Ok(None);
        }
        let parent = cx.parent.map(|p| &cx.archive[p]);
        // Who the child belongs to, and the source the reply may edit.
        let (target, base): (ProposedParent, Option<&Archived>) = match self.kind {
            Kind::Draft => (ProposedParent::Root, None),
            Kind::Improve | Kind::Crossover => match parent {
                Some(p) => (ProposedParent::Chosen, Some(p)),
                None => return Ok(None),
            },
            Kind::Repair => {
                // The newest failed candidate nobody has repaired yet.
                match cx
                    .archive
                    .iter()
                    .rev()
                    .find(|a| failed(a) && a.children == 0)
                {
                    Some(a) => (ProposedParent::Candidate(a.id), Some(a)),
                    None => return Ok(None),
                }
            }
        };
        let extension = base.map_or(model.language.clone(), |b| b.extension.to_string());
        let (language_name, fence) = language(&extension);
        let time_limit = format!("{} ms", cx.problem.time_limit_ms);
        let memory_limit = format!("{} MB", cx.problem.memory_limit_mb);
        let objective = match cx.problem.objective {
            crate::problem::Objective::Max => "maximise",
            crate::problem::Objective::Min => "minimise",
        };
        let system = model
            .templates
            .render("system", &[("language", language_name), ("fence", fence)]);
        let edits = self.kind == Kind::Improve && cx.rng.random::<bool>();
        let learnt = match self.kind {
            Kind::Draft | Kind::Improve => model.learnt(),
            _ => String::new(),
        };
        // What every template may use, then what each kind adds.
        let mut values: Vec<(&str, String)> = vec![
            ("statement", cx.problem.statement.clone()),
            ("time_limit", time_limit),
            ("memory_limit", memory_limit),
            ("objective", objective.to_string()),
            ("language", language_name.to_string()),
            ("fence", fence.to_string()),
            ("summary", learnt),
        ];
        if let Some(p) = base {
            values.push(("parent_id", p.id.to_string()));
            values.push(("parent", p.source.to_string()));
            values.push(("parent_score", format!("{:.2}%", 100.0 * p.public_relative)));
        }
        let template = match self.kind {
            Kind::Draft => {
                values.push(("sample_input", sample_input(cx.problem)));
                "draft"
            }
            Kind::Improve => {
                let p = base.expect("improve has a parent");
                values.push(("feedback", feedback(cx, p)?));
                values.push(("standing", standing(cx)));
                values.push(("mode", if edits { EDITS } else { REWRITE }.to_string()));
                "improve"
            }
            Kind::Repair => {
                let p = base.expect("repair has a target");
                values.push(("error", failure(cx, p)?));
                "repair"
            }
            Kind::Crossover => {
                let p = base.expect("crossover has a parent");
                let others: Vec<&Archived> = cx
                    .archive
                    .iter()
                    .filter(|a| a.full && a.root != p.root && a.extension == p.extension)
                    .collect();
                if others.is_empty() {
                    return Ok(None);
                }
                let other = others[cx.rng.random_range(0..others.len())];
                values.push(("other_id", other.id.to_string()));
                values.push(("other", other.source.to_string()));
                values.push((
                    "other_score",
                    format!("{:.2}%", 100.0 * other.public_relative),
                ));
                "crossover"
            }
        };
        // Over the context limit, the summary goes first, then the standing,
        // then the feedback.
        let mut prompt = sectioned(
            &model.templates,
            template,
            system,
            &values,
            &["summary", "standing", "feedback"],
        );
        prompt.max_tokens = 16384;
        Ok(Some(Asking {
            kind: self.kind,
            backend: model.pick(),
            prompt,
            edits,
            target,
            extension,
            base: base.map(|b| b.source.to_string()),
        }))
    }
}

/// The proposal a reply to `asking` makes (recorded as call `call_id`); None
/// when it has no usable code, the reason written beside the call. A refused
/// key or an unknown model is an error: the session cannot go on.
pub fn receive(
    asking: &Asking,
    call: &crate::llm::Call,
    call_id: i64,
    model: &ModelSetup,
    store: &crate::store::Store,
) -> Result<Option<Proposal>> {
    model.charge(asking.backend, call.cost);
    let reply = match &call.outcome {
        Ok(r) => r.text.clone(),
        Err(e) if e.fatal() => {
            return Err(Error::Usage(format!("the language model: {e}")));
        }
        Err(_) => return Ok(None), // recorded; the bandit sees nothing came of it
    };
    let (kind, edits, extension) = (asking.kind, asking.edits, &asking.extension);
    let source = if edits && reply.contains("<<<<<<< SEARCH") {
        let applied =
            parse_edits(&reply).and_then(|e| apply_edits(asking.base.as_deref().unwrap_or(""), &e));
        match applied {
            Ok(s) => s,
            Err(e) => {
                store.set_llm_call_failure(call_id, &e.to_string())?;
                return Ok(None);
            }
        }
    } else {
        match last_code_block(&reply, extension) {
            Some(code) => code,
            None => {
                store.set_llm_call_failure(call_id, "the reply has no code block")?;
                return Ok(None);
            }
        }
    };
    let how = match (kind, edits) {
        (Kind::Improve, true) => "edits",
        (Kind::Improve, false) => "rewrite",
        (Kind::Draft, _) => "draft",
        (Kind::Repair, _) => "repair",
        (Kind::Crossover, _) => "crossover",
    };
    let mut origin = format!("{} {how}", call.model);
    if let Kind::Crossover = kind {
        origin.push_str(" with another lineage");
    }
    Ok(Some(Proposal {
        source,
        origin,
        parent: asking.target,
        extension: Some(extension.clone()),
        call: Some(call_id),
    }))
}

#[cfg(test)]
mod tests {
    use super::ModelSetup;
    use crate::llm::{Endpoint, Llm, LlmConfig, Protocol, RetryPolicy, Templates};
    use std::time::Duration;

    fn endpoint(model: &str) -> Endpoint {
        Endpoint {
            model: model.into(),
            url: "http://127.0.0.1:9".into(),
            protocol: Protocol::OpenAi,
            key: None,
            key_setting: "ALE_LLM_API_KEY".into(),
            price_in: 0.0,
            price_out: 0.0,
            timeout: Duration::from_secs(1),
        }
    }

    fn case(seed: u64, verdict: &str, stderr: Option<&str>) -> crate::store::TuneCase {
        crate::store::TuneCase {
            seed,
            holdout: false,
            verdict: crate::judge::Verdict::parse(verdict).expect("a verdict"),
            score: None,
            time_ms: 5,
            stderr: stderr.map(String::from),
            memory_kb: None,
        }
    }

    #[test]
    fn stderr_shown_to_a_model_is_of_failing_cases_first_three_at_most() {
        let cases = [
            case(1, "AC", Some("iterations 1000\n")),
            case(2, "AC", None),
            case(3, "RE", Some("thread 'main' panicked at src/main.rs:9:5\n")),
            case(4, "AC", Some("   \n")),
            case(5, "AC", Some("iterations 2000\n")),
            case(6, "AC", Some("iterations 3000\n")),
        ];
        let text = super::stderr_tails(&cases);
        let seeds: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("The end of stderr on seed "))
            .collect();
        assert_eq!(seeds, ["3 (RE):", "1 (AC):", "5 (AC):"], "{text}");
        assert!(text.contains("panicked at src/main.rs:9:5"));
    }

    #[test]
    fn an_improve_prompt_sheds_summary_then_standing_then_feedback() {
        let values = [
            ("statement", "STATEMENT".to_string()),
            ("parent", "fn main() {}".to_string()),
            ("feedback", "FEEDBACK".to_string()),
            ("standing", "STANDING".to_string()),
            ("summary", "SUMMARY".to_string()),
            ("mode", "MODE".to_string()),
        ];
        let mut p = super::sectioned(
            &Templates::default(),
            "improve",
            "SYSTEM".into(),
            &values,
            &["summary", "standing", "feedback"],
        );
        let whole = p.user();
        for word in [
            "STATEMENT",
            "fn main() {}",
            "FEEDBACK",
            "STANDING",
            "SUMMARY",
            "MODE",
        ] {
            assert!(whole.contains(word), "{word}: {whole}");
        }
        assert!(!whole.contains('\u{1}'));
        assert!(p.shorten());
        assert!(!p.user().contains("SUMMARY") && p.user().contains("STANDING"));
        assert!(p.shorten());
        assert!(!p.user().contains("STANDING") && p.user().contains("FEEDBACK"));
        assert!(p.shorten());
        assert!(!p.user().contains("FEEDBACK") && p.user().contains("STATEMENT"));
        assert!(!p.shorten(), "the rest is not droppable");
        assert_eq!(p.system, "SYSTEM");
    }

    #[test]
    fn the_model_bandit_tries_each_then_weighs_improvement_per_dollar() {
        let config = LlmConfig {
            endpoints: vec![endpoint("cheap"), endpoint("dear")],
            max_in_flight: 1,
            ..LlmConfig::default()
        };
        let llm = Llm::new(&config, RetryPolicy::default()).unwrap();
        let setup = ModelSetup::new(llm, Templates::default(), "rs".into());
        // Two requests at once go to both models.
        assert_eq!(setup.pick(), 0);
        assert_eq!(setup.pick(), 1);
        // Each pick kept the figures it was made by: untried, then one tried.
        let picks = setup.take_picks();
        assert_eq!(picks.iter().map(|p| p.model).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(
            picks[0].figures.iter().map(|f| f.uses).collect::<Vec<_>>(),
            [0, 0]
        );
        assert_eq!(
            picks[1].figures.iter().map(|f| f.uses).collect::<Vec<_>>(),
            [1, 0]
        );
        assert!(picks[1].figures[1].value.is_none() && picks[1].figures[0].value.is_some());
        assert!(setup.take_picks().is_empty());
        setup.charge(0, 0.01);
        setup.charge(1, 0.50);
        // The same improvement from each: the cheap one gave it for 1/50 of the money.
        setup.credit(0, 0.02);
        setup.credit(1, 0.02);
        assert_eq!(setup.choose(), 0);
        // The value compared, by hand: 0.02 / 0.01 per dollar and the bonus of
        // one call in two.
        let f = setup.figures();
        let by_hand = 2.0 + 0.05 * 2f64.ln().sqrt();
        assert!((f[0].value.unwrap() - by_hand).abs() < 1e-12, "{f:?}");
        assert!(f[0].value > f[1].value);
        // A dear model that brings far more wins anyway: 0.02/0.01 = 2 per dollar
        // against 3/0.5 = 6.
        setup.credit(1, 2.98);
        assert_eq!(setup.choose(), 1);
    }
}
