//! Sample data: a deterministic synthetic country, for examples, benchmarks and tests. **It is
//! not survey data.** Households are spread over the 63 provinces (the pre-2025 list, GSO codes)
//! of the six regions, and their incomes and deprivations are drawn so that each region's
//! expected poor rate under the 2022–2025 standard equals the published (confirmed) 2022
//! regional rate. Every household carries answers for all 15 indicators, so the same population
//! can be classified under each standard.

use std::io::{self, Write};

use rust_decimal::prelude::ToPrimitive;

use crate::household::Household;
use crate::indicator::{Area, Indicator, IndicatorSet};
use crate::money::Vnd;
use crate::standard::Standard;

/// The six socio-economic regions of the statistics office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    /// Trung du và miền núi phía Bắc.
    NorthernMidlandsAndMountains,
    /// Đồng bằng sông Hồng.
    RedRiverDelta,
    /// Bắc Trung Bộ và duyên hải miền Trung.
    NorthCentralAndCentralCoast,
    /// Tây Nguyên.
    CentralHighlands,
    /// Đông Nam Bộ.
    SouthEast,
    /// Đồng bằng sông Cửu Long.
    MekongDelta,
}

impl Region {
    /// All regions.
    pub const ALL: [Region; 6] = [
        Region::NorthernMidlandsAndMountains,
        Region::RedRiverDelta,
        Region::NorthCentralAndCentralCoast,
        Region::CentralHighlands,
        Region::SouthEast,
        Region::MekongDelta,
    ];

    /// A short code used as a group label.
    pub const fn code(self) -> &'static str {
        match self {
            Region::NorthernMidlandsAndMountains => "northern_midlands_mountains",
            Region::RedRiverDelta => "red_river_delta",
            Region::NorthCentralAndCentralCoast => "north_central_central_coast",
            Region::CentralHighlands => "central_highlands",
            Region::SouthEast => "south_east",
            Region::MekongDelta => "mekong_delta",
        }
    }

    /// The published 2022 poor-household rate of the region under the 2022–2025 standard,
    /// in percent (the published 2022 regional rates, confirmed): the calibration target of the synthetic country.
    pub const fn published_poor_rate_2022(self) -> f64 {
        match self {
            Region::NorthernMidlandsAndMountains => 14.23,
            Region::RedRiverDelta => 1.00,
            Region::NorthCentralAndCentralCoast => 4.99,
            Region::CentralHighlands => 8.39,
            Region::SouthEast => 0.21,
            Region::MekongDelta => 2.26,
        }
    }

    // Synthetic shape parameters: share of the country's households, urban share,
    // ethnic-minority share. Rough, for realism only.
    const fn shape(self) -> (f64, f64, f64) {
        match self {
            Region::NorthernMidlandsAndMountains => (0.13, 0.20, 0.55),
            Region::RedRiverDelta => (0.23, 0.38, 0.02),
            Region::NorthCentralAndCentralCoast => (0.20, 0.28, 0.09),
            Region::CentralHighlands => (0.06, 0.29, 0.35),
            Region::SouthEast => (0.19, 0.62, 0.03),
            Region::MekongDelta => (0.19, 0.26, 0.08),
        }
    }
}

use Region::*;

