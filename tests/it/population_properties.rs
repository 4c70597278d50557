//! Invariants of the population measures (Alkire–Foster and the report), as property tests.
#![cfg(feature = "proptest")]

use chuan_ngheo::population::af::{AfSpec, Weighting};
use chuan_ngheo::population::{report, report_with_af, GroupColumn, Population, Report};
use chuan_ngheo::testing::{builtin_standard, population_for};
use chuan_ngheo::ErrorKind;
use chuan_ngheo::{Household, Indicator, Standard};
use proptest::prelude::*;

fn labels() -> Vec<String> {
    (0..5).map(|i| format!("g{i}")).collect()
}

fn population() -> impl Strategy<Value = (&'static Standard, Vec<Household>, Vec<u32>)> {
    builtin_standard().prop_flat_map(|s| {
        population_for(s, 1..300, true).prop_flat_map(move |hh| {
            let n = hh.len();
            (Just(s), Just(hh), prop::collection::vec(0u32..5, n))
        })
    })
}

fn pop<'a>(hh: &'a [Household], keys: &'a [u32], labels: &'a [String]) -> Population<'a> {
    Population {
        households: hh,
        weights: None,
        groups: vec![GroupColumn {
            name: "g",
            labels,
            keys,
        }],
    }
}

fn run(s: &Standard, hh: &[Household], keys: &[u32], labels: &[String]) -> Report {
    report(s, &pop(hh, keys, labels))
}

fn run_af(s: &Standard, hh: &[Household], keys: &[u32], labels: &[String], spec: AfSpec) -> Report {
    report_with_af(s, &pop(hh, keys, labels), spec)
}

fn weighting() -> impl Strategy<Value = u8> {
    0u8..3
}

