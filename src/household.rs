//! What classification needs to know about a household, and the JSON household record of
//! [formats §1](crate::docs::formats) that carries it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::indicator::{Area, Indicator, IndicatorSet};
use crate::money::Vnd;
use crate::standard::{Registry, Standard};

/// The review-form scores (Circular 07/2021/TT-BLĐTBXH): A from form B1 (income proxy from
/// household characteristics), B from form B2 (10 points per deprived indicator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "std::collections::BTreeMap<String, u32>")]
pub struct ReviewScore {
    /// Score A: the income proxy.
    pub a: u32,
    /// Score B: points for deprivations.
    pub b: u32,
}

impl TryFrom<std::collections::BTreeMap<String, u32>> for ReviewScore {
    type Error = String;
    /// Scores are an object `{"a": …, "b": …}`: a positional array is not read, and a key
    /// other than `a` and `b` is an error.
    fn try_from(map: std::collections::BTreeMap<String, u32>) -> std::result::Result<Self, String> {
        if let Some(k) = map.keys().find(|k| *k != "a" && *k != "b") {
            return Err(format!("scores: unknown field {k:?}, expected `a` or `b`"));
        }
        match (map.get("a"), map.get("b")) {
            (Some(a), Some(b)) => Ok(ReviewScore { a: *a, b: *b }),
            _ => Err("scores needs both `a` and `b`".into()),
        }
    }
}

/// What a household is classified on: measured income with its deprivations, or the review
/// scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// Average income per person per month (thu nhập bình quân đầu người/tháng) and the
    /// indicators in which the household is deprived; `unknown` lists indicators not answered.
    Income {
        /// VND per person per month.
        income_per_capita: Vnd,
        /// Indicators in which the household is deprived.
        deprived: IndicatorSet,
        /// Indicators whose answer is unknown (disjoint from `deprived`).
        unknown: IndicatorSet,
    },
    /// The commune review's scores.
    Scores(ReviewScore),
}

/// A household as the classification sees it. Copy and allocation-free.
///
/// ```
/// use chuan_ngheo::{Area, Household, Indicator, IndicatorSet, Vnd};
/// let h = Household::new(Area::Rural, 4, Vnd::from_dong(1_450_000))
///     .with_deprivations(IndicatorSet::from_iter([Indicator::Water, Indicator::Sanitation]));
/// assert_eq!(h.deprivations().len(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Household {
    /// Rural or urban.
    pub area: Area,
    /// Household size (≥ 1).
    pub members: u32,
    /// Income and deprivations, or review scores.
    pub evidence: Evidence,
}

impl Household {
    /// A household with an income, no deprivations and every indicator known.
    pub fn new(area: Area, members: u32, income_per_capita: Vnd) -> Self {
        Household {
            area,
            members,
            evidence: Evidence::Income {
                income_per_capita,
                deprived: IndicatorSet::EMPTY,
                unknown: IndicatorSet::EMPTY,
            },
        }
    }

    /// A household known by its review scores.
    pub fn from_scores(area: Area, members: u32, scores: ReviewScore) -> Self {
        Household {
            area,
            members,
            evidence: Evidence::Scores(scores),
        }
    }

    /// The same household with these deprivations (ignored for a scored household).
    pub fn with_deprivations(mut self, set: IndicatorSet) -> Self {
        if let Evidence::Income { deprived, .. } = &mut self.evidence {
            *deprived = set;
        }
        self
    }

    /// The same household with these indicators unknown (ignored for a scored household).
    pub fn with_unknown(mut self, set: IndicatorSet) -> Self {
        if let Evidence::Income { unknown, .. } = &mut self.evidence {
            *unknown = set;
        }
        self
    }

    /// The same household with another income (a scored household is unchanged).
    pub fn with_income(mut self, income: Vnd) -> Self {
        if let Evidence::Income {
            income_per_capita, ..
        } = &mut self.evidence
        {
            *income_per_capita = income;
        }
        self
    }

