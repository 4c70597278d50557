//! Reading the households table (`spec/formats.md` §3) into a [`Report`], streamed.
//!
//! * The header is checked before any row: a missing required column (id, area, members,
//!   income_per_capita, each indicator of the standard, each `--group-by` column) is one error
//!   naming every missing column.
//! * Each standard reads only the columns it needs; a file may carry the indicator columns of
//!   several standards. Columns that no standard and no option uses are reported as ignored.
//! * Indicator cells are `1`/`0`/`true`/`false`, or empty for unknown. An optional `weight`
//!   column gives survey weights (rates are then weighted).
//! * A bad row is counted as rejected with its line number, id and reason; the run goes on.
//! * Memory does not grow with the file: it is read in blocks of whole lines, which worker
//!   threads classify into partial reports merged in file order.
//!
//! One limit: a record must sit on one line (a quoted field holding a line break is read as
//! two bad rows, each reported). Quoted fields without line breaks are read by the `csv` crate.
//!
//! ```
//! use chuan_ngheo::population::csv::{read_report, CsvOptions};
//! use chuan_ngheo::Standard;
//!
//! let table = "id,area,members,income_per_capita,employment,dependants,nutrition,\
//! health_insurance,adult_education,child_schooling,housing_quality,housing_area,water,\
//! sanitation,telecom,information_access,province\n\
//! h1,rural,4,1400000,1,1,1,0,0,0,0,0,0,0,0,0,04\n\
//! h2,urban,0,1400000,0,0,0,0,0,0,0,0,0,0,0,0,79\n";
//! let standard = Standard::builtin("vn-2022-2025")?;
//! let options = CsvOptions { group_by: vec!["province".into()], ..CsvOptions::default() };
//! let report = read_report(table.as_bytes(), standard, &options)?;
//! assert_eq!(report.input().classified, 1);
//! assert_eq!(report.input().rejected, 1);
//! assert_eq!(report.rejected()[0].line, 3);
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

use std::io::Read;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::household::Household;
use crate::indicator::{Area, Indicator, IndicatorSet};
use crate::money::Vnd;
use crate::population::af::AfSpec;
use crate::population::Report;
use crate::standard::Standard;

/// Options for [`read_report`].
#[derive(Clone, Default)]
pub struct CsvOptions<'a> {
    /// Columns to group by.
    pub group_by: Vec<String>,
    /// Worker threads; 0 = the machine's available parallelism.
    pub threads: usize,
    /// Rejected rows to list (all are counted); 0 = [`super::KEEP_REJECTED`].
    pub keep_rejected: usize,
    /// Alkire–Foster weighting and cut-off; default: equal weights, the standard's cut-off.
    pub af: Option<AfSpec>,
    /// Called with the number of rows read so far, after each block.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

const BLOCK: usize = 1 << 20;

/// Columns every households table has, besides the indicators.
const REQUIRED: [&str; 4] = ["id", "area", "members", "income_per_capita"];
/// Columns the format knows (used or not).
const KNOWN_OPTIONAL: [&str; 5] = [
    "province",
    "district",
    "commune",
    "ethnic_minority",
    "weight",
];

#[derive(Debug)]
struct Columns {
    count: usize,
    id: usize,
    area: usize,
    members: usize,
    income: usize,
    indicators: Vec<(Indicator, usize, &'static str)>,
    weight: Option<usize>,
    groups: Vec<usize>,
    ignored: Vec<String>,
}

fn parse_header(line: &[u8], indicators: IndicatorSet, group_by: &[String]) -> Result<Columns> {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    let mut rec = ::csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
            return Err(Error::Missing {
                field: "header row".into(),
            })
        }
        Err(e) => {
            return Err(Error::Csv {
                message: format!("header: {e}"),
            })
        }
    }
    let names: Vec<String> = rec.iter().map(|s| s.trim().to_owned()).collect();
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(Error::InvalidValue {
                field: "header".into(),
                value: n.clone(),
                reason: "a column appears twice",
            });
        }
    }
    let find = |n: &str| names.iter().position(|x| x == n);
    let mut missing: Vec<String> = Vec::new();
    let mut need = |n: &str| {
        let p = find(n);
        if p.is_none() {
            missing.push(n.to_owned());
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
        return Err(Error::Missing {
            field: format!("column {}", missing.join(", column ")),
        });
    }
    let ignored = names
        .iter()
        .filter(|n| {
            !REQUIRED.contains(&n.as_str())
                && !KNOWN_OPTIONAL.contains(&n.as_str())
                && Indicator::from_code(n).is_none()
                && !group_by.contains(n)
        })
        .cloned()
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

/// The fields of one row, found without copying.
enum Fields<'a> {
    Plain(&'a [u8], &'a [(u32, u32)]),
    Quoted(&'a ::csv::ByteRecord),
}

impl Fields<'_> {
    #[inline]
    fn get(&self, i: usize) -> &[u8] {
        let raw = match self {
            Fields::Plain(chunk, spans) => spans.get(i).map_or(&b""[..], |(s, e)| {
                chunk.get(*s as usize..*e as usize).unwrap_or(b"")
            }),
            Fields::Quoted(r) => r.get(i).unwrap_or(b""),
        };
        trim(raw)
    }
    /// The cell's one byte, if it is exactly one byte wide (most indicator cells).
    #[inline(always)]
    fn single_byte(&self, i: usize) -> Option<u8> {
        match self {
            Fields::Plain(chunk, spans) => match spans.get(i) {
                Some((s, e)) if *e == *s + 1 => chunk.get(*s as usize).copied(),
                _ => None,
            },
            Fields::Quoted(_) => None,
        }
    }

    fn len(&self) -> usize {
        match self {
            Fields::Plain(_, spans) => spans.len(),
            Fields::Quoted(r) => r.len(),
        }
    }
}

