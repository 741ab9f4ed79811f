//! `OUT/report.html`: one self-contained page a person reads to judge a
//! run. Per video: a timeline strip with every candidate's decision and
//! score (hover), scene cuts or seams, the saved frames as thumbnails that
//! open full size; for `select` the diversity table with a reading guide
//! and a 2-D map of the candidates with the picks highlighted; for
//! `segment` the successor-score plot and the segments with their
//! keyframes and clips. A header gives the command line, version, totals,
//! failures with their error lines, and the settings.
//!
//! Images are linked by relative path (the page moves with OUT); the data
//! is inlined (`<script type="application/json" id="framesift-data">`)
//! because `fetch()` fails under `file://`; no network, no CDN — the style
//! and the one small script are inline.

mod html;
mod pca;
mod svg;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::rows::{embeddings_by_pts, read_jsonl, ManifestRow};
use super::run::{video_dir, RunView};
use crate::embed::{CANDIDATES_INDEX, CANDIDATES_NPY, EMBEDDINGS_INDEX, EMBEDDINGS_NPY};
use crate::error::Result;
use crate::output::AtomicFile;
use crate::record::VideoReport;
use crate::segment::{CUTS_JSON, SEGMENTS_JSONL};
use html::{esc, href};
pub use pca::project_2d;

/// The report's file name in OUT.
pub const REPORT_NAME: &str = "report.html";

/// `select`'s diversity table file.
const DIVERSITY_JSON: &str = "diversity.json";
/// `segment`'s successor-score plot.
const SCORES_SVG: &str = "scores.svg";

#[derive(Debug, Deserialize)]
struct Cuts {
    #[serde(default)]
    cuts: Vec<f64>,
}

#[derive(Debug, Deserialize)]
struct Segment {
    index: u64,
    start: f64,
    end: f64,
    #[serde(default)]
    keyframes: Vec<Keyframe>,
    clip: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Keyframe {
    time: f64,
    path: String,
}

#[derive(Debug, Deserialize)]
struct DiversityRow {
    set: String,
    samples: u64,
    mean: f64,
    min: f64,
    p10: f64,
    p90: f64,
    coverage_radius: f64,
}

#[derive(Debug, Deserialize)]
struct Candidate {
    time: f64,
    pts: i64,
}

/// Writes `OUT/report.html` for the run `run` with manifest `rows`;
/// `files` are the other outputs written (linked from the header).
pub fn write_report(
    out: &Path,
    run: &RunView,
    rows: &[ManifestRow],
    command_line: &str,
    files: &[PathBuf],
) -> Result<Vec<PathBuf>> {
    let mut sections = Vec::new();
    let mut data_videos = Vec::new();
    for video in run.videos() {
        let rel = video_dir(out, video).map(|p| p.to_string_lossy().replace('\\', "/"));
        let mine: Vec<&ManifestRow> = match &rel {
            Some(r) => rows.iter().filter(|row| &row.video_dir == r).collect(),
            None => Vec::new(),
        };
        sections.push(video_section(
            out,
            &run.command,
            video,
            rel.as_deref(),
            &mine,
        ));
        data_videos.push(serde_json::json!({
            "input": video.input,
            "dir": rel,
            "ok": video.ok,
            "error": video.error,
            "rows": mine.iter().map(|r| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                if let Some(o) = v.as_object_mut() { o.remove("embedding"); }
                v
            }).collect::<Vec<_>>(),
        }));
    }
    let header = header(out, run, command_line, files);
    let data = serde_json::json!({
        "framesift": run.framesift,
        "command": run.command,
        "command_line": command_line,
        "videos": data_videos,
    });
    let page = html::page(
        &format!("framesift {} report", run.command),
        &header,
        &sections,
        &data.to_string(),
    );
    let path = out.join(REPORT_NAME);
    let mut f = AtomicFile::create(&path)?;
    f.write_all(page.as_bytes()).map_err(|e| f.error(e))?;
    Ok(vec![f.commit()?])
}

