//! Who a change of standard moves: the 2022–2025 against the 2027–2030 standard, then a what-if
//! reform read from a file, on the same households.
//!
//! ```sh
//! cargo run --release --example policy_change -- [FILE.csv [--members MEMBERS.csv]] [--reform REFORM.json] [--group-by COL] [--json]
//! ```
//!
//! With no FILE it uses the census example's built-in SYNTHETIC country (250,000 households,
//! not survey data), grouped by region, and then a SYNTHETIC population of 100,000 households
//! given as facts, to show a reform of a rule. With no `--reform` it uses the shipped what-if
//! `examples/data/reform-rural-line-plus-10pct.json` (the 2022–2025 standard with the rural
//! line raised 10%) on an indicators table, and `examples/data/reform-floor-area-10m2.json`
//! (housing area deprived under 10 m² per person instead of 8) on facts.
//!
//! With `--members`, FILE is the households table of the two-table facts form and MEMBERS its
//! members table: each standard decides the deprivations from the facts by its own rules, so a
//! reform of a rule (a threshold, an age band) shows whom it moves.

#[macro_use]
#[path = "support/out.rs"]
mod out;
#[path = "support/cli.rs"]
mod cli;
use out::Fail;
use std::io::Write;

use std::process::ExitCode;

use chuan_ngheo::population::csv::CsvOptions;
use chuan_ngheo::population::impact::{read_facts_impact, read_impact, Impact, REJECTED};
use chuan_ngheo::population::sample_data;
use chuan_ngheo::records::escape_controls;
use chuan_ngheo::reform::{diff, Reform};
use chuan_ngheo::{Lang, PovertyClass, Standard};

const DEFAULT_REFORM: &str = include_str!("data/reform-rural-line-plus-10pct.json");
const DEFAULT_RULE_REFORM: &str = include_str!("data/reform-floor-area-10m2.json");

struct Args {
    file: Option<String>,
    members: Option<String>,
    reform: Option<String>,
    group_by: Option<String>,
    json: bool,
}

const USAGE: &str = "usage: policy_change [FILE.csv [--members MEMBERS.csv]] [--reform REFORM.json] [--group-by COL] [--json]
  Without FILE, the built-in synthetic country; without --reform, the built-in reforms.";

fn parse_args() -> Result<cli::Parsed<Args>, String> {
    use cli::{Long, Short, Value};
    let mut a = Args {
        file: None,
        members: None,
        reform: None,
        group_by: None,
        json: false,
    };
    let mut p = cli::Parser::from_env();
    let mut seen = cli::Seen::default();
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        if let Long(name) = arg {
            seen.once(name)?;
        }
        match arg {
            Short('h') | Long("help") => return Ok(cli::Parsed::Help),
            Long("reform") => a.reform = Some(cli::text(&mut p, "reform")?),
            Long("members") => a.members = Some(cli::text(&mut p, "members")?),
            Long("group-by") => a.group_by = Some(cli::text(&mut p, "group-by")?),
            Long("json") => a.json = true,
            Value(v) if a.file.is_none() => a.file = Some(cli::positional(v)?),
            Value(v) => return Err(format!("one FILE at most, got a second: {v:?}")),
            other => return Err(cli::unexpected(other)),
        }
    }
    if a.members.is_some() && a.file.is_none() {
        return Err("--members needs the households table as FILE".into());
    }
    Ok(cli::Parsed::Run(a))
}

/// The households: a file, read as a stream each time it is needed (memory stays flat
/// however large it is), or the built-in synthetic country, built once in memory.
enum Table {
    File(String),
    Sample(Vec<u8>),
}

impl Table {
    fn new(args: &Args) -> Result<Table, String> {
        match &args.file {
            Some(path) => Ok(Table::File(path.clone())),
            None => {
                let country = sample_data::country(250_000, 2022);
                let mut t = Vec::new();
                sample_data::write_csv(&mut t, &country).map_err(|e| e.to_string())?;
                Ok(Table::Sample(t))
            }
        }
    }

