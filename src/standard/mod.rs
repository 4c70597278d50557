//! A poverty standard (chuẩn nghèo) as data: lines per area, the deprivation indicators and
//! cut-off, review-score cut-offs, the years it applies to, each value with its citation and
//! provenance.
//!
//! The three national standards are built in ([`Standard::builtin`], [`Standard::for_year`]);
//! a provincial standard or a what-if reform is the same type, loaded with
//! [`Standard::from_json`] and validated on the way in.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::indicator::{Area, ByArea, Dimension, Indicator, IndicatorSet};
pub use crate::lang::Lang;
use crate::money::Vnd;

/// Version of the bundled national standards' data. It changes whenever a built-in value,
/// citation or provenance mark changes, and every explanation carries it.
pub const DATA_VERSION: &str = "2026.11.0";

/// The identifiers of the built-in national standards.
pub const BUILTIN_IDS: [&str; 3] = ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030"];

/// The built-in national standards as the data files a legal reviewer reads, by id: every
/// value with its provenance mark and its citation (document, dates, article, clause, point,
/// what the provision says). JSON, the format of a user's local standard file, read by the same
/// strict parser (unknown keys are errors); see `src/standard/data/`.
pub const BUILTIN_FILES: [(&str, &str); 3] = [
    ("vn-2016-2020", include_str!("data/vn-2016-2020.json")),
    ("vn-2022-2025", include_str!("data/vn-2022-2025.json")),
    ("vn-2027-2030", include_str!("data/vn-2027-2030.json")),
];

/// How sure we are of a value (the tags of [the law's structure](crate::docs::law)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// `[C]`: confirmed from a legal-text site or several independent reports quoting the text.
    Confirmed,
    /// `[S]`: one report, or a draft text: provisional.
    Secondary,
    /// `[U]`: recalled, not seen in a source: provisional.
    Unverified,
    /// Set by a local authority's document, loaded as data.
    Local,
    /// Derived by a what-if reform: not law.
    Reform,
}

impl Provenance {
    /// Whether the value is provisional (not confirmed law): `[S]`, `[U]` or a reform.
    pub const fn is_provisional(self) -> bool {
        matches!(
            self,
            Provenance::Secondary | Provenance::Unverified | Provenance::Reform
        )
    }

    /// The tag: `C`, `S`, `U`, `local`, `reform`.
    pub const fn tag(self) -> &'static str {
        match self {
            Provenance::Confirmed => "C",
            Provenance::Secondary => "S",
            Provenance::Unverified => "U",
            Provenance::Local => "local",
            Provenance::Reform => "reform",
        }
    }
}

/// The kind of a legal document, for naming it in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Quyết định.
    Decision,
    /// Nghị định.
    Decree,
    /// Thông tư.
    Circular,
    /// Nghị quyết.
    Resolution,
    /// Chỉ thị.
    Directive,
    /// Kế hoạch.
    Plan,
    /// A what-if reform (phương án giả định): not law; the number is the reform's name.
    Reform,
    /// Anything else; the number carries the full name.
    Other,
}

impl DocumentKind {
    const fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DocumentKind::Decision, Lang::En) => "Decision",
            (DocumentKind::Decision, Lang::Vi) => "Quyết định",
            (DocumentKind::Decree, Lang::En) => "Decree",
            (DocumentKind::Decree, Lang::Vi) => "Nghị định",
            (DocumentKind::Circular, Lang::En) => "Circular",
            (DocumentKind::Circular, Lang::Vi) => "Thông tư",
            (DocumentKind::Resolution, Lang::En) => "Resolution",
            (DocumentKind::Resolution, Lang::Vi) => "Nghị quyết",
            (DocumentKind::Directive, Lang::En) => "Directive",
            (DocumentKind::Directive, Lang::Vi) => "Chỉ thị",
            (DocumentKind::Plan, Lang::En) => "Plan",
            (DocumentKind::Plan, Lang::Vi) => "Kế hoạch",
            (DocumentKind::Reform, Lang::En) => "What-if reform",
            (DocumentKind::Reform, Lang::Vi) => "Phương án giả định",
            (DocumentKind::Other, _) => "",
        }
    }
}

