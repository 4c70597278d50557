//! Where CSV records begin and end, as the `csv` crate reads them (RFC 4180 with its usual
//! leniencies): a record ends at `\n`, `\r` or `\r\n` outside quotes; a quoted field may hold
//! commas, quotes (doubled) and line breaks; blank lines are skipped.
//!
//! Physical lines, by which rows are numbered, end at `\n`, `\r` or `\r\n`, inside quotes or
//! not. The helpers here count them one way everywhere: a `\r` counts, and a `\n` counts unless
//! a `\r` stands just before it.

use csv_core::{ReadRecordResult, Reader};

/// Line ends in `bytes`; `after_cr` says whether the byte before `bytes` was a `\r`, and is
/// left saying whether the last byte of `bytes` is one.
pub(super) fn count_lines(bytes: &[u8], after_cr: &mut bool) -> u64 {
    let mut n = 0;
    let mut prev_cr = *after_cr;
    for &b in bytes {
        match b {
            b'\r' => {
                n += 1;
                prev_cr = true;
            }
            b'\n' => {
                n += u64::from(!prev_cr);
                prev_cr = false;
            }
            _ => prev_cr = false,
        }
    }
    *after_cr = prev_cr;
    n
}

/// A `csv-core` reader configured as the crate reads tables (comma, double quote, any line
/// end), primed so that it strips no byte-order mark: it reads from the middle of a file.
pub(super) fn mid_file_reader() -> Reader {
    let mut rdr = Reader::new();
    // A blank line is skipped at the start of a record, and marks the reader as started.
    let _ = rdr.read_record(b"\n", &mut [0u8; 1], &mut [0usize; 1]);
    rdr
}

/// Reusable output space for `csv-core`.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    pub(super) out: Vec<u8>,
    pub(super) ends: Vec<usize>,
    /// Output and field ends written so far of a record not yet finished (kept output only).
    partial: (usize, usize),
}

impl Scratch {
    /// Field `i` of the record being read, if it is complete: of a finished record of
    /// `fields` fields, or (`None`) of the unfinished one whose output is kept.
    pub(super) fn completed_field(&self, i: usize, fields: Option<usize>) -> Option<&[u8]> {
        let done = fields.unwrap_or(self.partial.1);
        if i >= done {
            return None;
        }
        let a = if i == 0 { 0 } else { self.ends[i - 1] };
        self.out.get(a..self.ends[i])
    }

    fn grow(&mut self, result: ReadRecordResult) {
        match result {
            ReadRecordResult::OutputFull => {
                let n = (self.out.len() * 2).max(256);
                self.out.resize(n, 0);
            }
            ReadRecordResult::OutputEndsFull => {
                let n = (self.ends.len() * 2).max(32);
                self.ends.resize(n, 0);
            }
            _ => {}
        }
    }
}

/// One record read from the start of `input`, which must begin at a record's first byte.
/// `at_eof` says that nothing follows `input`, so a record it leaves open ends there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct RecordSpan {
    /// Bytes of `input` the record takes, its line end included (for `\r\n`, up to the `\r`).
    pub(super) consumed: usize,
    /// Bytes of its fields' output in the scratch space.
    pub(super) out_len: usize,
    /// Its number of fields (their ends are `scratch.ends[..fields]`).
    pub(super) fields: usize,
}

/// Reads one record into `scratch`, or `None` when `input` ends inside the record and more
/// input may follow (`at_eof` false); the next call then goes on with the same record. With
/// `keep` false the fields are not kept: the output space is reused from its start, so memory
/// stays flat however long the record.
pub(super) fn read_one(
    rdr: &mut Reader,
    input: &[u8],
    at_eof: bool,
    keep: bool,
    scratch: &mut Scratch,
) -> Option<RecordSpan> {
    let (mut nout, mut nend) = std::mem::take(&mut scratch.partial);
    let mut pos = 0usize;
    loop {
        let rest = input.get(pos..).unwrap_or(&[]);
        if rest.is_empty() && !at_eof {
            // No input left is the end of the input to `csv-core`: ask the caller for more.
            if keep {
                scratch.partial = (nout, nend);
            }
            return None;
        }
        let (res, nin, o, e) = rdr.read_record(
            rest,
            scratch.out.get_mut(nout..).unwrap_or(&mut []),
            scratch.ends.get_mut(nend..).unwrap_or(&mut []),
        );
        pos += nin;
        nout += o;
        nend += e;
        match res {
            ReadRecordResult::Record => {
                return Some(RecordSpan {
                    consumed: pos,
                    out_len: nout,
                    fields: nend,
                })
            }
            ReadRecordResult::End => {
                return Some(RecordSpan {
                    consumed: pos,
                    out_len: 0,
                    fields: 0,
                })
            }
            ReadRecordResult::InputEmpty => {
                if !at_eof {
                    if keep {
                        scratch.partial = (nout, nend);
                    }
                    return None;
                }
                // At the end of the input: the next call, with no input, closes the record.
            }
            full if keep => scratch.grow(full),
            _ if scratch.out.is_empty() || scratch.ends.is_empty() => {
                scratch.grow(ReadRecordResult::OutputFull);
                scratch.grow(ReadRecordResult::OutputEndsFull);
            }
            _ => (nout, nend) = (0, 0),
        }
    }
}

