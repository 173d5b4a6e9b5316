//! When two candidates are the same program. Comments and spacing do not
//! make a new program ([`normalise`]), and neither do new names for the
//! program's own variables and functions ([`canonical`]): a model that only
//! restyles or renames its parent is turned away before the judge runs it.

use std::collections::{HashMap, HashSet};

/// A candidate's source once comments and spacing are gone: two candidates
/// that differ only there are the same candidate.
pub fn normalise(source: &str, extension: &str) -> String {
    let hash_comments = extension == "py";
    if hash_comments {
        // Indentation is syntax here: lines keep their leading spaces.
        let mut out = String::new();
        for line in source.lines() {
            let code = normalise_line(line);
            if !code.trim().is_empty() {
                out.push_str(code.trim_end());
                out.push('\n');
            }
        }
        return out;
    }
    let mut out = String::new();
    let mut chars = source.chars().peekable();
    let mut in_string: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = in_string {
            in_string = string_char(c, q, &mut chars, &mut out);
            continue;
        }
        match c {
            '"' => {
                in_string = Some(c);
                out.push(c);
            }
            // A character literal ('"', '\'', '/') is copied whole: its
            // quote or slash opens nothing.
            '\'' if char_literal(&chars) => {
                out.push(c);
                for _ in 0..if chars.peek() == Some(&'\\') { 3 } else { 2 } {
                    out.extend(chars.next());
                }
            }
            '#' if hash_comments => while chars.next_if(|&n| n != '\n').is_some() {},
            '/' if !hash_comments && chars.peek() == Some(&'/') => {
                while chars.next_if(|&n| n != '\n').is_some() {}
            }
            '/' if !hash_comments && chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for n in chars.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Whether the characters after a `'` make a character literal (`x'` or
/// `\x'`), rather than a Rust lifetime or a C++ digit separator.
fn char_literal(after: &std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let mut ahead = after.clone();
    match ahead.next() {
        Some('\\') => ahead.nth(1) == Some('\''),
        Some(_) => ahead.next() == Some('\''),
        None => false,
    }
}

/// One character inside a string literal quoted by `q`, copied (with the
/// character an escape takes); the quote still open, or None once closed.
fn string_char(
    c: char,
    q: char,
    chars: &mut impl Iterator<Item = char>,
    out: &mut String,
) -> Option<char> {
    out.push(c);
    if c == '\\' {
        if let Some(n) = chars.next() {
            out.push(n);
        }
        return Some(q);
    }
    (c != q).then_some(q)
}

/// A line of Python without its comment; inner runs of spaces become one.
fn normalise_line(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    let mut out = line[..indent].to_string();
    let mut in_string: Option<char> = None;
    let mut chars = line[indent..].chars();
    while let Some(c) = chars.next() {
        if let Some(q) = in_string {
            in_string = string_char(c, q, &mut chars, &mut out);
            continue;
        }
        match c {
            '"' | '\'' => {
                in_string = Some(c);
                out.push(c);
            }
            '#' => break,
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Reserved words and primitive types of the languages ale drafts in: never
/// a name the program binds.
const KEYWORDS: &str = "
    as break const continue crate else enum extern false fn for if impl in let loop match mod
    move mut pub ref return self Self static struct super trait true type unsafe use where
    while dyn i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str
    auto case catch class default delete do double float goto inline int long namespace new
    nullptr operator private protected public short signed sizeof switch template this throw
    try typedef typename union unsigned using virtual void volatile const
    and assert async await def del elif except finally from global import is lambda nonlocal
    not or pass raise with yield True False None";

fn keyword(word: &str) -> bool {
    static SET: std::sync::LazyLock<HashSet<&'static str>> =
        std::sync::LazyLock::new(|| KEYWORDS.split_whitespace().collect());
    SET.contains(word)
}

/// C and C++ words after which a name is being declared (`int x`, `auto y`).
const C_TYPES: &str = "auto bool char double float int long short signed unsigned void size_t";

fn is_in(list: &'static str, word: &str) -> bool {
    list.split_whitespace().any(|k| k == word)
}

/// One piece of a normalised source.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A name, a keyword or a Rust lifetime (`'a`, always the program's own).
    Word(String),
    /// A number, string or character literal.
    Lit(String),
    /// Punctuation; `::`, `=>`, `->` and comparisons/assignments as one piece.
    Punct(String),
    /// A space or (in Python) a line break with its indentation.
    Space(String),
}

impl Tok {
    fn text(&self) -> &str {
        match self {
            Tok::Word(s) | Tok::Lit(s) | Tok::Punct(s) | Tok::Space(s) => s,
        }
    }
    fn is(&self, p: &str) -> bool {
        matches!(self, Tok::Punct(s) if s == p)
    }
    fn word(&self) -> Option<&str> {
        match self {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }
}

fn tokens(text: &str, extension: &str) -> Vec<Tok> {
    let quotes: &[char] = if extension == "py" {
        &['"', '\'']
    } else {
        &['"']
    };
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let mut piece = String::from(c);
        if quotes.contains(&c) {
            copy_literal(c, &mut chars, &mut piece);
            out.push(Tok::Lit(piece));
        } else if c == '\'' {
            // A character literal ('a', '\n') is kept; a Rust lifetime is a mark.
            let mut ahead = chars.clone();
            let literal = match ahead.next() {
                Some('\\') => ahead.nth(1) == Some('\''),
                Some(_) => ahead.next() == Some('\''),
                None => false,
            };
            if literal {
                copy_literal(c, &mut chars, &mut piece);
                out.push(Tok::Lit(piece));
            } else {
                while let Some(n) = chars.next_if(|n| n.is_alphanumeric() || *n == '_') {
                    piece.push(n);
                }
                out.push(Tok::Word(piece));
            }
        } else if c.is_ascii_digit() {
            // C++14 digit separators (1'000'000) belong to the number.
            let separators = extension != "rs" && extension != "py";
            loop {
                if let Some(n) =
                    chars.next_if(|n| n.is_ascii_alphanumeric() || *n == '_' || *n == '.')
                {
                    piece.push(n);
                    continue;
                }
                let mut ahead = chars.clone();
                if separators
                    && ahead.next() == Some('\'')
                    && ahead.next().is_some_and(|d| d.is_ascii_alphanumeric())
                {
                    piece.extend(chars.next());
                    continue;
                }
                break;
            }
            out.push(Tok::Lit(piece));
        } else if c.is_alphabetic() || c == '_' {
            while let Some(n) = chars.next_if(|n| n.is_alphanumeric() || *n == '_') {
                piece.push(n);
            }
            out.push(Tok::Word(piece));
        } else if c.is_whitespace() {
            while let Some(n) = chars.next_if(|n| n.is_whitespace()) {
                piece.push(n);
            }
            out.push(Tok::Space(piece));
        } else {
            let two = chars.peek().map(|&n| format!("{c}{n}"));
            if let Some(two) = two.filter(|t| {
                [
                    "::", "=>", "->", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "|=",
                    "&=", "^=",
                ]
                .contains(&t.as_str())
            }) {
                chars.next();
                piece = two;
            }
            out.push(Tok::Punct(piece));
        }
    }
    out
}

/// The names a program binds itself, found by the forms that declare them.
/// `items` (functions, types, fields, constants) are the program's wherever
/// they appear, after `.` and `::` too; `locals` (variables and parameters)
/// only where they stand on their own, since `x.max` or `cmp::max` is the
/// library's `max` whatever a variable is called.
struct Bound {
    items: HashSet<String>,
    locals: HashSet<String>,
}

fn bound_names(toks: &[Tok], extension: &str) -> Bound {
    let code: Vec<&Tok> = toks
        .iter()
        .filter(|t| !matches!(t, Tok::Space(_)))
        .collect();
    let mut b = Bound {
        items: HashSet::new(),
        locals: HashSet::new(),
    };
    let word_at = |i: usize| code.get(i).and_then(|t| t.word());
    let is_at = |i: usize, p: &str| code.get(i).is_some_and(|t| t.is(p));
    let name = |w: &str| !keyword(w);
    for i in 0..code.len() {
        let Some(w) = code[i].word() else { continue };
        match (extension, w) {
            (
                _,
                "fn" | "def" | "struct" | "enum" | "trait" | "type" | "mod" | "class" | "union",
            )
            | ("rs", "const" | "static") => {
                let mut j = i + 1;
                while word_at(j) == Some("mut") {
                    j += 1;
                }
                if let Some(n) = word_at(j).filter(|n| name(n)) {
                    b.items.insert(n.to_string());
                }
                match w {
                    "fn" | "def" => params(&code, j + 1, &mut b.locals),
                    "struct" | "enum" | "union" => members(&code, j + 1, &mut b.items),
                    _ => {}
                }
            }
            ("rs", "let") => pattern(&code, i + 1, &["=", ";", ":"], &mut b.locals),
            // A C or C++ loop's variables are declarations (`int i`) below.
            ("rs" | "py", "for") => pattern(&code, i + 1, &["in", ":", "{", ";"], &mut b.locals),
            ("py", "lambda") => pattern(&code, i + 1, &[":"], &mut b.locals),
            ("py", "as") => {
                if let Some(n) = word_at(i + 1).filter(|n| name(n)) {
                    b.locals.insert(n.to_string());
                }
            }
            _ => {}
        }
        // `x = ...` at the start of a Python statement, `int x` in C and C++.
        if extension == "py" && name(w) {
            let starts = i == 0 || is_at(i - 1, ";") || is_at(i - 1, ",") || {
                let before = toks
                    .iter()
                    .position(|t| std::ptr::eq(t, code[i]))
                    .and_then(|k| k.checked_sub(1))
                    .map(|k| &toks[k]);
                matches!(before, Some(Tok::Space(s)) if s.contains('\n'))
            };
            let assigned = ["=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", ","]
                .iter()
                .any(|p| is_at(i + 1, p));
            if starts && assigned {
                b.locals.insert(w.to_string());
            }
        }
        if matches!(extension, "cpp" | "cc" | "cxx" | "c") && name(w) && i > 0 {
            let declared_after = code[i - 1].word().is_some_and(|t| is_in(C_TYPES, t))
                || closes_template(&code, i - 1)
                || code[i - 1].word().is_some_and(|t| b.items.contains(t));
            let ends = ["=", ";", ",", "(", "[", ")", "{"]
                .iter()
                .any(|p| is_at(i + 1, p));
            if declared_after && ends {
                b.locals.insert(w.to_string());
            }
        }
    }
    // Closure parameters: `|a, b|` where an expression starts.
    for i in 0..code.len() {
        if code[i].is("|")
            && extension == "rs"
            && i > 0
            && (["(", ",", "=", "{", ";", "=>"]
                .iter()
                .any(|p| code[i - 1].is(p))
                || code[i - 1].word() == Some("move"))
        {
            pattern(&code, i + 1, &["|"], &mut b.locals);
        }
    }
    b
}

/// Whether the `>` at `at` closes a template's arguments (`vector<int>`,
/// `map<int, pair<int, int>>`) rather than comparing (`x > max(a, b)`): its
/// `<` is found close before, after a name, with only names, `,`, `::`, `*`,
/// `&` and nested brackets between.
fn closes_template(code: &[&Tok], at: usize) -> bool {
    if !code[at].is(">") {
        return false;
    }
    let mut depth = 0;
    for j in (0..=at).rev().take(24) {
        match code[j].text() {
            ">" => depth += 1,
            "<" => {
                depth -= 1;
                if depth == 0 {
                    return j > 0 && code[j - 1].word().is_some();
                }
            }
            "," | "::" | "*" | "&" => {}
            _ if code[j].word().is_some() || matches!(code[j], Tok::Lit(_)) => {}
            _ => return false,
        }
    }
    false
}

/// The names in a pattern up to one of `stops` at depth 0: lower-case words
/// that are not a path or a constructor (`Some(x)` binds `x`, not `Some`).
fn pattern(code: &[&Tok], from: usize, stops: &[&str], into: &mut HashSet<String>) {
    let mut depth = 0i32;
    for j in from..code.len() {
        let t = code[j];
        if depth == 0 && stops.iter().any(|s| t.is(s) || t.word() == Some(s)) {
            return;
        }
        match t.text() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth -= 1;
                if depth < 0 {
                    return;
                }
            }
            _ => {}
        }
        if let Some(w) = t.word() {
            let path = code
                .get(j + 1)
                .is_some_and(|n| n.is("::") || n.is("(") || n.is("{"))
                || j > 0 && code[j - 1].is("::");
            let lower = w.starts_with(|c: char| c.is_lowercase() || c == '_');
            if lower && !path && !keyword(w) {
                into.insert(w.to_string());
            }
        }
    }
}

/// A function's parameters: the names before `:` (Rust), or every name not
/// after `:`/`=` (Python, where annotations and defaults follow them).
fn params(code: &[&Tok], from: usize, into: &mut HashSet<String>) {
    let Some(open) = (from..code.len()).find(|&j| code[j].is("(")) else {
        return;
    };
    let mut depth = 0;
    let mut expecting_name = true;
    for t in &code[open..] {
        match t.text() {
            "(" | "[" | "<" | "{" => depth += 1,
            ")" | "]" | ">" | "}" => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            "," if depth == 1 => expecting_name = true,
            ":" | "=" if depth == 1 => expecting_name = false,
            _ => {}
        }
        if let Some(w) = t.word().filter(|w| !keyword(w)) {
            if depth == 1 && expecting_name {
                into.insert(w.to_string());
                expecting_name = false;
            }
        }
    }
}

/// A struct's fields or an enum's variants: names at depth one of its braces
/// (or parentheses) that a `:` follows or that stand alone before `,` `(` `{` `}`.
fn members(code: &[&Tok], from: usize, into: &mut HashSet<String>) {
    let Some(open) = (from..code.len()).find(|&j| code[j].is("{") || code[j].is(";")) else {
        return;
    };
    if code[open].is(";") {
        return;
    }
    let mut depth = 0;
    for j in open..code.len() {
        match code[j].text() {
            "{" | "(" | "[" | "<" => depth += 1,
            "}" | ")" | "]" | ">" => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
        if depth == 1 {
            if let Some(w) = code[j].word().filter(|w| !keyword(w)) {
                let next = code.get(j + 1).map(|t| t.text());
                if matches!(next, Some(":" | "," | "(" | "{" | "}" | "=")) {
                    into.insert(w.to_string());
                }
            }
        }
    }
}

/// The program as candidates are compared: [`normalise`]d, then every name
/// the program binds itself (variables, parameters, functions, types, fields)
/// replaced by `$n`, n the order it first appears in. Two programs with the
/// same canonical form differ only by a consistent renaming of their own
/// names. Library names (`sort`, `max`, `BTreeMap`), names after `.` or `::`
/// that the program does not declare, keywords and literals are kept: a
/// changed constant or a different library call is a new candidate.
pub fn canonical(source: &str, extension: &str) -> String {
    let text = normalise(source, extension);
    let toks = tokens(&text, extension);
    let bound = bound_names(&toks, extension);
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<&Tok> = None;
    for t in &toks {
        let renamed = t.word().filter(|w| {
            let qualified = previous.is_some_and(|p| p.is(".") || p.is("::"));
            let lifetime = extension == "rs" && w.starts_with('\'') && *w != "'static";
            lifetime || bound.items.contains(*w) || (!qualified && bound.locals.contains(*w))
        });
        match renamed {
            Some(w) => {
                let next = names.len();
                let n = *names.entry(w).or_insert(next);
                out.push_str(&format!("${n}"));
            }
            None => out.push_str(t.text()),
        }
        if !matches!(t, Tok::Space(_)) {
            previous = Some(t);
        }
    }
    out
}

/// The rest of a literal opened by `q`, up to its closing quote.
fn copy_literal(q: char, chars: &mut impl Iterator<Item = char>, out: &mut String) {
    let mut open = Some(q);
    while let Some(q) = open {
        let Some(n) = chars.next() else { break };
        open = string_char(n, q, chars, out);
    }
}

#[cfg(test)]
mod tests {
    use super::{canonical, normalise};

    #[test]
    fn comments_and_spacing_do_not_make_a_new_candidate() {
        let a = "fn main() { // go\n    let x = 1; /* note */\n}\n";
        let b = "fn main() {\n let x = 1;\n\n}";
        assert_eq!(normalise(a, "rs"), normalise(b, "rs"));
        assert_ne!(
            normalise(a, "rs"),
            normalise("fn main() { let x = 2; }", "rs")
        );
        // Inside a string a comment marker is text.
        assert_ne!(
            normalise("let s = \"a // b\";", "rs"),
            normalise("let s = \"a \";", "rs")
        );
        assert_eq!(
            normalise("x = 1  # one\n", "py"),
            normalise("x = 1\n", "py")
        );
        // In Python the indentation is the program.
        assert_ne!(
            normalise("if x:\n    a()\nb()\n", "py"),
            normalise("if x:\n    a()\n    b()\n", "py")
        );
        assert_eq!(
            normalise("if x:\n    a()  # go\n\nb( 1 )\n", "py"),
            normalise("if x:\n    a()\nb( 1 )", "py")
        );
        assert_ne!(
            normalise("s = '# not a comment'\n", "py"),
            normalise("s = '\n", "py")
        );
    }

    #[test]
    fn renamed_variables_make_the_same_program_changed_constants_do_not() {
        let a = "fn main() {\n    let total = 3; // three\n    let mut best = total * 2;\n    best += 1;\n    println!(\"{}\", best);\n}\n";
        let b = "fn main() { let t = 3; let mut answer = t * 2; answer += 1; println!(\"{}\", answer); }";
        assert_eq!(canonical(a, "rs"), canonical(b, "rs"));
        // A new constant, a new operator, another keyword: new programs.
        for other in [
            a.replace("= 3", "= 4"),
            a.replace("+= 1", "-= 1"),
            a.replace("let mut best", "const mut best"),
            a.replace("\"{}\"", "\"{} \""),
        ] {
            assert_ne!(canonical(a, "rs"), canonical(&other, "rs"), "{other}");
        }
        // Renaming must be consistent: two names merged into one is not a renaming.
        let merged = "fn main() { let t = 3; let mut t = t * 2; t += 1; println!(\"{}\", t); }";
        assert_ne!(canonical(a, "rs"), canonical(merged, "rs"));
        // Character literals are literals; lifetimes are not.
        assert_ne!(
            canonical("let c = 'a';", "rs"),
            canonical("let c = 'b';", "rs")
        );
        assert_eq!(
            canonical("fn f<'a>(x: &'a str) {}", "rs"),
            canonical("fn g<'b>(y: &'b str) {}", "rs")
        );
        assert_eq!(canonical("let x = '\\n';", "rs"), "let $0 = '\\n';");
        assert_eq!(
            canonical("let s = \"a b\"; let t = s;", "rs"),
            "let $0 = \"a b\"; let $1 = $0;"
        );
        // Numbers keep their suffixes and exponents.
        assert_eq!(
            canonical("let x = 1e-9 + 2u64;", "rs"),
            "let $0 = 1e-9 + 2u64;"
        );
        // Python: renaming is the same program; indentation still is not.
        assert_eq!(
            canonical("def f(a):\n    return a + 1\n", "py"),
            canonical("def g(x):  # add one\n    return x + 1\n", "py")
        );
        assert_ne!(
            canonical("if x:\n    a()\nb()\n", "py"),
            canonical("if x:\n    a()\n    b()\n", "py")
        );
    }

    #[test]
    fn a_different_library_call_is_a_different_program() {
        let pairs = [
            ("fn main() { let mut v = vec![3, 1]; v.sort(); }", "sort", "sort_unstable"),
            ("fn main() { let a = 1; let b = a.max(2); }", "max", "min"),
            ("use std::cmp::max; fn main() { let b = max(1, 2); }", "max", "min"),
            (
                "use std::collections::BTreeMap; fn main() { let m: BTreeMap<u8, u8> = BTreeMap::new(); }",
                "BTreeMap",
                "HashMap",
            ),
            ("fn main() { let x = f64::sqrt(2.0); }", "sqrt", "cbrt"),
            ("#include <algorithm>\nint main() { int v[2]; std::sort(v, v + 2); }", "sort", "stable_sort"),
        ];
        for (a, from, to) in pairs {
            let b = a.replace(from, to);
            let ext = if a.starts_with('#') { "cpp" } else { "rs" };
            assert_ne!(canonical(a, ext), canonical(&b, ext), "{a}\n{b}");
        }
        assert_ne!(
            canonical("xs = sorted(a)\nprint(max(xs))\n", "py"),
            canonical("xs = sorted(a)\nprint(min(xs))\n", "py")
        );
        // C++: library calls after a loop, in a comparison, in a template.
        let cpp = "#include <bits/stdc++.h>\nusing namespace std;\nint main() { int n = 3; vector<int> a(n); for (int i = 0; i < n; i++) a[i] = i; sort(a.begin(), a.end(), greater<int>()); if (a[0] > max(a[1], a[2])) cout << a[0]; }";
        for (from, to) in [
            ("greater", "less"),
            ("max(", "min("),
            ("cout", "cerr"),
            ("vector", "deque"),
        ] {
            assert_ne!(
                canonical(cpp, "cpp"),
                canonical(&cpp.replace(from, to), "cpp"),
                "{from}"
            );
        }
        // Rust: a library macro or function after an impl's `for`.
        let rs = "struct S; impl Clone for S { fn clone(&self) -> S { S } } fn main() { let v = [1, 2]; println!(\"{}\", v.iter().fold(0, |a, &b| std::cmp::max(a, b))); }";
        for (from, to) in [("println", "print"), ("max", "min")] {
            assert_ne!(
                canonical(rs, "rs"),
                canonical(&rs.replace(from, to), "rs"),
                "{from}"
            );
        }
        // C++ digit separators are part of the number.
        assert_ne!(
            canonical("int main() { long x = 1'000; }", "cpp"),
            canonical("int main() { long x = 1'500; }", "cpp")
        );
        // A quote in a character literal opens no string: the comment after
        // it is still a comment, and the string after it still a string.
        assert_eq!(
            normalise("let q = '\"'; // note\nlet s = \"a // b\";", "rs"),
            "let q = '\"'; let s = \"a // b\";"
        );
    }

    #[test]
    fn the_programs_own_names_rename_wherever_they_are_bound() {
        let a = "struct State { score: i64, order: Vec<usize> }\n\
                 impl State { fn bump(&mut self, by: i64) { self.score += by; } }\n\
                 const LIMIT: u64 = 1800;\n\
                 fn main() { let mut s = State { score: 0, order: vec![] }; \
                 for i in 0..3 { s.bump(i); } let f = |k: i64| k * 2; s.order.sort(); }";
        let b = "struct Solution { value: i64, perm: Vec<usize> }\n\
                 impl Solution { fn add(&mut self, delta: i64) { self.value += delta; } }\n\
                 const TL: u64 = 1800;\n\
                 fn main() { let mut st = Solution { value: 0, perm: vec![] }; \
                 for j in 0..3 { st.add(j); } let f = |z: i64| z * 2; st.perm.sort(); }";
        assert_ne!(a, b);
        assert_eq!(canonical(a, "rs"), canonical(b, "rs"), "{b}");
        // Python: assignments, parameters, loop variables.
        assert_eq!(
            canonical("def solve(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total\n", "py"),
            canonical("def go(m):\n    acc = 0\n    for k in range(m):\n        acc += k\n    return acc\n", "py")
        );
        // C++: declarations after a type.
        assert_eq!(
            canonical(
                "int main() { long long best = 0; for (int i = 0; i < 3; i++) best += i; }",
                "cpp"
            ),
            canonical(
                "int main() { long long ans = 0; for (int k = 0; k < 3; k++) ans += k; }",
                "cpp"
            )
        );
    }
}
