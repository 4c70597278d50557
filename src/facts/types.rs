//! The fact vocabulary of [facts §1](crate::docs::facts): member facts, household facts, and
//! their enumerations, with the Vietnamese terms of the review form.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::error::{excerpt, Error, ErrorKind, Result};
use crate::lang::Lang;

/// The highest age a member fact may give, in completed years.
pub const MAX_AGE: u8 = 130;

macro_rules! fact_enum {
    ($(#[$m:meta])* $name:ident { $( $variant:ident = $code:literal, $vi:literal, $en:literal; )* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( #[doc = concat!("`", $code, "`: ", $en, " (", $vi, ").")] $variant, )*
        }

        impl $name {
            /// Every value, in the order of the vocabulary.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The code used in files.
            pub const fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )* }
            }

            /// The name in a language, as an explanation shows it.
            pub const fn name(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( ($name::$variant, Lang::Vi) => $vi, ($name::$variant, Lang::En) => $en, )*
                }
            }

            /// Looks up a code; `None` for an unknown one.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $( $code => Some($name::$variant), )* _ => None }
            }

            /// Looks up a code given as bytes (a table cell).
            #[inline]
            #[allow(dead_code)]
            pub(crate) fn from_code_bytes(code: &[u8]) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code().as_bytes() == code)
            }

            /// Every code, for error messages.
            pub(crate) fn codes() -> String {
                let all: &[&str] = &[$($code),*];
                all.join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.code())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::from_code(&s).ok_or_else(|| {
                    D::Error::custom(format!(
                        "unknown {} {:?}, expected one of {}",
                        stringify!($name), excerpt(&s), $name::codes()
                    ))
                })
            }
        }
    };
}

fact_enum! {
    /// A member's labour situation (tình trạng việc làm).
    Labour {
        EmployedWithContract = "employed_with_contract", "làm công hưởng lương có hợp đồng lao động", "employed with a labour contract";
        EmployedWithoutContract = "employed_without_contract", "làm công hưởng lương không có hợp đồng lao động", "employed without a labour contract";
        SelfEmployed = "self_employed", "tự làm (nông nghiệp, kinh doanh hộ)", "self-employed";
        Unemployed = "unemployed", "thất nghiệp", "unemployed";
        NotInLabourForce = "not_in_labour_force", "không tham gia lực lượng lao động", "not in the labour force";
    }
}

fact_enum! {
    /// The highest level of education completed (trình độ giáo dục cao nhất đã hoàn thành).
    Education {
        None = "none", "chưa tốt nghiệp tiểu học", "none";
        Primary = "primary", "tiểu học", "primary";
        LowerSecondary = "lower_secondary", "trung học cơ sở", "lower secondary";
        UpperSecondary = "upper_secondary", "trung học phổ thông", "upper secondary";
        VocationalElementary = "vocational_elementary", "sơ cấp", "elementary vocational";
        VocationalIntermediate = "vocational_intermediate", "trung cấp", "intermediate vocational";
        College = "college", "cao đẳng", "college";
        University = "university", "đại học trở lên", "university or above";
    }
}

fact_enum! {
    /// The material of a main structure of the dwelling (kết cấu chính: tường, cột, mái).
    Material {
        Durable = "durable", "bền chắc", "durable";
        NonDurable = "non_durable", "không bền chắc", "non-durable";
    }
}

fact_enum! {
    /// The main source of domestic water (nguồn nước sinh hoạt).
    WaterSource {
        Piped = "piped", "nước máy", "piped water";
        Borehole = "borehole", "giếng khoan", "borehole";
        ProtectedDugWell = "protected_dug_well", "giếng đào được bảo vệ", "protected dug well";
        UnprotectedDugWell = "unprotected_dug_well", "giếng đào không được bảo vệ", "unprotected dug well";
        ProtectedSpring = "protected_spring", "nước khe/mó được bảo vệ", "protected spring";
        UnprotectedSpring = "unprotected_spring", "nước khe/mó không được bảo vệ", "unprotected spring";
        Rainwater = "rainwater", "nước mưa", "rainwater";
        Bottled = "bottled", "nước đóng chai, bình", "bottled or jar water";
        Vendor = "vendor", "nước mua (xe téc, xe đẩy)", "water from a vendor";
        Surface = "surface", "nước mặt (sông, hồ, ao, kênh)", "surface water";
        Other = "other", "nguồn khác", "other source";
    }
}

fact_enum! {
    /// The type of latrine (loại nhà tiêu).
    Latrine {
        Septic = "septic", "tự hoại", "septic tank";
        SemiSeptic = "semi_septic", "bán tự hoại", "semi-septic";
        PourFlush = "pour_flush", "dội nước", "pour-flush";
        DoubleVault = "double_vault", "hai ngăn", "double-vault";
        VentilatedPit = "ventilated_pit", "chìm có ống thông hơi", "ventilated pit";
        PitWithSlab = "pit_with_slab", "hố xí có bệ", "pit with slab";
        PitWithoutSlab = "pit_without_slab", "hố xí không có bệ", "pit without slab";
        Bucket = "bucket", "thùng", "bucket";
        Hanging = "hanging", "cầu tõm (trên mặt nước)", "hanging latrine";
        None = "none", "không có nhà tiêu", "no latrine";
        Other = "other", "loại khác", "other";
    }
}

