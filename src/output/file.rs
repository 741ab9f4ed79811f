//! A file written through a temporary name: readers see the old file or the
//! whole new one, never half of one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::sink::temp_path;

/// A buffered file at a temporary name beside `path`; [`AtomicFile::commit`]
/// renames it into place, dropping it uncommitted removes it.
pub(crate) struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `path` (its folder is created).
    pub(crate) fn create(path: &Path) -> Result<AtomicFile> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(parent, "cannot create folder", e))?;
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
    pub(crate) fn commit(mut self) -> Result<PathBuf> {
        let path = self.path.clone();
        if let Some(w) = self.writer.take() {
            let file = w
                .into_inner()
                .map_err(|e| Error::io(&path, "cannot write", e.into_error()))?;
            drop(file);
            std::fs::rename(&self.tmp, &path).map_err(|e| Error::io(&path, "cannot write", e))?;
        }
        Ok(path)
    }

    /// A write error on this file, named.
    pub(crate) fn error(&self, e: std::io::Error) -> Error {
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
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
