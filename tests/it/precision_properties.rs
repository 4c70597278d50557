//! Properties of survey precision (formats §4.1) on random samples: the binomial standard
//! error with unit weights and no design, invariance to a common weight factor, to relabelling
//! PSUs within strata and to row order, split-and-merge equal to the whole, and groups with a
//! zero denominator left out.
#![cfg(feature = "csv")]

use chuan_ngheo::population::csv::{read_report, CsvOptions};
use chuan_ngheo::population::precision::{PrecisionBlock, PrecisionOptions};
use chuan_ngheo::{Report, Standard};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Row {
    income: u32,
    deprived: u16,
    stratum: u8,
    psu: u8,
    weight: u32, // thousandths
    province: u8,
}

fn rows(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            0u32..4000,
            any::<u16>(),
            0u8..3,
            0u8..4,
            1u32..2_000_000,
            0u8..4,
        )
            .prop_map(|(income, deprived, stratum, psu, weight, province)| Row {
                income: income * 1000,
                deprived,
                stratum,
                psu,
                weight,
                province,
            }),
        n,
    )
}

fn table(rows: &[Row], design: bool, weight_factor: u32, psu_offset: u8) -> String {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let codes: Vec<&str> = s.indicators().iter().map(|i| i.code()).collect();
    let mut t = format!(
        "id,area,members,income_per_capita,{},province,weight{}\n",
        codes.join(","),
        if design { ",stratum,psu" } else { "" }
    );
    for (i, r) in rows.iter().enumerate() {
        let flags: Vec<&str> = (0..codes.len())
            .map(|j| if r.deprived >> j & 1 == 1 { "1" } else { "0" })
            .collect();
        let w = r.weight as u64 * weight_factor as u64;
        t.push_str(&format!(
            "h{i},rural,3,{},{},p{},{}.{:03}",
            r.income,
            flags.join(","),
            r.province,
            w / 1000,
            w % 1000
        ));
        if design {
            t.push_str(&format!(
                ",s{},q{}",
                r.stratum,
                r.psu.wrapping_add(psu_offset)
            ));
        }
        t.push('\n');
    }
    t
}

fn report(t: &str) -> Report {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new()
        .group_by("province")
        .precision(PrecisionOptions::default());
    read_report(t.as_bytes(), s, &options).unwrap()
}

fn same(a: &PrecisionBlock, b: &PrecisionBlock) -> Result<(), String> {
    if (a.strata, a.psus, a.df) != (b.strata, b.psus, b.df)
        || a.estimates.len() != b.estimates.len()
    {
        return Err(format!("{a:?} vs {b:?}"));
    }
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-12);
    // A variance is a difference of sums: when the standard error is tiny against its
    // estimate (a group whose poor all share one deprivation score has a true se of 0), the
    // order of float additions moves it by up to about 1e-8 of the estimate, so it is also
    // compared at the estimate's scale (1e-7: survey standard errors are thousands of times
    // larger).
    let close_se = |x: f64, y: f64, e: f64| close(x, y) || (x - y).abs() <= 1e-7 * e.abs();
    for ((n, x), (m, y)) in a.estimates.iter().zip(&b.estimates) {
        if n != m || !close(x.estimate, y.estimate) || !close_se(x.se, y.se, x.estimate) {
            return Err(format!("{n}: {x:?} vs {m}: {y:?}"));
        }
    }
    Ok(())
}

/// The same figures to the last bit: the design's sums are integers, so their order cannot
/// move a digit.
fn identical(a: &Report, b: &Report) -> Result<(), String> {
    match (blocks(a), blocks(b)) {
        (Some(x), Some(y)) if x == y => Ok(()),
        (None, None) => Ok(()),
        (x, y) => Err(format!("{x:?}\nvs\n{y:?}")),
    }
}

fn blocks(r: &Report) -> Option<Vec<(String, PrecisionBlock)>> {
    let mut v = vec![("".to_string(), r.precision()?.ok()?)];
    for (l, b) in r.precision_by_group("province")?.ok()? {
        v.push((l.to_owned(), b));
    }
    Some(v)
}

