//! The impact of a change of standard on a population: the same households classified under
//! a base and another standard in one pass.
//!
//! Each household is read once with the indicator columns of both standards and seen by each
//! standard through its own indicators. An indicator that one standard lacks is listed in the
//! impact, never guessed: a household's deprivation in it counts only under the standard
//! that has it.

use serde_json::{json, Map, Value};

use crate::classify::PovertyClass;
use crate::error::{Error, Result};
use crate::household::Household;
use crate::indicator::{Indicator, IndicatorSet};
use crate::population::{Grouping, Report};
use crate::standard::Standard;

/// Index of "rejected" in an impact matrix ([`crate::ClassMatrix::OUTSIDE`]).
pub const REJECTED: usize = crate::classify::ClassMatrix::OUTSIDE;

/// Movers listed in an impact by default (all are counted).
pub const KEEP_MOVERS: usize = 1000;

/// A household whose class differs between the two standards.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Mover {
    /// Line (CSV) or position + 1 (slices).
    pub line: u64,
    /// The household's id.
    pub id: String,
    /// Class under the base standard.
    pub from: PovertyClass,
    /// Class under the other standard.
    pub to: PovertyClass,
}

type Matrix = crate::classify::ClassMatrix;

/// The comparison of two standards on one population.
#[derive(Debug, Clone)]
pub struct Impact {
    /// The report under the base standard.
    pub before: Report,
    /// The report under the other standard.
    pub after: Report,
    matrix: Matrix,
    groups: Grouping,
    group_matrices: Vec<Matrix>,
    movers: Vec<Mover>,
    movers_total: u64,
    keep_movers: usize,
    only_in_base: IndicatorSet,
    only_in_other: IndicatorSet,
}

impl Impact {
    /// An empty impact of `other` against `base`, grouped by the named columns (the first one
    /// also gets a class matrix per group).
    pub fn new(base: &Standard, other: &Standard, group_by: &[&str]) -> Impact {
        Impact {
            before: Report::new(base, group_by),
            after: Report::new(other, group_by),
            matrix: Matrix::default(),
            groups: Grouping::new(group_by.first().copied().unwrap_or("")),
            group_matrices: Vec::new(),
            movers: Vec::new(),
            movers_total: 0,
            keep_movers: KEEP_MOVERS,
            only_in_base: base.indicators().difference(other.indicators()),
            only_in_other: other.indicators().difference(base.indicators()),
        }
    }

    /// Lists up to `n` movers (all are counted). Set it before households are added: movers
    /// past the limit are not kept, so raising it afterwards brings none back. The readers
    /// take it from [`ReportOptions::keep_movers`](crate::population::ReportOptions::keep_movers).
    pub fn keep_movers(mut self, n: usize) -> Impact {
        self.keep_movers = n;
        self
    }

    /// Indicators of the base standard that the other lacks.
    pub fn only_in_base(&self) -> IndicatorSet {
        self.only_in_base
    }

    /// Indicators of the other standard that the base lacks.
    pub fn only_in_other(&self) -> IndicatorSet {
        self.only_in_other
    }

    /// Class matrix: `matrix()[from][to]`, classes by [`PovertyClass::index`], [`REJECTED`] for
    /// a row rejected under that standard. It sums to every row of the input.
    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    /// Households that change class (both classified, classes differ).
    pub fn movers_total(&self) -> u64 {
        self.movers_total
    }

    /// The listed movers, in input order.
    pub fn movers(&self) -> &[Mover] {
        &self.movers
    }

    /// The class matrix of each group of the first grouping, sorted by label.
    pub fn group_matrices(&self) -> Vec<(&str, &Matrix)> {
        let mut v: Vec<_> = self
            .groups
            .labels()
            .iter()
            .map(String::as_str)
            .zip(&self.group_matrices)
            .collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    }

