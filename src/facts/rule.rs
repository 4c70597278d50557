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
    FloorAreaPerPersonBelow(#[serde(deserialize_with = "crate::decimal::deserialize")] Decimal),
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
    #[serde(default, deserialize_with = "crate::decimal::unique_map")]
    pub facts: BTreeMap<String, FactTest>,
}

/// A condition on household facts: every test holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HouseholdClause(
    #[serde(deserialize_with = "crate::decimal::unique_map")] pub BTreeMap<String, FactTest>,
);

/// The `share_of_members` shape: counted members more than `more_than` × members.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareOfMembers {
    /// A member counts when any of these holds (a dependant: under 16, or a social
    /// allowance).
    pub counted_if_any: Vec<MemberClause>,
    /// The share (0 to 1, at most 9 decimals) the counted members must exceed.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
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

/// A member test compiled: the fact's value index (the nibble at `shift` of the packed
/// member) must be in `mask`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct MemberTest {
    shift: u8,
    mask: u16,
}

/// A member packed for evaluation: each fact's value index in a nibble (15: unknown), at four
/// times the fact's position in [`MemberFact::ALL`]; the age beside it (255: unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packed {
    bits: u64,
    age: u8,
}

impl Packed {
    #[inline(always)]
    fn of(m: &MemberFacts) -> Packed {
        let mut bits = u64::MAX;
        let mut put = |fact: MemberFact, v: Option<u8>| {
            if let Some(v) = v {
                let shift = fact as u32 * 4;
                bits &= !(0xF << shift);
                bits |= (v as u64 & 0xF) << shift;
            }
        };
        for fact in &MemberFact::ALL[1..] {
            put(*fact, m.value(*fact));
        }
        Packed {
            bits,
            age: m.age.unwrap_or(u8::MAX),
        }
    }
}

