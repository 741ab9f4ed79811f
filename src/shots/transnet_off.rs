//! Without the `transnet` feature: the type exists, so callers compile
//! the same way; loading it says why it cannot.

use std::path::{Path, PathBuf};

use super::FrameScore;
use crate::error::{Error, Result};
use crate::pipeline::FrameTap;

/// TransNetV2 is not built in.
pub enum TransNetV2 {}

fn missing() -> Error {
    Error::config(
        "detector",
        "this framesift was built without the `transnet` feature",
    )
}

/// Always an error: not built in.
pub fn resolve_weights(_: Option<&Path>) -> Result<PathBuf> {
    Err(missing())
}

impl TransNetV2 {
    /// Always an error: not built in.
    pub fn load(_: &Path) -> Result<Self> {
        Err(missing())
    }

    /// Never called: no value of this type exists.
    pub fn beside<R>(&self, _: impl FnOnce(FrameTap) -> Result<R>) -> Result<(R, Vec<FrameScore>)> {
        match *self {}
    }
}
