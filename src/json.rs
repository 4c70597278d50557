//! Reading the crate's JSON documents (household records, standard, reform and target files,
//! series) with every number exact.
//!
//! `serde_json` hands a number with a fraction or an exponent, or an integer beyond 64 bits,
//! to its reader as an `f64`, which has lost digits by then: `1500000.0000000001` arrives as
//! `1500000.0`, on the poverty line. So before parsing, each such number is turned into a
//! string of the same digits (exponents written out exactly); money and decimal fields read
//! strings exactly, and a field that wants a whole number rejects it with a typed error.
//! Nothing else changes: this keeps `serde_json` as it is for every other crate in a build
//! (its `arbitrary_precision` feature would change `serde_json::Value` for all of them).

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

use crate::error::ErrorKind;
use crate::error::{Error, Result};

/// Parses a JSON document that must be one object (a household record, a standard …), with
/// exact numbers. A UTF-8 byte-order mark is ignored, as in the CSV reader.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str, context: &'static str) -> Result<T> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.trim_start().as_bytes().first() {
        Some(b'{') => {}
        _ => {
            return Err(Error::from(ErrorKind::Json {
                context,
                message:
                    "expected a JSON object ({ … }); positional arrays and bare values are not read"
                        .into(),
            }))
        }
    }
    let text = exact_numbers(text);
    let mut de = serde_json::Deserializer::from_str(&text);
    // The key path of a bad value (`poverty_line.value.rural`) comes with the parser's
    // message, line and column, so a reviewer finds it in a long file.
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = match path.as_str() {
            "." | "" => inner.to_string(),
            _ => format!("at {path}: {inner}"),
        };
        Error::with_source(ErrorKind::Json { context, message }, inner)
    })?;
    de.end().map_err(|e| {
        let message = e.to_string();
        Error::with_source(ErrorKind::Json { context, message }, e)
    })?;
    Ok(value)
}

/// `text` with every number that an `f64` could not hold exactly written as a string.
pub(crate) fn exact_numbers(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                // Strings are left as they are, escapes included.
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                let token = &text[start..i];
                // Only a number by JSON's grammar is rewritten: anything else (`12-34`,
                // `1400000.`) is left for the parser to refuse.
                if !is_json_number(token) {
                    continue;
                }
                if let Some(exact) = as_exact_text(token) {
                    let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                    o.push_str(&text[copied..start]);
                    o.push('"');
                    o.push_str(&exact);
                    o.push('"');
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
    }
}

/// Whether `token` is a number by JSON's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(token: &str) -> bool {
    let b = token.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b[int_start] == b'0') {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// The text a number token should be read as, when `serde_json` would read it through an
/// `f64`; `None` for an integer it reads exactly.
fn as_exact_text(token: &str) -> Option<Cow<'_, str>> {
    let fractional = token.bytes().any(|c| matches!(c, b'.' | b'e' | b'E'));
    if !fractional {
        let fits = token.parse::<i64>().is_ok() || token.parse::<u64>().is_ok();
        return (!fits).then_some(Cow::Borrowed(token));
    }
    if token.bytes().any(|c| matches!(c, b'e' | b'E')) {
        // An exponent written out: 1.5e6 is 1500000. One that no decimal holds stays as it
        // was written, and the field's parser rejects it by name.
        return Some(match Decimal::from_scientific(token) {
            Ok(d) => Cow::Owned(d.normalize().to_string()),
            Err(_) => Cow::Borrowed(token),
        });
    }
    Some(Cow::Borrowed(token))
}

/// `#[serde(deserialize_with)]` for an optional whole number (`members`, `year`): a JSON
/// integer, `-0` read as 0. Anything else is refused with a message that says what was
/// written: a string, or a number with a point or an exponent (this crate's reader hands
/// those over as their exact digits in a string, so `4e0` arrives as `"4"`).
pub(crate) fn whole_number<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64> + TryFrom<u64>,
{
    use serde::de::Visitor;
    struct W<T>(std::marker::PhantomData<T>);
    impl<'de, T: TryFrom<i64> + TryFrom<u64>> Visitor<'de> for W<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(
            self,
            d: D,
        ) -> std::result::Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
            T::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format!("{v} is out of range")))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
            T::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format!("{v} is out of range")))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
            if v == 0.0 {
                // serde_json reads `-0` as a float.
                return self.visit_i64(0);
            }
            Err(E::custom(format!(
                "must be a whole number written without a point or an exponent, got {v}"
            )))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
            Err(E::custom(format!(
                "must be a whole number within 64 bits, written without quotes, a point or an exponent, got {v:?}"
            )))
        }
    }
    d.deserialize_option(W(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_that_are_not_json_numbers_are_left_for_the_parser_to_refuse() {
        for bad in [
            r#"{"id": 12-34}"#,
            r#"{"v": 1400000.}"#,
            r#"{"v": 01.5}"#,
            r#"{"v": 1.5e}"#,
        ] {
            assert!(from_str::<serde_json::Value>(bad, "t").is_err(), "{bad}");
        }
        for good in ["0", "-0.5", "1.5e6", "10E-2", "123"] {
            assert!(is_json_number(good), "{good}");
        }
    }

    #[test]
    fn inexact_numbers_become_strings_of_their_digits() {
        assert_eq!(
            exact_numbers(r#"{"a": 1500000.0000000001, "b": 4, "c": "1.5", "d": [-2.50, 1e3]}"#),
            r#"{"a": "1500000.0000000001", "b": 4, "c": "1.5", "d": ["-2.50", "1000"]}"#
        );
        assert_eq!(
            exact_numbers(r#"{"n": 18446744073709551616, "m": 18446744073709551615}"#),
            r#"{"n": "18446744073709551616", "m": 18446744073709551615}"#
        );
        // Digits inside strings, escaped quotes included, are not touched.
        let s = r#"{"id": "h\"1.5", "x": -0}"#;
        assert!(matches!(exact_numbers(s), Cow::Borrowed(_)));
        assert_eq!(exact_numbers(r#"{"e": 1e999}"#), r#"{"e": "1e999"}"#);
    }

    #[test]
    fn a_bad_value_is_named_by_its_key_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            rural: u32,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            lines: Vec<Inner>,
        }
        let e = from_str::<Outer>(r#"{"lines": [{"rural": 1}, {"rural": "x"}]}"#, "t").unwrap_err();
        assert!(e.to_string().contains("at lines[1].rural"), "{e}");
        // The parser's own error is kept as the source.
        let source = std::error::Error::source(&e).expect("the parser's error is kept");
        assert!(source.downcast_ref::<serde_json::Error>().is_some());
        assert!(from_str::<Outer>(r#"{"lines": []} trailing"#, "t").is_err());
    }

    #[test]
    fn documents_must_be_objects() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct R {
            a: u32,
        }
        assert!(from_str::<R>("\u{feff}{\"a\": 1}", "t").is_ok());
        assert!(from_str::<R>("[1]", "t").is_err());
        assert!(from_str::<R>("  ", "t").is_err());
    }
}
