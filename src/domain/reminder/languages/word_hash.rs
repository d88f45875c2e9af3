//! The hash the lexicon's tables are keyed with: FNV-1a, not the standard
//! library's SipHash. The grammar looks words up at every position it tries
//! (a 2,000-character message is hundreds of positions), the keys are short
//! words, and SipHash's resistance to chosen collisions buys nothing here:
//! the tables hold only the language files' words, fixed at start-up, so a
//! message's words can make no bucket longer.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A table keyed by a word.
pub(super) type WordMap<V> = HashMap<String, V, BuildHasherDefault<WordHasher>>;

/// FNV-1a over the bytes written.
pub(super) struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_by_their_own_key_only() {
        let mut table = WordMap::default();
        table.insert("amanha".to_owned(), 1);
        table.insert("demain".to_owned(), 2);
        assert_eq!(table.get("amanha"), Some(&1));
        assert_eq!(table.get("demain"), Some(&2));
        assert_eq!(table.get("amanhã"), None);
    }
}
