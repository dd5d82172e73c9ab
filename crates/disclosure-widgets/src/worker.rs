//! The search worker: loads the index on the first query and answers queries off the
//! page's thread, so typing never waits for tantivy.

use disclosure_search::pack::{Manifest, PACK_FORMAT};
use disclosure_search::SearchIndex;
use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::{LoadFailure, WorkerAnswer, WorkerQuery};

/// The worker's index, from nothing to ready.
enum IndexState {
    /// Nothing loaded yet, or the last load failed (the next query tries again).
    Empty,
    /// Loading from `data_url`; the queries that arrived meanwhile wait.
    Loading {
        data_url: String,
        waiting: Vec<(HandlerId, WorkerQuery)>,
    },
    Ready {
        data_url: String,
        index: SearchIndex,
    },
}

pub struct SearchWorker {
    state: IndexState,
}

/// The end of a load, sent by the worker to itself.
pub struct Loaded {
    data_url: String,
    result: Result<SearchIndex, LoadFailure>,
}

impl Worker for SearchWorker {
    type Message = Loaded;
    type Input = WorkerQuery;
    type Output = WorkerAnswer;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        SearchWorker {
            state: IndexState::Empty,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, loaded: Loaded) {
        let waiting = match std::mem::replace(&mut self.state, IndexState::Empty) {
            IndexState::Loading { waiting, .. } => waiting,
            _ => Vec::new(),
        };
        match loaded.result {
            Ok(index) => {
                self.state = IndexState::Ready {
                    data_url: loaded.data_url,
                    index,
                };
                // Only the newest query of each page matters; older ones are stale.
                for (id, query) in newest_per_handler(waiting) {
                    self.answer(scope, id, query);
                }
            }
            Err(failure) => {
                for (id, query) in newest_per_handler(waiting) {
                    scope.respond(
                        id,
                        WorkerAnswer {
                            seq: query.seq,
                            outcome: Err(failure.clone()),
                        },
                    );
                }
            }
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, query: WorkerQuery, id: HandlerId) {
        match &mut self.state {
            IndexState::Ready { data_url, .. } if *data_url == query.data_url => {
                self.answer(scope, id, query)
            }
            IndexState::Loading { data_url, waiting } if *data_url == query.data_url => {
                waiting.push((id, query))
            }
            _ => {
                let data_url = query.data_url.clone();
                self.state = IndexState::Loading {
                    data_url: data_url.clone(),
                    waiting: vec![(id, query)],
                };
                scope.send_future(async move {
                    let result = load_index(&data_url).await;
                    Loaded { data_url, result }
                });
            }
        }
    }
}

impl SearchWorker {
    fn answer(&self, scope: &WorkerScope<Self>, id: HandlerId, query: WorkerQuery) {
        let IndexState::Ready { index, .. } = &self.state else {
            return;
        };
        let outcome = index
            .search(&query.request)
            .map_err(|error| LoadFailure::Corrupt(error.to_string()));
        scope.respond(
            id,
            WorkerAnswer {
                seq: query.seq,
                outcome,
            },
        );
    }
}

fn newest_per_handler(queries: Vec<(HandlerId, WorkerQuery)>) -> Vec<(HandlerId, WorkerQuery)> {
    let mut newest: Vec<(HandlerId, WorkerQuery)> = Vec::new();
    for (id, query) in queries {
        match newest.iter_mut().find(|(known, _)| *known == id) {
            Some(entry) if entry.1.seq < query.seq => entry.1 = query,
            Some(_) => {}
            None => newest.push((id, query)),
        }
    }
    newest
}

/// Fetches `manifest.json` from `data_url`, then the pack it names, and opens it.
async fn load_index(data_url: &str) -> Result<SearchIndex, LoadFailure> {
    let base = crate::page::with_slash(data_url);
    let manifest_bytes = fetch_bytes(&format!("{base}manifest.json")).await?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|error| LoadFailure::Corrupt(format!("manifest.json: {error}")))?;
    if manifest.format != PACK_FORMAT {
        return Err(LoadFailure::Corrupt(format!(
            "pack format {:?}",
            manifest.format
        )));
    }
    let pack = fetch_bytes(&format!("{base}{}", manifest.pack)).await?;
    SearchIndex::open(pack).map_err(|error| LoadFailure::Corrupt(error.to_string()))
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, LoadFailure> {
    let network = |error: wasm_bindgen::JsValue| LoadFailure::Network(format!("{url}: {error:?}"));
    let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let response: web_sys::Response = JsFuture::from(global.fetch_with_str(url))
        .await
        .map_err(network)?
        .unchecked_into();
    if !response.ok() {
        return Err(LoadFailure::Status(response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(network)?)
        .await
        .map_err(network)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
