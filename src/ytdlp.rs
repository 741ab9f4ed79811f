//! yt-dlp as an input source: a query (`ytsearch3:cute cats`), a video URL
//! or a playlist URL becomes entries with a title, a direct media URL that
//! FFmpeg streams (nothing is downloaded to disk) and, when asked, a
//! subtitle URL. The `yt-dlp` program is run with an argument vector,
//! never through a shell.
//!
//! May depend on: error, input, output.

use std::process::Command;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::output::sanitize_component;

/// The program to run: `$FRAMESIFT_YTDLP`, else `yt-dlp` from `PATH`.
pub fn default_program() -> String {
    std::env::var("FRAMESIFT_YTDLP").unwrap_or_else(|_| "yt-dlp".to_string())
}

/// How yt-dlp is run.
#[derive(Debug, Clone, PartialEq)]
pub struct YtDlp {
    /// Program path or name.
    pub program: String,
    /// Extra arguments (from `--yt-extra-args`, split like a shell would).
    pub extra_args: Vec<String>,
    /// Ask for English subtitles and automatic captions.
    pub subtitles: bool,
}

/// One video yt-dlp found.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its title (or id).
    pub title: String,
    /// The direct media URL FFmpeg opens.
    pub url: String,
    /// A subtitle URL, when subtitles were asked for and exist.
    pub subtitles: Option<String>,
}

impl YtDlp {
    /// A runner with `extra` split like a shell (quotes, escapes); an
    /// unbalanced quote is an error.
    pub fn new(program: String, extra: &str, subtitles: bool) -> Result<YtDlp> {
        let extra_args = shlex::split(extra).ok_or_else(|| {
            Error::config(
                "yt-extra-args",
                format!("cannot split '{extra}' (unbalanced quote?)"),
            )
        })?;
        Ok(YtDlp {
            program,
            extra_args,
            subtitles,
        })
    }

    /// The argument vector for `query`.
    pub fn args(&self, query: &str) -> Vec<String> {
        let mut a: Vec<String> = [
            "--dump-single-json",
            "--no-warnings",
            "--no-cache-dir",
            "--ignore-errors",
            "--socket-timeout",
            "30",
            "-f",
            "bv*/b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if self.subtitles {
            for s in [
                "--write-subs",
                "--write-auto-subs",
                "--sub-langs",
                "en.*,en",
                "--sub-format",
                "vtt/srt/best",
            ] {
                a.push(s.to_string());
            }
        }
        a.extend(self.extra_args.iter().cloned());
        a.push("--".to_string());
        a.push(query.to_string());
        a
    }

    /// Runs yt-dlp on `query`: its entries (an entry yt-dlp could not
    /// resolve is an `Err` naming it). A missing program or a query that
    /// fails as a whole is an `Err`.
    pub fn entries(&self, query: &str) -> Result<Vec<std::result::Result<Entry, String>>> {
        let fail = |reason: String| Error::Open {
            input: query.to_string(),
            reason,
        };
        let out = Command::new(&self.program)
            .args(self.args(query))
            .output()
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    fail(format!(
                        "yt-dlp not found ('{}'): install it (pip install yt-dlp) or set FRAMESIFT_YTDLP",
                        self.program
                    ))
                } else {
                    fail(format!("cannot run yt-dlp: {e}"))
                }
            })?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let error_line = error_line(&stderr);
        let info: Value = match serde_json::from_str(stdout.trim()) {
            Ok(v) => v,
            Err(_) => {
                let last = error_line
                    .or_else(|| stderr.lines().rev().find(|l| !l.trim().is_empty()))
                    .unwrap_or("no output");
                return Err(fail(format!("yt-dlp failed: {}", last.trim())));
            }
        };
        let mut entries = parse_info(&info);
        if let Some(why) = error_line {
            for e in entries.iter_mut() {
                if let Err(reason) = e {
                    reason.push_str(&format!(" (yt-dlp: {why})"));
                }
            }
        }
        Ok(entries)
    }
}

/// yt-dlp's own reason for a failure: its last `ERROR:` line (later lines
/// are often debug or cleanup chatter).
fn error_line(stderr: &str) -> Option<&str> {
    stderr
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("ERROR:"))
        .map(str::trim)
}

