//! Poverty-reduction targets as data, and their checks against observed series.
//!
//! Vietnamese targets such as "giảm 1–1,5%/năm" are **percentage points of the rate per year**
//! ([the law's structure](crate::docs::law)): a check subtracts rates. Relative change is a separate, explicit measure
//! ([`change`]). Arithmetic on published percentages is decimal, so a reduction of exactly
//! 2.00 points meets "at least 2".
//!
//! A range target ("3 to 4 points") has a floor that must be met and a ceiling that is an
//! aspiration; "more than 3" is strict. A series that changes standard (2021 → 2022,
//! 2026 → 2027) is refused with [`ErrorKind::StandardBreak`] unless the caller adds a baseline
//! rebased to the later standard (as the 2021 baseline of 5.20% under the 2022–2025 standard).
//!
//! ```
//! use chuan_ngheo::target::{builtin_sets, check, Observation, Verdict};
//! use rust_decimal::Decimal;
//!
//! let ntp = &builtin_sets()[2]; // NTP 2021–2025
//! let national = ntp.target("ntp-2021-2025/national").unwrap();
//! let obs = |year, v: &str| Observation::rate(year, v.parse::<Decimal>().unwrap(), "vn-2022-2025");
//! let series = [obs(2021, "5.20"), obs(2022, "4.03"), obs(2023, "2.93")];
//! let c = check(national, &series)?;
//! assert_eq!(c.status, Verdict::OnTrack);
//! assert_eq!(c.yearly_changes[0].change, "-1.17".parse::<Decimal>().unwrap());
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::money::Vnd;
use crate::standard::{Citation, Lang, Names, Provenance};

/// What a target measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The poor-household rate, percent of households.
    PoorRate,
    /// The near-poor-household rate, percent of households.
    NearPoorRate,
    /// The number of poor households.
    PoorCount,
    /// The number of poor plus near-poor households.
    PoorAndNearPoorCount,
    /// Poor households' average income per person (VND per month).
    PoorHouseholdIncome,
}

impl Measure {
    /// A value of the measure as a reader expects it: a rate with `%`, a count with grouped
    /// digits, an income as money, each in the language's style (`4,03%` and `4.03%`,
    /// `1.057.374 hộ` and `1,057,374 households`, `480.000 ₫` and `480,000 VND`).
    ///
    /// ```
    /// use chuan_ngheo::target::Measure;
    /// use chuan_ngheo::Lang;
    /// let v = |s: &str| s.parse().unwrap();
    /// assert_eq!(Measure::PoorRate.format(v("4.03"), Lang::Vi), "4,03%");
    /// assert_eq!(Measure::PoorHouseholdIncome.format(v("480000"), Lang::Vi), "480.000 ₫");
    /// assert_eq!(Measure::PoorCount.format(v("1057374"), Lang::En), "1,057,374 households");
    /// ```
    pub fn format(self, value: Decimal, lang: Lang) -> String {
        match self {
            Measure::PoorRate | Measure::NearPoorRate => {
                // Published rates have two decimals: 5.20% stays 5.20%.
                let t = format!("{:.2}", value.round_dp(2));
                match lang {
                    Lang::Vi => format!("{}%", t.replace('.', ",")),
                    Lang::En => format!("{t}%"),
                }
            }
            Measure::PoorHouseholdIncome => match lang {
                Lang::Vi => Vnd::new(value).display_vi().to_string(),
                Lang::En => Vnd::new(value).display_en().to_string(),
            },
            Measure::PoorCount | Measure::PoorAndNearPoorCount => {
                // Grouped like money, without the currency.
                let grouped = match lang {
                    Lang::Vi => Vnd::new(value).display_vi().to_string(),
                    Lang::En => Vnd::new(value).display_en().to_string(),
                };
                let digits = grouped
                    .trim_end_matches(" ₫")
                    .trim_end_matches(" VND")
                    .to_owned();
                match lang {
                    Lang::Vi => format!("{digits} hộ"),
                    Lang::En => format!("{digits} households"),
                }
            }
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Measure::PoorRate, Lang::En) => "poor-household rate",
            (Measure::PoorRate, Lang::Vi) => "tỷ lệ hộ nghèo",
            (Measure::NearPoorRate, Lang::En) => "near-poor-household rate",
            (Measure::NearPoorRate, Lang::Vi) => "tỷ lệ hộ cận nghèo",
            (Measure::PoorCount, Lang::En) => "number of poor households",
            (Measure::PoorCount, Lang::Vi) => "số hộ nghèo",
            (Measure::PoorAndNearPoorCount, Lang::En) => "number of poor and near-poor households",
            (Measure::PoorAndNearPoorCount, Lang::Vi) => "số hộ nghèo và hộ cận nghèo",
            (Measure::PoorHouseholdIncome, Lang::En) => "poor households' income per person",
            (Measure::PoorHouseholdIncome, Lang::Vi) => "thu nhập bình quân đầu người của hộ nghèo",
        }
    }
}

