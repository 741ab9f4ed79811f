//! The library's error type: one variant per kind of failure, each naming
//! the file or setting it concerns, so that its `Display` is a complete
//! one-line message.
//!
//! May depend on: nothing.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong in framesift's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// FFmpeg could not open the input (missing, unreadable, not media).
    #[error("{input}: cannot open: {reason}")]
    Open {
        /// The input as given (path or URL).
        input: String,
        /// The cause, in FFmpeg's or the OS's words.
        reason: String,
    },
    /// The input opened but holds no video stream (e.g. audio-only).
    #[error("{input}: no video stream (audio-only or not a video file)")]
    NoVideoStream {
        /// The input as given.
        input: String,
    },
    /// The decoder could not be set up or failed fatally.
    #[error("{input}: decoder error: {reason}")]
    Decode {
        /// The input as given.
        input: String,
        /// What failed.
        reason: String,
    },
    /// The input is damaged: it was read up to a point, then failed.
    #[error("{input}: damaged or truncated: {reason}")]
    Damaged {
        /// The input as given.
        input: String,
        /// What the demuxer or decoder reported.
        reason: String,
    },
    /// A frame could not be converted (unsupported format, absurd size).
    #[error("{input}: cannot convert frame: {reason}")]
    Convert {
        /// The input as given.
        input: String,
        /// What failed.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {what}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What was being done ("cannot create folder", "cannot write image").
        what: &'static str,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// An image could not be encoded.
    #[error("{}: cannot encode image: {reason}", path.display())]
    Encode {
        /// The image file that was being written.
        path: PathBuf,
        /// The encoder's message.
        reason: String,
    },
    /// A model (CLIP) could not be found, loaded or run.
    #[error("{model}: CLIP model: {reason}")]
    Model {
        /// The model as named (folder or Hub repo id).
        model: String,
        /// What failed.
        reason: String,
    },
    /// The TransNetV2 weights are missing, wrong or unreadable (a
    /// settings error: nothing was run).
    #[error("{path}: TransNetV2 weights: {reason}")]
    Weights {
        /// The weights file.
        path: String,
        /// What is wrong, and how to get the right file.
        reason: String,
    },
    /// Keyword capture found no usable subtitles for a video.
    #[error("{input}: {reason}")]
    Subtitles {
        /// The input as given.
        input: String,
        /// Where it looked, or what failed.
        reason: String,
    },
    /// The output folder is not a folder and cannot become one (checked
    /// once, before any video).
    #[error("{}: {reason}", path.display())]
    OutputFolder {
        /// The output folder as given.
        path: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },
    /// The time window asked for lies outside the video.
    #[error("{input}: {reason}")]
    Window {
        /// The input as given.
        input: String,
        /// The window and the video's duration.
        reason: String,
    },
    /// A setting has a value that is not allowed.
    #[error("invalid value for {key}: {reason}")]
    Config {
        /// The setting's name as the user writes it.
        key: String,
        /// Why the value is refused, with the allowed values.
        reason: String,
    },
}

impl Error {
    /// Shorthand for [`Error::Config`].
    pub fn config(key: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Config {
            key: key.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Io`].
    pub fn io(path: impl Into<PathBuf>, what: &'static str, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            what,
            source,
        }
    }
}

/// `Result` with framesift's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