fn all_same(a: &Report, b: &Report) -> Result<(), String> {
    match (blocks(a), blocks(b)) {
        (Some(x), Some(y)) => {
            if x.len() != y.len() {
                return Err("group counts differ".into());
            }
            for ((l, p), (m, q)) in x.iter().zip(&y) {
                if l != m {
                    return Err(format!("{l} vs {m}"));
                }
                same(p, q).map_err(|e| format!("{l}: {e}"))?;
            }
            Ok(())
        }
        (None, None) => Ok(()),
        _ => Err("one has precision, the other not".into()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Weights all 1 and no design: a rate's standard error is the binomial one with the
    /// n/(n−1) factor, sqrt(p(1−p)/(n−1)).
    #[test]
    fn unit_weights_without_design_give_the_binomial_standard_error(mut rs in rows(2..300)) {
        for r in &mut rs { r.weight = 1000; }
        let rep = report(&table(&rs, false, 1, 0));
        let top = rep.precision().unwrap().unwrap();
        let n = rep.input().classified as f64;
        prop_assume!(n == rs.len() as f64);
        for name in ["rates.poor", "rates.near_poor", "rates.not_poor"] {
            if let Some(e) = top.get(name) {
                let p = e.estimate;
                let want = (p * (1.0 - p) / (n - 1.0)).sqrt();
                prop_assert!((e.se - want).abs() <= 1e-12 + 1e-9 * want, "{name}: {} vs {want}", e.se);
            }
        }
    }

    /// Multiplying every weight by one constant changes no estimate and no standard error.
    #[test]
    fn a_common_weight_factor_changes_nothing(rs in rows(10..200), k in 2u32..1000, design in any::<bool>()) {
        let a = report(&table(&rs, design, 1, 0));
        let b = report(&table(&rs, design, k, 0));
        prop_assert!(all_same(&a, &b).is_ok(), "{:?}", all_same(&a, &b));
    }

    /// PSU ids relabelled within their strata, and rows in another order: nothing changes.
    #[test]
    fn relabelled_psus_and_reordered_rows_change_nothing(rs in rows(10..200), offset in 1u8..200, seed in any::<u64>()) {
        let a = report(&table(&rs, true, 1, 0));
        let b = report(&table(&rs, true, 1, offset));
        prop_assert!(all_same(&a, &b).is_ok(), "{:?}", all_same(&a, &b));
        let mut shuffled = rs.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let c = report(&table(&shuffled, true, 1, 0));
        prop_assert!(identical(&a, &c).is_ok(), "{:?}", identical(&a, &c));
    }

    /// A sample read in two parts and merged (here, and through a saved report) is the sample
    /// read whole.
    #[test]
    fn split_and_merged_reports_equal_the_whole(rs in rows(10..200), cut in 1usize..9, design in any::<bool>()) {
        let cut = rs.len() * cut / 10;
        let whole = report(&table(&rs, design, 1, 0));
        let mut first = report(&table(&rs[..cut], design, 1, 0));
        let second = report(&table(&rs[cut..], design, 1, 0));
        first.merge(&second).unwrap();
        prop_assert!(identical(&whole, &first).is_ok(), "{:?}", identical(&whole, &first));
        let s = Standard::builtin("vn-2022-2025").unwrap();
        let saved = serde_json::to_string(&report(&table(&rs[..cut], design, 1, 0))).unwrap();
        let mut restored = Report::from_saved(&saved, s).unwrap();
        restored.merge(&second).unwrap();
        prop_assert!(identical(&whole, &restored).is_ok(), "{:?}", identical(&whole, &restored));
    }

    /// A group whose denominator is zero leaves the estimate out: never NaN.
    #[test]
    fn zero_denominators_are_left_out_never_nan(rs in rows(10..100)) {
        let rep = report(&table(&rs, true, 1, 0));
        if let Some(Ok(groups)) = rep.precision_by_group("province") {
            for (_, b) in groups {
                for (name, e) in &b.estimates {
                    prop_assert!(e.estimate.is_finite() && e.se.is_finite(), "{name}: {e:?}");
                    prop_assert!(e.ci95.0.is_finite() && e.ci95.1.is_finite());
                    // Issue 17 §6: a proportion's interval stays in [0, 1] and holds it.
                    prop_assert!(0.0 <= e.ci95.0 && e.ci95.0 <= e.estimate.clamp(0.0, 1.0), "{name}: {e:?}");
                    prop_assert!(e.estimate.clamp(0.0, 1.0) <= e.ci95.1 && e.ci95.1 <= 1.0, "{name}: {e:?}");
                }
            }
        }
    }
}

#[test]
fn a_group_where_nobody_is_poor_has_no_intensity() {
    // Province p1 has no AF-poor household: af.a (over the poor) is left out there.
    let t = table(
        &(0..40)
            .map(|i| Row {
                income: 5_000_000,
                deprived: if i % 2 == 0 { 0b111 } else { 0 },
                stratum: (i % 2) as u8,
                psu: (i % 4) as u8,
                weight: 1000 + i,
                province: if i % 2 == 0 { 0 } else { 1 },
            })
            .collect::<Vec<_>>(),
        true,
        1,
        0,
    );
    let rep = report(&t);
    let groups = rep.precision_by_group("province").unwrap().unwrap();
    let p1 = &groups.iter().find(|(l, _)| *l == "p1").unwrap().1;
    assert!(p1.get("af.a").is_none());
    assert!(p1.get("af.h").is_some());
    let p0 = &groups.iter().find(|(l, _)| *l == "p0").unwrap().1;
    assert!(p0.get("af.a").is_some());
}

#[test]
fn bad_rows_are_rejected_and_a_design_without_variance_is_an_error() {
    let head = "id,area,members,income_per_capita,employment,dependants,nutrition,health_insurance,adult_education,child_schooling,housing_quality,housing_area,water,sanitation,telecom,information_access,province,weight,stratum,psu\n";
    let row = |id: &str, w: &str, s: &str, p: &str| {
        format!("{id},rural,3,1000000,1,1,1,0,0,0,0,0,0,0,0,0,01,{w},{s},{p}\n")
    };
    let t = [
        head.to_owned(),
        row("a", "1.5", "s1", "p1"),
        row("b", "0", "s1", "p1"),
        row("c", "-2", "s1", "p2"),
        row("d", "abc", "s1", "p2"),
        row("e", "2", "", "p2"),
        row("f", "2", "s1", ""),
        row("g", "2", "s1", "p2"),
        row("h", "2", "s2", "p1"),
        row("i", "2", "s2", "p2"),
    ]
    .concat();
    let rep = report(&t);
    let input = rep.input();
    assert_eq!((input.rows, input.rejected), (9, 5));
    let lines: Vec<u64> = rep.rejected().iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7]);
    let top = rep.precision().unwrap().unwrap();
    // PSU p1 of s1 and p1 of s2 are two PSUs: ids are read within their stratum.
    assert_eq!((top.strata, top.psus, top.df), (2, 4, 2));
    // One PSU in a stratum: an error naming it.
    let lonely = [
        head.to_owned(),
        row("a", "1", "s1", "p1"),
        row("b", "1", "s2", "p1"),
        row("c", "1", "s2", "p2"),
    ]
    .concat();
    let e = report(&lonely).precision().unwrap().unwrap_err();
    assert_eq!(e.code(), "lonely_psu");
    assert!(e.to_string().contains("\"s1\""), "{e}");
    // No accepted row: no PSU at all.
    let none = [head.to_owned(), row("a", "0", "s1", "p1")].concat();
    assert_eq!(
        report(&none).precision().unwrap().unwrap_err().code(),
        "no_variance"
    );
    // A missing weight column stops the run before any row.
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let no_weight = t.replace(",weight,", ",w,");
    let options = CsvOptions::new().precision(PrecisionOptions::default());
    assert!(read_report(no_weight.as_bytes(), s, &options).is_err());
    let half_design = t.replace(",psu\n", ",cluster\n");
    assert!(read_report(half_design.as_bytes(), s, &options).is_err());
}

