//! The two-table facts form ([facts §5](crate::docs::facts)): a households table and a
//! members table, read in step, each household's facts evaluated by the standard's indicator
//! rules and classified into a [`Report`].
//!
//! * **Streaming.** Both tables are read once, front to back; memory stays flat in the number
//!   of households. The members table is parsed on its own thread.
//! * **Order.** Households come in the same order in both tables. A run of member rows goes
//!   to the household with its id among those held open around where the members table
//!   stands ([`LOOKAHEAD`] households each side, at most [`WINDOW_BYTES`]), so its rows need
//!   not be contiguous.
//! * **Accounting.** Every household row is classified, indeterminate or rejected, once, from
//!   all of its member rows: a bad member row rejects the household whose id it carries; a
//!   household with no member rows is rejected (`no_members`). A run whose household is not
//!   open stops the run (`member_out_of_order`): it may belong to a household already
//!   classified. So `rows` = household rows = classified + indeterminate + rejected.
//!
//! ```
//! use chuan_ngheo::population::csv::{read_facts_report, CsvOptions};
//! use chuan_ngheo::Standard;
//!
//! let households = "id,area,income_per_capita,floor_area_m2,water_source,latrine\n\
//!                   h1,rural,1400000,10,surface,none\n\
//!                   h2,rural,1400000,60,piped,septic\n";
//! let members = "household_id,age,health_insurance\n\
//!                h1,40,1\nh1,12,1\n";
//! let standard = Standard::builtin("vn-2022-2025")?;
//! let report = read_facts_report(households.as_bytes(), members.as_bytes(), standard,
//!     &CsvOptions::new())?;
//! let input = report.input();
//! assert_eq!(input.rows, 2);
//! assert_eq!(input.rejected, 1); // h2 has no member rows
//! assert_eq!(report.rejected()[0].error.code(), "no_members");
//! # Ok::<(), chuan_ngheo::Error>(())
//! ```

use std::collections::VecDeque;
use std::io::Read;
use std::sync::mpsc;

use super::header::read_header;
use super::lines::{Next, RecordReader};
use super::scan::{parse_area, parse_income, parse_weight, too_long, trim};
use crate::error::{excerpt, excerpt_bytes, Error, ErrorKind, Result};
use crate::facts::{HouseholdFact, HouseholdFacts, MemberFact, MemberFacts};
use crate::indicator::Area;
use crate::money::Vnd;
use crate::population::{Report, ReportOptions};
use crate::standard::Standard;

/// How many households the reader holds open on each side of where the member rows stand:
/// a run of member rows may belong to any of them. A run whose household is not among them
/// stops the run ([`ErrorKind::MemberOutOfOrder`]).
pub const LOOKAHEAD: usize = 4096;

/// The most bytes the open households (their ids, labels and member facts) may hold; past
/// it fewer households are held open.
pub const WINDOW_BYTES: usize = 64 << 20;

/// The default most members one household may list ([`ReportOptions::max_members`]).
pub const MAX_MEMBERS: usize = 100;

const RUNS_PER_BATCH: usize = 2048;
/// A batch of runs is sent when its ids reach this many bytes, however few runs it has.
const BATCH_ID_BYTES: usize = 1 << 20;
/// ... or this many members.
const BATCH_MEMBERS: usize = 1 << 16;

/// A run of contiguous member rows with one household id.
struct Run {
    id: (usize, usize),
    members: (usize, usize),
    /// The first bad row of the run: its line and what is wrong.
    bad: Option<Box<(u64, ErrorKind)>>,
}

#[derive(Default)]
struct Batch {
    ids: Vec<u8>,
    runs: Vec<Run>,
    members: Vec<MemberFacts>,
    /// The first line of each run, in the members table.
    lines: Vec<u64>,
}

impl Batch {
    fn id(&self, r: &Run) -> &[u8] {
        &self.ids[r.id.0..r.id.1]
    }
}

/// Where each column of the members table goes.
struct MemberColumns {
    household_id: usize,
    /// Fields a row must have: the header's.
    width: usize,
    facts: Vec<(usize, MemberFact)>,
}

/// Where each column of the households table goes.
struct HouseholdColumns {
    id: usize,
    area: usize,
    income: usize,
    members: Option<usize>,
    facts: Vec<(usize, HouseholdFact)>,
    weight: Option<usize>,
    groups: Vec<usize>,
    /// Fields a row must have: the header's.
    width: usize,
}