fact_enum! {
    /// A means of information access owned (phương tiện tiếp cận thông tin).
    Device {
        Tv = "tv", "ti vi", "TV";
        Radio = "radio", "radio", "radio";
        Computer = "computer", "máy vi tính", "computer";
        Phone = "phone", "điện thoại", "telephone";
        Smartphone = "smartphone", "điện thoại thông minh", "smartphone";
        Tablet = "tablet", "máy tính bảng", "tablet";
    }
}

fact_enum! {
    /// How domestic waste is handled (thu gom, xử lý chất thải sinh hoạt).
    Waste {
        Collected = "collected", "được thu gom", "collected";
        Treated = "treated", "tự xử lý hợp vệ sinh", "treated at home";
        Untreated = "untreated", "vứt bỏ hoặc đốt lộ thiên", "untreated";
    }
}

fact_enum! {
    /// The name of a member fact, as rules and explanations name it.
    MemberFact {
        Age = "age", "tuổi", "age";
        Labour = "labour", "việc làm", "labour";
        SocialAllowance = "social_allowance", "trợ cấp xã hội hằng tháng", "monthly social allowance";
        Stunted = "stunted", "suy dinh dưỡng thể thấp còi", "stunted";
        Underweight = "underweight", "suy dinh dưỡng thể nhẹ cân", "underweight";
        HealthInsurance = "health_insurance", "thẻ bảo hiểm y tế", "health-insurance card";
        InSchool = "in_school", "đang đi học", "in school";
        LevelSuitedToAge = "level_suited_to_age", "học đúng cấp theo tuổi", "at the level suited to the age";
        Education = "education", "trình độ giáo dục", "highest education";
        IllUntreated = "ill_untreated", "ốm đau không khám chữa bệnh", "ill and untreated";
    }
}

fact_enum! {
    /// The name of a household fact, as rules and explanations name it.
    HouseholdFact {
        FloorAreaM2 = "floor_area_m2", "diện tích nhà ở (m²)", "floor area (m²)";
        Walls = "walls", "tường", "walls";
        Pillars = "pillars", "cột", "pillars";
        Roof = "roof", "mái", "roof";
        WaterSource = "water_source", "nguồn nước sinh hoạt", "water source";
        Latrine = "latrine", "nhà tiêu", "latrine";
        Internet = "internet", "sử dụng internet", "internet use";
        Phone = "phone", "thuê bao điện thoại", "telephone subscription";
        Devices = "devices", "phương tiện tiếp cận thông tin", "information devices";
        Loudspeaker = "loudspeaker", "loa truyền thanh", "loudspeaker";
        Waste = "waste", "chất thải sinh hoạt", "domestic waste";
    }
}

/// The kind of value a fact holds, for checking a rule's test against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueKind {
    Bool,
    Enum(&'static [&'static str]),
    Number,
    Devices,
}

macro_rules! codes_of {
    ($t:ident) => {{
        const N: usize = $t::ALL.len();
        const C: [&str; N] = {
            let mut c = [""; N];
            let mut i = 0;
            while i < N {
                c[i] = $t::ALL[i].code();
                i += 1;
            }
            c
        };
        &C
    }};
}

impl MemberFact {
    pub(crate) fn kind(self) -> ValueKind {
        match self {
            MemberFact::Age => ValueKind::Number,
            MemberFact::Labour => ValueKind::Enum(codes_of!(Labour)),
            MemberFact::Education => ValueKind::Enum(codes_of!(Education)),
            _ => ValueKind::Bool,
        }
    }
}

impl HouseholdFact {
    pub(crate) fn kind(self) -> ValueKind {
        match self {
            HouseholdFact::FloorAreaM2 => ValueKind::Number,
            HouseholdFact::Walls | HouseholdFact::Pillars | HouseholdFact::Roof => {
                ValueKind::Enum(codes_of!(Material))
            }
            HouseholdFact::WaterSource => ValueKind::Enum(codes_of!(WaterSource)),
            HouseholdFact::Latrine => ValueKind::Enum(codes_of!(Latrine)),
            HouseholdFact::Waste => ValueKind::Enum(codes_of!(Waste)),
            HouseholdFact::Devices => ValueKind::Devices,
            _ => ValueKind::Bool,
        }
    }
}

/// The means of information access a household owns: a set of [`Device`]s, `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DeviceSet(u8);

impl DeviceSet {
    /// No device (the file's `none`).
    pub const EMPTY: DeviceSet = DeviceSet(0);

    /// Whether the set holds `device`.
    pub const fn contains(self, device: Device) -> bool {
        self.0 & (1 << device as u8) != 0
    }

    /// The set with `device` added.
    pub const fn with(self, device: Device) -> DeviceSet {
        DeviceSet(self.0 | 1 << device as u8)
    }

