//! The two languages of every explanation, message and rendered citation.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ErrorKind;
use crate::error::{Error, Result};

/// The language of a rendered explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    #[default]
    En,
}

impl std::str::FromStr for Lang {
    type Err = Error;
    /// Parses `vi` or `en` (see [`Lang::parse`]).
    fn from_str(s: &str) -> Result<Lang> {
        Lang::parse(s)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        })
    }
}

impl Lang {
    /// Parses `vi` or `en`.
    pub fn parse(text: &str) -> Result<Lang> {
        match text.trim() {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(Error::from(ErrorKind::InvalidValue {
                field: "lang".into(),
                value: other.into(),
                reason: crate::error::Reason::new("expected vi or en", "phải là vi hoặc en"),
            })),
        }
    }
}

/// `text` in Unicode normalization form C, borrowed when it already is (ASCII always is).
/// Every text matched against the crate's Vietnamese vocabulary goes through it, so `nông
/// thôn` typed with combining marks (NFD) is `nông thôn`.
pub(crate) fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}
