//! Exact Vietnamese đồng amounts.
//!
//! Poverty lines and incomes are compared exactly, so money is a [`rust_decimal::Decimal`] in a
//! newtype, never a float. Incomes are "thu nhập bình quân đầu người/tháng": VND per person per
//! month, which may carry a fraction of a đồng when a household total is divided by its members.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ErrorKind;
use crate::error::{Error, Field, Result};

/// An amount of Vietnamese đồng (VND, ₫).
///
/// ```
/// use chuan_ngheo::Vnd;
/// let line = Vnd::from_dong(1_500_000);
/// let income: Vnd = "1450000".parse().unwrap();
/// assert!(income <= line);
/// assert_eq!(line.to_string(), "1,500,000 VND");
/// assert_eq!(line.display_vi().to_string(), "1.500.000 ₫");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Vnd(Decimal);

impl Ord for Vnd {
    /// Exact order. Amounts of the same scale (whole đồng, as incomes and lines nearly always
    /// are) compare by their integer mantissas, inline; others through `Decimal`'s comparison.
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self.0.scale() == other.0.scale() {
            self.0.mantissa().cmp(&other.0.mantissa())
        } else {
            self.0.cmp(&other.0)
        }
    }
}

impl PartialOrd for Vnd {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Vnd {
    /// Zero đồng.
    pub const ZERO: Vnd = Vnd(Decimal::ZERO);
    /// One đồng: the step used for "one đồng above the line".
    pub const ONE: Vnd = Vnd(Decimal::ONE);

    /// An amount from a decimal number of đồng.
    pub const fn new(amount: Decimal) -> Self {
        Vnd(amount)
    }

    /// An amount from a whole number of đồng.
    pub fn from_dong(dong: i64) -> Self {
        Vnd(Decimal::from(dong))
    }

    /// The decimal number of đồng.
    pub const fn amount(self) -> Decimal {
        self.0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Parses a plain decimal string (`1500000`, `1500000.50`, surrounding blanks allowed;
    /// no exponent or separator, never rounded: [the one decimal reader](crate::docs)),
    /// naming `field` in the error.
    pub fn parse_field(field: Field, text: &str) -> Result<Self> {
        crate::decimal::parse(text.trim())
            .map(|d| Vnd(d.normalize()))
            .map_err(|_| {
                Error::from(ErrorKind::InvalidMoney {
                    field,
                    value: crate::error::excerpt(text),
                })
            })
    }

    /// Parses like [`Vnd::parse_field`] and rejects amounts below zero, as the law needs for
    /// incomes and lines.
    ///
    /// ```
    /// use chuan_ngheo::{ErrorKind, Vnd};
    /// let e = Vnd::parse_non_negative("income_per_capita", "-1").unwrap_err();
    /// assert!(matches!(e.kind(), ErrorKind::NegativeMoney { field: "income_per_capita", .. }));
    /// assert_eq!(e.code(), "invalid_income");
    /// ```
    pub fn parse_non_negative(field: Field, text: &str) -> Result<Self> {
        Vnd::parse_field(field, text)?.non_negative(field)
    }

    /// Returns the amount, or a [`ErrorKind::NegativeMoney`] naming `field` when it is below zero.
    pub fn non_negative(self, field: Field) -> Result<Self> {
        if self.is_negative() {
            Err(Error::from(ErrorKind::NegativeMoney {
                field,
                value: self.0.to_string(),
            }))
        } else {
            Ok(self)
        }
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Vnd) -> Option<Vnd> {
        self.0.checked_add(other.0).map(Vnd)
    }

    /// Difference, or `None` on overflow.
    pub fn checked_sub(self, other: Vnd) -> Option<Vnd> {
        self.0.checked_sub(other.0).map(Vnd)
    }

    /// The amount times a decimal factor, or `None` on overflow.
    ///
    /// ```
    /// use chuan_ngheo::{Decimal, Vnd};
    /// // A line raised 10%.
    /// let raised = Vnd::from_dong(1_500_000).checked_scale(Decimal::new(11, 1));
    /// assert_eq!(raised, Some(Vnd::from_dong(1_650_000)));
    /// ```
    pub fn checked_scale(self, factor: Decimal) -> Option<Vnd> {
        self.0.checked_mul(factor).map(|d| Vnd(d.normalize()))
    }

    /// The amount as `f64`, for statistics only (never for comparisons with a line).
    pub fn to_f64(self) -> f64 {
        self.0.to_f64().unwrap_or(f64::NAN)
    }

    /// Vietnamese display: `1.500.000 ₫` (dot groups, comma decimals).
    pub fn display_vi(self) -> impl fmt::Display {
        Styled {
            amount: self.0,
            group: '.',
            decimal: ',',
            suffix: " ₫",
        }
    }

    /// English display: `1,500,000 VND` (also what `Display` gives).
    pub fn display_en(self) -> impl fmt::Display {
        Styled {
            amount: self.0,
            group: ',',
            decimal: '.',
            suffix: " VND",
        }
    }
}

struct Styled {
    amount: Decimal,
    group: char,
    decimal: char,
    suffix: &'static str,
}

impl fmt::Display for Styled {
    /// `{:.N}` rounds to N decimals (half away from zero) and writes all N; width, fill and
    /// alignment apply to the whole amount, right-aligned unless asked otherwise, as numbers are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        let amount = match f.precision() {
            Some(p) => {
                let p = u32::try_from(p).unwrap_or(u32::MAX).min(28);
                let mut d = self.amount.round_dp_with_strategy(
                    p,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                );
                d.rescale(p);
                d
            }
            None => self.amount.normalize(),
        };
        let text = amount.to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mut out = String::with_capacity(text.len() + 8);
        out.push_str(sign);
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(self.group);
            }
            out.push(ch);
        }
        if !frac.is_empty() {
            let _ = write!(out, "{}{}", self.decimal, frac);
        }
        out.push_str(self.suffix);
        pad_number(f, &out)
    }
}

