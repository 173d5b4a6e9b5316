//! Parameter annotations. A tunable constant is one line of code with an
//! `ale:param` comment giving its domain:
//!
//! ```text
//! const T0: f64 = 2000.0;      // ale:param log 10..100000
//! const MODE: usize = 1;       // ale:param {0, 1, 2}
//! constexpr double T1 = 5.0;   // ale:param 0.1..100      (C++)
//! SWAPS = 3                    # ale:param 0..10          (Python)
//! ```
//!
//! Ranges are inclusive, `log` samples on a log scale, `{...}` is a choice. The
//! constant's type (or, without one, its literal) makes it an integer or a
//! float. Parsing is strict: a bad annotation is an error naming its line.

use std::fmt;

/// Where a parameter's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    Int { lo: i64, hi: i64, log: bool },
    Float { lo: f64, hi: f64, log: bool },
    Choice(Vec<String>),
}

/// One tunable constant of a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    /// 1-based line of the annotation.
    pub line: usize,
    /// The literal as written now.
    pub value: String,
    pub domain: Domain,
    /// Byte range of the literal in the source.
    span: (usize, usize),
}

/// A bad annotation: its line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Domain::Int { lo, hi, log } => {
                write!(f, "{}{lo}..{hi}", if *log { "log " } else { "" })
            }
            Domain::Float { lo, hi, log } => {
                write!(f, "{}{lo}..{hi}", if *log { "log " } else { "" })
            }
            Domain::Choice(c) => write!(f, "{{{}}}", c.join(", ")),
        }
    }
}

const MARKER: &str = "ale:param";

/// Every annotated constant of a source, in order.
pub fn find(source: &str) -> Result<Vec<Param>, ParamError> {
    let mut params: Vec<Param> = Vec::new();
    let mut offset = 0;
    for (index, text) in source.split_inclusive('\n').enumerate() {
        let line = index + 1;
        if let Some(param) = parse_line(text, line, offset)? {
            if let Some(first) = params.iter().find(|p| p.name == param.name) {
                return Err(ParamError {
                    line,
                    message: format!(
                        "`{}` is annotated twice (first on line {})",
                        param.name, first.line
                    ),
                });
            }
            params.push(param);
        }
        offset += text.len();
    }
    Ok(params)
}

fn parse_line(text: &str, line: usize, offset: usize) -> Result<Option<Param>, ParamError> {
    let Some(marker) = text.find(MARKER) else {
        return Ok(None);
    };
    let err = |message: String| ParamError { line, message };
    let before = &text[..marker];
    let comment_start = before
        .rfind("//")
        .or_else(|| before.rfind('#'))
        .ok_or_else(|| {
            err(format!(
                "`{MARKER}` must be in a comment (`//` or `#`) after the constant"
            ))
        })?;
    let between = before[comment_start..].trim_start_matches(['/', '#']);
    if !between.trim().is_empty() {
        return Err(err(format!("`{MARKER}` must open its comment")));
    }
    let code = &text[..comment_start];
    let spec = text[marker + MARKER.len()..].trim();
    let equals = code
        .find('=')
        .ok_or_else(|| err("no `=`: annotate a line like `const NAME: TYPE = VALUE;`".into()))?;
    // The literal: after `=`, up to `;` or the end of the code.
    let after = &code[equals + 1..];
    let literal_end = after.find(';').unwrap_or(after.len());
    let raw = &after[..literal_end];
    let value = raw.trim();
    if value.is_empty() {
        return Err(err("no value after `=`".into()));
    }
    let lead = raw.len() - raw.trim_start().len();
    let start = offset + equals + 1 + lead;
    // The name and type: `const NAME: TYPE`, `constexpr TYPE NAME`, or `NAME`.
    let head = code[..equals].trim();
    let (name, ty) = match head.split_once(':') {
        Some((left, ty)) => (last_word(left), Some(ty.trim().to_string())),
        None => {
            let words: Vec<&str> = head.split_whitespace().collect();
            let name = words.last().copied().unwrap_or("");
            let ty = (words.len() >= 2).then(|| words[words.len() - 2].to_string());
            (name.to_string(), ty)
        }
    };
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(err(format!(
            "cannot read a constant's name from `{}`",
            head
        )));
    }
    let float = match ty.as_deref() {
        Some("f32" | "f64" | "double" | "float" | "long double") => true,
        Some(t)
            if t.starts_with('i')
                || t.starts_with('u')
                || t.contains("int")
                || t.contains("long")
                || t.contains("size") =>
        {
            false
        }
        _ => value.contains('.') || value.contains('e') || value.contains('E'),
    };
    let domain = parse_domain(spec, float).map_err(&err)?;
    check_value(value, &domain, float).map_err(&err)?;
    Ok(Some(Param {
        name,
        line,
        value: value.to_string(),
        domain,
        span: (start, start + value.len()),
    }))
}

