//! Population work: classify many households under one standard and fold the results into a
//! [`Report`] as they stream by — counts, rates and persons per class, the input accounting
//! (rows = classified + indeterminate + rejected), Alkire–Foster measures, all by group.
//!
//! Reports merge: the report of two parts merged is the report of the whole, so work splits
//! across threads (see [`report_par`] with the `rayon` feature, and the CSV reader) or machines.
//!
//! ```
//! use chuan_ngheo::population::{report, GroupColumn, Population};
//! use chuan_ngheo::{Area, Household, Standard, Vnd};
//!
//! let standard = Standard::for_year(2024)?;
//! let households = vec![
//!     Household::new(Area::Rural, 4, Vnd::from_dong(1_200_000)),
//!     Household::new(Area::Urban, 2, Vnd::from_dong(5_000_000)),
//! ];
//! let labels = vec!["04".to_string(), "79".to_string()];
//! let keys = vec![0, 1];
//! let pop = Population {
//!     households: &households,
//!     weights: None,
//!     groups: vec![GroupColumn { name: "province", labels: &labels, keys: &keys }],
//! };
//! let r = report(standard, &pop);
//! assert_eq!(r.input().rows, 2);
//! assert_eq!(r.total().households[chuan_ngheo::PovertyClass::NearPoor.index()], 1);
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

pub mod af;
#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub mod csv;
mod exact;
pub use exact::ClassWeights;
pub mod impact;
#[cfg(feature = "csv")]
mod pipeline;
pub mod precision;
pub mod sample_data;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::classify::{classify, Assessment, ByClass, PovertyClass};
use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::hash::KeyedMap;
use crate::household::Household;
use crate::indicator::IndicatorSet;
use crate::standard::Standard;
use af::{AfMeasures, AfSpec, AfTally};

/// Groupings whose keys a labelled household keeps on the stack; more take a slower path.
pub(crate) const MAX_STACK_GROUPS: usize = 8;

/// How many rejected rows a report lists by default (all are counted).
pub const KEEP_REJECTED: usize = 100;

/// Counts and sums for one set of households.
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// Households per class, indexed by [`PovertyClass::index`] (indeterminate last).
    pub households: ByClass<u64>,
    /// Survey weight per class, when the population is weighted.
    pub weight: Option<ClassWeights>,
    /// Persons (sum of members) per class.
    pub persons: ByClass<u64>,
    /// Alkire–Foster sums over complete cases.
    pub af: AfTally,
}

impl Tally {
    /// Households classified into one of the four determinate classes.
    pub fn classified(&self) -> u64 {
        self.households[..4].iter().sum()
    }

    /// Households left indeterminate.
    pub fn indeterminate(&self) -> u64 {
        self.households[PovertyClass::Indeterminate.index()]
    }

    /// The share of classified households in a class (survey-weighted when weighted); 0 when
    /// none are classified.
    pub fn rate(&self, class: PovertyClass) -> f64 {
        if class == PovertyClass::Indeterminate {
            return 0.0;
        }
        let (part, total) = match &self.weight {
            Some(w) => (w.get(class), w.determinate_total()),
            None => (
                self.households[class.index()] as f64,
                self.classified() as f64,
            ),
        };
        if total > 0.0 {
            part / total
        } else {
            0.0
        }
    }

    /// Counts one household: its class, members, AF answers (complete cases) and weight (in a
    /// weighted report).
    #[inline(always)]
    fn record(
        &mut self,
        class: usize,
        members: u32,
        af: Option<(IndicatorSet, u64)>,
        t: Option<exact::Term>,
    ) {
        self.households[class] += 1;
        self.persons[class] += members as u64;
        match (af, t) {
            (Some((d, score)), None) => self.af.add_scored(d, score),
            (Some((d, score)), Some(t)) => self.af.add_weighted_term(d, score, t),
            (None, _) => {}
        }
        if let Some(t) = t {
            self.weight
                .get_or_insert_with(ClassWeights::default)
                .add_at(class, t);
        }
    }

    /// Checks a tally read from a saved report: persons at least the households (each has a
    /// member), weights finite and not negative, complete cases within the classified, and
    /// the Alkire–Foster sums consistent ([`AfTally`]).
    fn check(&self, spec: &AfSpec) -> std::result::Result<(), crate::error::Reason> {
        use crate::error::Reason;
        let sum = |v: &ByClass<u64>| (0..5).try_fold(0u64, |a, c| a.checked_add(v[c]));
        let (Some(_), Some(_)) = (sum(&self.households), sum(&self.persons)) else {
            return Err(Reason::new(
                "counts too large to add",
                "số đếm quá lớn để cộng",
            ));
        };
        if (0..5).any(|c| self.persons[c] < self.households[c]) {
            return Err(Reason::new(
                "fewer persons than households in a class",
                "số người ít hơn số hộ trong một nhóm",
            ));
        }
        if self.af.households() > self.classified() {
            return Err(Reason::new(
                "more complete cases than classified households",
                "số hộ đủ thông tin nhiều hơn số hộ đã phân loại",
            ));
        }
        self.af.check(spec)
    }

    /// `self + o`, or `None` if a count would overflow.
    fn checked_sum(&self, o: &Tally) -> Option<Tally> {
        let mut out = self.clone();
        for c in 0..5 {
            out.households[c] = out.households[c].checked_add(o.households[c])?;
            out.persons[c] = out.persons[c].checked_add(o.persons[c])?;
        }
        if let Some(ow) = &o.weight {
            out.weight
                .get_or_insert_with(ClassWeights::default)
                .merge(ow);
        }
        out.af = out.af.checked_sum(&o.af)?;
        Some(out)
    }

    /// Adds another tally.
    pub fn merge(&mut self, o: &Tally) {
        for c in 0..5 {
            self.households[c] += o.households[c];
            self.persons[c] += o.persons[c];
        }
        if let Some(ow) = &o.weight {
            self.weight
                .get_or_insert_with(ClassWeights::default)
                .merge(ow);
        }
        self.af.merge(&o.af);
    }

    fn to_json(&self, spec: &AfSpec) -> Value {
        let by_class = |f: &dyn Fn(PovertyClass) -> Value| {
            Value::Object(
                PovertyClass::DETERMINATE
                    .iter()
                    .map(|c| (c.code().to_owned(), f(*c)))
                    .collect(),
            )
        };
        json!({
            "households": by_class(&|c| self.households[c.index()].into()),
            "rates": by_class(&|c| self.rate(c).into()),
            "persons": by_class(&|c| self.persons[c.index()].into()),
            "af": self.af.measures(spec).to_json(),
        })
    }
}

/// The tallies of one grouping column (province, district, ethnic minority …) by value.
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    name: String,
    labels: Vec<String>,
    index: KeyedMap<String, u32>,
    small: KeyedMap<u64, u32>,
    cache: Vec<(u64, u32)>,
    tallies: Vec<Tally>,
}

const CACHE: usize = 256;

/// The key [`Grouping::key_bytes`] gives bytes that are not UTF-8 (and the key of no group).
pub(crate) const NO_LABEL: u32 = u32::MAX;

/// Up to seven bytes in the low bytes of a word, their length in the top byte: one word per
/// short label, exactly. Built byte by byte, with no call to `memcpy` for a few bytes.
#[inline(always)]
pub(crate) fn pack_short(label: &[u8]) -> u64 {
    debug_assert!(label.len() <= 7);
    let mut tag = (label.len() as u64) << 56;
    for (i, b) in label.iter().take(7).enumerate() {
        tag |= (*b as u64) << (8 * i);
    }
    tag
}

impl Grouping {
    /// An empty grouping.
    pub fn new(name: &str) -> Self {
        Grouping {
            name: name.to_owned(),
            ..Default::default()
        }
    }

    /// The column's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key of a label, added if new.
    #[inline]
    pub(crate) fn key(&mut self, label: &str) -> u32 {
        if let Some(k) = self.index.get(label) {
            return *k;
        }
        let k = self.labels.len() as u32;
        self.labels.push(label.to_owned());
        self.index.insert(label.to_owned(), k);
        self.tallies.push(Tally::default());
        k
    }