    /// Adds one household: `household` carries the indicators of both standards.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn add(
        &mut self,
        base: &Standard,
        other: &Standard,
        line: u64,
        id: &[u8],
        household: &Household,
        weight: f64,
        labels: &[&[u8]],
    ) {
        let b = Ok(household.restricted_to(base.indicators()));
        let o = Ok(household.restricted_to(other.indicators()));
        self.add_each(base, other, line, id, b, o, weight, labels);
    }

    /// Adds one household seen by each standard on its own (facts evaluated by each
    /// standard's rules): a side that could not be read is rejected on that side.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub(crate) fn add_each(
        &mut self,
        base: &Standard,
        other: &Standard,
        line: u64,
        id: &[u8],
        in_base: Result<Household>,
        in_other: Result<Household>,
        weight: f64,
        labels: &[&[u8]],
    ) {
        let side = |report: &mut Report, standard: &Standard, h: Result<Household>| -> usize {
            match h {
                Ok(h) => report
                    .classify_labelled(standard, line, id, &h, weight, labels)
                    .map_or(REJECTED, PovertyClass::index),
                Err(e) => {
                    report.reject(line, Some(crate::error::excerpt_bytes(id)), e);
                    REJECTED
                }
            }
        };
        let from = side(&mut self.before, base, in_base);
        let to = side(&mut self.after, other, in_other);
        self.count(from, to, labels.first().copied());
        if from != to && from != REJECTED && to != REJECTED {
            self.movers_total += 1;
            if self.movers.len() < self.keep_movers {
                let class = |i: usize| {
                    PovertyClass::DETERMINATE
                        .get(i)
                        .copied()
                        .unwrap_or(PovertyClass::Indeterminate)
                };
                self.movers.push(Mover {
                    line,
                    id: String::from_utf8_lossy(id).into_owned(),
                    from: class(from),
                    to: class(to),
                });
            }
        }
    }

    fn count(&mut self, from: usize, to: usize, label: Option<&[u8]>) {
        self.matrix[from][to] += 1;
        if let Some(l) = label {
            let k = self.groups.key_bytes(l);
            if k == crate::population::NO_LABEL {
                return;
            }
            let k = k as usize;
            if self.group_matrices.len() <= k {
                self.group_matrices.resize(k + 1, Matrix::default());
            }
            self.group_matrices[k][from][to] += 1;
        }
    }

    /// A row that could not be read: rejected under both standards.
    pub fn reject(&mut self, line: u64, id: Option<String>, error: Error) {
        self.before.reject(line, id.clone(), error.clone());
        self.after.reject(line, id, error);
        self.count(REJECTED, REJECTED, None);
    }

    /// Adds an impact of the lines that follow this one's.
    pub fn merge(&mut self, later: &Impact) -> Result<()> {
        self.before.merge(&later.before)?;
        self.after.merge(&later.after)?;
        self.matrix.merge(&later.matrix);
        for (label, m) in later.groups.labels().iter().zip(&later.group_matrices) {
            let k = self.groups.key(label) as usize;
            if self.group_matrices.len() <= k {
                self.group_matrices.resize(k + 1, Matrix::default());
            }
            self.group_matrices[k].merge(m);
        }
        self.movers_total += later.movers_total;
        self.movers.extend(later.movers.iter().cloned());
        self.movers.truncate(self.keep_movers);
        Ok(())
    }

    /// Shifts recorded line numbers.
    pub fn shift_lines(&mut self, lines: u64) {
        self.before.shift_lines(lines);
        self.after.shift_lines(lines);
        for m in &mut self.movers {
            m.line = m.line.saturating_add(lines);
        }
    }

    /// Groups of the first grouping by how much their poor rate changes, largest change first:
    /// (label, households, poor rate before, poor rate after, movers).
    pub fn most_affected(&self) -> Vec<GroupImpact> {
        let (Some(gb), Some(ga)) = (
            self.before.groupings().first(),
            self.after.groupings().first(),
        ) else {
            return Vec::new();
        };
        let mut out: Vec<GroupImpact> = gb
            .groups()
            .into_iter()
            .map(|(label, tb)| {
                let after = ga.get(label);
                let movers = self
                    .groups
                    .key_of(label)
                    .and_then(|k| self.group_matrices.get(k as usize))
                    .map_or(0, moved);
                GroupImpact {
                    label: label.to_owned(),
                    households: tb.classified() + tb.indeterminate(),
                    poor_before: tb.rate(PovertyClass::Poor),
                    poor_after: after.map_or(0.0, |t| t.rate(PovertyClass::Poor)),
                    movers,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (b.poor_after - b.poor_before)
                .abs()
                .total_cmp(&(a.poor_after - a.poor_before).abs())
                .then(a.label.cmp(&b.label))
        });
        out
    }

    /// The impact as JSON.
    pub fn to_json(&self) -> Value {
        let names = [
            "poor",
            "near_poor",
            "average_living_standard",
            "not_poor",
            "indeterminate",
            "rejected",
        ];
        let matrix = |m: &Matrix| {
            Value::Object(
                names
                    .iter()
                    .zip(m.iter())
                    .map(|(from, row)| {
                        (
                            from.to_string(),
                            Value::Object(
                                names
                                    .iter()
                                    .zip(row)
                                    .map(|(to, n)| (to.to_string(), (*n).into()))
                                    .collect(),
                            ),
                        )
                    })
                    .collect(),
            )
        };
        let summary = |r: &Report| {
            let j = r.to_json();
            json!({"standard": j["standard"], "input": j["input"], "households": j["households"], "rates": j["rates"], "persons": j["persons"], "af": j["af"]})
        };
        let list = |s: IndicatorSet| s.iter().map(Indicator::code).collect::<Vec<_>>();
        let groups: Map<String, Value> = self
            .group_matrices()
            .into_iter()
            .map(|(l, m)| (l.to_owned(), matrix(m)))
            .collect();
        json!({
            "base": summary(&self.before),
            "other": summary(&self.after),
            "matrix": matrix(&self.matrix),
            "movers": {"total": self.movers_total, "listed": self.movers},
            "indicators_only_in_base": list(self.only_in_base),
            "indicators_only_in_other": list(self.only_in_other),
            "most_affected": self.most_affected(),
            "group_matrices": groups,
        })
    }
}

