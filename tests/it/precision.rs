//! Survey precision (formats §4.1): the survey sample's estimates, standard errors and
//! intervals equal the independent reference's (checked against samplics), nationally and per
//! province, for the three standards, with and without design columns.
#![cfg(feature = "csv")]

use crate::common::*;

use chuan_ngheo::population::csv::{read_report, CsvOptions};
use chuan_ngheo::population::precision::{PrecisionBlock, PrecisionOptions};
use chuan_ngheo::{Report, Standard};
use serde_json::Value;

/// Equal to 1e-9 relative; a figure whose reference is 0 (an SE of a constant) within 1e-15,
/// double precision's rounding on figures of order 1.
fn close(path: &str, got: f64, want: f64) {
    let tol = (1e-9 * want.abs()).max(1e-15);
    assert!((got - want).abs() <= tol, "{path}: got {got}, want {want}");
}

fn check_block(path: &str, got: &PrecisionBlock, want: &Value) {
    let want = want.as_object().unwrap();
    assert_eq!(got.estimates.len(), want.len(), "{path}: estimates");
    for (name, w) in want {
        let e = got
            .get(name)
            .unwrap_or_else(|| panic!("{path}.{name} missing"));
        close(
            &format!("{path}.{name}.estimate"),
            e.estimate,
            w["estimate"].as_f64().unwrap(),
        );
        close(
            &format!("{path}.{name}.se"),
            e.se,
            w["se"].as_f64().unwrap(),
        );
        // The reference gives the symmetric interval p ± t·se; the report gives the logit
        // interval (formats §4.1), computed here from the reference's own p, se and t.
        let (p, se) = (w["estimate"].as_f64().unwrap(), w["se"].as_f64().unwrap());
        let (lo, hi) = (
            w["ci95"][0].as_f64().unwrap(),
            w["ci95"][1].as_f64().unwrap(),
        );
        let want = if se > 1e-12 && p > 0.0 && p < 1.0 {
            let t = (hi - lo) / (2.0 * se);
            let l = (p / (1.0 - p)).ln();
            let h = t * se / (p * (1.0 - p));
            (1.0 / (1.0 + (h - l).exp()), 1.0 / (1.0 + (-l - h).exp()))
        } else {
            (p, p)
        };
        close(&format!("{path}.{name}.ci95[0]"), e.ci95.0, want.0);
        close(&format!("{path}.{name}.ci95[1]"), e.ci95.1, want.1);
        assert!(
            (0.0..=1.0).contains(&e.ci95.0) && (0.0..=1.0).contains(&e.ci95.1),
            "{path}.{name}: {:?}",
            e.ci95
        );
    }
}

fn survey(table: &str, standard: &str, threads: usize) -> Report {
    let s = Standard::builtin(standard).unwrap();
    let options = CsvOptions::new()
        .group_by("province")
        .threads(threads)
        .precision(PrecisionOptions::default());
    read_report(table.as_bytes(), s, &options).unwrap()
}

#[test]
fn survey_sample_precision_equals_the_reference_for_each_standard_by_province() {
    let table = data("survey-sample.csv");
    for standard in ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030"] {
        let want: Value = serde_json::from_str(&data(&format!(
            "survey-sample.{standard}.precision.expected.json"
        )))
        .unwrap();
        for threads in [1, 2] {
            let r = survey(&table, standard, threads);
            let top = r.precision().unwrap().unwrap();
            assert_eq!(
                (top.strata, top.psus, top.df),
                (
                    want["strata"].as_u64().unwrap(),
                    want["psus"].as_u64().unwrap(),
                    want["df"].as_u64().unwrap()
                ),
                "{standard}"
            );
            check_block(standard, &top, &want["estimates"]);
            let groups = r.precision_by_group("province").unwrap().unwrap();
            let wg = want["groups"]["province"].as_object().unwrap();
            assert_eq!(groups.len(), wg.len());
            for (label, block) in &groups {
                check_block(&format!("{standard}.province.{label}"), block, &wg[*label]);
            }
        }
    }
}

