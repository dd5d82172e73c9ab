//! The packed index: all files of a one-segment tantivy index in one file with a table of
//! contents, so that any static host can serve it and a reader can later fetch parts of it
//! by byte range.
//!
//! Layout: the 8-byte magic `NXDSPK02`, the table of contents' length as a little-endian
//! u32, the table of contents as JSON, copies of the index's "hot" ranges, then the files
//! one after another in name order.
//!
//! The hot ranges are the bytes every search reads (footers, term-dictionary indexes, the
//! store's block index, fast fields, field norms, the small term dictionaries): copied
//! into the head of the pack, they reach a range reader in its first request, so opening
//! the index costs one round trip instead of one per footer.

use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
pub use tantivy::directory::OwnedBytes;
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, WatchCallback, WatchHandle, WritePtr,
};

/// Format of the packs this code reads and writes, named in the manifest so a reader can
/// refuse a pack it does not understand. Raised with the index schema: 3 added the
/// `authority` fast field the topic ranking reads; 4 stores the lexicon deflated (a reader
/// of format 3 would see none: no synonyms, pinyin or suggestions, and say nothing); 5
/// lays body chunks out in slots addressed by fast fields (`body_start`, `body_stride`,
/// `body_chunk_count`) instead of a stored `body_chunks` list; 6 drops `body_start`, which
/// the reader sums from the other two (one column fewer in every first visit's head); 7
/// moves the synonym list out of the lexicon, in the head, into blocks by character in a
/// file of its own (`crate::synonym_blocks`), read by the queries holding them.
pub const PACK_FORMAT: &str = "disclosure-pack/7";

/// `manifest.json`, written beside the pack: where the pack is, so a widget finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// File name of the pack, relative to the manifest; it carries a content hash, so a
    /// host may let browsers cache it as long as they like.
    pub pack: String,
    pub pack_bytes: u64,
    /// How many bytes from the start hold the table of contents and the hot ranges: a
    /// range reader's first request.
    pub head_bytes: u64,
    /// File name, relative to the manifest, of a copy of the pack's first `head_bytes`
    /// bytes (`search.<hash>.head`): fetched whole, a host may compress it (the corpus's
    /// head, 212 KB, crosses the wire as 96 KB of brotli), which a byte range of the
    /// pack never is. Absent in manifests written before it: the head is then read as a
    /// range of the pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    pub documents: u64,
}

impl Manifest {
    /// The one byte of the pack past its head that opening asks for beside the head's own
    /// file (`None` when the manifest names no head file, or the head is the whole pack): a
    /// host that ignores `Range` answers it with the whole pack, once, instead of answering
    /// each range of the first query so.
    pub fn probe_range(&self) -> Option<Range<u64>> {
        match &self.head {
            Some(_) if self.head_bytes < self.pack_bytes => {
                Some(self.head_bytes..self.head_bytes + 1)
            }
            _ => None,
        }
    }
}

/// The first bytes of every packed index.
pub const MAGIC: &[u8; 8] = b"NXDSPK02";

/// Where each file of the index lies in the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableOfContents {
    pub files: Vec<PackedFile>,
    /// Ranges of the pack (offsets into the files above) whose copies follow the table,
    /// in this order.
    pub hot: Vec<HotRange>,
}

/// A range of the pack copied into its head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotRange {
    pub offset: u64,
    pub len: u64,
}

/// One file of the index: its name and its byte range in the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedFile {
    pub name: String,
    pub offset: u64,
    pub len: u64,
}

/// Why bytes could not be read as a packed index; the widget turns each into a message
/// for the citizen, the builder's CLI prints it for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackError {
    NotAPack,
    Truncated { needed: u64, have: u64 },
    BadTableOfContents(String),
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackError::NotAPack => write!(f, "not a packed disclosure index (bad magic bytes)"),
            PackError::Truncated { needed, have } => {
                write!(
                    f,
                    "packed index is truncated: needs {needed} bytes, has {have}"
                )
            }
            PackError::BadTableOfContents(reason) => {
                write!(f, "packed index has a bad table of contents: {reason}")
            }
        }
    }
}