/// The 63 provinces (GSO code, name, region), before the 2025 mergers.
pub const PROVINCES: [(&str, &str, Region); 63] = [
    ("01", "Hà Nội", RedRiverDelta),
    ("02", "Hà Giang", NorthernMidlandsAndMountains),
    ("04", "Cao Bằng", NorthernMidlandsAndMountains),
    ("06", "Bắc Kạn", NorthernMidlandsAndMountains),
    ("08", "Tuyên Quang", NorthernMidlandsAndMountains),
    ("10", "Lào Cai", NorthernMidlandsAndMountains),
    ("11", "Điện Biên", NorthernMidlandsAndMountains),
    ("12", "Lai Châu", NorthernMidlandsAndMountains),
    ("14", "Sơn La", NorthernMidlandsAndMountains),
    ("15", "Yên Bái", NorthernMidlandsAndMountains),
    ("17", "Hòa Bình", NorthernMidlandsAndMountains),
    ("19", "Thái Nguyên", NorthernMidlandsAndMountains),
    ("20", "Lạng Sơn", NorthernMidlandsAndMountains),
    ("22", "Quảng Ninh", RedRiverDelta),
    ("24", "Bắc Giang", NorthernMidlandsAndMountains),
    ("25", "Phú Thọ", NorthernMidlandsAndMountains),
    ("26", "Vĩnh Phúc", RedRiverDelta),
    ("27", "Bắc Ninh", RedRiverDelta),
    ("30", "Hải Dương", RedRiverDelta),
    ("31", "Hải Phòng", RedRiverDelta),
    ("33", "Hưng Yên", RedRiverDelta),
    ("34", "Thái Bình", RedRiverDelta),
    ("35", "Hà Nam", RedRiverDelta),
    ("36", "Nam Định", RedRiverDelta),
    ("37", "Ninh Bình", RedRiverDelta),
    ("38", "Thanh Hóa", NorthCentralAndCentralCoast),
    ("40", "Nghệ An", NorthCentralAndCentralCoast),
    ("42", "Hà Tĩnh", NorthCentralAndCentralCoast),
    ("44", "Quảng Bình", NorthCentralAndCentralCoast),
    ("45", "Quảng Trị", NorthCentralAndCentralCoast),
    ("46", "Thừa Thiên Huế", NorthCentralAndCentralCoast),
    ("48", "Đà Nẵng", NorthCentralAndCentralCoast),
    ("49", "Quảng Nam", NorthCentralAndCentralCoast),
    ("51", "Quảng Ngãi", NorthCentralAndCentralCoast),
    ("52", "Bình Định", NorthCentralAndCentralCoast),
    ("54", "Phú Yên", NorthCentralAndCentralCoast),
    ("56", "Khánh Hòa", NorthCentralAndCentralCoast),
    ("58", "Ninh Thuận", NorthCentralAndCentralCoast),
    ("60", "Bình Thuận", NorthCentralAndCentralCoast),
    ("62", "Kon Tum", CentralHighlands),
    ("64", "Gia Lai", CentralHighlands),
    ("66", "Đắk Lắk", CentralHighlands),
    ("67", "Đắk Nông", CentralHighlands),
    ("68", "Lâm Đồng", CentralHighlands),
    ("70", "Bình Phước", SouthEast),
    ("72", "Tây Ninh", SouthEast),
    ("74", "Bình Dương", SouthEast),
    ("75", "Đồng Nai", SouthEast),
    ("77", "Bà Rịa - Vũng Tàu", SouthEast),
    ("79", "TP. Hồ Chí Minh", SouthEast),
    ("80", "Long An", MekongDelta),
    ("82", "Tiền Giang", MekongDelta),
    ("83", "Bến Tre", MekongDelta),
    ("84", "Trà Vinh", MekongDelta),
    ("86", "Vĩnh Long", MekongDelta),
    ("87", "Đồng Tháp", MekongDelta),
    ("89", "An Giang", MekongDelta),
    ("91", "Kiên Giang", MekongDelta),
    ("92", "Cần Thơ", MekongDelta),
    ("93", "Hậu Giang", MekongDelta),
    ("94", "Sóc Trăng", MekongDelta),
    ("95", "Bạc Liêu", MekongDelta),
    ("96", "Cà Mau", MekongDelta),
];

/// One synthetic household with answers for every indicator of every standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticHousehold {
    /// Sequence number (the id is `hh{id}`).
    pub id: u64,
    /// Index into [`PROVINCES`].
    pub province: u16,
    /// District number within the province (1–9).
    pub district: u8,
    /// Rural or urban.
    pub area: Area,
    /// Ethnic-minority household.
    pub ethnic_minority: bool,
    /// Household size.
    pub members: u32,
    /// VND per person per month.
    pub income: Vnd,
    /// Deprivations over all 15 indicators.
    pub deprived: IndicatorSet,
}

