//! Target checks on the published figures (standards.md §9) and on both sides of each bound.

use chuan_ngheo::target::{
    builtin_sets, change, check, Goal, Measure, Observation, Subgroup, Target, TargetSet, Verdict,
};
use chuan_ngheo::ErrorKind;
use chuan_ngheo::{Error, Lang};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn set(id: &str) -> TargetSet {
    builtin_sets().into_iter().find(|s| s.id == id).unwrap()
}

fn national(year: i32, v: &str, standard: &str) -> Observation {
    Observation::rate(year, d(v), standard)
}

fn em(year: i32, v: &str, standard: &str) -> Observation {
    Observation::of(
        Measure::PoorRate,
        Subgroup::EthnicMinority,
        year,
        d(v),
        standard,
    )
}

#[test]
fn ntp_2021_2025_national_series_5_20_to_4_03_to_2_93_is_on_track() {
    let s = set("ntp-2021-2025");
    let t = s.target("ntp-2021-2025/national").unwrap();
    let series = [
        national(2021, "5.20", "vn-2022-2025"),
        national(2022, "4.03", "vn-2022-2025"),
        national(2023, "2.93", "vn-2022-2025"),
    ];
    let c = check(t, &series).unwrap();
    assert_eq!(
        c.yearly_changes[0].change,
        d("-1.17"),
        "5.20 -> 4.03 is -1.17 pp"
    );
    assert_eq!(
        c.yearly_changes[1].change,
        d("-1.10"),
        "4.03 -> 2.93 is -1.10 pp"
    );
    assert_eq!(c.average_yearly_change, d("-1.135"));
    assert_eq!(c.status, Verdict::OnTrack);
    assert_eq!(c.aspiration_met, Some(false), "1.135 < 1.5");
    // 1 pp a year over 2021-2025 is 4 points; 2.27 achieved, 1.73 left over two years.
    assert_eq!(c.pace_needed, Some(d("0.865")));
    // One year alone: -1.17 meets the 1-1.5 range.
    let c = check(t, &series[..2]).unwrap();
    assert_eq!(c.status, Verdict::OnTrack);
    let en = c.sentence(t, Lang::En).to_string();
    let vi = c.sentence(t, Lang::Vi).to_string();
    assert!(
        en.contains("on track") && en.contains("Resolution 24/2021/QH15"),
        "{en}"
    );
    assert!(
        vi.contains("đúng tiến độ") && vi.contains("Nghị quyết 24/2021/QH15"),
        "{vi}"
    );
}

#[test]
fn ntp_2021_2025_ethnic_minority_minus_4_89_meets_more_than_3() {
    let s = set("ntp-2021-2025");
    let t = s.target("ntp-2021-2025/ethnic-minority").unwrap();
    let c = check(
        t,
        &[
            em(2021, "25.91", "vn-2022-2025"),
            em(2022, "21.02", "vn-2022-2025"),
        ],
    )
    .unwrap();
    assert_eq!(c.yearly_changes[0].change, d("-4.89"));
    assert_eq!(c.status, Verdict::OnTrack);
}

#[test]
fn a_rise_across_the_2022_change_of_standard_is_refused_not_reported() {
    let s = set("ntp-2021-2025");
    let t = s.target("ntp-2021-2025/national").unwrap();
    // 2.23% (2021, old standard) -> 4.03% (2022, new standard) is not a rise of 1.8 points.
    let e = check(
        t,
        &[
            national(2021, "2.23", "vn-2016-2020"),
            national(2022, "4.03", "vn-2022-2025"),
        ],
    )
    .unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::StandardBreak {
                from_year: 2021,
                to_year: 2022,
                ..
            }
        ),
        "{e}"
    );
    let e = change(
        &national(2021, "2.23", "vn-2016-2020"),
        &national(2022, "4.03", "vn-2022-2025"),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::StandardBreak { .. }));
    // With the rebased 2021 baseline of 5.20% beside the published 2.23%, the series is fine.
    let series = [
        national(2021, "2.23", "vn-2016-2020"),
        national(2021, "5.20", "vn-2022-2025"),
        national(2022, "4.03", "vn-2022-2025"),
    ];
    let c = check(t, &series).unwrap();
    assert_eq!(c.base, (2021, d("5.20")));
    assert_eq!(c.status, Verdict::OnTrack);
}