impl std::error::Error for PackError {}

/// Packs `files` (name, content) with copies of the `hot` ranges (file name, range within
/// that file) in the head; the order of the files does not matter, so the same files
/// always give the same bytes.
pub fn write_pack(files: &[(String, Vec<u8>)], hot: &[(String, Range<u64>)]) -> Vec<u8> {
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let hot_bytes: Vec<&[u8]> = hot
        .iter()
        .map(|(name, range)| {
            let (_, bytes) = sorted
                .iter()
                .find(|(file, _)| file == name)
                .expect("a hot range names a packed file");
            &bytes[range.start as usize..range.end as usize]
        })
        .collect();
    let hot_len: u64 = hot_bytes.iter().map(|bytes| bytes.len() as u64).sum();
    // Offsets depend on the length of the table that lists them: lay the table out with
    // relative offsets first, then shift by the header length. The JSON length of the
    // shifted table can only grow with the offsets' digits, so iterate until it is stable.
    let mut header_len = 0u64;
    loop {
        let mut offset = header_len + hot_len;
        let toc = TableOfContents {
            files: sorted
                .iter()
                .map(|(name, bytes)| {
                    let file = PackedFile {
                        name: name.clone(),
                        offset,
                        len: bytes.len() as u64,
                    };
                    offset += bytes.len() as u64;
                    file
                })
                .collect(),
            hot: hot
                .iter()
                .map(|(name, range)| {
                    let file = toc_files_offset(&sorted, header_len + hot_len, name);
                    HotRange {
                        offset: file + range.start,
                        len: range.end - range.start,
                    }
                })
                .collect(),
        };
        let toc_json = serde_json::to_vec(&toc).expect("a table of contents always serializes");
        let needed = (MAGIC.len() + 4 + toc_json.len()) as u64;
        if needed == header_len {
            let mut out = Vec::with_capacity(offset as usize);
            out.extend_from_slice(MAGIC);
            out.extend_from_slice(&(toc_json.len() as u32).to_le_bytes());
            out.extend_from_slice(&toc_json);
            for bytes in hot_bytes {
                out.extend_from_slice(bytes);
            }
            for (_, bytes) in sorted {
                out.extend_from_slice(bytes);
            }
            return out;
        }
        header_len = needed;
    }
}

/// Where the file `name` starts when the files, in `sorted` order, follow `start`.
fn toc_files_offset(sorted: &[&(String, Vec<u8>)], start: u64, name: &str) -> u64 {
    let mut offset = start;
    for (file, bytes) in sorted {
        if file == name {
            return offset;
        }
        offset += bytes.len() as u64;
    }
    panic!("a hot range names a packed file")
}

/// Length of the fixed part before the table of contents.
pub const PREAMBLE_LEN: usize = 12;

/// Reads the table of contents' length from the first [`PREAMBLE_LEN`] bytes, so a range
/// reader knows how much to fetch before it can read the table.
pub fn header_len(preamble: &[u8]) -> Result<usize, PackError> {
    if preamble.len() < PREAMBLE_LEN {
        return Err(PackError::Truncated {
            needed: PREAMBLE_LEN as u64,
            have: preamble.len() as u64,
        });
    }
    if &preamble[..8] != MAGIC {
        return Err(PackError::NotAPack);
    }
    let toc_len = u32::from_le_bytes(preamble[8..12].try_into().expect("four bytes"));
    Ok(PREAMBLE_LEN + toc_len as usize)
}

