//! Indicator rules as data ([facts §2](crate::docs::facts)), their check against the fact
//! vocabulary, and their three-valued evaluation (facts §3).
//!
//! The vocabulary is small and closed: five shapes, combined by `all_of` and `any_of`.
//! - `any_member`: some member in an age band meets every test of a clause;
//! - `share_of_members`: the members meeting any of some clauses are more than a share;
//! - `structures_at_least`: at least k of some household facts have one of some values;
//! - `household`: every test of a clause on household facts holds;
//! - `floor_area_per_person_below`: the floor area is under a number of m² per member.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::types::{HouseholdFact, HouseholdFacts, MemberFact, MemberFacts, ValueKind, MAX_AGE};
use super::Witness;
use crate::error::{Error, Result};
use crate::indicator::{Answer, Indicator};
use crate::standard::{Citation, Provenance, Text};

/// An indicator's rule (quy tắc xác định thiếu hụt) as data: its shape, how sure we are of
/// it, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactRule {
    /// How sure we are of the rule (its ages, thresholds, lists). Every explanation built on
    /// it shows this mark.
    pub provenance: Provenance,
    /// Where the rule comes from, when it is not the indicator's own citation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    /// What a reviewer should know about the rule's sources (a list from a secondary source,
    /// say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// When the household is deprived.
    pub deprived_when: RuleShape,
}

/// When a household is deprived in an indicator: one of the closed rule shapes of this module,
/// or a combination of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleShape {
    /// Some member meets the clause.
    AnyMember(MemberClause),
    /// The members meeting any of the clauses are more than a share of all members.
    ShareOfMembers(ShareOfMembers),
    /// At least `count` of the named household facts have one of the values.
    StructuresAtLeast(StructuresAtLeast),
    /// Every test on household facts holds.
    Household(HouseholdClause),
    /// `floor_area_m2` < this × members (m² per person).
    FloorAreaPerPersonBelow(Decimal),
    /// Every part holds.
    AllOf(Vec<RuleShape>),
    /// Some part holds.
    AnyOf(Vec<RuleShape>),
}

/// An inclusive band of ages: `{"from": 16, "to": 30}`; a missing end is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    /// Lowest age in the band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<u8>,
    /// Highest age in the band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<u8>,
}

/// A test on one fact: `true`/`false` for a yes-or-no fact, a list of codes the value must be
/// in, `{"not_in": […]}`, or, for `devices`, `{"none_of": […]}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FactTest {
    /// The yes-or-no fact has this value.
    Is(bool),
    /// The value is one of these codes.
    In(Vec<String>),
    /// The value is none of these codes.
    NotIn {
        /// The codes.
        not_in: Vec<String>,
    },
    /// The set (`devices`) holds none of these codes.
    NoneOf {
        /// The codes.
        none_of: Vec<String>,
    },
}

/// A condition on one member: in the age band (if given) and every fact test holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberClause {
    /// The age band the member must be in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeBand>,
    /// Tests on the member's facts, by fact name.
    #[serde(default)]
    pub facts: BTreeMap<String, FactTest>,
}

/// A condition on household facts: every test holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HouseholdClause(pub BTreeMap<String, FactTest>);

/// The `share_of_members` shape: counted members more than `more_than` × members.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareOfMembers {
    /// A member counts when any of these holds (a dependant: under 16, or a social
    /// allowance).
    pub counted_if_any: Vec<MemberClause>,
    /// The share (0 to 1, at most 9 decimals) the counted members must exceed.
    pub more_than: Decimal,
}

/// The `structures_at_least` shape: at least `count` of `of` are one of `are`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructuresAtLeast {
    /// How many must be.
    pub count: u8,
    /// The household facts (`walls`, `pillars`, `roof`).
    pub of: Vec<String>,
    /// The values that count (`non_durable`).
    pub are: Vec<String>,
}

// ---- Compiled form: checked against the vocabulary, masks instead of names ----