fn moved(m: &Matrix) -> u64 {
    (0..5)
        .flat_map(|i| (0..5).map(move |j| (i, j)))
        .filter(|(i, j)| i != j)
        .map(|(i, j)| m[i][j])
        .sum()
}

/// How one group fares under the change.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupImpact {
    /// The group's label.
    pub label: String,
    /// Households classified under the base standard.
    pub households: u64,
    /// Poor rate under the base standard.
    pub poor_before: f64,
    /// Poor rate under the other standard.
    pub poor_after: f64,
    /// Households that change class.
    pub movers: u64,
}

impl serde::Serialize for Impact {
    /// The impact document the policy_change example prints ([`Impact::to_json`]).
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

/// An impact being filled from a households table (a [`crate::population::csv::RowSink`]).
#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
#[derive(Debug, Clone)]
pub struct ImpactSink<'s> {
    /// The base standard.
    pub base: &'s Standard,
    /// The other standard.
    pub other: &'s Standard,
    /// The impact.
    pub impact: Impact,
}

#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
impl crate::population::csv::RowSink for ImpactSink<'_> {
    #[inline]
    fn household(
        &mut self,
        line: u64,
        id: &[u8],
        household: &Household,
        weight: f64,
        labels: &[&[u8]],
    ) {
        self.impact
            .add(self.base, self.other, line, id, household, weight, labels);
    }
    fn rejected(&mut self, line: u64, id: Option<String>, error: Error) {
        self.impact.reject(line, id, error);
    }
    fn merge_from(&mut self, later: &Self) {
        // Same standards and groupings by construction: a failure is a bug, said loudly in
        // debug builds.
        let merged = self.impact.merge(&later.impact);
        debug_assert!(merged.is_ok(), "blocks of one read merge: {merged:?}");
    }
    fn shift_lines(&mut self, lines: u64) {
        self.impact.shift_lines(lines);
    }
    fn rows(&self) -> u64 {
        self.impact.before.input().rows
    }
}

/// Reads a households table once and compares `other` with `base` on it. The table needs the
/// indicator columns of both standards.
#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub fn read_impact<R: std::io::Read>(
    reader: R,
    base: &Standard,
    other: &Standard,
    options: &crate::population::csv::CsvOptions<'_>,
) -> Result<Impact> {
    let indicators = base.indicators().union(other.indicators());
    let sink = crate::population::csv::read_table(reader, indicators, options, |header| {
        let names: Vec<&str> = options.group_by.iter().map(String::as_str).collect();
        let mut impact = Impact::new(base, other, &names).keep_movers(options.movers_limit());
        for r in [&mut impact.before, &mut impact.after] {
            r.set_weighted(header.weighted);
            r.set_ignored_columns(header.ignored_columns.clone());
        }
        Ok(ImpactSink {
            base,
            other,
            impact,
        })
    })?;
    Ok(sink.impact)
}

