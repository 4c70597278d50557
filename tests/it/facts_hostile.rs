//! Facts as a hostile user writes them: bad names, bad values, contradictions, odd tables,
//! rules that cannot be. Every attack is a typed error or a rejected row with its line; none
//! panics, and nothing is dropped or counted twice.

use chuan_ngheo::facts::{self, HouseholdFacts};
use chuan_ngheo::records::{classify_json_line, LineResult};
use chuan_ngheo::reform::Reform;
use chuan_ngheo::{Lang, Registry, Standard, StandardChoice};

const BASE: &str = r#""id": "x", "year": 2024, "area": "rural", "income_per_capita": "1400000""#;

fn line(facts: &str, extra: &str) -> String {
    format!("{{{BASE}, \"facts\": {facts}{extra}}}")
}

fn outcome(text: &str) -> Result<String, (String, String)> {
    match classify_json_line(
        1,
        text,
        &Registry::new(),
        StandardChoice::FromRecord,
        Lang::En,
    ) {
        LineResult::Assessed(r) => Ok(r.class.code().to_owned()),
        LineResult::Rejected(e) => Err((e.error.kind.to_owned(), e.error.message)),
    }
}

fn rejected(text: &str) -> (String, String) {
    outcome(text).expect_err(text)
}

#[test]
fn unknown_fact_names_are_errors_not_ignored() {
    let (kind, msg) = rejected(&line(r#"{"members": [{"agee": 4}]}"#, ""));
    assert_eq!(kind, "invalid_json");
    assert!(msg.contains("agee"), "{msg}");
    let (_, msg) = rejected(&line(r#"{"floor_area": 30, "members": [{"age": 4}]}"#, ""));
    assert!(msg.contains("floor_area"), "{msg}");
}

#[test]
fn bad_values_name_the_member_the_field_and_the_value() {
    for (facts, field, value) in [
        (
            r#"{"members": [{"age": 40}, {"age": 131}]}"#,
            "member 2: age",
            "131",
        ),
        (r#"{"members": [{"age": -1}]}"#, "member 1: age", "-1"),
        (r#"{"members": [{"age": 4.5}]}"#, "member 1: age", "4.5"),
        (r#"{"members": [{"age": "4"}]}"#, "member 1: age", "4"),
        (r#"{"members": [{"age": 1e400}]}"#, "member 1: age", ""),
        (
            r#"{"members": [{"labour": "retired"}]}"#,
            "member 1: labour",
            "retired",
        ),
        (
            r#"{"members": [{"education": ""}]}"#,
            "member 1: education",
            "",
        ),
        (
            r#"{"members": [{"health_insurance": 1}]}"#,
            "member 1: health_insurance",
            "1",
        ),
        (
            r#"{"floor_area_m2": "-0.01", "members": [{}]}"#,
            "floor_area_m2",
            "-0.01",
        ),
        (
            r#"{"floor_area_m2": "abc", "members": [{}]}"#,
            "floor_area_m2",
            "abc",
        ),
        (
            r#"{"water_source": "tap", "members": [{}]}"#,
            "water_source",
            "tap",
        ),
        (
            r#"{"devices": ["tv", "fax"], "members": [{}]}"#,
            "devices",
            "fax",
        ),
        (r#"{"devices": "tv", "members": [{}]}"#, "devices", "tv"),
        (r#"{"internet": "yes", "members": [{}]}"#, "internet", "yes"),
    ] {
        let (kind, msg) = rejected(&line(facts, ""));
        assert_eq!(kind, "invalid_fact", "{facts}: {msg}");
        assert!(msg.starts_with(field), "{facts}: {msg}");
        assert!(msg.contains(value), "{facts}: {msg}");
    }
}

#[test]
fn huge_floor_areas_and_many_digits_are_exact_and_never_panic() {
    for area in [
        "\"79228162514264337593543950335\"",
        "79228162514264337593543950335",
        "\"0.0000000000000000000000000001\"",
        "1e20",
    ] {
        let text = line(
            &format!(r#"{{"floor_area_m2": {area}, "members": [{{"age": 30}}]}}"#),
            "",
        );
        let _ = outcome(&text);
    }
    // Just under 8 m² by a hair, for one member: deprived in housing area.
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let h = HouseholdFacts::from_json(
        r#"{"floor_area_m2": 7.99999999999999999999, "members": [{"age": 30}]}"#,
    )
    .unwrap();
    let f = facts::evaluate(s, &h).unwrap();
    assert_eq!(
        f.answer(chuan_ngheo::Indicator::HousingArea),
        chuan_ngheo::Answer::Deprived
    );
}

#[test]
fn facts_with_deprivations_or_scores_is_an_error() {
    for extra in [
        r#", "deprivations": ["water"]"#,
        r#", "not_deprived": ["water"]"#,
        r#", "unknown": ["water"]"#,
        r#", "scores": {"a": 1, "b": 0}"#,
    ] {
        let (kind, msg) = rejected(&line(r#"{"members": [{"age": 4}]}"#, extra));
        assert_eq!(kind, "invalid_value", "{extra}");
        assert!(msg.starts_with("facts:"), "{msg}");
    }
}

#[test]
fn a_members_count_that_disagrees_with_the_list_names_both_numbers() {
    let (kind, msg) = rejected(&line(
        r#"{"members": [{"age": 4}, {"age": 30}]}"#,
        r#", "members": 3"#,
    ));
    assert_eq!(kind, "members_mismatch");
    assert!(msg.contains('3') && msg.contains('2'), "{msg}");
    // Agreeing is fine.
    assert!(outcome(&line(
        r#"{"members": [{"age": 4}, {"age": 30}]}"#,
        r#", "members": 2"#
    ))
    .is_ok());
}

#[test]
fn no_members_is_an_error_and_a_record_without_members_or_facts_too() {
    assert_eq!(rejected(&line(r#"{"members": []}"#, "")).0, "no_members");
    assert_eq!(rejected(&line(r#"{}"#, "")).0, "invalid_json");
    let no_size = format!("{{{BASE}, \"deprivations\": []}}");
    assert_eq!(rejected(&no_size).0, "missing_field");
}

#[test]
fn a_standard_without_fact_rules_refuses_facts_by_name() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/dong-nai-2022-2025.json"
    ))
    .unwrap();
    let local = Standard::from_json(&text).unwrap();
    assert!(!local.takes_facts());
    let h = HouseholdFacts::from_json(r#"{"members": [{"age": 4}]}"#).unwrap();
    let e = facts::evaluate(&local, &h).unwrap_err();
    assert_eq!(e.code(), "invalid_standard");
    assert!(e.to_string().contains("indicators.employment.rule"), "{e}");
}

/// A local standard with its own rule: 10 m² per person and health insurance from birth.
#[test]
fn a_local_standard_changes_a_threshold_and_an_age_band_without_code() {
    let national = Standard::builtin("vn-2022-2025").unwrap();
    let mut data = national.data().clone();
    data.id = "tinh-x-2022-2025".into();
    data.kind = chuan_ngheo::standard::StandardKind::Local;
    for spec in &mut data.indicators {
        let rule = spec.rule.as_mut().unwrap();
        match spec.code {
            chuan_ngheo::Indicator::HousingArea => {
                rule.deprived_when =
                    serde_json::from_str(r#"{"floor_area_per_person_below": "10"}"#).unwrap();
                rule.provenance = chuan_ngheo::Provenance::Local;
                // The words change with the rule (a standard whose words say 8 is refused).
                spec.deprived_if = Some(chuan_ngheo::standard::Text {
                    vi: "diện tích nhà ở bình quân đầu người dưới 10 m²".into(),
                    en: "floor area per person < 10 m²".into(),
                });
            }
            chuan_ngheo::Indicator::HealthInsurance => {
                rule.deprived_when = serde_json::from_str(
                    r#"{"any_member": {"age": {"from": 0}, "facts": {"health_insurance": false}}}"#,
                )
                .unwrap();
                spec.deprived_if = Some(chuan_ngheo::standard::Text {
                    vi: "có thành viên không có thẻ bảo hiểm y tế".into(),
                    en: "a member has no health insurance".into(),
                });
            }
            _ => {}
        }
    }
    let local = Standard::new(data).unwrap();
    let h = HouseholdFacts::from_json(
        r#"{"floor_area_m2": "19", "members": [{"age": 30, "health_insurance": true}, {"age": 2, "health_insurance": false}]}"#,
    )
    .unwrap();
    let n = facts::evaluate(national, &h).unwrap();
    let l = facts::evaluate(&local, &h).unwrap();
    use chuan_ngheo::{Answer::*, Indicator::*};
    assert_eq!(
        (n.answer(HousingArea), l.answer(HousingArea)),
        (NotDeprived, Deprived)
    );
    assert_eq!(
        (n.answer(HealthInsurance), l.answer(HealthInsurance)),
        (NotDeprived, Deprived)
    );
    let why = l.explain(&local, &h, HousingArea).unwrap();
    assert!(
        why.reason.get(Lang::En).contains("[local;"),
        "{}",
        why.reason.en
    );
}

#[test]
fn a_reform_of_a_rule_is_marked_as_the_reforms() {
    let reform = Reform::from_json(
        r#"{"name": "area-10", "base": "vn-2022-2025", "changes": [
            {"op": "set_rule", "code": "housing_area", "deprived_when": {"floor_area_per_person_below": "10"}}]}"#,
    )
    .unwrap();
    let base = Standard::builtin("vn-2022-2025").unwrap();
    let what_if = reform.apply(base).unwrap();
    let h =
        HouseholdFacts::from_json(r#"{"floor_area_m2": "9", "members": [{"age": 30}]}"#).unwrap();
    let f = facts::evaluate(&what_if, &h).unwrap();
    let why = f
        .explain(&what_if, &h, chuan_ngheo::Indicator::HousingArea)
        .unwrap();
    assert_eq!(why.provenance, chuan_ngheo::Provenance::Reform);
    assert!(why.reason.en.contains("[reform;"), "{}", why.reason.en);
    let changes: Vec<String> = chuan_ngheo::reform::diff(base, &what_if)
        .into_iter()
        .map(|d| d.field)
        .collect();
    assert_eq!(changes, vec!["indicators.housing_area.rule".to_string()]);
    // A rule for an indicator the standard lacks is an error.
    let bad = Reform::from_json(
        r#"{"name": "w", "base": "vn-2022-2025", "changes": [
            {"op": "set_rule", "code": "waste", "deprived_when": {"household": {"waste": ["untreated"]}}}]}"#,
    )
    .unwrap();
    assert!(bad.apply(base).is_err());
}

#[test]
fn rules_that_cannot_be_are_refused_with_their_path() {
    let national = Standard::builtin("vn-2022-2025").unwrap();
    for (rule, path) in [
        (
            r#"{"any_member": {"facts": {"shoe_size": true}}}"#,
            "any_member.facts",
        ),
        (
            r#"{"any_member": {"age": {"from": 30, "to": 16}}}"#,
            "any_member.age",
        ),
        (r#"{"any_member": {"age": {"to": 200}}}"#, "any_member.age"),
        (r#"{"any_member": {}}"#, "any_member"),
        (
            r#"{"any_member": {"facts": {"labour": true}}}"#,
            "facts.labour",
        ),
        (
            r#"{"any_member": {"facts": {"in_school": ["yes"]}}}"#,
            "facts.in_school",
        ),
        (
            r#"{"any_member": {"facts": {"education": ["phd"]}}}"#,
            "facts.education",
        ),
        (
            r#"{"share_of_members": {"counted_if_any": [], "more_than": "0.5"}}"#,
            "counted_if_any",
        ),
        (
            r#"{"share_of_members": {"counted_if_any": [{"age": {"to": 15}}], "more_than": "1.5"}}"#,
            "more_than",
        ),
        (
            r#"{"structures_at_least": {"count": 4, "of": ["walls", "pillars", "roof"], "are": ["non_durable"]}}"#,
            "count",
        ),
        (
            r#"{"structures_at_least": {"count": 1, "of": ["walls", "water_source"], "are": ["non_durable"]}}"#,
            "of",
        ),
        (r#"{"household": {"devices": ["tv"]}}"#, "household.devices"),
        (
            r#"{"household": {"floor_area_m2": true}}"#,
            "household.floor_area_m2",
        ),
        (r#"{"household": {}}"#, "household"),
        (
            r#"{"floor_area_per_person_below": "-1"}"#,
            "floor_area_per_person_below",
        ),
        (r#"{"any_of": []}"#, "any_of"),
    ] {
        let mut data = national.data().clone();
        data.id = "bad-rules".into();
        data.kind = chuan_ngheo::standard::StandardKind::Local;
        data.indicators[0].rule.as_mut().unwrap().deprived_when =
            serde_json::from_str(rule).unwrap();
        let e = Standard::new(data).expect_err(rule);
        assert_eq!(e.code(), "invalid_standard", "{rule}");
        assert!(e.to_string().contains(path), "{rule}: {e}");
    }
    // Rules nested beyond reason.
    let mut deep = r#"{"floor_area_per_person_below": "8"}"#.to_string();
    for _ in 0..20 {
        deep = format!(r#"{{"any_of": [{deep}]}}"#);
    }
    let mut data = national.data().clone();
    data.id = "deep".into();
    data.kind = chuan_ngheo::standard::StandardKind::Local;
    data.indicators[0].rule.as_mut().unwrap().deprived_when = serde_json::from_str(&deep).unwrap();
    assert!(Standard::new(data).is_err());
}

/// The shipped 2022–2025 file as a local standard with one edit, so a test changes one value.
fn edited_standard(from: &str, to: &str) -> chuan_ngheo::Result<Standard> {
    let text = include_str!("../../src/standard/data/vn-2022-2025.json");
    assert!(text.contains(from), "{from}");
    let local = text
        .replacen(r#""id": "vn-2022-2025""#, r#""id": "test-local""#, 1)
        .replacen(r#""kind": "national""#, r#""kind": "local""#, 1);
    Standard::from_json(&local.replacen(from, to, 1))
}

#[test]
fn a_rule_threshold_with_a_digit_separator_or_an_exponent_is_refused_not_read_as_another_number() {
    for bad in [r#""8_0""#, r#""8e0""#, r#""8.""#, "8.5e0x"] {
        let e = edited_standard(
            r#""floor_area_per_person_below": "8""#,
            &format!(r#""floor_area_per_person_below": {bad}"#),
        )
        .unwrap_err();
        assert!(
            ["invalid_standard", "invalid_json"].contains(&e.code()),
            "{bad}: {e}"
        );
    }
    // Plain digits still load, as a number or a string.
    for good in ["8", r#""8.0""#] {
        edited_standard(
            r#""floor_area_per_person_below": "8""#,
            &format!(r#""floor_area_per_person_below": {good}"#),
        )
        .unwrap();
    }
}

#[test]
fn words_that_contradict_the_rule_are_refused_and_a_reformed_rule_brings_its_own() {
    // rule_and_words: a local standard that moves the threshold must move its words too.
    let e = edited_standard(
        r#""floor_area_per_person_below": "8""#,
        r#""floor_area_per_person_below": "10""#,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_standard");
    assert!(
        e.to_string().contains("deprived_if") && e.to_string().contains("write 8"),
        "{e}"
    );
    // The shipped reform's explanation names 10 m², never the replaced rule's 8.
    let reform = Reform::from_json(include_str!(
        "../../examples/data/reform-floor-area-10m2.json"
    ))
    .unwrap();
    let base = Standard::builtin("vn-2022-2025").unwrap();
    let reformed = reform.apply(base).unwrap();
    let h = HouseholdFacts::from_json(
        r#"{"floor_area_m2": "25", "members": [{"age": 30}, {"age": 30}, {"age": 30}]}"#,
    )
    .unwrap();
    let f = facts::evaluate(&reformed, &h).unwrap();
    let finding = f
        .explain(&reformed, &h, chuan_ngheo::Indicator::HousingArea)
        .unwrap();
    for words in [&finding.reason.vi, &finding.reason.en] {
        assert!(
            words.contains("10 m²") && !words.contains("8 m²"),
            "{words}"
        );
    }
}

#[test]
fn a_key_given_twice_inside_a_rule_is_an_error_not_the_last_one_winning() {
    let e = edited_standard(
        r#""health_insurance": false"#,
        r#""health_insurance": false, "health_insurance": true"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("duplicate"), "{e}");
    // Review scores too.
    let (kind, msg) = rejected(&format!(
        "{{{BASE}, \"scores\": {{\"a\": 130, \"a\": 160, \"b\": 20}}}}"
    ));
    assert_eq!(kind, "invalid_json");
    assert!(msg.contains("duplicate"), "{msg}");
}

#[test]
fn the_score_cut_off_means_the_same_deprivations_as_the_deprivation_cut_off() {
    // review_scores: B is 10 points a deprivation; a cut-off of 2 deprivations with B's
    // cut-off left at 30 would class one household two ways, so the file is refused.
    let e = edited_standard(
        "\"deprivation_cutoff\": {\n    \"value\": 3,",
        "\"deprivation_cutoff\": {\n    \"value\": 2,",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("review_scores.deprivation_score_cutoff"),
        "{e}"
    );
    // A reform's set_cutoff moves B's cut-off with it: poor both ways, at 2 and not at 1.
    let reform = Reform::from_json(
        r#"{"name": "k2", "description": "What if: cut-off 2. Not law.", "base": "vn-2022-2025",
            "changes": [{"op": "set_cutoff", "value": 2}]}"#,
    )
    .unwrap();
    let k2 = reform
        .apply(Standard::builtin("vn-2022-2025").unwrap())
        .unwrap();
    let two = k2.indicators().iter().take(2).collect();
    let one = k2.indicators().iter().take(1).collect();
    for (deprivations, b, class) in [(two, 20, "poor"), (one, 10, "near_poor")] {
        let by_deprivations = chuan_ngheo::classify(
            &k2,
            &chuan_ngheo::Household::new(
                chuan_ngheo::Area::Rural,
                4,
                chuan_ngheo::Vnd::from_dong(1_400_000),
            )
            .with_deprivations(deprivations),
        )
        .unwrap();
        let by_scores = chuan_ngheo::classify(
            &k2,
            &chuan_ngheo::Household::from_scores(
                chuan_ngheo::Area::Rural,
                4,
                chuan_ngheo::ReviewScore { a: 130, b },
            ),
        )
        .unwrap();
        assert_eq!(by_deprivations.class().code(), class);
        assert_eq!(by_scores.class().code(), class, "B = {b}");
    }
}

#[test]
fn a_poverty_line_of_zero_and_a_national_id_in_other_case_are_refused() {
    let text = include_str!("../../src/standard/data/vn-2022-2025.json");
    let local = text
        .replacen(r#""id": "vn-2022-2025""#, r#""id": "VN-2022-2025""#, 1)
        .replacen(r#""kind": "national""#, r#""kind": "local""#, 1);
    let e = Standard::from_json(&local).unwrap_err();
    assert!(e.to_string().contains("reserved"), "{e}");
    let zero = edited_standard(r#""rural": "1500000""#, r#""rural": "0""#).unwrap_err();
    assert!(zero.to_string().contains("must be > 0"), "{zero}");
}

#[cfg(feature = "csv")]
#[test]
fn reports_compare_equal_when_read_alike_and_unequal_when_a_row_differs() {
    use chuan_ngheo::population::csv::{read_report, CsvOptions};
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let table = include_str!("../data/households-sample.csv");
    let a = read_report(table.as_bytes(), s, &CsvOptions::new().threads(1)).unwrap();
    let b = read_report(table.as_bytes(), s, &CsvOptions::new().threads(2)).unwrap();
    assert_eq!(a, b);
    let fewer = &table[..table.rfind("\nhh").unwrap() + 1];
    let c = read_report(fewer.as_bytes(), s, &CsvOptions::new()).unwrap();
    assert_ne!(a, c);
}

#[cfg(feature = "proptest")]
#[test]
fn the_proptest_kit_draws_on_a_given_standards_own_edges() {
    use chuan_ngheo::testing::proptest::strategy::{Strategy, ValueTree};
    use chuan_ngheo::testing::proptest::test_runner::TestRunner;
    use chuan_ngheo::testing::{age_for, household_facts_for};
    let reform = Reform::from_json(include_str!(
        "../../examples/data/reform-floor-area-10m2.json"
    ))
    .unwrap();
    let s = reform
        .apply(Standard::builtin("vn-2022-2025").unwrap())
        .unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = household_facts_for(&s, 3, false);
    let on_ten = (0..400)
        .filter(|_| {
            let h = strategy.new_tree(&mut runner).unwrap().current();
            let n = h.members.len() as i64;
            h.floor_area_m2 == Some(chuan_ngheo::Decimal::from(10 * n))
        })
        .count();
    assert!(on_ten > 20, "{on_ten} of 400 on the 10 m² edge");
    // Ages: the reform keeps the bands, so 5 and 6 (health insurance from 6) are drawn.
    let ages = age_for(&s);
    let drawn: std::collections::BTreeSet<u8> = (0..400)
        .map(|_| ages.new_tree(&mut runner).unwrap().current())
        .collect();
    assert!(drawn.contains(&5) && drawn.contains(&6));
}

#[test]
fn vietnamese_messages_carry_vietnamese_reasons_never_the_english_ones() {
    use chuan_ngheo::records::HouseholdRecord;
    use chuan_ngheo::ErrorKind;
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let mut bad: Vec<String> = include_str!("../data/facts-cases.jsonl")
        .lines()
        .chain(include_str!("../../examples/data/legal-cases.jsonl").lines())
        .map(str::to_owned)
        .collect();
    // And a weight, a floor area and a code a row can get wrong.
    for weight in [r#""-1""#, r#""1e3""#] {
        bad.push(format!(
            r#"{{"id":"x","year":2024,"area":"rural","members":4,"income_per_capita":"1400000","deprivations":[],"weight":{weight}}}"#
        ));
    }
    bad.push(line(
        r#"{"floor_area_m2": "1_6", "members": [{"age": 4}]}"#,
        "",
    ));
    bad.push(line(r#"{"members": [{"labour": "retired"}]}"#, ""));
    let mut checked = 0;
    for text in &bad {
        let Ok(record) = HouseholdRecord::from_json(text) else {
            continue;
        };
        let Err(e) = record
            .weight()
            .and_then(|_| record.to_household_with_findings(s))
        else {
            continue;
        };
        let reason = match e.kind() {
            ErrorKind::InvalidValue { reason, .. }
            | ErrorKind::InvalidFact { reason, .. }
            | ErrorKind::InvalidScore { reason, .. } => *reason,
            _ => continue,
        };
        let vi = e.message(Lang::Vi);
        assert!(vi.contains(reason.vi) && !vi.contains(reason.en), "{vi}");
        assert!(e.message(Lang::En).contains(reason.en));
        checked += 1;
    }
    assert!(checked >= 4, "{checked}");
}
