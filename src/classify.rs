//! Classification of one household under one standard, with its explanation.
//!
//! The rules ([the law's structure](crate::docs::law)), with the standard's data filling in the numbers:
//!
//! * A standard **with a near-poverty line** (2016–2020, Decision 59/2015/QĐ-TTg Art. 2):
//!   income ≤ poverty line is poor by income alone; poverty line < income ≤ near-poverty line is
//!   poor with D ≥ cut-off, near-poor otherwise.
//! * A standard **with one line** (2022–2025, Decree 07/2021/NĐ-CP Art. 3 cl. 2; 2027–2030,
//!   Decree 351/2025/NĐ-CP): income ≤ line is poor with D ≥ cut-off, near-poor otherwise. There
//!   is no income-only branch.
//! * Above those lines: average living standard up to the band top where the standard sets one,
//!   otherwise not poor.
//! * Boundaries are inclusive ("từ … trở xuống" is ≤).
//! * From review scores (Circular 07/2021/TT-BLĐTBXH; Circular 17/2016 as amended by
//!   14/2018): the same shape with score A against the score lines and score B ≥ its cut-off.

use crate::error::ErrorKind;
use crate::records::{AssessmentRecord, ExplanationRecord};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::household::{Evidence, Household, ReviewScore};
use crate::indicator::{Area, IndicatorSet};
use crate::money::Vnd;
use crate::standard::{Citation, Lang, Provenance, ReviewScores, Standard};

/// The class of a household under a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PovertyClass {
    /// Hộ nghèo.
    Poor,
    /// Hộ cận nghèo.
    NearPoor,
    /// Hộ có mức sống trung bình.
    AverageLivingStandard,
    /// Neither poor, near-poor nor of average living standard (from review scores: neither
    /// poor nor near-poor).
    NotPoor,
    /// Unknown indicators could change the class.
    Indeterminate,
}

impl PovertyClass {
    /// The four determinate classes, worst first.
    pub const DETERMINATE: [PovertyClass; 4] = [
        PovertyClass::Poor,
        PovertyClass::NearPoor,
        PovertyClass::AverageLivingStandard,
        PovertyClass::NotPoor,
    ];

    /// The code used in files: `poor`, `near_poor`, `average_living_standard`, `not_poor`,
    /// `indeterminate`.
    pub const fn code(self) -> &'static str {
        match self {
            PovertyClass::Poor => "poor",
            PovertyClass::NearPoor => "near_poor",
            PovertyClass::AverageLivingStandard => "average_living_standard",
            PovertyClass::NotPoor => "not_poor",
            PovertyClass::Indeterminate => "indeterminate",
        }
    }

    /// The name in a language.
    pub const fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PovertyClass::Poor, Lang::Vi) => "Hộ nghèo",
            (PovertyClass::NearPoor, Lang::Vi) => "Hộ cận nghèo",
            (PovertyClass::AverageLivingStandard, Lang::Vi) => "Hộ có mức sống trung bình",
            (PovertyClass::NotPoor, Lang::Vi) => "Hộ không nghèo",
            (PovertyClass::Indeterminate, Lang::Vi) => "Chưa xác định",
            (PovertyClass::Poor, Lang::En) => "Poor",
            (PovertyClass::NearPoor, Lang::En) => "Near-poor",
            (PovertyClass::AverageLivingStandard, Lang::En) => "Average living standard",
            (PovertyClass::NotPoor, Lang::En) => "Not poor",
            (PovertyClass::Indeterminate, Lang::En) => "Indeterminate",
        }
    }

    /// Position from worst (0, poor) to best (3, not poor); `None` for indeterminate.
    /// A "better" class has a higher rank.
    pub const fn rank(self) -> Option<u8> {
        match self {
            PovertyClass::Poor => Some(0),
            PovertyClass::NearPoor => Some(1),
            PovertyClass::AverageLivingStandard => Some(2),
            PovertyClass::NotPoor => Some(3),
            PovertyClass::Indeterminate => None,
        }
    }

    /// Index 0–4 in the order of the enum, for counting tables.
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Parses a class code.
    pub fn from_code(code: &str) -> Option<PovertyClass> {
        [
            PovertyClass::Poor,
            PovertyClass::NearPoor,
            PovertyClass::AverageLivingStandard,
            PovertyClass::NotPoor,
            PovertyClass::Indeterminate,
        ]
        .into_iter()
        .find(|c| c.code() == code)
    }
}

impl fmt::Display for PovertyClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

impl std::str::FromStr for PovertyClass {
    type Err = crate::error::Error;
    /// Parses a class code (`poor`, `near_poor`, …), as [`PovertyClass::code`] writes it.
    ///
    /// ```
    /// use chuan_ngheo::PovertyClass;
    /// assert_eq!("near_poor".parse::<PovertyClass>()?, PovertyClass::NearPoor);
    /// assert!("rich".parse::<PovertyClass>().is_err());
    /// # Ok::<(), chuan_ngheo::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PovertyClass::from_code(s.trim()).ok_or_else(|| {
            crate::error::Error::from(crate::error::ErrorKind::InvalidValue {
                field: "class".into(),
                value: crate::error::excerpt(s),
                reason: crate::error::Reason::new(
                    "expected poor, near_poor, average_living_standard, not_poor or indeterminate",
                    "phải là poor, near_poor, average_living_standard, not_poor hoặc indeterminate",
                ),
            })
        })
    }
}