    /// The key of a label given as bytes. Labels of up to 7 bytes (province and district
    /// codes) are found by their packed value, without hashing a string.
    #[inline(always)]
    pub(crate) fn key_bytes(&mut self, label: &[u8]) -> u32 {
        if label.len() <= 7 {
            // Seven label bytes and the length in the eighth: one tag per label, exactly.
            let tag = pack_short(label);
            // A direct-mapped cache in front of the map: one load and compare when it hits.
            let slot = ((tag.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize) % CACHE;
            if let Some((t, k)) = self.cache.get(slot) {
                if *t == tag {
                    return *k;
                }
            }
            return self.key_packed(tag, slot, label);
        }
        match std::str::from_utf8(label) {
            Ok(text) => self.key(text),
            Err(_) => NO_LABEL,
        }
    }

    /// [`Grouping::key_bytes`] past its cache: the map, then the label table.
    #[inline(never)]
    fn key_packed(&mut self, tag: u64, slot: usize, label: &[u8]) -> u32 {
        if self.cache.len() != CACHE {
            self.cache = vec![(u64::MAX, 0); CACHE];
        }
        let k = match self.small.get(&tag) {
            Some(k) => *k,
            None => {
                // Bytes that are not UTF-8 are no label: shown or saved they would all be
                // "�", one group. The caller rejects the row ([`NO_LABEL`]).
                let Ok(text) = std::str::from_utf8(label) else {
                    return NO_LABEL;
                };
                let k = self.key(text);
                self.small.insert(tag, k);
                k
            }
        };
        self.cache[slot] = (tag, k);
        k
    }

    /// The labels, in the order first seen (key order).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The groups, sorted by label.
    pub fn groups(&self) -> Vec<(&str, &Tally)> {
        let mut v: Vec<_> = self
            .labels
            .iter()
            .map(String::as_str)
            .zip(self.tallies.iter())
            .collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    }

    /// The key of a label, if seen.
    pub fn key_of(&self, label: &str) -> Option<u32> {
        self.index.get(label).copied()
    }

    /// The tally of one label.
    pub fn get(&self, label: &str) -> Option<&Tally> {
        self.index.get(label).map(|k| &self.tallies[*k as usize])
    }

    fn merge(&mut self, o: &Grouping) {
        for (label, t) in o.labels.iter().zip(&o.tallies) {
            let k = self.key(label) as usize;
            self.tallies[k].merge(t);
        }
    }
}

/// The largest survey weight a report takes: 10^100. Sums of weights (and, for precision,
/// of their squares) over any number of rows then stay finite numbers.
pub const MAX_WEIGHT: f64 = 1e100;

/// A survey weight must be a number from 0 to [`MAX_WEIGHT`]: in a weighted report, a NaN, an
/// infinity or a negative weight would turn every rate it touches into nonsense, so its row
/// is rejected.
#[inline(always)]
fn weight_is_valid(weight: f64) -> bool {
    (0.0..=MAX_WEIGHT).contains(&weight)
}

/// A household's place in a sample design: its stratum and its PSU.
pub type SampleUnit<'a> = (&'a [u8], &'a [u8]);

/// The grouping labels and the sample unit (stratum, PSU) of a row of a precision report,
/// or why the row cannot be in the sample.
#[inline]
fn design_unit<'l>(
    p: &precision::PrecisionTally,
    weight: f64,
    labels: &'l [&'l [u8]],
) -> Result<(&'l [&'l [u8]], Option<SampleUnit<'l>>)> {
    if !(weight > 0.0 && weight <= MAX_WEIGHT) {
        return Err(Error::from(ErrorKind::InvalidValue {
            field: "weight".into(),
            value: weight.to_string(),
            reason: crate::error::Reason::new(
                "a survey weight must be a number above zero, at most 1e100, for precision",
                "để tính sai số, quyền số điều tra phải là số lớn hơn 0 và không quá 1e100",
            ),
        }));
    }
    if !p.has_design() {
        return Ok((labels, None));
    }
    let n = labels.len().saturating_sub(2);
    let (groups, design) = labels.split_at(n);
    match design {
        [stratum, psu] if !stratum.is_empty() && !psu.is_empty() => {
            unit_is_text(stratum, psu)?;
            Ok((groups, Some((*stratum, *psu))))
        }
        [stratum, _] => Err(Error::from(ErrorKind::Missing {
            field: if stratum.is_empty() { "stratum" } else { "psu" }.into(),
        })),
        _ => Err(Error::from(ErrorKind::Missing {
            field: "stratum, psu".into(),
        })),
    }
}

/// Stratum and PSU ids must be UTF-8 text, as group labels must: other bytes could not be
/// shown or saved apart (one rule for labels, strata and PSUs). ASCII ids, the usual, pass
/// at the cost of a byte scan.
#[inline(always)]
fn unit_is_text(stratum: &[u8], psu: &[u8]) -> Result<()> {
    if stratum.is_ascii() && psu.is_ascii() {
        return Ok(());
    }
    unit_not_text(stratum, psu)
}

#[cold]
#[inline(never)]
fn unit_not_text(stratum: &[u8], psu: &[u8]) -> Result<()> {
    for (field, id) in [("stratum", stratum), ("psu", psu)] {
        if std::str::from_utf8(id).is_err() {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: field.into(),
                value: crate::error::excerpt_bytes(id),
                reason: crate::error::Reason::new(
                    "a stratum or PSU id must be UTF-8 text: other bytes could not be shown or saved apart",
                    "mã tầng hoặc mã đơn vị mẫu (PSU) phải là văn bản UTF-8: các byte khác không thể hiển thị hay lưu riêng biệt",
                ),
            }));
        }
    }
    Ok(())
}

/// A row that could not be classified.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Rejected {
    /// 1-based line in the input (header = line 1 for CSV; for slices, the position + 1).
    pub line: u64,
    /// The row's id, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Why.
    #[serde(serialize_with = "error_message")]
    pub error: Error,
}

fn error_message<S: serde::Serializer>(e: &Error, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(e)
}

/// The input accounting: every row is classified, indeterminate or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct InputCounts {
    /// Rows read.
    pub rows: u64,
    /// Rows classified into a determinate class.
    pub classified: u64,
    /// Rows whose unknown indicators could change the class.
    pub indeterminate: u64,
    /// Rows rejected.
    pub rejected: u64,
}

/// A population report under one standard. Build it with [`report`], the CSV reader, or by
/// hand with [`Report::add`] and [`Report::reject`]; combine parts with [`Report::merge`].
#[derive(Debug, Clone)]
pub struct Report {
    standard: String,
    /// The standard's content ([`Standard::fingerprint`]): two standards may share an id.
    fingerprint: u64,
    spec: AfSpec,
    rejected_count: u64,
    /// Households outside the first grouping (all of them when there is none). The total is
    /// derived: this plus the first grouping's tallies, so each household is counted once per
    /// grouping and not again for the total.
    rest: Tally,
    groupings: Vec<Grouping>,
    rejected: Vec<Rejected>,
    keep_rejected: usize,
    ignored_columns: Vec<String>,
    weighted: bool,
    /// The design sums of a precision report ([`precision`]).
    precision: Option<Box<precision::PrecisionTally>>,
    /// While a table is read: the tallies its threads share (gathered into `precision` at
    /// the end).
    precision_pool: Option<std::sync::Arc<precision::PrecisionPool>>,
}

impl Report {
    /// An empty report for `standard`, grouped by the named columns, with the standard's
    /// Alkire–Foster cut-off and equal weights.
    pub fn new(standard: &Standard, group_by: &[&str]) -> Report {
        Report {
            standard: standard.id().to_owned(),
            fingerprint: standard.fingerprint(),
            spec: AfSpec::for_standard(standard),
            rejected_count: 0,
            rest: Tally::default(),
            groupings: group_by.iter().map(|n| Grouping::new(n)).collect(),
            rejected: Vec::new(),
            keep_rejected: KEEP_REJECTED,
            ignored_columns: Vec::new(),
            weighted: false,
            precision: None,
            precision_pool: None,
        }
    }

    /// Shares the precision tally among the threads of a table read: clones of this report
    /// add their rows to the pool's slots instead of their own tallies.
    #[cfg(feature = "csv")]
    pub(crate) fn share_precision(&mut self, slots: usize) {
        if let Some(p) = &self.precision {
            self.precision_pool =
                Some(std::sync::Arc::new(precision::PrecisionPool::new(p, slots)));
        }
    }

    /// The rejected rows, as a design error names them.
    fn rejected_rows(&self) -> crate::error::RejectedRows {
        crate::error::RejectedRows {
            rows: self.rejected_count,
            first_line: self.rejected.first().map(|r| r.line),
        }
    }

    /// Gathers the shared tallies back into this report's own.
    #[cfg(feature = "csv")]
    pub(crate) fn gather_precision(&mut self) -> Result<()> {
        if let (Some(pool), Some(own)) = (self.precision_pool.take(), self.precision.as_deref_mut())
        {
            precision::PrecisionPool::gather(pool, own)?;
        }
        Ok(())
    }

    /// The same report keeping what survey precision needs ([`precision`]): standard errors
    /// and intervals for every rate and measure. `design` says that rows come with a stratum
    /// and a PSU ([`Report::add_sampled`]); without, each household is its own PSU in one
    /// stratum. The report becomes weighted. Set it before adding households.
    pub fn with_precision(mut self, options: precision::PrecisionOptions, design: bool) -> Report {
        self.weighted = true;
        self.precision = Some(Box::new(precision::PrecisionTally::new(
            options,
            design,
            self.groupings.len(),
        )));
        self
    }

    /// Whether the report keeps survey precision.
    pub fn has_precision(&self) -> bool {
        self.precision.is_some()
    }

    /// The precision of the whole sample's estimates: strata, PSUs, df and every estimate with
    /// its standard error and 95% interval. `None` for a report without precision; an error
    /// when the design cannot give a variance (no PSU, a stratum with one PSU and no treatment
    /// chosen).
    pub fn precision(&self) -> Option<Result<precision::PrecisionBlock>> {
        let p = self.precision.as_deref()?;
        Some(
            p.check(self.rejected_rows())
                .map(|()| self.block(p, p.layout(), None)),
        )
    }

