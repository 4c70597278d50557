//! The crate's one error type.
//!
//! Every bad value is a typed error that names the field at fault and the value found, so a
//! review app can show it to an official and a batch report can list it beside the row.

use std::fmt;

/// Which value was wrong, by the name it has in the household record or standard file.
pub type Field = &'static str;

/// Why a value is refused, in both languages, written side by side where the error is made
/// (so a Vietnamese message never carries an English detail). `Display` gives the English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reason {
    /// In English.
    pub en: &'static str,
    /// In Vietnamese.
    pub vi: &'static str,
}

impl Reason {
    /// A reason in English and Vietnamese.
    pub const fn new(en: &'static str, vi: &'static str) -> Self {
        Reason { en, vi }
    }

    /// The reason in a language.
    pub fn get(self, lang: crate::lang::Lang) -> &'static str {
        match lang {
            crate::lang::Lang::En => self.en,
            crate::lang::Lang::Vi => self.vi,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.en)
    }
}

/// What went wrong, as a specific variant naming the field and the value: what [`Error`]
/// carries, read with [`Error::kind`]; its stable name is [`Error::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A money amount that is not a decimal number.
    #[error("{field} must be a decimal amount of VND, got {value:?}")]
    InvalidMoney {
        /// The field that held it.
        field: Field,
        /// The text found.
        value: String,
    },
    /// A money amount below zero where the law needs a non-negative one.
    #[error("{field} must be >= 0, got {value}")]
    NegativeMoney {
        /// The field that held it.
        field: Field,
        /// The amount found.
        value: String,
    },
    /// An area that is neither rural nor urban.
    #[error("area must be rural or urban (nông thôn, thành thị, đô thị), got {value:?}")]
    InvalidArea {
        /// The text found.
        value: String,
    },
    /// An indicator code that this crate does not know.
    #[error("{field}: unknown indicator code {value:?}")]
    UnknownIndicator {
        /// The field that held it.
        field: Field,
        /// The code found.
        value: String,
    },
    /// An indicator that exists, but not in the standard being applied.
    #[error("{field}: {indicator} is not an indicator of standard {standard}")]
    IndicatorNotInStandard {
        /// The field that held it.
        field: Field,
        /// The indicator code.
        indicator: &'static str,
        /// The standard's id.
        standard: String,
    },
    /// An indicator listed both as deprived and as not deprived.
    #[error("indicator {indicator} is listed both in deprivations and in not_deprived")]
    ContradictoryIndicator {
        /// The indicator code.
        indicator: &'static str,
    },
    /// A household size below one.
    #[error("members must be a whole number >= 1 (at most 4294967295), got {value}")]
    InvalidMembers {
        /// The text or number found.
        value: String,
    },
    /// A review-form score outside what the form allows.
    #[error(
        "scores.{field} is not a valid review score for standard {standard}: {value} ({reason})"
    )]
    InvalidScore {
        /// `a` or `b`.
        field: Field,
        /// The score found.
        value: u32,
        /// The standard's id.
        standard: String,
        /// Why it is invalid.
        reason: Reason,
    },
    /// Classification from review scores under a standard that publishes no score cut-offs.
    #[error(
        "standard {standard} has no review-score cut-offs: classify from income and deprivations"
    )]
    NoReviewScores {
        /// The standard's id.
        standard: String,
    },
    /// A year outside every national standard (2016–2030).
    #[error(
        "no national poverty standard applies to year {year} (national standards cover 2016-2030)"
    )]
    NoStandardForYear {
        /// The year asked for.
        year: i32,
    },
    /// A record names a standard and a year in which that standard does not apply.
    #[error(
        "standard {standard} does not apply in year {year}: give the year's standard, or no year"
    )]
    YearOutsideStandard {
        /// The year given.
        year: i32,
        /// The standard named.
        standard: String,
    },
    /// A year outside what the crate reads (1900–2200): no poverty figure of this programme
    /// has one, and arithmetic on years stays exact within it.
    #[error("{field} must be a year from 1900 to 2200, got {year}")]
    YearOutOfRange {
        /// The field that held it.
        field: Field,
        /// The year found.
        year: i64,
    },
    /// A rejected row's error read back from a saved report: its kind, field and message in
    /// both languages as the report saved them, so the row reads as it did before the save.
    #[error("{en}")]
    Restored {
        /// The original error's kind (one of the crate's codes).
        kind: &'static str,
        /// The original error's field, if it named one.
        field: Option<String>,
        /// The message in English.
        en: String,
        /// The message in Vietnamese.
        vi: String,
    },
    /// A standard id that is neither built in nor loaded.
    #[error("unknown standard id {id:?}")]
    UnknownStandard {
        /// The id asked for.
        id: String,
    },
    /// A record gives neither a year nor a standard.
    #[error(
        "a household record needs a year or a standard (in the record or on the command line)"
    )]
    NoStandardGiven,
    /// A standard's data breaks a rule of well-formedness.
    #[error("invalid standard {standard}: {field}: {reason}")]
    InvalidStandard {
        /// The standard's id (as far as it was read).
        standard: String,
        /// The field at fault.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A required value is missing.
    #[error("{field} is required")]
    Missing {
        /// The missing field or column.
        field: String,
    },
    /// A field or cell holds a value of the wrong shape.
    #[error("{field}: {reason}, got {value:?}")]
    InvalidValue {
        /// The field or column.
        field: String,
        /// The text found.
        value: String,
        /// What was expected.
        reason: Reason,
    },
    /// A JSON document that does not parse or does not match its contract.
    #[error("{context}: {message}")]
    Json {
        /// What was being read (a standard file, a household record …).
        context: &'static str,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A CSV table that cannot be read.
    #[error("csv: {message}")]
    Csv {
        /// The reader's message.
        message: String,
    },
    /// A household fact or member fact with a bad value ([facts §1](crate::docs::facts)).
    #[error("{}{field}: {reason}, got {value:?}", member.map(|m| format!("member {m}: ")).unwrap_or_default())]
    InvalidFact {
        /// The member, counted from 1 in the order listed; `None` for a household fact.
        member: Option<u64>,
        /// The fact's name.
        field: String,
        /// The value found.
        value: String,
        /// What was expected.
        reason: Reason,
    },
    /// Facts that list no member: the household size is the number of members listed.
    #[error("the household lists no member (facts.members is empty, or the members table has no row for it)")]
    NoMembers,
    /// A record's `members` that disagrees with the members its facts list.
    #[error("members is {given} but facts.members lists {listed}")]
    MembersMismatch {
        /// The household size the record gives.
        given: String,
        /// The number of members listed in the facts.
        listed: u64,
    },
    /// A bad row of the members table (the two-table facts form, [facts §5](crate::docs::facts)):
    /// its household is rejected with it.
    #[error("members table line {line}: {detail}")]
    MemberRow {
        /// The row's line in the members table.
        line: u64,
        /// What is wrong with it.
        detail: Box<ErrorKind>,
    },
    /// Member rows whose household is not among the households held open where they stand
    /// (the two-table facts form, [facts §5](crate::docs::facts)): no household of the
    /// households table near their place carries their id. The whole run stops: the rows may
    /// belong to a household already classified, which must not stand on part of its members.
    #[error("members table line {line}: no household {household:?} among the {window} households before or after this point of the households table; both tables must list households in the same order, and every member row's household must be in the households table")]
    MemberOutOfOrder {
        /// The first row's line in the members table.
        line: u64,
        /// The household id the rows give.
        household: String,
        /// How many households are held open on each side ([`crate::population::csv::LOOKAHEAD`]).
        window: usize,
    },
    /// A survey design that cannot give a variance ([formats §4.1](crate::docs::formats)):
    /// no PSU at all, or no more PSUs than strata (no degree of freedom).
    #[error("precision: {}{}", no_variance_en(*psus, *strata), rejected.en())]
    NoVariance {
        /// PSUs in the sample (0: no accepted row).
        psus: u64,
        /// Strata in the sample.
        strata: u64,
        /// The rows the report rejected, which may be why.
        rejected: RejectedRows,
    },
    /// A stratum with a single PSU, whose variance cannot be estimated, and no treatment chosen.
    #[error("precision: stratum {stratum:?} has a single PSU, so its variance cannot be estimated; choose a treatment (--lonely-psu adjust or skip) or merge the stratum with another{}", rejected.en())]
    LonelyPsu {
        /// The stratum.
        stratum: String,
        /// The rows the report rejected, which may be why.
        rejected: RejectedRows,
    },
    /// Two values that must come from the same standard do not.
    #[error("{what}: standard {left} and standard {right} differ")]
    StandardMismatch {
        /// What was being combined.
        what: &'static str,
        /// One standard id.
        left: String,
        /// The other.
        right: String,
    },
    /// Two things that cannot be combined or compared: reports that do not merge, a change
    /// over years out of order, a measure that needs what the household lacks.
    #[error("{}", why.en())]
    Incomparable {
        /// Why, typed.
        why: Incompatibility,
    },
    /// Two observations measured under different standards: the series breaks there, and a
    /// change across it is not a change in poverty.
    #[error("the series changes standard between {from_year} ({from_standard}) and {to_year} ({to_standard}): a change across standards is not a change in poverty; give a baseline rebased to {to_standard}")]
    StandardBreak {
        /// The earlier year.
        from_year: i32,
        /// Its standard.
        from_standard: String,
        /// The later year.
        to_year: i32,
        /// Its standard.
        to_standard: String,
    },
}

/// Everything that can go wrong in this crate: a boxed [`ErrorKind`], so that a `Result` stays
/// one pointer wide on the per-household path. Library code returns these; it never panics on
/// input. As `std::io::Error` and `csv::Error` name theirs: `kind()` is the variant (naming the
/// field and the value), `code()` its stable name, `field()` the field at fault, and
/// `message(lang)` the message in Vietnamese or English.
#[derive(Clone)]
pub struct Error(Box<Inner>);

/// What an [`Error`] holds: the kind, and the error it came from (an I/O or a parser error),
/// kept for [`std::error::Error::source`].
#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl PartialEq for Error {
    /// Two errors are equal when their kinds are (the source is context).
    fn eq(&self, other: &Error) -> bool {
        self.0.kind == other.0.kind
    }
}

