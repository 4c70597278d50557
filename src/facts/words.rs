//! The words of a rule, kept in step with its data.
//!
//! An indicator's `deprived_if` is the law's prose, written by a reviewer. It must never
//! contradict the rule the engine evaluates: a local standard that moves the floor-area
//! threshold to 10 m² while its prose still says 8, or a reform that replaces a rule and keeps
//! the old words, would explain one test and apply another. So:
//! - every number the prose writes must be one of the rule's own numbers (a threshold, a
//!   share as a fraction or in percent, an age bound, "under 16" for an age band up to 15, a
//!   count), checked when a standard is built ([`check`]);
//! - a rule given without prose (a reform's `set_rule`, an added indicator) is described from
//!   its data ([`describe`]).

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::rule::{AgeBand, FactTest, MemberClause, RuleShape};
use super::types::{HouseholdFact, MemberFact};
use crate::lang::Lang;
use crate::standard::Text;

/// The numbers a rule's words may write.
fn rule_numbers(shape: &RuleShape, out: &mut BTreeSet<Decimal>) {
    let band = |b: &Option<AgeBand>, out: &mut BTreeSet<Decimal>| {
        if let Some(b) = b {
            for a in b.from.into_iter().chain(b.to) {
                out.insert(Decimal::from(a));
            }
            // "under 16" is the band up to 15.
            if let Some(t) = b.to {
                out.insert(Decimal::from(u32::from(t) + 1));
            }
        }
    };
    match shape {
        RuleShape::AnyMember(c) => band(&c.age, out),
        RuleShape::ShareOfMembers(s) => {
            out.insert(s.more_than.normalize());
            if let Some(p) = s.more_than.checked_mul(Decimal::ONE_HUNDRED) {
                out.insert(p.normalize());
            }
            for c in &s.counted_if_any {
                band(&c.age, out);
            }
        }
        RuleShape::StructuresAtLeast(s) => {
            out.insert(Decimal::from(s.count));
        }
        RuleShape::Household(_) => {}
        RuleShape::FloorAreaPerPersonBelow(m2) => {
            out.insert(m2.normalize());
        }
        RuleShape::AllOf(parts) | RuleShape::AnyOf(parts) => {
            for p in parts {
                rule_numbers(p, out);
            }
        }
    }
}

/// The numbers written in a text: runs of digits, with one decimal point or comma inside.
fn text_numbers(text: &str) -> Vec<(String, Option<Decimal>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < b.len() && matches!(b[i], b'.' | b',') && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let written = &text[start..i];
        let value = crate::decimal::parse(&written.replace(',', "."))
            .ok()
            .map(|d| d.normalize());
        out.push((written.to_owned(), value));
    }
    out
}

/// Checks that the prose of a rule writes no number the rule does not have; the error says
/// which number, in which language.
pub(crate) fn check(words: &Text, shape: &RuleShape) -> Result<(), String> {
    let mut allowed = BTreeSet::new();
    rule_numbers(shape, &mut allowed);
    for lang in [Lang::Vi, Lang::En] {
        for (written, value) in text_numbers(words.get(lang)) {
            if !value.is_some_and(|v| allowed.contains(&v)) {
                let have: Vec<String> = allowed.iter().map(ToString::to_string).collect();
                return Err(format!(
                    "the words ({lang}) write {written}, a number the rule does not have (its numbers: {}); change the words with the rule",
                    if have.is_empty() { "none".to_owned() } else { have.join(", ") }
                ));
            }
        }
    }
    Ok(())
}

/// The rule described from its data, in both languages: the words of a rule given without
/// prose.
pub(crate) fn describe(shape: &RuleShape) -> Text {
    Text {
        vi: phrase(shape, Lang::Vi),
        en: phrase(shape, Lang::En),
    }
}