fn header(out: &Path, run: &RunView, command_line: &str, files: &[PathBuf]) -> String {
    let videos = run.videos();
    let failed: Vec<&VideoReport> = videos.iter().filter(|v| !v.ok).collect();
    let saved: u64 = videos.iter().map(|v| v.saved).sum();
    let seconds: f64 = videos.iter().map(|v| v.seconds).sum();
    let mut h = String::from("<header>");
    let _ = write!(
        h,
        "<h1>framesift {} report</h1><p><code>{}</code><br><span class=\"muted\">framesift {}</span></p>",
        esc(&run.command),
        esc(command_line),
        esc(&run.framesift)
    );
    let _ = write!(
        h,
        "<p class=\"totals\"><span><b>{}</b> video(s)</span><span><b>{}</b> failed</span>\
         <span><b>{saved}</b> frames saved</span><span><b>{seconds:.1}</b> s of work</span></p>",
        videos.len(),
        failed.len() + run.input_errors.len()
    );
    if !failed.is_empty() || !run.input_errors.is_empty() {
        h.push_str("<h3>Failures</h3><ul>");
        for v in &failed {
            let _ = write!(
                h,
                "<li class=\"error\">{}</li>",
                esc(v.error.as_deref().unwrap_or(&v.input))
            );
        }
        for e in &run.input_errors {
            let _ = write!(h, "<li class=\"error\">{}</li>", esc(e));
        }
        h.push_str("</ul>");
    }
    let linked: Vec<String> = files
        .iter()
        .filter_map(|f| f.strip_prefix(out).ok())
        .filter(|f| f.components().count() == 1 || f.extension().is_some_and(|e| e == "tar"))
        .map(|f| {
            let s = f.to_string_lossy().replace('\\', "/");
            format!("<a href=\"{}\">{}</a>", href(&s), esc(&s))
        })
        .collect();
    if !linked.is_empty() {
        let _ = write!(h, "<p>Outputs: {}</p>", linked.join(" · "));
    }
    // `select --global`: one table for the whole run, in OUT.
    if run.command == "select" {
        h.push_str(&diversity_part(out));
    }
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let _ = writeln!(
        h,
        "<details><summary>Settings</summary><pre>{}</pre><pre>{}</pre></details></header>",
        esc(&pretty(&run.settings)),
        esc(&pretty(&run.workflow_settings))
    );
    h
}

/// A frame's tooltip: time, decision, reason, score.
fn title_of(r: &ManifestRow) -> String {
    let mut t = format!("{:.3} s · {}", r.time, r.decision);
    if let Some(reason) = &r.reason {
        let _ = write!(t, " ({reason})");
    }
    if let Some(s) = r.score {
        let _ = write!(t, " · score {s:.3}");
    }
    if let Some(s) = r.scene {
        let _ = write!(t, " · scene {s}");
    }
    t
}

fn legend(counts: &BTreeMap<String, usize>, cuts: usize) -> String {
    let mut s = String::from("<div class=\"legend\">");
    for (class, n) in counts {
        let _ = write!(
            s,
            "<label><input type=\"checkbox\" checked data-class=\"{0}\"> \
             <span class=\"swatch mark {0}\" style=\"background: var(--{1})\"></span>{0} {n}</label>",
            esc(class),
            match class.as_str() {
                "saved" | "duplicate" | "gated" | "expired" | "keyframe" => class.as_str(),
                "candidate" => "duplicate",
                _ => "other",
            }
        );
    }
    if cuts > 0 {
        let _ = write!(
            s,
            "<label><input type=\"checkbox\" checked data-class=\"cut\"> \
             <span class=\"swatch\" style=\"background: var(--cut)\"></span>cuts {cuts}</label>"
        );
    }
    s.push_str("</div>");
    s
}

fn thumbs(frames: &[&ManifestRow]) -> String {
    let mut s = String::from("<div class=\"thumbs\">");
    for r in frames {
        let Some(p) = &r.path else { continue };
        let caption = match r.scene {
            Some(sc) => format!("{:.3} s · scene {sc}", r.time),
            None => format!("{:.3} s", r.time),
        };
        let _ = write!(
            s,
            "<figure><a href=\"{0}\"><img src=\"{0}\" loading=\"lazy\" alt=\"{1}\"></a>\
             <figcaption>{1}</figcaption></figure>",
            href(p),
            esc(&caption)
        );
    }
    s.push_str("</div>");
    s
}

