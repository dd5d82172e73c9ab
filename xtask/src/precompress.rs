//! Compressed copies of the portal's code, written once at build time so that no request
//! pays for compressing it (issue 18: the engine's Wasm is most of a first visit's bytes).
//!
//! Beside each `.wasm` and `.js` file of a built portal go `FILE.br` (brotli, quality 11,
//! the best level: about a fifth smaller than gzip for our Wasm) and `FILE.gz` (gzip, best
//! level, for browsers without brotli). `disclosure-server` sends them when the browser
//! accepts them (tower-http's `ServeDir::precompressed_br/gzip`), and any host can
//! (nginx `gzip_static`, Caddy `precompressed`).
//!
//! Only the build's own outputs are compressed: trunk empties `dist` on every build, so
//! a copy can never be older than its file; and the pack's head (`search.<hash>.head`),
//! whose name changes with its content. Pages and data files (`data/*.json`, which
//! `disclosure-index` rewrites in place) are left to on-the-fly compression, where a stale
//! copy could hide a new file; packs are read by byte ranges and must be sent as they lie.

use anyhow::Context;
use std::io::Write;
use std::path::Path;

/// The file names whose compressed copies are written.
fn is_build_output(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|extension| extension.to_str()),
        Some("wasm" | "js" | "head")
    )
}

/// Writes `.br` and `.gz` copies of every build output in `dist` and its folders.
///
/// Errors: a file that cannot be read or written, with its path.
pub fn precompress(dist: &Path) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dist).with_context(|| dist.display().to_string())?;
    for entry in entries {
        let entry = entry.with_context(|| dist.display().to_string())?;
        let path = entry.path();
        // Folders of the build itself (admin/, examples/); a link is not followed.
        let folder = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if folder {
            precompress(&path)?;
        } else if is_build_output(&path) {
            let data = std::fs::read(&path).with_context(|| path.display().to_string())?;
            write_beside(&path, "br", &brotli_best(&data)?)?;
            write_beside(&path, "gz", &gzip_best(&data)?)?;
        }
    }
    Ok(())
}

fn write_beside(path: &Path, suffix: &str, data: &[u8]) -> anyhow::Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    std::fs::write(&name, data).with_context(|| Path::new(&name).display().to_string())
}

/// Brotli at quality 11 with a 4 MiB window (22 bits, the format's default and what every
/// browser decodes).
pub fn brotli_best(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

/// Gzip at its best level.
pub fn gzip_best(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    Ok(encoder.finish()?)
}