/// Columns of the households table the reader uses by name (fact columns and grouping
/// columns aside). Any other column is listed as ignored, never silently dropped.
const HOUSEHOLD_KNOWN: [&str; 5] = ["id", "area", "income_per_capita", "members", "weight"];

fn duplicate(names: &[String], table: &str) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for n in names {
        if !seen.insert(n) {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: format!("{table} header"),
                value: excerpt(n),
                reason: crate::error::Reason::new(
                    "a column appears twice",
                    "một cột xuất hiện hai lần",
                ),
            }));
        }
    }
    Ok(())
}

fn missing(table: &str, names: &[&str]) -> Error {
    Error::from(ErrorKind::Missing {
        field: format!("{table} table: column {}", names.join(", column ")),
    })
}

fn household_columns(
    names: &[String],
    group_by: &[String],
    ignored: &mut Vec<String>,
) -> Result<HouseholdColumns> {
    duplicate(names, "households")?;
    let find = |n: &str| names.iter().position(|x| x == n);
    let mut absent = Vec::new();
    let mut need = |n: &'static str| {
        find(n).unwrap_or_else(|| {
            absent.push(n);
            0
        })
    };
    let (id, area, income) = (need("id"), need("area"), need("income_per_capita"));
    let mut groups = Vec::new();
    let mut absent_groups = Vec::new();
    for g in group_by {
        match find(g) {
            Some(p) => groups.push(p),
            None => absent_groups.push(g.as_str()),
        }
    }
    if !absent.is_empty() || !absent_groups.is_empty() {
        absent.extend(absent_groups);
        return Err(missing("households", &absent));
    }
    let mut facts = Vec::new();
    for (i, n) in names.iter().enumerate() {
        match HouseholdFact::from_code(n) {
            Some(f) => facts.push((i, f)),
            None if HOUSEHOLD_KNOWN.contains(&n.as_str()) || group_by.contains(n) => {}
            None => ignored.push(excerpt(n)),
        }
    }
    let (members, weight) = (find("members"), find("weight"));
    let width = names.len();
    Ok(HouseholdColumns {
        id,
        area,
        income,
        members,
        facts,
        weight,
        groups,
        width,
    })
}

fn member_columns(names: &[String], ignored: &mut Vec<String>) -> Result<MemberColumns> {
    duplicate(names, "members")?;
    let household_id = names
        .iter()
        .position(|x| x == "household_id")
        .ok_or_else(|| missing("members", &["household_id"]))?;
    let mut facts = Vec::new();
    for (i, n) in names.iter().enumerate() {
        match MemberFact::from_code(n) {
            Some(f) => facts.push((i, f)),
            None if i == household_id => {}
            None => ignored.push(format!("members.{}", excerpt(n))),
        }
    }
    let width = names.len();
    Ok(MemberColumns {
        household_id,
        width,
        facts,
    })
}

