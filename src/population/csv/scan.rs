//! Reading the rows of a block of whole records into a [`RowSink`].
//!
//! One pass finds commas, quotes and line ends eight bytes at a time. A record without a
//! quote is split where it stands, with no copy; a record with one is read by `csv-core` from
//! its first byte to its end, however many lines it spans, so that every record is read as
//! the `csv` crate reads it. Rows are numbered by the physical line on which they begin.

use super::header::Columns;
use super::records::{count_lines, mid_file_reader, read_one, Scratch};
use super::RowSink;

// Grouping labels a row keeps on the stack (more take a slower path): the report's limit.
use crate::error::ErrorKind;
use crate::error::{excerpt_bytes, Error, Result};
use crate::household::{parse_members, Household};
use crate::indicator::{Area, IndicatorSet};
use crate::money::Vnd;
use crate::population::MAX_STACK_GROUPS;

/// The fields of one row: `(start, end)` of each in `bytes`, found without copying. A plain
/// record's spans point into its block; a quoted record's into csv-core's output.
struct Fields<'a> {
    bytes: &'a [u8],
    spans: &'a [(u32, u32)],
}

impl Fields<'_> {
    #[inline]
    fn get(&self, i: usize) -> &[u8] {
        let raw = self.spans.get(i).map_or(&b""[..], |(s, e)| {
            self.bytes.get(*s as usize..*e as usize).unwrap_or(b"")
        });
        trim(raw)
    }

    /// The cell's one byte, if it is exactly one byte wide (most indicator cells).
    #[inline(always)]
    fn single_byte(&self, i: usize) -> Option<u8> {
        match self.spans.get(i) {
            Some((s, e)) if *e == *s + 1 => self.bytes.get(*s as usize).copied(),
            _ => None,
        }
    }

    fn len(&self) -> usize {
        self.spans.len()
    }
}

/// Blanks around a cell are ignored; most cells have none, so look at the ends first.
#[inline(always)]
pub(super) fn trim(b: &[u8]) -> &[u8] {
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if *f > b' ' && *l > b' ' => b,
        _ => b.trim_ascii(),
    }
}

#[inline(always)]
pub(super) fn parse_income(b: &[u8]) -> Result<Vnd> {
    if !b.is_empty() && b.len() <= 17 && b.iter().all(u8::is_ascii_digit) {
        let v = b.iter().fold(0i64, |acc, d| acc * 10 + (d - b'0') as i64);
        return Ok(Vnd::from_dong(v));
    }
    Vnd::parse_non_negative("income_per_capita", &String::from_utf8_lossy(b))
}

#[inline(always)]
pub(super) fn parse_area(b: &[u8]) -> Result<Area> {
    match b {
        b"rural" => Ok(Area::Rural),
        b"urban" => Ok(Area::Urban),
        _ => Area::parse(&String::from_utf8_lossy(b)),
    }
}

/// `Some(true)` deprived, `Some(false)` not, `None` unknown.
#[inline]
fn parse_flag(b: &[u8], column: &'static str) -> Result<Option<bool>> {
    match b {
        b"1" => Ok(Some(true)),
        b"0" => Ok(Some(false)),
        b"" => Ok(None),
        _ if b.eq_ignore_ascii_case(b"true") => Ok(Some(true)),
        _ if b.eq_ignore_ascii_case(b"false") => Ok(Some(false)),
        _ => Err(Error::from(ErrorKind::InvalidValue {
            field: column.into(),
            value: excerpt_bytes(b),
            reason: crate::error::Reason::new(
                "expected 1, 0, true, false, or empty for unknown",
                "phải là 1, 0, true, false, hoặc để trống nếu chưa rõ",
            ),
        })),
    }
}

/// A survey weight: a finite decimal above zero... or zero (a household kept out of the
/// rates); empty is 1.
pub(super) fn parse_weight(b: &[u8]) -> Result<f64> {
    match b {
        b"" => Ok(1.0),
        w => {
            let text = std::str::from_utf8(w).map_err(|_| {
                Error::from(ErrorKind::InvalidValue {
                    field: "weight".into(),
                    value: excerpt_bytes(w),
                    reason: crate::error::Reason::new("not UTF-8 text", "không phải văn bản UTF-8"),
                })
            })?;
            let v = crate::decimal::parse_weight(text)?
                .to_string()
                .parse::<f64>()
                .unwrap_or(f64::NAN);
            if v.is_finite() {
                Ok(v)
            } else {
                Err(Error::from(ErrorKind::InvalidValue {
                    field: "weight".into(),
                    value: excerpt_bytes(w),
                    reason: crate::error::Reason::new(
                        "a survey weight must be a finite number",
                        "quyền số điều tra phải là số hữu hạn",
                    ),
                }))
            }
        }
    }
}

struct Row {
    household: Household,
    weight: f64,
}

