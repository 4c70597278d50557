//! The reader against the `csv` crate, with blocks small enough that records, quoted line
//! breaks and `\r\n` pairs fall across block boundaries.

use proptest::prelude::*;

use super::*;

const HEADER: &str = "id,area,members,income_per_capita,employment,dependants,nutrition,\
health_insurance,adult_education,child_schooling,housing_quality,housing_area,water,\
sanitation,telecom,information_access,province";
const ROW: &str = "h1,rural,4,1400000,1,1,1,0,0,0,0,0,0,0,0,0,04";

/// Records in `bytes` as the csv crate reads them (comma, double quote, any line end,
/// records of any length).
fn csv_crate_records(bytes: &[u8]) -> u64 {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .byte_records()
        .count() as u64
}

fn report(bytes: &[u8], threads: usize, block: usize, max: usize) -> Report {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new()
        .group_by("province")
        .threads(threads)
        .keep_rejected(1_000_000)
        .max_record_bytes(max);
    read_report_in_blocks(bytes, s, &options, block).unwrap()
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"".to_string()),
        Just("\"\"".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(",".to_string()),
        Just(" ".to_string()),
        Just(format!("{ROW}\n")),
        Just(format!("{ROW}\r\n")),
        Just(format!("{ROW}\r")),
        Just("\"h\n1\"".to_string()),
        Just("rural".to_string()),
        Just("1400000".to_string()),
        Just("1".to_string()),
        Just("0".to_string()),
        Just("x".repeat(70)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Every record the csv crate sees is a row of the report (classified, indeterminate or
    /// rejected), whatever the block size, the thread count or the record limit; and the
    /// report does not depend on where the blocks fall.
    #[test]
    fn every_record_is_accounted_for_as_the_csv_crate_counts_records(
        soup in proptest::collection::vec(token(), 0..60),
        block in 1usize..96,
        small_limit in any::<bool>(),
    ) {
        let mut table = format!("{HEADER}\n").into_bytes();
        table.extend(soup.concat().into_bytes());
        let records = csv_crate_records(&table) - 1;
        let max = if small_limit { 250 } else { 0 };
        let whole = report(&table, 1, blocks::BLOCK, max);
        let i = whole.input();
        prop_assert_eq!(i.rows, records);
        prop_assert_eq!(i.classified + i.indeterminate + i.rejected, i.rows);
        for threads in [1, 2] {
            let split = report(&table, threads, block, max);
            prop_assert_eq!(split.to_json(), whole.to_json());
        }
    }
}

#[test]
fn a_crlf_split_between_blocks_is_one_line_end() {
    // Every block size puts the \r and the \n of some line end in different blocks.
    let table = format!("{HEADER}\r\n{ROW}\r\nbad\r\n{ROW}\r\nbad");
    for block in 1..40 {
        let r = report(table.as_bytes(), 1, block, 0);
        let lines: Vec<u64> = r.rejected().iter().map(|x| x.line).collect();
        assert_eq!(lines, [3, 5], "block {block}");
        assert_eq!(r.input().classified, 2, "block {block}");
    }
}