#[test]
fn long_stratum_and_psu_ids_give_the_figures_short_ones_give() {
    let rs: Vec<Row> = (0..300u32)
        .map(|i| Row {
            income: (i * 7919 % 4000) * 1000,
            deprived: (i.wrapping_mul(2_654_435_761) >> 16) as u16,
            stratum: (i % 3) as u8,
            psu: (i % 5) as u8,
            weight: 1000 + i * 37,
            province: (i % 4) as u8,
        })
        .collect();
    let short = table(&rs, true, 1, 0);
    // The same design with ids past the packed fast path (more than 7 bytes).
    let long: String = short
        .lines()
        .map(|l| {
            let mut cells: Vec<String> = l.split(',').map(str::to_owned).collect();
            let n = cells.len();
            if !l.starts_with("id,") {
                cells[n - 2] = format!("stratum-number-{}", cells[n - 2]);
                cells[n - 1] = format!("enumeration-area-{}", cells[n - 1]);
            }
            cells.join(",") + "\n"
        })
        .collect();
    let (a, b) = (report(&short), report(&long));
    let (pa, pb) = (
        a.precision().unwrap().unwrap(),
        b.precision().unwrap().unwrap(),
    );
    assert_eq!((pa.strata, pa.psus), (3, 15));
    assert!(same(&pa, &pb).is_ok(), "{:?}", same(&pa, &pb));
}

