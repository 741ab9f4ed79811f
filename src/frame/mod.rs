//! Frames as the pipeline sees them: metadata, the full-resolution RGB
//! image, a small analysis image, picture quality and the luma-grid
//! signature. Plain data and image arithmetic: the media layer makes these
//! from decoded frames, nothing here knows FFmpeg.
//!
//! May depend on: error.

mod analysis;
pub mod quality;
mod signature;

use std::sync::OnceLock;

use serde::Serialize;

pub use analysis::{analysis_image, ANALYSIS_MAX_SIDE};
pub use image::RgbImage;
pub use quality::{measure_quality, FrameQuality};
pub use signature::{FrameChange, LumaGrid, LumaTrace, DRIFT_SECONDS, GRID as LUMA_GRID};

/// Largest frame accepted, in pixels (about 8K × 8K); larger frames are
/// refused instead of risking running out of memory.
pub const MAX_PIXELS: u64 = 8192 * 8192;

/// Where a frame sits in its video.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameMeta {
    /// Seconds since the start of the stream.
    pub time: f64,
    /// Raw presentation time in seconds (`pts × time_base`), as PyAV's
    /// `frame.time`; output file names use it, as video-sampler does.
    pub pts_time: f64,
    /// Raw presentation timestamp.
    pub pts: i64,
    /// `int(pts_time × average fps)`: the frame's position in the video.
    pub frame_index: u64,
    /// Ordinal among the frames the decoder returned.
    pub decode_index: u64,
    /// Whether the frame is a key frame.
    pub key_frame: bool,
}

/// A frame offered to the buffer and gate, with what they noted about it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Position in the video.
    pub meta: FrameMeta,
    /// The full-resolution image (what gets written).
    pub image: RgbImage,
    /// Notes the buffer and gate added (hashes, scores, reasons).
    pub notes: Notes,
    analysis: OnceLock<RgbImage>,
}

impl Candidate {
    /// A frame with no notes yet.
    pub fn new(meta: FrameMeta, image: RgbImage) -> Self {
        Candidate {
            meta,
            image,
            notes: Notes::default(),
            analysis: OnceLock::new(),
        }
    }

    /// The picture downscaled to at most [`ANALYSIS_MAX_SIDE`] pixels on
    /// its longer side, for features that do not need full resolution.
    /// Computed once, on first use.
    pub fn analysis(&self) -> &RgbImage {
        self.analysis
            .get_or_init(|| analysis_image(&self.image, ANALYSIS_MAX_SIDE))
    }

    /// Takes the analysis image out, if something already computed it
    /// (a sink that keeps a small copy of a frame it is about to drop).
    pub fn take_analysis(&mut self) -> Option<RgbImage> {
        self.analysis.take()
    }
}

/// What the stages of the pipeline recorded about a frame; all of it goes
/// into the manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Notes {
    /// The perceptual hash the buffer used, as hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// For a duplicate: the time (pts seconds) of the kept frame it matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<f64>,
    /// For a duplicate: Hamming distance to the frame it matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<u32>,
    /// Grid buffer: how many of the frame's cell hashes were already seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell_hits: Option<usize>,
    /// Sliding top-k buffer: the frame's score (entropy or compressed size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buffer_score: Option<f64>,
    /// The gate's score, when a scoring gate looked at the frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate_score: Option<f64>,
    /// CLIP gate: the best cosine similarity to a positive prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clip_pos: Option<f32>,
    /// CLIP gate: the best cosine similarity to a negative prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clip_neg: Option<f32>,
    /// Keyword capture: the keyword whose subtitle cue selected the frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// Keyword capture: that cue's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// Scene sampling: the frame's scene, why it was or was not saved,
    /// and its quality.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub scene: Option<SceneNote>,
}

/// What scene sampling notes about a frame (see `framesift::scenes`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SceneNote {
    /// The distinct scene the frame shows (0-based, in order of first
    /// appearance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scene: Option<usize>,
    /// For a saved frame: `best` (the scene's best frame) or `extra`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// For a frame not saved: `transition`, `flat`, `blurred`, `repeat`,
    /// `similar` or `gated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// Start of the shot the frame is in (seconds).
    pub scene_start: f64,
    /// End of that shot.
    pub scene_end: f64,
    /// For a saved frame: every stretch that shows its scene (with
    /// `--global`, those in other videos carry the video's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Vec<OccurrenceNote>>,
    /// The frame's quality measures (a shot's best frame maximises
    /// `sharpness × (0.5 + 0.5 × exposure)` among its typical frames).
    pub quality: FrameQuality,
}

/// One stretch of video showing a scene, as written in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OccurrenceNote {
    /// The other video showing it (`--global` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    /// Start (seconds).
    pub start: f64,
    /// End (seconds).
    pub end: f64,
}

#[cfg(test)]
pub(crate) mod testing {
    //! Constructed frames for tests (buffers, gates, sinks, embedders).
    use super::{Candidate, FrameMeta, RgbImage};

    /// A candidate at `t` seconds whose image is `img`.
    pub fn candidate(t: f64, img: RgbImage) -> Candidate {
        Candidate::new(
            FrameMeta {
                time: t,
                pts_time: t,
                pts: (t * 1000.0) as i64,
                frame_index: (t * 25.0) as u64,
                decode_index: (t * 25.0) as u64,
                key_frame: true,
            },
            img,
        )
    }

    /// A 64×64 image: a horizontal gradient, a vertical one or a checker
    /// pattern depending on `pattern`, shifted in brightness by `shade`.
    pub fn pattern(pattern: u8, shade: u8) -> RgbImage {
        RgbImage::from_fn(64, 64, |x, y| {
            let v = match pattern % 3 {
                0 => x * 4,
                1 => y * 4,
                _ => ((x / 8 + y / 8) % 2) * 255,
            } as u8;
            image::Rgb([v.saturating_add(shade), v / 2, 255 - v])
        })
    }
}
