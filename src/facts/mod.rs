//! Household facts (thông tin hộ gia đình): what an enumerator records on the review form, and
//! the indicator rules that turn those facts into deprivations
//! ([facts](crate::docs::facts) is the contract).
//!
//! Nobody observes a deprivation. The review records ages, schooling, health-insurance cards,
//! the floor area, the water source, the latrine…, and each standard's indicator rules decide
//! from them whether the household is deprived. Here those rules are data in the standard file
//! (each with its citation and provenance mark), so a local standard or a reform changes a
//! threshold without code.
//!
//! Every fact is optional: an absent fact is *unknown*, never false. A rule answers
//! deprived, not deprived or unknown, and an answer is known only when every way of filling
//! in the unknown facts gives that same answer.
//!
//! ```
//! use chuan_ngheo::facts::{self, Education, HouseholdFacts, MemberFacts};
//! use chuan_ngheo::{classify, Answer, Area, Indicator, Lang, PovertyClass, Standard, Vnd};
//!
//! let standard = Standard::builtin("vn-2022-2025")?;
//! let household = HouseholdFacts::builder()
//!     .floor_area_m2("30".parse().unwrap())
//!     .member(MemberFacts::new().age(40).health_insurance(true).in_school(false)
//!         .education(Education::UpperSecondary))
//!     .member(MemberFacts::new().age(17).health_insurance(true).in_school(false)
//!         .education(Education::Primary))
//!     .build();
//! let findings = facts::evaluate(&standard, &household)?;
//! assert_eq!(findings.answer(Indicator::AdultEducation), Answer::Deprived);
//! // Facts nobody recorded stay unknown: the water source was not asked.
//! assert_eq!(findings.answer(Indicator::Water), Answer::Unknown);
//!
//! let why = findings.explain(&standard, &household, Indicator::AdultEducation).unwrap();
//! assert!(why.reason.get(Lang::En).contains("member 2, aged 17, not in school"));
//!
//! let h = findings.household(Area::Rural, Vnd::from_dong(1_400_000));
//! assert_eq!(classify(&standard, &h)?.class(), PovertyClass::Indeterminate);
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

mod explain;
mod rule;
mod types;
pub(crate) mod words;

pub use explain::IndicatorFinding;
pub use rule::{
    AgeBand, FactRule, FactTest, HouseholdClause, MemberClause, RuleShape, ShareOfMembers,
    StructuresAtLeast,
};
pub use types::{
    Device, DeviceSet, Education, HouseholdFact, HouseholdFacts, HouseholdFactsBuilder, Labour,
    Latrine, Material, MemberFact, MemberFacts, RawHouseholdFacts, Waste, WaterSource, MAX_AGE,
};

pub(crate) use rule::CompiledRules;

use crate::error::{Error, ErrorKind, Result};
use crate::household::Household;
use crate::indicator::{Answer, Area, Indicator, IndicatorSet};
use crate::money::Vnd;
use crate::standard::Standard;

/// Why one indicator got its answer, kept to one byte so evaluation allocates and copies
/// next to nothing: which part of the rule decided. [`Findings::explain`] re-reads that part
/// (the member, the counts) when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Witness {
    /// The rule part (a leaf of the rule, in the order written) that decided; `u8::MAX` when
    /// every part was needed (an answer of "none of the conditions holds").
    pub leaf: u8,
}

impl Witness {
    pub(crate) const NONE: Witness = Witness { leaf: u8::MAX };
}

/// The answer of each indicator of a standard for one household, from its facts: deprived,
/// not deprived or unknown, with what decided each (see [`Findings::explain`]).
///
/// `Copy` and allocation-free: evaluating facts costs no heap traffic, and explanations are
/// built only on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Findings {
    deprived: IndicatorSet,
    unknown: IndicatorSet,
    members: u32,
    why: [Witness; Indicator::ALL.len()],
}

impl Findings {
    /// The indicators in which the household is deprived.
    pub fn deprivations(&self) -> IndicatorSet {
        self.deprived
    }

    /// The indicators whose answer the known facts do not settle.
    pub fn unknown(&self) -> IndicatorSet {
        self.unknown
    }

    /// The household size: the number of members listed.
    pub fn members(&self) -> u32 {
        self.members
    }

    /// The answer for one indicator (not deprived for an indicator outside the standard).
    pub fn answer(&self, indicator: Indicator) -> Answer {
        if self.deprived.contains(indicator) {
            Answer::Deprived
        } else if self.unknown.contains(indicator) {
            Answer::Unknown
        } else {
            Answer::NotDeprived
        }
    }

    /// The household as classification sees it: these deprivations and unknowns, the listed
    /// members, the given area and income.
    pub fn household(&self, area: Area, income_per_capita: Vnd) -> Household {
        Household::new(area, self.members, income_per_capita)
            .with_deprivations(self.deprived)
            .with_unknown(self.unknown)
    }

    /// Why `indicator` got its answer, in Vietnamese and English, naming the member and the
    /// facts used, with the rule's citation and provenance mark. `None` if the standard has
    /// no such indicator. `facts` must be the facts these findings were evaluated from.
    pub fn explain(
        &self,
        standard: &Standard,
        facts: &HouseholdFacts,
        indicator: Indicator,
    ) -> Option<IndicatorFinding> {
        explain::explain(self, standard, facts, indicator)
    }

