//! The policy search widget: a search box over the prebuilt index, with facets, sorting,
//! paging and its state in the URL.

pub mod answers;
pub mod cards;
pub mod state;
pub mod view;
mod warm;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_worker::{Spawnable, WorkerBridge};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::labels::Lang;
use crate::protocol::{
    CardsQuery, LoadFailure, MessageCodec, WorkerAnswer, WorkerQuery, WorkerRequest,
    ENGINE_SILENCE_MS,
};
use crate::url_state::{from_query_string, to_query_string};
use crate::worker::SearchWorker;
use answers::AnswerLinks;
use disclosure_search::SearchRequest;
use state::{HistoryEntry, SearchAction, SearchState};
use view::SearchView;

/// How long typing must pause before a search starts.
const DEBOUNCE_MS: u32 = 200;
/// Without `requestIdleCallback` (Safari), how long after the page's load the engine is
/// warmed; with it, the longest the browser may put the warming off.
const IDLE_FALLBACK_MS: u32 = 1_500;
const IDLE_TIMEOUT_MS: u32 = 3_000;
/// How long typing must pause before suggestions are asked for (a fast typist's keys
/// come closer than this; each ask reads a few kilobytes).
const SUGGEST_DEBOUNCE_MS: u32 = 100;

#[derive(Properties, PartialEq, Clone)]
pub struct SearchWidgetProps {
    /// Folder holding `manifest.json` and the pack.
    #[prop_or(AttrValue::Static("data/"))]
    pub data_url: AttrValue,
    /// The worker's loader script, built by trunk beside the page.
    #[prop_or(AttrValue::Static("./worker_loader.js"))]
    pub worker_url: AttrValue,
    /// A search to run when the page opens without `?q=` (an embedding page's choice).
    #[prop_or_default]
    pub initial_query: Option<AttrValue>,
    #[prop_or_default]
    pub lang: Lang,
    /// A plain page with the same content, offered when the engine does not answer.
    #[prop_or_default]
    pub fallback_url: Option<AttrValue>,
    /// The opinion API (`data-api`): with it, a query naming an open consultation's topic
    /// gets a card linking to the form; without it, no consultation card.
    #[prop_or_default]
    pub api_url: Option<AttrValue>,
    /// The pages the answer cards link to.
    #[prop_or_default]
    pub links: AnswerLinks,
    /// Whether the engine is warmed once the page is idle (`data-warm`, `idle` by default):
    /// `focus` warms it only when the box gets focus or the pointer enters the widget, for
    /// a portal whose readers mostly never search (the engine and the head are about 700 KB
    /// on the wire). A browser asking to save data (`Save-Data`, Chrome's Lite mode) is
    /// never warmed on idle either way.
    #[prop_or(true)]
    pub warm_on_idle: bool,
}

/// The worker bridge, the number of the last query sent, and the timer that tells the
/// citizen when the engine stays silent (dropping it cancels it).
#[derive(Default)]
struct Engine {
    bridge: Option<WorkerBridge<SearchWorker>>,
    seq: u64,
    silence: Option<gloo_timers::callback::Timeout>,
    /// The last suggestion query sent and the text it asked about.
    suggest_seq: u64,
    suggest_typed: String,
}

