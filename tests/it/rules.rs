//! One test per legal rule, named after its citation, on both sides of every boundary: at the
//! line and one đồng above; D = cut-off − 1 and D = cut-off; for each standard and area.

use chuan_ngheo::ErrorKind;
use chuan_ngheo::{
    classify, Area, Error, Household, Indicator, IndicatorSet, PovertyClass, ReviewScore, Rule,
    Standard, Vnd,
};
use PovertyClass::*;

fn std(id: &str) -> &'static Standard {
    Standard::builtin(id).unwrap()
}

/// The first `d` indicators of the standard.
fn deprived(s: &Standard, d: usize) -> IndicatorSet {
    s.indicators().iter().take(d).collect()
}

fn class(s: &Standard, area: Area, income: i64, d: usize) -> PovertyClass {
    let h = Household::new(area, 4, Vnd::from_dong(income)).with_deprivations(deprived(s, d));
    classify(s, &h).unwrap().class()
}

fn rule(s: &Standard, area: Area, income: i64, d: usize) -> Rule {
    let h = Household::new(area, 4, Vnd::from_dong(income)).with_deprivations(deprived(s, d));
    classify(s, &h).unwrap().rule()
}

#[test]
fn qd_59_2015_art_2_pt_a_poor_by_income_alone_at_or_under_the_poverty_line() {
    let s = std("vn-2016-2020");
    for (area, line) in [(Area::Rural, 700_000), (Area::Urban, 900_000)] {
        assert_eq!(class(s, area, line, 0), Poor, "{area} at the line");
        assert_eq!(rule(s, area, line, 0), Rule::PoorByIncome);
        assert_eq!(class(s, area, 0, 0), Poor, "{area} zero income");
        assert_eq!(
            class(s, area, line + 1, 0),
            NearPoor,
            "{area} one đồng above"
        );
    }
}

#[test]
fn qd_59_2015_art_2_pt_a_b_between_the_lines_three_deprivations_decide() {
    let s = std("vn-2016-2020");
    for (area, line, near) in [
        (Area::Rural, 700_000, 1_000_000),
        (Area::Urban, 900_000, 1_300_000),
    ] {
        for income in [line + 1, near] {
            assert_eq!(class(s, area, income, 3), Poor, "{area} {income} D=3");
            assert_eq!(rule(s, area, income, 3), Rule::PoorByDeprivation);
            assert_eq!(class(s, area, income, 2), NearPoor, "{area} {income} D=2");
        }
        // One đồng above the near-poverty line, deprivations no longer matter.
        assert_eq!(
            class(s, area, near + 1, 10),
            AverageLivingStandard,
            "{area}"
        );
    }
}

#[test]
fn qd_59_2015_art_2_pt_c_average_band_up_to_1_5_and_1_95_million() {
    let s = std("vn-2016-2020");
    for (area, top) in [(Area::Rural, 1_500_000), (Area::Urban, 1_950_000)] {
        assert_eq!(
            class(s, area, top, 0),
            AverageLivingStandard,
            "{area} at the top"
        );
        assert_eq!(class(s, area, top + 1, 0), NotPoor, "{area} one đồng above");
        assert_eq!(
            class(s, area, top + 1, 10),
            NotPoor,
            "{area} deprivations do not matter"
        );
    }
}

#[test]
fn nd_07_2021_art_3_cl_2_pt_a_poor_is_income_at_or_under_the_line_and_d_at_least_3() {
    let s = std("vn-2022-2025");
    for (area, line) in [(Area::Rural, 1_500_000), (Area::Urban, 2_000_000)] {
        assert_eq!(class(s, area, line, 3), Poor, "{area} at the line, D=3");
        assert_eq!(class(s, area, line, 12), Poor, "{area} D=12");
        assert_eq!(
            class(s, area, line + 1, 3),
            AverageLivingStandard,
            "{area} one đồng above"
        );
        assert_eq!(class(s, area, 0, 3), Poor, "{area} zero income");
    }
}

