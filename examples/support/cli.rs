//! Argument parsing shared by the examples, on lexopt: one shape for every command line.
//!
//! * `-h` / `--help` prints the usage to standard output and exits 0.
//! * A mistake (an unknown option, a missing or bad value, an option given twice) prints one
//!   line naming it, and a hint to `--help`, to standard error, and exits 2.
//! * `--name value` and `--name=value` are both read; values are UTF-8 text.
#![allow(dead_code)]

use std::process::ExitCode;
use std::str::FromStr;

pub use lexopt::prelude::{Long, Short, Value};
pub use lexopt::{Arg, Parser};

/// What the command line asks for: a run with its arguments, or the usage.
pub enum Parsed<T> {
    Run(T),
    Help,
}

/// The options seen so far: an option that is not a list may be given once.
#[derive(Default)]
pub struct Seen(Vec<String>);

impl Seen {
    /// Records `--name`, refusing it the second time.
    pub fn once(&mut self, name: &str) -> Result<(), String> {
        if self.0.iter().any(|n| n == name) {
            return Err(format!("--{name} is given twice"));
        }
        self.0.push(name.to_owned());
        Ok(())
    }
}

/// The value of `--name` as text.
pub fn text(p: &mut Parser, name: &str) -> Result<String, String> {
    p.value()
        .map_err(|e| e.to_string())?
        .into_string()
        .map_err(|v| format!("--{name}: not UTF-8 text: {v:?}"))
}

/// The value of `--name` read as a `T` (`what` names it in the message: "a year").
pub fn value<T: FromStr>(p: &mut Parser, name: &str, what: &str) -> Result<T, String> {
    let v = text(p, name)?;
    v.trim()
        .parse()
        .map_err(|_| format!("--{name}: not {what}: {v}"))
}

/// A positional argument as text.
pub fn positional(v: std::ffi::OsString) -> Result<String, String> {
    v.into_string()
        .map_err(|v| format!("not UTF-8 text: {v:?}"))
}

/// The message for an argument the command does not take.
pub fn unexpected(arg: Arg<'_>) -> String {
    match arg {
        Long(name) => format!("unknown option --{name}"),
        Short(c) => format!("unknown option -{c}"),
        Value(v) => format!("unexpected argument {v:?}"),
    }
}

/// Ends a run on its command line: the usage on standard output (exit 0) for `--help`, or
/// the mistake and a hint on standard error (exit 2). `Ok(args)` goes on.
pub fn args_or_exit<T>(
    name: &str,
    usage: &str,
    parsed: Result<Parsed<T>, String>,
) -> Result<T, ExitCode> {
    match parsed {
        Ok(Parsed::Run(a)) => Ok(a),
        Ok(Parsed::Help) => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let ok = writeln!(out, "{usage}").and_then(|()| out.flush());
            Err(if ok.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Err(e) => {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "{name}: {e}\n{name}: --help shows the usage"
            );
            Err(ExitCode::from(2))
        }
    }
}