#[inline(always)]
fn parse_row(cols: &Columns, f: &Fields<'_>) -> Result<Row> {
    if f.len() != cols.count {
        return Err(Error::from(ErrorKind::InvalidValue {
            field: "row".into(),
            value: format!("{} fields where the header has {}", f.len(), cols.count),
            reason: crate::error::Reason::new("wrong number of fields", "số trường không đúng"),
        }));
    }
    let area = parse_area(f.get(cols.area))?;
    let members = parse_members(f.get(cols.members))?;
    let income = parse_income(f.get(cols.income))?;
    let mut deprived = IndicatorSet::EMPTY;
    let mut unknown = IndicatorSet::EMPTY;
    for (i, c, name) in &cols.indicators {
        let answer = match f.single_byte(*c) {
            Some(b'1') => Some(true),
            Some(b'0') => Some(false),
            _ => parse_flag(f.get(*c), name)?,
        };
        match answer {
            Some(true) => deprived.insert(*i),
            Some(false) => {}
            None => unknown.insert(*i),
        }
    }
    let weight = match cols.weight {
        None => 1.0,
        Some(c) => parse_weight(f.get(c))?,
    };
    Ok(Row {
        household: Household::new(area, members, income)
            .with_deprivations(deprived)
            .with_unknown(unknown),
        weight,
    })
}

/// Hands one record to the sink: a household, or a rejected row with its reason.
#[inline(never)]
fn emit<S: RowSink>(cols: &Columns, fields: &Fields<'_>, line: u64, sink: &mut S) {
    match parse_row(cols, fields) {
        Ok(row) => {
            let id = fields.get(cols.id);
            let n = cols.groups.len();
            if n > MAX_STACK_GROUPS {
                // More grouping columns than the stack holds: the rare, allocating path.
                let labels: Vec<&[u8]> = cols.groups.iter().map(|c| fields.get(*c)).collect();
                sink.household(line, id, &row.household, row.weight, &labels);
                return;
            }
            let mut labels: [&[u8]; MAX_STACK_GROUPS] = [b""; MAX_STACK_GROUPS];
            for (l, c) in labels.iter_mut().zip(&cols.groups) {
                *l = fields.get(*c);
            }
            sink.household(line, id, &row.household, row.weight, &labels[..n]);
        }
        Err(e) => {
            let id = (cols.id < fields.len()).then(|| excerpt_bytes(fields.get(cols.id)));
            sink.rejected(line, id, e);
        }
    }
}

/// A record over the limit: rejected, with no cell kept.
pub(super) fn too_long(limit: usize) -> Error {
    Error::from(ErrorKind::InvalidValue {
        field: "row".into(),
        value: format!("more than {limit} bytes"),
        reason: crate::error::Reason::new("a record longer than the reader's limit (max_record_bytes); if the row is not that long, look for a quote it opens and never closes", "bản ghi dài quá giới hạn của bộ đọc (max_record_bytes); nếu dòng không dài đến thế, hãy tìm một dấu ngoặc kép mở mà không đóng"),
    })
}

/// High bit set in each byte of `w` that is ASCII and below `-` (0x2D): the candidates for
/// `,` (0x2C), `"` (0x22), `\n` (0x0A) and `\r` (0x0D). Digits and letters are above it, so in a
/// households table nearly every candidate is a separator; each is checked exactly. No borrow
/// crosses a byte, because every byte is lifted to at least 0x80 before the subtraction.
#[inline(always)]
fn separator_candidates(w: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const DASH: u64 = 0x2d2d_2d2d_2d2d_2d2d;
    !((w | HIGH) - DASH) & !w & HIGH
}

/// `\n` and `\r` as bits of a mask indexed by byte value.
const LINE_ENDS: u64 = (1 << b'\n') | (1 << b'\r');

/// Hands the plain record `chunk[start..end]` to the sink; `spans` holds its fields but the
/// last, which begins at `field_start`. Kept out of line: the byte loop that calls it stays
/// small enough for its state to live in registers (inlined, it cost 5% of the reader).
#[inline(always)]
fn end_plain<S: RowSink>(
    cols: &Columns,
    chunk: &[u8],
    spans: &mut Vec<(u32, u32)>,
    (start, field_start, end): (usize, usize, usize),
    line: u64,
    max_record: usize,
    sink: &mut S,
) {
    if end > start {
        if end - start > max_record {
            sink.rejected(line, None, too_long(max_record));
        } else {
            spans.push((field_start as u32, end as u32));
            let fields = Fields {
                bytes: chunk,
                spans,
            };
            emit(cols, &fields, line, sink);
        }
    }
    spans.clear();
}

/// What reading quoted records needs, made on a block's first quote.
struct QuotedReader {
    rdr: csv_core::Reader,
    scratch: Scratch,
    /// The record's fields as spans of `scratch.out`.
    spans: Vec<(u32, u32)>,
}

