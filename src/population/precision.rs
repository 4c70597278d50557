//! Survey precision ([formats §4.1](crate::docs::formats)): standard errors and 95% intervals
//! of every rate and Alkire–Foster measure of a report, nationally and for every group as a
//! domain of the whole design, from a stratified, clustered, weighted sample.
//!
//! * **Estimator.** Each estimate is a ratio of weighted sums R = Y / X (rates over classified
//!   rows; H, M0 and the censored headcounts over complete cases; A over the complete cases
//!   that are poor). Its variance is the Taylor linearization of the ratio with primary
//!   sampling units (PSUs) drawn with replacement within strata and no finite-population
//!   correction, as Stata's `svy`, R's `survey` and samplics compute it by default:
//!   v(R) = Σ_h n_h/(n_h−1) Σ_i (d_hi − d̄_h)² / X², with d_hi = Y_hi − R·X_hi the PSU's
//!   linearized total.
//! * **Domains.** A group is a domain of the whole design: its sums are zero outside it, and
//!   every PSU of the sample counts in n_h, inside the group or not.
//! * **Interval.** estimate ± t·se, with Student's t at 0.975 and df = PSUs − strata.
//! * **No design columns.** One stratum, each household its own PSU: the variance is kept as
//!   sums of squares, so memory stays flat in the number of rows.
//! * **Mergeable.** The per-PSU sums travel with the report: reports of parts of a sample
//!   (threads, files, machines) merge into the report of the whole.
//! * **Design effect** (optional): the variance over the variance the same weighted households
//!   would give as a simple random sample of households (one stratum, each household its own
//!   PSU, with replacement): the effect of clustering and stratification.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::hash::KeyedMap;
use crate::indicator::{Indicator, IndicatorSet};
use crate::population::exact::{self, Term};

/// What to do with a stratum that has a single PSU, whose variance cannot be estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LonelyPsu {
    /// Stop with an error naming the stratum (the default).
    #[default]
    Error,
    /// Centre the lonely PSU at the mean of all PSUs instead of its stratum's (R `survey`'s
    /// `adjust`; Stata's `centered`).
    Adjust,
    /// Leave the stratum out of the variance: it adds nothing (samplics' `skip`; R `survey`'s
    /// `certainty`, which also adds nothing). Samplics' own `certainty` is another method
    /// (the stratum's second-stage units become its PSUs), which needs columns this crate
    /// does not read, so it is not offered under that name.
    Skip,
}

/// The settings of a precision report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrecisionOptions {
    /// The treatment of single-PSU strata.
    pub lonely_psu: LonelyPsu,
    /// Also compute design effects (keeps the sums of squares a simple random sample needs).
    pub design_effects: bool,
}

/// Where the weighted sums of a row go: the numerators and denominators of every estimate.
pub(crate) const CLASSIFIED: usize = 0;
pub(crate) const CLASS: usize = 1; // .. CLASS + 4: poor, near-poor, average, not poor
pub(crate) const COMPLETE: usize = 5;
pub(crate) const AF_POOR: usize = 6;
pub(crate) const SHARE: usize = 7;
pub(crate) const CENSORED: usize = 8; // .. CENSORED + 15, by indicator bit
pub(crate) const NSUMS: usize = CENSORED + Indicator::ALL.len();

/// Weighted sums, exact ([`exact`](crate::population::exact)): any order of the rows, any
/// split into parts merged later, gives the same sums to the last bit, and so the same
/// figures to the last digit, at any scale of the weights.
type Sums = exact::Sums<NSUMS>;

const ZERO: Sums = exact::Sums::ZERO;

/// Sums back as numbers; the share sum divided by the scoring total (its rows added
/// weight × score).
fn real(s: &Sums, score_total: f64) -> [f64; NSUMS] {
    let mut out = s.values();
    out[SHARE] /= score_total;
    out
}

/// Second moments for the one-stratum, household-as-PSU variance: Σ v_i² per sum, and
/// Σ v_SHARE·v_AF_POOR (which equals Σ v_SHARE·v_COMPLETE: a share is non-zero only for a
/// poor complete case). Every other numerator is a 0/1 indicator within its denominator's
/// set, so its cross product with the denominator is its own square. Exact like [`Sums`],
/// from each row's squared weight (rounded once, the same wherever the row is read).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Squares {
    q: Sums,
    share_by_poor: exact::Sums<1>,
}

/// One row's contribution, as the indices it adds its weight (or weight × score) to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowSums {
    /// The class index, if classified (0–3).
    pub class: Option<usize>,
    /// Complete case: AF-poor flag, deprivation score (in the scoring's units; 0 when not
    /// poor), censored set.
    pub af: Option<(bool, u64, IndicatorSet)>,
}

impl RowSums {
    #[inline(always)]
    fn add_to(&self, s: &mut Sums, w: Term) {
        if let Some(c) = self.class {
            s.add([CLASSIFIED, CLASS + c], w);
        }
        if let Some((poor, score, censored)) = self.af {
            s.add_one(COMPLETE, w);
            if poor {
                s.add_one(AF_POOR, w);
                s.add_one(SHARE, w.times(score));
                s.add(censored.positions().map(|j| CENSORED + j), w);
            }
        }
    }

    #[inline(always)]
    fn add_squares(&self, q: &mut Squares, w2: Term) {
        if let Some(c) = self.class {
            q.q.add([CLASSIFIED, CLASS + c], w2);
        }
        if let Some((poor, score, censored)) = self.af {
            q.q.add_one(COMPLETE, w2);
            if poor {
                // Scores are at most 4096 (the scoring's check): the square fits.
                q.q.add_one(AF_POOR, w2);
                q.q.add_one(SHARE, w2.times(score * score));
                q.share_by_poor.add_one(0, w2.times(score));
                q.q.add(censored.positions().map(|j| CENSORED + j), w2);
            }
        }
    }
}

