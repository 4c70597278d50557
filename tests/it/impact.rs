//! The impact report on the shared sample: before and after counts equal the census reports
//! of the two standards, and the matrix sums to the population.
#![cfg(feature = "csv")]

use chuan_ngheo::population::csv::CsvOptions;
use chuan_ngheo::population::impact::{read_impact, REJECTED};
use chuan_ngheo::reform::{diff, IncomeLine, Patch, Reform};
use chuan_ngheo::ErrorKind;
use chuan_ngheo::{Area, Error, Indicator, Standard, Vnd};
use serde_json::Value;

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn impact_counts_equal_the_census_reports_and_the_matrix_sums_to_the_population() {
    for (a, b) in [
        ("vn-2022-2025", "vn-2027-2030"),
        ("vn-2016-2020", "vn-2022-2025"),
    ] {
        let (sa, sb) = (Standard::builtin(a).unwrap(), Standard::builtin(b).unwrap());
        for threads in [1, 2] {
            let options = CsvOptions::new().group_by("province").threads(threads);
            let impact =
                read_impact(data("households-sample.csv").as_bytes(), sa, sb, &options).unwrap();
            for (report, id) in [(&impact.before, a), (&impact.after, b)] {
                let want: Value =
                    serde_json::from_str(&data(&format!("households-sample.{id}.expected.json")))
                        .unwrap();
                let got = report.to_json();
                assert_eq!(got["households"], want["households"], "{a} -> {b}: {id}");
                assert_eq!(got["input"], want["input"], "{a} -> {b}: {id}");
                assert_eq!(
                    got["groups"]["province"]["01"]["households"],
                    want["groups"]["province"]["01"]["households"]
                );
            }
            let m = impact.matrix();
            assert_eq!(
                m.iter().flatten().sum::<u64>(),
                20_000,
                "the matrix sums to the population"
            );
            // Row sums are the before counts, column sums the after counts.
            let before = impact.before.total();
            let after = impact.after.total();
            for c in 0..5 {
                assert_eq!(m[c].iter().sum::<u64>(), before.households[c]);
                assert_eq!(m.iter().map(|row| row[c]).sum::<u64>(), after.households[c]);
            }
            assert_eq!(m[REJECTED].iter().sum::<u64>(), 0);
            let moved: u64 = (0..5)
                .flat_map(|i| (0..5).map(move |j| (i, j)))
                .filter(|(i, j)| i != j)
                .map(|(i, j)| m[i][j])
                .sum();
            assert_eq!(moved, impact.movers_total());
            assert!(impact.movers().iter().all(|mv| mv.from != mv.to));
        }
    }
}

#[test]
fn impact_lists_the_indicators_one_standard_lacks() {
    let (a, b) = (
        Standard::builtin("vn-2022-2025").unwrap(),
        Standard::builtin("vn-2027-2030").unwrap(),
    );
    let impact = read_impact(
        data("households-sample.csv").as_bytes(),
        a,
        b,
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(
        impact.only_in_base().iter().collect::<Vec<_>>(),
        vec![Indicator::Telecom, Indicator::InformationAccess]
    );
    assert_eq!(
        impact.only_in_other().iter().collect::<Vec<_>>(),
        vec![Indicator::Waste, Indicator::DigitalServices]
    );
    // A table without the other standard's columns is one error naming them.
    let table = data("households-sample.csv").replace(",waste,digital_services", ",x,y");
    let e = read_impact(table.as_bytes(), a, b, &CsvOptions::default()).unwrap_err();
    assert!(
        matches!(&e.kind(), ErrorKind::Missing { field } if field.contains("waste") && field.contains("digital_services")),
        "{e}"
    );
}

#[test]
fn reform_rural_line_plus_10pct_moves_only_rural_households_up_to_poverty() {
    let base = Standard::builtin("vn-2022-2025").unwrap();
    let reform = Reform::from_json(include_str!(
        "../../examples/data/reform-rural-line-plus-10pct.json"
    ))
    .unwrap();
    let what_if = reform.apply(base).unwrap();
    assert_eq!(what_if.poverty_line(Area::Rural), Vnd::from_dong(1_650_000));
    assert_eq!(what_if.poverty_line(Area::Urban), Vnd::from_dong(2_000_000));
    assert_eq!(
        what_if.data().poverty_line.provenance,
        chuan_ngheo::Provenance::Reform
    );
    let impact = read_impact(
        data("households-sample.csv").as_bytes(),
        base,
        &what_if,
        &CsvOptions::default(),
    )
    .unwrap();
    let before = impact.before.total();
    let after = impact.after.total();
    assert!(
        after.households[0] >= before.households[0],
        "raising a line never lowers the poor count"
    );
    let d = diff(base, &what_if);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].to_string(),
        "poverty_line.rural: 1,500,000 VND → 1,650,000 VND"
    );
}

