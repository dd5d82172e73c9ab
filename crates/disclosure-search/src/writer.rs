//! Building a packed index (native only: tantivy writes with threads).

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use disclosure_core::lookup::LookupEntry;
use disclosure_core::place::{approving_province, column_value, Place};
use disclosure_core::text::fold;
use disclosure_core::{DocNumber, PortalDocument};
use pinyin::{Pinyin, ToPinyinMulti};
use sha2::{Digest, Sha256};
use tantivy::directory::Directory;
use tantivy::index::SegmentComponent;
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument};

use crate::bodies::{deflated_chunks, slotted, BODIES_FILE};
use crate::engine::register_tokenizer;
use crate::engine::SearchIndex;
use crate::latin::{any_reading, syllable_pair_key};
use crate::lexicon::{seam_bigrams, Lexicon, LEXICON_FILE};
use crate::pack::{
    coalesce, head_len, header_len, read_table_of_contents, write_pack, OwnedBytes,
    PackedDirectory, ReadLog,
};
use crate::schema::{epoch_day, Fields, NO_END};
use crate::suggest::{write_blocks, SuggestEntry, MAX_PHRASE_CHARS, SUGGEST_FILE};
use crate::synonym_blocks::SYNONYMS_FILE;
use crate::term_blocks::{recut_term_file, TERM_BLOCK_BYTES};
use crate::term_usage::TermUsage;
use crate::tokenizer::{core_token_count, distinct_characters, tokenize};

/// Memory for the one indexing thread. One thread and a budget the whole corpus fits in
/// give one segment with documents in input order, hence byte-identical builds; 3,418
/// laws (60 MB of text) need well under half of it.
const WRITER_MEMORY_BYTES: usize = 2_000_000_000;

/// A reader fetches a whole store block to show one hit. Bodies live in the bodies file,
/// so a stored document is a few hundred bytes and a block of this size holds two or
/// three: a hit costs about its own fields, not its neighbours'.
const STORE_BLOCK_BYTES: usize = 1024;

/// Collects documents and writes them as one packed index.
pub struct IndexBuilder {
    index: Index,
    writer: IndexWriter,
    fields: Fields,
    /// The bodies file: every document's deflated chunks, in the order added.
    bodies: Vec<u8>,
    /// Every syllable read from a title, for the lexicon.
    syllables: BTreeSet<String>,
    /// The synonym groups for the lexicon ([`IndexBuilder::set_synonyms`]).
    synonyms: Vec<Vec<String>>,
    /// How the documents added use the groups' terms, which orders them in the lexicon.
    usage: TermUsage,
    /// Every title added, for the suggestions ([`crate::suggest`]).
    titles: Vec<String>,
    /// The validity records documents are matched with ([`IndexBuilder::set_validity`]).
    validity: ValidityRecords,
}

/// The validity records of a build, by document id and by number key.
#[derive(Default)]
pub struct ValidityRecords {
    entries: Vec<LookupEntry>,
    by_id: HashMap<String, usize>,
    by_key: HashMap<String, Vec<usize>>,
}

impl ValidityRecords {
    pub fn new(entries: Vec<LookupEntry>) -> ValidityRecords {
        let mut by_id = HashMap::new();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, entry) in entries.iter().enumerate() {
            by_id.entry(entry.id.clone()).or_insert(at);
            if let Some(key) = &entry.key {
                by_key.entry(key.clone()).or_default().push(at);
            }
        }
        ValidityRecords {
            entries,
            by_id,
            by_key,
        }
    }

    /// The record of `document`: the one with its id; else the one bearing its number
    /// under the same title (folded), when exactly one does — versions of a regulation
    /// share a number, so a number alone never decides.
    pub fn find(&self, document: &PortalDocument) -> Option<&LookupEntry> {
        if let Some(at) = self.by_id.get(&document.id) {
            return self.entries.get(*at);
        }
        let key = DocNumber::parse(document.doc_number.as_deref()?)
            .ok()?
            .key();
        let title = fold(&document.title);
        let mut same = self.by_key.get(&key)?.iter().filter_map(|at| {
            let entry = self.entries.get(*at)?;
            (fold(&entry.title) == title).then_some(entry)
        });
        match (same.next(), same.next()) {
            (Some(entry), None) => Some(entry),
            _ => None,
        }
    }
}