fn video_section(
    out: &Path,
    command: &str,
    video: &VideoReport,
    rel: Option<&str>,
    rows: &[&ManifestRow],
) -> String {
    let mut s = String::from("<section>");
    let _ = write!(s, "<h2>{}</h2>", esc(&video.input));
    if let Some(info) = &video.video {
        let _ = write!(
            s,
            "<p class=\"muted\">{} {}×{} · {:.2} fps · {} · {} decoded, {} candidates, {} saved in {:.2} s</p>",
            esc(&info.codec),
            info.width,
            info.height,
            info.avg_fps,
            info.duration_s
                .map(svg::format_seconds)
                .unwrap_or_else(|| "unknown length".into()),
            video.counts.decoded.max(video.decoded),
            video.counts.candidates,
            video.saved,
            video.seconds
        );
    }
    if let Some(e) = &video.error {
        let _ = write!(s, "<p class=\"error\">{}</p>", esc(e));
    }
    let Some(rel) = rel else {
        s.push_str("</section>\n");
        return s;
    };
    let dir = out.join(rel);
    let in_out = |p: &str| format!("{rel}/{p}");
    // Marks: every manifest row; for select, every candidate too.
    let mut marks: Vec<svg::Mark> = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let chosen_pts: HashSet<i64> = rows.iter().filter_map(|r| r.pts).collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    let index = [CANDIDATES_INDEX, EMBEDDINGS_INDEX]
        .into_iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file());
    if let (true, Some(index)) = (command == "select", index) {
        candidates = read_jsonl(&index).unwrap_or_default();
        for c in candidates.iter().filter(|c| !chosen_pts.contains(&c.pts)) {
            marks.push(svg::Mark {
                time: c.time,
                class: "candidate".into(),
                title: format!("{:.3} s · candidate, not chosen", c.time),
            });
            *counts.entry("candidate".into()).or_default() += 1;
        }
    }
    for r in rows {
        marks.push(svg::Mark {
            time: r.time,
            class: r.decision.clone(),
            title: title_of(r),
        });
        *counts.entry(r.decision.clone()).or_default() += 1;
    }
    let cuts: Vec<f64> = if command == "segment" {
        std::fs::read_to_string(dir.join(CUTS_JSON))
            .ok()
            .and_then(|t| serde_json::from_str::<Cuts>(&t).ok())
            .map(|c| c.cuts)
            .unwrap_or_default()
    } else {
        // Scene mode: where each shot starts.
        let mut starts: Vec<f64> = rows
            .iter()
            .filter_map(|r| r.span_start)
            .filter(|t| *t > 0.0)
            .collect();
        starts.sort_by(f64::total_cmp);
        starts.dedup();
        starts
    };
    let duration = video
        .video
        .as_ref()
        .and_then(|v| v.duration_s)
        .unwrap_or_else(|| marks.iter().map(|m| m.time).fold(0.0, f64::max));
    s.push_str(&legend(&counts, cuts.len()));
    s.push_str(&svg::timeline(duration, &marks, &cuts));
    let skipped = video
        .counts
        .in_window
        .saturating_sub(video.counts.candidates);
    if skipped > 0 && command != "segment" {
        let _ = write!(
            s,
            "<p class=\"muted\">{skipped} decoded frame(s) between candidates were not offered \
             (minimum interval or candidate rate).</p>"
        );
    }
    if command == "select" {
        s.push_str(&select_part(&dir, rows, &candidates, &chosen_pts));
    }
    if command == "segment" {
        s.push_str(&segment_part(&dir, &in_out));
    } else {
        let saved: Vec<&ManifestRow> = rows.iter().copied().filter(|r| r.path.is_some()).collect();
        let _ = write!(s, "<h3>Saved frames ({})</h3>", saved.len());
        s.push_str(&thumbs(&saved));
    }
    let mut sheets: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.starts_with("sheet") && n.ends_with(".jpg"))
                .collect()
        })
        .unwrap_or_default();
    sheets.sort();
    for name in sheets {
        let p = in_out(&name);
        let _ = write!(
            s,
            "<h3>Contact sheet</h3><a href=\"{0}\"><img class=\"sheet\" src=\"{0}\" alt=\"contact sheet\"></a>",
            href(&p)
        );
    }
    s.push_str("</section>\n");
    s
}

const DIVERSITY_GUIDE: &str = "Pairwise L2 distances between the frames' embeddings: higher \
    mean, min and p10 mean more varied frames (min near 0 means near-repeats); coverage radius \
    is how far the farthest candidate lies from its nearest chosen frame, lower is better. \
    Compare the chosen set with the uniform and random baselines of the same size.";