impl Eq for Error {}

impl From<ErrorKind> for Error {
    #[cold]
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(Inner { kind, source: None }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.kind, f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0.kind, f)
    }
}

impl std::error::Error for Error {
    /// The I/O or parser error this one came from, where there is one.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.source {
            Some(s) => Some(&**s as &(dyn std::error::Error + 'static)),
            None => std::error::Error::source(&self.0.kind),
        }
    }
}

impl Error {
    /// The kind of error: the specific variant, with the field and the value (as
    /// `std::io::Error::kind` and `csv::Error::kind` give theirs). Its stable name is
    /// [`Error::code`].
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The kind of error, owned.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// An error of `kind` that came from `source` (kept for [`std::error::Error::source`]).
    #[cold]
    pub(crate) fn with_source(
        kind: ErrorKind,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error(Box::new(Inner {
            kind,
            source: Some(std::sync::Arc::new(source)),
        }))
    }

    /// The stable, machine-readable name of the kind of error, as used in the `kind` field of
    /// error records ([formats §2](crate::docs::formats)): `invalid_money`, `lonely_psu` ….
    pub fn code(&self) -> &'static str {
        self.0.kind.code()
    }

    /// The field or column at fault, where the error names one.
    pub fn field(&self) -> Option<&str> {
        self.0.kind.field()
    }

    /// The message in a language (see [`ErrorKind::message`]).
    ///
    /// ```
    /// use chuan_ngheo::{Lang, Vnd};
    /// let e = Vnd::parse_non_negative("income_per_capita", "-5").unwrap_err();
    /// assert_eq!(e.message(Lang::En), "income_per_capita must be >= 0, got -5");
    /// assert_eq!(e.message(Lang::Vi), "income_per_capita phải từ 0 trở lên, nhận được -5");
    /// ```
    pub fn message(&self, lang: crate::standard::Lang) -> String {
        self.0.kind.message(lang)
    }

    pub(crate) fn invalid_standard(
        standard: &str,
        field: impl fmt::Display,
        reason: impl fmt::Display,
    ) -> Self {
        Error::from(ErrorKind::InvalidStandard {
            standard: standard.to_owned(),
            field: field.to_string(),
            reason: reason.to_string(),
        })
    }
}

