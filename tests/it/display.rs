//! `Display` honours width, fill, alignment and precision, as std's own types do, so an
//! embedder's table lines up: codes pad like strings, amounts like numbers, and an amount's
//! precision is its decimals (rounded half away from zero), never a cut of its text.

use chuan_ngheo::{Area, Indicator, IndicatorSet, Lang, PovertyClass, Vnd};

#[test]
fn codes_pad_like_strings() {
    assert_eq!(format!("{:>12}|", Area::Rural), "       rural|");
    assert_eq!(format!("{:<12}|", PovertyClass::NearPoor), "near_poor   |");
    assert_eq!(format!("{:^9}|", Indicator::Water), "  water  |");
    assert_eq!(format!("{:*>4}", Lang::Vi), "**vi");
    let set: IndicatorSet = [Indicator::Water, Indicator::Sanitation]
        .into_iter()
        .collect();
    assert_eq!(format!("{set:>20}|"), "   water, sanitation|");
    assert_eq!(format!("{:>6}", IndicatorSet::EMPTY), "  none");
}

#[test]
fn amounts_pad_like_numbers_and_precision_is_decimals() {
    let line = Vnd::from_dong(1_500_000);
    assert_eq!(format!("{line}"), "1,500,000 VND");
    assert_eq!(format!("{line:>20}|"), "       1,500,000 VND|");
    assert_eq!(format!("{line:<20}|"), "1,500,000 VND       |");
    assert_eq!(format!("{line:.2}"), "1,500,000.00 VND");
    let odd: Vnd = "1450000.5".parse().unwrap();
    assert_eq!(format!("{odd:.0}"), "1,450,001 VND");
    assert_eq!(format!("{odd}"), "1,450,000.5 VND");
    assert_eq!(format!("{:>18.0}", odd.display_vi()), "       1.450.001 ₫");
    let neg: Vnd = "-0.5".parse().unwrap();
    assert_eq!(format!("{neg:.0}"), "-1 VND");
}