#[test]
fn nd_07_2021_art_3_cl_2_pt_b_near_poor_has_no_income_only_branch() {
    let s = std("vn-2022-2025");
    for (area, line) in [(Area::Rural, 1_500_000), (Area::Urban, 2_000_000)] {
        assert_eq!(class(s, area, line, 2), NearPoor, "{area} at the line, D=2");
        // Far under the line with few deprivations is still near-poor, never poor.
        assert_eq!(class(s, area, 0, 2), NearPoor, "{area} zero income, D=2");
        assert_eq!(rule(s, area, 0, 0), Rule::NearPoorFewDeprivations);
        assert_eq!(
            class(s, area, line + 1, 2),
            AverageLivingStandard,
            "{area} one đồng above"
        );
    }
}

#[test]
fn nd_07_2021_art_3_cl_2_pt_c_average_band_up_to_2_25_and_3_million() {
    let s = std("vn-2022-2025");
    for (area, top) in [(Area::Rural, 2_250_000), (Area::Urban, 3_000_000)] {
        assert_eq!(
            class(s, area, top, 5),
            AverageLivingStandard,
            "{area} at the top"
        );
        assert_eq!(class(s, area, top + 1, 5), NotPoor, "{area} one đồng above");
    }
}

#[test]
fn nd_30_2025_low_income_worker_line_2_25_and_3_million() {
    let s = std("vn-2022-2025");
    for (area, line, low) in [
        (Area::Rural, 1_500_000, 2_250_000),
        (Area::Urban, 2_000_000, 3_000_000),
    ] {
        let lw = |income: i64, d: usize| {
            let h =
                Household::new(area, 3, Vnd::from_dong(income)).with_deprivations(deprived(s, d));
            classify(s, &h).unwrap().low_income_worker()
        };
        assert_eq!(lw(low, 0), Some(true), "{area} at the line");
        assert_eq!(lw(low + 1, 0), Some(false), "{area} one đồng above");
        assert_eq!(
            lw(line + 1, 0),
            Some(true),
            "{area} just above the poverty line"
        );
        assert_eq!(
            lw(line, 0),
            Some(false),
            "{area} near-poor households are not counted"
        );
        assert_eq!(
            lw(line, 3),
            Some(false),
            "{area} poor households are not counted"
        );
    }
    let h = Household::new(Area::Rural, 3, Vnd::from_dong(2_000_000));
    assert_eq!(
        classify(std("vn-2027-2030"), &h)
            .unwrap()
            .low_income_worker(),
        None
    );
}

#[test]
fn nd_351_2025_poor_and_near_poor_at_2_2_and_2_8_million_without_band() {
    let s = std("vn-2027-2030");
    for (area, line) in [(Area::Rural, 2_200_000), (Area::Urban, 2_800_000)] {
        assert_eq!(class(s, area, line, 3), Poor, "{area} at the line, D=3");
        assert_eq!(class(s, area, line, 2), NearPoor, "{area} at the line, D=2");
        assert_eq!(
            class(s, area, line + 1, 3),
            NotPoor,
            "{area} one đồng above: no band"
        );
        assert_eq!(rule(s, area, line + 1, 0), Rule::AboveLines);
    }
}

#[test]
fn nd_351_2025_drops_information_access_and_adds_waste_and_digital_services() {
    let s = std("vn-2027-2030");
    let h = Household::new(Area::Rural, 3, Vnd::from_dong(1))
        .with_deprivations(IndicatorSet::EMPTY.with(Indicator::InformationAccess));
    assert!(matches!(
        classify(s, &h).map_err(Error::into_kind),
        Err(ErrorKind::IndicatorNotInStandard {
            indicator: "information_access",
            ..
        })
    ));
    let h = h.with_deprivations(IndicatorSet::from_iter([
        Indicator::Waste,
        Indicator::DigitalServices,
        Indicator::Water,
    ]));
    assert_eq!(classify(s, &h).unwrap().class(), Poor);
}

