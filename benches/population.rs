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
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