/// Text in Vietnamese and English: what a provision says, a remark, an indicator's rule.
///
/// In a data file it is either an object `{"vi": "…", "en": "…"}` or one string, used in both
/// languages (a proper name, a number).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The same words in both languages.
    pub fn same(text: &str) -> Self {
        Text {
            vi: text.to_owned(),
            en: text.to_owned(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.vi == self.en {
            return s.serialize_str(&self.vi);
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("vi", &self.vi)?;
        m.serialize_entry("en", &self.en)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Both {
            vi: String,
            en: String,
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, or an object {\"vi\": …, \"en\": …}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Text, E> {
                Ok(Text::same(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Text, A::Error> {
                let b = Both::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Text { vi: b.vi, en: b.en })
            }
        }
        d.deserialize_any(V)
    }
}

/// Where a rule or value stands in the law: the document (kind, number, dates, where to read
/// it), the article, clause and point, and what the provision says.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// What kind of document.
    pub kind: DocumentKind,
    /// Its number as printed: `59/2015/QĐ-TTg`.
    pub number: String,
    /// The day it was signed (ngày ban hành), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<String>,
    /// The day it took effect (ngày có hiệu lực), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// Article (Điều).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<u16>,
    /// Clause (khoản).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<u16>,
    /// Point (điểm): `a`, `b` …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
    /// What the provision says, in a few words (a paraphrase, not the official text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub says: Option<Text>,
    /// A remark: "as amended by …", "kept for 2021 by …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Where to read the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Citation {
    /// A citation of a whole document.
    pub fn doc(kind: DocumentKind, number: &str) -> Self {
        Citation {
            kind,
            number: number.to_owned(),
            signed: None,
            effective: None,
            article: None,
            clause: None,
            point: None,
            says: None,
            note: None,
            url: None,
        }
    }

    /// The same document, at an article.
    pub fn art(mut self, article: u16) -> Self {
        self.article = Some(article);
        self
    }

    /// The same article, at a clause.
    pub fn cl(mut self, clause: u16) -> Self {
        self.clause = Some(clause);
        self
    }

    /// The same clause, at a point.
    pub fn pt(mut self, point: &str) -> Self {
        self.point = Some(point.to_owned());
        self
    }

    /// With a remark, the same in both languages.
    pub fn note(mut self, note: &str) -> Self {
        self.note = Some(Text::same(note));
        self
    }

    /// With a remark in each language.
    pub fn note_in(mut self, vi: &str, en: &str) -> Self {
        self.note = Some(Text {
            vi: vi.to_owned(),
            en: en.to_owned(),
        });
        self
    }

    /// Renders the citation in a language: `Decree 07/2021/NĐ-CP, Art. 3, cl. 1` or
    /// `Nghị định 07/2021/NĐ-CP, Điều 3, khoản 1`.
    pub fn display(&self, lang: Lang) -> impl fmt::Display + '_ {
        CitationDisplay { c: self, lang }
    }
}

struct CitationDisplay<'a> {
    c: &'a Citation,
    lang: Lang,
}

impl fmt::Display for CitationDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.c;
        let kind = c.kind.name(self.lang);
        if kind.is_empty() {
            f.write_str(&c.number)?;
        } else {
            write!(f, "{kind} {}", c.number)?;
        }
        let (a, k, p) = match self.lang {
            Lang::En => ("Art.", "cl.", "pt."),
            Lang::Vi => ("Điều", "khoản", "điểm"),
        };
        if let Some(n) = c.article {
            write!(f, ", {a} {n}")?;
        }
        if let Some(n) = c.clause {
            write!(f, ", {k} {n}")?;
        }
        if let Some(n) = &c.point {
            write!(f, ", {p} {n}")?;
        }
        if let Some(n) = &c.note {
            write!(f, " ({})", n.get(self.lang))?;
        }
        Ok(())
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(Lang::En).fmt(f)
    }
}

/// A value of the law with its citation and provenance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited<T> {
    /// The value.
    pub value: T,
    /// How sure we are of it.
    pub provenance: Provenance,
    /// Where the law sets it.
    pub citation: Citation,
}

impl<T> Cited<T> {
    /// A value with its provenance and citation.
    pub fn new(value: T, provenance: Provenance, citation: Citation) -> Self {
        Cited {
            value,
            provenance,
            citation,
        }
    }
}

/// A name in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Names {
    /// The name in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// An inclusive span of calendar years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearSpan {
    /// First year.
    pub from: i32,
    /// Last year (inclusive).
    pub to: i32,
}

impl YearSpan {
    /// Whether `year` is in the span.
    pub const fn contains(self, year: i32) -> bool {
        self.from <= year && year <= self.to
    }
}

/// Whether a standard is national law, a local authority's, or a what-if.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardKind {
    /// A national standard set by the Government.
    National,
    /// A provincial or local standard.
    Local,
    /// A what-if standard derived by a reform (not law).
    Reform,
}

/// One indicator of a standard, with the citation that lists it and how sure we are of its
/// deprivation rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// The indicator code.
    pub code: Indicator,
    /// How sure we are of the rule that decides deprivation in it.
    pub provenance: Provenance,
    /// Where the standard lists it.
    pub citation: Citation,
    /// What deprivation means for it, as the survey forms ask, in both languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprived_if: Option<Text>,
    /// The rule that decides deprivation from household facts, as data
    /// ([facts §2](crate::docs::facts)); without it, households of this standard are given as
    /// deprivations only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<crate::facts::FactRule>,
}