#[test]
fn unknown_indicators_give_indeterminate_only_when_they_could_change_the_class() {
    let s = std("vn-2022-2025");
    let k = s.deprivation_cutoff() as usize;
    let all: Vec<Indicator> = s.indicators().iter().collect();
    let with = |income: i64, d: usize, u: usize| {
        let dep: IndicatorSet = all[..d].iter().copied().collect();
        let unk: IndicatorSet = all[d..d + u].iter().copied().collect();
        let h = Household::new(Area::Rural, 4, Vnd::from_dong(income))
            .with_deprivations(dep)
            .with_unknown(unk);
        classify(s, &h).unwrap()
    };
    // D = k-1 with one unknown: could be poor or near-poor.
    let a = with(1_000_000, k - 1, 1);
    assert_eq!(a.class(), Indeterminate);
    assert_eq!(a.deprivations_needed_for_poor(), Some(1));
    assert_eq!(a.unknown().len(), 1);
    // D = k-2 with one unknown: near-poor whatever the answer.
    assert_eq!(with(1_000_000, k - 2, 1).class(), NearPoor);
    // D = k with unknowns: poor whatever the answers.
    assert_eq!(with(1_000_000, k, 5).class(), Poor);
    // Above the line, unknowns cannot matter.
    assert_eq!(with(1_500_001, 0, 12).class(), AverageLivingStandard);
}

#[test]
fn tt_07_2021_review_scores_a_140_175_and_b_30() {
    let s = std("vn-2022-2025");
    let sc = |area, a, b| {
        classify(s, &Household::from_scores(area, 4, ReviewScore { a, b }))
            .unwrap()
            .class()
    };
    for (area, line) in [(Area::Rural, 140), (Area::Urban, 175)] {
        assert_eq!(sc(area, line, 30), Poor, "{area} A at the line, B=30");
        assert_eq!(sc(area, line, 20), NearPoor, "{area} B=20");
        assert_eq!(
            sc(area, 0, 20),
            NearPoor,
            "{area} low A, B=20: no score-only branch"
        );
        assert_eq!(sc(area, line + 1, 120), NotPoor, "{area} A one point above");
    }
}

#[test]
fn tt_17_2016_art_6_cl_2_as_amended_by_tt_14_2018_review_scores() {
    let s = std("vn-2016-2020");
    let sc = |area, a, b| {
        classify(s, &Household::from_scores(area, 4, ReviewScore { a, b }))
            .unwrap()
            .class()
    };
    for (area, low, high) in [(Area::Rural, 120, 150), (Area::Urban, 140, 175)] {
        assert_eq!(
            sc(area, low, 0),
            Poor,
            "{area} A at the lower line: poor by income proxy"
        );
        assert_eq!(sc(area, low + 1, 30), Poor, "{area} between lines, B=30");
        assert_eq!(
            sc(area, low + 1, 20),
            NearPoor,
            "{area} between lines, B=20"
        );
        assert_eq!(sc(area, high, 20), NearPoor, "{area} A at the upper line");
        assert_eq!(
            sc(area, high + 1, 100),
            NotPoor,
            "{area} A above the upper line"
        );
    }
}

#[test]
fn review_scores_are_an_error_where_none_are_published_or_out_of_range() {
    let score = |id, a, b| {
        classify(
            std(id),
            &Household::from_scores(Area::Rural, 4, ReviewScore { a, b }),
        )
    };
    assert!(matches!(
        score("vn-2027-2030", 100, 30).map_err(Error::into_kind),
        Err(ErrorKind::NoReviewScores { .. })
    ));
    assert!(matches!(
        score("vn-2022-2025", 100, 130).map_err(Error::into_kind),
        Err(ErrorKind::InvalidScore { field: "b", .. })
    ));
    assert!(matches!(
        score("vn-2022-2025", 100, 25).map_err(Error::into_kind),
        Err(ErrorKind::InvalidScore { field: "b", .. })
    ));
    assert!(score("vn-2022-2025", 100, 120).is_ok());
}

