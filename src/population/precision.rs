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

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::indicator::{Indicator, IndicatorSet};

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
    /// Count the stratum as taken with certainty: it adds no variance (samplics' and R's
    /// `certainty`).
    Certainty,
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

type Sums = [f64; NSUMS];

/// Second moments for the one-stratum, household-as-PSU variance: Σ v_i² per sum, and
/// Σ v_SHARE·v_AF_POOR (which equals Σ v_SHARE·v_COMPLETE: a share is non-zero only for a
/// poor complete case). Every other numerator is a 0/1 indicator within its denominator's
/// set, so its cross product with the denominator is its own square.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Squares {
    #[serde(with = "sums_serde")]
    q: Sums,
    share_by_poor: f64,
}

impl Default for Squares {
    fn default() -> Self {
        Squares {
            q: [0.0; NSUMS],
            share_by_poor: 0.0,
        }
    }
}

mod sums_serde {
    use super::{Sums, NSUMS};
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &Sums, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Sums, D::Error> {
        let v = Vec::<f64>::deserialize(d)?;
        let mut out = [0.0; NSUMS];
        if v.len() != NSUMS {
            return Err(serde::de::Error::custom(format!(
                "{NSUMS} sums are needed, got {}",
                v.len()
            )));
        }
        out.copy_from_slice(&v);
        Ok(out)
    }
}

/// One row's contribution, as the indices it adds its weight (or weight × share) to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowSums {
    /// The class index, if classified (0–3).
    pub class: Option<usize>,
    /// Complete case: AF-poor flag, deprivation share (score / total), censored set.
    pub af: Option<(bool, f64, IndicatorSet)>,
}

impl RowSums {
    #[inline(always)]
    fn add_to(&self, s: &mut Sums, w: f64) {
        if let Some(c) = self.class {
            s[CLASSIFIED] += w;
            s[CLASS + c] += w;
        }
        if let Some((poor, share, censored)) = self.af {
            s[COMPLETE] += w;
            if poor {
                s[AF_POOR] += w;
                s[SHARE] += w * share;
                for j in censored.positions() {
                    s[CENSORED + j] += w;
                }
            }
        }
    }

    #[inline(always)]
    fn add_squares(&self, q: &mut Squares, w: f64) {
        let w2 = w * w;
        if let Some(c) = self.class {
            q.q[CLASSIFIED] += w2;
            q.q[CLASS + c] += w2;
        }
        if let Some((poor, share, censored)) = self.af {
            q.q[COMPLETE] += w2;
            if poor {
                q.q[AF_POOR] += w2;
                q.q[SHARE] += w2 * share * share;
                q.share_by_poor += w2 * share;
                for j in censored.positions() {
                    q.q[CENSORED + j] += w2;
                }
            }
        }
    }
}

/// The design sums of a report: per PSU for the whole sample and for each group, or sums of
/// squares when there is no design.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PrecisionTally {
    pub(crate) options: PrecisionOptions,
    /// Stratum and PSU columns were given.
    design: bool,
    /// PSUs by key (stratum, then a 0x1F byte, then the PSU id).
    psu_index: HashMap<Vec<u8>, u32>,
    psu_stratum: Vec<u32>,
    psu_key: Vec<Vec<u8>>,
    strata: HashMap<Vec<u8>, u32>,
    stratum_names: Vec<Vec<u8>>,
    /// Per PSU, the whole sample's sums.
    national: Vec<Sums>,
    /// Per grouping, per (group key, PSU), an index into `group_sums`.
    group_index: Vec<HashMap<u64, u32>>,
    group_sums: Vec<Vec<Sums>>,
    /// Households in the sample (accepted rows): the PSUs when there is no design.
    units: u64,
    /// No design, or design effects asked: squares of the whole sample and of each group.
    national_sq: Squares,
    group_sq: Vec<HashMap<u32, Squares>>,
    /// No design: first-order sums of the whole sample and of each group.
    national_total: Sums,
    group_total: Vec<HashMap<u32, Sums>>,
    /// The last PSU looked up, to skip the map for runs of rows from one PSU.
    last: Option<(Vec<u8>, u32)>,
}

/// The separator between a stratum and a PSU id in a PSU's key.
const SEP: u8 = 0x1f;

impl PrecisionTally {
    pub(crate) fn new(options: PrecisionOptions, design: bool, groupings: usize) -> Self {
        PrecisionTally {
            options,
            design,
            group_index: vec![HashMap::new(); groupings],
            group_sums: vec![Vec::new(); groupings],
            group_sq: vec![HashMap::new(); groupings],
            group_total: vec![HashMap::new(); groupings],
            ..Default::default()
        }
    }

    pub(crate) fn has_design(&self) -> bool {
        self.design
    }