fn last_word(s: &str) -> String {
    s.split_whitespace().last().unwrap_or("").to_string()
}

fn parse_domain(spec: &str, float: bool) -> Result<Domain, String> {
    if let Some(inner) = spec.strip_prefix('{') {
        let inner = inner
            .strip_suffix('}')
            .ok_or("a choice is written `{a, b, c}`")?;
        let choices: Vec<String> = inner.split(',').map(|c| c.trim().to_string()).collect();
        if choices.iter().any(String::is_empty) || choices.len() < 2 {
            return Err("a choice needs two or more values, like `{0, 1, 2}`".into());
        }
        return Ok(Domain::Choice(choices));
    }
    let (log, range) = match spec.strip_prefix("log") {
        Some(rest) if rest.starts_with(char::is_whitespace) => (true, rest.trim()),
        _ => (false, spec),
    };
    let (lo, hi) = range.split_once("..").ok_or_else(|| {
        format!("`{spec}`: write a range `LO..HI`, `log LO..HI` or a choice `{{a, b}}`")
    })?;
    let domain = if float {
        let number = |s: &str| {
            s.trim()
                .parse::<f64>()
                .map_err(|_| format!("`{}` is not a number", s.trim()))
        };
        Domain::Float {
            lo: number(lo)?,
            hi: number(hi)?,
            log,
        }
    } else {
        let number = |s: &str| {
            s.trim().parse::<i64>().map_err(|_| {
                format!(
                    "`{}` is not an integer (the constant is an integer)",
                    s.trim()
                )
            })
        };
        Domain::Int {
            lo: number(lo)?,
            hi: number(hi)?,
            log,
        }
    };
    let (lo, hi) = match &domain {
        Domain::Int { lo, hi, .. } => (*lo as f64, *hi as f64),
        Domain::Float { lo, hi, .. } => (*lo, *hi),
        Domain::Choice(_) => unreachable!(),
    };
    if lo.is_nan() || hi.is_nan() || lo >= hi {
        return Err(format!(
            "the range {lo}..{hi} is empty; write LO..HI with LO < HI"
        ));
    }
    if log && lo <= 0.0 {
        return Err(format!("a log range must be above 0, not from {lo}"));
    }
    Ok(domain)
}

fn check_value(value: &str, domain: &Domain, float: bool) -> Result<(), String> {
    let outside = |v: &str| Err(format!("the value {v} is outside its domain {domain}"));
    match domain {
        Domain::Choice(choices) => {
            if choices.iter().any(|c| c == value) {
                Ok(())
            } else {
                outside(value)
            }
        }
        Domain::Int { lo, hi, .. } => match value.replace('_', "").parse::<i64>() {
            Ok(v) if v < *lo || v > *hi => outside(value),
            Ok(_) => Ok(()),
            Err(_) => Err(format!("`{value}` is not an integer literal")),
        },
        Domain::Float { lo, hi, .. } => match value
            .trim_end_matches("f64")
            .trim_end_matches("f32")
            .replace('_', "")
            .parse::<f64>()
        {
            Ok(v) if v < *lo || v > *hi => outside(value),
            Ok(_) => Ok(()),
            Err(_) if !float => Ok(()),
            Err(_) => Err(format!("`{value}` is not a number literal")),
        },
    }
}

