//! The two-table facts form (facts §5): the shared facts sample read as households and
//! members tables gives the independent implementation's report for each standard, grouped by
//! province; and bad member rows, missing members and rows out of order are each accounted for.
#![cfg(feature = "csv")]

use crate::common::*;

use chuan_ngheo::population::csv::{read_facts_report, CsvOptions};
use chuan_ngheo::{Report, Standard};
use serde_json::Value;

const STANDARDS: [&str; 3] = ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030"];

fn report(households: &str, members: &str, standard: &str, group_by: &[&str]) -> Report {
    let s = Standard::builtin(standard).unwrap();
    let options = CsvOptions::new().group_by_all(group_by.iter().copied());
    read_facts_report(households.as_bytes(), members.as_bytes(), s, &options).unwrap()
}

#[test]
fn facts_sample_report_equals_the_expected_report_for_each_standard_grouped_by_province() {
    let (h, m) = (
        data("facts-sample.households.csv"),
        data("facts-sample.members.csv"),
    );
    for standard in STANDARDS {
        let want: Value =
            serde_json::from_str(&data(&format!("facts-sample.{standard}.expected.json"))).unwrap();
        let got = report(&h, &m, standard, &["province"]).to_json();
        for key in REPORT_KEYS {
            assert_matches(&format!("{standard}.{key}"), &got[key], &want[key]);
        }
        assert_eq!(
            got["groups"]["province"].as_object().unwrap().len(),
            want["groups"]["province"].as_object().unwrap().len()
        );
    }
}

const HEAD: &str = "id,area,income_per_capita,floor_area_m2,walls,pillars,roof,water_source,latrine,internet,phone,devices,loudspeaker,waste\n";
const MHEAD: &str = "household_id,age,labour,social_allowance,stunted,underweight,health_insurance,in_school,level_suited_to_age,education,ill_untreated\n";

fn household(id: &str) -> String {
    format!("{id},rural,3000000,60,durable,durable,durable,piped,septic,1,1,tv,1,collected\n")
}

fn member(id: &str, age: &str) -> String {
    format!("{id},{age},employed_with_contract,0,0,0,1,0,1,university,0\n")
}

