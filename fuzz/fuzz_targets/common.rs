//! Shared by the import targets: a fresh in-memory funnel, the file imported for real, then the
//! store checked. A file may be refused, never half-imported or leave the totals wrong.

use chrono::NaiveDate;
use funnel::store::{Clock, Store};

pub fn import_and_check(data: &[u8], is_csv: bool) {
    let mut store = Store::open_in_memory().unwrap();
    let noon = NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    store.set_clock(Clock::Fixed(noon));
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let today = store.today();
    let imported =
        funnel::interchange::import_bytes(&mut store, &funnel, data, is_csv, false, today, None);
    if let Err(e) = &imported {
        assert!(e.store.is_none(), "a checked file failed in the store: {e}");
    }
    let problems = store.check().unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}
