use super::*;
use crate::indicator::Indicator;

const DONG_NAI: &str = include_str!("../../examples/data/dong-nai-2022-2025.json");

#[test]
fn builtin_standards_are_valid_and_all_present() {
    // Built-ins that failed validation would be dropped silently by `builtins()`: check
    // each data file parses and validates, so a bad edit cannot go unnoticed.
    for (id, text) in BUILTIN_FILES {
        let s = Standard::from_builtin_file(text).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(s.id(), id);
        // Written out and read back, a built-in is itself, as law (not a look-alike).
        assert_eq!(
            Standard::new(s.data().clone()).unwrap().fingerprint(),
            s.fingerprint()
        );
    }
    let ids: Vec<_> = Standard::builtins().iter().map(Standard::id).collect();
    assert_eq!(ids, BUILTIN_IDS);
    for s in Standard::builtins() {
        assert_eq!(s.data_version(), DATA_VERSION);
    }
}

#[test]
fn qd_59_2015_art_1_lines_and_ten_indicators() {
    let s = Standard::builtin("vn-2016-2020").unwrap();
    assert_eq!(s.poverty_line(Area::Rural), Vnd::from_dong(700_000));
    assert_eq!(s.poverty_line(Area::Urban), Vnd::from_dong(900_000));
    assert_eq!(
        s.near_poverty_line(Area::Rural),
        Some(Vnd::from_dong(1_000_000))
    );
    assert_eq!(
        s.near_poverty_line(Area::Urban),
        Some(Vnd::from_dong(1_300_000))
    );
    assert_eq!(
        s.average_band_top(Area::Urban),
        Some(Vnd::from_dong(1_950_000))
    );
    assert_eq!(s.indicators().len(), 10);
    assert!(s.indicators().contains(Indicator::HealthAccess));
    assert!(!s.indicators().contains(Indicator::Nutrition));
    assert_eq!(s.deprivation_cutoff(), 3);
}

#[test]
fn nd_07_2021_art_3_lines_and_twelve_indicators() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    assert_eq!(s.poverty_line(Area::Rural), Vnd::from_dong(1_500_000));
    assert_eq!(s.poverty_line(Area::Urban), Vnd::from_dong(2_000_000));
    assert_eq!(s.near_poverty_line(Area::Rural), None);
    assert_eq!(
        s.average_band_top(Area::Rural),
        Some(Vnd::from_dong(2_250_000))
    );
    assert_eq!(
        s.average_band_top(Area::Urban),
        Some(Vnd::from_dong(3_000_000))
    );
    assert_eq!(s.indicators().len(), 12);
    let low = s.data().low_income_worker_line.as_ref().unwrap();
    assert_eq!(low.value.rural, Vnd::from_dong(2_250_000));
    assert_eq!(low.value.urban, Vnd::from_dong(3_000_000));
    assert_eq!(low.citation.number, "30/2025/NĐ-CP");
}

#[test]
fn nd_351_2025_lines_indicators_and_no_band() {
    let s = Standard::builtin("vn-2027-2030").unwrap();
    assert_eq!(s.poverty_line(Area::Rural), Vnd::from_dong(2_200_000));
    assert_eq!(s.poverty_line(Area::Urban), Vnd::from_dong(2_800_000));
    assert_eq!(s.average_band_top(Area::Rural), None);
    assert!(s.data().review_scores.is_none());
    assert!(!s.indicators().contains(Indicator::InformationAccess));
    assert!(s.indicators().contains(Indicator::Waste));
    assert!(s.indicators().contains(Indicator::DigitalServices));
    assert_eq!(s.indicators().len(), 12);
}

#[test]
fn year_lookup_follows_the_keep_rules_of_nd_07_2021_art_2_and_nd_351_2025() {
    for (year, id) in [
        (2016, "vn-2016-2020"),
        (2020, "vn-2016-2020"),
        (2021, "vn-2016-2020"),
        (2022, "vn-2022-2025"),
        (2025, "vn-2022-2025"),
        (2026, "vn-2022-2025"),
        (2027, "vn-2027-2030"),
        (2030, "vn-2027-2030"),
    ] {
        assert_eq!(Standard::for_year(year).unwrap().id(), id, "{year}");
    }
    for year in [2015, 2031, i32::MIN, i32::MAX] {
        assert_eq!(
            Standard::for_year(year),
            Err(Error::from(ErrorKind::NoStandardForYear { year }))
        );
    }
    let kept = Standard::for_year(2021).unwrap().applies_in(2021).unwrap();
    assert_eq!(kept.citation.number, "07/2021/NĐ-CP");
    assert_eq!(kept.citation.article, Some(2));
    let kept = Standard::for_year(2026).unwrap().applies_in(2026).unwrap();
    assert_eq!(kept.citation.number, "351/2025/NĐ-CP");
}

