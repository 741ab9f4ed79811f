//! Segmentation settings.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// When a successor score makes a seam.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// A score above this value.
    Fixed(f32),
    /// A score above the rolling mean + K·std of the scores before it
    /// (over `window_sec`, seams left out), and above `min_score`.
    Adaptive(f32),
}

impl std::str::FromStr for Threshold {
    type Err = Error;
    /// `fixed:X` or `adaptive:K`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::config(
                "threshold",
                format!("'{s}' (expected fixed:X or adaptive:K, e.g. adaptive:3)"),
            )
        };
        let (kind, value) = s.split_once(':').ok_or_else(bad)?;
        let v: f32 = value.trim().parse().map_err(|_| bad())?;
        if !(v.is_finite() && v >= 0.0) {
            return Err(bad());
        }
        match kind.trim() {
            "fixed" => Ok(Threshold::Fixed(v)),
            "adaptive" => Ok(Threshold::Adaptive(v)),
            _ => Err(bad()),
        }
    }
}

/// How a video is segmented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SegmentConfig {
    /// The seam rule.
    pub threshold: Threshold,
    /// Seconds of history for the adaptive threshold.
    pub window_sec: f64,
    /// The adaptive threshold never drops below this score.
    pub min_score: f32,
    /// A step whose decoded frames show one jump this many times larger
    /// than any other change around it is a hard cut.
    pub cut_ratio: f32,
    /// …and that jump (mean luma change, 0–1) is at least this large.
    pub cut_min_change: f32,
    /// A gradual seam (no single-frame jump) must change the picture at
    /// least this much: L2 between the frames on either side of it.
    pub gradual_min_change: f32,
    /// Confirm weak seams (and drop unsupported gradual ones) by how well
    /// a k-NN over the frames around them separates the two sides.
    pub surveyor: bool,
    /// Neighbours per frame for the surveyor.
    pub knn: usize,
    /// Seconds on each side of a seam the surveyor looks at.
    pub survey_sec: f64,
    /// Segments shorter than this merge into their closer neighbour.
    pub min_segment_sec: f64,
    /// Segments longer than this split at their largest successor score.
    pub max_segment_sec: f64,
    /// Keyframes per segment: at least this many (when it has the frames)…
    pub min_keyframes: usize,
    /// …and at most this many.
    pub max_keyframes: usize,
    /// Keyframes beyond the minimum are added while the next one is at
    /// least this far (L2) from every keyframe already chosen.
    pub keyframe_min_distance: f32,
}

impl Default for SegmentConfig {
    fn default() -> Self {
        SegmentConfig {
            threshold: Threshold::Adaptive(3.0),
            window_sec: 10.0,
            min_score: 0.25,
            cut_ratio: 3.0,
            cut_min_change: 0.05,
            gradual_min_change: 0.5,
            surveyor: false,
            knn: 3,
            survey_sec: 3.0,
            min_segment_sec: 2.0,
            max_segment_sec: 15.0,
            min_keyframes: 2,
            max_keyframes: 4,
            keyframe_min_distance: 0.15,
        }
    }
}

impl SegmentConfig {
    /// Checks every value; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        let positive = |key: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(Error::config(key, format!("{v} is not a number > 0")))
            }
        };
        positive("window", self.window_sec)?;
        positive("survey_sec", self.survey_sec)?;
        positive("max_segment_sec", self.max_segment_sec)?;
        if !(self.min_segment_sec >= 0.0 && self.min_segment_sec <= self.max_segment_sec) {
            return Err(Error::config(
                "min_segment_sec",
                format!(
                    "{} must be ≥ 0 and ≤ `max_segment_sec` ({})",
                    self.min_segment_sec, self.max_segment_sec
                ),
            ));
        }
        if self.knn == 0 {
            return Err(Error::config("knn", "must be at least 1"));
        }
        if self.min_keyframes == 0 || self.min_keyframes > self.max_keyframes {
            return Err(Error::config(
                "keyframes",
                format!(
                    "need 1 ≤ min ({}) ≤ max ({})",
                    self.min_keyframes, self.max_keyframes
                ),
            ));
        }
        for (key, v) in [
            ("min_score", self.min_score),
            ("cut_ratio", self.cut_ratio),
            ("cut_min_change", self.cut_min_change),
            ("gradual_min_change", self.gradual_min_change),
            ("keyframe_min_distance", self.keyframe_min_distance),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(key, format!("{v} is not a number ≥ 0")));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_parses() {
        assert_eq!(
            "fixed:0.5".parse::<Threshold>().unwrap(),
            Threshold::Fixed(0.5)
        );
        assert_eq!(
            "adaptive:3".parse::<Threshold>().unwrap(),
            Threshold::Adaptive(3.0)
        );
        for bad in ["3", "fixed:", "adaptive:-1", "rolling:2", "fixed:nan"] {
            let e = bad.parse::<Threshold>().unwrap_err().to_string();
            assert!(e.contains("threshold"), "{bad}: {e}");
        }
    }

    #[test]
    fn bad_settings_are_named() {
        let cfg = SegmentConfig {
            min_segment_sec: 20.0,
            ..SegmentConfig::default()
        };
        assert!(cfg
            .validate()
            .unwrap_err()
            .to_string()
            .contains("min_segment_sec"));
        assert!(SegmentConfig::default().validate().is_ok());
    }
}
