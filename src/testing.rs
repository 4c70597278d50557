//! proptest strategies for downstream property tests (feature `proptest`).
//!
//! Strategies draw incomes that sit *on* the standard's lines and one đồng either side as
//! often as anywhere else, because that is where the law's boundaries are.
//!
//! ```
//! use chuan_ngheo::testing::household_for;
//! use chuan_ngheo::{classify, Standard};
//! use proptest::prelude::*;
//!
//! let standard = Standard::for_year(2024).unwrap();
//! proptest!(|(h in household_for(standard, false))| {
//!     // Every generated household is valid for the standard.
//!     prop_assert!(classify(standard, &h).is_ok());
//! });
//! ```

/// The `proptest` crate these strategies are built with, re-exported so that a user's property
/// tests use the same version (`use chuan_ngheo::testing::proptest::prelude::*;`).
pub use proptest;

use proptest::prelude::*;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::household::{Household, ReviewScore};
use crate::indicator::{Area, Indicator, IndicatorSet};
use crate::money::Vnd;
use crate::reform::{IncomeLine, Patch, Reform};
use crate::standard::Standard;

/// Rural or urban.
pub fn area() -> impl Strategy<Value = Area> {
    prop_oneof![Just(Area::Rural), Just(Area::Urban)]
}

/// Any whole amount of đồng from 0 to `max`.
pub fn vnd_up_to(max: i64) -> impl Strategy<Value = Vnd> {
    (0..=max.max(0)).prop_map(Vnd::from_dong)
}

/// Every line of `standard` (both areas), with one đồng below and above each.
pub fn boundary_incomes(standard: &Standard) -> Vec<Vnd> {
    let mut v = Vec::new();
    for area in Area::ALL {
        for (_, line) in IncomeLine::values(standard, area) {
            for d in [-1, 0, 1] {
                if let Some(x) = line.checked_add(Vnd::from_dong(d)) {
                    if !x.is_negative() {
                        v.push(x);
                    }
                }
            }
        }
    }
    v
}

/// Incomes from 0 to twice the standard's highest line, half of them on a boundary.
pub fn income_for(standard: &Standard) -> impl Strategy<Value = Vnd> {
    let edges = boundary_incomes(standard);
    let top = edges.iter().max().copied().unwrap_or(Vnd::ZERO);
    // Twice the highest line, in whole đồng (saturating for absurdly large lines).
    let max = top
        .amount()
        .floor()
        .to_i64()
        .unwrap_or(i64::MAX / 2)
        .saturating_mul(2);
    prop_oneof![proptest::sample::select(edges), vnd_up_to(max),]
}

/// Any subset of `within`.
pub fn indicator_subset(within: IndicatorSet) -> impl Strategy<Value = IndicatorSet> {
    let bits = within.bits();
    any::<u16>().prop_map(move |r| IndicatorSet::from_bits(r & bits))
}

/// Households valid for `standard`, classified on income; with `unknowns`, some indicators
/// are left unknown.
pub fn household_for(standard: &Standard, unknowns: bool) -> impl Strategy<Value = Household> {
    let all = standard.indicators();
    (
        area(),
        1u32..=12,
        income_for(standard),
        indicator_subset(all),
        indicator_subset(all),
    )
        .prop_map(move |(area, members, income, deprived, unk)| {
            let unknown = if unknowns {
                unk.difference(deprived)
            } else {
                IndicatorSet::EMPTY
            };
            Household::new(area, members, income)
                .with_deprivations(deprived)
                .with_unknown(unknown)
        })
}

/// Households classified from review scores valid for `standard` (which must publish score
/// cut-offs; otherwise scores are drawn for a 10-point, 12-indicator form).
pub fn scored_household_for(standard: &Standard) -> impl Strategy<Value = Household> {
    let (points, n) = match &standard.data().review_scores {
        Some(s) => (s.value.points_per_deprivation, standard.indicators().len()),
        None => (10, 12),
    };
    (area(), 1u32..=12, 0u32..=250, 0..=n).prop_map(move |(area, members, a, d)| {
        Household::from_scores(area, members, ReviewScore { a, b: d * points })
    })
}

