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

/// Issue 17 §6: a design left without variance by rejected rows still prints the report (its
/// counts and rates stand), then names the design error and the rejected rows, and exits 2.
#[test]
fn census_prints_the_report_then_names_a_design_error_and_its_rejected_rows() {
    let dir = std::env::temp_dir().join(format!("cn-lonely-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lonely.csv");
    let row = |id: u32, weight: &str, stratum: &str, psu: u32| {
        format!("{id},rural,3,900000,0,0,0,0,0,0,0,0,0,0,0,0,{weight},{stratum},{psu}\n")
    };
    let mut t = String::from("id,area,members,income_per_capita,employment,dependants,nutrition,health_insurance,adult_education,child_schooling,housing_quality,housing_area,water,sanitation,telecom,information_access,weight,stratum,psu\n");
    t += &row(1, "1.5", "a", 1);
    t += &row(2, "2.5", "a", 2);
    t += &row(3, "0", "b", 1); // rejected: the stratum is left with one PSU
    t += &row(4, "1.5", "b", 2);
    std::fs::write(&file, t).unwrap();
    let out = shell(
        "census",
        &format!("'{}' --precision --standard vn-2022-2025", file.display()),
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stdout.contains("Rejected rows") && stdout.contains("line 4"),
        "{stdout}"
    );
    assert!(
        stderr.contains("stratum \"b\" has a single PSU"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 row(s) were rejected (the first on line 4)"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 18 §5: every example prints its usage to standard output and exits 0 for `--help`
/// and `-h`; a mistake is one line on standard error and exit 2, never the usage as an error.
#[test]
fn help_is_usage_on_stdout_and_exit_0_and_a_mistake_is_exit_2() {
    for name in [
        "census",
        "classify",
        "policy_change",
        "targets",
        "write_facts",
    ] {
        for flag in ["--help", "-h"] {
            let out = shell(name, flag);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(out.status.code(), Some(0), "{name} {flag}");
            assert!(
                stdout.starts_with(&format!("usage: {name}")),
                "{name} {flag}: {stdout}"
            );
            assert!(out.stderr.is_empty(), "{name} {flag}");
        }
        let out = shell(name, "--no-such-option");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains("unknown option --no-such-option"),
            "{name}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{name}");
    }
    // Options given twice, bad values, and both spellings of a value.
    for (args, says) in [
        ("--json --json", "--json is given twice"),
        ("--year 20x4", "--year: not a year: 20x4"),
        ("--threads", "missing argument"),
        (
            "--lonely-psu skip",
            "--lonely-psu and --deff go with --precision",
        ),
    ] {
        let out = shell("census", args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "census {args}: {stderr}");
        assert!(stderr.contains(says), "census {args}: {stderr}");
    }
    let a = shell("classify", "--year=2024 < /dev/null");
    let b = shell("classify", "--year 2024 < /dev/null");
    assert_eq!(a.status.code(), b.status.code());
    assert_eq!(a.stdout, b.stdout);
}

/// Issue 19 §4: the targets example shows Cao Bằng's yearly cuts of the poor rate, which
/// match the province's published ones: 4.23 points for 2022→2023 and 4.67 for 2023→2024
/// (standards §8).
#[test]
fn targets_shows_cao_bangs_published_yearly_cuts() {
    let out = shell("targets", "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.contains("2022 → 2023: 28.94% → 24.71%: -4.23 pp"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2023 → 2024: 24.71% → 20.04%: -4.67 pp"),
        "{stdout}"
    );
}