/// The source with the named parameters set to new values (as literals of
/// their kind: a float always has a `.` or an exponent, so Rust reads it as one).
pub fn rewrite(
    source: &str,
    params: &[Param],
    values: &[(&str, String)],
) -> Result<String, String> {
    let mut changes: Vec<(usize, usize, String)> = Vec::new();
    for (name, value) in values {
        let param = params
            .iter()
            .find(|p| p.name == *name)
            .ok_or_else(|| format!("no parameter `{name}`"))?;
        let literal = match &param.domain {
            Domain::Float { .. } => {
                let v: f64 = value
                    .parse()
                    .map_err(|_| format!("`{value}` is not a number for `{name}`"))?;
                let text = format!("{v:?}");
                if text.contains(['.', 'e', 'E']) {
                    text
                } else {
                    format!("{text}.0")
                }
            }
            Domain::Int { .. } => {
                let v: i64 = value
                    .parse()
                    .map_err(|_| format!("`{value}` is not an integer for `{name}`"))?;
                v.to_string()
            }
            Domain::Choice(choices) => {
                if !choices.contains(value) {
                    return Err(format!(
                        "`{value}` is not one of `{name}`'s choices {}",
                        param.domain
                    ));
                }
                value.clone()
            }
        };
        changes.push((param.span.0, param.span.1, literal));
    }
    changes.sort_by_key(|c| std::cmp::Reverse(c.0));
    let mut out = source.to_string();
    for (start, end, literal) in changes {
        out.replace_range(start..end, &literal);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUST: &str = "use std::io;\nconst T0: f64 = 2000.0;   // ale:param log 10..100000\nconst T1: f64 = 5.0; // ale:param log 0.1..100\npub const SWAP_WEIGHT: u32 = 3; // ale:param 0..10\nconst MODE: usize = 1;    // ale:param {0, 1, 2}\nconst LIMIT: u64 = 1800;\n";

    #[test]
    fn rust_constants_are_found_with_their_domains() {
        let p = find(RUST).unwrap();
        let names: Vec<_> = p
            .iter()
            .map(|p| (p.name.as_str(), p.line, p.value.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("T0", 2, "2000.0"),
                ("T1", 3, "5.0"),
                ("SWAP_WEIGHT", 4, "3"),
                ("MODE", 5, "1")
            ]
        );
        assert_eq!(
            p[0].domain,
            Domain::Float {
                lo: 10.0,
                hi: 100000.0,
                log: true
            }
        );
        assert_eq!(
            p[2].domain,
            Domain::Int {
                lo: 0,
                hi: 10,
                log: false
            }
        );
        assert_eq!(
            p[3].domain,
            Domain::Choice(vec!["0".into(), "1".into(), "2".into()])
        );
    }

    #[test]
    fn rewriting_changes_only_the_literals() {
        let p = find(RUST).unwrap();
        let out = rewrite(
            RUST,
            &p,
            &[
                ("T0", "750".into()),
                ("SWAP_WEIGHT", "7".into()),
                ("MODE", "2".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            RUST.replace("2000.0", "750.0")
                .replace("= 3;", "= 7;")
                .replace("usize = 1;", "usize = 2;")
        );
        assert_eq!(
            rewrite(RUST, &p, &[("MODE", "5".into())]).unwrap_err(),
            "`5` is not one of `MODE`'s choices {0, 1, 2}"
        );
        assert!(rewrite(RUST, &p, &[("NOPE", "1".into())]).is_err());
    }

    #[test]
    fn cpp_and_python_lines() {
        let cpp = "constexpr double T1 = 5.0; // ale:param 0.1..100\nconst int K = 4; // ale:param 1..9\n";
        let p = find(cpp).unwrap();
        assert_eq!(
            (p[0].name.as_str(), &p[0].domain),
            (
                "T1",
                &Domain::Float {
                    lo: 0.1,
                    hi: 100.0,
                    log: false
                }
            )
        );
        assert_eq!(
            (p[1].name.as_str(), &p[1].domain),
            (
                "K",
                &Domain::Int {
                    lo: 1,
                    hi: 9,
                    log: false
                }
            )
        );
        let py = "SWAPS = 3  # ale:param 0..10\nTEMP = 2.5  # ale:param log 0.5..50\n";
        let p = find(py).unwrap();
        assert_eq!(
            p[0].domain,
            Domain::Int {
                lo: 0,
                hi: 10,
                log: false
            }
        );
        assert_eq!(
            p[1].domain,
            Domain::Float {
                lo: 0.5,
                hi: 50.0,
                log: true
            }
        );
        assert_eq!(
            rewrite(py, &p, &[("TEMP", "3".into())]).unwrap(),
            py.replace("2.5", "3.0")
        );
    }

    #[test]
    fn bad_annotations_name_their_line() {
        let err = |s: &str| find(s).unwrap_err().to_string();
        assert_eq!(
            err("\nconst A: u32 = 3; // ale:param 5..1\n"),
            "line 2: the range 5..1 is empty; write LO..HI with LO < HI"
        );
        assert_eq!(
            err("const A: u32 = 3; // ale:param 0.5..2\n"),
            "line 1: `0.5` is not an integer (the constant is an integer)"
        );
        assert_eq!(
            err("const A: f64 = 3.0; // ale:param log 0..10\n"),
            "line 1: a log range must be above 0, not from 0"
        );
        assert_eq!(
            err("const A: u32 = 30; // ale:param 0..10\n"),
            "line 1: the value 30 is outside its domain 0..10"
        );
        assert_eq!(
            err("const A: u32 = 3; // ale:param lots\n"),
            "line 1: `lots`: write a range `LO..HI`, `log LO..HI` or a choice `{a, b}`"
        );
        assert_eq!(
            err("const A: u32 = 3; // ale:param {1}\n"),
            "line 1: a choice needs two or more values, like `{0, 1, 2}`"
        );
        assert_eq!(
            err("const A: u32 = 3; // ale:param 0..9\nconst A: u32 = 4; // ale:param 0..9\n"),
            "line 2: `A` is annotated twice (first on line 1)"
        );
        assert_eq!(
            err("let x = 3; /* ale:param 0..9 */\n"),
            "line 1: `ale:param` must be in a comment (`//` or `#`) after the constant"
        );
    }

    #[test]
    fn every_shipped_solver_parses() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/solvers")).unwrap() {
            for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                find(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
        }
    }
}
