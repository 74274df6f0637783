//! What the benches share: the day they run on, the sizes asked for, and the demo files they
//! make once and reuse.

use std::path::PathBuf;

use chrono::NaiveDate;
use funnel::demo::{DemoOptions, generate};
use funnel::store::{Clock, Funnel, Store};

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 15).unwrap()
}

/// Sizes from `FUNNEL_BENCH_SIZES` (comma-separated, default `1000`).
pub fn sizes() -> Vec<usize> {
    std::env::var("FUNNEL_BENCH_SIZES")
        .unwrap_or_else(|_| "1000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("FUNNEL_BENCH_SIZES: numbers"))
        .collect()
}

/// `target/bench-data/NAME-SIZE.db`, a demo funnel of `size` cards generated on first use, on
/// the bench's day and signed by it.
pub fn demo(name: &str, size: usize) -> (Store, Funnel) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{size}.db"));
    let fresh = !path.exists();
    let mut store = Store::open(&path).unwrap();
    store.set_clock(Clock::Fixed(today().and_hms_opt(12, 0, 0).unwrap()));
    store.set_actor("bench");
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    if fresh {
        generate(&mut store, &funnel, &DemoOptions::new(size, today()), None).unwrap();
    }
    (store, funnel)
}