fn phrase(shape: &RuleShape, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match shape {
        RuleShape::AnyMember(c) => {
            let who = if vi { "có thành viên" } else { "a member" };
            format!("{who}{}", member_clause(c, lang))
        }
        RuleShape::ShareOfMembers(s) => {
            let counted: Vec<String> = s
                .counted_if_any
                .iter()
                .map(|c| member_clause(c, lang).trim_start().to_owned())
                .collect();
            let pct = s
                .more_than
                .checked_mul(Decimal::ONE_HUNDRED)
                .map_or_else(|| s.more_than.to_string(), |p| p.normalize().to_string());
            if vi {
                format!(
                    "số thành viên {} chiếm trên {pct}% số thành viên của hộ",
                    counted.join(" hoặc ")
                )
            } else {
                format!(
                    "members {} are more than {pct}% of members",
                    counted.join(" or ")
                )
            }
        }
        RuleShape::StructuresAtLeast(s) => {
            let of: Vec<&str> = s.of.iter().map(|f| household_name(f, lang)).collect();
            let are = s.are.join(", ");
            if vi {
                format!("ít nhất {} trong số {} là {are}", s.count, of.join(", "))
            } else {
                format!("at least {} of {} are {are}", s.count, of.join(", "))
            }
        }
        RuleShape::Household(c) => {
            let tests: Vec<String> =
                c.0.iter()
                    .map(|(f, t)| test(household_name(f, lang), t, lang))
                    .collect();
            tests.join(if vi { " và " } else { " and " })
        }
        RuleShape::FloorAreaPerPersonBelow(m2) => {
            let m2 = m2.normalize();
            if vi {
                format!("diện tích nhà ở bình quân đầu người dưới {m2} m²")
            } else {
                format!("floor area per person < {m2} m²")
            }
        }
        RuleShape::AllOf(parts) | RuleShape::AnyOf(parts) => {
            let joint = match (shape, vi) {
                (RuleShape::AllOf(_), true) => " và ",
                (RuleShape::AllOf(_), false) => " and ",
                (_, true) => " hoặc ",
                (_, false) => " or ",
            };
            let parts: Vec<String> = parts.iter().map(|p| phrase(p, lang)).collect();
            parts.join(joint)
        }
    }
}

fn member_clause(c: &MemberClause, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let mut s = String::new();
    if let Some(b) = &c.age {
        s.push_str(&match (b.from, b.to, vi) {
            (Some(f), Some(t), true) => format!(" từ {f} đến {t} tuổi"),
            (Some(f), Some(t), false) => format!(" aged {f}-{t}"),
            (Some(f), None, true) => format!(" từ {f} tuổi trở lên"),
            (Some(f), None, false) => format!(" aged {f} or over"),
            (None, Some(t), true) => format!(" dưới {} tuổi", u32::from(t) + 1),
            (None, Some(t), false) => format!(" under {}", u32::from(t) + 1),
            (None, None, _) => String::new(),
        });
    }
    let tests: Vec<String> = c
        .facts
        .iter()
        .map(|(f, t)| {
            let name = MemberFact::from_code(f).map_or(f.as_str(), |m| m.name(lang));
            test(name, t, lang)
        })
        .collect();
    if !tests.is_empty() {
        s.push_str(if vi { " có " } else { " with " });
        s.push_str(&tests.join(", "));
    }
    s
}

fn household_name(code: &str, lang: Lang) -> &str {
    HouseholdFact::from_code(code).map_or(code, |f| f.name(lang))
}

fn test(name: &str, t: &FactTest, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match (t, vi) {
        (FactTest::Is(b), true) => format!("{name}: {}", if *b { "có" } else { "không" }),
        (FactTest::Is(b), false) => format!("{name}: {}", if *b { "yes" } else { "no" }),
        (FactTest::In(v), true) => format!("{name} là {}", v.join(" hoặc ")),
        (FactTest::In(v), false) => format!("{name} {}", v.join(" or ")),
        (FactTest::NotIn { not_in }, true) => {
            format!("{name} không phải {}", not_in.join(", "))
        }
        (FactTest::NotIn { not_in }, false) => format!("{name} none of {}", not_in.join(", ")),
        (FactTest::NoneOf { none_of }, true) => {
            format!("{name} không có {}", none_of.join(", "))
        }
        (FactTest::NoneOf { none_of }, false) => format!("{name} none of {}", none_of.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(json: &str) -> RuleShape {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn prose_numbers_must_be_the_rules_own() {
        let floor = shape(r#"{"floor_area_per_person_below": "10"}"#);
        let eight = Text {
            vi: "diện tích nhà ở bình quân đầu người dưới 8 m²".into(),
            en: "floor area per person < 8 m²".into(),
        };
        let e = check(&eight, &floor).unwrap_err();
        assert!(e.contains("write 8") && e.contains("10"), "{e}");
        check(&describe(&floor), &floor).unwrap();
        let share = shape(
            r#"{"share_of_members": {"counted_if_any": [{"age": {"to": 15}}], "more_than": "0.5"}}"#,
        );
        let words = Text {
            vi: "người phụ thuộc (dưới 16 tuổi) chiếm trên 50% số thành viên".into(),
            en: "dependants (under 16) are more than 50% of members".into(),
        };
        check(&words, &share).unwrap();
        check(&describe(&share), &share).unwrap();
        let decimal_comma = Text {
            vi: "dưới 8,5 m²".into(),
            en: "under 8.5 m²".into(),
        };
        check(
            &decimal_comma,
            &shape(r#"{"floor_area_per_person_below": "8.5"}"#),
        )
        .unwrap();
    }
}
