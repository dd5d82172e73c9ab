//! Warming the engine's compiled code with the citizen's own last search.
//!
//! Why: a browser runs Wasm first from code compiled quickly and plainly (V8's Liftoff)
//! and compiles a function well (TurboFan) only once it has run a while. A page's first
//! searches run the engine's plain code: in headless Chromium on the project's 2-core
//! machine, a search whose bytes the worker held took 36–41 ms median (page included) as
//! the page's fourth search, and 17–19 ms once a dozen searches had run (issue 18 wants
//! 20 ms). So after answering a search the worker runs that search again over the bytes
//! it now holds — no request, the same code a citizen's next search runs — a few times a
//! page ([`WARM_UP_RUNS`]), once the page has had time to show the answer
//! ([`WARM_UP_PAUSE_MS`]), one run a task: a query that arrives meanwhile, or a range it
//! fetched, waits for one run at most (the runs go on while a query waits on the
//! network: on a phone a citizen's next search spends most of its time there).

use std::rc::Rc;

use disclosure_search::session::{SearchTask, Step};
use disclosure_search::SearchRequest;

use super::open::OpenIndex;

/// How long after an answer the warming starts: the page is showing that answer meanwhile
/// (its first results took 50–150 ms longer on the project's 2-core machine when the
/// warming started at once: the worker's runs and the browser's compiling of the hot
/// functions took the cores the page's rendering needed). A citizen reads the results
/// for seconds before the next search.
pub(super) const WARM_UP_PAUSE_MS: u32 = 100;

/// Runs of warming a worker spends in all. Each run is one held search (10–40 ms of the
/// worker's time before its code is compiled well); in the measurement above, four more
/// searches brought a held search to 25 ms and ten to 19 ms.
pub(super) const WARM_UP_RUNS: u32 = 8;

/// A search to run again for warming: the request answered and the data folder it was
/// asked of (only the index of that folder holds its bytes).
#[derive(Debug, Clone)]
pub struct WarmUp {
    pub(super) data_url: String,
    pub(super) request: SearchRequest,
}

/// Runs `warm_up`'s search once over what `index` holds. `true` when it finished without
/// needing a byte the index does not hold (then warming may go on); `false` when it needs
/// more (the bytes are fetched by queries only) or failed.
pub(super) fn run_once(index: &Rc<OpenIndex>, warm_up: &WarmUp) -> bool {
    let mut task = SearchTask::new(&warm_up.request);
    let Ok(mut session) = index.session.try_borrow_mut() else {
        return false;
    };
    matches!(session.step(&mut task), Ok(Step::Done(_)))
}