/// Reads the table of contents from the start of a pack of `total_len` bytes and checks
/// that every file lies inside it.
pub fn read_table_of_contents(header: &[u8], total_len: u64) -> Result<TableOfContents, PackError> {
    let header_len = header_len(header)?;
    if header.len() < header_len {
        return Err(PackError::Truncated {
            needed: header_len as u64,
            have: header.len() as u64,
        });
    }
    let toc: TableOfContents = serde_json::from_slice(&header[PREAMBLE_LEN..header_len])
        .map_err(|error| PackError::BadTableOfContents(error.to_string()))?;
    for file in &toc.files {
        let end = file.offset.checked_add(file.len).ok_or_else(|| {
            PackError::BadTableOfContents(format!("{} has an impossible range", file.name))
        })?;
        if end > total_len {
            return Err(PackError::Truncated {
                needed: end,
                have: total_len,
            });
        }
        if file.offset < header_len as u64 {
            return Err(PackError::BadTableOfContents(format!(
                "{} overlaps the header",
                file.name
            )));
        }
    }
    for hot in &toc.hot {
        if hot
            .offset
            .checked_add(hot.len)
            .is_none_or(|end| end > total_len)
        {
            return Err(PackError::BadTableOfContents(
                "a hot range lies outside the pack".to_string(),
            ));
        }
    }
    Ok(toc)
}

/// How many bytes from the start of the pack hold its header and the hot copies, given
/// the header's length.
pub fn head_len(toc: &TableOfContents, header_len: usize) -> u64 {
    header_len as u64 + toc.hot.iter().map(|hot| hot.len).sum::<u64>()
}

/// The byte ranges of the pack that tantivy read, for measuring what opening the index
/// and answering a query need: the figures a range reader will download.
#[derive(Clone, Debug, Default)]
pub struct ReadLog(Arc<Mutex<Vec<Range<u64>>>>);

impl ReadLog {
    /// Takes the ranges read since the last call.
    pub fn take(&self) -> Vec<Range<u64>> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    /// The ranges read so far, kept.
    pub fn snapshot(&self) -> Vec<Range<u64>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn record(&self, range: Range<u64>) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(range);
    }
}

/// How many distinct bytes `ranges` cover.
pub fn distinct_bytes(mut ranges: Vec<Range<u64>>) -> u64 {
    crate::order::sort_by_key(&mut ranges, |range| range.start);
    let mut total = 0;
    let mut covered_to = 0;
    for range in ranges {
        let start = range.start.max(covered_to);
        if range.end > start {
            total += range.end - start;
            covered_to = range.end;
        }
    }
    total
}

/// A file of the pack whose reads are recorded.
#[derive(Debug)]
struct LoggedFile {
    offset: u64,
    bytes: OwnedBytes,
    log: ReadLog,
}

impl tantivy::HasLen for LoggedFile {
    fn len(&self) -> usize {
        self.bytes.len()
    }
}

impl FileHandle for LoggedFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.log
            .record(self.offset + range.start as u64..self.offset + range.end as u64);
        Ok(self.bytes.slice(range))
    }
}

/// The parts of a pack fetched so far, by their offset in the pack: what a range reader
/// holds. Adjacent and overlapping parts are merged, so a read within fetched bytes is
/// always served from one part.
#[derive(Debug, Default)]
pub struct RangeCache {
    parts: std::collections::BTreeMap<u64, OwnedBytes>,
}

impl RangeCache {
    /// The bytes of `range` of the pack, if they have been fetched.
    pub fn get(&self, range: Range<u64>) -> Option<OwnedBytes> {
        let (start, part) = self.parts.range(..=range.start).next_back()?;
        let end = start + part.len() as u64;
        (range.end <= end)
            .then(|| part.slice((range.start - start) as usize..(range.end - start) as usize))
    }

    /// Keeps `bytes`, fetched from `start` in the pack.
    pub fn insert(&mut self, start: u64, bytes: &[u8]) {
        let mut from = start;
        let mut to = start + bytes.len() as u64;
        let mut merged: Vec<(u64, OwnedBytes)> = Vec::new();
        let touching: Vec<u64> = self
            .parts
            .range(..=to)
            .filter(|(part_start, part)| *part_start + part.len() as u64 >= from)
            .map(|(part_start, _)| *part_start)
            .collect();
        for part_start in touching {
            if let Some(part) = self.parts.remove(&part_start) {
                from = from.min(part_start);
                to = to.max(part_start + part.len() as u64);
                merged.push((part_start, part));
            }
        }
        let mut joined = vec![0u8; (to - from) as usize];
        for (part_start, part) in &merged {
            let at = (part_start - from) as usize;
            joined[at..at + part.len()].copy_from_slice(part.as_slice());
        }
        let at = (start - from) as usize;
        joined[at..at + bytes.len()].copy_from_slice(bytes);
        self.parts.insert(from, OwnedBytes::new(joined));
    }

