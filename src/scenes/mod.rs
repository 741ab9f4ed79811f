//! Scene-aware sampling: every distinct scene once, by its best frame.
//!
//! One decoding pass gives, for every candidate frame (2 per second by
//! default), an embedding, a picture-quality measure ([`quality`]) and the
//! frame's image spooled to disk; every decoded frame gives its luma
//! change, so `segment`'s seam detector places hard cuts on their frame and
//! finds gradual transitions. Then, on plain data ([`plan`]):
//!
//! 1. **Shots** lie between seams; frames inside a transition are blends
//!    of two pictures and never chosen.
//! 2. **Quality rules.** A frame with no structure above its own noise is
//!    flat (black, blank, black with grain); a frame below the video's
//!    sharpness floor is blurred. A shot with no frame left is not a scene.
//! 3. **Best frame.** Among a shot's typical frames (the half nearest its
//!    medoid in embedding space), the sharpest and best exposed.
//! 4. **Repeats merged.** A shot whose best frame lies within the merge
//!    threshold of a frame already kept is the same scene again (A-B-A, a
//!    near-identical viewpoint): the scene keeps the better of the two
//!    pictures and lists every occurrence. The threshold is calibrated on
//!    the video's own distances ([`calibrate`]).
//! 5. **More than one frame** only where a shot reaches something as far
//!    from every kept frame as another scene would be, up to
//!    `max_per_scene`.
//!
//! [`video`] runs this for one video (or, with `global`, for all videos
//! together) and writes the frames, `frames.jsonl` and the counts.
//!
//! May depend on: buffer, config, embed, error, frame, input, media, output, pipeline, record,
//! segment, shots, sink, stats.

pub mod calibrate;
mod plan;
mod video;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::segment::SegmentConfig;
use crate::shots::ShotSettings;

pub use crate::frame::quality;
pub use crate::frame::{measure_quality, FrameQuality, OccurrenceNote, SceneNote};
pub use crate::record::{SceneStats, ThresholdSource};
pub use calibrate::Calibration;
pub use plan::{plan, Fate, Occurrence, Scene, SceneFrame, ScenePlan, VideoFrames};
pub use video::{
    analyse_video, finish_video, pass_config, scene_records, scene_video, ScenePass, SceneSink,
    SPOOL_DIR,
};

/// How scene sampling works; every field has a documented default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SceneConfig {
    /// Candidate frames per second (every frame is decoded; these are
    /// embedded, measured and may be saved).
    pub fps: f64,
    /// Frames saved per scene at most.
    pub max_per_scene: usize,
    /// The merge threshold (L2 between unit embeddings, 0–2); `None`
    /// calibrates it from the video.
    pub merge_threshold: Option<f32>,
    /// A frame with less than this share of its pixels on an edge above
    /// the noise is flat.
    pub min_structure: f32,
    /// Sharpness floor (acutance, see [`quality`]): 0.08 ≈ edges blurred
    /// over a Gaussian of σ 5 px on the 256-px analysis image (2 % of
    /// its width).
    pub min_sharpness: f32,
    /// …lowered for a video soft throughout to this share of the 90th
    /// percentile of its own frames' sharpness.
    pub relative_sharpness: f32,
    /// Merge repeats across all inputs (one plan for the whole run).
    pub global: bool,
    /// How seams are found (`segment`'s detector).
    pub segment: SegmentConfig,
    /// Which shot detector finds the seams (built-in, TransNetV2 or both).
    #[serde(skip_serializing_if = "ShotSettings::is_default")]
    pub shots: ShotSettings,
}

impl Default for SceneConfig {
    fn default() -> Self {
        SceneConfig {
            fps: 2.0,
            max_per_scene: 3,
            merge_threshold: None,
            min_structure: 0.005,
            min_sharpness: 0.08,
            relative_sharpness: 0.5,
            global: false,
            segment: SegmentConfig::default(),
            shots: ShotSettings::default(),
        }
    }
}

impl SceneConfig {
    /// Checks every value; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        self.shots.validate()?;
        if !(self.fps.is_finite() && self.fps > 0.0) {
            return Err(Error::config(
                "scene_fps",
                format!("{} is not a number > 0", self.fps),
            ));
        }
        if self.max_per_scene == 0 {
            return Err(Error::config("max_per_scene", "must be at least 1"));
        }
        if let Some(t) = self.merge_threshold {
            if !(t.is_finite() && t >= 0.0) {
                return Err(Error::config(
                    "merge_threshold",
                    format!("{t} is not a number ≥ 0"),
                ));
            }
        }
        for (key, v) in [
            ("min_structure", self.min_structure),
            ("min_sharpness", self.min_sharpness),
            ("relative_sharpness", self.relative_sharpness),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(key, format!("{v} is not a number ≥ 0")));
            }
        }
        self.segment.validate()
    }
}
