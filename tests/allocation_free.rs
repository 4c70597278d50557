//! The per-household path allocates nothing: classification, and facts evaluated and
//! classified for households of up to 16 members. Counted with a global allocator that
//! counts (this test binary only; the library itself forbids unsafe code).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use chuan_ngheo::population::sample_data::facts_country;
use chuan_ngheo::{classify, facts, Standard};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's layout contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn facts_to_class_allocates_nothing_for_households_up_to_16_members() {
    let country = facts_country(5000, 3);
    let standards: Vec<&Standard> = Standard::builtins().iter().collect();
    // Make sure every household is within the allocation-free size, and warm up (lazy data).
    assert!(country.iter().all(|h| h.facts.members.len() <= 16));
    for s in &standards {
        let f = facts::evaluate(s, &country[0].facts).unwrap();
        let _ = classify(s, &f.household(country[0].area, country[0].income)).unwrap();
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let mut poor = 0usize;
    for s in &standards {
        for h in &country {
            let f = facts::evaluate(s, &h.facts).unwrap();
            let a = classify(s, &f.household(h.area, h.income)).unwrap();
            poor += (a.class() == chuan_ngheo::PovertyClass::Poor) as usize;
        }
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert!(poor > 0);
    assert_eq!(after - before, 0, "allocations on the per-household path");
}