fn rejected(r: &Report) -> Vec<(u64, String, String)> {
    r.rejected()
        .iter()
        .map(|x| {
            (
                x.line,
                x.id.clone().unwrap_or_default(),
                x.error.code().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_household_without_member_rows_is_rejected_and_its_neighbours_keep_theirs() {
    let h = [
        HEAD.to_owned(),
        household("a"),
        household("b"),
        household("c"),
        household("d"),
    ]
    .concat();
    let m = [MHEAD.to_owned(), member("a", "40"), member("d", "30")].concat();
    let r = report(&h, &m, "vn-2022-2025", &[]);
    let input = r.input();
    assert_eq!((input.rows, input.classified, input.rejected), (4, 2, 2));
    assert_eq!(
        rejected(&r),
        vec![
            (3, "b".into(), "no_members".into()),
            (4, "c".into(), "no_members".into())
        ]
    );
}

#[test]
fn a_bad_member_row_rejects_its_household_naming_the_member_line() {
    let h = [HEAD.to_owned(), household("a"), household("b")].concat();
    let m = [
        MHEAD.to_owned(),
        member("a", "40"),
        member("a", "131"),
        member("b", "20"),
    ]
    .concat();
    let r = report(&h, &m, "vn-2022-2025", &[]);
    let input = r.input();
    assert_eq!((input.rows, input.classified, input.rejected), (2, 1, 1));
    let bad = &r.rejected()[0];
    assert_eq!((bad.line, bad.id.as_deref()), (2, Some("a")));
    assert_eq!(bad.error.code(), "invalid_fact");
    let msg = bad.error.to_string();
    assert!(
        msg.contains("members table line 3") && msg.contains("age"),
        "{msg}"
    );
}

#[test]
fn member_rows_in_any_order_near_their_household_give_each_household_all_its_members() {
    // facts §5: a household is classified from all of its member rows wherever they stand
    // within the window, each household row counted once. The members of b come after c's,
    // and a's are split around them; the household sizes make any lost member a mismatch.
    let h = "id,area,income_per_capita,members\na,rural,3000000,2\nb,rural,3000000,1\nc,rural,3000000,1\n";
    let m = [
        MHEAD.to_owned(),
        member("a", "40"),
        member("c", "40"),
        member("b", "40"),
        member("a", "12"),
    ]
    .concat();
    let shuffled = report(h, &m, "vn-2022-2025", &[]);
    let ordered = [
        MHEAD.to_owned(),
        member("a", "40"),
        member("a", "12"),
        member("b", "40"),
        member("c", "40"),
    ]
    .concat();
    let ordered = report(h, &ordered, "vn-2022-2025", &[]);
    let input = shuffled.input();
    assert_eq!(
        (input.rows, input.rejected),
        (3, 0),
        "{:?}",
        rejected(&shuffled)
    );
    assert_eq!(shuffled.to_json(), ordered.to_json());
}

#[test]
fn member_rows_whose_household_is_nowhere_near_stop_the_run_rather_than_split_a_household() {
    // z has no household: its rows might belong to a household already classified, so no
    // report is given, and the error names the members table's line and the id.
    let h = [HEAD.to_owned(), household("a"), household("b")].concat();
    let m = [
        MHEAD.to_owned(),
        member("a", "40"),
        member("z", "40"),
        member("b", "40"),
    ]
    .concat();
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let e = read_facts_report(h.as_bytes(), m.as_bytes(), s, &CsvOptions::new()).unwrap_err();
    assert_eq!(e.code(), "member_out_of_order");
    let msg = e.to_string();
    assert!(msg.contains("line 3") && msg.contains("\"z\""), "{msg}");
}

#[test]
fn a_members_count_that_disagrees_with_the_member_rows_is_rejected() {
    let h = "id,area,income_per_capita,members\na,rural,3000000,3\nb,rural,3000000,1\n";
    let m = [MHEAD.to_owned(), member("a", "40"), member("b", "40")].concat();
    let r = report(h, &m, "vn-2022-2025", &[]);
    assert_eq!(
        rejected(&r),
        vec![(2, "a".into(), "members_mismatch".into())]
    );
    assert_eq!(r.input().rows, 2);
}

#[test]
fn missing_columns_are_unknown_facts_and_a_missing_id_column_stops_the_run() {
    // No fact columns at all: every indicator unknown, the household indeterminate.
    let h = "id,area,income_per_capita\na,rural,1000000\n";
    let m = "household_id\na\n";
    let r = report(h, m, "vn-2022-2025", &[]);
    assert_eq!(r.input().indeterminate, 1);
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let e =
        read_facts_report("area\n".as_bytes(), m.as_bytes(), s, &CsvOptions::new()).unwrap_err();
    assert!(e.to_string().contains("id"), "{e}");
    let e =
        read_facts_report(h.as_bytes(), "age\n1\n".as_bytes(), s, &CsvOptions::new()).unwrap_err();
    assert!(e.to_string().contains("household_id"), "{e}");
}

#[test]
fn bad_household_cells_are_rejected_rows_with_their_lines() {
    let h = [
        HEAD.to_owned(),
        household("a").replace(",60,", ",-1,"),
        household("b").replace(",piped,", ",tap,"),
        household("c").replace(",tv,", ",tv;fax,"),
        household("d"),
    ]
    .concat();
    let m = [
        MHEAD.to_owned(),
        member("a", "1"),
        member("b", "1"),
        member("c", "1"),
        member("d", "1"),
    ]
    .concat();
    let r = report(&h, &m, "vn-2022-2025", &[]);
    assert_eq!(
        rejected(&r),
        vec![
            (2, "a".into(), "invalid_fact".into()),
            (3, "b".into(), "invalid_fact".into()),
            (4, "c".into(), "invalid_fact".into()),
        ]
    );
    assert_eq!(r.input().rows, 4);
}

/// A reader that hands out a few bytes at a time, as a pipe may.
struct Trickle<'a>(&'a [u8], usize);
impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.1.min(self.0.len()).min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        self.1 = self.1 % 7 + 1;
        Ok(n)
    }
}

#[test]
fn line_ends_byte_order_marks_quotes_and_short_reads_change_nothing() {
    let (h, m) = (
        data("facts-sample.households.csv"),
        data("facts-sample.members.csv"),
    );
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new().group_by("province");
    let whole = read_facts_report(h.as_bytes(), m.as_bytes(), s, &options).unwrap();
    let quote_ids = |t: &str, col0: bool| -> String {
        t.lines()
            .map(|l| match (col0, l.split_once(',')) {
                (true, Some((id, rest))) => format!("\"{id}\",{rest}"),
                _ => l.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let variants: Vec<(String, String)> = vec![
        (h.replace('\n', "\r\n"), m.replace('\n', "\r")),
        (format!("\u{feff}{h}"), format!("\u{feff}{m}")),
        (quote_ids(&h, true), quote_ids(&m, true)),
        (h.trim_end().to_owned(), m.trim_end().to_owned()),
    ];
    for (n, (h2, m2)) in variants.iter().enumerate() {
        let r = read_facts_report(h2.as_bytes(), m2.as_bytes(), s, &options).unwrap();
        assert_eq!(r.input(), whole.input(), "variant {n}");
        assert_eq!(r.total(), whole.total(), "variant {n}");
    }
    let r = read_facts_report(
        Trickle(h.as_bytes(), 1),
        Trickle(m.as_bytes(), 3),
        s,
        &options,
    )
    .unwrap();
    assert_eq!(r.to_json(), whole.to_json());
}

#[test]
fn an_over_long_member_row_rejects_its_household_and_the_rest_is_read() {
    let h = [HEAD.to_owned(), household("a"), household("b")].concat();
    let long = format!("a,{}\n", "9".repeat(5000));
    let m = [MHEAD.to_owned(), member("a", "40"), long, member("b", "20")].concat();
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new().max_record_bytes(1000);
    let r = read_facts_report(h.as_bytes(), m.as_bytes(), s, &options).unwrap();
    let input = r.input();
    assert_eq!((input.rows, input.classified, input.rejected), (2, 1, 1));
    assert_eq!(r.rejected()[0].id.as_deref(), Some("a"));
    assert!(r.rejected()[0]
        .error
        .to_string()
        .contains("members table line 3"));
}

#[test]
fn a_weight_column_weights_the_rates_and_a_bad_weight_is_a_rejected_row() {
    let h = "id,area,income_per_capita,weight\na,rural,1000000,3\nb,rural,9000000,1\nc,rural,9000000,-1\n";
    let m = [
        MHEAD.to_owned(),
        member("a", "40"),
        member("b", "40"),
        member("c", "40"),
    ]
    .concat();
    let r = report(h, &m, "vn-2022-2025", &[]);
    assert!(r.is_weighted());
    // A weight is not money: the error names the weight, not an income.
    assert_eq!(rejected(&r), vec![(4, "c".into(), "invalid_value".into())]);
    assert!(r.rejected()[0].error.to_string().contains("weight"));
}

mod two_tables_against_json_lines {
    //! facts §5's contract as a property: random households, their member rows shuffled,
    //! split, duplicated, truncated or over-long; the oracle is the JSON-Lines path on the same
    //! households. Each household gets the oracle's class, or (only when one of its own rows
    //! was spoilt) is rejected; every household row is counted once.
    use super::*;
    use chuan_ngheo::records::{classify_json_line, LineResult};
    use chuan_ngheo::{Lang, Registry, StandardChoice};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct Hh {
        income: u32,
        area_m2: u32,
        piped: bool,
        ages: Vec<(u8, bool)>,
    }

    fn hh() -> impl Strategy<Value = Hh> {
        (
            1_000_000u32..3_500_000,
            5u32..80,
            any::<bool>(),
            prop::collection::vec((0u8..90, any::<bool>()), 1..5),
        )
            .prop_map(|(income, area_m2, piped, ages)| Hh {
                income,
                area_m2,
                piped,
                ages,
            })
    }

    #[derive(Debug, Clone, Copy)]
    enum Spoil {
        Duplicate,
        Truncate,
        OverLong,
    }

    const MEMBERS_HEAD: &str = "household_id,age,labour,social_allowance,stunted,underweight,health_insurance,in_school,level_suited_to_age,education,ill_untreated,note\n";

    fn member_row(id: &str, age: u8, insured: bool, note: &str) -> String {
        let i = u8::from(insured);
        format!("{id},{age},employed_with_contract,0,0,0,{i},0,1,university,0,{note}\n")
    }

    fn oracle(id: &str, h: &Hh) -> String {
        let members: Vec<String> = h
            .ages
            .iter()
            .map(|&(age, insured)| {
                format!(
                    r#"{{"age":{age},"labour":"employed_with_contract","social_allowance":false,"stunted":false,"underweight":false,"health_insurance":{insured},"in_school":false,"level_suited_to_age":true,"education":"university","ill_untreated":false}}"#
                )
            })
            .collect();
        let water = if h.piped { "piped" } else { "surface" };
        let line = format!(
            r#"{{"id":"{id}","standard":"vn-2022-2025","area":"rural","income_per_capita":"{}","facts":{{"floor_area_m2":{},"walls":"durable","pillars":"durable","roof":"durable","water_source":"{water}","latrine":"septic","internet":true,"phone":true,"devices":["tv"],"loudspeaker":true,"waste":"collected","members":[{}]}}}}"#,
            h.income,
            h.area_m2,
            members.join(",")
        );
        match classify_json_line(
            1,
            &line,
            &Registry::new(),
            StandardChoice::FromRecord,
            Lang::En,
        ) {
            LineResult::Assessed(r) => r.class.code().to_owned(),
            LineResult::Rejected(e) => panic!("oracle rejected {line}: {:?}", e.error.message),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn each_household_gets_the_json_lines_class_or_is_rejected_for_its_own_spoilt_row(
            households in prop::collection::vec(hh(), 1..10),
            order in any::<prop::sample::Index>(),
            spoils in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3), 0..3),
            threads in 1usize..3,
        ) {
            let ids: Vec<String> = (0..households.len()).map(|i| format!("h{i}")).collect();
            let mut head = String::from("id,area,income_per_capita,members,floor_area_m2,walls,pillars,roof,water_source,latrine,internet,phone,devices,loudspeaker,waste\n");
            let mut rows: Vec<(usize, String)> = Vec::new();
            for (i, h) in households.iter().enumerate() {
                let water = if h.piped { "piped" } else { "surface" };
                head.push_str(&format!(
                    "{},rural,{},{},{},durable,durable,durable,{water},septic,1,1,tv,1,collected\n",
                    ids[i], h.income, h.ages.len(), h.area_m2
                ));
                for &(age, insured) in &h.ages {
                    rows.push((i, member_row(&ids[i], age, insured, "")));
                }
            }
            // Spoil some rows: each spoils its own household only.
            let mut spoilt = std::collections::BTreeSet::new();
            for (at, kind) in &spoils {
                let r = at.index(rows.len());
                let (hh, text) = rows[r].clone();
                match [Spoil::Duplicate, Spoil::Truncate, Spoil::OverLong][*kind] {
                    Spoil::Duplicate => rows.push((hh, text)),
                    Spoil::Truncate => {
                        let cut = text.trim_end().rsplit_once(',').unwrap().0.to_owned() + "\n";
                        rows[r] = (hh, cut);
                    }
                    Spoil::OverLong => {
                        let h = &households[hh];
                        let (age, insured) = h.ages[0];
                        rows[r] = (hh, member_row(&ids[hh], age, insured, &"x".repeat(400)));
                    }
                }
                spoilt.insert(hh);
            }
            // Shuffle by a seeded rotation-and-interleave: every order is a permutation.
            let n = rows.len();
            let k = order.index(n.max(1));
            let mut shuffled: Vec<(usize, String)> = Vec::with_capacity(n);
            let (mut lo, mut hi) = (rows[..k].to_vec(), rows[k..].to_vec());
            hi.reverse();
            while !lo.is_empty() || !hi.is_empty() {
                if let Some(x) = hi.pop() { shuffled.push(x); }
                if let Some(x) = lo.pop() { shuffled.push(x); }
            }
            let members: String = std::iter::once(MEMBERS_HEAD.to_owned())
                .chain(shuffled.into_iter().map(|x| x.1))
                .collect();
            let s = Standard::builtin("vn-2022-2025").unwrap();
            let options = CsvOptions::new().group_by("id").threads(threads).max_record_bytes(256);
            let r = read_facts_report(head.as_bytes(), members.as_bytes(), s, &options).unwrap();
            let input = r.input();
            prop_assert_eq!(input.rows, households.len() as u64);
            prop_assert_eq!(input.classified + input.indeterminate + input.rejected, input.rows);
            let json = r.to_json();
            let rejected: std::collections::BTreeSet<String> =
                r.rejected().iter().filter_map(|x| x.id.clone()).collect();
            for (i, h) in households.iter().enumerate() {
                let id = &ids[i];
                if rejected.contains(id) {
                    prop_assert!(spoilt.contains(&i), "{} rejected, none of its rows spoilt", id);
                    continue;
                }
                prop_assert!(!spoilt.contains(&i), "{} classified from a spoilt row", id);
                let group = &json["groups"]["id"][id.as_str()]["households"];
                let got = group
                    .as_object()
                    .and_then(|o| o.iter().find(|(_, v)| v.as_u64() == Some(1)).map(|(k, _)| k.clone()))
                    .unwrap_or_else(|| "indeterminate".into());
                prop_assert_eq!(got, oracle(id, h), "household {}", id);
            }
        }
    }
}

#[test]
fn a_household_with_more_members_than_the_limit_is_rejected_whole_and_one_at_the_limit_is_not() {
    let h = [HEAD.to_owned(), household("a"), household("b")].concat();
    let mut m = MHEAD.to_owned();
    for _ in 0..5 {
        m.push_str(&member("a", "40"));
    }
    for _ in 0..4 {
        m.push_str(&member("b", "40"));
    }
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new().max_members(4);
    let r = read_facts_report(h.as_bytes(), m.as_bytes(), s, &options).unwrap();
    assert_eq!(rejected(&r), vec![(2, "a".into(), "invalid_value".into())]);
    assert!(r.rejected()[0]
        .error
        .to_string()
        .contains("more than 4 member rows"));
    assert_eq!((r.input().rows, r.input().rejected), (2, 1));
}

#[test]
fn an_over_long_household_row_still_finds_its_member_rows_by_the_id_in_its_first_bytes() {
    let long = format!(
        "b,rural,3000000,60,durable,durable,durable,piped,septic,1,1,tv,1,{}\n",
        "x".repeat(600)
    );
    let h = [HEAD.to_owned(), household("a"), long, household("c")].concat();
    let m = [
        MHEAD.to_owned(),
        member("a", "40"),
        member("b", "40"),
        member("c", "40"),
    ]
    .concat();
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new().max_record_bytes(300);
    let r = read_facts_report(h.as_bytes(), m.as_bytes(), s, &options).unwrap();
    assert_eq!(rejected(&r), vec![(3, "b".into(), "invalid_value".into())]);
    assert_eq!((r.input().rows, r.input().classified), (3, 2));
}

#[test]
fn a_row_with_more_fields_than_the_header_is_rejected_not_cut() {
    // A decimal comma: "1500000,5" must not read as 1,500,000.
    let h = "id,area,income_per_capita\na,rural,1500000,5\n";
    let m = "household_id\na\n";
    let r = report(h, m, "vn-2022-2025", &[]);
    assert_eq!(rejected(&r), vec![(2, "a".into(), "invalid_value".into())]);
    assert!(r.rejected()[0]
        .error
        .to_string()
        .contains("more fields than the header"));
    let m = "household_id,age\na,40,1\n";
    let h = "id,area,income_per_capita\na,rural,1500000\n";
    let r = report(h, m, "vn-2022-2025", &[]);
    assert_eq!(rejected(&r), vec![(2, "a".into(), "invalid_value".into())]);
}

#[test]
fn columns_the_run_does_not_read_are_listed_as_ignored() {
    let h = "id,area,income_per_capita,year,stratum,psu,province\na,rural,1500000,2024,1,1,01\n";
    let m = "household_id,age,shoe_size\na,40,9\n";
    let r = report(h, m, "vn-2022-2025", &[]);
    assert_eq!(
        r.to_json()["ignored_columns"],
        serde_json::json!(["year", "stratum", "psu", "province", "members.shoe_size"])
    );
}

mod exact_decimals {
    //! One decimal reader for every legal quantity: a floor area written with up to 40 digits
    //! is compared exactly with 8 m² × members (Decree 07/2021, housing area), through the
    //! members table's reader and through a JSON record alike, or refused by both when a
    //! decimal cannot hold it; never rounded to the other side.
    use super::*;
    use chuan_ngheo::records::{classify_json_line, LineResult};
    use chuan_ngheo::{Indicator, Lang, Registry, StandardChoice};
    use proptest::prelude::*;

    /// `a < b` for plain non-negative decimal strings, by digits alone (the oracle).
    fn less(a: &str, b: &str) -> bool {
        let split = |s: &str| {
            let (i, f) = s.split_once('.').unwrap_or((s, ""));
            (i.trim_start_matches('0').to_owned(), f.to_owned())
        };
        let ((ai, af), (bi, bf)) = (split(a), split(b));
        if ai.len() != bi.len() {
            return ai.len() < bi.len();
        }
        let w = af.len().max(bf.len());
        let (af, bf) = (format!("{af:0<w$}"), format!("{bf:0<w$}"));
        (ai, af) < (bi, bf)
    }

    /// Whether a `Decimal` holds the digits exactly: at most 28 decimals (trailing zeros
    /// aside) and a mantissa under 2^96.
    fn fits_a_decimal(s: &str) -> bool {
        let (i, f) = s.split_once('.').unwrap_or((s, ""));
        let f = f.trim_end_matches('0');
        let digits = format!("{i}{f}");
        let digits = digits.trim_start_matches('0');
        f.len() <= 28 && digits.parse::<u128>().is_ok_and(|m| m < 1u128 << 96)
    }

    /// Some(deprived) or None when refused: the CSV path.
    fn by_csv(area: &str, members: usize) -> Option<bool> {
        let h = format!("id,area,income_per_capita,floor_area_m2,walls,pillars,roof,water_source,latrine,internet,phone,devices,loudspeaker,waste\na,rural,3000000,{area},durable,durable,durable,piped,septic,1,1,tv,1,collected\n");
        let m: String = std::iter::once(MHEAD.to_owned())
            .chain((0..members).map(|_| member("a", "40")))
            .collect();
        let r = report(&h, &m, "vn-2022-2025", &[]);
        if r.input().rejected == 1 {
            assert_eq!(r.rejected()[0].error.code(), "invalid_fact");
            return None;
        }
        let j = r.to_json();
        Some(
            j["af"]["uncensored_headcount"]["housing_area"]
                .as_f64()
                .unwrap()
                == 1.0,
        )
    }

    /// The same through a JSON record, the area as a number and as a string.
    fn by_json(area: &str, members: usize, quoted: bool) -> Option<bool> {
        let m = vec![r#"{"age":40,"labour":"employed_with_contract","social_allowance":false,"stunted":false,"underweight":false,"health_insurance":true,"in_school":false,"level_suited_to_age":true,"education":"university","ill_untreated":false}"#; members].join(",");
        let a = if quoted {
            format!("\"{area}\"")
        } else {
            area.to_owned()
        };
        let line = format!(
            r#"{{"id":"a","standard":"vn-2022-2025","area":"rural","income_per_capita":"3000000","facts":{{"floor_area_m2":{a},"walls":"durable","pillars":"durable","roof":"durable","water_source":"piped","latrine":"septic","internet":true,"phone":true,"devices":["tv"],"loudspeaker":true,"waste":"collected","members":[{m}]}}}}"#
        );
        match classify_json_line(
            1,
            &line,
            &Registry::new(),
            StandardChoice::FromRecord,
            Lang::En,
        ) {
            LineResult::Assessed(r) => Some(r.deprivations.contains(Indicator::HousingArea)),
            LineResult::Rejected(e) => {
                assert_eq!(e.error.kind, "invalid_fact", "{}", e.error.message);
                None
            }
        }
    }

    fn digits() -> impl Strategy<Value = (usize, String)> {
        // At, just under and just over 8 m² × members, with up to 40 digits.
        (1usize..5, 0usize..3, 0usize..38, 0u8..10).prop_map(|(members, side, len, last)| {
            let edge = 8 * members;
            let text = match side {
                0 if len == 0 => edge.to_string(),
                0 => format!("{edge}.{}", "0".repeat(len)),
                1 => format!("{}.{}{last}", edge - 1, "9".repeat(len)),
                _ => format!("{edge}.{}{}", "0".repeat(len), last.max(1)),
            };
            (members, text)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn every_reader_compares_a_floor_area_exactly_or_refuses_it((members, area) in digits()) {
            let edge = (8 * members).to_string();
            let want = fits_a_decimal(&area).then(|| less(&area, &edge));
            prop_assert_eq!(by_csv(&area, members), want, "csv {}", area);
            prop_assert_eq!(by_json(&area, members, false), want, "json number {}", area);
            prop_assert_eq!(by_json(&area, members, true), want, "json string {}", area);
        }
    }

    #[test]
    fn digit_separators_exponents_and_bare_points_are_refused_as_floor_areas() {
        for bad in ["1_6", "1e3", "1.6e1", "16.", ".5", "+16", "1,6"] {
            if bad != "1,6" {
                assert_eq!(by_csv(bad, 2), None, "{bad}");
            }
            assert_eq!(by_json(bad, 2, true), None, "{bad}");
        }
    }

    #[test]
    fn serde_deserialize_refuses_a_float_floor_area_rather_than_rounding_it() {
        let text = r#"{"floor_area_m2": 23.9999999999999999, "members": [{"age": 40}, {"age": 40}, {"age": 40}]}"#;
        let e = serde_json::from_str::<chuan_ngheo::facts::HouseholdFacts>(text).unwrap_err();
        assert!(e.to_string().contains("floor_area_m2"), "{e}");
        // The crate's own reader reads the same digits exactly: under 24 = 8 × 3.
        let f = chuan_ngheo::facts::HouseholdFacts::from_json(text).unwrap();
        assert_eq!(f.floor_area_m2.unwrap().to_string(), "23.9999999999999999");
    }
}
