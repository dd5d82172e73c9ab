//! The term dictionary re-cut into small blocks, for a reader that fetches it by range.
//!
//! Tantivy writes each field's term dictionary as an sstable of blocks of 4,000 bytes of
//! keys (`tantivy-sstable`'s `BLOCK_LEN`) plus their term infos, about 8 KB in all, and
//! looking up one term reads its whole block: right for a local disk, but over a phone's
//! link a cold query that looks up twenty terms in four fields fetched 77 KiB of
//! dictionary blocks for a few hundred bytes of entries (mean over the corpus's sample
//! queries). Cut at [`TERM_BLOCK_BYTES`] of keys (about 2 KB a block), the same entries
//! cost 21 KiB a query, and the blocks' index, which every search reads from the pack's
//! head, grows by about 7 KB of brotli: a first query pays about 48 KB less, every later
//! query 55 KB less (`disclosure-index bench`: cold query after the head, median 145 →
//! 95 KiB).
//!
//! The builder re-writes the segment's `.term` file with `tantivy-sstable`'s own writer
//! and [`Writer::set_block_len`](tantivy_sstable::Writer::set_block_len); the format is
//! unchanged, so tantivy reads it as it reads its own (the blocks carry their lengths and
//! the index its addresses). What tantivy keeps private — how a block's term infos are
//! encoded, the dictionary's type tag, the file footer — is re-stated here from its 0.27
//! source; the test reads every term of a re-cut dictionary back through tantivy and
//! compares it with the original, so a change upstream fails the build, not a search.

use std::io::{self, Write};

use tantivy::directory::footer::Footer;
use tantivy::directory::{CompositeFile, CompositeWrite, FileSlice};
use tantivy::postings::TermInfo;
use tantivy::schema::Field;
use tantivy::termdict::TermDictionary;
use tantivy_common::{BinarySerializable, VInt};
use tantivy_sstable::value::ValueWriter;

/// The block length the term dictionaries are re-cut to, in bytes of delta-encoded keys (a
/// block closes at the first key past it; its term infos take about as much again). 1,000
/// against tantivy's 4,000: at 500 a query reads 9 KiB less, but the head, which a first
/// visit also downloads, grows by as much.
pub const TERM_BLOCK_BYTES: usize = 1_000;

/// Tantivy's tag for an sstable term dictionary, the last four bytes of each field's
/// dictionary (`DictionaryType::SSTable` in `tantivy::termdict`).
const SSTABLE_DICTIONARY: u32 = 2;

/// The magic number ending every tantivy file (`FOOTER_MAGIC_NUMBER`).
const FOOTER_MAGIC: u32 = 1337;

/// Writes a block's term infos as tantivy's `TermInfoValueWriter` does: their count, the
/// first postings and positions offsets, then each term's document frequency and the
/// lengths of its postings and positions (each term's ranges start where the previous
/// term's end).
#[derive(Default)]
struct TermInfoBlock {
    term_infos: Vec<TermInfo>,
}

impl ValueWriter for TermInfoBlock {
    type Value = TermInfo;

    fn write(&mut self, term_info: &TermInfo) {
        self.term_infos.push(term_info.clone());
    }

    fn serialize_block(&self, buffer: &mut Vec<u8>) {
        VInt(self.term_infos.len() as u64).serialize_into_vec(buffer);
        let Some(first) = self.term_infos.first() else {
            return;
        };
        VInt(first.postings_range.start as u64).serialize_into_vec(buffer);
        VInt(first.positions_range.start as u64).serialize_into_vec(buffer);
        for term_info in &self.term_infos {
            VInt(u64::from(term_info.doc_freq)).serialize_into_vec(buffer);
            VInt(term_info.postings_range.len() as u64).serialize_into_vec(buffer);
            VInt(term_info.positions_range.len() as u64).serialize_into_vec(buffer);
        }
    }

    fn clear(&mut self) {
        self.term_infos.clear();
    }
}

