//! The media layer: every FFmpeg call framesift makes, behind framesift's
//! own types. Demuxing and decoding ([`VideoSource`] → [`DecodedFrame`]),
//! colour conversion and scaling ([`RgbConverter`], [`SmallRgb`]), the
//! luma-grid signature ([`DecodedFrame::luma_grid`]), subtitle streams
//! ([`stream_cues`]) and cutting video clips out of a video ([`cut_clip`]).
//!
//! Raw FFI lives in one private file, `ffi.rs`, each call with its SAFETY
//! note; no public item here names an FFmpeg type, so nothing outside this
//! module needs `ffmpeg_next` (`tests/layers.rs` checks both).
//!
//! May depend on: error, frame, output.

mod convert;
mod cut;
mod decode;
mod ffi;
mod luma;
mod subtitles;

pub use convert::{RgbConverter, SmallRgb};
pub use cut::{cut_clip, CutMode, VideoClip};
pub use decode::{
    init, is_url, probe_duration, DecodeMode, DecodeOptions, DecodeStats, DecodedFrame,
    Orientation, VideoInfo, VideoSource,
};
pub use subtitles::{stream_cues, SubtitleCue};
