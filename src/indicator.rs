//! Areas, deprivation dimensions and indicators, and the bitset of deprivations.
//!
//! Codes are exactly those of [the law's structure](crate::docs::law): `health_access` only in the 2016–2020
//! standard; `employment`, `dependants`, `nutrition` from 2022; `waste` and `digital_services`
//! from 2027.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ErrorKind;
use crate::error::{Error, Result};

/// Where the household resides (khu vực): the poverty line differs by area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// Nông thôn.
    Rural,
    /// Thành thị (called đô thị in Decree 351/2025).
    Urban,
}

impl Area {
    /// Both areas, rural first.
    pub const ALL: [Area; 2] = [Area::Rural, Area::Urban];

    /// The English code used in files: `rural` or `urban`.
    pub const fn code(self) -> &'static str {
        match self {
            Area::Rural => "rural",
            Area::Urban => "urban",
        }
    }

    /// The Vietnamese name.
    pub const fn name_vi(self) -> &'static str {
        match self {
            Area::Rural => "nông thôn",
            Area::Urban => "thành thị",
        }
    }

    /// Parses `rural`/`urban` or the Vietnamese `nông thôn`, `thành thị`, `đô thị`
    /// (case-insensitive, surrounding blanks allowed).
    ///
    /// ```
    /// use chuan_ngheo::Area;
    /// assert_eq!(Area::parse("Nông thôn").unwrap(), Area::Rural);
    /// assert_eq!(Area::parse("đô thị").unwrap(), Area::Urban);
    /// assert!(Area::parse("mountain").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Area> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("rural") {
            return Ok(Area::Rural);
        }
        if t.eq_ignore_ascii_case("urban") {
            return Ok(Area::Urban);
        }
        // Vietnamese written decomposed (NFD, as some clients and input methods send it) is
        // the same word: compared in NFC.
        match crate::lang::nfc(&t.to_lowercase()).as_ref() {
            "nông thôn" => Ok(Area::Rural),
            "thành thị" | "đô thị" => Ok(Area::Urban),
            _ => Err(Error::from(ErrorKind::InvalidArea {
                value: crate::error::excerpt(text),
            })),
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

impl FromStr for Area {
    type Err = Error;
    fn from_str(s: &str) -> Result<Area> {
        Area::parse(s)
    }
}

impl Serialize for Area {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Area {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Area::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A pair of values, one per area: how the law states its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByArea<T> {
    /// The value for rural households.
    pub rural: T,
    /// The value for urban households.
    pub urban: T,
}

impl<T> ByArea<T> {
    /// The value for `area`.
    #[inline]
    pub fn get(&self, area: Area) -> &T {
        match area {
            Area::Rural => &self.rural,
            Area::Urban => &self.urban,
        }
    }

    /// Applies `f` to both values.
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> ByArea<U> {
        ByArea {
            rural: f(&self.rural),
            urban: f(&self.urban),
        }
    }
}

/// A dimension of deprivation (a basic social service, dịch vụ xã hội cơ bản).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Việc làm.
    Employment,
    /// Y tế.
    Health,
    /// Giáo dục.
    Education,
    /// Nhà ở.
    Housing,
    /// Nước sinh hoạt và vệ sinh.
    WaterAndSanitation,
    /// Thông tin.
    Information,
}

impl Dimension {
    /// All dimensions in the order of the decrees.
    pub const ALL: [Dimension; 6] = [
        Dimension::Employment,
        Dimension::Health,
        Dimension::Education,
        Dimension::Housing,
        Dimension::WaterAndSanitation,
        Dimension::Information,
    ];

    /// The snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            Dimension::Employment => "employment",
            Dimension::Health => "health",
            Dimension::Education => "education",
            Dimension::Housing => "housing",
            Dimension::WaterAndSanitation => "water_and_sanitation",
            Dimension::Information => "information",
        }
    }

    /// The Vietnamese name.
    pub const fn name_vi(self) -> &'static str {
        match self {
            Dimension::Employment => "Việc làm",
            Dimension::Health => "Y tế",
            Dimension::Education => "Giáo dục",
            Dimension::Housing => "Nhà ở",
            Dimension::WaterAndSanitation => "Nước sinh hoạt và vệ sinh",
            Dimension::Information => "Thông tin",
        }
    }

    /// The English name.
    pub const fn name_en(self) -> &'static str {
        match self {
            Dimension::Employment => "Employment",
            Dimension::Health => "Health",
            Dimension::Education => "Education",
            Dimension::Housing => "Housing",
            Dimension::WaterAndSanitation => "Water and sanitation",
            Dimension::Information => "Information",
        }
    }
}

