//! Selection over embedded video frames, and the report files.

use std::path::Path;

use super::{report, select_seeded, Diversity, Matrix, SelectConfig, Selection};
use crate::embed::EmbeddedFrame;
use crate::error::{Error, Result};
use crate::output::write_atomic;

/// File names of the diversity report.
pub const DIVERSITY_JSON: &str = "diversity.json";
/// The same report as CSV.
pub const DIVERSITY_CSV: &str = "diversity.csv";

/// Chooses among `frames` (in time order); returns the selection (indices
/// into `frames`) and its diversity report.
pub fn select_frames(
    frames: &[EmbeddedFrame],
    cfg: &SelectConfig,
) -> Result<(Selection, Vec<Diversity>)> {
    select_frames_seeded(frames, cfg, &[])
}

/// [`select_frames`] with `seeds` (indices into `frames`, most important
/// first) taken first by `Method::Scenes`.
pub fn select_frames_seeded(
    frames: &[EmbeddedFrame],
    cfg: &SelectConfig,
    seeds: &[usize],
) -> Result<(Selection, Vec<Diversity>)> {
    let dim = frames.first().map_or(0, |f| f.vector.len());
    let flat: Vec<f32> = frames
        .iter()
        .flat_map(|f| {
            f.vector
                .iter()
                .copied()
                .chain(std::iter::repeat(0.0))
                .take(dim)
        })
        .collect();
    let m = Matrix::from_flat(flat, dim);
    let sel = select_seeded(&m, cfg, seeds)?;
    let rep = report(&m, &sel, cfg);
    Ok((sel, rep))
}

/// Writes `diversity.json` and `diversity.csv` into `dir`, atomically.
pub fn write_report(dir: &Path, rows: &[Diversity]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create output folder", e))?;
    let json = serde_json::to_string_pretty(rows).unwrap_or_default();
    for (name, text) in [(DIVERSITY_JSON, json), (DIVERSITY_CSV, super::to_csv(rows))] {
        let path = dir.join(name);
        write_atomic(&path, text.as_bytes())
            .map_err(|e| Error::io(&path, "cannot write diversity report", e))?;
    }
    Ok(())
}
