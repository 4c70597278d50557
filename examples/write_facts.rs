//! Writes a SYNTHETIC population (not survey data) as the two tables of the facts form
//! (households and members, facts §5), generated from a seed as it is written, so a file of
//! millions of households takes no memory: for trying `census --members` at scale.
//!
//! ```sh
//! cargo run --release --example write_facts -- N SEED HOUSEHOLDS.csv MEMBERS.csv
//! cargo run --release --example census -- HOUSEHOLDS.csv --members MEMBERS.csv --standard vn-2022-2025 --group-by province
//! ```
//!
//! With no arguments it prints the first households of seed 1, both tables, to show the form.

#[macro_use]
#[path = "support/out.rs"]
mod out;
#[path = "support/cli.rs"]
mod cli;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use chuan_ngheo::population::sample_data::write_facts_csv;

fn main() -> ExitCode {
    if let Err(e) = out::check_stdout() {
        return out::exit("write_facts", Err(e));
    }
    let args = match cli::args_or_exit("write_facts", USAGE, parse_args()) {
        Ok(a) => a,
        Err(code) => return code,
    };
    match args.as_slice() {
        [] => {
            let (mut h, mut m) = (Vec::new(), Vec::new());
            if let Err(e) = write_facts_csv(&mut h, &mut m, 3, 1) {
                say!("write_facts: {e}");
                return ExitCode::from(2);
            }
            let mut out = out::stdout();
            let ok = writeln!(out, "# households table")
                .and_then(|_| out.write_all(&h))
                .and_then(|_| writeln!(out, "# members table"))
                .and_then(|_| out.write_all(&m))
                .map_err(out::Fail::Write)
                .and_then(|_| out::finish(&mut out));
            out::exit("write_facts", ok.map(|()| ExitCode::SUCCESS))
        }
        [n, seed, households, members] => {
            let (Ok(n), Ok(seed)) = (n.parse::<usize>(), seed.parse::<u64>()) else {
                say!("write_facts: N and SEED must be whole numbers");
                return ExitCode::from(2);
            };
            let create = |p: &str| {
                std::fs::File::create(p)
                    .map(|f| BufWriter::with_capacity(1 << 20, f))
                    .map_err(|e| format!("{p}: {e}"))
            };
            let result = create(households).and_then(|mut h| {
                // One file for both tables would interleave them.
                let same = std::fs::canonicalize(households).ok()
                    == std::path::Path::new(members)
                        .parent()
                        .map(|d| {
                            if d.as_os_str().is_empty() {
                                ".".as_ref()
                            } else {
                                d
                            }
                        })
                        .and_then(|d| std::fs::canonicalize(d).ok())
                        .zip(std::path::Path::new(members).file_name())
                        .map(|(d, f)| d.join(f));
                if same {
                    return Err(format!(
                        "{households} and {members} are one file: the two tables need two"
                    ));
                }
                let mut m = create(members)?;
                write_facts_csv(&mut h, &mut m, n, seed)
                    .and_then(|_| h.flush())
                    .and_then(|_| m.flush())
                    .map_err(|e| e.to_string())
            });
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    say!("write_facts: {e}");
                    ExitCode::from(2)
                }
            }
        }
        _ => {
            say!("write_facts: give all four of N SEED HOUSEHOLDS.csv MEMBERS.csv, or none\nwrite_facts: --help shows the usage");
            ExitCode::from(2)
        }
    }
}

const USAGE: &str = "usage: write_facts [N SEED HOUSEHOLDS.csv MEMBERS.csv]
  Writes N synthetic households from SEED as the two tables of the facts form; with no
  arguments, prints the first households of seed 1.";

/// The positional arguments (no options but --help).
fn parse_args() -> Result<cli::Parsed<Vec<String>>, String> {
    use cli::{Long, Short, Value};
    let mut p = cli::Parser::from_env();
    let mut args = Vec::new();
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(cli::Parsed::Help),
            Value(v) => args.push(cli::positional(v)?),
            other => return Err(cli::unexpected(other)),
        }
    }
    Ok(cli::Parsed::Run(args))
}
