//! Years, bounded where they are read.
//!
//! Poverty figures of this programme are dated from the 2000s to the 2030s. The crate reads
//! any year from 1900 to 2200 and refuses the rest, so that arithmetic on years (spans of a
//! target, changes per year) is exact and cannot overflow.

use crate::error::ErrorKind;
use crate::error::{Error, Field, Result};

/// The earliest year the crate reads.
pub const MIN_YEAR: i32 = 1900;
/// The latest year the crate reads.
pub const MAX_YEAR: i32 = 2200;

/// `year` if it lies within [`MIN_YEAR`]..=[`MAX_YEAR`], or an error naming `field`.
pub fn check(field: Field, year: i32) -> Result<i32> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(Error::from(ErrorKind::YearOutOfRange {
            field,
            year: i64::from(year),
        }))
    }
}

/// The years from `from` to `to` (may be negative), both checked.
pub fn span(field: Field, from: i32, to: i32) -> Result<i32> {
    Ok(check(field, to)? - check(field, from)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_read_from_1900_to_2200() {
        assert_eq!(check("year", 1900), Ok(1900));
        assert_eq!(check("year", 2200), Ok(2200));
        assert!(check("year", 1899).is_err());
        assert!(check("year", 2201).is_err());
        assert!(check("year", i32::MIN).is_err());
        assert_eq!(span("year", 2025, 2016), Ok(-9));
        assert!(span("year", i32::MIN, i32::MAX).is_err());
    }
}
