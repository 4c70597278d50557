//! The Alkire–Foster family of measures (OPHI's definitions, as in `mpitb`), on the
//! deprivation side of a standard.
//!
//! Weights are integers over a common total, and the poverty cut-off k is a share of that
//! total, so a household's score is compared with k exactly: with equal weights and k = 3 of
//! 12 indicators, a household deprived in 3 indicators is poor, never missed by a float sum.
//!
//! For a population of n households (survey-weighted), with g_ij = 1 when household i is
//! deprived in indicator j, w_j the weight share of j and c_i = Σ_j w_j g_ij:
//! * H = q / n, q the (weighted) number with c_i ≥ k (the multidimensionally poor);
//! * A = Σ_{c_i ≥ k} c_i / q, the average deprivation share among the poor;
//! * M0 = H × A;
//! * uncensored headcount of j = Σ_i g_ij / n; censored headcount of j = Σ_{c_i ≥ k} g_ij / n;
//! * absolute contribution of j = w_j × censored_j; percentage contribution = w_j ×
//!   censored_j / M0 (they sum to 1 when M0 > 0).

use serde::Serialize;

use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::indicator::{gcd, Dimension, Indicator, IndicatorSet};
use crate::population::exact::{Sums, Term};
use crate::standard::Standard;
pub use crate::target::Change;

/// Slots per indicator array: one per bit of an [`IndicatorSet`] (15 indicators, one spare),
/// so that bit positions index them without bounds checks.
const N: usize = 16;

pub use crate::indicator::MAX_TOTAL_WEIGHT;
use crate::indicator::{reduce_weights, WEIGHT_TOTAL_REASON};

/// The Alkire–Foster settings as a saved report keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SavedSpec {
    equal: bool,
    weights: Vec<(Indicator, u64)>,
    k_num: u64,
    k_den: u64,
}

/// How indicators are weighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weighting {
    /// Every indicator of the standard weighs the same (the default; the law counts indicators).
    Equal,
    /// Equal by dimension, then equal by indicator within a dimension.
    Nested,
    /// Caller-given relative weights (integers; shares are each weight over their sum).
    Custom(Vec<(Indicator, u32)>),
}

/// A weighting and a cut-off for one standard, ready to score households.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfSpec {
    indicators: IndicatorSet,
    weights: [u64; N],
    total: u64,
    equal: bool,
    k_num: u64,
    k_den: u64,
}

impl AfSpec {
    /// What a saved report keeps of the spec: the weights by indicator and the cut-off.
    pub(crate) fn saved(&self) -> SavedSpec {
        SavedSpec {
            equal: self.equal,
            weights: self
                .indicators
                .iter()
                .map(|i| (i, self.weights[i as usize]))
                .collect(),
            k_num: self.k_num,
            k_den: self.k_den,
        }
    }

    /// The spec a saved report kept, rebuilt (and so validated) against its standard.
    pub(crate) fn from_saved(standard: &Standard, saved: &SavedSpec) -> Result<AfSpec> {
        let bad = || {
            Error::from(ErrorKind::InvalidValue {
                field: "state.af".into(),
                value: format!("{}/{}", saved.k_num, saved.k_den),
                reason: crate::error::Reason::new(
                    "the saved Alkire-Foster settings do not fit the standard",
                    "thiết lập Alkire-Foster đã lưu không khớp với chuẩn",
                ),
            })
        };
        let (k_num, k_den) = (
            u32::try_from(saved.k_num).map_err(|_| bad())?,
            u32::try_from(saved.k_den).map_err(|_| bad())?,
        );
        let weighting = match saved.equal {
            true => Weighting::Equal,
            false => Weighting::Custom(
                saved
                    .weights
                    .iter()
                    .map(|(i, w)| u32::try_from(*w).map(|w| (*i, w)).map_err(|_| bad()))
                    .collect::<Result<_>>()?,
            ),
        };
        let spec = AfSpec::new(standard, weighting, k_num, k_den)?;
        // Whatever the constructor normalised, the saved spec must be the one rebuilt.
        if spec.saved() != *saved {
            return Err(bad());
        }
        Ok(spec)
    }