    fn reader(&self) -> Result<Box<dyn std::io::Read + '_>, String> {
        match self {
            Table::File(path) => {
                let f = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
                Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, f)))
            }
            Table::Sample(t) => Ok(Box::new(t.as_slice())),
        }
    }
}

fn print_impact(
    out: &mut impl Write,
    title: &str,
    impact: &Impact,
    group: &str,
) -> std::io::Result<()> {
    writeln!(out, "\n== {title}")?;
    let names = [
        "poor",
        "near-poor",
        "average",
        "not poor",
        "indeterm.",
        "rejected",
    ];
    writeln!(
        out,
        "  Class transition matrix (rows: {}, columns: {}):",
        impact.before.standard(),
        impact.after.standard()
    )?;
    write!(out, "  {:<12}", "")?;
    for n in names {
        write!(out, "{n:>11}")?;
    }
    writeln!(out)?;
    for (i, row) in impact.matrix().iter().enumerate() {
        if row.iter().sum::<u64>() == 0 && i >= 4 {
            continue;
        }
        write!(out, "  {:<12}", names[i])?;
        for n in row {
            write!(out, "{n:>11}")?;
        }
        writeln!(out)?;
    }
    let (b, a) = (impact.before.total(), impact.after.total());
    writeln!(
        out,
        "  {:<26} {:>10} {:>10}",
        "",
        impact.before.standard(),
        impact.after.standard()
    )?;
    for c in PovertyClass::DETERMINATE {
        writeln!(
            out,
            "  {:<26} {:>9.2}% {:>9.2}%",
            c.name(Lang::En),
            b.rate(c) * 100.0,
            a.rate(c) * 100.0
        )?;
    }
    let rejected = impact.matrix()[REJECTED].iter().sum::<u64>();
    writeln!(
        out,
        "  Households that change class: {} (rows rejected under either standard: {})",
        impact.movers_total(),
        rejected
    )?;
    if !impact.only_in_base().is_empty() || !impact.only_in_other().is_empty() {
        let list = |s: chuan_ngheo::IndicatorSet| {
            s.iter().map(|i| i.code()).collect::<Vec<_>>().join(", ")
        };
        writeln!(
            out,
            "  Indicators only in {}: {}; only in {}: {}",
            impact.before.standard(),
            list(impact.only_in_base()),
            impact.after.standard(),
            list(impact.only_in_other())
        )?;
    }
    writeln!(
        out,
        "  Groups most affected (by {group}, change in poor rate):"
    )?;
    writeln!(
        out,
        "    {:<30} {:>10} {:>9} {:>9} {:>9} {:>9}",
        group, "households", "before", "after", "change", "movers"
    )?;
    for g in impact.most_affected().iter().take(10) {
        writeln!(
            out,
            "    {:<30} {:>10} {:>8.2}% {:>8.2}% {:>+8.2} {:>9}",
            escape_controls(&g.label),
            g.households,
            g.poor_before * 100.0,
            g.poor_after * 100.0,
            (g.poor_after - g.poor_before) * 100.0,
            g.movers
        )?;
    }
    for m in impact.movers().iter().take(5) {
        writeln!(
            out,
            "    e.g. line {} {}: {} → {}",
            m.line,
            escape_controls(&m.id),
            m.from,
            m.to
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    out::exit("policy_change", run())
}

fn run() -> Result<ExitCode, Fail> {
    out::check_stdout()?;
    let args = match cli::args_or_exit("policy_change", USAGE, parse_args()) {
        Ok(a) => a,
        Err(code) => return Ok(code),
    };
    let out = &mut out::stdout();
    {
        let t = Table::new(&args)?;
        let group = args.group_by.clone().unwrap_or_else(|| {
            if args.file.is_none() {
                "region".into()
            } else {
                "province".into()
            }
        });
        let options = CsvOptions::new().group_by(group.clone());
        let s22 = Standard::builtin("vn-2022-2025").map_err(|e| e.to_string())?;
        let s27 = Standard::builtin("vn-2027-2030").map_err(|e| e.to_string())?;
        let reform_text = match &args.reform {
            Some(p) => std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?,
            None => DEFAULT_REFORM.to_owned(),
        };
        let reform = Reform::from_json(&reform_text).map_err(|e| e.to_string())?;
        let base = Standard::builtin(&reform.base).map_err(|e| e.to_string())?;
        let what_if = reform.apply(base).map_err(|e| e.to_string())?;

        // The two-table facts form: each standard reads the facts by its own rules.
        let facts_tables: Option<(Vec<u8>, Vec<u8>)> = match (&args.file, &args.members) {
            (Some(h), Some(m)) => {
                let read = |p: &str| std::fs::read(p).map_err(|e| format!("{p}: {e}"));
                Some((read(h)?, read(m)?))
            }
            _ => None,
        };
        let (national, reformed) = match &facts_tables {
            Some((h, m)) => (
                read_facts_impact(&h[..], &m[..], s22, s27, &options),
                read_facts_impact(&h[..], &m[..], base, &what_if, &options),
            ),
            None => (
                read_impact(t.reader()?, s22, s27, &options),
                read_impact(t.reader()?, base, &what_if, &options),
            ),
        };
        let national = national.map_err(|e| e.to_string())?;
        let reformed = reformed.map_err(|e| e.to_string())?;
        // With no file: a reform of a rule, on a synthetic population given as facts.
        let rule_reform = match args.file {
            Some(_) => None,
            None => {
                let reform = Reform::from_json(DEFAULT_RULE_REFORM).map_err(|e| e.to_string())?;
                let base = Standard::builtin(&reform.base).map_err(|e| e.to_string())?;
                let what_if = reform.apply(base).map_err(|e| e.to_string())?;
                let (mut h, mut m) = (Vec::new(), Vec::new());
                sample_data::write_facts_csv(&mut h, &mut m, 100_000, 2027)
                    .map_err(|e| e.to_string())?;
                let options = CsvOptions::new().group_by("province");
                let impact = read_facts_impact(&h[..], &m[..], base, &what_if, &options)
                    .map_err(|e| e.to_string())?;
                Some((reform, base, what_if, impact))
            }
        };
        if args.json {
            let mut v = serde_json::json!({"national": national.to_json(), "reform": {"reform": reform, "impact": reformed.to_json()}});
            if let Some((r, _, _, impact)) = &rule_reform {
                v["rule_reform"] = serde_json::json!({"reform": r, "impact": impact.to_json()});
            }
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?
            )?;
            out::finish(out)?;
            return Ok(ExitCode::SUCCESS);
        }
        if args.file.is_none() {
            writeln!(
                out,
                "Input: built-in SYNTHETIC country of 250,000 households (not survey data)."
            )?;
        }
        writeln!(out, "\nWhat changes from {} to {}:", s22.id(), s27.id())?;
        for d in diff(s22, s27) {
            writeln!(out, "  {d}")?;
        }
        print_impact(
            out,
            &format!("{} → {}", s22.id(), s27.id()),
            &national,
            &group,
        )?;
        writeln!(
            out,
            "\nWhat-if reform {:?}: {}",
            reform.name,
            reform.description.as_deref().unwrap_or("")
        )?;
        for d in diff(base, &what_if) {
            writeln!(out, "  {d}")?;
        }
        print_impact(
            out,
            &format!("{} → {}", base.id(), what_if.id()),
            &reformed,
            &group,
        )?;
        if let Some((r, base, what_if, impact)) = &rule_reform {
            writeln!(out,
                "\nWhat-if reform of a rule {:?}, on a SYNTHETIC population of 100,000 households given as facts (not survey data): {}",
                r.name,
                r.description.as_deref().unwrap_or("")
            )?;
            for d in diff(base, what_if) {
                writeln!(out, "  {d}")?;
            }
            print_impact(
                out,
                &format!("{} → {}", base.id(), what_if.id()),
                impact,
                "province",
            )?;
        }
        out::finish(out)?;
        Ok(ExitCode::SUCCESS)
    }
}
