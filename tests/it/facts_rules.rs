//! Each indicator rule of facts §2, named after the rule and its provision, on both sides of
//! every age edge and of the floor-area edge, with unknown facts on each side (facts §3).

use chuan_ngheo::facts::{
    self, Device, DeviceSet, Education, HouseholdFacts, Labour, Latrine, Material, MemberFacts,
    Waste, WaterSource,
};
use chuan_ngheo::{Answer, Indicator, Standard};
use rust_decimal::Decimal;

use Answer::{Deprived as D, NotDeprived as N, Unknown as U};

/// A member who is deprived in nothing under any standard: an adult with a contract, a card,
/// upper secondary schooling.
fn adult() -> MemberFacts {
    MemberFacts::new()
        .age(40)
        .labour(Labour::EmployedWithContract)
        .social_allowance(false)
        .stunted(false)
        .underweight(false)
        .health_insurance(true)
        .in_school(false)
        .level_suited_to_age(true)
        .education(Education::UpperSecondary)
        .ill_untreated(false)
}

/// A household deprived in nothing: 60 m², durable, piped water, septic latrine, connected.
fn home() -> HouseholdFacts {
    HouseholdFacts::builder()
        .floor_area_m2(Decimal::from(60))
        .walls(Material::Durable)
        .pillars(Material::Durable)
        .roof(Material::Durable)
        .water_source(WaterSource::Piped)
        .latrine(Latrine::Septic)
        .internet(true)
        .phone(true)
        .devices([Device::Tv].into_iter().collect())
        .loudspeaker(true)
        .waste(Waste::Collected)
        .build()
}

fn with(members: &[MemberFacts]) -> HouseholdFacts {
    let mut h = home();
    h.members = members.to_vec();
    h
}

fn answer(standard: &str, h: &HouseholdFacts, i: Indicator) -> Answer {
    let s = Standard::builtin(standard).unwrap();
    facts::evaluate(s, h).unwrap().answer(i)
}

const S16: &str = "vn-2016-2020";
const S22: &str = "vn-2022-2025";
const S27: &str = "vn-2027-2030";

fn member_case(standard: &str, i: Indicator, m: MemberFacts) -> Answer {
    answer(standard, &with(&[adult(), m]), i)
}

#[test]
fn the_templates_are_deprived_in_nothing() {
    for s in [S16, S22, S27] {
        let st = Standard::builtin(s).unwrap();
        let f = facts::evaluate(st, &with(&[adult(), adult()])).unwrap();
        assert!(f.deprivations().is_empty() && f.unknown().is_empty(), "{s}");
    }
}

#[test]
fn health_insurance_nd_07_2021_and_qd_59_2015_from_age_6() {
    for s in [S16, S22, S27] {
        let no_card = |age| {
            member_case(
                s,
                Indicator::HealthInsurance,
                adult().age(age).health_insurance(false),
            )
        };
        assert_eq!(no_card(5), N, "{s}");
        assert_eq!(no_card(6), D, "{s}");
        let mut unknown_age = adult().health_insurance(false);
        unknown_age.age = None;
        assert_eq!(member_case(s, Indicator::HealthInsurance, unknown_age), U);
        let mut card_unknown = adult().age(6);
        card_unknown.health_insurance = None;
        assert_eq!(member_case(s, Indicator::HealthInsurance, card_unknown), U);
        let mut card_age_unknown = adult().health_insurance(true);
        card_age_unknown.age = None;
        assert_eq!(
            member_case(s, Indicator::HealthInsurance, card_age_unknown),
            N
        );
        let mut young_card_unknown = adult().age(5);
        young_card_unknown.health_insurance = None;
        assert_eq!(
            member_case(s, Indicator::HealthInsurance, young_card_unknown),
            N
        );
    }
}

#[test]
fn nutrition_nd_07_2021_a_child_under_16_stunted_or_underweight() {
    for s in [S22, S27] {
        let stunted = |age| member_case(s, Indicator::Nutrition, adult().age(age).stunted(true));
        assert_eq!(stunted(15), D);
        assert_eq!(stunted(16), N);
        assert_eq!(
            member_case(s, Indicator::Nutrition, adult().age(0).underweight(true)),
            D
        );
        let mut unknown = adult().age(15);
        unknown.stunted = None;
        assert_eq!(member_case(s, Indicator::Nutrition, unknown), U);
        let mut unknown_adult = adult().age(16);
        unknown_adult.stunted = None;
        assert_eq!(member_case(s, Indicator::Nutrition, unknown_adult), N);
    }
}