/// Blanks around a cell are ignored; most cells have none, so look at the ends first.
#[inline(always)]
fn trim(b: &[u8]) -> &[u8] {
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if *f > b' ' && *l > b' ' => b,
        _ => b.trim_ascii(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[inline]
fn parse_members(b: &[u8]) -> Result<u32> {
    if !b.is_empty() && b.len() <= 9 && b.iter().all(u8::is_ascii_digit) {
        let m = b.iter().fold(0u32, |acc, d| acc * 10 + (d - b'0') as u32);
        if m >= 1 {
            return Ok(m);
        }
    }
    Err(Error::InvalidMembers { value: text(b) })
}

#[inline]
fn parse_income(b: &[u8]) -> Result<Vnd> {
    if !b.is_empty() && b.len() <= 17 && b.iter().all(u8::is_ascii_digit) {
        let v = b.iter().fold(0i64, |acc, d| acc * 10 + (d - b'0') as i64);
        return Ok(Vnd::from_dong(v));
    }
    Vnd::parse_non_negative("income_per_capita", &String::from_utf8_lossy(b))
}

#[inline]
fn parse_area(b: &[u8]) -> Result<Area> {
    match b {
        b"rural" => Ok(Area::Rural),
        b"urban" => Ok(Area::Urban),
        _ => Area::parse(&String::from_utf8_lossy(b)),
    }
}

/// `Some(true)` deprived, `Some(false)` not, `None` unknown.
#[inline]
fn parse_flag(b: &[u8], column: &'static str) -> Result<Option<bool>> {
    if let [one] = b {
        match one {
            b'1' => return Ok(Some(true)),
            b'0' => return Ok(Some(false)),
            _ => {}
        }
    }
    match b {
        b"1" => Ok(Some(true)),
        b"0" => Ok(Some(false)),
        b"" => Ok(None),
        _ if b.eq_ignore_ascii_case(b"true") => Ok(Some(true)),
        _ if b.eq_ignore_ascii_case(b"false") => Ok(Some(false)),
        _ => Err(Error::InvalidValue {
            field: column.into(),
            value: text(b),
            reason: "expected 1, 0, true, false, or empty for unknown",
        }),
    }
}

struct Row {
    household: Household,
    weight: f64,
}

#[inline]
fn parse_row(cols: &Columns, f: &Fields<'_>) -> Result<Row> {
    if f.len() != cols.count {
        return Err(Error::InvalidValue {
            field: "row".into(),
            value: format!("{} fields where the header has {}", f.len(), cols.count),
            reason: "wrong number of fields",
        });
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
        Some(c) => match f.get(c) {
            b"" => 1.0,
            w => Vnd::parse_non_negative("weight", &String::from_utf8_lossy(w))?.to_f64(),
        },
    };
    Ok(Row {
        household: Household::new(area, members, income)
            .with_deprivations(deprived)
            .with_unknown(unknown),
        weight,
    })
}

/// High bit set in each byte of `w` that is ASCII and below `-` (0x2D): the candidates for
/// `,` (0x2C), `"` (0x22) and `\n` (0x0A). Digits and letters are above it, so in a households
/// table nearly every candidate is a separator; each is checked exactly. No borrow crosses a
/// byte, because every byte is lifted to at least 0x80 before the subtraction.
#[inline(always)]
fn separator_candidates(w: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const DASH: u64 = 0x2d2d_2d2d_2d2d_2d2d;
    !((w | HIGH) - DASH) & !w & HIGH
}

/// Classifies every line of `chunk` (whole lines, the final newline removed) into `r`,
/// numbering lines from 1 within the chunk. Returns the number of lines.
///
/// One pass finds commas, newlines and quotes eight bytes at a time; a line with a quote is
/// re-read by the `csv` crate.
fn process_chunk<S: RowSink>(cols: &Columns, chunk: &[u8], sink: &mut S) -> u64 {
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(cols.count + 1);
    let mut record = ::csv::ByteRecord::new();
    let mut line_no = 0u64;
    let mut line_start = 0usize;
    let mut field_start = 0usize;
    let mut quoted = false;
    let mut end_line = |end: usize,
                        field_start: usize,
                        line_start: usize,
                        quoted: bool,
                        spans: &mut Vec<(u32, u32)>| {
        line_no += 1;
        spans.push((field_start as u32, end as u32));
        if end > line_start {
            process_line(
                cols,
                chunk,
                line_start,
                end,
                spans,
                quoted,
                line_no,
                &mut record,
                sink,
            );
        }
        spans.clear();
    };
    let n = chunk.len();
    // Every separator candidate goes through here, from the word loop or the tail. A macro,
    // not a closure: the scan state stays in registers (a closure cost 15% on 10M rows).
    macro_rules! on_byte {
        ($j:expr, $byte:expr) => {
            match $byte {
                b',' => {
                    spans.push((field_start as u32, $j as u32));
                    field_start = $j + 1;
                }
                b'\n' => {
                    end_line($j, field_start, line_start, quoted, &mut spans);
                    line_start = $j + 1;
                    field_start = $j + 1;
                    quoted = false;
                }
                b'"' => quoted = true,
                _ => {}
            }
        };
    }
    let mut i = 0;
    while i + 8 <= n {
        let mut word = [0u8; 8];
        word.copy_from_slice(&chunk[i..i + 8]);
        let mut m = separator_candidates(u64::from_le_bytes(word));
        while m != 0 {
            let j = i + (m.trailing_zeros() / 8) as usize;
            m &= m - 1;
            on_byte!(j, chunk[j]);
        }
        i += 8;
    }
    for (j, b) in chunk.iter().enumerate().skip(i) {
        on_byte!(j, *b);
    }
    end_line(n, field_start, line_start, quoted, &mut spans);
    line_no
}

/// Classifies one line `chunk[start..end]` whose field spans are `spans`.
#[allow(clippy::too_many_arguments)]
#[inline]
fn process_line<S: RowSink>(
    cols: &Columns,
    chunk: &[u8],
    start: usize,
    mut end: usize,
    spans: &mut [(u32, u32)],
    quoted: bool,
    line_no: u64,
    record: &mut ::csv::ByteRecord,
    sink: &mut S,
) {
    if chunk[end - 1] == b'\r' {
        end -= 1;
        if let Some(last) = spans.last_mut() {
            last.1 = last.1.min(end as u32);
        }
        if end == start {
            return;
        }
    }
    let fields = if quoted {
        let mut rdr = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&chunk[start..end]);
        match rdr.read_byte_record(record) {
            Ok(_) => Fields::Quoted(record),
            Err(e) => {
                sink.rejected(
                    line_no,
                    None,
                    Error::Csv {
                        message: e.to_string(),
                    },
                );
                return;
            }
        }
    } else {
        Fields::Plain(chunk, spans)
    };
    match parse_row(cols, &fields) {
        Ok(row) => {
            let mut labels: [&[u8]; MAX_GROUPS] = [b""; MAX_GROUPS];
            for (l, c) in labels.iter_mut().zip(&cols.groups) {
                *l = fields.get(*c);
            }
            let n = cols.groups.len().min(MAX_GROUPS);
            sink.household(
                line_no,
                fields.get(cols.id),
                &row.household,
                row.weight,
                &labels[..n],
            );
        }
        Err(e) => {
            let id = (cols.id < fields.len()).then(|| text(fields.get(cols.id)));
            sink.rejected(line_no, id, e);
        }
    }
}

/// What the header says that a sink may want to know.
#[derive(Debug, Clone)]
pub struct Header {
    /// A `weight` column is present: rates are survey-weighted.
    pub weighted: bool,
    /// Columns that nothing reads.
    pub ignored_columns: Vec<String>,
}

/// Grouping columns a reader hands to a sink, at most.
pub const MAX_GROUPS: usize = 8;

/// Where the rows of a households table go: a population report, an impact comparison, or a
/// caller's own consumer. The reader clones an empty sink for each block, fills the clones on
/// worker threads, and merges them in file order.
pub trait RowSink: Clone + Send + Sync {
    /// A row read as a household, with its indicators among those the reader was asked for,
    /// its id, survey weight (1 when the table has none), and one label per grouping column.
    fn household(
        &mut self,
        line: u64,
        id: &[u8],
        household: &Household,
        weight: f64,
        labels: &[&[u8]],
    );
    /// A row that could not be read.
    fn rejected(&mut self, line: u64, id: Option<String>, error: Error);
    /// Adds a sink filled from the lines that follow this one's.
    fn merge_from(&mut self, later: &Self);
    /// Shifts recorded line numbers by `lines`.
    fn shift_lines(&mut self, lines: u64);
    /// Rows seen so far, for progress.
    fn rows(&self) -> u64;
}

/// A population report as a [`RowSink`]: classifies each household under its standard.
#[derive(Debug, Clone)]
pub struct ReportSink<'s> {
    /// The standard.
    pub standard: &'s Standard,
    /// The report being filled.
    pub report: Report,
}