fn reduction(floor: &str, ceiling: Option<&str>, strict: bool) -> Target {
    let mut t = set("cao-bang-2017")
        .target("cao-bang-2017/province")
        .unwrap()
        .clone();
    t.goal = Goal::YearlyReduction {
        floor: d(floor),
        strict,
        ceiling: ceiling.map(d),
    };
    t.base_year = 2019;
    t.end_year = 2020;
    t
}

#[test]
fn cao_bang_2017_a_reduction_of_exactly_2_00_points_meets_at_least_2() {
    let t = set("cao-bang-2017")
        .target("cao-bang-2017/province")
        .unwrap()
        .clone();
    assert_eq!(
        t.goal,
        Goal::YearlyReduction {
            floor: d("2"),
            strict: false,
            ceiling: None
        }
    );
    let t = Target {
        base_year: 2019,
        ..t
    };
    let at = [
        national(2019, "30.00", "vn-2016-2020"),
        national(2020, "28.00", "vn-2016-2020"),
    ];
    assert_eq!(check(&t, &at).unwrap().status, Verdict::Met);
    let short = [
        national(2019, "30.00", "vn-2016-2020"),
        national(2020, "28.01", "vn-2016-2020"),
    ];
    let c = check(&t, &short).unwrap();
    assert_eq!(c.status, Verdict::NotMet);
    assert_eq!(c.shortfall, d("0.01"));
}

#[test]
fn more_than_3_is_strict_exactly_3_00_does_not_meet() {
    let t = reduction("3", None, true);
    let exactly = [
        national(2019, "20", "vn-2016-2020"),
        national(2020, "17.00", "vn-2016-2020"),
    ];
    assert_eq!(check(&t, &exactly).unwrap().status, Verdict::NotMet);
    let above = [
        national(2019, "20", "vn-2016-2020"),
        national(2020, "16.99", "vn-2016-2020"),
    ];
    assert_eq!(check(&t, &above).unwrap().status, Verdict::Met);
}

#[test]
fn a_range_target_binds_at_its_floor_and_aspires_to_its_ceiling() {
    let t = reduction("3", Some("4"), false);
    let o = |y, v| national(y, v, "vn-2016-2020");
    let c = check(&t, &[o(2019, "20"), o(2020, "17")]).unwrap();
    assert_eq!((c.status, c.aspiration_met), (Verdict::Met, Some(false)));
    let c = check(&t, &[o(2019, "20"), o(2020, "16")]).unwrap();
    assert_eq!((c.status, c.aspiration_met), (Verdict::Met, Some(true)));
    let c = check(&t, &[o(2019, "20"), o(2020, "17.01")]).unwrap();
    assert_eq!(c.status, Verdict::NotMet);
}

fn income(year: i32, v: &str) -> Observation {
    Observation::of(
        Measure::PoorHouseholdIncome,
        Subgroup::All,
        year,
        d(v),
        "vn-2016-2020",
    )
}

#[test]
fn an_income_multiple_of_exactly_1_5_meets_1_5_times() {
    let s = set("cao-bang-2017");
    let t = s.target("cao-bang-2017/income").unwrap();
    assert_eq!(
        check(t, &[income(2015, "600000"), income(2020, "900000")])
            .unwrap()
            .status,
        Verdict::Met
    );
    let c = check(t, &[income(2015, "600000"), income(2020, "899999")]).unwrap();
    assert_eq!(c.status, Verdict::NotMet);
    // Running: growth so far against the growth the period needs.
    assert_eq!(
        check(t, &[income(2015, "600000"), income(2017, "720000")])
            .unwrap()
            .status,
        Verdict::OnTrack
    );
    assert_eq!(
        check(t, &[income(2015, "600000"), income(2017, "640000")])
            .unwrap()
            .status,
        Verdict::OffTrack
    );
}

