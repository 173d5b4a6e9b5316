//! When two candidates are the same program. Comments and spacing do not
//! make a new program ([`normalise`]), and neither do new names for the
//! program's own variables and functions ([`canonical`]): a model that only
//! restyles or renames its parent is turned away before the judge runs it.

use std::collections::HashMap;

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

/// Words that keep their meaning whatever a program calls its own things:
/// the reserved words and primitive types of the languages ale drafts in.
/// (Library names such as `input` or `Vec` are not here: a variable renamed
/// to one of them is still only renamed.)
const KEYWORDS: &str = "
    as break const continue crate else enum extern false fn for if impl in let loop match mod
    move mut pub ref return self Self static struct super trait true type unsafe use where
    while dyn i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str
    auto case catch class default delete do double float goto inline int long namespace new
    nullptr operator private protected public short signed sizeof switch template this throw
    try typedef typename union unsigned using virtual void volatile
    and assert async await def del elif except finally from global import is lambda nonlocal
    not or pass raise with yield True False None
    final package interface extends implements func go chan defer map select var range
    fallthrough";

fn keyword(word: &str) -> bool {
    static SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| KEYWORDS.split_whitespace().collect());
    SET.contains(word)
}

/// The program as candidates are compared: [`normalise`]d, then every name
/// that is not a keyword replaced by `$n`, n the order it first appears in.
/// Two programs with the same canonical form differ only by a consistent
/// renaming of their own names. Literals (numbers, strings, characters)
/// are kept as they are: a changed constant is a new candidate.
pub fn canonical(source: &str, extension: &str) -> String {
    let text = normalise(source, extension);
    let quotes: &[char] = if extension == "py" {
        &['"', '\'']
    } else {
        &['"']
    };
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quotes.contains(&c) {
            out.push(c);
            copy_literal(c, &mut chars, &mut out);
        } else if c == '\'' {
            // A character literal ('a', '\n') is kept; a Rust lifetime is a mark.
            out.push(c);
            let mut ahead = chars.clone();
            let literal = match ahead.next() {
                Some('\\') => ahead.nth(1) == Some('\''),
                Some(_) => ahead.next() == Some('\''),
                None => false,
            };
            if literal {
                copy_literal(c, &mut chars, &mut out);
            }
        } else if c.is_ascii_digit() {
            out.push(c);
            while let Some(n) =
                chars.next_if(|n| n.is_ascii_alphanumeric() || *n == '_' || *n == '.')
            {
                out.push(n);
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut word = c.to_string();
            while let Some(n) = chars.next_if(|n| n.is_alphanumeric() || *n == '_') {
                word.push(n);
            }
            if keyword(&word) {
                out.push_str(&word);
            } else {
                let next = names.len();
                let n = *names.entry(word).or_insert(next);
                out.push_str(&format!("${n}"));
            }
        } else {
            out.push(c);
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
}
