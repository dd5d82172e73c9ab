//! Searching on the calling thread, without tantivy's executor.

use tantivy::collector::Collector;
use tantivy::query::{EnableScoring, Query};
use tantivy::Searcher;

/// [`Searcher::search`] on this thread: what tantivy does with its single-thread executor
/// (each segment's fruit, then merged), written out so that nothing the engine calls
/// refers to the executor's thread pool. The engine never has more than one thread — in
/// the worker there are none to have — yet `Searcher::search` picks its executor at run
/// time, which kept rayon's pool and crossbeam's channels in the engine's Wasm.
pub(crate) trait SearchHere {
    /// The fruit of `collector` over the documents `query` matches; scored when the
    /// collector asks for scores. Errors as [`Searcher::search`]'s.
    fn search_here<C: Collector>(
        &self,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit>;
}

impl SearchHere for Searcher {
    fn search_here<C: Collector>(
        &self,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        let scoring = match collector.requires_scoring() {
            true => EnableScoring::enabled_from_searcher(self),
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
    /// The engine's sources call tantivy's searcher through [`super::SearchHere`] only: a
    /// `searcher.search(` would bring the thread pool back into the Wasm, unseen by any
    /// other test.
    #[test]
    fn the_engine_searches_on_its_own_thread() {
        let sources = [
            include_str!("../engine.rs"),
            include_str!("topic.rs"),
            include_str!("versions.rs"),
            include_str!("../facets.rs"),
            include_str!("../session.rs"),
        ];
        for source in sources {
            let text: String = source.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(!text.contains("searcher.search("));
            assert!(!text.contains(".search_with_executor("));
        }
    }
}