/// The design sums of a report: per PSU for the whole sample and for each group, or sums of
/// squares when there is no design.
#[derive(Debug, Clone, Default)]
pub(crate) struct PrecisionTally {
    pub(crate) options: PrecisionOptions,
    /// Stratum and PSU columns were given.
    design: bool,
    /// PSUs by key (the stratum escaped, then a 0x1F byte, then the PSU id: [`psu_key`]).
    psu_index: KeyedMap<Arc<[u8]>, u32>,
    /// PSUs whose stratum and id are 7 bytes or fewer each, by their packed bytes.
    psu_packed: IntMap<u128, u32>,
    /// A direct-mapped cache in front of `psu_packed`: one compare when it hits.
    psu_cache: Vec<(u128, u32)>,
    psu_stratum: Vec<u32>,
    /// Each PSU's key, shared with `psu_index` (one allocation per PSU).
    psu_key: Vec<Arc<[u8]>>,
    strata: KeyedMap<Arc<[u8]>, u32>,
    stratum_names: Vec<Arc<[u8]>>,
    /// Per PSU, the sums of the rows outside the first grouping (all rows when there is
    /// none): with the first grouping's sums, the whole sample's ([`Self::estimates`]).
    /// (A slot in `national_sums`, or [`NONE`] while the PSU has no such row: with a
    /// grouping every row is in it, and no PSU pays for sums it never uses.)
    national: Vec<u32>,
    national_sums: Vec<Sums>,
    /// Per grouping, the tally's own keys of the group labels (its sums are keyed by them,
    /// so tallies filled apart merge by label).
    labels: Vec<crate::population::Grouping>,
    /// Per grouping, per (group key, PSU), an index into `group_sums`.
    group_index: Vec<IntMap<u64, u32>>,
    group_sums: Vec<Vec<Sums>>,
    /// Per grouping, per PSU: the group key and slot of its last row.
    psu_last: Vec<Vec<(u32, u32)>>,
    /// Households in the sample (accepted rows): the PSUs when there is no design.
    units: u64,
    /// No design, or design effects asked: squares of the whole sample and of each group.
    national_sq: Squares,
    group_sq: Vec<IntMap<u32, Squares>>,
    /// No design: first-order sums of the whole sample and of each group.
    national_total: Sums,
    group_total: Vec<IntMap<u32, Sums>>,
    /// The layout of the estimates, computed on first use after the last change.
    layout: std::sync::OnceLock<Layout>,
}

/// A map keyed by integers (packed labels and indices), hashed with the crate's keyed hash.
type IntMap<K, V> = KeyedMap<K, V>;

/// Up to 7 bytes and their length in one word: a label's exact, allocation-free key.
#[inline(always)]
fn pack7(b: &[u8]) -> Option<u64> {
    if b.len() > 7 {
        return None;
    }
    Some(crate::population::pack_short(b))
}

/// No slot.
const NONE: u32 = u32::MAX;

/// The separator between a stratum and a PSU id in a PSU's key.
const SEP: u8 = 0x1f;
/// Escapes a [`SEP`] (or itself) inside a stratum id, so that no stratum and PSU ids can
/// meet in one key: the key's first bare [`SEP`] ends the stratum.
const ESC: u8 = 0x1e;

/// The key of a PSU: its stratum escaped, [`SEP`], then its id. Ids without the two control
/// bytes keep their plain form, and so their order.
fn psu_key(stratum: &[u8], psu: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(stratum.len() + 1 + psu.len());
    for &b in stratum {
        if b == SEP || b == ESC {
            key.push(ESC);
        }
        key.push(b);
    }
    key.push(SEP);
    key.extend_from_slice(psu);
    key
}

/// Where the PSU id starts in its key.
fn psu_id_start(stratum: &[u8]) -> usize {
    stratum.len() + stratum.iter().filter(|&&b| b == SEP || b == ESC).count() + 1
}

impl PrecisionTally {
    pub(crate) fn new(options: PrecisionOptions, design: bool, groupings: usize) -> Self {
        PrecisionTally {
            options,
            design,
            labels: (0..groupings)
                .map(|_| crate::population::Grouping::new(""))
                .collect(),
            group_index: vec![IntMap::default(); groupings],
            group_sums: vec![Vec::new(); groupings],
            psu_last: vec![Vec::new(); groupings],
            group_sq: vec![IntMap::default(); groupings],
            group_total: vec![IntMap::default(); groupings],
            ..Default::default()
        }
    }

    pub(crate) fn has_design(&self) -> bool {
        self.design
    }

    /// The sums of a PSU's rows outside the first grouping, made on first use.
    #[inline(always)]
    fn national_mut(&mut self, p: u32) -> &mut Sums {
        let slot = &mut self.national[p as usize];
        if *slot == NONE {
            *slot = self.national_sums.len() as u32;
            self.national_sums.push(ZERO);
        }
        let at = *slot as usize;
        &mut self.national_sums[at]
    }

    /// The sums of a PSU's rows outside the first grouping, if it has any.
    fn national_of(&self, p: u32) -> Option<&Sums> {
        match self.national.get(p as usize) {
            Some(&slot) if slot != NONE => self.national_sums.get(slot as usize),
            _ => None,
        }
    }

    /// Nothing added: no row, no PSU, no label.
    #[cfg(feature = "csv")]
    fn is_empty(&self) -> bool {
        self.units == 0
            && self.psu_key.is_empty()
            && self.labels.iter().all(|g| g.labels().is_empty())
    }

