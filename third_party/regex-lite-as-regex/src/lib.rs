//! `regex-lite` under the name `regex` (see this package's Cargo.toml for why).
pub use regex_lite::*;

#[cfg(test)]
mod tests {
    /// The pattern tantivy escapes facet steps with (`schema/facet.rs`), and the other
    /// calls it makes, behave as with `regex`.
    #[test]
    fn tantivys_calls_behave_as_with_regex() {
        let slash = super::Regex::new(r"[\\/]").unwrap();
        assert_eq!(slash.replace_all("a/b\\c", "\\/"), "a\\/b\\/c");
        assert_eq!(super::escape("a*b"), r"a\*b");
        let word = super::Regex::new(r"\w+").unwrap();
        assert_eq!(word.find_at("ab cd", 2).map(|m| m.as_str()), Some("cd"));
        assert!(super::Regex::new("(").is_err());
    }
}
