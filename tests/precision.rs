//! Survey precision (formats §4.1): the survey sample's estimates, standard errors and
//! intervals equal the independent reference's (checked against samplics), nationally and per
//! province, for the three standards, with and without design columns.
#![cfg(feature = "csv")]

use chuan_ngheo::population::csv::{read_report, CsvOptions};
use chuan_ngheo::population::precision::{PrecisionBlock, PrecisionOptions};
use chuan_ngheo::{Report, Standard};
use serde_json::Value;

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn close(path: &str, got: f64, want: f64) {
    let tol = 1e-9 * want.abs().max(1e-12);
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
        close(
            &format!("{path}.{name}.ci95[0]"),
            e.ci95.0,
            w["ci95"][0].as_f64().unwrap(),
        );
        close(
            &format!("{path}.{name}.ci95[1]"),
            e.ci95.1,
            w["ci95"][1].as_f64().unwrap(),
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