fn spec_for(s: &Standard, w: u8, k: u32) -> AfSpec {
    let d = s.indicators().len();
    let k = k.clamp(1, d);
    match w {
        0 => AfSpec::equal(s, k).unwrap(),
        1 => AfSpec::new(s, Weighting::Nested, k, d).unwrap(),
        _ => {
            let custom: Vec<(Indicator, u32)> = s
                .indicators()
                .iter()
                .enumerate()
                .map(|(i, x)| (x, 1 + (i as u32 % 3)))
                .collect();
            AfSpec::new(s, Weighting::Custom(custom), k, d).unwrap()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn m0_is_h_times_a_and_censored_never_exceeds_uncensored((s, hh, keys) in population(), w in weighting(), k in 1u32..12) {
        let r = run_af(s, &hh, &keys, &labels(), spec_for(s, w, k));
        let af = r.af();
        prop_assert!((af.m0 - af.h * af.a).abs() < 1e-12);
        for m in &af.indicators {
            prop_assert!(m.censored_headcount <= m.uncensored_headcount + 1e-15);
        }
        let sum_abs: f64 = af.indicators.iter().map(|m| m.absolute_contribution).sum();
        prop_assert!((sum_abs - af.m0).abs() < 1e-12);
        if af.m0 > 0.0 {
            let sum: f64 = af.indicators.iter().map(|m| m.contribution).sum();
            prop_assert!((sum - 1.0).abs() < 1e-9, "contributions sum to {sum}");
        }
    }

    #[test]
    fn population_weighted_group_m0s_sum_to_the_total((s, hh, keys) in population(), w in weighting(), k in 1u32..12) {
        let r = run_af(s, &hh, &keys, &labels(), spec_for(s, w, k));
        let total = r.af();
        let spec = r.af_spec();
        let mut sum = 0.0;
        for (_, t) in r.grouping("g").unwrap().groups() {
            let g = t.af.measures(spec);
            sum += g.n / total.n.max(1.0) * g.m0;
        }
        prop_assert!((sum - total.m0).abs() < 1e-12, "{sum} vs {}", total.m0);
    }

    #[test]
    fn duplicating_the_population_changes_no_ratio((s, hh, keys) in population()) {
        let one = run(s, &hh, &keys, &labels());
        let twice_hh: Vec<_> = hh.iter().chain(&hh).copied().collect();
        let twice_keys: Vec<_> = keys.iter().chain(&keys).copied().collect();
        let two = run(s, &twice_hh, &twice_keys, &labels());
        let (a, b) = (one.af(), two.af());
        for (x, y) in [(a.h, b.h), (a.a, b.a), (a.m0, b.m0)] {
            prop_assert!((x - y).abs() < 1e-12);
        }
        for c in chuan_ngheo::PovertyClass::DETERMINATE {
            prop_assert!((one.total().rate(c) - two.total().rate(c)).abs() < 1e-12);
        }
        prop_assert_eq!(two.input().rows, 2 * one.input().rows);
    }

    #[test]
    fn h_does_not_rise_when_k_rises((s, hh, keys) in population(), w in weighting(), k in 1u32..11) {
        let h = |k| run_af(s, &hh, &keys, &labels(), spec_for(s, w, k)).af().h;
        prop_assert!(h(k + 1) <= h(k));
        // Households are tallied by score: a full report measured at another cut-off equals a
        // fresh pass at that cut-off, and the list-of-k API gives the same.
        let full = run(s, &hh, &keys, &labels());
        let at_k = spec_for(s, 0, k);
        let fresh = run_af(s, &hh, &keys, &labels(), at_k.clone()).af();
        prop_assert_eq!(&full.clone().with_af(at_k.clone()).unwrap().af(), &fresh);
        let kk = k.clamp(1, s.indicators().len());
        prop_assert_eq!(&full.af_for_cutoffs(&[kk]).unwrap()[0], &fresh);
        // New weights are refused once households are in, rather than mixed.
        if w != 0 && !hh.is_empty() {
            prop_assert!(full.clone().with_af(spec_for(s, w, k)).is_err());
        }
        prop_assert!(Report::new(s, &[]).with_af(spec_for(s, w, k)).is_ok());
    }

    #[test]
    fn merging_split_reports_equals_the_report_of_the_whole((s, hh, keys) in population(), cut in any::<prop::sample::Index>()) {
        let at = cut.index(hh.len() + 1);
        let whole = run(s, &hh, &keys, &labels());
        let mut left = run(s, &hh[..at], &keys[..at], &labels());
        let mut right = run(s, &hh[at..], &keys[at..], &labels());
        right.shift_lines(at as u64);
        left.merge(&right).unwrap();
        prop_assert_eq!(left.to_json(), whole.to_json());
    }

    #[test]
    fn every_household_is_accounted_for((s, hh, keys) in population()) {
        let r = run(s, &hh, &keys, &labels());
        let i = r.input();
        prop_assert_eq!(i.rows, hh.len() as u64);
        prop_assert_eq!(i.rows, i.classified + i.indeterminate + i.rejected);
        let in_groups: u64 = r.grouping("g").unwrap().groups().iter().map(|(_, t)| t.classified() + t.indeterminate()).sum();
        prop_assert_eq!(in_groups, i.classified + i.indeterminate);
    }
}

#[cfg(feature = "rayon")]
#[test]
fn parallel_report_has_the_same_counts() {
    let s = Standard::builtin("vn-2027-2030").unwrap();
    let country = chuan_ngheo::population::sample_data::country(300_000, 9);
    let hh: Vec<_> = country.iter().map(|h| h.to_household(s)).collect();
    let labels: Vec<String> = chuan_ngheo::population::sample_data::PROVINCES
        .iter()
        .map(|p| p.0.to_string())
        .collect();
    let keys: Vec<u32> = country.iter().map(|h| h.province as u32).collect();
    let pop = Population {
        households: &hh,
        weights: None,
        groups: vec![GroupColumn {
            name: "province",
            labels: &labels,
            keys: &keys,
        }],
    };
    assert_eq!(
        report(s, &pop).to_json(),
        chuan_ngheo::population::report_par(s, &pop).to_json()
    );
}

#[test]
fn nested_weights_follow_the_dimensions() {
    // 2027-2030: water and sanitation has three indicators (water, sanitation, waste) and
    // information one (digital services): nested weights give 1/18 and 1/6.
    let s = Standard::builtin("vn-2027-2030").unwrap();
    let spec = AfSpec::new(s, Weighting::Nested, 1, 3).unwrap();
    assert!((spec.weight_share(Indicator::Water) - 1.0 / 18.0).abs() < 1e-15);
    assert!((spec.weight_share(Indicator::DigitalServices) - 1.0 / 6.0).abs() < 1e-15);
    assert!((spec.weight_share(Indicator::Employment) - 1.0 / 12.0).abs() < 1e-15);
    // Exactly at the cut-off of one third: digital services (1/6) + employment and
    // dependants (1/12 each) = 1/3, poor by exact integer comparison.
    let d = chuan_ngheo::IndicatorSet::from_iter([
        Indicator::DigitalServices,
        Indicator::Employment,
        Indicator::Dependants,
    ]);
    assert!(spec.is_poor(spec.score(d)));
    let d = chuan_ngheo::IndicatorSet::from_iter([
        Indicator::DigitalServices,
        Indicator::Employment,
        Indicator::Water,
    ]);
    assert!(!spec.is_poor(spec.score(d)), "1/6 + 1/12 + 1/18 < 1/3");
    assert!(AfSpec::new(
        s,
        Weighting::Custom(vec![(Indicator::HealthAccess, 1)]),
        1,
        3
    )
    .is_err());
    assert!(AfSpec::equal(s, 0).is_err());
}

#[test]
fn af_change_between_reports_is_refused_across_standards() {
    let country = chuan_ngheo::population::sample_data::country(5_000, 3);
    let run = |id: &str| {
        let s = Standard::builtin(id).unwrap();
        let hh: Vec<_> = country.iter().map(|h| h.to_household(s)).collect();
        report(
            s,
            &Population {
                households: &hh,
                weights: None,
                groups: vec![],
            },
        )
    };
    let a = run("vn-2022-2025");
    let b = run("vn-2027-2030");
    assert!(matches!(
        a.af_change(2026, &b, 2027)
            .map_err(chuan_ngheo::Error::into_kind),
        Err(ErrorKind::StandardBreak { .. })
    ));
    let c = a.af_change(2022, &a, 2024).unwrap();
    assert_eq!(c.m0.absolute, 0.0);
    assert!(a.af_change(2024, &a, 2022).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_stream_gives_the_same_report_as_the_slice((s, hh, keys) in population()) {
        let labels = labels();
        let rows: Vec<[&str; 1]> = keys.iter().map(|k| [labels[*k as usize].as_str()]).collect();
        let streamed = chuan_ngheo::population::report_stream(
            s,
            &["g"],
            false,
            hh.iter().zip(&rows).map(|(h, l)| chuan_ngheo::population::Row { household: *h, weight: 1.0, labels: l }),
        );
        // The slice report lists every label of the caller's table, the stream only those it
        // saw: compare with empty groups left out.
        let non_empty = |mut v: serde_json::Value| {
            if let Some(groups) = v["groups"]["g"].as_object_mut() {
                groups.retain(|_, g| g["households"].as_object().is_some_and(|h| h.values().any(|n| n.as_u64() != Some(0))));
            }
            v
        };
        let sliced = non_empty(run(s, &hh, &keys, &labels).to_json());
        prop_assert!(non_empty(streamed.to_json()) == sliced, "stream and slice reports differ");
    }
}

#[test]
fn custom_weights_are_reduced_and_bounded() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    // 10, 20, 30 ... behave as 1, 2, 3: same shares.
    let tens: Vec<(Indicator, u32)> = s
        .indicators()
        .iter()
        .enumerate()
        .map(|(i, x)| (x, 10 * (1 + i as u32 % 3)))
        .collect();
    let ones: Vec<(Indicator, u32)> = s
        .indicators()
        .iter()
        .enumerate()
        .map(|(i, x)| (x, 1 + i as u32 % 3))
        .collect();
    let a = AfSpec::new(s, Weighting::Custom(tens), 1, 3).unwrap();
    let b = AfSpec::new(s, Weighting::Custom(ones), 1, 3).unwrap();
    assert_eq!(a, b);
    // Weights so fine-grained that scores could run into the billions are refused.
    let huge: Vec<(Indicator, u32)> = s
        .indicators()
        .iter()
        .enumerate()
        .map(|(i, x)| (x, u32::MAX - i as u32))
        .collect();
    assert!(AfSpec::new(s, Weighting::Custom(huge), 1, 3).is_err());
}
