//! Exit paths at each line and one đồng either side, and the property that a suggested change
//! really gives the stated class.
#![cfg(feature = "proptest")]

use chuan_ngheo::exit::{cliff, exit_paths};
use chuan_ngheo::reform::IncomeLine;
use chuan_ngheo::testing::{builtin_standard, household_for};
use chuan_ngheo::{classify, Area, Household, IndicatorSet, PovertyClass, Rule, Standard, Vnd};
use proptest::prelude::*;

fn rural(s: &Standard, income: i64, d: usize) -> Household {
    Household::new(Area::Rural, 4, Vnd::from_dong(income))
        .with_deprivations(s.indicators().iter().take(d).collect())
}

#[test]
fn nd_07_2021_income_gain_at_the_line_and_one_dong_either_side() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    for (income, gain) in [(1_499_999, 2), (1_500_000, 1)] {
        let p = exit_paths(s, &rural(s, income, 3)).unwrap();
        let step = p.income_gain.unwrap();
        assert_eq!(step.gain, Vnd::from_dong(gain), "{income}");
        assert_eq!(step.new_income, Vnd::from_dong(1_500_001));
        assert_eq!(step.line, IncomeLine::PovertyLine);
        assert_eq!(step.to, PovertyClass::AverageLivingStandard);
        assert_eq!(p.distances[0].under_by, Vnd::from_dong(1_500_000 - income));
    }
    // One đồng above the line: average; the next step is over the band top.
    let p = exit_paths(s, &rural(s, 1_500_001, 3)).unwrap();
    assert_eq!(p.class, PovertyClass::AverageLivingStandard);
    assert_eq!(p.distances[0].under_by, Vnd::from_dong(-1));
    assert_eq!(p.income_gain.unwrap().new_income, Vnd::from_dong(2_250_001));
    assert_eq!(p.resolve, None);
    // Not poor: nothing better.
    assert_eq!(
        exit_paths(s, &rural(s, 9_000_000, 0)).unwrap().income_gain,
        None
    );
}

#[test]
fn nd_07_2021_fewest_deprivations_to_resolve() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    for d in 3..=6 {
        let p = exit_paths(s, &rural(s, 1_000_000, d)).unwrap();
        let r = p.resolve.unwrap();
        assert_eq!(r.count as usize, d - 2, "D={d}: resolve down to 2");
        assert_eq!(r.to, PovertyClass::NearPoor);
    }
    assert_eq!(
        exit_paths(s, &rural(s, 1_000_000, 2)).unwrap().resolve,
        None,
        "near-poor already"
    );
}

#[test]
fn qd_59_2015_poor_by_income_alone_needs_income_not_services() {
    let s = Standard::builtin("vn-2016-2020").unwrap();
    let p = exit_paths(s, &rural(s, 700_000, 4)).unwrap();
    assert_eq!(p.rule, Rule::PoorByIncome);
    assert_eq!(
        p.resolve, None,
        "deprivations do not decide under the poverty line"
    );
    // Crossing 700,000 with 4 deprivations is still poor: the gain that helps crosses 1,000,000.
    let step = p.income_gain.unwrap();
    assert_eq!(step.new_income, Vnd::from_dong(1_000_001));
    assert_eq!(step.to, PovertyClass::AverageLivingStandard);
    // With 2 deprivations, crossing 700,000 is enough to be near-poor.
    let step = exit_paths(s, &rural(s, 700_000, 2))
        .unwrap()
        .income_gain
        .unwrap();
    assert_eq!(
        (step.gain, step.to),
        (Vnd::from_dong(1), PovertyClass::NearPoor)
    );
}

#[test]
fn the_cliff_flags_households_within_a_distance_of_a_line() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let within = Vnd::from_dong(50_000);
    let c = cliff(s, &rural(s, 1_460_000, 0), within).unwrap().unwrap();
    assert_eq!(
        (c.line, c.distance, c.at_or_under),
        (IncomeLine::PovertyLine, Vnd::from_dong(40_000), true)
    );
    let c = cliff(s, &rural(s, 1_550_000, 0), within).unwrap().unwrap();
    assert_eq!((c.distance, c.at_or_under), (Vnd::from_dong(50_000), false));
    assert_eq!(cliff(s, &rural(s, 1_550_001, 0), within).unwrap(), None);
    assert!(cliff(s, &rural(s, 1, 0), Vnd::from_dong(-1)).is_err());
}

fn standard_and_household() -> impl Strategy<Value = (&'static Standard, Household)> {
    builtin_standard().prop_flat_map(|s| (Just(s), household_for(s, false)))
}

proptest! {
    #[test]
    fn suggested_changes_really_give_the_stated_class((s, h) in standard_and_household()) {
        let p = exit_paths(s, &h).unwrap();
        if let Some(step) = p.income_gain {
            let after = classify(s, &h.with_income(step.new_income)).unwrap();
            prop_assert_eq!(after.class(), step.to);
            prop_assert!(step.to.rank() > p.class.rank());
            // One đồng less is not enough.
            let less = step.new_income.checked_sub(Vnd::ONE).unwrap();
            prop_assert!(classify(s, &h.with_income(less)).unwrap().class().rank() <= p.class.rank());
        }
        if let Some(r) = p.resolve {
            prop_assert!(r.suggested.is_subset(h.deprivations()));
            prop_assert_eq!(r.suggested.len(), r.count);
            let after = classify(s, &h.with_deprivations(h.deprivations().difference(r.suggested))).unwrap();
            prop_assert_eq!(after.class(), r.to);
            prop_assert_ne!(r.to, PovertyClass::Poor);
            // One fewer resolved is still poor.
            if r.count > 1 {
                let fewer: IndicatorSet = r.suggested.iter().take(r.count as usize - 1).collect();
                let after = classify(s, &h.with_deprivations(h.deprivations().difference(fewer))).unwrap();
                prop_assert_eq!(after.class(), PovertyClass::Poor);
            }
        }
    }
}

#[test]
fn a_line_at_the_top_of_the_decimal_range_gives_no_gain_rather_than_a_panic() {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/data/dong-nai-2022-2025.json")).unwrap();
    v["average_band_top"]["value"]["rural"] = rust_decimal::Decimal::MAX.to_string().into();
    let s = Standard::from_json(&v.to_string()).unwrap();
    let h = Household::new(Area::Rural, 4, Vnd::from_dong(2_500_000));
    let p = exit_paths(&s, &h).unwrap();
    assert_eq!(p.class, PovertyClass::AverageLivingStandard);
    assert_eq!(p.income_gain, None);
}
