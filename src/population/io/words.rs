//! Text columns read as dictionary codes (each distinct word stored once, a `u32` a row), and
//! the fast hash of the reader's maps (household and collective ids, words).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::cells::{CellKind, Table, required, word};
use crate::error::Result;

/// A text column as codes: row `i` holds `words[codes[i]]`. Codes number the distinct words in
/// the order of their first row.
#[derive(Debug, Default)]
pub(super) struct Words {
    /// The code of each row.
    pub(super) codes: Vec<u32>,
    /// The distinct words, by code.
    pub(super) words: Vec<String>,
}

impl Words {
    /// The word on row `i`.
    pub(super) fn word(&self, i: usize) -> &str {
        &self.words[self.codes[i] as usize]
    }
}

/// Reads a required text column as codes (errors as [`Table::cells`] gives them).
pub(super) fn words(t: &Table, name: &str) -> Result<Words> {
    let mut interner = Interner::default();
    let codes = t.cells(
        name,
        CellKind::Word,
        required(|c| word(c).map(|w| interner.code(w))),
    )?;
    Ok(Words {
        codes,
        words: interner.into_words(),
    })
}

/// Gives each distinct word a code, storing it once (no `String` a row).
#[derive(Debug, Default)]
pub(super) struct Interner {
    code_of: FastMap<String, u32>,
    words: Vec<String>,
    /// The code of the last word looked up: files often repeat a word on consecutive rows.
    last: Option<u32>,
}

impl Interner {
    /// The code of `word`, giving it the next code if it is new.
    pub(super) fn code(&mut self, word: &str) -> u32 {
        if let Some(c) = self.last
            && self.words[c as usize] == word
        {
            return c;
        }
        let c = match self.code_of.get(word) {
            Some(&c) => c,
            None => {
                // At most one code a row, and rows are at most `u32::MAX` (read::MAX_PERSONS).
                let c = self.words.len() as u32;
                self.words.push(word.to_string());
                self.code_of.insert(word.to_string(), c);
                c
            }
        };
        self.last = Some(c);
        c
    }

    /// The distinct words, by code.
    pub(super) fn into_words(self) -> Vec<String> {
        self.words
    }
}

/// A `HashMap` with [`FxHasher`]: the reader's keys are ids and words of its own file, so the
/// denial-of-service resistance of SipHash buys nothing and costs a third of a lookup.
pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The multiply-rotate hash of rustc (`rustc-hash`'s FxHasher), a word at a time.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_number_words_by_first_row_and_repeat() {
        let mut i = Interner::default();
        let codes: Vec<u32> = ["b", "a", "a", "b", "c", "a"]
            .iter()
            .map(|w| i.code(w))
            .collect();
        assert_eq!(codes, [0, 1, 1, 0, 2, 1]);
        let words = Words {
            codes,
            words: i.into_words(),
        };
        assert_eq!(words.words, ["b", "a", "c"]);
        assert_eq!(words.word(4), "c");
    }

    #[test]
    fn fast_map_keys_ids_and_words() {
        let mut m: FastMap<u64, usize> = FastMap::default();
        for k in 0..1000u64 {
            m.insert(k * 7919, k as usize);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m[&(500 * 7919)], 500);
        let mut w: FastMap<String, u32> = FastMap::default();
        w.insert("zhejiang".into(), 1);
        w.insert("浙江省杭州市".into(), 2);
        assert_eq!(w.get("浙江省杭州市"), Some(&2));
        assert_eq!(w.get("zhejian"), None);
    }
}
