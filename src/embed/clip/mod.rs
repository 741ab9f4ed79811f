//! CLIP run in-process with candle: image and text embeddings in one
//! space, for the CLIP gate and as an alternative to the built-in
//! embedding. Weights are Hugging Face `CLIPModel` safetensors; the
//! tokenizer is OpenAI's CLIP BPE (bundled, the same for every CLIP
//! checkpoint on the Hub), so no `tokenizer.json` is read.

mod config;
mod preprocess;
mod source;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::clip::ClipModel;
use instant_clip_tokenizer::Tokenizer;

use super::vector::l2_normalize;
use super::Embedder;
use crate::error::{Error, Result};
use crate::frame::RgbImage;

pub use config::HfClipConfig;
pub use preprocess::{push_pixels, CLIP_MEAN, CLIP_STD};
pub use source::{resolve_model, ClipFiles, HubOptions, DEFAULT_CLIP_MODEL};

/// A loaded CLIP model with its tokenizer.
pub struct ClipEmbedder {
    model: ClipModel,
    tokenizer: Tokenizer,
    device: Device,
    name: String,
    image_size: u32,
    projection_dim: usize,
    max_tokens: usize,
    vocab_size: usize,
    batch_size: usize,
}

impl std::fmt::Debug for ClipEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClipEmbedder")
            .field("name", &self.name)
            .field("image_size", &self.image_size)
            .field("projection_dim", &self.projection_dim)
            .finish()
    }
}

impl ClipEmbedder {
    /// Loads the model in `files` (memory-mapped safetensors); images are
    /// embedded `batch_size` at a time. Uses the GPU when built with the
    /// `cuda` feature and one is present.
    pub fn load(files: &ClipFiles, batch_size: usize) -> Result<Self> {
        let err = |reason: String| Error::Model {
            model: files.name.clone(),
            reason,
        };
        let text = std::fs::read_to_string(&files.config)
            .map_err(|e| err(format!("cannot read {}: {e}", files.config.display())))?;
        let hf: HfClipConfig = serde_json::from_str(&text)
            .map_err(|e| err(format!("{}: {e}", files.config.display())))?;
        let cfg = hf.to_candle().map_err(err)?;
        let device = device();
        // SAFETY: the weights file is memory-mapped read-only; framesift
        // never writes it, and a file changed underneath is the user's
        // doing, as with any mmap-based loader.
        let vb =
            unsafe { VarBuilder::from_mmaped_safetensors(&[&files.weights], DType::F32, &device) }
                .map_err(|e| err(format!("cannot map {}: {e}", files.weights.display())))?;
        let model = ClipModel::new(vb, &cfg).map_err(|e| {
            err(format!(
                "{} does not hold this config's weights: {e}",
                files.weights.display()
            ))
        })?;
        Ok(ClipEmbedder {
            model,
            tokenizer: Tokenizer::new(),
            device,
            name: format!("clip:{}", files.name),
            image_size: cfg.vision_config.image_size as u32,
            projection_dim: cfg.vision_config.projection_dim,
            max_tokens: cfg.text_config.max_position_embeddings,
            vocab_size: cfg.text_config.vocab_size,
            batch_size: batch_size.max(1),
        })
    }

    /// The model in `files`, loaded once per process and shared (the CLIP
    /// gate of every video uses the same one).
    pub fn shared(files: &ClipFiles, batch_size: usize) -> Result<Arc<ClipEmbedder>> {
        type Loaded = HashMap<(ClipFiles, usize), Arc<ClipEmbedder>>;
        static LOADED: OnceLock<Mutex<Loaded>> = OnceLock::new();
        let key = (files.clone(), batch_size);
        let cache = LOADED.get_or_init(Default::default);
        let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(m) = map.get(&key) {
            return Ok(Arc::clone(m));
        }
        let model = Arc::new(ClipEmbedder::load(files, batch_size)?);
        map.insert(key, Arc::clone(&model));
        Ok(model)
    }

    fn model_err(&self, what: &str, e: impl std::fmt::Display) -> Error {
        Error::Model {
            model: self.name.clone(),
            reason: format!("{what}: {e}"),
        }
    }

