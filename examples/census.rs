//! Population report: classify every household of a table under one standard and report
//! counts, rates, persons and Alkire–Foster measures, nationally and by group.
//!
//! ```sh
//! cargo run --release --example census -- [FILE.csv | -] [--members MEMBERS.csv] [--year Y | --standard ID | --standard-file PATH] [--group-by COL]... [--k K1,K2] [--json] [--threads N] [--keep-rejected N]
//! ```
//!
//! With `--precision`, the table is a sample survey: it needs a `weight` column and may give
//! `stratum` and `psu`; the report adds the standard error and the 95% interval of every rate
//! and Alkire–Foster measure, nationally and per group (`--lonely-psu adjust|skip` for
//! strata with a single PSU, `--deff` for design effects).
//!
//! With `--members`, FILE is the households table of the two-table facts form (household facts
//! as columns, one row per household) and MEMBERS the members table (one row per member):
//! each household's deprivations are decided from its facts by the standard's indicator rules.
//!
//! Exit status: 0 with a report, 1 when every row was rejected, 2 when the run could not be
//! made (bad options, an unreadable file, a bad header).
//!
//! With no FILE it runs on a built-in sample population: a deterministic synthetic country of
//! 250,000 households over the 63 provinces (SYNTHETIC, not survey data), whose regional poor
//! rates under the 2022–2025 standard follow the published 2022 regional rates. It is then
//! grouped by region unless `--group-by` says otherwise, and uses the 2022–2025 standard
//! unless told another.

#[macro_use]
#[path = "support/out.rs"]
mod out;
#[path = "support/cli.rs"]
mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chuan_ngheo::population::csv::{read_facts_report, read_report, CsvOptions};
use chuan_ngheo::population::precision::{LonelyPsu, PrecisionBlock, PrecisionOptions};
use chuan_ngheo::population::sample_data::{self, Region};
use chuan_ngheo::population::{Report, Tally};
use chuan_ngheo::records::escape_controls;
use chuan_ngheo::{PovertyClass, Registry, Standard};

const SAMPLE_HOUSEHOLDS: usize = 250_000;
const SAMPLE_SEED: u64 = 2022;

struct Args {
    file: Option<String>,
    members: Option<String>,
    precision: bool,
    lonely_psu: Option<String>,
    deff: bool,
    year: Option<i32>,
    standard: Option<String>,
    standard_file: Option<String>,
    group_by: Vec<String>,
    json: bool,
    threads: usize,
    ks: Vec<u32>,
    keep_rejected: usize,
}

const USAGE: &str = "usage: census [FILE.csv] [--members MEMBERS.csv] [--precision [--lonely-psu adjust|skip] [--deff]] [--year Y | --standard ID | --standard-file PATH] [--group-by COL]... [--k K1,K2,...] [--json] [--threads N] [--keep-rejected N]
  FILE may be - for standard input; without FILE, the built-in synthetic country is read.";

