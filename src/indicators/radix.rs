//! A stable least-significant-digit radix sort of items by a 64-bit key: linear time, no
//! comparisons. Because every pass is stable, items with equal keys keep their order; items that
//! start in position order and pack `(key, position)` (key in the high bits) therefore end in the
//! order a comparison sort of the packed values gives.

/// Bits per digit: 2,048 buckets fit the first-level cache and need six passes for 64 bits.
const DIGIT_BITS: u32 = 11;
const BUCKETS: usize = 1 << DIGIT_BITS;
const PASSES: usize = 64_usize.div_ceil(DIGIT_BITS as usize);

/// An item with a 64-bit sort key.
pub trait RadixKey: Copy + Default {
    /// The key the item sorts by (ascending).
    fn radix_key(&self) -> u64;
}

/// A `(key, position)` pair packed with the key in the high 64 bits.
impl RadixKey for u128 {
    #[inline]
    fn radix_key(&self) -> u64 {
        (self >> 64) as u64
    }
}

/// Digit `pass` (from the least significant) of an item's key.
#[inline]
fn digit<T: RadixKey>(item: &T, pass: usize) -> usize {
    ((item.radix_key() >> (pass as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1)
}

/// Sorts `items` by key, stably, using `scratch` as the second buffer (its contents are
/// overwritten; it keeps its capacity). Passes in which every key has the same digit are
/// skipped. The sorted items end in `items`.
pub fn sort_by_key<T: RadixKey>(items: &mut Vec<T>, scratch: &mut Vec<T>) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let mut counts = vec![[0usize; BUCKETS]; PASSES];
    for item in items.iter() {
        for (pass, count) in counts.iter_mut().enumerate() {
            count[digit(item, pass)] += 1;
        }
    }
    scratch.clear();
    scratch.resize(n, T::default());
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
            let slot = &mut count[digit(item, pass)];
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

    fn sorted(keys: &[u64]) -> Vec<(u64, u32)> {
        let mut items: Vec<u128> = keys
            .iter()
            .enumerate()
            .map(|(i, &key)| (u128::from(key) << 64) | i as u128)
            .collect();
        sort_by_key(&mut items, &mut Vec::new());
        items
            .iter()
            .map(|&k| ((k >> 64) as u64, k as u32))
            .collect()
    }

    #[test]
    fn equal_keys_keep_their_positions_and_every_digit_counts() {
        let keys = [5, u64::MAX, 0, 5, 1 << 63, 1 << 11, 5, 3];
        let got = sorted(&keys);
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
            prop_assert_eq!(sorted(&keys), expected);
        }
    }
}
