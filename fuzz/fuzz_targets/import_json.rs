//! Any bytes as a .json import: refused with problems, or imported leaving a sound database.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::import_and_check(data, false));