    /// The index of a PSU (added if new): by its packed bytes when both labels are short,
    /// with no allocation; by its full key otherwise.
    #[inline]
    fn psu(&mut self, stratum: &[u8], psu: &[u8]) -> u32 {
        if let (Some(s), Some(p)) = (pack7(stratum), pack7(psu)) {
            let key = u128::from(s) | (u128::from(p) << 64);
            let h = (s ^ p.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let at = (h >> 52) as usize; // 4096 entries
            if let Some((k, i)) = self.psu_cache.get(at) {
                if *k == key {
                    return *i;
                }
            }
            let i = match self.psu_packed.get(&key) {
                Some(i) => *i,
                None => {
                    let i = self.psu_by_key(stratum, psu);
                    self.psu_packed.insert(key, i);
                    i
                }
            };
            if self.psu_cache.is_empty() {
                // u128::MAX is no key: its length bytes would be 255.
                self.psu_cache = vec![(u128::MAX, 0); 4096];
            }
            self.psu_cache[at] = (key, i);
            return i;
        }
        self.psu_by_key(stratum, psu)
    }

    #[inline(never)]
    fn psu_by_key(&mut self, stratum: &[u8], psu: &[u8]) -> u32 {
        let key = psu_key(stratum, psu);
        if let Some(i) = self.psu_index.get(key.as_slice()) {
            return *i;
        }
        // A new PSU: the layout is out of date.
        self.changed();
        let s = match self.strata.get(stratum) {
            Some(s) => *s,
            None => {
                let s = self.stratum_names.len() as u32;
                let name: Arc<[u8]> = Arc::from(stratum);
                self.strata.insert(name.clone(), s);
                self.stratum_names.push(name);
                s
            }
        };
        let i = self.psu_stratum.len() as u32;
        let key: Arc<[u8]> = Arc::from(key);
        // PSUs whose ids pack into a word are found in `psu_packed` (every lookup tries it
        // first); only the others need the map of full keys.
        if pack7(stratum).is_none() || pack7(psu).is_none() {
            self.psu_index.insert(key.clone(), i);
        }
        self.psu_stratum.push(s);
        self.psu_key.push(key);
        self.national.push(NONE);
        i
    }

    /// Adds one accepted row: its sums, in its PSU (design) or as its own unit, for the
    /// whole sample and for each group it falls in (`labels`: one per grouping).
    #[inline]
    pub(crate) fn add(
        &mut self,
        row: &RowSums,
        weight: f64,
        labels: &[&[u8]],
        unit: Option<(&[u8], &[u8])>,
    ) {
        let mut stack = [u32::MAX; 8];
        let mut heap = Vec::new();
        let keys: &mut [u32] = if labels.len() <= stack.len() {
            &mut stack[..labels.len()]
        } else {
            heap.resize(labels.len(), u32::MAX);
            &mut heap
        };
        for ((k, l), g) in keys.iter_mut().zip(labels).zip(self.labels.iter_mut()) {
            *k = g.key_bytes(l);
        }
        let keys: &[u32] = keys;
        // A household without a positive weight is not in the sample (a table's reader
        // rejects it; a caller adding by hand is held to the same).
        if !(weight > 0.0 && weight <= crate::population::MAX_WEIGHT) {
            return;
        }
        self.units += 1;
        let (w, w2) = (Term::of(weight), Term::of(weight * weight));
        if !self.design || self.options.design_effects {
            row.add_squares(&mut self.national_sq, w2);
            for (g, k) in keys.iter().enumerate() {
                if *k != u32::MAX {
                    if let Some(m) = self.group_sq.get_mut(g) {
                        row.add_squares(m.entry(*k).or_default(), w2);
                    }
                }
            }
        }
        match unit {
            Some((stratum, psu)) if self.design => {
                let p = self.psu(stratum, psu);
                // The whole sample's PSU sums are the first grouping's, summed over its groups,
                // plus the rows outside it: each row is added once, not twice.
                if keys.first().map_or(true, |k| *k == u32::MAX) {
                    row.add_to(self.national_mut(p), w);
                }
                for (g, k) in keys.iter().enumerate() {
                    if *k == u32::MAX {
                        continue;
                    }
                    let (Some(index), Some(sums)) =
                        (self.group_index.get_mut(g), self.group_sums.get_mut(g))
                    else {
                        continue;
                    };
                    // PSUs nest in groups in most designs (a PSU lies in one province): the
                    // PSU's last group and slot spare the map.
                    let last = &mut self.psu_last[g];
                    if last.len() <= p as usize {
                        last.resize(p as usize + 1, (u32::MAX, 0));
                    }
                    let slot = match last[p as usize] {
                        (key, slot) if key == *k => slot,
                        _ => {
                            let before = sums.len();
                            let slot = *index
                                .entry((u64::from(*k) << 32) | u64::from(p))
                                .or_insert_with(|| {
                                    sums.push(ZERO);
                                    (sums.len() - 1) as u32
                                });
                            if sums.len() != before {
                                // A new (group, PSU) pair: the layout is out of date.
                                self.layout = std::sync::OnceLock::new();
                            }
                            last[p as usize] = (*k, slot);
                            slot
                        }
                    };
                    row.add_to(&mut sums[slot as usize], w);
                }
            }
            _ => {
                row.add_to(&mut self.national_total, w);
                for (g, k) in keys.iter().enumerate() {
                    if *k != u32::MAX {
                        if let Some(m) = self.group_total.get_mut(g) {
                            row.add_to(m.entry(*k).or_insert(ZERO), w);
                        }
                    }
                }
            }
        }
    }

    /// Adds the sums of a tally of other rows of the same sample.
    pub(crate) fn merge(&mut self, o: &PrecisionTally) -> Result<()> {
        self.changed();
        if o.design != self.design
            || o.options != self.options
            || o.labels.len() != self.labels.len()
        {
            return Err(Error::from(ErrorKind::Incomparable {
                why: crate::Incompatibility::MergeDesign,
            }));
        }
        self.units += o.units;
        add_squares(&mut self.national_sq, &o.national_sq);
        add_sums(&mut self.national_total, &o.national_total);
        // The other tally's group keys, as keys of this one.
        let remap: Vec<Vec<u32>> = self
            .labels
            .iter_mut()
            .zip(&o.labels)
            .map(|(mine, theirs)| theirs.labels().iter().map(|l| mine.key(l)).collect())
            .collect();
        let mut psu_map = Vec::with_capacity(o.psu_key.len());
        for (i, key) in o.psu_key.iter().enumerate() {
            let stratum = &o.stratum_names[o.psu_stratum[i] as usize];
            let psu = &key[psu_id_start(stratum)..];
            let p = self.psu(stratum, psu);
            if let Some(theirs) = o.national_of(i as u32) {
                add_sums(self.national_mut(p), theirs);
            }
            psu_map.push(p);
        }
        for (g, map) in remap.iter().enumerate() {
            if let (Some(index), Some(sums)) = (o.group_index.get(g), o.group_sums.get(g)) {
                for (packed, slot) in index {
                    let (k, p) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
                    let (Some(k), Some(p)) = (map.get(k), psu_map.get(p)) else {
                        continue;
                    };
                    let (idx, mine) = (&mut self.group_index[g], &mut self.group_sums[g]);
                    let s = *idx
                        .entry((u64::from(*k) << 32) | u64::from(*p))
                        .or_insert_with(|| {
                            mine.push(ZERO);
                            (mine.len() - 1) as u32
                        });
                    add_sums(&mut mine[s as usize], &sums[*slot as usize]);
                }
            }
            if let Some(sq) = o.group_sq.get(g) {
                for (k, q) in sq {
                    if let Some(k) = map.get(*k as usize) {
                        add_squares(self.group_sq[g].entry(*k).or_default(), q);
                    }
                }
            }
            if let Some(t) = o.group_total.get(g) {
                for (k, s) in t {
                    if let Some(k) = map.get(*k as usize) {
                        add_sums(self.group_total[g].entry(*k).or_insert(ZERO), s);
                    }
                }
            }
        }
        Ok(())
    }

    /// Strata, PSUs and degrees of freedom of the whole sample.
    pub(crate) fn counts(&self) -> (u64, u64, u64) {
        if self.design {
            let strata = self.stratum_names.len() as u64;
            let psus = self.psu_stratum.len() as u64;
            (strata, psus, psus.saturating_sub(strata))
        } else {
            (1, self.units, self.units.saturating_sub(1))
        }
    }

    /// Checks the design can give a variance: some PSU, more PSUs than strata, and no
    /// single-PSU stratum unless a treatment was chosen.
    /// `rejected`: the report's rejected rows, which the error names as a possible cause.
    pub(crate) fn check(&self, rejected: crate::error::RejectedRows) -> Result<()> {
        let (strata, psus, _) = self.counts();
        if psus == 0 {
            return Err(Error::from(ErrorKind::NoVariance {
                psus,
                strata,
                rejected,
            }));
        }
        if self.design && self.options.lonely_psu == LonelyPsu::Error {
            let mut per = vec![0u64; strata as usize];
            for s in &self.psu_stratum {
                per[*s as usize] += 1;
            }
            // The first lonely stratum by name, whatever order the rows brought the strata in.
            let lonely = (0..per.len())
                .filter(|s| per[*s] == 1)
                .min_by(|a, b| self.stratum_names[*a].cmp(&self.stratum_names[*b]));
            if let Some(s) = lonely {
                return Err(Error::from(ErrorKind::LonelyPsu {
                    stratum: crate::error::excerpt_bytes(&self.stratum_names[s]),
                    rejected,
                }));
            }
        }
        if psus <= strata {
            return Err(Error::from(ErrorKind::NoVariance {
                psus,
                strata,
                rejected,
            }));
        }
        Ok(())
    }

    /// What every estimate of one report shares, computed once: the PSUs in key order, the
    /// PSUs per stratum, and per group the (PSU, slot) pairs it reaches in that order. Cost
    /// and memory grow with the PSUs plus the (group, PSU) pairs present, never their product.
    pub(crate) fn layout(&self) -> &Layout {
        self.layout.get_or_init(|| self.make_layout())
    }

    /// A new PSU or (group, PSU) pair, or a merge: the layout is computed again when next
    /// asked for. (New sums in known places leave it as it is: it holds no sums.)
    #[inline(always)]
    fn changed(&mut self) {
        if self.layout.get().is_some() {
            self.layout = std::sync::OnceLock::new();
        }
    }

    fn make_layout(&self) -> Layout {
        let order = self.key_order();
        let mut rank = vec![0u32; order.len()];
        for (r, p) in order.iter().enumerate() {
            rank[*p as usize] = r as u32;
        }
        let mut n = vec![0u64; self.stratum_names.len()];
        for s in &self.psu_stratum {
            n[*s as usize] += 1;
        }
        let lonely = n.iter().filter(|x| **x == 1).count() as u64;
        let groups = self
            .group_index
            .iter()
            .map(|index| {
                let mut by: IntMap<u32, Vec<(u32, u32)>> = IntMap::default();
                for (packed, slot) in index {
                    let (k, p) = ((packed >> 32) as u32, (packed & 0xffff_ffff) as u32);
                    by.entry(k).or_default().push((p, *slot));
                }
                for v in by.values_mut() {
                    v.sort_unstable_by_key(|(p, _)| rank[*p as usize]);
                }
                by
            })
            .collect();
        // The first grouping's (PSU, slot) pairs in key order: the whole sample's sums.
        let mut first: Vec<(u32, u32)> = self
            .group_index
            .first()
            .map(|index| {
                index
                    .iter()
                    .map(|(packed, slot)| ((packed & 0xffff_ffff) as u32, *slot))
                    .collect()
            })
            .unwrap_or_default();
        first.sort_unstable_by_key(|(p, slot)| (rank[*p as usize], *slot));
        Layout {
            order,
            n,
            lonely,
            groups,
            first,
        }
    }

    /// The estimates of the whole sample (`group` `None`) or of one group (grouping index,
    /// label). `score_total` is the scoring's total weight (a share is a score over it).
    ///
    /// Two passes over the domain's sums: the exact totals give every ratio, then the PSUs,
    /// stratum by stratum in key order, give every variance at once. Memory: the largest
    /// stratum's PSUs, whatever the number of PSUs.
    pub(crate) fn estimates(
        &self,
        layout: &Layout,
        indicators: IndicatorSet,
        group: Option<(usize, &str)>,
        score_total: f64,
    ) -> Vec<(String, Estimate)> {
        // A label the tally never saw is an empty domain: every estimate is left out.
        let group = match group {
            None => None,
            Some((g, label)) => match self.labels.get(g).and_then(|x| x.key_of(label)) {
                Some(k) => Some((g, k)),
                None => return Vec::new(),
            },
        };
        let (_, _, df) = self.counts();
        let t = t_quantile_975(df as f64);
        // Every estimate: its name, numerator, denominator, and whether its squares use the
        // share's cross sum.
        let classes = ["poor", "near_poor", "average_living_standard", "not_poor"];
        let mut specs: Vec<(String, usize, usize, bool)> = classes
            .iter()
            .enumerate()
            .map(|(c, name)| (format!("rates.{name}"), CLASS + c, CLASSIFIED, false))
            .collect();
        specs.push(("af.h".into(), AF_POOR, COMPLETE, false));
        specs.push(("af.m0".into(), SHARE, COMPLETE, true));
        specs.push(("af.a".into(), SHARE, AF_POOR, true));
        for i in indicators.iter() {
            specs.push((
                format!("af.censored_headcount.{}", i.code()),
                CENSORED + i as usize,
                COMPLETE,
                false,
            ));
        }
        // Pass 1: the domain's exact totals, and its squares.
        let mut exact = ZERO;
        let squares: Option<&Squares> = match group {
            None => {
                if self.design {
                    for s in &self.national_sums {
                        exact.merge(s);
                    }
                    for s in self.group_sums.first().into_iter().flatten() {
                        exact.merge(s);
                    }
                } else {
                    exact = self.national_total.clone();
                }
                Some(&self.national_sq)
            }
            Some((g, k)) => {
                if self.design {
                    let entries = layout.groups.get(g).and_then(|m| m.get(&k));
                    if let (Some(entries), Some(sums)) = (entries, self.group_sums.get(g)) {
                        for (_, slot) in entries {
                            exact.merge(&sums[*slot as usize]);
                        }
                    }
                } else if let Some(t) = self.group_total.get(g).and_then(|m| m.get(&k)) {
                    exact = t.clone();
                }
                self.group_sq
                    .get(g)
                    .and_then(|m| m.get(&k))
                    .or(Some(&self.national_sq))
            }
        };
        let totals = real(&exact, score_total);
        let ratios: Vec<Option<f64>> = specs
            .iter()
            .map(|(_, num, den, _)| (totals[*den] > 0.0).then(|| totals[*num] / totals[*den]))
            .collect();
        // Pass 2: the design variances.
        let vars = if self.design {
            self.design_variances(layout, group, &specs, &ratios, &totals, score_total)
        } else {
            Vec::new()
        };
        // Squares in real units: the share's squared score over the total squared.
        let sq = squares.map(|q| {
            let mut r = real(&q.q, score_total);
            r[SHARE] /= score_total;
            (r, q.share_by_poor.value(0) / score_total)
        });
        let mut out = Vec::new();
        for (e, (name, num, den, cross)) in specs.into_iter().enumerate() {
            // A domain with no denominator is left out, never NaN.
            let Some(r) = ratios[e] else { continue };
            let x = totals[den];
            let srs = sq.map(|(q, share_by_poor)| {
                let sxy = if cross { share_by_poor } else { q[num] };
                let n = self.units as f64;
                let v = (q[num] - 2.0 * r * sxy + r * r * q[den]).max(0.0);
                if n > 1.0 {
                    n / (n - 1.0) * v / (x * x)
                } else {
                    f64::NAN
                }
            });
            let var = if self.design {
                vars[e] / (x * x)
            } else {
                srs.unwrap_or(f64::NAN)
            };
            let se = var.max(0.0).sqrt();
            let deff = if self.options.design_effects {
                srs.filter(|v| *v > 0.0).map(|v| var / v)
            } else {
                None
            };
            out.push((
                name,
                Estimate {
                    estimate: r,
                    se,
                    ci95: proportion_interval(r, se, t),
                    deff,
                },
            ));
        }
        out
    }

    /// For each estimate, Σ_h n_h/(n_h−1) Σ_i (d_hi − d̄_h)² with d = num − r·den, over every
    /// PSU of the sample. The PSUs the domain reaches come stratum by stratum in key order;
    /// every other PSU has d = 0 and enters in closed form: (n_h − m_h)·d̄_h² in a stratum the
    /// domain reaches, nothing in one it does not (d̄ = 0 there), except a lonely PSU that
    /// `adjust` centres at the grand mean.
    fn design_variances(
        &self,
        layout: &Layout,
        group: Option<(usize, u32)>,
        specs: &[(String, usize, usize, bool)],
        ratios: &[Option<f64>],
        totals: &[f64; NSUMS],
        score_total: f64,
    ) -> Vec<f64> {
        let psus = self.psu_stratum.len().max(1) as f64;
        // Σ_i d_i over the domain is Y − r·X: the grand mean of d, in closed form.
        let grand: Vec<f64> = specs
            .iter()
            .zip(ratios)
            .map(|((_, num, den, _), r)| {
                r.map_or(0.0, |r| (totals[*num] - r * totals[*den]) / psus)
            })
            .collect();
        let adjust = self.options.lonely_psu == LonelyPsu::Adjust;
        let mut total = vec![0.0f64; specs.len()];
        let mut lonely_reached = 0u64;
        let mut run: Vec<[f64; NSUMS]> = Vec::new();
        let mut flush = |h: u32, run: &mut Vec<[f64; NSUMS]>| {
            if run.is_empty() {
                return;
            }
            let nh = layout.n[h as usize];
            let m = run.len() as u64;
            if nh == 1 {
                lonely_reached += 1;
            }
            for (e, (_, num, den, _)) in specs.iter().enumerate() {
                let Some(r) = ratios[e] else { continue };
                let d = |s: &[f64; NSUMS]| s[*num] - r * s[*den];
                if nh == 1 {
                    if adjust {
                        let x = d(&run[0]) - grand[e];
                        total[e] += x * x;
                    }
                    continue;
                }
                let mean = run.iter().map(d).sum::<f64>() / nh as f64;
                let mut ss = 0.0f64;
                for s in run.iter() {
                    let x = d(s) - mean;
                    ss += x * x;
                }
                ss += (nh - m) as f64 * mean * mean;
                total[e] += nh as f64 / (nh as f64 - 1.0) * ss;
            }
            run.clear();
        };
        // PSUs of one stratum are neighbours in key order (a key starts with its stratum).
        let mut current = u32::MAX;
        let mut visit = |p: u32, s: [f64; NSUMS], run: &mut Vec<[f64; NSUMS]>| {
            let h = self.psu_stratum[p as usize];
            if h != current {
                if current != u32::MAX {
                    flush(current, run);
                }
                current = h;
            }
            run.push(s);
        };
        match group {
            None => {
                // The whole sample per PSU: the rows outside the first grouping plus each of
                // its groups', summed exactly, one PSU at a time.
                let first = self.group_sums.first();
                let mut at = layout.first.iter().peekable();
                for p in &layout.order {
                    let mut s = self.national_of(*p).cloned().unwrap_or(ZERO);
                    while let Some((_, slot)) = at.next_if(|(q, _)| q == p) {
                        if let Some(g) = first.and_then(|f| f.get(*slot as usize)) {
                            s.merge(g);
                        }
                    }
                    visit(*p, real(&s, score_total), &mut run);
                }
            }
            Some((g, k)) => {
                let entries = layout.groups.get(g).and_then(|m| m.get(&k));
                if let (Some(entries), Some(sums)) = (entries, self.group_sums.get(g)) {
                    for (p, slot) in entries {
                        visit(*p, real(&sums[*slot as usize], score_total), &mut run);
                    }
                }
            }
        }
        if current != u32::MAX {
            flush(current, &mut run);
        }
        if adjust {
            // Lonely PSUs the domain does not reach: d = 0, centred at the grand mean.
            let unreached = layout.lonely.saturating_sub(lonely_reached) as f64;
            for (t, g) in total.iter_mut().zip(&grand) {
                *t += unreached * g * g;
            }
        }
        total
    }

    /// The PSUs in the order of their keys (stratum, then id).
    fn key_order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.psu_key.len() as u32).collect();
        order.sort_unstable_by(|a, b| self.psu_key[*a as usize].cmp(&self.psu_key[*b as usize]));
        order
    }

    /// What a saved report keeps: PSUs in key order and labels in their order, so one
    /// report has one saved form however its parts were read and merged.
    pub(crate) fn saved(&self) -> SavedPrecision {
        let psu_order = self.key_order();
        let mut psu_rank = vec![0u32; psu_order.len()];
        for (r, p) in psu_order.iter().enumerate() {
            psu_rank[*p as usize] = r as u32;
        }
        let label_rank: Vec<Vec<u32>> = self
            .labels
            .iter()
            .map(|g| {
                let l = g.labels();
                let mut order: Vec<usize> = (0..l.len()).collect();
                order.sort_by(|a, b| l[*a].cmp(&l[*b]));
                let mut rank = vec![0u32; l.len()];
                for (r, i) in order.iter().enumerate() {
                    rank[*i] = r as u32;
                }
                rank
            })
            .collect();
        let rank = |g: usize, k: u32| label_rank[g].get(k as usize).copied().unwrap_or(k);
        SavedPrecision {
            options_lonely_psu: self.options.lonely_psu,
            options_design_effects: self.options.design_effects,
            design: self.design,
            units: self.units,
            psus: psu_order
                .iter()
                .map(|p| {
                    let p = *p as usize;
                    let stratum = &self.stratum_names[self.psu_stratum[p] as usize];
                    SavedPsu {
                        stratum: String::from_utf8_lossy(stratum).into_owned(),
                        psu: String::from_utf8_lossy(&self.psu_key[p][psu_id_start(stratum)..])
                            .into_owned(),
                        sums: self.national_of(p as u32).cloned().unwrap_or(ZERO),
                    }
                })
                .collect(),
            groups: self
                .group_index
                .iter()
                .enumerate()
                .map(|(g, index)| {
                    let mut v: Vec<(u32, u32, Sums)> = index
                        .iter()
                        .map(|(packed, slot)| {
                            (
                                rank(g, (packed >> 32) as u32),
                                psu_rank[(packed & 0xffff_ffff) as usize],
                                self.group_sums[g][*slot as usize].clone(),
                            )
                        })
                        .collect();
                    v.sort_by_key(|x| (x.0, x.1));
                    v
                })
                .collect(),
            national_sq: self.national_sq.clone(),
            group_sq: self
                .group_sq
                .iter()
                .enumerate()
                .map(|(g, m)| {
                    let mut v: Vec<(u32, Squares)> =
                        m.iter().map(|(k, q)| (rank(g, *k), q.clone())).collect();
                    v.sort_by_key(|x| x.0);
                    v
                })
                .collect(),
            national_total: self.national_total.clone(),
            labels: self
                .labels
                .iter()
                .map(|g| {
                    let mut l = g.labels().to_vec();
                    l.sort();
                    l
                })
                .collect(),
            group_total: self
                .group_total
                .iter()
                .enumerate()
                .map(|(g, m)| {
                    let mut v: Vec<(u32, Sums)> =
                        m.iter().map(|(k, s)| (rank(g, *k), s.clone())).collect();
                    v.sort_by_key(|x| x.0);
                    v
                })
                .collect(),
        }
    }

    /// The relations every row keeps, checked on a saved array: the classes make the
    /// classified, complete cases are classified, the poor are complete cases, each censored
    /// headcount is within the poor, and the share (weight × score) within the poor's weight
    /// times the highest score. Exact, bar the share's bound (a float product).
    fn sums_cohere(s: &Sums, max_score: f64) -> bool {
        s.parts_make(CLASS..CLASS + 4, CLASSIFIED)
            && s.le(COMPLETE, CLASSIFIED)
            && s.le(AF_POOR, COMPLETE)
            && (CENSORED..NSUMS).all(|j| s.le(j, AF_POOR))
            && s.value(SHARE) <= s.value(AF_POOR) * max_score * (1.0 + 1e-12)
    }

    /// The tally a saved report kept, checked.
    /// `max_score`: the scoring's highest score (what bounds a share).
    pub(crate) fn from_saved(
        s: SavedPrecision,
        groupings: usize,
        max_score: f64,
    ) -> Result<PrecisionTally> {
        let bad = |what: &str| {
            Error::from(ErrorKind::InvalidValue {
                field: format!("saved report: state.precision.{what}"),
                value: String::new(),
                reason: crate::error::Reason::new(
                    "does not fit the report",
                    "không khớp với báo cáo",
                ),
            })
        };
        let sums = |v: &Sums| -> Result<Sums> {
            if Self::sums_cohere(v, max_score) {
                Ok(v.clone())
            } else {
                Err(bad("sums"))
            }
        };
        let squares = |q: Squares| -> Result<Squares> {
            if Self::sums_cohere(&q.q, max_score * max_score) {
                Ok(q)
            } else {
                Err(bad("squares"))
            }
        };
        if s.groups.len() != groupings
            || s.group_sq.len() != groupings
            || s.group_total.len() != groupings
        {
            return Err(bad("groups"));
        }
        let options = PrecisionOptions {
            lonely_psu: s.options_lonely_psu,
            design_effects: s.options_design_effects,
        };
        let mut t = PrecisionTally::new(options, s.design, groupings);
        if s.labels.len() != groupings {
            return Err(bad("labels"));
        }
        for (g, labels) in s.labels.iter().enumerate() {
            for l in labels {
                // A label seen before (even just before) gets its old key, not the next one.
                let next = t.labels[g].labels().len();
                if t.labels[g].key(l) as usize != next {
                    return Err(bad("labels"));
                }
            }
        }
        t.units = s.units;
        t.national_sq = squares(s.national_sq)?;
        t.national_total = sums(&s.national_total)?;
        for p in &s.psus {
            let next = t.psu_key.len();
            let i = t.psu(p.stratum.as_bytes(), p.psu.as_bytes());
            if i as usize != next {
                return Err(bad("psus"));
            }
            if !p.sums.is_zero() {
                *t.national_mut(i) = sums(&p.sums)?;
            }
        }
        for (g, v) in s.groups.iter().enumerate() {
            let labels = t.labels[g].labels().len();
            for (k, p, v) in v {
                // A known group and PSU, each pair once: sums for no group, or two sums for
                // one pair, would move the estimates.
                if *p as usize >= t.psu_key.len() || *k as usize >= labels {
                    return Err(bad("groups"));
                }
                t.group_sums[g].push(sums(v)?);
                let slot = (t.group_sums[g].len() - 1) as u32;
                let pair = (u64::from(*k) << 32) | u64::from(*p);
                if t.group_index[g].insert(pair, slot).is_some() {
                    return Err(bad("groups"));
                }
            }
        }
        for (g, v) in s.group_sq.into_iter().enumerate() {
            let labels = t.labels[g].labels().len();
            for (k, q) in v {
                if k as usize >= labels || t.group_sq[g].insert(k, squares(q)?).is_some() {
                    return Err(bad("group_sq"));
                }
            }
        }
        for (g, v) in s.group_total.iter().enumerate() {
            let labels = t.labels[g].labels().len();
            for (k, v) in v {
                if *k as usize >= labels || t.group_total[g].insert(*k, sums(v)?).is_some() {
                    return Err(bad("group_total"));
                }
            }
        }
        Ok(t)
    }
}

