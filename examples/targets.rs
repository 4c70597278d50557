//! Check poverty-reduction targets and print the verdicts in Vietnamese and English.
//!
//! ```sh
//! cargo run --release --example targets -- [SERIES.json]
//! ```
//!
//! 1. The NTP 2021–2025 targets against the published national series (standards.md §9):
//!    the 2021 baseline of 5.20% rebased to the 2022–2025 standard, 4.03% (2022), 2.93% (2023);
//!    ethnic-minority households 25.91% → 21.02%.
//! 2. The refusal to compare 2.23% (2021, old standard) with 4.03% (2022, new standard).
//! 3. The Cao Bằng 2017 targets against a series from SERIES.json; without it, the shipped
//!    ILLUSTRATIVE (invented) series `examples/data/cao-bang-illustrative.json`.

use std::process::ExitCode;

use chuan_ngheo::target::{
    builtin_sets, change, check, Measure, Observation, Series, Subgroup, TargetSet,
};
use chuan_ngheo::Lang;
use rust_decimal::Decimal;

const ILLUSTRATIVE: &str = include_str!("data/cao-bang-illustrative.json");

fn obs(
    measure: Measure,
    subgroup: Subgroup,
    year: i32,
    value: &str,
    standard: &str,
    source: &str,
) -> Observation {
    Observation {
        source: Some(source.into()),
        ..Observation::of(
            measure,
            subgroup,
            year,
            value.parse::<Decimal>().unwrap_or_default(),
            standard,
        )
    }
}

fn print_checks(set: &TargetSet, series: &[Observation]) {
    for t in &set.targets {
        match check(t, series) {
            Ok(c) => {
                println!("  vi: {}", c.sentence(t, Lang::Vi));
                println!("  en: {}", c.sentence(t, Lang::En));
                let years: Vec<String> = c
                    .yearly_changes
                    .iter()
                    .map(|y| format!("{}→{}: {:+}", y.from_year, y.to_year, y.change.round_dp(2)))
                    .collect();
                if !years.is_empty() {
                    println!("      yearly changes: {}", years.join(", "));
                }
            }
            Err(e) => println!("  {}: not checked: {e}", t.id),
        }
    }
}

fn main() -> ExitCode {
    let sets = builtin_sets();
    let Some(ntp) = sets.iter().find(|s| s.id == "ntp-2021-2025") else {
        return ExitCode::from(2);
    };
    let Some(cao_bang) = sets.iter().find(|s| s.id == "cao-bang-2017") else {
        return ExitCode::from(2);
    };

    let published = "standards.md §9 (national administrative results)";
    let national = vec![
        obs(
            Measure::PoorRate,
            Subgroup::All,
            2021,
            "2.23",
            "vn-2016-2020",
            published,
        ),
        obs(
            Measure::PoorRate,
            Subgroup::All,
            2021,
            "5.20",
            "vn-2022-2025",
            "2021 baseline rebased to the 2022-2025 standard [S]",
        ),
        obs(
            Measure::PoorRate,
            Subgroup::All,
            2022,
            "4.03",
            "vn-2022-2025",
            published,
        ),
        obs(
            Measure::PoorRate,
            Subgroup::All,
            2023,
            "2.93",
            "vn-2022-2025",
            published,
        ),
        obs(
            Measure::PoorRate,
            Subgroup::EthnicMinority,
            2021,
            "25.91",
            "vn-2022-2025",
            "[S]",
        ),
        obs(
            Measure::PoorRate,
            Subgroup::EthnicMinority,
            2022,
            "21.02",
            "vn-2022-2025",
            "[S]",
        ),
    ];
    println!("{} — {}", ntp.name.vi, ntp.name.en);
    print_checks(ntp, &national);

    println!("\nAcross the change of standard / Qua thay đổi chuẩn nghèo:");
    match change(&national[0], &national[2]) {
        Ok(c) => println!("  unexpected: compared across standards: {c:?}"),
        Err(e) => {
            println!("  2.23% (2021, vn-2016-2020) → 4.03% (2022, vn-2022-2025): refused: {e}")
        }
    }
    if let Ok(c) = change(&national[1], &national[3]) {
        println!(
            "  5.20% → 2.93% (2021–2023, vn-2022-2025): absolute {:+.2} pp, annualised {:+.3} pp/yr, relative {:+.1}%, annualised relative {:+.1}%/yr",
            c.absolute, c.annualized_absolute, c.relative * 100.0, c.annualized_relative * 100.0
        );
    }

    let (text, label) = match std::env::args().nth(1) {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(t) => (t, path),
            Err(e) => {
                eprintln!("targets: {path}: {e}");
                return ExitCode::from(2);
            }
        },
        None => (
            ILLUSTRATIVE.to_owned(),
            "examples/data/cao-bang-illustrative.json (built in)".to_owned(),
        ),
    };
    let series = match Series::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("targets: {label}: {e}");
            return ExitCode::from(2);
        }
    };
    println!("\n{} — {}", cao_bang.name.vi, cao_bang.name.en);
    println!("  series: {label}");
    if let Some(note) = &series.note {
        println!("  note: {note}");
    }
    print_checks(cao_bang, &series.observations);
    ExitCode::SUCCESS
}