impl QuotedReader {
    fn new() -> Self {
        QuotedReader {
            rdr: mid_file_reader(),
            scratch: Scratch::default(),
            spans: Vec::new(),
        }
    }
}

/// Reads the record that begins at `rest[0]` and holds a quote, with `csv-core`, and hands it
/// to the sink as line `line`. Returns the bytes it takes, the line ends in them, and whether
/// the last is a `\r`. Out of line: quoted records are the exception.
#[inline(never)]
fn quoted_record<S: RowSink>(
    cols: &Columns,
    rest: &[u8],
    line: u64,
    max_record: usize,
    QuotedReader {
        rdr,
        scratch,
        spans,
    }: &mut QuotedReader,
    sink: &mut S,
) -> (usize, u64, bool) {
    let span = read_one(rdr, rest, true, true, scratch).unwrap_or_default();
    let consumed = span.consumed.clamp(1, rest.len().max(1));
    let body = rest.get(..consumed).unwrap_or(rest);
    let ending = usize::from(matches!(body.last(), Some(b'\n' | b'\r')));
    if consumed - ending > max_record {
        sink.rejected(line, None, too_long(max_record));
    } else {
        // The record is at most `max_record` bytes, so its offsets fit in 32 bits.
        let ends = scratch.ends.get(..span.fields).unwrap_or(&[]);
        spans.clear();
        let mut start = 0u32;
        for &e in ends {
            spans.push((start, e as u32));
            start = e as u32;
        }
        let fields = Fields {
            bytes: scratch.out.get(..span.out_len).unwrap_or(&[]),
            spans,
        };
        emit(cols, &fields, line, sink);
    }
    let mut ends_in_cr = false;
    let lines = count_lines(body, &mut ends_in_cr);
    (consumed, lines, ends_in_cr)
}

/// Reads every record of `chunk` (whole records; see [`super::blocks`]) into `sink`,
/// numbering lines from 1 within the chunk. Returns the number of line ends in the chunk.
///
/// `max_record` bounds a record's bytes (its line end aside); a longer one is rejected.
pub(super) fn process_chunk<S: RowSink>(
    cols: &Columns,
    chunk: &[u8],
    max_record: usize,
    sink: &mut S,
) -> u64 {
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(cols.count + 1);
    let mut slow: Option<QuotedReader> = None;
    // Line ends before `line_start`.
    let mut lines = 0u64;
    let mut line_start = 0usize;
    let mut field_start = 0usize;
    // The position just after the last \r seen (none yet: a position no \n can have).
    let mut after_cr = usize::MAX;
    let n = chunk.len();
    // A plain record `chunk[line_start..end]` whose fields but the last are in `spans`.
    macro_rules! end_plain_record {
        ($end:expr) => {
            end_plain(
                cols,
                chunk,
                &mut spans,
                (line_start, field_start, $end),
                lines + 1,
                max_record,
                sink,
            );
        };
    }
    let mut i = 0;
    'scan: loop {
        let word = if i + 8 <= n {
            let mut word = [0u8; 8];
            word.copy_from_slice(&chunk[i..i + 8]);
            word
        } else if i < n {
            let mut word = [0xFFu8; 8]; // 0xFF is never a candidate
            word[..n - i].copy_from_slice(&chunk[i..]);
            word
        } else {
            break;
        };
        let mut m = separator_candidates(u64::from_le_bytes(word));
        while m != 0 {
            let j = i + (m.trailing_zeros() / 8) as usize;
            m &= m - 1;
            // Commas first, then line ends by a bit mask (a candidate is below 0x2D): compared
            // one by one, the arms became a jump table whose indirect jump cost a sixth of the
            // reader's time.
            let c = chunk[j];
            if c == b',' {
                spans.push((field_start as u32, j as u32));
                field_start = j + 1;
            } else if (LINE_ENDS >> (c & 63)) & 1 != 0 {
                end_plain_record!(j);
                // \n, \r and \r\n each end one line: the \n of a \r\n was counted with its \r.
                lines += u64::from(j != after_cr);
                if c == b'\r' {
                    after_cr = j + 1;
                }
                line_start = j + 1;
                field_start = j + 1;
            } else if c == b'"' {
                // Read the whole record, from its first byte, as the csv crate would.
                let slow = slow.get_or_insert_with(QuotedReader::new);
                let (consumed, spanned, ends_in_cr) = quoted_record(
                    cols,
                    &chunk[line_start..],
                    lines + 1,
                    max_record,
                    slow,
                    sink,
                );
                lines += spanned;
                line_start += consumed;
                if ends_in_cr {
                    after_cr = line_start;
                }
                field_start = line_start;
                spans.clear();
                i = line_start;
                continue 'scan;
            }
        }
        i += 8;
    }
    end_plain_record!(n);
    lines
}