/// What the estimates of one report share ([`PrecisionTally::layout`]).
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    order: Vec<u32>,
    n: Vec<u64>,
    lonely: u64,
    groups: Vec<IntMap<u32, Vec<(u32, u32)>>>,
    first: Vec<(u32, u32)>,
}

/// Precision tallies shared by the threads of one table read: each worker adds its rows to a
/// slot of its own, so blocks need no per-block tally to build and merge; the slots are
/// gathered once at the end.
#[derive(Debug)]
pub(crate) struct PrecisionPool {
    slots: Vec<Padded<std::sync::Mutex<PrecisionTally>>>,
}

/// A slot on cache lines of its own: two threads writing to neighbouring slots must not
/// fight over a line.
#[derive(Debug)]
#[repr(align(128))]
struct Padded<T>(T);

impl PrecisionPool {
    #[cfg(feature = "csv")]
    pub(crate) fn new(template: &PrecisionTally, slots: usize) -> Self {
        PrecisionPool {
            slots: (0..slots.max(1))
                .map(|_| Padded(std::sync::Mutex::new(template.clone())))
                .collect(),
        }
    }

    /// Runs `f` on a free slot, starting from this thread's own.
    #[inline]
    pub(crate) fn with_slot(&self, f: impl FnOnce(&mut PrecisionTally)) {
        use std::cell::Cell;
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        thread_local!(static START: Cell<usize> = const { Cell::new(usize::MAX) });
        let start = START.with(|s| {
            if s.get() == usize::MAX {
                s.set(NEXT.fetch_add(1, Ordering::Relaxed));
            }
            s.get()
        });
        let n = self.slots.len();
        for i in 0..n {
            if let Ok(mut t) = self.slots[(start + i) % n].0.try_lock() {
                return f(&mut t);
            }
        }
        // Every slot busy: wait for this thread's own. A poisoned slot still holds sums.
        let mut t = match self.slots[start % n].0.lock() {
            Ok(t) => t,
            Err(p) => p.into_inner(),
        };
        f(&mut t)
    }