#[test]
fn without_design_columns_each_household_is_its_own_psu_in_one_stratum() {
    let table: String = data("survey-sample.csv")
        .lines()
        .map(|l| {
            // Drop the stratum and psu columns (the two before the last).
            let cells: Vec<&str> = l.split(',').collect();
            let n = cells.len();
            [&cells[..n - 3], &cells[n - 1..]].concat().join(",")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let want: Value = serde_json::from_str(&data(
        "survey-sample.vn-2022-2025.no-design.precision.expected.json",
    ))
    .unwrap();
    let r = survey(&table, "vn-2022-2025", 2);
    let top = r.precision().unwrap().unwrap();
    assert_eq!((top.strata, top.psus, top.df), (1, 20000, 19999));
    check_block("no-design", &top, &want["estimates"]);
}

/// Two independent rounds: the survey sample split by row parity stands for two samples.
fn rounds() -> (Report, Report) {
    let table = data("survey-sample.csv");
    let mut lines = table.lines();
    let head = lines.next().unwrap();
    let (mut a, mut b) = (format!("{head}\n"), format!("{head}\n"));
    for (i, l) in lines.enumerate() {
        let t = if i % 2 == 0 { &mut a } else { &mut b };
        t.push_str(l);
        t.push('\n');
    }
    (survey(&a, "vn-2022-2025", 2), survey(&b, "vn-2022-2025", 2))
}

#[test]
fn the_change_between_independent_rounds_carries_the_standard_error_of_the_difference() {
    let (a, b) = rounds();
    let (pa, pb) = (
        a.precision().unwrap().unwrap(),
        b.precision().unwrap().unwrap(),
    );
    let changes = a.precision_change(&b).unwrap().unwrap();
    assert_eq!(changes.len(), pa.estimates.len());
    for c in &changes {
        let (x, y) = (pa.get(&c.name).unwrap(), pb.get(&c.name).unwrap());
        assert!((c.change - (y.estimate - x.estimate)).abs() < 1e-15);
        assert!((c.se - (x.se * x.se + y.se * y.se).sqrt()).abs() < 1e-15);
        assert_eq!(c.significant, c.ci95.0 > 0.0 || c.ci95.1 < 0.0);
    }
    let af = a.af_change(2022, &b, 2024).unwrap();
    let se = af.se.expect("both rounds keep precision");
    let h = changes.iter().find(|c| c.name == "af.h").unwrap();
    assert_eq!(se.h, h.se);
    // A round without precision gives no standard error.
    let plain = chuan_ngheo::population::csv::read_report(
        data("survey-sample.csv").as_bytes(),
        Standard::builtin("vn-2022-2025").unwrap(),
        &CsvOptions::new().group_by("province"),
    )
    .unwrap();
    assert!(plain.precision_change(&b).is_none());
}

#[test]
fn a_target_check_on_survey_figures_says_when_a_shortfall_is_within_sampling_error() {
    use chuan_ngheo::target::{builtin_set, check, Observation};
    use rust_decimal::Decimal;
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let set = builtin_set("ntp-2021-2025").unwrap();
    let t = set.target("ntp-2021-2025/national").unwrap();
    // 1.0 - 1.5 points a year is the floor; 0.9 a year with a 0.4-point standard error on
    // each round: short by 0.1, well within sampling error.
    let series = |late: &str, se: &str| {
        [
            Observation::rate(2021, d("5.20"), "vn-2022-2025").with_se(d(se)),
            Observation::rate(2024, d(late), "vn-2022-2025").with_se(d(se)),
        ]
    };
    let c = check(t, &series("2.50", "0.4")).unwrap();
    let s = c.sampling.unwrap();
    assert!(s.within, "{c:?}");
    assert!(c
        .sentence(t, chuan_ngheo::Lang::En)
        .to_string()
        .contains("within sampling error"));
    // A reduction of 0.2 a year is short by 0.8: beyond a margin of 1.96 * 0.566 / 3 = 0.37.
    let c = check(t, &series("4.60", "0.4")).unwrap();
    assert!(!c.sampling.unwrap().within);
    // Without standard errors there is nothing to say.
    let c = check(
        t,
        &[
            Observation::rate(2021, d("5.20"), "vn-2022-2025"),
            Observation::rate(2024, d("2.50"), "vn-2022-2025"),
        ],
    )
    .unwrap();
    assert!(c.sampling.is_none());
}

#[test]
fn design_effects_compare_with_the_same_households_as_a_simple_random_sample() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new().precision(PrecisionOptions {
        design_effects: true,
        ..PrecisionOptions::default()
    });
    let r = read_report(data("survey-sample.csv").as_bytes(), s, &options).unwrap();
    let top = r.precision().unwrap().unwrap();
    let design: Value =
        serde_json::from_str(&data("survey-sample.vn-2022-2025.precision.expected.json")).unwrap();
    let srs: Value = serde_json::from_str(&data(
        "survey-sample.vn-2022-2025.no-design.precision.expected.json",
    ))
    .unwrap();
    for (name, e) in &top.estimates {
        let (d, n) = (
            design["estimates"][name]["se"].as_f64().unwrap(),
            srs["estimates"][name]["se"].as_f64().unwrap(),
        );
        close(&format!("deff {name}"), e.deff.unwrap(), (d / n) * (d / n));
    }
}