/// Reads the members table on its own thread, sending batches of runs. A row that cannot be
/// given to a household (an over-long row whose id cannot be read) stops the run.
fn read_members<R: Read>(
    mut rows: RecordReader<R>,
    cols: &MemberColumns,
    max_record: usize,
    max_members: usize,
    tx: &mpsc::SyncSender<Result<Batch>>,
    pool: &mpsc::Receiver<Batch>,
) {
    rows.keep_field_of_long(cols.household_id);
    let mut batch = Batch::default();
    // The previous row's household id, while the run it opened is in this batch.
    let mut open = false;
    let send = |batch: Batch| tx.send(Ok(batch)).is_ok();
    loop {
        let next = match rows.next_record() {
            Ok(n) => n,
            Err(e) => {
                let message = format!("reading the members table: {e}");
                let _ = tx.send(Err(Error::with_source(ErrorKind::Csv { message }, e)));
                return;
            }
        };
        let (line, id, member) = match next {
            Next::End => {
                let _ = send(batch);
                return;
            }
            Next::TooLong { line } => {
                // Charged to the household whose id it carries, read from its first bytes.
                let Some(id) = rows.long_field().map(trim) else {
                    let _ = tx.send(Err(Error::from(ErrorKind::MemberRow {
                        line,
                        detail: Box::new(ErrorKind::InvalidValue {
                            field: "household_id".into(),
                            value: format!("a row of more than {max_record} bytes"),
                            reason: crate::error::Reason::new("the row is longer than the reader's limit and its household id cannot be read from its first bytes, so no household can be charged with it", "dòng dài quá giới hạn của bộ đọc và không đọc được mã hộ ở đầu dòng, nên không gán được cho hộ nào"),
                        }),
                    })));
                    return;
                };
                (line, id, (None, Some(too_long(max_record).into_kind())))
            }
            Next::Record { line } => {
                let mut m = MemberFacts::new();
                let mut bad = None;
                if rows.len() != cols.width {
                    // A short row's missing cells are not "unknown", a long row's extra cells
                    // are not to be dropped: the row is broken.
                    bad = Some(row_width("members row", rows.len(), cols.width));
                }
                for &(col, fact) in &cols.facts {
                    if bad.is_some() {
                        break;
                    }
                    let cell = trim(rows.field(col));
                    if let Err(reason) = m.set_bytes(fact, cell) {
                        bad = Some(crate::facts::invalid_fact_kind(
                            None,
                            fact.code(),
                            excerpt_bytes(cell),
                            reason,
                        ));
                    }
                }
                (line, trim(rows.field(cols.household_id)), (Some(m), bad))
            }
        };
        let same = open
            && batch
                .runs
                .last()
                .is_some_and(|r| &batch.ids[r.id.0..r.id.1] == id);
        if !same {
            if batch.runs.len() >= RUNS_PER_BATCH
                || batch.ids.len() >= BATCH_ID_BYTES
                || batch.members.len() >= BATCH_MEMBERS
            {
                let full = std::mem::replace(&mut batch, pool.try_recv().unwrap_or_default());
                batch.ids.clear();
                batch.runs.clear();
                batch.members.clear();
                batch.lines.clear();
                if !send(full) {
                    return;
                }
            }
            let at = batch.ids.len();
            batch.ids.extend_from_slice(id);
            batch.runs.push(Run {
                id: (at, batch.ids.len()),
                members: (batch.members.len(), batch.members.len()),
                bad: None,
            });
            batch.lines.push(line);
            open = true;
        }
        // A run is open: the row's own, just pushed, or the one it continues.
        let (m, mut bad) = member;
        if let Some(run) = batch.runs.last_mut() {
            if let Some(m) = m {
                if run.members.1 - run.members.0 < max_members {
                    batch.members.push(m);
                    run.members.1 = batch.members.len();
                } else if run.bad.is_none() {
                    // The household is rejected; its further rows are read, not kept.
                    bad = Some(too_many_members(max_members));
                }
            }
            if let Some(kind) = bad {
                run.bad.get_or_insert_with(|| Box::new((line, kind)));
            }
        }
    }
}

/// A row with another number of fields than its table's header.
fn row_width(table: &str, got: usize, header: usize) -> ErrorKind {
    ErrorKind::InvalidValue {
        field: table.into(),
        value: format!("{got} fields, the header has {header}"),
        reason: if got < header {
            crate::error::Reason::new(
                "a row has fewer fields than the header",
                "dòng có ít trường hơn dòng tiêu đề",
            )
        } else {
            crate::error::Reason::new("a row has more fields than the header (a decimal comma, or a comma not quoted?)", "dòng có nhiều trường hơn dòng tiêu đề (dấu phẩy thập phân, hoặc dấu phẩy không nằm trong ngoặc kép?)")
        },
    }
}

/// A household with more member rows than the limit.
fn too_many_members(max_members: usize) -> ErrorKind {
    ErrorKind::InvalidValue {
        field: "household_id".into(),
        value: format!("more than {max_members} member rows"),
        reason: crate::error::Reason::new(
            "a household lists more members than the reader's limit (ReportOptions::max_members)",
            "hộ có nhiều thành viên hơn giới hạn của bộ đọc (ReportOptions::max_members)",
        ),
    }
}

/// The runs as the main thread reads them, batch after batch.
struct Runs {
    rx: mpsc::Receiver<Result<Batch>>,
    back: mpsc::Sender<Batch>,
    cur: Batch,
    pos: usize,
    done: bool,
}

