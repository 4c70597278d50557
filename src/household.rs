//! What classification needs to know about a household: area, members, and either income with
//! deprivations or the review scores. The JSON record that carries it is in [`crate::records`].

use serde::{Deserialize, Serialize};

use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::indicator::{Area, IndicatorSet};
use crate::money::Vnd;

/// The review-form scores (Circular 07/2021/TT-BLĐTBXH): A from form B1 (income proxy from
/// household characteristics), B from form B2 (10 points per deprived indicator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ScoreMap")]
pub struct ReviewScore {
    /// Score A: the income proxy.
    pub a: u32,
    /// Score B: points for deprivations.
    pub b: u32,
}

/// The scores object as written, each key once.
#[derive(Deserialize)]
struct ScoreMap(
    #[serde(deserialize_with = "crate::decimal::unique_map")]
    std::collections::BTreeMap<String, u32>,
);

impl TryFrom<ScoreMap> for ReviewScore {
    type Error = String;
    /// Scores are an object `{"a": …, "b": …}`: a positional array is not read, a key other
    /// than `a` and `b` is an error, and so is a key given twice.
    fn try_from(ScoreMap(map): ScoreMap) -> std::result::Result<Self, String> {
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
        Err(Error::from(ErrorKind::InvalidMembers {
            value: crate::error::excerpt_bytes(b),
        }))
    }
}
