//! Property tests with extreme values: money read from JSON numbers keeps every digit, and the
//! library API (standards, reforms, households, series) gives a result or a typed error for
//! any value, never a panic.

use chuan_ngheo::exit::{cliff, exit_paths};
use chuan_ngheo::population::{report_stream, Row};
use chuan_ngheo::records::{classify_json_line, LineResult};
use chuan_ngheo::reform::{diff, IncomeLine, Patch, Reform};
use chuan_ngheo::standard::StandardKind;
use chuan_ngheo::target::{builtin_sets, change, check, Observation};
use chuan_ngheo::{
    classify, Area, Household, IndicatorSet, Lang, Registry, Standard, StandardChoice, Vnd,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Any decimal, the ends of the range and the smallest step included.
fn extreme_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
        Just(Decimal::new(1, 28)),
        Just(Decimal::new(-1, 28)),
        (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28
        )
            .prop_map(|(lo, mid, hi, neg, s)| Decimal::from_parts(lo, mid, hi, neg, s)),
    ]
}

fn extreme_vnd() -> impl Strategy<Value = Vnd> {
    extreme_decimal().prop_map(Vnd::new)
}

fn extreme_year() -> impl Strategy<Value = i32> {
    prop_oneof![
        Just(i32::MIN),
        Just(i32::MAX),
        Just(0),
        1890i32..2210,
        any::<i32>()
    ]
}

fn builtin() -> impl Strategy<Value = &'static Standard> {
    (0usize..3).prop_map(|i| &Standard::builtins()[i])
}

fn household(indicators: IndicatorSet) -> impl Strategy<Value = Household> {
    (
        prop_oneof![Just(Area::Rural), Just(Area::Urban)],
        prop_oneof![Just(0u32), Just(1u32), Just(u32::MAX), any::<u32>()],
        extreme_vnd(),
        any::<u16>(),
        any::<u16>(),
    )
        .prop_map(move |(area, members, income, d, u)| {
            let pick = |bits: u16| -> IndicatorSet {
                indicators
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| bits & (1 << i) != 0)
                    .map(|(_, x)| x)
                    .collect()
            };
            let deprived = pick(d);
            Household::new(area, members, income)
                .with_deprivations(deprived)
                .with_unknown(pick(u).difference(deprived))
        })
}

fn line() -> impl Strategy<Value = IncomeLine> {
    prop_oneof![
        Just(IncomeLine::PovertyLine),
        Just(IncomeLine::NearPovertyLine),
        Just(IncomeLine::AverageBandTop),
        Just(IncomeLine::LowIncomeWorkerLine),
    ]
}