    /// The precision of each group of a grouping, as domains of the whole design, sorted by
    /// label. `None` for a report without precision or without that grouping.
    pub fn precision_by_group(
        &self,
        grouping: &str,
    ) -> Option<Result<Vec<(&str, precision::PrecisionBlock)>>> {
        let p = self.precision.as_deref()?;
        let g = self.groupings.iter().position(|x| x.name == grouping)?;
        let grouping = &self.groupings[g];
        Some(p.check(self.rejected_rows()).map(|()| {
            let layout = p.layout();
            let mut v: Vec<(&str, precision::PrecisionBlock)> = grouping
                .labels
                .iter()
                .map(|label| {
                    let block = self.block(p, layout, Some((g, label.as_str())));
                    (label.as_str(), block)
                })
                .collect();
            v.sort_by(|a, b| a.0.cmp(b.0));
            v
        }))
    }

    fn block(
        &self,
        p: &precision::PrecisionTally,
        layout: &precision::Layout,
        group: Option<(usize, &str)>,
    ) -> precision::PrecisionBlock {
        let (strata, psus, df) = p.counts();
        precision::PrecisionBlock {
            strata,
            psus,
            df,
            estimates: p.estimates(
                layout,
                self.spec.indicators(),
                group,
                self.spec.total() as f64,
            ),
        }
    }

    /// The same report with another Alkire–Foster weighting or cut-off. Households are tallied
    /// by score, so the cut-off can change at any time; the weights only while the report is
    /// empty (a report that holds households refuses new weights rather than mix them).
    pub fn with_af(mut self, spec: AfSpec) -> Result<Report> {
        if self.input().rows > 0 && !self.spec.same_scoring(&spec) {
            return Err(Error::from(ErrorKind::Incomparable {
                why: crate::Incompatibility::AfWeightsFixed,
            }));
        }
        self.spec = spec;
        Ok(self)
    }

    /// The same report keeping up to `n` rejected rows in its list (all are counted).
    pub fn keep_rejected(mut self, n: usize) -> Report {
        self.keep_rejected = n;
        self
    }

    /// Marks the report as survey-weighted (rates are weighted).
    pub fn set_weighted(&mut self, weighted: bool) {
        self.weighted = weighted;
    }

    /// Notes the input's columns that nothing read (a table reader says which).
    #[cfg(feature = "csv")]
    pub(crate) fn set_ignored_columns(&mut self, columns: Vec<String>) {
        self.ignored_columns = columns;
    }

    /// The key of `label` in grouping number `grouping` (added if new); `None` if there is no
    /// such grouping.
    #[inline]
    pub fn group_key(&mut self, grouping: usize, label: &str) -> Option<u32> {
        self.groupings.get_mut(grouping).map(|g| g.key(label))
    }

    /// The key of a label given as bytes (read from a file; invalid UTF-8 is replaced).
    #[inline]
    pub(crate) fn group_key_bytes(&mut self, grouping: usize, label: &[u8]) -> Option<u32> {
        self.groupings.get_mut(grouping).map(|g| g.key_bytes(label))
    }

    /// Shifts the line numbers of listed rejected rows by `lines` (to place a part read from
    /// the middle of a file).
    pub fn shift_lines(&mut self, lines: u64) {
        for r in &mut self.rejected {
            r.line = r.line.saturating_add(lines);
        }
    }

    /// Adds a classified household. `keys` holds one key per grouping, from
    /// [`Report::group_key`]; missing or unknown keys are skipped. `weight` is used only in a
    /// weighted report ([`Report::set_weighted`]).
    #[inline(always)]
    pub fn add(&mut self, a: &Assessment<'_>, members: u32, weight: f64, keys: &[u32]) {
        self.add_sampled(a, members, weight, keys, None)
    }

    /// [`Report::add`] for a household of a sample with a design: `unit` is its stratum and
    /// PSU (PSU ids are read within their stratum). A report without precision ignores it.
    #[inline(always)]
    pub fn add_sampled(
        &mut self,
        a: &Assessment<'_>,
        members: u32,
        weight: f64,
        keys: &[u32],
        unit: Option<SampleUnit<'_>>,
    ) {
        // A weighted report never sums a NaN, negative or infinite weight: the household is
        // counted as rejected instead (line 0: the caller gave none).
        if self.weighted && !weight_is_valid(weight) {
            self.reject_weight(0, None, weight);
            return;
        }
        if let (Some((stratum, psu)), Some(_)) = (unit, self.precision.as_deref()) {
            if let Err(e) = unit_is_text(stratum, psu) {
                self.reject(0, None, e);
                return;
            }
        }
        self.add_checked(a, members, weight, keys, unit);
    }

    /// [`Report::add_sampled`] past its checks of the weight and the unit's ids (a table's
    /// reader has made them, naming the row's line).
    #[inline(always)]
    fn add_checked(
        &mut self,
        a: &Assessment<'_>,
        members: u32,
        weight: f64,
        keys: &[u32],
        unit: Option<SampleUnit<'_>>,
    ) {
        if let Some(p) = self.precision.as_deref_mut() {
            let row = precision::RowSums {
                class: (a.class() != PovertyClass::Indeterminate).then(|| a.class().index()),
                af: (a.income().is_some() && a.unknown().is_empty()).then(|| {
                    let d = a.deprivations();
                    let score = self.spec.score(d);
                    let poor = self.spec.is_poor(score);
                    let censored = if poor { d } else { IndicatorSet::EMPTY };
                    (poor, if poor { score } else { 0 }, censored)
                }),
            };
            // The tally keys groups by label: these are the report's keys.
            let mut stack: [&[u8]; MAX_STACK_GROUPS] = [b""; MAX_STACK_GROUPS];
            let mut heap: Vec<&[u8]> = Vec::new();
            let labels: &mut [&[u8]] = if keys.len() <= MAX_STACK_GROUPS {
                &mut stack[..keys.len()]
            } else {
                heap.resize(keys.len(), b"");
                &mut heap
            };
            for ((l, k), g) in labels.iter_mut().zip(keys).zip(&self.groupings) {
                *l = g.labels.get(*k as usize).map_or(&b""[..], |x| x.as_bytes());
            }
            match &self.precision_pool {
                Some(pool) => pool.with_slot(|t| t.add(&row, weight, labels, unit)),
                None => p.add(&row, weight, labels, unit),
            }
        }
        let class = a.class().index();
        // Alkire–Foster over complete cases: households classified on income with every
        // indicator of the standard known.
        let af = (a.income().is_some() && a.unknown().is_empty()).then(|| {
            let d = a.deprivations();
            let score = self.spec.score(d);
            (d, score)
        });
        // The weight taken apart once, for every tally the household goes to.
        let weight = self.weighted.then(|| exact::Term::of(weight));
        let mut counted = false;
        for (n, (g, k)) in self.groupings.iter_mut().zip(keys).enumerate() {
            if let Some(t) = g.tallies.get_mut(*k as usize) {
                t.record(class, members, af, weight);
                counted |= n == 0;
            }
        }
        if !counted {
            self.rest.record(class, members, af, weight);
        }
    }

    /// Counts a rejected row, listing it if fewer than the kept number are listed.
    pub fn reject(&mut self, line: u64, id: Option<String>, error: Error) {
        self.rejected_count = self.rejected_count.saturating_add(1);
        if self.rejected.len() < self.keep_rejected {
            self.rejected.push(Rejected { line, id, error });
        }
    }

    /// Rejects a row whose grouping label is not UTF-8 (kept out of the per-household path).
    #[cold]
    #[inline(never)]
    fn reject_label(
        &mut self,
        line: u64,
        id: &[u8],
        labels: &[&[u8]],
        keys: &[u32],
    ) -> Option<PovertyClass> {
        let (g, label) = keys
            .iter()
            .zip(labels)
            .enumerate()
            .find(|(_, (k, _))| **k == NO_LABEL)
            .map_or((0, &b""[..]), |(g, (_, l))| (g, *l));
        // No key: the label is not UTF-8, or there is no grouping for it.
        let error = Error::from(ErrorKind::InvalidValue {
            field: self
                .groupings
                .get(g)
                .map_or_else(|| "labels".to_owned(), |x| x.name.clone()),
            value: crate::error::excerpt_bytes(label),
            reason: if g < self.groupings.len() {
                crate::error::Reason::new(
                    "a grouping label must be UTF-8 text: other bytes could not be shown or saved apart",
                    "nhãn phân nhóm phải là văn bản UTF-8: các byte khác không thể hiển thị hay lưu riêng biệt",
                )
            } else {
                crate::error::Reason::new(
                    "a row needs one label per grouping column",
                    "mỗi dòng cần một nhãn cho mỗi cột phân nhóm",
                )
            },
        });
        self.reject(line, Some(crate::error::excerpt_bytes(id)), error);
        None
    }