impl ErrorKind {
    /// The stable, machine-readable name of the kind of error, as used in the `kind` field
    /// of error records ([formats §2](crate::docs::formats)).
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::InvalidMoney { .. } => "invalid_money",
            ErrorKind::NegativeMoney { .. } => "invalid_income",
            ErrorKind::InvalidArea { .. } => "invalid_area",
            ErrorKind::UnknownIndicator { .. } => "unknown_indicator",
            ErrorKind::IndicatorNotInStandard { .. } => "indicator_not_in_standard",
            ErrorKind::ContradictoryIndicator { .. } => "contradictory_indicator",
            ErrorKind::InvalidMembers { .. } => "invalid_members",
            ErrorKind::InvalidScore { .. } => "invalid_score",
            ErrorKind::NoReviewScores { .. } => "no_review_scores",
            ErrorKind::NoStandardForYear { .. } => "no_standard_for_year",
            ErrorKind::UnknownStandard { .. } => "unknown_standard",
            ErrorKind::YearOutsideStandard { .. } => "year_outside_standard",
            ErrorKind::Restored { kind, .. } => kind,
            ErrorKind::YearOutOfRange { .. } => "invalid_year",
            ErrorKind::NoStandardGiven => "no_standard_given",
            ErrorKind::InvalidFact { .. } => "invalid_fact",
            ErrorKind::NoMembers => "no_members",
            ErrorKind::NoVariance { .. } => "no_variance",
            ErrorKind::LonelyPsu { .. } => "lonely_psu",
            ErrorKind::MemberRow { detail, .. } => detail.code(),
            ErrorKind::MemberOutOfOrder { .. } => "member_out_of_order",
            ErrorKind::MembersMismatch { .. } => "members_mismatch",
            ErrorKind::InvalidStandard { .. } => "invalid_standard",
            ErrorKind::Missing { .. } => "missing_field",
            ErrorKind::InvalidValue { .. } => "invalid_value",
            ErrorKind::Json { .. } => "invalid_json",
            ErrorKind::Csv { .. } => "csv",
            ErrorKind::StandardMismatch { .. } => "standard_mismatch",
            ErrorKind::Incomparable { .. } => "incomparable",
            ErrorKind::StandardBreak { .. } => "standard_break",
        }
    }

    /// The message in a language: English as [`Display`](fmt::Display) writes it, or
    /// Vietnamese for a review app's official. The field and value are named in both; a
    /// parser's own detail (a JSON syntax error) stays as the parser wrote it.
    ///
    /// ```
    /// use chuan_ngheo::{Lang, Vnd};
    /// let e = Vnd::parse_non_negative("income_per_capita", "-5").unwrap_err();
    /// assert_eq!(e.message(Lang::En), "income_per_capita must be >= 0, got -5");
    /// assert_eq!(e.message(Lang::Vi), "income_per_capita phải từ 0 trở lên, nhận được -5");
    /// ```
    pub fn message(&self, lang: crate::standard::Lang) -> String {
        use crate::standard::Lang;
        if lang == Lang::En {
            return self.to_string();
        }
        let context = |c: &str| match c {
            "household record" => "hồ sơ hộ",
            "standard file" => "tệp chuẩn nghèo",
            "built-in standard file" => "tệp chuẩn nghèo có sẵn",
            "reform file" => "tệp phương án giả định",
            "target set" => "tệp chỉ tiêu",
            "series file" => "tệp số liệu",
            "saved report" => "báo cáo đã lưu",
            _ => "tài liệu JSON",
        };
        match self {
            ErrorKind::InvalidMoney { field, value } => {
                format!("{field} phải là số tiền (đồng) viết dạng số thập phân, nhận được {value:?}")
            }
            ErrorKind::NegativeMoney { field, value } => {
                format!("{field} phải từ 0 trở lên, nhận được {value}")
            }
            ErrorKind::InvalidArea { value } => {
                format!("khu vực phải là nông thôn hoặc thành thị (rural, urban), nhận được {value:?}")
            }
            ErrorKind::UnknownIndicator { field, value } => {
                format!("{field}: không có chỉ số mang mã {value:?}")
            }
            ErrorKind::IndicatorNotInStandard {
                field,
                indicator,
                standard,
            } => format!("{field}: {indicator} không phải là chỉ số của chuẩn {standard}"),
            ErrorKind::ContradictoryIndicator { indicator } => format!(
                "chỉ số {indicator} vừa được ghi là thiếu hụt, vừa được ghi là không thiếu hụt hoặc chưa rõ"
            ),
            ErrorKind::InvalidMembers { value } => format!(
                "số nhân khẩu phải là số nguyên từ 1 trở lên (tối đa 4294967295), nhận được {value}"
            ),
            ErrorKind::InvalidScore {
                field,
                value,
                standard,
                reason,
            } => format!(
                "scores.{field} không phải là điểm rà soát hợp lệ của chuẩn {standard}: {value} ({})",
                reason.vi
            ),
            ErrorKind::NoReviewScores { standard } => format!(
                "chuẩn {standard} không có ngưỡng điểm rà soát: hãy phân loại theo thu nhập và các chỉ số thiếu hụt"
            ),
            ErrorKind::NoStandardForYear { year } => format!(
                "không có chuẩn nghèo quốc gia áp dụng cho năm {year} (các chuẩn quốc gia áp dụng cho giai đoạn 2016–2030)"
            ),
            ErrorKind::YearOutsideStandard { year, standard } => format!(
                "chuẩn {standard} không áp dụng cho năm {year}: hãy dùng chuẩn của năm đó, hoặc bỏ năm"
            ),
            ErrorKind::YearOutOfRange { field, year } => {
                format!("{field} phải là một năm từ 1900 đến 2200, nhận được {year}")
            }
            ErrorKind::Restored { vi, .. } => vi.clone(),
            ErrorKind::UnknownStandard { id } => format!("không có chuẩn nghèo mang mã {id:?}"),
            ErrorKind::InvalidFact {
                member,
                field,
                value,
                reason,
            } => format!(
                "{}{field}: giá trị không hợp lệ {value:?} ({})",
                member.map(|m| format!("thành viên thứ {m}: ")).unwrap_or_default(),
                reason.vi
            ),
            ErrorKind::NoVariance {
                psus,
                strata,
                rejected,
            } => format!(
                "độ chính xác: {}{}",
                if *psus == 0 {
                    "mẫu không có đơn vị mẫu cấp 1 (PSU) nào (không dòng nào được nhận)".to_owned()
                } else {
                    format!("{psus} PSU trong {strata} tầng không để lại bậc tự do nào (bậc tự do = số PSU − số tầng): cần ít nhất hai PSU trong một tầng để ước lượng phương sai")
                },
                rejected.vi()
            ),
            ErrorKind::LonelyPsu { stratum, rejected } => format!(
                "độ chính xác: tầng {stratum:?} chỉ có một đơn vị mẫu cấp 1 (PSU) nên không ước lượng được phương sai; hãy chọn cách xử lý (--lonely-psu adjust hoặc skip) hoặc gộp tầng{}",
                rejected.vi()
            ),
            ErrorKind::NoMembers => {
                "hộ không có thành viên nào (facts.members rỗng, hoặc bảng thành viên không có dòng nào của hộ)".into()
            }
            ErrorKind::MemberRow { line, detail } => {
                format!("bảng thành viên dòng {line}: {}", detail.message(Lang::Vi))
            }
            ErrorKind::MemberOutOfOrder {
                line,
                household,
                window,
            } => format!(
                "bảng thành viên dòng {line}: không có hộ {household:?} trong {window} hộ trước hoặc sau vị trí này của bảng hộ; hai bảng phải liệt kê các hộ theo cùng một thứ tự, và hộ của mỗi dòng thành viên phải có trong bảng hộ"
            ),
            ErrorKind::MembersMismatch { given, listed } => format!(
                "members ghi {given} nhưng facts.members liệt kê {listed} thành viên"
            ),
            ErrorKind::NoStandardGiven => {
                "hồ sơ hộ cần có năm hoặc chuẩn nghèo (trong hồ sơ hoặc trên dòng lệnh)".into()
            }
            ErrorKind::InvalidStandard {
                standard,
                field,
                reason,
            } => format!("chuẩn {standard} không hợp lệ: {field}: {reason}"),
            ErrorKind::Missing { field } => format!("thiếu {field}"),
            ErrorKind::InvalidValue {
                field,
                value,
                reason,
            } => format!("{field}: giá trị không hợp lệ {value:?} ({})", reason.vi),
            ErrorKind::Json { context: c, message } => {
                format!("{}: không đọc được ({message})", context(c))
            }
            ErrorKind::Csv { message } => format!("tệp CSV: {message}"),
            ErrorKind::StandardMismatch { what, left, right } => {
                format!("{what}: chuẩn {left} và chuẩn {right} khác nhau")
            }
            ErrorKind::Incomparable { why } => why.vi(),
            ErrorKind::StandardBreak {
                from_year,
                from_standard,
                to_year,
                to_standard,
            } => format!(
                "chuỗi số liệu đổi chuẩn giữa năm {from_year} ({from_standard}) và năm {to_year} ({to_standard}): thay đổi qua hai chuẩn khác nhau không phải là thay đổi về nghèo; hãy dùng số liệu năm gốc tính lại theo chuẩn {to_standard}"
            ),
        }
    }

    /// The field or column at fault, where the error names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ErrorKind::InvalidMoney { field, .. }
            | ErrorKind::NegativeMoney { field, .. }
            | ErrorKind::UnknownIndicator { field, .. }
            | ErrorKind::IndicatorNotInStandard { field, .. }
            | ErrorKind::InvalidScore { field, .. } => Some(field),
            ErrorKind::InvalidArea { .. } => Some("area"),
            ErrorKind::ContradictoryIndicator { .. } => Some("not_deprived"),
            ErrorKind::InvalidMembers { .. } => Some("members"),
            ErrorKind::InvalidFact { field, .. } => Some(field),
            ErrorKind::NoMembers => Some("facts.members"),
            ErrorKind::LonelyPsu { .. } => Some("psu"),
            ErrorKind::MemberRow { detail, .. } => detail.field(),
            ErrorKind::MemberOutOfOrder { .. } => Some("household_id"),
            ErrorKind::MembersMismatch { .. } => Some("members"),
            ErrorKind::NoReviewScores { .. } => Some("scores"),
            ErrorKind::NoStandardForYear { .. } => Some("year"),
            ErrorKind::UnknownStandard { .. } => Some("standard"),
            ErrorKind::YearOutsideStandard { .. } => Some("year"),
            ErrorKind::YearOutOfRange { field, .. } => Some(field),
            ErrorKind::Restored { field, .. } => field.as_deref(),
            ErrorKind::InvalidStandard { field, .. }
            | ErrorKind::Missing { field }
            | ErrorKind::InvalidValue { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// How much of a bad value an error keeps: enough to find it, never a whole 5 MB cell.
const EXCERPT_CHARS: usize = 64;

/// `text`, or its first characters and its length when it is long: what an error message keeps
/// of a bad value.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}… ({} bytes)", &text[..cut], text.len()),
    }
}

