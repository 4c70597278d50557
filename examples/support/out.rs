//! Output for the examples, checked as carefully as their input: standard output is checked
//! to be open before anything else is opened, every write's error is kept, and a run ends
//! with one message and a non-zero exit on a write error, quietly when the reader of a pipe
//! has gone away (`census … | head`), and never with a panic.
#![allow(dead_code)]

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// Writes a line to standard error; an error there is ignored (there is nowhere left to say
/// it), never a panic as `eprintln!` would be.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// Why a run stopped.
pub enum Fail {
    /// Writing the output failed.
    Write(io::Error),
    /// Anything else, with its message and exit code.
    Other(String, u8),
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Write(e)
    }
}

impl From<String> for Fail {
    fn from(m: String) -> Self {
        Fail::Other(m, 2)
    }
}

impl From<&str> for Fail {
    fn from(m: &str) -> Self {
        Fail::Other(m.to_owned(), 2)
    }
}

impl From<chuan_ngheo::Error> for Fail {
    fn from(e: chuan_ngheo::Error) -> Self {
        Fail::Other(e.to_string(), 2)
    }
}

/// Fails unless standard output is open. Call it first: with descriptor 1 closed, the
/// standard library swallows every write (the report would be lost with exit 0), and the next
/// file opened would take the descriptor.
pub fn check_stdout() -> Result<(), Fail> {
    let closed = || {
        Err(Fail::Write(io::Error::other(
            "standard output is closed: the report would be lost",
        )))
    };
    // The standard library gives a descriptor closed at start-up /dev/null, opened for
    // reading and writing; a shell's `> /dev/null` opens it for writing only.
    #[cfg(target_os = "linux")]
    {
        let null = std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == *"/dev/null");
        let read_write = std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("flags:"))
                .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                .is_some_and(|flags| flags & 0o3 == 0o2)
        });
        if null && read_write {
            return closed();
        }
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Err(e) = io::stdout().as_fd().try_clone_to_owned() {
            return Err(Fail::Write(io::Error::new(
                e.kind(),
                format!("standard output is not open ({e})"),
            )));
        }
    }
    Ok(())
}

/// Standard output, buffered. Flush it before the run ends: a buffer dropped unflushed
/// loses its write error.
pub fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(1 << 16, io::stdout().lock())
}

/// The exit code of a run, with its one message on standard error.
pub fn exit(name: &str, run: Result<ExitCode, Fail>) -> ExitCode {
    match run {
        Ok(code) => code,
        // The reader went away: nothing more is wanted.
        Err(Fail::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Fail::Write(e)) => {
            say!("{name}: writing the output: {e}");
            ExitCode::from(2)
        }
        Err(Fail::Other(message, code)) => {
            say!("{name}: {message}");
            ExitCode::from(code)
        }
    }
}

/// Flushes `out`, keeping its error.
pub fn finish(out: &mut impl Write) -> Result<(), Fail> {
    out.flush().map_err(Fail::Write)
}