    /// Rejects a row for its weight (kept out of the per-household path).
    #[cold]
    #[inline(never)]
    fn reject_weight(&mut self, line: u64, id: Option<&[u8]>, weight: f64) {
        let error = Error::from(ErrorKind::InvalidValue {
            field: "weight".into(),
            value: weight.to_string(),
            reason: crate::error::Reason::new(
                "a survey weight must be a number from 0 to 1e100",
                "quyền số điều tra phải là số từ 0 đến 1e100",
            ),
        });
        self.reject(line, id.map(crate::error::excerpt_bytes), error);
    }

    /// Classifies a household and adds it, or rejects it; returns the class if classified.
    #[inline]
    pub fn classify_and_add(
        &mut self,
        standard: &Standard,
        line: u64,
        household: &Household,
        weight: f64,
        keys: &[u32],
    ) -> Option<PovertyClass> {
        // An unweighted report ignores weights; a weighted one refuses a bad one.
        if self.weighted && !weight_is_valid(weight) {
            self.reject_weight(line, None, weight);
            return None;
        }
        match classify(standard, household) {
            Ok(a) => {
                self.add(&a, household.members, weight, keys);
                Some(a.class())
            }
            Err(e) => {
                self.reject(line, None, e);
                None
            }
        }
    }

    /// Classifies a household whose grouping labels come as bytes (read from a file) and adds
    /// it, or rejects it with its id. Returns the class, or `None` if rejected.
    #[inline(always)]
    pub fn classify_labelled(
        &mut self,
        standard: &Standard,
        line: u64,
        id: &[u8],
        household: &Household,
        weight: f64,
        labels: &[&[u8]],
    ) -> Option<PovertyClass> {
        if self.weighted && !weight_is_valid(weight) {
            self.reject_weight(line, Some(id), weight);
            return None;
        }
        self.classify_labelled_valid_weight(standard, line, id, household, weight, labels)
    }

    /// [`Report::classify_labelled`] for a weight already checked (the CSV reader checks
    /// each `weight` cell as it parses it).
    #[inline(always)]
    pub(crate) fn classify_labelled_valid_weight(
        &mut self,
        standard: &Standard,
        line: u64,
        id: &[u8],
        household: &Household,
        weight: f64,
        labels: &[&[u8]],
    ) -> Option<PovertyClass> {
        // A precision report: a weight above zero, and with a design the last two labels are
        // the stratum and the PSU, neither empty.
        let (labels, unit) = match self.precision.as_deref() {
            None => (labels, None),
            Some(p) => match design_unit(p, weight, labels) {
                Ok(split) => split,
                Err(e) => {
                    self.reject(line, Some(crate::error::excerpt_bytes(id)), e);
                    return None;
                }
            },
        };
        match classify(standard, household) {
            Ok(a) => {
                let mut keys = [u32::MAX; MAX_STACK_GROUPS];
                if labels.len() > MAX_STACK_GROUPS {
                    // More groupings than the stack holds: the rare, allocating path.
                    let keys: Vec<u32> = (0..labels.len())
                        .map(|g| self.group_key_bytes(g, labels[g]).unwrap_or(NO_LABEL))
                        .collect();
                    if keys.contains(&NO_LABEL) {
                        return self.reject_label(line, id, labels, &keys);
                    }
                    self.add_checked(&a, household.members, weight, &keys, unit);
                    return Some(a.class());
                }
                for (g, (k, l)) in keys.iter_mut().zip(labels).enumerate() {
                    *k = self.group_key_bytes(g, l).unwrap_or(NO_LABEL);
                }
                let keys = &keys[..labels.len()];
                if keys.contains(&NO_LABEL) {
                    return self.reject_label(line, id, labels, keys);
                }
                self.add_checked(&a, household.members, weight, keys, unit);
                Some(a.class())
            }
            Err(e) => {
                self.reject(line, Some(crate::error::excerpt_bytes(id)), e);
                None
            }
        }
    }

    /// Adds another report of the same standard (the same id and the same content) and
    /// groupings. Rejected rows are kept in line order.
    pub fn merge(&mut self, other: &Report) -> Result<()> {
        if other.standard != self.standard || other.fingerprint != self.fingerprint {
            return Err(Error::from(ErrorKind::StandardMismatch {
                what: "merging reports",
                left: self.standard.clone(),
                right: other.standard.clone(),
            }));
        }
        let names = |r: &Report| {
            r.groupings
                .iter()
                .map(|g| g.name.clone())
                .collect::<Vec<_>>()
        };
        if names(self) != names(other) || self.spec != other.spec {
            return Err(Error::from(ErrorKind::Incomparable {
                why: crate::Incompatibility::MergeSettings,
            }));
        }
        if self.precision.is_some() != other.precision.is_some() {
            return Err(Error::from(ErrorKind::Incomparable {
                why: crate::Incompatibility::MergePrecision,
            }));
        }
        // Each grouping counts a household at most once, so the national total bounds every
        // tally: if the totals add, every tally does.
        if self.total().checked_sum(&other.total()).is_none()
            || self
                .rejected_count
                .checked_add(other.rejected_count)
                .is_none()
        {
            return Err(Error::from(ErrorKind::Incomparable {
                why: crate::Incompatibility::MergeOverflow,
            }));
        }
        if self.weighted != other.weighted {
            // An empty part takes the other's weighting; two parts with rows must agree, or
            // the unweighted households would vanish from every weighted rate.
            if self.input().rows == 0 {
                self.weighted = other.weighted;
            } else if other.input().rows != 0 {
                return Err(Error::from(ErrorKind::Incomparable {
                    why: crate::Incompatibility::MergeWeighted,
                }));
            }
        }
        self.rest.merge(&other.rest);
        for (g, o) in self.groupings.iter_mut().zip(&other.groupings) {
            g.merge(o);
        }
        let shared = match (&self.precision_pool, &other.precision_pool) {
            (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
            _ => false,
        };
        if let (Some(mine), Some(theirs), false) =
            (self.precision.as_deref_mut(), &other.precision, shared)
        {
            mine.merge(theirs)?;
        }
        self.rejected_count += other.rejected_count;
        self.rejected.extend(other.rejected.iter().cloned());
        self.rejected.sort_by_key(|r| r.line);
        self.rejected.truncate(self.keep_rejected);
        self.weighted |= other.weighted;
        for c in &other.ignored_columns {
            if !self.ignored_columns.contains(c) {
                self.ignored_columns.push(c.clone());
            }
        }
        Ok(())
    }

    /// Whether rates are survey-weighted.
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }

    /// The standard's id.
    pub fn standard(&self) -> &str {
        &self.standard
    }

    /// The input accounting.
    pub fn input(&self) -> InputCounts {
        let total = self.total();
        let classified = total.classified();
        let indeterminate = total.indeterminate();
        InputCounts {
            rows: classified
                .saturating_add(indeterminate)
                .saturating_add(self.rejected_count),
            classified,
            indeterminate,
            rejected: self.rejected_count,
        }
    }

    /// The whole population's tally.
    pub fn total(&self) -> Tally {
        let mut total = self.rest.clone();
        if let Some(g) = self.groupings.first() {
            for t in &g.tallies {
                total.merge(t);
            }
        }
        total
    }

    /// The Alkire–Foster measures of the whole population (complete cases).
    pub fn af(&self) -> AfMeasures {
        self.total().af.measures(&self.spec)
    }

    /// The Alkire–Foster measures at each cut-off `k` (in indicators' worth of weight), from
    /// the same pass.
    ///
    /// ```
    /// # use chuan_ngheo::population::{report, Population};
    /// # use chuan_ngheo::{Area, Household, IndicatorSet, Standard, Vnd};
    /// let s = Standard::builtin("vn-2022-2025")?;
    /// let h = Household::new(Area::Rural, 3, Vnd::from_dong(1_000_000))
    ///     .with_deprivations(s.indicators().iter().take(2).collect());
    /// let r = report(s, &Population { households: &[h], weights: None, groups: vec![] });
    /// let by_k = r.af_for_cutoffs(&[1, 2, 3])?;
    /// assert_eq!(by_k.iter().map(|m| m.h).collect::<Vec<_>>(), vec![1.0, 1.0, 0.0]);
    /// # Ok::<(), chuan_ngheo::Error>(())
    /// ```
    pub fn af_for_cutoffs(&self, ks: &[u32]) -> Result<Vec<AfMeasures>> {
        let total = self.total();
        ks.iter()
            .map(|k| Ok(total.af.measures(&self.spec.with_cutoff(*k)?)))
            .collect()
    }

    /// How the Alkire–Foster measures changed from this report (`year`) to `later`
    /// (`later_year`). Reports under different standards or settings are refused: a change
    /// across standards is not a change in poverty.
    pub fn af_change(&self, year: i32, later: &Report, later_year: i32) -> Result<af::AfChange> {
        if self.standard != later.standard {
            return Err(Error::from(ErrorKind::StandardBreak {
                from_year: year,
                from_standard: self.standard.clone(),
                to_year: later_year,
                to_standard: later.standard.clone(),
            }));
        }
        crate::year::check("year", year)?;
        crate::year::check("later_year", later_year)?;
        if self.spec != later.spec || later_year <= year {
            return Err(Error::from(ErrorKind::Incomparable {
                why: crate::Incompatibility::AfChange { year, later_year },
            }));
        }
        let mut change = self.af().change_to(&later.af(), (later_year - year) as f64);
        // Two survey rounds: the standard errors of the changes, where both can give them.
        if let Some(Ok(changes)) = self.precision_change(later) {
            let se = |name: &str| changes.iter().find(|c| c.name == name).map(|c| c.se);
            if let (Some(h), Some(a), Some(m0)) = (se("af.h"), se("af.a"), se("af.m0")) {
                change.se = Some(af::ChangeSe { h, a, m0 });
            }
        }
        Ok(change)
    }

