//! A finished run as its output folder records it: `summary.json`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::record::VideoReport;

/// File name of the run summary in the output folder.
pub const SUMMARY_NAME: &str = "summary.json";

/// What `OUT/summary.json` says about a run.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RunView {
    /// framesift's version that wrote it.
    pub framesift: String,
    /// The command (`sample`, `select`, `segment`, …).
    pub command: String,
    /// The sampling settings.
    pub settings: serde_json::Value,
    /// The workflow's own settings.
    pub workflow_settings: serde_json::Value,
    /// Inputs that did not become jobs.
    pub input_errors: Vec<String>,
    /// One report per video, in input order.
    #[serde(rename = "videos")]
    reports: Vec<VideoReport>,
}

impl RunView {
    /// Reads `out/summary.json`.
    pub fn read(out: &Path) -> Result<RunView> {
        let path = out.join(SUMMARY_NAME);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::io(&path, "cannot read the run summary", e))?;
        serde_json::from_str(&text).map_err(|e| Error::Io {
            path,
            what: "cannot parse the run summary",
            source: std::io::Error::other(e),
        })
    }

    /// Every video's report, in input order.
    pub fn videos(&self) -> &[VideoReport] {
        &self.reports
    }
}

/// A video's output folder, relative to `out` (its name in `OUT`).
pub fn video_dir(out: &Path, video: &VideoReport) -> Option<PathBuf> {
    let dir = video.output_dir.as_ref()?;
    Some(match dir.strip_prefix(out) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => PathBuf::from(dir.file_name()?),
    })
}
