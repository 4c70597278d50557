//! The JSON Lines contract in one place: the household record that comes in
//! ([`HouseholdRecord`], [formats §1](crate::docs::formats)), the result that goes out
//! ([`AssessmentRecord`], §2) or the error record in its stead ([`ErrorRecord`]), one output per
//! input line, in order; and the bounded line reader ([`JsonLines`]). Used by the `classify`
//! example; embedders reading JSON call it directly.

use std::io::{self, BufRead};

use serde::{Deserialize, Serialize};

use crate::classify::{classify, PovertyClass, Rule};
use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::household::{parse_members, Household, ReviewScore};
use crate::indicator::{Area, Indicator, IndicatorSet};
use crate::money::Vnd;
use crate::standard::{Citation, Lang, Provenance, Registry, Standard};

// ---- In: the household record (formats §1) ----

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
                Err(E::custom(crate::decimal::inexact_float(v)))
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
    #[serde(default, deserialize_with = "crate::json::whole_number")]
    pub year: Option<i32>,
    /// A standard id; when `year` is given too, the standard must apply in that year.
    #[serde(default)]
    pub standard: Option<String>,
    /// `rural`/`urban` or the Vietnamese words.
    pub area: String,
    /// Household size; with `facts`, optional (the members listed are the size) and, when
    /// given, it must agree with them.
    #[serde(default, deserialize_with = "crate::json::whole_number")]
    pub members: Option<i64>,
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
    /// The standard whose indicator list the answers were recorded against ([formats
    /// §1](crate::docs::formats)); default: the standard the record is classified under, or,
    /// when the record names an indicator that standard lacks, the built-in national standard
    /// nearest in time that has every indicator it names. An indicator of the classifying
    /// standard that this one lacks was never asked: it is unknown, never "not deprived".
    #[serde(default)]
    pub recorded_under: Option<String>,
    /// The household's facts ([facts §1](crate::docs::facts)), from which the standard's
    /// indicator rules decide its deprivations; not together with `deprivations`,
    /// `not_deprived`, `unknown` or `scores`.
    #[serde(default)]
    pub facts: Option<crate::facts::RawHouseholdFacts>,
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

