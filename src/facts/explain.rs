//! Explanations of fact findings ([facts §4](crate::docs::facts)): for each indicator, the
//! answer, the member and the facts it turns on, the rule, its citation and its mark, in
//! Vietnamese and English. Built only on request; evaluation itself allocates nothing.

use serde::{Deserialize, Serialize};

use super::rule::{leaves, FactTest, MemberClause, RuleShape, Tri};
use super::types::{HouseholdFact, HouseholdFacts, MemberFact, MemberFacts};
use super::{Findings, Witness};
use crate::indicator::{Answer, Indicator};
use crate::lang::Lang;
use crate::standard::{Citation, Provenance, Standard, Text};

/// Why one indicator got its answer: the `indicators` entry of a result record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IndicatorFinding {
    /// The indicator.
    pub indicator: Indicator,
    /// Deprived, not deprived or unknown.
    pub answer: Answer,
    /// How sure we are of the rule that gave the answer.
    pub provenance: Provenance,
    /// The rule's source.
    pub citation: Citation,
    /// The sentence: answer, member and facts used, the rule, its mark and citation.
    pub reason: Text,
}

fn answer_word(a: Answer, lang: Lang) -> &'static str {
    match (a, lang) {
        (Answer::Deprived, Lang::En) => "deprived",
        (Answer::NotDeprived, Lang::En) => "not deprived",
        (Answer::Unknown, Lang::En) => "unknown",
        (Answer::Deprived, Lang::Vi) => "thiếu hụt",
        (Answer::NotDeprived, Lang::Vi) => "không thiếu hụt",
        (Answer::Unknown, Lang::Vi) => "chưa xác định",
    }
}

fn unknown_word(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "unknown",
        Lang::Vi => "chưa rõ",
    }
}

pub(crate) fn explain(
    findings: &Findings,
    standard: &Standard,
    facts: &HouseholdFacts,
    indicator: Indicator,
) -> Option<IndicatorFinding> {
    let spec = standard
        .indicator_specs()
        .iter()
        .find(|s| s.code == indicator)?;
    let answer = findings.answer(indicator);
    let rule = spec.rule.as_ref();
    let provenance = rule.map_or(spec.provenance, |r| r.provenance);
    let citation = rule
        .and_then(|r| r.citation.clone())
        .unwrap_or_else(|| spec.citation.clone());
    let witness = findings.witness(indicator);
    let reason = |lang: Lang| {
        let name = match lang {
            Lang::En => indicator.name_en(),
            Lang::Vi => indicator.name_vi(),
        };
        let detail = match rule {
            Some(r) => detail(&r.deprived_when, witness, facts, standard, indicator, lang),
            None => match lang {
                Lang::En => "given as such, not from facts".to_owned(),
                Lang::Vi => "được ghi sẵn, không suy ra từ thông tin hộ".to_owned(),
            },
        };
        let mut s = format!("{name} — {}: {detail}", answer_word(answer, lang));
        if let Some(text) = &spec.deprived_if {
            let lead = match lang {
                Lang::En => "deprived when",
                Lang::Vi => "thiếu hụt khi",
            };
            s.push_str(&format!("; {lead} {}", text.get(lang)));
        }
        if let Some(note) = rule.and_then(|r| r.note.as_ref()) {
            s.push_str(&format!(" ({})", note.get(lang)));
        }
        s.push_str(&format!(
            " [{}; {}]",
            provenance.tag(),
            citation.display(lang)
        ));
        s
    };
    Some(IndicatorFinding {
        indicator,
        answer,
        provenance,
        reason: Text {
            vi: reason(Lang::Vi),
            en: reason(Lang::En),
        },
        citation,
    })
}

/// The facts the decisive part of the rule turned on.
fn detail(
    shape: &RuleShape,
    witness: Witness,
    facts: &HouseholdFacts,
    standard: &Standard,
    indicator: Indicator,
    lang: Lang,
) -> String {
    let shapes = leaves(shape);
    let one = |i: usize| -> Option<String> {
        let (tri, member, sure, maybe) = standard.fact_rules()?.eval_leaf(indicator, i, facts)?;
        Some(describe(
            shapes.get(i)?,
            tri,
            member,
            sure,
            maybe,
            facts,
            lang,
        ))
    };
    if (witness.leaf as usize) < shapes.len() {
        if let Some(s) = one(witness.leaf as usize) {
            return s;
        }
    }
    // Every part mattered (none holds, or all hold): describe each.
    let mut parts: Vec<String> = (0..shapes.len()).filter_map(one).collect();
    parts.dedup();
    parts.join("; ")
}