    /// A cache holding the head of a pack (`head`, from its first byte): the header, and
    /// each hot copy at the place of the bytes it copies.
    pub fn from_head(head: &[u8], toc: &TableOfContents) -> Result<RangeCache, PackError> {
        let header_len = header_len(head)?;
        let needed = head_len(toc, header_len);
        if (head.len() as u64) < needed {
            return Err(PackError::Truncated {
                needed,
                have: head.len() as u64,
            });
        }
        let mut cache = RangeCache::default();
        cache.insert(0, &head[..header_len]);
        let mut at = header_len;
        for hot in &toc.hot {
            let len = hot.len as usize;
            cache.insert(hot.offset, &head[at..at + len]);
            at += len;
        }
        Ok(cache)
    }

    /// The parts of `wanted` not held yet, merged where they lie at most `gap` bytes apart
    /// and nothing held lies between, then, when the host takes six requests at a time
    /// ([`Carriage::SixAtATime`]), joined further where fewer waves of requests save more
    /// time than the gaps cost ([`RangeCache::in_fewer_waves`]): what to fetch, without
    /// fetching a held byte again.
    pub fn to_fetch(
        &self,
        wanted: Vec<Range<u64>>,
        gap: u64,
        carriage: Carriage,
    ) -> Vec<Range<u64>> {
        let mut pieces = Vec::new();
        for range in coalesce(wanted, 0) {
            let mut from = range.start;
            let held = self
                .parts
                .range(..range.end)
                .map(|(start, part)| *start..*start + part.len() as u64)
                .filter(|part| part.end > range.start);
            for part in held {
                if part.start > from {
                    pieces.push(from..part.start);
                }
                from = from.max(part.end);
            }
            if from < range.end {
                pieces.push(from..range.end);
            }
        }
        let mut merged: Vec<Range<u64>> = Vec::new();
        for piece in pieces {
            match merged.last_mut() {
                Some(last)
                    if piece.start <= last.end.saturating_add(gap)
                        && !self.holds_any(last.end..piece.start) =>
                {
                    last.end = last.end.max(piece.end)
                }
                _ => merged.push(piece),
            }
        }
        match carriage {
            Carriage::SixAtATime => self.in_fewer_waves(merged),
            Carriage::AllAtOnce => merged,
        }
    }

    /// Joins neighbouring requests of a round across gaps (never across held bytes) when
    /// that saves time on a phone's link: a browser opens at most [`REQUESTS_PER_WAVE`]
    /// HTTP/1.1 connections to a host, so each further six requests wait a round trip
    /// ([`PHONE_ROUND_TRIP_MS`]), while a gap fetched costs its bytes
    /// ([`PHONE_BYTES_PER_MS`]). The narrowest gaps go first; as many are joined as make
    /// the round quickest by that model (none when the round fits one wave).
    fn in_fewer_waves(&self, mut merged: Vec<Range<u64>>) -> Vec<Range<u64>> {
        let waves = |requests: usize| requests.div_ceil(REQUESTS_PER_WAVE) as f64;
        let mut gaps: Vec<(u64, usize)> = merged
            .windows(2)
            .enumerate()
            .map(|(at, pair)| (pair[1].start - pair[0].end, at))
            .filter(|(_, at)| !self.holds_any(merged[*at].end..merged[*at + 1].start))
            .collect();
        gaps.sort();
        let count = merged.len();
        let (mut best, mut best_ms, mut wasted) = (0, waves(count) * PHONE_ROUND_TRIP_MS, 0u64);
        for (joined, (gap, _)) in gaps.iter().enumerate() {
            wasted += gap;
            let ms = waves(count - joined - 1) * PHONE_ROUND_TRIP_MS
                + wasted as f64 / PHONE_BYTES_PER_MS;
            if ms < best_ms {
                (best, best_ms) = (joined + 1, ms);
            }
        }
        let mut join: Vec<usize> = gaps[..best].iter().map(|(_, at)| *at).collect();
        // From the right, so the positions of the ones left to join stay true.
        join.sort_unstable_by(|a, b| b.cmp(a));
        for at in join {
            let next = merged.remove(at + 1);
            merged[at].end = next.end;
        }
        merged
    }