impl Runs {
    /// The next run's household id, or `None` at the end.
    fn peek(&mut self) -> Result<Option<&[u8]>> {
        while self.pos >= self.cur.runs.len() {
            if self.done {
                return Ok(None);
            }
            match self.rx.recv() {
                Ok(Ok(b)) => {
                    let old = std::mem::replace(&mut self.cur, b);
                    let _ = self.back.send(old);
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => self.done = true,
            }
        }
        let r = &self.cur.runs[self.pos];
        Ok(Some(self.cur.id(r)))
    }

    /// The current run's first line (after a successful `peek`).
    fn line(&self) -> u64 {
        self.cur.lines[self.pos]
    }

    /// Gives the current run (after a successful `peek`) to `row`, within `max_members`.
    fn take_into(&mut self, row: &mut HouseholdRow, max_members: usize) {
        let r = &mut self.cur.runs[self.pos];
        let line = self.cur.lines[self.pos];
        self.pos += 1;
        row.took = true;
        if row.bad.is_none() {
            row.bad = r.bad.take();
        }
        let members = &self.cur.members[r.members.0..r.members.1];
        let total = row.facts.members.len() + members.len();
        if total > max_members {
            if row.bad.is_none() {
                row.bad = Some(Box::new((line, too_many_members(max_members))));
            }
        } else if row.bad.is_none() {
            row.facts.members.extend_from_slice(members);
        }
    }
}

/// A household row held open.
#[derive(Default)]
struct HouseholdRow {
    line: u64,
    id: Vec<u8>,
    labels: Vec<u8>,
    label_ends: Vec<usize>,
    error: Option<Error>,
    area: Option<Area>,
    income: Option<Vnd>,
    members_given: Option<u64>,
    weight: f64,
    facts: HouseholdFacts,
    /// A run of member rows was given to it.
    took: bool,
    /// The first bad member row given to it: its line and what is wrong.
    bad: Option<Box<(u64, ErrorKind)>>,
}

impl HouseholdRow {
    fn label(&self, g: usize) -> &[u8] {
        let a = if g == 0 { 0 } else { self.label_ends[g - 1] };
        &self.labels[a..self.label_ends[g]]
    }

    /// The bytes it holds, for the window's bound.
    fn held(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.id.len()
            + self.labels.len()
            + self.label_ends.len() * std::mem::size_of::<usize>()
    }

    /// The bytes its members hold.
    fn held_members(&self) -> usize {
        self.facts.members.len() * std::mem::size_of::<MemberFacts>()
    }
}

/// The households table as a window of open households: a run of member rows may belong to
/// any household in it. Households leave it, in the table's order, once the member rows are
/// more than [`LOOKAHEAD`] households (or [`WINDOW_BYTES`]) past them.
struct Households<R> {
    rows: RecordReader<R>,
    cols: HouseholdColumns,
    max_record: usize,
    max_members: usize,
    open: VecDeque<Box<HouseholdRow>>,
    /// The sequence number (0-based row of the households table) of `open[0]`.
    front: u64,
    /// The household after the last one given member rows: where an ordered members table
    /// goes on.
    cursor: u64,
    /// The bytes the open households hold.
    bytes: usize,
    /// Open households by id, built the first time a run is not where the order puts it
    /// (an ordered pair of tables never builds it). The std hasher is keyed per process, so
    /// crafted ids cannot make it slow.
    index: Option<crate::hash::KeyedMap<Vec<u8>, u64>>,
    /// Boxes kept for reuse: a row moves in and out of the window as a pointer.
    #[allow(clippy::vec_box)]
    free: Vec<Box<HouseholdRow>>,
    done: bool,
}

impl<R: Read> Households<R> {
    fn end(&self) -> u64 {
        self.front + self.open.len() as u64
    }

    fn get(&mut self, seq: u64) -> &mut HouseholdRow {
        let i = usize::try_from(seq - self.front).unwrap_or(usize::MAX);
        &mut self.open[i]
    }