/// A household's facts and what a standard's rules found in them.
pub type FactsFound = (crate::facts::HouseholdFacts, crate::facts::Findings);

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
    /// Parses one JSON line, mapping syntax errors and unknown fields to [`ErrorKind::Json`].
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
            (Some(s), Some(y), _) if s.applies_in(y).is_none() => {
                Err(Error::from(ErrorKind::YearOutsideStandard {
                    year: y,
                    standard: s.id().to_owned(),
                }))
            }
            (Some(s), _, _) => Ok(s),
            (None, Some(y), _) => registry.for_year(y),
            (None, None, StandardChoice::DefaultYear(y)) => registry.for_year(y),
            (None, None, _) => Err(Error::from(ErrorKind::NoStandardGiven)),
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
            Some(i) => Err(Error::from(ErrorKind::IndicatorNotInStandard {
                field: if self.deprivations.iter().any(|c| c.trim() == i.code()) {
                    "deprivations"
                } else if self.unknown.is_some() {
                    "unknown"
                } else {
                    "not_deprived"
                },
                indicator: i.code(),
                standard: standard.id().to_owned(),
            })),
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
        self.to_household_with_findings(standard)
            .map(|(h, ignored, _)| (h, ignored))
    }

    /// The checked facts of a record given with `facts` (`None` for one given with
    /// deprivations or scores).
    pub fn checked_facts(&self) -> Result<Option<crate::facts::HouseholdFacts>> {
        self.facts.as_ref().map(|f| f.to_facts()).transpose()
    }

    /// [`HouseholdRecord::to_household_listing_ignored`], and for a record given with facts,
    /// the facts and what the standard's rules found in them (to explain each indicator).
    pub fn to_household_with_findings(
        &self,
        standard: &Standard,
    ) -> Result<(Household, IndicatorSet, Option<FactsFound>)> {
        self.household_recorded(standard, &|id| Standard::builtin(id))
    }

    /// The standard this record's answers were recorded under ([`HouseholdRecord::recorded_under`]),
    /// its id looked up in `registry`: `standard` itself unless the record says otherwise or
    /// names an indicator `standard` lacks.
    pub fn recorded_standard<'a>(
        &self,
        standard: &'a Standard,
        registry: &'a Registry,
    ) -> Result<&'a Standard> {
        self.recorded_in(standard, self.named_indicators()?, &|id| registry.get(id))
    }

    /// Every indicator the record's lists name.
    fn named_indicators(&self) -> Result<IndicatorSet> {
        let mut set = IndicatorSet::EMPTY;
        let lists = [
            ("deprivations", Some(&self.deprivations)),
            ("not_deprived", self.not_deprived.as_ref()),
            ("unknown", self.unknown.as_ref()),
        ];
        for (field, list) in lists {
            for code in list.into_iter().flatten() {
                set.insert(Indicator::parse_field(field, code)?);
            }
        }
        Ok(set)
    }

    fn recorded_in<'a>(
        &self,
        standard: &'a Standard,
        named: IndicatorSet,
        lookup: &dyn Fn(&str) -> Result<&'a Standard>,
    ) -> Result<&'a Standard> {
        if let Some(id) = &self.recorded_under {
            let recorded = if id.trim() == standard.id() {
                standard
            } else {
                lookup(id.trim())?
            };
            if let Some(i) = named.difference(recorded.indicators()).first() {
                return Err(Error::from(ErrorKind::IndicatorNotInStandard {
                    field: "recorded_under",
                    indicator: i.code(),
                    standard: recorded.id().to_owned(),
                }));
            }
            return Ok(recorded);
        }
        if named.difference(standard.indicators()).is_empty() {
            return Ok(standard);
        }
        // Evidently recorded under another standard: the national one nearest in time that
        // has every indicator named.
        let start = |s: &Standard| s.data().years.iter().map(|y| y.value.from).min();
        let here = start(standard).unwrap_or(0);
        Standard::builtins()
            .iter()
            .filter(|s| named.difference(s.indicators()).is_empty())
            .min_by_key(|s| start(s).map_or(i32::MAX, |y| (y - here).abs()))
            .map(|s| lookup(s.id()).unwrap_or(s))
            .ok_or_else(|| {
                Error::from(ErrorKind::InvalidValue {
                    field: "recorded_under".into(),
                    value: named.to_string(),
                    reason: crate::error::Reason::new("no built-in standard has every indicator the record names: say which standard the answers were recorded under (recorded_under)", "không chuẩn có sẵn nào có đủ các chỉ số hồ sơ nêu: hãy ghi rõ các câu trả lời được ghi theo chuẩn nào (recorded_under)"),
                })
            })
    }

    fn household_recorded<'a>(
        &self,
        standard: &'a Standard,
        lookup: &dyn Fn(&str) -> Result<&'a Standard>,
    ) -> Result<(Household, IndicatorSet, Option<FactsFound>)> {
        let area = Area::parse(&self.area)?;
        if self.facts.is_some() {
            return self.facts_household(area, standard);
        }
        let members = match self.members {
            Some(m) => parse_members(m.to_string().as_bytes())?,
            None => {
                return Err(Error::from(ErrorKind::Missing {
                    field: "members".into(),
                }))
            }
        };
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
                ("recorded_under", self.recorded_under.is_some()),
            ];
            if let Some((field, _)) = both.iter().find(|(_, given)| *given) {
                return Err(Error::from(ErrorKind::InvalidValue {
                    field: "scores".into(),
                    value: format!("scores with {field}"),
                    reason: crate::error::Reason::new("a record is classified from review scores or from income and deprivations, not both", "hồ sơ được phân loại theo điểm rà soát hoặc theo thu nhập và thiếu hụt, không theo cả hai"),
                }));
            }
            return Ok((
                Household::from_scores(area, members, scores),
                IndicatorSet::EMPTY,
                None,
            ));
        }
        let income = match &self.income_per_capita {
            Some(raw) => Vnd::parse_non_negative("income_per_capita", &raw.0)?,
            None => {
                return Err(Error::from(ErrorKind::Missing {
                    field: "income_per_capita".into(),
                }))
            }
        };
        // An indicator both deprived and known-not-deprived (or unknown) is a contradiction.
        for other in [not, unknown].into_iter().flatten() {
            if let Some(i) = deprived.intersection(other).first() {
                return Err(Error::from(ErrorKind::ContradictoryIndicator {
                    indicator: i.code(),
                }));
            }
        }
        let named = [not, unknown]
            .into_iter()
            .flatten()
            .fold(deprived, IndicatorSet::union);
        let of_standard = standard.indicators();
        let unknown = match (not, unknown) {
            (Some(_), Some(_)) => {
                return Err(Error::from(ErrorKind::InvalidValue {
                    field: "unknown".into(),
                    value: "unknown with not_deprived".into(),
                    reason:
                        crate::error::Reason::new("give the unknown indicators or the known ones (not_deprived), not both", "hãy ghi các chỉ số chưa rõ hoặc các chỉ số đã biết (not_deprived), không ghi cả hai"),
                }))
            }
            (Some(not), None) => of_standard.difference(deprived).difference(not),
            (None, Some(unknown)) => unknown.intersection(of_standard),
            (None, None) => IndicatorSet::EMPTY,
        };
        // Indicators of this standard that the record's own standard lacks were never asked:
        // unknown, never "not deprived" (formats §1).
        let recorded = self.recorded_in(standard, named, lookup)?;
        let unknown = unknown.union(of_standard.difference(recorded.indicators()));
        let ignored = named.difference(of_standard);
        let household = Household::new(area, members, income)
            .with_deprivations(deprived.intersection(of_standard))
            .with_unknown(unknown);
        Ok((household, ignored, None))
    }

    /// A record given with facts: no deprivation lists or scores beside them, `members` (if
    /// given) equal to the members listed, the income required.
    fn facts_household(
        &self,
        area: Area,
        standard: &Standard,
    ) -> Result<(Household, IndicatorSet, Option<FactsFound>)> {
        let both = [
            ("deprivations", !self.deprivations.is_empty()),
            ("not_deprived", self.not_deprived.is_some()),
            ("unknown", self.unknown.is_some()),
            ("scores", self.scores.is_some()),
            // Facts are the same under every standard: each standard's rules read them.
            ("recorded_under", self.recorded_under.is_some()),
        ];
        if let Some((field, _)) = both.iter().find(|(_, given)| *given) {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: "facts".into(),
                value: format!("facts with {field}"),
                reason: crate::error::Reason::new("a record gives facts or deprivations (with not_deprived or unknown) or scores, never two of them", "hồ sơ ghi thông tin hộ, hoặc các thiếu hụt (kèm not_deprived hoặc unknown), hoặc điểm rà soát, không bao giờ hai loại"),
            }));
        }
        let facts = self.checked_facts()?.unwrap_or_default();
        let listed = facts.members.len() as u64;
        if let Some(given) = self.members {
            if u64::try_from(given).ok() != Some(listed) {
                return Err(Error::from(ErrorKind::MembersMismatch {
                    given: given.to_string(),
                    listed,
                }));
            }
        }
        let income = match &self.income_per_capita {
            Some(raw) => Vnd::parse_non_negative("income_per_capita", &raw.0)?,
            None => {
                return Err(Error::from(ErrorKind::Missing {
                    field: "income_per_capita".into(),
                }))
            }
        };
        let findings = crate::facts::evaluate(standard, &facts)?;
        let household = findings.household(area, income);
        Ok((household, IndicatorSet::EMPTY, Some((facts, findings))))
    }

    /// The survey weight (default 1), checked non-negative.
    pub fn weight(&self) -> Result<rust_decimal::Decimal> {
        match &self.weight {
            None => Ok(rust_decimal::Decimal::ONE),
            Some(raw) => crate::decimal::parse_weight(&raw.0),
        }
    }
}

