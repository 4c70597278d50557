//! `tests/data/facts-cases.jsonl` (household records given as facts) through the `classify`
//! path gives `facts-cases.expected.jsonl`: class, deprivations and unknown indicators of each
//! case, or an error record for each bad one.

use chuan_ngheo::records::{classify_json_line, LineResult};
use chuan_ngheo::{Answer, Lang, Registry, StandardChoice};

fn sorted(set: Option<chuan_ngheo::IndicatorSet>) -> Vec<String> {
    let mut v: Vec<String> = set
        .into_iter()
        .flat_map(|s| s.iter())
        .map(|i| i.code().to_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn facts_cases_give_the_expected_class_deprivations_and_unknowns() {
    let input = include_str!("../data/facts-cases.jsonl");
    let expected: Vec<serde_json::Value> = include_str!("../data/facts-cases.expected.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let lines: Vec<&str> = input.lines().collect();
    assert_eq!(lines.len(), expected.len(), "one expected line per case");
    let registry = Registry::new();
    let mut failures = Vec::new();
    for (n, (line, want)) in lines.iter().zip(&expected).enumerate() {
        let id = want["id"].as_str().unwrap();
        for lang in [Lang::En, Lang::Vi] {
            let result = classify_json_line(
                n as u64 + 1,
                line,
                &registry,
                StandardChoice::FromRecord,
                lang,
            );
            match (&result, want.get("error")) {
                (LineResult::Rejected(e), Some(_)) => {
                    assert_eq!(e.id.as_deref(), Some(id));
                    assert_eq!(e.line, n as u64 + 1);
                }
                (LineResult::Assessed(r), None) => {
                    assert_eq!(r.id, id);
                    let got = (
                        r.class.code().to_owned(),
                        sorted(Some(r.deprivations)),
                        sorted(r.unknown),
                    );
                    let list = |k: &str| -> Vec<String> {
                        want[k]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_str().unwrap().to_owned())
                            .collect()
                    };
                    let exp = (
                        want["class"].as_str().unwrap().to_owned(),
                        list("deprivations"),
                        list("unknown"),
                    );
                    if got != exp {
                        failures.push(format!("{id}: got {got:?}, expected {exp:?}"));
                    }
                    // Every indicator of the standard is explained, and the answers agree
                    // with the deprivations and unknowns.
                    let indicators = r.indicators.as_ref().expect("facts give indicators");
                    for f in indicators {
                        let listed = match f.answer {
                            Answer::Deprived => r.deprivations.contains(f.indicator),
                            Answer::Unknown => r.unknown.is_some_and(|u| u.contains(f.indicator)),
                            Answer::NotDeprived => {
                                !r.deprivations.contains(f.indicator)
                                    && !r.unknown.is_some_and(|u| u.contains(f.indicator))
                            }
                        };
                        assert!(listed, "{id}: {f:?}");
                        assert!(!f.reason.vi.is_empty() && !f.reason.en.is_empty());
                    }
                }
                (other, _) => failures.push(format!("{id}: got {other:?}, expected {want}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