fn parse_args() -> Result<cli::Parsed<Args>, String> {
    use cli::{Long, Short, Value};
    let mut a = Args {
        file: None,
        members: None,
        precision: false,
        lonely_psu: None,
        deff: false,
        year: None,
        standard: None,
        standard_file: None,
        group_by: vec![],
        json: false,
        threads: 0,
        ks: vec![],
        keep_rejected: 0,
    };
    let mut p = cli::Parser::from_env();
    let mut seen = cli::Seen::default();
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        // --group-by may repeat; any other option given twice is a mistake, not last-wins.
        if let Long(name) = arg {
            if name != "group-by" {
                seen.once(name)?;
            }
        }
        match arg {
            Short('h') | Long("help") => return Ok(cli::Parsed::Help),
            Long("year") => a.year = Some(cli::value(&mut p, "year", "a year")?),
            Long("standard") => a.standard = Some(cli::text(&mut p, "standard")?),
            Long("members") => a.members = Some(cli::text(&mut p, "members")?),
            Long("precision") => a.precision = true,
            Long("deff") => a.deff = true,
            Long("lonely-psu") => a.lonely_psu = Some(cli::text(&mut p, "lonely-psu")?),
            Long("standard-file") => a.standard_file = Some(cli::text(&mut p, "standard-file")?),
            Long("group-by") => a.group_by.push(cli::text(&mut p, "group-by")?),
            Long("threads") => a.threads = cli::value(&mut p, "threads", "a number")?,
            Long("json") => a.json = true,
            Long("keep-rejected") => {
                a.keep_rejected = cli::value(&mut p, "keep-rejected", "a number")?
            }
            Long("k") => {
                let v = cli::text(&mut p, "k")?;
                a.ks = v
                    .split(',')
                    .map(|k| {
                        k.trim()
                            .parse::<u32>()
                            .map_err(|_| format!("--k: not a list of whole numbers: {v}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            Value(v) if a.file.is_none() => a.file = Some(cli::positional(v)?),
            Value(v) => return Err(format!("one FILE at most, got a second: {v:?}")),
            other => return Err(cli::unexpected(other)),
        }
    }
    if [
        a.year.is_some(),
        a.standard.is_some(),
        a.standard_file.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count()
        > 1
    {
        return Err("give at most one of --year, --standard, --standard-file".into());
    }
    if (a.lonely_psu.is_some() || a.deff) && !a.precision {
        return Err("--lonely-psu and --deff go with --precision".into());
    }
    if a.precision && a.members.is_some() {
        return Err(
            "--precision reads a households table with weights, not the two-table facts form"
                .into(),
        );
    }
    if a.members.is_some() && !matches!(a.file.as_deref(), Some(f) if f != "-") {
        return Err("--members needs the households table as FILE (a file, not -)".into());
    }
    Ok(cli::Parsed::Run(a))
}

fn pick_standard(a: &Args) -> Result<Standard, String> {
    let registry = Registry::new();
    if let Some(path) = &a.standard_file {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        return Standard::from_json(&text).map_err(|e| format!("{path}: {e}"));
    }
    if let Some(id) = &a.standard {
        return registry.get(id).cloned().map_err(|e| e.to_string());
    }
    if let Some(y) = a.year {
        return registry.for_year(y).cloned().map_err(|e| e.to_string());
    }
    if a.file.is_none() {
        return registry
            .get("vn-2022-2025")
            .cloned()
            .map_err(|e| e.to_string());
    }
    Err("a households table needs --year, --standard or --standard-file".into())
}

fn main() -> ExitCode {
    if let Err(e) = out::check_stdout() {
        return out::exit("census", Err(e));
    }
    let mut args = match cli::args_or_exit("census", USAGE, parse_args()) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let standard = match pick_standard(&args) {
        Ok(s) => s,
        Err(e) => {
            say!("census: {e}");
            return ExitCode::from(2);
        }
    };
    let sample = args.file.is_none();
    if sample && args.group_by.is_empty() {
        args.group_by.push("region".into());
    }

    let started = Instant::now();
    let last = AtomicU64::new(0);
    let show_progress = std::io::stderr().is_terminal();
    let progress = |rows: u64| {
        let ms = started.elapsed().as_millis() as u64;
        if show_progress && ms >= last.load(Ordering::Relaxed) + 250 {
            last.store(ms, Ordering::Relaxed);
            let rate = rows as f64 / started.elapsed().as_secs_f64().max(1e-9);
            say!("\rcensus: {rows} rows, {:.0} rows/s   ", rate);
        }
    };
    // The cut-offs are checked before the pass, not after reading the whole file.
    if let Err(e) = Report::new(&standard, &[]).af_for_cutoffs(&args.ks) {
        say!("census: --k: {e}");
        return ExitCode::from(2);
    }
    let mut options = CsvOptions::new();
    if args.precision {
        let lonely_psu = match args.lonely_psu.as_deref() {
            None => LonelyPsu::Error,
            Some("adjust") => LonelyPsu::Adjust,
            Some("skip") => LonelyPsu::Skip,
            Some("certainty") => {
                say!("census: --lonely-psu certainty: the treatment that adds no variance for a single-PSU stratum is samplics' skip (its certainty makes the second-stage units PSUs, which needs columns this reader does not have): use --lonely-psu skip");
                return ExitCode::from(2);
            }
            Some(other) => {
                say!("census: --lonely-psu: adjust or skip, got {other:?}");
                return ExitCode::from(2);
            }
        };
        options = options.precision(PrecisionOptions {
            lonely_psu,
            design_effects: args.deff,
        });
    }
    let options = options
        .group_by_all(args.group_by.iter().cloned())
        .threads(args.threads)
        .keep_rejected(args.keep_rejected)
        .progress(&progress);
    let result = match (&args.file, &args.members) {
        (Some(path), Some(members)) => {
            let open = |p: &str| std::fs::File::open(p).map_err(|e| format!("{p}: {e}"));
            match (open(path), open(members)) {
                (Ok(h), Ok(m)) => read_facts_report(
                    std::io::BufReader::new(h),
                    std::io::BufReader::new(m),
                    &standard,
                    &options,
                ),
                (Err(e), _) | (_, Err(e)) => {
                    say!("census: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        _ => match &args.file {
            Some(path) if path == "-" => read_report(std::io::stdin().lock(), &standard, &options),
            Some(path) => match std::fs::File::open(path) {
                Ok(f) => read_report(f, &standard, &options),
                Err(e) => {
                    say!("census: {path}: {e}");
                    return ExitCode::from(2);
                }
            },
            None => {
                let country = sample_data::country(SAMPLE_HOUSEHOLDS, SAMPLE_SEED);
                let mut table = Vec::with_capacity(SAMPLE_HOUSEHOLDS * 96);
                if let Err(e) = sample_data::write_csv(&mut table, &country) {
                    say!("census: building the sample: {e}");
                    return ExitCode::from(2);
                }
                read_report(table.as_slice(), &standard, &options)
            }
        },
    };
    if show_progress {
        say!("\r\x1b[K");
    }
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            say!("census: {e}");
            return ExitCode::from(2);
        }
    };
    // A design that cannot give a variance is said, with the rows whose rejection may have
    // caused it, after the report (its counts and rates stand; only precision is missing),
    // and the run exits 2.
    let design_error = report.precision().and_then(|p| p.err());
    let elapsed = started.elapsed();
    let rows = report.input().rows;
    say!(
        "census: {rows} rows in {:.2} s ({:.0} rows/s)",
        elapsed.as_secs_f64(),
        rows as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    // Alkire–Foster at other cut-offs, from the same pass.
    let by_k = match report.af_for_cutoffs(&args.ks) {
        Ok(m) => m,
        Err(e) => {
            say!("census: --k: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = out::stdout();
    let written: std::io::Result<()> = if args.json {
        // Streamed: a report of a million groups is written one group at a time.
        let mut json = report.json();
        if !by_k.is_empty() {
            json = json.with(
                "af_by_k",
                serde_json::Value::Object(
                    by_k.iter()
                        .zip(&args.ks)
                        .map(|(m, k)| (k.to_string(), m.to_json()))
                        .collect(),
                ),
            );
        }
        serde_json::to_writer_pretty(&mut out, &json)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        let by_k: Vec<(u32, f64, f64, f64)> = args
            .ks
            .iter()
            .zip(&by_k)
            .map(|(k, m)| (*k, m.h, m.a, m.m0))
            .collect();
        print_report(&mut out, &standard, &report, sample, &by_k)
    };
    if let Err(e) = written
        .map_err(out::Fail::Write)
        .and_then(|()| out::finish(&mut out))
    {
        return out::exit("census", Err(e));
    }
    let i = report.input();
    if i.rows > 0 && i.rows == i.rejected {
        say!("census: every row was rejected");
        return ExitCode::from(1);
    }
    if let Some(e) = design_error {
        say!("census: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn print_report(
    out: &mut impl Write,
    s: &Standard,
    r: &Report,
    sample: bool,
    by_k: &[(u32, f64, f64, f64)],
) -> std::io::Result<()> {
    let d = s.data();
    writeln!(out, "Population report under {} — {}", s.id(), d.name.en)?;
    writeln!(out, "                          {}", d.name.vi)?;
    if sample {
        writeln!(
            out,
            "Input: built-in SYNTHETIC country of {} households over 63 provinces (seed {SAMPLE_SEED}); not survey data.",
            thousands(SAMPLE_HOUSEHOLDS as u64)
        )?;
    }
    let i = r.input();
    writeln!(
        out,
        "Rows: {} = {} classified + {} indeterminate + {} rejected{}\n",
        thousands(i.rows),
        thousands(i.classified),
        thousands(i.indeterminate),
        thousands(i.rejected),
        if r.is_weighted() {
            " (rates weighted)"
        } else {
            ""
        }
    )?;
    let t = r.total();
    writeln!(
        out,
        "{:<26} {:>12} {:>8} {:>12}",
        "Class", "Households", "Rate", "Persons"
    )?;
    for c in PovertyClass::DETERMINATE {
        writeln!(
            out,
            "{:<26} {:>12} {:>8} {:>12}",
            c.name(chuan_ngheo::Lang::En),
            thousands(t.households[c]),
            pct(t.rate(c)),
            thousands(t.persons[c])
        )?;
    }
    let af = r.af();
    writeln!(
        out,
        "\nAlkire–Foster, equal weights, k = {} of {} indicators, over {} complete cases:",
        af.k.map_or_else(|| format!("{:.3}", af.k_share), |k| k.to_string()),
        s.indicators().len(),
        thousands(af.households)
    )?;
    writeln!(
        out,
        "  H = {:.4}   A = {:.4}   M0 = {:.4}",
        af.h, af.a, af.m0
    )?;
    for (k, h, a, m0) in by_k {
        writeln!(
            out,
            "  at k = {k:<2}  H = {h:.4}   A = {a:.4}   M0 = {m0:.4}"
        )?;
    }
    writeln!(
        out,
        "  {:<40} {:>11} {:>9} {:>13}",
        "Indicator", "Uncensored", "Censored", "Contribution"
    )?;
    for m in &af.indicators {
        writeln!(
            out,
            "  {:<40} {:>11} {:>9} {:>13}",
            m.indicator.name_en(),
            pct(m.uncensored_headcount),
            pct(m.censored_headcount),
            pct(m.contribution)
        )?;
    }
    for g in r.groupings() {
        let mut groups: Vec<(&str, &Tally)> = g.groups();
        groups.sort_by(|a, b| {
            b.1.rate(PovertyClass::Poor)
                .total_cmp(&a.1.rate(PovertyClass::Poor))
                .then(a.0.cmp(b.0))
        });
        let published = sample && g.name() == "region" && s.id() == "vn-2022-2025";
        writeln!(
            out,
            "\nBy {} (sorted by poor rate, highest first):",
            escape_controls(g.name())
        )?;
        write!(
            out,
            "  {:<30} {:>10} {:>8} {:>10} {:>8} {:>9} {:>7}",
            g.name(),
            "Households",
            "Poor",
            "Near-poor",
            "Average",
            "Not poor",
            "M0"
        )?;
        writeln!(
            out,
            "{}",
            if published {
                "  Published 2022 poor rate"
            } else {
                ""
            }
        )?;
        for (label, t) in groups {
            write!(
                out,
                "  {:<30} {:>10} {:>8} {:>10} {:>8} {:>9} {:>7.4}",
                escape_controls(label),
                thousands(t.classified()),
                pct(t.rate(PovertyClass::Poor)),
                pct(t.rate(PovertyClass::NearPoor)),
                pct(t.rate(PovertyClass::AverageLivingStandard)),
                pct(t.rate(PovertyClass::NotPoor)),
                t.af.measures(r.af_spec()).m0
            )?;
            match Region::ALL.iter().find(|x| x.code() == label) {
                Some(region) if published => {
                    writeln!(out, "  {:.2}%", region.published_poor_rate_2022())?
                }
                _ => writeln!(out)?,
            }
        }
    }
    if let Some(Ok(block)) = r.precision() {
        print_precision(out, r, &block)?;
    }
    if !r.rejected().is_empty() {
        writeln!(
            out,
            "\nRejected rows (first {} of {}):",
            r.rejected().len().min(20),
            i.rejected
        )?;
        for x in r.rejected().iter().take(20) {
            writeln!(
                out,
                "  line {} {}: {}",
                x.line,
                escape_controls(x.id.as_deref().unwrap_or("?")),
                escape_controls(&x.error.to_string())
            )?;
        }
    }
    Ok(())
}

/// The precision table: estimate ± 1.96·se style, with the t interval.
fn print_precision(out: &mut impl Write, r: &Report, top: &PrecisionBlock) -> std::io::Result<()> {
    writeln!(
        out,
        "\nPrecision (Taylor linearization, PSUs with replacement within strata): {} strata, {} PSUs, df {}",
        top.strata, top.psus, top.df
    )?;
    let deff = top.estimates.iter().any(|(_, e)| e.deff.is_some());
    writeln!(
        out,
        "  {:<42} {:>10} {:>10} {:>23}{}",
        "Estimate",
        "Value",
        "± 1.96·se",
        "95% interval (t)",
        if deff { "      deff" } else { "" }
    )?;
    let show = |name: &str, e: &chuan_ngheo::population::precision::Estimate| {
        let pct_like =
            name.starts_with("rates.") || name == "af.h" || name.starts_with("af.censored");
        let f = |x: f64| {
            if pct_like {
                format!("{:.2}%", x * 100.0)
            } else {
                format!("{x:.4}")
            }
        };
        (
            f(e.estimate),
            f(1.96 * e.se),
            format!("[{}, {}]", f(e.ci95.0), f(e.ci95.1)),
        )
    };
    for (name, e) in &top.estimates {
        let (v, pm, ci) = show(name, e);
        write!(out, "  {:<42} {:>10} {:>10} {:>23}", name, v, pm, ci)?;
        match e.deff {
            Some(d) => writeln!(out, "  {d:>8.2}")?,
            None => writeln!(out)?,
        }
    }
    if let Some(g) = r.groupings().first() {
        if let Some(Ok(groups)) = r.precision_by_group(g.name()) {
            writeln!(
                out,
                "\n  Poor rate by {}, as domains of the whole design:",
                escape_controls(g.name())
            )?;
            for (label, b) in groups {
                if let Some(e) = b.get("rates.poor") {
                    let (v, pm, ci) = show("rates.poor", e);
                    writeln!(
                        out,
                        "  {:<42} {:>10} {:>10} {:>23}",
                        escape_controls(label),
                        v,
                        pm,
                        ci
                    )?;
                }
            }
        }
    }
    Ok(())
}