impl SyntheticHousehold {
    /// The province code (`"??"` for an index outside [`PROVINCES`]).
    pub fn province_code(&self) -> &'static str {
        PROVINCES.get(self.province as usize).map_or("??", |p| p.0)
    }

    /// The region, if the province index is one of [`PROVINCES`].
    pub fn region(&self) -> Option<Region> {
        PROVINCES.get(self.province as usize).map(|p| p.2)
    }

    /// The household as `standard` sees it: its deprivations among the standard's indicators.
    pub fn to_household(&self, standard: &Standard) -> Household {
        Household::new(self.area, self.members, self.income)
            .with_deprivations(self.deprived.intersection(standard.indicators()))
    }
}

/// SplitMix64: small, seeded, and the same on every platform.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// The 12 indicators of the 2022–2025 standard, which the calibration uses.
const CORE: [Indicator; 12] = [
    Indicator::Employment,
    Indicator::Dependants,
    Indicator::Nutrition,
    Indicator::HealthInsurance,
    Indicator::AdultEducation,
    Indicator::ChildSchooling,
    Indicator::HousingQuality,
    Indicator::HousingArea,
    Indicator::Water,
    Indicator::Sanitation,
    Indicator::Telecom,
    Indicator::InformationAccess,
];

fn pick_core(rng: &mut Rng, count: usize) -> IndicatorSet {
    let mut s = IndicatorSet::EMPTY;
    while (s.len() as usize) < count.min(CORE.len()) {
        s.insert(CORE[rng.below(CORE.len() as u64) as usize]);
    }
    s
}

/// Rounds to whole thousands of đồng, as survey incomes are reported.
fn thousands(x: f64) -> i64 {
    (x / 1000.0).round() as i64 * 1000
}

/// `n` households from `seed`, calibrated to the lines of the built-in 2022–2025 standard. The
/// same arguments give the same country on every machine.
pub fn country(n: usize, seed: u64) -> Vec<SyntheticHousehold> {
    match Standard::builtin("vn-2022-2025") {
        Ok(s) => country_for(s, n, seed),
        // The built-in standards are always present (a test checks it).
        Err(_) => Vec::new(),
    }
}