/// [`excerpt`] of bytes read from a file (invalid UTF-8 replaced).
pub(crate) fn excerpt_bytes(bytes: &[u8]) -> String {
    // Decode no more than the excerpt can show: four bytes a character at most.
    let head = &bytes[..bytes.len().min(EXCERPT_CHARS * 4 + 4)];
    // Bytes that are not UTF-8 are shown escaped (`\xff`), so two different ids never look
    // alike in a message.
    let text = match std::str::from_utf8(head) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            let mut out = String::new();
            for chunk in head.utf8_chunks() {
                out.push_str(chunk.valid());
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            std::borrow::Cow::Owned(out)
        }
    };
    match text.char_indices().nth(EXCERPT_CHARS) {
        None if head.len() == bytes.len() => text.into_owned(),
        None => format!("{text}… ({} bytes)", bytes.len()),
        Some((cut, _)) => format!("{}… ({} bytes)", &text[..cut], bytes.len()),
    }
}

/// Why two things cannot be combined or compared ([`ErrorKind::Incomparable`]), each with
/// its words in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Incompatibility {
    /// A measure on income (exit paths, the cliff) asked of a household classified on review
    /// scores.
    NeedsIncome {
        /// The measure.
        measure: &'static str,
    },
    /// A report's Alkire–Foster weights asked to change after households were added.
    AfWeightsFixed,
    /// Reports with different groupings or Alkire–Foster settings merged.
    MergeSettings,
    /// A report with survey precision merged with one without.
    MergePrecision,
    /// Precision tallies with and without design columns, or with other settings, merged.
    MergeDesign,
    /// Reports whose counts are too large to add merged.
    MergeOverflow,
    /// A weighted report merged with an unweighted one.
    MergeWeighted,
    /// An Alkire–Foster change between reports of other settings, or not in year order.
    AfChange {
        /// The earlier report's year.
        year: i32,
        /// The later report's year.
        later_year: i32,
    },
    /// Two observations of one target for one year under one standard.
    DuplicateObservation {
        /// The target.
        target: String,
        /// The year.
        year: i32,
        /// The standard.
        standard: String,
    },
    /// A change whose later year does not come after the earlier.
    YearsOutOfOrder {
        /// The earlier year.
        earlier: i32,
        /// The later year.
        later: i32,
    },
}