    /// Equal weights with the cut-off at `k` indicators (the standard's cut-off is
    /// `AfSpec::equal(s, s.deprivation_cutoff())`).
    pub fn equal(standard: &Standard, k: u32) -> Result<AfSpec> {
        let d = standard.indicators().len();
        AfSpec::new(standard, Weighting::Equal, k, d)
    }

    /// The standard's own cut-off, with its AF weights if it sets any, else equal weights.
    pub fn for_standard(standard: &Standard) -> AfSpec {
        if let Some(w) = &standard.data().af_weights {
            let d = standard.indicators().len();
            let custom = Weighting::Custom(w.iter().map(|x| (x.code, x.weight)).collect());
            // Weights were validated with the standard, so this cannot fail; equal weights
            // remain the answer if it ever did.
            if let Ok(spec) = AfSpec::new(standard, custom, standard.deprivation_cutoff(), d) {
                return spec;
            }
        }
        let d = standard.indicators().len();
        let k = standard.deprivation_cutoff();
        let mut weights = [0u64; N];
        for i in standard.indicators() {
            weights[i as usize] = 1;
        }
        AfSpec {
            indicators: standard.indicators(),
            weights,
            total: d as u64,
            equal: true,
            k_num: k as u64,
            k_den: d as u64,
        }
    }

