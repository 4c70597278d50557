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

use std::io::Write;
use std::process::ExitCode;

#[macro_use]
#[path = "support/out.rs"]
mod out;
#[path = "support/cli.rs"]
mod cli;
use out::Fail;

use chuan_ngheo::target::{builtin_set, change, check, published_series, Observation, Series};
use chuan_ngheo::Lang;

const ILLUSTRATIVE: &str = include_str!("data/cao-bang-illustrative.json");

/// The checks of every target of a set, in both languages.
fn print_checks(out: &mut impl Write, set_id: &str, series: &[Observation]) -> Result<(), Fail> {
    let set = builtin_set(set_id)?;
    writeln!(out, "\n{}\n{}", set.name.vi, set.name.en)?;
    for t in &set.targets {
        match check(t, series) {
            Ok(c) => {
                writeln!(out, "  vi: {}", c.sentence(t, Lang::Vi))?;
                writeln!(out, "  en: {}", c.sentence(t, Lang::En))?;
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
                    writeln!(
                        out,
                        "      thay đổi từng năm: {}",
                        years(Lang::Vi).join(", ")
                    )?;
                    writeln!(out, "      yearly changes: {}", years(Lang::En).join(", "))?;
                }
            }
            Err(e) => writeln!(out, "  {}: chưa kiểm tra được / not checked: {e}", t.id)?,
        }
    }
    Ok(())
}

fn label(out: &mut impl Write, series: &Series) -> std::io::Result<()> {
    if let Some(note) = &series.note {
        writeln!(out, "  series: {note}")?;
    }
    Ok(())
}

fn run() -> Result<ExitCode, Fail> {
    out::check_stdout()?;
    let file = match cli::args_or_exit("targets", USAGE, parse_args()) {
        Ok(f) => f,
        Err(code) => return Ok(code),
    };
    let out = &mut out::stdout();
    let national = published_series("national").map_err(|e| e.to_string())?;
    let cao_bang = published_series("cao-bang").map_err(|e| e.to_string())?;

    writeln!(out, "== National / Toàn quốc")?;
    label(out, national)?;
    print_checks(out, "ntp-2016-2020", &national.observations)?;
    print_checks(out, "ntp-2021-2025", &national.observations)?;

    writeln!(
        out,
        "\nAcross the change of standard / Qua thay đổi chuẩn nghèo:"
    )?;
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
            Ok(c) => writeln!(out, "  unexpected: compared across standards: {c:?}")?,
            Err(e) => writeln!(
                out,
                "  2,23% (2021) → 4,03% (2022) / 2.23% → 4.03%: refused: {e}"
            )?,
        }
    }
    if let (Some(base), Some(latest)) = (poor(2021, "vn-2022-2025"), poor(2024, "vn-2022-2025")) {
        if let Ok(c) = change(base, latest) {
            writeln!(out,
                "  5.20% → 1.93% (2021–2024, vn-2022-2025): absolute {:+.2} pp, annualised {:+.3} pp/yr, relative {:+.1}%, annualised relative {:+.1}%/yr",
                c.absolute, c.annualized_absolute, c.relative * 100.0, c.annualized_relative * 100.0
            )?;
        }
    }

    writeln!(
        out,
        "\n== Cao Bằng: published figures against the province's yearly plans"
    )?;
    label(out, cao_bang)?;
    // The published yearly cuts, each from two published rates under one standard (the
    // province reports 4.23 points for 2022→2023 and 4.67 for 2023→2024).
    writeln!(
        out,
        "  Yearly change of the poor rate / Thay đổi tỷ lệ hộ nghèo hằng năm (vn-2022-2025):"
    )?;
    let mut rates: Vec<&Observation> = cao_bang
        .observations
        .iter()
        .filter(|o| {
            o.standard == "vn-2022-2025"
                && o.measure == chuan_ngheo::target::Measure::PoorRate
                && o.subgroup == chuan_ngheo::target::Subgroup::All
        })
        .collect();
    rates.sort_by_key(|o| o.year);
    for pair in rates.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        match change(a, b) {
            Ok(c) => writeln!(
                out,
                "    {} → {}: {}% → {}%: {:+.2} pp [{} → {}]",
                a.year,
                b.year,
                a.value,
                b.value,
                c.absolute,
                a.provenance.map_or("?", |p| p.tag()),
                b.provenance.map_or("?", |p| p.tag())
            )?,
            Err(e) => writeln!(out, "    {} → {}: {e}", a.year, b.year)?,
        }
    }
    for plan in ["cao-bang-2024", "cao-bang-2025"] {
        print_checks(out, plan, &cao_bang.observations)?;
    }

    let (text, source) = match file {
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
    writeln!(out, "\n== Cao Bằng 2017 directive (2016–2020)")?;
    writeln!(out, "  series: {source}")?;
    label(out, &series)?;
    print_checks(out, "cao-bang-2017", &series.observations)?;
    out::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    out::exit("targets", run())
}

const USAGE: &str = "usage: targets [SERIES.json]
  Checks the national and Cao Bằng targets on the published series; the Cao Bằng 2017
  directive against SERIES.json, or the shipped ILLUSTRATIVE (invented) series without it.";

/// The optional series file (no options but --help).
fn parse_args() -> Result<cli::Parsed<Option<String>>, String> {
    use cli::{Long, Short, Value};
    let mut p = cli::Parser::from_env();
    let mut file = None;
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(cli::Parsed::Help),
            Value(v) if file.is_none() => file = Some(cli::positional(v)?),
            Value(v) => return Err(format!("one SERIES.json at most, got a second: {v:?}")),
            other => return Err(cli::unexpected(other)),
        }
    }
    Ok(cli::Parsed::Run(file))
}
