//! Exit paths for one household: how far it is from each line, the smallest income gain that
//! moves it up a class, and the fewest deprivations to resolve to leave poverty — the questions
//! a commune officer asks of households that register to escape poverty. And the "cliff": a
//! household within a given distance of a line.
//!
//! Every suggestion is checked by classifying the changed household, so applying it really
//! gives the stated class.
//!
//! ```
//! use chuan_ngheo::exit::exit_paths;
//! use chuan_ngheo::{Area, Household, Indicator, IndicatorSet, PovertyClass, Standard, Vnd};
//!
//! let s = Standard::builtin("vn-2022-2025")?;
//! let h = Household::new(Area::Rural, 4, Vnd::from_dong(1_400_000)).with_deprivations(
//!     IndicatorSet::from_iter([Indicator::Water, Indicator::Sanitation, Indicator::Telecom, Indicator::Nutrition]),
//! );
//! let p = exit_paths(s, &h)?;
//! assert_eq!(p.class, PovertyClass::Poor);
//! let gain = p.income_gain.unwrap();
//! assert_eq!(gain.gain, Vnd::from_dong(100_001)); // one đồng over the 1,500,000 line
//! assert_eq!(gain.to, PovertyClass::AverageLivingStandard);
//! let resolve = p.resolve.unwrap();
//! assert_eq!(resolve.count, 2); // 4 deprivations, cut-off 3: resolve 2 to be near-poor
//! assert_eq!(resolve.to, PovertyClass::NearPoor);
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

use rust_decimal::Decimal;
use serde::Serialize;

use crate::classify::{classify, PovertyClass, Rule};
use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::household::Household;
use crate::indicator::IndicatorSet;
use crate::money::Vnd;
use crate::standard::IncomeLine;
use crate::standard::Standard;

/// A household's distance to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Distance {
    /// Which line.
    pub line: IncomeLine,
    /// The line's value for the household's area.
    pub value: Vnd,
    /// The line − income: positive when the income is at or under the line by that much.
    pub under_by: Vnd,
}

/// The smallest income gain that moves the household up a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IncomeStep {
    /// The gain, VND per person per month, in whole đồng.
    pub gain: Vnd,
    /// The income after it.
    pub new_income: Vnd,
    /// The line crossed.
    pub line: IncomeLine,
    /// The class after it.
    pub to: PovertyClass,
}

/// The fewest deprivations to resolve to leave poverty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResolveStep {
    /// How many.
    pub count: u32,
    /// One choice of that many (the standard counts indicators equally, so any of the
    /// household's deprivations will do; these are the first in code order).
    pub suggested: IndicatorSet,
    /// The class after resolving them.
    pub to: PovertyClass,
}

/// What would change a household's class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ExitPaths {
    /// The class now.
    pub class: PovertyClass,
    /// The rule that decided it.
    pub rule: Rule,
    /// Distance to every line the standard has, lowest line first.
    pub distances: Vec<Distance>,
    /// The smallest income gain that gives a better class, if any does.
    pub income_gain: Option<IncomeStep>,
    /// For a household poor by deprivation: the fewest deprivations to resolve to leave
    /// poverty. `None` where deprivations do not decide (poor by income alone, or not poor).
    pub resolve: Option<ResolveStep>,
}

/// The exit paths of an income-based household under a standard.
pub fn exit_paths(standard: &Standard, household: &Household) -> Result<ExitPaths> {
    let Some(income) = household.income() else {
        return Err(Error::from(ErrorKind::Incomparable {
            why: crate::Incompatibility::NeedsIncome {
                measure: "exit paths",
            },
        }));
    };
    let now = classify(standard, household)?;
    let all = IncomeLine::values(standard, household.area);
    let distances = all
        .iter()
        .map(|(line, value)| Distance {
            line: *line,
            value: *value,
            // Beyond the decimal range, the difference saturates on its own side.
            under_by: value
                .checked_sub(income)
                .unwrap_or(Vnd::new(if *value > income {
                    Decimal::MAX
                } else {
                    Decimal::MIN
                })),
        })
        .collect();
    // The lowest line above which the class gets better: one whole đồng over it.
    let mut income_gain = None;
    if let Some(rank) = now.class().rank() {
        for (line, value) in &all {
            if *value < income {
                continue;
            }
            // A line at the top of the decimal range leaves no whole đồng above it.
            let Some(gain) = value
                .checked_sub(income)
                .and_then(|gap| gap.amount().floor().checked_add(Decimal::ONE))
                .map(Vnd::new)
            else {
                break;
            };
            let Some(new_income) = income.checked_add(gain) else {
                break;
            };
            let after = classify(standard, &household.with_income(new_income))?.class();
            if after.rank().is_some_and(|r| r > rank) {
                income_gain = Some(IncomeStep {
                    gain,
                    new_income,
                    line: *line,
                    to: after,
                });
                break;
            }
        }
    }
    let resolve = match now.rule() {
        Rule::PoorByDeprivation => {
            let d = household.deprivations();
            let count = d.len() + 1 - standard.deprivation_cutoff();
            let suggested: IndicatorSet = d.iter().take(count as usize).collect();
            let to = classify(
                standard,
                &household.with_deprivations(d.difference(suggested)),
            )?
            .class();
            Some(ResolveStep {
                count,
                suggested,
                to,
            })
        }
        _ => None,
    };
    Ok(ExitPaths {
        class: now.class(),
        rule: now.rule(),
        distances,
        income_gain,
        resolve,
    })
}

/// A household within `within` of a line (either side): the cliff where a small change of
/// income changes the class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cliff {
    /// The nearest line.
    pub line: IncomeLine,
    /// Its value for the household's area.
    pub value: Vnd,
    /// |income − line|.
    pub distance: Vnd,
    /// Whether the income is at or under the line.
    pub at_or_under: bool,
}

/// The nearest line within `within` of the household's income, if any.
pub fn cliff(standard: &Standard, household: &Household, within: Vnd) -> Result<Option<Cliff>> {
    let Some(income) = household.income() else {
        return Err(Error::from(ErrorKind::Incomparable {
            why: crate::Incompatibility::NeedsIncome {
                measure: "the cliff's distances",
            },
        }));
    };
    within.non_negative("within")?;
    Ok(IncomeLine::values(standard, household.area)
        .into_iter()
        // A difference beyond the decimal range is no cliff within any `within`.
        .filter_map(|(line, value)| {
            let diff = value.amount().checked_sub(income.amount())?;
            Some(Cliff {
                line,
                value,
                distance: Vnd::new(diff.abs()),
                at_or_under: diff >= Decimal::ZERO,
            })
        })
        .filter(|c| c.distance <= within)
        .min_by_key(|c| c.distance))
}
