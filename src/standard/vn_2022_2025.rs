//! The 2022–2025 standard: Decree 07/2021/NĐ-CP (27 Jan 2021) Art. 3, amended by
//! Decree 30/2025/NĐ-CP; kept for 2026 by Decree 351/2025/NĐ-CP.

use super::build::{dong, spec, years};
use super::*;
use crate::indicator::Indicator::*;
use Provenance::*;

pub(super) fn data() -> StandardData {
    let nd = || Citation::doc(DocumentKind::Decree, "07/2021/NĐ-CP");
    let indicators_cit = nd().art(3).cl(1).pt("b");
    let households = nd().art(3).cl(2);
    StandardData {
        id: "vn-2022-2025".into(),
        name: Names {
            vi: "Chuẩn nghèo đa chiều giai đoạn 2022 – 2025".into(),
            en: "Multidimensional poverty standard for 2022–2025".into(),
        },
        kind: StandardKind::National,
        data_version: DATA_VERSION.into(),
        legal_basis: vec![nd(), Citation::doc(DocumentKind::Decree, "30/2025/NĐ-CP")],
        years: vec![
            years(2022, 2025, Confirmed, nd().art(3)),
            years(
                2026,
                2026,
                Confirmed,
                Citation::doc(DocumentKind::Decree, "351/2025/NĐ-CP")
                    .note("keeps the 2022-2025 standard for 2026"),
            ),
        ],
        poverty_line: Cited::new(dong(1_500_000, 2_000_000), Confirmed, nd().art(3).cl(1).pt("a")),
        near_poverty_line: None,
        average_band_top: Some(Cited::new(
            dong(2_250_000, 3_000_000),
            Secondary,
            households.clone().pt("c"),
        )),
        low_income_worker_line: Some(Cited::new(
            dong(2_250_000, 3_000_000),
            Confirmed,
            Citation::doc(DocumentKind::Decree, "30/2025/NĐ-CP")
                .note("amending Decree 07/2021/NĐ-CP Art. 3 cl. 2; working-age condition unverified"),
        )),
        indicators: vec![
            spec(Employment, Secondary, &indicators_cit, "a working-age member is unemployed, or works for wages without a labour contract"),
            spec(Dependants, Secondary, &indicators_cit, "dependants are more than 50% of members"),
            spec(Nutrition, Secondary, &indicators_cit, "a child under 16 is stunted or underweight"),
            spec(HealthInsurance, Unverified, &indicators_cit, "a member aged 6 or over has no health insurance"),
            spec(AdultEducation, Unverified, &indicators_cit, "a member aged 16-30 is neither in school nor holds the diploma expected for the age"),
            spec(ChildSchooling, Unverified, &indicators_cit, "a child aged 3-15 is not attending the level suited to the age"),
            spec(HousingQuality, Unverified, &indicators_cit, "the household lives in a simple (non-durable) dwelling or has no dwelling"),
            spec(HousingArea, Unverified, &indicators_cit, "floor area per person < 8 m2"),
            spec(Water, Unverified, &indicators_cit, "no safe domestic water source"),
            spec(Sanitation, Unverified, &indicators_cit, "no hygienic latrine"),
            spec(Telecom, Unverified, &indicators_cit, "no member uses internet services"),
            spec(InformationAccess, Unverified, &indicators_cit, "owns no means of information access and no loudspeaker access"),
        ],
        deprivation_cutoff: Cited::new(3, Confirmed, households.clone().pt("a")),
        class_rules: ClassRules {
            poor: ByArea { rural: households.clone().pt("a"), urban: households.clone().pt("a") },
            near_poor: ByArea {
                rural: households.clone().pt("b"),
                urban: households.clone().pt("b"),
            },
            average_living_standard: Some(ByArea {
                rural: households.clone().pt("c"),
                urban: households.pt("c"),
            }),
            provenance: Confirmed,
        },
        review_scores: Some(Cited::new(
            ReviewScores {
                poverty_score: ByArea { rural: 140, urban: 175 },
                near_poverty_score: None,
                points_per_deprivation: 10,
                deprivation_score_cutoff: 30,
            },
            Confirmed,
            Citation::doc(DocumentKind::Circular, "07/2021/TT-BLĐTBXH"),
        )),
        af_weights: None,
    }
}