/// The population a target is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subgroup {
    /// All households.
    All,
    /// Households in poor districts (huyện nghèo).
    PoorDistricts,
    /// Households in poor districts and poor communes (xã đặc biệt khó khăn).
    PoorDistrictsAndCommunes,
    /// Ethnic-minority households.
    EthnicMinority,
    /// Ethnic-minority and mountain areas.
    EthnicMinorityAndMountainAreas,
    /// A named region or province.
    Area(String),
}

impl Subgroup {
    fn name(&self, lang: Lang) -> String {
        match (self, lang) {
            (Subgroup::All, Lang::En) => "all households".into(),
            (Subgroup::All, Lang::Vi) => "toàn bộ hộ".into(),
            (Subgroup::PoorDistricts, Lang::En) => "poor districts".into(),
            (Subgroup::PoorDistricts, Lang::Vi) => "huyện nghèo".into(),
            (Subgroup::PoorDistrictsAndCommunes, Lang::En) => "poor districts and communes".into(),
            (Subgroup::PoorDistrictsAndCommunes, Lang::Vi) => {
                "huyện nghèo, xã đặc biệt khó khăn".into()
            }
            (Subgroup::EthnicMinority, Lang::En) => "ethnic-minority households".into(),
            (Subgroup::EthnicMinority, Lang::Vi) => "hộ dân tộc thiểu số".into(),
            (Subgroup::EthnicMinorityAndMountainAreas, Lang::En) => {
                "ethnic-minority and mountain areas".into()
            }
            (Subgroup::EthnicMinorityAndMountainAreas, Lang::Vi) => {
                "vùng đồng bào dân tộc thiểu số và miền núi".into()
            }
            (Subgroup::Area(a), _) => a.clone(),
        }
    }
}

/// What must be reached.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Goal {
    /// Reduce the measure by percentage points per year, on average over the period: at least
    /// `floor` (more than `floor` when `strict`); `ceiling`, if any, is an aspiration.
    YearlyReduction {
        /// Points per year that must be met.
        #[serde(deserialize_with = "crate::decimal::deserialize")]
        floor: Decimal,
        /// "More than" rather than "at least".
        #[serde(default)]
        strict: bool,
        /// The upper end of a range target: an aspiration, not a requirement.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::decimal::deserialize_option"
        )]
        ceiling: Option<Decimal>,
    },
    /// Bring the measure under `level` by the end year (at or under it unless `strict`).
    LevelBy {
        /// The level.
        #[serde(deserialize_with = "crate::decimal::deserialize")]
        level: Decimal,
        /// "Under" rather than "at most".
        #[serde(default)]
        strict: bool,
    },
    /// Raise the measure to at least `factor` times its base-year value by the end year.
    Multiple {
        /// The factor (1.5).
        #[serde(deserialize_with = "crate::decimal::deserialize")]
        factor: Decimal,
    },
    /// Bring the measure to at most `factor` times its base-year value (halving: 0.5).
    CountFactor {
        /// The factor.
        #[serde(deserialize_with = "crate::decimal::deserialize")]
        factor: Decimal,
    },
}

/// A target with its period, the population it concerns, and its legal source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Identifier, `set-id/name`.
    pub id: String,
    /// What it says, in both languages.
    pub name: Names,
    /// The population.
    pub subgroup: Subgroup,
    /// The measure.
    pub measure: Measure,
    /// What must be reached.
    pub goal: Goal,
    /// The year of the baseline (end of year).
    pub base_year: i32,
    /// The last year of the period.
    pub end_year: i32,
    /// The standard the target is stated under, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// Where it is set.
    pub citation: Citation,
    /// How sure we are of it.
    pub provenance: Provenance,
}

/// A set of targets from one programme or directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSet {
    /// Identifier.
    pub id: String,
    /// The programme's name.
    pub name: Names,
    /// Its legal basis.
    pub citation: Citation,
    /// The targets.
    pub targets: Vec<Target>,
}

impl TargetSet {
    /// A target by id.
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }

    /// Loads a target set from JSON (unknown fields are errors) and checks each target's
    /// period.
    pub fn from_json(text: &str) -> Result<TargetSet> {
        let set: TargetSet = crate::json::from_str(text, "target set")?;
        for t in &set.targets {
            if t.end_year <= t.base_year {
                return Err(Error::from(ErrorKind::InvalidValue {
                    field: format!("{}.end_year", t.id),
                    value: t.end_year.to_string(),
                    reason: crate::error::Reason::new(
                        "the end year must be after the base year",
                        "năm kết thúc phải sau năm gốc",
                    ),
                }));
            }
            t.goal.validate(&t.id)?;
        }
        Ok(set)
    }
}