/// `n` rows spread over two strata of two PSUs each, three provinces, incomes and
/// deprivations; `weight` gives each row's weight in thousandths.
fn spread_rows(n: u32, weight: impl Fn(u32) -> u32) -> Vec<Row> {
    (0..n)
        .map(|i| Row {
            income: (i * 7919 % 4000) * 1000,
            deprived: (i.wrapping_mul(2_654_435_761) >> 16) as u16,
            stratum: (i % 2) as u8,
            psu: (i % 4) as u8,
            weight: weight(i),
            province: (i % 3) as u8,
        })
        .collect()
}

/// `thousandths` × 10^-3 × 10^k as an exact decimal.
fn decimal_times_ten_to(thousandths: u32, k: i32) -> String {
    let digits = thousandths.to_string();
    let e = k - 3;
    if e >= 0 {
        return format!("{digits}{}", "0".repeat(e as usize));
    }
    let point = digits.len() as i32 + e;
    if point > 0 {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    } else {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    }
}

/// The table with every weight written times 10^k, as exact decimals.
fn scaled_table(rows: &[Row], design: bool, k: i32) -> String {
    let t = table(rows, design, 1, 0);
    let mut out = String::new();
    for (n, line) in t.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
        if n > 0 {
            let at = cells.len() - if design { 3 } else { 1 };
            cells[at] = decimal_times_ten_to(rows[n - 1].weight, k);
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Issue 17 §4: multiplying every weight by 10^k, k from -15 to +15, leaves every rate,
    /// standard error and interval where it was, with and without a design; and the weighted
    /// rates of the tallies too.
    #[test]
    fn figures_do_not_depend_on_the_scale_of_the_weights(
        rs in rows(8..60), k in -15i32..=15, design in any::<bool>()
    ) {
        let base = report(&table(&rs, design, 1, 0));
        let scaled = report(&scaled_table(&rs, design, k));
        prop_assert_eq!(base.input(), scaled.input());
        for c in chuan_ngheo::PovertyClass::DETERMINATE {
            let (x, y) = (base.total().rate(c), scaled.total().rate(c));
            prop_assert!((x - y).abs() <= 1e-12 * x.abs().max(y.abs()), "{c:?}: {x} vs {y}");
        }
        match (base.precision().unwrap(), scaled.precision().unwrap()) {
            (Ok(a), Ok(b)) => {
                prop_assert!(same(&a, &b).is_ok(), "k {k}: {:?}", same(&a, &b));
                for ((_, x), (_, y)) in a.estimates.iter().zip(&b.estimates) {
                    let tol = 1e-9 * x.ci95.0.abs().max(x.ci95.1.abs()).max(1e-6);
                    prop_assert!((x.ci95.0 - y.ci95.0).abs() <= tol && (x.ci95.1 - y.ci95.1).abs() <= tol);
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
        }
    }
}

#[test]
fn tiny_weights_keep_their_standard_errors_and_weights_beyond_1e100_are_refused() {
    let rs: Vec<Row> = spread_rows(40, |i| 1000 + i * 37);
    for design in [false, true] {
        let base = report(&table(&rs, design, 1, 0))
            .precision()
            .unwrap()
            .unwrap();
        // Weights normalised to sum to 1 over 10^7 households are about 1e-7; 1e-13 is further.
        for k in [-7, -13, -15, 24] {
            let tiny = report(&scaled_table(&rs, design, k))
                .precision()
                .unwrap()
                .unwrap();
            let poor = tiny.get("rates.poor").unwrap();
            assert!(poor.se > 0.0, "k {k}: {poor:?}");
            assert!(
                same(&base, &tiny).is_ok(),
                "k {k}: {:?}",
                same(&base, &tiny)
            );
        }
    }
    // Over the largest weight: rejected with its reason, the rest counted.
    let t = table(&rs, true, 1, 0).replacen(",1.000,", ",1e101,", 1);
    let r = report(&t);
    assert_eq!(r.input().rejected, 1);
    let why = r.rejected()[0].error.to_string();
    assert!(why.contains("weight"), "{why}");
}

#[test]
fn a_skipped_lonely_psu_adds_no_variance_and_adjust_centres_it_at_the_grand_mean() {
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let rs: Vec<Row> = (0..120u32)
        .map(|i| Row {
            income: (i * 7919 % 4000) * 1000,
            deprived: (i.wrapping_mul(2_654_435_761) >> 16) as u16,
            stratum: (i % 2) as u8,
            psu: (i % 6) as u8,
            weight: 1000 + i * 13,
            province: 0,
        })
        .collect();
    // Stratum s9 has one PSU.
    let mut lonely = rs.clone();
    for r in lonely.iter_mut().take(10) {
        r.stratum = 9;
        r.psu = 0;
    }
    let t = table(&lonely, true, 1, 0);
    let with = |l| {
        let options = CsvOptions::new()
            .group_by("province")
            .precision(PrecisionOptions {
                lonely_psu: l,
                design_effects: false,
            });
        read_report(t.as_bytes(), s, &options).unwrap()
    };
    use chuan_ngheo::population::precision::LonelyPsu;
    assert_eq!(
        with(LonelyPsu::Error)
            .precision()
            .unwrap()
            .unwrap_err()
            .code(),
        "lonely_psu"
    );
    let certain = with(LonelyPsu::Skip).precision().unwrap().unwrap();
    let adjusted = with(LonelyPsu::Adjust).precision().unwrap().unwrap();
    // Three strata, the lonely one counted: df = PSUs - strata.
    assert_eq!((certain.strata, certain.df), (3, certain.psus - 3));
    for (name, c) in &certain.estimates {
        let a = adjusted.get(name).unwrap();
        assert_eq!(a.estimate, c.estimate);
        assert!(a.se >= c.se, "{name}: adjust {} < skip {}", a.se, c.se);
    }
}

/// The table with each row's weight times 10^k (its own k): weights spanning 24 orders of
/// magnitude in one sample.
fn table_with_scales(rows: &[Row], design: bool, ks: &[i32]) -> String {
    let t = table(rows, design, 1, 0);
    let mut out = String::new();
    for (n, line) in t.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
        if n > 0 {
            let at = cells.len() - if design { 3 } else { 1 };
            cells[at] = decimal_times_ten_to(rows[n - 1].weight, ks[(n - 1) % ks.len()]);
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Issue 17 §2: any split of the input into parts, read at 1 or 2 threads, saved or not,
    /// merged in any order, gives the report of one pass byte for byte: the report and its
    /// saved state, every weighted figure and every standard error.
    #[test]
    fn any_split_merged_in_any_order_is_byte_identical_to_one_pass(
        rs in rows(10..160),
        ks in prop::collection::vec(-12i32..=12, 1..6),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 1..5),
        order in any::<prop::sample::Index>(),
        design in any::<bool>(),
        threads in 1usize..=2,
    ) {
        let s = Standard::builtin("vn-2022-2025").unwrap();
        let read = |rows: &[Row], ks: &[i32], threads: usize| {
            let options = CsvOptions::new()
                .group_by("province")
                .threads(threads)
                .precision(PrecisionOptions::default());
            read_report(table_with_scales(rows, design, ks).as_bytes(), s, &options).unwrap()
        };
        let whole = read(&rs, &ks, threads);
        let mut at: Vec<usize> = cuts.iter().map(|c| c.index(rs.len() + 1)).collect();
        at.push(0);
        at.push(rs.len());
        at.sort_unstable();
        // Each part keeps its rows' own scales (ks cycles by row number).
        let mut parts: Vec<Report> = at
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let rows = &rs[w[0]..w[1]];
                let ks: Vec<i32> = (w[0]..w[1].max(w[0] + 1)).map(|n| ks[n % ks.len()]).collect();
                let part = read(rows, &ks, 1 + i % 2);
                if i % 2 == 0 {
                    Report::from_saved(&serde_json::to_string(&part).unwrap(), s).unwrap()
                } else {
                    part
                }
            })
            .collect();
        let n = parts.len();
        parts.rotate_left(order.index(n));
        let mut merged = parts.remove(0);
        for p in &parts {
            merged.merge(p).unwrap();
        }
        let (x, y) = (serde_json::to_string(&merged).unwrap(), serde_json::to_string(&whole).unwrap());
        prop_assert!(x == y, "{}", first_difference(&x, &y));
        let (a, b) = (blocks(&merged), blocks(&whole));
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}

/// Where two texts first differ, with some context.
fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(300);
    let cut = |s: &str| {
        s.get(from..(at + 200).min(s.len()))
            .unwrap_or("")
            .to_owned()
    };
    format!("at byte {at}:\n{}\nvs\n{}", cut(a), cut(b))
}

/// Figures asked for between additions follow the additions: a report asked for its
/// precision, then given rows in new PSUs and groups, gives the figures of a report given all
/// the rows before it was asked (the estimates' layout is not kept past a change).
#[test]
fn precision_asked_between_additions_follows_new_psus_and_groups() {
    use chuan_ngheo::{classify, Area, Household, Vnd};
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let fresh = || {
        let mut r = Report::new(s, &["province"]).with_precision(PrecisionOptions::default(), true);
        let keys: Vec<[u32; 1]> = ["01", "02", "03"]
            .iter()
            .map(|l| [r.group_key(0, l).unwrap()])
            .collect();
        (r, keys)
    };
    let add = |r: &mut Report, keys: &[[u32; 1]], from: u32, to: u32| {
        for i in from..to {
            let h = Household::new(
                Area::Rural,
                3,
                Vnd::from_dong(1_000 * (i as i64 * 7919 % 3000)),
            );
            let a = classify(s, &h).unwrap();
            // Rows from 40 on bring PSUs of their own, and a third province.
            let (st, psu) = (
                format!("s{}", i % 3),
                format!("p{}", i % 7 + if i >= 40 { 7 } else { 0 }),
            );
            let k = &keys[i as usize % keys.len()];
            r.add_sampled(
                &a,
                3,
                1.0 + (i % 5) as f64,
                k,
                Some((st.as_bytes(), psu.as_bytes())),
            );
        }
    };
    let (mut asked, keys) = fresh();
    add(&mut asked, &keys[..2], 0, 40);
    let early = asked.precision().unwrap().unwrap();
    let _ = asked.precision_by_group("province").unwrap().unwrap();
    add(&mut asked, &keys, 40, 120);
    let (mut whole, keys) = fresh();
    add(&mut whole, &keys[..2], 0, 40);
    add(&mut whole, &keys, 40, 120);
    assert_ne!(early.psus, whole.precision().unwrap().unwrap().psus);
    assert_eq!(blocks(&asked), blocks(&whole));
}

/// Issue 17 §3: stratum and PSU ids that are not UTF-8 are rejected at read with the row's
/// line, as group labels are; before, they were saved lossily and two PSUs became one.
#[test]
fn stratum_and_psu_ids_that_are_not_utf8_are_rejected_with_their_line() {
    let rs: Vec<Row> = spread_rows(30, |i| 1000 + i);
    let text = table(&rs, true, 1, 0);
    let mut bytes = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut l = line.as_bytes().to_vec();
        if n == 5 {
            // psu "q\xff"
            let at = l.len() - 1;
            l[at] = 0xff;
        }
        if n == 9 {
            // stratum "s\xfe…"
            let at = line.rfind(",s").unwrap() + 2;
            l[at] = 0xfe;
        }
        bytes.extend_from_slice(&l);
        bytes.push(b'\n');
    }
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let options = CsvOptions::new()
        .group_by("province")
        .precision(PrecisionOptions::default());
    let r = read_report(bytes.as_slice(), s, &options).unwrap();
    assert_eq!(r.input().rejected, 2);
    let lines: Vec<u64> = r.rejected().iter().map(|x| x.line).collect();
    assert_eq!(lines, [6, 10]);
    let shown: Vec<String> = r.rejected().iter().map(|x| x.error.to_string()).collect();
    assert!(
        shown[0].contains("psu") && shown[0].contains("\\xff"),
        "{shown:?}"
    );
    assert!(
        shown[1].contains("stratum") && shown[1].contains("\\xfe"),
        "{shown:?}"
    );
    // Saved and loaded, the report has the same PSUs and figures.
    let back = Report::from_saved(&serde_json::to_string(&r).unwrap(), s).unwrap();
    assert_eq!(blocks(&back), blocks(&r));
}

