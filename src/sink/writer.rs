//! Writing images off the caller's thread, and writing a manifest: what
//! [`super::FolderSink`] and scene sampling's spool share.

use std::path::{Path, PathBuf};

use crossbeam_channel::{unbounded, Receiver, Sender};

use super::{encode, write_atomic, FrameRecord, ImageFormat, MANIFEST_NAME};
use crate::error::{Error, Result};
use crate::frame::RgbImage;

/// Encodes and writes images on rayon's pool, at most a few at a time (so
/// at most that many images wait in memory), each under a temporary name
/// then renamed. `K` identifies a job in its outcome.
pub struct ImageWriter<K: Send + 'static> {
    tx: Sender<(K, Result<()>)>,
    rx: Receiver<(K, Result<()>)>,
    outstanding: usize,
    limit: usize,
}

impl<K: Send + 'static> Default for ImageWriter<K> {
    fn default() -> Self {
        let (tx, rx) = unbounded();
        ImageWriter {
            tx,
            rx,
            outstanding: 0,
            limit: rayon::current_num_threads() * 2 + 1,
        }
    }
}

impl<K: Send + 'static> ImageWriter<K> {
    /// Writes `image` as `format` at `quality` to `path`, once a slot is
    /// free; returns the outcomes of the jobs that finished meanwhile.
    pub fn write(
        &mut self,
        key: K,
        image: RgbImage,
        format: ImageFormat,
        quality: u8,
        path: PathBuf,
    ) -> Vec<(K, Result<()>)> {
        let mut done = Vec::new();
        while self.outstanding >= self.limit {
            match self.rx.recv() {
                Ok(d) => {
                    self.outstanding -= 1;
                    done.push(d);
                }
                Err(_) => break,
            }
        }
        self.outstanding += 1;
        let tx = self.tx.clone();
        rayon::spawn(move || {
            let res = encode(&image, format, quality)
                .map_err(|reason| Error::Encode {
                    path: path.clone(),
                    reason,
                })
                .and_then(|bytes| {
                    write_atomic(&path, &bytes)
                        .map_err(|e| Error::io(&path, "cannot write image", e))
                });
            let _ = tx.send((key, res));
        });
        done
    }

    /// Waits for every job; returns their outcomes.
    pub fn finish(&mut self) -> Vec<(K, Result<()>)> {
        let mut done = Vec::new();
        while self.outstanding > 0 {
            match self.rx.recv() {
                Ok(d) => {
                    self.outstanding -= 1;
                    done.push(d);
                }
                Err(_) => break,
            }
        }
        done
    }
}

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
