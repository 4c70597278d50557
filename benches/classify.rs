//! Households per second for the full assessment: class, rule, deprivation count, line
//! compared and the rule's citation (the explanation's data; rendering it as text is left to
//! the caller and is not in the per-household path).
//!
//! `cargo bench --bench classify`

use std::hint::black_box;

use chuan_ngheo::{classify, Area, Household, IndicatorSet, Standard, Vnd};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// A seeded xorshift generator, so the bench data is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn households(standard: &Standard, n: usize) -> Vec<Household> {
    let mut rng = Rng(0x5eed_c4a2_0216_2030);
    let bits = standard.indicators().bits();
    (0..n)
        .map(|_| {
            let area = if rng.next() % 3 == 0 {
                Area::Urban
            } else {
                Area::Rural
            };
            let income = Vnd::from_dong((rng.next() % 5_000) as i64 * 1_000);
            // Sparse deprivations, like a real population: each indicator about 1 in 8.
            let dep = (rng.next() & rng.next() & rng.next()) as u16 & bits;
            Household::new(area, 1 + (rng.next() % 8) as u32, income)
                .with_deprivations(IndicatorSet::from_bits(dep))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("classify");
    for id in ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030"] {
        let s = Standard::builtin(id).unwrap();
        let hh = households(s, 100_000);
        g.throughput(Throughput::Elements(hh.len() as u64));
        g.bench_function(format!("full_assessment/{id}"), |b| {
            b.iter(|| {
                let mut acc = 0usize;
                for h in &hh {
                    let a = classify(s, black_box(h)).unwrap();
                    acc += a.class().index()
                        + a.deprivation_count() as usize
                        + a.citation().number.len()
                        + a.line_compared().is_some() as usize;
                }
                black_box(acc)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