#[test]
fn invalid_households_are_typed_errors() {
    let s = std("vn-2022-2025");
    let h = Household::new(Area::Rural, 0, Vnd::from_dong(1));
    assert!(matches!(
        classify(s, &h).map_err(Error::into_kind),
        Err(ErrorKind::InvalidMembers { .. })
    ));
    let h = Household::new(Area::Rural, 1, Vnd::from_dong(-1));
    assert!(matches!(
        classify(s, &h).map_err(Error::into_kind),
        Err(ErrorKind::NegativeMoney {
            field: "income_per_capita",
            ..
        })
    ));
    let h = Household::new(Area::Rural, 1, Vnd::from_dong(1))
        .with_deprivations(IndicatorSet::EMPTY.with(Indicator::HealthAccess));
    assert!(matches!(
        classify(s, &h).map_err(Error::into_kind),
        Err(ErrorKind::IndicatorNotInStandard { .. })
    ));
    let w = IndicatorSet::EMPTY.with(Indicator::Water);
    let h = Household::new(Area::Rural, 1, Vnd::from_dong(1))
        .with_deprivations(w)
        .with_unknown(w);
    assert!(matches!(
        classify(s, &h).map_err(Error::into_kind),
        Err(ErrorKind::ContradictoryIndicator { indicator: "water" })
    ));
}

#[test]
fn dong_nai_local_standard_counts_two_deprivations_as_poor() {
    let text = include_str!("../../examples/data/dong-nai-2022-2025.json");
    let s = Standard::from_json(text).unwrap();
    assert_eq!(class(&s, Area::Rural, 2_000_000, 2), Poor);
    assert_eq!(class(&s, Area::Rural, 2_000_000, 1), NearPoor);
    assert_eq!(class(&s, Area::Rural, 2_000_001, 2), AverageLivingStandard);
    assert_eq!(class(&s, Area::Urban, 3_750_000, 0), AverageLivingStandard);
    assert_eq!(class(&s, Area::Urban, 3_750_001, 0), NotPoor);
}

#[test]
fn explanations_cite_the_rule_in_both_languages() {
    let s = std("vn-2016-2020");
    let h = Household::new(Area::Rural, 5, Vnd::from_dong(650_000));
    let a = classify(s, &h).unwrap();
    let en = a.sentence(chuan_ngheo::Lang::En).to_string();
    let vi = a.sentence(chuan_ngheo::Lang::Vi).to_string();
    assert!(
        en.contains("Decision 59/2015/QĐ-TTg, Art. 2, cl. 1"),
        "{en}"
    );
    assert!(en.contains("700,000 VND"), "{en}");
    assert!(
        vi.contains("Quyết định 59/2015/QĐ-TTg, Điều 2, khoản 1"),
        "{vi}"
    );
    assert!(vi.contains("700.000 ₫"), "{vi}");
    assert!(vi.starts_with("Hộ nghèo"), "{vi}");
    let r = a.to_record("hh", chuan_ngheo::Lang::En);
    assert_eq!(r.explanation.data_version, chuan_ngheo::DATA_VERSION);
    assert_eq!(r.standard, "vn-2016-2020");
    // The average band is [S]: its explanation says provisional.
    let a = classify(
        s,
        &Household::new(Area::Rural, 5, Vnd::from_dong(1_200_000)),
    )
    .unwrap();
    assert!(a
        .sentence(chuan_ngheo::Lang::En)
        .to_string()
        .contains("provisional: S"));
}

#[test]
fn answers_are_deprived_not_deprived_or_unknown() {
    use chuan_ngheo::Answer;
    let w = IndicatorSet::EMPTY.with(Indicator::Water);
    let t = IndicatorSet::EMPTY.with(Indicator::Telecom);
    let h = Household::new(Area::Rural, 2, Vnd::from_dong(1))
        .with_deprivations(w)
        .with_unknown(t);
    assert_eq!(h.answer(Indicator::Water), Answer::Deprived);
    assert_eq!(h.answer(Indicator::Telecom), Answer::Unknown);
    assert_eq!(h.answer(Indicator::Sanitation), Answer::NotDeprived);
    let scored = Household::from_scores(Area::Rural, 2, ReviewScore { a: 100, b: 30 });
    assert_eq!(scored.answer(Indicator::Water), Answer::Unknown);
}