    /// The slots merged into `into`. When this is the pool's last holder, the slots are
    /// taken rather than copied, and each is freed once merged: the peak is the slots, not
    /// the slots and a copy of them.
    #[cfg(feature = "csv")]
    pub(crate) fn gather(pool: std::sync::Arc<Self>, into: &mut PrecisionTally) -> Result<()> {
        match std::sync::Arc::try_unwrap(pool) {
            Ok(pool) => {
                for slot in pool.slots {
                    let t = slot.0.into_inner().unwrap_or_else(|p| p.into_inner());
                    if into.is_empty() && t.options == into.options && t.design == into.design {
                        *into = t;
                    } else {
                        into.merge(&t)?;
                    }
                }
            }
            Err(pool) => {
                for slot in &pool.slots {
                    let t = match slot.0.lock() {
                        Ok(t) => t,
                        Err(p) => p.into_inner(),
                    };
                    into.merge(&t)?;
                }
            }
        }
        Ok(())
    }
}

fn add_sums(a: &mut Sums, b: &Sums) {
    a.merge(b);
}

fn add_squares(a: &mut Squares, b: &Squares) {
    a.q.merge(&b.q);
    a.share_by_poor.merge(&b.share_by_poor);
}

/// What a saved report keeps of its precision tally.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SavedPrecision {
    options_lonely_psu: LonelyPsu,
    options_design_effects: bool,
    design: bool,
    units: u64,
    psus: Vec<SavedPsu>,
    groups: Vec<Vec<(u32, u32, Sums)>>,
    national_sq: Squares,
    group_sq: Vec<Vec<(u32, Squares)>>,
    national_total: Sums,
    labels: Vec<Vec<String>>,
    group_total: Vec<Vec<(u32, Sums)>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedPsu {
    stratum: String,
    psu: String,
    sums: Sums,
}

