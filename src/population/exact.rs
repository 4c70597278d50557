//! Exact sums of survey weights: every weighted figure of a report is a ratio of these.
//!
//! A finite `f64` is a binary fraction m · 2^e. Sums of them are kept the same way, as an
//! integer of up to 250 bits on a grid 2^exp that is the finest grid of the terms added.
//! Integer addition does not depend on order, so a table read by any number of threads, or in
//! parts merged later in any order, gives the same sums to the last bit; and the grid moves
//! with the weights, so weights of 10^-15 are summed as exactly as weights of 10^15.
//!
//! The one limit: a sum whose terms span more than 250 bits, from the finest bit of the
//! smallest term to the top of the total (weights spanning more than about 10^50 in one
//! report: 10^-30 beside 10^20), is rounded to 250 bits. Its figures are then within 2^-249
//! of the exact ones, and merges may differ from one pass in that last bit of the sum; a
//! figure, which keeps 53 bits, nearly never moves.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The grid of an array that holds no term yet.
const EMPTY: i32 = i32::MAX;

/// One term to add: a non-negative integer times 2^e.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Term {
    m: u128,
    e: i32,
}

impl Term {
    /// The exact value of a finite, non-negative `f64` (anything else is zero: callers check
    /// weights before they sum them).
    #[inline(always)]
    pub(crate) fn of(x: f64) -> Term {
        if !(x.is_finite() && x > 0.0) {
            return Term { m: 0, e: 0 };
        }
        let b = x.to_bits();
        let biased = ((b >> 52) & 0x7ff) as i32;
        let frac = b & ((1u64 << 52) - 1);
        let (m, e) = if biased == 0 {
            (frac, -1074)
        } else {
            (frac | (1u64 << 52), biased - 1075)
        };
        let tz = m.trailing_zeros();
        Term {
            m: u128::from(m >> tz),
            e: e + tz as i32,
        }
    }

    /// The term times a small integer (a score, or a score squared): exact while the product
    /// fits 126 bits, which a 53-bit mantissa times a factor under 2^64 does.
    #[inline(always)]
    pub(crate) fn times(self, k: u64) -> Term {
        Term {
            m: self.m.saturating_mul(u128::from(k)),
            e: self.e,
        }
    }
}

/// A non-negative integer of up to [`BITS`] bits: one exact sum on its grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Wide {
    hi: u128,
    lo: u128,
}

/// Bits a sum may use: the top of a [`Wide`] is left free, so that two sums add without
/// overflow.
const BITS: u32 = 250;

impl Wide {
    const ZERO: Wide = Wide { hi: 0, lo: 0 };

    fn of(x: u128) -> Wide {
        Wide { hi: 0, lo: x }
    }

    fn is_zero(self) -> bool {
        self.hi == 0 && self.lo == 0
    }

    fn bits(self) -> u32 {
        if self.hi != 0 {
            256 - self.hi.leading_zeros()
        } else {
            128 - self.lo.leading_zeros()
        }
    }

    fn trailing_zeros(self) -> u32 {
        if self.lo != 0 {
            self.lo.trailing_zeros()
        } else if self.hi != 0 {
            128 + self.hi.trailing_zeros()
        } else {
            256
        }
    }

    /// `self << s`; the caller keeps the result within 256 bits.
    fn shl(self, s: u32) -> Wide {
        match s {
            0 => self,
            1..=127 => Wide {
                hi: (self.hi << s) | (self.lo >> (128 - s)),
                lo: self.lo << s,
            },
            128..=255 => Wide {
                hi: self.lo << (s - 128),
                lo: 0,
            },
            _ => Wide::ZERO,
        }
    }

    /// `self >> s`, exact (the bits shifted out dropped).
    fn shr(self, s: u32) -> Wide {
        match s {
            0 => self,
            1..=127 => Wide {
                hi: self.hi >> s,
                lo: (self.lo >> s) | (self.hi << (128 - s)),
            },
            128..=255 => Wide {
                hi: 0,
                lo: self.hi >> (s - 128),
            },
            _ => Wide::ZERO,
        }
    }

    /// Whether a bit below `s` is set.
    fn any_below(self, s: u32) -> bool {
        s > 0 && self.trailing_zeros() < s
    }