/// A member test compiled: the fact's value index must be in `mask`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct MemberTest {
    fact: MemberFact,
    mask: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CompiledClause {
    from: u8,
    to: u8,
    banded: bool,
    tests: Box<[MemberTest]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum HouseholdTest {
    /// The value's bit in the mask.
    Mask(HouseholdFact, u16),
    /// The device set shares no bit with the mask.
    NoDevice(u8),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Leaf {
    AnyMember(CompiledClause),
    Share {
        counted: Box<[CompiledClause]>,
        /// The share as an integer over 10^9.
        share_e9: i128,
    },
    AtLeast {
        of: Box<[HouseholdFact]>,
        mask: u16,
        count: u8,
    },
    Household(Box<[HouseholdTest]>),
    AreaBelow(Decimal),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    Leaf(u8),
    AllOf(Box<[Node]>),
    AnyOf(Box<[Node]>),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CompiledRule {
    root: Node,
    pub(crate) leaves: Box<[Leaf]>,
}

/// Every indicator rule of a standard, compiled, in the standard's indicator order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CompiledRules {
    rules: Box<[(Indicator, CompiledRule)]>,
}

/// How a leaf of the rule is written, for explanations.
pub(crate) fn leaves(shape: &RuleShape) -> Vec<&RuleShape> {
    fn walk<'a>(s: &'a RuleShape, out: &mut Vec<&'a RuleShape>) {
        match s {
            RuleShape::AllOf(parts) | RuleShape::AnyOf(parts) => {
                parts.iter().for_each(|p| walk(p, out))
            }
            leaf => out.push(leaf),
        }
    }
    let mut out = Vec::new();
    walk(shape, &mut out);
    out
}

impl CompiledRules {
    /// Compiles every rule; `Ok(None)` if some indicator has none (the standard then takes
    /// deprivations only). `path` names each rule in errors (`indicators.water.rule…`).
    pub(crate) fn compile(
        rules: &[(Indicator, Option<&FactRule>)],
        bad: &dyn Fn(&str, String) -> Error,
    ) -> Result<Option<CompiledRules>> {
        let mut out = Vec::with_capacity(rules.len());
        let mut complete = true;
        for (indicator, rule) in rules {
            let Some(rule) = rule else {
                complete = false;
                continue;
            };
            let path = format!("indicators.{}.rule.deprived_when", indicator.code());
            let mut leaves = Vec::new();
            let root = compile_node(&rule.deprived_when, &path, &mut leaves, bad, 0)?;
            out.push((
                *indicator,
                CompiledRule {
                    root,
                    leaves: leaves.into(),
                },
            ));
        }
        Ok(complete.then(|| CompiledRules { rules: out.into() }))
    }

    /// The compiled leaf `i` of an indicator's rule.
    pub(crate) fn leaf(&self, indicator: Indicator, i: usize) -> Option<&Leaf> {
        self.rules
            .iter()
            .find(|(k, _)| *k == indicator)
            .and_then(|(_, r)| r.leaves.get(i))
    }

    /// Evaluates every rule, calling `found` with each indicator's answer and witness.
    #[inline]
    pub(crate) fn evaluate(
        &self,
        facts: &HouseholdFacts,
        mut found: impl FnMut(Indicator, Answer, Witness),
    ) {
        for (indicator, rule) in self.rules.iter() {
            let (tri, witness) = eval_node(&rule.root, &rule.leaves, facts);
            found(*indicator, tri.answer(), witness);
        }
    }
}

fn compile_node(
    shape: &RuleShape,
    path: &str,
    leaves: &mut Vec<Leaf>,
    bad: &dyn Fn(&str, String) -> Error,
    depth: usize,
) -> Result<Node> {
    if depth > 8 {
        return Err(bad(path, "rules nest at most 8 deep".into()));
    }
    let mut parts = |parts: &[RuleShape], name: &str| -> Result<Box<[Node]>> {
        if parts.is_empty() {
            return Err(bad(
                &format!("{path}.{name}"),
                "needs at least one part".into(),
            ));
        }
        parts
            .iter()
            .enumerate()
            .map(|(i, p)| compile_node(p, &format!("{path}.{name}[{i}]"), leaves, bad, depth + 1))
            .collect()
    };
    let leaf = match shape {
        RuleShape::AllOf(p) => return Ok(Node::AllOf(parts(p, "all_of")?)),
        RuleShape::AnyOf(p) => return Ok(Node::AnyOf(parts(p, "any_of")?)),
        RuleShape::AnyMember(c) => {
            Leaf::AnyMember(compile_clause(c, &format!("{path}.any_member"), bad)?)
        }
        RuleShape::ShareOfMembers(s) => {
            let p = format!("{path}.share_of_members");
            if s.counted_if_any.is_empty() {
                return Err(bad(
                    &format!("{p}.counted_if_any"),
                    "needs at least one clause".into(),
                ));
            }
            let share = s.more_than;
            if share.is_sign_negative() || share > Decimal::ONE || share.scale() > 9 {
                return Err(bad(
                    &format!("{p}.more_than"),
                    format!("must be a share from 0 to 1 with at most 9 decimals, got {share}"),
                ));
            }
            let mut e9 = share;
            e9.rescale(9);
            let counted = s
                .counted_if_any
                .iter()
                .enumerate()
                .map(|(i, c)| compile_clause(c, &format!("{p}.counted_if_any[{i}]"), bad))
                .collect::<Result<_>>()?;
            Leaf::Share {
                counted,
                share_e9: e9.mantissa(),
            }
        }
        RuleShape::StructuresAtLeast(s) => {
            let p = format!("{path}.structures_at_least");
            let mut of = Vec::new();
            let mut codes: Option<&'static [&'static str]> = None;
            for name in &s.of {
                let fact = HouseholdFact::from_code(name).ok_or_else(|| {
                    bad(
                        &format!("{p}.of"),
                        format!("unknown household fact {name:?}"),
                    )
                })?;
                let ValueKind::Enum(c) = fact.kind() else {
                    return Err(bad(
                        &format!("{p}.of"),
                        format!("{name} is not a fact with coded values"),
                    ));
                };
                if codes.is_some_and(|k| k != c) {
                    return Err(bad(
                        &format!("{p}.of"),
                        "the facts must share one set of values".into(),
                    ));
                }
                if of.contains(&fact) {
                    return Err(bad(&format!("{p}.of"), format!("{name} is listed twice")));
                }
                codes = Some(c);
                of.push(fact);
            }
            let Some(codes) = codes else {
                return Err(bad(&format!("{p}.of"), "needs at least one fact".into()));
            };
            if s.count == 0 || s.count as usize > of.len() {
                return Err(bad(
                    &format!("{p}.count"),
                    format!(
                        "must be 1 to {} (the facts listed), got {}",
                        of.len(),
                        s.count
                    ),
                ));
            }
            let mask = mask_of(codes, &s.are, &format!("{p}.are"), bad)?;
            Leaf::AtLeast {
                of: of.into(),
                mask,
                count: s.count,
            }
        }
        RuleShape::Household(HouseholdClause(tests)) => {
            let p = format!("{path}.household");
            if tests.is_empty() {
                return Err(bad(&p, "needs at least one test".into()));
            }
            let mut out = Vec::new();
            for (name, test) in tests {
                let fact = HouseholdFact::from_code(name)
                    .ok_or_else(|| bad(&p, format!("unknown household fact {name:?}")))?;
                let tp = format!("{p}.{name}");
                out.push(match (fact.kind(), test) {
                    (ValueKind::Devices, FactTest::NoneOf { none_of }) => {
                        let codes: Vec<&str> =
                            super::types::Device::ALL.iter().map(|d| d.code()).collect();
                        HouseholdTest::NoDevice(mask_of(&codes, none_of, &tp, bad)? as u8)
                    }
                    (ValueKind::Devices, _) => {
                        return Err(bad(
                            &tp,
                            "devices is tested with {\"none_of\": [...]}".into(),
                        ))
                    }
                    (ValueKind::Number, _) => {
                        return Err(bad(
                            &tp,
                            "the floor area is tested with floor_area_per_person_below".into(),
                        ))
                    }
                    (kind, test) => HouseholdTest::Mask(fact, test_mask(kind, test, &tp, bad)?),
                });
            }
            Leaf::Household(out.into())
        }
        RuleShape::FloorAreaPerPersonBelow(m2) => {
            if m2.is_sign_negative() && !m2.is_zero() {
                return Err(bad(
                    &format!("{path}.floor_area_per_person_below"),
                    format!("must be >= 0 m², got {m2}"),
                ));
            }
            Leaf::AreaBelow(*m2)
        }
    };
    if leaves.len() >= u8::MAX as usize {
        return Err(bad(path, "a rule has at most 254 parts".into()));
    }
    leaves.push(leaf);
    Ok(Node::Leaf((leaves.len() - 1) as u8))
}

