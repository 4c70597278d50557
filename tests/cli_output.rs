//! The examples' output is as reliable as their input: a full disk is one message and a
//! non-zero exit, a closed standard output is refused rather than the report lost with exit
//! 0, a reader that goes away ends the run quietly, and nothing panics (exit 101).
//! `cargo test` builds the examples before it runs this; each is run on its built-in data.
#![cfg(all(unix, feature = "csv"))]

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn example(name: &str) -> PathBuf {
    // target/<profile>/deps/cli_output-… → target/<profile>/examples/<name>
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(name)
}

const EXAMPLES: [&str; 4] = ["census", "policy_change", "targets", "write_facts"];

fn shell(name: &str, redirect: &str) -> std::process::Output {
    let path = example(name);
    assert!(path.exists(), "{} is not built", path.display());
    Command::new("sh")
        .arg("-c")
        .arg(format!("'{}' {redirect}", path.display()))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_is_one_message_and_a_non_zero_exit_never_a_panic() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for name in EXAMPLES {
        let out = shell(name, "> /dev/full");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert_eq!(
            err.matches("writing the output").count(),
            1,
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn a_closed_standard_output_is_refused_not_a_report_lost_with_exit_0() {
    for name in EXAMPLES {
        let out = shell(name, ">&-");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("standard output is closed"), "{name}: {err}");
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    for name in EXAMPLES {
        let out = shell(name, "| head -c 1 > /dev/null; exit ${PIPESTATUS:-0}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{name}: {err}"
        );
    }
}

#[test]
fn output_to_dev_null_is_written_as_usual() {
    for name in EXAMPLES {
        let out = shell(name, "> /dev/null");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