    /// A weighting with the cut-off k = `k_num / k_den` of the total weight (for equal weights,
    /// `k_num` indicators of `k_den` = the number of indicators).
    pub fn new(
        standard: &Standard,
        weighting: Weighting,
        k_num: u32,
        k_den: u32,
    ) -> Result<AfSpec> {
        let set = standard.indicators();
        if k_den == 0 || k_num == 0 || k_num > k_den {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: "af.k".into(),
                value: format!("{k_num}/{k_den}"),
                reason: crate::error::Reason::new(
                    "the cut-off must be a share in (0, 1]",
                    "ngưỡng phải là một tỷ lệ trong (0, 1]",
                ),
            }));
        }
        let mut weights = [0u64; N];
        let equal = matches!(weighting, Weighting::Equal);
        match weighting {
            Weighting::Equal => {
                for i in set {
                    weights[i as usize] = 1;
                }
            }
            Weighting::Nested => {
                // Shares 1 / (dimensions × indicators in the dimension), over a common
                // denominator: the product of the dimension count and each dimension's size.
                let dims: Vec<(Dimension, u64)> = Dimension::ALL
                    .iter()
                    .map(|d| {
                        (
                            *d,
                            set.iter().filter(|i| i.dimension() == *d).count() as u64,
                        )
                    })
                    .filter(|(_, n)| *n > 0)
                    .collect();
                let lcm = dims.iter().fold(1u64, |acc, (_, n)| lcm(acc, *n));
                for i in set {
                    let n = dims
                        .iter()
                        .find(|(d, _)| *d == i.dimension())
                        .map_or(1, |x| x.1);
                    weights[i as usize] = lcm / n;
                }
            }
            Weighting::Custom(list) => {
                for (i, w) in list {
                    if !set.contains(i) {
                        return Err(Error::from(ErrorKind::IndicatorNotInStandard {
                            field: "af.weights",
                            indicator: i.code(),
                            standard: standard.id().into(),
                        }));
                    }
                    weights[i as usize] = w as u64;
                }
                if let Some(i) = set.iter().find(|i| weights[*i as usize] == 0) {
                    return Err(Error::from(ErrorKind::InvalidValue {
                        field: "af.weights".into(),
                        value: i.code().into(),
                        reason: crate::error::Reason::new(
                            "every indicator of the standard needs a weight > 0",
                            "mỗi chỉ số của chuẩn cần một trọng số > 0",
                        ),
                    }));
                }
            }
        }
        // Smallest integers in the same proportions; their total bounds the scores a tally
        // keeps rows for, so it is capped.
        let total = reduce_weights(&mut weights).ok_or_else(|| {
            Error::from(ErrorKind::InvalidValue {
                field: "af.weights".into(),
                value: weights.iter().sum::<u64>().to_string(),
                reason: WEIGHT_TOTAL_REASON,
            })
        })?;
        Ok(AfSpec {
            indicators: set,
            weights,
            total,
            equal,
            k_num: k_num as u64,
            k_den: k_den as u64,
        })
    }

    /// The same weights with the cut-off at `k` of the standard's `d` indicators' worth of
    /// weight (k/d of the total): for measuring one tally at several cut-offs.
    pub fn with_cutoff(&self, k: u32) -> Result<AfSpec> {
        let d = self.indicators.len();
        if k == 0 || k > d {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: "af.k".into(),
                value: k.to_string(),
                reason: crate::error::Reason::new(
                    "the cut-off must be between 1 and the number of indicators",
                    "ngưỡng phải từ 1 đến số chỉ số",
                ),
            }));
        }
        Ok(AfSpec {
            k_num: k as u64,
            k_den: d as u64,
            ..self.clone()
        })
    }

    /// Whether two specs score households alike (same indicators and weights), whatever their
    /// cut-offs: tallies made under one can be measured under the other.
    pub fn same_scoring(&self, other: &AfSpec) -> bool {
        self.indicators == other.indicators
            && self.weights == other.weights
            && self.equal == other.equal
    }

    /// The indicators scored.
    pub fn indicators(&self) -> IndicatorSet {
        self.indicators
    }

    /// The total weight all indicators add up to (a score's denominator).
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// The cut-off as a share of the total weight.
    pub fn k_share(&self) -> f64 {
        self.k_num as f64 / self.k_den as f64
    }

    /// The cut-off as a number of indicators, for equal weights.
    pub fn k_indicators(&self) -> Option<u32> {
        (self.equal && self.k_den == self.total).then_some(self.k_num as u32)
    }

    /// The weight share of an indicator.
    pub fn weight_share(&self, i: Indicator) -> f64 {
        self.weights[i as usize] as f64 / self.total as f64
    }

    /// The highest score a household can have: every indicator deprived.
    pub(crate) fn max_score(&self) -> u64 {
        if self.equal {
            self.indicators.len() as u64
        } else {
            self.total
        }
    }

    /// A household's deprivation score in weight units (out of the total).
    #[inline]
    pub fn score(&self, deprived: IndicatorSet) -> u64 {
        if self.equal {
            deprived.len() as u64
        } else {
            deprived.positions().map(|j| self.weights[j]).sum()
        }
    }

    /// Whether a score is at or over the cut-off (exact integer comparison).
    #[inline]
    pub fn is_poor(&self, score: u64) -> bool {
        // Scores and totals are at most 4096 and k's terms fit u32: the products fit u64.
        score * self.k_den >= self.k_num * self.total
    }
}

fn lcm(a: u64, b: u64) -> u64 {
    a / gcd(a, b) * b
}

/// Sums for the Alkire–Foster measures over complete cases, by deprivation score: how many
/// households have each score, and how many of them are deprived in each indicator. The
/// measures for any cut-off follow from these, so one pass gives H, A and M0 for a whole list
/// of k. Counts are exact integers; survey weights, when used, are summed beside them. Merge
/// two tallies to get the tally of the union.
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfTally {
    /// Households counted.
    households: u64,
    /// One row per score (in weight units; index = score).
    by_score: Vec<ScoreRow<u64>>,
    /// The same sums with survey weights, for a weighted population, exact: per score, the
    /// weight (index 0) and the weight deprived in each indicator (1 + bit). Boxed: most
    /// tallies are unweighted, and a thin pointer keeps every group's tally smaller.
    #[allow(clippy::box_collection)]
    weighted: Option<Box<Vec<WeightedRow>>>,
}