#[function_component(SearchWidget)]
pub fn search_widget(props: &SearchWidgetProps) -> Html {
    let state = use_reducer(SearchState::default);
    let engine = use_mut_ref(Engine::default);
    // The data folder and the API as the worker needs them, absolute: resolved once, not
    // for every query (resolving both took about a millisecond a query in a CPU profile of
    // the page in headless Chromium, on this project's 2-core machine).
    // The address bar's changes keep the page's path, so the resolution holds.
    let urls = use_memo(
        (props.data_url.clone(), props.api_url.clone()),
        |(data_url, api_url)| AbsoluteUrls {
            data: absolute_url(data_url),
            api: api_url.as_deref().map(absolute_url),
        },
    );

    // Warms the engine: starts the worker (the engine Wasm downloads and compiles) and asks
    // it to fetch the manifest and the head and open the index, before any query. When
    // the search box gets focus or the pointer enters the widget, and otherwise once the
    // page is idle if the page and the widget are shown; once per page.
    let engage = {
        let engine = engine.clone();
        let dispatcher = state.dispatcher();
        let worker_url = props.worker_url.clone();
        let data_url = props.data_url.clone();
        Callback::from(move |_: ()| prepare_engine(&engine, &dispatcher, &worker_url, &data_url))
    };
    let root = use_node_ref();
    {
        let engage = engage.clone();
        let root = root.clone();
        let on_idle = props.warm_on_idle;
        use_effect_with((), move |_| {
            if on_idle && !saves_data() {
                warm_when_idle(engage, root);
            }
        });
    }

    // The URL when the page opens, and whenever back or forward changes it.
    {
        let dispatcher = state.dispatcher();
        let initial = props.initial_query.clone();
        use_effect_with((), move |_| {
            let opened = from_query_string(&current_search());
            dispatcher.dispatch(SearchAction::Restore(match initial {
                Some(query) if opened.query.is_empty() => SearchRequest {
                    query: query.to_string(),
                    ..opened
                },
                _ => opened,
            }));
            let restore = move || {
                dispatcher.dispatch(SearchAction::Restore(from_query_string(&current_search())))
            };
            let listener =
                gloo_events::EventListener::new(&gloo_utils_window(), "popstate", move |_| {
                    restore()
                });
            move || drop(listener)
        });
    }

    // A pause in typing searches.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.typed.clone(), move |_| {
            let timer = gloo_timers::callback::Timeout::new(DEBOUNCE_MS, move || {
                dispatcher.dispatch(SearchAction::Submit { explicit: false })
            });
            move || drop(timer)
        });
    }

    // Suggestions as you type, from the first character, while the list may show
    // (`suggestions_for`): not for a query the page opened with, nor once Enter closed the
    // list before the pause — a search's own rounds would share the link and the worker
    // with a fetch of suggestion blocks nobody sees.
    {
        let dispatcher = state.dispatcher();
        let engine = engine.clone();
        let data_url = props.data_url.clone();
        let worker_url = props.worker_url.clone();
        let wanted = state.suggestions_for().map(str::to_string);
        let urls = urls.clone();
        use_effect_with(wanted, move |wanted| {
            let timer = wanted.clone().map(|typed| {
                gloo_timers::callback::Timeout::new(SUGGEST_DEBOUNCE_MS, move || {
                    start_engine(&engine, &dispatcher, &worker_url, &data_url);
                    let mut engine = engine.borrow_mut();
                    engine.seq += 1;
                    let seq = engine.seq;
                    engine.suggest_seq = seq;
                    engine.suggest_typed = typed.clone();
                    if let Some(bridge) = &engine.bridge {
                        bridge.send(WorkerRequest::Query(WorkerQuery {
                            seq,
                            data_url: urls.data.clone(),
                            request: SearchRequest {
                                query: typed,
                                ..SearchRequest::default()
                            },
                            suggest: true,
                        }));
                    }
                })
            });
            move || drop(timer)
        });
    }

    // Each new request goes to the worker and into the URL.
    {
        let dispatcher = state.dispatcher();
        let engine = engine.clone();
        let data_url = props.data_url.clone();
        let worker_url = props.worker_url.clone();
        let history = state.history;
        let urls = urls.clone();
        use_effect_with(
            (state.request.clone(), state.attempt),
            move |(request, _)| {
                if !request.query.is_empty() {
                    start_engine(&engine, &dispatcher, &worker_url, &data_url);
                    let mut engine = engine.borrow_mut();
                    engine.seq += 1;
                    let seq = engine.seq;
                    if let Some(bridge) = &engine.bridge {
                        bridge.send(WorkerRequest::Query(WorkerQuery {
                            seq,
                            data_url: urls.data.clone(),
                            // Validity (ranking, counts, 只看现行有效) is for the
                            // citizen's own day.
                            request: SearchRequest {
                                today: Some(crate::page::today()),
                                ..request.clone()
                            },
                            suggest: false,
                        }));
                        dispatcher.dispatch(SearchAction::Sent(seq));
                        // An engine that cannot load never answers: after a while the
                        // citizen is told, with the plain page, instead of a search
                        // that never ends.
                        let silent = dispatcher.clone();
                        engine.silence = Some(gloo_timers::callback::Timeout::new(
                            ENGINE_SILENCE_MS,
                            move || silent.dispatch(SearchAction::EngineSilent(seq)),
                        ));
                    }
                }
                // After the worker has the query: the browser's same-document navigation
                // takes about a millisecond, which the search need not wait for.
                update_url(request, history);
            },
        );
    }

    // 搜索即服务: the cards a new query calls for, found by the worker (which fetches their
    // data only then) and sent beside its results.
    {
        let dispatcher = state.dispatcher();
        let engine = engine.clone();
        let worker_url = props.worker_url.clone();
        let data_url = props.data_url.clone();
        let urls = urls.clone();
        // Asked again with the search when the citizen tries again (a new worker after
        // the last one stopped has none of the old requests).
        use_effect_with(
            (state.request.query.clone(), state.attempt),
            move |(query, _)| {
                if !query.is_empty() {
                    start_engine(&engine, &dispatcher, &worker_url, &data_url);
                    if let Some(bridge) = &engine.borrow().bridge {
                        bridge.send(WorkerRequest::Cards(CardsQuery {
                            query: query.clone(),
                            today: crate::page::today(),
                            data_url: urls.data.clone(),
                            api_url: urls.api.clone(),
                        }));
                    }
                }
            },
        );
    }

    let on_action = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action| dispatcher.dispatch(action))
    };
    html! {
        <ContextProvider<Lang> context={props.lang}>
            <SearchView state={(*state).clone()} {on_action} on_engage={engage} {root}
                fallback_url={props.fallback_url.clone()} links={props.links.clone()} />
        </ContextProvider<Lang>>
    }
}

