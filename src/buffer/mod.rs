//! Buffers decide which candidate frames are worth keeping, usually by
//! dropping near-duplicates. Every buffer implements [`Buffer`]: each frame
//! pushed in comes out exactly once, as [`Verdict::Keep`] or
//! [`Verdict::Drop`], either at once or at [`Buffer::flush`].

mod hash;
mod passthrough;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::Candidate;
use crate::hash::HashKind;

pub use hash::HashBuffer;
pub use passthrough::PassthroughBuffer;

/// Why a frame was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// The buffer found it to be a duplicate of a kept frame.
    Duplicate,
    /// A gate rejected it (blur, darkness, prompts…).
    Gated,
}

/// The outcome for one frame.
#[derive(Debug)]
pub enum Verdict {
    /// The frame goes on to the next stage.
    Keep(Candidate),
    /// The frame is dropped, with the reason.
    Drop(Candidate, DropReason),
}

impl Verdict {
    /// The frame, whatever the outcome.
    pub fn candidate(&self) -> &Candidate {
        match self {
            Verdict::Keep(c) | Verdict::Drop(c, _) => c,
        }
    }
}

/// A stage that takes frames in time order and returns each of them,
/// kept or dropped, exactly once.
pub trait Buffer: Send {
    /// Offers a frame; outcomes (for it or for earlier frames) are appended
    /// to `out`.
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>);
    /// Returns the outcome of every frame still held.
    fn flush(&mut self, out: &mut Vec<Verdict>);
}

/// Buffer settings, named as in video-sampler's `buffer_config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum BufferConfig {
    /// Perceptual-hash dedup over the last `size` kept hashes.
    Hash {
        /// How many recent kept hashes a new frame is compared with.
        size: usize,
        /// Hash side length (bits = hash_size²).
        hash_size: usize,
        /// Hashes within this Hamming distance are duplicates (0 = exact,
        /// video-sampler's rule).
        #[serde(default)]
        max_hamming: u32,
        /// Which hash.
        #[serde(default)]
        hash: HashKind,
        /// Print every decision (video-sampler's `debug`).
        #[serde(default)]
        debug: bool,
    },
    /// Keep every frame.
    Passthrough {
        /// Accepted for compatibility; has no effect.
        #[serde(default)]
        debug: bool,
    },
}

impl Default for BufferConfig {
    /// video-sampler's `SamplerConfig` default: hash, hash_size 8, size 15.
    fn default() -> Self {
        BufferConfig::Hash {
            size: 15,
            hash_size: 8,
            max_hamming: 0,
            hash: HashKind::Phash,
            debug: false,
        }
    }
}

impl BufferConfig {
    /// Checks the values and reports the first bad one by name.
    pub fn validate(&self) -> Result<()> {
        match *self {
            BufferConfig::Hash {
                size,
                hash_size,
                max_hamming,
                ..
            } => {
                if size == 0 {
                    return Err(Error::config("buffer_config.size", "must be at least 1"));
                }
                if !(2..=64).contains(&hash_size) {
                    return Err(Error::config(
                        "buffer_config.hash_size",
                        format!("{hash_size} is outside 2..=64"),
                    ));
                }
                let bits = (hash_size * hash_size) as u32;
                if max_hamming >= bits {
                    return Err(Error::config(
                        "max_hamming",
                        format!("{max_hamming} would make every frame a duplicate (a hash has {bits} bits)"),
                    ));
                }
                Ok(())
            }
            BufferConfig::Passthrough { .. } => Ok(()),
        }
    }

    /// Builds the buffer these settings describe.
    pub fn build(&self) -> Result<Box<dyn Buffer>> {
        self.validate()?;
        Ok(match *self {
            BufferConfig::Hash {
                size,
                hash_size,
                max_hamming,
                hash,
                debug,
            } => Box::new(HashBuffer::new(hash, hash_size, size, max_hamming, debug)),
            BufferConfig::Passthrough { .. } => Box::new(PassthroughBuffer),
        })
    }

    /// The buffer's type name as in the config file.
    pub fn type_name(&self) -> &'static str {
        match self {
            BufferConfig::Hash { .. } => "hash",
            BufferConfig::Passthrough { .. } => "passthrough",
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Constructed frames for buffer and gate tests.
    use crate::frame::{Candidate, FrameMeta, RgbImage};

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