fn compile_clause(
    c: &MemberClause,
    path: &str,
    bad: &dyn Fn(&str, String) -> Error,
) -> Result<CompiledClause> {
    let (from, to) = match c.age {
        Some(b) => (b.from.unwrap_or(0), b.to.unwrap_or(MAX_AGE)),
        None => (0, MAX_AGE),
    };
    if from > MAX_AGE || to > MAX_AGE || from > to {
        return Err(bad(
            &format!("{path}.age"),
            format!("must be a band within 0-130 with from <= to, got {from}-{to}"),
        ));
    }
    if c.age.is_none() && c.facts.is_empty() {
        return Err(bad(path, "needs an age band or a fact test".into()));
    }
    let mut tests = Vec::new();
    for (name, test) in &c.facts {
        let fact = MemberFact::from_code(name).ok_or_else(|| {
            bad(
                &format!("{path}.facts"),
                format!("unknown member fact {name:?}"),
            )
        })?;
        let tp = format!("{path}.facts.{name}");
        if fact == MemberFact::Age {
            return Err(bad(
                &tp,
                "ages are tested with the clause's age band".into(),
            ));
        }
        tests.push(MemberTest {
            fact,
            mask: test_mask(fact.kind(), test, &tp, bad)?,
        });
    }
    Ok(CompiledClause {
        from,
        to,
        banded: c.age.is_some(),
        tests: tests.into(),
    })
}