fn patch() -> impl Strategy<Value = Patch> {
    prop_oneof![
        (
            line(),
            proptest::option::of(extreme_vnd()),
            proptest::option::of(extreme_vnd())
        )
            .prop_map(|(line, rural, urban)| Patch::SetLine { line, rural, urban }),
        (
            line(),
            proptest::option::of(extreme_decimal()),
            proptest::option::of(extreme_decimal())
        )
            .prop_map(|(line, rural, urban)| Patch::ScaleLine { line, rural, urban }),
        line().prop_map(|line| Patch::RemoveLine { line }),
        prop_oneof![Just(0u32), Just(u32::MAX), 0u32..20]
            .prop_map(|value| Patch::SetCutoff { value }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A money amount written as a JSON number, in any notation, is read digit for digit.
    #[test]
    fn json_numbers_round_trip_money_exactly(
        mantissa in 0i64..=i64::MAX, scale in 0u32..=28, exponent in any::<bool>(),
    ) {
        let amount = Decimal::new(mantissa, scale);
        let number = if exponent {
            format!("{mantissa}e-{scale}")
        } else {
            amount.to_string()
        };
        let text = format!(
            r#"{{"id":"a","year":2024,"area":"rural","members":4,"income_per_capita":{number}}}"#
        );
        let out = classify_json_line(1, &text, &Registry::new(), StandardChoice::FromRecord, Lang::En);
        let LineResult::Assessed(a) = out else { panic!("{text} rejected") };
        let v = serde_json::to_value(&a).unwrap();
        prop_assert_eq!(v["income_per_capita"].as_str().unwrap(), amount.normalize().to_string());
    }

    /// Standards with extreme lines and cut-offs, reforms with extreme patches, households
    /// with extreme incomes and sizes: results or typed errors, never a panic.
    #[test]
    fn the_library_api_never_panics_on_extreme_values(
        base in builtin(),
        poverty in (extreme_vnd(), extreme_vnd()),
        band in proptest::option::of((extreme_vnd(), extreme_vnd())),
        cutoff in prop_oneof![Just(0u32), Just(u32::MAX), 0u32..20],
        patches in proptest::collection::vec(patch(), 0..4),
        households in proptest::collection::vec(household(IndicatorSet::from_iter(chuan_ngheo::Indicator::ALL)), 1..8),
        within in extreme_vnd(),
    ) {
        let mut data = base.data().clone();
        data.id = "extreme".into();
        data.kind = StandardKind::Local;
        (data.poverty_line.value.rural, data.poverty_line.value.urban) = poverty;
        if let (Some(top), Some((r, u))) = (data.average_band_top.as_mut(), band) {
            (top.value.rural, top.value.urban) = (r, u);
        }
        data.deprivation_cutoff.value = cutoff;
        let standards: Vec<Standard> = [Standard::new(data).ok(), Some(base.clone())]
            .into_iter()
            .flatten()
            .collect();
        for s in &standards {
            let reform = Reform { name: "x".into(), description: None, base: s.id().into(), changes: patches.clone() };
            let reformed = reform.apply(s).ok();
            for s in std::iter::once(s).chain(reformed.as_ref()) {
                let _ = diff(base, s);
                for h in &households {
                    let h = h.restricted_to(s.indicators());
                    if let Ok(a) = classify(s, &h) {
                        let _ = a.sentence(Lang::Vi).to_string();
                        let _ = a.sentence(Lang::En).to_string();
                    }
                    let _ = exit_paths(s, &h);
                    let _ = cliff(s, &h, within);
                }
                let rows = households.iter().map(|h| Row { household: h.restricted_to(s.indicators()), weight: 1.0, labels: &["x"] });
                let r = report_stream(s, &["g"], false, rows);
                prop_assert_eq!(r.input().rows, households.len() as u64);
                let _ = r.to_json();
            }
        }
    }

    /// Series with any years and values: checks and changes give results or typed errors.
    #[test]
    fn series_with_extreme_years_and_values_never_panic(
        points in proptest::collection::vec((extreme_year(), extreme_decimal()), 1..6),
        pick in 0usize..32,
        base_year in extreme_year(),
        end_year in extreme_year(),
    ) {
        let sets = builtin_sets();
        let targets: Vec<_> = sets.iter().flat_map(|s| &s.targets).collect();
        let mut t = targets[pick % targets.len()].clone();
        let standard = t.standard.clone().unwrap_or_else(|| "vn-2027-2030".into());
        let series: Vec<Observation> = points
            .iter()
            .map(|(y, v)| Observation::of(t.measure, t.subgroup.clone(), *y, *v, &standard))
            .collect();
        let _ = check(&t, &series);
        (t.base_year, t.end_year) = (base_year, end_year);
        let _ = check(&t, &series);
        for w in series.windows(2) {
            let _ = change(&w[0], &w[1]);
        }
    }
}

/// Pieces of the crate's JSON documents, to build broken files from.
fn json_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"value\"".to_string()),
        Just("\"rural\"".to_string()),
        Just("\"provenance\"".to_string()),
        Just("\"citation\"".to_string()),
        Just("\"kind\"".to_string()),
        Just("\"observations\"".to_string()),
        Just("\"targets\"".to_string()),
        Just("1e999".to_string()),
        Just("-0.0000000000000000000000000001".to_string()),
        Just("18446744073709551616".to_string()),
        Just("\"2021-02-29\"".to_string()),
        Just("null".to_string()),
        "\\PC{0,8}".prop_map(|s| format!("{s:?}")),
    ];
    proptest::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Broken standard, reform, target-set and series files give typed errors, never a panic;
    /// so do the built-in files with one key's value replaced by garbage.
    #[test]
    fn broken_data_files_are_errors_never_panics(
        soup in json_soup(),
        pick in 0usize..3,
        cut in any::<prop::sample::Index>(),
    ) {
        let _ = Standard::from_json(&soup);
        let _ = Reform::from_json(&soup);
        let _ = chuan_ngheo::target::TargetSet::from_json(&soup);
        let _ = chuan_ngheo::target::Series::from_json(&soup);
        let (_, file) = chuan_ngheo::standard::BUILTIN_FILES[pick];
        let at = cut.index(file.len());
        let at = (0..=at).rev().find(|i| file.is_char_boundary(*i)).unwrap_or(0);
        let spliced = format!("{}{}{}", &file[..at], soup, &file[at..]);
        let _ = Standard::from_json(&spliced);
    }
}