    /// Whether any byte of `range` is held.
    fn holds_any(&self, range: Range<u64>) -> bool {
        if range.is_empty() {
            return false;
        }
        self.parts
            .range(..range.end)
            .next_back()
            .is_some_and(|(start, part)| *start + part.len() as u64 > range.start)
    }

    /// How many bytes are held.
    pub fn bytes(&self) -> u64 {
        self.parts.values().map(|part| part.len() as u64).sum()
    }
}

/// How the host carries the requests of one round of fetching, which decides whether
/// neighbouring ranges are fetched as one across gaps ([`RangeCache::to_fetch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Carriage {
    /// One range a request over HTTP/1.1, whose browser opens [`REQUESTS_PER_WAVE`]
    /// connections to a host: each further six requests wait a round trip, so neighbours
    /// are joined across the narrowest gaps where that is quicker on a phone's link.
    #[default]
    SixAtATime,
    /// Every range of a round at once — several ranges a request (`multipart/byteranges`),
    /// or HTTP/2 and HTTP/3 with every request on one connection: a gap fetched would only
    /// be bytes lost, so ranges are joined only across the narrow gaps a request costs more
    /// than ([`COALESCE_GAP_BYTES`]).
    AllAtOnce,
}

/// Missing ranges closer than this are fetched as one: a request costs more than a KiB
/// (wider gaps cost bytes fast: 8 KiB adds 43 KiB to the median cold query of the corpus).
pub const COALESCE_GAP_BYTES: u64 = 1024;

/// Requests a browser sends to one host at once over HTTP/1.1 (six connections): what
/// [`RangeCache::to_fetch`] fits a round into, where gaps allow.
pub const REQUESTS_PER_WAVE: usize = 6;

/// The round trip of the phone link the reader plans for, in milliseconds (Lighthouse's
/// mobile profile).
pub const PHONE_ROUND_TRIP_MS: f64 = 150.0;

/// The bandwidth of that link in bytes per millisecond (1.6 Mbit/s).
pub const PHONE_BYTES_PER_MS: f64 = 1_600_000.0 / 8.0 / 1000.0;

/// Ranges that lie at most `gap` bytes apart, merged: one request instead of many.
pub fn coalesce(mut ranges: Vec<Range<u64>>, gap: u64) -> Vec<Range<u64>> {
    crate::order::sort_by_key(&mut ranges, |range| range.start);
    let mut merged: Vec<Range<u64>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end.saturating_add(gap) => {
                last.end = last.end.max(range.end)
            }
            _ => merged.push(range),
        }
    }
    merged
}

/// A read of bytes of the pack that the range cache does not hold yet: the error a sparse
/// [`PackedDirectory`] gives tantivy (inside an `io::Error`), and what a reader finds with
/// [`missing_range`] to fetch `range` (offsets into the pack, end exclusive) and retry.
/// Every miss is also recorded in the directory's miss log, which is what a
/// [`crate::session::Session`] fetches.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("part of the packed index is not fetched yet: bytes {}..{}", .range.start, .range.end)]
pub struct MissingRange {
    /// The bytes of the pack the read asked for.
    pub range: Range<u64>,
}

