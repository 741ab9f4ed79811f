//! The report page's frame: escaping, the style sheet, the script, and the
//! page around the sections.

/// `s` escaped for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A relative file path as a URL (percent-encoded, `/` kept), escaped for
/// an attribute.
pub fn href(path: &str) -> String {
    esc(&crate::export::label_studio::encode_path(path))
}

/// JSON made safe inside a `<script>` element (no `</` can close it).
pub fn script_json(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "<\\!--")
}

const STYLE: &str = r#"
:root { color-scheme: light dark; --bg: #fafafa; --fg: #1d1d1f; --muted: #6e6e73; --panel: #fff; --line: #d2d2d7;
  --saved: #1a9850; --duplicate: #9e9e9e; --gated: #d73027; --expired: #f58d2c; --keyframe: #2166ac; --other: #7b3294; --cut: #e6ab02; }
@media (prefers-color-scheme: dark) { :root { --bg: #161618; --fg: #f2f2f7; --muted: #a1a1a6; --panel: #1f1f22; --line: #3a3a3c; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 0 0 6px; } h3 { font-size: 15px; margin: 16px 0 6px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { white-space: pre-wrap; word-break: break-all; background: var(--panel); padding: 8px; border: 1px solid var(--line); border-radius: 6px; }
section, header { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px; margin: 0 0 18px; }
.muted { color: var(--muted); } .error { color: var(--gated); }
.totals span { display: inline-block; margin-right: 18px; } .totals b { font-size: 18px; }
svg.timeline { width: 100%; height: 70px; display: block; }
svg .track { fill: none; stroke: var(--line); } svg .tick { font-size: 11px; fill: var(--muted); }
svg .cut { stroke: var(--cut); stroke-width: 2; stroke-dasharray: 4 2; }
.mark.saved { fill: var(--saved); } .mark.duplicate { fill: var(--duplicate); } .mark.gated, .mark.write_failed { fill: var(--gated); }
.mark.expired { fill: var(--expired); } .mark.keyframe { fill: var(--keyframe); } .mark.candidate { fill: var(--duplicate); }
.legend { margin: 4px 0 10px; } .legend label { margin-right: 14px; cursor: pointer; user-select: none; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.hide-duplicate .mark.duplicate, .hide-gated .mark.gated, .hide-expired .mark.expired, .hide-saved .mark.saved,
.hide-keyframe .mark.keyframe, .hide-candidate .mark.candidate, .hide-cut .cut { display: none; }
.thumbs { display: flex; flex-wrap: wrap; gap: 8px; }
figure { margin: 0; width: 176px; } figure img { width: 176px; height: 99px; object-fit: cover; border-radius: 4px; display: block; background: #000; }
figcaption { font-size: 12px; color: var(--muted); }
table { border-collapse: collapse; margin: 6px 0; } td, th { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.seg img { width: 128px; height: 72px; object-fit: cover; border-radius: 3px; margin-right: 4px; }
svg.map { width: 400px; max-width: 100%; height: auto; } .map .cand { fill: var(--duplicate); opacity: .6; } .map .pick { fill: var(--gated); stroke: var(--panel); }
img.plot { width: 100%; background: #fff; border-radius: 6px; }
img.sheet { max-width: 100%; border-radius: 6px; }
"#;

/// Toggles a decision's marks when its legend entry is clicked.
const SCRIPT: &str = r#"
document.querySelectorAll('.legend input[data-class]').forEach(function (box) {
  box.addEventListener('change', function () {
    var section = box.closest('section');
    if (section) { section.classList.toggle('hide-' + box.getAttribute('data-class'), !box.checked); }
  });
});
"#;

/// The whole page: `title`, the header's HTML, the sections, and the run's
/// data as JSON (`#framesift-data`).
pub fn page(title: &str, header: &str, sections: &[String], data_json: &str) -> String {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(title)
    ));
    s.push_str(header);
    for section in sections {
        s.push_str(section);
    }
    s.push_str("<script type=\"application/json\" id=\"framesift-data\">");
    s.push_str(&script_json(data_json));
    s.push_str("</script>\n<script>");
    s.push_str(SCRIPT);
    s.push_str("</script>\n</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_paths_and_json_are_made_safe() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(href("my clip#1.mp4/1.0.jpg"), "my%20clip%231.mp4/1.0.jpg");
        assert_eq!(script_json(r#"{"a":"</script>"}"#), r#"{"a":"<\/script>"}"#);
    }
}