    /// The devices as bits, in [`Device::ALL`] order.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether no device is owned.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The devices held, in vocabulary order.
    pub fn iter(self) -> impl Iterator<Item = Device> {
        Device::ALL
            .iter()
            .copied()
            .filter(move |d| self.contains(*d))
    }
}

impl FromIterator<Device> for DeviceSet {
    fn from_iter<I: IntoIterator<Item = Device>>(iter: I) -> Self {
        iter.into_iter().fold(DeviceSet::EMPTY, DeviceSet::with)
    }
}

impl Serialize for DeviceSet {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for DeviceSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Vec::<Device>::deserialize(d)?.into_iter().collect())
    }
}

/// What is known of one household member (facts §1). Every field is optional: `None` is
/// unknown, never false. `Copy`, a few bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct MemberFacts {
    /// Age in completed years at the review date (tuổi), 0 to [`MAX_AGE`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
    /// Labour situation (tình trạng việc làm).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labour: Option<Labour>,
    /// Receives a monthly social allowance (trợ cấp xã hội hằng tháng).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_allowance: Option<bool>,
    /// Height-for-age below −2 SD (suy dinh dưỡng thể thấp còi).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stunted: Option<bool>,
    /// Weight-for-age below −2 SD (suy dinh dưỡng thể nhẹ cân).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub underweight: Option<bool>,
    /// Holds a valid health-insurance card (thẻ bảo hiểm y tế).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_insurance: Option<bool>,
    /// Currently attends school or training (đang đi học).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_school: Option<bool>,
    /// Attends the grade or level suited to the age (học đúng cấp theo tuổi).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_suited_to_age: Option<bool>,
    /// Highest education completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub education: Option<Education>,
    /// Ill or injured in the last 12 months and did not use health services (2016–2020).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ill_untreated: Option<bool>,
}

macro_rules! setters {
    ($t:ident; $( $field:ident: $ty:ty ),* $(,)?) => {
        impl $t {
            $(
                #[doc = concat!("The same with `", stringify!($field), "` known.")]
                pub fn $field(mut self, value: $ty) -> Self {
                    self.$field = Some(value);
                    self
                }
            )*
        }
    };
}

setters!(MemberFacts; labour: Labour, social_allowance: bool, stunted: bool, underweight: bool,
    health_insurance: bool, in_school: bool, level_suited_to_age: bool, education: Education,
    ill_untreated: bool);

impl MemberFacts {
    /// A member of whom nothing is known yet.
    pub const fn new() -> Self {
        MemberFacts {
            age: None,
            labour: None,
            social_allowance: None,
            stunted: None,
            underweight: None,
            health_insurance: None,
            in_school: None,
            level_suited_to_age: None,
            education: None,
            ill_untreated: None,
        }
    }

    /// The same with the age known (checked against [`MAX_AGE`] when evaluated).
    pub fn age(mut self, age: u8) -> Self {
        self.age = Some(age);
        self
    }

    /// A fact's value as the index a rule tests (`false` 0, `true` 1, an enumeration its
    /// position); `None` if unknown. Age is tested by bands, not here.
    #[inline(always)]
    pub(crate) fn value(&self, fact: MemberFact) -> Option<u8> {
        let b = |v: Option<bool>| v.map(u8::from);
        match fact {
            MemberFact::Age => self.age,
            MemberFact::Labour => self.labour.map(|v| v as u8),
            MemberFact::SocialAllowance => b(self.social_allowance),
            MemberFact::Stunted => b(self.stunted),
            MemberFact::Underweight => b(self.underweight),
            MemberFact::HealthInsurance => b(self.health_insurance),
            MemberFact::InSchool => b(self.in_school),
            MemberFact::LevelSuitedToAge => b(self.level_suited_to_age),
            MemberFact::Education => self.education.map(|v| v as u8),
            MemberFact::IllUntreated => b(self.ill_untreated),
        }
    }

    /// [`MemberFacts::set_text`] from a file's bytes: yes-or-no facts and ages without a
    /// text conversion (the per-member path of a members table).
    #[inline]
    #[cfg(feature = "csv")]
    pub(crate) fn set_bytes(
        &mut self,
        fact: MemberFact,
        cell: &[u8],
    ) -> std::result::Result<(), crate::error::Reason> {
        let flag = match cell {
            b"" => return Ok(()),
            b"1" => Some(true),
            b"0" => Some(false),
            _ => None,
        };
        match (fact, flag) {
            (MemberFact::SocialAllowance, Some(v)) => self.social_allowance = Some(v),
            (MemberFact::Stunted, Some(v)) => self.stunted = Some(v),
            (MemberFact::Underweight, Some(v)) => self.underweight = Some(v),
            (MemberFact::HealthInsurance, Some(v)) => self.health_insurance = Some(v),
            (MemberFact::InSchool, Some(v)) => self.in_school = Some(v),
            (MemberFact::LevelSuitedToAge, Some(v)) => self.level_suited_to_age = Some(v),
            (MemberFact::IllUntreated, Some(v)) => self.ill_untreated = Some(v),
            (MemberFact::Labour, None) if Labour::from_code_bytes(cell).is_some() => {
                self.labour = Labour::from_code_bytes(cell)
            }
            (MemberFact::Education, None) if Education::from_code_bytes(cell).is_some() => {
                self.education = Education::from_code_bytes(cell)
            }
            (MemberFact::Age, _) if cell.len() <= 3 && cell.iter().all(u8::is_ascii_digit) => {
                let a = cell.iter().fold(0u16, |a, d| a * 10 + (d - b'0') as u16);
                if a > MAX_AGE as u16 {
                    return Err(crate::error::Reason::new(
                        "must be a whole number of years from 0 to 130",
                        "phải là số tuổi tròn từ 0 đến 130",
                    ));
                }
                self.age = Some(a as u8);
            }
            _ => {
                let text = std::str::from_utf8(cell).map_err(|_| {
                    crate::error::Reason::new("not UTF-8 text", "không phải văn bản UTF-8")
                })?;
                return self.set_text(fact, text);
            }
        }
        Ok(())
    }