macro_rules! indicators {
    ($( $variant:ident = $code:literal, $dim:ident, $vi:literal, $en:literal; )*) => {
        /// A deprivation indicator (chỉ số đo lường mức độ thiếu hụt), by its code in
        /// [the law's structure](crate::docs::law). Which indicators a standard uses is the standard's data.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Indicator {
            $( #[doc = $vi] $variant, )*
        }

        impl Indicator {
            /// Every indicator known to the crate, in bit order.
            pub const ALL: [Indicator; indicators!(@count $($variant)*)] = [$(Indicator::$variant),*];

            /// The code used in files (`housing_area`).
            pub const fn code(self) -> &'static str {
                match self { $( Indicator::$variant => $code, )* }
            }

            /// The dimension (basic social service) the indicator measures.
            pub const fn dimension(self) -> Dimension {
                match self { $( Indicator::$variant => Dimension::$dim, )* }
            }

            /// The Vietnamese name used by the decrees.
            pub const fn name_vi(self) -> &'static str {
                match self { $( Indicator::$variant => $vi, )* }
            }

            /// The English name.
            pub const fn name_en(self) -> &'static str {
                match self { $( Indicator::$variant => $en, )* }
            }

            /// Looks up a code; `None` for an unknown one.
            pub fn from_code(code: &str) -> Option<Indicator> {
                match code { $( $code => Some(Indicator::$variant), )* _ => None }
            }
        }
    };
    (@count $($x:ident)*) => { <[()]>::len(&[$(indicators!(@unit $x)),*]) };
    (@unit $x:ident) => { () };
}

indicators! {
    HealthAccess = "health_access", Health, "Tiếp cận các dịch vụ y tế", "Access to health services";
    Employment = "employment", Employment, "Việc làm", "Employment";
    Dependants = "dependants", Employment, "Người phụ thuộc trong hộ gia đình", "Dependants in the household";
    Nutrition = "nutrition", Health, "Dinh dưỡng", "Nutrition";
    HealthInsurance = "health_insurance", Health, "Bảo hiểm y tế", "Health insurance";
    AdultEducation = "adult_education", Education, "Trình độ giáo dục của người lớn", "Adult education";
    ChildSchooling = "child_schooling", Education, "Tình trạng đi học của trẻ em", "Child school attendance";
    HousingQuality = "housing_quality", Housing, "Chất lượng nhà ở", "Housing quality";
    HousingArea = "housing_area", Housing, "Diện tích nhà ở bình quân đầu người", "Floor area per person";
    Water = "water", WaterAndSanitation, "Nguồn nước sinh hoạt", "Domestic water source";
    Sanitation = "sanitation", WaterAndSanitation, "Nhà tiêu hợp vệ sinh", "Hygienic latrine";
    Telecom = "telecom", Information, "Sử dụng dịch vụ viễn thông", "Use of telecommunication services";
    InformationAccess = "information_access", Information, "Phương tiện phục vụ tiếp cận thông tin", "Means of information access";
    Waste = "waste", WaterAndSanitation, "Thu gom, xử lý chất thải sinh hoạt", "Domestic waste treatment";
    DigitalServices = "digital_services", Information, "Sử dụng dịch vụ số, Internet", "Use of digital services and the internet";
}