/// The rule that decided a classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Income at or under the poverty line of a two-line standard: poor by income alone.
    PoorByIncome,
    /// Income at or under the line of the deprivation test, D ≥ cut-off: poor.
    PoorByDeprivation,
    /// Income at or under the line of the deprivation test, D < cut-off: near-poor.
    NearPoorFewDeprivations,
    /// Income at or under the line of the deprivation test, D < cut-off ≤ D + unknown.
    UnknownDeprivations,
    /// Income above the lines and at or under the average band's top.
    AverageBand,
    /// Income above every line of the standard.
    AboveLines,
    /// Score A at or under the poverty score of a two-line score table: poor by score A alone.
    ScorePoorByIncomeProxy,
    /// Score A at or under the score line, B ≥ its cut-off: poor.
    ScorePoorByDeprivation,
    /// Score A at or under the score line, B < its cut-off: near-poor.
    ScoreNearPoor,
    /// Score A above the score lines: neither poor nor near-poor.
    ScoreAboveLines,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

impl Rule {
    /// The rule's code.
    pub fn code(self) -> &'static str {
        match self {
            Rule::PoorByIncome => "poor_by_income",
            Rule::PoorByDeprivation => "poor_by_deprivation",
            Rule::NearPoorFewDeprivations => "near_poor_few_deprivations",
            Rule::UnknownDeprivations => "unknown_deprivations",
            Rule::AverageBand => "average_band",
            Rule::AboveLines => "above_lines",
            Rule::ScorePoorByIncomeProxy => "score_poor_by_income_proxy",
            Rule::ScorePoorByDeprivation => "score_poor_by_deprivation",
            Rule::ScoreNearPoor => "score_near_poor",
            Rule::ScoreAboveLines => "score_above_lines",
        }
    }
}

/// The result of classifying one household: the class and why. Borrowing the standard, it
/// allocates nothing; [`Assessment::to_record`] gives an owned, serialisable copy.
#[derive(Debug, Clone, Copy)]
pub struct Assessment<'s> {
    standard: &'s Standard,
    class: PovertyClass,
    rule: Rule,
    area: Area,
    evidence: Evidence,
}

/// Classifies a household under a standard.
///
/// ```
/// use chuan_ngheo::{classify, Area, Household, Indicator, IndicatorSet, PovertyClass, Standard, Vnd};
/// let standard = Standard::for_year(2024)?;
/// let household = Household::new(Area::Rural, 4, Vnd::from_dong(1_450_000))
///     .with_deprivations(IndicatorSet::from_iter([
///         Indicator::Water, Indicator::Sanitation, Indicator::HousingArea,
///     ]));
/// let a = classify(standard, &household)?;
/// assert_eq!(a.class(), PovertyClass::Poor);
/// assert_eq!(a.citation().to_string(), "Decree 07/2021/NĐ-CP, Art. 3, cl. 2, pt. a");
/// println!("{}", a.sentence(chuan_ngheo::Lang::Vi));
/// # Ok::<(), chuan_ngheo::Error>(())
/// ```
///
/// Errors: members below one, a negative income, a deprivation or unknown indicator that is
/// not an indicator of the standard, an indicator both deprived and unknown, review scores
/// under a standard without score cut-offs or outside the form's range.
/// Always inlined: the population loops classify millions of households, and the rules are
/// a few comparisons.
#[inline(always)]
pub fn classify<'s>(standard: &'s Standard, household: &Household) -> Result<Assessment<'s>> {
    if household.members == 0 {
        return Err(no_members());
    }
    let area = household.area;
    let (class, rule) = match household.evidence {
        Evidence::Income {
            income_per_capita: income,
            deprived,
            unknown,
        } => {
            // One test for the valid case; the cold path says what is wrong.
            let valid = deprived.union(unknown).is_subset(standard.indicators())
                && deprived.intersection(unknown).is_empty()
                && !income.is_negative();
            if !valid {
                return Err(invalid_income_household(
                    standard, income, deprived, unknown,
                ));
            }
            classify_income(standard, area, income, deprived.len(), unknown.len())
        }
        Evidence::Scores(score) => classify_scores(standard, area, score)?,
    };
    Ok(Assessment {
        standard,
        class,
        rule,
        area,
        evidence: household.evidence,
    })
}

/// The error for a household of no members.
#[cold]
#[inline(never)]
fn no_members() -> Error {
    Error::from(ErrorKind::InvalidMembers { value: "0".into() })
}