/// A population of `size` households valid for `standard`.
pub fn population_for(
    standard: &Standard,
    size: std::ops::Range<usize>,
    unknowns: bool,
) -> impl Strategy<Value = Vec<Household>> {
    proptest::collection::vec(household_for(standard, unknowns), size)
}

/// One of the built-in national standards.
pub fn builtin_standard() -> impl Strategy<Value = &'static Standard> {
    proptest::sample::select(Standard::builtins().iter().collect::<Vec<_>>())
}

/// Reforms of `standard` within bounds: every line of an area scaled by one factor from
/// `percent` (so the lines stay ordered), the cut-off anywhere from 1 to the indicator count,
/// and, half the time, one indicator removed (the cut-off then within the smaller count).
pub fn reform_of(
    standard: &Standard,
    percent: std::ops::RangeInclusive<u32>,
) -> impl Strategy<Value = Reform> {
    let base = standard.id().to_owned();
    let indicators: Vec<Indicator> = standard.indicators().iter().collect();
    let lines: Vec<IncomeLine> = IncomeLine::ALL
        .into_iter()
        .filter(|l| l.get(standard.data()).is_some())
        .collect();
    let n = indicators.len() as u32;
    (
        percent.clone(),
        percent,
        any::<bool>(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(move |(rural, urban, remove, which, k)| {
            let mut changes: Vec<Patch> = lines
                .iter()
                .map(|line| Patch::ScaleLine {
                    line: *line,
                    rural: Some(Decimal::new(rural as i64, 2)),
                    urban: Some(Decimal::new(urban as i64, 2)),
                })
                .collect();
            let remaining = if remove && n > 1 {
                changes.push(Patch::RemoveIndicator {
                    code: indicators[which.index(indicators.len())],
                });
                n - 1
            } else {
                n
            };
            changes.push(Patch::SetCutoff {
                value: 1 + k.index(remaining as usize) as u32,
            });
            Reform {
                name: format!("r{rural}-u{urban}"),
                description: None,
                base: base.clone(),
                changes,
            }
        })
}

/// An age in completed years, drawn on each side of every age-band end of the built-in
/// standards' rules (read from their data) as often as anywhere else in 0–130.
pub fn age() -> impl Strategy<Value = u8> {
    age_on(crate::facts::rule_edges().0)
}

/// [`age`] on the edges of `standard`'s own rules (a local standard's age bands, a reform's).
pub fn age_for(standard: &Standard) -> impl Strategy<Value = u8> {
    age_on(crate::facts::rule_edges_of([standard]).0)
}

fn age_on(edges: Vec<u8>) -> impl Strategy<Value = u8> {
    let edges = if edges.is_empty() { vec![0] } else { edges };
    prop_oneof![prop::sample::select(edges), 0u8..=crate::facts::MAX_AGE,]
}

/// `Some` with probability `known` (always, at 1).
fn maybe<T: std::fmt::Debug + Clone + 'static>(
    known: f64,
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    if known >= 1.0 {
        s.prop_map(Some).boxed()
    } else {
        prop::option::weighted(known, s).boxed()
    }
}

fn one_of<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    prop::sample::select(all)
}

/// A member's facts ([facts §1](crate::docs::facts)); with `unknowns`, each fact is left
/// unknown one time in five.
pub fn member_facts(unknowns: bool) -> impl Strategy<Value = crate::facts::MemberFacts> {
    members_on(crate::facts::rule_edges().0, unknowns)
}

/// [`member_facts`] with ages on the edges of `standard`'s own rules.
pub fn member_facts_for(
    standard: &Standard,
    unknowns: bool,
) -> impl Strategy<Value = crate::facts::MemberFacts> {
    members_on(crate::facts::rule_edges_of([standard]).0, unknowns)
}

fn members_on(ages: Vec<u8>, unknowns: bool) -> impl Strategy<Value = crate::facts::MemberFacts> {
    use crate::facts::{Education, Labour, MemberFacts};
    let k = if unknowns { 0.8 } else { 1.0 };
    (
        maybe(k, age_on(ages)),
        maybe(k, one_of(Labour::ALL)),
        maybe(k, any::<bool>()),
        maybe(k, any::<bool>()),
        maybe(k, any::<bool>()),
        maybe(k, any::<bool>()),
        maybe(k, any::<bool>()),
        maybe(k, any::<bool>()),
        maybe(k, one_of(Education::ALL)),
        maybe(k, any::<bool>()),
    )
        .prop_map(
            |(age, labour, sa, st, uw, hi, sc, lv, ed, ill)| MemberFacts {
                age,
                labour,
                social_allowance: sa,
                stunted: st,
                underweight: uw,
                health_insurance: hi,
                in_school: sc,
                level_suited_to_age: lv,
                education: ed,
                ill_untreated: ill,
            },
        )
}

