//! The two-table facts form ([facts §5](crate::docs::facts)): a households table and a
//! members table, read in step, each household's facts evaluated by the standard's indicator
//! rules and classified into a [`Report`].
//!
//! * **Streaming.** Both tables are read once, front to back; memory stays flat in the number
//!   of households. The members table is parsed on its own thread.
//! * **Order.** Rows of one household are contiguous in the members table, and households come
//!   in the same order in both. A household's members are the run of member rows with its id
//!   where the members table stands when the household is read.
//! * **Accounting.** Every household row is classified, indeterminate or rejected, once:
//!   a household with no member rows is rejected (`no_members`); a bad member row rejects its
//!   household, naming the member row's line. A run of member rows whose household is neither
//!   the one being read nor among the next [`LOOKAHEAD`] households is out of order: it is
//!   rejected as a unit of its own (`member_out_of_order`, with its line in the members
//!   table). So `rows` = household rows + out-of-order member runs, and classified +
//!   indeterminate + rejected = rows.
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
//! assert_eq!(report.rejected()[0].error.kind(), "no_members");
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

/// How many households ahead a run of member rows may belong to before it is out of order.
pub const LOOKAHEAD: usize = 4096;

const RUNS_PER_BATCH: usize = 2048;

/// A run of contiguous member rows with one household id.
struct Run {
    id: (usize, usize),
    line: u64,
    members: (usize, usize),
    /// The first bad row of the run: its line and what is wrong.
    bad: Option<Box<(u64, ErrorKind)>>,
}

#[derive(Default)]
struct Batch {
    ids: Vec<u8>,
    runs: Vec<Run>,
    members: Vec<MemberFacts>,
}

impl Batch {
    fn id(&self, r: &Run) -> &[u8] {
        &self.ids[r.id.0..r.id.1]
    }
}

/// Where each column of the members table goes.
struct MemberColumns {
    household_id: usize,
    /// Fields a row must have: one past the last column read.
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
    /// Fields a row must have: one past the last column read.
    width: usize,
}

const HOUSEHOLD_KNOWN: [&str; 9] = [
    "id",
    "area",
    "income_per_capita",
    "members",
    "weight",
    "stratum",
    "psu",
    "ethnic_minority",
    "year",
];

fn duplicate(names: &[String], table: &str) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for n in names {
        if !seen.insert(n) {
            return Err(Error::from(ErrorKind::InvalidValue {
                field: format!("{table} header"),
                value: excerpt(n),
                reason: "a column appears twice",
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
            None if HOUSEHOLD_KNOWN.contains(&n.as_str())
                || group_by.contains(n)
                || ["province", "district", "commune"].contains(&n.as_str()) => {}
            None => ignored.push(excerpt(n)),
        }
    }
    let (members, weight) = (find("members"), find("weight"));
    let width = [id, area, income]
        .into_iter()
        .chain(members)
        .chain(weight)
        .chain(groups.iter().copied())
        .chain(facts.iter().map(|x| x.0))
        .max()
        .unwrap_or(0)
        + 1;
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
    let width = facts
        .iter()
        .map(|x| x.0)
        .chain([household_id])
        .max()
        .unwrap_or(0)
        + 1;
    Ok(MemberColumns {
        household_id,
        width,
        facts,
    })
}

/// Reads the members table on its own thread, sending batches of runs.
fn read_members<R: Read>(
    mut rows: RecordReader<R>,
    cols: &MemberColumns,
    max_record: usize,
    tx: &mpsc::SyncSender<Result<Batch>>,
    pool: &mpsc::Receiver<Batch>,
) {
    let mut batch = Batch::default();
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
                // Its household cannot be read: it is charged to the run it falls in.
                let e = too_long(max_record).into_detail();
                match batch.runs.last_mut().filter(|_| open) {
                    Some(run) => {
                        run.bad.get_or_insert_with(|| Box::new((line, e)));
                    }
                    None => {
                        let at = batch.ids.len();
                        batch.runs.push(Run {
                            id: (at, at),
                            line,
                            members: (batch.members.len(), batch.members.len()),
                            bad: Some(Box::new((line, e))),
                        });
                        open = true;
                    }
                }
                continue;
            }
            Next::Record { line } => {
                let mut m = MemberFacts::new();
                let mut bad = None;
                for &(col, fact) in &cols.facts {
                    let cell = trim(rows.field(col));
                    if let Err(reason) = m.set_bytes(fact, cell) {
                        bad = Some(crate::facts::invalid_fact_kind(
                            None,
                            fact.code(),
                            excerpt_bytes(cell),
                            reason,
                        ));
                        break;
                    }
                }
                if bad.is_none() && rows.len() < cols.width {
                    // A short row: the missing cells are not "unknown", the row is broken.
                    bad = Some(ErrorKind::InvalidValue {
                        field: "members row".into(),
                        value: format!("{} fields", rows.len()),
                        reason: "a row has fewer fields than the header",
                    });
                }
                (line, trim(rows.field(cols.household_id)), (m, bad))
            }
        };
        let same = open
            && batch
                .runs
                .last()
                .is_some_and(|r| &batch.ids[r.id.0..r.id.1] == id);
        if !same {
            if batch.runs.len() >= RUNS_PER_BATCH {
                let full = std::mem::replace(&mut batch, pool.try_recv().unwrap_or_default());
                batch.ids.clear();
                batch.runs.clear();
                batch.members.clear();
                if !send(full) {
                    return;
                }
            }
            let at = batch.ids.len();
            batch.ids.extend_from_slice(id);
            batch.runs.push(Run {
                id: (at, batch.ids.len()),
                line,
                members: (batch.members.len(), batch.members.len()),
                bad: None,
            });
            open = true;
        }
        // A run is open: the row's own, just pushed, or the one it continues.
        let (m, bad) = member;
        batch.members.push(m);
        let end = batch.members.len();
        if let Some(run) = batch.runs.last_mut() {
            if let Some(kind) = bad {
                run.bad.get_or_insert_with(|| Box::new((line, kind)));
            }
            run.members.1 = end;
        }
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

    /// Takes the current run (after a successful `peek`): its members go to `out`.
    fn take(&mut self, out: &mut Vec<MemberFacts>) -> (u64, Option<Box<(u64, ErrorKind)>>) {
        let r = &mut self.cur.runs[self.pos];
        self.pos += 1;
        out.extend_from_slice(&self.cur.members[r.members.0..r.members.1]);
        (r.line, r.bad.take())
    }
}