/// The error for an income-based household that failed the combined validity test.
#[cold]
#[inline(never)]
fn invalid_income_household(
    standard: &Standard,
    income: Vnd,
    deprived: IndicatorSet,
    unknown: IndicatorSet,
) -> Error {
    match check_indicators(standard, deprived, unknown)
        .and_then(|()| income.non_negative("income_per_capita").map(|_| ()))
    {
        Err(e) => e,
        // The combined test failed, so one of its parts fails: passing them all is a bug in
        // this file, said loudly, not an error made up for the caller.
        Ok(()) => unreachable!("a household that failed the combined check passes its parts"),
    }
}

fn check_indicators(
    standard: &Standard,
    deprived: IndicatorSet,
    unknown: IndicatorSet,
) -> Result<()> {
    let of_standard = standard.indicators();
    for (field, set) in [("deprivations", deprived), ("unknown", unknown)] {
        if let Some(i) = set.difference(of_standard).first() {
            return Err(Error::from(ErrorKind::IndicatorNotInStandard {
                field,
                indicator: i.code(),
                standard: standard.id().to_owned(),
            }));
        }
    }
    if let Some(i) = deprived.intersection(unknown).first() {
        return Err(Error::from(ErrorKind::ContradictoryIndicator {
            indicator: i.code(),
        }));
    }
    Ok(())
}

/// The class from income and deprivation counts ([the law](crate::docs::law)).
#[inline(always)]
fn classify_income(
    standard: &Standard,
    area: Area,
    income: Vnd,
    deprived: u32,
    unknown: u32,
) -> (PovertyClass, Rule) {
    let t = standard.line_table(area);
    let amount = income.amount();
    // The income against a line: exact, through integer mantissas when the scales agree.
    let at_or_under = |line: i128| -> bool {
        if amount.scale() == t.scale {
            amount.mantissa() <= line
        } else {
            rust_decimal::Decimal::try_from_i128_with_scale(line, t.scale)
                .is_ok_and(|l| income <= Vnd::new(l))
        }
    };
    // Decision 59/2015/QĐ-TTg Art. 2 cl. 1–2 pt. a: under a two-line standard, income at or
    // under the poverty line is poor whatever the deprivations.
    if let Some(line) = t.income_only {
        if at_or_under(line) {
            return (PovertyClass::Poor, Rule::PoorByIncome);
        }
    }
    // QĐ 59/2015 Art. 2 pt. a–b; ND 07/2021 Art. 3 cl. 2 pt. a–b; ND 351/2025: at or under the
    // line of the deprivation test, D ≥ cut-off is poor and D < cut-off near-poor.
    if at_or_under(t.multidimensional) {
        let k = standard.deprivation_cutoff();
        return if deprived >= k {
            (PovertyClass::Poor, Rule::PoorByDeprivation)
        } else if deprived + unknown < k {
            (PovertyClass::NearPoor, Rule::NearPoorFewDeprivations)
        } else {
            (PovertyClass::Indeterminate, Rule::UnknownDeprivations)
        };
    }
    // QĐ 59/2015 Art. 2 pt. c; ND 07/2021 Art. 3 cl. 2 pt. c [S]: the average band.
    match t.band_top {
        Some(top) if at_or_under(top) => (PovertyClass::AverageLivingStandard, Rule::AverageBand),
        _ => (PovertyClass::NotPoor, Rule::AboveLines),
    }
}

/// The class from review scores ([the law](crate::docs::law), review scores).
fn classify_scores(
    standard: &Standard,
    area: Area,
    score: ReviewScore,
) -> Result<(PovertyClass, Rule)> {
    let s: &ReviewScores = match &standard.data().review_scores {
        Some(s) => &s.value,
        None => {
            return Err(Error::from(ErrorKind::NoReviewScores {
                standard: standard.id().to_owned(),
            }))
        }
    };
    let max_b = s
        .points_per_deprivation
        .saturating_mul(standard.indicators().len());
    let invalid_b = |reason| {
        Error::from(ErrorKind::InvalidScore {
            field: "b",
            value: score.b,
            standard: standard.id().to_owned(),
            reason,
        })
    };
    if score.b > max_b {
        return Err(invalid_b(crate::error::Reason::new(
            "above points per deprivation times the number of indicators",
            "vượt quá số điểm mỗi thiếu hụt nhân với số chỉ số",
        )));
    }
    if score.b % s.points_per_deprivation != 0 {
        return Err(invalid_b(crate::error::Reason::new(
            "not a multiple of the points per deprivation",
            "không phải bội số của số điểm mỗi thiếu hụt",
        )));
    }
    let line = *s.poverty_score.get(area);
    // Circular 17/2016 Art. 6 cl. 2 (as amended by Circular 14/2018): A at or under the lower
    // score line is poor by score A alone.
    if let Some(near) = &s.near_poverty_score {
        if score.a <= line {
            return Ok((PovertyClass::Poor, Rule::ScorePoorByIncomeProxy));
        }
        if score.a > *near.get(area) {
            return Ok((PovertyClass::NotPoor, Rule::ScoreAboveLines));
        }
    } else if score.a > line {
        return Ok((PovertyClass::NotPoor, Rule::ScoreAboveLines));
    }
    // Circular 07/2021/TT-BLĐTBXH: under the score line, B ≥ 30 is poor, B < 30 near-poor.
    Ok(if score.b >= s.deprivation_score_cutoff {
        (PovertyClass::Poor, Rule::ScorePoorByDeprivation)
    } else {
        (PovertyClass::NearPoor, Rule::ScoreNearPoor)
    })
}