    /// Sets a fact from its text in a file (`1`/`0` or `true`/`false` for booleans, the code
    /// for enumerations, empty for unknown).
    pub(crate) fn set_text(
        &mut self,
        fact: MemberFact,
        text: &str,
    ) -> std::result::Result<(), crate::error::Reason> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(());
        }
        match fact {
            MemberFact::Age => self.age = Some(parse_age(text)?),
            MemberFact::Labour => {
                self.labour = Some(Labour::from_code(text).ok_or(crate::error::Reason::new(
                    "not a labour code",
                    "không phải mã việc làm",
                ))?)
            }
            MemberFact::Education => {
                self.education =
                    Some(Education::from_code(text).ok_or(crate::error::Reason::new(
                        "not an education code",
                        "không phải mã trình độ giáo dục",
                    ))?)
            }
            _ => {
                let v = Some(parse_bool(text)?);
                match fact {
                    MemberFact::SocialAllowance => self.social_allowance = v,
                    MemberFact::Stunted => self.stunted = v,
                    MemberFact::Underweight => self.underweight = v,
                    MemberFact::HealthInsurance => self.health_insurance = v,
                    MemberFact::InSchool => self.in_school = v,
                    MemberFact::LevelSuitedToAge => self.level_suited_to_age = v,
                    _ => self.ill_untreated = v,
                }
            }
        }
        Ok(())
    }

    /// The fact's value as an explanation shows it, or `None` if unknown.
    pub(crate) fn show(&self, fact: MemberFact, lang: Lang) -> Option<String> {
        let yes_no = |v: bool| match (v, lang) {
            (true, Lang::En) => "yes",
            (false, Lang::En) => "no",
            (true, Lang::Vi) => "có",
            (false, Lang::Vi) => "không",
        };
        Some(match fact {
            MemberFact::Age => self.age?.to_string(),
            MemberFact::Labour => self.labour?.name(lang).to_owned(),
            MemberFact::Education => self.education?.name(lang).to_owned(),
            _ => yes_no(self.value(fact)? == 1).to_owned(),
        })
    }
}

/// What is known of a household (facts §1): the dwelling, water, latrine, information, waste,
/// and its members. Every field but `members` is optional (`None` is unknown, never false).
/// The household size is the number of members listed.
///
/// From JSON it is read through [`RawHouseholdFacts`], so that a bad value is an error naming
/// the member (1-based), the field and the value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct HouseholdFacts {
    /// Total living floor area of the dwelling in m² (diện tích nhà ở), ≥ 0.
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_decimal_str")]
    pub floor_area_m2: Option<Decimal>,
    /// Material of the walls (tường).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub walls: Option<Material>,
    /// Material of the pillars (cột).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pillars: Option<Material>,
    /// Material of the roof (mái).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roof: Option<Material>,
    /// Main source of domestic water.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub water_source: Option<WaterSource>,
    /// Latrine type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latrine: Option<Latrine>,
    /// Some member uses internet services, fixed or mobile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internet: Option<bool>,
    /// Some member uses a telephone subscription, fixed or mobile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<bool>,
    /// Means of information access owned (an empty set: none owned).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub devices: Option<DeviceSet>,
    /// The commune or village loudspeaker system reaches the household.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loudspeaker: Option<bool>,
    /// How domestic waste is handled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waste: Option<Waste>,
    /// The members, at least one.
    pub members: Vec<MemberFacts>,
}

mod opt_decimal_str {
    use rust_decimal::Decimal;
    use serde::Serializer;
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&d.normalize().to_string()),
            None => s.serialize_none(),
        }
    }
}

setters!(HouseholdFactsBuilder; floor_area_m2: Decimal, walls: Material, pillars: Material,
    roof: Material, water_source: WaterSource, latrine: Latrine, internet: bool, phone: bool,
    devices: DeviceSet, loudspeaker: bool, waste: Waste);

