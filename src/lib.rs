#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's contracts and a map of the law, as documentation.
pub mod docs {
    /// The file contracts: household record, result, households table, report, and the
    /// standard, reform, target-set and series files.
    pub mod formats {
        #![doc = include_str!("docs/formats.md")]
    }
    /// The law's structure, in short: which standard applies when, the classes with their
    /// citations, the provenance marks, review scores, targets.
    pub mod law {
        #![doc = include_str!("docs/law.md")]
    }
    /// Household facts and the indicator rules that turn them into deprivations: the fact
    /// vocabulary, the rules of each standard with their marks, unknown facts, the two-table
    /// CSV.
    pub mod facts {
        #![doc = include_str!("docs/facts.md")]
    }
}

mod classify;
mod decimal;
mod error;
pub mod exit;
pub mod facts;
mod hash;
mod household;
mod indicator;
mod json;
mod lang;
mod money;
pub mod population;
pub mod records;
pub mod reform;
pub mod standard;
pub mod target;
pub mod transition;
pub mod year;

pub use classify::{classify, Assessment, ByClass, ClassMatrix, PovertyClass, Rule};
pub use error::{Error, ErrorKind, Field, Incompatibility, Reason, RejectedRows, Result};
pub use household::{Evidence, Household, ReviewScore};
pub use indicator::{Answer, Area, ByArea, Dimension, Indicator, IndicatorIter, IndicatorSet};
pub use money::Vnd;
pub use population::{report, report_stream, Report};
pub use records::{
    AssessmentRecord, ExplanationRecord, HouseholdRecord, RawNumber, StandardChoice, YearBasis,
};
pub use reform::Reform;
pub use standard::IncomeLine;
pub use standard::{
    Citation, Lang, Provenance, Registry, Standard, StandardData, Text, DATA_VERSION,
};

#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod testing;

/// The `rust_decimal` crate this crate is built with.
pub use rust_decimal;
/// The decimal type of every amount and rate ([`rust_decimal::Decimal`]), re-exported so that
/// a user's crate need not match versions by hand.
pub use rust_decimal::Decimal;