    /// The change of every estimate from this survey round to `later`, an independent sample
    /// under the same standard, with the standard error of the difference (the square root
    /// of the sum of the variances) and its 95% interval (Student's t at the smaller of the
    /// two rounds' df). `None` unless both reports keep precision.
    pub fn precision_change(
        &self,
        later: &Report,
    ) -> Option<Result<Vec<precision::EstimateChange>>> {
        let (a, b) = (self.precision()?, later.precision()?);
        Some((|| {
            if self.standard != later.standard || self.fingerprint != later.fingerprint {
                return Err(Error::from(ErrorKind::StandardMismatch {
                    what: "the change between two survey rounds",
                    left: self.standard.clone(),
                    right: later.standard.clone(),
                }));
            }
            let (a, b) = (a?, b?);
            Ok(precision::changes(&a, &b))
        })())
    }

    /// The Alkire–Foster measures (H, A, M0, headcounts, contributions) of each group of a
    /// grouping, sorted by label; `None` if the report has no such grouping.
    ///
    /// ```
    /// use chuan_ngheo::population::{report_stream, Row};
    /// use chuan_ngheo::{Area, Household, IndicatorSet, Standard, Vnd};
    /// let s = Standard::builtin("vn-2022-2025")?;
    /// let three: IndicatorSet = s.indicators().iter().take(3).collect();
    /// let rows = [("04", three), ("79", IndicatorSet::EMPTY)].map(|(p, d)| Row {
    ///     household: Household::new(Area::Rural, 4, Vnd::from_dong(1_000_000)).with_deprivations(d),
    ///     weight: 1.0,
    ///     labels: [p],
    /// });
    /// let r = report_stream(s, &["province"], false, rows);
    /// let by_province = r.af_by_group("province").unwrap();
    /// assert_eq!(by_province[0].0, "04");
    /// assert_eq!(by_province[0].1.m0, 0.25); // H = 1, A = 3/12
    /// assert_eq!(by_province[1].1.m0, 0.0);
    /// # Ok::<(), chuan_ngheo::Error>(())
    /// ```
    pub fn af_by_group(&self, grouping: &str) -> Option<Vec<(&str, AfMeasures)>> {
        let g = self.grouping(grouping)?;
        Some(
            g.groups()
                .into_iter()
                .map(|(label, t)| (label, t.af.measures(&self.spec)))
                .collect(),
        )
    }

    /// The Alkire–Foster settings.
    pub fn af_spec(&self) -> &AfSpec {
        &self.spec
    }

    /// The groupings, in the order asked for.
    pub fn groupings(&self) -> &[Grouping] {
        &self.groupings
    }

    /// A grouping by column name.
    pub fn grouping(&self, name: &str) -> Option<&Grouping> {
        self.groupings.iter().find(|g| g.name == name)
    }

    /// The listed rejected rows (the first ones, in line order).
    pub fn rejected(&self) -> &[Rejected] {
        &self.rejected
    }

    /// The report as JSON ([formats §4](crate::docs::formats)), built in memory. For a report with many
    /// groups, write [`Report::json`] to a writer instead: the same document, one group at a time.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.json()).unwrap_or(Value::Null)
    }

    /// The report as a JSON document to serialize ([formats §4](crate::docs::formats)), streamed: the
    /// national block is built once and the groups one at a time, so writing a report of a
    /// million groups needs the memory of one. `extra` adds top-level keys (the census
    /// example's `af_by_k`); the keys come out sorted, as in [`Report::to_json`].
    pub fn json(&self) -> ReportJson<'_> {
        let mut top = match self.total().to_json(&self.spec) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        top.insert("standard".into(), self.standard.clone().into());
        top.insert("input".into(), json!(self.input()));
        // A placeholder: the groups are written from the report itself.
        top.insert("groups".into(), Value::Null);
        top.insert("rejected".into(), json!(self.rejected));
        // The list is bounded; say how many rejected rows it leaves out.
        top.insert(
            "rejected_not_listed".into(),
            json!(self
                .rejected_count
                .saturating_sub(self.rejected.len() as u64)),
        );
        if let Some(Value::Object(af)) = top.get_mut("af") {
            af.insert(
                "cases".into(),
                "complete: households whose every indicator of the standard is known".into(),
            );
        }
        top.insert("weighted".into(), self.weighted.into());
        match self.precision() {
            None => {}
            Some(Ok(block)) => {
                top.insert("precision".into(), block.to_json(true));
            }
            Some(Err(e)) => {
                top.insert("precision".into(), json!({"error": e.to_string()}));
            }
        }
        if !self.ignored_columns.is_empty() {
            top.insert("ignored_columns".into(), json!(self.ignored_columns));
        }
        ReportJson { report: self, top }
    }
}

impl Serialize for Report {
    /// The report document of [formats §4](crate::docs::formats) (the figures, as
    /// [`Report::json`] writes them) with one more key, `state`: the exact tallies, so that a
    /// saved report can be read back with [`Report::from_saved`] and merged with others.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let state = serde_json::to_value(self.saved_state()).map_err(serde::ser::Error::custom)?;
        self.json().with("state", state).serialize(s)
    }
}

impl PartialEq for Report {
    /// Two reports are equal when they would be saved alike: the same standard (its
    /// fingerprint), options, tallies in the same order of groups, rejected rows and
    /// precision sums. A report read in a different row order may hold its groups in another
    /// order and compare unequal while every figure agrees; compare [`Report::json`] for that.
    fn eq(&self, other: &Self) -> bool {
        match (serde_json::to_value(self), serde_json::to_value(other)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// What a saved report carries besides its figures.
#[derive(Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedState {
    version: u32,
    fingerprint: String,
    af: af::SavedSpec,
    rest: Tally,
    groupings: Vec<SavedGrouping>,
    rejected_count: u64,
    keep_rejected: usize,
    ignored_columns: Vec<String>,
    weighted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    precision: Option<precision::SavedPrecision>,
    /// The listed rejected rows with their errors typed: kind, field, both languages.
    rejected: Vec<SavedRejection>,
}

/// A listed rejected row as the state keeps it.
#[derive(Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedRejection {
    line: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    en: String,
    vi: String,
}

#[derive(Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedGrouping {
    name: String,
    labels: Vec<String>,
    tallies: Vec<Tally>,
}

impl Report {
    fn saved_state(&self) -> SavedState {
        SavedState {
            version: 2,
            fingerprint: format!("{:016x}", self.fingerprint),
            af: self.spec.saved(),
            rest: self.rest.clone(),
            groupings: self
                .groupings
                .iter()
                .map(|g| {
                    // Labels in their order, not the order rows brought them: one saved form
                    // for one report, however its parts were read and merged.
                    let mut order: Vec<usize> = (0..g.labels.len()).collect();
                    order.sort_by(|a, b| g.labels[*a].cmp(&g.labels[*b]));
                    SavedGrouping {
                        name: g.name.clone(),
                        labels: order.iter().map(|i| g.labels[*i].clone()).collect(),
                        tallies: order.iter().map(|i| g.tallies[*i].clone()).collect(),
                    }
                })
                .collect(),
            rejected_count: self.rejected_count,
            rejected: self
                .rejected
                .iter()
                .map(|r| SavedRejection {
                    line: r.line,
                    id: r.id.clone(),
                    kind: r.error.code().to_owned(),
                    field: r.error.field().map(str::to_owned),
                    en: r.error.to_string(),
                    vi: r.error.message(crate::standard::Lang::Vi),
                })
                .collect(),
            keep_rejected: self.keep_rejected,
            ignored_columns: self.ignored_columns.clone(),
            weighted: self.weighted,
            precision: self.precision.as_ref().map(|p| p.saved()),
        }
    }