/// A household's facts with 1 to `max_members` members (at least 1); the floor area is drawn
/// on a floor-area rule's edge (the built-in rules' m² per person, read from their data,
/// times the members) and 0.01 m² either side as often as anywhere else.
pub fn household_facts(
    max_members: usize,
    unknowns: bool,
) -> impl Strategy<Value = crate::facts::HouseholdFacts> {
    households_on(crate::facts::rule_edges(), max_members, unknowns)
}

/// [`household_facts`] drawn on the edges of `standard`'s own rules: its age bands and its
/// floor area per person (a local standard's 10 m², a reform's).
///
/// ```
/// use chuan_ngheo::testing::{household_facts_for, proptest::prelude::*};
/// use chuan_ngheo::{facts, Reform, Standard};
/// let reform = Reform::from_json(r#"{"name": "10m2", "description": "What if. Not law.",
///     "base": "vn-2022-2025", "changes": [{"op": "set_rule", "code": "housing_area",
///     "deprived_when": {"floor_area_per_person_below": "10"}}]}"#)?;
/// let s = reform.apply(Standard::builtin("vn-2022-2025")?)?;
/// proptest!(|(h in household_facts_for(&s, 4, false))| {
///     prop_assert!(facts::evaluate(&s, &h).is_ok());
/// });
/// # Ok::<(), chuan_ngheo::Error>(())
/// ```
pub fn household_facts_for(
    standard: &Standard,
    max_members: usize,
    unknowns: bool,
) -> impl Strategy<Value = crate::facts::HouseholdFacts> {
    households_on(
        crate::facts::rule_edges_of([standard]),
        max_members,
        unknowns,
    )
}

fn households_on(
    (ages, per_person): (Vec<u8>, Vec<Decimal>),
    max_members: usize,
    unknowns: bool,
) -> impl Strategy<Value = crate::facts::HouseholdFacts> {
    use crate::facts::{Device, HouseholdFacts, Latrine, Material, Waste, WaterSource};
    let k = if unknowns { 0.8 } else { 1.0 };
    let members = prop::collection::vec(members_on(ages, unknowns), 1..=max_members.max(1));
    let dwelling = (
        maybe(k, one_of(Material::ALL)),
        maybe(k, one_of(Material::ALL)),
        maybe(k, one_of(Material::ALL)),
        maybe(k, one_of(WaterSource::ALL)),
        maybe(k, one_of(Latrine::ALL)),
        maybe(k, any::<bool>()),
        maybe(k, any::<bool>()),
        maybe(
            k,
            prop::collection::vec(one_of(Device::ALL), 0..3)
                .prop_map(|d| d.into_iter().collect::<crate::facts::DeviceSet>()),
        ),
        maybe(k, any::<bool>()),
        maybe(k, one_of(Waste::ALL)),
    );
    let mut per_person = per_person;
    if per_person.is_empty() {
        per_person.push(Decimal::ONE);
    }
    let edges = (
        0u8..4,
        0u32..20_000,
        maybe(k, Just(())),
        prop::sample::select(per_person),
    );
    (members, dwelling, edges).prop_map(move |(members, d, (edge, cm2, area_known, per_person))| {
        let n = Decimal::from(members.len() as u64);
        let edge_area = per_person * n;
        let area = match edge {
            0 => edge_area - Decimal::new(1, 2),
            1 => edge_area,
            2 => edge_area + Decimal::new(1, 2),
            _ => Decimal::new(cm2 as i64, 2),
        };
        HouseholdFacts {
            floor_area_m2: area_known.map(|()| area.max(Decimal::ZERO)),
            walls: d.0,
            pillars: d.1,
            roof: d.2,
            water_source: d.3,
            latrine: d.4,
            internet: d.5,
            phone: d.6,
            devices: d.7,
            loudspeaker: d.8,
            waste: d.9,
            members,
        }
    })
}