/// Writes `text` within the formatter's width, right-aligned unless it says otherwise
/// (`Formatter::pad` would treat the precision as a length to cut at).
fn pad_number(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    use fmt::Write as _;
    let len = text.chars().count();
    let pad = f.width().map_or(0, |w| w.saturating_sub(len));
    let (before, after) = match f.align() {
        Some(fmt::Alignment::Left) => (0, pad),
        Some(fmt::Alignment::Center) => (pad / 2, pad - pad / 2),
        _ => (pad, 0),
    };
    let fill = f.fill();
    for _ in 0..before {
        f.write_char(fill)?;
    }
    f.write_str(text)?;
    for _ in 0..after {
        f.write_char(fill)?;
    }
    Ok(())
}

impl fmt::Display for Vnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display_en().fmt(f)
    }
}

impl FromStr for Vnd {
    type Err = Error;
    /// A plain decimal (`1500000`, `1450000.5`), or an amount as this crate prints it:
    /// `1.500.000 ₫` (Vietnamese: dot groups, comma decimals) or `1,500,000 VND` (English).
    /// Groups must be of three digits, so `1.5 ₫` and `1,50 VND` are errors, not guesses.
    ///
    /// ```
    /// use chuan_ngheo::Vnd;
    /// let line = Vnd::from_dong(1_500_000);
    /// assert_eq!("1500000".parse::<Vnd>()?, line);
    /// assert_eq!("1.500.000 ₫".parse::<Vnd>()?, line);
    /// assert_eq!("1,500,000 VND".parse::<Vnd>()?, line);
    /// assert_eq!(line.display_vi().to_string().parse::<Vnd>()?, line);
    /// assert_eq!("1.333.333,33 ₫".parse::<Vnd>()?.to_string(), "1,333,333.33 VND");
    /// assert!("1.50 ₫".parse::<Vnd>().is_err());
    /// # Ok::<(), chuan_ngheo::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        let styled = |body: &str, group: char, decimal: char| -> Option<Vnd> {
            let (sign, body) = match body.strip_prefix('-') {
                Some(rest) => ("-", rest),
                None => ("", body),
            };
            let (int, frac) = match body.split_once(decimal) {
                Some((i, f)) => (i, Some(f)),
                None => (body, None),
            };
            let groups: Vec<&str> = int.split(group).collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
            let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
            if !(first_ok && rest_ok && groups.iter().all(|g| digits(g))) {
                return None;
            }
            if frac.is_some_and(|f| !digits(f)) {
                return None;
            }
            let plain = match frac {
                Some(f) => format!("{sign}{}.{f}", groups.concat()),
                None => format!("{sign}{}", groups.concat()),
            };
            Vnd::parse_field("amount", &plain).ok()
        };
        if let Some(body) = t.strip_suffix('₫') {
            return styled(body.trim_end(), '.', ',').ok_or_else(|| {
                Error::from(ErrorKind::InvalidMoney {
                    field: "amount",
                    value: crate::error::excerpt(s),
                })
            });
        }
        if let Some(body) = t.strip_suffix("VND") {
            return styled(body.trim_end(), ',', '.').ok_or_else(|| {
                Error::from(ErrorKind::InvalidMoney {
                    field: "amount",
                    value: crate::error::excerpt(s),
                })
            });
        }
        Vnd::parse_field("amount", s)
    }
}

impl From<Decimal> for Vnd {
    fn from(d: Decimal) -> Self {
        Vnd(d)
    }
}