impl IndicatorSpec {
    /// The indicator's dimension.
    pub fn dimension(&self) -> Dimension {
        self.code.dimension()
    }
}

/// The legal rule behind each class, per area.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassRules {
    /// The rule that defines a poor household (hộ nghèo).
    pub poor: ByArea<Citation>,
    /// The rule that defines a near-poor household (hộ cận nghèo).
    pub near_poor: ByArea<Citation>,
    /// The rule that defines a household of average living standard (hộ có mức sống trung
    /// bình), where the standard sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_living_standard: Option<ByArea<Citation>>,
    /// How sure we are of the rules' wording and numbering.
    pub provenance: Provenance,
}

/// The cut-offs of the annual review forms (phiếu B1 score A, phiếu B2 score B).
///
/// The structure mirrors the income lines: at or under `poverty_score` (and, where a
/// `near_poverty_score` is set, at or under it with the deprivation test) …
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewScores {
    /// Score A at or under which the household is poor by score alone when
    /// `near_poverty_score` is set, or is tested on score B when it is not.
    pub poverty_score: ByArea<u32>,
    /// Score A at or under which (and above `poverty_score`) score B decides poor or near-poor
    /// (2016–2020 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near_poverty_score: Option<ByArea<u32>>,
    /// Points of score B per deprived indicator (10).
    pub points_per_deprivation: u32,
    /// Score B at or over which the household is poor (30).
    pub deprivation_score_cutoff: u32,
}

/// One of a standard's income lines (chuẩn nghèo, chuẩn cận nghèo, the average band's top,
/// the low-income-worker line): what a reform patch touches and what an exit path measures.
/// Named apart from the lines of a file, which are numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeLine {
    /// Chuẩn nghèo.
    PovertyLine,
    /// Chuẩn cận nghèo (two-line standards).
    NearPovertyLine,
    /// The top of the average-living-standard band.
    AverageBandTop,
    /// The low-income-worker line.
    LowIncomeWorkerLine,
}

impl IncomeLine {
    /// Every line.
    pub const ALL: [IncomeLine; 4] = [
        IncomeLine::PovertyLine,
        IncomeLine::NearPovertyLine,
        IncomeLine::AverageBandTop,
        IncomeLine::LowIncomeWorkerLine,
    ];

    /// The field name.
    pub fn code(self) -> &'static str {
        match self {
            IncomeLine::PovertyLine => "poverty_line",
            IncomeLine::NearPovertyLine => "near_poverty_line",
            IncomeLine::AverageBandTop => "average_band_top",
            IncomeLine::LowIncomeWorkerLine => "low_income_worker_line",
        }
    }

    pub(crate) fn slot(self, d: &mut StandardData) -> Option<&mut Option<Cited<ByArea<Vnd>>>> {
        match self {
            IncomeLine::PovertyLine => None,
            IncomeLine::NearPovertyLine => Some(&mut d.near_poverty_line),
            IncomeLine::AverageBandTop => Some(&mut d.average_band_top),
            IncomeLine::LowIncomeWorkerLine => Some(&mut d.low_income_worker_line),
        }
    }

    /// Every line `standard` has, with its value for `area`, lowest first.
    pub fn values(standard: &Standard, area: Area) -> Vec<(IncomeLine, Vnd)> {
        let mut v: Vec<(IncomeLine, Vnd)> = IncomeLine::ALL
            .into_iter()
            .filter_map(|l| l.get(standard.data()).map(|by| (l, *by.get(area))))
            .collect();
        v.sort_by_key(|(_, value)| *value);
        v
    }

    /// The line's values in a standard's data, if it has the line.
    pub fn get(self, d: &StandardData) -> Option<ByArea<Vnd>> {
        match self {
            IncomeLine::PovertyLine => Some(d.poverty_line.value),
            IncomeLine::NearPovertyLine => d.near_poverty_line.as_ref().map(|l| l.value),
            IncomeLine::AverageBandTop => d.average_band_top.as_ref().map(|l| l.value),
            IncomeLine::LowIncomeWorkerLine => d.low_income_worker_line.as_ref().map(|l| l.value),
        }
    }
}