#[test]
fn halving_poor_and_near_poor_households() {
    let s = set("ntp-2021-2025");
    let t = s.target("ntp-2021-2025/halve-poor-and-near-poor").unwrap();
    let count = |y, v: &str| {
        Observation::of(
            Measure::PoorAndNearPoorCount,
            Subgroup::All,
            y,
            d(v),
            "vn-2022-2025",
        )
    };
    assert_eq!(
        check(t, &[count(2021, "2000000"), count(2025, "1000000")])
            .unwrap()
            .status,
        Verdict::Met
    );
    assert_eq!(
        check(t, &[count(2021, "2000000"), count(2025, "1000001")])
            .unwrap()
            .status,
        Verdict::NotMet
    );
    // Published counts (standards.md §9): 2022 poor 1,057,374 + near-poor 915,274 = 1,972,648;
    // 2024 poor plus near-poor 1,258,997. No 2021 count under the new standard is published,
    // so this check starts from 2022: the linear path to half (986,324 by 2025) allows
    // at most 1,315,098.67 by 2024, and 1,258,997 is under it.
    let from_2022 = Target {
        base_year: 2022,
        ..t.clone()
    };
    let c = check(
        &from_2022,
        &[count(2022, "1972648"), count(2024, "1258997")],
    )
    .unwrap();
    assert_eq!(c.status, Verdict::OnTrack);
    let c = check(
        &from_2022,
        &[count(2022, "1972648"), count(2024, "1315100")],
    )
    .unwrap();
    assert_eq!(c.status, Verdict::OffTrack);
}

#[test]
fn level_targets_are_strict_when_they_say_under() {
    let s = set("ntp-2026-2030");
    let t = s
        .target("ntp-2026-2030/ethnic-minority-mountain-level")
        .unwrap();
    let o = |y, v: &str| {
        Observation::of(
            Measure::PoorRate,
            Subgroup::EthnicMinorityAndMountainAreas,
            y,
            d(v),
            "vn-2027-2030",
        )
    };
    assert_eq!(
        check(t, &[o(2025, "15"), o(2030, "10.00")]).unwrap().status,
        Verdict::NotMet
    );
    assert_eq!(
        check(t, &[o(2025, "15"), o(2030, "9.99")]).unwrap().status,
        Verdict::Met
    );
    assert_eq!(
        check(t, &[o(2025, "15"), o(2027, "12")]).unwrap().status,
        Verdict::OnTrack
    );
    assert_eq!(
        check(t, &[o(2025, "15"), o(2027, "14.5")]).unwrap().status,
        Verdict::OffTrack
    );
}

#[test]
fn a_check_needs_its_base_year_and_a_later_year() {
    let s = set("ntp-2021-2025");
    let t = s.target("ntp-2021-2025/national").unwrap();
    assert!(matches!(
        check(t, &[national(2022, "4.03", "vn-2022-2025")]).map_err(Error::into_kind),
        Err(ErrorKind::Missing { .. })
    ));
    assert!(matches!(
        check(t, &[national(2021, "5.20", "vn-2022-2025")]).map_err(Error::into_kind),
        Err(ErrorKind::Missing { .. })
    ));
    assert!(matches!(
        check(t, &[]).map_err(Error::into_kind),
        Err(ErrorKind::Missing { .. })
    ));
}

#[test]
fn target_sets_round_trip_through_json_and_reject_unknown_fields() {
    for s in builtin_sets() {
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(TargetSet::from_json(&json).unwrap(), s);
        for t in &s.targets {
            assert!(t.end_year > t.base_year, "{}", t.id);
            if let Goal::YearlyReduction { floor, .. } = t.goal {
                assert!(floor > Decimal::ZERO, "{}", t.id);
            }
        }
    }
    let mut v = serde_json::to_value(set("ntp-2021-2025")).unwrap();
    v["targets"][0]["goal"]["flor"] = "1".into();
    assert!(TargetSet::from_json(&v.to_string()).is_err());
}

#[test]
fn mpitb_change_measures() {
    let c = change(
        &national(2022, "4.03", "vn-2022-2025"),
        &national(2023, "2.93", "vn-2022-2025"),
    )
    .unwrap();
    assert!((c.absolute - -1.10).abs() < 1e-12);
    assert!((c.relative - (-1.10 / 4.03)).abs() < 1e-12);
    let c = change(
        &national(2021, "5.20", "vn-2022-2025"),
        &national(2023, "2.93", "vn-2022-2025"),
    )
    .unwrap();
    assert!((c.annualized_absolute - -1.135).abs() < 1e-12);
    assert!((c.annualized_relative - ((2.93f64 / 5.20).sqrt() - 1.0)).abs() < 1e-12);
}