#[test]
fn adult_education_nd_07_2021_16_to_17_lower_secondary_18_to_30_upper_secondary() {
    for s in [S22, S27] {
        let with_edu =
            |age, e| member_case(s, Indicator::AdultEducation, adult().age(age).education(e));
        assert_eq!(with_edu(15, Education::Primary), N);
        assert_eq!(with_edu(16, Education::Primary), D);
        assert_eq!(with_edu(16, Education::LowerSecondary), N);
        assert_eq!(with_edu(17, Education::LowerSecondary), N);
        assert_eq!(with_edu(18, Education::LowerSecondary), D);
        assert_eq!(with_edu(18, Education::VocationalElementary), N);
        assert_eq!(with_edu(30, Education::LowerSecondary), D);
        assert_eq!(with_edu(31, Education::None), N);
        let in_school = adult()
            .age(20)
            .education(Education::Primary)
            .in_school(true);
        assert_eq!(member_case(s, Indicator::AdultEducation, in_school), N);
        let mut school_unknown = adult().age(20).education(Education::Primary);
        school_unknown.in_school = None;
        assert_eq!(member_case(s, Indicator::AdultEducation, school_unknown), U);
        let mut edu_unknown = adult().age(20);
        edu_unknown.education = None;
        assert_eq!(member_case(s, Indicator::AdultEducation, edu_unknown), U);
        // Age unknown: upper secondary is accepted in both bands; primary is not.
        for (e, want) in [
            (Education::UpperSecondary, N),
            (Education::LowerSecondary, U),
            (Education::Primary, U),
        ] {
            let mut m = adult().education(e);
            m.age = None;
            assert_eq!(member_case(s, Indicator::AdultEducation, m), want, "{e}");
        }
    }
}

#[test]
fn adult_education_qd_59_2015_15_to_30_with_primary_or_less() {
    let with_edu = |age, e| {
        member_case(
            S16,
            Indicator::AdultEducation,
            adult().age(age).education(e),
        )
    };
    assert_eq!(with_edu(14, Education::None), N);
    assert_eq!(with_edu(15, Education::None), D);
    assert_eq!(with_edu(30, Education::Primary), D);
    assert_eq!(with_edu(31, Education::Primary), N);
    assert_eq!(with_edu(20, Education::LowerSecondary), N);
}

#[test]
fn child_schooling_nd_07_2021_a_child_3_to_15_out_of_school_or_behind() {
    for s in [S22, S27] {
        let out = |age| {
            member_case(
                s,
                Indicator::ChildSchooling,
                adult().age(age).in_school(false),
            )
        };
        assert_eq!(out(2), N);
        assert_eq!(out(3), D);
        assert_eq!(out(15), D);
        assert_eq!(out(16), N);
        let behind = adult().age(10).in_school(true).level_suited_to_age(false);
        assert_eq!(member_case(s, Indicator::ChildSchooling, behind), D);
        let mut school_unknown_behind = adult().age(10).level_suited_to_age(false);
        school_unknown_behind.in_school = None;
        assert_eq!(
            member_case(s, Indicator::ChildSchooling, school_unknown_behind),
            D
        );
        let mut level_unknown = adult().age(10).in_school(true);
        level_unknown.level_suited_to_age = None;
        assert_eq!(member_case(s, Indicator::ChildSchooling, level_unknown), U);
        let mut age_unknown = adult().in_school(false);
        age_unknown.age = None;
        assert_eq!(member_case(s, Indicator::ChildSchooling, age_unknown), U);
    }
}

#[test]
fn child_schooling_qd_59_2015_a_child_5_to_14_out_of_school() {
    let out = |age| {
        member_case(
            S16,
            Indicator::ChildSchooling,
            adult().age(age).in_school(false),
        )
    };
    assert_eq!(out(4), N);
    assert_eq!(out(5), D);
    assert_eq!(out(14), D);
    assert_eq!(out(15), N);
}

