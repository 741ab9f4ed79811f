//! SRT and WebVTT text → cues (aspasia), with markup removed.

use std::str::FromStr;

use aspasia::{SubRipSubtitle, Subtitle, TimedEventInterface, WebVttSubtitle};

use super::Cue;

/// Parses SRT or WebVTT (a `WEBVTT` header decides); cues with no text
/// are dropped.
pub fn parse_subtitles(text: &str) -> Result<Vec<Cue>, String> {
    let text = text.trim_start_matches('\u{feff}');
    check_timings(text)?;
    // aspasia must not take the run down on input it was not written for
    // (found by fuzzing: it overflowed on huge hour fields).
    std::panic::catch_unwind(|| parse_checked(text))
        .unwrap_or_else(|_| Err("malformed subtitle file".to_string()))
}

/// Refuses numbers the parser cannot represent: a run of more than 7
/// digits next to a `:` (a timestamp field of over 1,000 days). The
/// parser reads timestamps leniently, so every line is checked.
fn check_timings(text: &str) -> Result<(), String> {
    for (n, line) in text.lines().enumerate() {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let by_colon = (start > 0 && b[start - 1] == b':') || b.get(i) == Some(&b':');
            if i - start > 7 && by_colon {
                return Err(format!("line {}: timestamp out of range", n + 1));
            }
        }
    }
    Ok(())
}

fn parse_checked(text: &str) -> Result<Vec<Cue>, String> {
    let mut cues = if text.trim_start().starts_with("WEBVTT") {
        let sub = WebVttSubtitle::from_str(text).map_err(|e| format!("not valid WebVTT: {e}"))?;
        collect(
            sub.events()
                .iter()
                .map(|e| (e.start(), e.end(), e.text.clone())),
        )
    } else {
        let sub = SubRipSubtitle::from_str(text).map_err(|e| format!("not valid SRT: {e}"))?;
        collect(
            sub.events()
                .iter()
                .map(|e| (e.start(), e.end(), e.text.clone())),
        )
    };
    cues.sort_by(|a, b| a.start.total_cmp(&b.start));
    Ok(cues)
}

fn collect(events: impl Iterator<Item = (aspasia::Moment, aspasia::Moment, String)>) -> Vec<Cue> {
    events
        .filter_map(|(start, end, text)| {
            let text = clean(&text);
            (!text.is_empty()).then(|| Cue {
                start: i64::from(start) as f64 / 1000.0,
                end: i64::from(end) as f64 / 1000.0,
                text,
            })
        })
        .collect()
}

/// Removes `<tags>` and `{\ass overrides}`, turns line breaks (`\N` too)
/// into spaces, collapses whitespace.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth_angle = false;
    let mut depth_brace = false;
    let text = text.replace("\\N", " ").replace("\\n", " ");
    for ch in text.chars() {
        match ch {
            '<' => depth_angle = true,
            '>' if depth_angle => depth_angle = false,
            '{' => depth_brace = true,
            '}' if depth_brace => depth_brace = false,
            _ if depth_angle || depth_brace => {}
            _ => out.push(ch),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_and_vtt_give_the_same_cues() {
        let srt = "1\n00:00:01,000 --> 00:00:04,500\nFresh <i>COFFEE</i> is\nbrewing.\n\n2\n00:00:06,000 --> 00:00:07,000\nA cat.\n";
        let vtt = "WEBVTT\n\nNOTE a comment\n\n00:01.000 --> 00:04.500\nFresh <i>COFFEE</i> is\nbrewing.\n\n00:00:06.000 --> 00:00:07.000\nA cat.\n";
        let a = parse_subtitles(srt).unwrap();
        let b = parse_subtitles(vtt).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].text, "Fresh COFFEE is brewing.");
        assert_eq!((a[0].start, a[0].end), (1.0, 4.5));
    }

    #[test]
    fn absurd_timestamps_are_an_error_not_a_panic() {
        // The fuzzer's find: an hour field that overflows the parser.
        let bad = "1\n4444444444444400:00:01,000 --> 00:00:07,500\nThe cat\n";
        assert!(parse_subtitles(bad).unwrap_err().contains("line 2"));
    }

    #[test]
    fn markup_is_removed() {
        assert_eq!(clean("{\\an8}Hello\\NWorld <b>x</b>"), "Hello World x");
    }
}