// ---- Out: the result record (formats §2) ----

/// The explanation part of an [`AssessmentRecord`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ExplanationRecord {
    /// The rule that decided.
    pub rule: Rule,
    /// The line that decided, for income rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_compared: Option<Vnd>,
    /// The standard's deprivation cut-off.
    pub deprivation_cutoff: u32,
    /// The rule's citation.
    pub citation: Citation,
    /// The citation rendered in the record's language.
    pub citation_text: String,
    /// The score table's citation, for score rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_citation: Option<Citation>,
    /// The weakest provenance among the deciding values.
    pub provenance: Provenance,
    /// When the standard was chosen by year: the year and the rule that applies the standard
    /// to it (for 2021, Decree 07/2021/NĐ-CP Art. 2 keeping the 2016–2020 standard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_for_year: Option<YearBasis>,
    /// The standard's data version.
    pub data_version: String,
    /// The explanation as a sentence.
    pub sentence: String,
}

/// The year a standard was chosen for, and the rule that applies it to that year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearBasis {
    /// The year.
    pub year: i32,
    /// The rule (the standard's own decree, or a keep-rule such as Decree 07/2021 Art. 2).
    pub citation: Citation,
}

/// One classification result as written by the `classify` example ([formats §2](crate::docs::formats)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AssessmentRecord {
    /// The household id.
    pub id: String,
    /// The standard's id.
    pub standard: String,
    /// The class.
    pub class: PovertyClass,
    /// Deprivations counted.
    pub deprivation_count: u32,
    /// The known deprivations.
    pub deprivations: IndicatorSet,
    /// The unknown indicators, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<IndicatorSet>,
    /// For `indeterminate`: how many unknowns must be deprivations for the household to be poor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprivations_needed_for_poor: Option<u32>,
    /// Indicators the record named that the standard does not have (left out of the count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignored_indicators: Option<IndicatorSet>,
    /// The standard the answers were recorded under, when it is not the one classified under
    /// ([formats §1](crate::docs::formats)): its indicators that this standard has and it
    /// lacks are listed in `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_under: Option<String>,
    /// The income classified on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_per_capita: Option<Vnd>,
    /// The review scores classified on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<ReviewScore>,
    /// The poverty line for the household's area.
    pub poverty_line: Vnd,
    /// The near-poverty line, where the standard has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near_poverty_line: Option<Vnd>,
    /// The top of the average band, where the standard has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_band_top: Option<Vnd>,
    /// Low-income-worker household (Decree 30/2025/NĐ-CP), where defined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_income_worker: Option<bool>,
    /// Why.
    pub explanation: ExplanationRecord,
    /// For a household given with facts: each indicator's answer and why
    /// ([facts §4](crate::docs::facts)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators: Option<Vec<crate::facts::IndicatorFinding>>,
}