impl Indicator {
    /// Parses a code, naming `field` in the error.
    pub fn parse_field(field: crate::error::Field, code: &str) -> Result<Indicator> {
        Indicator::from_code(code.trim()).ok_or_else(|| {
            Error::from(ErrorKind::UnknownIndicator {
                field,
                value: crate::error::excerpt(code),
            })
        })
    }

    #[inline]
    const fn bit(self) -> u16 {
        1 << (self as u8)
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

impl FromStr for Indicator {
    type Err = Error;
    fn from_str(s: &str) -> Result<Indicator> {
        Indicator::parse_field("indicator", s)
    }
}

impl Serialize for Indicator {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Indicator {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Indicator::from_code(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown indicator code {s:?}")))
    }
}

/// A set of indicators as a bitset: the deprivations of a household, the indicators of a
/// standard, the unknown answers. Copy, allocation-free, and iterated in bit order.
///
/// ```
/// use chuan_ngheo::{Indicator, IndicatorSet};
/// let d = IndicatorSet::from_iter([Indicator::Water, Indicator::Sanitation]);
/// assert_eq!(d.len(), 2);
/// assert!(d.contains(Indicator::Water));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct IndicatorSet(u16);

impl IndicatorSet {
    /// The empty set.
    pub const EMPTY: IndicatorSet = IndicatorSet(0);

    /// The set from its raw bits (bit `i` is `Indicator::ALL[i]`); bits of no indicator are dropped.
    pub const fn from_bits(bits: u16) -> Self {
        IndicatorSet(bits & ((1 << Indicator::ALL.len()) - 1))
    }

    /// The raw bits.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The number of indicators in the set.
    #[inline]
    pub const fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether `i` is in the set.
    #[inline]
    pub const fn contains(self, i: Indicator) -> bool {
        self.0 & i.bit() != 0
    }

    /// Adds `i`.
    #[inline]
    pub fn insert(&mut self, i: Indicator) {
        self.0 |= i.bit();
    }

    /// Removes `i`.
    pub fn remove(&mut self, i: Indicator) {
        self.0 &= !i.bit();
    }

    /// The set with `i` added.
    pub const fn with(self, i: Indicator) -> Self {
        IndicatorSet(self.0 | i.bit())
    }

    /// Union.
    #[inline]
    pub const fn union(self, o: IndicatorSet) -> Self {
        IndicatorSet(self.0 | o.0)
    }

    /// Intersection.
    #[inline]
    pub const fn intersection(self, o: IndicatorSet) -> Self {
        IndicatorSet(self.0 & o.0)
    }

    /// The indicators of `self` not in `o`.
    #[inline]
    pub const fn difference(self, o: IndicatorSet) -> Self {
        IndicatorSet(self.0 & !o.0)
    }

    /// Whether every indicator of `self` is in `o`.
    #[inline]
    pub const fn is_subset(self, o: IndicatorSet) -> bool {
        self.0 & !o.0 == 0
    }

    /// The first indicator of `self` (in bit order), if any.
    pub fn first(self) -> Option<Indicator> {
        self.iter().next()
    }

    /// The bit positions of the set, in order (each < 16): for indexing per-indicator arrays
    /// of 16 slots without bounds checks.
    #[inline]
    pub fn positions(self) -> impl Iterator<Item = usize> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let i = bits.trailing_zeros() as usize & 15;
                bits &= bits - 1;
                i
            })
        })
    }

    /// The indicators, in bit order.
    pub fn iter(self) -> IndicatorIter {
        IndicatorIter(self.0)
    }
}

/// Iterator over an [`IndicatorSet`].
#[derive(Debug, Clone)]
pub struct IndicatorIter(u16);

impl Iterator for IndicatorIter {
    type Item = Indicator;
    fn next(&mut self) -> Option<Indicator> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Indicator::ALL.get(i).copied()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.0.count_ones() as usize;
        (n, Some(n))
    }
}

impl ExactSizeIterator for IndicatorIter {}