/// The plain, serialisable data of a standard, as read from and written to files.
/// [`Standard`] is this data once validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardData {
    /// Identifier: `vn-2022-2025`, `dong-nai-2022-2025` …
    pub id: String,
    /// Its legal name in both languages.
    pub name: Names,
    /// National, local or reform.
    pub kind: StandardKind,
    /// Version of this standard's data.
    pub data_version: String,
    /// The documents that set it.
    pub legal_basis: Vec<Citation>,
    /// The years it applies to, each span with the rule that applies it.
    pub years: Vec<Cited<YearSpan>>,
    /// The poverty line (chuẩn nghèo), VND per person per month.
    pub poverty_line: Cited<ByArea<Vnd>>,
    /// The near-poverty line (chuẩn cận nghèo) of a standard with two income lines
    /// (2016–2020): at or under the poverty line a household is poor by income alone; between
    /// the lines the deprivation test decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near_poverty_line: Option<Cited<ByArea<Vnd>>>,
    /// The top of the average-living-standard band, where the standard sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_band_top: Option<Cited<ByArea<Vnd>>>,
    /// The low-income-worker line (người lao động có thu nhập thấp), where set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_income_worker_line: Option<Cited<ByArea<Vnd>>>,
    /// The deprivation indicators, each with its dimension (by code).
    pub indicators: Vec<IndicatorSpec>,
    /// The number of deprivations at or over which a household under the line is poor.
    pub deprivation_cutoff: Cited<u32>,
    /// The rules behind each class.
    pub class_rules: ClassRules,
    /// The review-form score cut-offs, where published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_scores: Option<Cited<ReviewScores>>,
    /// Relative indicator weights for the Alkire–Foster measures (a reform's or an analyst's
    /// choice; the law counts indicators with equal weight). Classification is unaffected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub af_weights: Option<Vec<IndicatorWeight>>,
    /// What a what-if reform changed, by field (`poverty_line.rural`, `deprivation_cutoff`):
    /// an explanation cites the reform for these values and the law for the rest. Only a
    /// standard of kind `reform` has any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reform_changes: Vec<String>,
}

impl StandardData {
    /// Every citation in the data with its key path (see [`Standard::citations`]).
    pub fn citations(&self) -> Vec<(String, &Citation)> {
        let mut out: Vec<(String, &Citation)> = Vec::new();
        for (i, c) in self.legal_basis.iter().enumerate() {
            out.push((format!("legal_basis[{i}]"), c));
        }
        for (i, y) in self.years.iter().enumerate() {
            out.push((format!("years[{i}].citation"), &y.citation));
        }
        out.push(("poverty_line.citation".into(), &self.poverty_line.citation));
        for (n, l) in [
            ("near_poverty_line", &self.near_poverty_line),
            ("average_band_top", &self.average_band_top),
            ("low_income_worker_line", &self.low_income_worker_line),
        ] {
            if let Some(l) = l {
                out.push((format!("{n}.citation"), &l.citation));
            }
        }
        for (i, spec) in self.indicators.iter().enumerate() {
            out.push((format!("indicators[{i}].citation"), &spec.citation));
        }
        out.push((
            "deprivation_cutoff.citation".into(),
            &self.deprivation_cutoff.citation,
        ));
        let r = &self.class_rules;
        let mut classes = vec![("poor", &r.poor), ("near_poor", &r.near_poor)];
        if let Some(a) = &r.average_living_standard {
            classes.push(("average_living_standard", a));
        }
        for (name, by_area) in classes {
            for area in Area::ALL {
                out.push((format!("class_rules.{name}.{area}"), by_area.get(area)));
            }
        }
        if let Some(s) = &self.review_scores {
            out.push(("review_scores.citation".into(), &s.citation));
        }
        out
    }
}

/// A calendar date written `YYYY-MM-DD`, checked: month 1–12, a day the month has.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = text.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// An indicator's relative weight in the Alkire–Foster measures.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorWeight {
    /// The indicator.
    pub code: Indicator,
    /// Its relative weight (> 0).
    pub weight: u32,
}

/// A validated poverty standard.
///
/// ```
/// use chuan_ngheo::{Area, Standard, Vnd};
/// let s = Standard::for_year(2024)?;
/// assert_eq!(s.id(), "vn-2022-2025");
/// assert_eq!(s.poverty_line(Area::Rural), Vnd::from_dong(1_500_000));
/// assert_eq!(s.deprivation_cutoff(), 3);
/// # Ok::<(), chuan_ngheo::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Standard {
    data: StandardData,
    fingerprint: u64,
    indicator_set: IndicatorSet,
    fact_rules: Option<crate::facts::CompiledRules>,
    cutoff: u32,
    lines: ByArea<LineTable>,
}

/// One area's lines, precomputed for the per-household path: integer mantissas at one common
/// scale, so an income of that scale compares without rebuilding decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineTable {
    pub scale: u32,
    /// Income at or under this is poor by income alone (two-line standards); else `None`.
    pub income_only: Option<i128>,
    /// Income at or under this takes the deprivation test.
    pub multidimensional: i128,
    /// Income at or under this (and above the test line) is of average living standard.
    pub band_top: Option<i128>,
}