/// The error part of an [`ErrorRecord`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// Machine-readable kind ([`Error::code`]).
    pub kind: &'static str,
    /// The field at fault, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The message, naming the field and the value.
    pub message: String,
}

/// The record written for a line that could not be classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorRecord {
    /// 1-based line number in the input.
    pub line: u64,
    /// The record's id, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The outcome of one input line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LineResult {
    /// Classified (possibly `indeterminate`).
    Assessed(Box<AssessmentRecord>),
    /// Rejected, with the reason.
    Rejected(ErrorRecord),
}

/// Classifies one JSON line. Never panics: every failure becomes an [`ErrorRecord`] with the
/// line number, the id (if readable) and the field at fault.
pub fn classify_json_line(
    line_no: u64,
    text: &str,
    registry: &Registry,
    choice: StandardChoice<'_>,
    lang: Lang,
) -> LineResult {
    let rejected = |id: Option<String>, e: Error| {
        LineResult::Rejected(ErrorRecord {
            line: line_no,
            id,
            error: ErrorDetail {
                kind: e.code(),
                field: e.field().map(str::to_owned),
                message: e.message(lang),
            },
        })
    };
    let record = match HouseholdRecord::from_json(text) {
        Ok(r) => r,
        Err(e) => {
            // Recover the id for the error record if the line is at least a JSON object.
            let id = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_owned));
            return rejected(id, e);
        }
    };
    let result = record
        .pick_standard(registry, choice)
        .and_then(|s| {
            record.weight()?;
            // A record read under its own year or standard is held to it; one the caller
            // reads under a standard of its choosing has foreign indicators left out, listed.
            let own = record.names_its_standard()
                && !matches!(choice, StandardChoice::Standard(_) if record.standard.is_none());
            let (h, ignored, found) = record.household_recorded(s, &|id| registry.get(id))?;
            if own {
                if let Some(i) = ignored.first() {
                    // Held to its own standard: a foreign indicator is an error.
                    return record.to_household(s).and_then(|_| {
                        Err(Error::from(ErrorKind::IndicatorNotInStandard {
                            field: "deprivations",
                            indicator: i.code(),
                            standard: s.id().to_owned(),
                        }))
                    });
                }
            }
            Ok((s, h, ignored, found))
        })
        .and_then(|(s, h, ignored, found)| classify(s, &h).map(|a| (a, ignored, found)));
    match result {
        Ok((a, ignored, found)) => {
            let mut out = a.to_record(&record.id, lang);
            out.ignored_indicators = (!ignored.is_empty()).then_some(ignored);
            if record.facts.is_none() && record.scores.is_none() {
                out.recorded_under = record
                    .recorded_standard(a.standard(), registry)
                    .ok()
                    .filter(|r| r.id() != a.standard().id())
                    .map(|r| r.id().to_owned());
            }
            out.indicators =
                found.map(|(facts, findings)| findings.explain_all(a.standard(), &facts));
            // Chosen by year (not named): say which rule applies the standard to that year.
            let by_year = match (&record.standard, choice) {
                (Some(_), _) | (None, StandardChoice::Standard(_)) => None,
                (None, StandardChoice::DefaultYear(y)) => Some(record.year.unwrap_or(y)),
                (None, StandardChoice::FromRecord) => record.year,
            };
            out.explanation.standard_for_year = by_year.and_then(|y| {
                a.standard().applies_in(y).map(|span| YearBasis {
                    year: y,
                    citation: span.citation.clone(),
                })
            });
            LineResult::Assessed(Box::new(out))
        }
        Err(e) => rejected(Some(record.id), e),
    }
}