impl Goal {
    /// Checks that the goal can be met at all: a yearly reduction of at least 0 points with
    /// its aspiration not below it, a level not below 0, factors above 0.
    pub fn validate(&self, id: &str) -> Result<()> {
        let bad = |field: &str, value: Decimal, reason: crate::error::Reason| {
            Err(Error::from(ErrorKind::InvalidValue {
                field: format!("{id}.goal.{field}"),
                value: value.to_string(),
                reason,
            }))
        };
        match self {
            Goal::YearlyReduction { floor, ceiling, .. } => {
                if *floor < Decimal::ZERO {
                    return bad(
                        "floor",
                        *floor,
                        crate::error::Reason::new(
                            "a yearly reduction is at least 0 points (a rise is not a reduction)",
                            "mức giảm hằng năm phải từ 0 điểm trở lên (tăng không phải là giảm)",
                        ),
                    );
                }
                if let Some(c) = ceiling.filter(|c| c < floor) {
                    return bad(
                        "ceiling",
                        c,
                        crate::error::Reason::new(
                            "the upper end of a range target must not be below its lower end",
                            "cận trên của chỉ tiêu khoảng không được thấp hơn cận dưới",
                        ),
                    );
                }
            }
            Goal::LevelBy { level, .. } if *level < Decimal::ZERO => {
                return bad(
                    "level",
                    *level,
                    crate::error::Reason::new(
                        "a level is not below zero",
                        "mức chỉ tiêu không được âm",
                    ),
                );
            }
            Goal::Multiple { factor } | Goal::CountFactor { factor }
                if *factor <= Decimal::ZERO =>
            {
                return bad(
                    "factor",
                    *factor,
                    crate::error::Reason::new("a factor must be > 0", "hệ số phải > 0"),
                );
            }
            _ => {}
        }
        Ok(())
    }
}

/// One observed value of a measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// End of this year.
    pub year: i32,
    /// The value: percent for rates, households for counts, VND for income.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    pub value: Decimal,
    /// The standard it was measured under.
    pub standard: String,
    /// The measure.
    pub measure: Measure,
    /// The population.
    pub subgroup: Subgroup,
    /// Where the figure comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How sure we are of the figure, where a series file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// The standard error of a figure estimated from a sample survey, in the value's unit
    /// (percentage points for a rate): a check then says whether a shortfall is within
    /// sampling error.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    pub se: Option<Decimal>,
}

impl Observation {
    /// A national poor-household rate, in percent.
    pub fn rate(year: i32, percent: Decimal, standard: &str) -> Self {
        Observation::of(Measure::PoorRate, Subgroup::All, year, percent, standard)
    }

    /// Any observation.
    pub fn of(
        measure: Measure,
        subgroup: Subgroup,
        year: i32,
        value: Decimal,
        standard: &str,
    ) -> Self {
        Observation {
            year,
            value,
            standard: standard.to_owned(),
            measure,
            subgroup,
            source: None,
            provenance: None,
            se: None,
        }
    }

    /// The same observation with the standard error of its estimate (a survey figure), in the
    /// value's unit.
    pub fn with_se(mut self, se: Decimal) -> Self {
        self.se = Some(se);
        self
    }
}

impl Observation {
    /// Checks what a file could get wrong: the year within [`crate::year`]'s range, a rate
    /// within 0–100 percent, a count or an income not below zero.
    pub fn validate(&self) -> Result<()> {
        crate::year::check("observation.year", self.year)?;
        if let Some(se) = self.se.filter(|se| *se < Decimal::ZERO) {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: format!("observation {} se", self.year),
                value: se.to_string(),
                reason: crate::error::Reason::new(
                    "a standard error is not below zero",
                    "sai số chuẩn không được âm",
                ),
            }));
        }

        let (low, high) = match self.measure {
            Measure::PoorRate | Measure::NearPoorRate => {
                (Decimal::ZERO, Some(Decimal::ONE_HUNDRED))
            }
            _ => (Decimal::ZERO, None),
        };
        if self.value < low || high.is_some_and(|h| self.value > h) {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: format!("observation {} {}", self.year, self.measure.name(Lang::En)),
                value: self.value.to_string(),
                reason: match high {
                    Some(_) => crate::error::Reason::new(
                        "a rate is a percentage from 0 to 100",
                        "tỷ lệ là phần trăm từ 0 đến 100",
                    ),
                    None => crate::error::Reason::new(
                        "a count or an income is not below zero",
                        "số hộ hoặc thu nhập không được âm",
                    ),
                },
            }));
        }
        Ok(())
    }
}

/// The verdict of a target check: met, not met, on track, off track. (Named apart from
/// [`crate::transition::Status`], a household's status between two reviews.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The period is over and the target was met.
    Met,
    /// The period is over and the target was not met.
    NotMet,
    /// The period is running and the pace so far meets the target.
    OnTrack,
    /// The period is running and the pace so far falls short.
    OffTrack,
}