mod weights_at_the_report {
    use chuan_ngheo::population::{report_rows, ReportOptions, Row};
    use chuan_ngheo::{classify, Area, Household, Standard, Vnd};

    fn rows(n: usize, weight: f64) -> impl Iterator<Item = Row<[&'static str; 0]>> {
        (0..n).map(move |_| Row {
            household: Household::new(Area::Rural, 4, Vnd::from_dong(1_000_000)),
            weight,
            labels: [],
        })
    }

    #[test]
    fn a_weighted_and_an_unweighted_report_do_not_merge_unless_one_is_empty() {
        let s = Standard::builtin("vn-2022-2025").unwrap();
        let weighted = ReportOptions::new().weighted(true);
        let mut w = report_rows::<_, _, &str>(s, &weighted, rows(2, 3.0)).unwrap();
        let u = report_rows::<_, _, &str>(s, &ReportOptions::new(), rows(2, 1.0)).unwrap();
        let e = w.merge(&u).unwrap_err();
        assert!(e.to_string().contains("weighted"), "{e}");
        let mut empty = report_rows::<_, _, &str>(s, &ReportOptions::new(), rows(0, 1.0)).unwrap();
        empty.merge(&w).unwrap();
        assert!(empty.is_weighted());
        assert_eq!(empty.input().rows, 2);
    }

    #[test]
    fn report_add_refuses_nan_negative_and_infinite_weights() {
        let s = Standard::builtin("vn-2022-2025").unwrap();
        let weighted = ReportOptions::new().weighted(true);
        let mut r = report_rows::<_, _, &str>(s, &weighted, rows(1, 2.0)).unwrap();
        let a = classify(
            s,
            &Household::new(Area::Rural, 4, Vnd::from_dong(1_000_000)),
        )
        .unwrap();
        for w in [f64::NAN, -1.0, f64::INFINITY] {
            r.add(&a, 4, w, &[]);
        }
        assert_eq!((r.input().rows, r.input().rejected), (4, 3));
        assert!(r.total().rate(chuan_ngheo::PovertyClass::Poor).is_finite());
    }
}

#[cfg(feature = "csv")]
mod saved_state_duplicates {
    use chuan_ngheo::population::csv::{read_report, CsvOptions};
    use chuan_ngheo::population::precision::PrecisionOptions;
    use chuan_ngheo::{Report, Standard};

