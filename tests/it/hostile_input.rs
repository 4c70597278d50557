//! Nothing lost, nothing invented: each test is one way hostile input broke the crate
//! before, named after what it protects. CSV cases run on one and two threads and check
//! that classified + indeterminate + rejected = records.
#![cfg(feature = "csv")]

use std::io::Read;
use std::time::{Duration, Instant};

use chuan_ngheo::exit::exit_paths;
use chuan_ngheo::population::csv::{read_report, CsvOptions};
use chuan_ngheo::population::{report_stream, Report, Row};
use chuan_ngheo::records::{classify_json_line, LineResult};
use chuan_ngheo::reform::Reform;
use chuan_ngheo::target::{builtin_sets, change, check, Observation, Series, TargetSet};
use chuan_ngheo::transition::{transitions, Review};
use chuan_ngheo::ErrorKind;
use chuan_ngheo::{
    Area, Household, HouseholdRecord, Lang, PovertyClass, Registry, Standard, StandardChoice, Vnd,
};
use rust_decimal::Decimal;
use serde_json::Value;

/// The 2022–2025 households header, with a province column last.
const H: &str = "id,area,members,income_per_capita,employment,dependants,nutrition,\
health_insurance,adult_education,child_schooling,housing_quality,housing_area,water,\
sanitation,telecom,information_access,province";
/// A poor rural household (3 deprivations, under the line) in province 04.
const R: &str = "h1,rural,4,1400000,1,1,1,0,0,0,0,0,0,0,0,0,04";

fn s22() -> &'static Standard {
    Standard::builtin("vn-2022-2025").unwrap()
}

fn options(threads: usize) -> CsvOptions<'static> {
    CsvOptions::new().group_by("province").threads(threads)
}

/// The report at 1 and 2 threads (which must agree), with the accounting identity checked.
fn read(table: &[u8]) -> Report {
    read_with(table, 0)
}

fn read_with(table: &[u8], max_record_bytes: usize) -> Report {
    let mut reports = [1, 2].map(|threads| {
        let o = options(threads).max_record_bytes(max_record_bytes);
        read_report(table, s22(), &o).unwrap()
    });
    let [one, two] = &mut reports;
    assert_eq!(one.to_json(), two.to_json(), "1 and 2 threads differ");
    let i = one.input();
    assert_eq!(i.classified + i.indeterminate + i.rejected, i.rows);
    reports.into_iter().next().unwrap()
}

fn rejected_lines(r: &Report) -> Vec<u64> {
    r.rejected().iter().map(|x| x.line).collect()
}

// ---- Rows lost or invented ----

#[test]
fn cr_only_line_endings_read_every_record() {
    let r = read(format!("{H}\r{R}\r{R}\r").as_bytes());
    assert_eq!(r.input().rows, 2);
    assert_eq!(r.input().classified, 2);
}

#[test]
fn a_lone_cr_in_a_line_with_a_quote_ends_its_record() {
    let quoted = R.replacen("h1", "\"h1\"", 1);
    let table = format!("{H}\n{quoted}\r{R}\r{R}\n");
    let r = read(table.as_bytes());
    assert_eq!(r.input().rows, 3);
    assert_eq!(r.input().classified, 3);
}

#[test]
fn a_quoted_line_break_stays_inside_its_field() {
    let id_split = R.replacen("h1", "\"h\n1\"", 1);
    let label_split = R.replacen(",04", ",\"Ha\nNoi\"", 1);
    let table = format!("{H}\n{id_split}\n{label_split}\nbad\n");
    let r = read(table.as_bytes());
    assert_eq!(r.input().rows, 3);
    assert_eq!(r.input().classified, 2);
    // The bad row is on physical line 6: each quoted line break is a line.
    assert_eq!(rejected_lines(&r), [6]);
    let labels = r.grouping("province").unwrap().labels().to_vec();
    assert!(labels.contains(&"Ha\nNoi".to_string()), "{labels:?}");
    assert!(!labels.iter().any(|l| l == "Ha"), "{labels:?}");
}