/// One estimate with its precision.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Estimate {
    /// The point estimate (the weighted ratio).
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// The 95% interval: estimate ± t(0.975, df) × se.
    pub ci95: (f64, f64),
    /// The design effect, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deff: Option<f64>,
}

/// The `precision` block of a report or of one group ([formats §4.1](crate::docs::formats)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PrecisionBlock {
    /// Strata in the sample (1 without design columns).
    pub strata: u64,
    /// PSUs in the sample (households, without design columns).
    pub psus: u64,
    /// Degrees of freedom: PSUs − strata.
    pub df: u64,
    /// Every estimate by name (`rates.poor`, `af.h`, `af.censored_headcount.water` …), in the
    /// report's order; one whose denominator is zero is left out.
    pub estimates: Vec<(String, Estimate)>,
}

impl PrecisionBlock {
    /// One estimate by name.
    pub fn get(&self, name: &str) -> Option<&Estimate> {
        self.estimates
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| e)
    }

    /// The block as JSON: `method`, `strata`, `psus`, `df` (with `top`) and `estimates`.
    pub fn to_json(&self, top: bool) -> serde_json::Value {
        let estimates: serde_json::Map<String, serde_json::Value> = self
            .estimates
            .iter()
            .map(|(n, e)| {
                let mut v = serde_json::json!({
                    "estimate": e.estimate, "se": e.se, "ci95": [e.ci95.0, e.ci95.1],
                });
                if let Some(d) = e.deff {
                    v["deff"] = d.into();
                }
                (n.clone(), v)
            })
            .collect();
        if top {
            serde_json::json!({
                "method": "taylor_linearization",
                "strata": self.strata, "psus": self.psus, "df": self.df,
                "estimates": estimates,
            })
        } else {
            serde_json::json!({ "estimates": estimates })
        }
    }
}

