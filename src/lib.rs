//! framesift turns videos into small, diverse, high-quality sets of frames.
//!
//! The library is the pipeline; the `framesift` binary is a thin layer over
//! it. One video runs as
//!
//! ```text
//! media (FFmpeg: decode keyframes or all frames)
//!   → time filter (time window, minimum spacing)
//!   → frame (RGB at full size + small analysis image)
//!   → buffer (perceptual-hash dedup, …)      : trait buffer::Buffer
//!   → gate (pass, blur, …)                    : trait gate::Gate
//!   → sink (images + manifest, or memory)    : trait sink::Sink
//! ```
//!
//! [`pipeline::sample_video`] runs one video into any [`sink::Sink`];
//! [`runner::run_jobs`] runs many, in parallel, into folders; [`workflow`]
//! holds every command as a library call. The modules form layers (each
//! one's doc comment says what it may use; ARCHITECTURE.md draws them), and
//! only [`media`] touches FFmpeg.
//!
//! ```no_run
//! use framesift::{config::SampleConfig, pipeline::sample_video, sink::MemorySink};
//! framesift::media::init(false)?;
//! let mut sink = MemorySink::default();
//! let report = sample_video("video.mp4", &SampleConfig::default(), &mut sink, &|_| {})?;
//! println!("{} frames kept of {}", report.saved, report.decoded);
//! # Ok::<(), framesift::Error>(())
//! ```

#![deny(missing_docs)]

pub mod buffer;
pub mod cancel;
pub mod config;
pub mod embed;
mod error;
pub mod export;
pub mod frame;
pub mod gate;
pub mod hash;
pub mod input;
pub mod keywords;
pub mod media;
pub mod output;
pub mod pipeline;
pub mod record;
pub mod runner;
pub mod scenes;
pub mod segment;
pub mod select;
pub mod settings;
pub mod shots;
pub mod sink;
pub mod stats;
pub mod summary;
pub mod workflow;
pub mod ytdlp;

pub use error::{Error, Result};