/// The crate's invariants of the law, as checks a downstream property test can call. Each
/// returns `Err` with a description of the first household or count that breaks it.
pub mod invariants {
    use super::*;
    use crate::classify::{classify, PovertyClass};

    /// Poor households of a population under a standard, each household seen through the
    /// standard's indicators (rejected households are not counted).
    pub fn poor_count(standard: &Standard, households: &[Household]) -> u64 {
        households
            .iter()
            .filter(|h| {
                classify(standard, &h.restricted_to(standard.indicators()))
                    .is_ok_and(|a| a.class() == PovertyClass::Poor)
            })
            .count() as u64
    }

    fn scaled(standard: &Standard, percent: u32) -> Result<Standard, String> {
        let changes = IncomeLine::ALL
            .into_iter()
            .filter(|l| l.get(standard.data()).is_some())
            .map(|line| Patch::ScaleLine {
                line,
                rural: Some(Decimal::new(percent as i64, 2)),
                urban: Some(Decimal::new(percent as i64, 2)),
            })
            .collect();
        Reform {
            name: format!("x{percent}"),
            description: None,
            base: standard.id().to_owned(),
            changes,
        }
        .apply(standard)
        .map_err(|e| e.to_string())
    }

    /// Raising every line (by `percent` ≥ 100 of its value) never lowers the poor count.
    pub fn raising_lines_never_lowers_the_poor_count(
        standard: &Standard,
        households: &[Household],
        percent: u32,
    ) -> Result<(), String> {
        let raised = scaled(standard, percent.max(100))?;
        let (before, after) = (
            poor_count(standard, households),
            poor_count(&raised, households),
        );
        if after < before {
            return Err(format!(
                "raising the lines by {percent}% lowered the poor count from {before} to {after}"
            ));
        }
        Ok(())
    }

    /// Lowering the deprivation cut-off by one never lowers the poor count.
    pub fn lowering_the_cutoff_never_lowers_the_poor_count(
        standard: &Standard,
        households: &[Household],
    ) -> Result<(), String> {
        let k = standard.deprivation_cutoff();
        if k <= 1 {
            return Ok(());
        }
        let lower = Reform::single("k-1", standard, Patch::SetCutoff { value: k - 1 })
            .apply(standard)
            .map_err(|e| e.to_string())?;
        let (before, after) = (
            poor_count(standard, households),
            poor_count(&lower, households),
        );
        if after < before {
            return Err(format!(
                "lowering the cut-off to {} lowered the poor count from {before} to {after}",
                k - 1
            ));
        }
        Ok(())
    }

