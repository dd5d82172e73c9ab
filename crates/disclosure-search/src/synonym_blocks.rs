//! The synonym list in the pack, in one block per character (pack format 7): a query reads
//! the blocks of its own characters, not the whole list.
//!
//! Why: the list (20,859 terms in 4,306 groups for the corpus, 363 KB of JSON) lay in the
//! lexicon, in the pack's head, where it was 95 KB of the head's 180 KB of brotli that
//! every first visit downloads before its first result. A query can only use the groups
//! with a term starting with one of its characters ([`SynonymGroups::held_by`]) or, for
//! [`crate::synonyms::near_terms`], a term one character off it, which shares its first
//! or its second character: so each group is filed under the first character of each of
//! its terms and the second of each term `near_terms` may find. Of its characters' blocks
//! a query reads those under characters that may start a term it holds
//! ([`BlockIndex::blocks_for`]): 2 for the median sample query, fetched in the round that
//! reads its dictionary entries ([`crate::session`]). The mobile first visit of the
//! benchmark went from 5,295 to 4,922 ms (790 → 714 KiB; `cargo xtask bench phone`).
//!
//! The synonyms file ([`SYNONYMS_FILE`]): the blocks one after another, in the order of
//! their characters; each deflated text, one group a line: its number in the list (file
//! order, which [`crate::synonyms`] keeps), a tab, its terms separated by spaces (folded
//! terms hold none, [`crate::synonyms::parse_synonyms`]). Where each block lies is the
//! lexicon's [`SynonymDirectory`], in the head.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::memo::Memo;

/// Name of the synonyms file in the pack.
pub const SYNONYMS_FILE: &str = "synonyms";

/// A block inflated to more than this is not read (a damaged or hostile pack cannot make
/// the reader allocate without bound); the corpus's largest is about 17 KB.
const MAX_BLOCK_INFLATED: usize = 1024 * 1024;

/// Where the blocks of the synonyms file lie, as the lexicon stores it: 10 KB of brotli
/// for the corpus's 1,932 characters and 8,288 pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SynonymDirectory {
    /// The characters blocks are filed under, ascending, each once.
    pub keys: String,
    /// The deflated length in bytes of each character's block, in the order of `keys`; the
    /// first block starts the file and each of the others follows the one before.
    pub lens: Vec<u32>,
    /// A Bloom filter, in hexadecimal, of the first two characters of every term
    /// ([`PairFilter`]); empty, every block under a query's characters is read.
    pub pairs: String,
}

/// Bits of the [`PairFilter`] per pair of characters it holds: 0.7% false positives
/// measured on the corpus's list.
#[cfg(not(target_arch = "wasm32"))]
const FILTER_BITS_PER_PAIR: usize = 10;

/// Hashes per pair of characters in the [`PairFilter`].
const FILTER_HASHES: u64 = 7;

/// A Bloom filter of the pairs of characters the terms of the list start with (a
/// one-character term as its character and `\0`). Why: a term's characters stand in the
/// query in its order, whether contiguous, across a pronoun left out or with words inside
/// ([`crate::synonyms`]), so only a character followed somewhere by a second character
/// one of its terms has can start a term the query holds. A title of twenty characters
/// has a block under nearly every one, and its seven blocks' ranges were 14 more requests
/// for a cold query on a phone's HTTP/1.1 (7 → 21, median); of the sample queries' blocks
/// the filter leaves 2 (median). False positives only fetch a block more.
#[derive(Debug, Clone, Default)]
struct PairFilter {
    bits: Vec<u8>,
}

impl PairFilter {
    /// A filter sized for `pairs` pairs, holding none yet.
    #[cfg(not(target_arch = "wasm32"))]
    fn with_capacity(pairs: usize) -> PairFilter {
        PairFilter {
            bits: vec![0; (pairs * FILTER_BITS_PER_PAIR).div_ceil(8).max(1)],
        }
    }