/// Each class cites its own clause and point, for each area (Decision 59/2015/QĐ-TTg Art. 2 is
/// organised by class, then area; Decree 07/2021/NĐ-CP Art. 3 cl. 2 by class).
#[test]
fn each_class_cites_its_own_clause_and_point_for_each_area() {
    use chuan_ngheo::Lang;
    let cases: [(&str, Area, i64, usize, &str, &str); 16] = [
        (
            "vn-2016-2020",
            Area::Rural,
            650_000,
            0,
            "Decision 59/2015/QĐ-TTg, Art. 2, cl. 1, pt. a",
            "Quyết định 59/2015/QĐ-TTg, Điều 2, khoản 1, điểm a",
        ),
        (
            "vn-2016-2020",
            Area::Urban,
            850_000,
            0,
            "Decision 59/2015/QĐ-TTg, Art. 2, cl. 1, pt. b",
            "Quyết định 59/2015/QĐ-TTg, Điều 2, khoản 1, điểm b",
        ),
        (
            "vn-2016-2020",
            Area::Rural,
            900_000,
            3,
            "Decision 59/2015/QĐ-TTg, Art. 2, cl. 1, pt. a",
            "Quyết định 59/2015/QĐ-TTg, Điều 2, khoản 1, điểm a",
        ),
        (
            "vn-2016-2020",
            Area::Rural,
            900_000,
            0,
            "Decision 59/2015/QĐ-TTg, Art. 2, cl. 2, pt. a",
            "Quyết định 59/2015/QĐ-TTg, Điều 2, khoản 2, điểm a",
        ),
        (
            "vn-2016-2020",
            Area::Urban,
            1_200_000,
            0,
            "Decision 59/2015/QĐ-TTg, Art. 2, cl. 2, pt. b",
            "Quyết định 59/2015/QĐ-TTg, Điều 2, khoản 2, điểm b",
        ),
        (
            "vn-2016-2020",
            Area::Rural,
            1_200_000,
            0,
            "Decision 59/2015/QĐ-TTg, Art. 2, cl. 3",
            "Quyết định 59/2015/QĐ-TTg, Điều 2, khoản 3",
        ),
        (
            "vn-2016-2020",
            Area::Urban,
            1_500_000,
            0,
            "Decision 59/2015/QĐ-TTg, Art. 2, cl. 3",
            "Quyết định 59/2015/QĐ-TTg, Điều 2, khoản 3",
        ),
        (
            "vn-2022-2025",
            Area::Rural,
            1_400_000,
            3,
            "Decree 07/2021/NĐ-CP, Art. 3, cl. 2, pt. a",
            "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 2, điểm a",
        ),
        (
            "vn-2022-2025",
            Area::Urban,
            1_900_000,
            3,
            "Decree 07/2021/NĐ-CP, Art. 3, cl. 2, pt. a",
            "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 2, điểm a",
        ),
        (
            "vn-2022-2025",
            Area::Rural,
            1_400_000,
            0,
            "Decree 07/2021/NĐ-CP, Art. 3, cl. 2, pt. b",
            "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 2, điểm b",
        ),
        (
            "vn-2022-2025",
            Area::Urban,
            1_900_000,
            0,
            "Decree 07/2021/NĐ-CP, Art. 3, cl. 2, pt. b",
            "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 2, điểm b",
        ),
        (
            "vn-2022-2025",
            Area::Rural,
            2_000_000,
            0,
            "Decree 07/2021/NĐ-CP, Art. 3, cl. 2, pt. c",
            "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 2, điểm c",
        ),
        (
            "vn-2022-2025",
            Area::Urban,
            2_500_000,
            0,
            "Decree 07/2021/NĐ-CP, Art. 3, cl. 2, pt. c",
            "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 2, điểm c",
        ),
        (
            "vn-2027-2030",
            Area::Rural,
            2_000_000,
            3,
            "Decree 351/2025/NĐ-CP",
            "Nghị định 351/2025/NĐ-CP",
        ),
        (
            "vn-2027-2030",
            Area::Urban,
            2_700_000,
            0,
            "Decree 351/2025/NĐ-CP",
            "Nghị định 351/2025/NĐ-CP",
        ),
        (
            "vn-2027-2030",
            Area::Urban,
            2_700_000,
            4,
            "Decree 351/2025/NĐ-CP",
            "Nghị định 351/2025/NĐ-CP",
        ),
    ];
    for (id, area, income, deprived, en, vi) in cases {
        let s = std(id);
        let d: IndicatorSet = s.indicators().iter().take(deprived).collect();
        let h = Household::new(area, 4, Vnd::from_dong(income)).with_deprivations(d);
        let a = classify(s, &h).unwrap();
        assert_eq!(
            a.citation().display(Lang::En).to_string(),
            en,
            "{id} {area} {income}"
        );
        assert_eq!(
            a.citation().display(Lang::Vi).to_string(),
            vi,
            "{id} {area} {income}"
        );
        // The Vietnamese sentence carries no English note.
        let sentence = a.sentence(Lang::Vi).to_string();
        assert!(!sentence.contains("keeps the"), "{sentence}");
    }
}

