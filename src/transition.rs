//! Household status between yearly reviews ([the law](crate::docs::law)): escaped poverty (thoát nghèo),
//! escaped near-poverty (thoát cận nghèo), newly poor (phát sinh mới), newly near-poor, fell
//! back into poverty (tái nghèo: poor in an earlier review, out later, poor again), stayed.
//! Households in only one of two reviews are reported as left or new, never dropped.
//!
//! The outcomes are reported by the reviews (`[C]`); their exact definitions are `[U]`, so the ones
//! used here are stated on [`Status`].
//!
//! ```
//! use chuan_ngheo::transition::{transitions, Review, Status};
//! use chuan_ngheo::PovertyClass::*;
//!
//! let y2022 = Review::new(2022, [("a", Poor), ("b", NearPoor), ("c", NotPoor)])?;
//! let y2023 = Review::new(2023, [("a", NearPoor), ("b", NotPoor), ("d", Poor)])?;
//! let t = transitions(&[y2022, y2023])?;
//! let step = &t.steps[0];
//! assert_eq!(step.status_of("a"), Some(Status::EscapedPoverty));
//! assert_eq!(step.status_of("b"), Some(Status::EscapedNearPoverty));
//! assert_eq!(step.status_of("c"), Some(Status::Left));
//! assert_eq!(step.status_of("d"), Some(Status::New));
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::classify::{ClassMatrix, PovertyClass};
use crate::error::ErrorKind;
use crate::error::{Error, Result};

/// One yearly review: each household's class, by id.
#[derive(Debug, Clone)]
pub struct Review {
    /// The review's year.
    pub year: i32,
    classes: HashMap<String, PovertyClass>,
    order: Vec<String>,
}

impl Review {
    /// A review from (id, class) pairs. A household listed twice in one review is an error
    /// (which of its classes would count?), and so is a year outside 1900–2200.
    pub fn new<I, S>(year: i32, households: I) -> Result<Review>
    where
        I: IntoIterator<Item = (S, PovertyClass)>,
        S: Into<String>,
    {
        let mut r = Review {
            year: crate::year::check("review.year", year)?,
            classes: HashMap::new(),
            order: Vec::new(),
        };
        for (id, class) in households {
            let id = id.into();
            if r.classes.contains_key(&id) {
                return Err(Error::from(ErrorKind::InvalidValue {
                    field: format!("review {year}: id"),
                    value: crate::error::excerpt(&id),
                    reason: crate::error::Reason::new(
                        "a household appears twice in one review",
                        "một hộ xuất hiện hai lần trong một lần rà soát",
                    ),
                }));
            }
            r.classes.insert(id.clone(), class);
            r.order.push(id);
        }
        Ok(r)
    }

    /// The class of a household, if reviewed.
    pub fn class_of(&self, id: &str) -> Option<PovertyClass> {
        self.classes.get(id).copied()
    }

    /// The number of households.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the review is empty.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// A household's status from one review to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Poor before, not poor now (near-poor or better).
    EscapedPoverty,
    /// Near-poor before, above near-poverty now.
    EscapedNearPoverty,
    /// Not poor before, poor now, and never poor in an earlier review.
    NewlyPoor,
    /// Neither poor nor near-poor before, near-poor now.
    NewlyNearPoor,
    /// Not poor before, poor now, and poor in some earlier review (tái nghèo).
    FellBack,
    /// Poor in both.
    StayedPoor,
    /// Near-poor in both.
    StayedNearPoor,
    /// Above near-poverty in both (average living standard or not poor, either way).
    StayedOut,
    /// Indeterminate in one of the two reviews.
    Undetermined,
    /// In the earlier review only.
    Left,
    /// In the later review only.
    New,
}

impl Status {
    /// Vietnamese name.
    pub fn name_vi(self) -> &'static str {
        match self {
            Status::EscapedPoverty => "thoát nghèo",
            Status::EscapedNearPoverty => "thoát cận nghèo",
            Status::NewlyPoor => "hộ nghèo phát sinh mới",
            Status::NewlyNearPoor => "hộ cận nghèo phát sinh mới",
            Status::FellBack => "tái nghèo",
            Status::StayedPoor => "vẫn nghèo",
            Status::StayedNearPoor => "vẫn cận nghèo",
            Status::StayedOut => "vẫn ngoài nghèo, cận nghèo",
            Status::Undetermined => "chưa xác định",
            Status::Left => "không còn trong danh sách",
            Status::New => "mới vào danh sách",
        }
    }
}

fn is_out(c: PovertyClass) -> bool {
    matches!(
        c,
        PovertyClass::AverageLivingStandard | PovertyClass::NotPoor
    )
}

