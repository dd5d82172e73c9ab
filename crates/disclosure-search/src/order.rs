//! Stable sorting with one copy of the sort's code for the whole engine.
//!
//! Every `sort_by`/`sort_by_key` call site makes the compiler emit the standard library's
//! stable sort (driftsort) anew for its element type and comparator: about 4 KB of Wasm
//! each, over 100 KB across the engine, which a citizen's phone downloads before its first
//! search. The engine's lists are short (hits of a page, a query's terms, byte ranges), so
//! its sorts by a comparator or a key go through here instead (a sort of plain values,
//! `Vec<&String>::sort`, and `sort_by_cached_key` keep the standard library's): the positions `0..len` are sorted once, by a
//! comparator behind `dyn` (one instantiation for every caller), and the items are then
//! moved into that order. Same result as `slice::sort_by`: stable, `O(n log n)`
//! comparisons, never panics on its own.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably: equal items keep their order.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    apply(items, order);
}

/// Sorts `items` by the key `key` gives each, stably: items with equal keys keep their
/// order.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len` in the order `compare` puts the items there in, stably.
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| compare(*a, *b));
    order
}

/// Moves the item at `order[i]` to position `i`, for every `i`, following each cycle of
/// the permutation with swaps (no copies, no `T: Clone`). `order` is a permutation of
/// `0..items.len()`; a done position is marked `usize::MAX`.
pub(crate) fn apply<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        // Position `at` holds the item that began the cycle at `start`; the item that
        // belongs at `at` has not moved yet.
        while let Some(&next) = order.get(at).filter(|next| **next != usize::MAX) {
            order[at] = usize::MAX;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_items_in_order() {
        // Pseudo-random pairs with many equal keys: the second field shows stability.
        let mut seed = 7u32;
        for len in [0, 1, 2, 3, 10, 57, 300] {
            let items: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) % 7, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            let mut theirs = items;
            theirs.sort_by_key(|item| item.0);
            assert_eq!(ours, theirs, "{len} items");
        }
    }

    #[test]
    fn moves_items_that_cannot_be_copied() {
        let mut words: Vec<String> = ["丙", "甲", "乙"].map(String::from).to_vec();
        sort_by(&mut words, |a, b| b.cmp(a));
        assert_eq!(words, ["甲", "乙", "丙"]);
    }
}
