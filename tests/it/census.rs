//! The population report on the shared sample and dirty tables equals the independent
//! implementation's expected reports: counts exactly, ratios within 1e-9.
#![cfg(feature = "csv")]

use crate::common::*;

use chuan_ngheo::population::csv::{read_report, CsvOptions};
use chuan_ngheo::Standard;
use serde_json::Value;

const STANDARDS: [&str; 3] = ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030"];

fn run(file: &str, standard: &str, group_by: &[&str], threads: usize) -> Value {
    let s = Standard::builtin(standard).unwrap();
    let options = CsvOptions::new()
        .group_by_all(group_by.iter().copied())
        .threads(threads);
    read_report(data(file).as_bytes(), s, &options)
        .unwrap()
        .to_json()
}

#[test]
fn sample_report_equals_the_expected_report_for_each_standard_grouped_by_province() {
    for standard in STANDARDS {
        let want: Value = serde_json::from_str(&data(&format!(
            "households-sample.{standard}.expected.json"
        )))
        .unwrap();
        for threads in [1, 2] {
            let got = run("households-sample.csv", standard, &["province"], threads);
            for key in REPORT_KEYS {
                assert_matches(
                    &format!("{standard}/{threads}.{key}"),
                    &got[key],
                    &want[key],
                );
            }
            assert_eq!(got["rejected"], want["rejected"]);
            assert_eq!(
                got["groups"]["province"].as_object().unwrap().len(),
                want["groups"]["province"].as_object().unwrap().len()
            );
        }
    }
}

#[test]
fn dirty_table_accounts_for_every_row_and_rejects_the_same_lines() {
    for standard in STANDARDS {
        let want: Value =
            serde_json::from_str(&data(&format!("households-dirty.{standard}.expected.json")))
                .unwrap();
        for threads in [1, 2] {
            let got = run("households-dirty.csv", standard, &[], threads);
            assert_matches(&format!("{standard}.input"), &got["input"], &want["input"]);
            assert_matches(
                &format!("{standard}.households"),
                &got["households"],
                &want["households"],
            );
            assert_matches(&format!("{standard}.af"), &got["af"], &want["af"]);
            let input = &got["input"];
            assert_eq!(
                input["rows"].as_u64(),
                Some(
                    input["classified"].as_u64().unwrap()
                        + input["indeterminate"].as_u64().unwrap()
                        + input["rejected"].as_u64().unwrap()
                )
            );
            let lines = |v: &Value| {
                v["rejected"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["line"].as_u64().unwrap())
                    .collect::<Vec<_>>()
            };
            assert_eq!(lines(&got), lines(&want), "{standard}: rejected lines");
            for r in got["rejected"].as_array().unwrap() {
                assert!(r["id"].is_string() && r["error"].is_string(), "{r}");
            }
        }
    }
}