/// The members as evaluation reads them.
#[derive(Clone, Copy)]
pub(crate) enum Members<'a> {
    /// Up to 16 members, fact by fact as bitsets of members: every clause is a few bitwise
    /// operations, with no branch on a member's answer.
    Planes(&'a Planes),
    /// Any number of members, one by one.
    Packed(&'a [Packed]),
}

/// Up to 16 members as bitsets: for each fact and value, the members with that value.
pub(crate) struct Planes {
    all: u16,
    known: [u16; 10],
    /// The members with each value of each fact, at [`PLANE`]`[fact] + value`.
    values: [u16; 32],
    ages: [u8; 16],
    /// The members whose age is known.
    aged: u16,
    /// For each band of the rules, the members of known age within it.
    bands: [u16; 16],
}

/// Where each member fact's values start in [`Planes::values`] (age is tested by bands).
const PLANE: [usize; 10] = [0, 0, 5, 7, 9, 11, 13, 15, 17, 25];

impl Planes {
    #[inline(always)]
    fn of(members: &[MemberFacts], bands: &[(u8, u8)]) -> Planes {
        let n = members.len().min(16);
        let mut p = Planes {
            all: if n == 16 { u16::MAX } else { (1u16 << n) - 1 },
            known: [0; 10],
            values: [0; 32],
            ages: [u8::MAX; 16],
            aged: 0,
            bands: [0; 16],
        };
        for (i, m) in members.iter().take(16).enumerate() {
            let bit = 1u16 << i;
            p.ages[i] = m.age.unwrap_or(u8::MAX);
            let mut put = |fact: MemberFact, v: Option<u8>| {
                if let Some(v) = v {
                    p.values[(PLANE[fact as usize] + v as usize) & 31] |= bit;
                    p.known[fact as usize] |= bit;
                }
            };
            // Every fact but the age, which bands test.
            for fact in &MemberFact::ALL[1..] {
                put(*fact, m.value(*fact));
            }
        }
        for (i, &a) in p.ages.iter().enumerate() {
            p.aged |= ((a != u8::MAX) as u16) << i;
        }
        for (slot, &(from, to)) in p.bands.iter_mut().zip(bands) {
            *slot = within(&p.ages, from, to);
        }
        p
    }
}

/// The lanes of `ages` within `from..=to` (all 16, so the loop compiles to vector compares;
/// an unknown age, 255, is never within).
#[inline(always)]
fn within(ages: &[u8; 16], from: u8, to: u8) -> u16 {
    let mut w = 0u16;
    for (i, &a) in ages.iter().enumerate() {
        w |= ((a.wrapping_sub(from) <= to.wrapping_sub(from)) as u16) << i;
    }
    w
}

/// Runs `f` on the household's members, in the fastest form that holds them: bitsets on the
/// stack for up to 16 members (no allocation), packed on the heap beyond.
#[inline(always)]
pub(crate) fn with_members<T>(
    facts: &HouseholdFacts,
    bands: &[(u8, u8)],
    f: impl FnOnce(Members<'_>) -> T,
) -> T {
    if facts.members.len() <= 16 {
        let planes = Planes::of(&facts.members, bands);
        f(Members::Planes(&planes))
    } else {
        let v: Vec<Packed> = facts.members.iter().map(Packed::of).collect();
        f(Members::Packed(&v))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CompiledClause {
    from: u8,
    to: u8,
    banded: bool,
    /// The band's place in [`CompiledRules::bands`] (computed once per household), or
    /// `u8::MAX` to compute it here.
    band: u8,
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
    flat: Flat,
    pub(crate) leaves: Box<[Leaf]>,
}

/// A rule's tree when it is one leaf or one combination of leaves (every built-in rule):
/// evaluated in a loop, without recursion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Flat {
    One(u8),
    Any(u8, u8),
    All(u8, u8),
    Tree,
}

impl Flat {
    fn of(root: &Node) -> Flat {
        let leaves = |parts: &[Node]| -> Option<(u8, u8)> {
            let ids: Option<Vec<u8>> = parts
                .iter()
                .map(|p| match p {
                    Node::Leaf(i) => Some(*i),
                    _ => None,
                })
                .collect();
            let ids = ids?;
            let (a, b) = (*ids.first()?, *ids.last()?);
            (ids.iter()
                .enumerate()
                .all(|(k, i)| *i as usize == a as usize + k))
            .then_some((a, b + 1))
        };
        match root {
            Node::Leaf(i) => Flat::One(*i),
            Node::AnyOf(p) => leaves(p).map_or(Flat::Tree, |(a, b)| Flat::Any(a, b)),
            Node::AllOf(p) => leaves(p).map_or(Flat::Tree, |(a, b)| Flat::All(a, b)),
        }
    }
}

/// Every indicator rule of a standard, compiled, in the standard's indicator order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CompiledRules {
    rules: Box<[(Indicator, CompiledRule)]>,
    /// The distinct age bands of the rules (at most 16), whose members each household
    /// computes once.
    bands: Box<[(u8, u8)]>,
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
                    flat: Flat::of(&root),
                    root,
                    leaves: leaves.into(),
                },
            ));
        }
        // Number the distinct age bands.
        let mut bands: Vec<(u8, u8)> = Vec::new();
        for (_, rule) in out.iter_mut() {
            for leaf in rule.leaves.iter_mut() {
                let clauses: &mut [CompiledClause] = match leaf {
                    Leaf::AnyMember(c) => std::slice::from_mut(c),
                    Leaf::Share { counted, .. } => counted,
                    _ => &mut [],
                };
                for c in clauses.iter_mut().filter(|c| c.banded) {
                    let key = (c.from, c.to);
                    let at = match bands.iter().position(|b| *b == key) {
                        Some(i) => i,
                        None if bands.len() < 16 => {
                            bands.push(key);
                            bands.len() - 1
                        }
                        None => continue,
                    };
                    c.band = at as u8;
                }
            }
        }
        Ok(complete.then(|| CompiledRules {
            rules: out.into(),
            bands: bands.into(),
        }))
    }

    /// Leaf `i` of an indicator's rule evaluated on `facts`: its answer, the member it
    /// turns on and its counts, for explanations.
    pub(crate) fn eval_leaf(
        &self,
        indicator: Indicator,
        i: usize,
        facts: &HouseholdFacts,
    ) -> Option<(Tri, u32, u32, u32)> {
        let leaf = self
            .rules
            .iter()
            .find(|(k, _)| *k == indicator)
            .and_then(|(_, r)| r.leaves.get(i))?;
        Some(with_members(facts, &self.bands, |members| {
            eval_leaf(leaf, facts, members)
        }))
    }

    /// Evaluates every rule, calling `found` with each indicator's answer and witness.
    #[inline]
    pub(crate) fn evaluate(
        &self,
        facts: &HouseholdFacts,
        mut found: impl FnMut(Indicator, Answer, Witness),
    ) {
        with_members(facts, &self.bands, |members| {
            for (indicator, rule) in self.rules.iter() {
                let leaves = &rule.leaves;
                let leaf = |i: u8| eval_leaf(&leaves[i as usize], facts, members).0;
                let (tri, witness) = match rule.flat {
                    Flat::One(i) => (leaf(i), Witness { leaf: i }),
                    Flat::Any(a, b) => {
                        let mut out = (Tri::False, Witness::NONE);
                        for i in a..b {
                            match leaf(i) {
                                Tri::True => {
                                    out = (Tri::True, Witness { leaf: i });
                                    break;
                                }
                                Tri::Unknown if out.0 == Tri::False => {
                                    out = (Tri::Unknown, Witness { leaf: i })
                                }
                                _ => {}
                            }
                        }
                        out
                    }
                    Flat::All(a, b) => {
                        let mut out = (Tri::True, Witness::NONE);
                        for i in a..b {
                            match leaf(i) {
                                Tri::False => {
                                    out = (Tri::False, Witness { leaf: i });
                                    break;
                                }
                                Tri::Unknown if out.0 == Tri::True => {
                                    out = (Tri::Unknown, Witness { leaf: i })
                                }
                                _ => {}
                            }
                        }
                        out
                    }
                    Flat::Tree => eval_node(&rule.root, leaves, facts, members),
                };
                found(*indicator, tri.answer(), witness);
            }
        })
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
            shift: fact as u8 * 4,
            mask: test_mask(fact.kind(), test, &tp, bad)?,
        });
    }
    Ok(CompiledClause {
        from,
        to,
        banded: c.age.is_some(),
        band: u8::MAX,
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
    /// The members for whom the clause is surely true, and those for whom it is unknown.
    #[inline(always)]
    fn sets(&self, p: &Planes) -> (u16, u16) {
        let mut t = p.all;
        let mut f = 0u16;
        if self.banded {
            let w = match p.bands.get(self.band as usize) {
                Some(w) => *w,
                None => within(&p.ages, self.from, self.to),
            };
            t &= p.aged & w;
            f |= p.aged & !w & p.all;
        }
        for test in self.tests.iter() {
            let fact = (test.shift / 4) as usize;
            let base = PLANE[fact];
            let mut yes = 0u16;
            let mut mask = test.mask;
            while mask != 0 {
                yes |= p.values[(base + mask.trailing_zeros() as usize) & 31];
                mask &= mask - 1;
            }
            t &= yes;
            f |= p.known[fact] & !yes;
        }
        (t, p.all & !t & !f)
    }

    /// The clause for one member: false when any part is known false, true when all are
    /// known true, unknown otherwise.
    #[inline(always)]
    fn test(&self, m: Packed) -> Tri {
        let mut unknown = false;
        if self.banded {
            if m.age == u8::MAX {
                unknown = true;
            } else if m.age < self.from || m.age > self.to {
                return Tri::False;
            }
        }
        for t in self.tests.iter() {
            let v = (m.bits >> t.shift) & 0xF;
            if v == 0xF {
                unknown = true;
            } else if t.mask & (1 << v) == 0 {
                return Tri::False;
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

#[inline(always)]
fn eval_leaf(leaf: &Leaf, f: &HouseholdFacts, members: Members<'_>) -> (Tri, u32, u32, u32) {
    const NO: u32 = u32::MAX;
    match leaf {
        Leaf::AnyMember(c) => {
            let members = match members {
                Members::Planes(p) => {
                    let (t, u) = c.sets(p);
                    return if t != 0 {
                        (Tri::True, t.trailing_zeros(), 0, 0)
                    } else if u != 0 {
                        (Tri::Unknown, u.trailing_zeros(), 0, 0)
                    } else {
                        (Tri::False, NO, 0, 0)
                    };
                }
                Members::Packed(m) => m,
            };
            let mut first_unknown = NO;
            for (i, m) in members.iter().enumerate() {
                match c.test(*m) {
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
            let members = match members {
                Members::Planes(p) => {
                    let (mut any_true, mut all_false) = (0u16, p.all);
                    for c in counted.iter() {
                        let (t, u) = c.sets(p);
                        any_true |= t;
                        all_false &= p.all & !t & !u;
                    }
                    sure = any_true.count_ones();
                    maybe = (p.all & !any_true & !all_false).count_ones();
                    &[][..]
                }
                Members::Packed(m) => m,
            };
            for m in members.iter() {
                let mut t = Tri::False;
                for c in counted.iter() {
                    match c.test(*m) {
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
                let below = area_below(area, *per_person, f.members.len() as u64);
                (if below { Tri::True } else { Tri::False }, NO, 0, 0)
            }
        },
    }
}

fn eval_node(
    node: &Node,
    leaves: &[Leaf],
    f: &HouseholdFacts,
    members: Members<'_>,
) -> (Tri, Witness) {
    match node {
        Node::Leaf(i) => {
            let (tri, ..) = eval_leaf(&leaves[*i as usize], f, members);
            (tri, Witness { leaf: *i })
        }
        Node::AnyOf(parts) => {
            let mut unknown = None;
            for p in parts.iter() {
                match eval_node(p, leaves, f, members) {
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
                match eval_node(p, leaves, f, members) {
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

/// `area < per_person × members`, exactly: in integers when both amounts fit at one scale
/// (always, for floor areas as written), in decimals otherwise. A product past the decimal
/// range is above any floor area.
#[inline(always)]
fn area_below(area: Decimal, per_person: Decimal, members: u64) -> bool {
    let (sa, sp) = (area.scale(), per_person.scale());
    let scale = sa.max(sp);
    let lift = |m: i128, s: u32| 10i128.checked_pow(scale - s).and_then(|p| m.checked_mul(p));
    let fast = lift(area.mantissa(), sa)
        .zip(lift(per_person.mantissa(), sp).and_then(|p| p.checked_mul(members as i128)));
    match fast {
        Some((a, needed)) => a < needed,
        None => per_person
            .checked_mul(Decimal::from(members))
            .map_or(true, |needed| area < needed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::sample_data::{facts_country, Rng};
    use crate::standard::Standard;

    /// The bitset path (up to 16 members) and the one-by-one path (any number) give the same
    /// answer, member and counts for every leaf of every built-in rule, with facts blanked
    /// at random so every unknown case is met.
    #[test]
    fn member_bitsets_and_members_one_by_one_agree_on_every_leaf() {
        let mut rng = Rng::new(77);
        for mut h in facts_country(3000, 41) {
            for m in h.facts.members.iter_mut() {
                let blank = |rng: &mut Rng| rng.below(4) == 0;
                if blank(&mut rng) {
                    m.age = None;
                }
                if blank(&mut rng) {
                    m.in_school = None;
                }
                if blank(&mut rng) {
                    m.education = None;
                }
                if blank(&mut rng) {
                    m.health_insurance = None;
                }
                if blank(&mut rng) {
                    m.social_allowance = None;
                }
                if blank(&mut rng) {
                    m.level_suited_to_age = None;
                }
                if blank(&mut rng) {
                    m.labour = None;
                }
                if blank(&mut rng) {
                    m.stunted = None;
                }
            }
            for s in Standard::builtins() {
                let rules = s.fact_rules().unwrap();
                let packed: Vec<Packed> = h.facts.members.iter().map(Packed::of).collect();
                let planes = Planes::of(&h.facts.members, &rules.bands);
                for (_, rule) in rules.rules.iter() {
                    for leaf in rule.leaves.iter() {
                        let a = eval_leaf(leaf, &h.facts, Members::Planes(&planes));
                        let b = eval_leaf(leaf, &h.facts, Members::Packed(&packed));
                        assert_eq!(a, b, "{leaf:?} on {:?}", h.facts);
                    }
                }
            }
        }
    }
}
