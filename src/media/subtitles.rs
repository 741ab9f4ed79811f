//! Cues from a subtitle stream inside the video, decoded with FFmpeg.

use ff::media::Type;
use ffmpeg_next as ff;

use super::decode::pts_seconds;
use crate::error::{Error, Result};

/// One cue of a subtitle stream, its text as the stream holds it (tags
/// and all: the keyword reader cleans it).
#[derive(Debug, Clone, PartialEq)]
pub struct SubtitleCue {
    /// Start, seconds from the first video frame.
    pub start: f64,
    /// End, seconds from the first video frame.
    pub end: f64,
    /// The text of its text and ASS rectangles, each after a space.
    pub text: String,
}

/// The cues of `input`'s first text subtitle stream, in stream order;
/// `None` when it has no subtitle stream (bitmap subtitles give no text,
/// so no cues).
pub fn stream_cues(input: &str) -> Result<Option<Vec<SubtitleCue>>> {
    let open_err = |reason: String| Error::Open {
        input: input.to_string(),
        reason,
    };
    let mut ictx = ff::format::input(&input).map_err(|e| open_err(e.to_string()))?;
    let Some(stream) = ictx.streams().best(Type::Subtitle) else {
        return Ok(None);
    };
    let index = stream.index();
    let tb = stream.time_base();
    // Cue times count from the first video frame, as frame times do.
    let video_start = ictx
        .streams()
        .best(Type::Video)
        .and_then(|v| {
            let (s, vtb) = (v.start_time(), v.time_base());
            (s != super::ffi::NOPTS).then(|| pts_seconds(s, vtb))
        })
        .unwrap_or(0.0);
    let ctx = ff::codec::context::Context::from_parameters(stream.parameters())
        .map_err(|e| open_err(format!("subtitle stream: {e}")))?;
    let mut decoder = ctx
        .decoder()
        .subtitle()
        .map_err(|e| open_err(format!("subtitle decoder: {e}")))?;
    let secs = |ts: i64| pts_seconds(ts, tb) - video_start;
    let mut cues = Vec::new();
    for (s, packet) in ictx.packets() {
        if s.index() != index {
            continue;
        }
        let Some(pts) = packet.pts().or(packet.dts()) else {
            continue;
        };
        let mut sub = ff::Subtitle::new();
        if !decoder.decode(&packet, &mut sub).unwrap_or(false) {
            continue;
        }
        let start = secs(pts) + f64::from(sub.start()) / 1000.0;
        let end = if packet.duration() > 0 {
            secs(pts + packet.duration())
        } else {
            secs(pts) + f64::from(sub.end()) / 1000.0
        };
        let mut text = String::new();
        for rect in sub.rects() {
            let t = match rect {
                ff::subtitle::Rect::Text(t) => t.get().to_string(),
                ff::subtitle::Rect::Ass(a) => ass_text(a.get()),
                _ => continue,
            };
            text.push(' ');
            text.push_str(&t);
        }
        cues.push(SubtitleCue { start, end, text });
    }
    Ok(Some(cues))
}

/// The text field of an ASS event line (`ReadOrder,Layer,Style,Name,
/// MarginL,MarginR,MarginV,Effect,Text`, or with `Dialogue:`/start/end).
fn ass_text(line: &str) -> String {
    let (line, fields) = match line.strip_prefix("Dialogue:") {
        Some(rest) => (rest, 9),
        None => (line, 8),
    };
    line.splitn(fields + 1, ',')
        .nth(fields)
        .unwrap_or(line)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ass_lines_give_their_text() {
        assert_eq!(ass_text("0,0,Default,,0,0,0,,Hello, world"), "Hello, world");
        assert_eq!(
            ass_text("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hi"),
            "Hi"
        );
    }
}