    /// `self / 2^s`, rounded to nearest (ties away from zero).
    fn shr_round(self, s: u32) -> Wide {
        if s == 0 {
            return self;
        }
        let half = self.shr(s - 1).lo & 1 == 1;
        let q = self.shr(s);
        if half {
            q.add(Wide::of(1))
        } else {
            q
        }
    }

    /// `self + o`, wrapping at 2^256 (sums stay below 2^[`BITS`], so it never does).
    fn add(self, o: Wide) -> Wide {
        let (lo, carry) = self.lo.overflowing_add(o.lo);
        Wide {
            hi: self.hi.wrapping_add(o.hi).wrapping_add(u128::from(carry)),
            lo,
        }
    }

    /// The nearest `f64` to `self · 2^e`: the top 127 bits with a sticky bit for the rest,
    /// converted once (so rounded once), then scaled by a power of two.
    fn to_f64(self, e: i32) -> f64 {
        let bits = self.bits();
        let (top, e) = if bits <= 127 {
            (self.lo, e)
        } else {
            let s = bits - 127;
            let sticky = u128::from(self.any_below(s));
            (self.shr(s).lo | sticky, e + s as i32)
        };
        scaled(top as f64, e)
    }

    /// Decimal digits.
    fn to_decimal(self) -> String {
        if self.hi == 0 {
            return self.lo.to_string();
        }
        // Long division by 10^19 over four 64-bit limbs, most significant first.
        let mut limbs = [
            (self.hi >> 64) as u64,
            self.hi as u64,
            (self.lo >> 64) as u64,
            self.lo as u64,
        ];
        const TEN19: u128 = 10_000_000_000_000_000_000;
        let mut chunks = Vec::new();
        while limbs.iter().any(|l| *l != 0) {
            let mut rem: u128 = 0;
            for l in &mut limbs {
                let cur = (rem << 64) | u128::from(*l);
                *l = (cur / TEN19) as u64;
                rem = cur % TEN19;
            }
            chunks.push(rem as u64);
        }
        let mut out = String::new();
        for (i, c) in chunks.iter().rev().enumerate() {
            if i == 0 {
                out.push_str(&c.to_string());
            } else {
                out.push_str(&format!("{c:019}"));
            }
        }
        out
    }

    /// Plain decimal digits (no sign, no leading zero), below 2^[`BITS`].
    fn from_decimal(t: &str) -> Option<Wide> {
        if t.is_empty()
            || !t.bytes().all(|b| b.is_ascii_digit())
            || (t.len() > 1 && t.starts_with('0'))
        {
            return None;
        }
        let mut w = Wide::ZERO;
        for b in t.bytes() {
            // w · 10 + digit stays below 2^256 while w is below 2^252.
            if w.bits() > BITS + 2 {
                return None;
            }
            w = w.shl(3).add(w.shl(1)).add(Wide::of(u128::from(b - b'0')));
        }
        (w.bits() <= BITS).then_some(w)
    }
}

/// `N` exact sums on one shared grid (the precision tally's per-PSU sums). Each sum's low 128
/// bits sit inline; the high bits, needed only when one array's terms span more than about
/// 2^75 (weights of 1e-13 beside weights of 1e6 and a million rows), are boxed on first use.
#[derive(Debug, Clone)]
pub(crate) struct Sums<const N: usize> {
    exp: i32,
    lo: [u128; N],
    hi: Option<Box<[u128; N]>>,
}

impl<const N: usize> Default for Sums<N> {
    fn default() -> Self {
        Sums::ZERO
    }
}

fn bit_len(x: u128) -> u32 {
    128 - x.leading_zeros()
}

/// `x · 2^e` as an `f64`: exact unless the result is subnormal or beyond the range.
fn scaled(x: f64, e: i32) -> f64 {
    let mut v = x;
    let mut e = e;
    while e > 0 {
        let s = e.min(1000);
        v *= f64::from_bits(((1023 + s) as u64) << 52);
        e -= s;
    }
    while e < 0 {
        let s = (-e).min(1000);
        v /= f64::from_bits(((1023 + s) as u64) << 52);
        e += s;
    }
    v
}

impl<const N: usize> Sums<N> {
    /// No sums yet.
    pub(crate) const ZERO: Sums<N> = Sums {
        exp: EMPTY,
        lo: [0; N],
        hi: None,
    };

