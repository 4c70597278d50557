//! The crate's integration tests, one binary (one link on 2 cores instead of 22): each
//! module is a former test file, named after what it checks. `tests/allocation_free.rs`
//! stays apart: it installs a counting global allocator, which would count every other
//! test's allocations too.

mod common;

mod census;
mod cli_output;
mod display;
mod downstream_kit;
mod embedding;
mod exit;
mod extreme_values;
mod facts_cases;
mod facts_census;
mod facts_hostile;
mod facts_rules;
mod hostile_input;
mod impact;
mod legal_cases;
mod population_properties;
mod precision;
mod precision_properties;
mod properties;
mod readme;
mod records_across_standards;
mod rules;
mod targets;
mod transitions;