#[test]
fn a_missing_column_is_one_error_naming_it() {
    let table = "id,area,members,employment\nh1,rural,2,0\n";
    let e = read_report(
        table.as_bytes(),
        Standard::builtin("vn-2022-2025").unwrap(),
        &CsvOptions::default(),
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("income_per_capita") && msg.contains("dependants"),
        "{msg}"
    );
    let e = read_report(
        data("households-sample.csv").as_bytes(),
        Standard::builtin("vn-2022-2025").unwrap(),
        &CsvOptions::new().group_by("village"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("village"), "{e}");
}

#[test]
fn weights_quotes_unknown_columns_and_crlf_are_handled() {
    let header = "id,area,members,income_per_capita,weight,note,employment,dependants,nutrition,health_insurance,adult_education,child_schooling,housing_quality,housing_area,water,sanitation,telecom,information_access";
    let table = format!(
        "{header}\r\nh1,rural,4,1400000,3,x,1,1,1,0,0,0,0,0,0,0,0,0\r\n\"h,2\",urban,2,9000000,1,\"a, b\",0,0,0,0,0,0,0,0,0,0,0,0\r\nh3,rural,2,100,-1,x,0,0,0,0,0,0,0,0,0,0,0,0\r\n"
    );
    let r = read_report(
        table.as_bytes(),
        Standard::builtin("vn-2022-2025").unwrap(),
        &CsvOptions::default(),
    )
    .unwrap();
    let j = r.to_json();
    assert_eq!(j["input"]["classified"], 2);
    assert_eq!(j["input"]["rejected"], 1);
    assert_eq!(j["weighted"], true);
    assert_eq!(j["ignored_columns"], serde_json::json!(["note"]));
    assert!((j["rates"]["poor"].as_f64().unwrap() - 0.75).abs() < 1e-12);
    assert_eq!(j["rejected"][0]["line"], 4);
    assert!(j["rejected"][0]["error"]
        .as_str()
        .unwrap()
        .contains("weight"));
}

/// Reports saved as JSON on different machines load back and merge into the report of the
/// whole: counts exactly, ratios within 1e-12.
#[test]
fn saved_reports_load_back_and_merge_into_the_whole() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let text = data("households-sample.csv");
    let (header, rows) = text.split_once('\n').unwrap();
    let lines: Vec<&str> = rows.lines().collect();
    let (a, b) = lines.split_at(lines.len() / 2);
    let options = CsvOptions::new().group_by("province");
    let part = |rows: &[&str]| {
        let table = format!("{header}\n{}\n", rows.join("\n"));
        read_report(table.as_bytes(), s, &options).unwrap()
    };
    let whole = read_report(text.as_bytes(), s, &options).unwrap();
    let saved_a = serde_json::to_string(&part(a)).unwrap();
    let saved_b = serde_json::to_string(&part(b)).unwrap();
    // The saved document is the report contract with its state beside it.
    let doc: Value = serde_json::from_str(&saved_a).unwrap();
    assert!(doc["households"].is_object() && doc["state"].is_object());
    let mut merged = chuan_ngheo::Report::from_saved(&saved_a, s).unwrap();
    let mut second = chuan_ngheo::Report::from_saved(&saved_b, s).unwrap();
    second.shift_lines(a.len() as u64);
    merged.merge(&second).unwrap();
    assert_matches("merged", &merged.to_json(), &whole.to_json());
    // A saved report does not load under another standard.
    let other = Standard::builtin("vn-2027-2030").unwrap();
    assert!(chuan_ngheo::Report::from_saved(&saved_a, other).is_err());
    // Nor when its state was tampered with.
    let tampered = saved_a.replacen("\"version\":2", "\"version\":3", 1);
    assert_ne!(tampered, saved_a);
    assert!(chuan_ngheo::Report::from_saved(&tampered, s).is_err());
    // Nor when its figures say other than its state: one source of truth.
    let mut doc: Value = serde_json::from_str(&saved_a).unwrap();
    doc["rates"]["poor"] = serde_json::json!(0.5);
    let e = chuan_ngheo::Report::from_saved(&doc.to_string(), s).unwrap_err();
    assert!(e.to_string().contains("saved report: rates"), "{e}");
}

/// Issue 17 §1: rejected rows keep their typed errors through a save (kind, field, both
/// languages), and a saved file whose listed rows disagree with its state, or that names a
/// kind the crate never gives, is refused.
#[test]
fn rejected_rows_keep_their_kind_field_and_both_languages_through_a_save() {
    use chuan_ngheo::standard::Lang;
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new().group_by("province");
    let r = read_report(data("households-dirty.csv").as_bytes(), s, &options).unwrap();
    assert!(!r.rejected().is_empty());
    let saved = serde_json::to_string(&r).unwrap();
    let back = chuan_ngheo::Report::from_saved(&saved, s).unwrap();
    assert_eq!(back.rejected().len(), r.rejected().len());
    for (a, b) in r.rejected().iter().zip(back.rejected()) {
        assert_eq!((a.line, &a.id), (b.line, &b.id));
        assert_eq!(a.error.code(), b.error.code());
        assert_eq!(a.error.field(), b.error.field());
        assert_eq!(a.error.to_string(), b.error.to_string());
        assert_eq!(a.error.message(Lang::Vi), b.error.message(Lang::Vi));
        assert_ne!(b.error.code(), "restored");
    }
    assert_eq!(serde_json::to_string(&back).unwrap(), saved);
    // Hand edits: an unknown kind; a document list that is not the state's.
    let kind = r.rejected()[0].error.code();
    let edited = saved.replacen(&format!("\"kind\":\"{kind}\""), "\"kind\":\"made_up\"", 1);
    assert_ne!(edited, saved);
    let e = chuan_ngheo::Report::from_saved(&edited, s).unwrap_err();
    assert!(e.to_string().contains("state.rejected.kind"), "{e}");
    let line = r.rejected()[0].line;
    let edited = saved.replacen(&format!("\"line\":{line},"), "\"line\":999999,", 1);
    assert_ne!(edited, saved);
    assert!(chuan_ngheo::Report::from_saved(&edited, s).is_err());
}
