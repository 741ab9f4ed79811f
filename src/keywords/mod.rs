//! Keyword capture: subtitle cues whose text contains a keyword become
//! time spans, and only frames inside them are sampled.
//!
//! Cues come from a subtitle file or URL given with the job (yt-dlp's
//! subtitles), a sidecar `.srt`/`.vtt` next to a local video, or the
//! video's own subtitle stream (decoded with FFmpeg), in that order.
//!
//! May depend on: error, media.

mod matcher;
mod parse;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use matcher::KeywordMatcher;
pub use parse::parse_subtitles;

/// One subtitle cue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// The text, tags removed, lines joined with spaces.
    pub text: String,
}

/// What to look for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeywordConfig {
    /// Words or phrases, matched case-insensitively as whole words.
    pub keywords: Vec<String>,
    /// Seconds added before and after each matching cue.
    #[serde(default)]
    pub padding: f64,
}

/// A time span to sample, from one matching cue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeywordSpan {
    /// Start, seconds (cue start − padding, ≥ 0).
    pub start: f64,
    /// End, seconds (cue end + padding).
    pub end: f64,
    /// The keyword that matched, as configured.
    pub keyword: String,
    /// The cue's text.
    pub cue: String,
}

/// The spans of the cues that match, in time order.
pub fn keyword_spans(cues: &[Cue], matcher: &KeywordMatcher, padding: f64) -> Vec<KeywordSpan> {
    let mut spans: Vec<KeywordSpan> = cues
        .iter()
        .filter_map(|c| {
            matcher.find(&c.text).map(|k| KeywordSpan {
                start: (c.start - padding).max(0.0),
                end: c.end + padding,
                keyword: k.to_string(),
                cue: c.text.clone(),
            })
        })
        .collect();
    spans.sort_by(|a, b| a.start.total_cmp(&b.start));
    spans
}

/// The span holding time `t`, if any (`spans` in start order).
pub fn span_at(spans: &[KeywordSpan], t: f64) -> Option<&KeywordSpan> {
    spans.iter().find(|s| s.start <= t && t <= s.end)
}

/// Subtitle files next to `video`: `stem.srt`, `stem.vtt`, then
/// `stem.<lang>.srt` / `.vtt`, in name order.
pub fn sidecars(video: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(stem)) = (video.parent(), video.file_stem()) else {
        return Vec::new();
    };
    let stem = stem.to_string_lossy().into_owned();
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut exact = Vec::new();
    let mut tagged = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".srt") || lower.ends_with(".vtt")) {
            continue;
        }
        let base = &name[..name.len() - 4];
        if base == stem {
            exact.push(e.path());
        } else if base.starts_with(&format!("{stem}.")) {
            tagged.push(e.path());
        }
    }
    exact.sort();
    tagged.sort();
    exact.extend(tagged);
    exact
}

/// Reads the cues for `input`: from `given` (a path or http(s) URL) when
/// set, else a sidecar file, else the video's subtitle stream. No
/// subtitles at all is an error naming where it looked.
pub fn find_cues(input: &str, given: Option<&str>) -> Result<(String, Vec<Cue>)> {
    let fail = |reason: String| Error::Subtitles {
        input: input.to_string(),
        reason,
    };
    if let Some(src) = given {
        let text = if crate::media::is_url(src) {
            fetch(src).map_err(|e| fail(format!("cannot download subtitles {src}: {e}")))?
        } else {
            std::fs::read_to_string(src).map_err(|e| fail(format!("cannot read {src}: {e}")))?
        };
        let cues = parse_subtitles(&text).map_err(|e| fail(format!("{src}: {e}")))?;
        return Ok((src.to_string(), cues));
    }
    if !crate::media::is_url(input) {
        if let Some(path) = sidecars(Path::new(input)).into_iter().next() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
            let cues =
                parse_subtitles(&text).map_err(|e| fail(format!("{}: {e}", path.display())))?;
            return Ok((path.display().to_string(), cues));
        }
    }
    match stream_cues(input)? {
        Some(cues) => Ok(("subtitle stream".to_string(), cues)),
        None => Err(fail(
            "no subtitles: no .srt/.vtt next to the video and no subtitle stream in it".into(),
        )),
    }
}

/// The cleaned, non-empty cues of `input`'s subtitle stream, by start;
/// `None` when it has no stream or no text in it.
fn stream_cues(input: &str) -> Result<Option<Vec<Cue>>> {
    let Some(raw) = crate::media::stream_cues(input)? else {
        return Ok(None);
    };
    let mut cues: Vec<Cue> = raw
        .into_iter()
        .filter_map(|c| {
            let text = parse::clean(&c.text);
            (!text.is_empty()).then_some(Cue {
                start: c.start,
                end: c.end,
                text,
            })
        })
        .collect();
    if cues.is_empty() {
        return Ok(None);
    }
    cues.sort_by(|a, b| a.start.total_cmp(&b.start));
    Ok(Some(cues))
}

/// GETs a small text file over HTTP(S), with a timeout.
fn fetch(url: &str) -> std::result::Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into();
    agent
        .get(url)
        .call()
        .map_err(|e| e.to_string())?
        .body_mut()
        .with_config()
        .limit(16 << 20)
        .read_to_string()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start: f64, end: f64, text: &str) -> Cue {
        Cue {
            start,
            end,
            text: text.into(),
        }
    }

    #[test]
    fn matching_cues_become_padded_spans() {
        let m = KeywordMatcher::new(&["cat".into(), "hot dog".into()]).unwrap();
        let cues = [
            cue(1.0, 2.0, "A CAT sat."),
            cue(3.0, 4.0, "concatenate this"),
            cue(5.0, 6.0, "a hot   dog stand"),
        ];
        let spans = keyword_spans(&cues, &m, 0.5);
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[0].start, spans[0].end), (0.5, 2.5));
        assert_eq!(spans[0].keyword, "cat");
        assert_eq!(spans[1].keyword, "hot dog");
        assert!(span_at(&spans, 2.4).is_some());
        assert!(span_at(&spans, 3.5).is_none());
    }

    #[test]
    fn sidecars_are_found_by_stem() {
        let dir = tempfile::tempdir().unwrap();
        let v = dir.path().join("talk.mp4");
        for f in [
            "talk.mp4",
            "talk.en.vtt",
            "talk.srt",
            "other.srt",
            "talk.txt",
        ] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let found: Vec<String> = sidecars(&v)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(found, vec!["talk.srt", "talk.en.vtt"]);
    }
}
