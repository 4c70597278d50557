//! Household facts → class, from memory and from the two tables.
//!
//! * `facts_to_class/<standard>`: the indicator rules evaluated on each household's facts
//!   (three-valued, with the witness an explanation is built from on request), then the
//!   classification, per household.
//! * `two_table_census`: the households and members tables of 100,000 synthetic households
//!   read from memory into a report grouped by province.
//!
//! `cargo bench --bench facts`

use std::hint::black_box;

use chuan_ngheo::facts;
use chuan_ngheo::population::csv::{read_facts_report, CsvOptions};
use chuan_ngheo::population::sample_data::{facts_country, write_facts_csv};
use chuan_ngheo::{classify, Standard};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("facts");
    let country = facts_country(100_000, 2024);
    for id in ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030"] {
        let s = Standard::builtin(id).unwrap();
        g.throughput(Throughput::Elements(country.len() as u64));
        g.bench_function(format!("facts_to_class/{id}"), |b| {
            b.iter(|| {
                let mut acc = 0usize;
                for h in &country {
                    let f = facts::evaluate(s, black_box(&h.facts)).unwrap();
                    let a = classify(s, &f.household(h.area, h.income)).unwrap();
                    acc += a.class().index() + f.unknown().len() as usize;
                }
                black_box(acc)
            })
        });
    }
    let (mut households, mut members) = (Vec::new(), Vec::new());
    write_facts_csv(&mut households, &mut members, 100_000, 2024).unwrap();
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new().group_by("province");
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("two_table_census", |b| {
        b.iter(|| {
            let r = read_facts_report(&households[..], &members[..], s, &options).unwrap();
            black_box(r.input().rows)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
