//! JSON Lines in, JSON Lines out: the household records of [formats §1](crate::docs::formats) classified
//! into the result records of §2, one output per input line, in order. Used by the `classify`
//! example; embedders reading JSON can call it directly.

use std::io::{self, BufRead};

use serde::Serialize;

use crate::classify::{classify, AssessmentRecord, YearBasis};
use crate::error::Error;
use crate::household::{HouseholdRecord, StandardChoice};
use crate::indicator::IndicatorSet;
use crate::standard::{Lang, Registry};

/// The error part of an [`ErrorRecord`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// Machine-readable kind ([`Error::kind`]).
    pub kind: &'static str,
    /// The field at fault, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The message, naming the field and the value.
    pub message: String,
}

/// The record written for a line that could not be classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorRecord {
    /// 1-based line number in the input.
    pub line: u64,
    /// The record's id, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The outcome of one input line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LineResult {
    /// Classified (possibly `indeterminate`).
    Assessed(Box<AssessmentRecord>),
    /// Rejected, with the reason.
    Rejected(ErrorRecord),
}

/// Classifies one JSON line. Never panics: every failure becomes an [`ErrorRecord`] with the
/// line number, the id (if readable) and the field at fault.
pub fn classify_json_line(
    line_no: u64,
    text: &str,
    registry: &Registry,
    choice: StandardChoice<'_>,
    lang: Lang,
) -> LineResult {
    let rejected = |id: Option<String>, e: Error| {
        LineResult::Rejected(ErrorRecord {
            line: line_no,
            id,
            error: ErrorDetail {
                kind: e.kind(),
                field: e.field().map(str::to_owned),
                message: e.message(lang),
            },
        })
    };
    let record = match HouseholdRecord::from_json(text) {
        Ok(r) => r,
        Err(e) => {
            // Recover the id for the error record if the line is at least a JSON object.
            let id = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_owned));
            return rejected(id, e);
        }
    };
    let result = record
        .pick_standard(registry, choice)
        .and_then(|s| {
            record.weight()?;
            // A record read under its own year or standard is held to it; one the caller
            // reads under a standard of its choosing has foreign indicators left out, listed.
            let own = record.names_its_standard()
                && !matches!(choice, StandardChoice::Standard(_) if record.standard.is_none());
            match own {
                true => record
                    .to_household(s)
                    .map(|h| (s, (h, IndicatorSet::EMPTY))),
                false => record.to_household_listing_ignored(s).map(|h| (s, h)),
            }
        })
        .and_then(|(s, (h, ignored))| classify(s, &h).map(|a| (a, ignored)));
    match result {
        Ok((a, ignored)) => {
            let mut out = a.to_record(&record.id, lang);
            out.ignored_indicators = (!ignored.is_empty()).then_some(ignored);
            // Chosen by year (not named): say which rule applies the standard to that year.
            let by_year = match (&record.standard, choice) {
                (Some(_), _) | (None, StandardChoice::Standard(_)) => None,
                (None, StandardChoice::DefaultYear(y)) => Some(record.year.unwrap_or(y)),
                (None, StandardChoice::FromRecord) => record.year,
            };
            out.explanation.standard_for_year = by_year.and_then(|y| {
                a.standard().applies_in(y).map(|span| YearBasis {
                    year: y,
                    citation: span.citation.clone(),
                })
            });
            LineResult::Assessed(Box::new(out))
        }
        Err(e) => rejected(Some(record.id), e),
    }
}