    fn psu(&mut self, stratum: &[u8], psu: &[u8]) -> u32 {
        if let Some((k, i)) = &self.last {
            if k.len() == stratum.len() + 1 + psu.len()
                && k.starts_with(stratum)
                && k[stratum.len()] == SEP
                && k.ends_with(psu)
            {
                return *i;
            }
        }
        let mut key = Vec::with_capacity(stratum.len() + 1 + psu.len());
        key.extend_from_slice(stratum);
        key.push(SEP);
        key.extend_from_slice(psu);
        let i = match self.psu_index.get(&key) {
            Some(i) => *i,
            None => {
                let s = match self.strata.get(stratum) {
                    Some(s) => *s,
                    None => {
                        let s = self.stratum_names.len() as u32;
                        self.strata.insert(stratum.to_vec(), s);
                        self.stratum_names.push(stratum.to_vec());
                        s
                    }
                };
                let i = self.psu_stratum.len() as u32;
                self.psu_index.insert(key.clone(), i);
                self.psu_stratum.push(s);
                self.psu_key.push(key.clone());
                self.national.push([0.0; NSUMS]);
                i
            }
        };
        self.last = Some((key, i));
        i
    }

    /// Adds one accepted row: its sums, in its PSU (design) or as its own unit, for the
    /// whole sample and for each group it falls in (`keys`: one per grouping, `u32::MAX` for
    /// none).
    #[inline]
    pub(crate) fn add(
        &mut self,
        row: &RowSums,
        weight: f64,
        keys: &[u32],
        unit: Option<(&[u8], &[u8])>,
    ) {
        self.units += 1;
        if !self.design || self.options.design_effects {
            row.add_squares(&mut self.national_sq, weight);
            for (g, k) in keys.iter().enumerate() {
                if *k != u32::MAX {
                    if let Some(m) = self.group_sq.get_mut(g) {
                        row.add_squares(m.entry(*k).or_default(), weight);
                    }
                }
            }
        }
        match unit {
            Some((stratum, psu)) if self.design => {
                let p = self.psu(stratum, psu);
                row.add_to(&mut self.national[p as usize], weight);
                for (g, k) in keys.iter().enumerate() {
                    if *k == u32::MAX {
                        continue;
                    }
                    let (Some(index), Some(sums)) =
                        (self.group_index.get_mut(g), self.group_sums.get_mut(g))
                    else {
                        continue;
                    };
                    let slot = *index
                        .entry((u64::from(*k) << 32) | u64::from(p))
                        .or_insert_with(|| {
                            sums.push([0.0; NSUMS]);
                            (sums.len() - 1) as u32
                        });
                    row.add_to(&mut sums[slot as usize], weight);
                }
            }
            _ => {
                row.add_to(&mut self.national_total, weight);
                for (g, k) in keys.iter().enumerate() {
                    if *k != u32::MAX {
                        if let Some(m) = self.group_total.get_mut(g) {
                            row.add_to(m.entry(*k).or_insert([0.0; NSUMS]), weight);
                        }
                    }
                }
            }
        }
    }

