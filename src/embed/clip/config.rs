//! Reads a Hugging Face `CLIPModel` `config.json` into candle's config.
//! Keys left out of the file take the values `transformers` defaults to.

use candle_transformers::models::clip::{
    text_model::{Activation, ClipTextConfig},
    vision_model::ClipVisionConfig,
    ClipConfig,
};
use serde::Deserialize;

/// The parts of `config.json` framesift reads.
#[derive(Debug, Clone, Deserialize)]
pub struct HfClipConfig {
    /// Width of the shared image/text embedding.
    #[serde(default = "d512")]
    pub projection_dim: usize,
    /// Initial logit scale (unused for embeddings).
    #[serde(default = "logit_scale")]
    pub logit_scale_init_value: f32,
    /// The text tower.
    #[serde(default)]
    pub text_config: HfTextConfig,
    /// The image tower.
    #[serde(default)]
    pub vision_config: HfVisionConfig,
}

/// `text_config`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct HfTextConfig {
    /// Token vocabulary size.
    pub vocab_size: usize,
    /// Width of the text transformer.
    pub hidden_size: usize,
    /// MLP width.
    pub intermediate_size: usize,
    /// Layers.
    pub num_hidden_layers: usize,
    /// Attention heads.
    pub num_attention_heads: usize,
    /// Longest token sequence.
    pub max_position_embeddings: usize,
    /// Activation (`quick_gelu` is the only one candle's CLIP runs).
    pub hidden_act: String,
}

impl Default for HfTextConfig {
    fn default() -> Self {
        HfTextConfig {
            vocab_size: 49408,
            hidden_size: 512,
            intermediate_size: 2048,
            num_hidden_layers: 12,
            num_attention_heads: 8,
            max_position_embeddings: 77,
            hidden_act: "quick_gelu".into(),
        }
    }
}

/// `vision_config`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct HfVisionConfig {
    /// Width of the vision transformer.
    pub hidden_size: usize,
    /// MLP width.
    pub intermediate_size: usize,
    /// Layers.
    pub num_hidden_layers: usize,
    /// Attention heads.
    pub num_attention_heads: usize,
    /// Input side in pixels.
    pub image_size: usize,
    /// Patch side in pixels.
    pub patch_size: usize,
    /// Input channels.
    pub num_channels: usize,
    /// Activation (`quick_gelu` only).
    pub hidden_act: String,
}

impl Default for HfVisionConfig {
    fn default() -> Self {
        HfVisionConfig {
            hidden_size: 768,
            intermediate_size: 3072,
            num_hidden_layers: 12,
            num_attention_heads: 12,
            image_size: 224,
            patch_size: 32,
            num_channels: 3,
            hidden_act: "quick_gelu".into(),
        }
    }
}

fn d512() -> usize {
    512
}
fn logit_scale() -> f32 {
    2.6592
}

impl HfClipConfig {
    /// candle's config; `Err` names what candle's CLIP cannot run.
    pub fn to_candle(&self) -> Result<ClipConfig, String> {
        for (tower, act) in [
            ("text_config", &self.text_config.hidden_act),
            ("vision_config", &self.vision_config.hidden_act),
        ] {
            if act != "quick_gelu" {
                return Err(format!(
                    "{tower}.hidden_act is '{act}'; only quick_gelu CLIP models (OpenAI's) are supported"
                ));
            }
        }
        let (t, v) = (&self.text_config, &self.vision_config);
        if t.num_attention_heads == 0
            || v.num_attention_heads == 0
            || t.hidden_size % t.num_attention_heads != 0
            || v.hidden_size % v.num_attention_heads != 0
            || v.patch_size == 0
            || v.image_size % v.patch_size != 0
        {
            return Err("inconsistent sizes (hidden_size/heads or image_size/patch_size)".into());
        }
        Ok(ClipConfig {
            text_config: ClipTextConfig {
                vocab_size: t.vocab_size,
                embed_dim: t.hidden_size,
                activation: Activation::QuickGelu,
                intermediate_size: t.intermediate_size,
                max_position_embeddings: t.max_position_embeddings,
                pad_with: None,
                num_hidden_layers: t.num_hidden_layers,
                num_attention_heads: t.num_attention_heads,
                projection_dim: self.projection_dim,
            },
            vision_config: ClipVisionConfig {
                embed_dim: v.hidden_size,
                activation: Activation::QuickGelu,
                intermediate_size: v.intermediate_size,
                num_hidden_layers: v.num_hidden_layers,
                num_attention_heads: v.num_attention_heads,
                projection_dim: self.projection_dim,
                num_channels: v.num_channels,
                image_size: v.image_size,
                patch_size: v.patch_size,
            },
            logit_scale_init_value: self.logit_scale_init_value,
            image_size: v.image_size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_vit_b_32() {
        let c: HfClipConfig = serde_json::from_str("{}").unwrap();
        let c = c.to_candle().unwrap();
        assert_eq!(c.vision_config.embed_dim, 768);
        assert_eq!(c.vision_config.patch_size, 32);
        assert_eq!(c.text_config.embed_dim, 512);
        assert_eq!(c.image_size, 224);
    }

    #[test]
    fn gelu_models_are_refused_by_name() {
        let c: HfClipConfig =
            serde_json::from_str(r#"{"vision_config": {"hidden_act": "gelu"}}"#).unwrap();
        let e = c.to_candle().unwrap_err();
        assert!(e.contains("vision_config.hidden_act"), "{e}");
    }
}