    /// Reads one more household row into the window; `false` at the end.
    fn read_one(&mut self) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        let next = self.rows.next_record().map_err(|e| {
            let message = format!("reading the households table: {e}");
            Error::with_source(ErrorKind::Csv { message }, e)
        })?;
        let mut row = self.free.pop().unwrap_or_default();
        row.id.clear();
        row.labels.clear();
        row.label_ends.clear();
        row.error = None;
        row.took = false;
        row.bad = None;
        row.facts = HouseholdFacts {
            members: std::mem::take(&mut row.facts.members),
            ..HouseholdFacts::default()
        };
        row.facts.members.clear();
        match next {
            Next::End => {
                self.free.push(row);
                self.done = true;
                return Ok(false);
            }
            Next::TooLong { line } => {
                row.line = line;
                // Its id, read from its first bytes, still finds its member rows.
                row.id
                    .extend_from_slice(self.rows.long_field().map(trim).unwrap_or_default());
                row.error = Some(too_long(self.max_record));
            }
            Next::Record { line } => {
                row.line = line;
                let f = &self.rows;
                let c = &self.cols;
                row.id.extend_from_slice(trim(f.field(c.id)));
                for &g in &c.groups {
                    row.labels.extend_from_slice(trim(f.field(g)));
                    row.label_ends.push(row.labels.len());
                }
                if let Err(e) = parse_household(f, c, &mut row) {
                    row.error = Some(e);
                }
            }
        }
        let seq = self.end();
        if let Some(index) = &mut self.index {
            index.entry(row.id.clone()).or_insert(seq);
        }
        self.bytes += row.held();
        self.open.push_back(row);
        Ok(true)
    }

    /// The open household a run with this id belongs to, reading ahead as far as the window
    /// allows; `None` if no open household has the id.
    fn find(&mut self, id: &[u8]) -> Result<Option<u64>> {
        // An ordered members table: the household at the cursor, or one of the few after it
        // (households with no member rows between).
        for seq in self.cursor..self.cursor + 4 {
            if seq == self.end() && !self.read_one()? {
                break;
            }
            if seq >= self.front && self.get(seq).id == id {
                return Ok(Some(seq));
            }
        }
        let index = match &mut self.index {
            Some(index) => index,
            None => {
                let mut index = crate::hash::KeyedMap::with_capacity_and_hasher(
                    self.open.len() * 2,
                    Default::default(),
                );
                for (i, row) in self.open.iter().enumerate() {
                    index.entry(row.id.clone()).or_insert(self.front + i as u64);
                }
                self.index.insert(index)
            }
        };
        if let Some(&seq) = index.get(id) {
            return Ok(Some(seq));
        }
        while self.end() < self.cursor + LOOKAHEAD as u64 && self.bytes < WINDOW_BYTES {
            if !self.read_one()? {
                break;
            }
            let seq = self.end() - 1;
            if self.get(seq).id == id {
                return Ok(Some(seq));
            }
        }
        Ok(None)
    }

    /// The front household, if it may leave the window: the member rows are past it by more
    /// than the window holds (or `all`, at the end of the member rows).
    fn pop_closed(&mut self, all: bool) -> Result<Option<Box<HouseholdRow>>> {
        if self.open.is_empty() && (!all || !self.read_one()?) {
            return Ok(None);
        }
        let behind = self.cursor.saturating_sub(self.front);
        if !all && behind <= LOOKAHEAD as u64 && self.bytes <= WINDOW_BYTES {
            return Ok(None);
        }
        if !all && behind == 0 {
            return Ok(None);
        }
        let Some(row) = self.open.pop_front() else {
            return Ok(None);
        };
        if let Some(index) = &mut self.index {
            if index.get(&row.id) == Some(&self.front) {
                index.remove(&row.id);
            }
        }
        self.front += 1;
        self.cursor = self.cursor.max(self.front);
        self.bytes = self.bytes.saturating_sub(row.held() + row.held_members());
        Ok(Some(row))
    }
}

fn parse_household<R: Read>(
    f: &RecordReader<R>,
    c: &HouseholdColumns,
    row: &mut HouseholdRow,
) -> Result<()> {
    if f.len() != c.width {
        return Err(Error::from(row_width("households row", f.len(), c.width)));
    }
    row.area = Some(parse_area(trim(f.field(c.area)))?);
    row.income = Some(parse_income(trim(f.field(c.income)))?);
    row.weight = match c.weight {
        Some(w) => parse_weight(trim(f.field(w)))?,
        None => 1.0,
    };
    row.members_given = match c.members {
        None => None,
        Some(m) => {
            let cell = trim(f.field(m));
            if cell.is_empty() {
                None
            } else {
                Some(crate::household::parse_members(cell)?.into())
            }
        }
    };
    for &(col, fact) in &c.facts {
        let cell = trim(f.field(col));
        row.facts.set_bytes(fact, cell).map_err(|reason| {
            crate::facts::invalid_fact(None, fact.code(), excerpt_bytes(cell), reason)
        })?;
    }
    Ok(())
}

