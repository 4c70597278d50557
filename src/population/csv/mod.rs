//! Reading the households table ([formats §3](crate::docs::formats)) into a [`Report`], streamed.
//!
//! * Records are read as the `csv` crate reads them: line ends `\n`, `\r\n` or `\r` (mixed
//!   too), quoted fields holding commas, doubled quotes or line breaks, blank lines skipped, a
//!   UTF-8 byte-order mark ignored. A row is numbered by the physical line on which it begins.
//! * The header is checked before any row: a missing required column (id, area, members,
//!   income_per_capita, each indicator of the standard, each `--group-by` column) is one error
//!   naming every missing column.
//! * Each standard reads only the columns it needs; a file may carry the indicator columns of
//!   several standards. Columns that no standard and no option uses are reported as ignored.
//! * Indicator cells are `1`/`0`/`true`/`false`, or empty for unknown. An optional `weight`
//!   column gives survey weights (rates are then weighted).
//! * A bad row is counted as rejected with its line number, id and reason; the run goes on.
//!   Every record is accounted for: classified + indeterminate + rejected = records.
//! * Memory does not grow with the file: it is read in blocks of whole records, which worker
//!   threads classify into partial reports merged in file order. A record (or the header)
//!   longer than [`CsvOptions::max_record_bytes`] is rejected (the header: an error) without
//!   being held in memory, and a rejected row keeps only a short excerpt of its values.
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
//! let options = CsvOptions::new().group_by("province");
//! let report = read_report(table.as_bytes(), standard, &options)?;
//! assert_eq!(report.input().classified, 1);
//! assert_eq!(report.input().rejected, 1);
//! assert_eq!(report.rejected()[0].line, 3);
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

mod blocks;
pub(crate) mod facts_tables;
mod header;
mod lines;
mod records;
mod scan;

use std::io::Read;
use std::sync::mpsc;

use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::household::Household;
use crate::indicator::IndicatorSet;
use crate::population::pipeline::Stopped;
use crate::population::{Report, ReportOptions};
use crate::standard::Standard;
use blocks::{Block, Blocks};
pub use facts_tables::{read_facts_report, LOOKAHEAD, MAX_MEMBERS, WINDOW_BYTES};

/// The options of a households-table read: [`ReportOptions`] under the name this module has
/// always used.
pub type CsvOptions<'a> = ReportOptions<'a>;

/// The default limit on a record's length: 1 MiB, some ten thousand times a households row.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The largest limit a caller may set: 1 GiB.
pub const MAX_RECORD_BYTES_LIMIT: usize = 1 << 30;

impl ReportOptions<'_> {
    fn max_record(&self) -> Result<usize> {
        match self.max_record_bytes {
            0 => Ok(MAX_RECORD_BYTES),
            n if n <= MAX_RECORD_BYTES_LIMIT => Ok(n),
            n => Err(Error::from(ErrorKind::InvalidValue {
                field: "max_record_bytes".into(),
                value: n.to_string(),
                reason: crate::error::Reason::new(
                    "at most 1073741824 (1 GiB)",
                    "tối đa 1073741824 (1 GiB)",
                ),
            })),
        }
    }

    /// The worker threads a run uses: what was asked, within what the machine has.
    fn worker_threads(&self) -> usize {
        let available = std::thread::available_parallelism().map_or(1, |n| n.get());
        match self.threads {
            0 => available,
            n => n.min(available),
        }
    }
}

/// What the header says that a sink may want to know.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Header {
    /// A `weight` column is present: rates are survey-weighted.
    pub weighted: bool,
    /// Columns that nothing reads.
    pub ignored_columns: Vec<String>,
    /// For a precision report: `stratum` and `psu` columns are present, and their cells come
    /// after the grouping labels of each row.
    pub design: bool,
}

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
    #[inline(always)]
    fn household(
        &mut self,
        line: u64,
        id: &[u8],
        household: &Household,
        weight: f64,
        labels: &[&[u8]],
    ) {
        self.report.classify_labelled_valid_weight(
            self.standard,
            line,
            id,
            household,
            weight,
            labels,
        );
    }
    fn rejected(&mut self, line: u64, id: Option<String>, error: Error) {
        self.report.reject(line, id, error);
    }
    fn merge_from(&mut self, later: &Self) {
        // Same standard and groupings by construction: a failure is a bug, said loudly in
        // debug builds.
        let merged = self.report.merge(&later.report);
        debug_assert!(merged.is_ok(), "blocks of one read merge: {merged:?}");
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
    read_report_in_blocks(reader, standard, options, blocks::BLOCK)
}