#[test]
fn reforms_are_validated_and_reject_unknown_fields() {
    let base = Standard::builtin("vn-2022-2025").unwrap();
    let bad = Reform::from_json(
        r#"{"name": "x", "base": "vn-2022-2025", "changes": [{"op": "scale_line", "line": "poverty_line", "rurall": "1.1"}]}"#,
    );
    assert!(matches!(
        bad.map_err(Error::into_kind),
        Err(ErrorKind::Json { .. })
    ));
    // Raising the poverty line above the band top breaks the order of lines.
    let r = Reform::single(
        "too-high",
        base,
        Patch::SetLine {
            line: IncomeLine::PovertyLine,
            rural: Some(Vnd::from_dong(3_000_000)),
            urban: None,
        },
    );
    assert!(matches!(
        r.apply(base).map_err(Error::into_kind),
        Err(ErrorKind::InvalidStandard { .. })
    ));
    // Removing indicators below the cut-off needs a new cut-off.
    let r = Reform::single(
        "no-water",
        base,
        Patch::RemoveIndicator {
            code: Indicator::Water,
        },
    );
    assert!(r.apply(base).is_ok());
    let r = Reform::single("k13", base, Patch::SetCutoff { value: 13 });
    assert!(matches!(
        r.apply(base).map_err(Error::into_kind),
        Err(ErrorKind::InvalidStandard { .. })
    ));
    let r = Reform::single(
        "no-near",
        base,
        Patch::RemoveLine {
            line: IncomeLine::PovertyLine,
        },
    );
    assert!(r.apply(base).is_err());
    let r = Reform::single(
        "x",
        Standard::builtin("vn-2016-2020").unwrap(),
        Patch::SetCutoff { value: 2 },
    );
    assert!(matches!(
        r.apply(base).map_err(Error::into_kind),
        Err(ErrorKind::StandardMismatch { .. })
    ));
    let text =
        serde_json::to_string(&Reform::single("k2", base, Patch::SetCutoff { value: 2 })).unwrap();
    assert_eq!(
        Reform::from_json(&text)
            .unwrap()
            .apply(base)
            .unwrap()
            .deprivation_cutoff(),
        2
    );
}

#[test]
fn diff_of_the_2022_and_2027_standards() {
    let d = diff(
        Standard::builtin("vn-2022-2025").unwrap(),
        Standard::builtin("vn-2027-2030").unwrap(),
    );
    let text: Vec<String> = d.iter().map(ToString::to_string).collect();
    assert!(
        text.contains(&"poverty_line.rural: 1,500,000 VND → 2,200,000 VND".to_string()),
        "{text:#?}"
    );
    assert!(text.contains(&"average_band_top.urban: 3,000,000 VND → none".to_string()));
    assert!(text
        .iter()
        .any(|t| t.starts_with("indicators removed: telecom, information_access")));
    assert!(text
        .iter()
        .any(|t| t.starts_with("indicators added: — → waste, digital_services")));
    assert!(!text.iter().any(|t| t.starts_with("deprivation_cutoff")));
}

/// The newly poor and the escaped, nationally and per group, read by name from the matrix.
#[test]
fn newly_poor_and_escaped_households_by_group_add_up_to_the_whole() {
    use chuan_ngheo::PovertyClass::*;
    let (a, b) = (
        Standard::builtin("vn-2022-2025").unwrap(),
        Standard::builtin("vn-2027-2030").unwrap(),
    );
    let options = CsvOptions::new().group_by("province");
    let impact = read_impact(data("households-sample.csv").as_bytes(), a, b, &options).unwrap();
    let m = impact.matrix();
    let by_hand: u64 = [NearPoor, AverageLivingStandard, NotPoor, Indeterminate]
        .iter()
        .map(|f| m.get(Some(*f), Some(Poor)))
        .sum();
    assert_eq!(m.newly_poor(), by_hand);
    assert!(m.newly_poor() > 0, "the 2027 lines are higher");
    let groups = impact.group_matrices();
    assert_eq!(
        groups.iter().map(|(_, g)| g.newly_poor()).sum::<u64>(),
        m.newly_poor()
    );
    assert_eq!(
        groups.iter().map(|(_, g)| g.escaped()).sum::<u64>(),
        m.escaped()
    );
    assert_eq!(m.total(), impact.before.input().rows);
    assert_eq!(
        impact.after.total().households.poor(),
        impact.after.total().households[Poor]
    );
}

#[test]
fn every_mover_is_listed_when_asked_in_input_order_at_any_thread_count() {
    let (a, b) = (
        Standard::builtin("vn-2016-2020").unwrap(),
        Standard::builtin("vn-2022-2025").unwrap(),
    );
    let table = data("households-sample.csv");
    let default = read_impact(table.as_bytes(), a, b, &CsvOptions::new()).unwrap();
    assert!(default.movers_total() > 1000, "{}", default.movers_total());
    assert_eq!(default.movers().len(), 1000);
    for threads in [1, 2] {
        let options = CsvOptions::new().every_mover().threads(threads);
        let all = read_impact(table.as_bytes(), a, b, &options).unwrap();
        assert_eq!(all.movers().len() as u64, all.movers_total());
        assert!(all.movers().windows(2).all(|w| w[0].line < w[1].line));
        assert_eq!(&all.movers()[..1000], default.movers());
        let some =
            read_impact(table.as_bytes(), a, b, &CsvOptions::new().keep_movers(1500)).unwrap();
        assert_eq!(some.movers().len(), 1500);
    }
}