impl Verdict {
    /// The name in a language.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Met, Lang::En) => "met",
            (Verdict::NotMet, Lang::En) => "not met",
            (Verdict::OnTrack, Lang::En) => "on track",
            (Verdict::OffTrack, Lang::En) => "off track",
            (Verdict::Met, Lang::Vi) => "đạt",
            (Verdict::NotMet, Lang::Vi) => "không đạt",
            (Verdict::OnTrack, Lang::Vi) => "đúng tiến độ",
            (Verdict::OffTrack, Lang::Vi) => "chậm tiến độ",
        }
    }
}

/// The change between two observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct YearChange {
    /// Earlier year.
    pub from_year: i32,
    /// Later year.
    pub to_year: i32,
    /// Later − earlier.
    pub change: Decimal,
    /// Change per year.
    pub per_year: Decimal,
}

/// The result of checking a target against a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Check {
    /// The target's id.
    pub target: String,
    /// Met, not met, on track, off track.
    pub status: Verdict,
    /// The standard of the series.
    pub standard: String,
    /// Base year and value.
    pub base: (i32, Decimal),
    /// Latest year and value.
    pub latest: (i32, Decimal),
    /// Each change between consecutive observations.
    pub yearly_changes: Vec<YearChange>,
    /// (Latest − base) / years: negative is a reduction.
    pub average_yearly_change: Decimal,
    /// How far the result falls short of the requirement (points per year for reductions,
    /// the measure's unit for levels and counts, the factor for multiples); 0 when met.
    pub shortfall: Decimal,
    /// For a running period: what the remaining years need (points per year of reduction,
    /// growth per year for multiples as a fraction, units per year for levels and counts).
    pub pace_needed: Option<Decimal>,
    /// For a range target: whether the ceiling (the aspiration) is reached too.
    pub aspiration_met: Option<bool>,
    /// For survey figures (observations with a standard error): the sampling error of the
    /// measure the check compares, and whether a shortfall lies within it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<SamplingError>,
}

/// The sampling error of a check on survey figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SamplingError {
    /// The standard error of the compared measure, in the shortfall's unit: of the average
    /// yearly change (√(se_base² + se_latest²) / years) for a yearly reduction, of the latest
    /// value for a level.
    pub se: f64,
    /// 1.96 × se: a shortfall up to this is within sampling error.
    pub margin: f64,
    /// The target is not met (or off track) by less than the margin: the survey cannot tell
    /// the shortfall from sampling error.
    pub within: bool,
}