/// How one estimate changed between two independent survey rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EstimateChange {
    /// The estimate's name (`rates.poor`, `af.m0` …).
    pub name: String,
    /// The earlier round's estimate.
    pub before: f64,
    /// The later round's estimate.
    pub after: f64,
    /// after − before.
    pub change: f64,
    /// Its standard error: √(se_before² + se_after²).
    pub se: f64,
    /// The 95% interval of the change (Student's t at the smaller df).
    pub ci95: (f64, f64),
    /// Whether the interval leaves out zero: a change beyond sampling error.
    pub significant: bool,
}

/// The changes of every estimate both blocks have, in the earlier block's order.
pub(crate) fn changes(before: &PrecisionBlock, after: &PrecisionBlock) -> Vec<EstimateChange> {
    let t = t_quantile_975(before.df.min(after.df) as f64);
    before
        .estimates
        .iter()
        .filter_map(|(name, b)| {
            let a = after.get(name)?;
            let change = a.estimate - b.estimate;
            let se = (a.se * a.se + b.se * b.se).sqrt();
            let ci95 = (change - t * se, change + t * se);
            Some(EstimateChange {
                name: name.clone(),
                before: b.estimate,
                after: a.estimate,
                change,
                se,
                ci95,
                significant: ci95.0 > 0.0 || ci95.1 < 0.0,
            })
        })
        .collect()
}