/// `n` households from `seed` whose regional poor rates under `standard` are expected to equal
/// the published 2022 regional rates (the calibration reads the standard's poverty lines).
pub fn country_for(standard: &Standard, n: usize, seed: u64) -> Vec<SyntheticHousehold> {
    let mut rng = Rng::new(seed);
    // Provinces of each region, and the cumulative household share of each province.
    let mut cumulative = Vec::with_capacity(PROVINCES.len());
    let mut acc = 0.0;
    for (_, _, r) in PROVINCES {
        let in_region = PROVINCES.iter().filter(|p| p.2 == r).count() as f64;
        acc += r.shape().0 / in_region;
        cumulative.push(acc);
    }
    // Households are drawn at or under the line of the deprivation test, or above it.
    let lines = |area: Area| {
        standard
            .multidimensional_line(area)
            .amount()
            .floor()
            .to_f64()
            .unwrap_or(0.0)
    };
    (0..n as u64)
        .map(|id| {
            let u = rng.unit() * acc;
            let province = cumulative
                .iter()
                .position(|c| u < *c)
                .unwrap_or(PROVINCES.len() - 1);
            let region = PROVINCES[province].2;
            let (_, urban_share, minority_share) = region.shape();
            let area = if rng.unit() < urban_share {
                Area::Urban
            } else {
                Area::Rural
            };
            let ethnic_minority = rng.unit() < minority_share;
            let line = lines(area);
            let p = region.published_poor_rate_2022() / 100.0;
            let q = 0.8 * p + 0.004; // near-poor share, synthetic
            let t = rng.unit();
            let (income, deprived) = if t < p {
                // Poor under 2022–2025: at or under the line with 3 to 6 deprivations.
                let inc = if rng.unit() < 0.05 {
                    line as i64
                } else {
                    thousands(line * (0.35 + 0.65 * rng.unit()))
                };
                let d = 3 + rng.below(4) as usize;
                (inc, pick_core(&mut rng, d))
            } else if t < p + q {
                // Near-poor: at or under the line with at most 2 deprivations.
                let inc = if rng.unit() < 0.05 {
                    line as i64
                } else {
                    thousands(line * (0.5 + 0.5 * rng.unit()))
                };
                let d = rng.below(3) as usize;
                (inc, pick_core(&mut rng, d))
            } else {
                // Above the line: log-uniform up to 8 times it, a few deprived households.
                let inc = if rng.unit() < 0.02 {
                    line as i64 + 1
                } else {
                    (thousands(line * 8f64.powf(rng.unit()))).max(line as i64 + 1000)
                };
                let d = if rng.unit() < 0.03 {
                    3 + rng.below(3) as usize
                } else {
                    rng.below(3) as usize
                };
                (inc, pick_core(&mut rng, d))
            };
            let mut deprived = deprived;
            // The indicators of the other standards, correlated with the core ones.
            let hardship = deprived.len() as f64 / 6.0;
            if (deprived.contains(Indicator::HealthInsurance) || rng.unit() < 0.02 + 0.1 * hardship)
                && rng.unit() < 0.5
            {
                deprived.insert(Indicator::HealthAccess);
            }
            if rng.unit() < 0.04 + 0.3 * hardship {
                deprived.insert(Indicator::Waste);
            }
            if deprived.contains(Indicator::Telecom)
                || (deprived.contains(Indicator::InformationAccess) && rng.unit() < 0.5)
            {
                deprived.insert(Indicator::DigitalServices);
            }
            let members = 1 + rng.below(if deprived.len() >= 3 { 7 } else { 5 }) as u32;
            SyntheticHousehold {
                id: id + 1,
                province: province as u16,
                district: 1 + rng.below(9) as u8,
                area,
                ethnic_minority,
                members,
                income: Vnd::from_dong(income),
                deprived,
            }
        })
        .collect()
}