impl LineTable {
    /// `None` if the lines cannot all be written exactly at one scale (over 28 digits).
    fn new(d: &StandardData, area: Area) -> Option<LineTable> {
        let poverty = *d.poverty_line.value.get(area);
        let near = d.near_poverty_line.as_ref().map(|l| *l.value.get(area));
        let band = d.average_band_top.as_ref().map(|l| *l.value.get(area));
        let all = [Some(poverty), near, band];
        let scale = all
            .iter()
            .flatten()
            .map(|v| v.amount().scale())
            .max()
            .unwrap_or(0);
        let at = |v: Vnd| {
            let mut x = v.amount();
            x.rescale(scale);
            (x.scale() == scale).then(|| x.mantissa())
        };
        Some(LineTable {
            scale,
            income_only: match near {
                Some(_) => Some(at(poverty)?),
                None => None,
            },
            multidimensional: at(near.unwrap_or(poverty))?,
            band_top: match band {
                Some(b) => Some(at(b)?),
                None => None,
            },
        })
    }
}

impl Standard {
    /// Validates standard data: lines ordered and non-negative, cut-off within the indicator
    /// count, indicators unique, years ordered, review scores consistent.
    ///
    /// The ids of the built-in standards and the kind `national` belong to the national law
    /// this crate ships: data that claims them must be that law, value for value, so that no
    /// report or explanation carries a national name over other lines. A local standard takes
    /// its own id and the kind `local`.
    pub fn new(data: StandardData) -> Result<Standard> {
        // Ids compare without case: `VN-2022-2025` is the national id, not a local one.
        let claims_national = data.kind == StandardKind::National
            || BUILTIN_IDS
                .iter()
                .any(|b| b.eq_ignore_ascii_case(data.id.trim()));
        if claims_national {
            let same = Standard::builtins().iter().find(|b| b.data == data);
            if let Some(builtin) = same {
                return Ok(builtin.clone());
            }
            return Err(Error::invalid_standard(
                &data.id,
                if data.kind == StandardKind::National { "kind" } else { "id" },
                format!(
                    "the built-in ids ({}) and the kind \"national\" are reserved for the national standards this crate ships, and this data differs from them; give a local standard its own id and \"kind\": \"local\"",
                    BUILTIN_IDS.join(", ")
                ),
            ));
        }
        Standard::validate(data)
    }