/// The households with one deprivation score: how many, and how many are deprived in each
/// indicator (by bit position).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRow<T> {
    /// Households (or weight) with this score.
    pub count: T,
    /// Of them, deprived in each indicator.
    pub deprived: [T; N],
}

/// The weighted sums of one score: its weight, then the weight deprived in each indicator.
type WeightedRow = Sums<{ N + 1 }>;

/// Weighted row `i` of `v`, growing `v` on the rare first visit of a score.
#[inline(always)]
fn weighted_row(v: &mut Vec<WeightedRow>, i: usize) -> &mut WeightedRow {
    if v.len() <= i {
        v.resize(i + 1, Sums::ZERO);
    }
    &mut v[i]
}

/// Row `i` of `v`, growing `v` on the rare first visit of a score.
#[inline(always)]
fn row<T: Default + Copy>(v: &mut Vec<ScoreRow<T>>, i: usize) -> &mut ScoreRow<T> {
    if v.len() <= i {
        grow(v, i);
    }
    &mut v[i]
}

#[cold]
#[inline(never)]
fn grow<T: Default + Copy>(v: &mut Vec<ScoreRow<T>>, i: usize) {
    v.resize(i + 1, ScoreRow::default());
}

impl<T: Copy + std::ops::AddAssign> ScoreRow<T> {
    fn add(&mut self, o: &ScoreRow<T>) {
        self.count += o.count;
        for j in 0..N {
            self.deprived[j] += o.deprived[j];
        }
    }
}

impl AfTally {
    /// Checks a tally read from a saved report: scores within the spec's, each indicator's
    /// deprived count within its score's count, the counts summing to the households, weights
    /// finite and not negative. So no measure read from it can leave [0, 1].
    pub(crate) fn check(&self, spec: &AfSpec) -> std::result::Result<(), crate::error::Reason> {
        use crate::error::Reason;
        let max = usize::try_from(spec.max_score()).unwrap_or(usize::MAX);
        if self.by_score.len() > max.saturating_add(1)
            || self
                .weighted
                .as_ref()
                .is_some_and(|w| w.len() > max.saturating_add(1))
        {
            return Err(Reason::new(
                "a deprivation score above the standard's highest",
                "điểm thiếu hụt vượt mức cao nhất của chuẩn",
            ));
        }
        let mut n = 0u64;
        for r in &self.by_score {
            n = n.checked_add(r.count).ok_or(Reason::new(
                "counts too large to add",
                "số đếm quá lớn để cộng",
            ))?;
            if r.deprived.iter().any(|d| *d > r.count) {
                return Err(Reason::new(
                    "more households deprived in an indicator than have the score",
                    "số hộ thiếu hụt một chỉ số nhiều hơn số hộ có điểm đó",
                ));
            }
        }
        if n != self.households {
            return Err(Reason::new(
                "the households by score do not add up to the households counted",
                "số hộ theo điểm không khớp với tổng số hộ đã đếm",
            ));
        }
        for r in self.weighted.iter().flat_map(|w| w.iter()) {
            // Sums are exact (finite and not negative as read); a subset's sum may pass the
            // whole's only by a rounding of a sum too wide for exactness, never by more.
            let count = r.value(0);
            if (1..=N).any(|j| r.value(j) > count * (1.0 + 1e-12)) {
                return Err(Reason::new(
                    "a weighted sum that is negative, not finite, or above its score's",
                    "tổng có quyền số âm, không hữu hạn, hoặc lớn hơn tổng của điểm đó",
                ));
            }
        }
        Ok(())
    }