    #[inline(always)]
    fn get(&self, i: usize) -> Wide {
        Wide {
            hi: self.hi.as_ref().map_or(0, |h| h[i]),
            lo: self.lo[i],
        }
    }

    #[inline(always)]
    fn set(&mut self, i: usize, w: Wide) {
        self.lo[i] = w.lo;
        if w.hi != 0 || self.hi.is_some() {
            self.hi.get_or_insert_with(|| Box::new([0; N]))[i] = w.hi;
        }
    }

    fn top(&self) -> u32 {
        (0..N).map(|i| self.get(i).bits()).max().unwrap_or(0)
    }

    fn map(&mut self, f: impl Fn(Wide) -> Wide) {
        for i in 0..N {
            let w = f(self.get(i));
            self.set(i, w);
        }
    }

    /// The term on this array's grid, moving the grid first where the term needs it: finer
    /// when the term has finer bits (as far as the sums' headroom allows), coarser when the
    /// term would not fit. The fast path: a term no finer than the grid, within 126 bits on it.
    #[inline(always)]
    fn aligned(&mut self, t: Term) -> Wide {
        if t.e >= self.exp {
            let s = (t.e - self.exp) as u32;
            if s + bit_len(t.m) <= 126 {
                return Wide::of(t.m << s);
            }
        }
        self.realign(t)
    }

    #[cold]
    #[inline(never)]
    fn realign(&mut self, t: Term) -> Wide {
        let top = self.top();
        if top == 0 {
            // Nothing summed yet: the term's own grid.
            self.exp = t.e;
            return Wide::of(t.m);
        }
        if t.e < self.exp {
            // Finer bits: shift the sums up as far as they have room.
            let room = BITS - top.min(BITS);
            let by = ((i64::from(self.exp) - i64::from(t.e)) as u64).min(u64::from(room)) as u32;
            self.map(|w| w.shl(by));
            self.exp -= by as i32;
        }
        let shift = i64::from(self.exp) - i64::from(t.e);
        if shift >= 0 {
            // Finer than the sums can follow: rounded onto their grid.
            return Wide::of(t.m).shr_round(shift.min(300) as u32);
        }
        let up = (-shift) as u64;
        let need = up + u64::from(bit_len(t.m));
        if need <= u64::from(BITS) {
            return Wide::of(t.m).shl(up as u32);
        }
        // Beyond the widest sum: the grid coarsens (the sums are rounded).
        let by = (need - u64::from(BITS)) as u32;
        self.coarsen(by);
        Wide::of(t.m).shl(up as u32 - by)
    }

    #[cold]
    fn coarsen(&mut self, by: u32) {
        self.map(|w| w.shr_round(by));
        self.exp = self.exp.saturating_add(by as i32);
    }

    /// Adds an aligned value to sum `i`; if the sum would pass [`BITS`], coarsens by a bit.
    #[inline(always)]
    fn put(&mut self, i: usize, v: Wide) {
        if v.hi == 0 && self.hi.is_none() {
            if let Some(s) = self.lo[i].checked_add(v.lo) {
                self.lo[i] = s;
                return;
            }
        }
        self.put_wide(i, v);
    }

    #[cold]
    #[inline(never)]
    fn put_wide(&mut self, i: usize, v: Wide) {
        let s = self.get(i).add(v);
        self.set(i, s);
        if s.bits() > BITS {
            self.coarsen(1);
        }
    }

    /// Adds one term to each of the sums `at`.
    #[inline(always)]
    pub(crate) fn add(&mut self, at: impl IntoIterator<Item = usize>, t: Term) {
        if t.m == 0 {
            return;
        }
        let mut v = self.aligned(t);
        let mut exp = self.exp;
        for i in at {
            if self.exp != exp {
                // An overflow moved the grid: the term again, on the new one.
                v = self.aligned(t);
                exp = self.exp;
            }
            self.put(i, v);
        }
    }

    /// Adds one term to sum `i`.
    #[inline(always)]
    pub(crate) fn add_one(&mut self, i: usize, t: Term) {
        if t.m == 0 {
            return;
        }
        let v = self.aligned(t);
        self.put(i, v);
    }

