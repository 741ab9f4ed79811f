//! A video's manifest, `frames.jsonl`: what [`super::FolderSink`] and scene
//! sampling's spool write.

use std::path::Path;

use super::{FrameRecord, MANIFEST_NAME};
use crate::error::{Error, Result};
use crate::output::write_atomic;

/// Writes `records` (sorted into decoding order, which is presentation
/// order) as `dir/frames.jsonl`, atomically.
pub fn write_manifest(dir: &Path, records: &mut [FrameRecord]) -> Result<()> {
    records.sort_by_key(|r| r.meta.decode_index);
    let mut text = String::new();
    for r in records.iter() {
        // Serialising plain data with finite floats cannot fail; a
        // non-finite float becomes null.
        text.push_str(&serde_json::to_string(r).unwrap_or_default());
        text.push('\n');
    }
    let manifest = dir.join(MANIFEST_NAME);
    write_atomic(&manifest, text.as_bytes())
        .map_err(|e| Error::io(&manifest, "cannot write manifest", e))
}
