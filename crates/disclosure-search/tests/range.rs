//! The index read from fetched parts of the pack (what a range reader holds): opening and
//! searching fail on bytes not fetched yet, record them, and succeed once they are fetched,
//! with the same answers as the whole pack and far fewer bytes.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use disclosure_search::pack::{
    coalesce, head_len, header_len, is_missing_range, read_table_of_contents, PackedDirectory,
    RangeCache, ReadLog, PREAMBLE_LEN,
};
use disclosure_search::{SearchIndex, SearchRequest};

const MINI_PACK: &[u8] = include_bytes!("fixtures/mini.pack");

/// A stand-in for HTTP Range requests against the pack, counting what it sends.
struct Host {
    requests: usize,
    bytes: u64,
}

impl Host {
    fn fetch(&mut self, cache: &Mutex<RangeCache>, range: Range<u64>) {
        self.requests += 1;
        self.bytes += range.end - range.start;
        cache.lock().unwrap().insert(
            range.start,
            &MINI_PACK[range.start as usize..range.end as usize],
        );
    }
}

/// Runs `attempt` until it no longer misses bytes, fetching what each miss recorded;
/// returns its result and the number of rounds.
fn with_fetching<T, E: std::error::Error>(
    host: &mut Host,
    cache: &Mutex<RangeCache>,
    misses: &ReadLog,
    mut attempt: impl FnMut() -> Result<T, E>,
) -> (T, usize) {
    for round in 1..=64 {
        match attempt() {
            Ok(value) => return (value, round),
            Err(error) if is_missing_range(&error) => {
                let wanted = misses.take();
                assert!(
                    !wanted.is_empty(),
                    "a miss without a recorded range: {error}"
                );
                for range in coalesce(wanted, 0) {
                    host.fetch(cache, range);
                }
            }
            Err(error) => panic!("not a miss: {error}"),
        }
    }
    panic!("still missing bytes after 64 rounds");
}

fn request(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        ..SearchRequest::default()
    }
}

#[test]
fn opens_and_searches_from_fetched_parts_with_the_answers_of_the_whole_pack() {
    let whole = SearchIndex::open(MINI_PACK.to_vec()).unwrap();
    let mut host = Host {
        requests: 0,
        bytes: 0,
    };
    // The first request: the head (header and hot copies), whose length the manifest gives.
    let header = header_len(&MINI_PACK[..PREAMBLE_LEN]).unwrap();
    let toc = read_table_of_contents(&MINI_PACK[..header], MINI_PACK.len() as u64).unwrap();
    let head = head_len(&toc, header);
    host.requests += 1;
    host.bytes += head;
    let cache = Arc::new(Mutex::new(
        RangeCache::from_head(&MINI_PACK[..head as usize], &toc).unwrap(),
    ));
    let misses = ReadLog::default();
    let directory = PackedDirectory::sparse(&toc, cache.clone(), misses.clone());

    let (index, open_rounds) = with_fetching(&mut host, &cache, &misses, || {
        SearchIndex::open_directory(directory.clone())
    });
    let opened_with = host.bytes;
    assert_eq!(index.doc_count(), 8);
    assert_eq!(open_rounds, 1, "the head holds all that opening reads");

    for query in [
        "收费清单",
        "宁政发[2019]3号",
        "城镇排水与污水处里条例",
        "政务公开 工作要点",
        // A lone character: every term starting with it, read ahead as one range.
        "法",
        "2023年",
        // Questions: their content words (and a lone character between fillers, left out)
        // are read in a few rounds like any query.
        "收费清单在哪里可以查到",
        "政务公开会怎么办理呢",
    ] {
        let before = host.bytes;
        let (_, ahead_rounds) = with_fetching(&mut host, &cache, &misses, || {
            index.read_ahead(&request(query))
        });
        let (results, rounds) =
            with_fetching(&mut host, &cache, &misses, || index.search(&request(query)));
        assert!(
            ahead_rounds + rounds <= 6,
            "{query}: {ahead_rounds} rounds ahead, {rounds} searching"
        );
        let expected = whole.search(&request(query)).unwrap();
        let ids = |r: &disclosure_search::SearchResults| {
            r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(&results), ids(&expected), "{query}");
        assert_eq!(results.total_exact, expected.total_exact, "{query}");
        eprintln!(
            "{query}: {ahead_rounds} + {rounds} rounds, {} bytes fetched",
            host.bytes - before
        );
    }
    eprintln!(
        "pack {} bytes; opened with {opened_with} bytes in {open_rounds} rounds; {} bytes in {} requests in all",
        MINI_PACK.len(),
        host.bytes,
        host.requests
    );
    assert!(host.bytes < MINI_PACK.len() as u64);
}

#[test]
fn the_cache_merges_parts_and_serves_reads_inside_them() {
    let mut cache = RangeCache::default();
    cache.insert(10, &[1, 2, 3]);
    cache.insert(16, &[7, 8]);
    assert!(cache.get(10..13).is_some());
    assert!(cache.get(12..17).is_none());
    cache.insert(13, &[4, 5, 6]);
    assert_eq!(cache.get(12..18).unwrap().as_slice(), &[3, 4, 5, 6, 7, 8]);
    cache.insert(11, &[2, 3, 4]);
    assert_eq!(cache.bytes(), 8);
    assert_eq!(
        coalesce(vec![20..30, 0..10, 8..12, 40..41], 5),
        [0..12, 20..30, 40..41]
    );
}