impl<'s> Assessment<'s> {
    /// The class.
    #[inline]
    pub fn class(&self) -> PovertyClass {
        self.class
    }

    /// The rule that decided.
    #[inline]
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The standard applied.
    pub fn standard(&self) -> &'s Standard {
        self.standard
    }

    /// The household's area.
    pub fn area(&self) -> Area {
        self.area
    }

    /// The income classified on, or `None` for scores.
    pub fn income(&self) -> Option<Vnd> {
        match self.evidence {
            Evidence::Income {
                income_per_capita, ..
            } => Some(income_per_capita),
            Evidence::Scores(_) => None,
        }
    }

    /// The review scores classified on, if any.
    pub fn scores(&self) -> Option<ReviewScore> {
        match self.evidence {
            Evidence::Scores(s) => Some(s),
            Evidence::Income { .. } => None,
        }
    }

    /// The known deprivations.
    #[inline]
    pub fn deprivations(&self) -> IndicatorSet {
        match self.evidence {
            Evidence::Income { deprived, .. } => deprived,
            Evidence::Scores(_) => IndicatorSet::EMPTY,
        }
    }

    /// The number of deprivations counted: known deprivations, or score B divided by the
    /// points per deprivation.
    pub fn deprivation_count(&self) -> u32 {
        match self.evidence {
            Evidence::Income { deprived, .. } => deprived.len(),
            Evidence::Scores(s) => self
                .standard
                .data()
                .review_scores
                .as_ref()
                .map_or(0, |r| s.b / r.value.points_per_deprivation.max(1)),
        }
    }

    /// The unknown indicators. For an indeterminate class these are the answers that would
    /// settle it.
    pub fn unknown(&self) -> IndicatorSet {
        match self.evidence {
            Evidence::Income { unknown, .. } => unknown,
            Evidence::Scores(_) => IndicatorSet::EMPTY,
        }
    }

    /// For an indeterminate class: how many of the unknown indicators must turn out deprived
    /// for the household to be poor (fewer and it is near-poor).
    pub fn deprivations_needed_for_poor(&self) -> Option<u32> {
        (self.class == PovertyClass::Indeterminate).then(|| {
            self.standard
                .deprivation_cutoff()
                .saturating_sub(self.deprivation_count())
        })
    }

    /// The poverty line compared with (for income-based classification).
    pub fn poverty_line(&self) -> Vnd {
        self.standard.poverty_line(self.area)
    }

    /// The near-poverty line, where the standard has one.
    pub fn near_poverty_line(&self) -> Option<Vnd> {
        self.standard.near_poverty_line(self.area)
    }

    /// The top of the average band, where the standard has one.
    pub fn average_band_top(&self) -> Option<Vnd> {
        self.standard.average_band_top(self.area)
    }

    /// The line that decided: for income rules the line the income was found at or under (or
    /// above, for [`Rule::AboveLines`]); `None` for score rules.
    pub fn line_compared(&self) -> Option<Vnd> {
        let s = self.standard;
        match self.rule {
            Rule::PoorByIncome => Some(s.poverty_line(self.area)),
            Rule::PoorByDeprivation | Rule::NearPoorFewDeprivations | Rule::UnknownDeprivations => {
                Some(s.multidimensional_line(self.area))
            }
            Rule::AverageBand => s.average_band_top(self.area),
            Rule::AboveLines => Some(
                s.average_band_top(self.area)
                    .unwrap_or_else(|| s.multidimensional_line(self.area)),
            ),
            _ => None,
        }
    }

    /// Whether members of this household count as low-income workers under Decree
    /// 30/2025/NĐ-CP (neither poor nor near-poor, income at or under the low-income line);
    /// `None` where the standard sets no such line or the class came from scores.
    pub fn low_income_worker(&self) -> Option<bool> {
        let line = self.standard.data().low_income_worker_line.as_ref()?;
        let income = self.income()?;
        let neither = matches!(
            self.class,
            PovertyClass::AverageLivingStandard | PovertyClass::NotPoor
        );
        Some(neither && income <= *line.value.get(self.area))
    }

    /// The citation of the rule that decided. Under a what-if reform, a deciding value the
    /// reform changed (the line compared, the cut-off, the score table) is cited as the reform,
    /// never as the law it replaced; values it left as they were keep their legal citation.
    #[inline]
    pub fn citation(&self) -> &'s Citation {
        // The law (no reform changes) is the common case: one test, then the class rule.
        if self.standard.data().reform_changes.is_empty() {
            return self.rule_citation();
        }
        self.reformed_value()
            .unwrap_or_else(|| self.rule_citation())
    }

    /// The citation of a deciding value set by a reform, if any: the line compared in the
    /// household's area, the cut-off (the reform's changes are recorded area by area).
    #[cold]
    #[inline(never)]
    fn reformed_value(&self) -> Option<&'s Citation> {
        let s = self.standard;
        let d = s.data();
        if d.reform_changes.is_empty() {
            return None;
        }
        let changed = |field: &str, area: bool| {
            d.reform_changes.iter().any(|c| match area {
                true => {
                    c.strip_prefix(field).and_then(|r| r.strip_prefix('.'))
                        == Some(self.area.code())
                }
                false => c == field,
            })
        };
        let multidimensional = match d.near_poverty_line {
            Some(_) => "near_poverty_line",
            None => "poverty_line",
        };
        let decided_by_change = match self.rule {
            Rule::PoorByIncome => changed("poverty_line", true),
            Rule::PoorByDeprivation | Rule::NearPoorFewDeprivations | Rule::UnknownDeprivations => {
                changed(multidimensional, true) || changed("deprivation_cutoff", false)
            }
            Rule::AverageBand | Rule::AboveLines => {
                changed("average_band_top", true) || changed(multidimensional, true)
            }
            Rule::ScorePoorByIncomeProxy
            | Rule::ScorePoorByDeprivation
            | Rule::ScoreNearPoor
            | Rule::ScoreAboveLines => false,
        };
        decided_by_change
            .then(|| {
                d.legal_basis
                    .iter()
                    .rev()
                    .find(|c| c.kind == crate::standard::DocumentKind::Reform)
            })
            .flatten()
    }

    /// The citation of the class rule, as the standard's data gives it.
    #[inline]
    fn rule_citation(&self) -> &'s Citation {
        let d = self.standard.data();
        let rules = &d.class_rules;
        match self.rule {
            Rule::PoorByIncome
            | Rule::PoorByDeprivation
            | Rule::UnknownDeprivations
            | Rule::ScorePoorByIncomeProxy
            | Rule::ScorePoorByDeprivation => rules.poor.get(self.area),
            Rule::NearPoorFewDeprivations | Rule::ScoreNearPoor => rules.near_poor.get(self.area),
            Rule::AverageBand => match &rules.average_living_standard {
                Some(c) => c.get(self.area),
                None => &d.poverty_line.citation,
            },
            Rule::AboveLines => match &d.average_band_top {
                Some(b) => &b.citation,
                None => d
                    .near_poverty_line
                    .as_ref()
                    .map_or(&d.poverty_line.citation, |l| &l.citation),
            },
            Rule::ScoreAboveLines => match &d.review_scores {
                Some(s) => &s.citation,
                None => &d.poverty_line.citation,
            },
        }
    }

    /// The citation of the score table, for score rules.
    pub fn score_citation(&self) -> Option<&'s Citation> {
        self.scores()?;
        self.standard
            .data()
            .review_scores
            .as_ref()
            .map(|s| &s.citation)
    }

    /// The weakest provenance among the values that decided: provisional if any of them is.
    pub fn provenance(&self) -> Provenance {
        let d = self.standard.data();
        let mut p = d.class_rules.provenance;
        let mut weaker = |q: Provenance| {
            if q.is_provisional() && !p.is_provisional() {
                p = q;
            }
        };
        match self.rule {
            Rule::AverageBand | Rule::AboveLines => {
                if let Some(b) = &d.average_band_top {
                    weaker(b.provenance);
                }
            }
            Rule::PoorByDeprivation | Rule::NearPoorFewDeprivations | Rule::UnknownDeprivations => {
                weaker(d.deprivation_cutoff.provenance);
            }
            Rule::ScorePoorByIncomeProxy
            | Rule::ScorePoorByDeprivation
            | Rule::ScoreNearPoor
            | Rule::ScoreAboveLines => {
                if let Some(s) = &d.review_scores {
                    weaker(s.provenance);
                }
            }
            Rule::PoorByIncome => {}
        }
        weaker(d.poverty_line.provenance);
        p
    }

    /// The explanation as one sentence in a language, with the citation.
    pub fn sentence(&self, lang: Lang) -> impl fmt::Display + '_ {
        Sentence { a: self, lang }
    }

    /// An owned, serialisable copy ([formats §2](crate::docs::formats)) with the sentence in `lang`.
    pub fn to_record(&self, id: &str, lang: Lang) -> AssessmentRecord {
        let cit = self.citation();
        AssessmentRecord {
            id: id.to_owned(),
            standard: self.standard.id().to_owned(),
            class: self.class,
            deprivation_count: self.deprivation_count(),
            deprivations: self.deprivations(),
            unknown: (!self.unknown().is_empty()).then(|| self.unknown()),
            deprivations_needed_for_poor: self.deprivations_needed_for_poor(),
            ignored_indicators: None,
            recorded_under: None,
            income_per_capita: self.income(),
            scores: self.scores(),
            poverty_line: self.poverty_line(),
            near_poverty_line: self.near_poverty_line(),
            average_band_top: self.average_band_top(),
            low_income_worker: self.low_income_worker(),
            explanation: ExplanationRecord {
                rule: self.rule,
                line_compared: self.line_compared(),
                deprivation_cutoff: self.standard.deprivation_cutoff(),
                citation: cit.clone(),
                citation_text: cit.display(lang).to_string(),
                score_citation: self.score_citation().cloned(),
                provenance: self.provenance(),
                standard_for_year: None,
                data_version: self.standard.data_version().to_owned(),
                sentence: self.sentence(lang).to_string(),
            },
            indicators: None,
        }
    }
}

