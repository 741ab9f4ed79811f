//! WebDataset shards: POSIX tar files of samples `{__key__, jpg, json}`
//! (the image under `KEY.jpg` — or `.png`/`.webp` — and its manifest row
//! under `KEY.json`), readable by the `webdataset` Python package.
//!
//! Keys hold no dots (webdataset splits a member's name at the first dot
//! into key and extension): `<video folder, dots as _>_<n:06>`, n counting
//! the video's written images. Shards hold `shard_size` samples each, in
//! input order, and are numbered from 0 by the pattern's `%d`/`%06d`. They
//! are written after the run by one writer, each under a temporary name then
//! renamed, so a shard is complete or absent whatever `-j` was; with
//! `--resume` they are rewritten from every video's manifest, resumed ones
//! included. Shards a previous run numbered beyond the new last one are
//! removed, so the pattern's files are always exactly this run's.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::rows::ManifestRow;
use crate::error::{Error, Result};
use crate::output::AtomicFile;

/// A shard file pattern: text, one `%d` or `%0Nd`, text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardPattern {
    before: String,
    width: usize,
    after: String,
}

impl ShardPattern {
    /// Parses `pattern`; it must hold exactly one `%d` or `%0Nd`.
    pub fn parse(pattern: &str) -> Result<ShardPattern> {
        let refuse = || {
            Error::config(
                "webdataset",
                format!(
                    "'{pattern}' needs exactly one shard number, as %d or %06d \
                     (e.g. shards/frames-%06d.tar)"
                ),
            )
        };
        let (before, rest) = pattern.split_once('%').ok_or_else(refuse)?;
        let (spec, after) = rest.split_once('d').ok_or_else(refuse)?;
        let width = match spec {
            "" => 0,
            s if s.starts_with('0') && s.len() > 1 => s[1..].parse().map_err(|_| refuse())?,
            _ => return Err(refuse()),
        };
        if after.contains('%') || width > 12 {
            return Err(refuse());
        }
        Ok(ShardPattern {
            before: before.to_string(),
            width,
            after: after.to_string(),
        })
    }

    /// The name of shard `n`.
    pub fn name(&self, n: usize) -> String {
        format!("{}{:0w$}{}", self.before, n, self.after, w = self.width)
    }
}

/// A key without dots or path separators: `[A-Za-z0-9_-]` only.
pub fn key_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Appends one tar member.
fn append(tar: &mut tar::Builder<AtomicFile>, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let mut header = tar::Header::new_ustar();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, name, bytes)
}

/// Writes the rows with an image as shards named by `pattern` (relative to
/// `out` unless absolute), `shard_size` samples each; returns the shards.
pub fn write_shards(
    out: &Path,
    pattern: &str,
    shard_size: usize,
    rows: &[ManifestRow],
) -> Result<Vec<PathBuf>> {
    let pattern = ShardPattern::parse(pattern)?;
    let shard_size = shard_size.max(1);
    let samples: Vec<(&ManifestRow, &str)> = rows
        .iter()
        .filter_map(|r| r.path.as_deref().map(|p| (r, p)))
        .collect();
    // Keys: one prefix per video folder, made unique if two folders
    // sanitise alike.
    let mut prefixes: Vec<(String, String)> = Vec::new();
    let mut taken = HashSet::new();
    let mut counters: Vec<usize> = Vec::new();
    let mut keyed = Vec::with_capacity(samples.len());
    for (row, path) in samples {
        let slot = match prefixes.iter().position(|(dir, _)| *dir == row.video_dir) {
            Some(i) => i,
            None => {
                let base = key_part(&row.video_dir);
                let mut prefix = base.clone();
                let mut n = 2;
                while !taken.insert(prefix.clone()) {
                    prefix = format!("{base}-{n}");
                    n += 1;
                }
                prefixes.push((row.video_dir.clone(), prefix));
                counters.push(0);
                prefixes.len() - 1
            }
        };
        let key = format!("{}_{:06}", prefixes[slot].1, counters[slot]);
        counters[slot] += 1;
        keyed.push((key, row, path));
    }
    let mut written = Vec::new();
    for (n, chunk) in keyed.chunks(shard_size).enumerate() {
        let path = resolve(out, &pattern.name(n));
        let file = AtomicFile::create(&path)?;
        let mut tar = tar::Builder::new(file);
        for (key, row, image) in chunk {
            let source = out.join(image);
            let bytes =
                std::fs::read(&source).map_err(|e| Error::io(&source, "cannot read image", e))?;
            let ext = Path::new(image)
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_else(|| "jpg".into());
            let ext = if ext == "jpeg" { "jpg".into() } else { ext };
            let mut json_row = (*row).clone();
            json_row.embedding = None;
            let json = serde_json::to_vec(&json_row)
                .map_err(|e| Error::io(&path, "cannot write", e.into()))?;
            append(&mut tar, &format!("{key}.{ext}"), &bytes)
                .and_then(|_| append(&mut tar, &format!("{key}.json"), &json))
                .map_err(|e| Error::io(&path, "cannot write shard", e))?;
        }
        let file = tar
            .into_inner()
            .map_err(|e| Error::io(&path, "cannot write shard", e))?;
        written.push(file.commit()?);
    }
    // Shards an earlier, longer run left beyond the last one.
    let mut n = written.len();
    loop {
        let stale = resolve(out, &pattern.name(n));
        if !stale.is_file() {
            break;
        }
        std::fs::remove_file(&stale)
            .map_err(|e| Error::io(&stale, "cannot remove old shard", e))?;
        n += 1;
    }
    Ok(written)
}