impl Incompatibility {
    /// In English.
    pub fn en(&self) -> String {
        match self {
            Incompatibility::NeedsIncome { measure } => {
                format!("{measure} need a household classified on income, not review scores")
            }
            Incompatibility::AfWeightsFixed => "the Alkire-Foster weights of a report cannot change after households were added".into(),
            Incompatibility::MergeSettings => "merging reports with different groupings or Alkire-Foster settings".into(),
            Incompatibility::MergePrecision => "merging a report with survey precision and one without".into(),
            Incompatibility::MergeDesign => "precision reports with and without design columns, or with other settings, do not merge".into(),
            Incompatibility::MergeOverflow => "merging reports whose counts are too large to add".into(),
            Incompatibility::MergeWeighted => "merging a weighted report and an unweighted one: the unweighted households would count in no weighted rate".into(),
            Incompatibility::AfChange { year, later_year } => format!("Alkire-Foster change from {year} to {later_year}: the same settings and a later year are needed"),
            Incompatibility::DuplicateObservation { target, year, standard } => format!("{target}: two observations for {year} under {standard}"),
            Incompatibility::YearsOutOfOrder { earlier, later } => format!("change from {earlier} to {later}: the later year must come after"),
        }
    }

    /// In Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            Incompatibility::NeedsIncome { measure } => {
                let measure = match *measure {
                    "exit paths" => "lộ trình thoát nghèo",
                    _ => "khoảng cách tới ngưỡng",
                };
                format!("{measure} cần một hộ được phân loại theo thu nhập, không theo điểm rà soát")
            }
            Incompatibility::AfWeightsFixed => "không thể đổi trọng số Alkire-Foster của một báo cáo sau khi đã thêm hộ".into(),
            Incompatibility::MergeSettings => "gộp các báo cáo có cách phân nhóm hoặc thiết lập Alkire-Foster khác nhau".into(),
            Incompatibility::MergePrecision => "gộp một báo cáo có tính sai số chọn mẫu với một báo cáo không có".into(),
            Incompatibility::MergeDesign => "không gộp được báo cáo sai số có và không có cột thiết kế mẫu, hoặc có thiết lập khác nhau".into(),
            Incompatibility::MergeOverflow => "gộp các báo cáo có số đếm quá lớn để cộng".into(),
            Incompatibility::MergeWeighted => "gộp một báo cáo có quyền số với một báo cáo không có: các hộ không có quyền số sẽ không được tính vào tỷ lệ nào có quyền số".into(),
            Incompatibility::AfChange { year, later_year } => format!("thay đổi Alkire-Foster từ {year} đến {later_year}: cần cùng thiết lập và một năm sau"),
            Incompatibility::DuplicateObservation { target, year, standard } => format!("{target}: hai số liệu cho năm {year} theo chuẩn {standard}"),
            Incompatibility::YearsOutOfOrder { earlier, later } => format!("thay đổi từ {earlier} đến {later}: năm sau phải đến sau năm trước"),
        }
    }
}

