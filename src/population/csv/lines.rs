//! A sequential record reader for tables read in step with another (the two-table facts
//! form): records as the `csv` crate reads them (any line end, quoted fields through
//! `csv-core`), each numbered by the physical line it starts on, in bounded memory.

use std::io::{self, Read};

use super::records::{count_lines, mid_file_reader, read_one, Scratch};

/// What [`RecordReader::next_record`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Next {
    /// A record; its fields are read with [`RecordReader::field`].
    Record { line: u64 },
    /// A record longer than the limit, read through without being kept.
    TooLong { line: u64 },
    /// The end of the input.
    End,
}

pub(super) struct RecordReader<R> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// The physical line the next record starts on.
    line: u64,
    /// The previous record ended on a `\r` at the end of what was read: a `\n` first is its.
    after_cr: bool,
    max: usize,
    /// Field bounds of the current record, in `buf` (plain records) or `scratch.out`.
    fields: Vec<(u32, u32)>,
    in_scratch: bool,
    rec_start: usize,
    csv: csv_core::Reader,
    scratch: Scratch,
    /// The field kept of an over-long record (its household id), when it could be read.
    keep_of_long: Option<usize>,
    long_field: Option<Vec<u8>>,
}

/// The most bytes of an over-long record searched for the field it keeps.
const LONG_HEAD: usize = 1 << 16;

const READ: usize = 1 << 18;

impl<R: Read> RecordReader<R> {
    /// A reader of records after the header: `carry` holds bytes already read past the header,
    /// `line` the line the first record starts on.
    pub(super) fn new(reader: R, carry: Vec<u8>, after_cr: bool, line: u64, max: usize) -> Self {
        let mut buf = carry;
        let end = buf.len();
        buf.resize(end.max(READ * 2), 0);
        RecordReader {
            reader,
            buf,
            start: 0,
            end,
            eof: false,
            line,
            after_cr,
            max,
            fields: Vec::with_capacity(32),
            in_scratch: false,
            rec_start: 0,
            csv: mid_file_reader(),
            scratch: Scratch::default(),
            keep_of_long: None,
            long_field: None,
        }
    }

    /// Keeps field `i` of each over-long record, when its first bytes hold it whole, for
    /// [`RecordReader::long_field`]: a bad row is then charged to the household it names.
    pub(super) fn keep_field_of_long(&mut self, i: usize) {
        self.keep_of_long = Some(i);
    }

    /// The kept field of the over-long record just read ([`Next::TooLong`]), if its first
    /// bytes held it whole.
    pub(super) fn long_field(&self) -> Option<&[u8]> {
        self.long_field.as_deref()
    }