#[test]
fn mixed_line_endings_lose_no_record_and_number_lines_alike() {
    let table = format!("{H}\r\n{R}\rbad\n{R}\r\nbad\r{R}");
    let r = read(table.as_bytes());
    assert_eq!(r.input().rows, 5);
    assert_eq!(r.input().classified, 3);
    assert_eq!(rejected_lines(&r), [3, 5]);
}

#[test]
fn doubled_quotes_and_quoted_commas_are_read_as_the_csv_standard_reads_them() {
    let row = R.replacen(",04", ",\"Đồng Nai, \"\"Biên Hòa\"\"\"", 1);
    let r = read(format!("{H}\n{row}\n").as_bytes());
    assert_eq!(r.input().classified, 1);
    let labels = r.grouping("province").unwrap().labels().to_vec();
    assert_eq!(labels, ["Đồng Nai, \"Biên Hòa\""]);
}

#[test]
fn an_unclosed_quote_is_one_rejected_record_not_rows_lost_silently() {
    let row = R.replacen("h1", "\"h1", 1);
    let r = read(format!("{H}\n{R}\n{row}\n{R}\n{R}\n").as_bytes());
    // As the csv crate reads it: the open quote runs to the end, one record.
    assert_eq!(r.input().rows, 2);
    assert_eq!(r.input().rejected, 1);
    assert_eq!(rejected_lines(&r), [3]);
}

#[test]
fn a_record_over_the_limit_is_rejected_and_the_rows_after_it_keep_their_lines() {
    let long = R.replacen("h1", &"x".repeat(3000), 1);
    let table = format!("{H}\n{R}\n{long}\n{R}\nbad\n");
    let r = read_with(table.as_bytes(), 1000);
    assert_eq!(r.input().rows, 4);
    assert_eq!(r.input().classified, 2);
    assert_eq!(rejected_lines(&r), [3, 5]);
    let message = r.rejected()[0].error.to_string();
    assert!(message.contains("more than 1000 bytes"), "{message}");
}

#[test]
fn the_record_limit_is_bounded_so_offsets_cannot_wrap() {
    // Blocks stay far below 4 GiB: field offsets are 32-bit.
    let o = options(1).max_record_bytes(3 << 30);
    let e = read_report(format!("{H}\n{R}\n").as_bytes(), s22(), &o).unwrap_err();
    assert_eq!(e.field(), Some("max_record_bytes"));
}

#[test]
fn report_stream_never_counts_a_row_in_the_previous_rows_group() {
    let h = Household::new(Area::Rural, 4, Vnd::from_dong(1_000_000));
    let rows = vec![
        Row {
            household: h,
            weight: 1.0,
            labels: vec!["04", "001"],
        },
        Row {
            household: h,
            weight: 1.0,
            labels: vec!["79"],
        },
    ];
    let r = report_stream(s22(), &["province", "district"], false, rows);
    assert_eq!(r.input().rows, 2);
    assert_eq!(r.input().rejected, 1);
    assert_eq!(
        r.grouping("district")
            .unwrap()
            .get("001")
            .unwrap()
            .classified(),
        1
    );
}

// ---- Money exact ----

fn classify_line(text: &str) -> LineResult {
    classify_json_line(
        1,
        text,
        &Registry::new(),
        StandardChoice::FromRecord,
        Lang::En,
    )
}

fn class_of(text: &str) -> String {
    match classify_line(text) {
        LineResult::Assessed(a) => serde_json::to_value(&a).unwrap()["class"]
            .as_str()
            .unwrap()
            .to_owned(),
        LineResult::Rejected(e) => panic!("{text}: {e:?}"),
    }
}

