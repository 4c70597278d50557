//! JSON Lines in, JSON Lines out: the household records of `spec/formats.md` §1 classified
//! into the result records of §2, one output per input line, in order. Used by the `classify`
//! example; embedders reading JSON can call it directly.

use serde::Serialize;

use crate::classify::{classify, AssessmentRecord, YearBasis};
use crate::error::Error;
use crate::household::{HouseholdRecord, StandardChoice};
use crate::standard::{Lang, Registry};

/// The error part of an [`ErrorRecord`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorDetail {
    /// Machine-readable kind ([`Error::kind`]).
    pub kind: &'static str,
    /// The field at fault, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The message, naming the field and the value.
    pub message: String,
}

/// The record written for a line that could not be classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
                kind: e.kind(),
                field: e.field().map(str::to_owned),
                message: e.to_string(),
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
            record.to_household(s).map(|h| (s, h))
        })
        .and_then(|(s, h)| classify(s, &h));
    match result {
        Ok(a) => {
            let mut out = a.to_record(&record.id, lang);
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
