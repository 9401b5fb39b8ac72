//! A stable least-significant-digit radix sort of `(key, position)` pairs by a 64-bit key: linear
//! time, no comparisons. Because every pass is stable and the pairs start in position order,
//! pairs with equal keys stay in position order, so the result equals a comparison sort by
//! `(key, position)`.

/// Bits per digit: 2,048 buckets fit the first-level cache and need six passes for 64 bits.
const DIGIT_BITS: u32 = 11;
const BUCKETS: usize = 1 << DIGIT_BITS;
const PASSES: usize = 64_usize.div_ceil(DIGIT_BITS as usize);

/// One item to sort: an order key and the item's original position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Keyed {
    /// Order key (ascending).
    pub key: u64,
    /// Original position; equal keys keep ascending positions.
    pub position: u32,
}

#[inline]
fn digit(key: u64, pass: usize) -> usize {
    ((key >> (pass as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1)
}

/// Sorts `items` by key, stably, using `scratch` as the second buffer (its contents are
/// overwritten; it keeps its capacity for the next call). Passes in which every key has the same
/// digit are skipped.
pub fn sort_by_key(items: &mut Vec<Keyed>, scratch: &mut Vec<Keyed>) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let mut counts = vec![[0usize; BUCKETS]; PASSES];
    for item in items.iter() {
        for (pass, count) in counts.iter_mut().enumerate() {
            count[digit(item.key, pass)] += 1;
        }
    }
    scratch.clear();
    scratch.resize(n, Keyed::default());
    for (pass, count) in counts.iter_mut().enumerate() {
        if count.contains(&n) {
            continue;
        }
        let mut next = 0;
        for c in count.iter_mut() {
            let here = *c;
            *c = next;
            next += here;
        }
        for item in items.iter() {
            let slot = &mut count[digit(item.key, pass)];
            scratch[*slot] = *item;
            *slot += 1;
        }
        std::mem::swap(items, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sorted(keys: &[u64]) -> Vec<Keyed> {
        let mut items: Vec<Keyed> = keys
            .iter()
            .enumerate()
            .map(|(i, &key)| Keyed {
                key,
                position: i as u32,
            })
            .collect();
        sort_by_key(&mut items, &mut Vec::new());
        items
    }

    #[test]
    fn equal_keys_keep_their_positions_and_every_digit_counts() {
        let keys = [5, u64::MAX, 0, 5, 1 << 63, 1 << 11, 5, 3];
        let got: Vec<(u64, u32)> = sorted(&keys).iter().map(|k| (k.key, k.position)).collect();
        assert_eq!(
            got,
            vec![
                (0, 2),
                (3, 7),
                (5, 0),
                (5, 3),
                (5, 6),
                (1 << 11, 5),
                (1 << 63, 4),
                (u64::MAX, 1)
            ]
        );
    }

    proptest! {
        /// The radix order is the comparison order of (key, position).
        #[test]
        fn radix_order_equals_comparison_order(keys in proptest::collection::vec(
            prop_oneof![any::<u64>(), 0u64..4, (0u64..4).prop_map(|k| k << 40)], 0..300)) {
            let mut expected: Vec<(u64, u32)> =
                keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
            expected.sort_unstable();
            let got: Vec<(u64, u32)> = sorted(&keys).iter().map(|k| (k.key, k.position)).collect();
            prop_assert_eq!(got, expected);
        }
    }
}