/// Steps a record end `p` in `buf[..filled]` over the `\n` of a `\r\n`. Returns the new end and
/// whether the record ended on a `\r` at the very end of what was read (the `\n` that may
/// follow is then part of its line end).
pub(super) fn over_crlf(buf: &[u8], mut p: usize) -> (usize, bool) {
    if p > 0 && buf.get(p - 1) == Some(&b'\r') {
        match buf.get(p) {
            Some(b'\n') => p += 1,
            None => return (p, true),
            Some(_) => {}
        }
    }
    (p, false)
}

/// The end (after its line end) of the last whole record in `buf`, which begins at a record's
/// start; `None` if no record ends in it.
pub(super) fn last_record_end(buf: &[u8], scratch: &mut Scratch) -> Option<usize> {
    if memchr::memchr(b'"', buf).is_none() {
        // No quotes: every line end ends a record.
        return memchr::memrchr2(b'\n', b'\r', buf).map(|p| p + 1);
    }
    let mut rdr = mid_file_reader();
    let mut pos = 0;
    let mut last = None;
    while pos < buf.len() {
        match read_one(&mut rdr, &buf[pos..], false, false, scratch) {
            Some(span) if span.consumed > 0 => {
                pos += span.consumed;
                last = Some(pos);
            }
            _ => break,
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_end_style_counts_once() {
        let mut cr = false;
        assert_eq!(count_lines(b"a\nb\rc\r\nd", &mut cr), 3);
        assert!(!cr);
        assert_eq!(count_lines(b"a\r", &mut cr), 1);
        assert!(cr);
        // The \n of a \r\n split between two reads is not a second line.
        assert_eq!(count_lines(b"\nb\n", &mut cr), 1);
        assert_eq!(count_lines(b"\r\r\n\n", &mut false), 3);
    }

    #[test]
    fn records_end_outside_quotes_only() {
        let mut s = Scratch::default();
        assert_eq!(last_record_end(b"a,b\nc,d\ne", &mut s), Some(8));
        assert_eq!(last_record_end(b"a\rb", &mut s), Some(2));
        assert_eq!(last_record_end(b"\"a\nb\",c\nd,\"e\nf", &mut s), Some(8));
        assert_eq!(last_record_end(b"\"a\nb", &mut s), None);
        // A quote inside an unquoted field is a plain character.
        assert_eq!(last_record_end(b"a\"b\nc", &mut s), Some(4));
    }

    #[test]
    fn one_record_at_a_time() {
        let mut s = Scratch::default();
        let mut r = mid_file_reader();
        assert_eq!(read_one(&mut r, b"\"x", false, true, &mut s), None);
        let span = read_one(&mut r, b"\ny\",z\r\nnext", false, true, &mut s).unwrap();
        assert_eq!(span.consumed, 6); // the rest of the record, up to and including the \r
        assert_eq!(&s.out[..span.out_len], b"x\nyz");
        let mut r = mid_file_reader();
        let span = read_one(&mut r, b"\"x\ny\",z\r\nnext", false, true, &mut s).unwrap();
        assert_eq!(span.consumed, 8); // up to and including the \r
        assert_eq!(span.fields, 2);
        assert_eq!(&s.out[..span.out_len], b"x\nyz");
        assert_eq!(over_crlf(b"\"x\ny\",z\r\nnext", 8), (9, false));
        assert_eq!(over_crlf(b"a\r", 2), (2, true));
        let mut r = mid_file_reader();
        assert_eq!(read_one(&mut r, b"\"open", false, true, &mut s), None);
        let mut r = mid_file_reader();
        let last = read_one(&mut r, b"\"open", true, true, &mut s).unwrap();
        assert_eq!((last.consumed, last.fields), (5, 1));
    }
}
