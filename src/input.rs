//! Turning command-line inputs into jobs: files, folders (searched
//! recursively for videos) and URLs, each with its own output folder.
//!
//! May depend on: error, media, output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::media::is_url;
use crate::output::sanitize_component;

/// File extensions treated as videos when searching folders.
pub const VIDEO_EXTENSIONS: &[&str] = &[
    "mp4", "m4v", "mov", "mkv", "webm", "avi", "ts", "mts", "m2ts", "flv", "wmv", "mpg", "mpeg",
    "3gp", "ogv", "mxf", "vob", "y4m",
];

/// What a job reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JobKind {
    /// A video file or URL, decoded with FFmpeg.
    #[default]
    Video,
    /// A folder of images (video-sampler's image sampler).
    Images,
}

/// One video (or image folder) to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Path or URL, as FFmpeg opens it, or the image folder.
    pub input: String,
    /// Video or image folder.
    pub kind: JobKind,
    /// Folder for this video's frames and manifest.
    pub output_dir: PathBuf,
    /// The video's file stem (for `include_filename`).
    pub stem: String,
    /// Subtitles that came with the input (a yt-dlp entry's subtitle URL),
    /// for keyword capture.
    pub subtitles: Option<String>,
}

fn is_video_path(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| VIDEO_EXTENSIONS.iter().any(|v| v.eq_ignore_ascii_case(e)))
}

/// Expands `inputs` into jobs writing under `out`. A folder contributes
/// every video below it (sorted); a file or URL is taken as given, so a
/// missing or bad file becomes a job that fails with a clear error. Two
/// inputs with the same file name get folders `name`, `name-2`, ….
/// Folders without videos are returned as errors.
pub fn plan_jobs(inputs: &[String], out: &Path) -> (Vec<Job>, Vec<Error>) {
    let mut found: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if !is_url(input) && path.is_dir() {
            let mut videos: Vec<String> = walkdir::WalkDir::new(path)
                .follow_links(true)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file() && is_video_path(e.path()))
                .map(|e| e.path().to_string_lossy().into_owned())
                .collect();
            videos.sort();
            if videos.is_empty() {
                errors.push(Error::Open {
                    input: input.clone(),
                    reason: format!(
                        "folder holds no video files ({})",
                        VIDEO_EXTENSIONS.join(", ")
                    ),
                });
            }
            found.extend(videos);
        } else {
            found.push(input.clone());
        }
    }
    let named = found
        .into_iter()
        .map(|input| (folder_name(&input), input, None))
        .collect();
    (name_jobs(named, out), errors)
}

/// Jobs for `(folder name, input, subtitles)` items, writing under `out`;
/// a name already taken gets `-2`, `-3`, ….
pub fn name_jobs(items: Vec<(String, String, Option<String>)>, out: &Path) -> Vec<Job> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    items
        .into_iter()
        .map(|(name, input, subtitles)| {
            let n = seen.entry(name.clone()).or_insert(0);
            *n += 1;
            let dir_name = if *n == 1 { name } else { format!("{name}-{n}") };
            Job {
                output_dir: out.join(&dir_name),
                stem: stem_of(&dir_name),
                input,
                kind: JobKind::Video,
                subtitles,
            }
        })
        .collect()
}

/// The job of one video `input` writing under `out`, named as the command
/// line names it (`OUT/<file name>/`, frames named by its stem).
pub fn video_job(input: &str, out: &Path) -> Job {
    let name = folder_name(input);
    Job {
        output_dir: out.join(&name),
        stem: stem_of(&name),
        input: input.to_string(),
        kind: JobKind::Video,
        subtitles: None,
    }
}

/// A video folder's name without its extension (how frames are prefixed).
fn stem_of(dir_name: &str) -> String {
    Path::new(dir_name).file_stem().map_or_else(
        || dir_name.to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// One image-folder job per input folder, writing under `out`.
pub fn plan_image_jobs(inputs: &[String], out: &Path) -> Vec<Job> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    inputs
        .iter()
        .map(|input| {
            let name = folder_name(input.trim_end_matches('/'));
            let n = seen.entry(name.clone()).or_insert(0);
            *n += 1;
            let dir_name = if *n == 1 { name } else { format!("{name}-{n}") };
            Job {
                input: input.clone(),
                kind: JobKind::Images,
                output_dir: out.join(&dir_name),
                stem: dir_name,
                subtitles: None,
            }
        })
        .collect()
}

/// The output folder name for an input: its file name (video-sampler's
/// layout), or for a URL the last path segment.
pub fn folder_name(input: &str) -> String {
    let base = if is_url(input) {
        let no_query = input.split(['?', '#']).next().unwrap_or(input);
        no_query
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("stream")
            .to_string()
    } else {
        Path::new(input)
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| input.to_string())
    };
    sanitize_component(&base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_searched_recursively_and_names_made_unique() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        for f in ["a/x.mp4", "a/b/x.mp4", "a/notes.txt", "a/b/y.MKV"] {
            std::fs::write(dir.path().join(f), b"").unwrap();
        }
        let (jobs, errors) = plan_jobs(
            &[dir.path().join("a").to_string_lossy().into_owned()],
            Path::new("/out"),
        );
        assert!(errors.is_empty());
        let names: Vec<_> = jobs.iter().map(|j| j.output_dir.clone()).collect();
        assert_eq!(
            names,
            vec![
                PathBuf::from("/out/x.mp4"),
                PathBuf::from("/out/y.MKV"),
                PathBuf::from("/out/x.mp4-2")
            ]
        );
        assert_eq!(jobs[2].stem, "x");
    }

    #[test]
    fn empty_folder_is_an_error_and_missing_file_a_job() {
        let dir = tempfile::tempdir().unwrap();
        let (jobs, errors) = plan_jobs(
            &[
                dir.path().to_string_lossy().into_owned(),
                "/no/such/file.mp4".into(),
            ],
            Path::new("/out"),
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("no video files"));
        assert_eq!(jobs.len(), 1);
    }

    #[test]
    fn url_folder_names() {
        assert_eq!(
            folder_name("http://127.0.0.1:8000/v/cat.mp4?x=1"),
            "cat.mp4"
        );
        assert_eq!(folder_name("https://host/"), "host");
    }
}