fn test_mask(
    kind: ValueKind,
    test: &FactTest,
    path: &str,
    bad: &dyn Fn(&str, String) -> Error,
) -> Result<u16> {
    match (kind, test) {
        (ValueKind::Bool, FactTest::Is(v)) => Ok(1 << u8::from(*v)),
        (ValueKind::Bool, _) => Err(bad(
            path,
            "a yes-or-no fact is tested with true or false".into(),
        )),
        (ValueKind::Enum(codes), FactTest::In(list)) => mask_of(codes, list, path, bad),
        (ValueKind::Enum(codes), FactTest::NotIn { not_in }) => {
            let all = (1u16 << codes.len()) - 1;
            Ok(all & !mask_of(codes, not_in, path, bad)?)
        }
        (ValueKind::Enum(_), _) => Err(bad(
            path,
            "a coded fact is tested with a list of codes or {\"not_in\": [...]}".into(),
        )),
        _ => Err(bad(path, "this fact cannot be tested this way".into())),
    }
}

fn mask_of(
    codes: &[&str],
    list: &[String],
    path: &str,
    bad: &dyn Fn(&str, String) -> Error,
) -> Result<u16> {
    let mut mask = 0u16;
    for code in list {
        let i = codes.iter().position(|c| c == code).ok_or_else(|| {
            bad(
                path,
                format!(
                    "unknown code {code:?}, expected one of {}",
                    codes.join(", ")
                ),
            )
        })?;
        mask |= 1 << i;
    }
    Ok(mask)
}

// ---- Three-valued evaluation ----

/// False, true or unknown: the logic of facts §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    False,
    True,
    Unknown,
}

impl Tri {
    fn answer(self) -> Answer {
        match self {
            Tri::True => Answer::Deprived,
            Tri::False => Answer::NotDeprived,
            Tri::Unknown => Answer::Unknown,
        }
    }
}

