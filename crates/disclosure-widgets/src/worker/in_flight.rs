//! The ranges of the pack on their way: a range one task is fetching is waited for by
//! another task that needs it, not fetched again.
//!
//! Why: typing a query asks for its suggestions (after 100 ms) and then searches it (after
//! 200 ms), and both first read the same dictionary blocks. On a phone the suggestions'
//! round is still crossing the link (150 ms round trip) when the search's begins, which
//! then asked the same bytes again: the link carried them twice, and the search waited for
//! its own copy behind the first.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::ops::Range;

use futures_channel::oneshot;

/// The ranges tasks are fetching, each under the [`Flight`] that claimed it.
#[derive(Default)]
pub(super) struct InFlight {
    ranges: RefCell<Vec<Claimed>>,
    /// The number of the next [`Flight`].
    next: Cell<u64>,
}

/// One range some task is fetching, and the tasks waiting for it.
struct Claimed {
    flight: u64,
    range: Range<u64>,
    /// Dropped with the claim, which wakes each waiter: landed, failed or abandoned alike
    /// (a waiter steps again, and fetches itself what is still missing).
    waiters: Vec<oneshot::Sender<()>>,
}

/// The claim of one task's round on the ranges it fetches; ends when dropped (after the
/// fetched bytes are fed, or when the task fails or is abandoned).
pub(super) struct Flight<'a> {
    in_flight: &'a InFlight,
    number: u64,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        // The senders are dropped outside the borrow: a waiter woken meanwhile may claim.
        let ended: Vec<Claimed> = {
            let mut ranges = self.in_flight.ranges.borrow_mut();
            let (ended, going_on) = std::mem::take(&mut *ranges)
                .into_iter()
                .partition(|claimed| claimed.flight == self.number);
            *ranges = going_on;
            ended
        };
        drop(ended);
    }
}

impl InFlight {
    /// Splits a round's `needed` ranges (start ≤ end, bytes of the pack, apart from each
    /// other) into the pieces this task fetches, claimed under the returned [`Flight`], and
    /// a future that resolves once every range another task is fetching that overlaps one
    /// of them has ended. A range that overlaps one in flight in part is fetched for the
    /// rest at once: two tasks' rounds join their blocks differently (small gaps are read
    /// through), and waiting for the overlap alone would cost the rest a round of its own.
    pub(super) fn claim(
        &self,
        needed: Vec<Range<u64>>,
    ) -> (Vec<Range<u64>>, Flight<'_>, impl Future<Output = ()>) {
        let number = self.next.get();
        self.next.set(number + 1);
        let mut ranges = self.ranges.borrow_mut();
        let mut fetch = Vec::new();
        let mut waits = Vec::new();
        for range in needed {
            let mut pieces = vec![range.clone()];
            for claimed in ranges.iter_mut().filter(|claimed| {
                claimed.range.start < range.end && range.start < claimed.range.end
            }) {
                let (sender, receiver) = oneshot::channel();
                claimed.waiters.push(sender);
                waits.push(receiver);
                pieces = pieces
                    .into_iter()
                    .flat_map(|piece| outside(piece, &claimed.range))
                    .collect();
            }
            fetch.extend(pieces);
        }
        ranges.extend(fetch.iter().map(|range| Claimed {
            flight: number,
            range: range.clone(),
            waiters: Vec::new(),
        }));
        let flight = Flight {
            in_flight: self,
            number,
        };
        let landed = async move {
            // One after the other: all must end anyway. Canceled is the only answer, as a
            // claim ends by being dropped.
            for wait in waits {
                let _ = wait.await;
            }
        };
        (fetch, flight, landed)
    }
}

/// The parts of `piece` outside `claimed`: none, one or two.
fn outside(piece: Range<u64>, claimed: &Range<u64>) -> impl Iterator<Item = Range<u64>> {
    let before = piece.start..piece.end.min(claimed.start);
    let after = piece.start.max(claimed.end)..piece.end;
    [before, after]
        .into_iter()
        .filter(|part| part.start < part.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    #[test]
    fn a_range_in_flight_is_waited_for_not_fetched_again() {
        let in_flight = InFlight::default();
        let (first, flight, nothing) = in_flight.claim(vec![0..10, 20..30]);
        assert_eq!(first, [0..10, 20..30]);
        assert_eq!(nothing.now_or_never(), Some(()));

        // The same block, a range overlapping one in part (its rest is fetched now), and
        // one of its own.
        let (second, other, landed) = in_flight.claim(vec![0..10, 25..40, 50..60]);
        assert_eq!(second, [30..40, 50..60]);
        let mut landed = Box::pin(landed);
        assert_eq!((&mut landed).now_or_never(), None, "waits while fetched");
        drop(flight);
        assert_eq!(landed.now_or_never(), Some(()), "wakes when the claim ends");

        // The first claim's ranges are free again; the second's are still claimed, and a
        // range around one of them is fetched on both sides.
        let (third, _third, _) = in_flight.claim(vec![0..10, 28..45, 55..56]);
        assert_eq!(third, [0..10, 28..30, 40..45]);
        drop(other);
        let (fourth, _fourth, _) = in_flight.claim(vec![55..56]);
        assert_eq!(fourth, [55..56]);
    }
}
