//! Small text helpers shared by layers that must not depend on one another
//! (the store, the model clients, the judge, the agent): a leaf module.

/// The last `n` characters of `text`.
pub fn tail(text: &str, n: usize) -> String {
    let count = text.chars().count();
    text.chars().skip(count.saturating_sub(n)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tail_counts_characters_not_bytes() {
        assert_eq!(super::tail("héllo", 4), "éllo");
        assert_eq!(super::tail("ab", 5), "ab");
        assert_eq!(super::tail("abc", 0), "");
    }
}