impl CompiledClause {
    /// The clause for one member: false when any part is known false, true when all are
    /// known true, unknown otherwise.
    #[inline(always)]
    pub(crate) fn test(&self, m: &MemberFacts) -> Tri {
        let mut unknown = false;
        if self.banded {
            match m.age {
                Some(a) if a < self.from || a > self.to => return Tri::False,
                Some(_) => {}
                None => unknown = true,
            }
        }
        for t in self.tests.iter() {
            match m.value(t.fact) {
                Some(v) if t.mask & (1 << v) == 0 => return Tri::False,
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown {
            Tri::Unknown
        } else {
            Tri::True
        }
    }
}

#[inline(always)]
fn household_test(t: &HouseholdTest, f: &HouseholdFacts) -> Tri {
    match *t {
        HouseholdTest::Mask(fact, mask) => match f.value(fact) {
            Some(v) if mask & (1 << v) != 0 => Tri::True,
            Some(_) => Tri::False,
            None => Tri::Unknown,
        },
        HouseholdTest::NoDevice(mask) => match f.devices {
            Some(d) if d.bits() & mask == 0 => Tri::True,
            Some(_) => Tri::False,
            None => Tri::Unknown,
        },
    }
}

pub(crate) fn eval_leaf_public(leaf: &Leaf, f: &HouseholdFacts) -> (Tri, u32, u32, u32) {
    eval_leaf(leaf, f)
}

#[inline]
fn eval_leaf(leaf: &Leaf, f: &HouseholdFacts) -> (Tri, u32, u32, u32) {
    const NO: u32 = u32::MAX;
    match leaf {
        Leaf::AnyMember(c) => {
            let mut first_unknown = NO;
            for (i, m) in f.members.iter().enumerate() {
                match c.test(m) {
                    Tri::True => return (Tri::True, i as u32, 0, 0),
                    Tri::Unknown if first_unknown == NO => first_unknown = i as u32,
                    _ => {}
                }
            }
            if first_unknown == NO {
                (Tri::False, NO, 0, 0)
            } else {
                (Tri::Unknown, first_unknown, 0, 0)
            }
        }
        Leaf::Share { counted, share_e9 } => {
            let (mut sure, mut maybe) = (0u32, 0u32);
            for m in f.members.iter() {
                let mut t = Tri::False;
                for c in counted.iter() {
                    match c.test(m) {
                        Tri::True => {
                            t = Tri::True;
                            break;
                        }
                        Tri::Unknown => t = Tri::Unknown,
                        Tri::False => {}
                    }
                }
                match t {
                    Tri::True => sure += 1,
                    Tri::Unknown => maybe += 1,
                    Tri::False => {}
                }
            }
            // counted > share × n, exactly: counted × 10^9 > share_e9 × n.
            let n = f.members.len() as i128;
            let above = |k: u32| (k as i128) * 1_000_000_000 > share_e9 * n;
            let tri = if above(sure) {
                Tri::True
            } else if !above(sure + maybe) {
                Tri::False
            } else {
                Tri::Unknown
            };
            (tri, NO, sure, maybe)
        }
        Leaf::AtLeast { of, mask, count } => {
            let (mut sure, mut maybe) = (0u32, 0u32);
            for fact in of.iter() {
                match f.value(*fact) {
                    Some(v) if mask & (1 << v) != 0 => sure += 1,
                    Some(_) => {}
                    None => maybe += 1,
                }
            }
            let count = *count as u32;
            let tri = if sure >= count {
                Tri::True
            } else if sure + maybe < count {
                Tri::False
            } else {
                Tri::Unknown
            };
            (tri, NO, sure, maybe)
        }
        Leaf::Household(tests) => {
            let mut out = Tri::True;
            for t in tests.iter() {
                match household_test(t, f) {
                    Tri::False => return (Tri::False, NO, 0, 0),
                    Tri::Unknown => out = Tri::Unknown,
                    Tri::True => {}
                }
            }
            (out, NO, 0, 0)
        }
        Leaf::AreaBelow(per_person) => match f.floor_area_m2 {
            None => (Tri::Unknown, NO, 0, 0),
            Some(area) => {
                let below = per_person
                    .checked_mul(Decimal::from(f.members.len() as u64))
                    // A product past Decimal's range is above any floor area.
                    .map_or(true, |needed| area < needed);
                (if below { Tri::True } else { Tri::False }, NO, 0, 0)
            }
        },
    }
}

fn eval_node(node: &Node, leaves: &[Leaf], f: &HouseholdFacts) -> (Tri, Witness) {
    match node {
        Node::Leaf(i) => {
            let (tri, member, sure, maybe) = eval_leaf(&leaves[*i as usize], f);
            (
                tri,
                Witness {
                    leaf: *i,
                    member,
                    sure,
                    maybe,
                },
            )
        }
        Node::AnyOf(parts) => {
            let mut unknown = None;
            for p in parts.iter() {
                match eval_node(p, leaves, f) {
                    (Tri::True, w) => return (Tri::True, w),
                    (Tri::Unknown, w) if unknown.is_none() => unknown = Some(w),
                    _ => {}
                }
            }
            match unknown {
                Some(w) => (Tri::Unknown, w),
                None => (Tri::False, Witness::NONE),
            }
        }
        Node::AllOf(parts) => {
            let mut unknown = None;
            for p in parts.iter() {
                match eval_node(p, leaves, f) {
                    (Tri::False, w) => return (Tri::False, w),
                    (Tri::Unknown, w) if unknown.is_none() => unknown = Some(w),
                    _ => {}
                }
            }
            match unknown {
                Some(w) => (Tri::Unknown, w),
                None => (Tri::True, Witness::NONE),
            }
        }
    }
}