    /// A report saved with serde (`serde_json::to_string(&report)`) read back under its
    /// standard, ready to merge: reports made on other machines or days add up as if read in
    /// one pass. The standard must be the one the report was made under (same content, by
    /// fingerprint).
    ///
    /// ```
    /// use chuan_ngheo::population::{report_stream, Row};
    /// use chuan_ngheo::{Area, Household, Report, Standard, Vnd};
    ///
    /// let s = Standard::builtin("vn-2022-2025")?;
    /// let part = |from: i64| report_stream(s, &["province"], false, (from..from + 50).map(|i| Row {
    ///     household: Household::new(Area::Rural, 4, Vnd::from_dong(20_000 * i)),
    ///     weight: 1.0,
    ///     labels: ["04"],
    /// }));
    /// let saved = serde_json::to_string(&part(0)).unwrap();
    /// let mut total = Report::from_saved(&saved, s)?;
    /// total.merge(&part(50))?;
    /// assert_eq!(total.input().rows, 100);
    /// # Ok::<(), chuan_ngheo::Error>(())
    /// ```
    pub fn from_saved(text: &str, standard: &Standard) -> Result<Report> {
        #[derive(serde::Deserialize)]
        struct Saved {
            standard: String,
            state: SavedState,
            #[serde(default)]
            rejected: Vec<SavedRejected>,
        }
        #[derive(serde::Deserialize)]
        struct SavedRejected {
            line: u64,
            #[serde(default)]
            id: Option<String>,
            error: String,
        }
        let bad = |field: &str, reason: crate::error::Reason, value: String| {
            Error::from(ErrorKind::InvalidValue {
                field: format!("saved report: {field}"),
                value: crate::error::excerpt(&value),
                reason,
            })
        };
        let saved: Saved = serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            Error::with_source(
                ErrorKind::Json {
                    context: "saved report",
                    message,
                },
                e,
            )
        })?;
        let state = saved.state;
        if state.version != 2 {
            return Err(bad(
                "state.version",
                crate::error::Reason::new(
                    "this crate reads version 2 (exact weight sums; version 1 had none)",
                    "thư viện này đọc phiên bản 2 (tổng quyền số chính xác; phiên bản 1 không có)",
                ),
                state.version.to_string(),
            ));
        }
        let fingerprint = format!("{:016x}", standard.fingerprint());
        if saved.standard != standard.id() || state.fingerprint != fingerprint {
            return Err(Error::from(ErrorKind::StandardMismatch {
                what: "loading a saved report",
                left: format!("{} ({})", saved.standard, state.fingerprint),
                right: format!("{} ({fingerprint})", standard.id()),
            }));
        }
        let spec = AfSpec::from_saved(standard, &state.af)?;
        let mut groupings = Vec::with_capacity(state.groupings.len());
        for g in state.groupings {
            if g.labels.len() != g.tallies.len() {
                return Err(bad(
                    &g.name,
                    crate::error::Reason::new(
                        "one tally per label is needed",
                        "mỗi nhãn cần một bảng đếm",
                    ),
                    g.labels.len().to_string(),
                ));
            }
            let mut grouping = Grouping::new(&g.name);
            for (label, tally) in g.labels.iter().zip(g.tallies) {
                // New only if it takes the next key: a label seen before (even just before)
                // gets its old one.
                let next = grouping.labels.len();
                let k = grouping.key(label) as usize;
                if k != next {
                    return Err(bad(
                        &g.name,
                        crate::error::Reason::new(
                            "a label appears twice",
                            "một nhãn xuất hiện hai lần",
                        ),
                        label.clone(),
                    ));
                }
                grouping.tallies[k] = tally;
            }
            groupings.push(grouping);
        }
        if saved.rejected.len() as u64 > state.rejected_count {
            return Err(bad(
                "rejected",
                crate::error::Reason::new(
                    "more rows listed than counted",
                    "số dòng liệt kê nhiều hơn số đã đếm",
                ),
                saved.rejected.len().to_string(),
            ));
        }
        // One source of truth: every tally consistent, the national total (the households
        // outside the first grouping plus its groups) within range, and no other grouping
        // counting more households than the nation has.
        let tally_error = |field: &str, reason| Err::<(), _>(bad(field, reason, "state".into()));
        if let Err(r) = state.rest.check(&spec) {
            tally_error("rest", r)?;
        }
        let mut total = state.rest.clone();
        for g in &groupings {
            for (label, t) in g.labels.iter().zip(&g.tallies) {
                if let Err(r) = t.check(&spec) {
                    tally_error(&format!("{}.{label}", g.name), r)?;
                }
            }
        }
        if let Some(first) = groupings.first() {
            for t in &first.tallies {
                let Some(sum) = total.checked_sum(t) else {
                    return Err(bad(
                        &first.name,
                        crate::error::Reason::new(
                            "counts too large to add",
                            "số đếm quá lớn để cộng",
                        ),
                        "state".into(),
                    ));
                };
                total = sum;
            }
        }
        if let Err(r) = total.check(&spec) {
            tally_error("total", r)?;
        }
        let rows = (0..5).try_fold(state.rejected_count, |a, c| {
            a.checked_add(total.households[c])
        });
        if rows.is_none() {
            tally_error(
                "rejected_count",
                crate::error::Reason::new("counts too large to add", "số đếm quá lớn để cộng"),
            )?;
        }
        for g in groupings.iter().skip(1) {
            let mut in_groups = Tally::default();
            for t in &g.tallies {
                match in_groups.checked_sum(t) {
                    Some(s) => in_groups = s,
                    None => in_groups.households[0] = u64::MAX,
                }
            }
            if (0..5).any(|c| in_groups.households[c] > total.households[c]) {
                tally_error(
                    &g.name,
                    crate::error::Reason::new(
                        "a grouping counts more households than the whole population",
                        "một cách phân nhóm đếm nhiều hộ hơn toàn bộ dân số",
                    ),
                )?;
            }
        }
        // The rejected rows, typed as they were; the document's list must be the same rows.
        let mut rejected = Vec::with_capacity(state.rejected.len());
        for (i, r) in state.rejected.into_iter().enumerate() {
            let Some(kind) = crate::error::known_kind(&r.kind) else {
                return Err(bad(
                    "state.rejected.kind",
                    crate::error::Reason::new(
                        "not a kind of error this crate gives",
                        "không phải loại lỗi mà thư viện này đưa ra",
                    ),
                    r.kind,
                ));
            };
            let listed = saved.rejected.get(i);
            if !listed.is_some_and(|d| d.line == r.line && d.id == r.id && d.error == r.en) {
                return Err(bad(
                    "rejected",
                    crate::error::Reason::new(
                        "the listed rejected rows differ from the state's",
                        "danh sách dòng bị loại khác với trạng thái đã lưu",
                    ),
                    format!("{}", r.line),
                ));
            }
            rejected.push(Rejected {
                line: r.line,
                id: r.id,
                error: Error::from(ErrorKind::Restored {
                    kind,
                    field: r.field,
                    en: r.en,
                    vi: r.vi,
                }),
            });
        }
        if saved.rejected.len() != rejected.len() || rejected.len() as u64 > state.rejected_count {
            return Err(bad(
                "rejected",
                crate::error::Reason::new(
                    "more rejected rows listed than counted, or listed outside the state",
                    "số dòng bị loại được liệt kê nhiều hơn số đã đếm, hoặc không có trong trạng thái",
                ),
                saved.rejected.len().to_string(),
            ));
        }
        let ngroupings = groupings.len();
        let precision = state
            .precision
            .map(|p| {
                precision::PrecisionTally::from_saved(p, ngroupings, spec.max_score() as f64)
                    .map(Box::new)
            })
            .transpose()?;
        let report = Report {
            precision,
            standard: saved.standard,
            fingerprint: standard.fingerprint(),
            spec,
            rejected_count: state.rejected_count,
            rest: state.rest,
            groupings,
            rejected,
            keep_rejected: state.keep_rejected,
            ignored_columns: state.ignored_columns,
            weighted: state.weighted,
            precision_pool: None,
        };
        report.check_document(text)?;
        Ok(report)
    }

    /// The figures of a saved document must be the ones its state gives: one source of
    /// truth, so a saved report never carries two values for one rate.
    fn check_document(&self, text: &str) -> Result<()> {
        let (Ok(Value::Object(doc)), Ok(Value::Object(derived))) = (
            serde_json::from_str::<Value>(text),
            serde_json::to_value(self),
        ) else {
            return Ok(()); // read above; a report always serializes to an object
        };
        let mut keys: Vec<&String> = doc.keys().chain(derived.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            if key != "state" && doc.get(key) != derived.get(key) {
                return Err(Error::from(ErrorKind::InvalidValue {
                    field: format!("saved report: {key}"),
                    value: crate::error::excerpt(
                        &doc.get(key).map(|v| v.to_string()).unwrap_or_default(),
                    ),
                    reason: crate::error::Reason::new(
                        "the figures differ from the ones the saved state gives",
                        "số liệu khác với số liệu mà trạng thái đã lưu cho ra",
                    ),
                }));
            }
        }
        Ok(())
    }
}

/// A [`Report`] as its JSON document, serialized group by group ([`Report::json`]).
#[derive(Debug, Clone)]
pub struct ReportJson<'r> {
    report: &'r Report,
    top: Map<String, Value>,
}

impl ReportJson<'_> {
    /// Adds a top-level key (not `groups`, which is the report's own).
    pub fn with(mut self, key: &str, value: Value) -> Self {
        if key != "groups" {
            self.top.insert(key.to_owned(), value);
        }
        self
    }
}