/// Writes households as the CSV of [formats §3](crate::docs::formats), with the indicator columns of all
/// three national standards and the columns `province`, `district`, `region`,
/// `ethnic_minority`.
pub fn write_csv<W: Write>(mut w: W, households: &[SyntheticHousehold]) -> io::Result<()> {
    write!(
        w,
        "id,province,district,region,area,ethnic_minority,members,income_per_capita"
    )?;
    for i in Indicator::ALL {
        write!(w, ",{}", i.code())?;
    }
    writeln!(w)?;
    for h in households {
        write!(
            w,
            "hh{},{},{}{:02},{},{},{},{},{}",
            h.id,
            h.province_code(),
            h.province_code(),
            h.district,
            h.region().map_or("", Region::code),
            h.area,
            h.ethnic_minority as u8,
            h.members,
            h.income.amount()
        )?;
        for i in Indicator::ALL {
            write!(w, ",{}", h.deprived.contains(i) as u8)?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// A synthetic household given as facts ([facts](crate::docs::facts)): SYNTHETIC, not survey
/// data. About 1% of facts are left unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticFacts {
    /// Sequence number (the id is `f` and this number).
    pub id: u64,
    /// Index into the province list.
    pub province: u16,
    /// Rural or urban.
    pub area: Area,
    /// VND per person per month.
    pub income: Vnd,
    /// The facts.
    pub facts: crate::facts::HouseholdFacts,
}

impl SyntheticFacts {
    /// The province's GSO code.
    pub fn province_code(&self) -> &'static str {
        PROVINCES.get(self.province as usize).map_or("??", |p| p.0)
    }
}

/// One synthetic household of facts from the generator.
fn facts_household(rng: &mut Rng, id: u64) -> SyntheticFacts {
    use crate::facts::{
        Device, DeviceSet, Education, HouseholdFacts, Labour, Latrine, Material, MemberFacts,
        Waste, WaterSource,
    };
    fn known<T>(rng: &mut Rng, v: T) -> Option<T> {
        (rng.below(100) != 0).then_some(v)
    }
    fn pick<T: Copy>(rng: &mut Rng, all: &[T]) -> T {
        all[rng.below(all.len() as u64) as usize]
    }
    let chance = |rng: &mut Rng, pct: u64| rng.below(100) < pct;
    let n = 1 + rng.below(4) + rng.below(4);
    let mut members = Vec::with_capacity(n as usize);
    for m in 0..n {
        let age = if m == 0 {
            20 + rng.below(50)
        } else {
            rng.below(80)
        } as u8;
        let child = age < 16;
        let labour = if child || age > 70 {
            Labour::NotInLabourForce
        } else {
            pick(rng, Labour::ALL)
        };
        let education = match age {
            0..=5 => Education::None,
            6..=10 => pick(rng, &[Education::None, Education::Primary]),
            11..=15 => pick(rng, &[Education::Primary, Education::LowerSecondary]),
            _ => pick(rng, Education::ALL),
        };
        let member = MemberFacts {
            age: known(rng, age),
            labour: known(rng, labour),
            social_allowance: {
                let v = chance(rng, 8);
                known(rng, v)
            },
            stunted: {
                let v = child && chance(rng, 10);
                known(rng, v)
            },
            underweight: {
                let v = child && chance(rng, 8);
                known(rng, v)
            },
            health_insurance: {
                let v = !chance(rng, 8);
                known(rng, v)
            },
            in_school: {
                let v = (3..=22).contains(&age) && !chance(rng, 10);
                known(rng, v)
            },
            level_suited_to_age: {
                let v = !chance(rng, 5);
                known(rng, v)
            },
            education: known(rng, education),
            ill_untreated: {
                let v = chance(rng, 5);
                known(rng, v)
            },
        };
        members.push(member);
    }
    let material = |rng: &mut Rng| {
        if chance(rng, 15) {
            Material::NonDurable
        } else {
            Material::Durable
        }
    };
    let devices: DeviceSet = Device::ALL
        .iter()
        .copied()
        .filter(|_| chance(rng, 40))
        .collect();
    let facts = HouseholdFacts {
        floor_area_m2: {
            let v = rust_decimal::Decimal::from(4 + rng.below(90));
            known(rng, v)
        },
        walls: {
            let v = material(rng);
            known(rng, v)
        },
        pillars: {
            let v = material(rng);
            known(rng, v)
        },
        roof: {
            let v = material(rng);
            known(rng, v)
        },
        water_source: {
            let v = pick(rng, WaterSource::ALL);
            known(rng, v)
        },
        latrine: {
            let v = pick(rng, Latrine::ALL);
            known(rng, v)
        },
        internet: {
            let v = !chance(rng, 15);
            known(rng, v)
        },
        phone: {
            let v = !chance(rng, 10);
            known(rng, v)
        },
        devices: known(rng, devices),
        loudspeaker: {
            let v = chance(rng, 50);
            known(rng, v)
        },
        waste: {
            let v = pick(rng, Waste::ALL);
            known(rng, v)
        },
        members,
    };
    SyntheticFacts {
        id,
        province: rng.below(PROVINCES.len() as u64) as u16,
        area: if chance(rng, 30) {
            Area::Urban
        } else {
            Area::Rural
        },
        income: Vnd::from_dong(thousands(300_000.0 + rng.unit() * 4_000_000.0)),
        facts,
    }
}

/// `n` synthetic households given as facts, from `seed` (the same on every machine).
pub fn facts_country(n: usize, seed: u64) -> Vec<SyntheticFacts> {
    let mut rng = Rng::new(seed);
    (0..n as u64)
        .map(|i| facts_household(&mut rng, i + 1))
        .collect()
}

/// Writes `n` synthetic households from `seed` as the two tables of
/// [facts §5](crate::docs::facts), generated as they are written (memory stays flat however
/// large `n`): the households table with the columns `id`, `province`, `area`,
/// `income_per_capita` and the household facts, and the members table.
pub fn write_facts_csv<H: Write, M: Write>(
    mut households: H,
    mut members: M,
    n: usize,
    seed: u64,
) -> io::Result<()> {
    use crate::facts::{HouseholdFact, MemberFact};
    let mut rng = Rng::new(seed);
    write!(households, "id,province,area,income_per_capita")?;
    for f in HouseholdFact::ALL {
        write!(households, ",{}", f.code())?;
    }
    writeln!(households)?;
    write!(members, "household_id")?;
    for f in MemberFact::ALL {
        write!(members, ",{}", f.code())?;
    }
    writeln!(members)?;
    let b = |v: Option<bool>| match v {
        Some(true) => "1",
        Some(false) => "0",
        None => "",
    };
    for i in 0..n as u64 {
        let h = facts_household(&mut rng, i + 1);
        let f = &h.facts;
        let code = |c: Option<&'static str>| c.unwrap_or("");
        let devices = f.devices.map(|d| {
            if d.is_empty() {
                "none".to_owned()
            } else {
                d.iter().map(|x| x.code()).collect::<Vec<_>>().join(";")
            }
        });
        writeln!(
            households,
            "f{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            h.id,
            h.province_code(),
            h.area,
            h.income.amount(),
            f.floor_area_m2.map(|a| a.to_string()).unwrap_or_default(),
            code(f.walls.map(|x| x.code())),
            code(f.pillars.map(|x| x.code())),
            code(f.roof.map(|x| x.code())),
            code(f.water_source.map(|x| x.code())),
            code(f.latrine.map(|x| x.code())),
            b(f.internet),
            b(f.phone),
            devices.unwrap_or_default(),
            b(f.loudspeaker),
            code(f.waste.map(|x| x.code())),
        )?;
        for m in &f.members {
            writeln!(
                members,
                "f{},{},{},{},{},{},{},{},{},{},{}",
                h.id,
                m.age.map(|a| a.to_string()).unwrap_or_default(),
                code(m.labour.map(|x| x.code())),
                b(m.social_allowance),
                b(m.stunted),
                b(m.underweight),
                b(m.health_insurance),
                b(m.in_school),
                b(m.level_suited_to_age),
                code(m.education.map(|x| x.code())),
                b(m.ill_untreated),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_province_index_out_of_range_is_not_a_panic() {
        let mut h = country(1, 1)[0];
        h.province = 999;
        assert_eq!(h.province_code(), "??");
        assert_eq!(h.region(), None);
        let mut out = Vec::new();
        assert!(write_csv(&mut out, &[h]).is_ok());
    }

    #[cfg(feature = "csv")]
    #[test]
    fn facts_written_as_two_tables_read_back_as_the_same_households() {
        let standard = Standard::builtin("vn-2022-2025").unwrap();
        let (mut h, mut m) = (Vec::new(), Vec::new());
        write_facts_csv(&mut h, &mut m, 2000, 9).unwrap();
        let options = crate::population::ReportOptions::new();
        let report =
            crate::population::csv::read_facts_report(&h[..], &m[..], standard, &options).unwrap();
        let mut direct = crate::population::Report::new(standard, &[]);
        for (i, x) in facts_country(2000, 9).iter().enumerate() {
            let f = crate::facts::evaluate(standard, &x.facts).unwrap();
            direct.classify_and_add(
                standard,
                i as u64 + 2,
                &f.household(x.area, x.income),
                1.0,
                &[],
            );
        }
        assert_eq!(report.input(), direct.input());
        assert_eq!(report.total(), direct.total());
        assert_eq!(report.input().rejected, 0);
    }

    #[test]
    fn the_country_is_deterministic_and_spans_every_province() {
        let a = country(20_000, 5);
        assert_eq!(a, country(20_000, 5));
        let seen: std::collections::BTreeSet<u16> = a.iter().map(|h| h.province).collect();
        assert_eq!(seen.len(), PROVINCES.len());
    }
}