#[test]
fn employment_nd_07_2021_unemployed_or_without_a_labour_contract() {
    for s in [S22, S27] {
        for (l, want) in [
            (Labour::Unemployed, D),
            (Labour::EmployedWithoutContract, D),
            (Labour::SelfEmployed, N),
            (Labour::NotInLabourForce, N),
        ] {
            assert_eq!(
                member_case(s, Indicator::Employment, adult().labour(l)),
                want,
                "{l}"
            );
        }
        let mut unknown = adult();
        unknown.labour = None;
        assert_eq!(member_case(s, Indicator::Employment, unknown), U);
    }
}

#[test]
fn dependants_nd_07_2021_more_than_half_under_16_or_on_allowance() {
    for s in [S22, S27] {
        let child = adult()
            .age(10)
            .education(Education::Primary)
            .in_school(true);
        // Two of four is half: not more than half.
        let h = with(&[adult(), adult(), child, child]);
        assert_eq!(answer(s, &h, Indicator::Dependants), N);
        let on_allowance = adult().social_allowance(true);
        let h = with(&[adult(), on_allowance, child, child]);
        assert_eq!(answer(s, &h, Indicator::Dependants), D);
        let mut maybe = adult();
        maybe.social_allowance = None;
        let h = with(&[adult(), maybe, child, child]);
        assert_eq!(answer(s, &h, Indicator::Dependants), U);
        let mut age_unknown = adult();
        age_unknown.age = None;
        let h = with(&[adult(), adult(), age_unknown, child]);
        assert_eq!(answer(s, &h, Indicator::Dependants), N, "2 of 4 at most");
    }
}

#[test]
fn housing_quality_two_of_walls_pillars_roof_non_durable() {
    for s in [S16, S22, S27] {
        let mut h = with(&[adult()]);
        h.walls = Some(Material::NonDurable);
        assert_eq!(answer(s, &h, Indicator::HousingQuality), N);
        h.roof = None;
        assert_eq!(answer(s, &h, Indicator::HousingQuality), U);
        h.roof = Some(Material::NonDurable);
        assert_eq!(answer(s, &h, Indicator::HousingQuality), D);
        let mut one_unknown = with(&[adult()]);
        one_unknown.roof = None;
        assert_eq!(answer(s, &one_unknown, Indicator::HousingQuality), N);
    }
}

#[test]
fn housing_area_under_8_m2_per_person_exactly() {
    for s in [S16, S22, S27] {
        let area = |a: &str, n: usize| {
            let mut h = with(&vec![adult(); n]);
            h.floor_area_m2 = Some(a.parse().unwrap());
            answer(s, &h, Indicator::HousingArea)
        };
        assert_eq!(area("31.99", 4), D);
        assert_eq!(area("32", 4), N);
        assert_eq!(area("32.00", 4), N);
        assert_eq!(area("32.01", 4), N);
        assert_eq!(area("7.999999999", 1), D);
        assert_eq!(area("0", 1), D);
        let mut unknown = with(&[adult()]);
        unknown.floor_area_m2 = None;
        assert_eq!(answer(s, &unknown, Indicator::HousingArea), U);
    }
}

#[test]
fn water_and_sanitation_outside_the_safe_and_hygienic_lists() {
    for s in [S16, S22, S27] {
        for (w, want) in [
            (WaterSource::Piped, N),
            (WaterSource::Bottled, N),
            (WaterSource::Rainwater, N),
            (WaterSource::UnprotectedDugWell, D),
            (WaterSource::Surface, D),
            (WaterSource::Vendor, D),
        ] {
            let mut h = with(&[adult()]);
            h.water_source = Some(w);
            assert_eq!(answer(s, &h, Indicator::Water), want, "{s} {w}");
        }
        for (l, want) in [
            (Latrine::VentilatedPit, N),
            (Latrine::PitWithSlab, D),
            (Latrine::None, D),
        ] {
            let mut h = with(&[adult()]);
            h.latrine = Some(l);
            assert_eq!(answer(s, &h, Indicator::Sanitation), want, "{s} {l}");
        }
        let mut h = with(&[adult()]);
        h.water_source = None;
        assert_eq!(answer(s, &h, Indicator::Water), U);
    }
}