impl Serialize for Vnd {
    /// Serialised as a plain decimal string (`"1500000"`), so no reader loses precision.
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

impl<'de> Deserialize<'de> for Vnd {
    /// Accepts a decimal string or a whole JSON number. A number that the deserializer can
    /// only give as a float is refused rather than rounded (the crate's own `from_json`
    /// functions hand such numbers over as their exact text).
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Vnd;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal amount of VND as a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Vnd, E> {
                Vnd::parse_field("amount", v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Vnd, E> {
                Ok(Vnd(Decimal::from(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Vnd, E> {
                Ok(Vnd(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Vnd, E> {
                // By the time a deserializer hands over an `f64`, digits may be gone
                // (`1500000.0000000001` is `1500000.0`), and no one can tell.
                Err(E::custom(crate::decimal::inexact_float(v)))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_decimals_and_rejects_the_rest() {
        assert_eq!(
            Vnd::parse_field("x", " 1500000 ").unwrap(),
            Vnd::from_dong(1_500_000)
        );
        assert_eq!(
            Vnd::parse_field("x", "1500000.50")
                .unwrap()
                .amount()
                .to_string(),
            "1500000.5"
        );
        for bad in [
            "",
            "abc",
            "1e6",
            "1,500,000",
            "-",
            ".",
            "NaN",
            "1.2.3",
            "--1",
        ] {
            assert!(
                matches!(
                    Vnd::parse_field("x", bad).map_err(Error::into_kind),
                    Err(ErrorKind::InvalidMoney { field: "x", .. })
                ),
                "{bad:?}"
            );
        }
        assert!(Vnd::parse_non_negative("x", "0").is_ok());
        assert!(Vnd::parse_non_negative("x", "-0").is_ok());
        assert!(
            matches!(Vnd::parse_non_negative("income_per_capita", "-5").map_err(Error::into_kind), Err(ErrorKind::NegativeMoney { field: "income_per_capita", ref value }) if value == "-5")
        );
    }

    #[test]
    fn displays_in_both_styles() {
        assert_eq!(
            Vnd::from_dong(700_000).display_vi().to_string(),
            "700.000 ₫"
        );
        assert_eq!(
            Vnd::from_dong(1_950_000).display_en().to_string(),
            "1,950,000 VND"
        );
        assert_eq!(Vnd::from_dong(999).to_string(), "999 VND");
        let frac: Vnd = "1333333.33".parse().unwrap();
        assert_eq!(frac.display_vi().to_string(), "1.333.333,33 ₫");
        assert_eq!(Vnd::from_dong(-1_000).to_string(), "-1,000 VND");
    }

    #[test]
    fn serde_accepts_strings_and_numbers() {
        let a: Vnd = serde_json::from_str("\"1450000\"").unwrap();
        let b: Vnd = serde_json::from_str("1450000").unwrap();
        assert_eq!(a, b);
        // A float has lost digits before it arrives: refused, never rounded onto a line.
        assert!(serde_json::from_str::<Vnd>("1500000.0000000001").is_err());
        // Read through the crate's JSON reader, the same number is exact.
        #[derive(serde::Deserialize)]
        struct W {
            v: Vnd,
        }
        let w: W = crate::json::from_str(r#"{"v": 1500000.0000000001}"#, "t").unwrap();
        assert!(w.v > Vnd::from_dong(1_500_000));
        let w: W = crate::json::from_str(r#"{"v": 1450000.0}"#, "t").unwrap();
        assert_eq!(w.v, a);
        let w: W = crate::json::from_str(r#"{"v": 18446744073709551616}"#, "t").unwrap();
        assert_eq!(w.v.to_string(), "18,446,744,073,709,551,616 VND");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"1450000\"");
        assert!(serde_json::from_str::<Vnd>("\"x\"").is_err());
        assert!(serde_json::from_str::<Vnd>("true").is_err());
    }

    #[test]
    fn order_is_exact_across_scales_and_signs() {
        let v = |s: &str| Vnd::parse_field("x", s).unwrap();
        let x = Vnd::new(Decimal::new(15_000_000, 1)); // 1500000.0, scale 1, not normalised
        assert_eq!(x.cmp(&Vnd::from_dong(1_500_000)), std::cmp::Ordering::Equal);
        assert!(v("1500000.01") > Vnd::from_dong(1_500_000));
        assert!(v("1499999.99") < Vnd::from_dong(1_500_000));
        assert!(v("-1") < Vnd::ZERO);
        assert!(v("-0.5") > v("-1"));
        assert_eq!(v("-0").cmp(&Vnd::ZERO), std::cmp::Ordering::Equal);
        let big = Vnd::new(Decimal::MAX);
        assert!(big > Vnd::from_dong(i64::MAX));
        assert!(Vnd::new(Decimal::MIN) < Vnd::from_dong(i64::MIN));
    }

    #[test]
    fn arithmetic_reports_overflow() {
        assert_eq!(Vnd::new(Decimal::MAX).checked_add(Vnd::ONE), None);
        assert_eq!(
            Vnd::from_dong(2_000_000).checked_scale(Decimal::new(11, 1)),
            Some(Vnd::from_dong(2_200_000))
        );
    }
}
