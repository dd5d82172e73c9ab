//! Searching on the calling thread, without tantivy's executor.

use tantivy::collector::Collector;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query};
use tantivy::Searcher;

/// [`Searcher::search`] on this thread: what tantivy does with its single-thread executor
/// (each segment's fruit, then merged), written out so that no search of the engine
/// refers to the executor's thread pool. The engine never has more than one thread — in
/// the worker there are none to have — yet `Searcher::search` picks its executor at run
/// time, which compiled rayon's scope and crossbeam's channels into the engine's Wasm once
/// per collector (about 8 KB of its brotli). The reader's warming still links a little of
/// rayon, once.
pub(crate) trait SearchHere {
    /// The fruit of `collector` over the documents `query` matches; scored when the
    /// collector asks for scores, with BM25's statistics from `statistics` (the engine's
    /// remembered dictionary entries: `entries::MemoStatistics`). Errors as
    /// [`Searcher::search`]'s.
    fn search_here<C: Collector>(
        &self,
        statistics: &dyn Bm25StatisticsProvider,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit>;
}

impl SearchHere for Searcher {
    fn search_here<C: Collector>(
        &self,
        statistics: &dyn Bm25StatisticsProvider,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        let scoring = match collector.requires_scoring() {
            true => EnableScoring::enabled_from_statistics_provider(statistics, self),
            false => EnableScoring::disabled_from_searcher(self),
        };
        let weight = query.weight(scoring)?;
        collector.check_schema(self.schema())?;
        let fruits = self
            .segment_readers()
            .iter()
            .enumerate()
            .map(|(ord, reader)| collector.collect_segment(weight.as_ref(), ord as u32, reader))
            .collect::<tantivy::Result<Vec<_>>>()?;
        collector.merge_fruits(fruits)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every source file of the search core (`src/`, recursively).
    fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path.display().to_string(), text));
            }
        }
    }

    /// The search core calls tantivy's searcher through [`super::SearchHere`] only: a
    /// `searcher.search(` would bring the executor's thread pool back into the Wasm,
    /// unseen by any other test.
    #[test]
    fn the_engine_searches_on_its_own_thread() {
        let mut found = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(found.len() > 10);
        for (path, source) in found {
            let text: String = source.chars().filter(|c| !c.is_whitespace()).collect();
            for call in [
                "searcher.search(",
                "searcher().search(",
                "search_with_executor(",
            ] {
                assert!(
                    path.ends_with("here.rs") || !text.contains(call),
                    "{path} calls {call}"
                );
            }
        }
    }
}
