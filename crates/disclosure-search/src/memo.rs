//! A bounded memo of what a search index has read from its pack, kept for the index's life.
//!
//! Why one type: the engine remembers term-dictionary entries (`engine/entries.rs`), the
//! page's snippet texts inflated from the bodies file (`SearchIndex::snippet_text`) and
//! inflated blocks of the synonym list (`synonym_blocks.rs`). Each is looked up several
//! times by one search or again by the next ones, each stays true while the index is open
//! (a pack never changes under an open index), and a read of any may fail only because
//! its bytes are not fetched yet, which must not be remembered. The index is shared by the
//! worker's queries through `&self`, so the map sits in a mutex. It is bounded by clearing
//! it whole when full: a search reads at most a few hundred keys, so no eviction order is
//! worth keeping.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

/// Values of type `V` by key `K`, at most `capacity` of them (then all are forgotten).
pub(crate) struct Memo<K, V> {
    entries: Mutex<HashMap<K, V>>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// An empty memo that forgets everything once it holds `capacity` values.
    pub(crate) fn new(capacity: usize) -> Memo<K, V> {
        Memo {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// The value remembered under `key`, or else `read`'s, then remembered. An error of
    /// `read` (bytes not fetched yet) is returned as it came and nothing is remembered.
    /// `read` runs without the lock held.
    pub(crate) fn get_or_read<E>(
        &self,
        key: K,
        read: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        self.get_or_read_keeping(key, read, |_| true)
    }

    /// [`Memo::get_or_read`], remembering the value read only when `keep` says so (a
    /// value too large to hold is returned and forgotten).
    pub(crate) fn get_or_read_keeping<E>(
        &self,
        key: K,
        read: impl FnOnce() -> Result<V, E>,
        keep: impl FnOnce(&V) -> bool,
    ) -> Result<V, E> {
        if let Some(value) = self.lock().get(&key) {
            return Ok(value.clone());
        }
        let value = read()?;
        if !keep(&value) {
            return Ok(value);
        }
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(key, value.clone());
        Ok(value)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, V>> {
        // Inserts and clears are single calls: a map poisoned by a panic elsewhere while it
        // was held is still whole, so still a valid memo.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<K: Eq + Hash, V: Clone> std::fmt::Debug for Memo<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("held", &self.lock().len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_read_once_is_remembered_and_a_failed_read_is_not() {
        let memo: Memo<u32, String> = Memo::new(10);
        let mut reads = 0;
        let mut read = |key: u32, fail: bool| {
            memo.get_or_read(key, || {
                reads += 1;
                if fail {
                    Err("not fetched yet")
                } else {
                    Ok(format!("value {key}"))
                }
            })
        };
        assert_eq!(read(1, true), Err("not fetched yet"));
        assert_eq!(read(1, false), Ok("value 1".to_string()));
        assert_eq!(read(1, true), Ok("value 1".to_string()));
        assert_eq!(reads, 2);
    }

    #[test]
    fn a_value_not_kept_is_returned_and_read_again() {
        let memo: Memo<u32, String> = Memo::new(10);
        let long = |_: &String| false;
        let read = || Ok::<_, ()>("long".to_string());
        assert_eq!(memo.get_or_read_keeping(1, read, long), Ok("long".into()));
        assert_eq!(
            memo.get_or_read(1, || Ok::<_, ()>("again".into())),
            Ok("again".into())
        );
    }

    #[test]
    fn a_full_memo_forgets_everything_and_goes_on() {
        let memo: Memo<u32, u32> = Memo::new(2);
        for key in 0..3 {
            assert_eq!(
                memo.get_or_read(key, || Ok::<_, ()>(key * 10)),
                Ok(key * 10)
            );
        }
        // 0 and 1 were forgotten when 2 came: read again.
        assert_eq!(memo.get_or_read(0, || Ok::<_, ()>(99)), Ok(99));
        assert_eq!(memo.lock().len(), 2);
    }
}