impl Serialize for ReportJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.top.len()))?;
        for (k, v) in &self.top {
            if k == "groups" {
                map.serialize_entry(k, &GroupsJson(self.report))?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// The `groups` object: groupings by name, each its groups by label, both sorted.
struct GroupsJson<'r>(&'r Report);

impl Serialize for GroupsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        // A name given twice keeps its last grouping, as a map of names would.
        let mut names: Vec<(&str, &Grouping)> = Vec::new();
        for g in &self.0.groupings {
            names.retain(|(n, _)| *n != g.name);
            names.push((&g.name, g));
        }
        names.sort_by(|a, b| a.0.cmp(b.0));
        let mut map = s.serialize_map(Some(names.len()))?;
        for (name, g) in names {
            map.serialize_entry(name, &LabelsJson(g, self.0))?;
        }
        map.end()
    }
}

/// One grouping's groups by label, each block built only as it is written.
struct LabelsJson<'r>(&'r Grouping, &'r Report);

impl Serialize for LabelsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let report = self.1;
        let g = report
            .groupings
            .iter()
            .position(|x| std::ptr::eq(x, self.0));
        // Precision per group: a design that cannot give a variance says so once, at the top.
        let precision = report
            .precision
            .as_deref()
            .filter(|p| p.check(report.rejected_rows()).is_ok())
            .map(|p| (p, p.layout()))
            .zip(g);
        let groups = self.0.groups();
        let mut map = s.serialize_map(Some(groups.len()))?;
        for (label, t) in groups {
            let mut block = t.to_json(&report.spec);
            if let (Some(((p, layout), g)), Value::Object(m)) = (&precision, &mut block) {
                m.insert(
                    "precision".into(),
                    report.block(p, layout, Some((*g, label))).to_json(false),
                );
            }
            map.serialize_entry(label, &block)?;
        }
        map.end()
    }
}

/// The options of every population report, built with its methods: the groupings, the
/// Alkire–Foster settings, how many rejected rows to list, whether rows are survey-weighted,
/// and for a households table the threads, the record limit and a progress callback. One
/// builder serves the slice ([`report_with`]), the iterator ([`report_rows`]), the CSV reader
/// ([`csv::read_report`]) and the impact ([`impact::read_impact`]).
///
/// ```
/// use chuan_ngheo::population::ReportOptions;
/// let options = ReportOptions::new().group_by("province").group_by("district").threads(2);
/// assert_eq!(options.group_by, ["province", "district"]);
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ReportOptions<'a> {
    /// Columns to group by.
    pub group_by: Vec<String>,
    /// Worker threads; 0 = the machine's available parallelism. More than the machine has
    /// are not started: they would only compete for the same cores.
    pub threads: usize,
    /// Rejected rows to list (all are counted); 0 = [`KEEP_REJECTED`].
    pub keep_rejected: usize,
    /// Alkire–Foster weighting and cut-off; default: equal weights, the standard's cut-off.
    pub af: Option<AfSpec>,
    /// Called with the number of rows read so far, after each block.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// The longest record (and header) read, in bytes; 0 = 1 MiB. At most 1 GiB.
    pub max_record_bytes: usize,
    /// Rows carry survey weights (for [`report_rows`]; a table says so by its `weight`
    /// column, a slice by its weights).
    pub weighted: bool,
    /// Survey precision ([`precision`]): a households table then needs a `weight` column and
    /// may give `stratum` and `psu`.
    pub precision: Option<precision::PrecisionOptions>,
    /// The most members one household may list in the two-table facts form; a household
    /// with more is rejected as a whole. 0 = 100 (`csv::MAX_MEMBERS`).
    pub max_members: usize,
    /// Movers an impact lists (all are counted); 0 = [`impact::KEEP_MOVERS`] (1,000),
    /// `usize::MAX` = every one ([`ReportOptions::every_mover`]).
    pub keep_movers: usize,
}

impl<'a> ReportOptions<'a> {
    /// The defaults: no grouping, every core, 100 rejected rows listed, equal AF weights at the
    /// standard's cut-off, 1 MiB records.
    pub fn new() -> Self {
        ReportOptions::default()
    }

    /// Also groups by `column` (any number of columns).
    pub fn group_by(mut self, column: impl Into<String>) -> Self {
        self.group_by.push(column.into());
        self
    }

    /// Groups by these columns, in this order (replacing any given before).
    pub fn group_by_all<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.group_by = columns.into_iter().map(Into::into).collect();
        self
    }

    /// Worker threads (0 = the machine's parallelism; more than it has are not started).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// Rejected rows to list (all are counted).
    pub fn keep_rejected(mut self, rows: usize) -> Self {
        self.keep_rejected = rows;
        self
    }

    /// Alkire–Foster weighting and cut-off.
    pub fn af(mut self, spec: AfSpec) -> Self {
        self.af = Some(spec);
        self
    }

    /// Called with the number of rows read so far, after each block.
    pub fn progress(mut self, report: &'a (dyn Fn(u64) + Sync)) -> Self {
        self.progress = Some(report);
        self
    }

    /// The longest record (and header) read, in bytes (at most 1 GiB).
    pub fn max_record_bytes(mut self, bytes: usize) -> Self {
        self.max_record_bytes = bytes;
        self
    }

    /// The most members one household may list in the two-table facts form (0 = 100); a
    /// household with more is rejected as a whole, its rows read but not kept.
    pub fn max_members(mut self, members: usize) -> Self {
        self.max_members = members;
        self
    }

    /// Movers an impact lists, in input order (all are counted; 0 = 1,000).
    pub fn keep_movers(mut self, movers: usize) -> Self {
        self.keep_movers = movers;
        self
    }

    /// An impact lists every mover (memory grows with them).
    pub fn every_mover(self) -> Self {
        self.keep_movers(usize::MAX)
    }

    /// The movers limit in force.
    pub(crate) fn movers_limit(&self) -> usize {
        if self.keep_movers == 0 {
            impact::KEEP_MOVERS
        } else {
            self.keep_movers
        }
    }

    /// The members limit in force.
    #[cfg(feature = "csv")]
    pub(crate) fn members_limit(&self) -> usize {
        if self.max_members == 0 {
            csv::MAX_MEMBERS
        } else {
            self.max_members
        }
    }

    /// Rows carry survey weights ([`report_rows`]).
    pub fn weighted(mut self, weighted: bool) -> Self {
        self.weighted = weighted;
        self
    }

    /// Adds survey precision: standard errors and 95% intervals for every rate and measure
    /// ([`precision`]). A households table may give `stratum` and `psu`; in memory (and in a
    /// table without them) each household is its own PSU in one stratum.
    ///
    /// ```
    /// use chuan_ngheo::population::precision::PrecisionOptions;
    /// use chuan_ngheo::population::{report_rows, ReportOptions, Row};
    /// use chuan_ngheo::{Area, Household, Standard, Vnd};
    ///
    /// let s = Standard::builtin("vn-2022-2025")?;
    /// // 100 households, a quarter of them poor by income and deprivations, weight 1.
    /// let three = s.indicators().iter().take(3).collect();
    /// let rows = (0..100).map(|i| Row {
    ///     household: Household::new(Area::Rural, 4, Vnd::from_dong(1_000_000))
    ///         .with_deprivations(if i % 4 == 0 { three } else { Default::default() }),
    ///     weight: 1.0,
    ///     labels: [""; 0],
    /// });
    /// let options = ReportOptions::new().precision(PrecisionOptions::default());
    /// let r = report_rows::<_, _, &str>(s, &options, rows)?;
    /// let poor = *r.precision().unwrap()?.get("rates.poor").unwrap();
    /// assert_eq!(poor.estimate, 0.25);
    /// // The binomial standard error, sqrt(p(1-p)/(n-1)).
    /// assert!((poor.se - (0.25f64 * 0.75 / 99.0).sqrt()).abs() < 1e-12);
    /// # Ok::<(), chuan_ngheo::Error>(())
    /// ```
    pub fn precision(mut self, options: precision::PrecisionOptions) -> Self {
        self.precision = Some(options);
        self
    }

    /// An empty report for `standard` with these options and these groupings.
    pub(crate) fn empty_report(&self, standard: &Standard, group_by: &[&str]) -> Result<Report> {
        let mut report = self.apply(Report::new(standard, group_by))?;
        report.set_weighted(self.weighted || self.precision.is_some());
        Ok(report)
    }

    /// `report` with these options' Alkire–Foster settings and rejected-row listing.
    fn apply(&self, mut report: Report) -> Result<Report> {
        // In memory there is no design: each household is its own PSU (a table's reader
        // replaces this with its design when it has stratum and psu columns).
        if let Some(p) = self.precision {
            report = report.with_precision(p, false);
        }
        if let Some(spec) = &self.af {
            report = report.with_af(spec.clone())?;
        }
        if self.keep_rejected > 0 {
            report = report.keep_rejected(self.keep_rejected);
        }
        Ok(report)
    }
}

/// A grouping column of an in-memory population: a label table and one key per household.
#[derive(Debug, Clone, Copy)]
pub struct GroupColumn<'a> {
    /// The column's name (`province`).
    pub name: &'a str,
    /// The labels; key `k` is `labels[k]`.
    pub labels: &'a [String],
    /// One key per household.
    pub keys: &'a [u32],
}

