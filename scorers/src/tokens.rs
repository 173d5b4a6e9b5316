//! Whitespace-separated tokens that remember their line, so that every error
//! can say where it is.

use std::str::FromStr;

/// A cursor over the tokens of a text, with 1-based line numbers.
pub struct Tokens<'a> {
    lines: std::iter::Enumerate<std::str::Lines<'a>>,
    current: Option<(usize, std::str::SplitAsciiWhitespace<'a>)>,
    last_line: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens {
            lines: text.lines().enumerate(),
            current: None,
            last_line: 0,
        }
    }

    /// The line of the last token read (0 before the first).
    pub fn line(&self) -> usize {
        self.last_line
    }

    /// The next token and its line, or `None` at the end of the text.
    pub fn next_token(&mut self) -> Option<(usize, &'a str)> {
        loop {
            if let Some((line, words)) = &mut self.current {
                if let Some(word) = words.next() {
                    self.last_line = *line;
                    return Some((*line, word));
                }
            }
            let (index, text) = self.lines.next()?;
            self.current = Some((index + 1, text.split_ascii_whitespace()));
        }
    }

    /// The next token parsed as a number; `what` names it in the error.
    pub fn number<T: FromStr>(&mut self, what: &str) -> Result<T, String> {
        match self.next_token() {
            None => Err(format!(
                "expected {what} but the text ends (after line {})",
                self.last_line
            )),
            Some((line, word)) => word
                .parse()
                .map_err(|_| format!("line {line}: expected {what}, found `{}`", clip(word))),
        }
    }

    /// The next number, checked to lie in `lo..=hi`.
    pub fn bounded(&mut self, what: &str, lo: i64, hi: i64) -> Result<i64, String> {
        let value: i64 = self.number(what)?;
        if value < lo || value > hi {
            return Err(format!(
                "line {}: {what} is {value}, outside {lo}..={hi}",
                self.last_line
            ));
        }
        Ok(value)
    }

    /// Fails if any token is left.
    pub fn finish(&mut self, after: &str) -> Result<(), String> {
        match self.next_token() {
            None => Ok(()),
            Some((line, word)) => Err(format!(
                "line {line}: unexpected `{}` after {after}",
                clip(word)
            )),
        }
    }
}

/// A token cut to a printable length for error messages.
pub fn clip(word: &str) -> String {
    if word.chars().count() <= 32 {
        word.to_string()
    } else {
        format!("{}...", word.chars().take(32).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_know_their_lines() {
        let mut t = Tokens::new("1 2\n\n  3\nx");
        assert_eq!(t.next_token(), Some((1, "1")));
        assert_eq!(t.next_token(), Some((1, "2")));
        assert_eq!(t.number::<i32>("a"), Ok(3));
        assert_eq!(t.line(), 3);
        assert_eq!(
            t.number::<i32>("a count"),
            Err("line 4: expected a count, found `x`".into())
        );
        assert_eq!(
            t.number::<i32>("a count"),
            Err("expected a count but the text ends (after line 4)".into())
        );
    }
}