/// The 95% interval of a proportion (every estimate of a report is one: a share of households,
/// H, M0, A and the headcounts all lie in [0, 1]), on the logit scale and back, as Stata's
/// `svy: proportion` gives it: logit(p) ± t·se / (p(1 − p)), then p = 1 / (1 + e^−x). It stays
/// within (0, 1) and is not symmetric near the edges; the standard error is unchanged. A
/// proportion of 0 or 1, or a standard error of 0, has the interval [p, p].
pub fn proportion_interval(p: f64, se: f64, t: f64) -> (f64, f64) {
    if t.is_nan() || se.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    if se == 0.0 {
        return (p, p);
    }
    if !(p > 0.0 && p < 1.0) {
        // Only a rounding puts a proportion with a variance on or past an edge.
        let q = p.clamp(0.0, 1.0);
        return (q, q);
    }
    let logit = (p / (1.0 - p)).ln();
    let h = t * se / (p * (1.0 - p));
    let expit = |x: f64| 1.0 / (1.0 + (-x).exp());
    // The round trip through the logit moves p by an ulp or so: the interval still holds p.
    (expit(logit - h).min(p), expit(logit + h).max(p))
}

// ---- Student's t ----

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularized incomplete beta function I_x(a, b), by its continued fraction (modified
/// Lentz), to about 1e-15.
fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    // The fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - incomplete_beta(1.0 - x, b, a);
    }
    let tiny = 1e-300;
    let (mut c, mut d) = (1.0, 1.0 - (a + b) * x / (a + 1.0));
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut f = d;
    for m in 1..10_000 {
        let m = m as f64;
        // Even step.
        let num = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 + num * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = 1.0 + num / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        f *= d * c;
        // Odd step.
        let num = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 + num * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = 1.0 + num / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        let delta = d * c;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    front * f / a
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom, t ≥ 0.
fn t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    1.0 - 0.5 * incomplete_beta(x, df / 2.0, 0.5)
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (NaN for df < 1): the
/// multiplier of a two-sided 95% interval. Solved on the exact distribution function to
/// about 1e-13.
pub fn t_quantile_975(df: f64) -> f64 {
    if df.is_nan() || df < 1.0 {
        return f64::NAN;
    }
    if df > 1e7 {
        return 1.959_963_984_540_054; // the normal quantile, to double precision
    }
    // Bisection on [0, 13] (t(0.975, 1) = 12.706…), then Newton polish.
    let (mut lo, mut hi) = (0.0f64, 13.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < 0.975 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-15 {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proportions_interval_is_on_the_logit_scale_and_stays_within_0_and_1() {
        // p = 0.5: symmetric, and wider than p ± t·se only by the curvature of the expit.
        let (lo, hi) = proportion_interval(0.5, 0.1, 1.96);
        assert!((lo + hi - 1.0).abs() < 1e-15 && lo > 0.5 - 0.196 && hi < 0.5 + 0.196);
        // Near an edge, where p ± t·se leaves [0, 1].
        let (lo, hi) = proportion_interval(0.01, 0.02, 1.96);
        assert!(lo > 0.0 && lo < 0.01 && hi > 0.01 && hi < 1.0, "{lo} {hi}");
        let (lo, hi) = proportion_interval(0.99, 0.02, 1.96);
        assert!(lo > 0.0 && lo < 0.99 && hi > 0.99 && hi < 1.0, "{lo} {hi}");
        // Both sides of the edges: 0 and 1 exactly, and no variance.
        assert_eq!(proportion_interval(0.0, 0.0, 1.96), (0.0, 0.0));
        assert_eq!(proportion_interval(1.0, 0.0, 1.96), (1.0, 1.0));
        assert_eq!(proportion_interval(0.3, 0.0, 1.96), (0.3, 0.3));
        assert_eq!(proportion_interval(1.0 + 1e-16, 1e-17, 1.96), (1.0, 1.0));
        // The logit interval in closed form: logit(0.2) ± 2·0.05/0.16.
        let (lo, hi) = proportion_interval(0.2, 0.05, 2.0);
        let l = (0.25f64).ln();
        assert!((lo - 1.0 / (1.0 + (0.625 - l).exp())).abs() < 1e-15);
        assert!((hi - 1.0 / (1.0 + (-l - 0.625).exp())).abs() < 1e-15);
        assert!(proportion_interval(0.2, 0.05, f64::NAN).0.is_nan());
    }

    #[test]
    fn student_t_quantiles_match_the_tables() {
        // Printed tables (qt(0.975, df) in R), and the multipliers of the independent
        // reference's intervals at df 84 and 19999 (survey-sample expected files).
        for (df, q) in [
            (1.0, 12.706_204_736_174_7),
            (2.0, 4.302_652_729_749_46),
            (10.0, 2.228_138_851_986_27),
            (30.0, 2.042_272_456_301_24),
            (84.0, 1.988_609_666_975_707_6),
            (19999.0, 1.960_082_611_089_813_5),
        ] {
            let got = t_quantile_975(df);
            assert!((got - q).abs() < 1e-9 * q, "df {df}: {got} vs {q}");
        }
        assert!(t_quantile_975(0.0).is_nan());
    }
}