#[test]
fn telecom_nd_07_2021_no_internet_and_qd_59_2015_neither_phone_nor_internet() {
    let mut h = with(&[adult()]);
    h.internet = Some(false);
    assert_eq!(answer(S22, &h, Indicator::Telecom), D);
    assert_eq!(
        answer(S16, &h, Indicator::Telecom),
        N,
        "the phone is enough in 2016"
    );
    h.phone = None;
    assert_eq!(answer(S16, &h, Indicator::Telecom), U);
    h.phone = Some(false);
    assert_eq!(answer(S16, &h, Indicator::Telecom), D);
}

#[test]
fn information_access_no_device_and_no_loudspeaker() {
    let mut h = with(&[adult()]);
    h.devices = Some(DeviceSet::EMPTY);
    assert_eq!(
        answer(S22, &h, Indicator::InformationAccess),
        N,
        "the loudspeaker reaches it"
    );
    h.loudspeaker = Some(false);
    assert_eq!(answer(S22, &h, Indicator::InformationAccess), D);
    assert_eq!(answer(S16, &h, Indicator::InformationAccess), D);
    h.devices = Some([Device::Smartphone].into_iter().collect());
    assert_eq!(answer(S22, &h, Indicator::InformationAccess), N);
    assert_eq!(
        answer(S16, &h, Indicator::InformationAccess),
        D,
        "2016 counts tv, radio, computer"
    );
    h.devices = None;
    assert_eq!(answer(S22, &h, Indicator::InformationAccess), U);
}

#[test]
fn health_access_qd_59_2015_ill_and_untreated() {
    assert_eq!(
        member_case(S16, Indicator::HealthAccess, adult().ill_untreated(true)),
        D
    );
    let mut unknown = adult();
    unknown.ill_untreated = None;
    assert_eq!(member_case(S16, Indicator::HealthAccess, unknown), U);
}

#[test]
fn waste_and_digital_services_nd_351_2025() {
    let mut h = with(&[adult()]);
    h.waste = Some(Waste::Untreated);
    assert_eq!(answer(S27, &h, Indicator::Waste), D);
    h.waste = Some(Waste::Treated);
    assert_eq!(answer(S27, &h, Indicator::Waste), N);
    let mut h = with(&[adult()]);
    h.internet = Some(false);
    assert_eq!(answer(S27, &h, Indicator::DigitalServices), D);
    h.internet = None;
    assert_eq!(answer(S27, &h, Indicator::DigitalServices), U);
}

#[test]
fn a_household_of_more_than_16_members_is_evaluated_like_a_small_one() {
    // Above 16 members the evaluation takes its other path; the answers must not change.
    let child_out = adult()
        .age(10)
        .in_school(false)
        .education(Education::Primary);
    for n in [1usize, 15, 16, 17, 40, 70] {
        let mut members = vec![adult(); n];
        members.push(child_out);
        let h = with(&members);
        assert_eq!(answer(S22, &h, Indicator::ChildSchooling), D, "{n}");
        let mut members = vec![adult(); n];
        let mut unknown = adult();
        unknown.age = None;
        unknown.health_insurance = Some(false);
        members.push(unknown);
        assert_eq!(
            answer(S22, &with(&members), Indicator::HealthInsurance),
            U,
            "{n}"
        );
    }
}

#[test]
fn explanations_name_the_member_the_facts_and_the_provisional_mark() {
    let s = Standard::builtin(S22).unwrap();
    let h = with(&[adult(), adult().age(17).education(Education::Primary)]);
    let f = facts::evaluate(s, &h).unwrap();
    let why = f.explain(s, &h, Indicator::AdultEducation).unwrap();
    let en = why.reason.get(chuan_ngheo::Lang::En);
    assert!(en.starts_with("Adult education — deprived: member 2, aged 17, not in school, highest education primary"), "{en}");
    assert!(en.contains("[U;"), "{en}");
    let vi = why.reason.get(chuan_ngheo::Lang::Vi);
    assert!(vi.contains("thành viên thứ 2, 17 tuổi"), "{vi}");
    assert_eq!(why.provenance, chuan_ngheo::Provenance::Unverified);
    let area = f.explain(s, &h, Indicator::HousingArea).unwrap();
    assert!(area
        .reason
        .get(chuan_ngheo::Lang::En)
        .contains("floor area 60 m² for 2 members"));
}
