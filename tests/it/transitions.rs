//! Household status between reviews (standards.md §7).

use std::collections::HashMap;

use chuan_ngheo::transition::{status, transitions, Review, Status};
use chuan_ngheo::PovertyClass::{self, *};

#[test]
fn each_status_between_two_reviews() {
    let cases = [
        (Poor, Poor, Status::StayedPoor),
        (Poor, NearPoor, Status::EscapedPoverty),
        (Poor, NotPoor, Status::EscapedPoverty),
        (NearPoor, NearPoor, Status::StayedNearPoor),
        (NearPoor, AverageLivingStandard, Status::EscapedNearPoverty),
        (NearPoor, Poor, Status::NewlyPoor),
        (NotPoor, NearPoor, Status::NewlyNearPoor),
        (AverageLivingStandard, Poor, Status::NewlyPoor),
        (NotPoor, AverageLivingStandard, Status::StayedOut),
        (Indeterminate, Poor, Status::Undetermined),
        (Poor, Indeterminate, Status::Undetermined),
    ];
    for (from, to, want) in cases {
        assert_eq!(status(from, to, false), want, "{from} -> {to}");
    }
    assert_eq!(status(NotPoor, Poor, true), Status::FellBack);
    assert_eq!(status(NearPoor, Poor, true), Status::FellBack);
}

#[test]
fn fell_back_needs_poverty_in_an_earlier_review() {
    let r = [
        Review::new(2022, [("a", Poor), ("b", NotPoor)]).unwrap(),
        Review::new(2023, [("a", NotPoor), ("b", NotPoor)]).unwrap(),
        Review::new(2024, [("a", Poor), ("b", Poor)]).unwrap(),
    ];
    let t = transitions(&r).unwrap();
    assert_eq!(t.steps[0].status_of("a"), Some(Status::EscapedPoverty));
    assert_eq!(t.steps[1].status_of("a"), Some(Status::FellBack));
    assert_eq!(t.steps[1].status_of("b"), Some(Status::NewlyPoor));
}

#[test]
fn matrix_and_groups_count_every_household() {
    let r = [
        Review::new(2022, [("a", Poor), ("b", NearPoor), ("c", NotPoor)]).unwrap(),
        Review::new(2023, [("a", NearPoor), ("b", NearPoor), ("d", Poor)]).unwrap(),
    ];
    let step = &transitions(&r).unwrap().steps[0];
    assert_eq!(step.matrix[Poor.index()][NearPoor.index()], 1);
    assert_eq!(step.matrix[NotPoor.index()][5], 1, "c left");
    assert_eq!(step.matrix[5][Poor.index()], 1, "d is new");
    let total: u64 = step.matrix.iter().flatten().sum();
    assert_eq!(total, 4);
    let groups: HashMap<String, String> = [("a", "04"), ("b", "04"), ("d", "79")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let by = step.counts_by_group(&groups);
    assert_eq!(by["04"][&Status::EscapedPoverty], 1);
    assert_eq!(by["79"][&Status::New], 1);
    assert_eq!(by[""][&Status::Left], 1);
}

fn class() -> impl proptest::strategy::Strategy<Value = PovertyClass> {
    proptest::sample::select(vec![
        Poor,
        NearPoor,
        AverageLivingStandard,
        NotPoor,
        Indeterminate,
    ])
}

proptest::proptest! {
    #[test]
    fn transitions_conserve_households(
        a in proptest::collection::btree_map(0u16..60, class(), 0..40),
        b in proptest::collection::btree_map(0u16..60, class(), 0..40),
    ) {
        let ra = Review::new(2022, a.iter().map(|(k, c)| (k.to_string(), *c))).unwrap();
        let rb = Review::new(2023, b.iter().map(|(k, c)| (k.to_string(), *c))).unwrap();
        let t = transitions(&[ra, rb]).unwrap();
        let step = &t.steps[0];
        let mut ids: Vec<&str> = step.households.iter().map(|h| h.id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        proptest::prop_assert_eq!(ids.len(), n, "every id exactly once");
        let union: std::collections::BTreeSet<u16> = a.keys().chain(b.keys()).copied().collect();
        proptest::prop_assert_eq!(n, union.len());
        proptest::prop_assert_eq!(step.matrix.iter().flatten().sum::<u64>(), n as u64);
        proptest::prop_assert_eq!(step.counts.values().sum::<u64>(), n as u64);
    }
}