    /// The same household seen by a standard with indicators `set`: deprivations and unknowns
    /// outside it are dropped (for comparing standards on one population; never use it to
    /// hide a deprivation the caller gave for one standard).
    pub fn restricted_to(mut self, set: IndicatorSet) -> Self {
        if let Evidence::Income {
            deprived, unknown, ..
        } = &mut self.evidence
        {
            *deprived = deprived.intersection(set);
            *unknown = unknown.intersection(set);
        }
        self
    }

    /// The answer to one indicator: deprived, not deprived or unknown (a scored household's
    /// answers are all unknown).
    pub fn answer(&self, indicator: crate::indicator::Indicator) -> crate::indicator::Answer {
        use crate::indicator::Answer;
        match self.evidence {
            Evidence::Income { deprived, .. } if deprived.contains(indicator) => Answer::Deprived,
            Evidence::Income { unknown, .. } if !unknown.contains(indicator) => Answer::NotDeprived,
            _ => Answer::Unknown,
        }
    }

    /// The income, if classified on income.
    pub fn income(&self) -> Option<Vnd> {
        match self.evidence {
            Evidence::Income {
                income_per_capita, ..
            } => Some(income_per_capita),
            Evidence::Scores(_) => None,
        }
    }

    /// The known deprivations (empty for a scored household).
    pub fn deprivations(&self) -> IndicatorSet {
        match self.evidence {
            Evidence::Income { deprived, .. } => deprived,
            Evidence::Scores(_) => IndicatorSet::EMPTY,
        }
    }

    /// The unknown indicators (empty for a scored household).
    pub fn unknown(&self) -> IndicatorSet {
        match self.evidence {
            Evidence::Income { unknown, .. } => unknown,
            Evidence::Scores(_) => IndicatorSet::EMPTY,
        }
    }
}

/// Household size (số nhân khẩu), as a CSV cell or a JSON string: a whole number from 1 to
/// 4,294,967,295, leading zeros allowed. One rule and one message for every input.
#[inline]
pub(crate) fn parse_members(b: &[u8]) -> Result<u32> {
    // Most households have one to nine members.
    if let [d @ b'1'..=b'9'] = b {
        return Ok(u32::from(d - b'0'));
    }
    let digits = b.trim_ascii();
    let mut m: u32 = 0;
    let mut ok = !digits.is_empty();
    for d in digits {
        if !d.is_ascii_digit() {
            ok = false;
            break;
        }
        match m
            .checked_mul(10)
            .and_then(|x| x.checked_add(u32::from(d - b'0')))
        {
            Some(x) => m = x,
            None => {
                ok = false;
                break;
            }
        }
    }
    if ok && m >= 1 {
        Ok(m)
    } else {
        Err(Error::InvalidMembers {
            value: crate::error::excerpt_bytes(b),
        })
    }
}

/// A number or a string, kept as text until it is parsed with its field's rules, so that a
/// bad value becomes a typed error naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawNumber(String);