/// A finished build.
pub struct BuiltIndex {
    /// The packed index file.
    pub pack: Vec<u8>,
    /// How many bytes from the start a range reader fetches first: header and hot copies.
    pub head_bytes: u64,
    pub doc_count: u64,
    /// The first 16 hex digits of the pack's SHA-256, for cache-busting file names.
    pub content_hash: String,
}

impl IndexBuilder {
    pub fn new() -> tantivy::Result<IndexBuilder> {
        let settings = IndexSettings {
            docstore_blocksize: STORE_BLOCK_BYTES,
            ..IndexSettings::default()
        };
        let index = Index::builder()
            .schema(Fields::schema())
            .settings(settings)
            .create_in_ram()?;
        register_tokenizer(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        Ok(IndexBuilder {
            index,
            writer,
            fields,
            bodies: Vec::new(),
            syllables: BTreeSet::new(),
            synonyms: Vec::new(),
            usage: TermUsage::default(),
            titles: Vec::new(),
            validity: ValidityRecords::default(),
        })
    }

    /// The synonym groups the pack carries (each a list of terms, as
    /// [`crate::synonyms::parse_synonyms`] reads them from `index/synonyms.txt`), each
    /// group's terms ordered as the documents added after this call use them
    /// ([`TermUsage::order`]): set them before adding documents. Fails only when the
    /// terms are too many to count ([`TermUsage::new`]).
    pub fn set_synonyms(&mut self, groups: Vec<Vec<String>>) -> tantivy::Result<()> {
        debug_assert!(self.titles.is_empty(), "synonyms are set before documents");
        self.usage = TermUsage::new(&groups)
            .map_err(|error| tantivy::TantivyError::InternalError(error.to_string()))?;
        self.synonyms = groups;
        Ok(())
    }

    /// The validity records of the documents (the `validity.json` that
    /// `disclosure-index validity` writes): each document added later carries its own, found
    /// by id, else by document number and the same title ([`ValidityRecords::find`]).
    pub fn set_validity(&mut self, entries: Vec<LookupEntry>) {
        self.validity = ValidityRecords::new(entries);
    }

    /// Adds one validated document.
    pub fn add(&mut self, document: &PortalDocument) -> tantivy::Result<()> {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &document.id);
        doc.add_text(f.title, &document.title);
        doc.add_text(f.title_chars, &document.title);
        doc.add_text(f.title_char_positions, short_name_text(&document.title));
        self.titles.push(document.title.clone());
        self.usage.add(&document.title, &document.body);
        let (pinyin, initials) = title_readings(&document.title, &mut self.syllables);
        doc.add_pre_tokenized_text(f.title_pinyin, pinyin);
        doc.add_pre_tokenized_text(f.title_initials, initials);
        doc.add_text(f.body, &document.body);
        let chunks = deflated_chunks(&document.body);
        let (slots, stride) = slotted(&chunks);
        // The slots follow those of the document before: where they start is not stored
        // but summed when the index opens (`bodies::slot_starts`).
        doc.add_u64(f.body_stride, stride);
        doc.add_u64(f.body_chunk_count, chunks.len() as u64);
        self.bodies.extend(slots);
        let title_tokens: Vec<String> = tokenize(&document.title)
            .into_iter()
            .map(|token| token.text)
            .collect();
        doc.add_u64(f.title_tokens, title_tokens.len() as u64);
        doc.add_u64(f.title_core_tokens, core_token_count(&title_tokens) as u64);
        let authority = disclosure_core::authority::weight_per_mille(document.category.as_deref());
        doc.add_u64(f.authority, authority);
        let local = authority == disclosure_core::authority::LOCAL;
        if let (Some(field), Some(place)) = (
            f.place,
            Place::of_document(document.department.as_deref(), &document.title, local),
        ) {
            // A city's regulation names the province that approved it in its header: a
            // citizen of the city is bound by that province's rules too.
            let province = approving_province(&document.body);
            doc.add_text(field, column_value(&place, province.as_ref()));
        }
        doc.add_u64(
            f.title_char_count,
            distinct_characters(&document.title) as u64,
        );
        let optional = [
            (f.url, &document.url),
            (f.category, &document.category),
            (f.department, &document.department),
            (f.doc_number, &document.doc_number),
            (f.interpretation_url, &document.interpretation_url),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        if let Some(number) = document
            .doc_number
            .as_deref()
            .and_then(|number| DocNumber::parse(number).ok())
        {
            doc.add_text(f.doc_key, number.key());
        }
        if let Some(date) = document.published {
            doc.add_text(f.published, date.to_string());
            doc.add_u64(f.year, date.year().max(0) as u64);
            doc.add_i64(f.day, epoch_day(date));
        }
        if let Some(entry) = self.validity.find(document) {
            doc.add_text(
                f.validity,
                serde_json::to_string(entry).expect("a lookup entry serializes"),
            );
            let (from, to) = match entry.record().force_span() {
                // Days before 1970 are all one to a search made today: the column stays small.
                Some(span) => (
                    epoch_day(span.from).max(0),
                    span.until
                        .map_or(NO_END, |until| epoch_day(until).clamp(0, NO_END)),
                ),
                None => (NO_END, 0),
            };
            doc.add_i64(f.force_from, from);
            doc.add_i64(f.force_to, to);
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Commits, merges into one segment if the writer made several, and packs the files
    /// under a segment id derived from their content, so the same input gives the same
    /// bytes.
    pub fn finish(mut self) -> tantivy::Result<BuiltIndex> {
        self.writer.commit()?;
        let segment_ids = self.index.searchable_segment_ids()?;
        if segment_ids.len() > 1 {
            self.writer.merge(&segment_ids).wait()?;
        }
        self.writer.wait_merging_threads()?;
        let metas = self.index.searchable_segment_metas()?;
        let directory = self.index.directory();
        let mut files = Vec::new();
        let mut doc_count = 0;
        for meta in &metas {
            doc_count += meta.num_docs() as u64;
            // Every component a searchable segment can have; a temporary store never
            // outlives the commit, and deletes never happen in a fresh build.
            let components = [
                SegmentComponent::Postings,
                SegmentComponent::Positions,
                SegmentComponent::FastFields,
                SegmentComponent::FieldNorms,
                SegmentComponent::Terms,
                SegmentComponent::Store,
            ];
            for component in components {
                let terms = matches!(component, SegmentComponent::Terms);
                let path = meta.relative_path(component);
                if directory.exists(&path)? {
                    let mut bytes = directory.atomic_read(&path)?;
                    // Term lookups read one block each: small blocks for a range reader.
                    if terms {
                        let fields = self
                            .index
                            .schema()
                            .fields()
                            .map(|(field, _)| field)
                            .collect::<Vec<_>>();
                        bytes = recut_term_file(bytes, fields, TERM_BLOCK_BYTES)?;
                    }
                    files.push((path.to_string_lossy().into_owned(), bytes));
                }
            }
        }
        let meta_json = directory.atomic_read(Path::new("meta.json"))?;
        let mut files = stable_segment_ids(files, &meta_json, &metas)?;
        files.push((BODIES_FILE.to_string(), std::mem::take(&mut self.bodies)));
        let (suggestions, suggest_blocks) = write_blocks(suggestion_entries(&self.titles));
        files.push((SUGGEST_FILE.to_string(), suggestions));
        let synonyms = self.usage.order(std::mem::take(&mut self.synonyms));
        let (synonyms, synonym_directory) = crate::synonym_blocks::write_blocks(&synonyms);
        if !synonyms.is_empty() {
            files.push((SYNONYMS_FILE.to_string(), synonyms));
        }
        let lexicon = Lexicon {
            syllables: std::mem::take(&mut self.syllables).into_iter().collect(),
            synonym_directory,
            suggest_blocks,
            seam_bigrams: {
                let folded: Vec<String> = self.titles.iter().map(|title| fold(title)).collect();
                seam_bigrams(folded.iter().map(String::as_str))
            },
        };
        let lexicon = lexicon
            .to_bytes()
            .map_err(|error| tantivy::TantivyError::InternalError(error.to_string()))?;
        files.push((LEXICON_FILE.to_string(), lexicon));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let hot = hot_ranges(&files)?;
        let pack = write_pack(&files, &hot);
        let toc = read_table_of_contents(&pack, pack.len() as u64)
            .map_err(|error| tantivy::TantivyError::InternalError(error.to_string()))?;
        let header = header_len(&pack)
            .map_err(|error| tantivy::TantivyError::InternalError(error.to_string()))?;
        let digest = Sha256::digest(&pack);
        let content_hash = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Ok(BuiltIndex {
            head_bytes: head_len(&toc, header),
            pack,
            doc_count,
            content_hash,
        })
    }
}

/// Reads below this many bytes apart are copied as one hot range: fewer entries in the
/// table of contents for a few bytes more.
const HOT_GAP_BYTES: u64 = 256;

/// The ranges (file name, range within the file) that every search reads, found by
/// opening a pack of `files` and recording what [`SearchIndex::read_hot_parts`] reads.
fn hot_ranges(files: &[(String, Vec<u8>)]) -> tantivy::Result<Vec<(String, Range<u64>)>> {
    let internal = |error: String| tantivy::TantivyError::InternalError(error);
    let plain = write_pack(files, &[]);
    let toc = read_table_of_contents(&plain, plain.len() as u64)
        .map_err(|error| internal(error.to_string()))?;
    let log = ReadLog::default();
    let directory = PackedDirectory::open(OwnedBytes::new(plain))
        .map_err(|error| internal(error.to_string()))?
        .recording_into(log.clone());
    let index =
        SearchIndex::open_directory(directory).map_err(|error| internal(error.to_string()))?;
    index.read_hot_parts()?;
    let mut hot = Vec::new();
    for file in &toc.files {
        let end = file.offset + file.len;
        let within: Vec<Range<u64>> = log
            .snapshot()
            .into_iter()
            .filter(|range| range.start >= file.offset && range.end <= end)
            .collect();
        for range in coalesce(within, HOT_GAP_BYTES) {
            hot.push((
                file.name.clone(),
                range.start - file.offset..range.end - file.offset,
            ));
        }
    }
    Ok(hot)
}

/// Renames each segment's files and its entry in `meta.json` from the random UUID tantivy
/// gave it to one derived from the segment's own bytes.
fn stable_segment_ids(
    files: Vec<(String, Vec<u8>)>,
    meta_json: &[u8],
    metas: &[tantivy::index::SegmentMeta],
) -> tantivy::Result<Vec<(String, Vec<u8>)>> {
    let mut meta_text = String::from_utf8_lossy(meta_json).into_owned();
    let mut renamed = files;
    for meta in metas {
        let random = meta.id().uuid_string();
        let mut hasher = Sha256::new();
        let mut own: Vec<&(String, Vec<u8>)> = renamed
            .iter()
            .filter(|(name, _)| name.starts_with(&random))
            .collect();
        own.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, bytes) in own {
            hasher.update(&name.as_bytes()[random.len()..]);
            hasher.update(bytes);
        }
        let stable: String = hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        for (name, _) in renamed.iter_mut() {
            if let Some(extension) = name.strip_prefix(&random) {
                *name = format!("{stable}{extension}");
            }
        }
        // meta.json spells the id with hyphens.
        let hyphenated = |hex: &str| {
            format!(
                "{}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            )
        };
        meta_text = meta_text.replace(&hyphenated(&random), &hyphenated(&stable));
    }
    renamed.push(("meta.json".to_string(), meta_text.into_bytes()));
    Ok(renamed)
}

/// A heteronym contributes at most this many readings: the pairs at one position are the
/// product of two characters' readings, so this bounds them at 16.
const MAX_READINGS: usize = 4;

/// The toneless readings of a title character (`ü` as both `v` and `u`, as people type
/// it), at most [`MAX_READINGS`], each with whether it spells the character's first (most
/// common) reading; none for anything but a Han character.
fn readings(character: &str) -> Vec<(String, bool)> {
    let mut chars = character.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return Vec::new();
    };
    let Some(multi) = c.to_pinyin_multi() else {
        return Vec::new();
    };
    let mut found: Vec<(String, bool)> = Vec::new();
    for (at, reading) in multi.into_iter().map(Pinyin::plain).enumerate() {
        let spellings = if reading.contains('ü') {
            vec![reading.replace('ü', "v"), reading.replace('ü', "u")]
        } else {
            vec![reading.to_string()]
        };
        for spelling in spellings {
            if !found.iter().any(|(known, _)| *known == spelling) && found.len() < MAX_READINGS {
                found.push((spelling, at == 0));
            }
        }
    }
    found
}

/// The `title_pinyin` and `title_initials` tokens of a title: at position p (the place of
/// the character among [`characters`](crate::tokenizer::characters) of the title) the
/// pair p, p + 1 in its first readings as `she_hui` and `sh`, and in every reading as
/// [`any_reading`] keys (`~she_hui`, `~sh`), so the ranking can prefer titles read the
/// common way (`jgsz` is 机构设置 before 计划生育 read with 划 guo, 育 zhou). Adds the
/// syllables read to `syllables`.
fn title_readings(
    title: &str,
    syllables: &mut BTreeSet<String>,
) -> (PreTokenizedString, PreTokenizedString) {
    let characters = crate::tokenizer::characters(title);
    let read: Vec<Vec<(String, bool)>> = characters
        .iter()
        .map(|token| readings(&token.text))
        .collect();
    for (reading, _) in read.iter().flatten() {
        if !syllables.contains(reading) {
            syllables.insert(reading.clone());
        }
    }
    let (mut pinyin, mut initials) = (Vec::new(), Vec::new());
    for (position, pair) in read.windows(2).enumerate() {
        let token = |text: String| Token {
            offset_from: characters[position].bytes.start,
            offset_to: characters[position + 1].bytes.end,
            position,
            text,
            position_length: 1,
        };
        let mut seen_initials: Vec<String> = Vec::new();
        for (first, first_primary) in &pair[0] {
            for (second, second_primary) in &pair[1] {
                let key = syllable_pair_key(first, second);
                let initial: String = first
                    .chars()
                    .take(1)
                    .chain(second.chars().take(1))
                    .collect();
                if *first_primary && *second_primary {
                    pinyin.push(token(key.clone()));
                    if !seen_initials.contains(&initial) {
                        seen_initials.push(initial.clone());
                    }
                }
                pinyin.push(token(any_reading(&key)));
                let any = any_reading(&initial);
                if !seen_initials.contains(&any) {
                    seen_initials.push(any);
                }
            }
        }
        initials.extend(seen_initials.into_iter().map(token));
    }
    let pre = |tokens| PreTokenizedString {
        text: title.to_string(),
        tokens,
    };
    (pre(pinyin), pre(initials))
}

/// The suggestions' entries ([`crate::suggest`]): every head or tail of 2 to
/// [`MAX_PHRASE_CHARS`] characters of a title's runs of Han characters found in at least
/// two titles (the longest of those
/// always followed or preceded by the same character), and every title (also without a leading
/// `中华人民共和国`), each under its characters, its pinyin and its initials (the
/// characters' first readings), with the number of titles holding it.
fn suggestion_entries(titles: &[String]) -> Vec<SuggestEntry> {
    use std::collections::{HashMap, HashSet};
    let mut counts: HashMap<String, u32> = HashMap::new();
    for title in titles {
        let folded: Vec<char> = disclosure_core::text::fold(title).chars().collect();
        let mut seen: HashSet<String> = HashSet::new();
        // A run's heads and tails: a phrase that starts a run or ends it (`社会保险…`,
        // `…收费公路管理条例`), never a fragment from inside a word.
        // Counted one character longer than kept, so the longest kept phrases can give way
        // too; a head is taken after a leading 中华人民共和国.
        let prefix: Vec<char> = crate::tokenizer::NATIONAL_PREFIX.chars().collect();
        for run in folded.split(|c| !crate::tokenizer::is_han(*c)) {
            let head = match run.strip_prefix(prefix.as_slice()) {
                Some(rest) if rest.len() >= 2 => rest,
                _ => run,
            };
            for len in 2..=head.len().min(MAX_PHRASE_CHARS + 1) {
                seen.insert(head[..len].iter().collect());
            }
            for len in 2..=run.len().min(MAX_PHRASE_CHARS + 1) {
                seen.insert(run[run.len() - len..].iter().collect());
            }
        }
        for phrase in seen {
            *counts.entry(phrase).or_default() += 1;
        }
    }
    // A phrase always followed, or always preceded, by the same character gives way to
    // the longer one (`收费清` to `收费清单`; `收管理` to `征收管理`, where it starts mid-word).
    let mut dropped: HashSet<String> = HashSet::new();
    for (phrase, count) in &counts {
        let chars: Vec<char> = phrase.chars().collect();
        if chars.len() > 2 {
            for shorter in [&chars[..chars.len() - 1], &chars[1..]] {
                let shorter: String = shorter.iter().collect();
                if counts.get(&shorter) == Some(count) {
                    dropped.insert(shorter);
                }
            }
        }
    }
    let mut phrases: Vec<(String, u32)> = counts
        .into_iter()
        .filter(|(phrase, count)| {
            *count >= 2 && !dropped.contains(phrase) && phrase.chars().count() <= MAX_PHRASE_CHARS
        })
        .collect();
    let mut title_counts: HashMap<String, u32> = HashMap::new();
    for title in titles {
        *title_counts.entry(title.trim().to_string()).or_default() += 1;
    }
    phrases.extend(title_counts);
    // Counted in hash maps, whose order changes from run to run: sorted, so the same input
    // always gives the same pack.
    phrases.sort_unstable();
    let mut entries = Vec::new();
    for (phrase, count) in phrases {
        let key = crate::suggest::suggestion_key(&phrase);
        if key.chars().count() < 2 {
            continue;
        }
        let mut keys = vec![key.clone()];
        if let Some(core) = key.strip_prefix(crate::tokenizer::NATIONAL_PREFIX) {
            keys.push(core.to_string());
        }
        let (mut spelled, mut initials) = (String::new(), String::new());
        for c in key.chars() {
            match readings(&c.to_string()).into_iter().next() {
                Some((reading, _)) => {
                    initials.extend(reading.chars().next());
                    spelled.push_str(&reading);
                }
                None => {
                    spelled.push(c);
                    initials.push(c);
                }
            }
        }
        keys.push(spelled);
        keys.push(initials);
        for key in keys {
            entries.push(SuggestEntry {
                key,
                phrase: phrase.clone(),
                count,
            });
        }
    }
    entries
}

/// The text of a title that short names are read in (`title_char_positions`): the title
/// without a leading [`NATIONAL_PREFIX`](crate::tokenizer::NATIONAL_PREFIX), which no short
/// name keeps (`国安法` is `中华人民共和国国家安全法`; with the prefix, the `国` of `共和国`
/// made it `中华人民共和国核安全法` as well, whose shorter title then came first). The prefix
/// is recognised as text folding reads it, traditional characters included.
fn short_name_text(title: &str) -> &str {
    let prefix = crate::tokenizer::NATIONAL_PREFIX;
    let title = title.trim_start();
    let end = title
        .char_indices()
        .nth(prefix.chars().count())
        .map_or(title.len(), |(at, _)| at);
    match fold(&title[..end]) == prefix && end < title.len() {
        true => &title[end..],
        false => title,
    }
}
