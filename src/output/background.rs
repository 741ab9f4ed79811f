//! Encoding and writing images off the caller's thread: what the folder
//! sink and scene sampling's spool share.

use std::path::Path;

use crossbeam_channel::{unbounded, Receiver, Sender};

use super::{encode, write_atomic, ImageFormat};
use crate::error::{Error, Result};
use crate::frame::RgbImage;

/// Runs jobs (encoding, writing images) on rayon's pool, at most a few at
/// a time, so at most that many images wait in memory; each job's outcome
/// comes back with its key `K`.
pub struct Background<K: Send + 'static, T: Send + 'static> {
    tx: Sender<(K, Result<T>)>,
    rx: Receiver<(K, Result<T>)>,
    outstanding: usize,
    limit: usize,
}

impl<K: Send + 'static, T: Send + 'static> Default for Background<K, T> {
    fn default() -> Self {
        let (tx, rx) = unbounded();
        Background {
            tx,
            rx,
            outstanding: 0,
            limit: rayon::current_num_threads() * 2 + 1,
        }
    }
}

impl<K: Send + 'static, T: Send + 'static> Background<K, T> {
    /// Runs `job` once a slot is free; returns the outcomes of the jobs
    /// that finished meanwhile.
    pub fn submit(
        &mut self,
        key: K,
        job: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Vec<(K, Result<T>)> {
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
            let _ = tx.send((key, job()));
        });
        done
    }

    /// Waits for every job; returns their outcomes.
    pub fn finish(&mut self) -> Vec<(K, Result<T>)> {
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

/// Encodes `image` as `format` at `quality`; the error names `path`, where
/// it was to be written.
pub fn encode_for(
    image: &RgbImage,
    format: ImageFormat,
    quality: u8,
    path: &Path,
) -> Result<Vec<u8>> {
    encode(image, format, quality).map_err(|reason| Error::Encode {
        path: path.to_path_buf(),
        reason,
    })
}

/// Encodes `image` and writes it to `path` under a temporary name, then
/// renames it.
pub fn write_image(image: &RgbImage, format: ImageFormat, quality: u8, path: &Path) -> Result<()> {
    let bytes = encode_for(image, format, quality, path)?;
    write_atomic(path, &bytes).map_err(|e| Error::io(path, "cannot write image", e))
}
