//! Households per second for a population report from memory (classification, counts, AF
//! measures, grouped by province) and for CSV ingest (parse + classify + report).
//!
//! `cargo bench --bench population --all-features`
//!
//! The data comes from the seeded synthetic country; no large file is committed.

use std::hint::black_box;

use chuan_ngheo::population::sample_data;
use chuan_ngheo::population::{report, GroupColumn, Population};
use chuan_ngheo::Standard;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let n = 1_000_000;
    let country = sample_data::country(n, 7);
    let households: Vec<_> = country.iter().map(|h| h.to_household(s)).collect();
    let labels: Vec<String> = sample_data::PROVINCES
        .iter()
        .map(|p| p.0.to_string())
        .collect();
    let keys: Vec<u32> = country.iter().map(|h| h.province as u32).collect();
    let pop = Population {
        households: &households,
        weights: None,
        groups: vec![GroupColumn {
            name: "province",
            labels: &labels,
            keys: &keys,
        }],
    };

    let mut g = c.benchmark_group("population");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("report_from_memory_by_province/1_thread", |b| {
        b.iter(|| black_box(report(s, black_box(&pop))))
    });
    #[cfg(feature = "rayon")]
    g.bench_function("report_from_memory_by_province/rayon", |b| {
        b.iter(|| black_box(chuan_ngheo::population::report_par(s, black_box(&pop))))
    });

    #[cfg(feature = "csv")]
    {
        use chuan_ngheo::population::csv::{read_report, CsvOptions};
        let mut table = Vec::new();
        sample_data::write_csv(&mut table, &country).unwrap();
        let other = Standard::builtin("vn-2027-2030").unwrap();
        for threads in [1, 2] {
            let options = CsvOptions::new().group_by("province").threads(threads);
            g.bench_function(format!("csv_ingest_by_province/{threads}_threads"), |b| {
                b.iter(|| black_box(read_report(table.as_slice(), s, &options).unwrap()))
            });
            // The impact of the 2027-2030 standard: one read, two classifications and reports.
            g.bench_function(
                format!("csv_impact_2022_vs_2027_by_province/{threads}_threads"),
                |b| {
                    b.iter(|| {
                        let impact = chuan_ngheo::population::impact::read_impact(
                            table.as_slice(),
                            s,
                            other,
                            &options,
                        );
                        black_box(impact.unwrap())
                    })
                },
            );
        }
        // Survey precision: the same table with weights and a design nested in provinces
        // (stratum = province and area, 24 PSUs in each), against the plain weighted pass.
        let mut survey = Vec::new();
        for (i, line) in table.split(|b| *b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            survey.extend_from_slice(line);
            if i == 0 {
                survey.extend_from_slice(b",weight,stratum,psu\n");
                continue;
            }
            let cells: Vec<&[u8]> = line.split(|b| *b == b',').collect();
            let stratum = [cells[1], cells[4]].concat();
            survey.extend_from_slice(
                format!(
                    ",{}.25,{},P{}\n",
                    100 + i % 900,
                    String::from_utf8_lossy(&stratum),
                    (i / 13) % 24
                )
                .as_bytes(),
            );
        }
        let plain = CsvOptions::new().group_by("province");
        let precise = CsvOptions::new()
            .group_by("province")
            .precision(chuan_ngheo::population::precision::PrecisionOptions::default());
        g.bench_function("csv_survey_by_province/plain", |b| {
            b.iter(|| black_box(read_report(survey.as_slice(), s, &plain).unwrap()))
        });
        g.bench_function("csv_survey_by_province/precision", |b| {
            b.iter(|| {
                let r = read_report(survey.as_slice(), s, &precise).unwrap();
                black_box(r.precision().map(|p| p.map(|b| b.df)))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