/// Reads the two-table facts form ([facts §5](crate::docs::facts)) once and compares `other`
/// with `base` on it, each standard deciding the deprivations from the facts by its own rules:
/// a reform of a rule (the floor area per person, an age band) shows whom it moves.
#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub fn read_facts_impact<H: std::io::Read, M: std::io::Read + Send>(
    households: H,
    members: M,
    base: &Standard,
    other: &Standard,
    options: &crate::population::csv::CsvOptions<'_>,
) -> Result<Impact> {
    use crate::population::csv::facts_tables::{needs_rules, read_facts_tables, FactsSink};
    needs_rules(base)?;
    needs_rules(other)?;
    struct Sink<'a> {
        base: &'a Standard,
        other: &'a Standard,
        impact: &'a mut Impact,
    }
    impl FactsSink for Sink<'_> {
        fn household(
            &mut self,
            line: u64,
            id: &[u8],
            area: crate::indicator::Area,
            income: crate::money::Vnd,
            facts: &crate::facts::HouseholdFacts,
            weight: f64,
            labels: &[&[u8]],
        ) {
            let side =
                |s: &Standard| crate::facts::evaluate(s, facts).map(|f| f.household(area, income));
            let (b, o) = (side(self.base), side(self.other));
            self.impact
                .add_each(self.base, self.other, line, id, b, o, weight, labels);
        }
        fn rejected(&mut self, line: u64, id: Option<String>, error: Error) {
            self.impact.reject(line, id, error);
        }
    }
    let names: Vec<&str> = options.group_by.iter().map(String::as_str).collect();
    let mut impact = Impact::new(base, other, &names).keep_movers(options.movers_limit());
    read_facts_tables(households, members, options, |header| {
        for r in [&mut impact.before, &mut impact.after] {
            r.set_weighted(header.weighted);
            r.set_ignored_columns(header.ignored_columns.clone());
        }
        Ok(Sink {
            base,
            other,
            impact: &mut impact,
        })
    })?;
    Ok(impact)
}

/// Compares `other` with `base` on in-memory households, each carrying the indicators of both
/// standards, grouped by the population's first grouping column.
pub fn impact(
    base: &Standard,
    other: &Standard,
    population: &crate::population::Population<'_>,
) -> Impact {
    impact_with(
        base,
        other,
        population,
        &crate::population::ReportOptions::new(),
    )
}

/// [`impact`] with options: how many movers to list ([`ReportOptions::keep_movers`],
/// [`ReportOptions::every_mover`]).
///
/// [`ReportOptions::keep_movers`]: crate::population::ReportOptions::keep_movers
/// [`ReportOptions::every_mover`]: crate::population::ReportOptions::every_mover
pub fn impact_with(
    base: &Standard,
    other: &Standard,
    population: &crate::population::Population<'_>,
    options: &crate::population::ReportOptions<'_>,
) -> Impact {
    let names: Vec<&str> = population.groups.iter().map(|g| g.name).collect();
    let mut out = Impact::new(base, other, &names).keep_movers(options.movers_limit());
    out.before.set_weighted(population.weights.is_some());
    out.after.set_weighted(population.weights.is_some());
    // One label per grouping, however many: allocated once, not per household.
    let ng = names.len();
    let mut labels: Vec<&[u8]> = vec![b""; ng];
    for (i, h) in population.households.iter().enumerate() {
        for (l, g) in labels.iter_mut().zip(&population.groups) {
            *l = g
                .keys
                .get(i)
                .and_then(|k| g.labels.get(*k as usize))
                .map_or(&b""[..], |s| s.as_bytes());
        }
        let w = population
            .weights
            .and_then(|w| w.get(i))
            .copied()
            .unwrap_or(1.0);
        // The id is the position + 1, written without allocating.
        let mut buf = [0u8; 20];
        let len = {
            use std::io::Write;
            let mut cursor = std::io::Cursor::new(&mut buf[..]);
            let _ = write!(cursor, "{}", i + 1);
            cursor.position() as usize
        };
        out.add(base, other, i as u64 + 1, &buf[..len], h, w, &labels[..ng]);
    }
    out
}