/// Checks a target against observations. Only observations of the target's measure and
/// subgroup within its period count; the base year must be observed. Where one year is
/// observed under two standards (a published figure and a rebased baseline), the one under
/// the series' latest standard is used; otherwise a change of standard is an error.
pub fn check(target: &Target, observations: &[Observation]) -> Result<Check> {
    crate::year::check("target.base_year", target.base_year)?;
    crate::year::check("target.end_year", target.end_year)?;
    for o in observations {
        o.validate()?;
    }
    if target.end_year <= target.base_year {
        return Err(Error::from(ErrorKind::InvalidValue {
            field: format!("{}.end_year", target.id),
            value: target.end_year.to_string(),
            reason: crate::error::Reason::new(
                "the end year must be after the base year",
                "năm kết thúc phải sau năm gốc",
            ),
        }));
    }
    let series = series_for(target, observations)?;
    let (Some(base), Some(latest)) = (series.first(), series.last()) else {
        return Err(Error::from(ErrorKind::Missing {
            field: format!(
                "an observation of the base year {} for {}",
                target.base_year, target.id
            ),
        }));
    };
    if base.year != target.base_year {
        return Err(Error::from(ErrorKind::Missing {
            field: format!(
                "observation of the base year {} for {}",
                target.base_year, target.id
            ),
        }));
    }
    if latest.year == base.year {
        return Err(Error::from(ErrorKind::Missing {
            field: format!("an observation after {} for {}", base.year, target.id),
        }));
    }
    if let Some(s) = &target.standard {
        if *s != latest.standard {
            return Err(Error::from(ErrorKind::StandardMismatch {
                what: "target and series",
                left: s.clone(),
                right: latest.standard.clone(),
            }));
        }
    }
    // Checked decimal arithmetic: observations come from files, and an absurd value must be an
    // error, never an overflow.
    let arith = |what: &'static str| {
        Error::from(ErrorKind::InvalidValue {
            field: format!("{}.observations", target.id),
            value: what.into(),
            reason: crate::error::Reason::new(
                "values too large or a division by zero in the check",
                "giá trị quá lớn hoặc phép chia cho 0 khi kiểm tra",
            ),
        })
    };
    let sub = |a: Decimal, b: Decimal| a.checked_sub(b).ok_or_else(|| arith("difference"));
    let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or_else(|| arith("sum"));
    let mul = |a: Decimal, b: Decimal| a.checked_mul(b).ok_or_else(|| arith("product"));
    let div = |a: Decimal, b: Decimal| a.checked_div(b).ok_or_else(|| arith("quotient"));
    let yearly_changes = series
        .windows(2)
        .map(|w| {
            let change = sub(w[1].value, w[0].value)?;
            let per_year = div(change, Decimal::from(w[1].year - w[0].year))?; // years checked above
            Ok(YearChange {
                from_year: w[0].year,
                to_year: w[1].year,
                change,
                per_year,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let elapsed = Decimal::from(latest.year - base.year);
    let total_years = Decimal::from(i64::from(target.end_year) - i64::from(target.base_year));
    let remaining = Decimal::from((i64::from(target.end_year) - i64::from(latest.year)).max(0));
    let complete = latest.year >= target.end_year;
    let running = !complete && !remaining.is_zero();
    let average = div(sub(latest.value, base.value)?, elapsed)?;
    let meets =
        |x: Decimal, bound: Decimal, strict: bool| if strict { x > bound } else { x >= bound };
    let (ok, shortfall, pace_needed, aspiration_met) = match &target.goal {
        Goal::YearlyReduction {
            floor,
            strict,
            ceiling,
        } => {
            let reduction = -average;
            let ok = meets(reduction, *floor, *strict);
            let pace = if running {
                Some(div(
                    sub(mul(*floor, total_years)?, sub(base.value, latest.value)?)?,
                    remaining,
                )?)
            } else {
                None
            };
            (
                ok,
                sub(*floor, reduction)?.max(Decimal::ZERO),
                pace,
                ceiling.map(|c| reduction >= c),
            )
        }
        Goal::LevelBy { level, strict } => {
            // Reached: under (or at) the level. Running: the pace so far, carried to the end
            // year, reaches it.
            let projected = add(latest.value, mul(average, remaining)?)?;
            let below = |x: Decimal| if *strict { x < *level } else { x <= *level };
            let ok = if complete {
                below(latest.value)
            } else {
                below(projected)
            };
            let pace = if running {
                Some(div(sub(latest.value, *level)?, remaining)?)
            } else {
                None
            };
            (
                ok,
                sub(latest.value, *level)?.max(Decimal::ZERO),
                pace,
                None,
            )
        }
        Goal::Multiple { factor } => {
            if base.value <= Decimal::ZERO {
                return Err(Error::from(ErrorKind::InvalidValue {
                    field: format!("{}.base", target.id),
                    value: base.value.to_string(),
                    reason: crate::error::Reason::new(
                        "a multiple needs a positive base value",
                        "bội số cần giá trị năm gốc dương",
                    ),
                }));
            }
            let ratio = div(latest.value, base.value)?;
            let ok = if complete {
                ratio >= *factor
            } else {
                // Compound growth so far against the growth the whole period needs.
                matches!((growth(ratio, elapsed), growth(*factor, total_years)), (Some(so_far), Some(needed)) if so_far >= needed)
            };
            // Growth the remaining years need; none can be said when the latest value is 0.
            let pace = match (running, latest.value > Decimal::ZERO) {
                (true, true) => growth(div(mul(*factor, base.value)?, latest.value)?, remaining),
                _ => None,
            };
            (ok, sub(*factor, ratio)?.max(Decimal::ZERO), pace, None)
        }
        Goal::CountFactor { factor } => {
            let goal = mul(*factor, base.value)?;
            let ok = if complete {
                latest.value <= goal
            } else {
                // Linear path from the base to the goal.
                latest.value
                    <= sub(
                        base.value,
                        div(mul(sub(base.value, goal)?, elapsed)?, total_years)?,
                    )?
            };
            let pace = if running {
                Some(div(sub(latest.value, goal)?, remaining)?)
            } else {
                None
            };
            (ok, sub(latest.value, goal)?.max(Decimal::ZERO), pace, None)
        }
    };
    // A pace at or below zero means the remaining years need nothing more.
    let pace_needed = pace_needed.map(|p| p.max(Decimal::ZERO));
    let status = match (complete, ok) {
        (true, true) => Verdict::Met,
        (true, false) => Verdict::NotMet,
        (false, true) => Verdict::OnTrack,
        (false, false) => Verdict::OffTrack,
    };
    let shortfall = if ok { Decimal::ZERO } else { shortfall };
    let f = |d: Decimal| d.to_f64().unwrap_or(f64::NAN);
    let sampling = match (&target.goal, base.se, latest.se) {
        (Goal::YearlyReduction { .. }, Some(sb), Some(sl)) => {
            let years = f(elapsed);
            Some((f(sb).hypot(f(sl))) / years)
        }
        (Goal::LevelBy { .. }, _, Some(sl)) => Some(f(sl)),
        _ => None,
    }
    .filter(|se| se.is_finite() && *se >= 0.0)
    .map(|se| SamplingError {
        se,
        margin: 1.96 * se,
        within: !ok && f(shortfall) <= 1.96 * se,
    });
    Ok(Check {
        sampling,
        target: target.id.clone(),
        status,
        standard: latest.standard.clone(),
        base: (base.year, base.value),
        latest: (latest.year, latest.value),
        yearly_changes,
        average_yearly_change: average,
        shortfall,
        pace_needed,
        aspiration_met,
    })
}

/// Yearly compound growth `ratio^(1/years) − 1`, as a decimal (statistics, via f64).
fn growth(ratio: Decimal, years: Decimal) -> Option<Decimal> {
    let (r, y) = (ratio.to_f64()?, years.to_f64()?);
    if r <= 0.0 || y <= 0.0 {
        return None;
    }
    Decimal::from_f64_retain(r.powf(1.0 / y) - 1.0).map(|d| d.round_dp(6))
}

/// The target's series: its measure and subgroup, within its period, one observation a year,
/// all under one standard.
fn series_for<'o>(
    target: &Target,
    observations: &'o [Observation],
) -> Result<Vec<&'o Observation>> {
    let mut obs: Vec<&Observation> = observations
        .iter()
        .filter(|o| o.measure == target.measure && o.subgroup == target.subgroup)
        .filter(|o| o.year >= target.base_year && o.year <= target.end_year)
        .collect();
    obs.sort_by_key(|o| o.year);
    let Some(last) = obs.last() else {
        return Ok(obs);
    };
    let standard = last.standard.clone();
    // A year observed under two standards: keep the one under the series' standard.
    let mut kept: Vec<&Observation> = Vec::with_capacity(obs.len());
    for o in obs {
        match kept.last() {
            Some(prev) if prev.year == o.year => {
                if prev.standard == o.standard {
                    return Err(Error::from(ErrorKind::Incomparable {
                        why: crate::Incompatibility::DuplicateObservation {
                            target: target.id.clone(),
                            year: o.year,
                            standard: o.standard.clone(),
                        },
                    }));
                }
                if o.standard == standard {
                    kept.pop();
                    kept.push(o);
                }
            }
            _ => kept.push(o),
        }
    }
    for w in kept.windows(2) {
        if w[0].standard != w[1].standard {
            return Err(Error::from(ErrorKind::StandardBreak {
                from_year: w[0].year,
                from_standard: w[0].standard.clone(),
                to_year: w[1].year,
                to_standard: w[1].standard.clone(),
            }));
        }
    }
    Ok(kept)
}

/// The change of a measure between two observations (mpitb's absolute, annualised absolute,
/// relative and annualised relative change), refused across a change of standard.
pub fn change(earlier: &Observation, later: &Observation) -> Result<Change> {
    earlier.validate()?;
    later.validate()?;
    if earlier.standard != later.standard {
        return Err(Error::from(ErrorKind::StandardBreak {
            from_year: earlier.year,
            from_standard: earlier.standard.clone(),
            to_year: later.year,
            to_standard: later.standard.clone(),
        }));
    }
    if later.year <= earlier.year {
        return Err(Error::from(ErrorKind::Incomparable {
            why: crate::Incompatibility::YearsOutOfOrder {
                earlier: earlier.year,
                later: later.year,
            },
        }));
    }
    let f = |d: Decimal| d.to_f64().unwrap_or(f64::NAN);
    Ok(Change::between(
        f(earlier.value),
        f(later.value),
        (later.year - earlier.year) as f64,
    ))
}

impl Check {
    /// The verdict as a sentence.
    pub fn sentence<'a>(&'a self, target: &'a Target, lang: Lang) -> impl fmt::Display + 'a {
        CheckSentence {
            c: self,
            t: target,
            lang,
        }
    }
}

struct CheckSentence<'a> {
    c: &'a Check,
    t: &'a Target,
    lang: Lang,
}