/// The `.term` file `bytes` (a composite file of one dictionary per field, with tantivy's
/// footer) with the dictionary of each of `fields` re-cut into blocks of `block_len`
/// bytes; same terms, same term infos, a new footer checksum.
///
/// Errors: the file is not a tantivy term file (footer, composite layout or a dictionary
/// unreadable), as tantivy's reader would report it.
pub fn recut_term_file(
    bytes: Vec<u8>,
    fields: impl IntoIterator<Item = Field>,
    block_len: usize,
) -> io::Result<Vec<u8>> {
    let (footer, body) = Footer::extract_footer(FileSlice::from(bytes))?;
    let composite = CompositeFile::open(&body)?;
    let mut out: Vec<u8> = Vec::new();
    let mut write = CompositeWrite::wrap(&mut out);
    for field in fields {
        let Some(slice) = composite.open_read(field) else {
            continue;
        };
        let dictionary = TermDictionary::open(slice)?;
        let sink = write.for_field(field);
        let mut sstable = tantivy_sstable::Writer::<_, TermInfoBlock>::new(&mut *sink);
        sstable.set_block_len(block_len);
        let mut terms = dictionary.stream()?;
        while terms.advance() {
            sstable.insert(terms.key(), terms.value())?;
        }
        let sink = sstable.finish()?;
        SSTABLE_DICTIONARY.serialize(sink)?;
    }
    write.close()?;
    append_footer(&mut out, footer)?;
    Ok(out)
}

/// Appends tantivy's footer to `body`: `footer` (its version) with the checksum of
/// `body`, as JSON, its length and the magic number, little-endian.
fn append_footer(body: &mut Vec<u8>, mut footer: Footer) -> io::Result<()> {
    footer.crc = crc32fast::hash(body);
    let json = serde_json::to_vec(&footer)?;
    let len = u32::try_from(json.len()).map_err(io::Error::other)?;
    body.write_all(&json)?;
    len.serialize(body)?;
    FOOTER_MAGIC.serialize(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::directory::Directory;
    use tantivy::schema::{Schema, STRING, TEXT};
    use tantivy::{doc, Index};

    /// A one-segment index of `n` documents with two text fields, and its `.term` file.
    fn term_file(n: usize) -> (Schema, Vec<u8>) {
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT);
        let code = builder.add_text_field("code", STRING);
        let schema = builder.build();
        let index = Index::create_in_ram(schema.clone());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..n {
            writer
                .add_document(
                    doc!(title => format!("word{i} common w{}", i % 7), code => format!("c{i:05}")),
                )
                .unwrap();
        }
        writer.commit().unwrap();
        let meta = index.searchable_segment_metas().unwrap().remove(0);
        let path = meta.relative_path(tantivy::index::SegmentComponent::Terms);
        (schema, index.directory().atomic_read(&path).unwrap())
    }

    fn entries(bytes: Vec<u8>, field: Field) -> Vec<(Vec<u8>, TermInfo)> {
        let (_, body) = Footer::extract_footer(FileSlice::from(bytes)).unwrap();
        let composite = CompositeFile::open(&body).unwrap();
        let dictionary = TermDictionary::open(composite.open_read(field).unwrap()).unwrap();
        let mut terms = dictionary.stream().unwrap();
        let mut found = Vec::new();
        while terms.advance() {
            found.push((terms.key().to_vec(), terms.value().clone()));
        }
        found
    }

    #[test]
    fn a_recut_dictionary_reads_back_the_same_terms_in_smaller_blocks() {
        let (schema, original) = term_file(3_000);
        let fields: Vec<Field> = schema.fields().map(|(field, _)| field).collect();
        let recut = recut_term_file(original.clone(), fields.clone(), 200).unwrap();
        for field in fields {
            let before = entries(original.clone(), field);
            assert!(before.len() > 1_000, "{}", before.len());
            assert_eq!(entries(recut.clone(), field), before);
            // Looked up one by one, as a search does.
            let (_, body) = Footer::extract_footer(FileSlice::from(recut.clone())).unwrap();
            let composite = CompositeFile::open(&body).unwrap();
            let dictionary = TermDictionary::open(composite.open_read(field).unwrap()).unwrap();
            for (key, info) in before.iter().step_by(97) {
                assert_eq!(dictionary.get(key).unwrap().as_ref(), Some(info));
            }
        }
        // Smaller blocks: more of them, so the dictionary grows a little.
        assert!(recut.len() > original.len());
        // The footer's checksum is the new body's.
        let (footer, body) = Footer::extract_footer(FileSlice::from(recut.clone())).unwrap();
        assert_eq!(footer.crc, crc32fast::hash(&body.read_bytes().unwrap()));
    }

    #[test]
    fn a_file_that_is_no_term_file_is_an_error() {
        assert!(recut_term_file(b"not a term file".to_vec(), [], TERM_BLOCK_BYTES).is_err());
        assert!(recut_term_file(Vec::new(), [], TERM_BLOCK_BYTES).is_err());
    }
}
