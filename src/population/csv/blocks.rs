//! The input cut into blocks of whole records, in bounded memory.
//!
//! A block ends where a record ends (never inside a quoted field, never between the `\r` and
//! `\n` of one line end), so worker threads can read blocks independently. A record longer
//! than the limit is not buffered: it is read through to its end and handed on as
//! [`Block::TooLong`], with the number of lines it spans so that later rows keep their numbers.

use std::io::{self, Read};
use std::sync::mpsc;

use super::records::{count_lines, last_record_end, mid_file_reader, over_crlf, read_one, Scratch};

/// Bytes read at a time.
pub(super) const BLOCK: usize = 1 << 20;

/// What the reader hands to the workers.
pub(super) enum Block {
    /// Whole records: `buf[..len]`.
    Records {
        /// The buffer (returned to the pool once read).
        buf: Vec<u8>,
        /// The bytes that hold records.
        len: usize,
    },
    /// One record longer than the limit, skipped.
    TooLong {
        /// The line ends it holds (its own included).
        lines: u64,
    },
}

/// Reads blocks of whole records. Buffers handed back through `pool` are reused, so the
/// reader neither zero-fills nor faults in fresh memory for every block.
pub(super) struct Blocks<R> {
    reader: R,
    carry: Vec<u8>,
    eof: bool,
    done: bool,
    /// The last record handed on ended with a `\r` that was the last byte read: a `\n` that
    /// comes next belongs to its line end.
    after_cr: bool,
    max_record: usize,
    /// Bytes read at a time ([`BLOCK`]; smaller in tests, to put records across blocks).
    block: usize,
    pool: mpsc::Receiver<Vec<u8>>,
    scratch: Scratch,
}

impl<R: Read> Blocks<R> {
    /// Blocks of `reader`, which is positioned at a record's start; `carry` holds bytes already
    /// read from it, and `after_cr` says whether the byte before them was the `\r` of a line end.
    pub(super) fn new(
        reader: R,
        carry: Vec<u8>,
        after_cr: bool,
        max_record: usize,
        block: usize,
        pool: mpsc::Receiver<Vec<u8>>,
    ) -> Self {
        Blocks {
            reader,
            carry,
            eof: false,
            done: false,
            after_cr,
            max_record,
            block: block.max(1),
            pool,
            scratch: Scratch::default(),
        }
    }

    fn buffer(&mut self, at_least: usize) -> Vec<u8> {
        match self.pool.try_recv() {
            Ok(b) if b.len() >= at_least => b,
            _ => vec![0; at_least.max(self.block)],
        }
    }

    /// Fills `buf[filled..]` from the reader until it is full or the input ends.
    fn fill(&mut self, buf: &mut [u8], mut filled: usize) -> io::Result<usize> {
        while !self.eof && filled < buf.len() {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => self.eof = true,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(filled)
    }

    /// Drops the `\n` that completes a `\r\n` whose `\r` ended the previous block.
    fn drop_split_crlf(&mut self, buf: &mut [u8], filled: usize) -> usize {
        if self.after_cr && filled > 0 {
            self.after_cr = false;
            if buf[0] == b'\n' {
                buf.copy_within(1..filled, 0);
                return filled - 1;
            }
        }
        filled
    }

    fn next_block(&mut self) -> io::Result<Option<Block>> {
        let mut buf = self.buffer(self.block.max(self.carry.len() * 2));
        let mut filled = self.carry.len();
        buf[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        loop {
            filled = self.fill(&mut buf, filled)?;
            filled = self.drop_split_crlf(&mut buf, filled);
            if self.eof {
                // What is left is whole records, the last one perhaps without a line end.
                self.done = true;
                return Ok((filled > 0).then_some(Block::Records { buf, len: filled }));
            }
            if filled == 0 {
                continue;
            }
            match last_record_end(&buf[..filled], &mut self.scratch) {
                Some(p) => {
                    let (p, open_crlf) = over_crlf(&buf[..filled], p);
                    self.after_cr = open_crlf;
                    self.carry.extend_from_slice(&buf[p..filled]);
                    return Ok(Some(Block::Records { buf, len: p }));
                }
                None if filled > self.max_record => return self.skip(buf, filled).map(Some),
                None => {
                    let n = buf.len() * 2;
                    buf.resize(n, 0);
                }
            }
        }
    }

    /// Reads through a record that began at `buf[0]` and has outgrown the limit, keeping
    /// nothing of it but its count of lines.
    fn skip(&mut self, mut buf: Vec<u8>, mut filled: usize) -> io::Result<Block> {
        let mut rdr = mid_file_reader();
        let mut lines = 0;
        let mut after_cr = false;
        loop {
            let input = &buf[..filled];
            match read_one(&mut rdr, input, self.eof, false, &mut self.scratch) {
                Some(span) => {
                    lines += count_lines(&input[..span.consumed], &mut after_cr);
                    let (end, open_crlf) = over_crlf(input, span.consumed);
                    self.after_cr = open_crlf;
                    self.carry.extend_from_slice(&buf[end..filled]);
                    self.done = self.eof && self.carry.is_empty();
                    return Ok(Block::TooLong { lines });
                }
                None => lines += count_lines(input, &mut after_cr),
            }
            filled = self.fill(&mut buf, 0)?;
        }
    }
}

impl<R: Read> Iterator for Blocks<R> {
    type Item = io::Result<Block>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_block() {
            Ok(Some(b)) => Some(Ok(b)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                // An input that fails once is not read again (a directory fails forever).
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(input: &[u8], max: usize) -> Vec<(Vec<u8>, Option<u64>)> {
        let (_tx, rx) = mpsc::channel();
        Blocks::new(input, Vec::new(), false, max, BLOCK, rx)
            .map(|b| match b.unwrap() {
                Block::Records { buf, len } => (buf[..len].to_vec(), None),
                Block::TooLong { lines } => (Vec::new(), Some(lines)),
            })
            .collect()
    }

    #[test]
    fn a_record_over_the_limit_is_skipped_whole_with_its_lines() {
        let mut input = b"a,b\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 3 * BLOCK));
        input.extend_from_slice(b"\n\"q\nq\",1\nlast\n");
        let got = blocks(&input, 1000);
        assert_eq!(got[0], (b"a,b\n".to_vec(), None));
        assert_eq!(got[1], (Vec::new(), Some(1)));
        assert_eq!(got[2], (b"\"q\nq\",1\nlast\n".to_vec(), None));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_of_the_input() {
        let mut input = b"\"open\n".to_vec();
        input.extend(std::iter::repeat_n(b'y', 2 * BLOCK));
        input.extend_from_slice(b"\nmore\r\n");
        let got = blocks(&input, 1000);
        assert_eq!(got, vec![(Vec::new(), Some(3))]);
    }

    #[test]
    fn an_endless_input_stops_at_its_first_error() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("is a directory"))
            }
        }
        let (_tx, rx) = mpsc::channel();
        let got: Vec<_> = Blocks::new(Failing, Vec::new(), false, 10, BLOCK, rx).collect();
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
    }
}
