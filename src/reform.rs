//! What-if standards: reforms as data, applied to a standard to give a new, validated one, and
//! the differences between two standards.
//!
//! A reform is a list of patches to a base standard, read from JSON (unknown fields are
//! errors). Every value a patch sets is marked with [`Provenance::Reform`] and cited to the
//! reform, so an explanation under the reformed standard can never pass for law.
//!
//! ```
//! use chuan_ngheo::reform::Reform;
//! use chuan_ngheo::{Area, Standard, Vnd};
//!
//! let reform = Reform::from_json(r#"{
//!     "name": "rural-line-plus-10pct",
//!     "base": "vn-2022-2025",
//!     "changes": [{"op": "scale_line", "line": "poverty_line", "rural": "1.10"}]
//! }"#)?;
//! let base = Standard::builtin("vn-2022-2025")?;
//! let what_if = reform.apply(base)?;
//! assert_eq!(what_if.id(), "vn-2022-2025+rural-line-plus-10pct");
//! assert_eq!(what_if.poverty_line(Area::Rural), Vnd::from_dong(1_650_000));
//! assert_eq!(what_if.poverty_line(Area::Urban), Vnd::from_dong(2_000_000));
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::indicator::{Area, ByArea, Indicator};
use crate::money::Vnd;
use crate::standard::{
    Citation, Cited, DocumentKind, IndicatorSpec, IndicatorWeight, Provenance, Standard,
    StandardData, StandardKind,
};

pub use crate::standard::IncomeLine;

/// One change to a standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Patch {
    /// Set a line's values (an area left out keeps its value; a line the standard lacks needs
    /// both).
    SetLine {
        /// Which line.
        line: IncomeLine,
        /// Rural value.
        #[serde(default)]
        rural: Option<Vnd>,
        /// Urban value.
        #[serde(default)]
        urban: Option<Vnd>,
    },
    /// Multiply a line's values by factors (an area left out is unchanged).
    ScaleLine {
        /// Which line.
        line: IncomeLine,
        /// Rural factor.
        #[serde(default, deserialize_with = "crate::decimal::deserialize_option")]
        rural: Option<Decimal>,
        /// Urban factor.
        #[serde(default, deserialize_with = "crate::decimal::deserialize_option")]
        urban: Option<Decimal>,
    },
    /// Remove a line (not the poverty line).
    RemoveLine {
        /// Which line.
        line: IncomeLine,
    },
    /// Set the deprivation cut-off.
    SetCutoff {
        /// The new cut-off.
        value: u32,
    },
    /// Add an indicator.
    AddIndicator {
        /// Its code.
        code: Indicator,
        /// The rule that decides it from household facts (marked as the reform's), if the
        /// reformed standard is to take facts.
        #[serde(default)]
        rule: Option<Box<crate::facts::RuleShape>>,
    },
    /// Replace the rule that decides an indicator from household facts (a floor area of
    /// 10 m² per person instead of 8, health insurance from age 0): the new rule is marked as
    /// the reform's and cited to it.
    SetRule {
        /// The indicator.
        code: Indicator,
        /// When the household is deprived ([facts §2](crate::docs::facts)).
        deprived_when: Box<crate::facts::RuleShape>,
        /// The rule's words in both languages, if the reform gives them (they may write only
        /// the rule's own numbers); without them, the words are described from the rule, so
        /// no explanation keeps the replaced rule's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deprived_if: Option<crate::standard::Text>,
    },
    /// Remove an indicator.
    RemoveIndicator {
        /// Its code.
        code: Indicator,
    },
    /// Set relative Alkire–Foster weights (every indicator needs one).
    SetWeights {
        /// The weights.
        weights: Vec<IndicatorWeight>,
    },
    /// Back to equal weights.
    ClearWeights,
}

/// A what-if reform: patches to a base standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reform {
    /// Short name; the reformed standard's id is `{base}+{name}`.
    pub name: String,
    /// What it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The id of the standard it changes.
    pub base: String,
    /// The changes, applied in order.
    pub changes: Vec<Patch>,
}

impl Reform {
    /// Reads a reform from JSON; unknown fields are errors.
    pub fn from_json(text: &str) -> Result<Reform> {
        crate::json::from_str(text, "reform file")
    }

    /// A reform with one patch.
    pub fn single(name: &str, base: &Standard, patch: Patch) -> Reform {
        Reform {
            name: name.to_owned(),
            description: None,
            base: base.id().to_owned(),
            changes: vec![patch],
        }
    }

    /// The citation every reformed value carries.
    fn citation(&self) -> Citation {
        Citation::doc(DocumentKind::Reform, &self.name)
            .note_in("không phải quy định pháp luật", "not law")
    }