fn read_report_in_blocks<R: Read>(
    reader: R,
    standard: &Standard,
    options: &CsvOptions<'_>,
    block: usize,
) -> Result<Report> {
    let make = |header: &Header| {
        let names: Vec<&str> = options.group_by.iter().map(String::as_str).collect();
        let mut report = options.empty_report(standard, &names)?;
        if let Some(p) = options.precision {
            report = report.with_precision(p, header.design);
            // The worker threads share the precision sums rather than building and merging
            // one tally per block.
            report.share_precision(options.worker_threads() * 2 + 1);
        }
        report.set_weighted(header.weighted);
        report.set_ignored_columns(header.ignored_columns.clone());
        Ok(ReportSink { standard, report })
    };
    let mut sink = read_table_in_blocks(reader, standard.indicators(), options, make, block)?;
    sink.report.gather_precision()?;
    Ok(sink.report)
}

/// Reads a households table into any [`RowSink`]: the header is checked for `indicators`
/// (each a required column) and `options.group_by`; `make_sink` builds the empty sink once
/// the header is known.
pub fn read_table<R: Read, S: RowSink>(
    reader: R,
    indicators: IndicatorSet,
    options: &CsvOptions<'_>,
    make_sink: impl FnOnce(&Header) -> Result<S>,
) -> Result<S> {
    read_table_in_blocks(reader, indicators, options, make_sink, blocks::BLOCK)
}

/// [`read_table`], reading `block` bytes at a time.
fn read_table_in_blocks<R: Read, S: RowSink>(
    mut reader: R,
    indicators: IndicatorSet,
    options: &CsvOptions<'_>,
    make_sink: impl FnOnce(&Header) -> Result<S>,
    block: usize,
) -> Result<S> {
    let max_record = options.max_record()?;
    let raw = header::read_header(&mut reader, max_record)?;
    // Precision reads the weights, and the design's cells after the grouping labels.
    let design = match options.precision {
        None => false,
        Some(_) => header::design_columns(&raw.names)?,
    };
    let mut labels = options.group_by.clone();
    if design {
        labels.extend(["stratum".to_owned(), "psu".to_owned()]);
    }
    let cols = header::columns(&raw.names, indicators, &labels)?;
    let base = make_sink(&Header {
        weighted: cols.weight.is_some(),
        ignored_columns: cols.ignored.clone(),
        design,
    })?;
    let (pool_tx, pool_rx) = mpsc::channel::<Vec<u8>>();
    let blocks = Blocks::new(reader, raw.carry, raw.after_cr, max_record, block, pool_rx);
    let work = |block: Block, pool: &mpsc::Sender<Vec<u8>>| -> (S, u64) {
        let mut part = base.clone();
        let lines = match block {
            Block::Records { buf, len } => {
                let lines = scan::process_chunk(&cols, &buf[..len], max_record, &mut part);
                // The reader may have finished; a buffer it no longer wants is simply dropped.
                let _ = pool.send(buf);
                lines
            }
            Block::TooLong { lines } => {
                part.rejected(1, None, scan::too_long(max_record));
                lines
            }
        };
        (part, lines)
    };
    let mut ordered = Ordered {
        total: base.clone(),
        before: raw.lines,
        progress: options.progress,
    };
    let io_err = |e: std::io::Error| {
        let message = e.to_string();
        Error::with_source(ErrorKind::Csv { message }, e)
    };
    let outcome = crate::population::pipeline::ordered(
        blocks,
        options.worker_threads(),
        &|block| work(block, &pool_tx),
        |(part, lines)| ordered.add(part, lines),
    );
    match outcome {
        Ok(()) => Ok(ordered.total),
        Err(Stopped::Source(e)) => Err(io_err(e)),
        Err(Stopped::Worker) => Err(Error::from(ErrorKind::Csv {
            message: "a worker thread stopped before its block was done".into(),
        })),
    }
}

/// Parts merged in file order, each placed after the lines of those before it.
struct Ordered<'p, S> {
    total: S,
    /// Line ends before the next part: the header's, then each part's.
    before: u64,
    progress: Option<&'p (dyn Fn(u64) + Sync)>,
}

impl<S: RowSink> Ordered<'_, S> {
    fn add(&mut self, mut part: S, lines: u64) {
        part.shift_lines(self.before);
        self.before += lines;
        self.total.merge_from(&part);
        if let Some(p) = self.progress {
            p(self.total.rows());
        }
    }
}

#[cfg(test)]
mod tests;