/// Issue 17 §6: rows rejected for their weights can leave a stratum with one PSU; the design
/// error then names them (how many, the first line), in both languages.
#[test]
fn a_design_error_names_the_rejected_rows_that_may_have_caused_it() {
    let rs: Vec<Row> = (0..12u32)
        .map(|i| Row {
            income: (i * 7919 % 4000) * 1000,
            deprived: 0,
            stratum: (i % 2) as u8,
            psu: (i % 4) as u8,
            weight: 1000 + i,
            province: 0,
        })
        .collect();
    // Stratum s1 has PSUs q1 and q3; every row of q3 (lines 5, 9, 13) gets a weight of 0.
    let text: String = table(&rs, true, 1, 0)
        .lines()
        .map(|l| {
            if l.ends_with(",s1,q3") {
                let cells: Vec<&str> = l.split(',').collect();
                let n = cells.len();
                format!(
                    "{},0,{},{}\n",
                    cells[..n - 3].join(","),
                    cells[n - 2],
                    cells[n - 1]
                )
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let r = report(&text);
    assert_eq!(r.input().rejected, 3);
    let e = r.precision().unwrap().unwrap_err();
    assert_eq!(e.code(), "lonely_psu");
    let en = e.to_string();
    assert!(
        en.contains("\"s1\"") && en.contains("3 row(s) were rejected (the first on line 5)"),
        "{en}"
    );
    let vi = e.message(chuan_ngheo::standard::Lang::Vi);
    assert!(
        vi.contains("3 dòng bị loại (dòng đầu tiên: dòng 5)"),
        "{vi}"
    );
    // Without rejected rows the message says nothing of them.
    let clean = report(&table(&rs[..11], true, 1, 0).replace(",s1,q3\n", ",s1,q1\n"));
    if let Some(Err(e)) = clean.precision() {
        assert!(!e.to_string().contains("rejected"), "{e}");
    }
}

/// Issue 17 §1: a saved precision state whose sums contradict themselves (a class above the
/// classified, a pair given twice, sums for a group with no label) is refused.
#[test]
fn saved_precision_sums_that_contradict_themselves_are_refused() {
    let rs: Vec<Row> = spread_rows(40, |i| 1000 + i);
    let s = Standard::builtin("vn-2022-2025").unwrap();
    let r = report(&table(&rs, true, 1, 0));
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert!(Report::from_saved(&v.to_string(), s).is_ok());
    let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut w = v.clone();
        edit(&mut w);
        assert_ne!(w, v);
        Report::from_saved(&w.to_string(), s)
            .unwrap_err()
            .to_string()
    };
    // The first group entry's poor sum (index 1) made larger than its classified (index 0).
    let e = refused(&|w| {
        let m = &mut w["state"]["precision"]["groups"][0][0][2]["m"];
        let classified: String = m[0].as_str().unwrap().to_owned();
        m[1] = format!("{classified}0").into();
    });
    assert!(e.contains("state.precision.sums"), "{e}");
    // A (group, PSU) pair given twice.
    let e = refused(&|w| {
        let g = w["state"]["precision"]["groups"][0].as_array_mut().unwrap();
        let first = g[0].clone();
        g.push(first);
    });
    assert!(e.contains("state.precision.groups"), "{e}");
    // Sums for a group key past the labels.
    let e = refused(&|w| {
        w["state"]["precision"]["groups"][0][0][0] = 99.into();
    });
    assert!(e.contains("state.precision.groups"), "{e}");
}