    /// Applies the reform to `base` (which must be the standard it names) and validates the
    /// result.
    pub fn apply(&self, base: &Standard) -> Result<Standard> {
        if base.id() != self.base {
            return Err(Error::from(ErrorKind::StandardMismatch {
                what: "reform and base standard",
                left: self.base.clone(),
                right: base.id().to_owned(),
            }));
        }
        let cit = self.citation();
        let mut d: StandardData = base.data().clone();
        d.id = format!("{}+{}", base.id(), self.name);
        d.kind = StandardKind::Reform;
        d.data_version = format!("{}+{}", base.data_version(), self.name);
        d.legal_basis.push(cit.clone());
        let bad = |field: String, reason: crate::error::Reason, value: String| {
            Error::from(ErrorKind::InvalidValue {
                field,
                value,
                reason,
            })
        };
        for (n, patch) in self.changes.iter().enumerate() {
            let field = |what: &str| format!("changes[{n}].{what}");
            match patch {
                Patch::SetLine { line, rural, urban } => {
                    let current = line.get(&d);
                    let value = match (current, rural, urban) {
                        (Some(c), r, u) => ByArea {
                            rural: r.unwrap_or(c.rural),
                            urban: u.unwrap_or(c.urban),
                        },
                        (None, Some(r), Some(u)) => ByArea {
                            rural: *r,
                            urban: *u,
                        },
                        (None, _, _) => {
                            return Err(bad(
                                field("line"),
                                crate::error::Reason::new(
                                    "the standard has no such line: give both areas",
                                    "chuẩn không có mức chuẩn này: hãy ghi cả hai khu vực",
                                ),
                                line.code().into(),
                            ))
                        }
                    };
                    set_line(
                        &mut d,
                        *line,
                        Cited::new(value, Provenance::Reform, cit.clone()),
                    );
                }
                Patch::ScaleLine { line, rural, urban } => {
                    let Some(c) = line.get(&d) else {
                        return Err(bad(
                            field("line"),
                            crate::error::Reason::new(
                                "the standard has no such line to scale",
                                "chuẩn không có mức chuẩn này để nhân",
                            ),
                            line.code().into(),
                        ));
                    };
                    let scale = |v: Vnd, f: &Option<Decimal>, area: Area| -> Result<Vnd> {
                        match f {
                            None => Ok(v),
                            Some(f) if *f <= Decimal::ZERO => Err(bad(
                                field(area.code()),
                                crate::error::Reason::new("a factor must be > 0", "hệ số phải > 0"),
                                f.to_string(),
                            )),
                            Some(f) => v.checked_scale(*f).ok_or_else(|| {
                                bad(
                                    field(area.code()),
                                    crate::error::Reason::new(
                                        "the scaled line overflows",
                                        "chuẩn sau khi nhân bị tràn số",
                                    ),
                                    f.to_string(),
                                )
                            }),
                        }
                    };
                    let value = ByArea {
                        rural: scale(c.rural, rural, Area::Rural)?,
                        urban: scale(c.urban, urban, Area::Urban)?,
                    };
                    set_line(
                        &mut d,
                        *line,
                        Cited::new(value, Provenance::Reform, cit.clone()),
                    );
                }
                Patch::RemoveLine { line } => match line.slot(&mut d) {
                    Some(slot) => *slot = None,
                    None => {
                        return Err(bad(
                            field("line"),
                            crate::error::Reason::new(
                                "the poverty line cannot be removed",
                                "không thể bỏ chuẩn nghèo",
                            ),
                            line.code().into(),
                        ))
                    }
                },
                Patch::SetCutoff { value } => {
                    d.deprivation_cutoff = Cited::new(*value, Provenance::Reform, cit.clone());
                    // Score B's cut-off is derived from it: the same number of deprivations.
                    if let Some(scores) = &mut d.review_scores {
                        let points = scores.value.points_per_deprivation;
                        scores.value.deprivation_score_cutoff =
                            points.checked_mul(*value).ok_or_else(|| {
                                bad(
                                    field("value"),
                                    crate::error::Reason::new(
                                        "the cut-off is too large",
                                        "ngưỡng quá lớn",
                                    ),
                                    value.to_string(),
                                )
                            })?;
                        scores.provenance = Provenance::Reform;
                        scores.citation = cit.clone();
                    }
                }
                Patch::SetRule {
                    code,
                    deprived_when,
                    deprived_if,
                } => {
                    let spec = d.indicators.iter_mut().find(|i| i.code == *code);
                    let Some(spec) = spec else {
                        return Err(bad(
                            field("code"),
                            crate::error::Reason::new(
                                "the indicator is not in the standard",
                                "chỉ số không có trong chuẩn",
                            ),
                            code.code().into(),
                        ));
                    };
                    spec.rule = Some(crate::facts::FactRule {
                        provenance: Provenance::Reform,
                        citation: Some(cit.clone()),
                        note: None,
                        deprived_when: (**deprived_when).clone(),
                    });
                    spec.deprived_if = Some(
                        deprived_if
                            .clone()
                            .unwrap_or_else(|| crate::facts::words::describe(deprived_when)),
                    );
                }
                Patch::AddIndicator { code, rule } => {
                    if d.indicators.iter().any(|i| i.code == *code) {
                        return Err(bad(
                            field("code"),
                            crate::error::Reason::new(
                                "the indicator is already in the standard",
                                "chỉ số đã có trong chuẩn",
                            ),
                            code.code().into(),
                        ));
                    }
                    d.indicators.push(IndicatorSpec {
                        code: *code,
                        provenance: Provenance::Reform,
                        citation: cit.clone(),
                        deprived_if: rule.as_deref().map(crate::facts::words::describe),
                        rule: rule.as_ref().map(|r| crate::facts::FactRule {
                            provenance: Provenance::Reform,
                            citation: Some(cit.clone()),
                            note: None,
                            deprived_when: (**r).clone(),
                        }),
                    });
                    if let Some(w) = &mut d.af_weights {
                        w.push(IndicatorWeight {
                            code: *code,
                            weight: 1,
                        });
                    }
                }
                Patch::RemoveIndicator { code } => {
                    let before = d.indicators.len();
                    d.indicators.retain(|i| i.code != *code);
                    if d.indicators.len() == before {
                        return Err(bad(
                            field("code"),
                            crate::error::Reason::new(
                                "the indicator is not in the standard",
                                "chỉ số không có trong chuẩn",
                            ),
                            code.code().into(),
                        ));
                    }
                    if let Some(w) = &mut d.af_weights {
                        w.retain(|x| x.code != *code);
                    }
                }
                Patch::SetWeights { weights } => d.af_weights = Some(weights.clone()),
                Patch::ClearWeights => d.af_weights = None,
            }
        }
        // Record what changed, area by area, so that explanations cite the reform only for
        // the values it changed.
        let changed = Standard::new(d.clone())?;
        d.reform_changes = diff(base, &changed).into_iter().map(|x| x.field).collect();
        Standard::new(d)
    }
}