fn describe(
    shape: &RuleShape,
    tri: Tri,
    member: u32,
    sure: u32,
    maybe: u32,
    facts: &HouseholdFacts,
    lang: Lang,
) -> String {
    let n = facts.members.len();
    match shape {
        RuleShape::AnyMember(clause) => match facts.members.get(member as usize) {
            Some(m) => member_detail(member as usize, m, clause, lang),
            None => match (tri, lang) {
                (_, Lang::En) => "no member meets the condition".to_owned(),
                (_, Lang::Vi) => "không thành viên nào thuộc điều kiện".to_owned(),
            },
        },
        RuleShape::ShareOfMembers(s) => match lang {
            Lang::En => format!(
                "{sure} of {n} members counted{}; more than {} of the members is needed",
                if maybe > 0 {
                    format!(", {maybe} more unknown")
                } else {
                    String::new()
                },
                s.more_than.normalize()
            ),
            Lang::Vi => format!(
                "{sure}/{n} thành viên được tính{}; cần trên {} số thành viên",
                if maybe > 0 {
                    format!(", thêm {maybe} người chưa rõ")
                } else {
                    String::new()
                },
                s.more_than.normalize()
            ),
        },
        RuleShape::StructuresAtLeast(s) => {
            let listed: Vec<String> =
                s.of.iter()
                    .filter_map(|name| HouseholdFact::from_code(name))
                    .map(|f| household_fact(f, facts, lang))
                    .collect();
            match lang {
                Lang::En => format!(
                    "{}; {sure} count, at least {} needed",
                    listed.join(", "),
                    s.count
                ),
                Lang::Vi => format!(
                    "{}; {sure} kết cấu thuộc diện, cần ít nhất {}",
                    listed.join(", "),
                    s.count
                ),
            }
        }
        RuleShape::Household(clause) => clause
            .0
            .keys()
            .filter_map(|name| HouseholdFact::from_code(name))
            .map(|f| household_fact(f, facts, lang))
            .collect::<Vec<_>>()
            .join(", "),
        RuleShape::FloorAreaPerPersonBelow(m2) => {
            let needed = m2.checked_mul((n as u64).into()).map(|d| d.normalize());
            let needed = needed.map_or_else(|| "∞".to_owned(), |d| d.to_string());
            match (facts.floor_area_m2, lang) {
                (Some(a), Lang::En) => format!(
                    "floor area {} m² for {n} members; {} m² per person is {needed} m²",
                    a.normalize(),
                    m2.normalize()
                ),
                (Some(a), Lang::Vi) => format!(
                    "diện tích {} m² cho {n} người; {} m²/người là {needed} m²",
                    a.normalize(),
                    m2.normalize()
                ),
                (None, Lang::En) => "floor area unknown".to_owned(),
                (None, Lang::Vi) => "chưa rõ diện tích nhà ở".to_owned(),
            }
        }
        RuleShape::AllOf(_) | RuleShape::AnyOf(_) => String::new(),
    }
}

fn household_fact(f: HouseholdFact, facts: &HouseholdFacts, lang: Lang) -> String {
    let value = facts
        .show(f, lang)
        .unwrap_or_else(|| unknown_word(lang).to_owned());
    format!("{}: {value}", f.name(lang))
}

fn member_detail(i: usize, m: &MemberFacts, clause: &MemberClause, lang: Lang) -> String {
    let mut parts = vec![match lang {
        Lang::En => format!("member {}", i + 1),
        Lang::Vi => format!("thành viên thứ {}", i + 1),
    }];
    if clause.age.is_some() {
        parts.push(match (m.age, lang) {
            (Some(a), Lang::En) => format!("aged {a}"),
            (Some(a), Lang::Vi) => format!("{a} tuổi"),
            (None, Lang::En) => "age unknown".to_owned(),
            (None, Lang::Vi) => "chưa rõ tuổi".to_owned(),
        });
    }
    // In the order of the vocabulary (school before education), not of the file.
    let mut tests: Vec<(MemberFact, &FactTest)> = clause
        .facts
        .iter()
        .filter_map(|(name, test)| Some((MemberFact::from_code(name)?, test)))
        .collect();
    tests.sort_by_key(|(f, _)| *f);
    for (fact, test) in tests {
        parts.push(member_fact(fact, test, m, lang));
    }
    parts.join(", ")
}

fn member_fact(fact: MemberFact, test: &FactTest, m: &MemberFacts, lang: Lang) -> String {
    // Yes-or-no facts read as phrases: "not in school", "no health-insurance card".
    if let (FactTest::Is(_), Some(v)) = (test, m.value(fact)) {
        let yes = v == 1;
        let phrase = match (fact, yes, lang) {
            (MemberFact::InSchool, true, Lang::En) => Some("in school"),
            (MemberFact::InSchool, false, Lang::En) => Some("not in school"),
            (MemberFact::InSchool, true, Lang::Vi) => Some("đang đi học"),
            (MemberFact::InSchool, false, Lang::Vi) => Some("không đi học"),
            (MemberFact::HealthInsurance, true, Lang::En) => Some("holds a health-insurance card"),
            (MemberFact::HealthInsurance, false, Lang::En) => Some("no health-insurance card"),
            (MemberFact::HealthInsurance, true, Lang::Vi) => Some("có thẻ bảo hiểm y tế"),
            (MemberFact::HealthInsurance, false, Lang::Vi) => Some("không có thẻ bảo hiểm y tế"),
            _ => None,
        };
        if let Some(p) = phrase {
            return p.to_owned();
        }
    }
    let value = m
        .show(fact, lang)
        .unwrap_or_else(|| unknown_word(lang).to_owned());
    format!("{} {value}", fact.name(lang))
}