    /// `self + o`, or `None` if a count would overflow.
    pub(crate) fn checked_sum(&self, o: &AfTally) -> Option<AfTally> {
        let mut out = self.clone();
        out.households = out.households.checked_add(o.households)?;
        for (s, r) in o.by_score.iter().enumerate() {
            let mine = row(&mut out.by_score, s);
            mine.count = mine.count.checked_add(r.count)?;
            for j in 0..N {
                mine.deprived[j] = mine.deprived[j].checked_add(r.deprived[j])?;
            }
        }
        if let Some(ow) = &o.weighted {
            let w = out.weighted.get_or_insert_with(Default::default);
            for (s, r) in ow.iter().enumerate() {
                weighted_row(w, s).merge(r);
            }
        }
        Some(out)
    }

    /// Households counted (complete cases).
    pub fn households(&self) -> u64 {
        self.households
    }

    /// Adds one unweighted household with every indicator known.
    #[inline]
    pub fn add(&mut self, spec: &AfSpec, deprived: IndicatorSet) {
        self.add_scored(deprived, spec.score(deprived));
    }

    /// Adds one unweighted household whose score is already known.
    #[inline]
    pub fn add_scored(&mut self, deprived: IndicatorSet, score: u64) {
        self.households += 1;
        let r = row(&mut self.by_score, score as usize);
        r.count += 1;
        for j in deprived.positions() {
            r.deprived[j] += 1;
        }
    }

    /// Adds one household with a survey weight (counts and weighted sums).
    #[inline]
    pub fn add_weighted(&mut self, deprived: IndicatorSet, score: u64, weight: f64) {
        self.add_weighted_term(deprived, score, Term::of(weight));
    }

    #[inline(always)]
    pub(crate) fn add_weighted_term(&mut self, deprived: IndicatorSet, score: u64, t: Term) {
        self.add_scored(deprived, score);
        let r = weighted_row(
            self.weighted.get_or_insert_with(Default::default),
            score as usize,
        );
        r.add(
            std::iter::once(0).chain(deprived.positions().map(|j| 1 + j)),
            t,
        );
    }

    /// Adds the sums of another tally.
    pub fn merge(&mut self, o: &AfTally) {
        self.households += o.households;
        for (s, r) in o.by_score.iter().enumerate() {
            row(&mut self.by_score, s).add(r);
        }
        if let Some(ow) = &o.weighted {
            let w = self.weighted.get_or_insert_with(Default::default);
            for (s, r) in ow.iter().enumerate() {
                weighted_row(w, s).merge(r);
            }
        }
    }

    /// The measures at the spec's cut-off (weighted when weights were given). Ratios of an
    /// empty population are 0.
    pub fn measures(&self, spec: &AfSpec) -> AfMeasures {
        // Sums over scores: all of them (uncensored) and those at or over the cut-off.
        let mut n = 0.0;
        let mut poor = 0.0;
        let mut poor_score = 0.0;
        let mut uncensored = [0.0; N];
        let mut censored = [0.0; N];
        let mut add = |s: usize, count: f64, deprived: [f64; N]| {
            n += count;
            let is_poor = spec.is_poor(s as u64);
            if is_poor {
                poor += count;
                poor_score += count * s as f64;
            }
            for j in 0..N {
                uncensored[j] += deprived[j];
                if is_poor {
                    censored[j] += deprived[j];
                }
            }
        };
        match &self.weighted {
            Some(w) => {
                // Exact sums, each rounded once; then added in score order, as one pass would.
                for (s, r) in w.iter().enumerate() {
                    let v = r.values();
                    add(s, v[0], std::array::from_fn(|j| v[1 + j]));
                }
            }
            None => {
                // Integer sums converted once per score: exact for any realistic population.
                for (s, r) in self.by_score.iter().enumerate() {
                    add(s, r.count as f64, r.deprived.map(|x| x as f64));
                }
            }
        }
        let div = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let h = div(poor, n);
        let a = div(poor_score, poor * spec.total as f64);
        let m0 = h * a;
        let mut per = Vec::new();
        for i in spec.indicators {
            let j = i as usize;
            let censored = div(censored[j], n);
            let absolute = spec.weight_share(i) * censored;
            per.push(IndicatorMeasures {
                indicator: i,
                uncensored_headcount: div(uncensored[j], n),
                censored_headcount: censored,
                absolute_contribution: absolute,
                contribution: div(absolute, m0),
            });
        }
        AfMeasures {
            k: spec.k_indicators(),
            k_share: spec.k_share(),
            households: self.households,
            n,
            h,
            a,
            m0,
            indicators: per,
        }
    }
}