/// A reform never passes for law: its explanations lead with the reform, and a value it
/// changed is cited as the reform, not as the decree it replaced.
#[test]
fn a_reformed_line_is_cited_as_the_reform_and_the_explanation_says_not_law() {
    use chuan_ngheo::reform::Reform;
    use chuan_ngheo::Lang;
    let reform = Reform::from_json(include_str!(
        "../../examples/data/reform-rural-line-plus-10pct.json"
    ))
    .unwrap();
    let base = std("vn-2022-2025");
    let what_if = reform.apply(base).unwrap();
    let three: IndicatorSet = what_if.indicators().iter().take(3).collect();
    // Rural: the line the reform raised (1,650,000) decides.
    let rural = Household::new(Area::Rural, 4, Vnd::from_dong(1_600_000)).with_deprivations(three);
    let a = classify(&what_if, &rural).unwrap();
    assert_eq!(a.class(), Poor);
    assert_eq!(
        a.citation().display(Lang::En).to_string(),
        "What-if reform rural-line-plus-10pct (not law)"
    );
    let en = a.sentence(Lang::En).to_string();
    assert!(
        en.starts_with("What-if reform rural-line-plus-10pct, not law — Poor"),
        "{en}"
    );
    assert!(!en.contains("Decree 07/2021"), "{en}");
    let vi = a.sentence(Lang::Vi).to_string();
    assert!(
        vi.starts_with(
            "Phương án giả định rural-line-plus-10pct, không phải quy định pháp luật — "
        ),
        "{vi}"
    );
    assert!(vi.contains("(không phải quy định pháp luật)"), "{vi}");
    assert!(!vi.contains("not law"), "{vi}");
    // Urban: the reform left the line as it was, so the decree is cited for it.
    let urban = Household::new(Area::Urban, 4, Vnd::from_dong(1_900_000)).with_deprivations(three);
    let a = classify(&what_if, &urban).unwrap();
    assert_eq!(
        a.citation().display(Lang::En).to_string(),
        "Decree 07/2021/NĐ-CP, Art. 3, cl. 2, pt. a"
    );
    assert!(a
        .sentence(Lang::En)
        .to_string()
        .starts_with("What-if reform"));
    // Under the law itself, no reform is named.
    let law = classify(base, &rural)
        .unwrap()
        .sentence(Lang::En)
        .to_string();
    assert!(!law.contains("What-if"), "{law}");
}