#[test]
fn json_income_a_fraction_above_the_line_is_above_it_as_a_number_too() {
    let record = |income: &str| {
        format!(
            r#"{{"id":"a","year":2024,"area":"rural","members":4,"income_per_capita":{income},"deprivations":["water","sanitation","housing_area"]}}"#
        )
    };
    let as_number = class_of(&record("1500000.0000000001"));
    let as_string = class_of(&record("\"1500000.0000000001\""));
    assert_eq!(as_number, as_string);
    assert_ne!(as_number, "poor");
    assert_eq!(class_of(&record("1500000.0")), "poor");
    assert_eq!(class_of(&record("1.5e6")), "poor");
}

#[test]
fn json_integers_beyond_64_bits_keep_every_digit() {
    let text = r#"{"id":"a","year":2024,"area":"rural","members":4,"income_per_capita":18446744073709551616}"#;
    let LineResult::Assessed(a) = classify_line(text) else {
        panic!("rejected")
    };
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["income_per_capita"], "18446744073709551616");
}

#[test]
fn standard_reform_and_series_files_read_numbers_exactly() {
    // A local standard's line with a fraction below a đồng.
    let mut data = serde_json::to_value(s22().data()).unwrap();
    data["id"] = "local-exact".into();
    data["kind"] = "local".into();
    let text = data
        .to_string()
        .replace("\"1500000\"", "1500000.0000000001");
    let local = Standard::from_json(&text).unwrap();
    assert_eq!(
        local.poverty_line(Area::Rural).amount().to_string(),
        "1500000.0000000001"
    );
    // A reform that sets a line a fraction above the old one is applied, not rounded away.
    let reform = Reform::from_json(
        r#"{"name":"tiny","base":"vn-2022-2025","changes":[{"op":"set_line","line":"poverty_line","rural":1500000.0000000001}]}"#,
    )
    .unwrap();
    let what_if = reform.apply(s22()).unwrap();
    assert!(what_if.poverty_line(Area::Rural) > s22().poverty_line(Area::Rural));
    // A series value keeps its digits.
    let series = Series::from_json(
        r#"{"observations":[{"year":2022,"value":4.0300000000000000001,"standard":"vn-2022-2025","measure":"poor_rate","subgroup":"all"}]}"#,
    )
    .unwrap();
    assert_eq!(
        series.observations[0].value.to_string(),
        "4.0300000000000000001"
    );
}

#[test]
fn a_float_from_another_deserializer_is_refused_not_rounded() {
    assert!(serde_json::from_str::<Vnd>("1500000.0000000001").is_err());
    assert_eq!(
        serde_json::from_str::<Vnd>("1500000").unwrap(),
        Vnd::from_dong(1_500_000)
    );
}

// ---- Hangs, unbounded memory, panics ----

/// An input that never ends: zeros, as /dev/zero gives.
struct Zeros;
impl Read for Zeros {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        buf.fill(0);
        Ok(buf.len())
    }
}