/// Text from an input, safe to print on a terminal: control characters (ANSI escapes among
/// them) are shown escaped (`\u{1b}`), never sent. Labels and ids come from files that
/// anyone may have written.
///
/// ```
/// use chuan_ngheo::records::escape_controls;
/// assert_eq!(escape_controls("Hà Nội"), "Hà Nội");
/// assert_eq!(escape_controls("\u{1b}[31mred"), "\\u{1b}[31mred");
/// ```
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The longest JSON Lines record read by default: 1 MiB, some thousand times a household record.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One line of a JSON Lines input, as [`JsonLines`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputLine {
    /// A line of text, its line end (`\n` or `\r\n`) removed. Blank lines are skipped.
    Text {
        /// 1-based line number.
        line: u64,
        /// The line.
        text: String,
    },
    /// A line that cannot be a record: longer than the limit (it is skipped without being
    /// held in memory) or not UTF-8. Write an error record for it and go on.
    Unreadable {
        /// 1-based line number.
        line: u64,
        /// Why (kind `unreadable_line`).
        error: Error,
    },
}

/// The lines of a JSON Lines input, read in bounded memory.
///
/// * A line longer than the limit becomes [`InputLine::Unreadable`], read through to its end
///   without being kept.
/// * A NUL byte means the input is not text (JSON never holds one raw): reading stops with an
///   error, so `/dev/zero` ends at once instead of being skipped forever.
/// * An input that fails to read (a directory, a broken pipe) yields its error once, then ends.
///
/// ```
/// use chuan_ngheo::records::{InputLine, JsonLines};
/// let input = "{\"id\": \"a\"}\r\n\n{\"id\": \"b\"}";
/// let lines: Vec<_> = JsonLines::new(input.as_bytes()).collect::<Result<_, _>>().unwrap();
/// assert_eq!(lines.len(), 2);
/// assert!(matches!(&lines[1], InputLine::Text { line: 3, .. }));
/// ```
#[derive(Debug)]
pub struct JsonLines<R> {
    reader: R,
    max: usize,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    /// Lines of `reader`, each at most [`MAX_LINE_BYTES`].
    pub fn new(reader: R) -> Self {
        JsonLines::with_limit(reader, MAX_LINE_BYTES)
    }

    /// Lines of `reader`, each at most `max` bytes (line end aside).
    pub fn with_limit(reader: R, max: usize) -> Self {
        JsonLines {
            reader,
            max,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// The next line's bytes into `buf`, or how long it was if over the limit; `None` at the end.
    fn read_line(&mut self) -> io::Result<Option<Option<u64>>> {
        self.buf.clear();
        let mut skipped: Option<u64> = None;
        let mut any = false;
        loop {
            let avail = match self.reader.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(any.then_some(skipped));
            }
            any = true;
            let (take, end) = match avail.iter().position(|b| *b == b'\n') {
                Some(p) => (p, true),
                None => (avail.len(), false),
            };
            if avail[..take].contains(&0) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {} holds a NUL byte: the input is not JSON Lines text",
                        self.line + 1
                    ),
                ));
            }
            match &mut skipped {
                Some(n) => *n += take as u64,
                None if self.buf.len() + take > self.max.saturating_add(1) => {
                    skipped = Some((self.buf.len() + take) as u64);
                    self.buf = Vec::new();
                }
                None => self.buf.extend_from_slice(&avail[..take]),
            }
            self.reader.consume(take + usize::from(end));
            if end {
                return Ok(Some(skipped));
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = io::Result<InputLine>;
    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let read = self.read_line();
            self.line += 1;
            let line = self.line;
            match read {
                Err(e) => {
                    // An input that fails once is not read again.
                    self.done = true;
                    return Some(Err(e));
                }
                Ok(None) => self.done = true,
                Ok(Some(Some(bytes))) => return Some(Ok(too_long(line, bytes))),
                Ok(Some(None)) => {
                    let bytes = self.buf.strip_suffix(b"\r").unwrap_or(&self.buf);
                    if bytes.len() > self.max {
                        return Some(Ok(too_long(line, bytes.len() as u64)));
                    }
                    if bytes.trim_ascii().is_empty() {
                        continue;
                    }
                    return Some(Ok(match std::str::from_utf8(bytes) {
                        Ok(text) => InputLine::Text {
                            line,
                            text: text.to_owned(),
                        },
                        Err(e) => InputLine::Unreadable {
                            line,
                            error: Error::from(ErrorKind::InvalidValue {
                                field: "line".into(),
                                value: crate::error::excerpt_bytes(bytes),
                                reason: if e.valid_up_to() == 0 {
                                    crate::error::Reason::new(
                                        "the line is not UTF-8 text",
                                        "dòng không phải văn bản UTF-8",
                                    )
                                } else {
                                    crate::error::Reason::new(
                                        "the line is not valid UTF-8 throughout",
                                        "dòng có đoạn không phải UTF-8 hợp lệ",
                                    )
                                },
                            }),
                        },
                    }));
                }
            }
        }
        None
    }
}