    #[test]
    fn a_label_or_psu_repeated_right_after_itself_is_refused_on_load() {
        let s = Standard::builtin("vn-2022-2025").unwrap();
        let table = include_str!("../data/survey-sample.csv");
        let options = CsvOptions::new()
            .group_by("province")
            .precision(PrecisionOptions::default());
        let r = read_report(table.as_bytes(), s, &options).unwrap();
        let saved = serde_json::to_value(&r).unwrap();
        Report::from_saved(&saved.to_string(), s).unwrap();
        type Edit = fn(&mut serde_json::Value);
        let edits: [(&str, Edit); 3] = [
            ("grouping label", |v| {
                let l = &mut v["state"]["groupings"][0]["labels"];
                l[1] = l[0].clone();
            }),
            ("precision label", |v| {
                let l = &mut v["state"]["precision"]["labels"][0];
                l[1] = l[0].clone();
            }),
            ("psu", |v| {
                let p = &mut v["state"]["precision"]["psus"];
                p[1] = p[0].clone();
            }),
        ];
        for (what, edit) in edits {
            let mut v = saved.clone();
            edit(&mut v);
            assert!(
                Report::from_saved(&v.to_string(), s).is_err(),
                "{what} repeated loaded"
            );
        }
    }
}

#[cfg(feature = "csv")]
#[test]
fn a_separator_byte_inside_a_stratum_id_never_merges_psus_of_different_strata() {
    use chuan_ngheo::population::csv::{read_report, CsvOptions};
    use chuan_ngheo::population::precision::PrecisionOptions;
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let codes: Vec<&str> = s.indicators().iter().map(|i| i.code()).collect();
    let mut t = format!(
        "id,area,members,income_per_capita,{},weight,stratum,psu\n",
        codes.join(",")
    );
    let zeros = vec!["0"; codes.len()].join(",");
    // (a\x1fb, c) and (a, b\x1fc) are two PSUs of two strata, not one.
    for (i, (stratum, psu)) in [
        ("a\u{1f}b", "c"),
        ("a", "b\u{1f}c"),
        ("a\u{1f}b", "d"),
        ("a", "e"),
    ]
    .iter()
    .enumerate()
    {
        for j in 0..2 {
            let income = 1_000_000 + 400_000 * ((i + j) % 3);
            t.push_str(&format!(
                "h{i}{j},rural,4,{income},{zeros},1,{stratum},{psu}\n"
            ));
        }
    }
    let options = CsvOptions::new().precision(PrecisionOptions::default());
    let r = read_report(t.as_bytes(), s, &options).unwrap();
    let j = r.to_json();
    assert_eq!(
        (
            j["precision"]["strata"].as_u64(),
            j["precision"]["psus"].as_u64()
        ),
        (Some(2), Some(4)),
        "{}",
        j["precision"]
    );
}

#[cfg(feature = "csv")]
mod mutated_saved_states {
    //! A saved report edited by hand: each number of its state replaced by an extreme, the
    //! report is refused with a typed error or loads into one whose figures are consistent:
    //! no panic (debug builds check every addition), rates and measures within [0, 1].
    use chuan_ngheo::population::csv::{read_report, CsvOptions};
    use chuan_ngheo::{PovertyClass, Report, Standard};
    use proptest::prelude::*;
    use serde_json::Value;