    fn validate(data: StandardData) -> Result<Standard> {
        let id = data.id.as_str();
        let bad = |field: &str, reason: String| Error::invalid_standard(id, field, reason);
        if id.is_empty()
            || id.len() > 64
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.+".contains(&b))
        {
            return Err(bad(
                "id",
                format!("must be 1-64 ASCII letters, digits, - _ . + ; got {id:?}"),
            ));
        }
        if !data.reform_changes.is_empty() && data.kind != StandardKind::Reform {
            return Err(bad(
                "reform_changes",
                "only a standard of kind \"reform\" records reform changes".into(),
            ));
        }
        if data.data_version.trim().is_empty() {
            return Err(bad("data_version", "must not be empty".into()));
        }
        if data.years.is_empty() {
            return Err(bad("years", "at least one span of years is needed".into()));
        }
        for (path, c) in data.citations() {
            for (field, date) in [("signed", &c.signed), ("effective", &c.effective)] {
                if let Some(date) = date {
                    if !is_date(date) {
                        return Err(bad(
                            &format!("{path}.{field}"),
                            format!("must be a date written YYYY-MM-DD, got {date:?}"),
                        ));
                    }
                }
            }
            if let (Some(s), Some(e)) = (&c.signed, &c.effective) {
                // Dates written YYYY-MM-DD order as text.
                if e < s {
                    return Err(bad(
                        &format!("{path}.effective"),
                        format!("{e} is before the signing date {s}"),
                    ));
                }
            }
        }
        for y in &data.years {
            if y.value.from > y.value.to {
                return Err(bad(
                    "years",
                    format!("span {}-{} is reversed", y.value.from, y.value.to),
                ));
            }
        }
        let mut previous: Option<(&str, &ByArea<Vnd>)> = None;
        for (name, line) in [
            ("poverty_line", Some(&data.poverty_line)),
            ("near_poverty_line", data.near_poverty_line.as_ref()),
            ("average_band_top", data.average_band_top.as_ref()),
        ] {
            let Some(line) = line else { continue };
            for area in Area::ALL {
                let v = *line.value.get(area);
                // A line of 0 would class no household poor by income: no standard has one.
                if v.is_negative() || v.amount().is_zero() {
                    return Err(bad(name, format!("{area} line must be > 0, got {v}")));
                }
                if let Some((pname, p)) = previous {
                    if v <= *p.get(area) {
                        return Err(bad(
                            name,
                            format!("{area} line {v} must be above the {pname} {}", p.get(area)),
                        ));
                    }
                }
            }
            previous = Some((name, &line.value));
        }
        if let Some(low) = &data.low_income_worker_line {
            let top = data
                .near_poverty_line
                .as_ref()
                .unwrap_or(&data.poverty_line);
            for area in Area::ALL {
                if low.value.get(area) <= top.value.get(area) {
                    return Err(bad(
                        "low_income_worker_line",
                        format!("{area} line must be above the line that bounds near-poverty"),
                    ));
                }
            }
        }
        let mut set = IndicatorSet::EMPTY;
        for spec in &data.indicators {
            if set.contains(spec.code) {
                return Err(bad("indicators", format!("{} is listed twice", spec.code)));
            }
            set.insert(spec.code);
        }
        let n = set.len();
        let k = data.deprivation_cutoff.value;
        if n == 0 {
            return Err(bad("indicators", "at least one indicator is needed".into()));
        }
        if k == 0 || k > n {
            return Err(bad(
                "deprivation_cutoff",
                format!("must be between 1 and the {n} indicators, got {k}"),
            ));
        }
        if let Some(weights) = &data.af_weights {
            let mut weighted = IndicatorSet::EMPTY;
            for w in weights {
                if !set.contains(w.code) || w.weight == 0 || weighted.contains(w.code) {
                    return Err(bad(
                        "af_weights",
                        format!(
                            "{} needs one weight > 0 and must be an indicator of the standard",
                            w.code
                        ),
                    ));
                }
                weighted.insert(w.code);
            }
            if weighted != set {
                return Err(bad(
                    "af_weights",
                    "every indicator of the standard needs a weight".into(),
                ));
            }
            let mut w: Vec<u64> = weights.iter().map(|w| u64::from(w.weight)).collect();
            if crate::indicator::reduce_weights(&mut w).is_none() {
                return Err(bad(
                    "af_weights",
                    crate::indicator::WEIGHT_TOTAL_REASON.en.to_owned(),
                ));
            }
        }
        if let Some(scores) = &data.review_scores {
            let s = &scores.value;
            if s.points_per_deprivation == 0 {
                return Err(bad(
                    "review_scores.points_per_deprivation",
                    "must be > 0".into(),
                ));
            }
            let max_b = s.points_per_deprivation.saturating_mul(n);
            if s.deprivation_score_cutoff == 0 || s.deprivation_score_cutoff > max_b {
                return Err(bad(
                    "review_scores.deprivation_score_cutoff",
                    format!(
                        "must be between 1 and {max_b}, got {}",
                        s.deprivation_score_cutoff
                    ),
                ));
            }
            // Score B encodes the deprivations (10 points each): its cut-off must mean the
            // same number of deprivations as the deprivation cut-off, or one household would
            // be poor from its deprivations and near-poor from the scores that encode them.
            if Some(s.deprivation_score_cutoff) != s.points_per_deprivation.checked_mul(k) {
                return Err(bad(
                    "review_scores.deprivation_score_cutoff",
                    format!(
                        "must be points_per_deprivation × deprivation_cutoff = {} × {k}, got {}",
                        s.points_per_deprivation, s.deprivation_score_cutoff
                    ),
                ));
            }
            if let Some(near) = &s.near_poverty_score {
                for area in Area::ALL {
                    if near.get(area) <= s.poverty_score.get(area) {
                        return Err(bad(
                            "review_scores.near_poverty_score",
                            format!("{area} score must be above the poverty score"),
                        ));
                    }
                }
            }
        }
        let table = |area| {
            LineTable::new(&data, area).ok_or_else(|| {
                bad(
                    "poverty_line",
                    format!("{area} lines cannot be written exactly at one decimal scale"),
                )
            })
        };
        let lines = ByArea {
            rural: table(Area::Rural)?,
            urban: table(Area::Urban)?,
        };
        let rules: Vec<_> = data
            .indicators
            .iter()
            .map(|s| (s.code, s.rule.as_ref()))
            .collect();
        // The words of a rule never contradict its data (facts::words).
        for spec in &data.indicators {
            if let (Some(words), Some(rule)) = (&spec.deprived_if, &spec.rule) {
                crate::facts::words::check(words, &rule.deprived_when).map_err(|reason| {
                    Error::invalid_standard(
                        &data.id,
                        format!("indicators.{}.deprived_if", spec.code.code()),
                        reason,
                    )
                })?;
            }
        }
        let fact_rules = crate::facts::CompiledRules::compile(&rules, &|field, reason| {
            Error::invalid_standard(&data.id, field, reason)
        })?;
        Ok(Standard {
            fingerprint: fingerprint(&data),
            indicator_set: set,
            fact_rules,
            cutoff: k,
            data,
            lines,
        })
    }