proptest::proptest! {
    /// A series that meets a reduction target still meets it when every later rate is lowered.
    #[test]
    fn lowering_later_rates_keeps_a_met_target_met(
        base in 500u32..4000, cuts in proptest::collection::vec(0u32..400, 1..5), lower in proptest::collection::vec(0u32..100, 5),
    ) {
        let t = set("ntp-2021-2025").target("ntp-2021-2025/national").unwrap().clone();
        let pct = |hundredths: u32| Decimal::new(hundredths as i64, 2);
        let mut series = vec![national(2021, &pct(base).to_string(), "vn-2022-2025")];
        let mut v = base as i64;
        for (i, c) in cuts.iter().enumerate() {
            v = (v - *c as i64).max(0);
            series.push(national(2022 + i as i32, &pct(v as u32).to_string(), "vn-2022-2025"));
        }
        let before = check(&t, &series).unwrap().status;
        let lowered: Vec<Observation> = series.iter().enumerate().map(|(i, o)| {
            if i == 0 { o.clone() } else {
                let v = (o.value - pct(lower[i - 1])).max(Decimal::ZERO);
                Observation { value: v, ..o.clone() }
            }
        }).collect();
        let after = check(&t, &lowered).unwrap().status;
        if matches!(before, Verdict::Met | Verdict::OnTrack) {
            proptest::prop_assert!(matches!(after, Verdict::Met | Verdict::OnTrack), "{before:?} -> {after:?}");
        }
    }
}

fn extreme() -> impl proptest::strategy::Strategy<Value = Decimal> {
    use proptest::prelude::*;
    prop_oneof![
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
        Just(Decimal::new(1, 28)),
        (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
    ]
}

proptest::proptest! {
    /// Observations come from files: any values give a check or a typed error, never a panic.
    #[test]
    fn any_observed_values_give_a_result_or_an_error_never_a_panic(
        values in proptest::collection::vec(extreme(), 2..5), pick in 0usize..14,
    ) {
        let sets = builtin_sets();
        let targets: Vec<&Target> = sets.iter().flat_map(|s| &s.targets).collect();
        let t = targets[pick % targets.len()];
        let standard = t.standard.clone().unwrap_or_else(|| "vn-2027-2030".into());
        let series: Vec<Observation> = values.iter().enumerate().map(|(i, v)| {
            Observation::of(t.measure, t.subgroup.clone(), t.base_year + i as i32, *v, &standard)
        }).collect();
        let _ = check(t, &series);
    }
}

#[test]
fn a_target_whose_period_ends_before_it_starts_is_an_error() {
    let mut t = set("ntp-2021-2025")
        .target("ntp-2021-2025/national")
        .unwrap()
        .clone();
    t.end_year = t.base_year;
    assert!(matches!(
        check(&t, &[national(2021, "5", "vn-2022-2025")]).map_err(Error::into_kind),
        Err(ErrorKind::InvalidValue { .. })
    ));
}

// ---- The published figures as data (standards.md §9) ----

fn published(id: &str) -> &'static [Observation] {
    &chuan_ngheo::target::published_series(id)
        .unwrap()
        .observations
}

fn builtin(set: &str, target: &str) -> Target {
    chuan_ngheo::target::builtin_set(set)
        .unwrap()
        .target(target)
        .unwrap()
        .clone()
}

#[test]
fn ntp_2016_2020_national_target_is_met_on_the_published_2015_2020_series() {
    let t = builtin("ntp-2016-2020", "ntp-2016-2020/national");
    let c = check(&t, published("national")).unwrap();
    assert_eq!(c.status, Verdict::Met);
    assert_eq!((c.base, c.latest), ((2015, d("9.88")), (2020, d("2.75"))));
    assert_eq!(c.average_yearly_change, d("-1.426"));
}

#[test]
fn ntp_2021_2025_national_target_is_on_track_through_2024() {
    let t = builtin("ntp-2021-2025", "ntp-2021-2025/national");
    let c = check(&t, published("national")).unwrap();
    assert_eq!(c.status, Verdict::OnTrack);
    assert_eq!(c.latest, (2024, d("1.93")));
    assert_eq!(c.average_yearly_change, d("-1.09"));
}