fn set_line(d: &mut StandardData, line: IncomeLine, value: Cited<ByArea<Vnd>>) {
    match line.slot(d) {
        Some(slot) => *slot = Some(value),
        None => d.poverty_line = value,
    }
}

/// One difference between two standards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Difference {
    /// The field (`poverty_line.rural`, `indicators`, `deprivation_cutoff` …).
    pub field: String,
    /// Its value in the first standard.
    pub before: String,
    /// Its value in the second.
    pub after: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} → {}", self.field, self.before, self.after)
    }
}

/// The differences that matter for classification and measurement between two standards.
pub fn diff(a: &Standard, b: &Standard) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut push = |field: String, before: String, after: String| {
        if before != after {
            out.push(Difference {
                field,
                before,
                after,
            });
        }
    };
    let show = |v: Option<Vnd>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
    for line in IncomeLine::ALL {
        let (x, y) = (line.get(a.data()), line.get(b.data()));
        for area in Area::ALL {
            push(
                format!("{}.{}", line.code(), area),
                show(x.map(|l| *l.get(area))),
                show(y.map(|l| *l.get(area))),
            );
        }
    }
    push(
        "deprivation_cutoff".into(),
        a.deprivation_cutoff().to_string(),
        b.deprivation_cutoff().to_string(),
    );
    let list = |s: crate::indicator::IndicatorSet| {
        if s.is_empty() {
            "none".to_owned()
        } else {
            s.iter().map(Indicator::code).collect::<Vec<_>>().join(", ")
        }
    };
    let (ia, ib) = (a.indicators(), b.indicators());
    let (removed, added) = (ia.difference(ib), ib.difference(ia));
    if !removed.is_empty() {
        push("indicators removed".into(), list(removed), "—".into());
    }
    if !added.is_empty() {
        push("indicators added".into(), "—".into(), list(added));
    }
    push(
        "indicator count".into(),
        ia.len().to_string(),
        ib.len().to_string(),
    );
    let scores = |s: &Standard| {
        s.data().review_scores.as_ref().map_or_else(
            || "none".to_owned(),
            |r| {
                let v = &r.value;
                let near = v.near_poverty_score.map_or(String::new(), |n| {
                    format!(", A ≤ {}/{} with B", n.rural, n.urban)
                });
                format!(
                    "A ≤ {}/{} (rural/urban){near}, B ≥ {} at {} a deprivation",
                    v.poverty_score.rural,
                    v.poverty_score.urban,
                    v.deprivation_score_cutoff,
                    v.points_per_deprivation
                )
            },
        )
    };
    push("review_scores".into(), scores(a), scores(b));
    // Fact rules of the indicators both standards have, compared as written.
    let rule = |s: &Standard, i: Indicator| {
        s.indicator_specs()
            .iter()
            .find(|x| x.code == i)
            .and_then(|x| x.rule.as_ref())
            .map_or_else(
                || "none".to_owned(),
                |r| serde_json::to_string(&r.deprived_when).unwrap_or_default(),
            )
    };
    for i in ia.intersection(ib).iter() {
        push(
            format!("indicators.{}.rule", i.code()),
            rule(a, i),
            rule(b, i),
        );
    }
    let weights = |s: &Standard| {
        s.data().af_weights.as_ref().map_or_else(
            || "equal".to_owned(),
            |w| {
                w.iter()
                    .map(|x| format!("{}={}", x.code, x.weight))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        )
    };
    push("af_weights".into(), weights(a), weights(b));
    out
}