struct Sentence<'a, 's> {
    a: &'a Assessment<'s>,
    lang: Lang,
}

struct List(IndicatorSet, Lang);

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, i) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(", ")?;
            }
            f.write_str(match self.1 {
                Lang::Vi => i.name_vi(),
                Lang::En => i.name_en(),
            })?;
        }
        Ok(())
    }
}

impl fmt::Display for Sentence<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.a;
        let s = a.standard;
        let lang = self.lang;
        let money = |v: Vnd| -> String {
            match lang {
                Lang::Vi => v.display_vi().to_string(),
                Lang::En => v.display_en().to_string(),
            }
        };
        let area = match lang {
            Lang::Vi => a.area.name_vi(),
            Lang::En => a.area.code(),
        };
        let k = s.deprivation_cutoff();
        let d = a.deprivation_count();
        let list = List(a.deprivations(), lang);
        let unknown = List(a.unknown(), lang);
        let inc = a.income().map(money).unwrap_or_default();
        let line = a.line_compared().map(money).unwrap_or_default();
        let pl = money(a.poverty_line());
        if let Some(name) = s.reform_name() {
            // A what-if standard never passes for law: say so first.
            match lang {
                Lang::En => write!(f, "What-if reform {name}, not law — ")?,
                Lang::Vi => write!(
                    f,
                    "Phương án giả định {name}, không phải quy định pháp luật — "
                )?,
            }
        }
        write!(f, "{}: ", a.class.name(lang))?;
        let (sa, sb, sc) = match &s.data().review_scores {
            Some(r) => (
                *r.value.poverty_score.get(a.area),
                r.value.near_poverty_score.as_ref().map(|n| *n.get(a.area)),
                r.value.deprivation_score_cutoff,
            ),
            None => (0, None, 0),
        };
        let score = a.scores().unwrap_or(ReviewScore { a: 0, b: 0 });
        let score_line = sb.unwrap_or(sa);
        match (lang, a.rule) {
            (Lang::En, Rule::PoorByIncome) => write!(f, "income {inc} per person per month is at or under the {area} poverty line of {line}; under this standard low income alone makes a household poor")?,
            (Lang::Vi, Rule::PoorByIncome) => write!(f, "thu nhập bình quân {inc}/người/tháng, từ chuẩn nghèo khu vực {area} {line} trở xuống; theo chuẩn này thu nhập thấp đủ xác định hộ nghèo")?,
            (Lang::En, Rule::PoorByDeprivation) => write!(f, "income {inc} per person per month is at or under the {area} line of {line} and the household is deprived in {d} indicators ({list}), at least the cut-off of {k}")?,
            (Lang::Vi, Rule::PoorByDeprivation) => write!(f, "thu nhập bình quân {inc}/người/tháng, từ mức {line} (khu vực {area}) trở xuống và thiếu hụt {d} chỉ số ({list}), từ {k} chỉ số trở lên")?,
            (Lang::En, Rule::NearPoorFewDeprivations) => write!(f, "income {inc} per person per month is at or under the {area} line of {line} and the household is deprived in {d} indicators, fewer than the cut-off of {k}")?,
            (Lang::Vi, Rule::NearPoorFewDeprivations) => write!(f, "thu nhập bình quân {inc}/người/tháng, từ mức {line} (khu vực {area}) trở xuống và thiếu hụt {d} chỉ số, dưới {k} chỉ số")?,
            (Lang::En, Rule::UnknownDeprivations) => write!(f, "income {inc} per person per month is at or under the {area} line of {line}; {d} deprivations are known and {} indicators are unknown ({unknown}): poor if at least {} of them are deprivations, near-poor otherwise", a.unknown().len(), k.saturating_sub(d))?,
            (Lang::Vi, Rule::UnknownDeprivations) => write!(f, "thu nhập bình quân {inc}/người/tháng, từ mức {line} (khu vực {area}) trở xuống; đã biết thiếu hụt {d} chỉ số, chưa rõ {} chỉ số ({unknown}): là hộ nghèo nếu thiếu hụt thêm từ {} chỉ số trở lên, nếu không là hộ cận nghèo", a.unknown().len(), k.saturating_sub(d))?,
            (Lang::En, Rule::AverageBand) => write!(f, "income {inc} per person per month is above the {area} line of {} and at or under the band top of {line}", money(s.multidimensional_line(a.area)))?,
            (Lang::Vi, Rule::AverageBand) => write!(f, "thu nhập bình quân {inc}/người/tháng, trên mức {} và từ mức {line} (khu vực {area}) trở xuống", money(s.multidimensional_line(a.area)))?,
            (Lang::En, Rule::AboveLines) => write!(f, "income {inc} per person per month is above the {area} line of {line}, the highest line of this standard")?,
            (Lang::Vi, Rule::AboveLines) => write!(f, "thu nhập bình quân {inc}/người/tháng, trên mức {line} (khu vực {area}), mức cao nhất của chuẩn này")?,
            (Lang::En, Rule::ScorePoorByIncomeProxy) => write!(f, "review score A {} is at or under {sa} ({area}): poor by score A alone", score.a)?,
            (Lang::Vi, Rule::ScorePoorByIncomeProxy) => write!(f, "điểm A {} từ {sa} điểm trở xuống (khu vực {area}): hộ nghèo theo điểm A", score.a)?,
            (Lang::En, Rule::ScorePoorByDeprivation) => write!(f, "review score A {} is at or under {score_line} ({area}) and score B {} is at least {sc}", score.a, score.b)?,
            (Lang::Vi, Rule::ScorePoorByDeprivation) => write!(f, "điểm A {} từ {score_line} điểm trở xuống (khu vực {area}) và điểm B {} từ {sc} điểm trở lên", score.a, score.b)?,
            (Lang::En, Rule::ScoreNearPoor) => write!(f, "review score A {} is at or under {score_line} ({area}) and score B {} is under {sc}", score.a, score.b)?,
            (Lang::Vi, Rule::ScoreNearPoor) => write!(f, "điểm A {} từ {score_line} điểm trở xuống (khu vực {area}) và điểm B {} dưới {sc} điểm", score.a, score.b)?,
            (Lang::En, Rule::ScoreAboveLines) => write!(f, "review score A {} is above {score_line} ({area}): neither poor nor near-poor", score.a)?,
            (Lang::Vi, Rule::ScoreAboveLines) => write!(f, "điểm A {} trên {score_line} điểm (khu vực {area}): không thuộc hộ nghèo, hộ cận nghèo", score.a)?,
        }
        if a.rule == Rule::PoorByIncome || a.near_poverty_line().is_none() || a.scores().is_some() {
            // The line named above is the poverty line itself, or scores were used.
        } else if matches!(
            a.rule,
            Rule::PoorByDeprivation | Rule::NearPoorFewDeprivations | Rule::UnknownDeprivations
        ) {
            match lang {
                Lang::En => write!(f, " (above the poverty line of {pl})")?,
                Lang::Vi => write!(f, " (trên chuẩn nghèo {pl})")?,
            }
        }
        write!(f, " — {}", a.citation().display(lang))?;
        if let Some(c) = a.score_citation() {
            if c != a.citation() {
                write!(f, "; {}", c.display(lang))?;
            }
        }
        let p = a.provenance();
        match lang {
            Lang::En => write!(f, " [{} {}", s.id(), s.data_version())?,
            Lang::Vi => write!(f, " [{} {}", s.id(), s.data_version())?,
        }
        if p.is_provisional() {
            match lang {
                Lang::En => write!(f, "; provisional: {}", p.tag())?,
                Lang::Vi => write!(f, "; tạm thời: {}", p.tag())?,
            }
        }
        f.write_str("]")
    }
}