    /// Reads more input after the unread bytes (moved to the front). `false` at the end.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.buf.len() - self.end < READ {
            let n = (self.buf.len() * 2).max(self.end + READ);
            self.buf.resize(n, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The number of fields of the current record.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Field `i` of the current record (empty if the record is shorter).
    #[inline]
    pub(super) fn field(&self, i: usize) -> &[u8] {
        match self.fields.get(i) {
            None => &[],
            Some(&(a, b)) => {
                let src = if self.in_scratch {
                    &self.scratch.out[..]
                } else {
                    &self.buf[self.rec_start..]
                };
                &src[a as usize..b as usize]
            }
        }
    }

    /// The next record, skipping blank lines.
    pub(super) fn next_record(&mut self) -> io::Result<Next> {
        loop {
            if self.start == self.end && !self.fill()? {
                return Ok(Next::End);
            }
            if self.after_cr {
                self.after_cr = false;
                if self.buf[self.start] == b'\n' {
                    self.start += 1;
                    continue;
                }
            }
            let rest = &self.buf[self.start..self.end];
            // One pass finds the line end or, before it, a quote.
            let stop = memchr::memchr3(b'\n', b'\r', b'"', rest);
            if stop.is_some_and(|p| rest[p] == b'"') {
                return self.quoted();
            }
            let le = stop;
            let Some(le) = le else {
                if rest.len() > self.max {
                    return self.skip_long();
                }
                if self.fill()? {
                    continue;
                }
                // The last record, with no line end.
                let n = self.end - self.start;
                return Ok(self.plain(n, n));
            };
            if le > self.max {
                return self.skip_long();
            }
            let ending = self.buf[self.start + le];
            let mut next = le + 1;
            if ending == b'\r' {
                if self.start + next < self.end {
                    if self.buf[self.start + next] == b'\n' {
                        next += 1;
                    }
                } else {
                    self.after_cr = true;
                }
            }
            if le == 0 {
                // A blank line.
                self.start += next;
                self.line += 1;
                continue;
            }
            return Ok(self.plain(le, next));
        }
    }

    /// The plain record `buf[start..start + len]`, then `consumed` bytes are used up.
    #[inline]
    fn plain(&mut self, len: usize, consumed: usize) -> Next {
        self.fields.clear();
        self.in_scratch = false;
        self.rec_start = self.start;
        let rec = &self.buf[self.start..self.start + len];
        // Fields of a households or members row are short: a byte loop beats a search call
        // per comma.
        let mut a = 0usize;
        for (i, &b) in rec.iter().enumerate() {
            if b == b',' {
                self.fields.push((a as u32, i as u32));
                a = i + 1;
            }
        }
        self.fields.push((a as u32, len as u32));
        self.start += consumed;
        let line = self.line;
        self.line += 1;
        Next::Record { line }
    }

    /// A record holding a quote: read by `csv-core`, which knows where quoted fields end.
    fn quoted(&mut self) -> io::Result<Next> {
        let line = self.line;
        let mut taken = 0usize;
        let mut keep = true;
        let mut cr = false;
        loop {
            let input = &self.buf[self.start..self.end];
            let span = read_one(&mut self.csv, input, self.eof, keep, &mut self.scratch);
            let used = span.map_or(input.len(), |s| s.consumed);
            self.line += count_lines(&input[..used], &mut cr);
            self.start += used;
            taken += used;
            if taken > self.max && keep {
                keep = false;
                self.long_field = self.keep_of_long.and_then(|i| {
                    let fields = span.map(|s| s.fields);
                    self.scratch.completed_field(i, fields).map(<[u8]>::to_vec)
                });
            }
            match span {
                Some(s) => {
                    if cr {
                        self.after_cr = true;
                    }
                    if !keep {
                        self.csv = mid_file_reader();
                        return Ok(Next::TooLong { line });
                    }
                    if s.fields == 0 {
                        return Ok(Next::End);
                    }
                    // A record csv-core ends at a line end: its line has been counted by
                    // count_lines; one at the end of input without a line end has not.
                    if !ends_with_line_end(&self.buf[..self.start]) {
                        self.line += 1;
                    }
                    self.fields.clear();
                    self.in_scratch = true;
                    let mut a = 0usize;
                    for &e in &self.scratch.ends[..s.fields] {
                        self.fields.push((a as u32, e as u32));
                        a = e;
                    }
                    return Ok(Next::Record { line });
                }
                None => {
                    if !self.fill()? && self.start == self.end {
                        // Closed by the next call with at_eof set.
                        continue;
                    }
                }
            }
        }
    }

    /// Reads through an over-long record (no quotes seen) to its line end.
    fn skip_long(&mut self) -> io::Result<Next> {
        let line = self.line;
        // No quote stands before the line end here: the fields are split by commas.
        self.long_field = self.keep_of_long.and_then(|i| {
            let rest = &self.buf[self.start..self.end];
            let head = &rest[..rest.len().min(LONG_HEAD)];
            let head = memchr::memchr2(b'\n', b'\r', head).map_or(head, |le| &head[..le]);
            let mut fields = head.split(|&b| b == b',');
            let field = fields.nth(i)?;
            // Whole only if a comma follows it within the head.
            fields.next().map(|_| field.to_vec())
        });
        loop {
            let rest = &self.buf[self.start..self.end];
            if let Some(le) = memchr::memchr2(b'\n', b'\r', rest) {
                let ending = rest[le];
                self.start += le + 1;
                if ending == b'\r' {
                    if self.start < self.end {
                        if self.buf[self.start] == b'\n' {
                            self.start += 1;
                        }
                    } else {
                        self.after_cr = true;
                    }
                }
                self.line += 1;
                return Ok(Next::TooLong { line });
            }
            self.start = self.end;
            if !self.fill()? {
                self.line += 1;
                return Ok(Next::TooLong { line });
            }
        }
    }
}

fn ends_with_line_end(consumed: &[u8]) -> bool {
    matches!(consumed.last(), Some(b'\n' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8], max: usize) -> Vec<(u64, Vec<String>)> {
        let mut r = RecordReader::new(input, Vec::new(), false, 2, max);
        let mut out = Vec::new();
        loop {
            match r.next_record().unwrap() {
                Next::End => return out,
                Next::TooLong { line } => out.push((line, vec!["<long>".into()])),
                Next::Record { line } => out.push((
                    line,
                    (0..r.len())
                        .map(|i| String::from_utf8_lossy(r.field(i)).into_owned())
                        .collect(),
                )),
            }
        }
    }

    #[test]
    fn records_are_read_across_any_line_end_and_numbered_by_their_first_line() {
        let got = read_all(b"a,b\r\nc,d\re,f\n\n\"g\nh\",i\nj,\"k\"\"\"\nl", 1 << 20);
        let want: Vec<(u64, Vec<String>)> = vec![
            (2, vec!["a".into(), "b".into()]),
            (3, vec!["c".into(), "d".into()]),
            (4, vec!["e".into(), "f".into()]),
            (6, vec!["g\nh".into(), "i".into()]),
            (8, vec!["j".into(), "k\"".into()]),
            (9, vec!["l".into()]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn an_over_long_record_is_skipped_and_the_next_one_read() {
        let mut input = b"a,b\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 5000));
        input.extend(b"\nc,d\n");
        let got = read_all(&input, 100);
        assert_eq!(got[1], (3, vec!["<long>".to_string()]));
        assert_eq!(got[2], (4, vec!["c".to_string(), "d".to_string()]));
    }

    #[test]
    fn the_same_records_whatever_the_read_size() {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(self.0.len()).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let input = b"a,b\r\nc,\"d\r\ne\"\r\n\r\nf,g\rh\n";
        let whole = read_all(input, 1 << 20);
        for step in 1..8 {
            let mut r = RecordReader::new(Trickle(input, step), Vec::new(), false, 2, 1 << 20);
            let mut got = Vec::new();
            loop {
                match r.next_record().unwrap() {
                    Next::End => break,
                    Next::TooLong { .. } => panic!(),
                    Next::Record { line } => got.push((
                        line,
                        (0..r.len())
                            .map(|i| String::from_utf8_lossy(r.field(i)).into_owned())
                            .collect::<Vec<_>>(),
                    )),
                }
            }
            assert_eq!(got, whole, "read {step} bytes at a time");
        }
    }
}
