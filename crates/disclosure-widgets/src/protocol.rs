//! Messages between the page and the search worker.

use disclosure_search::{SearchRequest, SearchResults};
use serde::{Deserialize, Serialize};

use crate::labels::Lang;
use crate::search::answers::AnswerCards;

/// How the page encodes its requests and reads the worker's answers: requests as
/// JavaScript values, which `postMessage` copies (serde-wasm-bindgen, whose serializer
/// writes objects as JSON would); answers as the JSON text [`WorkerCodec`] writes, read
/// by [`crate::page::parse_json`] (the browser's `JSON.parse` and serde-wasm-bindgen), or
/// as a JavaScript value. Gloo's default, bincode, cannot read records that
/// leave out empty fields (`skip_serializing_if`), as the validity records on the hits
/// do, and its field order must match by hand; a self-describing value reads what it is
/// given. A JSON parser of our own would cost the UI module about 10 KB of its brotli.
/// Both ends are this crate's code of the same build, so a message that does not decode
/// is a bug, not input: the worker stops and the page starts another.
pub struct MessageCodec;

impl gloo_worker::Codec for MessageCodec {
    fn encode<I: Serialize>(input: I) -> wasm_bindgen::JsValue {
        input
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .expect("every message of this crate has a JavaScript value")
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: wasm_bindgen::JsValue) -> O {
        let decoded = match input.as_string() {
            Some(text) => crate::page::parse_json(&text),
            None => serde_wasm_bindgen::from_value(input).ok(),
        };
        decoded.expect("the page and the worker of one build exchange the same messages")
    }
}

/// The worker's end of [`MessageCodec`]: it reads the page's requests as the page's codec
/// does, and writes its answers as one JSON text (`serde_json`, which the worker links
/// anyway for the pack's lexicon). Why: built field by field through serde-wasm-bindgen,
/// an answer of ten hits with their snippets and facets took thousands of calls from Wasm
/// into JavaScript, about 3 ms of a query whose bytes are held (issue 18's goal is
/// 20 ms for all of it), and `postMessage` then cloned the object tree; one string is
/// written in a fraction of that and copied whole.
pub struct WorkerCodec;

impl gloo_worker::Codec for WorkerCodec {
    fn encode<I: Serialize>(input: I) -> wasm_bindgen::JsValue {
        match serde_json::to_string(&input) {
            Ok(text) => wasm_bindgen::JsValue::from_str(&text),
            // Only a map with keys that are not strings fails; no message has one.
            Err(_) => MessageCodec::encode(input),
        }
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: wasm_bindgen::JsValue) -> O {
        MessageCodec::decode(input)
    }
}

/// What the page sends the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Answer a query ([`WorkerAnswer`] with its `seq`).
    Query(WorkerQuery),
    /// Get ready before the first query: fetch `manifest.json` and the pack's head from
    /// `data_url` (as [`WorkerQuery::data_url`]) and open the index. Nothing is answered; a
    /// load that fails is tried again by the first query, which reports the failure.
    /// The pack's body ranges are still fetched only by queries.
    Prepare { data_url: String },
    /// Find the answer cards of a query (搜索即服务): answered, whenever the query calls
    /// for cards, by a [`WorkerAnswer`] whose `cards` hold them (its `seq` is 0 and its
    /// `outcome` empty). Needs no index.
    Cards(CardsQuery),
}

/// The query whose answer cards the page asks for, and where their data lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardsQuery {
    pub query: String,
    /// The citizen's day: the status of a document and whether a consultation is open.
    pub today: time::Date,
    /// Folder of `validity.json` and `fees.json` (absolute).
    pub data_url: String,
    /// The opinion API (absolute); without it, no consultation card.
    pub api_url: Option<String>,
}

/// A query the page asks the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerQuery {
    /// Increases with every query the page sends; the answer carries it back, so the page
    /// can drop answers to queries it no longer shows.
    pub seq: u64,
    /// Folder holding `manifest.json` and the pack, relative to the page or absolute.
    pub data_url: String,
    pub request: SearchRequest,
    /// Asks for suggestions as you type for `request.query` instead of results
    /// (`WorkerAnswer::suggestions`); suggestion and search queries never replace each
    /// other in the worker.
    #[serde(default)]
    pub suggest: bool,
}

/// Why the index could not be used; the page words each for the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoadFailure {
    /// The request did not reach the server or did not come back.
    Network(String),
    /// The server answered with this HTTP status.
    Status(u16),
    /// The files arrived but are not a readable index.
    Corrupt(String),
    /// The engine stopped on the index's bytes (a panic ends the worker): the page starts
    /// a new worker for the next search.
    EngineStopped(String),
    /// No answer for [`ENGINE_SILENCE_MS`]: the engine could not load or compile (its Wasm
    /// missing, blocked, or not runnable here), or the network is very slow. Set by the
    /// page, never by the worker; a late answer still replaces it.
    EngineSilent,
}

/// How long the page waits for the worker's first answer to a query before it tells the
/// citizen (and offers the plain page), in milliseconds.
pub const ENGINE_SILENCE_MS: u32 = 20_000;

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerAnswer {
    pub seq: u64,
    pub outcome: Result<SearchResults, LoadFailure>,
    /// The suggestions, for a query that asked for them (its `outcome` is then empty
    /// results or the failure).
    #[serde(default)]
    pub suggestions: Vec<String>,
    /// The answer cards, for a [`WorkerRequest::Cards`].
    #[serde(default)]
    pub cards: Option<AnswerCards>,
}

impl WorkerAnswer {
    /// The answer to query `seq`: its `outcome`, no suggestions and no cards (set them
    /// with struct update syntax where an answer has some).
    pub fn of(seq: u64, outcome: Result<SearchResults, LoadFailure>) -> WorkerAnswer {
        WorkerAnswer {
            seq,
            outcome,
            suggestions: Vec::new(),
            cards: None,
        }
    }
}

impl LoadFailure {
    /// The message a citizen reads.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoadFailure::Network(_) => lang
                .pick(
                    "搜索服务暂时无法连接，请检查网络后重试。",
                    "The search cannot be reached. Please check your connection and try again.",
                )
                .to_string(),
            LoadFailure::Status(404) => lang
                .pick(
                    "搜索索引文件不存在，请稍后重试或联系网站管理员。",
                    "The search index is missing. Please try again later or tell the site's administrator.",
                )
                .to_string(),
            LoadFailure::Status(status) => lang.pick(
                format!("搜索服务暂时不可用（HTTP {status}），请稍后重试。"),
                format!("The search is unavailable (HTTP {status}). Please try again later."),
            ),
            LoadFailure::EngineSilent => lang
                .pick(
                    "搜索功能未能及时启动：网络较慢，或当前浏览器无法运行搜索引擎。可以继续等待、重试，或查看文字版。",
                    "The search did not start in time: the network is slow, or this browser cannot run the search engine. Wait, try again, or read the plain version.",
                )
                .to_string(),
            LoadFailure::Corrupt(_) | LoadFailure::EngineStopped(_) => lang
                .pick(
                    "搜索索引文件已损坏或版本不符，请稍后重试或联系网站管理员。",
                    "The search index is damaged or of another version. Please try again later or tell the site's administrator.",
                )
                .to_string(),
        }
    }
}