/// Builds [`HouseholdFacts`] in Rust: `HouseholdFacts::builder().floor_area_m2(…).member(…)`.
#[derive(Debug, Clone, Default)]
pub struct HouseholdFactsBuilder {
    floor_area_m2: Option<Decimal>,
    walls: Option<Material>,
    pillars: Option<Material>,
    roof: Option<Material>,
    water_source: Option<WaterSource>,
    latrine: Option<Latrine>,
    internet: Option<bool>,
    phone: Option<bool>,
    devices: Option<DeviceSet>,
    loudspeaker: Option<bool>,
    waste: Option<Waste>,
    members: Vec<MemberFacts>,
}

impl HouseholdFactsBuilder {
    /// Adds a member (members are numbered from 1 in the order added).
    pub fn member(mut self, member: MemberFacts) -> Self {
        self.members.push(member);
        self
    }

    /// The facts (check them with [`crate::facts::evaluate`], which refuses an empty member
    /// list, an age over [`MAX_AGE`] and a negative floor area).
    pub fn build(self) -> HouseholdFacts {
        HouseholdFacts {
            floor_area_m2: self.floor_area_m2,
            walls: self.walls,
            pillars: self.pillars,
            roof: self.roof,
            water_source: self.water_source,
            latrine: self.latrine,
            internet: self.internet,
            phone: self.phone,
            devices: self.devices,
            loudspeaker: self.loudspeaker,
            waste: self.waste,
            members: self.members,
        }
    }
}

impl HouseholdFacts {
    /// A builder with nothing known.
    pub fn builder() -> HouseholdFactsBuilder {
        HouseholdFactsBuilder::default()
    }

    /// Reads facts from a JSON object (the `facts` of a household record): unknown fact names,
    /// bad values and an empty member list are errors naming the member and the field.
    pub fn from_json(text: &str) -> Result<HouseholdFacts> {
        let raw: RawHouseholdFacts = crate::json::from_str(text, "household facts")?;
        raw.to_facts()
    }