impl RawNumber {
    /// The text as written (a number's digits, or a string's content).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RawNumber;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a decimal string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<RawNumber, E> {
                Ok(RawNumber(v.to_owned()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<RawNumber, E> {
                Err(E::custom(crate::money::inexact_number(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A household record of [formats §1](crate::docs::formats), as read from JSON. Unknown fields are errors:
/// a misspelt `deprivation` must not be silently ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdRecord {
    /// Required; echoed in the output.
    pub id: String,
    /// The year the classification is for.
    #[serde(default)]
    pub year: Option<i32>,
    /// A standard id; when `year` is given too, the standard must apply in that year.
    #[serde(default)]
    pub standard: Option<String>,
    /// `rural`/`urban` or the Vietnamese words.
    pub area: String,
    /// Household size.
    pub members: i64,
    /// VND per person per month.
    #[serde(default)]
    pub income_per_capita: Option<RawNumber>,
    /// Codes of the indicators in which the household is deprived.
    #[serde(default)]
    pub deprivations: Vec<String>,
    /// Codes known not deprived; when present, other indicators of the standard are unknown.
    #[serde(default)]
    pub not_deprived: Option<Vec<String>>,
    /// Codes whose answer is unknown; when present, other indicators of the standard are not
    /// deprived (the simpler alternative to `not_deprived`; not together with it).
    #[serde(default)]
    pub unknown: Option<Vec<String>>,
    /// Review scores; when present, the household is classified from them.
    #[serde(default)]
    pub scores: Option<ReviewScore>,
    /// Province code.
    #[serde(default)]
    pub province: Option<String>,
    /// District code.
    #[serde(default)]
    pub district: Option<String>,
    /// Commune code.
    #[serde(default)]
    pub commune: Option<String>,
    /// Ethnic-minority household.
    #[serde(default)]
    pub ethnic_minority: Option<bool>,
    /// Survey weight (default 1).
    #[serde(default)]
    pub weight: Option<RawNumber>,
}

/// How to pick the standard for records that do not name one.
#[derive(Debug, Clone, Copy, Default)]
pub enum StandardChoice<'a> {
    /// Each record must give its `year` or `standard`.
    #[default]
    FromRecord,
    /// Records without `year` or `standard` use this year.
    DefaultYear(i32),
    /// Every record without its own `standard` uses this one (a record's `year`, if given,
    /// must be one the standard applies in).
    Standard(&'a Standard),
}

impl HouseholdRecord {
    /// Parses one JSON line, mapping syntax errors and unknown fields to [`Error::Json`].
    /// Numbers are read exactly (see the crate's JSON notes): an income of
    /// `1500000.0000000001` is above a line of 1,500,000 whether written as a number or a
    /// string. The record must be a JSON object.
    pub fn from_json(line: &str) -> Result<HouseholdRecord> {
        crate::json::from_str(line, "household record")
    }

    /// The standard this record is classified under. When the record gives a year and a
    /// standard is named too (in the record or by the caller), the standard must apply in that
    /// year: a record of 2017 classified under the 2022–2025 standard is an error, not a
    /// silent choice of one over the other.
    pub fn pick_standard<'r>(
        &self,
        registry: &'r Registry,
        choice: StandardChoice<'r>,
    ) -> Result<&'r Standard> {
        if let Some(y) = self.year {
            crate::year::check("year", y)?;
        }
        let named = match (&self.standard, choice) {
            (Some(id), _) => Some(registry.get(id)?),
            (None, StandardChoice::Standard(s)) => Some(s),
            (None, _) => None,
        };
        match (named, self.year, choice) {
            (Some(s), Some(y), _) if s.applies_in(y).is_none() => Err(Error::YearOutsideStandard {
                year: y,
                standard: s.id().to_owned(),
            }),
            (Some(s), _, _) => Ok(s),
            (None, Some(y), _) => registry.for_year(y),
            (None, None, StandardChoice::DefaultYear(y)) => registry.for_year(y),
            (None, None, _) => Err(Error::NoStandardGiven),
        }
    }

    /// The household this record describes, checked against `standard`: an indicator the
    /// standard does not have is an error, not a silent drop (the record claims to be of this
    /// standard). To read a record under another standard, see
    /// [`HouseholdRecord::to_household_listing_ignored`].
    pub fn to_household(&self, standard: &Standard) -> Result<Household> {
        let (household, ignored) = self.to_household_listing_ignored(standard)?;
        match ignored.first() {
            None => Ok(household),
            Some(i) => Err(Error::IndicatorNotInStandard {
                field: if self.deprivations.iter().any(|c| c.trim() == i.code()) {
                    "deprivations"
                } else if self.unknown.is_some() {
                    "unknown"
                } else {
                    "not_deprived"
                },
                indicator: i.code(),
                standard: standard.id().to_owned(),
            }),
        }
    }

    /// Whether this record states its own standard (by `year` or `standard`): it is then
    /// checked strictly against it; otherwise the caller chose the standard for it, and
    /// indicators that standard lacks are left out and listed.
    pub fn names_its_standard(&self) -> bool {
        self.year.is_some() || self.standard.is_some()
    }

    /// The household this record describes under `standard`, and the indicators the record
    /// names that the standard does not have (a 2022–2025 record read under the 2027–2030
    /// standard names `information_access`): those are left out and listed, so one record can
    /// be classified under either standard. A code that no standard has is an error, and so is
    /// an indicator listed as deprived and as not deprived or unknown.
    pub fn to_household_listing_ignored(
        &self,
        standard: &Standard,
    ) -> Result<(Household, IndicatorSet)> {
        let area = Area::parse(&self.area)?;
        let members = parse_members(self.members.to_string().as_bytes())?;
        let parse_list = |field, codes: &[String]| -> Result<IndicatorSet> {
            let mut set = IndicatorSet::EMPTY;
            for code in codes {
                set.insert(Indicator::parse_field(field, code)?);
            }
            Ok(set)
        };
        let deprived = parse_list("deprivations", &self.deprivations)?;
        let not = self
            .not_deprived
            .as_deref()
            .map(|l| parse_list("not_deprived", l))
            .transpose()?;
        let unknown = self
            .unknown
            .as_deref()
            .map(|l| parse_list("unknown", l))
            .transpose()?;
        if let Some(scores) = self.scores {
            // Two ways to classify in one record: neither may be silently dropped.
            let both = [
                ("income_per_capita", self.income_per_capita.is_some()),
                ("deprivations", !self.deprivations.is_empty()),
                ("not_deprived", self.not_deprived.is_some()),
                ("unknown", self.unknown.is_some()),
            ];
            if let Some((field, _)) = both.iter().find(|(_, given)| *given) {
                return Err(Error::InvalidValue {
                    field: "scores".into(),
                    value: format!("scores with {field}"),
                    reason: "a record is classified from review scores or from income and deprivations, not both",
                });
            }
            return Ok((
                Household::from_scores(area, members, scores),
                IndicatorSet::EMPTY,
            ));
        }
        let income = match &self.income_per_capita {
            Some(raw) => Vnd::parse_non_negative("income_per_capita", &raw.0)?,
            None => {
                return Err(Error::Missing {
                    field: "income_per_capita".into(),
                })
            }
        };
        // An indicator both deprived and known-not-deprived (or unknown) is a contradiction.
        for other in [not, unknown].into_iter().flatten() {
            if let Some(i) = deprived.intersection(other).first() {
                return Err(Error::ContradictoryIndicator {
                    indicator: i.code(),
                });
            }
        }
        let named = [not, unknown]
            .into_iter()
            .flatten()
            .fold(deprived, IndicatorSet::union);
        let of_standard = standard.indicators();
        let unknown = match (not, unknown) {
            (Some(_), Some(_)) => {
                return Err(Error::InvalidValue {
                    field: "unknown".into(),
                    value: "unknown with not_deprived".into(),
                    reason:
                        "give the unknown indicators or the known ones (not_deprived), not both",
                })
            }
            (Some(not), None) => of_standard.difference(deprived).difference(not),
            (None, Some(unknown)) => unknown.intersection(of_standard),
            (None, None) => IndicatorSet::EMPTY,
        };
        let ignored = named.difference(of_standard);
        let household = Household::new(area, members, income)
            .with_deprivations(deprived.intersection(of_standard))
            .with_unknown(unknown);
        Ok((household, ignored))
    }

    /// The survey weight (default 1), checked non-negative.
    pub fn weight(&self) -> Result<rust_decimal::Decimal> {
        match &self.weight {
            None => Ok(rust_decimal::Decimal::ONE),
            Some(raw) => Vnd::parse_non_negative("weight", &raw.0).map(Vnd::amount),
        }
    }
}