/// Reads the two-table facts form ([facts §5](crate::docs::facts)) and reports it under
/// `standard`, which must have a fact rule for every indicator.
///
/// Errors only for what stops the whole run: an unreadable input, a bad header (a missing
/// `id`, `area`, `income_per_capita` or `household_id` column, a grouping column missing), a
/// standard without fact rules. Bad rows are counted and listed in the report.
pub fn read_facts_report<H: Read, M: Read + Send>(
    households: H,
    members: M,
    standard: &Standard,
    options: &ReportOptions<'_>,
) -> Result<Report> {
    needs_rules(standard)?;
    let names: Vec<&str> = options.group_by.iter().map(String::as_str).collect();
    let mut report = options.empty_report(standard, &names)?;
    read_facts_tables(households, members, options, |header| {
        report.set_weighted(header.weighted);
        report.set_ignored_columns(header.ignored_columns.clone());
        Ok(ReportFacts {
            standard,
            report: &mut report,
        })
    })?;
    Ok(report)
}

/// An error unless `standard` has a fact rule for every indicator.
pub(crate) fn needs_rules(standard: &Standard) -> Result<()> {
    if standard.takes_facts() {
        return Ok(());
    }
    let missing = standard
        .indicator_specs()
        .iter()
        .find(|s| s.rule.is_none())
        .map_or("indicators", |s| s.code.code());
    Err(Error::invalid_standard(
        standard.id(),
        format!("indicators.{missing}.rule"),
        "this standard has no fact rule for the indicator: it reads households tables with indicator columns",
    ))
}

/// Reads the two tables into the sink `make_sink` builds once the headers are known.
pub(crate) fn read_facts_tables<H: Read, M: Read + Send, S: FactsSink>(
    mut households: H,
    mut members: M,
    options: &ReportOptions<'_>,
    make_sink: impl FnOnce(&super::Header) -> Result<S>,
) -> Result<()> {
    let max_record = options.max_record()?;
    let h_head = read_header(&mut households, max_record)?;
    let m_head = read_header(&mut members, max_record).map_err(|e| {
        Error::from(ErrorKind::Csv {
            // A reader's error already says "csv:"; say which table once.
            message: format!(
                "members table: {}",
                e.to_string().trim_start_matches("csv: ")
            ),
        })
    })?;
    let mut ignored = Vec::new();
    let h_cols = household_columns(&h_head.names, &options.group_by, &mut ignored)?;
    let m_cols = member_columns(&m_head.names, &mut ignored)?;
    let mut sink = make_sink(&super::Header {
        weighted: h_cols.weight.is_some(),
        ignored_columns: ignored,
        design: false,
    })?;
    let m_rows = RecordReader::new(
        members,
        m_head.carry,
        m_head.after_cr,
        m_head.lines + 1,
        max_record,
    );
    let mut h_rows = RecordReader::new(
        households,
        h_head.carry,
        h_head.after_cr,
        h_head.lines + 1,
        max_record,
    );
    h_rows.keep_field_of_long(h_cols.id);
    let max_members = options.members_limit();
    let mut hh = Households {
        rows: h_rows,
        cols: h_cols,
        max_record,
        max_members: options.members_limit(),
        open: VecDeque::new(),
        front: 0,
        cursor: 0,
        bytes: 0,
        index: None,
        free: Vec::new(),
        done: false,
    };
    let (tx, rx) = mpsc::sync_channel::<Result<Batch>>(8);
    let (back_tx, back_rx) = mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("members".into())
            .spawn_scoped(scope, move || {
                read_members(m_rows, &m_cols, max_record, max_members, &tx, &back_rx)
            })
            .map_err(|e| {
                Error::with_source(
                    ErrorKind::Csv {
                        message: format!("starting the members reader: {e}"),
                    },
                    e,
                )
            })?;
        let mut runs = Runs {
            rx,
            back: back_tx,
            cur: Batch::default(),
            pos: 0,
            done: false,
        };
        let out = merge(&mut hh, &mut runs, &mut sink, options);
        // Stop the reader if the merge stopped early.
        drop(runs);
        let _ = reader.join();
        out
    })
}

/// Where the households of the two tables go, each with its facts (the two-table form's
/// counterpart of [`super::RowSink`]).
pub(crate) trait FactsSink {
    /// A household read whole: its facts, members included.
    #[allow(clippy::too_many_arguments)]
    fn household(
        &mut self,
        line: u64,
        id: &[u8],
        area: Area,
        income: Vnd,
        facts: &HouseholdFacts,
        weight: f64,
        labels: &[&[u8]],
    );
    /// A household (or a run of member rows) that could not be read.
    fn rejected(&mut self, line: u64, id: Option<String>, error: Error);
}