impl RowSink for ReportSink<'_> {
    #[inline]
    fn household(
        &mut self,
        line: u64,
        id: &[u8],
        household: &Household,
        weight: f64,
        labels: &[&[u8]],
    ) {
        self.report
            .classify_labelled(self.standard, line, id, household, weight, labels);
    }
    fn rejected(&mut self, line: u64, id: Option<String>, error: Error) {
        self.report.reject(line, id, error);
    }
    fn merge_from(&mut self, later: &Self) {
        // Same standard and groupings by construction.
        let _ = self.report.merge(&later.report);
    }
    fn shift_lines(&mut self, lines: u64) {
        self.report.shift_lines(lines);
    }
    fn rows(&self) -> u64 {
        self.report.input().rows
    }
}

/// Reads a households table and reports it under `standard`.
///
/// Errors only for what stops the whole run: an unreadable input or a bad header. Bad rows
/// are counted and listed in the report.
pub fn read_report<R: Read>(
    reader: R,
    standard: &Standard,
    options: &CsvOptions<'_>,
) -> Result<Report> {
    let sink = read_table(reader, standard.indicators(), options, |header| {
        let names: Vec<&str> = options.group_by.iter().map(String::as_str).collect();
        let mut report = Report::new(standard, &names);
        if let Some(spec) = &options.af {
            report = report.with_af(spec.clone())?;
        }
        if options.keep_rejected > 0 {
            report = report.keep_rejected(options.keep_rejected);
        }
        report.apply_header(header);
        Ok(ReportSink { standard, report })
    })?;
    Ok(sink.report)
}

