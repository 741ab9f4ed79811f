//! Clearing a video's output folder of what an earlier run wrote there, so
//! a rerun never leaves stale frames beside fresh ones.

use std::path::Path;

use crate::error::{Error, Result};

/// File names (besides images and `.part` files) framesift writes into a
/// video's folder.
const OWN_FILES: &[&str] = &[
    "frames.jsonl",
    "embeddings.npy",
    "embeddings.jsonl",
    "candidates.npy",
    "candidates.jsonl",
    "diversity.json",
    "diversity.csv",
    "segments.jsonl",
    "segments.csv",
    "scores.csv",
    "scores.svg",
    "cuts.json",
    "cuts.csv",
    "summaries.jsonl",
];

/// Sub-folders `segment` writes; their `seg…` files are framesift's.
const OWN_SUBDIRS: &[&str] = &["keyframes", "clips"];

/// Image extensions framesift writes.
const OWN_IMAGES: &[&str] = &["jpg", "jpeg", "png", "webp"];

/// Removes, from `dir`, the files framesift writes: images, manifests,
/// embeddings, reports, segmentation outputs (and the `seg…` files of its
/// `keyframes/` and `clips/` folders, which go too when left empty) and
/// leftover `.part` files. Anything else is left alone. A missing folder
/// is fine.
pub fn clean_output_dir(dir: &Path) -> Result<usize> {
    let mut removed = 0;
    for sub in OWN_SUBDIRS {
        let sub = dir.join(sub);
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours =
                name.starts_with("seg") || (name.starts_with('.') && name.ends_with(".part"));
            if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
                let path = entry.path();
                std::fs::remove_file(&path)
                    .map_err(|e| Error::io(&path, "cannot remove old output", e))?;
                removed += 1;
            }
        }
        let _ = std::fs::remove_dir(&sub); // only succeeds when empty
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io(dir, "cannot read output folder", e)),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let ours = OWN_FILES.contains(&name.as_str())
            || OWN_IMAGES.contains(&ext.as_str())
            || (name.starts_with('.') && name.ends_with(".part"));
        if ours {
            std::fs::remove_file(&path)
                .map_err(|e| Error::io(&path, "cannot remove old output", e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_framesift_files() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "1.5.jpg",
            "frames.jsonl",
            ".x.jpg.123-1.part",
            "notes.txt",
            "embeddings.npy",
        ] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/2.jpg"), b"x").unwrap();
        assert_eq!(clean_output_dir(dir.path()).unwrap(), 4);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["notes.txt", "sub"]);
        assert!(dir.path().join("sub/2.jpg").exists());
        assert_eq!(clean_output_dir(&dir.path().join("missing")).unwrap(), 0);
    }

    #[test]
    fn segmentation_outputs_go_and_foreign_files_in_its_folders_stay() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("keyframes")).unwrap();
        std::fs::create_dir_all(d.join("clips")).unwrap();
        for f in [
            "segments.jsonl",
            "cuts.json",
            "scores.svg",
            "grid.jpg",
            "keyframes/seg000_1_t1.000.jpg",
            "clips/seg000_0.000-2.000.mp4",
            "clips/mine.mp4",
        ] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        assert_eq!(clean_output_dir(d).unwrap(), 6);
        assert!(!d.join("keyframes").exists(), "empty: removed");
        assert!(d.join("clips/mine.mp4").exists(), "not ours: kept");
        assert!(!d.join("cuts.json").exists());
    }
}
