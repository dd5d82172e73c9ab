//! The pack's head crossing the link beside the engine (issue 18).
//!
//! A first visit on a phone's link is bound by its bandwidth: the engine's Wasm (about
//! 500 KB of brotli) takes seconds to cross it, and the worker can ask for the manifest and
//! the head (about 150 KB) only once that Wasm is compiled. The head then crossed after the
//! engine, and the link stood idle for the round trips in between. So the page asks for
//! them as soon as it starts the worker — the same requests the worker makes — and the
//! worker finds them in the browser's cache: the head's name carries its content hash and
//! the host lets browsers keep it for good, and the manifest, asked here with a
//! revalidation (a copy from an earlier visit is checked), may then be used for half a
//! minute (`disclosure-server`'s `MANIFEST_CACHE_CONTROL`; a host that forbids caching only
//! costs the bytes twice). The byte of the pack that probes whether the host answers
//! `Range` stays the worker's: a host that ignores `Range` would answer the page with the
//! whole pack. Nothing is read here beyond the manifest's names: whether the files are
//! sound, and what failed, is the worker's to find and to say.

use std::cell::RefCell;

use disclosure_search::pack::{Manifest, PACK_FORMAT};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The data folders this page has warmed: every widget starting its worker asks
    /// (`search::start_engine`), and a worker started again after it stopped too.
    static WARMED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Asks, once per page and data folder (`data_url`, absolute), for `manifest.json`, then
/// for the head's file it names, reading their bodies into the browser's cache; returns at
/// once.
pub fn warm_index(data_url: &str) {
    let first = WARMED.with(|warmed| {
        let mut warmed = warmed.borrow_mut();
        let first = !warmed.iter().any(|known| known == data_url);
        if first {
            warmed.push(data_url.to_string());
        }
        first
    });
    if first {
        let base = crate::page::with_slash(data_url);
        wasm_bindgen_futures::spawn_local(async move {
            warm(&base).await;
        });
    }
}

async fn warm(base: &str) -> Option<()> {
    let manifest = fetch(
        &format!("{base}manifest.json"),
        web_sys::RequestCache::NoCache,
    )
    .await?;
    let text = JsFuture::from(manifest.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    let manifest: Manifest = crate::page::parse_json(&text)?;
    // A pack the worker cannot read, or one without a head file: nothing worth fetching.
    let head = manifest.head.filter(|_| manifest.format == PACK_FORMAT)?;
    let response = fetch(&format!("{base}{head}"), web_sys::RequestCache::Default).await?;
    JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(())
}

async fn fetch(url: &str, cache: web_sys::RequestCache) -> Option<web_sys::Response> {
    let init = web_sys::RequestInit::new();
    init.set_cache(cache);
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .ok()?
        .unchecked_into();
    response.ok().then_some(response)
}