/// The status of a household classified `from` then `to`; `was_poor_before` says whether it
/// was poor in any review before `from`.
pub fn status(from: PovertyClass, to: PovertyClass, was_poor_before: bool) -> Status {
    use PovertyClass::*;
    match (from, to) {
        (Indeterminate, _) | (_, Indeterminate) => Status::Undetermined,
        (Poor, Poor) => Status::StayedPoor,
        (Poor, _) => Status::EscapedPoverty,
        (_, Poor) if was_poor_before => Status::FellBack,
        (_, Poor) => Status::NewlyPoor,
        (NearPoor, NearPoor) => Status::StayedNearPoor,
        (NearPoor, _) => Status::EscapedNearPoverty,
        (_, NearPoor) => Status::NewlyNearPoor,
        (a, b) if is_out(a) && is_out(b) => Status::StayedOut,
        _ => Status::Undetermined,
    }
}

/// One household's move between two reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct HouseholdTransition {
    /// The id.
    pub id: String,
    /// Class in the earlier review.
    pub from: Option<PovertyClass>,
    /// Class in the later review.
    pub to: Option<PovertyClass>,
    /// The status.
    pub status: Status,
}

/// The moves from one review to the next.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Step {
    /// Earlier year.
    pub from_year: i32,
    /// Later year.
    pub to_year: i32,
    /// Every household of either review, exactly once: the earlier review's order, then the
    /// new ones in the later review's order.
    pub households: Vec<HouseholdTransition>,
    /// Households per status.
    pub counts: BTreeMap<Status, u64>,
    /// Class transition matrix: `matrix[from][to]`, indexed by [`PovertyClass::index`] with
    /// index 5 for "not in that review".
    pub matrix: ClassMatrix,
}

impl Step {
    /// The status of a household.
    pub fn status_of(&self, id: &str) -> Option<Status> {
        self.households
            .iter()
            .find(|h| h.id == id)
            .map(|h| h.status)
    }

    /// Counts per status by group (a household without a group is under `""`).
    pub fn counts_by_group(
        &self,
        group_of: &HashMap<String, String>,
    ) -> BTreeMap<String, BTreeMap<Status, u64>> {
        let mut out: BTreeMap<String, BTreeMap<Status, u64>> = BTreeMap::new();
        for h in &self.households {
            let g = group_of.get(&h.id).cloned().unwrap_or_default();
            *out.entry(g).or_default().entry(h.status).or_default() += 1;
        }
        out
    }
}

/// Transitions over a sequence of reviews, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct Transitions {
    /// One step per pair of consecutive reviews.
    pub steps: Vec<Step>,
}

/// The transitions between consecutive reviews. "Fell back" looks at every review before the
/// step, so give all the years you have, oldest first: reviews out of order (or two of one
/// year) are an error, since "escaped" and "newly poor" depend on which came first.
pub fn transitions(reviews: &[Review]) -> Result<Transitions> {
    for w in reviews.windows(2) {
        if w[1].year <= w[0].year {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: "reviews".into(),
                value: format!("{} after {}", w[1].year, w[0].year),
                reason: crate::error::Reason::new(
                    "reviews must be given oldest first, one per year",
                    "các lần rà soát phải theo thứ tự từ cũ đến mới, mỗi năm một lần",
                ),
            }));
        }
    }
    let mut ever_poor: HashSet<&str> = HashSet::new();
    let mut steps = Vec::new();
    for w in reviews.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let mut households = Vec::with_capacity(a.len() + b.len());
        let mut counts = BTreeMap::new();
        let mut matrix = ClassMatrix::default();
        let mut push =
            |id: &str, from: Option<PovertyClass>, to: Option<PovertyClass>, status: Status| {
                matrix.add(from, to);
                *counts.entry(status).or_default() += 1;
                households.push(HouseholdTransition {
                    id: id.to_owned(),
                    from,
                    to,
                    status,
                });
            };
        for id in &a.order {
            let from = a.classes[id];
            match b.class_of(id) {
                Some(to) => push(
                    id,
                    Some(from),
                    Some(to),
                    status(from, to, ever_poor.contains(id.as_str())),
                ),
                None => push(id, Some(from), None, Status::Left),
            }
        }
        for id in &b.order {
            if !a.classes.contains_key(id) {
                push(id, None, Some(b.classes[id]), Status::New);
            }
        }
        for (id, c) in &a.classes {
            if *c == PovertyClass::Poor {
                ever_poor.insert(id);
            }
        }
        steps.push(Step {
            from_year: a.year,
            to_year: b.year,
            households,
            counts,
            matrix,
        });
    }
    Ok(Transitions { steps })
}