/// One value per class (a count, a weight sum), read by name rather than by a magic index.
/// Indexing by [`PovertyClass`] or by [`PovertyClass::index`] both work.
///
/// ```
/// use chuan_ngheo::{ByClass, PovertyClass};
/// let mut n = ByClass::<u64>::default();
/// n[PovertyClass::Poor] += 3;
/// assert_eq!(n.poor(), 3);
/// assert_eq!(n.get(PovertyClass::NearPoor), 0);
/// assert_eq!(n.determinate_total(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ByClass<T>([T; 5]);

impl<T: Copy> ByClass<T> {
    /// The values in the order of [`PovertyClass::index`].
    pub const fn from_array(values: [T; 5]) -> Self {
        ByClass(values)
    }

    /// The value of a class.
    pub fn get(&self, class: PovertyClass) -> T {
        self.0[class.index()]
    }

    /// Poor households (hộ nghèo).
    pub fn poor(&self) -> T {
        self.get(PovertyClass::Poor)
    }

    /// Near-poor households (hộ cận nghèo).
    pub fn near_poor(&self) -> T {
        self.get(PovertyClass::NearPoor)
    }

    /// Households of average living standard (hộ có mức sống trung bình).
    pub fn average_living_standard(&self) -> T {
        self.get(PovertyClass::AverageLivingStandard)
    }

