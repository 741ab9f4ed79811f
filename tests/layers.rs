//! The library's layering, read from its source: each top-level module of
//! `src/` says in its doc comment which modules it may use
//! (`//! May depend on: a, b.`), its `crate::` paths stay within that list,
//! and the declared graph has no cycle. FFmpeg stays inside the media layer.
//!
//! This reads files, not the compiler's view, so it counts every
//! `crate::x` path in code (tests included) and every name in a grouped
//! `use crate::{x, y::z}`; comments and doc links are ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Modules of the binary, not the library: they may use anything.
const BINARY: &[&str] = &["main", "cli"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// `text` without `//` comments (doc comments included) and string
/// literals, so neither counts as a use.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_str && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' && prev != '\'' {
                in_str = !in_str;
            } else if !in_str {
                kept.push(c);
            }
            prev = c;
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// The top-level modules `code` names through `crate::`.
fn uses(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let path = regex::Regex::new(r"crate::([a-z_][a-z0-9_]*)\b").unwrap();
    for c in path.captures_iter(code) {
        found.insert(c[1].to_string());
    }
    // use crate::{a, b::c, d::{e, f}};
    let group = regex::Regex::new(r"crate::\{").unwrap();
    for m in group.find_iter(code) {
        let rest = &code[m.end()..];
        let (mut depth, mut item) = (1, String::new());
        let mut items = Vec::new();
        for ch in rest.chars() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ',' if depth == 1 => {
                    items.push(std::mem::take(&mut item));
                    continue;
                }
                _ => {}
            }
            if depth >= 1 {
                item.push(ch);
            }
        }
        items.push(item);
        for it in items {
            let name: String = it
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // Lower-case names are modules; `Error`, `Result` are the root's.
            if name.starts_with(|c: char| c.is_ascii_lowercase()) {
                found.insert(name);
            }
        }
    }
    found
}

/// The modules listed after `May depend on:` in `doc`, or `None` without
/// such a line. `nothing` lists none.
fn declared(doc: &str) -> Option<BTreeSet<String>> {
    let mut text = String::new();
    let mut on = false;
    for line in doc.lines() {
        let Some(l) = line.trim_start().strip_prefix("//!") else {
            if on {
                break;
            }
            continue;
        };
        let l = l.trim();
        if let Some(rest) = l.strip_prefix("May depend on:") {
            on = true;
            text.push_str(rest);
        } else if on {
            if l.is_empty() {
                break;
            }
            text.push(' ');
            text.push_str(l);
        }
        if on && text.trim_end().ends_with('.') {
            break;
        }
    }
    if !on {
        return None;
    }
    let list = text.trim().trim_end_matches('.').trim();
    if list == "nothing" {
        return Some(BTreeSet::new());
    }
    Some(
        list.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

struct Source {
    src: PathBuf,
    files: Vec<PathBuf>,
}

fn source() -> Source {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    Source { src, files }
}

/// Each library module's root file: `src/m.rs` or `src/m/mod.rs`.
fn roots(s: &Source) -> BTreeMap<String, PathBuf> {
    let mut roots = BTreeMap::new();
    for f in &s.files {
        let m = module_of(&s.src, f);
        if BINARY.contains(&m.as_str()) || m == "lib" {
            continue;
        }
        let rel = f.strip_prefix(&s.src).unwrap();
        if rel == Path::new(&format!("{m}.rs")) || rel == Path::new(&m).join("mod.rs") {
            roots.insert(m, f.clone());
        }
    }
    roots
}

#[test]
fn every_module_uses_only_what_its_doc_allows_and_there_is_no_cycle() {
    let s = source();
    let roots = roots(&s);
    let mut allowed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (m, root) in &roots {
        let doc = fs::read_to_string(root).unwrap();
        match declared(&doc) {
            Some(list) => {
                for d in &list {
                    if !roots.contains_key(d) {
                        problems.push(format!("{m}: declares '{d}', which is no module"));
                    }
                }
                allowed.insert(m.clone(), list);
            }
            None => problems.push(format!(
                "{}: no '//! May depend on: …' line in its doc comment",
                root.display()
            )),
        }
    }
    for f in &s.files {
        let m = module_of(&s.src, f);
        let Some(list) = allowed.get(&m) else {
            continue;
        };
        let code = code_only(&fs::read_to_string(f).unwrap());
        for used in uses(&code) {
            if used != m && !list.contains(&used) {
                problems.push(format!(
                    "{}: uses crate::{used}, which module '{m}' does not declare",
                    f.strip_prefix(&s.src).unwrap().display()
                ));
            }
        }
    }
    // The declared graph must be acyclic: peel off modules whose
    // dependencies are all peeled.
    let mut left: BTreeSet<String> = allowed.keys().cloned().collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    loop {
        let ready: Vec<String> = left
            .iter()
            .filter(|m| {
                allowed[*m]
                    .iter()
                    .all(|d| done.contains(d) || !allowed.contains_key(d))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            break;
        }
        for r in ready {
            left.remove(&r);
            done.insert(r);
        }
    }
    if !left.is_empty() {
        problems.push(format!(
            "the declared dependencies have a cycle among: {left:?}"
        ));
    }
    assert!(problems.is_empty(), "layering:\n{}", problems.join("\n"));
}

#[test]
fn ffmpeg_is_named_only_inside_the_media_layer() {
    let s = source();
    let media = s.src.join("media");
    let mut problems = Vec::new();
    for f in &s.files {
        let code = code_only(&fs::read_to_string(f).unwrap());
        let rel = f.strip_prefix(&s.src).unwrap().display().to_string();
        let in_media = f.starts_with(&media);
        if !in_media && (code.contains("ffmpeg_next") || code.contains("ffmpeg_sys")) {
            problems.push(format!("{rel}: names FFmpeg outside src/media/"));
        }
        if code.contains("pub use ffmpeg") {
            problems.push(format!("{rel}: re-exports FFmpeg"));
        }
        if in_media
            && !rel.ends_with("ffi.rs")
            && (code.contains("ffi::av") || code.contains("ff::ffi"))
        {
            problems.push(format!("{rel}: a raw FFmpeg call outside media/ffi.rs"));
        }
        if in_media && code.contains("unsafe {") && !rel.ends_with("ffi.rs") {
            problems.push(format!("{rel}: an unsafe block outside media/ffi.rs"));
        }
    }
    // The media layer's public API: its re-exports name framesift types only.
    let api = code_only(&fs::read_to_string(media.join("mod.rs")).unwrap());
    if api.contains("ff::") {
        problems.push("media/mod.rs: a public item names an FFmpeg type".into());
    }
    assert!(
        problems.is_empty(),
        "FFmpeg outside its layer:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_reader_sees_grouped_and_inline_uses_and_skips_comments() {
    let code = code_only(
        "use crate::{a, b::C, d::{e, F}, Error};\nlet x = crate::g::h();\n// crate::z\nlet s = \"crate::y\";\n",
    );
    let found: Vec<String> = uses(&code).into_iter().collect();
    assert_eq!(found, ["a", "b", "d", "g"]);
    let doc = "//! Text.\n//!\n//! May depend on: error, frame,\n//! media.\n\nmod x;\n";
    let list: Vec<String> = declared(doc).unwrap().into_iter().collect();
    assert_eq!(list, ["error", "frame", "media"]);
    assert_eq!(declared("//! May depend on: nothing.\n").unwrap().len(), 0);
    assert!(declared("//! No such line.\n").is_none());
}
