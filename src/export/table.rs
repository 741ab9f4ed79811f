//! The run manifest as JSON lines and as CSV.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::rows::ManifestRow;
use crate::error::{Error, Result};
use crate::output::AtomicFile;

/// Writes one JSON object per row, every column present (null when empty).
pub fn write_jsonl(path: &Path, rows: &[ManifestRow]) -> Result<Vec<PathBuf>> {
    let mut f = AtomicFile::create(path)?;
    for row in rows {
        serde_json::to_writer(&mut f, row)
            .map_err(|e| Error::io(path, "cannot write", e.into()))?;
        f.write_all(b"\n").map_err(|e| f.error(e))?;
    }
    Ok(vec![f.commit()?])
}

/// The CSV columns: every column but the embedding.
pub const CSV_COLUMNS: [&str; 18] = [
    "command",
    "video",
    "video_dir",
    "path",
    "decision",
    "reason",
    "time",
    "pts_time",
    "pts",
    "frame_index",
    "decode_index",
    "key_frame",
    "scene",
    "segment",
    "span_start",
    "span_end",
    "score",
    "hash",
];

/// A CSV field: quoted when it holds a comma, quote or line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Writes the rows as CSV with a header (empty field: null; the embedding
/// is left out, use JSONL or Parquet for it).
pub fn write_csv(path: &Path, rows: &[ManifestRow]) -> Result<Vec<PathBuf>> {
    let mut f = AtomicFile::create(path)?;
    let mut text = CSV_COLUMNS.join(",");
    text.push('\n');
    for r in rows {
        let cells = [
            field(&r.command),
            field(&r.video),
            field(&r.video_dir),
            field(&opt(&r.path)),
            field(&r.decision),
            field(&opt(&r.reason)),
            r.time.to_string(),
            opt(&r.pts_time),
            opt(&r.pts),
            opt(&r.frame_index),
            opt(&r.decode_index),
            opt(&r.key_frame),
            opt(&r.scene),
            opt(&r.segment),
            opt(&r.span_start),
            opt(&r.span_end),
            opt(&r.score),
            opt(&r.hash),
        ];
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    f.write_all(text.as_bytes()).map_err(|e| f.error(e))?;
    Ok(vec![f.commit()?])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ManifestRow {
        ManifestRow {
            path: Some("a.mp4/1.jpg".into()),
            pts_time: Some(1.5),
            pts: Some(1500),
            frame_index: Some(37),
            key_frame: Some(true),
            hash: Some(7),
            embedding: Some(vec![0.5, 1.0]),
            ..ManifestRow::new("sample", "a, \"b\".mp4", "a.mp4", "saved", 1.5)
        }
    }

    #[test]
    fn csv_quotes_what_needs_it_and_leaves_nulls_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.csv");
        write_csv(&p, &[row()]).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].split(',').count(), CSV_COLUMNS.len());
        assert_eq!(
            lines[1],
            "sample,\"a, \"\"b\"\".mp4\",a.mp4,a.mp4/1.jpg,saved,,1.5,1.5,1500,37,,true,,,,,,7"
        );
    }

    #[test]
    fn jsonl_has_every_column_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.jsonl");
        write_jsonl(&p, &[row(), row()]).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        let back: ManifestRow = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(back, row());
        assert!(text.contains("\"reason\":null"));
        assert_eq!(text.lines().count(), 2);
    }
}
