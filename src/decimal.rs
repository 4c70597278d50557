//! The one reader of decimal quantities the law and the data give: floor areas, rule
//! thresholds and shares, amounts of money, weights, target levels and factors.
//!
//! A quantity is written as plain digits with at most one point: `-?[0-9]+(\.[0-9]+)?`. No
//! exponent (`1e3`), no digit separator (`1_6`, `8_0`), no bare point (`1400000.`, `.5`), no
//! sign but a leading minus. Its value is exact: a number with more significant digits than a
//! [`Decimal`] holds (28) is refused, never rounded, so `15.9999999999999999999999999999`
//! can never become 16 on the wrong side of a threshold. `-0` is read as 0.
//!
//! Every path in reads through here: the CSV readers' cells, the JSON documents' strings
//! (their numbers arrive as exact text, see `crate::json`), and the [`serde::Deserialize`]
//! impls a user reaches through any deserializer ([`deserialize`], [`deserialize_option`]),
//! which refuse a binary float rather than guess the digits it stood for.

use rust_decimal::Decimal;
use serde::de::{Deserializer, Error as _, Visitor};

/// Why a text is not a decimal quantity.
pub(crate) const NOT_PLAIN: crate::error::Reason =
    crate::error::Reason::new("must be plain digits with at most one decimal point (no exponent, separator or sign but a leading minus)", "phải là chữ số, nhiều nhất một dấu thập phân (không số mũ, không dấu phân cách, không dấu nào ngoài dấu trừ ở đầu)");
/// Why a decimal is refused for its length.
pub(crate) const TOO_PRECISE: crate::error::Reason =
    crate::error::Reason::new("has more digits than a decimal holds exactly (28 decimals, about 28 significant digits): it would be rounded", "có nhiều chữ số hơn mức số thập phân giữ chính xác được (28 chữ số thập phân, khoảng 28 chữ số có nghĩa): sẽ bị làm tròn");

/// Reads a decimal quantity exactly ([module docs](self)).
pub(crate) fn parse(text: &str) -> Result<Decimal, crate::error::Reason> {
    parse_bytes(text.as_bytes())
}

/// [`parse`] of the bytes of a cell.
pub(crate) fn parse_bytes(b: &[u8]) -> Result<Decimal, crate::error::Reason> {
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let (int, frac) = match digits.iter().position(|&c| c == b'.') {
        Some(p) => (&digits[..p], Some(&digits[p + 1..])),
        None => (digits, None),
    };
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return Err(NOT_PLAIN);
    }
    // Zeros that carry no digit are dropped, so an exact value is never refused for them.
    let int = match int.iter().position(|&c| c != b'0') {
        Some(p) => &int[p..],
        None => &int[int.len() - 1..],
    };
    let frac = frac.map(|f| {
        let keep = f.iter().rposition(|&c| c != b'0').map_or(0, |p| p + 1);
        &f[..keep]
    });
    // The digits as one mantissa over 10^scale, built without allocating (this runs per
    // household for a fractional floor area): a Decimal holds a mantissa under 2^96 and a
    // scale up to 28; anything more is refused, never rounded.
    let frac = frac.unwrap_or_default();
    let mantissa = int
        .iter()
        .chain(frac)
        .try_fold(0i128, |m, &c| {
            m.checked_mul(10)?.checked_add(i128::from(c - b'0'))
        })
        .ok_or(TOO_PRECISE)?;
    let scale = u32::try_from(frac.len()).map_err(|_| TOO_PRECISE)?;
    let d = Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| TOO_PRECISE)?;
    Ok(if negative && !d.is_zero() { -d } else { d })
}

/// A survey weight: a decimal of [`parse`], at least 0.
pub(crate) fn parse_weight(text: &str) -> crate::error::Result<Decimal> {
    let bad = |reason: crate::error::Reason| {
        crate::error::Error::from(crate::error::ErrorKind::InvalidValue {
            field: "weight".into(),
            value: crate::error::excerpt(text),
            reason,
        })
    };
    let d = parse(text.trim()).map_err(bad)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(bad(crate::error::Reason::new(
            "a weight must be >= 0",
            "quyền số phải từ 0 trở lên",
        )));
    }
    Ok(d)
}

