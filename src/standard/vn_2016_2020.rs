//! The 2016–2020 standard: Decision 59/2015/QĐ-TTg (19 Nov 2015), kept for 2021 by
//! Decree 07/2021/NĐ-CP Art. 2.

use super::build::{dong, spec, years};
use super::*;
use crate::indicator::Indicator::*;
use Provenance::*;

pub(super) fn data() -> StandardData {
    let qd = || Citation::doc(DocumentKind::Decision, "59/2015/QĐ-TTg");
    let indicators_cit = qd().art(1).cl(2);
    let rural = qd().art(2).cl(1);
    let urban = qd().art(2).cl(2);
    StandardData {
        id: "vn-2016-2020".into(),
        name: Names {
            vi: "Chuẩn nghèo tiếp cận đa chiều áp dụng cho giai đoạn 2016 – 2020".into(),
            en: "Multidimensional poverty standard for 2016–2020".into(),
        },
        kind: StandardKind::National,
        data_version: DATA_VERSION.into(),
        legal_basis: vec![qd()],
        years: vec![
            years(2016, 2020, Confirmed, qd().note("Art. 1-2 applied from 1 Jan 2016")),
            years(
                2021,
                2021,
                Confirmed,
                Citation::doc(DocumentKind::Decree, "07/2021/NĐ-CP")
                    .art(2)
                    .note("keeps the 2016-2020 standard for 2021"),
            ),
        ],
        poverty_line: Cited::new(dong(700_000, 900_000), Confirmed, qd().art(1).cl(1).pt("a")),
        near_poverty_line: Some(Cited::new(
            dong(1_000_000, 1_300_000),
            Confirmed,
            qd().art(1).cl(1).pt("b"),
        )),
        average_band_top: Some(Cited::new(
            dong(1_500_000, 1_950_000),
            Secondary,
            qd().art(2).note("cl. 1 rural, cl. 2 urban"),
        )),
        low_income_worker_line: None,
        indicators: vec![
            spec(HealthAccess, Unverified, &indicators_cit, "a member was ill enough to be bed-bound or stop normal activity and did not seek care"),
            spec(HealthInsurance, Unverified, &indicators_cit, "a member aged 6 or over has no health insurance"),
            spec(AdultEducation, Unverified, &indicators_cit, "a member aged 15-30 has not completed lower secondary school and is not in school"),
            spec(ChildSchooling, Unverified, &indicators_cit, "a child aged 5-14 is not attending school"),
            spec(HousingQuality, Unverified, &indicators_cit, "the dwelling is non-durable or simple"),
            spec(HousingArea, Unverified, &indicators_cit, "floor area per person < 8 m2"),
            spec(Water, Unverified, &indicators_cit, "no hygienic water source"),
            spec(Sanitation, Unverified, &indicators_cit, "no hygienic latrine"),
            spec(Telecom, Unverified, &indicators_cit, "no member uses a phone subscription or the internet"),
            spec(InformationAccess, Unverified, &indicators_cit, "owns none of TV, radio, computer, and cannot hear the village loudspeaker"),
        ],
        deprivation_cutoff: Cited::new(3, Confirmed, rural.clone().pt("a")),
        class_rules: ClassRules {
            poor: ByArea { rural: rural.clone().pt("a"), urban: urban.clone().pt("a") },
            near_poor: ByArea { rural: rural.clone().pt("b"), urban: urban.clone().pt("b") },
            average_living_standard: Some(ByArea { rural: rural.pt("c"), urban: urban.pt("c") }),
            provenance: Confirmed,
        },
        // Circular 17/2016/TT-BLĐTBXH Art. 6 cl. 2 as rewritten by Circular 14/2018 [C];
        // that the 2016 original used the same numbers is [S]: provisional as a whole.
        review_scores: Some(Cited::new(
            ReviewScores {
                poverty_score: ByArea { rural: 120, urban: 140 },
                near_poverty_score: Some(ByArea { rural: 150, urban: 175 }),
                points_per_deprivation: 10,
                deprivation_score_cutoff: 30,
            },
            Secondary,
            Citation::doc(DocumentKind::Circular, "17/2016/TT-BLĐTBXH")
                .art(6)
                .cl(2)
                .note("as rewritten by Circular 14/2018/TT-BLĐTBXH, in force from 10 Nov 2018"),
        )),
        af_weights: None,
    }
}
