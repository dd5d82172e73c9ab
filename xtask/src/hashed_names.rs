//! Content-hashed names for the portal's code, so that a second visit does not ask for it
//! again (issue 18).
//!
//! trunk writes stable names (`search_ui.js`, `worker_bg.wasm`: pages it does not process
//! and embedding sites load them by name), which the server must send as `no-cache`: a
//! browser asks for each again on every visit, and on a phone's link the chain page →
//! module → worker loader → worker script → engine Wasm cost five round trips before the
//! first search, with nothing changed. Here each code file of the build also gets a name
//! carrying its content hash, `worker_bg.<16 hex digits of its SHA-256>.wasm` (a hard
//! link, with its `.br` and `.gz` copies), and each reference a built page or loader makes
//! to it by name (`"search_ui.js"`, `"./worker_bg.wasm"`, `"/theme.css"`) names that file.
//! Hosts let browsers keep such names for good (`disclosure-server` does, as for
//! `search.<hash>.pack`): a new build changes the name, never what a name holds, and a
//! page newer than the code uploaded gets a 404, asked again, never old code kept under a
//! new name.
//!
//! Only the files that refer to others by a literal name are rewritten: the pages (`*.html`,
//! in place) and the small loaders trunk and the project write (`worker_loader.js`,
//! `boot.js`), whose hashed copies hold the rewritten text (the stable loader keeps the
//! stable names, for embedding sites). The wasm-bindgen modules are linked as they are:
//! the pages hold their Subresource Integrity hashes. `nx-widgets.js`, which an embedding
//! site loads by a name of its own choosing and which builds its addresses at run time,
//! stays on stable, revalidated names throughout.

use anyhow::Context;
use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::precompress::{brotli_best, gzip_best};

/// The loaders whose hashed copies are rewritten before the pages (a page may name them).
const LOADERS: [&str; 2] = ["worker_loader.js", "boot.js"];

/// The extensions of the code files that get hashed names.
const CODE: [&str; 3] = ["js", "wasm", "css"];

/// `name` (`worker_bg.wasm`) with the content hash of `data` before its extension
/// (`worker_bg.0123456789abcdef.wasm`): the first 16 hex digits of its SHA-256.
fn hashed_name(name: &str, data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    let hex: String = digest
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{hex}.{extension}"),
        None => format!("{name}.{hex}"),
    }
}

/// Whether `name` already carries a content hash before its extension.
fn is_hashed(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (_, hash) = (parts.next(), parts.next());
    hash.is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `text` with every quoted reference to a file of `names` (`"name"`, `"./name"`,
/// `"/name"`, in double or single quotes) naming its hashed file instead.
fn rewrite(text: &str, names: &BTreeMap<String, String>) -> String {
    let mut text = text.to_string();
    for (name, hashed) in names {
        for quote in ['"', '\''] {
            for prefix in ["", "./", "/"] {
                let from = format!("{quote}{prefix}{name}{quote}");
                let to = format!("{quote}{prefix}{hashed}{quote}");
                text = text.replace(&from, &to);
            }
        }
    }
    text
}

/// Links `from` to `to` (a copy where links are not possible), replacing `to`.
fn link(from: &Path, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        std::fs::remove_file(to).with_context(|| to.display().to_string())?;
    }
    std::fs::hard_link(from, to)
        .or_else(|_| std::fs::copy(from, to).map(drop))
        .with_context(|| format!("{} -> {}", from.display(), to.display()))
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
    String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8", path.display()))
}

fn write(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, data).with_context(|| path.display().to_string())
}