/// The message for a binary float a deserializer gives where an exact decimal is wanted.
pub(crate) fn inexact_float(v: f64) -> String {
    format!(
        "a number with a fraction or an exponent ({v}) cannot be read exactly here: write it as a string (\"{v}\"), or read the document with this crate's from_json functions, which read numbers exactly"
    )
}

struct Exact;

impl Visitor<'_> for Exact {
    type Value = Decimal;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a decimal number as a string (\"8.5\") or a whole number")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v.trim()).map_err(|why| E::custom(format!("{v:?} {why}")))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Decimal, E> {
        Decimal::try_from_i128_with_scale(i128::try_from(v).map_err(E::custom)?, 0)
            .map_err(|_| E::custom(TOO_PRECISE))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Decimal, E> {
        Decimal::try_from_i128_with_scale(v, 0).map_err(|_| E::custom(TOO_PRECISE))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
        Err(E::custom(inexact_float(v)))
    }
}

/// `#[serde(deserialize_with)]` for a [`Decimal`] field: [`parse`] for strings, whole numbers
/// as they are, floats refused.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(Exact)
}

/// [`deserialize`] for an optional field (`null` is absent).
pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Decimal>, D::Error> {
    struct Opt;
    impl<'de> Visitor<'de> for Opt {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a decimal number, or null")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            deserialize(d).map(Some)
        }
    }
    d.deserialize_option(Opt)
}

/// `#[serde(deserialize_with)]` for a map field: a key given twice is an error, never "the
/// last one wins" (a rule's `{"health_insurance": false, "health_insurance": true}` would
/// invert it).
pub(crate) fn unique_map<'de, D, K, V>(d: D) -> Result<std::collections::BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: serde::Deserialize<'de> + Ord + std::fmt::Display,
    V: serde::Deserialize<'de>,
{
    struct M<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K, V> Visitor<'de> for M<K, V>
    where
        K: serde::Deserialize<'de> + Ord + std::fmt::Display,
        V: serde::Deserialize<'de>,
    {
        type Value = std::collections::BTreeMap<K, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object whose keys are each given once")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut a: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some(k) = a.next_key::<K>()? {
                if out.contains_key(&k) {
                    return Err(A::Error::custom(format!("duplicate key `{k}`")));
                }
                let v = a.next_value()?;
                out.insert(k, v);
            }
            Ok(out)
        }
    }
    d.deserialize_map(M(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_are_read_exactly_and_everything_else_is_refused() {
        for (text, want) in [
            ("16", "16"),
            ("0.5", "0.5"),
            ("-0", "0"),
            ("-0.000", "0"),
            ("007.50", "7.5"),
            (
                "15.99999999999999999999999999",
                "15.99999999999999999999999999",
            ),
            ("1.0000000000000000000000000000000000000", "1"),
        ] {
            assert_eq!(parse(text).unwrap().to_string(), want, "{text}");
        }
        for text in [
            "", "-", ".", "1.", ".5", "1_6", "8_0", "1e3", "1.6e1", "+1", "1.2.3", " 1", "1,5", "٣",
        ] {
            assert_eq!(parse(text), Err(NOT_PLAIN), "{text:?}");
        }
        // 30 significant digits: Decimal would round it to 16, on the other side of 16 m².
        assert_eq!(parse("15.9999999999999999999999999999"), Err(TOO_PRECISE));
        assert_eq!(parse("123456789012345678901234567890"), Err(TOO_PRECISE));
    }

    #[test]
    fn serde_refuses_floats_and_reads_strings_through_the_same_parser() {
        #[derive(serde::Deserialize, Debug)]
        struct W {
            #[serde(deserialize_with = "deserialize")]
            v: Decimal,
        }
        assert!(serde_json::from_str::<W>(r#"{"v": 23.9999999999999999}"#).is_err());
        assert!(serde_json::from_str::<W>(r#"{"v": "8_0"}"#).is_err());
        assert_eq!(
            serde_json::from_str::<W>(r#"{"v": "8.5"}"#)
                .unwrap()
                .v
                .to_string(),
            "8.5"
        );
        assert_eq!(
            serde_json::from_str::<W>(r#"{"v": 8}"#).unwrap().v,
            Decimal::from(8)
        );
    }
}
