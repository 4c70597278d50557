//! Hashing for maps keyed by input: one keyed hasher for every such map in the crate.
//!
//! Keys from input (group labels, stratum and PSU ids, household ids) are chosen by whoever
//! wrote the file. A fixed hash lets a crafted file put every key in one bucket and make a
//! read quadratic; so every map keyed by input hashes with [`Keyed`], whose two 64-bit keys are
//! drawn once per process from the standard library's random source. The mixing step is the
//! folded multiply (the 128-bit product of the state and a key, its halves xored) that
//! foldhash and aHash use: a few cycles per word, and without the keys no one can aim two
//! labels at one bucket. Maps keyed by the crate's own indices need no such care, and use it
//! too: one hasher, one place.
//!
//! Output never depends on a map's order: every report sorts what it shows and saves.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

/// A map keyed by input, hashed with [`Keyed`].
pub(crate) type KeyedMap<K, V> = HashMap<K, V, Keyed>;

/// The process's two hash keys, drawn once.
fn keys() -> (u64, u64) {
    static KEYS: OnceLock<(u64, u64)> = OnceLock::new();
    *KEYS.get_or_init(|| {
        let s = std::collections::hash_map::RandomState::new();
        (
            s.hash_one(0x243f_6a88_85a3_08d3u64),
            s.hash_one(0x1319_8a2e_0370_7344u64) | 1,
        )
    })
}

/// The builder of [`KeyedHasher`]s: the process's keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keyed {
    k0: u64,
    k1: u64,
}

impl Default for Keyed {
    #[inline]
    fn default() -> Self {
        let (k0, k1) = keys();
        Keyed { k0, k1 }
    }
}

impl BuildHasher for Keyed {
    type Hasher = KeyedHasher;
    #[inline(always)]
    fn build_hasher(&self) -> KeyedHasher {
        KeyedHasher {
            h: self.k0,
            k: self.k1,
        }
    }
}

/// One hashing: the state folded with the key after every word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyedHasher {
    h: u64,
    k: u64,
}

#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl Hasher for KeyedHasher {
    #[inline(always)]
    fn finish(&self) -> u64 {
        fold(self.h, self.k.rotate_left(23))
    }

    #[inline(always)]
    fn write_u64(&mut self, x: u64) {
        self.h = fold(self.h ^ x, self.k);
    }

    #[inline(always)]
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }

    #[inline(always)]
    fn write_u128(&mut self, x: u128) {
        self.write_u64(x as u64);
        self.write_u64((x >> 64) as u64);
    }

    #[inline(always)]
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        // The length closes the key: "a" and "a\0" differ.
        self.write_u64(u64::from_le_bytes(w) ^ ((bytes.len() as u64) << 59));
        self.write_u64(bytes.len() as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash<T: Hash>(x: T) -> u64 {
        Keyed::default().hash_one(x)
    }

    #[test]
    fn keys_that_differ_hash_apart_and_equal_keys_together() {
        assert_eq!(hash(b"01".as_slice()), hash(b"01".as_slice()));
        assert_ne!(hash(b"a".as_slice()), hash(b"a\0".as_slice()));
        assert_ne!(hash(b"".as_slice()), hash(b"\0".as_slice()));
        assert_ne!(hash(1u64), hash(2u64));
    }

    #[test]
    fn keys_crafted_for_a_fixed_multiplier_spread_over_the_buckets() {
        // Multiples of 2^40 share every low bit: a multiply-shift hash without a key puts
        // them in few buckets of a small table. Here they spread.
        let mut buckets = [0u32; 64];
        for i in 0..64_000u64 {
            buckets[(hash(i << 40) & 63) as usize] += 1;
        }
        assert!(
            buckets.iter().all(|b| (700..1300).contains(b)),
            "{buckets:?}"
        );
    }
}
