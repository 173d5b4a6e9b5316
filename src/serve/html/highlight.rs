//! Syntax colouring of a candidate's source: comments, strings, numbers and
//! the language's keywords each in a span of their own. A plain scan, not a
//! parser: it only has to look right, and every piece is escaped as it goes.

use super::esc;

/// The keywords coloured for a source of this extension (none for others).
fn keywords(extension: &str) -> &'static [&'static str] {
    match extension {
        "rs" => &[
            "as", "break", "const", "continue", "crate", "else", "enum", "fn", "for", "if", "impl",
            "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
            "Self", "static", "struct", "trait", "type", "use", "where", "while", "true", "false",
        ],
        "cpp" | "cc" | "c" | "java" | "go" => &[
            "auto",
            "break",
            "case",
            "class",
            "const",
            "continue",
            "do",
            "double",
            "else",
            "for",
            "func",
            "if",
            "int",
            "long",
            "namespace",
            "return",
            "static",
            "struct",
            "switch",
            "template",
            "typedef",
            "using",
            "void",
            "while",
            "true",
            "false",
            "package",
            "import",
            "var",
            "public",
            "private",
        ],
        "py" => &[
            "and", "as", "break", "class", "continue", "def", "elif", "else", "for", "from", "if",
            "import", "in", "is", "lambda", "not", "or", "pass", "return", "while", "with",
            "yield", "True", "False", "None",
        ],
        _ => &[],
    }
}

/// `source` as HTML with coloured spans, for a file of `extension`.
pub fn highlight(source: &str, extension: &str) -> String {
    let keywords = keywords(extension);
    let hash_comments = matches!(extension, "py" | "sh" | "rb");
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() * 2);
    let mut i = 0;
    let span = |out: &mut String, class: &str, text: &[char]| {
        let text: String = text.iter().collect();
        out.push_str(&format!("<span class=\"{class}\">{}</span>", esc(&text)));
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let start = i;
        if (c == '/' && next == Some('/') && !hash_comments) || (c == '#' && hash_comments) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            span(&mut out, "cm", &chars[start..i]);
        } else if c == '/' && next == Some('*') && !hash_comments {
            i += 2;
            while i < chars.len() && !(chars[i - 1] == '*' && chars[i] == '/' && i > start + 2) {
                i += 1;
            }
            i = (i + 1).min(chars.len());
            span(&mut out, "cm", &chars[start..i]);
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            span(&mut out, "st", &chars[start..i]);
        } else if c.is_ascii_digit() {
            // A point belongs to the number only before a digit: `0..n` is a range.
            let digit_after = |i: usize| chars.get(i + 1).is_some_and(char::is_ascii_digit);
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '_'
                    || (chars[i] == '.' && digit_after(i)))
            {
                i += 1;
            }
            span(&mut out, "nu", &chars[start..i]);
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if keywords.contains(&word.as_str()) {
                span(&mut out, "kw", &chars[start..i]);
            } else {
                out.push_str(&esc(&word));
            }
        } else {
            out.push_str(&esc(&c.to_string()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text a browser shows for some HTML made of spans and entities.
    fn shown(html: &str) -> String {
        let no_tags = regex::Regex::new("<[^>]*>").unwrap().replace_all(html, "");
        no_tags
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn a_source_is_coloured_and_shown_exactly_as_it_is() {
        let source = "// <script>alert(1)</script>\nfn main() { let s = \"a \\\" </pre> b\"; /* x * y */ let n = 1_000u64 & 2; }\n";
        let html = highlight(source, "rs");
        assert_eq!(shown(&html), source);
        assert!(
            !html.contains("<script") && !html.contains("</pre>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"cm\">// &lt;script&gt;alert(1)&lt;/script&gt;</span>"));
        assert!(html.contains("<span class=\"kw\">fn</span> main"));
        assert!(
            html.contains("<span class=\"st\">&quot;a \\&quot; &lt;/pre&gt; b&quot;</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"cm\">/* x * y */</span>"));
        assert!(html.contains("<span class=\"nu\">1_000u64</span>"));
        let range = highlight("for i in 0..n { x = 2.5; }", "rs");
        assert!(range.contains("<span class=\"nu\">0</span>..n"), "{range}");
        assert!(range.contains("<span class=\"nu\">2.5</span>"), "{range}");
        let py = highlight("def f():  # note \"x\"\n    return 'y'\n", "py");
        assert!(py.contains("<span class=\"kw\">def</span>"));
        assert!(py.contains("<span class=\"cm\"># note &quot;x&quot;</span>"));
        assert_eq!(shown(&py), "def f():  # note \"x\"\n    return 'y'\n");
        // An unterminated string or comment ends with the source.
        assert_eq!(shown(&highlight("x = \"open", "rs")), "x = \"open");
        assert_eq!(shown(&highlight("/* open", "rs")), "/* open");
    }
}