#[test]
fn provisional_values_are_marked() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let p = s.provisional_values();
    assert!(p.iter().any(|(n, _)| n == "average_band_top"));
    assert!(p.iter().any(|(n, _)| n == "indicator telecom"));
    assert!(!p.iter().any(|(n, _)| n == "poverty_line"));
    let old = Standard::builtin("vn-2016-2020").unwrap();
    assert!(old
        .provisional_values()
        .iter()
        .any(|(n, _)| n == "review_scores"));
}

#[test]
fn dong_nai_local_standard_loads_with_cutoff_two() {
    let s = Standard::from_json(DONG_NAI).unwrap();
    assert_eq!(s.id(), "dong-nai-2022-2025");
    assert_eq!(s.deprivation_cutoff(), 2);
    assert_eq!(s.poverty_line(Area::Rural), Vnd::from_dong(2_000_000));
    assert_eq!(
        s.average_band_top(Area::Urban),
        Some(Vnd::from_dong(3_750_000))
    );
    assert_eq!(s.data().kind, StandardKind::Local);
    // Round trip through JSON keeps every value.
    let again = Standard::from_json(&s.to_json_pretty()).unwrap();
    assert_eq!(again, s);
    let mut reg = Registry::new();
    reg.add(s);
    assert_eq!(
        reg.get("dong-nai-2022-2025").unwrap().deprivation_cutoff(),
        2
    );
    assert_eq!(reg.get("vn-2022-2025").unwrap().deprivation_cutoff(), 3);
    assert!(matches!(
        reg.get("ha-noi").map_err(Error::into_kind),
        Err(ErrorKind::UnknownStandard { .. })
    ));
}

fn dong_nai_with(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Standard> {
    let mut v: serde_json::Value = serde_json::from_str(DONG_NAI).unwrap();
    edit(&mut v);
    Standard::from_json(&v.to_string())
}

#[test]
fn local_standard_rejects_unknown_fields() {
    let e = dong_nai_with(|v| v["poverty_lines"] = serde_json::json!(1)).unwrap_err();
    assert!(
        matches!(&e.kind(), ErrorKind::Json { message, .. } if message.contains("poverty_lines")),
        "{e}"
    );
    let e = dong_nai_with(|v| v["poverty_line"]["value"]["suburb"] = "1".into()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Json { .. }));
}

#[test]
fn local_standard_validation() {
    // Lines must be ordered: band top above the poverty line.
    let e = dong_nai_with(|v| v["average_band_top"]["value"]["rural"] = "2000000".into());
    assert!(
        matches!(e.map_err(Error::into_kind), Err(ErrorKind::InvalidStandard { ref field, .. }) if field == "average_band_top")
    );
    // Cut-off within the indicator count.
    for bad in [0, 13] {
        let e = dong_nai_with(|v| v["deprivation_cutoff"]["value"] = bad.into());
        assert!(
            matches!(e.map_err(Error::into_kind), Err(ErrorKind::InvalidStandard { ref field, .. }) if field == "deprivation_cutoff"),
            "{bad}"
        );
    }
    assert!(dong_nai_with(|v| v["deprivation_cutoff"]["value"] = 12.into()).is_ok());
    // Every indicator known to the crate.
    let e = dong_nai_with(|v| v["indicators"][0]["code"] = "happiness".into());
    assert!(
        matches!(e.map_err(Error::into_kind), Err(ErrorKind::Json { ref message, .. }) if message.contains("happiness"))
    );
    // No duplicate indicators.
    let e = dong_nai_with(|v| v["indicators"][1]["code"] = "employment".into());
    assert!(
        matches!(e.map_err(Error::into_kind), Err(ErrorKind::InvalidStandard { ref field, .. }) if field == "indicators")
    );
    // Negative lines.
    let e = dong_nai_with(|v| v["poverty_line"]["value"]["urban"] = "-1".into());
    assert!(matches!(
        e.map_err(Error::into_kind),
        Err(ErrorKind::InvalidStandard { .. })
    ));
    // Ids are plain.
    let e = dong_nai_with(|v| v["id"] = "Đồng Nai".into());
    assert!(
        matches!(e.map_err(Error::into_kind), Err(ErrorKind::InvalidStandard { ref field, .. }) if field == "id")
    );
}