fn resolve(out: &Path, name: &str) -> PathBuf {
    let p = Path::new(name);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        out.join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_need_one_number() {
        let p = ShardPattern::parse("shards/frames-%06d.tar").unwrap();
        assert_eq!(p.name(7), "shards/frames-000007.tar");
        assert_eq!(
            ShardPattern::parse("s-%d.tar").unwrap().name(12),
            "s-12.tar"
        );
        for bad in ["shards.tar", "a-%s.tar", "%d-%d.tar", "%6d.tar"] {
            assert!(ShardPattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_have_no_dots() {
        assert_eq!(key_part("My video.v2.mp4"), "My_video_v2_mp4");
    }

    fn row(dir: &str, path: Option<&str>) -> ManifestRow {
        ManifestRow {
            path: path.map(str::to_string),
            ..ManifestRow::new("sample", dir, dir, "saved", 1.0)
        }
    }

    #[test]
    fn shards_split_by_size_keys_stay_unique_and_stale_shards_go() {
        let out = tempfile::tempdir().unwrap();
        for d in ["a.mp4", "a_mp4"] {
            std::fs::create_dir_all(out.path().join(d)).unwrap();
            std::fs::write(out.path().join(d).join("1.jpg"), b"jpegdata").unwrap();
            std::fs::write(out.path().join(d).join("2.jpg"), b"jpegdata2").unwrap();
        }
        let rows = vec![
            row("a.mp4", Some("a.mp4/1.jpg")),
            row("a.mp4", None),
            row("a.mp4", Some("a.mp4/2.jpg")),
            row("a_mp4", Some("a_mp4/1.jpg")),
            row("a_mp4", Some("a_mp4/2.jpg")),
        ];
        // A stale shard from a longer run.
        std::fs::create_dir_all(out.path().join("s")).unwrap();
        std::fs::write(out.path().join("s/f-0003.tar"), b"old").unwrap();
        std::fs::write(out.path().join("s/f-0002.tar"), b"old").unwrap();
        let shards = write_shards(out.path(), "s/f-%04d.tar", 3, &rows).unwrap();
        assert_eq!(shards.len(), 2);
        assert!(!out.path().join("s/f-0002.tar").exists());
        assert!(!out.path().join("s/f-0003.tar").exists());
        let mut names = Vec::new();
        for s in &shards {
            let mut a = tar::Archive::new(std::fs::File::open(s).unwrap());
            for e in a.entries().unwrap() {
                names.push(e.unwrap().path().unwrap().to_string_lossy().to_string());
            }
        }
        assert_eq!(
            names,
            [
                "a_mp4_000000.jpg",
                "a_mp4_000000.json",
                "a_mp4_000001.jpg",
                "a_mp4_000001.json",
                "a_mp4-2_000000.jpg",
                "a_mp4-2_000000.json",
                "a_mp4-2_000001.jpg",
                "a_mp4-2_000001.json",
            ]
        );
    }
}
