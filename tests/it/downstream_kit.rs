//! Written as a downstream user would: property-testing a policy change with the crate's
//! strategies and invariant checks (feature `proptest`).
#![cfg(feature = "proptest")]

use chuan_ngheo::testing::{builtin_standard, invariants, population_for, reform_of};
use chuan_ngheo::{Indicator, Standard};
use proptest::prelude::*;

fn standard_population() -> impl Strategy<Value = (&'static Standard, Vec<chuan_ngheo::Household>)>
{
    builtin_standard().prop_flat_map(|s| (Just(s), population_for(s, 0..200, false)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn raising_the_lines_never_lowers_the_poor_count((s, pop) in standard_population(), percent in 100u32..140) {
        prop_assert!(invariants::raising_lines_never_lowers_the_poor_count(s, &pop, percent).is_ok());
    }

    #[test]
    fn lowering_the_cutoff_never_lowers_the_poor_count((s, pop) in standard_population()) {
        prop_assert!(invariants::lowering_the_cutoff_never_lowers_the_poor_count(s, &pop).is_ok());
    }

    #[test]
    fn removing_an_indicator_never_raises_deprivation_counts((s, pop) in standard_population(), pick in any::<prop::sample::Index>()) {
        let all: Vec<Indicator> = s.indicators().iter().collect();
        prop_assert!(invariants::removing_an_indicator_never_raises_deprivation_counts(s, &pop, all[pick.index(all.len())]).is_ok());
    }

    /// A reform within bounds always gives a valid standard, and its poor count moves the
    /// way its line change says when the cut-off and indicators are kept.
    #[test]
    fn reforms_within_bounds_apply(
        (s, reform) in builtin_standard().prop_flat_map(|s| (Just(s), reform_of(s, 80..=130))),
    ) {
        let what_if = reform.apply(s);
        prop_assert!(what_if.is_ok(), "{:?}", what_if.err());
        let what_if = what_if.unwrap();
        prop_assert_eq!(what_if.data().kind, chuan_ngheo::standard::StandardKind::Reform);
        prop_assert!(what_if.id().starts_with(s.id()));
    }
}

#[test]
fn a_check_that_fails_says_why() {
    // A "reform" that lowers every line must be able to lower the poor count, and the
    // invariant check must say so rather than pass silently.
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let country = chuan_ngheo::population::sample_data::country(2_000, 1);
    let pop: Vec<_> = country.iter().map(|h| h.to_household(s)).collect();
    let lowered = chuan_ngheo::reform::Reform {
        name: "down".into(),
        description: None,
        base: s.id().into(),
        changes: vec![chuan_ngheo::reform::Patch::ScaleLine {
            line: chuan_ngheo::reform::IncomeLine::PovertyLine,
            rural: Some("0.5".parse().unwrap()),
            urban: Some("0.5".parse().unwrap()),
        }],
    }
    .apply(s)
    .unwrap();
    assert!(invariants::poor_count(&lowered, &pop) < invariants::poor_count(s, &pop));
}

mod facts_kit {
    use chuan_ngheo::testing::{area, builtin_standard, household_facts, income_for, invariants};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn filling_in_an_unknown_fact_never_contradicts_a_known_answer(
            s in builtin_standard(),
            facts in household_facts(6, true),
        ) {
            let r = invariants::filling_in_an_unknown_fact_never_contradicts_a_known_answer(s, &facts);
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }

        #[test]
        fn a_household_given_as_facts_classifies_as_its_deprivations(
            (s, income) in builtin_standard().prop_flat_map(|s| (Just(s), income_for(s))),
            facts in household_facts(8, true),
            area in area(),
        ) {
            let r = invariants::facts_classify_as_their_deprivations(s, &facts, area, income);
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }

        #[test]
        fn making_a_fact_worse_never_improves_the_class(
            (s, income) in builtin_standard().prop_flat_map(|s| (Just(s), income_for(s))),
            facts in household_facts(8, false),
            area in area(),
        ) {
            let r = invariants::worsening_a_fact_never_improves_the_class(s, &facts, area, income);
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
    }
}
