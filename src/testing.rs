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

use proptest::prelude::*;

use crate::household::{Household, ReviewScore};
use crate::indicator::{Area, IndicatorSet};
use crate::money::Vnd;
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
        let lines = [
            Some(standard.poverty_line(area)),
            standard.near_poverty_line(area),
            standard.average_band_top(area),
            standard
                .data()
                .low_income_worker_line
                .as_ref()
                .map(|l| *l.value.get(area)),
        ];
        for line in lines.into_iter().flatten() {
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
    let top = edges
        .iter()
        .max()
        .copied()
        .unwrap_or(Vnd::from_dong(1_000_000));
    let max = top.amount().mantissa() as i64 / 10i64.pow(top.amount().scale()) * 2;
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