/// Text from an input, safe to print on a terminal: control characters (ANSI escapes among
/// them) are shown escaped (`\u{1b}`), never sent. Labels and ids come from files that
/// anyone may have written.
///
/// ```
/// use chuan_ngheo::records::escape_controls;
/// assert_eq!(escape_controls("Hà Nội"), "Hà Nội");
/// assert_eq!(escape_controls("\u{1b}[31mred"), "\\u{1b}[31mred");
/// ```
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The longest JSON Lines record read by default: 1 MiB, some thousand times a household record.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One line of a JSON Lines input, as [`JsonLines`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputLine {
    /// A line of text, its line end (`\n` or `\r\n`) removed. Blank lines are skipped.
    Text {
        /// 1-based line number.
        line: u64,
        /// The line.
        text: String,
    },
    /// A line that cannot be a record: longer than the limit (it is skipped without being
    /// held in memory) or not UTF-8. Write an error record for it and go on.
    Unreadable {
        /// 1-based line number.
        line: u64,
        /// Why (kind `unreadable_line`).
        error: Error,
    },
}

/// The lines of a JSON Lines input, read in bounded memory.
///
/// * A line longer than the limit becomes [`InputLine::Unreadable`], read through to its end
///   without being kept.
/// * A NUL byte means the input is not text (JSON never holds one raw): reading stops with an
///   error, so `/dev/zero` ends at once instead of being skipped forever.
/// * An input that fails to read (a directory, a broken pipe) yields its error once, then ends.
///
/// ```
/// use chuan_ngheo::records::{InputLine, JsonLines};
/// let input = "{\"id\": \"a\"}\r\n\n{\"id\": \"b\"}";
/// let lines: Vec<_> = JsonLines::new(input.as_bytes()).collect::<Result<_, _>>().unwrap();
/// assert_eq!(lines.len(), 2);
/// assert!(matches!(&lines[1], InputLine::Text { line: 3, .. }));
/// ```
#[derive(Debug)]
pub struct JsonLines<R> {
    reader: R,
    max: usize,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    /// Lines of `reader`, each at most [`MAX_LINE_BYTES`].
    pub fn new(reader: R) -> Self {
        JsonLines::with_limit(reader, MAX_LINE_BYTES)
    }

    /// Lines of `reader`, each at most `max` bytes (line end aside).
    pub fn with_limit(reader: R, max: usize) -> Self {
        JsonLines {
            reader,
            max,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// The next line's bytes into `buf`, or how long it was if over the limit; `None` at the end.
    fn read_line(&mut self) -> io::Result<Option<Option<u64>>> {
        self.buf.clear();
        let mut skipped: Option<u64> = None;
        let mut any = false;
        loop {
            let avail = match self.reader.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(any.then_some(skipped));
            }
            any = true;
            let (take, end) = match avail.iter().position(|b| *b == b'\n') {
                Some(p) => (p, true),
                None => (avail.len(), false),
            };
            if avail[..take].contains(&0) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {} holds a NUL byte: the input is not JSON Lines text",
                        self.line + 1
                    ),
                ));
            }
            match &mut skipped {
                Some(n) => *n += take as u64,
                None if self.buf.len() + take > self.max.saturating_add(1) => {
                    skipped = Some((self.buf.len() + take) as u64);
                    self.buf = Vec::new();
                }
                None => self.buf.extend_from_slice(&avail[..take]),
            }
            self.reader.consume(take + usize::from(end));
            if end {
                return Ok(Some(skipped));
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = io::Result<InputLine>;
    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let read = self.read_line();
            self.line += 1;
            let line = self.line;
            match read {
                Err(e) => {
                    // An input that fails once is not read again.
                    self.done = true;
                    return Some(Err(e));
                }
                Ok(None) => self.done = true,
                Ok(Some(Some(bytes))) => {
                    return Some(Ok(InputLine::Unreadable {
                        line,
                        error: Error::InvalidValue {
                            field: "line".into(),
                            value: format!("{bytes} bytes"),
                            reason: "a record line longer than the reader's limit",
                        },
                    }))
                }
                Ok(Some(None)) => {
                    let bytes = self.buf.strip_suffix(b"\r").unwrap_or(&self.buf);
                    if bytes.len() > self.max {
                        return Some(Ok(InputLine::Unreadable {
                            line,
                            error: Error::InvalidValue {
                                field: "line".into(),
                                value: format!("{} bytes", bytes.len()),
                                reason: "a record line longer than the reader's limit",
                            },
                        }));
                    }
                    if bytes.trim_ascii().is_empty() {
                        continue;
                    }
                    return Some(Ok(match std::str::from_utf8(bytes) {
                        Ok(text) => InputLine::Text {
                            line,
                            text: text.to_owned(),
                        },
                        Err(e) => InputLine::Unreadable {
                            line,
                            error: Error::InvalidValue {
                                field: "line".into(),
                                value: crate::error::excerpt_bytes(bytes),
                                reason: if e.valid_up_to() == 0 {
                                    "the line is not UTF-8 text"
                                } else {
                                    "the line is not valid UTF-8 throughout"
                                },
                            },
                        },
                    }));
                }
            }
        }
        None
    }
}

/// The error record for a line [`JsonLines`] could not read.
pub fn unreadable_record(line: u64, error: &Error) -> ErrorRecord {
    ErrorRecord {
        line,
        id: None,
        error: ErrorDetail {
            kind: "unreadable_line",
            field: error.field().map(str::to_owned),
            message: error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max: usize) -> Vec<io::Result<InputLine>> {
        JsonLines::with_limit(input, max).collect()
    }

    #[test]
    fn long_lines_are_skipped_in_bounded_memory_and_numbered() {
        let mut input = b"{}\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 100_000));
        input.extend_from_slice(b"\r\n{\"a\":1}\n");
        let got = read(&input, 1000);
        assert!(matches!(&got[0], Ok(InputLine::Text { line: 1, .. })));
        assert!(matches!(&got[1], Ok(InputLine::Unreadable { line: 2, .. })));
        assert!(matches!(&got[2], Ok(InputLine::Text { line: 3, text }) if text == "{\"a\":1}"));
        assert_eq!(got.len(), 3);
        // Exactly at the limit is read; one byte over is not.
        let got = read(b"12345\n123456", 5);
        assert!(matches!(&got[0], Ok(InputLine::Text { .. })));
        assert!(matches!(&got[1], Ok(InputLine::Unreadable { line: 2, .. })));
    }

    #[test]
    fn a_nul_byte_or_a_failing_input_ends_the_reading() {
        let got = read(&[0u8; 64], 10);
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
        struct Failing;
        impl io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("Is a directory"))
            }
        }
        let got: Vec<_> = JsonLines::new(io::BufReader::new(Failing)).collect();
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
    }

    #[test]
    fn invalid_utf8_is_one_unreadable_line() {
        let got = read(b"\xff\xfe\n{}\n", 100);
        assert!(matches!(&got[0], Ok(InputLine::Unreadable { line: 1, .. })));
        assert!(matches!(&got[1], Ok(InputLine::Text { line: 2, .. })));
    }
}