impl fmt::Display for CheckSentence<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (c, t, lang) = (self.c, self.t, self.lang);
        // Vietnamese writes decimals with a comma.
        let pts = |d: Decimal| {
            let t = d.round_dp(2).normalize().to_string();
            match lang {
                Lang::Vi => t.replace('.', ","),
                Lang::En => t,
            }
        };
        write!(f, "[{}] {} — ", c.status.name(lang), t.name.get(lang))?;
        match lang {
            Lang::En => write!(
                f,
                "{} of {}: {} ({}) → {} ({})",
                t.measure.name(lang),
                t.subgroup.name(lang),
                t.measure.format(c.base.1, lang),
                c.base.0,
                t.measure.format(c.latest.1, lang),
                c.latest.0
            )?,
            Lang::Vi => write!(
                f,
                "{} của {}: {} ({}) → {} ({})",
                t.measure.name(lang),
                t.subgroup.name(lang),
                t.measure.format(c.base.1, lang),
                c.base.0,
                t.measure.format(c.latest.1, lang),
                c.latest.0
            )?,
        }
        if let Goal::YearlyReduction {
            floor,
            strict,
            ceiling,
        } = &t.goal
        {
            let avg = pts(-c.average_yearly_change);
            let bound = match (ceiling, strict, lang) {
                (Some(ceil), _, Lang::En) => format!(
                    "{}–{} points a year (the floor binds; the ceiling is an aspiration)",
                    pts(*floor),
                    pts(*ceil)
                ),
                (Some(ceil), _, Lang::Vi) => format!(
                    "{}–{} điểm %/năm (mức sàn bắt buộc; mức trần là phấn đấu)",
                    pts(*floor),
                    pts(*ceil)
                ),
                (None, true, Lang::En) => format!("more than {} points a year", pts(*floor)),
                (None, true, Lang::Vi) => format!("trên {} điểm %/năm", pts(*floor)),
                (None, false, Lang::En) => format!("at least {} points a year", pts(*floor)),
                (None, false, Lang::Vi) => format!("ít nhất {} điểm %/năm", pts(*floor)),
            };
            match lang {
                Lang::En => write!(f, "; average reduction {avg} points a year against {bound}")?,
                Lang::Vi => write!(
                    f,
                    "; giảm bình quân {avg} điểm %/năm so với chỉ tiêu {bound}"
                )?,
            }
            if let Some(true) = c.aspiration_met {
                f.write_str(match lang {
                    Lang::En => "; the aspiration is reached too",
                    Lang::Vi => "; đạt cả mức phấn đấu",
                })?;
            }
        }
        if !c.shortfall.is_zero() {
            match lang {
                Lang::En => write!(f, "; short by {}", pts(c.shortfall))?,
                Lang::Vi => write!(f, "; còn thiếu {}", pts(c.shortfall))?,
            }
        }
        if let Some(s) = c.sampling.filter(|s| s.within) {
            let m = Decimal::from_f64_retain(s.margin)
                .map_or_else(|| "?".into(), |d| pts(d.round_dp(2)));
            match lang {
                Lang::En => write!(f, " (within sampling error: ±{m})")?,
                Lang::Vi => write!(f, " (trong phạm vi sai số mẫu: ±{m})")?,
            }
        }
        if let Some(p) = c.pace_needed {
            let p = match t.goal {
                Goal::YearlyReduction { .. } => match lang {
                    Lang::En => format!("a reduction of {} points", pts(p)),
                    Lang::Vi => format!("giảm {} điểm %", pts(p)),
                },
                Goal::Multiple { .. } => match lang {
                    Lang::En => format!("growth of {}%", pts(p * Decimal::ONE_HUNDRED)),
                    Lang::Vi => format!("tăng {}%", pts(p * Decimal::ONE_HUNDRED)),
                },
                Goal::LevelBy { .. } | Goal::CountFactor { .. } => match lang {
                    Lang::En => format!("a reduction of {}", pts(p)),
                    Lang::Vi => format!("giảm {}", pts(p)),
                },
            };
            match lang {
                Lang::En => write!(f, "; the remaining years need {p} a year")?,
                Lang::Vi => write!(f, "; các năm còn lại cần {p} mỗi năm")?,
            }
        }
        write!(f, " — {}", t.citation.display(lang))?;
        if t.provenance.is_provisional() {
            write!(
                f,
                " [{}: {}]",
                match lang {
                    Lang::En => "provisional",
                    Lang::Vi => "tạm thời",
                },
                t.provenance.tag()
            )?;
        }
        Ok(())
    }
}

