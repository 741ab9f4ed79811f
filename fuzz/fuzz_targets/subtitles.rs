//! The SRT/WebVTT reader and the keyword matcher on arbitrary text: Ok or
//! an error, never a panic; cues it returns are matched without panicking.
#![no_main]

use std::sync::OnceLock;

use framesift::keywords::KeywordMatcher;
use libfuzzer_sys::fuzz_target;

static MATCHER: OnceLock<Option<KeywordMatcher>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let matcher = MATCHER.get_or_init(|| KeywordMatcher::from_list("cat,hot dog,c++").ok());
    if let (Ok(cues), Some(m)) = (framesift::keywords::parse_subtitles(&text), matcher) {
        let spans = framesift::keywords::keyword_spans(&cues, m, 0.5);
        assert!(spans.len() <= cues.len());
    }
});
