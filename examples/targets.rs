//! Check poverty-reduction targets against published figures and print the verdicts in
//! Vietnamese and English. Every target and every figure comes from the crate's data files
//! (`target::builtin_set`, `target::published_series`), each with its source and provenance.
//!
//! ```sh
//! cargo run --release --example targets -- [SERIES.json]
//! ```
//!
//! 1. The NTP 2016–2020 national target on the published 2015–2020 national series.
//! 2. The NTP 2021–2025 targets on the published series under the 2022–2025 standard (the 2021
//!    baseline rebased to it, then 2022–2024).
//! 3. The refusal to compare 2.23% (2021, old standard) with 4.03% (2022, new standard).
//! 4. Cao Bằng's published 2022–2024 figures against the province's yearly plans.
//! 5. The Cao Bằng 2017 directive (2016–2020) against a series from SERIES.json; without it,
//!    the shipped ILLUSTRATIVE (invented) series `examples/data/cao-bang-illustrative.json`, as
//!    no provincial 2016–2020 series was found.

use std::process::ExitCode;

use chuan_ngheo::target::{builtin_set, change, check, published_series, Observation, Series};
use chuan_ngheo::{Error, Lang};

const ILLUSTRATIVE: &str = include_str!("data/cao-bang-illustrative.json");

/// The checks of every target of a set, in both languages.
fn print_checks(set_id: &str, series: &[Observation]) -> Result<(), Error> {
    let set = builtin_set(set_id)?;
    println!("\n{}\n{}", set.name.vi, set.name.en);
    for t in &set.targets {
        match check(t, series) {
            Ok(c) => {
                println!("  vi: {}", c.sentence(t, Lang::Vi));
                println!("  en: {}", c.sentence(t, Lang::En));
                let years = |lang: Lang| -> Vec<String> {
                    c.yearly_changes
                        .iter()
                        .map(|y| {
                            let pp = y.change.round_dp(2).normalize();
                            match lang {
                                Lang::Vi => format!(
                                    "{}→{}: {:+} điểm %",
                                    y.from_year,
                                    y.to_year,
                                    pp.to_string().replace('.', ",")
                                ),
                                Lang::En => format!("{}→{}: {:+} pp", y.from_year, y.to_year, pp),
                            }
                        })
                        .collect()
                };
                if t.measure == chuan_ngheo::target::Measure::PoorRate && c.yearly_changes.len() > 1
                {
                    println!("      thay đổi từng năm: {}", years(Lang::Vi).join(", "));
                    println!("      yearly changes: {}", years(Lang::En).join(", "));
                }
            }
            Err(e) => println!("  {}: chưa kiểm tra được / not checked: {e}", t.id),
        }
    }
    Ok(())
}

fn label(series: &Series) {
    if let Some(note) = &series.note {
        println!("  series: {note}");
    }
}

fn run() -> Result<(), String> {
    let national = published_series("national").map_err(|e| e.to_string())?;
    let cao_bang = published_series("cao-bang").map_err(|e| e.to_string())?;

    println!("== National / Toàn quốc");
    label(national);
    print_checks("ntp-2016-2020", &national.observations).map_err(|e| e.to_string())?;
    print_checks("ntp-2021-2025", &national.observations).map_err(|e| e.to_string())?;

    println!("\nAcross the change of standard / Qua thay đổi chuẩn nghèo:");
    let poor = |year: i32, standard: &str| {
        national.observations.iter().find(|o| {
            o.year == year
                && o.standard == standard
                && o.measure == chuan_ngheo::target::Measure::PoorRate
                && o.subgroup == chuan_ngheo::target::Subgroup::All
        })
    };
    if let (Some(old), Some(new)) = (poor(2021, "vn-2016-2020"), poor(2022, "vn-2022-2025")) {
        match change(old, new) {
            Ok(c) => println!("  unexpected: compared across standards: {c:?}"),
            Err(e) => println!("  2,23% (2021) → 4,03% (2022) / 2.23% → 4.03%: refused: {e}"),
        }
    }
    if let (Some(base), Some(latest)) = (poor(2021, "vn-2022-2025"), poor(2024, "vn-2022-2025")) {
        if let Ok(c) = change(base, latest) {
            println!(
                "  5.20% → 1.93% (2021–2024, vn-2022-2025): absolute {:+.2} pp, annualised {:+.3} pp/yr, relative {:+.1}%, annualised relative {:+.1}%/yr",
                c.absolute, c.annualized_absolute, c.relative * 100.0, c.annualized_relative * 100.0
            );
        }
    }

    println!("\n== Cao Bằng: published figures against the province's yearly plans");
    label(cao_bang);
    for plan in ["cao-bang-2024", "cao-bang-2025"] {
        print_checks(plan, &cao_bang.observations).map_err(|e| e.to_string())?;
    }

    let (text, source) = match std::env::args().nth(1) {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            (text, path)
        }
        None => (
            ILLUSTRATIVE.to_owned(),
            "examples/data/cao-bang-illustrative.json (built in, ILLUSTRATIVE: invented figures)"
                .to_owned(),
        ),
    };
    let series = Series::from_json(&text).map_err(|e| format!("{source}: {e}"))?;
    println!("\n== Cao Bằng 2017 directive (2016–2020)");
    println!("  series: {source}");
    label(&series);
    print_checks("cao-bang-2017", &series.observations).map_err(|e| e.to_string())?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("targets: {e}");
            ExitCode::from(2)
        }
    }
}