/// How a measure changed between two periods (mpitb's change measures).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// Later − earlier.
    pub absolute: f64,
    /// (Later − earlier) / years.
    pub annualized_absolute: f64,
    /// (Later − earlier) / earlier (0 when earlier is 0).
    pub relative: f64,
    /// (later / earlier)^(1 / years) − 1 (0 when earlier is 0).
    pub annualized_relative: f64,
}

impl Change {
    /// The change from `earlier` to `later` over `years` (> 0).
    pub fn between(earlier: f64, later: f64, years: f64) -> Change {
        let absolute = later - earlier;
        let (relative, annualized_relative) = if earlier != 0.0 {
            (
                absolute / earlier,
                (later / earlier).powf(1.0 / years) - 1.0,
            )
        } else {
            (0.0, 0.0)
        };
        Change {
            absolute,
            annualized_absolute: absolute / years,
            relative,
            annualized_relative,
        }
    }
}

/// The built-in target sets as data files (`src/standard/data/targets/`), by id: each target
/// with its period, goal, citation and provenance mark, read by [`TargetSet::from_json`] like a
/// user's own file.
pub const TARGET_SET_FILES: [(&str, &str); 6] = [
    (
        "cao-bang-2017",
        include_str!("standard/data/targets/cao-bang-2017.json"),
    ),
    (
        "ntp-2016-2020",
        include_str!("standard/data/targets/ntp-2016-2020.json"),
    ),
    (
        "ntp-2021-2025",
        include_str!("standard/data/targets/ntp-2021-2025.json"),
    ),
    (
        "ntp-2026-2030",
        include_str!("standard/data/targets/ntp-2026-2030.json"),
    ),
    (
        "cao-bang-2024",
        include_str!("standard/data/targets/cao-bang-2024.json"),
    ),
    (
        "cao-bang-2025",
        include_str!("standard/data/targets/cao-bang-2025.json"),
    ),
];