impl YtDlp {
    /// One job per entry of every input, in folders named after the
    /// titles (made unique); inputs or entries yt-dlp cannot resolve are
    /// returned as errors, the rest go on.
    pub fn plan_jobs(
        &self,
        inputs: &[String],
        out: &std::path::Path,
    ) -> (Vec<crate::input::Job>, Vec<Error>) {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for query in inputs {
            match self.entries(query) {
                Ok(entries) => {
                    for e in entries {
                        match e {
                            Ok(e) => items.push((folder_for_title(&e.title), e.url, e.subtitles)),
                            Err(reason) => errors.push(Error::Open {
                                input: query.clone(),
                                reason,
                            }),
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        (crate::input::name_jobs(items, out), errors)
    }
}

/// Entries of yt-dlp's `--dump-single-json` output (one video or a
/// playlist / search result).
pub fn parse_info(info: &Value) -> Vec<std::result::Result<Entry, String>> {
    match info.get("entries").and_then(Value::as_array) {
        Some(entries) => entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                if e.is_null() {
                    Err(format!("playlist entry {} is unavailable", i + 1))
                } else {
                    entry(e)
                }
            })
            .collect(),
        None => vec![entry(info)],
    }
}

fn entry(info: &Value) -> std::result::Result<Entry, String> {
    let title = info
        .get("title")
        .or_else(|| info.get("id"))
        .and_then(Value::as_str)
        .unwrap_or("video")
        .to_string();
    let url = info
        .get("url")
        .and_then(Value::as_str)
        .or_else(|| {
            info.pointer("/requested_formats/0/url")
                .and_then(Value::as_str)
        })
        .ok_or_else(|| format!("{title}: yt-dlp gave no media URL"))?
        .to_string();
    let subtitles = info
        .get("requested_subtitles")
        .and_then(Value::as_object)
        .and_then(|subs| {
            let mut all: Vec<&Value> = subs.values().collect();
            // Prefer formats the parser reads.
            all.sort_by_key(|s| match s.get("ext").and_then(Value::as_str) {
                Some("vtt") => 0,
                Some("srt") => 1,
                _ => 2,
            });
            all.into_iter()
                .find_map(|s| s.get("url").and_then(Value::as_str))
                .map(str::to_string)
        });
    Ok(Entry {
        title,
        url,
        subtitles,
    })
}

/// The output folder name for a title: no path separators, no control
/// characters, no leading dots, at most 120 bytes.
pub fn folder_for_title(title: &str) -> String {
    let s = sanitize_component(title);
    let s = s.trim_start_matches('.');
    if s.is_empty() {
        "_".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_error_line_is_yt_dlps_reason() {
        let stderr = "WARNING: falling back\nERROR: [generic] Unable to download webpage: HTTP Error 404: Not Found\n[debug] cleanup\n";
        assert_eq!(
            error_line(stderr),
            Some("ERROR: [generic] Unable to download webpage: HTTP Error 404: Not Found")
        );
        assert_eq!(error_line("just chatter\n"), None);
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn extra_args_split_like_a_shell_and_follow_the_defaults() {
        let y = YtDlp::new("yt-dlp".into(), r#"--cookies "my file.txt" -N 4"#, true).unwrap();
        let a = y.args("ytsearch2:cats");
        let i = a.iter().position(|s| s == "--cookies").unwrap();
        assert_eq!(a[i + 1], "my file.txt");
        assert_eq!(&a[a.len() - 2..], ["--", "ytsearch2:cats"]);
        assert!(a.contains(&"--write-auto-subs".to_string()));
        assert!(YtDlp::new("yt-dlp".into(), "\"open", false).is_err());
    }

    #[test]
    fn single_videos_and_playlists_parse() {
        let one = json!({"title": "A/B", "url": "http://x/v.mp4"});
        let e = parse_info(&one);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].as_ref().unwrap().url, "http://x/v.mp4");
        let list = json!({"entries": [
            {"title": "one", "requested_formats": [{"url": "http://x/1"}],
             "requested_subtitles": {"en": {"ext": "vtt", "url": "http://x/1.vtt"}}},
            null,
            {"title": "no url"}
        ]});
        let e = parse_info(&list);
        assert_eq!(
            e[0].as_ref().unwrap().subtitles.as_deref(),
            Some("http://x/1.vtt")
        );
        assert!(e[1].as_ref().unwrap_err().contains("entry 2"));
        assert!(e[2].as_ref().unwrap_err().contains("no media URL"));
    }

    #[test]
    fn titles_become_safe_folder_names() {
        assert_eq!(folder_for_title("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(folder_for_title(".."), "_");
        assert_eq!(folder_for_title("a\nb"), "a_b");
        assert!(folder_for_title(&"x".repeat(500)).len() <= 120);
    }

    #[test]
    fn a_missing_program_is_a_clear_error() {
        let y = YtDlp::new("/nonexistent/yt-dlp".into(), "", false).unwrap();
        let e = y.entries("http://127.0.0.1:9/x").unwrap_err().to_string();
        assert!(e.contains("yt-dlp not found"), "{e}");
    }
}
