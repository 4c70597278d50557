//! `tests/data/legal-cases.jsonl` through the `classify` path gives exactly
//! `legal-cases.expected.json`: the class of each id, or an error record.

use std::collections::BTreeMap;

use chuan_ngheo::records::{classify_json_line, LineResult};
use chuan_ngheo::{Lang, Registry, StandardChoice};

#[test]
fn legal_cases_give_the_expected_classes() {
    let input = include_str!("../data/legal-cases.jsonl");
    let expected: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(include_str!("../data/legal-cases.expected.json")).unwrap();
    let registry = Registry::new();
    let mut seen = BTreeMap::new();
    for (n, line) in input.lines().enumerate() {
        for lang in [Lang::En, Lang::Vi] {
            let result = classify_json_line(
                n as u64 + 1,
                line,
                &registry,
                StandardChoice::FromRecord,
                lang,
            );
            let (id, class) = match &result {
                LineResult::Assessed(r) => (r.id.clone(), r.class.code().to_owned()),
                LineResult::Rejected(e) => {
                    assert_eq!(e.line, n as u64 + 1);
                    (e.id.clone().expect("records carry ids"), "error".to_owned())
                }
            };
            let want = expected[&id]["class"].as_str().unwrap();
            assert_eq!(class, want, "{id}: {}", expected[&id]["why"]);
            seen.insert(id, class);
        }
    }
    assert_eq!(
        seen.len(),
        expected.len(),
        "every expected case is in the input"
    );
}