    /// Adds another array's sums.
    pub(crate) fn merge(&mut self, o: &Sums<N>) {
        if o.exp == EMPTY {
            return;
        }
        if self.exp == EMPTY {
            self.clone_from(o);
            return;
        }
        if o.exp == self.exp && o.hi.is_none() && self.hi.is_none() {
            // One grid, low words only: integer adds, if none carries past 126 bits.
            let mut out = self.lo;
            let fits = out
                .iter_mut()
                .zip(&o.lo)
                .all(|(a, b)| match a.checked_add(*b) {
                    Some(s) if s >> 126 == 0 => {
                        *a = s;
                        true
                    }
                    _ => false,
                });
            if fits {
                self.lo = out;
                return;
            }
        }
        for i in 0..N {
            let w = o.get(i);
            // As two terms of at most 128 bits each: the high part 2^128 up.
            self.add_one(i, Term { m: w.lo, e: o.exp });
            if w.hi != 0 {
                self.add_one(
                    i,
                    Term {
                        m: w.hi,
                        e: o.exp.saturating_add(128),
                    },
                );
            }
        }
    }

    /// Sum `i` as the nearest `f64`.
    #[inline]
    pub(crate) fn value(&self, i: usize) -> f64 {
        let w = self.get(i);
        if w.is_zero() {
            0.0
        } else {
            w.to_f64(self.exp)
        }
    }

    /// Every sum as the nearest `f64`.
    pub(crate) fn values(&self) -> [f64; N] {
        std::array::from_fn(|i| self.value(i))
    }

    /// The same sums on their coarsest exact grid: one form for one set of values.
    pub(crate) fn canonical(&self) -> Sums<N> {
        let tz = (0..N)
            .map(|i| self.get(i).trailing_zeros())
            .min()
            .unwrap_or(256);
        if tz >= 256 {
            return Sums::ZERO;
        }
        let mut out = Sums {
            exp: self.exp + tz as i32,
            lo: [0; N],
            hi: None,
        };
        for i in 0..N {
            out.set(i, self.get(i).shr(tz));
        }
        out
    }

    /// Whether every sum is zero.
    pub(crate) fn is_zero(&self) -> bool {
        (0..N).all(|i| self.get(i).is_zero())
    }
}

impl<const N: usize> PartialEq for Sums<N> {
    fn eq(&self, o: &Self) -> bool {
        let (a, b) = (self.canonical(), o.canonical());
        (a.is_zero() && b.is_zero()) || (a.exp == b.exp && (0..N).all(|i| a.get(i) == b.get(i)))
    }
}

/// The saved form: `{"exp": e, "m": ["…", …]}`, each sum a decimal string (JSON numbers do
/// not carry 250 bits), on the canonical grid: the value of sum i is m[i] · 2^exp.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedSums {
    exp: i32,
    m: Vec<String>,
}

impl<const N: usize> Serialize for Sums<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.canonical();
        SavedSums {
            exp: if c.is_zero() { 0 } else { c.exp },
            m: (0..N).map(|i| c.get(i).to_decimal()).collect(),
        }
        .serialize(s)
    }
}

impl<'de, const N: usize> Deserialize<'de> for Sums<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let v = SavedSums::deserialize(d)?;
        if v.m.len() != N {
            return Err(D::Error::custom(format!(
                "{N} sums are needed, got {}",
                v.m.len()
            )));
        }
        let mut out = Sums {
            exp: v.exp,
            lo: [0; N],
            hi: None,
        };
        for (i, t) in v.m.iter().enumerate() {
            let w = Wide::from_decimal(t).ok_or_else(|| {
                D::Error::custom(format!(
                    "a sum must be plain digits below 2^{BITS}: {}",
                    crate::error::excerpt(t)
                ))
            })?;
            out.set(i, w);
        }
        if out.is_zero() {
            return Ok(Sums::ZERO);
        }
        // Every sum a finite f64, and no grid finer than a weight's finest bit squared.
        let top = i64::from(out.top());
        if i64::from(v.exp) + top > 1024 || i64::from(v.exp) < -2400 {
            return Err(D::Error::custom(format!(
                "sums on a grid of 2^{} are beyond any weight's",
                v.exp
            )));
        }
        Ok(out)
    }
}

impl Wide {
    fn cmp_value(self, o: Wide) -> std::cmp::Ordering {
        (self.hi, self.lo).cmp(&(o.hi, o.lo))
    }
}

