//! The crate as a user embeds it, through public items only: the five tasks of a provincial
//! developer (a commune review tool, a dashboard, a target check, a what-if, a property test).
#![cfg(all(feature = "csv", feature = "proptest"))]

use chuan_ngheo::population::csv::{read_report, CsvOptions};
use chuan_ngheo::population::impact::read_impact;
use chuan_ngheo::records::{classify_json_line, LineResult};
use chuan_ngheo::target::{check, Goal, Measure, Observation, Subgroup, Target, Verdict};
use chuan_ngheo::testing::proptest::prelude::*;
use chuan_ngheo::testing::{household_for, invariants};
use chuan_ngheo::{
    Citation, Decimal, Lang, PovertyClass, Provenance, Reform, Registry, Report, Standard,
    StandardChoice, Text,
};

const TABLE: &str = include_str!("../data/households-sample.csv");

/// 1. A commune review tool classifies one record under the 2024 and the 2027 standard.
#[test]
fn one_record_under_the_2024_and_the_2027_standard() {
    let record = r#"{"id": "h1", "area": "rural", "members": 4, "income_per_capita": "1900000",
        "deprivations": ["information_access", "water", "sanitation"]}"#;
    let mut classes = Vec::new();
    for year in [2024, 2027] {
        let s = Standard::for_year(year).unwrap();
        let out = classify_json_line(
            1,
            record,
            &Registry::new(),
            StandardChoice::Standard(s),
            Lang::Vi,
        );
        let LineResult::Assessed(a) = out else {
            panic!("{year}: rejected")
        };
        classes.push(a.class);
    }
    // 1,900,000 is above the 2024 rural line and under the 2027 one, where only two of the
    // three deprivations are indicators, and the indicators 2027 added were never asked: they
    // could make it poor, so it is indeterminate, not near-poor (formats section 1).
    assert_eq!(
        classes,
        [
            PovertyClass::AverageLivingStandard,
            PovertyClass::Indeterminate
        ]
    );
}

/// 2. A dashboard: M0 per province, saved to JSON, loaded back and merged with another part.
#[test]
fn a_grouped_report_saved_loaded_and_merged_with_m0_per_group() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let (header, rows) = TABLE.split_once('\n').unwrap();
    let lines: Vec<&str> = rows.lines().collect();
    let (a, b) = lines.split_at(lines.len() / 3);
    let options = CsvOptions::new().group_by("province");
    let part = |rows: &[&str]| {
        read_report(
            format!("{header}\n{}\n", rows.join("\n")).as_bytes(),
            s,
            &options,
        )
        .unwrap()
    };
    let saved = serde_json::to_string(&part(a)).unwrap();
    let mut merged = Report::from_saved(&saved, s).unwrap();
    merged.merge(&part(b)).unwrap();
    let whole = read_report(TABLE.as_bytes(), s, &options).unwrap();
    let m0 = |r: &Report| -> Vec<(String, f64)> {
        r.af_by_group("province")
            .unwrap()
            .into_iter()
            .map(|(p, m)| (p.to_owned(), m.m0))
            .collect()
    };
    for ((pa, ma), (pb, mb)) in m0(&merged).iter().zip(m0(&whole).iter()) {
        assert_eq!(pa, pb);
        assert!((ma - mb).abs() < 1e-12, "{pa}: {ma} vs {mb}");
    }
    assert_eq!(merged.total().households, whole.total().households);
}

/// 3. A target check with a province's own target.
#[test]
fn a_custom_target_checked_on_a_series() {
    let target = Target {
        id: "my-province/2024".into(),
        name: chuan_ngheo::standard::Names {
            vi: "Giảm tỷ lệ hộ nghèo ít nhất 3%".into(),
            en: "Cut the poverty rate by at least 3 points".into(),
        },
        subgroup: Subgroup::All,
        measure: Measure::PoorRate,
        goal: Goal::YearlyReduction {
            floor: Decimal::new(3, 0),
            strict: false,
            ceiling: None,
        },
        base_year: 2023,
        end_year: 2024,
        standard: Some("vn-2022-2025".into()),
        citation: Citation::doc(chuan_ngheo::standard::DocumentKind::Plan, "12/KH-UBND"),
        provenance: Provenance::Local,
    };
    let series = [
        Observation::rate(2023, Decimal::new(1250, 2), "vn-2022-2025"),
        Observation::rate(2024, Decimal::new(925, 2), "vn-2022-2025"),
    ];
    let c = check(&target, &series).unwrap();
    assert_eq!(c.status, Verdict::Met);
    assert!(c.sentence(&target, Lang::Vi).to_string().contains("12,50%"));
    let _ = Text::same("ok");
}

/// 4. A what-if: the newly poor households per province under a reform of the rural line.
#[test]
fn a_reforms_newly_poor_households_per_group() {
    let base = Standard::builtin("vn-2022-2025").unwrap();
    let reform = Reform::from_json(
        r#"{"name": "rural-plus-20", "base": "vn-2022-2025",
            "changes": [{"op": "scale_line", "line": "poverty_line", "rural": 1.2}]}"#,
    )
    .unwrap();
    let what_if = reform.apply(base).unwrap();
    let impact = read_impact(
        TABLE.as_bytes(),
        base,
        &what_if,
        &CsvOptions::new().group_by("province"),
    )
    .unwrap();
    let per_group: u64 = impact
        .group_matrices()
        .iter()
        .map(|(_, m)| m.newly_poor())
        .sum();
    assert!(impact.matrix().newly_poor() > 0);
    assert_eq!(per_group, impact.matrix().newly_poor());
    assert_eq!(
        impact.matrix().escaped(),
        0,
        "a higher line lifts no one out"
    );
}

proptest! {
    /// 5. A property test with the re-exported proptest and the crate's strategies.
    #[test]
    fn raising_the_line_never_lowers_the_poor_count(
        households in proptest::collection::vec(
            household_for(Standard::builtin("vn-2022-2025").unwrap(), true), 1..50),
        percent in 100u32..200,
    ) {
        let s = Standard::builtin("vn-2022-2025").unwrap();
        prop_assert!(invariants::raising_lines_never_lowers_the_poor_count(s, &households, percent).is_ok());
    }
}
