//! The header row: read as the first record (quotes, any line end, a byte-order mark), within
//! the reader's limit, in one pass; then checked against the columns a run needs.

use std::collections::HashSet;
use std::io::{self, Read};

use super::records::{count_lines, over_crlf, read_one, Scratch};
use crate::error::ErrorKind;
use crate::error::{excerpt, Error, Result};
use crate::indicator::{Indicator, IndicatorSet};

/// Columns every households table has, besides the indicators.
pub(super) const REQUIRED: [&str; 4] = ["id", "area", "members", "income_per_capita"];

/// Where each column a run reads stands in a row.
#[derive(Debug)]
pub(super) struct Columns {
    pub(super) count: usize,
    pub(super) id: usize,
    pub(super) area: usize,
    pub(super) members: usize,
    pub(super) income: usize,
    pub(super) indicators: Vec<(Indicator, usize, &'static str)>,
    pub(super) weight: Option<usize>,
    pub(super) groups: Vec<usize>,
    pub(super) ignored: Vec<String>,
}

/// The header as read from the input, and what was read past it.
pub(super) struct RawHeader {
    /// The column names, trimmed.
    pub(super) names: Vec<String>,
    /// Line ends up to the end of the header (blank lines before it included).
    pub(super) lines: u64,
    /// Bytes read after the header.
    pub(super) carry: Vec<u8>,
    /// The header ended with a `\r` that was the last byte read.
    pub(super) after_cr: bool,
}

/// Reads the header row: the first record of the input, at most `max` bytes.
pub(super) fn read_header<R: Read>(reader: &mut R, max: usize) -> Result<RawHeader> {
    let io_err = |e: io::Error| {
        let message = format!("reading the header: {e}");
        Error::with_source(ErrorKind::Csv { message }, e)
    };
    // csv-core strips a UTF-8 byte-order mark at the start of the input, as spreadsheets write.
    let mut rdr = csv_core::Reader::new();
    let mut scratch = Scratch::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut data: Vec<u8> = Vec::new();
    let mut eof = false;
    // What the header took of earlier reads: bytes, line ends, a last \r.
    let (mut taken, mut lines, mut after_cr) = (0usize, 0u64, false);
    loop {
        if !eof {
            let n = loop {
                match reader.read(&mut buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(io_err(e)),
                }
            };
            eof = n == 0;
            data.clear();
            data.extend_from_slice(&buf[..n]);
        }
        // Only the new bytes are fed: csv-core keeps its state between calls.
        match read_one(&mut rdr, &data, eof, true, &mut scratch) {
            Some(span) if span.fields == 0 => {
                return Err(Error::from(ErrorKind::Missing {
                    field: "header row (the input is empty)".into(),
                }))
            }
            Some(span) => {
                if taken + span.consumed > max {
                    return Err(header_too_long(max));
                }
                lines += count_lines(&data[..span.consumed], &mut after_cr);
                let (end, open_crlf) = over_crlf(&data, span.consumed);
                let mut names = Vec::with_capacity(span.fields);
                let mut start = 0;
                for &e in &scratch.ends[..span.fields] {
                    let raw = scratch.out.get(start..e).unwrap_or(b"");
                    start = e;
                    let name = std::str::from_utf8(raw).map_err(|_| {
                        Error::from(ErrorKind::InvalidValue {
                            field: "header".into(),
                            value: excerpt(&String::from_utf8_lossy(raw)),
                            reason: crate::error::Reason::new(
                                "column names must be UTF-8",
                                "tên cột phải là văn bản UTF-8",
                            ),
                        })
                    })?;
                    // A byte-order mark that came in a read of under three bytes is still here.
                    let name = match names.is_empty() {
                        true => name.trim_start_matches('\u{feff}'),
                        false => name,
                    };
                    names.push(name.trim().to_owned());
                }
                return Ok(RawHeader {
                    names,
                    lines,
                    carry: data.split_off(end),
                    after_cr: open_crlf,
                });
            }
            None => {
                taken += data.len();
                if taken > max {
                    return Err(header_too_long(max));
                }
                lines += count_lines(&data, &mut after_cr);
            }
        }
    }
}

fn header_too_long(max: usize) -> Error {
    Error::from(ErrorKind::InvalidValue {
        field: "header".into(),
        value: format!("more than {max} bytes"),
        reason: crate::error::Reason::new(
            "the header row is longer than the reader's limit (is this a households table?)",
            "dòng tiêu đề dài quá giới hạn của bộ đọc (đây có phải bảng hộ không?)",
        ),
    })
}

/// For survey precision: a `weight` column is required, and `stratum` and `psu` come together
/// or not at all. `true` when the design columns are there.
pub(super) fn design_columns(names: &[String]) -> Result<bool> {
    let has = |n: &str| names.iter().any(|x| x == n);
    if !has("weight") {
        return Err(Error::from(ErrorKind::Missing {
            field: "column weight (survey precision needs the survey weights)".into(),
        }));
    }
    match (has("stratum"), has("psu")) {
        (true, true) => Ok(true),
        (false, false) => Ok(false),
        (s, _) => Err(Error::from(ErrorKind::Missing {
            field: format!(
                "column {} (the design needs both stratum and psu, or neither)",
                if s { "psu" } else { "stratum" }
            ),
        })),
    }
}

/// Checks the header's names against what a run needs: the required columns, one column per
/// indicator of `indicators`, each `group_by` column.
pub(super) fn columns(
    names: &[String],
    indicators: IndicatorSet,
    group_by: &[String],
) -> Result<Columns> {
    let mut seen = HashSet::with_capacity(names.len());
    let mut duplicate = None;
    for n in names {
        if !seen.insert(n.as_str()) && duplicate.is_none() {
            duplicate = Some(n);
        }
    }
    // A first row without any required name is data, not a header.
    if REQUIRED.iter().all(|r| !seen.contains(r)) {
        return Err(Error::from(ErrorKind::Missing {
            field: format!(
                "header row: the first row has none of the columns {} (got {})",
                REQUIRED.join(", "),
                excerpt(&names.join(","))
            ),
        }));
    }
    if let Some(n) = duplicate {
        return Err(Error::from(ErrorKind::InvalidValue {
            field: "header".into(),
            value: excerpt(n),
            reason: crate::error::Reason::new(
                "a column appears twice",
                "một cột xuất hiện hai lần",
            ),
        }));
    }
    let find = |n: &str| names.iter().position(|x| x == n);
    let mut missing: Vec<String> = Vec::new();
    let mut need = |n: &str| {
        let p = find(n);
        if p.is_none() {
            // Column names are lower case; say so when only the case differs.
            match names.iter().find(|x| x.eq_ignore_ascii_case(n)) {
                Some(near) => missing.push(format!(
                    "{n} (found {:?}: column names are lower case)",
                    excerpt(near)
                )),
                None => missing.push(n.to_owned()),
            }
        }
        p.unwrap_or(0)
    };
    let id = need("id");
    let area = need("area");
    let members = need("members");
    let income = need("income_per_capita");
    let indicators: Vec<_> = indicators
        .iter()
        .map(|i| (i, need(i.code()), i.code()))
        .collect();
    let groups: Vec<usize> = group_by.iter().map(|g| need(g)).collect();
    if !missing.is_empty() {
        return Err(Error::from(ErrorKind::Missing {
            field: format!("column {}", missing.join(", column ")),
        }));
    }
    // Every column this run does not read is listed: a format's optional column too
    // (`province` when nothing groups by it, `stratum` and `psu` without precision), and an
    // indicator of another standard.
    let ignored = names
        .iter()
        .filter(|n| {
            !REQUIRED.contains(&n.as_str())
                && n.as_str() != "weight"
                && !indicators.iter().any(|i| i.2 == n.as_str())
                && !group_by.contains(n)
        })
        .map(|n| excerpt(n))
        .collect();
    Ok(Columns {
        count: names.len(),
        id,
        area,
        members,
        income,
        indicators,
        weight: find("weight"),
        groups,
        ignored,
    })
}