    /// [`Findings::explain`] for every indicator of the standard, in the standard's order.
    pub fn explain_all(
        &self,
        standard: &Standard,
        facts: &HouseholdFacts,
    ) -> Vec<IndicatorFinding> {
        standard
            .indicator_specs()
            .iter()
            .filter_map(|s| self.explain(standard, facts, s.code))
            .collect()
    }

    pub(crate) fn witness(&self, indicator: Indicator) -> Witness {
        self.why[indicator as usize]
    }
}

/// Evaluates the standard's indicator rules on a household's facts: one answer per
/// indicator, by the three-valued principle of [facts §3](crate::docs::facts).
///
/// Errors: no members listed (`no_members`), an age over [`MAX_AGE`] or a negative floor
/// area (`invalid_fact`, naming the member and the field), and a standard with an indicator
/// that has no fact rule (`invalid_standard`: give that standard's households as
/// deprivations instead).
#[inline]
pub fn evaluate(standard: &Standard, facts: &HouseholdFacts) -> Result<Findings> {
    facts.check()?;
    let rules = standard.fact_rules().ok_or_else(|| {
        let missing = standard
            .indicator_specs()
            .iter()
            .find(|s| s.rule.is_none())
            .map_or("indicators", |s| s.code.code());
        Error::invalid_standard(
            standard.id(),
            format!("indicators.{missing}.rule"),
            "this standard has no fact rule for the indicator: classify its households from deprivations",
        )
    })?;
    let mut findings = Findings {
        deprived: IndicatorSet::EMPTY,
        unknown: IndicatorSet::EMPTY,
        members: facts.members.len() as u32,
        why: [Witness::NONE; Indicator::ALL.len()],
    };
    rules.evaluate(facts, |indicator, answer, witness| {
        match answer {
            Answer::Deprived => findings.deprived.insert(indicator),
            Answer::Unknown => findings.unknown.insert(indicator),
            Answer::NotDeprived => {}
        }
        findings.why[indicator as usize] = witness;
    });
    Ok(findings)
}

/// The error for a bad fact read from a table: member (0-based), field, value, reason.
#[cfg(feature = "csv")]
pub(crate) fn invalid_fact(
    member: Option<usize>,
    field: &str,
    value: String,
    reason: crate::error::Reason,
) -> Error {
    types::invalid(member, field, value, reason)
}

/// [`invalid_fact`] as the error's detail.
#[cfg(feature = "csv")]
pub(crate) fn invalid_fact_kind(
    member: Option<usize>,
    field: &str,
    value: String,
    reason: crate::error::Reason,
) -> ErrorKind {
    types::invalid(member, field, value, reason).into_kind()
}

/// The edges the built-in standards' rules draw, for drawing test data on them: every age on
/// each side of each age band's ends (within 0–[`MAX_AGE`]), and every floor area per person
/// a rule compares with. Read from the rules' data, so a test never restates a threshold.
#[cfg(any(test, feature = "proptest"))]
pub(crate) fn rule_edges() -> (Vec<u8>, Vec<rust_decimal::Decimal>) {
    rule_edges_of(Standard::builtins())
}

/// [`rule_edges`] of the given standards' rules (a local standard's, a reform's).
#[cfg(any(test, feature = "proptest"))]
pub(crate) fn rule_edges_of<'a>(
    standards: impl IntoIterator<Item = &'a Standard>,
) -> (Vec<u8>, Vec<rust_decimal::Decimal>) {
    fn walk(shape: &RuleShape, ages: &mut Vec<u8>, areas: &mut Vec<rust_decimal::Decimal>) {
        let mut band = |c: &MemberClause| {
            if let Some(b) = c.age {
                for end in [b.from, b.to].into_iter().flatten() {
                    for a in [end.saturating_sub(1), end, end.saturating_add(1)] {
                        if a <= MAX_AGE {
                            ages.push(a);
                        }
                    }
                }
            }
        };
        match shape {
            RuleShape::AnyMember(c) => band(c),
            RuleShape::ShareOfMembers(s) => s.counted_if_any.iter().for_each(band),
            RuleShape::FloorAreaPerPersonBelow(x) => areas.push(*x),
            RuleShape::AllOf(parts) | RuleShape::AnyOf(parts) => {
                parts.iter().for_each(|p| walk(p, ages, areas))
            }
            RuleShape::StructuresAtLeast(_) | RuleShape::Household(_) => {}
        }
    }
    let (mut ages, mut areas) = (vec![0, MAX_AGE], Vec::new());
    for s in standards {
        for spec in s.indicator_specs() {
            if let Some(r) = &spec.rule {
                walk(&r.deprived_when, &mut ages, &mut areas);
            }
        }
    }
    ages.sort_unstable();
    ages.dedup();
    areas.sort();
    areas.dedup();
    (ages, areas)
}

/// The error for a household with no members listed.
pub(crate) fn no_members() -> Error {
    Error::from(ErrorKind::NoMembers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_edges_are_read_from_the_rules_data() {
        let (ages, areas) = rule_edges();
        // health insurance from 6, children under 16, adults 16-17 and 18-30, schooling 3-15
        // and 5-14, adults 15-30 (2016): each end with its neighbours.
        for a in [0, 2, 3, 4, 5, 6, 7, 14, 15, 16, 17, 18, 19, 29, 30, 31, 130] {
            assert!(ages.contains(&a), "{a}");
        }
        assert_eq!(areas, vec![rust_decimal::Decimal::from(8)]);
    }
}