/// Per-indicator Alkire–Foster figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorMeasures {
    /// The indicator.
    pub indicator: Indicator,
    /// Share of households deprived in it.
    pub uncensored_headcount: f64,
    /// Share of households poor and deprived in it.
    pub censored_headcount: f64,
    /// Weight share × censored headcount (sums to M0).
    pub absolute_contribution: f64,
    /// Absolute contribution / M0 (sums to 1 when M0 > 0).
    pub contribution: f64,
}

/// The Alkire–Foster measures of a population.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AfMeasures {
    /// The cut-off in indicators, for equal weights.
    pub k: Option<u32>,
    /// The cut-off as a share of the total weight.
    pub k_share: f64,
    /// Complete-case households counted.
    pub households: u64,
    /// Weighted number of households (= households when unweighted).
    pub n: f64,
    /// Headcount ratio H.
    pub h: f64,
    /// Intensity A.
    pub a: f64,
    /// Adjusted headcount ratio M0 = H × A.
    pub m0: f64,
    /// Per indicator, in the standard's order.
    pub indicators: Vec<IndicatorMeasures>,
}

impl AfMeasures {
    /// The report block of [formats §4](crate::docs::formats).
    pub fn to_json(&self) -> serde_json::Value {
        let per = |f: fn(&IndicatorMeasures) -> f64| {
            serde_json::Value::Object(
                self.indicators
                    .iter()
                    .map(|m| (m.indicator.code().to_owned(), f(m).into()))
                    .collect(),
            )
        };
        let mut v = serde_json::json!({
            "k": self.k.map_or(serde_json::Value::from(self.k_share), serde_json::Value::from),
            "n": if self.n.fract() == 0.0 && self.n == self.households as f64 { serde_json::Value::from(self.households) } else { self.n.into() },
            "h": self.h, "a": self.a, "m0": self.m0,
            "uncensored_headcount": per(|m| m.uncensored_headcount),
            "censored_headcount": per(|m| m.censored_headcount),
            "contribution": per(|m| m.contribution),
            "absolute_contribution": per(|m| m.absolute_contribution),
        });
        if self.n != self.households as f64 {
            v["households"] = self.households.into();
        }
        v
    }
}

/// How H, A and M0 changed between two populations (mpitb's change measures).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AfChange {
    /// Change of the headcount ratio H.
    pub h: Change,
    /// Change of the intensity A.
    pub a: Change,
    /// Change of the adjusted headcount ratio M0.
    pub m0: Change,
    /// For two survey rounds with precision: the standard errors of the three changes
    /// (independent samples: the square root of the sum of the variances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub se: Option<ChangeSe>,
}

/// The standard errors of the changes of H, A and M0 between two independent samples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChangeSe {
    /// Of the change of H.
    pub h: f64,
    /// Of the change of A.
    pub a: f64,
    /// Of the change of M0.
    pub m0: f64,
}

impl AfMeasures {
    /// The change from `self` (earlier) to `later` over `years`. Both must come from the same
    /// standard and settings; [`crate::population::Report::af_change`] checks that.
    pub fn change_to(&self, later: &AfMeasures, years: f64) -> AfChange {
        AfChange {
            h: Change::between(self.h, later.h, years),
            a: Change::between(self.a, later.a, years),
            m0: Change::between(self.m0, later.m0, years),
            se: None,
        }
    }
}
