//! One household record, classified under the 2024 and the 2027 standard: indicators the
//! chosen standard lacks are left out and listed; `unknown` names the unanswered indicators.

use chuan_ngheo::records::{classify_json_line, LineResult};
use chuan_ngheo::{Lang, PovertyClass, Registry, Standard, StandardChoice};
use serde_json::Value;

const RECORD: &str = r#"{"id": "h1", "area": "rural", "members": 4, "income_per_capita": "1400000",
    "deprivations": ["information_access", "water", "sanitation"], "unknown": ["telecom"]}"#;

fn under(id: &str, text: &str) -> Value {
    let s = Standard::builtin(id).unwrap();
    match classify_json_line(
        1,
        text,
        &Registry::new(),
        StandardChoice::Standard(s),
        Lang::En,
    ) {
        LineResult::Assessed(a) => serde_json::to_value(&a).unwrap(),
        LineResult::Rejected(e) => serde_json::to_value(&e).unwrap(),
    }
}

#[test]
fn a_record_is_classified_under_either_standard_with_foreign_indicators_listed() {
    // Three deprivations known: poor, whatever the unknown telecom answer is.
    let y2024 = under("vn-2022-2025", RECORD);
    assert_eq!(y2024["class"], "poor");
    let y2024_known = under(
        "vn-2022-2025",
        &RECORD.replace(r#", "unknown": ["telecom"]"#, ""),
    );
    assert_eq!(y2024_known["class"], PovertyClass::Poor.code());
    assert!(y2024_known.get("ignored_indicators").is_none());

    let y2027 = under("vn-2027-2030", RECORD);
    // Neither information_access nor telecom is an indicator of 2027-2030: left out, listed.
    // Two deprivations remain; the indicators 2027-2030 added (waste, digital services) were
    // never asked of a 2022-2025 record: unknown, so it may be poor (formats section 1).
    let ignored = y2027["ignored_indicators"].as_array().unwrap();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    assert!(ignored.contains(&"information_access".into()) && ignored.contains(&"telecom".into()));
    assert_eq!(y2027["deprivation_count"], 2);
    assert_eq!(y2027["class"], "indeterminate");
    assert_eq!(y2027["recorded_under"], "vn-2022-2025");
    assert_eq!(
        y2027["unknown"],
        serde_json::json!(["waste", "digital_services"])
    );
}

#[test]
fn formats_1_example_answers_are_never_invented_across_standards() {
    let x = r#"{"id":"x","area":"rural","members":4,"income_per_capita":"1400000","deprivations":["information_access","water","sanitation"]}"#;
    assert_eq!(under("vn-2022-2025", x)["class"], "poor");
    let y = under("vn-2027-2030", x);
    assert_eq!(y["class"], "indeterminate");
    assert_eq!(y["deprivations_needed_for_poor"], 1);
    // Said explicitly, the same; a record of 2027-2030 answers under 2027-2030 is complete.
    let explicit = x.replace(
        r#""id":"x","#,
        r#""id":"x","recorded_under":"vn-2022-2025","#,
    );
    assert_eq!(under("vn-2027-2030", &explicit)["class"], "indeterminate");
    let own = r#"{"id":"x","area":"rural","members":4,"income_per_capita":"1400000","deprivations":["water","sanitation"],"recorded_under":"vn-2027-2030"}"#;
    assert_eq!(under("vn-2027-2030", own)["class"], "near_poor");
    // A 2027 record read under 2022-2025: digital_services is ignored, telecom and
    // information_access never asked.
    let later = r#"{"id":"x","area":"rural","members":4,"income_per_capita":"1400000","deprivations":["digital_services","water"],"recorded_under":"vn-2027-2030"}"#;
    let v = under("vn-2022-2025", later);
    assert_eq!(v["class"], "indeterminate", "{v}");
    // recorded_under must hold what the record names; no standard has both of these.
    let both = later.replace("water", "information_access");
    assert_eq!(
        under("vn-2022-2025", &both)["error"]["kind"],
        "indicator_not_in_standard"
    );
    let none = both.replace(r#","recorded_under":"vn-2027-2030""#, "");
    let e = under("vn-2022-2025", &none);
    assert_eq!(e["error"]["field"], "recorded_under", "{e}");
}

#[test]
fn unknown_names_the_unanswered_indicators_and_the_rest_are_not_deprived() {
    let v = under(
        "vn-2022-2025",
        &RECORD.replace("information_access", "employment"),
    );
    assert_eq!(v["class"], "poor"); // 3 deprivations: telecom cannot change that
    assert_eq!(v["unknown"], serde_json::json!(["telecom"]));
    let both = RECORD.replace(r#""unknown""#, r#""not_deprived": [], "unknown""#);
    assert_eq!(
        under("vn-2022-2025", &both)["error"]["kind"],
        "invalid_value"
    );
    let contradiction = RECORD.replace(r#"["telecom"]"#, r#"["water"]"#);
    assert_eq!(
        under("vn-2022-2025", &contradiction)["error"]["kind"],
        "contradictory_indicator"
    );
    let no_such = RECORD.replace(r#"["telecom"]"#, r#"["happiness"]"#);
    assert_eq!(
        under("vn-2022-2025", &no_such)["error"]["kind"],
        "unknown_indicator"
    );
}

#[test]
fn a_record_that_states_its_own_standard_is_held_to_it() {
    let own = RECORD.replace(r#""id": "h1","#, r#""id": "h1", "year": 2027,"#);
    let out = classify_json_line(
        1,
        &own,
        &Registry::new(),
        StandardChoice::FromRecord,
        Lang::En,
    );
    let LineResult::Rejected(e) = out else {
        panic!("a 2027 record naming information_access was accepted")
    };
    assert_eq!(e.error.kind, "indicator_not_in_standard");
}

/// Error records in Vietnamese are in Vietnamese: the field and the value named, no English
/// frame around them.
#[test]
fn error_records_speak_the_language_asked_for() {
    let bad = [
        r#"{"id":"a","year":2024,"area":"rural","members":0,"income_per_capita":"1"}"#,
        r#"{"id":"a","year":2024,"area":"núi","members":4,"income_per_capita":"1"}"#,
        r#"{"id":"a","year":2024,"area":"rural","members":4,"income_per_capita":"-5"}"#,
        r#"{"id":"a","year":2014,"area":"rural","members":4,"income_per_capita":"1"}"#,
        r#"{"id":"a","year":2017,"standard":"vn-2022-2025","area":"rural","members":4,"income_per_capita":"1"}"#,
        r#"{"id":"a","year":2024,"area":"rural","members":4,"income_per_capita":"1","deprivations":["joy"]}"#,
    ];
    for text in bad {
        for (lang, foreign) in [
            (Lang::Vi, ["must", "got", "is not"]),
            (Lang::En, ["phải", "nhận được", "không"]),
        ] {
            let LineResult::Rejected(e) =
                classify_json_line(1, text, &Registry::new(), StandardChoice::FromRecord, lang)
            else {
                panic!("{text} accepted")
            };
            for w in foreign {
                assert!(
                    !e.error.message.contains(w),
                    "{lang:?}: {}",
                    e.error.message
                );
            }
        }
    }
}