    /// Households neither poor, near-poor nor of average living standard.
    pub fn not_poor(&self) -> T {
        self.get(PovertyClass::NotPoor)
    }

    /// Households whose unknown answers could change the class.
    pub fn indeterminate(&self) -> T {
        self.get(PovertyClass::Indeterminate)
    }

    /// Each class with its value, worst first, indeterminate last.
    pub fn iter(&self) -> impl Iterator<Item = (PovertyClass, T)> + '_ {
        PovertyClass::DETERMINATE
            .into_iter()
            .chain([PovertyClass::Indeterminate])
            .map(|c| (c, self.get(c)))
    }
}

impl<T: Copy + std::iter::Sum<T>> ByClass<T> {
    /// The sum over the four determinate classes.
    pub fn determinate_total(&self) -> T {
        self.0[..4].iter().copied().sum()
    }
}

impl<T> std::ops::Deref for ByClass<T> {
    type Target = [T; 5];
    fn deref(&self) -> &[T; 5] {
        &self.0
    }
}

impl<T> std::ops::DerefMut for ByClass<T> {
    fn deref_mut(&mut self) -> &mut [T; 5] {
        &mut self.0
    }
}

impl<T, I: std::slice::SliceIndex<[T]>> std::ops::Index<I> for ByClass<T> {
    type Output = I::Output;
    fn index(&self, i: I) -> &I::Output {
        &self.0[i]
    }
}

