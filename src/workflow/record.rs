//! The run's record in `OUT/summary.json`: what ran, with which settings,
//! and what each video came to; and what `--resume` reads back from it.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::SampleConfig;
use crate::error::{Error, Result};
use crate::output::write_atomic;
use crate::pipeline::VideoReport;

pub use crate::export::SUMMARY_NAME;

/// framesift's version, as recorded in every summary.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The run summary written as `OUT/summary.json`.
#[derive(Debug, Serialize)]
pub struct RunSummary<'a> {
    /// framesift's version.
    pub framesift: &'static str,
    /// The command that ran (`sample`, `embed`, …).
    pub command: &'a str,
    /// Fingerprint of the command, the settings and framesift's version:
    /// `--resume` only skips videos done under the same fingerprint.
    pub fingerprint: String,
    /// Fingerprint of the command and the settings alone, so that a rerun
    /// can tell "settings changed" from "framesift changed".
    pub settings_fingerprint: String,
    /// The sampling settings every video ran with.
    pub settings: &'a SampleConfig,
    /// The workflow's own settings (selection, segmentation, scenes, the
    /// embedder), as they were fingerprinted.
    pub workflow_settings: &'a serde_json::Value,
    /// Inputs that did not become jobs (e.g. folders without videos).
    pub input_errors: Vec<String>,
    /// One report per video, in input order.
    pub videos: &'a [VideoReport],
}

/// Writes the run summary atomically into `out`.
pub fn write_summary(out: &Path, summary: &RunSummary<'_>) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, "cannot create output folder", e))?;
    let path = out.join(SUMMARY_NAME);
    let text = serde_json::to_string_pretty(summary).map_err(|e| Error::Io {
        path: path.clone(),
        what: "cannot serialise summary",
        source: std::io::Error::other(e),
    })?;
    write_atomic(&path, text.as_bytes()).map_err(|e| Error::io(&path, "cannot write summary", e))
}

/// A stable 64-bit FNV-1a fingerprint of `parts`, as 16 hex digits (the
/// same on every platform and in every Rust version, unlike `Hash`).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The fingerprints of one run: of the command and its settings, and of
/// those plus framesift's version.
///
/// The settings are hashed as their serde serialisation (`serde_json`
/// sorts object keys), never as `Debug` text: renaming a Rust field that
/// keeps its serialised name, reordering fields, or reordering keys in a
/// config file changes nothing; changing a value does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprints {
    /// Command + settings + version: what `--resume` matches on.
    pub run: String,
    /// Command + settings.
    pub settings: String,
}

impl Fingerprints {
    /// The fingerprints of `command` run with `settings` by this version.
    pub fn of(command: &str, settings: &serde_json::Value) -> Fingerprints {
        Fingerprints::with_version(command, settings, VERSION)
    }

    /// The same, for a given version (tests; comparing with old runs).
    pub fn with_version(
        command: &str,
        settings: &serde_json::Value,
        version: &str,
    ) -> Fingerprints {
        // `Value`'s Display is compact JSON with keys in sorted order.
        let text = settings.to_string();
        Fingerprints {
            run: fingerprint(&[version, command, &text]),
            settings: fingerprint(&[command, &text]),
        }
    }
}

/// What an earlier run in the same output folder left in its summary.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PreviousRun {
    /// Its version.
    #[serde(default)]
    pub framesift: Option<String>,
    /// Its run fingerprint.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// Its settings fingerprint (absent before framesift recorded it).
    #[serde(default)]
    pub settings_fingerprint: Option<String>,
    /// Its videos.
    #[serde(default)]
    pub videos: Vec<VideoReport>,
}

impl PreviousRun {
    /// The summary in `out`, if there is a readable one.
    pub fn read(out: &Path) -> Option<PreviousRun> {
        let text = std::fs::read_to_string(out.join(SUMMARY_NAME)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The videos it completed (read to the end, not interrupted), by input.
    pub fn completed(&self) -> HashMap<String, VideoReport> {
        self.videos
            .iter()
            .filter(|v| v.ok && !v.interrupted)
            .map(|v| (v.input.clone(), v.clone()))
            .collect()
    }

    /// How it relates to a run with fingerprints `now`.
    pub fn compare(&self, now: &Fingerprints) -> Change {
        if self.fingerprint.as_deref() == Some(now.run.as_str()) {
            Change::Same
        } else if self.settings_fingerprint.as_deref() == Some(now.settings.as_str()) {
            Change::Version {
                before: self.framesift.clone().unwrap_or_else(|| "?".into()),
            }
        } else {
            Change::Settings
        }
    }
}

/// How an earlier run differs from this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Same command, settings and version.
    Same,
    /// Same command and settings, another framesift version.
    Version {
        /// The earlier run's version.
        before: String,
    },
    /// Another command or other settings.
    Settings,
}

/// The videos an earlier run in `out` completed under fingerprint
/// `run`, by input: what `--resume` skips. An absent, unreadable or
/// different-run summary gives none.
pub fn completed_videos(out: &Path, run: &str) -> HashMap<String, VideoReport> {
    match PreviousRun::read(out) {
        Some(p) if p.fingerprint.as_deref() == Some(run) => p.completed(),
        _ => HashMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_changed_value_changes_the_fingerprint_an_unchanged_one_does_not() {
        let a = Fingerprints::of("select", &json!({"n": 10, "seed": 0}));
        let same = Fingerprints::of("select", &json!({"n": 10, "seed": 0}));
        let other = Fingerprints::of("select", &json!({"n": 11, "seed": 0}));
        assert_eq!(a, same);
        assert_ne!(a.run, other.run);
        assert_ne!(a.settings, other.settings);
        let command = Fingerprints::of("segment", &json!({"n": 10, "seed": 0}));
        assert_ne!(a.settings, command.settings);
    }

    #[test]
    fn key_order_does_not_matter() {
        let a: serde_json::Value = serde_json::from_str(r#"{"n": 10, "seed": 0}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"seed": 0, "n": 10}"#).unwrap();
        assert_eq!(Fingerprints::of("x", &a), Fingerprints::of("x", &b));
    }

    #[test]
    fn a_version_change_alone_is_told_apart() {
        let s = json!({"n": 10});
        let old = Fingerprints::with_version("select", &s, "0.0.1");
        let now = Fingerprints::of("select", &s);
        assert_eq!(old.settings, now.settings);
        assert_ne!(old.run, now.run);
        let previous = PreviousRun {
            framesift: Some("0.0.1".into()),
            fingerprint: Some(old.run),
            settings_fingerprint: Some(old.settings),
            videos: Vec::new(),
        };
        assert_eq!(
            previous.compare(&now),
            Change::Version {
                before: "0.0.1".into()
            }
        );
        let changed = Fingerprints::of("select", &json!({"n": 11}));
        assert_eq!(previous.compare(&changed), Change::Settings);
    }

    #[test]
    fn fnv_is_stable() {
        // Pinned (computed independently with FNV-1a 64 and a 0xff
        // separator): a change here breaks every earlier run's --resume.
        assert_eq!(fingerprint(&["a", "b"]), "d2b371819297f98a");
        assert_ne!(fingerprint(&["ab"]), fingerprint(&["a", "b"]));
    }
}
