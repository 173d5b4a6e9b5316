//! The code in a model's reply: the last fenced block of the solution's
//! language (a chatty reply may show a snippet first and the whole file last).

/// The info-string words that name a language, by source extension.
fn tags(extension: &str) -> &'static [&'static str] {
    match extension {
        "rs" => &["rust", "rs"],
        "cpp" | "cc" | "cxx" => &["cpp", "c++", "cc", "cxx"],
        "c" => &["c"],
        "py" => &["python", "py", "python3"],
        "java" => &["java"],
        "go" => &["go", "golang"],
        "nim" => &["nim"],
        "kt" => &["kotlin", "kt"],
        _ => &[],
    }
}

/// The last fenced block tagged with the language of `extension`; failing
/// that, the last block without a tag. None when the reply has neither.
pub fn last_code_block(reply: &str, extension: &str) -> Option<String> {
    let wanted = tags(extension.trim_start_matches('.'));
    let mut tagged = None;
    let mut untagged = None;
    let mut lines = reply.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let fence_char = match trimmed.chars().next() {
            Some(c @ ('`' | '~')) => c,
            _ => continue,
        };
        let run = trimmed.chars().take_while(|&c| c == fence_char).count();
        if run < 3 {
            continue;
        }
        let info = trimmed[run..].trim().to_ascii_lowercase();
        let tag = info.split_whitespace().next().unwrap_or("").to_string();
        // (An unclosed fence at the end of a reply cut short still counts.)
        let mut body = Vec::new();
        for inner in lines.by_ref() {
            let t = inner.trim();
            if t.len() >= run && t.chars().all(|c| c == fence_char) {
                break;
            }
            body.push(inner);
        }
        let code = body.join("\n") + "\n";
        if tag.is_empty() {
            untagged = Some(code);
        } else if wanted.contains(&tag.as_str()) {
            tagged = Some(code);
        }
    }
    tagged.or(untagged).filter(|c| !c.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::last_code_block;

    #[test]
    fn the_last_block_of_the_language_wins() {
        let reply = "Here is the idea:\n```rust\nfn helper() {}\n```\nand a test:\n```python\nprint(1)\n```\nThe full solution:\n```rust\nfn main() {\n    println!(\"1\");\n}\n```\nGood luck.\n";
        assert_eq!(
            last_code_block(reply, "rs").unwrap(),
            "fn main() {\n    println!(\"1\");\n}\n"
        );
        assert_eq!(last_code_block(reply, "py").unwrap(), "print(1)\n");
    }

    #[test]
    fn untagged_blocks_longer_fences_and_no_code() {
        assert_eq!(
            last_code_block("````\nlet a = \"```\";\n````\n", "rs").unwrap(),
            "let a = \"```\";\n"
        );
        assert_eq!(
            last_code_block("```c++\nint main(){}\n```", "cpp").unwrap(),
            "int main(){}\n"
        );
        // A tagged block of another language is not taken for ours.
        assert_eq!(last_code_block("```python\nx=1\n```", "rs"), None);
        assert_eq!(last_code_block("I cannot help with that.", "rs"), None);
        assert_eq!(last_code_block("```rust\n\n```", "rs"), None);
    }
}