    /// Checks what evaluation needs: at least one member, ages within 0–[`MAX_AGE`], a floor
    /// area ≥ 0.
    #[inline]
    pub fn check(&self) -> Result<()> {
        if self.members.is_empty() {
            return Err(super::no_members());
        }
        if u32::try_from(self.members.len()).is_err() {
            return Err(invalid(
                None,
                "members",
                "(over 4294967295)".into(),
                crate::error::Reason::new("too many members", "quá nhiều thành viên"),
            ));
        }
        if let Some(a) = self.floor_area_m2 {
            if a.is_sign_negative() && !a.is_zero() {
                return Err(invalid(
                    None,
                    "floor_area_m2",
                    a.to_string(),
                    crate::error::Reason::new("must be >= 0", "phải từ 0 trở lên"),
                ));
            }
        }
        for (i, m) in self.members.iter().enumerate() {
            if let Some(age) = m.age {
                if age > MAX_AGE {
                    return Err(invalid(
                        Some(i),
                        "age",
                        age.to_string(),
                        crate::error::Reason::new("must be 0 to 130", "phải từ 0 đến 130"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A fact's value as the index a rule tests; `None` if unknown. The floor area and the
    /// devices are tested by their own rule shapes.
    #[inline(always)]
    pub(crate) fn value(&self, fact: HouseholdFact) -> Option<u8> {
        let b = |v: Option<bool>| v.map(u8::from);
        match fact {
            HouseholdFact::Walls => self.walls.map(|v| v as u8),
            HouseholdFact::Pillars => self.pillars.map(|v| v as u8),
            HouseholdFact::Roof => self.roof.map(|v| v as u8),
            HouseholdFact::WaterSource => self.water_source.map(|v| v as u8),
            HouseholdFact::Latrine => self.latrine.map(|v| v as u8),
            HouseholdFact::Internet => b(self.internet),
            HouseholdFact::Phone => b(self.phone),
            HouseholdFact::Loudspeaker => b(self.loudspeaker),
            HouseholdFact::Waste => self.waste.map(|v| v as u8),
            HouseholdFact::Devices => self.devices.map(DeviceSet::bits),
            HouseholdFact::FloorAreaM2 => None,
        }
    }

    /// [`HouseholdFacts::set_text`] from a file's bytes: yes-or-no facts and whole floor
    /// areas without a text conversion.
    #[inline]
    #[cfg(feature = "csv")]
    pub(crate) fn set_bytes(
        &mut self,
        fact: HouseholdFact,
        cell: &[u8],
    ) -> std::result::Result<(), crate::error::Reason> {
        let flag = match cell {
            b"" => return Ok(()),
            b"1" => Some(true),
            b"0" => Some(false),
            _ => None,
        };
        match (fact, flag) {
            (HouseholdFact::Internet, Some(v)) => self.internet = Some(v),
            (HouseholdFact::Phone, Some(v)) => self.phone = Some(v),
            (HouseholdFact::Loudspeaker, Some(v)) => self.loudspeaker = Some(v),
            (HouseholdFact::Walls | HouseholdFact::Pillars | HouseholdFact::Roof, None)
                if Material::from_code_bytes(cell).is_some() =>
            {
                let v = Material::from_code_bytes(cell);
                match fact {
                    HouseholdFact::Walls => self.walls = v,
                    HouseholdFact::Pillars => self.pillars = v,
                    _ => self.roof = v,
                }
            }
            (HouseholdFact::WaterSource, None) if WaterSource::from_code_bytes(cell).is_some() => {
                self.water_source = WaterSource::from_code_bytes(cell)
            }
            (HouseholdFact::Latrine, None) if Latrine::from_code_bytes(cell).is_some() => {
                self.latrine = Latrine::from_code_bytes(cell)
            }
            (HouseholdFact::Waste, None) if Waste::from_code_bytes(cell).is_some() => {
                self.waste = Waste::from_code_bytes(cell)
            }
            (HouseholdFact::Devices, None)
                if cell
                    .split(|b| *b == b';')
                    .all(|d| Device::from_code_bytes(d).is_some()) =>
            {
                let set = cell
                    .split(|b| *b == b';')
                    .filter_map(Device::from_code_bytes)
                    .collect();
                self.devices = Some(set);
            }
            (HouseholdFact::FloorAreaM2, _)
                if cell.len() <= 18 && cell.iter().all(u8::is_ascii_digit) =>
            {
                let a = cell.iter().fold(0i64, |a, d| a * 10 + (d - b'0') as i64);
                self.floor_area_m2 = Some(Decimal::from(a));
            }
            _ => {
                let text = std::str::from_utf8(cell).map_err(|_| {
                    crate::error::Reason::new("not UTF-8 text", "không phải văn bản UTF-8")
                })?;
                return self.set_text(fact, text);
            }
        }
        Ok(())
    }

    /// Sets a fact from its text in a file (empty: unknown; `devices` as a `;`-separated list,
    /// `none` when none is owned).
    pub(crate) fn set_text(
        &mut self,
        fact: HouseholdFact,
        text: &str,
    ) -> std::result::Result<(), crate::error::Reason> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(());
        }
        let material = |t: &str| {
            Material::from_code(t).ok_or(crate::error::Reason::new(
                "must be durable or non_durable",
                "phải là durable (bền chắc) hoặc non_durable (không bền chắc)",
            ))
        };
        match fact {
            HouseholdFact::FloorAreaM2 => {
                let a = crate::decimal::parse(text).map_err(|why| {
                    if why == crate::decimal::TOO_PRECISE {
                        why
                    } else {
                        crate::error::Reason::new("must be a decimal number of m² (plain digits, at most one point)", "phải là số m² viết dạng số thập phân (chữ số, nhiều nhất một dấu thập phân)")
                    }
                })?;
                if a.is_sign_negative() && !a.is_zero() {
                    return Err(crate::error::Reason::new(
                        "must be >= 0",
                        "phải từ 0 trở lên",
                    ));
                }
                self.floor_area_m2 = Some(a);
            }
            HouseholdFact::Walls => self.walls = Some(material(text)?),
            HouseholdFact::Pillars => self.pillars = Some(material(text)?),
            HouseholdFact::Roof => self.roof = Some(material(text)?),
            HouseholdFact::WaterSource => {
                self.water_source = Some(WaterSource::from_code(text).ok_or(
                    crate::error::Reason::new(
                        "not a water-source code",
                        "không phải mã nguồn nước",
                    ),
                )?)
            }
            HouseholdFact::Latrine => {
                self.latrine = Some(Latrine::from_code(text).ok_or(crate::error::Reason::new(
                    "not a latrine code",
                    "không phải mã nhà tiêu",
                ))?)
            }
            HouseholdFact::Waste => {
                self.waste = Some(Waste::from_code(text).ok_or(crate::error::Reason::new(
                    "not a waste code",
                    "không phải mã xử lý chất thải",
                ))?)
            }
            HouseholdFact::Devices => {
                let mut set = DeviceSet::EMPTY;
                if text != "none" {
                    for d in text.split(';') {
                        set = set.with(Device::from_code(d.trim()).ok_or(crate::error::Reason::new("not a device code (tv, radio, computer, phone, smartphone, tablet, or none)", "không phải mã phương tiện (tv, radio, computer, phone, smartphone, tablet, hoặc none)"))?);
                    }
                }
                self.devices = Some(set);
            }
            HouseholdFact::Internet => self.internet = Some(parse_bool(text)?),
            HouseholdFact::Phone => self.phone = Some(parse_bool(text)?),
            HouseholdFact::Loudspeaker => self.loudspeaker = Some(parse_bool(text)?),
        }
        Ok(())
    }

    /// The fact's value as an explanation shows it, or `None` if unknown.
    pub(crate) fn show(&self, fact: HouseholdFact, lang: Lang) -> Option<String> {
        let yes_no = |v: bool| match (v, lang) {
            (true, Lang::En) => "yes",
            (false, Lang::En) => "no",
            (true, Lang::Vi) => "có",
            (false, Lang::Vi) => "không",
        };
        Some(match fact {
            HouseholdFact::FloorAreaM2 => format!("{} m²", self.floor_area_m2?.normalize()),
            HouseholdFact::Walls => self.walls?.name(lang).to_owned(),
            HouseholdFact::Pillars => self.pillars?.name(lang).to_owned(),
            HouseholdFact::Roof => self.roof?.name(lang).to_owned(),
            HouseholdFact::WaterSource => self.water_source?.name(lang).to_owned(),
            HouseholdFact::Latrine => self.latrine?.name(lang).to_owned(),
            HouseholdFact::Waste => self.waste?.name(lang).to_owned(),
            HouseholdFact::Devices => {
                let d = self.devices?;
                if d.is_empty() {
                    match lang {
                        Lang::En => "none".to_owned(),
                        Lang::Vi => "không có".to_owned(),
                    }
                } else {
                    d.iter()
                        .map(|d| d.name(lang))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            }
            HouseholdFact::Internet => yes_no(self.internet?).to_owned(),
            HouseholdFact::Phone => yes_no(self.phone?).to_owned(),
            HouseholdFact::Loudspeaker => yes_no(self.loudspeaker?).to_owned(),
        })
    }
}

fn parse_bool(text: &str) -> std::result::Result<bool, crate::error::Reason> {
    match text {
        "1" => Ok(true),
        "0" => Ok(false),
        _ if text.eq_ignore_ascii_case("true") => Ok(true),
        _ if text.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(crate::error::Reason::new(
            "must be 1 or 0 (true or false)",
            "phải là 1 hoặc 0 (có hoặc không)",
        )),
    }
}

fn parse_age(text: &str) -> std::result::Result<u8, crate::error::Reason> {
    let digits = text.trim_start_matches('0');
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(crate::error::Reason::new(
            "must be a whole number of years from 0 to 130",
            "phải là số tuổi tròn từ 0 đến 130",
        ));
    }
    match digits.parse::<u16>() {
        _ if digits.is_empty() => Ok(0),
        Ok(a) if a <= MAX_AGE as u16 => Ok(a as u8),
        _ => Err(crate::error::Reason::new(
            "must be a whole number of years from 0 to 130",
            "phải là số tuổi tròn từ 0 đến 130",
        )),
    }
}

/// The error for a bad fact: the member (0-based here, 1-based in the error), field, value.
pub(crate) fn invalid(
    member: Option<usize>,
    field: &str,
    value: String,
    reason: crate::error::Reason,
) -> Error {
    Error::from(ErrorKind::InvalidFact {
        member: member.map(|m| m as u64 + 1),
        field: field.to_owned(),
        value: excerpt(&value),
        reason,
    })
}

/// Household facts as written in JSON, before their values are checked: every fact name is
/// known (an unknown name is an error), and each value is kept as written, so that
/// [`RawHouseholdFacts::to_facts`] can name the member, the field and the value of a bad one.
/// `null` is unknown, like an absent field.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHouseholdFacts {
    #[serde(default)]
    floor_area_m2: Option<Value>,
    #[serde(default)]
    walls: Option<Value>,
    #[serde(default)]
    pillars: Option<Value>,
    #[serde(default)]
    roof: Option<Value>,
    #[serde(default)]
    water_source: Option<Value>,
    #[serde(default)]
    latrine: Option<Value>,
    #[serde(default)]
    internet: Option<Value>,
    #[serde(default)]
    phone: Option<Value>,
    #[serde(default)]
    devices: Option<Value>,
    #[serde(default)]
    loudspeaker: Option<Value>,
    #[serde(default)]
    waste: Option<Value>,
    members: Vec<RawMemberFacts>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMemberFacts {
    #[serde(default)]
    age: Option<Value>,
    #[serde(default)]
    labour: Option<Value>,
    #[serde(default)]
    social_allowance: Option<Value>,
    #[serde(default)]
    stunted: Option<Value>,
    #[serde(default)]
    underweight: Option<Value>,
    #[serde(default)]
    health_insurance: Option<Value>,
    #[serde(default)]
    in_school: Option<Value>,
    #[serde(default)]
    level_suited_to_age: Option<Value>,
    #[serde(default)]
    education: Option<Value>,
    #[serde(default)]
    ill_untreated: Option<Value>,
}

/// A JSON value as the text a file cell would hold, or an error for the wrong JSON type.
fn cell(v: &Value, kind: ValueKind) -> std::result::Result<String, crate::error::Reason> {
    match (v, kind) {
        (Value::Bool(b), ValueKind::Bool) => Ok(if *b { "1" } else { "0" }.into()),
        (Value::String(s), ValueKind::Enum(_)) => {
            // An empty or blank string is not "unknown" in JSON: leave the field out for that.
            if s.trim().is_empty() {
                Err(crate::error::Reason::new("must be one of the codes, not empty", "phải là một trong các mã, không được để trống"))
            } else {
                Ok(s.clone())
            }
        }
        (Value::String(s), ValueKind::Number) if !s.trim().is_empty() => Ok(s.clone()),
        // A float here came through a deserializer that had already rounded it (this crate's
        // own readers hand fractions over as exact strings): refused, never guessed.
        (Value::Number(n), ValueKind::Number) if n.is_f64() => Err(
            crate::error::Reason::new("a number with a fraction cannot be read exactly through this deserializer: write it as a string (\"23.5\"), or read with HouseholdFacts::from_json", "số có phần thập phân không đọc chính xác được qua bộ giải mã này: hãy viết dạng chuỗi (\"23.5\"), hoặc đọc bằng HouseholdFacts::from_json"),
        ),
        (Value::Number(n), ValueKind::Number) => Ok(n.to_string()),
        (_, ValueKind::Bool) => Err(crate::error::Reason::new("must be true or false", "phải là true hoặc false")),
        (_, ValueKind::Enum(_)) => Err(crate::error::Reason::new("must be a code (a string)", "phải là một mã (chuỗi ký tự)")),
        (_, ValueKind::Number) => Err(crate::error::Reason::new("must be a number", "phải là một số")),
        (_, ValueKind::Devices) => Err(crate::error::Reason::new("must be an array of device codes", "phải là danh sách mã phương tiện")),
    }
}

fn show_json(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl RawHouseholdFacts {
    /// The checked facts: each value of the right type and vocabulary, ages 0–130, the floor
    /// area ≥ 0, at least one member.
    pub fn to_facts(&self) -> Result<HouseholdFacts> {
        let mut f = HouseholdFacts::default();
        let household: [(HouseholdFact, &Option<Value>); 11] = [
            (HouseholdFact::FloorAreaM2, &self.floor_area_m2),
            (HouseholdFact::Walls, &self.walls),
            (HouseholdFact::Pillars, &self.pillars),
            (HouseholdFact::Roof, &self.roof),
            (HouseholdFact::WaterSource, &self.water_source),
            (HouseholdFact::Latrine, &self.latrine),
            (HouseholdFact::Internet, &self.internet),
            (HouseholdFact::Phone, &self.phone),
            (HouseholdFact::Devices, &self.devices),
            (HouseholdFact::Loudspeaker, &self.loudspeaker),
            (HouseholdFact::Waste, &self.waste),
        ];
        for (fact, value) in household {
            let Some(v) = value.as_ref().filter(|v| !v.is_null()) else {
                continue;
            };
            let bad = |reason| invalid(None, fact.code(), show_json(v), reason);
            if fact == HouseholdFact::Devices {
                let Value::Array(items) = v else {
                    return Err(bad(crate::error::Reason::new(
                        "must be an array of device codes ([] when none is owned)",
                        "phải là danh sách mã phương tiện ([] nếu không có phương tiện nào)",
                    )));
                };
                let mut set = DeviceSet::EMPTY;
                for item in items {
                    let d = item.as_str().and_then(Device::from_code).ok_or_else(|| {
                        invalid(
                            None,
                            "devices",
                            show_json(item),
                            crate::error::Reason::new("not a device code (tv, radio, computer, phone, smartphone, tablet)", "không phải mã phương tiện (tv, radio, computer, phone, smartphone, tablet)"),
                        )
                    })?;
                    set = set.with(d);
                }
                f.devices = Some(set);
                continue;
            }
            let text = cell(v, fact.kind()).map_err(bad)?;
            f.set_text(fact, &text).map_err(bad)?;
        }
        if self.members.is_empty() {
            return Err(super::no_members());
        }
        f.members.reserve(self.members.len());
        for (i, m) in self.members.iter().enumerate() {
            let mut member = MemberFacts::new();
            let facts: [(MemberFact, &Option<Value>); 10] = [
                (MemberFact::Age, &m.age),
                (MemberFact::Labour, &m.labour),
                (MemberFact::SocialAllowance, &m.social_allowance),
                (MemberFact::Stunted, &m.stunted),
                (MemberFact::Underweight, &m.underweight),
                (MemberFact::HealthInsurance, &m.health_insurance),
                (MemberFact::InSchool, &m.in_school),
                (MemberFact::LevelSuitedToAge, &m.level_suited_to_age),
                (MemberFact::Education, &m.education),
                (MemberFact::IllUntreated, &m.ill_untreated),
            ];
            for (fact, value) in facts {
                let Some(v) = value.as_ref().filter(|v| !v.is_null()) else {
                    continue;
                };
                let bad = |reason| invalid(Some(i), fact.code(), show_json(v), reason);
                if fact == MemberFact::Age && !matches!(v, Value::Number(_)) {
                    return Err(bad(crate::error::Reason::new(
                        "must be a whole number of years from 0 to 130",
                        "phải là số tuổi tròn từ 0 đến 130",
                    )));
                }
                let text = cell(v, fact.kind()).map_err(bad)?;
                member.set_text(fact, &text).map_err(bad)?;
            }
            f.members.push(member);
        }
        f.check()?;
        Ok(f)
    }
}

impl<'de> Deserialize<'de> for HouseholdFacts {
    /// Reads through [`RawHouseholdFacts`]; a bad value becomes the deserializer's error with
    /// the member, field and value in its message.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        RawHouseholdFacts::deserialize(d)?
            .to_facts()
            .map_err(D::Error::custom)
    }
}