impl<const N: usize> Sums<N> {
    /// Whether sum `a` is at most sum `b`, exactly (one grid).
    pub(crate) fn le(&self, a: usize, b: usize) -> bool {
        self.get(a).cmp_value(self.get(b)).is_le()
    }

    /// Whether sums `parts` add up to sum `whole`, exactly.
    pub(crate) fn parts_make(&self, parts: std::ops::Range<usize>, whole: usize) -> bool {
        let w = parts.fold(Wide::ZERO, |acc, i| acc.add(self.get(i)));
        w == self.get(whole)
    }

    /// The exact sum of sums `at` (on one grid, so added as integers), as the nearest `f64`.
    pub(crate) fn total(&self, at: impl IntoIterator<Item = usize>) -> f64 {
        let w = at
            .into_iter()
            .fold(Wide::ZERO, |acc, i| acc.add(self.get(i)));
        if w.is_zero() {
            0.0
        } else {
            w.to_f64(self.exp)
        }
    }
}

/// The survey weight of a report's households per class (*tổng quyền số theo nhóm*), summed
/// exactly: each sum is an integer of up to 250 bits on the finest binary grid of its
/// weights, so any order of the rows, any split into reports merged later, gives the same sums
/// to the last bit, at any scale of the weights. Read a class as the nearest `f64`.
///
/// ```
/// use chuan_ngheo::population::ClassWeights;
/// use chuan_ngheo::PovertyClass;
/// let mut w = ClassWeights::default();
/// for _ in 0..10 {
///     w.add(PovertyClass::Poor, 0.1);
/// }
/// // The ten binary fractions nearest 0.1, summed without rounding, then rounded once
/// // (adding them as f64 one by one gives 0.9999999999999999).
/// assert_eq!(w.get(PovertyClass::Poor), 1.0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClassWeights(Sums<5>);

impl ClassWeights {
    /// The weight of a class, as the nearest `f64`.
    pub fn get(&self, class: crate::PovertyClass) -> f64 {
        self.0.value(class.index())
    }

    /// The weight of the four determinate classes, summed exactly, as the nearest `f64`.
    pub fn determinate_total(&self) -> f64 {
        self.0.total(0..4)
    }

    /// Adds a household's weight to its class; a weight that is not a finite number above
    /// zero adds nothing (reports reject such rows before they sum them).
    pub fn add(&mut self, class: crate::PovertyClass, weight: f64) {
        self.0.add_one(class.index(), Term::of(weight));
    }

    #[inline(always)]
    pub(crate) fn add_at(&mut self, class: usize, t: Term) {
        self.0.add_one(class, t);
    }

    /// Adds another report's weights.
    pub fn merge(&mut self, o: &ClassWeights) {
        self.0.merge(&o.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sum_of(ws: &[f64]) -> Sums<2> {
        let mut s = Sums::<2>::ZERO;
        for w in ws {
            s.add([0, 1], Term::of(*w));
        }
        s
    }

    proptest! {
        /// Against an independent oracle: weights m·2^e with e in a window a u128 covers,
        /// summed as integers on the finest grid.
        #[test]
        fn sums_equal_integer_sums_in_any_order_and_split(
            terms in prop::collection::vec((1u64..(1 << 53), -40i32..20), 1..60),
            cut in any::<prop::sample::Index>(),
        ) {
            let ws: Vec<f64> = terms.iter().map(|(m, e)| *m as f64 * 2f64.powi(*e)).collect();
            let emin = ws.iter().map(|w| Term::of(*w).e).min().unwrap();
            let oracle: u128 = ws.iter().map(|w| { let t = Term::of(*w); t.m << (t.e - emin) }).sum();
            let s = sum_of(&ws);
            prop_assert_eq!(s.value(0), scaled(oracle as f64, emin));
            let mut rev = ws.clone();
            rev.reverse();
            let r = sum_of(&rev);
            prop_assert!(r == s);
            let at = cut.index(ws.len());
            let mut a = sum_of(&ws[..at]);
            a.merge(&sum_of(&ws[at..]));
            prop_assert!(a == s);
            prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&s).unwrap());
            let back: Sums<2> = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
            prop_assert!(back == s);
        }

        /// Weights from 1e-30 to 1e20 in one sum: still exact (250 bits), any order.
        #[test]
        fn weights_spanning_fifty_decades_sum_the_same_in_any_order(
            ws in prop::collection::vec((1.0f64..10.0, -30i32..=20), 1..80),
        ) {
            let ws: Vec<f64> = ws.iter().map(|(m, k)| m * 10f64.powi(*k)).collect();
            let s = sum_of(&ws);
            let mut sorted = ws.clone();
            sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let t = sum_of(&sorted);
            prop_assert!(s == t);
            prop_assert_eq!(s.value(0).to_bits(), t.value(0).to_bits());
            // The f64 nearest the exact sum: within half an ulp of the sorted float sum's
            // neighbourhood, checked loosely against it.
            let naive: f64 = sorted.iter().sum();
            prop_assert!((s.value(0) - naive).abs() <= 1e-12 * naive);
        }

        #[test]
        fn wide_numbers_print_and_read_back(hi in 0u128..(1 << 122), lo in any::<u128>()) {
            let w = Wide { hi, lo };
            let t = w.to_decimal();
            prop_assert_eq!(Wide::from_decimal(&t), Some(w));
        }
    }

