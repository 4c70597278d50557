//! Invariants of the law, as property tests over the built-in standards.
#![cfg(feature = "proptest")]

use chuan_ngheo::records::classify_json_line;
use chuan_ngheo::testing::{builtin_standard, household_for, scored_household_for};
use chuan_ngheo::Evidence;
use chuan_ngheo::{
    classify, AssessmentRecord, Household, IndicatorSet, Lang, PovertyClass, Registry, Standard,
    StandardChoice, Vnd,
};
use proptest::prelude::*;

fn rank(s: &Standard, h: &Household) -> u8 {
    classify(s, h).unwrap().class().rank().unwrap()
}

fn standard_and_household(unknowns: bool) -> impl Strategy<Value = (&'static Standard, Household)> {
    builtin_standard().prop_flat_map(move |s| (Just(s), household_for(s, unknowns)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lowering_income_never_gives_a_better_class(
        (s, h) in standard_and_household(false), cut in 0i64..3_000_000,
    ) {
        let income = h.income().unwrap();
        let lower = income.checked_sub(Vnd::from_dong(cut)).unwrap().non_negative("x").unwrap_or(Vnd::ZERO);
        prop_assert!(rank(s, &h.with_income(lower)) <= rank(s, &h));
    }

    #[test]
    fn adding_a_deprivation_never_gives_a_better_class(
        (s, h) in standard_and_household(false), pick in any::<prop::sample::Index>(),
    ) {
        let all: Vec<_> = s.indicators().iter().collect();
        let more = h.deprivations().with(all[pick.index(all.len())]);
        prop_assert!(rank(s, &h.with_deprivations(more)) <= rank(s, &h));
    }

    #[test]
    fn an_urban_household_is_never_classified_better_than_the_same_rural_one(
        (s, h) in standard_and_household(false),
    ) {
        let rural = Household { area: chuan_ngheo::Area::Rural, ..h };
        let urban = Household { area: chuan_ngheo::Area::Urban, ..h };
        prop_assert!(rank(s, &urban) <= rank(s, &rural));
    }

    #[test]
    fn indeterminate_exactly_when_completions_of_the_unknowns_disagree(
        (s, h) in standard_and_household(true),
    ) {
        let a = classify(s, &h).unwrap();
        let unknown: Vec<_> = h.unknown().iter().collect();
        let mut classes = std::collections::BTreeSet::new();
        for mask in 0u32..(1 << unknown.len()) {
            let extra: IndicatorSet = unknown.iter().enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0).map(|(_, x)| *x).collect();
            let complete = h.with_deprivations(h.deprivations().union(extra)).with_unknown(IndicatorSet::EMPTY);
            classes.insert(classify(s, &complete).unwrap().class());
        }
        if a.class() == PovertyClass::Indeterminate {
            prop_assert!(classes.len() >= 2, "indeterminate but every completion is {classes:?}");
        } else {
            prop_assert_eq!(classes.into_iter().collect::<Vec<_>>(), vec![a.class()]);
        }
    }

    #[test]
    fn score_classification_is_monotone_in_both_scores(
        h in scored_household_for(Standard::builtin("vn-2022-2025").unwrap()),
    ) {
        let s = Standard::builtin("vn-2022-2025").unwrap();
        let Evidence::Scores(sc) = h.evidence else { unreachable!() };
        let worse_a = Household { evidence: Evidence::Scores(chuan_ngheo::ReviewScore { a: sc.a.saturating_sub(10), ..sc }), ..h };
        prop_assert!(rank(s, &worse_a) <= rank(s, &h));
        if sc.b + 10 <= 120 {
            let worse_b = Household { evidence: Evidence::Scores(chuan_ngheo::ReviewScore { b: sc.b + 10, ..sc }), ..h };
            prop_assert!(rank(s, &worse_b) <= rank(s, &h));
        }
    }

    #[test]
    fn assessments_survive_a_serde_round_trip(
        (s, h) in standard_and_household(true), vi in any::<bool>(),
    ) {
        let lang = if vi { Lang::Vi } else { Lang::En };
        let record = classify(s, &h).unwrap().to_record("hh-1", lang);
        let json = serde_json::to_string(&record).unwrap();
        let back: AssessmentRecord = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, record);
    }

    #[test]
    fn arbitrary_bytes_give_error_records_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = classify_json_line(1, &text, &Registry::new(), StandardChoice::FromRecord, Lang::En);
    }

    #[test]
    fn arbitrary_record_fields_give_results_or_errors_never_a_panic(
        area in "\\PC{0,12}", members in any::<i64>(), income in "\\PC{0,12}",
        year in any::<i32>(), dep in prop::collection::vec("[a-z_]{0,18}", 0..4),
        not in prop::option::of(prop::collection::vec("[a-z_]{0,18}", 0..4)),
        scores in prop::option::of((any::<u32>(), any::<u32>())),
    ) {
        let mut v = serde_json::json!({
            "id": "x", "year": year, "area": area, "members": members,
            "income_per_capita": income, "deprivations": dep,
        });
        if let Some(n) = not { v["not_deprived"] = serde_json::json!(n); }
        if let Some((a, b)) = scores { v["scores"] = serde_json::json!({"a": a, "b": b}); }
        let _ = classify_json_line(1, &v.to_string(), &Registry::new(), StandardChoice::FromRecord, Lang::Vi);
    }
}

#[test]
fn every_standard_survives_a_serde_round_trip() {
    for s in Standard::builtins() {
        let json = serde_json::to_string(s).unwrap();
        let back: Standard = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, s);
    }
}

#[test]
fn a_misspelt_field_is_rejected_not_ignored() {
    let line = r#"{"id": "x", "year": 2024, "area": "rural", "members": 2, "income_per_capita": 1000000, "deprivation": ["water", "sanitation", "telecom"]}"#;
    let r = classify_json_line(
        3,
        line,
        &Registry::new(),
        StandardChoice::FromRecord,
        Lang::En,
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["line"], 3);
    assert_eq!(json["id"], "x");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("deprivation"),
        "{json}"
    );
}