/// A line of `bytes` bytes, over the reader's limit.
fn too_long(line: u64, bytes: u64) -> InputLine {
    InputLine::Unreadable {
        line,
        error: Error::from(ErrorKind::InvalidValue {
            field: "line".into(),
            value: format!("{bytes} bytes"),
            reason: crate::error::Reason::new(
                "a record line longer than the reader's limit",
                "dòng hồ sơ dài quá giới hạn của bộ đọc",
            ),
        }),
    }
}

/// The error record for a line [`JsonLines`] could not read.
pub fn unreadable_record(line: u64, error: &Error) -> ErrorRecord {
    ErrorRecord {
        line,
        id: None,
        error: ErrorDetail {
            kind: "unreadable_line",
            field: error.field().map(str::to_owned),
            message: error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max: usize) -> Vec<io::Result<InputLine>> {
        JsonLines::with_limit(input, max).collect()
    }

    #[test]
    fn long_lines_are_skipped_in_bounded_memory_and_numbered() {
        let mut input = b"{}\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 100_000));
        input.extend_from_slice(b"\r\n{\"a\":1}\n");
        let got = read(&input, 1000);
        assert!(matches!(&got[0], Ok(InputLine::Text { line: 1, .. })));
        assert!(matches!(&got[1], Ok(InputLine::Unreadable { line: 2, .. })));
        assert!(matches!(&got[2], Ok(InputLine::Text { line: 3, text }) if text == "{\"a\":1}"));
        assert_eq!(got.len(), 3);
        // Exactly at the limit is read; one byte over is not.
        let got = read(b"12345\n123456", 5);
        assert!(matches!(&got[0], Ok(InputLine::Text { .. })));
        assert!(matches!(&got[1], Ok(InputLine::Unreadable { line: 2, .. })));
    }

    #[test]
    fn a_nul_byte_or_a_failing_input_ends_the_reading() {
        let got = read(&[0u8; 64], 10);
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
        struct Failing;
        impl io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("Is a directory"))
            }
        }
        let got: Vec<_> = JsonLines::new(io::BufReader::new(Failing)).collect();
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
    }

    #[test]
    fn invalid_utf8_is_one_unreadable_line() {
        let got = read(b"\xff\xfe\n{}\n", 100);
        assert!(matches!(&got[0], Ok(InputLine::Unreadable { line: 1, .. })));
        assert!(matches!(&got[1], Ok(InputLine::Text { line: 2, .. })));
    }
}