/// Starts the worker if it is not started, and asks it once per page (per worker and
/// data folder) to get ready: fetch the manifest and the head and open the index.
fn prepare_engine(
    engine: &Rc<RefCell<Engine>>,
    dispatcher: &UseReducerDispatcher<SearchState>,
    worker_url: &str,
    data_url: &str,
) {
    start_engine(engine, dispatcher, worker_url, data_url);
    let data_url = absolute_url(data_url);
    let first = PREPARED.with(|prepared| {
        let mut prepared = prepared.borrow_mut();
        let key = (worker_url.to_string(), data_url.clone());
        let first = !prepared.contains(&key);
        if first {
            prepared.push(key);
        }
        first
    });
    if let (true, Some(bridge)) = (first, &engine.borrow().bridge) {
        bridge.send(WorkerRequest::Prepare { data_url });
    }
}

/// Whether the browser asks pages to save data (`navigator.connection.saveData`, where the
/// Network Information API exists).
fn saves_data() -> bool {
    let navigator = gloo_utils_window().navigator();
    js_sys::Reflect::get(&navigator, &"connection".into())
        .ok()
        .filter(|connection| connection.is_object())
        .and_then(|connection| js_sys::Reflect::get(&connection, &"saveData".into()).ok())
        .and_then(|save| save.as_bool())
        .unwrap_or(false)
}

/// Calls `engage` once the page is idle (`requestIdleCallback`, at most
/// [`IDLE_TIMEOUT_MS`] later; where it is missing, [`IDLE_FALLBACK_MS`] after the page's
/// load) if the page is visible and the widget (`root`) has a box; a page opened hidden
/// (a background tab, a prerender) waits until it is shown. A widget never shown warms
/// nothing: its focus or pointer would.
fn warm_when_idle(engage: Callback<()>, root: NodeRef) {
    let window = gloo_utils_window();
    let Some(document) = window.document() else {
        return;
    };
    let ready = js_sys::Reflect::get(&document, &"readyState".into())
        .ok()
        .and_then(|state| state.as_string())
        .is_some_and(|state| state == "complete");
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|function| function.dyn_into::<js_sys::Function>().ok());
    let when_shown = move || {
        let shown = root
            .cast::<web_sys::HtmlElement>()
            .is_some_and(|element| element.offset_width() > 0 || element.offset_height() > 0);
        if shown {
            engage.emit(());
        }
    };
    let at_idle = move || {
        let hidden = gloo_utils_window()
            .document()
            .is_some_and(|document| document.hidden());
        if hidden {
            let document = gloo_utils_window().document();
            if let Some(document) = document {
                gloo_events::EventListener::once(&document, "visibilitychange", move |_| {
                    when_shown()
                })
                .forget();
            }
        } else {
            when_shown();
        }
    };
    match idle {
        Some(request_idle) => {
            let callback = Closure::once_into_js(at_idle);
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"timeout".into(), &IDLE_TIMEOUT_MS.into());
            let _ = request_idle.call2(&window, &callback, &options);
        }
        None => {
            let later = move || {
                gloo_timers::callback::Timeout::new(IDLE_FALLBACK_MS, at_idle).forget();
            };
            if ready {
                later();
            } else {
                gloo_events::EventListener::once(&window, "load", move |_| later()).forget();
            }
        }
    }
}