impl<T, I: std::slice::SliceIndex<[T]>> std::ops::IndexMut<I> for ByClass<T> {
    fn index_mut(&mut self, i: I) -> &mut I::Output {
        &mut self.0[i]
    }
}

impl<T> std::ops::Index<PovertyClass> for ByClass<T> {
    type Output = T;
    fn index(&self, class: PovertyClass) -> &T {
        &self.0[class.index()]
    }
}

impl<T> std::ops::IndexMut<PovertyClass> for ByClass<T> {
    fn index_mut(&mut self, class: PovertyClass) -> &mut T {
        &mut self.0[class.index()]
    }
}

/// How many households went from each class to each class, between two standards or two
/// reviews. `None` on either side is "outside the table": rejected (an impact) or not in
/// that review (a transition). Rows are the first side, columns the second.
///
/// ```
/// use chuan_ngheo::{ClassMatrix, PovertyClass::*};
/// let mut m = ClassMatrix::default();
/// m.add(Some(NearPoor), Some(Poor));
/// m.add(Some(Poor), Some(NotPoor));
/// m.add(Some(Poor), Some(Poor));
/// assert_eq!(m.newly_poor(), 1);
/// assert_eq!(m.escaped(), 1);
/// assert_eq!(m.get(Some(Poor), Some(Poor)), 1);
/// assert_eq!(m.total(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ClassMatrix([[u64; 6]; 6]);

impl ClassMatrix {
    /// The row and column index of "outside the table" (rejected, or absent from a review).
    pub const OUTSIDE: usize = 5;

    fn at(class: Option<PovertyClass>) -> usize {
        class.map_or(Self::OUTSIDE, PovertyClass::index)
    }

    /// Counts one household.
    pub fn add(&mut self, from: Option<PovertyClass>, to: Option<PovertyClass>) {
        self.0[Self::at(from)][Self::at(to)] += 1;
    }

    /// Households that went from `from` to `to`.
    pub fn get(&self, from: Option<PovertyClass>, to: Option<PovertyClass>) -> u64 {
        self.0[Self::at(from)][Self::at(to)]
    }

    /// Households poor on the second side that were classified, and not poor, on the first
    /// (near-poor, average, not poor or indeterminate before).
    pub fn newly_poor(&self) -> u64 {
        [1, 2, 3, 4]
            .iter()
            .map(|&f| self.0[f][PovertyClass::Poor.index()])
            .sum()
    }

    /// Households poor on the first side and in a determinate class above poor on the second.
    pub fn escaped(&self) -> u64 {
        let poor = &self.0[PovertyClass::Poor.index()];
        [1, 2, 3].iter().map(|&t| poor[t]).sum()
    }

    /// Households in a different cell than the diagonal, both sides classified.
    pub fn changed_class(&self) -> u64 {
        (0..5)
            .flat_map(|f| (0..5).map(move |t| (f, t)))
            .filter(|(f, t)| f != t)
            .map(|(f, t)| self.0[f][t])
            .sum()
    }

    /// Every household counted.
    pub fn total(&self) -> u64 {
        self.0.iter().flatten().sum()
    }

    /// Adds another matrix.
    pub fn merge(&mut self, other: &ClassMatrix) {
        for (row, o) in self.0.iter_mut().zip(&other.0) {
            for (x, y) in row.iter_mut().zip(o) {
                *x += y;
            }
        }
    }
}

impl std::ops::Deref for ClassMatrix {
    type Target = [[u64; 6]; 6];
    fn deref(&self) -> &[[u64; 6]; 6] {
        &self.0
    }
}

impl std::ops::DerefMut for ClassMatrix {
    fn deref_mut(&mut self) -> &mut [[u64; 6]; 6] {
        &mut self.0
    }
}