/// The rows a report rejected, as a design error names them: a row left out for a bad weight
/// or id can leave its stratum with one PSU, and the error should say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RejectedRows {
    /// Rows rejected.
    pub rows: u64,
    /// The line of the first one listed.
    pub first_line: Option<u64>,
}

impl RejectedRows {
    fn en(&self) -> String {
        match (self.rows, self.first_line) {
            (0, _) => String::new(),
            (n, Some(l)) => format!("; {n} row(s) were rejected (the first on line {l}), and a row left out can leave its stratum with too few PSUs: see the rejected rows"),
            (n, None) => format!("; {n} row(s) were rejected, and a row left out can leave its stratum with too few PSUs: see the rejected rows"),
        }
    }

    fn vi(&self) -> String {
        match (self.rows, self.first_line) {
            (0, _) => String::new(),
            (n, Some(l)) => format!("; {n} dòng bị loại (dòng đầu tiên: dòng {l}), và một dòng bị loại có thể làm tầng của nó thiếu PSU: xem các dòng bị loại"),
            (n, None) => format!("; {n} dòng bị loại, và một dòng bị loại có thể làm tầng của nó thiếu PSU: xem các dòng bị loại"),
        }
    }
}

fn no_variance_en(psus: u64, strata: u64) -> String {
    if psus == 0 {
        "the sample has no PSU (no accepted row)".to_owned()
    } else {
        format!("{psus} PSU(s) in {strata} strata leave no degree of freedom (df = PSUs - strata): a variance needs at least two PSUs in some stratum")
    }
}

