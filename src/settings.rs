//! Every setting of every workflow, in one place, as plain serialisable
//! data: what the command line fills from flags, config files from YAML
//! and the Python package from keyword arguments. Each struct checks its
//! values (`validate`) and names the setting in its errors.
//!
//! May depend on: buffer, config, embed, export, gate, hash, keywords, output, scenes, segment,
//! select, shots, summary, workflow.

pub use crate::buffer::{BufferConfig, BufferKind};
pub use crate::config::{ConfigFile, SampleConfig};
pub use crate::embed::EmbedderConfig;
pub use crate::export::{ExportFormat, ManifestFormat, RunOutputs};
pub use crate::gate::{split_prompts, BlurMethod, GateConfig};
pub use crate::hash::HashKind;
pub use crate::keywords::KeywordConfig;
pub use crate::output::{ImageFormat, SaveFormat};
pub use crate::scenes::{pass_config as scene_pass_config, SceneConfig};
pub use crate::segment::{SegmentConfig, Threshold};
pub use crate::select::{Method, SelectConfig};
pub use crate::shots::{Detector, ShotSettings};
pub use crate::summary::{Api as SummaryApi, SummaryConfig};
pub use crate::workflow::{
    BatchSettings, CandidateFrames, CandidateSettings, EmbedSettings, OutputSettings,
    SegmentOutputs, SegmentSettings, SelectSettings,
};
