//! Writing files so that a reader never sees half of one: write to a
//! temporary name in the same folder, then rename. [`AtomicFile`] streams;
//! [`write_atomic`] writes bytes already in memory. Both are this crate's one
//! way to write a file that a reader may look at.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The temporary name used while writing `path`: hidden, in the same
/// folder, unique per process and call, ending in `.part`.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}-{n}.part", std::process::id()))
}

/// Writes `bytes` to `path` atomically (temp file + rename); on failure
/// the temporary file is removed and `path` is left as it was. The folder
/// must exist.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A buffered file at a temporary name beside `path`; [`AtomicFile::commit`]
/// renames it into place, dropping it uncommitted removes it.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `path` (its folder is created).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, "cannot create folder", e))?;
        }
        let tmp = temp_path(path);
        let file = File::create(&tmp).map_err(|e| Error::io(path, "cannot create", e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            writer: Some(BufWriter::new(file)),
        })
    }

    /// Flushes and renames into place.
    pub fn commit(mut self) -> Result<PathBuf> {
        let path = self.path.clone();
        if let Some(w) = self.writer.take() {
            let file = w
                .into_inner()
                .map_err(|e| Error::io(&path, "cannot write", e.into_error()))?;
            drop(file);
            fs::rename(&self.tmp, &path).map_err(|e| Error::io(&path, "cannot write", e))?;
        }
        Ok(path)
    }

    /// A write error on this file, named.
    pub fn error(&self, e: std::io::Error) -> Error {
        Error::io(&self.path, "cannot write", e)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.writer {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("file already committed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.writer {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"hello").unwrap();
        write_atomic(&p, b"world!").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"world!");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failure_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-folder").join("a.txt");
        assert!(write_atomic(&p, b"x").is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn nothing_appears_until_commit_and_a_dropped_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/x.txt");
        let mut f = AtomicFile::create(&p).unwrap();
        f.write_all(b"hello").unwrap();
        assert!(!p.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        let mut g = AtomicFile::create(&p).unwrap();
        g.write_all(b"other").unwrap();
        drop(g);
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            1
        );
    }
}
