//! The 2027–2030 national standard: Decree 351/2025/NĐ-CP (30 Dec 2025).
//!
//! No average-living-standard band, low-income-worker line or review-score cut-offs were found
//! for it, so the standard has none (classifying from scores is an error). A draft's inner line
//! (poor regardless of deprivations) is not in the final text and is not encoded.

use super::build::{dong, spec, years};
use super::*;
use crate::indicator::Indicator::*;
use Provenance::*;

pub(super) fn data() -> StandardData {
    let nd = || Citation::doc(DocumentKind::Decree, "351/2025/NĐ-CP");
    let draft_list = nd().note("indicator list follows the 2025 draft");
    StandardData {
        id: "vn-2027-2030".into(),
        name: Names {
            vi: "Chuẩn nghèo đa chiều quốc gia giai đoạn 2027 – 2030".into(),
            en: "National multidimensional poverty standard for 2027–2030".into(),
        },
        kind: StandardKind::National,
        data_version: DATA_VERSION.into(),
        legal_basis: vec![nd()],
        years: vec![years(2027, 2030, Confirmed, nd())],
        poverty_line: Cited::new(dong(2_200_000, 2_800_000), Confirmed, nd()),
        near_poverty_line: None,
        average_band_top: None,
        low_income_worker_line: None,
        indicators: vec![
            spec(Employment, Secondary, &draft_list, "a working-age member is unemployed, or works for wages without a labour contract"),
            spec(Dependants, Secondary, &draft_list, "dependants are more than 50% of members"),
            spec(Nutrition, Secondary, &draft_list, "a child under 16 is stunted or underweight"),
            spec(HealthInsurance, Secondary, &draft_list, "a member aged 6 or over has no health insurance"),
            spec(AdultEducation, Secondary, &draft_list, "a member aged 16-30 is neither in school nor holds the diploma expected for the age"),
            spec(ChildSchooling, Secondary, &draft_list, "a child is not attending the level suited to the age"),
            spec(HousingQuality, Secondary, &draft_list, "the household lives in a simple dwelling or has no dwelling"),
            spec(HousingArea, Secondary, &draft_list, "floor area per person < 8 m2"),
            spec(Water, Secondary, &draft_list, "no safe domestic water source"),
            spec(Sanitation, Secondary, &draft_list, "no hygienic latrine"),
            spec(Waste, Secondary, &draft_list, "domestic waste is not collected or treated"),
            spec(DigitalServices, Secondary, &draft_list, "no member uses the internet or digital services"),
        ],
        deprivation_cutoff: Cited::new(3, Confirmed, nd()),
        class_rules: ClassRules {
            poor: ByArea { rural: nd(), urban: nd() },
            near_poor: ByArea { rural: nd(), urban: nd() },
            average_living_standard: None,
            provenance: Confirmed,
        },
        review_scores: None,
        af_weights: None,
    }
}
