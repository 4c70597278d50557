//! Helpers the integration tests share: the crate's test data, and comparison with the
//! independent implementation's expected JSON.
#![allow(dead_code)]

use serde_json::Value;

/// The report blocks compared with an expected report.
pub const REPORT_KEYS: [&str; 7] = [
    "standard",
    "input",
    "households",
    "rates",
    "persons",
    "af",
    "groups",
];

/// A file of `tests/data/`.
pub fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Every key of `want` is in `got` with an equal value: integers exactly, floats within 1e-9.
pub fn assert_matches(path: &str, got: &Value, want: &Value) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let gv = g.get(k).unwrap_or_else(|| panic!("{path}.{k} missing"));
                assert_matches(&format!("{path}.{k}"), gv, wv);
            }
        }
        (Value::Number(g), Value::Number(w)) if w.is_u64() || w.is_i64() => {
            assert_eq!(g.as_f64(), w.as_f64(), "{path}");
            assert!(
                g.is_u64() || g.is_i64() || g.as_f64().unwrap().fract() == 0.0,
                "{path}"
            );
        }
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            assert!((g - w).abs() <= 1e-9, "{path}: got {g}, want {w}");
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}