    /// Loads and validates a standard from JSON (the form [`StandardData`] serialises to).
    /// Unknown fields are errors.
    pub fn from_json(text: &str) -> Result<Standard> {
        let data: StandardData = crate::json::from_str(text, "standard file")?;
        Standard::new(data)
    }

    /// The standard as JSON.
    pub fn to_json_pretty(&self) -> String {
        // Serialising plain data structs with string keys cannot fail.
        serde_json::to_string_pretty(&self.data).unwrap_or_default()
    }

    /// The built-in national standards, oldest first: the data files of
    /// [`BUILTIN_FILES`], parsed once, on first use, by the same reader and validator as a
    /// user's standard file. Classification never touches the JSON again.
    pub fn builtins() -> &'static [Standard] {
        static BUILTINS: OnceLock<Vec<Standard>> = OnceLock::new();
        BUILTINS.get_or_init(|| {
            BUILTIN_FILES
                .iter()
                // The files ship with the crate and are checked by its tests: one that fails
                // is a bug in the crate, said loudly, never a standard quietly missing (whose
                // id would then read as unknown).
                .map(|(name, text)| {
                    Standard::from_builtin_file(text)
                        .unwrap_or_else(|e| panic!("bundled standard file {name} is broken: {e}"))
                })
                .collect()
        })
    }

    /// A built-in data file read as a user's file is, except that it may be national law.
    pub(crate) fn from_builtin_file(text: &str) -> Result<Standard> {
        let data: StandardData = crate::json::from_str(text, "built-in standard file")?;
        Standard::validate(data)
    }

    /// A built-in standard by id.
    pub fn builtin(id: &str) -> Result<&'static Standard> {
        Standard::builtins()
            .iter()
            .find(|s| s.id() == id)
            .ok_or_else(|| Error::from(ErrorKind::UnknownStandard { id: id.to_owned() }))
    }

    /// The national standard that applies to `year`, including the keep-rules (2021 keeps the
    /// 2016–2020 standard, Decree 07/2021/NĐ-CP Art. 2; 2026 keeps the 2022–2025 standard,
    /// Decree 351/2025/NĐ-CP). A year outside 2016–2030 is [`ErrorKind::NoStandardForYear`].
    pub fn for_year(year: i32) -> Result<&'static Standard> {
        Standard::builtins()
            .iter()
            .find(|s| s.applies_in(year).is_some())
            .ok_or(Error::from(ErrorKind::NoStandardForYear { year }))
    }

    /// The span (with its legal rule) by which this standard applies in `year`, if it does.
    pub fn applies_in(&self, year: i32) -> Option<&Cited<YearSpan>> {
        self.data.years.iter().find(|y| y.value.contains(year))
    }

    /// A 64-bit fingerprint of the standard's whole content (FNV-1a of its JSON): two
    /// standards with one id but different values have different fingerprints, so reports
    /// of one are never merged into reports of the other.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The name of the what-if reform that derived this standard, if it is one (not law).
    pub fn reform_name(&self) -> Option<&str> {
        if self.data.kind != StandardKind::Reform {
            return None;
        }
        self.data
            .legal_basis
            .iter()
            .rev()
            .find(|c| c.kind == DocumentKind::Reform)
            .map(|c| c.number.as_str())
    }

    /// The plain data.
    pub fn data(&self) -> &StandardData {
        &self.data
    }

    /// Consumes the standard into its data (to change it and validate again).
    pub fn into_data(self) -> StandardData {
        self.data
    }

    /// The identifier.
    pub fn id(&self) -> &str {
        &self.data.id
    }

    /// The data version.
    pub fn data_version(&self) -> &str {
        &self.data.data_version
    }

    #[inline]
    pub(crate) fn line_table(&self, area: Area) -> &LineTable {
        self.lines.get(area)
    }

    /// The poverty line for an area.
    #[inline]
    pub fn poverty_line(&self, area: Area) -> Vnd {
        *self.data.poverty_line.value.get(area)
    }

    /// The near-poverty line for an area (2016–2020 kind of standard).
    #[inline]
    pub fn near_poverty_line(&self, area: Area) -> Option<Vnd> {
        self.data
            .near_poverty_line
            .as_ref()
            .map(|l| *l.value.get(area))
    }

    /// The top of the average-living-standard band, if the standard sets one.
    #[inline]
    pub fn average_band_top(&self, area: Area) -> Option<Vnd> {
        self.data
            .average_band_top
            .as_ref()
            .map(|l| *l.value.get(area))
    }

    /// The income at or under which the deprivation test decides poor or near-poor: the
    /// near-poverty line where there is one, else the poverty line.
    #[inline]
    pub fn multidimensional_line(&self, area: Area) -> Vnd {
        self.near_poverty_line(area)
            .unwrap_or_else(|| self.poverty_line(area))
    }

    /// The indicators, as a set.
    #[inline]
    pub fn indicators(&self) -> IndicatorSet {
        self.indicator_set
    }

    /// The indicators with their citations, in the standard's order.
    pub fn indicator_specs(&self) -> &[IndicatorSpec] {
        self.indicator_specs_inner()
    }

    /// The compiled fact rules, when every indicator has one.
    pub(crate) fn fact_rules(&self) -> Option<&crate::facts::CompiledRules> {
        self.fact_rules.as_ref()
    }

    /// Whether every indicator has a fact rule, so households can be given as facts
    /// ([`crate::facts::evaluate`]).
    pub fn takes_facts(&self) -> bool {
        self.fact_rules.is_some()
    }

    fn indicator_specs_inner(&self) -> &[IndicatorSpec] {
        &self.data.indicators
    }

    /// The deprivation cut-off (D ≥ this is poor under the line).
    #[inline]
    pub fn deprivation_cutoff(&self) -> u32 {
        self.cutoff
    }

    /// Every citation of the standard with the key path where it stands in the data file
    /// (`class_rules.poor.urban`), for a reviewer to go through them one by one.
    pub fn citations(&self) -> Vec<(String, &Citation)> {
        self.data.citations()
    }

    /// Every provisional value of the standard, by field, for a user to review.
    pub fn provisional_values(&self) -> Vec<(String, Provenance)> {
        let d = &self.data;
        let mut out = Vec::new();
        let mut push = |name: String, p: Provenance| {
            if p.is_provisional() {
                out.push((name, p));
            }
        };
        for y in &d.years {
            push(
                format!("years {}-{}", y.value.from, y.value.to),
                y.provenance,
            );
        }
        push("poverty_line".into(), d.poverty_line.provenance);
        for (n, l) in [
            ("near_poverty_line", &d.near_poverty_line),
            ("average_band_top", &d.average_band_top),
            ("low_income_worker_line", &d.low_income_worker_line),
        ] {
            if let Some(l) = l {
                push(n.into(), l.provenance);
            }
        }
        for i in &d.indicators {
            push(format!("indicator {}", i.code), i.provenance);
        }
        push("deprivation_cutoff".into(), d.deprivation_cutoff.provenance);
        push("class_rules".into(), d.class_rules.provenance);
        if let Some(s) = &d.review_scores {
            push("review_scores".into(), s.provenance);
        }
        out
    }
}