/// The miss inside `error` (from opening or searching a sparse directory), if it is one:
/// looks through tantivy's errors, `io::Error`s and error sources for a [`MissingRange`].
/// `None` for any other error (damaged bytes, a bad schema …).
pub fn missing_range(error: &(dyn std::error::Error + 'static)) -> Option<MissingRange> {
    let in_io = |io: &io::Error| {
        io.get_ref()
            .and_then(|inner| missing_range(inner as &(dyn std::error::Error + 'static)))
    };
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<MissingRange>() {
            return Some(found.clone());
        }
        let found = if let Some(io) = error.downcast_ref::<io::Error>() {
            in_io(io)
        } else if let Some(io) = error.downcast_ref::<Arc<io::Error>>() {
            in_io(io)
        } else if let Some(error) = error.downcast_ref::<tantivy::TantivyError>() {
            match error {
                tantivy::TantivyError::IoError(io) => in_io(io),
                tantivy::TantivyError::OpenReadError(OpenReadError::IoError {
                    io_error, ..
                }) => in_io(io_error),
                _ => None,
            }
        } else if let Some(OpenReadError::IoError { io_error, .. }) =
            error.downcast_ref::<OpenReadError>()
        {
            in_io(io_error)
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
        current = error.source();
    }
    None
}

/// A file of the pack read through the range cache.
#[derive(Debug)]
struct SparseFile {
    offset: u64,
    len: usize,
    cache: Arc<Mutex<RangeCache>>,
    misses: ReadLog,
}

impl tantivy::HasLen for SparseFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for SparseFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        let wanted = self.offset + range.start as u64..self.offset + range.end as u64;
        let held = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(wanted.clone());
        held.ok_or_else(|| {
            self.misses.record(wanted.clone());
            io::Error::other(MissingRange { range: wanted })
        })
    }
}

/// Where a directory's bytes come from.
#[derive(Clone, Debug)]
enum Source {
    /// The whole pack in memory: each file's offset and bytes.
    Whole(Arc<HashMap<PathBuf, (u64, OwnedBytes)>>),
    /// The parts fetched so far: each file's offset and length.
    Sparse {
        files: Arc<HashMap<PathBuf, (u64, usize)>>,
        cache: Arc<Mutex<RangeCache>>,
        misses: ReadLog,
    },
}

/// A read-only tantivy directory over a pack held in memory, whole or in fetched parts.
#[derive(Clone, Debug)]
pub struct PackedDirectory {
    source: Source,
    log: Option<ReadLog>,
}

impl PackedDirectory {
    /// Checks the pack and indexes its files; no file content is copied.
    pub fn open(pack: OwnedBytes) -> Result<PackedDirectory, PackError> {
        let toc = read_table_of_contents(pack.as_slice(), pack.len() as u64)?;
        let files = toc
            .files
            .into_iter()
            .map(|file| {
                let range = file.offset as usize..(file.offset + file.len) as usize;
                (PathBuf::from(file.name), (file.offset, pack.slice(range)))
            })
            .collect();
        Ok(PackedDirectory {
            source: Source::Whole(Arc::new(files)),
            log: None,
        })
    }

    /// A directory over the parts of a pack held in `cache`, laid out by `toc`: a read of
    /// bytes not yet fetched fails with a [`MissingRange`] and is recorded in `misses`.
    pub fn sparse(
        toc: &TableOfContents,
        cache: Arc<Mutex<RangeCache>>,
        misses: ReadLog,
    ) -> PackedDirectory {
        let files = toc
            .files
            .iter()
            .map(|file| (PathBuf::from(&file.name), (file.offset, file.len as usize)))
            .collect();
        PackedDirectory {
            source: Source::Sparse {
                files: Arc::new(files),
                cache,
                misses,
            },
            log: None,
        }
    }

    /// The same directory, recording every byte range read into `log`.
    pub fn recording_into(mut self, log: ReadLog) -> PackedDirectory {
        self.log = Some(log);
        self
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("the packed index is read-only: {}", path.display()),
    )
}

impl Directory for PackedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let missing = || OpenReadError::FileDoesNotExist(path.to_path_buf());
        let files = match &self.source {
            Source::Whole(files) => files,
            Source::Sparse {
                files,
                cache,
                misses,
            } => {
                let (offset, len) = files.get(path).ok_or_else(missing)?;
                return Ok(Arc::new(SparseFile {
                    offset: *offset,
                    len: *len,
                    cache: cache.clone(),
                    misses: misses.clone(),
                }));
            }
        };
        let (offset, bytes) = files.get(path).ok_or_else(missing)?;
        Ok(match &self.log {
            Some(log) => Arc::new(LoggedFile {
                offset: *offset,
                bytes: bytes.clone(),
                log: log.clone(),
            }),
            None => Arc::new(bytes.clone()),
        })
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(match &self.source {
            Source::Whole(files) => files.contains_key(path),
            Source::Sparse { files, .. } => files.contains_key(path),
        })
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let handle = self.get_file_handle(path)?;
        handle
            .read_bytes(0..handle.len())
            .map(|bytes| bytes.as_slice().to_vec())
            .map_err(|error| OpenReadError::IoError {
                io_error: Arc::new(error),
                filepath: path.to_path_buf(),
            })
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Nothing ever writes a pack, so readers need no lock.
    fn acquire_lock(
        &self,
        _lock: &Lock,
    ) -> Result<DirectoryLock, tantivy::directory::error::LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_in_name_order_and_reads_back() {
        let files = vec![
            ("b.idx".to_string(), vec![2u8; 300]),
            ("a.json".to_string(), b"{}".to_vec()),
        ];
        let pack = write_pack(&files, &[]);
        let reversed: Vec<_> = files.iter().rev().cloned().collect();
        assert_eq!(pack, write_pack(&reversed, &[]));
        let directory = PackedDirectory::open(OwnedBytes::new(pack)).unwrap();
        assert_eq!(directory.atomic_read(Path::new("a.json")).unwrap(), b"{}");
        assert_eq!(
            directory.atomic_read(Path::new("b.idx")).unwrap(),
            vec![2u8; 300]
        );
        assert!(!directory.exists(Path::new("c")).unwrap());
    }

    #[test]
    fn records_what_is_read() {
        let pack = write_pack(&[("a".to_string(), (0u8..200).collect())], &[]);
        let log = ReadLog::default();
        let directory = PackedDirectory::open(OwnedBytes::new(pack))
            .unwrap()
            .recording_into(log.clone());
        let file = directory.open_read(Path::new("a")).unwrap();
        assert_eq!(
            file.read_bytes_slice(10..20).unwrap().as_slice(),
            &(10u8..20).collect::<Vec<_>>()[..]
        );
        file.read_bytes_slice(15..30).unwrap();
        let ranges = log.take();
        assert_eq!(ranges.len(), 2);
        assert_eq!(distinct_bytes(ranges), 20);
        assert!(log.take().is_empty());
    }

    #[test]
    fn refuses_foreign_truncated_and_corrupted_bytes() {
        let pack = write_pack(&[("a".to_string(), vec![1u8; 100])], &[]);
        assert_eq!(
            PackedDirectory::open(OwnedBytes::new(b"<html>not found</html>".to_vec())).unwrap_err(),
            PackError::NotAPack
        );
        assert!(matches!(
            PackedDirectory::open(OwnedBytes::new(pack[..pack.len() - 1].to_vec())).unwrap_err(),
            PackError::Truncated { .. }
        ));
        assert!(matches!(
            PackedDirectory::open(OwnedBytes::new(pack[..5].to_vec())).unwrap_err(),
            PackError::Truncated { .. }
        ));
        let mut corrupted = pack.clone();
        corrupted[PREAMBLE_LEN] = b'!';
        assert!(matches!(
            PackedDirectory::open(OwnedBytes::new(corrupted)).unwrap_err(),
            PackError::BadTableOfContents(_)
        ));
    }

    #[test]
    fn what_to_fetch_skips_held_bytes_and_merges_only_across_gaps_not_held() {
        let mut cache = RangeCache::default();
        cache.insert(100, &[0; 50]);
        assert_eq!(
            cache.to_fetch(vec![90..160], 1000, Carriage::SixAtATime),
            [90..100, 150..160]
        );
        assert_eq!(
            cache.to_fetch(vec![0..10, 20..30], 15, Carriage::SixAtATime),
            [0..30]
        );
        assert_eq!(
            cache.to_fetch(vec![110..120], 10, Carriage::SixAtATime),
            Vec::<Range<u64>>::new()
        );
        assert_eq!(
            cache.to_fetch(vec![160..170, 180..190], 5, Carriage::SixAtATime),
            [160..170, 180..190]
        );
    }

    #[test]
    fn a_round_fits_one_wave_of_requests_where_the_gaps_allow() {
        let mut cache = RangeCache::default();
        cache.insert(5_000, &[0; 10]);
        // Twelve ranges 2 KB apart, two waves: joined across the narrowest gaps into one
        // wave of six requests (11 KB of gaps cost less than a round trip).
        let wanted: Vec<Range<u64>> = (0..12u64).map(|n| n * 2_000..n * 2_000 + 100).collect();
        let round = cache.to_fetch(wanted.clone(), 0, Carriage::SixAtATime);
        assert_eq!(round.len(), REQUESTS_PER_WAVE, "{round:?}");
        // Every range wanted is fetched; no held byte is fetched again.
        for range in &wanted {
            assert!(round
                .iter()
                .any(|r| r.start <= range.start && range.end <= r.end));
        }
        assert!(
            round.iter().all(|r| !(r.start < 5_010 && 5_000 < r.end)),
            "{round:?}"
        );
        // Ranges far apart stay apart, however many: their gaps cost more than waves.
        let far: Vec<Range<u64>> = (0..10u64)
            .map(|n| n * 1_000_000..n * 1_000_000 + 10)
            .collect();
        assert_eq!(cache.to_fetch(far.clone(), 0, Carriage::SixAtATime), far);
        // A host taking every request of a round at once: nothing is joined to save waves.
        let apart = cache.to_fetch(wanted.clone(), 0, Carriage::AllAtOnce);
        assert_eq!(apart, wanted);
    }

    #[test]
    fn the_probe_is_the_byte_past_the_head_when_there_is_one() {
        let manifest = |head: Option<&str>, head_bytes, pack_bytes| Manifest {
            format: PACK_FORMAT.to_string(),
            pack: "search.00.pack".to_string(),
            pack_bytes,
            head_bytes,
            head: head.map(str::to_string),
            documents: 1,
        };
        let probe = manifest(Some("search.00.head"), 100, 1_000).probe_range();
        assert_eq!(probe, Some(100..101));
        // No head file: the head is read as a range of the pack, no probe beside it.
        assert_eq!(manifest(None, 100, 1_000).probe_range(), None);
        // A head that is the whole pack leaves no byte to probe.
        let whole = manifest(Some("search.00.head"), 1_000, 1_000);
        assert_eq!(whole.probe_range(), None);
    }

    #[test]
    fn hot_ranges_are_copied_into_the_head_and_fill_a_cache() {
        let files = vec![
            ("a".to_string(), (0u8..100).collect::<Vec<u8>>()),
            ("b".to_string(), (100u8..250).collect::<Vec<u8>>()),
        ];
        let pack = write_pack(
            &files,
            &[("b".to_string(), 10..20), ("a".to_string(), 0..5)],
        );
        let toc = read_table_of_contents(&pack, pack.len() as u64).unwrap();
        let header = header_len(&pack).unwrap();
        let head = head_len(&toc, header) as usize;
        assert_eq!(head, header + 15);
        let cache = RangeCache::from_head(&pack[..head], &toc).unwrap();
        let b = &toc.files[1];
        assert_eq!(
            cache.get(b.offset + 10..b.offset + 20).unwrap().as_slice(),
            &(110u8..120).collect::<Vec<_>>()[..]
        );
        assert_eq!(
            cache
                .get(toc.files[0].offset..toc.files[0].offset + 5)
                .unwrap()
                .as_slice(),
            &[0, 1, 2, 3, 4]
        );
        assert!(cache.get(b.offset + 20..b.offset + 21).is_none());
        assert!(matches!(
            RangeCache::from_head(&pack[..head - 1], &toc),
            Err(PackError::Truncated { .. })
        ));
        let directory = PackedDirectory::open(OwnedBytes::new(pack)).unwrap();
        assert_eq!(directory.atomic_read(Path::new("a")).unwrap().len(), 100);
    }
}