/// A population report as a [`FactsSink`]: evaluates each household's facts under the
/// standard, then classifies it.
struct ReportFacts<'a> {
    standard: &'a Standard,
    report: &'a mut Report,
}

impl FactsSink for ReportFacts<'_> {
    #[inline]
    fn household(
        &mut self,
        line: u64,
        id: &[u8],
        area: Area,
        income: Vnd,
        facts: &HouseholdFacts,
        weight: f64,
        labels: &[&[u8]],
    ) {
        match crate::facts::evaluate(self.standard, facts) {
            Ok(f) => {
                let household = f.household(area, income);
                self.report
                    .classify_labelled(self.standard, line, id, &household, weight, labels);
            }
            Err(e) => self.report.reject(line, Some(excerpt_bytes(id)), e),
        }
    }
    fn rejected(&mut self, line: u64, id: Option<String>, error: Error) {
        self.report.reject(line, id, error);
    }
}

fn merge<R: Read, S: FactsSink>(
    hh: &mut Households<R>,
    runs: &mut Runs,
    sink: &mut S,
    options: &ReportOptions<'_>,
) -> Result<()> {
    let mut count = 0u64;
    loop {
        let Some(id) = runs.peek()? else { break };
        let Some(seq) = hh.find(id)? else {
            let household = excerpt_bytes(id);
            let line = runs.line();
            return Err(Error::from(ErrorKind::MemberOutOfOrder {
                line,
                household,
                window: LOOKAHEAD,
            }));
        };
        let max_members = hh.max_members;
        let before = hh.get(seq).held_members();
        runs.take_into(hh.get(seq), max_members);
        let after = hh.get(seq).held_members();
        hh.bytes = (hh.bytes + after).saturating_sub(before);
        hh.cursor = hh.cursor.max(seq + 1);
        while let Some(row) = hh.pop_closed(false)? {
            finish(hh, row, sink, options, &mut count);
        }
    }
    // The member rows are done: every household left, open or still unread, is closed.
    while let Some(row) = hh.pop_closed(true)? {
        finish(hh, row, sink, options, &mut count);
    }
    Ok(())
}

/// Classifies or rejects a household that has left the window, then keeps its buffers.
fn finish<R: Read, S: FactsSink>(
    hh: &mut Households<R>,
    mut row: Box<HouseholdRow>,
    sink: &mut S,
    options: &ReportOptions<'_>,
    count: &mut u64,
) {
    let outcome = if let Some(e) = row.error.take() {
        Err(e)
    } else if let Some(b) = row.bad.take() {
        let (line, kind) = *b;
        Err(Error::from(ErrorKind::MemberRow {
            line,
            detail: Box::new(kind),
        }))
    } else if !row.took {
        Err(crate::facts::no_members())
    } else {
        let listed = row.facts.members.len() as u64;
        match row.members_given {
            Some(given) if given != listed => Err(Error::from(ErrorKind::MembersMismatch {
                given: given.to_string(),
                listed,
            })),
            _ => Ok(()),
        }
    };
    match outcome {
        Err(e) => sink.rejected(row.line, Some(excerpt_bytes(&row.id)), e),
        Ok(()) => {
            let (area, income) = (
                row.area.unwrap_or(Area::Rural),
                row.income.unwrap_or(Vnd::ZERO),
            );
            let groups = row.label_ends.len();
            let mut labels: [&[u8]; 8] = [&[]; 8];
            if groups <= labels.len() {
                for (g, l) in labels.iter_mut().enumerate().take(groups) {
                    *l = row.label(g);
                }
                sink.household(
                    row.line,
                    &row.id,
                    area,
                    income,
                    &row.facts,
                    row.weight,
                    &labels[..groups],
                );
            } else {
                let labels: Vec<&[u8]> = (0..groups).map(|g| row.label(g)).collect();
                sink.household(
                    row.line, &row.id, area, income, &row.facts, row.weight, &labels,
                );
            }
        }
    }
    hh.free.push(row);
    *count += 1;
    if let Some(p) = options.progress {
        if *count % 65_536 == 0 {
            p(*count);
        }
    }
}
