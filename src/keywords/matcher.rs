//! Whole-word, case-insensitive keyword matching (phrases allowed).

use regex::Regex;

use crate::error::{Error, Result};

/// Finds the first configured keyword in a text.
#[derive(Debug, Clone)]
pub struct KeywordMatcher {
    patterns: Vec<(String, Regex)>,
}

impl KeywordMatcher {
    /// A matcher for `keywords` (empty entries are ignored; at least one
    /// must remain).
    pub fn new(keywords: &[String]) -> Result<KeywordMatcher> {
        let mut patterns = Vec::new();
        for k in keywords {
            let words: Vec<String> = k.split_whitespace().map(regex::escape).collect();
            if words.is_empty() {
                continue;
            }
            // "Whole word": no word character right before or after, which
            // also works for keywords that start or end with a symbol (c++).
            let re = Regex::new(&format!(r"(?i)(?:^|\W){}(?:\W|$)", words.join(r"\s+")))
                .map_err(|e| Error::config("keywords", format!("'{k}': {e}")))?;
            patterns.push((k.split_whitespace().collect::<Vec<_>>().join(" "), re));
        }
        if patterns.is_empty() {
            return Err(Error::config("keywords", "no keyword given"));
        }
        Ok(KeywordMatcher { patterns })
    }

    /// A matcher from a comma-separated list (`"cat,dog,hot dog"`).
    pub fn from_list(list: &str) -> Result<KeywordMatcher> {
        let words: Vec<String> = list.split(',').map(|s| s.trim().to_string()).collect();
        KeywordMatcher::new(&words)
    }

    /// The first keyword (in configured order) found in `text`.
    pub fn find(&self, text: &str) -> Option<&str> {
        self.patterns
            .iter()
            .find(|(_, re)| re.is_match(text))
            .map(|(k, _)| k.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_any_case_and_phrases() {
        let m = KeywordMatcher::from_list("cat, dog ,another keyword").unwrap();
        assert_eq!(m.find("The Cat."), Some("cat"));
        assert_eq!(m.find("DOG!"), Some("dog"));
        assert_eq!(m.find("cats and hotdogs"), None);
        assert_eq!(m.find("yet ANOTHER\nkeyword here"), Some("another keyword"));
        assert_eq!(m.find("a.b (c+d)"), None);
        assert!(KeywordMatcher::from_list(" , ").is_err());
        // Regex metacharacters are literal.
        let m = KeywordMatcher::from_list("c++").unwrap();
        assert_eq!(m.find("I like C++ a lot"), Some("c++"));
        assert_eq!(m.find("abc++ x"), None);
    }
}
