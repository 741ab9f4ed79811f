//! framesift turns videos into small, diverse, high-quality sets of frames.
//!
//! The library is the pipeline; the `framesift` binary is a thin layer over
//! it. One video runs as
//!
//! ```text
//! decode (FFmpeg, keyframes or all frames)
//!   → interval gate (time window, minimum spacing)
//!   → frame (RGB at full size + small analysis image)
//!   → buffer (perceptual-hash dedup, …)      : trait buffer::Buffer
//!   → gate (pass, blur, …)                    : trait gate::Gate
//!   → sink (images + manifest, or memory)    : trait sink::Sink
//! ```
//!
//! [`pipeline::sample_video`] runs one video into any [`sink::Sink`];
//! [`runner::run_jobs`] runs many, in parallel, into folders.
//!
//! ```no_run
//! use framesift::{config::SampleConfig, pipeline::sample_video, sink::MemorySink};
//! framesift::decode::init(false)?;
//! let mut sink = MemorySink::default();
//! let report = sample_video("video.mp4", &SampleConfig::default(), &mut sink, &|_| {})?;
//! println!("{} frames kept of {}", report.saved, report.decoded);
//! # Ok::<(), framesift::Error>(())
//! ```

#![deny(missing_docs)]

pub mod buffer;
pub mod cancel;
pub mod config;
pub mod decode;
pub mod embed;
mod error;
pub mod frame;
pub mod gate;
pub mod hash;
pub mod input;
pub mod keywords;
pub mod output;
pub mod pipeline;
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