    /// Embeds text prompts (unit vectors in the image space).
    pub fn embed_texts(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let (sot, eot) = (
            self.tokenizer.start_of_text().to_u16() as u32,
            self.tokenizer.end_of_text().to_u16() as u32,
        );
        let mut rows: Vec<Vec<u32>> = Vec::with_capacity(texts.len());
        let mut tokens = Vec::new();
        for t in texts {
            tokens.clear();
            self.tokenizer.encode(t, &mut tokens);
            let room = self.max_tokens.saturating_sub(2);
            let mut ids = vec![sot];
            ids.extend(tokens.iter().take(room).map(|t| t.to_u16() as u32));
            ids.push(eot);
            if ids.iter().any(|&id| id as usize >= self.vocab_size) {
                return Err(self.model_err(
                    "tokenize",
                    format!(
                        "'{t}' has token ids beyond the model's vocabulary of {}",
                        self.vocab_size
                    ),
                ));
            }
            rows.push(ids);
        }
        // Causal attention: padding after the end token cannot change the
        // end token's output, so pad to the longest prompt only. The end
        // token has the highest id, which is how the text tower finds it.
        let len = rows.iter().map(Vec::len).max().unwrap_or(2);
        let flat: Vec<u32> = rows
            .iter()
            .flat_map(|r| {
                r.iter()
                    .copied()
                    .chain(std::iter::repeat_n(0, len - r.len()))
            })
            .collect();
        let ids = Tensor::from_vec(flat, (rows.len(), len), &self.device)
            .map_err(|e| self.model_err("tokens", e))?;
        let features = self
            .model
            .get_text_features(&ids)
            .map_err(|e| self.model_err("text tower", e))?;
        self.rows(features)
    }

    fn rows(&self, features: Tensor) -> Result<Vec<Vec<f32>>> {
        let mut rows: Vec<Vec<f32>> = features
            .to_dtype(DType::F32)
            .and_then(|t| t.to_vec2::<f32>())
            .map_err(|e| self.model_err("read features", e))?;
        rows.iter_mut().for_each(|r| l2_normalize(r));
        Ok(rows)
    }

    fn embed_batch(&self, images: &[&RgbImage]) -> Result<Vec<Vec<f32>>> {
        let side = self.image_size;
        let mut pixels = Vec::with_capacity(images.len() * 3 * (side * side) as usize);
        for img in images {
            push_pixels(img, side, &mut pixels).map_err(|e| self.model_err("preprocess", e))?;
        }
        let s = side as usize;
        let input = Tensor::from_vec(pixels, (images.len(), 3, s, s), &self.device)
            .map_err(|e| self.model_err("image tensor", e))?;
        let features = self
            .model
            .get_image_features(&input)
            .map_err(|e| self.model_err("image tower", e))?;
        self.rows(features)
    }
}

impl Embedder for ClipEmbedder {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn dim(&self) -> usize {
        self.projection_dim
    }

    fn batch_size(&self) -> usize {
        self.batch_size
    }

    fn embed_images(&self, images: &[&RgbImage]) -> Result<Vec<Vec<f32>>> {
        let mut out = Vec::with_capacity(images.len());
        for chunk in images.chunks(self.batch_size) {
            out.extend(self.embed_batch(chunk)?);
        }
        Ok(out)
    }
}

#[cfg(feature = "cuda")]
fn device() -> Device {
    Device::cuda_if_available(0).unwrap_or(Device::Cpu)
}

#[cfg(not(feature = "cuda"))]
fn device() -> Device {
    Device::Cpu
}

/// Test support: writes a small random-weight CLIP in Hugging Face's layout.
#[doc(hidden)]
pub mod testing {
    use std::path::Path;

    use candle_core::{DType, Device};
    use candle_nn::{VarBuilder, VarMap};
    use candle_transformers::models::clip::ClipModel;

    use super::HfClipConfig;

