//! Versioned addresses for the portal's code, so that a second visit does not ask for it
//! again (issue 18).
//!
//! trunk writes stable names (`search_ui.js`, `worker_bg.wasm`: pages it does not process
//! and embedding sites load them by name), which the server must send as `no-cache`: a
//! browser asks for each again on every visit, and on a phone's link the chain page →
//! module → worker loader → worker script → engine Wasm cost five round trips before the
//! first search, with nothing changed. Here each reference that a built page or loader
//! makes to a code file of the build (`"search_ui.js"`, `"./worker_bg.wasm"`,
//! `"/theme.css"`) gets the file's content hash as a query, `?v=<16 hex digits of its
//! SHA-256>`, and `disclosure-server` lets a browser keep an address with `v=` for good:
//! a new build changes the address, never what an address names.
//!
//! Only the files that refer to others by a literal name are rewritten: the pages (`*.html`)
//! and the small loaders trunk and the project write (`worker_loader.js`, `boot.js`),
//! whose own hashes are taken after their rewriting. The wasm-bindgen modules are left as
//! they are: the pages hold their Subresource Integrity hashes. `nx-widgets.js`, which an
//! embedding site loads by a name of its own choosing and which builds its addresses at
//! run time, stays revalidated.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The loaders rewritten before the pages, in this order (a page may name them).
const LOADERS: [&str; 2] = ["worker_loader.js", "boot.js"];

/// Whether `name` is a code file of the build whose address can carry a version.
fn is_code(name: &str) -> bool {
    [".js", ".wasm", ".css"]
        .iter()
        .any(|extension| name.ends_with(extension))
}

/// `?v=` and the first 16 hex digits of the SHA-256 of `data`.
fn version(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    let hex: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    format!("?v={hex}")
}

/// `text` with every quoted reference to a file of `versions` (`"name"`, `"./name"`,
/// `"/name"`, in double or single quotes) followed by the file's version.
fn rewrite(text: &str, versions: &BTreeMap<String, String>) -> String {
    let mut text = text.to_string();
    for (name, version) in versions {
        for quote in ['"', '\''] {
            for prefix in ["", "./", "/"] {
                let from = format!("{quote}{prefix}{name}{quote}");
                let to = format!("{quote}{prefix}{name}{version}{quote}");
                text = text.replace(&from, &to);
            }
        }
    }
    text
}

/// Adds versions to the references of the pages and loaders in `dist` (its top folder) to
/// the code files beside them.
///
/// Errors: a file that cannot be read or written, with its path.
pub fn version_references(dist: &Path) -> Result<(), String> {
    let read = |path: &Path| std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", dist.display()))?;
        if entry.file_type().is_ok_and(|kind| kind.is_file()) {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    let mut versions: BTreeMap<String, String> = BTreeMap::new();
    for name in names.iter().filter(|name| is_code(name)) {
        if !LOADERS.contains(&name.as_str()) {
            versions.insert(name.clone(), version(&read(&dist.join(name))?));
        }
    }
    for loader in LOADERS {
        let path = dist.join(loader);
        if !path.exists() {
            continue;
        }
        let text = String::from_utf8_lossy(&read(&path)?).into_owned();
        let rewritten = rewrite(&text, &versions);
        std::fs::write(&path, &rewritten).map_err(|e| format!("{}: {e}", path.display()))?;
        versions.insert(loader.to_string(), version(rewritten.as_bytes()));
    }
    for page in names.iter().filter(|name| name.ends_with(".html")) {
        let path = dist.join(page);
        let text = String::from_utf8_lossy(&read(&path)?).into_owned();
        std::fs::write(&path, rewrite(&text, &versions))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_references_get_the_version_and_nothing_else_changes() {
        let versions = BTreeMap::from([
            ("worker.js".to_string(), "?v=1".to_string()),
            ("app.js".to_string(), "?v=2".to_string()),
        ]);
        assert_eq!(
            rewrite(
                r#"importScripts("./worker.js"); import('/app.js'); "search_app.js" "app.json""#,
                &versions
            ),
            r#"importScripts("./worker.js?v=1"); import('/app.js?v=2'); "search_app.js" "app.json""#
        );
        assert_eq!(version(b"abc"), "?v=ba7816bf8f01cfea");
    }
}
