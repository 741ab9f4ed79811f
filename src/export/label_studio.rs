//! Label Studio tasks: `OUT/label-studio.json`, a JSON list of tasks in
//! Label Studio's import format (<https://labelstud.io/guide/tasks#Basic-Label-Studio-JSON-format>):
//! `{"data": {"image": URL, …}}`, one per written image. `data.image` is
//! the image's path in OUT behind a prefix, by default Label Studio's
//! local-files URL (`/data/local-files/?d=`; serve OUT with
//! `LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true` and
//! `LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=OUT`, or give `--export-prefix`
//! for another root or an http URL). The frame's manifest columns ride
//! along in `data` (shown in the data manager, usable in the labelling
//! config as `$video`, `$time`, …), without the embedding.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::rows::ManifestRow;
use crate::error::{Error, Result};
use crate::output::AtomicFile;

/// The tasks file's name.
pub const TASKS_NAME: &str = "label-studio.json";

/// Label Studio's URL for files under its local-files document root.
pub const LOCAL_FILES_PREFIX: &str = "/data/local-files/?d=";

/// `path` percent-encoded for a URL query value, `/` kept.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The tasks for the rows with an image.
pub fn tasks(rows: &[ManifestRow], prefix: &str) -> Vec<Value> {
    rows.iter()
        .filter_map(|r| {
            let path = r.path.as_deref()?;
            let mut data = Map::new();
            data.insert(
                "image".into(),
                json!(format!("{prefix}{}", encode_path(path))),
            );
            let mut row = r.clone();
            row.embedding = None;
            if let Ok(Value::Object(columns)) = serde_json::to_value(&row) {
                for (k, v) in columns {
                    if !v.is_null() && k != "embedding" {
                        data.insert(k, v);
                    }
                }
            }
            Some(json!({ "data": data }))
        })
        .collect()
}

/// Writes the tasks to `path`, atomically.
pub fn write_tasks(path: &Path, rows: &[ManifestRow], prefix: &str) -> Result<Vec<PathBuf>> {
    let text = serde_json::to_vec_pretty(&tasks(rows, prefix))
        .map_err(|e| Error::io(path, "cannot write", e.into()))?;
    let mut f = AtomicFile::create(path)?;
    f.write_all(&text).map_err(|e| f.error(e))?;
    Ok(vec![f.commit()?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_follow_the_import_format() {
        let row = ManifestRow {
            path: Some("clip one.mp4/1.5.jpg".into()),
            scene: Some(2),
            embedding: Some(vec![1.0]),
            ..ManifestRow::new("sample", "clip one.mp4", "clip one.mp4", "saved", 1.5)
        };
        let unsaved = ManifestRow {
            path: None,
            ..row.clone()
        };
        let t = tasks(&[row, unsaved], LOCAL_FILES_PREFIX);
        assert_eq!(t.len(), 1);
        let obj = t[0].as_object().unwrap();
        assert_eq!(obj.keys().collect::<Vec<_>>(), ["data"]);
        let data = &t[0]["data"];
        assert_eq!(data["image"], "/data/local-files/?d=clip%20one.mp4/1.5.jpg");
        assert_eq!(data["scene"], 2);
        assert_eq!(data["time"], 1.5);
        assert!(data.get("embedding").is_none() && data.get("reason").is_none());
    }
}