#[test]
fn an_endless_input_is_refused_at_its_header_in_bounded_time() {
    let started = Instant::now();
    let e = read_report(Zeros, s22(), &options(2)).unwrap_err();
    assert_eq!(e.field(), Some("header"));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_40_mb_header_is_refused_in_linear_time() {
    let mut table = "x".repeat(40 << 20).into_bytes();
    table.extend_from_slice(b"\nh1\n");
    let started = Instant::now();
    let e = read_report(table.as_slice(), s22(), &options(1)).unwrap_err();
    assert_eq!(e.field(), Some("header"));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_directory_is_one_error_not_an_endless_loop() {
    let dir = std::env::temp_dir();
    let f = std::fs::File::open(&dir).unwrap();
    let e = read_report(f, s22(), &options(2)).unwrap_err();
    // The I/O error it came from is kept as its source.
    let source = std::error::Error::source(&e).expect("the I/O error is kept");
    assert!(
        source.downcast_ref::<std::io::Error>().is_some(),
        "{source}"
    );
}

#[test]
fn rejected_rows_keep_an_excerpt_not_the_whole_cell() {
    let cell = "z".repeat(5 << 20);
    let bad = R.replacen("rural", &cell, 1);
    let mut table = format!("{H}\n");
    for _ in 0..3 {
        table.push_str(&bad);
        table.push('\n');
    }
    let r = read_with(table.as_bytes(), 8 << 20);
    assert_eq!(r.input().rejected, 3);
    for x in r.rejected() {
        let message = x.error.to_string();
        assert!(message.len() < 300, "{} bytes kept", message.len());
    }
}

#[test]
fn forty_thousand_threads_asked_are_capped_not_a_crash() {
    let o = options(0).threads(40_000);
    let r = read_report(format!("{H}\n{R}\n").as_bytes(), s22(), &o).unwrap();
    assert_eq!(r.input().classified, 1);
}

#[test]
fn exit_paths_under_a_line_at_the_top_of_the_decimal_range_do_not_overflow() {
    let mut data = s22().data().clone();
    data.id = "local-max".into();
    data.kind = chuan_ngheo::standard::StandardKind::Local;
    let band = data.average_band_top.as_mut().unwrap();
    band.value.rural = Vnd::new(Decimal::MAX);
    band.value.urban = Vnd::new(Decimal::MAX);
    let s = Standard::new(data).unwrap();
    for income in [Decimal::ZERO, Decimal::MAX - Decimal::ONE, Decimal::MAX] {
        let h = Household::new(Area::Rural, 4, Vnd::new(income));
        let _ = exit_paths(&s, &h);
    }
}

#[test]
fn years_far_apart_are_an_error_never_an_overflow_or_a_wrong_sign() {
    let obs = |year, v: &str| Observation::rate(year, v.parse().unwrap(), "vn-2022-2025");
    assert!(change(&obs(i32::MIN, "10"), &obs(i32::MAX, "9")).is_err());
    assert!(change(&obs(2022, "10"), &obs(i32::MAX, "9")).is_err());
    let t = builtin_sets()
        .into_iter()
        .find(|s| s.id == "ntp-2021-2025")
        .unwrap()
        .targets[0]
        .clone();
    let mut far = t.clone();
    far.base_year = i32::MIN;
    assert!(check(&far, &[obs(i32::MIN, "10"), obs(2022, "9")]).is_err());
    let r = Report::new(s22(), &[]);
    assert!(r.af_change(i32::MIN, &r, i32::MAX).is_err());
}

// ---- Answers under the wrong name ----

#[test]
fn a_loaded_standard_cannot_take_a_national_id_or_kind() {
    let mut data = serde_json::to_value(s22().data()).unwrap();
    data["poverty_line"]["value"]["rural"] = "1600000".into();
    // The national id and kind over other lines.
    assert!(Standard::from_json(&data.to_string()).is_err());
    data["id"] = "my-province".into();
    assert!(Standard::from_json(&data.to_string()).is_err()); // still "national"
    data["kind"] = "local".into();
    assert!(Standard::from_json(&data.to_string()).is_ok());
    data["id"] = "vn-2022-2025".into();
    assert!(Standard::from_json(&data.to_string()).is_err()); // a national id, local kind
                                                              // The built-in law itself, written out and read back, is accepted as what it is.
    let again = Standard::from_json(&s22().to_json_pretty()).unwrap();
    assert_eq!(again.fingerprint(), s22().fingerprint());
}

#[test]
fn reports_of_different_standards_sharing_an_id_do_not_merge() {
    let mut a = s22().data().clone();
    a.id = "local-a".into();
    a.kind = chuan_ngheo::standard::StandardKind::Local;
    let mut b = a.clone();
    b.poverty_line.value.rural = Vnd::from_dong(1_600_000);
    let (a, b) = (Standard::new(a).unwrap(), Standard::new(b).unwrap());
    assert_ne!(a.fingerprint(), b.fingerprint());
    let mut ra = Report::new(&a, &[]);
    assert!(ra.merge(&Report::new(&b, &[])).is_err());
    assert!(ra.merge(&Report::new(&a, &[])).is_ok());
}

fn rejected_kind(text: &str, choice: StandardChoice<'_>) -> &'static str {
    match classify_json_line(1, text, &Registry::new(), choice, Lang::En) {
        LineResult::Rejected(e) => e.error.kind,
        LineResult::Assessed(_) => "classified",
    }
}

#[test]
fn a_named_standard_and_a_year_must_agree() {
    let rec = |year: i32| {
        format!(
            r#"{{"id":"a","year":{year},"standard":"vn-2022-2025","area":"rural","members":4,"income_per_capita":"1"}}"#
        )
    };
    let from_record = StandardChoice::FromRecord;
    assert_eq!(
        rejected_kind(&rec(2099), from_record),
        "year_outside_standard"
    );
    assert_eq!(
        rejected_kind(&rec(2017), from_record),
        "year_outside_standard"
    );
    assert_eq!(rejected_kind(&rec(2024), from_record), "classified");
    // The 2026 keep-rule: the 2022–2025 standard applies in 2026.
    assert_eq!(rejected_kind(&rec(2026), from_record), "classified");
    // A standard given by the caller meets a record's year of 1900.
    let old = r#"{"id":"a","year":1900,"area":"rural","members":4,"income_per_capita":"1"}"#;
    let forced = StandardChoice::Standard(s22());
    assert_eq!(rejected_kind(old, forced), "year_outside_standard");
    let far = r#"{"id":"a","year":99999,"area":"rural","members":4,"income_per_capita":"1"}"#;
    assert_eq!(rejected_kind(far, from_record), "invalid_year");
}

// ---- Medium ----

#[test]
fn the_report_says_how_many_rejected_rows_its_list_leaves_out() {
    let mut table = format!("{H}\n");
    for _ in 0..150 {
        table.push_str("bad\n");
    }
    let json = read(table.as_bytes()).to_json();
    assert_eq!(json["input"]["rejected"], 150);
    assert_eq!(json["rejected"].as_array().unwrap().len(), 100);
    assert_eq!(json["rejected_not_listed"], 50);
    let o = options(2).keep_rejected(1000);
    let all = read_report(table.as_bytes(), s22(), &o).unwrap().to_json();
    assert_eq!(all["rejected_not_listed"], 0);
}

#[test]
fn household_size_follows_one_rule_in_csv_and_json() {
    let row = |members: &str| R.replacen(",4,", &format!(",{members},"), 1);
    let table = format!(
        "{H}\n{}\n{}\n{}\n{}\n",
        row("1000000000"),
        row("0000000004"),
        row("4294967296"),
        row("0")
    );
    let r = read(table.as_bytes());
    assert_eq!(r.input().classified, 2);
    let csv_message = r.rejected()[1].error.to_string();
    let json = r#"{"id":"a","year":2024,"area":"rural","members":0,"income_per_capita":"1"}"#;
    let LineResult::Rejected(e) = classify_line(json) else {
        panic!("members 0 accepted")
    };
    assert_eq!(e.error.message, csv_message);
    let big =
        r#"{"id":"a","year":2024,"area":"rural","members":1000000000,"income_per_capita":"1"}"#;
    assert!(matches!(classify_line(big), LineResult::Assessed(_)));
}

#[test]
fn a_file_without_a_header_is_told_so() {
    let e = read_report(format!("{R}\n{R}\n").as_bytes(), s22(), &options(1)).unwrap_err();
    let message = e.to_string();
    assert!(message.contains("none of the columns"), "{message}");
    let upper = H.replacen("id,", "ID,", 1);
    let e = read_report(format!("{upper}\n{R}\n").as_bytes(), s22(), &options(1)).unwrap_err();
    assert!(e.to_string().contains("lower case"), "{e}");
}

#[test]
fn positional_arrays_are_not_records_and_scores_are_an_object() {
    let array = r#"["a",2024,null,"rural",4,"1"]"#;
    assert!(HouseholdRecord::from_json(array).is_err());
    let scores = r#"{"id":"a","year":2023,"area":"rural","members":4,"scores":[120,40]}"#;
    assert_eq!(
        rejected_kind(scores, StandardChoice::FromRecord),
        "invalid_json"
    );
}

#[test]
fn scores_with_an_income_or_deprivations_is_an_error_not_a_silent_choice() {
    for extra in [
        r#""income_per_capita":"1""#,
        r#""deprivations":["water"]"#,
        r#""deprivations":["no_such_code"]"#,
    ] {
        let text = format!(
            r#"{{"id":"a","year":2023,"area":"rural","members":4,"scores":{{"a":120,"b":40}},{extra}}}"#
        );
        assert_ne!(
            rejected_kind(&text, StandardChoice::FromRecord),
            "classified",
            "{extra}"
        );
    }
}

#[test]
fn a_weight_that_is_not_a_finite_number_at_or_above_zero_is_a_rejected_row() {
    let h = Household::new(Area::Rural, 4, Vnd::from_dong(1_000_000));
    let rows = [f64::NAN, f64::INFINITY, -1.0, 0.0, 2.5].map(|weight| Row {
        household: h,
        weight,
        labels: Vec::<String>::new(),
    });
    let r = report_stream(s22(), &[], true, rows);
    assert_eq!(r.input().rejected, 3);
    assert!(r.total().rate(PovertyClass::Poor).is_finite());
    let table = format!("{H},weight\n{R},-1\n{R},inf\n{R},2\n");
    let r = read(table.as_bytes());
    assert_eq!(r.input().rejected, 2);
}

#[test]
fn target_rates_outside_0_to_100_are_refused() {
    let obs = |year, v: &str| Observation::rate(year, v.parse().unwrap(), "vn-2022-2025");
    let t = builtin_sets()
        .into_iter()
        .find(|s| s.id == "ntp-2021-2025")
        .unwrap()
        .target("ntp-2021-2025/national")
        .unwrap()
        .clone();
    let e = check(&t, &[obs(2022, "-5"), obs(2023, "-50")]).unwrap_err();
    assert!(e.to_string().contains("0 to 100"), "{e}");
    assert!(check(&t, &[obs(2022, "101"), obs(2023, "5")]).is_err());
}

#[test]
fn a_household_twice_in_one_review_and_reviews_out_of_order_are_errors() {
    use PovertyClass::*;
    assert!(Review::new(2022, [("a", Poor), ("a", NotPoor)]).is_err());
    let a = Review::new(2023, [("a", Poor)]).unwrap();
    let b = Review::new(2022, [("a", NotPoor)]).unwrap();
    assert!(transitions(&[a.clone(), b]).is_err());
    assert!(transitions(&[a.clone(), a]).is_err());
}

#[test]
fn a_byte_order_mark_is_accepted_in_json_as_in_csv() {
    let record = "\u{feff}{\"id\":\"a\",\"year\":2024,\"area\":\"rural\",\"members\":4,\"income_per_capita\":\"1\"}";
    assert!(matches!(classify_line(record), LineResult::Assessed(_)));
    let r = read(format!("\u{feff}{H}\n{R}\n").as_bytes());
    assert_eq!(r.input().classified, 1);
    let t = TargetSet::from_json(&format!(
        "\u{feff}{}",
        serde_json::to_string(&builtin_sets()[0]).unwrap()
    ));
    assert!(t.is_ok());
}

#[test]
fn report_json_streams_the_same_document_to_json_builds() {
    let table = format!("{H}\n{R}\n{}\nbad\n", R.replacen(",04", ",79", 1));
    let r = read(table.as_bytes());
    let streamed: Value = serde_json::from_slice(&serde_json::to_vec(&r.json()).unwrap()).unwrap();
    assert_eq!(streamed, r.to_json());
    let with = serde_json::to_value(r.json().with("af_by_k", Value::Bool(true))).unwrap();
    assert_eq!(with["af_by_k"], true);
    assert_eq!(with["groups"], r.to_json()["groups"]);
}

#[test]
fn errors_are_typed_and_name_their_field() {
    let e = Vnd::parse_non_negative("income_per_capita", "-5").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::NegativeMoney { .. }));
}

#[test]
fn more_than_eight_groupings_are_counted_not_silently_empty() {
    use chuan_ngheo::population::{report, GroupColumn, Population};
    let households = vec![Household::new(Area::Rural, 4, Vnd::from_dong(1_000_000)); 3];
    let labels = vec!["a".to_string()];
    let keys = vec![0u32; 3];
    let names: Vec<String> = (0..10).map(|g| format!("g{g}")).collect();
    let groups = names
        .iter()
        .map(|n| GroupColumn {
            name: n,
            labels: &labels,
            keys: &keys,
        })
        .collect();
    let pop = Population {
        households: &households,
        weights: None,
        groups,
    };
    let r = report(s22(), &pop);
    for n in &names {
        assert_eq!(
            r.grouping(n).unwrap().get("a").unwrap().classified(),
            3,
            "{n}"
        );
    }
    let many: Vec<&str> = names.iter().map(String::as_str).collect();
    let label_row = ["a"; 10];
    let rows = (0..3).map(|_| Row {
        household: households[0],
        weight: 1.0,
        labels: &label_row,
    });
    let r = report_stream(s22(), &many, false, rows);
    assert_eq!(r.grouping("g9").unwrap().get("a").unwrap().classified(), 3);
    // The CSV reader too: ten grouping columns, the tenth counted.
    let header = format!("{H},{}", names.join(","));
    let row = format!("{R},{}", ["a"; 10].join(","));
    let table = format!("{header}\n{row}\n{row}\n");
    let o = CsvOptions::new().group_by_all(names.iter().cloned());
    for threads in [1, 2] {
        let r = read_report(table.as_bytes(), s22(), &o.clone().threads(threads)).unwrap();
        assert_eq!(r.grouping("g9").unwrap().get("a").unwrap().classified(), 2);
    }
}

mod decomposed_vietnamese {
    //! Text in NFD (combining marks, as some PHP/.NET clients and input methods send it) is
    //! normalised to NFC before it is matched against the vocabulary, in every reader.
    use chuan_ngheo::records::{classify_json_line, LineResult};
    use chuan_ngheo::{Area, Lang, Registry, StandardChoice};

    /// "nông thôn" with o + U+0302 and o + U+0302... written decomposed.
    const RURAL_NFD: &str = "no\u{302}ng tho\u{302}n";
    const URBAN_NFD: &str = "tha\u{300}nh thi\u{323}";

    #[test]
    fn area_words_written_decomposed_are_the_same_words() {
        assert_ne!(RURAL_NFD, "nông thôn");
        assert_eq!(Area::parse(RURAL_NFD).unwrap(), Area::Rural);
        assert_eq!(Area::parse(URBAN_NFD).unwrap(), Area::Urban);
        assert_eq!(
            Area::parse("\u{110}o\u{302} thi\u{323}").unwrap(),
            Area::Urban
        );
    }

    #[test]
    fn the_json_reader_normalises() {
        let line = format!(
            r#"{{"id":"x","year":2024,"area":"{RURAL_NFD}","members":4,"income_per_capita":"1400000","deprivations":[]}}"#
        );
        let LineResult::Assessed(a) = classify_json_line(
            1,
            &line,
            &Registry::new(),
            StandardChoice::FromRecord,
            Lang::Vi,
        ) else {
            panic!("rejected")
        };
        assert_eq!(a.poverty_line.to_string(), "1,500,000 VND");
    }

    #[cfg(feature = "csv")]
    #[test]
    fn the_table_readers_normalise() {
        use chuan_ngheo::population::csv::{read_facts_report, read_report, CsvOptions};
        use chuan_ngheo::Standard;
        let s = Standard::builtin("vn-2022-2025").unwrap();
        let codes: Vec<&str> = s.indicators().iter().map(|i| i.code()).collect();
        let table = format!(
            "id,area,members,income_per_capita,{}\nh1,{RURAL_NFD},4,1400000,{}\n",
            codes.join(","),
            vec!["0"; codes.len()].join(",")
        );
        let r = read_report(table.as_bytes(), s, &CsvOptions::new()).unwrap();
        assert_eq!((r.input().rows, r.input().rejected), (1, 0));
        let h = format!("id,area,income_per_capita\nh1,{URBAN_NFD},1400000\n");
        let r = read_facts_report(
            h.as_bytes(),
            &b"household_id,age\nh1,40\n"[..],
            s,
            &CsvOptions::new(),
        )
        .unwrap();
        assert_eq!((r.input().rows, r.input().rejected), (1, 0));
    }
}

mod whole_number_messages {
    //! `members` and `year` say what was written: `-0` is 0 (then refused as a size), `4e0`
    //! and `4.5` are refused as not whole numbers, never as "floating point -0.0" or a string.
    use chuan_ngheo::records::{classify_json_line, LineResult};
    use chuan_ngheo::{Lang, Registry, StandardChoice};

    fn error(members: &str) -> (String, String) {
        let line = format!(
            r#"{{"id":"x","year":2024,"area":"rural","members":{members},"income_per_capita":"1400000","deprivations":[]}}"#
        );
        match classify_json_line(
            1,
            &line,
            &Registry::new(),
            StandardChoice::FromRecord,
            Lang::En,
        ) {
            LineResult::Rejected(e) => (e.error.kind.to_owned(), e.error.message),
            LineResult::Assessed(_) => panic!("{members} accepted"),
        }
    }

    #[test]
    fn sizes_that_are_not_whole_numbers_are_named_as_such() {
        let (kind, msg) = error("-0");
        assert_eq!(kind, "invalid_members", "{msg}");
        assert!(!msg.contains("-0.0"), "{msg}");
        for bad in ["4e0", "4.5", "\"4\""] {
            let (_, msg) = error(bad);
            assert!(msg.contains("must be a whole number"), "{bad}: {msg}");
            assert!(!msg.contains("invalid type"), "{bad}: {msg}");
        }
    }
}

#[cfg(feature = "csv")]
#[test]
fn labels_that_are_not_utf8_are_rejected_with_their_line_never_merged_into_one_group() {
    use chuan_ngheo::population::csv::{read_facts_report, read_report, CsvOptions};
    use chuan_ngheo::Standard;
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let codes: Vec<&str> = s.indicators().iter().map(|i| i.code()).collect();
    let zeros = vec!["0"; codes.len()].join(",");
    let mut t = format!(
        "id,province,area,members,income_per_capita,{}\n",
        codes.join(",")
    )
    .into_bytes();
    // \xff and \xfe would both be shown and saved as "�": one group of two provinces.
    for (id, label) in [
        ("a", &b"\xff"[..]),
        ("b", b"\xfe"),
        ("c", b"01"),
        ("d", b"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8"),
    ] {
        t.extend_from_slice(id.as_bytes());
        t.push(b',');
        t.extend_from_slice(label);
        t.extend_from_slice(format!(",rural,4,1400000,{zeros}\n").as_bytes());
    }
    for threads in [1, 2] {
        let options = CsvOptions::new().group_by("province").threads(threads);
        let r = read_report(&t[..], s, &options).unwrap();
        assert_eq!((r.input().rows, r.input().rejected), (4, 3));
        let lines: Vec<u64> = r.rejected().iter().map(|x| x.line).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert!(r.rejected()[0].error.to_string().contains("province"));
        let groups = r.to_json()["groups"]["province"].clone();
        assert_eq!(groups.as_object().unwrap().len(), 1, "{groups}");
    }
    let h = b"id,province,area,income_per_capita\na,\xff,rural,1400000\nb,01,rural,1400000\n";
    let m = "household_id,age\na,40\nb,40\n";
    let options = CsvOptions::new().group_by("province");
    let r = read_facts_report(&h[..], m.as_bytes(), s, &options).unwrap();
    assert_eq!((r.input().rows, r.input().rejected), (2, 1));
}
