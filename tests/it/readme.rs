//! The README's table of standards is the built-in data files, rendered: a value changed in a
//! data file and not in the README (or the other way round) fails here, printing the table.

use chuan_ngheo::{Area, Lang, Standard, Vnd};

fn pair(rural: Vnd, urban: Vnd) -> String {
    let n = |v: Vnd| {
        v.display_en()
            .to_string()
            .trim_end_matches(" VND")
            .to_owned()
    };
    format!("{} / {}", n(rural), n(urban))
}

fn row(s: &Standard) -> String {
    let d = s.data();
    let years: Vec<String> = d
        .years
        .iter()
        .map(|y| match y.value.from == y.value.to {
            true => y.value.from.to_string(),
            false => format!("{}–{}", y.value.from, y.value.to),
        })
        .collect();
    let line = |l: &chuan_ngheo::standard::Cited<chuan_ngheo::ByArea<Vnd>>| {
        pair(*l.value.get(Area::Rural), *l.value.get(Area::Urban))
    };
    let mut lines = format!("poverty {}", line(&d.poverty_line));
    if let Some(near) = &d.near_poverty_line {
        lines += &format!(" (poor by income alone); near-poverty {}", line(near));
    }
    match &d.average_band_top {
        Some(b) => lines += &format!("; average band to {}", line(b)),
        None => lines += "; no average band",
    }
    if let Some(w) = &d.low_income_worker_line {
        lines += &format!("; low-income worker ≤ {}", line(w));
    }
    let test = format!(
        "D ≥ {} of {}, {}",
        s.deprivation_cutoff(),
        s.indicators().len(),
        match d.near_poverty_line {
            Some(_) => "between the lines",
            None => "at or under the poverty line",
        }
    );
    let mut basis: Vec<String> = d
        .legal_basis
        .iter()
        .map(|c| c.display(Lang::En).to_string())
        .collect();
    for y in d.years.iter().skip(1) {
        basis.push(format!(
            "{}: {}",
            y.value.from,
            y.citation.display(Lang::En)
        ));
    }
    format!(
        "| `{}` | {} | {} | {} | {} |",
        s.id(),
        years.join(", and "),
        lines,
        test,
        basis.join("; ")
    )
}

#[test]
fn the_readme_table_of_standards_is_the_data_files() {
    let readme = include_str!("../../README.md");
    let mut table = String::from(
        "| Id | Years | Lines, VND per person per month (rural / urban) | Deprivation test | Legal basis |\n|---|---|---|---|---|\n",
    );
    for s in Standard::builtins() {
        table += &row(s);
        table.push('\n');
    }
    assert!(
        readme.contains(&table),
        "README.md's table of standards differs from the data files; it should read:\n\n{table}"
    );
}

/// The docs are whole on docs.rs: no reference to a file that is not in the crate (the
/// project's `spec/` and `shared/` folders are not packaged).
#[test]
fn the_docs_refer_to_nothing_outside_the_crate() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("rs" | "md" | "json")
            ) {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    walk(&root.join("src"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Spelled in pieces, so that this test does not name the folders it looks for.
        let shared = ["..", "/shared"].concat();
        for bad in [
            "spec/formats",
            "spec/standards",
            "spec/facts",
            "standards.md",
            shared.as_str(),
        ] {
            assert!(!text.contains(bad), "{} mentions {bad}", f.display());
        }
    }
}

/// The map of the law in the docs names every line and cut-off as the data files set them, so
/// its prose cannot drift from the law the crate applies.
#[test]
fn the_docs_map_of_the_law_quotes_the_data_files() {
    let law = include_str!("../../src/docs/law.md");
    for s in Standard::builtins() {
        let d = s.data();
        let mut lines = vec![&d.poverty_line];
        lines.extend(d.near_poverty_line.as_ref());
        lines.extend(d.average_band_top.as_ref());
        lines.extend(d.low_income_worker_line.as_ref());
        for l in lines {
            let p = pair(*l.value.get(Area::Rural), *l.value.get(Area::Urban));
            assert!(law.contains(&p), "docs/law.md lacks {} {p}", s.id());
        }
        let test = format!("D ≥ {} of {}", s.deprivation_cutoff(), s.indicators().len());
        assert!(law.contains(&test), "docs/law.md lacks {} {test}", s.id());
    }
}
