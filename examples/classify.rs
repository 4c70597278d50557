//! Classify households read as JSON Lines (formats §1) and write one JSON result per
//! input line, in order (§2).
//!
//! ```sh
//! cargo run --release --example classify -- [FILE] [--year Y | --standard ID | --standard-file PATH] [--lang vi|en]
//! ```
//!
//! With no FILE and standard input on a terminal, it runs on its built-in sample (the legal
//! cases shipped in `examples/data/legal-cases.jsonl`). Exit status 1 if any line was rejected.
//!
//! A record may give the household's facts instead of its deprivations (`"facts": {...}`, see
//! the crate's `docs::facts`): the standard's indicator rules decide the deprivations, and the
//! result lists every indicator's answer with its reason (`indicators`). Try
//! `examples/data/facts-households.jsonl`.

#[macro_use]
#[path = "support/out.rs"]
mod out;
#[path = "support/cli.rs"]
mod cli;

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use chuan_ngheo::records::{
    classify_json_line, unreadable_record, InputLine, JsonLines, LineResult,
};
use chuan_ngheo::{Lang, Registry, Standard, StandardChoice};

const SAMPLE: &str = include_str!("data/legal-cases.jsonl");

struct Args {
    file: Option<String>,
    year: Option<i32>,
    standard: Option<String>,
    standard_file: Option<String>,
    lang: Lang,
}

const USAGE: &str =
    "usage: classify [FILE] [--year Y | --standard ID | --standard-file PATH] [--lang vi|en]
  FILE holds one household record per line (JSON Lines); - or no FILE: standard input, or the
  built-in legal cases when standard input is a terminal.";

fn parse_args() -> Result<cli::Parsed<Args>, String> {
    use cli::{Long, Short, Value};
    let mut a = Args {
        file: None,
        year: None,
        standard: None,
        standard_file: None,
        lang: Lang::En,
    };
    let mut p = cli::Parser::from_env();
    let mut seen = cli::Seen::default();
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        if let Long(name) = arg {
            seen.once(name)?;
        }
        match arg {
            Short('h') | Long("help") => return Ok(cli::Parsed::Help),
            Long("year") => a.year = Some(cli::value(&mut p, "year", "a year")?),
            Long("standard") => a.standard = Some(cli::text(&mut p, "standard")?),
            Long("standard-file") => a.standard_file = Some(cli::text(&mut p, "standard-file")?),
            Long("lang") => {
                a.lang = Lang::parse(&cli::text(&mut p, "lang")?).map_err(|e| e.to_string())?
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
    Ok(cli::Parsed::Run(a))
}

fn main() -> ExitCode {
    if let Err(e) = out::check_stdout() {
        return out::exit("classify", Err(e));
    }
    let args = match cli::args_or_exit("classify", USAGE, parse_args()) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let mut registry = Registry::new();
    let mut forced: Option<String> = args.standard.clone();
    if let Some(path) = &args.standard_file {
        let loaded = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| Standard::from_json(&t).map_err(|e| e.to_string()));
        match loaded {
            Ok(s) => {
                forced = Some(s.id().to_owned());
                registry.add(s);
            }
            Err(e) => {
                say!("classify: {path}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let forced = match forced.as_deref().map(|id| registry.get(id)) {
        None => None,
        Some(Ok(s)) => Some(s.clone()),
        Some(Err(e)) => {
            say!("classify: {e}");
            return ExitCode::from(2);
        }
    };
    let choice = match (&forced, args.year) {
        (Some(s), _) => StandardChoice::Standard(s),
        (None, Some(y)) => StandardChoice::DefaultYear(y),
        (None, None) => StandardChoice::FromRecord,
    };

    let input: Box<dyn BufRead> = match &args.file {
        Some(path) if path == "-" => Box::new(io::stdin().lock()),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => Box::new(io::BufReader::new(f)),
            Err(e) => {
                say!("classify: {path}: {e}");
                return ExitCode::from(2);
            }
        },
        None if io::stdin().is_terminal() => {
            say!("classify: no FILE and no piped input: running on the built-in legal cases");
            Box::new(SAMPLE.as_bytes())
        }
        None => Box::new(io::stdin().lock()),
    };
    let mut out = out::stdout();
    let (mut ok, mut rejected) = (0u64, 0u64);
    for line in JsonLines::new(input) {
        let result = match line {
            Ok(InputLine::Text { line, text }) => {
                classify_json_line(line, &text, &registry, choice, args.lang)
            }
            // Too long or not UTF-8: an error record for the line, and on.
            Ok(InputLine::Unreadable { line, error }) => {
                LineResult::Rejected(unreadable_record(line, &error))
            }
            // The input itself fails (a directory, a binary file): stop, once.
            Err(e) => {
                let _ = out.flush();
                say!("classify: reading the input: {e}");
                return ExitCode::from(2);
            }
        };
        match &result {
            LineResult::Assessed(_) => ok += 1,
            LineResult::Rejected(_) => rejected += 1,
        }
        let written = serde_json::to_writer(&mut out, &result)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out));
        if let Err(e) = written {
            return out::exit("classify", Err(out::Fail::Write(e)));
        }
    }
    if let Err(e) = out::finish(&mut out) {
        return out::exit("classify", Err(e));
    }
    say!("classify: {ok} classified, {rejected} rejected");
    if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