/// Starts the widget's worker if it is not started, and has the page fetch the index's
/// manifest and head for it meanwhile ([`warm::warm_index`], once per data folder).
fn start_engine(
    engine: &Rc<RefCell<Engine>>,
    dispatcher: &UseReducerDispatcher<SearchState>,
    worker_url: &str,
    data_url: &str,
) {
    let engine_handle = engine.clone();
    let mut engine = engine.borrow_mut();
    if engine.bridge.is_some() {
        return;
    }
    warm::warm_index(&absolute_url(data_url));
    let dispatcher = dispatcher.clone();
    let stopped_url = worker_url.to_string();
    let answered = move |answer: WorkerAnswer| {
        if let Err(LoadFailure::EngineStopped(_)) = &answer.outcome {
            // The worker is gone: the next search (the retry button) starts a new one.
            engine_handle.borrow_mut().bridge = None;
            WORKERS.with(|workers| workers.borrow_mut().retain(|(url, _)| *url != stopped_url));
        }
        // The answer cards of a query (the state keeps them only for the query shown).
        if let Some(cards) = answer.cards {
            dispatcher.dispatch(SearchAction::Cards(cards));
            return;
        }
        // Numbered 0: the engine stopped while getting ready, before any query of ours.
        if answer.seq == 0 {
            return;
        }
        // Suggestions go to the list (what they were asked for comes along, so the state
        // drops them when the box holds something else); a failed ask shows nothing.
        let suggested = engine_handle
            .try_borrow()
            .ok()
            .filter(|engine| engine.suggest_seq == answer.seq && answer.seq != 0)
            .map(|engine| engine.suggest_typed.clone());
        if let Some(typed) = suggested {
            dispatcher.dispatch(SearchAction::Suggested {
                typed,
                suggestions: answer.suggestions,
            });
            return;
        }
        dispatcher.dispatch(SearchAction::Answered(answer))
    };
    // Every search widget of a page shares one worker (and so one downloaded engine and
    // index): the first spawns it, each widget talks to it through its own fork.
    let bridge = WORKERS.with(|workers| {
        let mut workers = workers.borrow_mut();
        if !workers.iter().any(|(url, _)| url == worker_url) {
            let first = SearchWorker::spawner()
                .encoding::<MessageCodec>()
                .with_loader(true)
                .as_module(false)
                .spawn(worker_url);
            workers.push((worker_url.to_string(), first));
        }
        workers
            .iter()
            .find(|(url, _)| url == worker_url)
            .map(|(_, first)| first.fork(Some(answered)))
    });
    engine.bridge = bridge;
}

thread_local! {
    /// The (worker, data folder) pairs asked to get ready: once per page.
    static PREPARED: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    /// The page's search workers, by loader URL.
    static WORKERS: RefCell<Vec<(String, WorkerBridge<SearchWorker>)>> = const { RefCell::new(Vec::new()) };
}

fn gloo_utils_window() -> web_sys::Window {
    web_sys::window().expect("the widget runs in a page")
}

fn current_search() -> String {
    gloo_utils_window().location().search().unwrap_or_default()
}

/// Writes the request into the address bar as `history` says.
fn update_url(request: &disclosure_search::SearchRequest, history: HistoryEntry) {
    let window = gloo_utils_window();
    let query = to_query_string(request);
    let wanted = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    if history == HistoryEntry::Keep || current_search() == wanted {
        return;
    }
    let Ok(browser_history) = window.history() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}{wanted}");
    let _ = match history {
        HistoryEntry::Push => {
            browser_history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        }
        _ => browser_history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)),
    };
}

/// The widget's data folder and opinion API, resolved against the page ([`absolute_url`]).
#[derive(PartialEq)]
struct AbsoluteUrls {
    data: String,
    api: Option<String>,
}

/// The worker resolves URLs against its own script, so the page sends absolute ones.
fn absolute_url(url: &str) -> String {
    let base = gloo_utils_window()
        .document()
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new_with_base(url, &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| url.to_string())
}
