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
}