    #[test]
    fn a_wide_number_prints_in_decimal() {
        // 2^128 + 5
        let w = Wide { hi: 1, lo: 5 };
        assert_eq!(w.to_decimal(), "340282366920938463463374607431768211461");
        assert_eq!(
            Wide::from_decimal("340282366920938463463374607431768211461"),
            Some(w)
        );
    }

    #[test]
    fn conversion_rounds_once_with_a_sticky_bit() {
        // 2^200 + 2^147 + 1: just over half an ulp of 2^200 at 53 bits (the ulp is 2^148):
        // rounds up only because of the final 1.
        let w = Wide::of(1)
            .shl(200)
            .add(Wide::of(1).shl(147))
            .add(Wide::of(1));
        let up = 2f64.powi(200) + 2f64.powi(148);
        assert_eq!(w.to_f64(0), up);
        let tie = Wide::of(1).shl(200).add(Wide::of(1).shl(147));
        assert_eq!(tie.to_f64(0), 2f64.powi(200)); // a tie goes to even
    }

    #[test]
    fn saved_sums_edited_by_hand_are_refused() {
        for bad in [
            r#"{"exp":0,"m":["-1","0"]}"#,
            r#"{"exp":0,"m":["01","0"]}"#,
            r#"{"exp":0,"m":[" 1","0"]}"#,
            r#"{"exp":0,"m":["1"]}"#,
            r#"{"exp":0,"m":["1","0","0"]}"#,
            r#"{"exp":2000,"m":["1","0"]}"#,
            r#"{"exp":-3000,"m":["1","0"]}"#,
            r#"{"exp":0,"m":["1e5","0"]}"#,
            // 2^251: over the widest sum
            r#"{"exp":0,"m":["3618502788666131106986593281521497120414687020801267626233049500247285301248","0"]}"#,
            r#"{"exp":0,"m":["1","0"],"extra":1}"#,
        ] {
            assert!(serde_json::from_str::<Sums<2>>(bad).is_err(), "{bad}");
        }
        let ok: Sums<2> = serde_json::from_str(r#"{"exp":-3,"m":["12","4"]}"#).unwrap();
        assert_eq!(ok.values(), [1.5, 0.5]);
    }

    #[test]
    fn class_weights_are_exact_where_floats_drift() {
        use crate::PovertyClass::{NearPoor, Poor};
        let mut s = ClassWeights::default();
        let mut f = 0.0f64;
        for _ in 0..1000 {
            s.add(Poor, 0.1);
            f += 0.1;
        }
        assert_eq!(s.get(Poor), 100.00000000000000555f64);
        assert_ne!(f, s.get(Poor));
        // Tiny weights beside large ones keep their bits.
        let mut t = ClassWeights::default();
        t.add(Poor, 1e15);
        t.add(NearPoor, 1e-15);
        let mut u = ClassWeights::default();
        u.add(NearPoor, 1e-15);
        u.add(Poor, 1e15);
        assert_eq!(t, u);
        assert_eq!(t.determinate_total(), 1e15 + 1e-15);
        t.add(Poor, -1.0);
        t.add(Poor, f64::NAN);
        t.add(Poor, f64::INFINITY);
        assert_eq!(t, u);
    }
}