/// The diversity table in `dir` (a video's, or OUT's for `--global`)
/// with its reading guide; empty when there is none.
fn diversity_part(dir: &Path) -> String {
    let mut s = String::new();
    let Some(table) = std::fs::read_to_string(dir.join(DIVERSITY_JSON))
        .ok()
        .and_then(|t| serde_json::from_str::<Vec<DiversityRow>>(&t).ok())
    else {
        return s;
    };
    let _ = write!(
        s,
        "<h3>Diversity</h3><p class=\"muted\">{DIVERSITY_GUIDE}</p><table><tr><th>set</th>\
         <th class=\"num\">frames</th><th class=\"num\">mean</th><th class=\"num\">min</th>\
         <th class=\"num\">p10</th><th class=\"num\">p90</th><th class=\"num\">coverage radius</th></tr>"
    );
    for r in table {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td>\
             <td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td></tr>",
            esc(&r.set),
            r.samples,
            r.mean,
            r.min,
            r.p10,
            r.p90,
            r.coverage_radius
        );
    }
    s.push_str("</table>");
    s
}

fn select_part(
    dir: &Path,
    rows: &[&ManifestRow],
    candidates: &[Candidate],
    chosen: &HashSet<i64>,
) -> String {
    let mut s = diversity_part(dir);
    let vectors = embeddings_by_pts(dir, (CANDIDATES_NPY, CANDIDATES_INDEX))
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| embeddings_by_pts(dir, (EMBEDDINGS_NPY, EMBEDDINGS_INDEX)).ok())
        .unwrap_or_default();
    let with: Vec<(&Candidate, &Vec<f32>)> = candidates
        .iter()
        .filter_map(|c| vectors.get(&c.pts).map(|v| (c, v)))
        .collect();
    if with.len() >= 2 {
        let xy = project_2d(&with.iter().map(|(_, v)| (*v).clone()).collect::<Vec<_>>());
        let points: Vec<svg::Point> = with
            .iter()
            .zip(xy)
            .map(|((c, _), xy)| svg::Point {
                xy,
                chosen: chosen.contains(&c.pts),
                title: format!(
                    "{:.3} s{}",
                    c.time,
                    if chosen.contains(&c.pts) {
                        " · chosen"
                    } else {
                        ""
                    }
                ),
            })
            .collect();
        let _ = write!(
            s,
            "<h3>Candidates on their first two principal components</h3>\
             <p class=\"muted\">{} candidates (grey), {} chosen (red); nearby points look alike.</p>{}",
            points.len(),
            rows.len(),
            svg::scatter(&points)
        );
    }
    s
}

fn segment_part(dir: &Path, in_out: &dyn Fn(&str) -> String) -> String {
    let mut s = String::new();
    if dir.join(SCORES_SVG).is_file() {
        let _ = write!(
            s,
            "<h3>Successor scores, threshold and seams</h3><img class=\"plot\" src=\"{}\" alt=\"successor scores\">",
            href(&in_out(SCORES_SVG))
        );
    }
    let segments: Vec<Segment> = read_jsonl(&dir.join(SEGMENTS_JSONL)).unwrap_or_default();
    if segments.is_empty() {
        return s;
    }
    let _ = write!(
        s,
        "<h3>Segments ({})</h3><table class=\"seg\"><tr><th class=\"num\">#</th><th>time</th><th>keyframes</th><th>clip</th></tr>",
        segments.len()
    );
    for seg in &segments {
        let mut kf = String::new();
        for k in &seg.keyframes {
            let p = in_out(&k.path);
            let _ = write!(
                kf,
                "<a href=\"{0}\"><img src=\"{0}\" loading=\"lazy\" alt=\"{1:.3} s\" title=\"{1:.3} s\"></a>",
                href(&p),
                k.time
            );
        }
        let clip = seg
            .clip
            .as_deref()
            .map(|c| format!("<a href=\"{}\">{}</a>", href(&in_out(c)), esc(c)))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<tr><td class=\"num\">{}</td><td>{:.2}–{:.2} s</td><td>{kf}</td><td>{clip}</td></tr>",
            seg.index, seg.start, seg.end
        );
    }
    s.push_str("</table>");
    s
}