/// Gives every code file in `dist` (its top folder, after its compressed copies are
/// written) a content-hashed name beside its own, and makes the pages and loaders there
/// name those.
///
/// Errors: a file that cannot be read (or is not UTF-8, for a page or loader), linked or
/// written, with its path.
pub fn hash_code_names(dist: &Path) -> anyhow::Result<()> {
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dist).with_context(|| dist.display().to_string())? {
        let entry = entry.with_context(|| dist.display().to_string())?;
        if entry.file_type().is_ok_and(|kind| kind.is_file()) {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    let code = |name: &String| {
        let extension = name.rsplit_once('.').map(|(_, extension)| extension);
        extension.is_some_and(|extension| CODE.contains(&extension)) && !is_hashed(name)
    };
    let mut hashed: BTreeMap<String, String> = BTreeMap::new();
    for name in names.iter().filter(|name| code(name)) {
        if LOADERS.contains(&name.as_str()) {
            continue;
        }
        let path = dist.join(name);
        let data = std::fs::read(&path).with_context(|| path.display().to_string())?;
        let new_name = hashed_name(name, &data);
        link(&path, &dist.join(&new_name))?;
        for suffix in ["br", "gz"] {
            let copy = dist.join(format!("{name}.{suffix}"));
            if copy.exists() {
                link(&copy, &dist.join(format!("{new_name}.{suffix}")))?;
            }
        }
        hashed.insert(name.clone(), new_name);
    }
    for loader in LOADERS {
        let path = dist.join(loader);
        if !path.exists() {
            continue;
        }
        let text = rewrite(&read_text(&path)?, &hashed);
        let new_name = hashed_name(loader, text.as_bytes());
        let new_path = dist.join(&new_name);
        write(&new_path, text.as_bytes())?;
        write(
            &dist.join(format!("{new_name}.br")),
            &brotli_best(text.as_bytes())?,
        )?;
        write(
            &dist.join(format!("{new_name}.gz")),
            &gzip_best(text.as_bytes())?,
        )?;
        hashed.insert(loader.to_string(), new_name);
    }
    for page in names.iter().filter(|name| name.ends_with(".html")) {
        let path = dist.join(page);
        write(&path, rewrite(&read_text(&path)?, &hashed).as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_references_name_the_hashed_file_and_nothing_else_changes() {
        let names = BTreeMap::from([
            ("worker.js".to_string(), "worker.1.js".to_string()),
            ("app.js".to_string(), "app.2.js".to_string()),
        ]);
        assert_eq!(
            rewrite(
                r#"importScripts("./worker.js"); import('/app.js'); "search_app.js" "app.json""#,
                &names
            ),
            r#"importScripts("./worker.1.js"); import('/app.2.js'); "search_app.js" "app.json""#
        );
        assert_eq!(hashed_name("a.wasm", b"abc"), "a.ba7816bf8f01cfea.wasm");
        assert!(is_hashed("a.ba7816bf8f01cfea.wasm") && !is_hashed("worker_bg.wasm"));
    }

    #[test]
    fn a_page_names_the_hashed_loader_which_names_the_hashed_code() {
        let dist = std::env::temp_dir().join(format!("xtask-hashed-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dist);
        std::fs::create_dir_all(&dist).unwrap();
        let file = |name: &str, text: &str| std::fs::write(dist.join(name), text).unwrap();
        file("worker.js", "glue");
        file("worker_bg.wasm", "engine");
        file("worker_bg.wasm.br", "engine, compressed");
        file(
            "worker_loader.js",
            r#"importScripts("./worker.js");wasm_bindgen("./worker_bg.wasm");"#,
        );
        file(
            "index.html",
            r#"<div data-worker="./worker_loader.js"></div>"#,
        );
        hash_code_names(&dist).unwrap();

        let read = |name: &str| std::fs::read_to_string(dist.join(name)).unwrap();
        let worker = hashed_name("worker.js", b"glue");
        let engine = hashed_name("worker_bg.wasm", b"engine");
        assert_eq!(read(&worker), "glue");
        assert_eq!(read(&format!("{engine}.br")), "engine, compressed");
        let loader_text = format!(r#"importScripts("./{worker}");wasm_bindgen("./{engine}");"#);
        let loader = hashed_name("worker_loader.js", loader_text.as_bytes());
        assert_eq!(read(&loader), loader_text);
        assert!(dist.join(format!("{loader}.br")).exists());
        assert_eq!(
            read("index.html"),
            format!(r#"<div data-worker="./{loader}"></div>"#)
        );
        // The stable names stay as they were, for embedding sites.
        assert!(read("worker_loader.js").contains(r#""./worker.js""#));
        // Run again on the same folder, nothing is hashed twice.
        hash_code_names(&dist).unwrap();
        assert_eq!(
            read("index.html"),
            format!(r#"<div data-worker="./{loader}"></div>"#)
        );
        std::fs::write(dist.join("bad.html"), [0xff, 0xfe]).unwrap();
        assert!(format!("{:#}", hash_code_names(&dist).unwrap_err()).contains("bad.html"));
        std::fs::remove_dir_all(&dist).unwrap();
    }
}