    /// The filter stored as `hex`; empty (every pair may be held) for text that is not one.
    fn from_hex(hex: &str) -> PairFilter {
        let bits = (0..hex.len() / 2)
            .map(|at| {
                hex.get(2 * at..2 * at + 2)
                    .and_then(|byte| u8::from_str_radix(byte, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .filter(|_| hex.len() % 2 == 0)
            .unwrap_or_default();
        PairFilter { bits }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn to_hex(&self) -> String {
        self.bits.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// The bit positions of the pair `first`, `second`: double hashing of FNV-1a over
    /// their code points, the same natively and in Wasm.
    fn positions(&self, first: char, second: char) -> impl Iterator<Item = usize> {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in (first as u32)
            .to_le_bytes()
            .into_iter()
            .chain((second as u32).to_le_bytes())
        {
            hash = (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3);
        }
        let (one, two) = (hash & 0xffff_ffff, (hash >> 32) | 1);
        let bits = (self.bits.len() * 8) as u64;
        (0..FILTER_HASHES).map(move |at| (one.wrapping_add(at.wrapping_mul(two)) % bits) as usize)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn insert(&mut self, first: char, second: char) {
        for at in self.positions(first, second).collect::<Vec<_>>() {
            self.bits[at / 8] |= 1 << (at % 8);
        }
    }

    /// Whether a term may start with `first`, `second` (always, for an empty filter).
    fn may_hold(&self, first: char, second: char) -> bool {
        self.bits.is_empty()
            || self
                .positions(first, second)
                .all(|at| self.bits[at / 8] & (1 << (at % 8)) != 0)
    }
}

/// The pair a term is entered in the [`PairFilter`] under: its first two characters, or
/// its one and `\0`.
#[cfg(not(target_arch = "wasm32"))]
fn first_pair(term: &str) -> Option<(char, char)> {
    let mut chars = term.chars();
    Some((chars.next()?, chars.next().unwrap_or('\0')))
}

/// A [`SynonymDirectory`] ready for lookups: each character's block as a byte range of the
/// synonyms file.
#[derive(Debug, Clone, Default)]
pub struct BlockIndex {
    blocks: HashMap<char, Range<usize>>,
    pairs: PairFilter,
}

impl BlockIndex {
    /// The blocks of `directory`; a directory whose keys and lengths do not pair up (a
    /// damaged pack) pairs as many as it can.
    pub fn new(directory: &SynonymDirectory) -> BlockIndex {
        let mut start = 0usize;
        let blocks = directory
            .keys
            .chars()
            .zip(&directory.lens)
            .map(|(key, len)| {
                let range = start..start.saturating_add(*len as usize);
                start = range.end;
                (key, range)
            })
            .collect();
        BlockIndex {
            blocks,
            pairs: PairFilter::from_hex(&directory.pairs),
        }
    }

    /// The blocks `folded` (a folded query) reads: the character and byte range of each
    /// block it may hold a term of, by range, each once — under a character followed
    /// somewhere after it by a second character of one of its terms ([`PairFilter`]), and
    /// for a word [`crate::synonyms::near_terms`] reads, under its first and second
    /// characters.
    pub fn blocks_for(&self, folded: &str) -> Vec<(char, Range<usize>)> {
        let chars: Vec<char> = folded.chars().filter(|c| !c.is_whitespace()).collect();
        let word: String = chars.iter().collect();
        let near = crate::synonyms::may_be_near_term(&word);
        let mut blocks: Vec<(char, Range<usize>)> = Vec::new();
        for (at, c) in chars.iter().enumerate() {
            let Some(range) = self.blocks.get(c) else {
                continue;
            };
            let starts_one = (near && at < 2)
                || self.pairs.may_hold(*c, '\0')
                || chars[at + 1..]
                    .iter()
                    .any(|next| self.pairs.may_hold(*c, *next));
            if starts_one {
                blocks.push((*c, range.clone()));
            }
        }
        blocks.sort_by_key(|(_, range)| range.start);
        blocks.dedup_by_key(|(key, _)| *key);
        blocks
    }
}

/// The characters a group with `term` is filed under: its first and, for a term
/// [`crate::synonyms::near_terms`] may give, its second.
#[cfg(not(target_arch = "wasm32"))]
fn keys_of(term: &str) -> impl Iterator<Item = char> + '_ {
    let near = crate::synonyms::may_be_near_term(term);
    term.chars().take(if near { 2 } else { 1 })
}

/// Adds group `at` to the groups filed under a character, once: groups are filed in the
/// list's order, so a repeat (two terms of a group under one character) can only be the
/// last one added.
fn file_once(filed: &mut Vec<usize>, at: usize) {
    if filed.last() != Some(&at) {
        filed.push(at);
    }
}

/// The synonyms file of `groups` (folded terms, in the list's order) and its directory.
/// Building only.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_blocks(groups: &[Vec<String>]) -> (Vec<u8>, SynonymDirectory) {
    let mut filed: std::collections::BTreeMap<char, Vec<usize>> = Default::default();
    for (at, group) in groups.iter().enumerate() {
        for key in group.iter().flat_map(|term| keys_of(term)) {
            file_once(filed.entry(key).or_default(), at);
        }
    }
    let mut file = Vec::new();
    let mut directory = SynonymDirectory::default();
    let starts: std::collections::BTreeSet<(char, char)> = groups
        .iter()
        .flatten()
        .filter_map(|term| first_pair(term))
        .collect();
    let mut pairs = PairFilter::with_capacity(starts.len());
    for (first, second) in starts {
        pairs.insert(first, second);
    }
    directory.pairs = pairs.to_hex();
    for (key, numbers) in filed {
        let mut text = String::new();
        for at in numbers {
            text.push_str(&format!("{at}\t{}\n", groups[at].join(" ")));
        }
        let block = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 10);
        directory.keys.push(key);
        directory.lens.push(block.len() as u32);
        file.extend_from_slice(&block);
    }
    (file, directory)
}

/// A group of the list: its folded terms, in the list's order, shared by every block and
/// query holding it.
pub type Group = Arc<Vec<String>>;

/// A block read: the character it is filed under and its groups.
#[derive(Debug, Default)]
pub struct Block {
    key: char,
    /// The groups, with their numbers in the list, ascending.
    groups: Vec<(u32, Group)>,
    /// Which of `groups` have a term starting with `key` (indexes, ascending): the groups
    /// [`SynonymGroups::held_by`] gives for it.
    starting: Vec<usize>,
}

/// The block filed under `key` from its deflated bytes; `None` for bytes that are not one
/// (damaged: the query then goes without it).
pub fn read_block(key: char, deflated: &[u8]) -> Option<Block> {
    let text =
        miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, MAX_BLOCK_INFLATED).ok()?;
    let text = String::from_utf8(text).ok()?;
    let groups: Vec<(u32, Group)> = text
        .lines()
        .map(|line| {
            let (number, terms) = line.split_once('\t')?;
            let terms: Vec<String> = terms.split(' ').map(str::to_string).collect();
            Some((number.parse().ok()?, Arc::new(terms)))
        })
        .collect::<Option<_>>()?;
    let starting = groups
        .iter()
        .enumerate()
        .filter(|(_, (_, group))| group.iter().any(|term| term.starts_with(key)))
        .map(|(at, _)| at)
        .collect();
    Some(Block {
        key,
        groups,
        starting,
    })
}

/// More blocks than this are forgotten all at once rather than grown without bound (the
/// corpus's list has 1,932, 2 MB inflated).
const MAX_CACHED_BLOCKS: usize = 4_096;

/// The blocks read so far, inflated, by their offset in the synonyms file, for the
/// session's life. Why: a query's characters are mostly those of the last ones, and
/// inflating and splitting its blocks again made a search whose bytes are held a third
/// slower natively (1.3 → 1.7 ms median).
#[derive(Debug)]
pub struct BlockCache(Memo<usize, Arc<Block>>);

impl Default for BlockCache {
    fn default() -> BlockCache {
        BlockCache(Memo::new(MAX_CACHED_BLOCKS))
    }
}

impl BlockCache {
    /// The block filed under `key` at `range` of the synonyms file: remembered, or read
    /// with `read` and remembered (a damaged one as empty). A read that fails (a range
    /// reader's bytes not fetched yet) is returned as it came and not remembered.
    pub fn block<B: AsRef<[u8]>>(
        &self,
        key: char,
        range: Range<usize>,
        read: impl FnOnce(Range<usize>) -> std::io::Result<B>,
    ) -> std::io::Result<Arc<Block>> {
        self.0.get_or_read(range.start, || {
            let block = read_block(key, read(range)?.as_ref()).unwrap_or(Block {
                key,
                ..Block::default()
            });
            Ok(Arc::new(block))
        })
    }
}

/// The synonym groups a query can hold: those of its characters' blocks, or a whole list.
#[derive(Debug, Clone, Default)]
pub struct SynonymGroups {
    /// The groups, in the list's order.
    groups: Vec<Group>,
    /// For each character, the groups with a term that starts with it (indexes into
    /// `groups`, ascending), for [`SynonymGroups::held_by`].
    by_first_char: HashMap<char, Vec<usize>>,
}

impl SynonymGroups {
    /// All of `groups` (folded terms, in the list's order): a list held whole, for tests of
    /// what the list does to a query (a pack, even held in memory, reads its blocks).
    pub fn new(groups: Vec<Vec<String>>) -> SynonymGroups {
        SynonymGroups::of(groups.into_iter().map(Arc::new).collect())
    }

    fn of(groups: Vec<Group>) -> SynonymGroups {
        let mut by_first_char: HashMap<char, Vec<usize>> = HashMap::new();
        for (at, group) in groups.iter().enumerate() {
            for first in group.iter().filter_map(|term| term.chars().next()) {
                file_once(by_first_char.entry(first).or_default(), at);
            }
        }
        SynonymGroups {
            groups,
            by_first_char,
        }
    }

    /// The groups of `blocks` ([`read_block`]), each once, in the list's order. Each
    /// block tells which of its groups have a term starting with its character: a
    /// query's groups are indexed by the first characters of their terms without going
    /// through the terms (the thousands of terms of a long title's blocks were a tenth of
    /// a search whose bytes are held).
    pub fn from_blocks(blocks: &[&Block]) -> SynonymGroups {
        let mut numbered: Vec<&(u32, Group)> =
            blocks.iter().flat_map(|block| &block.groups).collect();
        numbered.sort_by_key(|(number, _)| *number);
        numbered.dedup_by_key(|(number, _)| *number);
        let numbers: Vec<u32> = numbered.iter().map(|(number, _)| *number).collect();
        let by_first_char = blocks
            .iter()
            .map(|block| {
                let at = block
                    .starting
                    .iter()
                    .filter_map(|at| numbers.binary_search(&block.groups[*at].0).ok())
                    .collect();
                (block.key, at)
            })
            .collect();
        SynonymGroups {
            groups: numbered
                .into_iter()
                .map(|(_, group)| group.clone())
                .collect(),
            by_first_char,
        }
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every group, in the list's order.
    pub fn groups(&self) -> impl Iterator<Item = &Vec<String>> + '_ {
        self.groups.iter().map(|group| &**group)
    }

    /// The groups that can have a term inside `folded` (a folded query), in the list's
    /// order: those with a term starting with one of its characters. A group left out
    /// holds no term the query could hold, even with words left out of it
    /// ([`crate::synonyms`] reads only views of the query made of its own characters), so
    /// scanning these gives what scanning the whole list gives. Why: every search scans
    /// the list several times, and a substring search for each of the corpus's 20,000-odd
    /// terms was half the time of a search whose bytes are held (about 2.5 ms of 5
    /// natively, more in the browser's Wasm).
    pub fn held_by<'a>(&'a self, folded: &str) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        let mut at: Vec<usize> = folded
            .chars()
            .filter_map(|c| self.by_first_char.get(&c))
            .flatten()
            .copied()
            .collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter().map(|at| &*self.groups[at])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter()
            .map(|group| group.iter().map(|term| term.to_string()).collect())
            .collect()
    }

    /// The groups `folded` reads from the blocks of `file`.
    fn read(file: &[u8], directory: &SynonymDirectory, folded: &str) -> SynonymGroups {
        let blocks: Vec<Block> = BlockIndex::new(directory)
            .blocks_for(folded)
            .into_iter()
            .map(|(key, range)| read_block(key, &file[range]).unwrap())
            .collect();
        SynonymGroups::from_blocks(&blocks.iter().collect::<Vec<_>>())
    }

    #[test]
    fn a_query_reads_the_groups_filed_under_its_characters_in_list_order() {
        let list = groups(&[
            &["社保", "社会保险"],
            &["医保", "医疗保险"],
            &["打架", "斗殴"],
            &["ktv", "歌厅", "保险柜"],
            &["收废品", "废品站"],
        ]);
        let (file, directory) = write_blocks(&list);
        assert_eq!(directory.keys.chars().count(), directory.lens.len());
        let held = read(&file, &directory, "交社保保险");
        // 社 files the first group; 保 the fourth (保险柜), not the second (医保 starts
        // with 医); each once, in the list's order.
        assert_eq!(held.groups().collect::<Vec<_>>(), [&list[0], &list[3]]);
        // A word one character off a three-character term (`收废铁`) shares its first
        // character, or its second (`卖废品` → 废 of 收废品): near terms are filed there.
        let near = read(&file, &directory, "卖废品");
        assert_eq!(near.groups().collect::<Vec<_>>(), [&list[4]]);
        assert!(read(&file, &directory, "工伤").is_empty());
        // Only a character followed, somewhere after it, by a second character of one of
        // its terms reads its block: `社` of `社会保险` (a term said with words inside, as
        // a question may) and `保` of `保险柜`; not `社` without `保` or `会` after it,
        // nor `打` without `架`.
        let index = BlockIndex::new(&directory);
        let keys = |folded: &str| -> String {
            index
                .blocks_for(folded)
                .into_iter()
                .map(|(key, _)| key)
                .collect()
        };
        assert_eq!(keys("社区 的 保险"), "保社");
        assert_eq!(keys("保险柜放在家里 社"), "保");
        // A word `near_terms` reads (three to five Han characters) reads the blocks of
        // its first two characters whatever follows them.
        assert_eq!(keys("险社区"), "社险");
        assert_eq!(keys("他打了我一下 斗 殴"), "斗");
        assert!(read(&file, &directory, "").is_empty());
        // Held the whole list, the same groups a query can hold.
        let whole = SynonymGroups::new(list.clone());
        let from_whole: Vec<&Vec<String>> = whole.held_by("斗殴了 ktv").collect();
        let from_blocks = read(&file, &directory, "斗殴了 ktv");
        let from_blocks: Vec<&Vec<String>> = from_blocks.held_by("斗殴了 ktv").collect();
        assert_eq!(from_whole, from_blocks);
        assert_eq!(from_whole, [&list[2], &list[3]]);
    }

    #[test]
    fn damaged_blocks_and_directories_read_as_nothing_without_a_panic() {
        let (file, directory) = write_blocks(&groups(&[&["社保", "社会保险"]]));
        // Cut short, a block gives what it holds or nothing; bytes that are no deflated
        // text, nothing.
        let _ = read_block('社', &file[..file.len() / 2]);
        assert!(read_block('社', b"\xff\xfe not deflated").is_none());
        let deflated = miniz_oxide::deflate::compress_to_vec(b"x\tsocial security\n", 6);
        assert!(
            read_block('社', &deflated).is_none(),
            "a group's number is a number"
        );
        let short = SynonymDirectory {
            keys: directory.keys.clone() + "医",
            ..directory.clone()
        };
        assert_eq!(BlockIndex::new(&short).blocks_for("医保"), Vec::new());
        // A filter that is no hexadecimal is none: every block under the query's
        // characters is read.
        let unfiltered = SynonymDirectory {
            pairs: "社保".into(),
            ..directory.clone()
        };
        assert_eq!(BlockIndex::new(&unfiltered).blocks_for("保社").len(), 1);
        assert!(BlockIndex::new(&directory).blocks_for("保社").is_empty());
    }
}