impl fmt::Display for IndicatorSet {
    /// The codes, comma-separated (`water, sanitation`); `none` for the empty set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.pad("none");
        }
        let codes: Vec<&str> = self.iter().map(Indicator::code).collect();
        // Width and alignment apply to the whole list.
        f.pad(&codes.join(", "))
    }
}

impl IntoIterator for IndicatorSet {
    type Item = Indicator;
    type IntoIter = IndicatorIter;
    fn into_iter(self) -> IndicatorIter {
        self.iter()
    }
}

impl FromIterator<Indicator> for IndicatorSet {
    fn from_iter<I: IntoIterator<Item = Indicator>>(it: I) -> Self {
        let mut s = IndicatorSet::EMPTY;
        for i in it {
            s.insert(i);
        }
        s
    }
}

impl Serialize for IndicatorSet {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for IndicatorSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Vec::<Indicator>::deserialize(d)?.into_iter().collect())
    }
}

/// The answer to one indicator for one household: deprived, not deprived, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// The household is deprived in the indicator (thiếu hụt).
    Deprived,
    /// The household is known not to be deprived.
    NotDeprived,
    /// Not asked or not answered.
    Unknown,
}

/// The largest total of relative indicator weights, once divided by their common factor: it
/// bounds the deprivation scores an Alkire–Foster tally keeps a row for.
pub const MAX_TOTAL_WEIGHT: u64 = 4096;

/// Why a set of weights is refused when [`reduce_weights`] finds it too large.
pub(crate) const WEIGHT_TOTAL_REASON: crate::error::Reason = crate::error::Reason::new(
    "relative weights must add up to at most 4096 once divided by their common factor",
    "tổng các trọng số tương đối, sau khi chia cho ước chung, không được vượt quá 4096",
);

/// Greatest common divisor (Euclid).
pub(crate) fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Divides relative weights (zeros ignored) by their common factor and returns their total,
/// or `None` when it is above [`MAX_TOTAL_WEIGHT`]. One rule for a standard's `af_weights` and
/// for an analyst's own weighting.
pub(crate) fn reduce_weights(weights: &mut [u64]) -> Option<u64> {
    let g = weights.iter().copied().filter(|w| *w > 0).fold(0, gcd);
    if g > 1 {
        for w in weights.iter_mut() {
            *w /= g;
        }
    }
    let total = weights.iter().try_fold(0u64, |t, w| t.checked_add(*w))?;
    (total <= MAX_TOTAL_WEIGHT).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_dimensions_are_the_decrees() {
        assert_eq!(Indicator::ALL.len(), 15);
        for i in Indicator::ALL {
            assert_eq!(Indicator::from_code(i.code()), Some(i));
        }
        assert_eq!(Indicator::Dependants.dimension(), Dimension::Employment);
        assert_eq!(Indicator::Nutrition.dimension(), Dimension::Health);
        assert_eq!(Indicator::Telecom.dimension(), Dimension::Information);
        assert_eq!(Indicator::from_code("deprivation"), None);
    }

    #[test]
    fn set_operations() {
        let a = IndicatorSet::from_iter([Indicator::Water, Indicator::Waste]);
        let b = IndicatorSet::EMPTY.with(Indicator::Water);
        assert!(b.is_subset(a));
        assert_eq!(
            a.difference(b).iter().collect::<Vec<_>>(),
            vec![Indicator::Waste]
        );
        assert_eq!(IndicatorSet::from_bits(u16::MAX).len(), 15);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"["water","waste"]"#);
        assert_eq!(serde_json::from_str::<IndicatorSet>(&json).unwrap(), a);
    }

    #[test]
    fn areas_parse_in_both_languages() {
        for (t, a) in [
            ("rural", Area::Rural),
            ("URBAN", Area::Urban),
            (" nông thôn ", Area::Rural),
            ("Thành thị", Area::Urban),
            ("đô thị", Area::Urban),
        ] {
            assert_eq!(Area::parse(t).unwrap(), a, "{t}");
        }
        assert!(matches!(
            Area::parse("suburb").map_err(Error::into_kind),
            Err(ErrorKind::InvalidArea { .. })
        ));
    }
}