/// A household row read ahead.
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
}

impl HouseholdRow {
    fn label(&self, g: usize) -> &[u8] {
        let a = if g == 0 { 0 } else { self.label_ends[g - 1] };
        &self.labels[a..self.label_ends[g]]
    }
}

struct Households<R> {
    rows: RecordReader<R>,
    cols: HouseholdColumns,
    max_record: usize,
    ahead: VecDeque<HouseholdRow>,
    free: Vec<HouseholdRow>,
    done: bool,
}

impl<R: Read> Households<R> {
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
        self.ahead.push_back(row);
        Ok(true)
    }

    /// Whether a household with this id is among the next [`LOOKAHEAD`] after the current.
    fn upcoming(&mut self, id: &[u8]) -> Result<bool> {
        let mut i = 0;
        loop {
            if i >= LOOKAHEAD {
                return Ok(false);
            }
            if i >= self.ahead.len() && !self.read_one()? {
                return Ok(false);
            }
            if self.ahead[i].id == id {
                return Ok(true);
            }
            i += 1;
        }
    }
}

fn parse_household<R: Read>(
    f: &RecordReader<R>,
    c: &HouseholdColumns,
    row: &mut HouseholdRow,
) -> Result<()> {
    if f.len() < c.width {
        return Err(Error::from(ErrorKind::InvalidValue {
            field: "households row".into(),
            value: format!("{} fields", f.len()),
            reason: "a row has fewer fields than the header",
        }));
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
    let mut hh = Households {
        rows: RecordReader::new(
            households,
            h_head.carry,
            h_head.after_cr,
            h_head.lines + 1,
            max_record,
        ),
        cols: h_cols,
        max_record,
        ahead: VecDeque::new(),
        free: Vec::new(),
        done: false,
    };
    let (tx, rx) = mpsc::sync_channel::<Result<Batch>>(8);
    let (back_tx, back_rx) = mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("members".into())
            .spawn_scoped(scope, move || {
                read_members(m_rows, &m_cols, max_record, &tx, &back_rx)
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
        if hh.ahead.is_empty() && !hh.read_one()? {
            break;
        }
        let Some(mut row) = hh.ahead.pop_front() else {
            break;
        };
        let mut took = false;
        let mut bad: Option<Box<(u64, ErrorKind)>> = None;
        loop {
            let Some(id) = runs.peek()? else { break };
            if id == row.id.as_slice() {
                let (_, b) = runs.take(&mut row.facts.members);
                took = true;
                if bad.is_none() {
                    bad = b;
                }
                continue;
            }
            if took {
                break;
            }
            let id = id.to_vec();
            if hh.upcoming(&id)? {
                break;
            }
            // Out of order: a unit of its own.
            out_of_order(runs, sink, &id, &row.id);
        }
        let outcome = if let Some(e) = row.error.take() {
            Err(e)
        } else if let Some(b) = bad {
            let (line, kind) = *b;
            Err(Error::from(ErrorKind::MemberRow {
                line,
                detail: Box::new(kind),
            }))
        } else if !took {
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
        count += 1;
        if let Some(p) = options.progress {
            if count % 65_536 == 0 {
                p(count);
            }
        }
    }
    // Member rows left when the households are done belong to no household.
    loop {
        let Some(id) = runs.peek()? else { break };
        let id = id.to_vec();
        out_of_order(runs, sink, &id, b"");
    }
    Ok(())
}

/// Takes the current run as out of order: rejected as a unit of its own, with its first
/// line in the members table.
fn out_of_order<S: FactsSink>(runs: &mut Runs, sink: &mut S, id: &[u8], expected: &[u8]) {
    let mut discard = Vec::new();
    let (line, _) = runs.take(&mut discard);
    sink.rejected(
        line,
        Some(excerpt_bytes(id)),
        Error::from(ErrorKind::MemberOutOfOrder {
            line,
            household: excerpt_bytes(id),
            expected: excerpt_bytes(expected),
        }),
    );
}
