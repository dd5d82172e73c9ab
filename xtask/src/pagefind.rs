//! Pagefind 1.6 beside the benchmark portal (issue 18): the corpus rendered as one page per
//! law, indexed by Pagefind's own CLI (from npm, the version the issue measures), and a bare
//! page that searches it through Pagefind's JavaScript API, so `browser-bench` can time it
//! against our widget on the same site and network.

use anyhow::Context;
use std::path::Path;
use std::process::Command;

use crate::tools;

/// The version side-by-side figures are measured against.
const PAGEFIND_VERSION: &str = "1.6.0";

/// Writes `dist/pagefind/` (Pagefind's index of `corpus`) and `dist/pagefind-bench.html`.
pub fn prepare(corpus: &Path, dist: &Path, work: &Path) -> anyhow::Result<()> {
    let installed =
        std::fs::read_to_string(tools::npm_tools().join("node_modules/pagefind/package.json"))
            .is_ok_and(|package| package.contains(&format!("\"version\": \"{PAGEFIND_VERSION}\"")));
    if !installed {
        tools::npm_install(&format!("pagefind@{PAGEFIND_VERSION}"))?;
    }
    let site = work.join("pagefind-site");
    let _ = std::fs::remove_dir_all(&site);
    let laws = site.join("laws");
    std::fs::create_dir_all(&laws).with_context(|| laws.display().to_string())?;
    let text = std::fs::read_to_string(corpus).with_context(|| corpus.display().to_string())?;
    for (line, record) in text.lines().enumerate() {
        let law: serde_json::Value = serde_json::from_str(record)
            .with_context(|| format!("{}:{}", corpus.display(), line + 1))?;
        let (Some(id), Some(title)) = (law["id"].as_str(), law["title"].as_str()) else {
            continue;
        };
        let paragraphs: String = law["body"]
            .as_str()
            .unwrap_or_default()
            .split("\n\n")
            .map(|paragraph| format!("<p>{}</p>\n", escape(paragraph)))
            .collect();
        let page = format!(
            "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
             <body><main data-pagefind-body><h1>{title}</h1>\n{paragraphs}</main></body></html>\n",
            title = escape(title),
        );
        let path = laws.join(format!("{id}.html"));
        std::fs::write(&path, page).with_context(|| path.display().to_string())?;
    }
    let output = dist.join("pagefind");
    let _ = std::fs::remove_dir_all(&output);
    crate::run(
        Command::new(tools::npm_tools().join("node_modules/.bin/pagefind"))
            .arg("--site")
            .arg(&site)
            .arg("--output-path")
            .arg(&output),
    )?;
    let bench = dist.join("pagefind-bench.html");
    std::fs::write(&bench, BENCH_PAGE).with_context(|| bench.display().to_string())
}

/// Pagefind searched through its API, as its own UI does: the query from `?q=`, the top
/// 10 results' data loaded and shown with the law's id (from its page's name), then
/// `window.__done` set to the moment they are on screen; `window.benchSearch(q)` answers
/// a later query and resolves to its milliseconds.
const BENCH_PAGE: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><main><ol id="results"></ol></main>
<script type="module">
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
const list = document.getElementById("results");
window.benchSearch = async (query) => {
  const started = performance.now();
  const search = await pagefind.search(query);
  const top = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  list.replaceChildren(...top.map((data) => {
    const item = document.createElement("li");
    item.dataset.docId = data.url.split("/").pop().replace(/\.html$/, "");
    item.textContent = data.meta.title || data.url;
    return item;
  }));
  return performance.now() - started;
};
const query = new URLSearchParams(location.search).get("q");
if (query) { await window.benchSearch(query); window.__done = performance.now(); }
</script></body></html>
"#;

/// Text as HTML text: the corpus holds `<`, `&` and quotes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