/// The provisional values of each built-in, as [the law's structure](crate::docs::law) marks them. A data file
/// that loses a mark (an [S] or [U] value written as confirmed) fails here.
#[test]
fn built_in_files_keep_every_provenance_mark() {
    use Provenance::{Secondary as S, Unverified as U};
    let ind = |codes: &[&str], p| -> Vec<(String, Provenance)> {
        codes
            .iter()
            .map(|c| (format!("indicator {c}"), p))
            .collect()
    };
    let want: [(&str, Vec<(String, Provenance)>); 3] = [
        ("vn-2016-2020", {
            let mut v = vec![("average_band_top".to_string(), S)];
            v.extend(ind(
                &[
                    "health_access",
                    "health_insurance",
                    "adult_education",
                    "child_schooling",
                    "housing_quality",
                    "housing_area",
                    "water",
                    "sanitation",
                    "telecom",
                    "information_access",
                ],
                U,
            ));
            v.push(("review_scores".into(), S));
            v
        }),
        ("vn-2022-2025", {
            let mut v = vec![("average_band_top".to_string(), S)];
            v.extend(ind(&["employment", "dependants", "nutrition"], S));
            v.extend(ind(
                &[
                    "health_insurance",
                    "adult_education",
                    "child_schooling",
                    "housing_quality",
                    "housing_area",
                    "water",
                    "sanitation",
                    "telecom",
                    "information_access",
                ],
                U,
            ));
            v
        }),
        (
            "vn-2027-2030",
            ind(
                &[
                    "employment",
                    "dependants",
                    "nutrition",
                    "health_insurance",
                    "adult_education",
                    "child_schooling",
                    "housing_quality",
                    "housing_area",
                    "water",
                    "sanitation",
                    "waste",
                    "digital_services",
                ],
                S,
            ),
        ),
    ];
    for (id, want) in want {
        assert_eq!(
            Standard::builtin(id).unwrap().provisional_values(),
            want,
            "{id}"
        );
    }
}

#[test]
fn a_data_file_without_a_provenance_mark_does_not_load() {
    for (id, text) in BUILTIN_FILES {
        let n = text.matches("\"provenance\"").count();
        assert!(n > 10, "{id}");
        // Remove each mark in turn: every one is required.
        for skip in 0..n {
            let mut seen = 0;
            let edited: String = text
                .lines()
                .filter(|l| {
                    let mark = l.trim_start().starts_with("\"provenance\"");
                    let keep = !(mark && seen == skip);
                    seen += usize::from(mark);
                    keep
                })
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                Standard::from_builtin_file(&edited).is_err(),
                "{id}: mark {skip}"
            );
        }
    }
}

#[test]
fn citation_dates_are_calendar_dates_and_a_law_takes_effect_after_it_is_signed() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let basis = &s.data().legal_basis[0];
    assert_eq!(basis.signed.as_deref(), Some("2021-01-27"));
    assert_eq!(basis.effective.as_deref(), Some("2021-03-15"));
    for bad in [
        "2021-02-29",
        "2021-13-01",
        "21-01-27",
        "2021-1-27",
        "2021/01/27",
    ] {
        let mut d = s.data().clone();
        d.id = "local-dates".into();
        d.kind = StandardKind::Local;
        d.legal_basis[0].signed = Some(bad.into());
        assert!(Standard::new(d).is_err(), "{bad}");
    }
    let mut d = s.data().clone();
    d.id = "local-dates".into();
    d.kind = StandardKind::Local;
    d.legal_basis[0].signed = Some("2024-02-29".into());
    d.legal_basis[0].effective = Some("2024-02-28".into());
    let e = Standard::new(d.clone()).unwrap_err();
    assert!(e.to_string().contains("legal_basis[0].effective"), "{e}");
    d.legal_basis[0].effective = Some("2024-03-01".into());
    assert!(Standard::new(d).is_ok());
}

#[test]
fn every_built_in_citation_says_what_its_class_provision_says_in_both_languages() {
    for s in Standard::builtins() {
        for (path, c) in s.citations() {
            if path.starts_with("class_rules") {
                let says = c
                    .says
                    .as_ref()
                    .unwrap_or_else(|| panic!("{}: {path}", s.id()));
                assert!(!says.vi.is_empty() && !says.en.is_empty() && says.vi != says.en);
            }
        }
        for spec in s.indicator_specs() {
            let rule = spec.deprived_if.as_ref().unwrap();
            assert_ne!(rule.vi, rule.en, "{}: {}", s.id(), spec.code);
        }
    }
}