/// The published series as data files (`src/standard/data/series/`), by id: `national` (the
/// yearly review results, 2015–2024, poor and near-poor, counts, ethnic-minority and poor
/// districts) and `cao-bang` (the province's published figures). Each observation carries its
/// source and provenance mark.
pub const SERIES_FILES: [(&str, &str); 2] = [
    (
        "national",
        include_str!("standard/data/series/national.json"),
    ),
    (
        "cao-bang",
        include_str!("standard/data/series/cao-bang.json"),
    ),
];

fn builtin_target_sets() -> &'static [TargetSet] {
    static SETS: std::sync::OnceLock<Vec<TargetSet>> = std::sync::OnceLock::new();
    SETS.get_or_init(|| {
        // The files ship with the crate and are checked by its tests: one that fails is a bug
        // in the crate, said loudly, never a target set quietly missing.
        TARGET_SET_FILES
            .iter()
            .map(|(name, text)| {
                TargetSet::from_json(text)
                    .unwrap_or_else(|e| panic!("bundled target-set file {name} is broken: {e}"))
            })
            .collect()
    })
}

/// The built-in target sets ([the law's structure](crate::docs::law)), in the order of [`TARGET_SET_FILES`]: the Cao
/// Bằng 2017 directive, the NTP 2016–2020, 2021–2025 and 2026–2030, and Cao Bằng's yearly
/// plans for 2024 and 2025.
pub fn builtin_sets() -> Vec<TargetSet> {
    builtin_target_sets().to_vec()
}

/// A built-in target set by id (`cao-bang-2017`, `ntp-2016-2020`, `ntp-2021-2025`,
/// `ntp-2026-2030`, `cao-bang-2024`, `cao-bang-2025`).
///
/// ```
/// let ntp = chuan_ngheo::target::builtin_set("ntp-2021-2025")?;
/// assert!(ntp.target("ntp-2021-2025/national").is_some());
/// # Ok::<(), chuan_ngheo::Error>(())
/// ```
pub fn builtin_set(id: &str) -> Result<&'static TargetSet> {
    builtin_target_sets()
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| {
            Error::from(ErrorKind::InvalidValue {
                field: "target set".into(),
                value: crate::error::excerpt(id),
                reason: crate::error::Reason::new(
                    "not a built-in target set (see target::TARGET_SET_FILES for the ids)",
                    "không phải bộ chỉ tiêu có sẵn (xem target::TARGET_SET_FILES)",
                ),
            })
        })
}

/// A published series by id (`national`, `cao-bang`).
///
/// ```
/// let national = chuan_ngheo::target::published_series("national")?;
/// assert!(national.observations.iter().any(|o| o.year == 2024));
/// # Ok::<(), chuan_ngheo::Error>(())
/// ```
pub fn published_series(id: &str) -> Result<&'static Series> {
    static SERIES: std::sync::OnceLock<Vec<(&'static str, Series)>> = std::sync::OnceLock::new();
    SERIES
        .get_or_init(|| {
            SERIES_FILES
                .iter()
                // Shipped and tested: a broken one is a bug in the crate, said loudly.
                .map(|(id, text)| {
                    let s = Series::from_json(text)
                        .unwrap_or_else(|e| panic!("bundled series file {id} is broken: {e}"));
                    (*id, s)
                })
                .collect()
        })
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, s)| s)
        .ok_or_else(|| {
            Error::from(ErrorKind::InvalidValue {
                field: "series".into(),
                value: crate::error::excerpt(id),
                reason: crate::error::Reason::new(
                    "not a published series (see target::SERIES_FILES for the ids)",
                    "không phải chuỗi số liệu đã công bố (xem target::SERIES_FILES)",
                ),
            })
        })
}

/// A file of observations, as the `targets` example reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// What the figures are and where they come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The observations.
    pub observations: Vec<Observation>,
}

impl Series {
    /// Loads a series from JSON (unknown fields are errors).
    pub fn from_json(text: &str) -> Result<Series> {
        let series: Series = crate::json::from_str(text, "series file")?;
        for o in &series.observations {
            o.validate()?;
            // A file's figures are under the national standards this crate ships; a local
            // standard's series is built in code, where its id is the caller's to know.
            if crate::standard::Standard::builtin(&o.standard).is_err() {
                return Err(Error::from(ErrorKind::UnknownStandard {
                    id: crate::error::excerpt(&o.standard),
                }));
            }
        }
        Ok(series)
    }
}