    /// The paths of a document's numbers (and of its strings, with `strings`: the exact
    /// sums' digits).
    fn leaves(v: &Value, strings: bool, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            Value::Number(_) => out.push(path.clone()),
            Value::String(_) if strings => out.push(path.clone()),
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(i.to_string());
                    leaves(x, strings, path, out);
                    path.pop();
                }
            }
            Value::Object(o) => {
                for (k, x) in o {
                    path.push(k.clone());
                    leaves(x, strings, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn at<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
        path.iter().fold(v, |v, k| match v {
            Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            other => &mut other[k.as_str()],
        })
    }

    fn saved() -> (Value, Vec<Vec<String>>) {
        let s = Standard::builtin("vn-2022-2025").unwrap();
        let table: String = include_str!("../data/households-sample.csv")
            .lines()
            .take(400)
            .map(|l| format!("{l}\n"))
            .collect();
        let r = read_report(table.as_bytes(), s, &CsvOptions::new().group_by("province")).unwrap();
        let v = serde_json::to_value(&r).unwrap();
        let mut paths = Vec::new();
        leaves(
            &v["state"],
            false,
            &mut vec!["state".to_owned()],
            &mut paths,
        );
        (v, paths)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn an_edited_state_is_refused_or_consistent(
            picks in prop::collection::vec((any::<prop::sample::Index>(), 0usize..6), 1..4),
        ) {
            let (mut v, paths) = saved();
            for (i, kind) in &picks {
                let path = &paths[i.index(paths.len())];
                let value: Value = match kind {
                    0 => u64::MAX.into(),
                    1 => (u64::MAX / 2 + 1).into(),
                    2 => 0.into(),
                    3 => serde_json::json!(-1),
                    4 => serde_json::json!(1e300),
                    _ => 4097.into(),
                };
                *at(&mut v, path) = value;
            }
            let s = Standard::builtin("vn-2022-2025").unwrap();
            if let Ok(r) = Report::from_saved(&v.to_string(), s) {
                let _ = r.to_json();
                let input = r.input();
                prop_assert!(input.classified + input.indeterminate + input.rejected >= input.rejected);
                for c in PovertyClass::DETERMINATE {
                    let rate = r.total().rate(c);
                    prop_assert!((0.0..=1.0).contains(&rate), "{c:?} {rate}");
                }
                let af = r.af();
                for m in [af.h, af.a, af.m0] {
                    prop_assert!((0.0..=1.0).contains(&m), "{af:?}");
                }
                let mut twice = r.clone();
                let _ = twice.merge(&r);
            }
        }
    }
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// The same for a weighted survey report with a design: its exact sums (exponents and
        /// digits), PSUs and labels edited, it is refused with a typed error or gives figures
        /// that are numbers, with intervals within [0, 1].
        #[test]
        fn an_edited_survey_state_is_refused_or_consistent(
            picks in prop::collection::vec((any::<prop::sample::Index>(), 0usize..8), 1..4),
        ) {
            use chuan_ngheo::population::precision::PrecisionOptions;
            let s = Standard::builtin("vn-2022-2025").unwrap();
            let table: String = include_str!("../data/survey-sample.csv")
                .lines()
                .take(300)
                .map(|l| format!("{l}\n"))
                .collect();
            let options = CsvOptions::new()
                .group_by("province")
                .precision(PrecisionOptions::default());
            let r = read_report(table.as_bytes(), s, &options).unwrap();
            let mut v = serde_json::to_value(&r).unwrap();
            let mut paths = Vec::new();
            leaves(&v["state"], true, &mut vec!["state".to_owned()], &mut paths);
            for (i, kind) in &picks {
                let path = &paths[i.index(paths.len())];
                let value: Value = match kind {
                    0 => u64::MAX.into(),
                    1 => serde_json::json!(-2000),
                    2 => serde_json::json!(2000),
                    3 => "0".into(),
                    4 => "9".repeat(80).into(),
                    5 => "-1".into(),
                    6 => "1606938044258990275541962092341162602522202993782792835301376".into(), // 2^200
                    _ => serde_json::json!(i32::MIN),
                };
                *at(&mut v, path) = value;
            }
            if let Ok(r) = Report::from_saved(&v.to_string(), s) {
                let _ = r.to_json();
                for c in PovertyClass::DETERMINATE {
                    let rate = r.total().rate(c);
                    prop_assert!(rate.is_finite(), "{c:?} {rate}");
                }
                if let Some(Ok(block)) = r.precision() {
                    for (name, e) in &block.estimates {
                        prop_assert!(!e.estimate.is_nan() && !e.se.is_nan(), "{name}: {e:?}");
                        prop_assert!((0.0..=1.0).contains(&e.ci95.0) || e.ci95.0.is_nan(), "{name}: {e:?}");
                    }
                }
                let mut twice = r.clone();
                let _ = twice.merge(&r);
            }
        }
    }
}