#[test]
fn cao_bang_2024_plan_is_met_by_the_published_2023_and_2024_figures() {
    let t = builtin("cao-bang-2024", "cao-bang-2024/province");
    let c = check(&t, published("cao-bang")).unwrap();
    assert_eq!(c.status, Verdict::Met);
    assert_eq!(c.average_yearly_change, d("-4.67"));
    // The 2025 plan has no 2025 figure yet: an error that says so, not a verdict.
    let t = builtin("cao-bang-2025", "cao-bang-2025/province");
    assert!(check(&t, published("cao-bang")).is_err());
}

#[test]
fn every_built_in_target_set_and_series_loads_by_id() {
    use chuan_ngheo::target::{builtin_set, published_series, SERIES_FILES, TARGET_SET_FILES};
    for (id, text) in TARGET_SET_FILES {
        let set = TargetSet::from_json(text).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(set.id, id);
        assert_eq!(builtin_set(id).unwrap(), &set);
        for t in &set.targets {
            assert!(t.id.starts_with(id), "{}", t.id);
        }
    }
    assert!(builtin_set("ntp-1990").is_err());
    for (id, _) in SERIES_FILES {
        let s = published_series(id).unwrap();
        assert!(
            s.observations.iter().all(|o| o.provenance.is_some()),
            "{id}"
        );
    }
    assert!(published_series("nowhere").is_err());
}

#[test]
fn values_print_as_rates_money_and_counts_in_each_language() {
    use chuan_ngheo::Lang;
    assert_eq!(Measure::PoorRate.format(d("5.2"), Lang::Vi), "5,20%");
    assert_eq!(Measure::NearPoorRate.format(d("2.13"), Lang::En), "2.13%");
    assert_eq!(
        Measure::PoorHouseholdIncome.format(d("480000"), Lang::En),
        "480,000 VND"
    );
    assert_eq!(
        Measure::PoorHouseholdIncome.format(d("480000"), Lang::Vi),
        "480.000 ₫"
    );
    assert_eq!(
        Measure::PoorAndNearPoorCount.format(d("1258997"), Lang::Vi),
        "1.258.997 hộ"
    );
}

#[test]
fn series_and_target_files_that_cannot_be_right_are_refused() {
    use chuan_ngheo::target::{Series, TargetSet};
    let obs = |extra: &str| {
        format!(
            r#"{{"observations": [{{"year": 2023, "value": "3.5", "standard": "vn-2022-2025", "measure": "poor_rate", "subgroup": "all"{extra}}}]}}"#
        )
    };
    Series::from_json(&obs("")).unwrap();
    let e = Series::from_json(&obs(r#", "se": "-3""#)).unwrap_err();
    assert!(e.to_string().contains("se"), "{e}");
    let e = Series::from_json(&obs("").replace("vn-2022-2025", "vn-2099")).unwrap_err();
    assert_eq!(e.code(), "unknown_standard");
    let text = include_str!("../../src/standard/data/targets/cao-bang-2025.json");
    let goal = r#""kind": "yearly_reduction",
        "floor": "4",
        "strict": false"#;
    assert!(text.contains(goal));
    TargetSet::from_json(text).unwrap();
    for bad in [
        r#""kind": "yearly_reduction", "floor": "-1""#,
        r#""kind": "yearly_reduction", "floor": "1", "ceiling": "0.5""#,
        r#""kind": "level_by", "level": "-2""#,
        r#""kind": "multiple", "factor": "0""#,
        r#""kind": "count_factor", "factor": "-0.5""#,
    ] {
        let e = TargetSet::from_json(&text.replacen(goal, bad, 1)).unwrap_err();
        assert_eq!(e.code(), "invalid_value", "{bad}: {e}");
    }
    // The same goals with possible values load.
    for good in [
        r#""kind": "yearly_reduction", "floor": "1", "ceiling": "1.5""#,
        r#""kind": "multiple", "factor": "1.5""#,
    ] {
        TargetSet::from_json(&text.replacen(goal, good, 1)).unwrap();
    }
}