    /// A tiny config: 32-px images, 8-px patches, 2 layers, 16-wide
    /// projections, the real CLIP vocabulary (so the bundled tokenizer fits).
    pub const TINY_CONFIG: &str = r#"{
      "projection_dim": 16,
      "text_config": {"vocab_size": 49408, "hidden_size": 32, "intermediate_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4,
                      "max_position_embeddings": 77, "hidden_act": "quick_gelu"},
      "vision_config": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                        "num_attention_heads": 4, "image_size": 32, "patch_size": 8,
                        "num_channels": 3, "hidden_act": "quick_gelu"}
    }"#;

    /// Writes `config` and random weights for it (seeded by candle's RNG)
    /// into `dir` as `config.json` + `model.safetensors`.
    pub fn write_random_clip(dir: &Path, config: &str) -> Result<(), String> {
        let hf: HfClipConfig = serde_json::from_str(config).map_err(|e| e.to_string())?;
        let cfg = hf.to_candle()?;
        let map = VarMap::new();
        let vb = VarBuilder::from_varmap(&map, DType::F32, &Device::Cpu);
        ClipModel::new(vb, &cfg).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("config.json"), config).map_err(|e| e.to_string())?;
        map.save(dir.join("model.safetensors"))
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{write_random_clip, TINY_CONFIG};
    use super::*;
    use crate::embed::dot;

    fn tiny() -> (tempfile::TempDir, ClipEmbedder) {
        let dir = tempfile::tempdir().unwrap();
        write_random_clip(dir.path(), TINY_CONFIG).unwrap();
        let files = resolve_model(&dir.path().to_string_lossy(), None).unwrap();
        let clip = ClipEmbedder::load(&files, 4).unwrap();
        (dir, clip)
    }

    fn picture(seed: u8) -> RgbImage {
        RgbImage::from_fn(48, 40, |x, y| {
            image::Rgb([
                (x as u8).wrapping_mul(seed),
                (y as u8).wrapping_mul(3).wrapping_add(seed),
                seed.wrapping_mul(40),
            ])
        })
    }

    #[test]
    fn images_give_unit_vectors_of_the_projection_width() {
        let (_dir, clip) = tiny();
        let imgs: Vec<RgbImage> = (1..=3).map(picture).collect();
        let refs: Vec<&RgbImage> = imgs.iter().collect();
        let v = clip.embed_images(&refs).unwrap();
        assert_eq!(v.len(), 3);
        for e in &v {
            assert_eq!(e.len(), 16);
            assert!((dot(e, e) - 1.0).abs() < 1e-4);
        }
        assert!(
            dot(&v[0], &v[1]) < 0.9999,
            "different images, different vectors"
        );
    }

    #[test]
    fn deterministic_and_batch_equals_one_by_one() {
        let (_dir, clip) = tiny();
        let imgs: Vec<RgbImage> = (1..=6).map(picture).collect();
        let refs: Vec<&RgbImage> = imgs.iter().collect();
        let batched = clip.embed_images(&refs).unwrap(); // batches of 4 + 2
        let again = clip.embed_images(&refs).unwrap();
        assert_eq!(batched, again);
        for (img, b) in imgs.iter().zip(&batched) {
            let single = clip.embed_images(&[img]).unwrap();
            for (x, y) in single[0].iter().zip(b) {
                assert!((x - y).abs() < 1e-4, "batch {y} vs single {x}");
            }
        }
    }

    #[test]
    fn text_prompts_embed_and_padding_does_not_change_them() {
        let (_dir, clip) = tiny();
        let both = clip
            .embed_texts(&["a cat", "an empty background with text on screen"])
            .unwrap();
        let alone = clip.embed_texts(&["a cat"]).unwrap();
        assert_eq!(both.len(), 2);
        assert_eq!(both[0].len(), 16);
        assert!((dot(&both[0], &both[0]) - 1.0).abs() < 1e-4);
        for (x, y) in both[0].iter().zip(&alone[0]) {
            assert!((x - y).abs() < 1e-4);
        }
        // Similarity of image and text is a cosine in [-1, 1].
        let img = clip.embed_images(&[&picture(2)]).unwrap();
        let sim = dot(&img[0], &both[0]);
        assert!((-1.0..=1.0).contains(&sim));
    }

    #[test]
    fn weights_that_do_not_fit_the_config_are_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        write_random_clip(dir.path(), TINY_CONFIG).unwrap();
        let bigger = TINY_CONFIG.replace(r#""projection_dim": 16"#, r#""projection_dim": 24"#);
        std::fs::write(dir.path().join("config.json"), bigger).unwrap();
        let files = resolve_model(&dir.path().to_string_lossy(), None).unwrap();
        let e = ClipEmbedder::load(&files, 4).unwrap_err().to_string();
        assert!(e.contains("does not hold this config's weights"), "{e}");
    }
}