    /// Removing an indicator never raises any household's deprivation count.
    pub fn removing_an_indicator_never_raises_deprivation_counts(
        standard: &Standard,
        households: &[Household],
        indicator: Indicator,
    ) -> Result<(), String> {
        if !standard.indicators().contains(indicator) {
            return Ok(());
        }
        let k = standard
            .deprivation_cutoff()
            .min(standard.indicators().len() - 1)
            .max(1);
        let reform = Reform {
            name: format!("without-{indicator}"),
            description: None,
            base: standard.id().to_owned(),
            changes: vec![
                Patch::RemoveIndicator { code: indicator },
                Patch::SetCutoff { value: k },
            ],
        };
        let smaller = reform.apply(standard).map_err(|e| e.to_string())?;
        for (i, h) in households.iter().enumerate() {
            let count = |s: &Standard| {
                classify(s, &h.restricted_to(s.indicators())).map(|a| a.deprivation_count())
            };
            if let (Ok(before), Ok(after)) = (count(standard), count(&smaller)) {
                if after > before {
                    return Err(format!(
                        "household {i}: {before} deprivations became {after} without {indicator}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every way of filling in one unknown fact, household or member: the facts given, then
    /// each filled copy.
    fn fillings(facts: &crate::facts::HouseholdFacts) -> Vec<crate::facts::HouseholdFacts> {
        use crate::facts::{
            Device, DeviceSet, Education, Labour, Latrine, Material, Waste, WaterSource,
        };
        let mut out = Vec::new();
        let mut push = |f: &dyn Fn(&mut crate::facts::HouseholdFacts)| {
            let mut c = facts.clone();
            f(&mut c);
            out.push(c);
        };
        macro_rules! fill {
            ($field:ident, $values:expr) => {
                if facts.$field.is_none() {
                    for v in $values {
                        push(&|c| c.$field = Some(v));
                    }
                }
            };
        }
        if facts.floor_area_m2.is_none() {
            let members = Decimal::from(facts.members.len() as u64);
            for per_person in crate::facts::rule_edges().1 {
                let n = per_person * members;
                for a in [
                    Decimal::ZERO,
                    n - Decimal::new(1, 2),
                    n,
                    n * Decimal::from(4),
                ] {
                    push(&|c| c.floor_area_m2 = Some(a.max(Decimal::ZERO)));
                }
            }
        }
        fill!(walls, Material::ALL.iter().copied());
        fill!(pillars, Material::ALL.iter().copied());
        fill!(roof, Material::ALL.iter().copied());
        fill!(water_source, WaterSource::ALL.iter().copied());
        fill!(latrine, Latrine::ALL.iter().copied());
        fill!(internet, [false, true]);
        fill!(phone, [false, true]);
        fill!(loudspeaker, [false, true]);
        fill!(waste, Waste::ALL.iter().copied());
        if facts.devices.is_none() {
            for d in [
                DeviceSet::EMPTY,
                [Device::Radio].into_iter().collect(),
                [Device::Smartphone].into_iter().collect(),
            ] {
                push(&|c| c.devices = Some(d));
            }
        }
        for (i, m) in facts.members.iter().enumerate() {
            macro_rules! fill_member {
                ($field:ident, $values:expr) => {
                    if m.$field.is_none() {
                        for v in $values {
                            push(&|c| c.members[i].$field = Some(v));
                        }
                    }
                };
            }
            fill_member!(age, crate::facts::rule_edges().0);
            fill_member!(labour, Labour::ALL.iter().copied());
            fill_member!(education, Education::ALL.iter().copied());
            for b in [false, true] {
                if m.social_allowance.is_none() {
                    push(&|c| c.members[i].social_allowance = Some(b));
                }
                if m.stunted.is_none() {
                    push(&|c| c.members[i].stunted = Some(b));
                }
                if m.underweight.is_none() {
                    push(&|c| c.members[i].underweight = Some(b));
                }
                if m.health_insurance.is_none() {
                    push(&|c| c.members[i].health_insurance = Some(b));
                }
                if m.in_school.is_none() {
                    push(&|c| c.members[i].in_school = Some(b));
                }
                if m.level_suited_to_age.is_none() {
                    push(&|c| c.members[i].level_suited_to_age = Some(b));
                }
                if m.ill_untreated.is_none() {
                    push(&|c| c.members[i].ill_untreated = Some(b));
                }
            }
        }
        out
    }

    /// Filling in any one unknown fact, with any value, never contradicts an answer the known
    /// facts gave (facts §3: an answer is known only when every filling gives it).
    pub fn filling_in_an_unknown_fact_never_contradicts_a_known_answer(
        standard: &Standard,
        facts: &crate::facts::HouseholdFacts,
    ) -> Result<(), String> {
        use crate::indicator::Answer;
        let before = crate::facts::evaluate(standard, facts).map_err(|e| e.to_string())?;
        for filled in fillings(facts) {
            let after = crate::facts::evaluate(standard, &filled).map_err(|e| e.to_string())?;
            for i in standard.indicators().iter() {
                let (b, a) = (before.answer(i), after.answer(i));
                if b != Answer::Unknown && a != b {
                    return Err(format!(
                        "{i}: {b:?} became {a:?} when filling in {filled:?}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// A household given as facts classifies as the same household given as the
    /// deprivations and unknowns its facts gave, through the household record (formats §1).
    pub fn facts_classify_as_their_deprivations(
        standard: &Standard,
        facts: &crate::facts::HouseholdFacts,
        area: Area,
        income: Vnd,
    ) -> Result<(), String> {
        use crate::records::HouseholdRecord;
        let found = crate::facts::evaluate(standard, facts).map_err(|e| e.to_string())?;
        let codes = |s: IndicatorSet| s.iter().map(|i| i.code().to_owned()).collect::<Vec<_>>();
        let common = serde_json::json!({
            "id": "h", "standard": standard.id(), "area": area.code(),
            "income_per_capita": income.amount().to_string(),
        });
        let mut with_facts = common.clone();
        with_facts["facts"] = serde_json::to_value(facts).map_err(|e| e.to_string())?;
        let mut with_deprivations = common;
        with_deprivations["members"] = facts.members.len().into();
        with_deprivations["deprivations"] = codes(found.deprivations()).into();
        with_deprivations["unknown"] = codes(found.unknown()).into();
        let class = |v: &serde_json::Value| -> Result<PovertyClass, String> {
            let r = HouseholdRecord::from_json(&v.to_string()).map_err(|e| e.to_string())?;
            let h = r.to_household(standard).map_err(|e| e.to_string())?;
            classify(standard, &h)
                .map(|a| a.class())
                .map_err(|e| e.to_string())
        };
        let (a, b) = (class(&with_facts)?, class(&with_deprivations)?);
        if a != b {
            return Err(format!("as facts {a:?}, as deprivations {b:?}"));
        }
        Ok(())
    }

    /// The worse copies of a household: one fact at a time made worse (a card lost, school
    /// left, a smaller floor area, unsafe water, no latrine, a non-durable structure, no
    /// internet, no loudspeaker, no device).
    fn worsenings(facts: &crate::facts::HouseholdFacts) -> Vec<crate::facts::HouseholdFacts> {
        use crate::facts::{DeviceSet, Latrine, Material, WaterSource};
        let mut out = Vec::new();
        let mut push = |f: &dyn Fn(&mut crate::facts::HouseholdFacts)| {
            let mut c = facts.clone();
            f(&mut c);
            if c != *facts {
                out.push(c);
            }
        };
        if let Some(a) = facts.floor_area_m2 {
            push(&|c| c.floor_area_m2 = Some(a / Decimal::from(2)));
        }
        for f in [0, 1, 2] {
            push(&|c| {
                let slot = [&mut c.walls, &mut c.pillars, &mut c.roof];
                if let Some(m) = slot.into_iter().nth(f) {
                    if m.is_some() {
                        *m = Some(Material::NonDurable);
                    }
                }
            });
        }
        if facts.water_source.is_some() {
            push(&|c| c.water_source = Some(WaterSource::Surface));
        }
        if facts.latrine.is_some() {
            push(&|c| c.latrine = Some(Latrine::None));
        }
        if facts.internet.is_some() {
            push(&|c| c.internet = Some(false));
        }
        if facts.phone.is_some() {
            push(&|c| c.phone = Some(false));
        }
        if facts.loudspeaker.is_some() {
            push(&|c| c.loudspeaker = Some(false));
        }
        if facts.devices.is_some() {
            push(&|c| c.devices = Some(DeviceSet::EMPTY));
        }
        for (i, m) in facts.members.iter().enumerate() {
            if m.health_insurance.is_some() {
                push(&|c| c.members[i].health_insurance = Some(false));
            }
            if m.in_school.is_some() {
                push(&|c| c.members[i].in_school = Some(false));
            }
        }
        out
    }

    /// Making one known fact worse never improves the class (poor, near-poor, average, not
    /// poor, in that order), when the class is settled before and after.
    pub fn worsening_a_fact_never_improves_the_class(
        standard: &Standard,
        facts: &crate::facts::HouseholdFacts,
        area: Area,
        income: Vnd,
    ) -> Result<(), String> {
        let class = |f: &crate::facts::HouseholdFacts| -> Result<PovertyClass, String> {
            let found = crate::facts::evaluate(standard, f).map_err(|e| e.to_string())?;
            classify(standard, &found.household(area, income))
                .map(|a| a.class())
                .map_err(|e| e.to_string())
        };
        let before = class(facts)?;
        if before == PovertyClass::Indeterminate {
            return Ok(());
        }
        for worse in worsenings(facts) {
            let after = class(&worse)?;
            if after != PovertyClass::Indeterminate && after.index() > before.index() {
                return Err(format!(
                    "{before:?} became {after:?} for the worse facts {worse:?}"
                ));
            }
        }
        Ok(())
    }
}
