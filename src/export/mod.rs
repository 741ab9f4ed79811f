//! What a run leaves beyond each video's own files, for people and for
//! other tools: the HTML report ([`report`]), one manifest of the whole run in JSONL, CSV or Parquet ([`rows`],
//! [`table`], `parquet`), WebDataset shards ([`webdataset`]) and Label
//! Studio tasks ([`label_studio`]).
//!
//! All of them are written after the run, by [`write_run_outputs`], from
//! the output folder alone (`summary.json` and each video's manifests), so
//! they describe the whole run, videos skipped by `--resume` included, and
//! one writer makes each file however many workers ran the videos. Each
//! file is written under a temporary name and renamed.
//!
//! May depend on: embed, error, output, record, segment, sink.

pub mod label_studio;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod report;
pub mod rows;
mod run;
pub mod table;
pub mod webdataset;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
pub use run::{video_dir, RunView, SUMMARY_NAME};

pub use rows::{read_rows, ManifestRow};

/// A format of the run manifest (`--manifest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ManifestFormat {
    /// `OUT/manifest.jsonl`: one JSON object per row, every column present.
    Jsonl,
    /// `OUT/manifest.csv`: the same columns but the embedding.
    Csv,
    /// `OUT/manifest.parquet` (needs the `parquet` cargo feature).
    Parquet,
}

impl std::str::FromStr for ManifestFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "jsonl" => Ok(ManifestFormat::Jsonl),
            "csv" => Ok(ManifestFormat::Csv),
            "parquet" => Ok(ManifestFormat::Parquet),
            other => Err(Error::config(
                "manifest",
                format!("'{other}' is not a manifest format (jsonl, csv, parquet)"),
            )),
        }
    }
}

/// An annotation tool's import format (`--export`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Label Studio tasks JSON (`OUT/label-studio.json`).
    LabelStudio,
}

impl std::str::FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "label-studio" | "labelstudio" | "label_studio" => Ok(ExportFormat::LabelStudio),
            other => Err(Error::config(
                "export",
                format!("'{other}' is not an export format (label-studio)"),
            )),
        }
    }
}

/// Which run outputs to write. Not part of the run's fingerprint: they are
/// rewritten from the output folder after every run, so changing them never
/// makes `--resume` redo a video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunOutputs {
    /// Write `OUT/report.html`.
    pub report: bool,
    /// Run manifests to write.
    pub manifest: Vec<ManifestFormat>,
    /// WebDataset shard pattern (`shards/frames-%06d.tar`; relative to OUT).
    pub webdataset: Option<String>,
    /// Frames per WebDataset shard.
    pub shard_size: usize,
    /// Annotation export.
    pub export: Option<ExportFormat>,
    /// What each exported image path is prefixed with (default: Label
    /// Studio's local-files URL, `/data/local-files/?d=`).
    pub export_prefix: Option<String>,
}

impl Default for RunOutputs {
    fn default() -> Self {
        RunOutputs {
            report: false,
            manifest: Vec::new(),
            webdataset: None,
            shard_size: 1000,
            export: None,
            export_prefix: None,
        }
    }
}

impl RunOutputs {
    /// Whether anything is to be written.
    pub fn any(&self) -> bool {
        self.report
            || !self.manifest.is_empty()
            || self.webdataset.is_some()
            || self.export.is_some()
    }

    /// Refuses settings that cannot work, before anything runs.
    pub fn check(&self) -> Result<()> {
        if self.manifest.contains(&ManifestFormat::Parquet) && !cfg!(feature = "parquet") {
            return Err(parquet_unavailable());
        }
        if self.shard_size == 0 {
            return Err(Error::config("shard_size", "must be 1 or more frames"));
        }
        if let Some(p) = &self.webdataset {
            webdataset::ShardPattern::parse(p)?;
        }
        Ok(())
    }
}

/// `--manifest parquet` in a build without the `parquet` feature.
fn parquet_unavailable() -> Error {
    Error::config(
        "manifest",
        "parquet: this framesift was built without the `parquet` feature \
         (cargo build --release --features parquet)",
    )
}

/// What [`write_run_outputs`] wrote.
#[derive(Debug, Default)]
pub struct Written {
    /// Every file written, in order.
    pub files: Vec<PathBuf>,
    /// What could not be written, one line each (naming the file).
    pub errors: Vec<String>,
    /// Seconds spent, all outputs together (framesift's own timer).
    pub seconds: f64,
}

/// Writes the outputs `settings` asks for from the run in `out`;
/// `command_line` goes into the report's header. One output failing does
/// not stop the others: its error is in [`Written::errors`].
pub fn write_run_outputs(out: &Path, settings: &RunOutputs, command_line: &str) -> Written {
    let started = Instant::now();
    let mut written = Written::default();
    if !settings.any() {
        return written;
    }
    let run = match RunView::read(out) {
        Ok(run) => run,
        Err(e) => {
            written.errors.push(e.to_string());
            return written;
        }
    };
    let mut rows = Vec::new();
    for video in run.videos() {
        match read_rows(out, &run.command, video) {
            Ok(r) => rows.extend(r),
            Err(e) => written.errors.push(e.to_string()),
        }
    }
    fn step(written: &mut Written, result: Result<Vec<PathBuf>>) {
        match result {
            Ok(files) => written.files.extend(files),
            Err(e) => written.errors.push(e.to_string()),
        }
    }
    for format in &settings.manifest {
        let result = match format {
            ManifestFormat::Jsonl => table::write_jsonl(&out.join(rows::MANIFEST_JSONL), &rows),
            ManifestFormat::Csv => table::write_csv(&out.join(rows::MANIFEST_CSV), &rows),
            #[cfg(feature = "parquet")]
            ManifestFormat::Parquet => parquet::write(&out.join(rows::MANIFEST_PARQUET), &rows),
            #[cfg(not(feature = "parquet"))]
            ManifestFormat::Parquet => Err(parquet_unavailable()),
        };
        step(&mut written, result);
    }
    if let Some(pattern) = &settings.webdataset {
        step(
            &mut written,
            webdataset::write_shards(out, pattern, settings.shard_size, &rows),
        );
    }
    if let Some(ExportFormat::LabelStudio) = settings.export {
        let prefix = settings
            .export_prefix
            .as_deref()
            .unwrap_or(label_studio::LOCAL_FILES_PREFIX);
        step(
            &mut written,
            label_studio::write_tasks(&out.join(label_studio::TASKS_NAME), &rows, prefix),
        );
    }
    // The report last: it links the files written above.
    if settings.report {
        let report = report::write_report(out, &run, &rows, command_line, &written.files);
        step(&mut written, report);
    }
    written.seconds = started.elapsed().as_secs_f64();
    written
}