/// An in-memory population: households, optional survey weights, grouping columns.
#[derive(Debug, Clone)]
pub struct Population<'a> {
    /// The households.
    pub households: &'a [Household],
    /// One survey weight per household, if weighted.
    pub weights: Option<&'a [f64]>,
    /// Grouping columns, each with one key per household.
    pub groups: Vec<GroupColumn<'a>>,
}

impl Population<'_> {
    /// An empty report with the population's groupings, and for each grouping the key of each
    /// label index (labels repeated in a table share one key).
    fn empty_report(&self, standard: &Standard) -> (Report, Vec<Vec<u32>>) {
        let names: Vec<&str> = self.groups.iter().map(|g| g.name).collect();
        let mut r = Report::new(standard, &names);
        let remap = self
            .groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                g.labels
                    .iter()
                    .map(|l| r.group_key(gi, l).unwrap_or(u32::MAX))
                    .collect()
            })
            .collect();
        r.set_weighted(self.weights.is_some());
        (r, remap)
    }

    fn fold(
        &self,
        standard: &Standard,
        range: std::ops::Range<usize>,
        remap: &[Vec<u32>],
        mut r: Report,
    ) -> Report {
        // One key per grouping, however many: on the stack up to eight, else allocated once
        // per call, never per household.
        let ng = self.groups.len();
        let (mut stack, mut heap) = ([0u32; MAX_STACK_GROUPS], Vec::new());
        let keys: &mut [u32] = if ng <= MAX_STACK_GROUPS {
            &mut stack[..ng]
        } else {
            heap.resize(ng, 0);
            &mut heap
        };
        for i in range {
            for ((g, map), k) in self.groups.iter().zip(remap).take(ng).zip(keys.iter_mut()) {
                // A household without a valid key is counted in the total only.
                *k = g
                    .keys
                    .get(i)
                    .and_then(|k| map.get(*k as usize))
                    .copied()
                    .unwrap_or(u32::MAX);
            }
            let w = self.weights.and_then(|w| w.get(i)).copied().unwrap_or(1.0);
            r.classify_and_add(standard, i as u64 + 1, &self.households[i], w, &keys[..ng]);
        }
        r
    }
}

/// The report of an in-memory population under a standard, grouped by any number of columns.
/// Every household is accounted for: classified, indeterminate or rejected (line = index + 1).
pub fn report(standard: &Standard, population: &Population<'_>) -> Report {
    let (r, remap) = population.empty_report(standard);
    population.fold(standard, 0..population.households.len(), &remap, r)
}

/// One household as it streams into [`report_stream`]: its survey weight (1 if unweighted)
/// and one label per grouping column. The labels may be borrowed (`&["04"]`) or owned
/// (`vec![province, district]`, as a database cursor hands them over).
#[derive(Debug, Clone, Copy)]
pub struct Row<L> {
    /// The household.
    pub household: Household,
    /// Its survey weight.
    pub weight: f64,
    /// One label per grouping column, in the order of `group_by`.
    pub labels: L,
}

/// The report of households as they stream by (from a database cursor, a channel, a
/// generator): nothing is kept but the tallies. Rows are numbered from 1 in the order they
/// come; every one is classified, indeterminate or rejected (a row whose number of labels is
/// not the number of grouping columns, or whose weight is not a finite number >= 0, is
/// rejected).
///
/// ```
/// use chuan_ngheo::population::{report_stream, Row};
/// use chuan_ngheo::{Area, Household, Standard, Vnd};
///
/// let s = Standard::builtin("vn-2027-2030")?;
/// let rows = (0..1000).map(|i| Row {
///     household: Household::new(Area::Rural, 4, Vnd::from_dong(1_000 * i)),
///     weight: 1.0,
///     labels: &["04"],
/// });
/// let r = report_stream(s, &["province"], false, rows);
/// assert_eq!(r.input().rows, 1000);
/// assert_eq!(r.grouping("province").unwrap().get("04").unwrap().classified(), 1000);
///
/// // Owned labels, as rows come from a database cursor.
/// let rows = (0..10).map(|i| Row {
///     household: Household::new(Area::Urban, 2, Vnd::from_dong(3_000_000)),
///     weight: 1.0,
///     labels: vec![format!("{:02}", i % 2)],
/// });
/// let r = report_stream(s, &["province"], false, rows);
/// assert_eq!(r.grouping("province").unwrap().get("01").unwrap().classified(), 5);
/// # Ok::<(), chuan_ngheo::Error>(())
/// ```
pub fn report_stream<I, L, S>(
    standard: &Standard,
    group_by: &[&str],
    weighted: bool,
    rows: I,
) -> Report
where
    I: IntoIterator<Item = Row<L>>,
    L: AsRef<[S]>,
    S: AsRef<str>,
{
    let mut r = Report::new(standard, group_by);
    r.set_weighted(weighted);
    stream_into(r, standard, group_by, rows)
}

/// The rows into an empty report `r` (see [`report_stream`]).
fn stream_into<I, L, S>(mut r: Report, standard: &Standard, group_by: &[&str], rows: I) -> Report
where
    I: IntoIterator<Item = Row<L>>,
    L: AsRef<[S]>,
    S: AsRef<str>,
{
    // One key per grouping, however many: allocated once, not per row.
    let ng = group_by.len();
    let mut keys = vec![u32::MAX; ng];
    for (i, row) in rows.into_iter().enumerate() {
        let line = i as u64 + 1;
        let labels = row.labels.as_ref();
        if labels.len() != group_by.len() {
            // A row must not borrow the previous row's group for a label it lacks.
            r.reject(
                line,
                None,
                Error::from(ErrorKind::InvalidValue {
                    field: "labels".into(),
                    value: format!(
                        "{} labels for {} grouping columns",
                        labels.len(),
                        group_by.len()
                    ),
                    reason: crate::error::Reason::new(
                        "a row needs one label per grouping column",
                        "mỗi dòng cần một nhãn cho mỗi cột phân nhóm",
                    ),
                }),
            );
            continue;
        }
        for (g, (k, label)) in keys.iter_mut().zip(labels).take(ng).enumerate() {
            *k = r.group_key(g, label.as_ref()).unwrap_or(u32::MAX);
        }
        r.classify_and_add(standard, line, &row.household, row.weight, &keys[..ng]);
    }
    r
}

/// [`report_stream`] with the options of every report: the groupings, the Alkire–Foster
/// settings, the rejected rows listed, whether rows are weighted.
///
/// ```
/// use chuan_ngheo::population::{report_rows, ReportOptions, Row};
/// use chuan_ngheo::{Area, Household, Standard, Vnd};
/// let s = Standard::builtin("vn-2022-2025")?;
/// let rows = (0..4).map(|i| Row {
///     household: Household::new(Area::Rural, 4, Vnd::from_dong(1_000_000)),
///     weight: 1.0 + i as f64,
///     labels: ["04"],
/// });
/// let options = ReportOptions::new().group_by("province").weighted(true);
/// let r = report_rows(s, &options, rows)?;
/// assert!(r.is_weighted());
/// assert_eq!(r.grouping("province").unwrap().get("04").unwrap().classified(), 4);
/// # Ok::<(), chuan_ngheo::Error>(())
/// ```
pub fn report_rows<I, L, S>(
    standard: &Standard,
    options: &ReportOptions<'_>,
    rows: I,
) -> Result<Report>
where
    I: IntoIterator<Item = Row<L>>,
    L: AsRef<[S]>,
    S: AsRef<str>,
{
    let names: Vec<&str> = options.group_by.iter().map(String::as_str).collect();
    let r = options.empty_report(standard, &names)?;
    Ok(stream_into(r, standard, &names, rows))
}

/// [`report`] with the options of every report: the Alkire–Foster settings and the rejected
/// rows listed (the groupings and weights are the population's own).
pub fn report_with(
    standard: &Standard,
    population: &Population<'_>,
    options: &ReportOptions<'_>,
) -> Result<Report> {
    let (r, remap) = population.empty_report(standard);
    let r = options.apply(r)?;
    Ok(population.fold(standard, 0..population.households.len(), &remap, r))
}

/// [`report`] with another Alkire–Foster weighting or cut-off.
pub fn report_with_af(standard: &Standard, population: &Population<'_>, af: AfSpec) -> Report {
    let (mut r, remap) = population.empty_report(standard);
    r.spec = af;
    population.fold(standard, 0..population.households.len(), &remap, r)
}

/// [`report`] split across rayon's threads, in chunks merged in order (the same counts; float
/// sums may differ in the last bits).
#[cfg(feature = "rayon")]
#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
pub fn report_par(standard: &Standard, population: &Population<'_>) -> Report {
    use rayon::prelude::*;
    const CHUNK: usize = 1 << 16;
    let n = population.households.len();
    let (base, remap) = population.empty_report(standard);
    let parts: Vec<Report> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            population.fold(
                standard,
                c * CHUNK..((c + 1) * CHUNK).min(n),
                &remap,
                base.clone(),
            )
        })
        .collect();
    let mut total = base;
    for p in &parts {
        // Same standard and groupings by construction: a failure is a bug, said loudly in
        // debug builds.
        let merged = total.merge(p);
        debug_assert!(merged.is_ok(), "parts of one report merge: {merged:?}");
    }
    total
}