    /// Adds the sums of a report of other rows of the same sample. `remap[g][k]` is the key in
    /// this report of the other's key `k` of grouping `g`.
    pub(crate) fn merge(&mut self, o: &PrecisionTally, remap: &[Vec<u32>]) -> Result<()> {
        if o.design != self.design || o.options != self.options {
            return Err(Error::from(ErrorKind::Incomparable(
                "precision reports with and without design columns, or with other settings, do not merge".into(),
            )));
        }
        self.units += o.units;
        add_squares(&mut self.national_sq, &o.national_sq);
        add_sums(&mut self.national_total, &o.national_total);
        let mut psu_map = Vec::with_capacity(o.psu_key.len());
        for (i, key) in o.psu_key.iter().enumerate() {
            let stratum = &o.stratum_names[o.psu_stratum[i] as usize];
            let psu = &key[stratum.len() + 1..];
            let p = self.psu(stratum, psu);
            add_sums(&mut self.national[p as usize], &o.national[i]);
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
                            mine.push([0.0; NSUMS]);
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
                        add_sums(self.group_total[g].entry(*k).or_insert([0.0; NSUMS]), s);
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
    pub(crate) fn check(&self) -> Result<()> {
        let (strata, psus, _) = self.counts();
        if psus == 0 {
            return Err(Error::from(ErrorKind::NoVariance {
                reason: "the sample has no PSU (no accepted row)".into(),
            }));
        }
        if self.design && self.options.lonely_psu == LonelyPsu::Error {
            let mut per = vec![0u64; strata as usize];
            for s in &self.psu_stratum {
                per[*s as usize] += 1;
            }
            if let Some(s) = per.iter().position(|n| *n == 1) {
                return Err(Error::from(ErrorKind::LonelyPsu {
                    stratum: crate::error::excerpt_bytes(&self.stratum_names[s]),
                }));
            }
        }
        if psus <= strata {
            return Err(Error::from(ErrorKind::NoVariance {
                reason: format!(
                    "{psus} PSU(s) in {strata} strata leave no degree of freedom (df = PSUs - strata): a variance needs at least two PSUs in some stratum"
                ),
            }));
        }
        Ok(())
    }

    /// The estimates of the whole sample (`group` `None`) or of group `k` of grouping `g`.
    pub(crate) fn estimates(
        &self,
        indicators: IndicatorSet,
        group: Option<(usize, u32)>,
    ) -> Vec<(String, Estimate)> {
        let (_, _, df) = self.counts();
        let t = t_quantile_975(df as f64);
        // The totals of the domain, and a function giving its variance for (num, den).
        let mut totals = [0.0; NSUMS];
        let psu_sums: Vec<(u32, &Sums)>;
        let squares: Option<&Squares>;
        match group {
            None => {
                squares = Some(&self.national_sq);
                if self.design {
                    psu_sums = self
                        .national
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (i as u32, s))
                        .collect();
                } else {
                    psu_sums = Vec::new();
                    totals = self.national_total;
                }
            }
            Some((g, k)) => {
                squares = self.group_sq.get(g).and_then(|m| m.get(&k));
                if self.design {
                    psu_sums = self
                        .group_index
                        .get(g)
                        .map(|index| {
                            index
                                .iter()
                                .filter(|(packed, _)| (*packed >> 32) as u32 == k)
                                .map(|(packed, slot)| {
                                    (
                                        (packed & 0xffff_ffff) as u32,
                                        &self.group_sums[g][*slot as usize],
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                } else {
                    psu_sums = Vec::new();
                    if let Some(t) = self.group_total.get(g).and_then(|m| m.get(&k)) {
                        totals = *t;
                    }
                }
            }
        }
        if self.design {
            for (_, s) in &psu_sums {
                add_sums(&mut totals, s);
            }
        }
        let mut out = Vec::new();
        let mut push = |name: String, num: usize, den: usize, cross: Option<f64>| {
            let x = totals[den];
            if x <= 0.0 {
                return; // a domain with no denominator is left out, never NaN
            }
            let r = totals[num] / x;
            let srs = squares.map(|q| {
                let sxy = cross.unwrap_or(q.q[num]);
                let n = self.units as f64;
                let v = (q.q[num] - 2.0 * r * sxy + r * r * q.q[den]).max(0.0);
                if n > 1.0 {
                    n / (n - 1.0) * v / (x * x)
                } else {
                    f64::NAN
                }
            });
            let var = if self.design {
                self.design_variance(&psu_sums, num, den, r) / (x * x)
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
                    ci95: (r - t * se, r + t * se),
                    deff,
                },
            ));
        };
        let classes = ["poor", "near_poor", "average_living_standard", "not_poor"];
        for (c, name) in classes.iter().enumerate() {
            push(format!("rates.{name}"), CLASS + c, CLASSIFIED, None);
        }
        let share_cross = squares.map(|q| q.share_by_poor);
        push("af.h".into(), AF_POOR, COMPLETE, None);
        push("af.m0".into(), SHARE, COMPLETE, share_cross);
        push("af.a".into(), SHARE, AF_POOR, share_cross);
        for i in indicators.iter() {
            push(
                format!("af.censored_headcount.{}", i.code()),
                CENSORED + i as usize,
                COMPLETE,
                None,
            );
        }
        out
    }

    /// Σ_h n_h/(n_h−1) Σ_i (d_hi − d̄_h)² for d = num − r·den, over every PSU of the sample
    /// (a PSU the domain does not reach has d = 0).
    fn design_variance(&self, psu_sums: &[(u32, &Sums)], num: usize, den: usize, r: f64) -> f64 {
        let strata = self.stratum_names.len();
        let mut n = vec![0u64; strata];
        for s in &self.psu_stratum {
            n[*s as usize] += 1;
        }
        let mut d = vec![0.0f64; self.psu_stratum.len()];
        for (p, s) in psu_sums {
            d[*p as usize] = s[num] - r * s[den];
        }
        let mut sum = vec![0.0f64; strata];
        for (p, s) in self.psu_stratum.iter().enumerate() {
            sum[*s as usize] += d[p];
        }
        let grand_mean = d.iter().sum::<f64>() / d.len().max(1) as f64;
        let mut ss = vec![0.0f64; strata];
        for (p, s) in self.psu_stratum.iter().enumerate() {
            let h = *s as usize;
            let centre = if n[h] == 1 {
                grand_mean
            } else {
                sum[h] / n[h] as f64
            };
            ss[h] += (d[p] - centre) * (d[p] - centre);
        }
        (0..strata)
            .map(|h| match n[h] {
                0 => 0.0,
                1 => match self.options.lonely_psu {
                    LonelyPsu::Adjust => ss[h],
                    _ => 0.0,
                },
                nh => nh as f64 / (nh as f64 - 1.0) * ss[h],
            })
            .sum()
    }

    /// What a saved report keeps.
    pub(crate) fn saved(&self) -> SavedPrecision {
        SavedPrecision {
            options_lonely_psu: self.options.lonely_psu,
            options_design_effects: self.options.design_effects,
            design: self.design,
            units: self.units,
            psus: self
                .psu_key
                .iter()
                .zip(&self.psu_stratum)
                .zip(&self.national)
                .map(|((key, s), sums)| {
                    let stratum = &self.stratum_names[*s as usize];
                    SavedPsu {
                        stratum: String::from_utf8_lossy(stratum).into_owned(),
                        psu: String::from_utf8_lossy(&key[stratum.len() + 1..]).into_owned(),
                        sums: sums.to_vec(),
                    }
                })
                .collect(),
            groups: self
                .group_index
                .iter()
                .enumerate()
                .map(|(g, index)| {
                    let mut v: Vec<(u32, u32, Vec<f64>)> = index
                        .iter()
                        .map(|(packed, slot)| {
                            (
                                (packed >> 32) as u32,
                                (packed & 0xffff_ffff) as u32,
                                self.group_sums[g][*slot as usize].to_vec(),
                            )
                        })
                        .collect();
                    v.sort_by_key(|x| (x.0, x.1));
                    v
                })
                .collect(),
            national_sq: self.national_sq,
            group_sq: self
                .group_sq
                .iter()
                .map(|m| {
                    let mut v: Vec<(u32, Squares)> = m.iter().map(|(k, q)| (*k, *q)).collect();
                    v.sort_by_key(|x| x.0);
                    v
                })
                .collect(),
            national_total: self.national_total.to_vec(),
            group_total: self
                .group_total
                .iter()
                .map(|m| {
                    let mut v: Vec<(u32, Vec<f64>)> =
                        m.iter().map(|(k, s)| (*k, s.to_vec())).collect();
                    v.sort_by_key(|x| x.0);
                    v
                })
                .collect(),
        }
    }

    /// The tally a saved report kept, checked.
    pub(crate) fn from_saved(s: SavedPrecision, groupings: usize) -> Result<PrecisionTally> {
        let bad = |what: &str| {
            Error::from(ErrorKind::InvalidValue {
                field: format!("saved report: state.precision.{what}"),
                value: String::new(),
                reason: "does not fit the report",
            })
        };
        let sums = |v: &[f64]| -> Result<Sums> {
            let mut out = [0.0; NSUMS];
            if v.len() != NSUMS || v.iter().any(|x| !x.is_finite()) {
                return Err(bad("sums"));
            }
            out.copy_from_slice(v);
            Ok(out)
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
        t.units = s.units;
        t.national_sq = s.national_sq;
        t.national_total = sums(&s.national_total)?;
        for p in &s.psus {
            let i = t.psu(p.stratum.as_bytes(), p.psu.as_bytes());
            if i as usize + 1 != t.psu_key.len() {
                return Err(bad("psus"));
            }
            t.national[i as usize] = sums(&p.sums)?;
        }
        for (g, v) in s.groups.iter().enumerate() {
            for (k, p, v) in v {
                if *p as usize >= t.psu_key.len() {
                    return Err(bad("groups"));
                }
                t.group_sums[g].push(sums(v)?);
                let slot = (t.group_sums[g].len() - 1) as u32;
                t.group_index[g].insert((u64::from(*k) << 32) | u64::from(*p), slot);
            }
        }
        for (g, v) in s.group_sq.into_iter().enumerate() {
            t.group_sq[g] = v.into_iter().collect();
        }
        for (g, v) in s.group_total.iter().enumerate() {
            for (k, v) in v {
                t.group_total[g].insert(*k, sums(v)?);
            }
        }
        Ok(t)
    }
}

fn add_sums(a: &mut Sums, b: &Sums) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn add_squares(a: &mut Squares, b: &Squares) {
    add_sums(&mut a.q, &b.q);
    a.share_by_poor += b.share_by_poor;
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
    groups: Vec<Vec<(u32, u32, Vec<f64>)>>,
    national_sq: Squares,
    group_sq: Vec<Vec<(u32, Squares)>>,
    national_total: Vec<f64>,
    group_total: Vec<Vec<(u32, Vec<f64>)>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedPsu {
    stratum: String,
    psu: String,
    sums: Vec<f64>,
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