/// Every code [`ErrorKind::code`] gives: a saved error's kind is read back as one of these.
pub(crate) const KINDS: &[&str] = &[
    "invalid_money",
    "invalid_income",
    "invalid_area",
    "unknown_indicator",
    "indicator_not_in_standard",
    "contradictory_indicator",
    "invalid_members",
    "invalid_score",
    "no_review_scores",
    "no_standard_for_year",
    "unknown_standard",
    "year_outside_standard",
    "invalid_year",
    "no_standard_given",
    "invalid_fact",
    "no_members",
    "no_variance",
    "lonely_psu",
    "member_out_of_order",
    "members_mismatch",
    "invalid_standard",
    "missing_field",
    "invalid_value",
    "invalid_json",
    "csv",
    "standard_mismatch",
    "incomparable",
    "standard_break",
];

/// The crate's own name for a kind read from a file, or `None` for a kind it never gives.
pub(crate) fn known_kind(kind: &str) -> Option<&'static str> {
    KINDS.iter().find(|k| **k == kind).copied()
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    #[test]
    fn every_incompatibility_is_written_in_both_languages() {
        use crate::standard::Lang;
        let all = [
            Incompatibility::NeedsIncome {
                measure: "exit paths",
            },
            Incompatibility::NeedsIncome {
                measure: "the cliff's distances",
            },
            Incompatibility::AfWeightsFixed,
            Incompatibility::MergeSettings,
            Incompatibility::MergePrecision,
            Incompatibility::MergeDesign,
            Incompatibility::MergeOverflow,
            Incompatibility::MergeWeighted,
            Incompatibility::AfChange {
                year: 2024,
                later_year: 2023,
            },
            Incompatibility::DuplicateObservation {
                target: "t".into(),
                year: 2023,
                standard: "vn-2022-2025".into(),
            },
            Incompatibility::YearsOutOfOrder {
                earlier: 2024,
                later: 2023,
            },
        ];
        for why in all {
            let e = Error::from(ErrorKind::Incomparable { why: why.clone() });
            assert_eq!(e.code(), "incomparable");
            assert_eq!(e.to_string(), why.en());
            let vi = e.message(Lang::Vi);
            assert_ne!(vi, why.en());
            // No English sentence inside the Vietnamese one.
            for word in ["merging", "need a", "cannot", "must come"] {
                assert!(!vi.contains(word), "{vi}");
            }
        }
    }

    #[test]
    fn every_kind_the_crate_gives_is_one_a_saved_error_can_be_read_back_as() {
        // The arms of ErrorKind::code, read from this file: each code is in KINDS, and KINDS
        // holds no other.
        let src = include_str!("error.rs");
        let start = src.find("impl ErrorKind {").unwrap();
        let body = &src[start..];
        let body = &body[..body.find("    /// The message in a language").unwrap()];
        let mut arms: Vec<&str> = body
            .split("=> \"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        arms.sort_unstable();
        let mut kinds = KINDS.to_vec();
        kinds.sort_unstable();
        assert_eq!(arms, kinds);
        assert_eq!(known_kind("lonely_psu"), Some("lonely_psu"));
        assert_eq!(known_kind("restored"), None);
    }

    use super::*;

    #[test]
    fn errors_keep_a_short_excerpt_of_a_long_value() {
        assert_eq!(excerpt("short"), "short");
        let long = "ă".repeat(5_000_000);
        let e = excerpt(&long);
        assert!(e.chars().count() < 100, "{e}");
        assert!(e.ends_with("… (10000000 bytes)"), "{e}");
        let e = excerpt_bytes(long.as_bytes());
        assert!(
            e.starts_with("ăăă") && e.ends_with("(10000000 bytes)"),
            "{e}"
        );
        assert_eq!(excerpt_bytes(b"abc"), "abc");
        assert_eq!(excerpt_bytes(b"\xff"), "\\xff");
        assert_eq!(excerpt_bytes(b"a\xfeb"), "a\\xfeb");
    }
}