/// Reads a households table into any [`RowSink`]: the header is checked for `indicators`
/// (each a required column) and `options.group_by`; `make_sink` builds the empty sink once
/// the header is known.
pub fn read_table<R: Read, S: RowSink>(
    mut reader: R,
    indicators: IndicatorSet,
    options: &CsvOptions<'_>,
    make_sink: impl FnOnce(&Header) -> Result<S>,
) -> Result<S> {
    let io_err = |e: std::io::Error| Error::Csv {
        message: e.to_string(),
    };
    if options.group_by.len() > MAX_GROUPS {
        return Err(Error::InvalidValue {
            field: "group_by".into(),
            value: options.group_by.len().to_string(),
            reason: "at most 8 grouping columns",
        });
    }
    // Read until the end of the header line.
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK);
    let header_end = loop {
        if let Some(p) = buf.iter().position(|b| *b == b'\n') {
            break p;
        }
        let mut tmp = [0u8; 8192];
        let n = reader.read(&mut tmp).map_err(io_err)?;
        if n == 0 {
            break buf.len();
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let header = buf[..header_end]
        .strip_suffix(b"\r")
        .unwrap_or(&buf[..header_end]);
    let cols = parse_header(header, indicators, &options.group_by)?;
    let rest = buf.get(header_end + 1..).unwrap_or(&[]).to_vec();
    let base = make_sink(&Header {
        weighted: cols.weight.is_some(),
        ignored_columns: cols.ignored.clone(),
    })?;

    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let (pool_tx, pool_rx) = mpsc::channel::<Vec<u8>>();
    let blocks = Blocks {
        reader,
        carry: rest,
        eof: false,
        pool: Some(pool_rx),
    };
    if threads <= 1 {
        let mut total = base.clone();
        let mut before = 1u64; // lines before the block: the header
        for block in blocks {
            let block = block.map_err(io_err)?;
            let mut part = base.clone();
            let lines = process_chunk(&cols, block.lines(), &mut part);
            let _ = pool_tx.send(block.buf);
            part.shift_lines(before);
            total.merge_from(&part);
            before += lines;
            if let Some(p) = options.progress {
                p(total.rows());
            }
        }
        return Ok(total);
    }

    std::thread::scope(|scope| {
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Block)>(threads * 2);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (done_tx, done_rx) = mpsc::channel::<(usize, S, u64)>();
        for _ in 0..threads {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            let (cols, base) = (&cols, &base);
            let pool_tx = pool_tx.clone();
            scope.spawn(move || loop {
                let job = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((index, block)) = job else { return };
                let mut part = base.clone();
                let lines = process_chunk(cols, block.lines(), &mut part);
                // The reader may have finished; a buffer it no longer wants is simply dropped.
                let _ = pool_tx.send(block.buf);
                if done_tx.send((index, part, lines)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let mut total = base.clone();
        let mut pending = std::collections::BTreeMap::new();
        let mut next = 0usize;
        let mut sent = 0usize;
        let mut before = 1u64; // lines before the next block to merge: the header
        let mut merge_ready = |pending: &mut std::collections::BTreeMap<usize, (S, u64)>,
                               next: &mut usize,
                               total: &mut S| {
            while let Some((mut part, lines)) = pending.remove(next) {
                part.shift_lines(before);
                before += lines;
                total.merge_from(&part);
                *next += 1;
                if let Some(p) = options.progress {
                    p(total.rows());
                }
            }
        };
        let mut failure = None;
        for block in blocks {
            let block = match block {
                Ok(b) => b,
                Err(e) => {
                    failure = Some(io_err(e));
                    break;
                }
            };
            if work_tx.send((sent, block)).is_err() {
                break;
            }
            sent += 1;
            while let Ok((i, part, lines)) = done_rx.try_recv() {
                pending.insert(i, (part, lines));
            }
            merge_ready(&mut pending, &mut next, &mut total);
        }
        drop(work_tx);
        for (i, part, lines) in done_rx.iter() {
            pending.insert(i, (part, lines));
            merge_ready(&mut pending, &mut next, &mut total);
        }
        match failure {
            Some(e) => Err(e),
            None if next == sent => Ok(total),
            None => Err(Error::Csv {
                message: "a worker thread stopped before its block was done".into(),
            }),
        }
    })
}

/// A block of whole lines: `buf[..len]`, the final newline removed.
struct Block {
    buf: Vec<u8>,
    len: usize,
}

impl Block {
    fn lines(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

/// Reads blocks of whole lines. Buffers handed back through `pool` are reused, so the reader
/// neither zero-fills nor faults in fresh memory for every block.
struct Blocks<R> {
    reader: R,
    carry: Vec<u8>,
    eof: bool,
    pool: Option<mpsc::Receiver<Vec<u8>>>,
}

impl<R: Read> Blocks<R> {
    fn buffer(&mut self, at_least: usize) -> Vec<u8> {
        let reused = self.pool.as_ref().and_then(|p| p.try_recv().ok());
        match reused {
            Some(b) if b.len() >= at_least => b,
            _ => vec![0; at_least.max(BLOCK)],
        }
    }
}

impl<R: Read> Iterator for Blocks<R> {
    type Item = std::io::Result<Block>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.eof && self.carry.is_empty() {
            return None;
        }
        let mut buf = self.buffer(BLOCK.max(self.carry.len() * 2));
        let mut filled = self.carry.len();
        buf[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        loop {
            while !self.eof && filled < buf.len() {
                match self.reader.read(&mut buf[filled..]) {
                    Ok(0) => self.eof = true,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Some(Err(e)),
                }
            }
            if self.eof {
                return (filled > 0).then_some(Ok(Block { buf, len: filled }));
            }
            match buf[..filled].iter().rposition(|b| *b == b'\n') {
                Some(p) => {
                    self.carry.extend_from_slice(&buf[p + 1..filled]);
                    return Some(Ok(Block { buf, len: p }));
                }
                // One line longer than the block: read on into a larger buffer.
                None => buf.resize(buf.len() * 2, 0),
            }
        }
    }
}