impl Serialize for Standard {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.data.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Standard {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Standard::new(StandardData::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl fmt::Debug for Standard {
    /// Short: the id, data version and fingerprint. A failing property test prints this, not
    /// five hundred lines of law; [`Standard::data`] has the rest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Standard")
            .field("id", &self.data.id)
            .field("data_version", &self.data.data_version)
            .field("fingerprint", &format_args!("{:016x}", self.fingerprint))
            .finish()
    }
}

/// FNV-1a over the standard's JSON.
fn fingerprint(data: &StandardData) -> u64 {
    // Serialising plain data structs with string keys cannot fail.
    let bytes = serde_json::to_vec(data).unwrap_or_default();
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A set of standards to look up by id or year: the built-in ones plus any loaded.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    loaded: Vec<Standard>,
}

impl Registry {
    /// The built-in standards only.
    pub fn new() -> Self {
        Registry::default()
    }

    /// Adds a loaded standard (one of the same id loaded before is replaced). A standard can
    /// carry a built-in id only if it is that built-in standard ([`Standard::new`]), so a
    /// loaded file never passes for national law.
    pub fn add(&mut self, standard: Standard) {
        self.loaded.retain(|s| s.id() != standard.id());
        self.loaded.push(standard);
    }

    /// A standard by id, loaded ones first.
    pub fn get(&self, id: &str) -> Result<&Standard> {
        match self.loaded.iter().find(|s| s.id() == id) {
            Some(s) => Ok(s),
            None => Standard::builtin(id),
        }
    }

    /// The national standard for a year (loaded standards are never picked by year: a local
    /// standard is chosen by id).
    pub fn for_year(&self, year: i32) -> Result<&Standard> {
        Standard::for_year(year)
    }
}

#[cfg(test)]
mod tests;
