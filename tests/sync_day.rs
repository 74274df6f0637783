//! The seller's day through a real PostgreSQL hub: a card's next step with its time and its
//! activities reach the lead like the card's other records, and the day of the latest activity
//! each file keeps beside the card follows them without ever being pushed.
//!
//! Needs a server, as `tests/sync.rs` (`FUNNEL_TEST_PG`; skipped without it unless
//! `FUNNEL_REQUIRE_PG` is set).

mod common;
mod team_hub;

use chrono::{Days, NaiveTime};
use funnel::domain::{ActivityKind, NewActivity};
use team_hub::{Hub, next_millisecond, team};

#[test]
fn activities_and_timed_next_steps_reach_the_lead_and_the_latest_day_stays_local() {
    let Some(mut hub) = Hub::new("day") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team(&mut hub, dir.path());
    let card = ann.add("Acme renewal", "ann", 1000);
    let today = ann.store.today();
    let at = NaiveTime::from_hms_opt(9, 30, 0);
    (ann.store
        .set_next_step(&card, None, "Call the buyer", Some(today), at))
    .unwrap();
    let call = NewActivity {
        kind: ActivityKind::Call,
        on: today - Days::new(2),
        at: NaiveTime::from_hms_opt(11, 0, 0),
        with: "Dana".into(),
        summary: "Terms agreed".into(),
    };
    let logged = ann.store.log_activity(&card, &call).unwrap();
    assert!(ann.sync().refused.is_empty());
    lea.sync();
    let pulled = lea.store.opportunity(&card).unwrap();
    assert_eq!(pulled.fields.next_step_at, at);
    assert_eq!(pulled.fields.next_step_due, Some(today));
    assert_eq!(
        lea.store.activities(&card).unwrap(),
        std::slice::from_ref(&logged)
    );
    assert_eq!(lea.store.last_activity(&card).unwrap(), Some(call.on));
    // What the lead's file derived is not a change of its own.
    assert_eq!(lea.store.sync_pending().unwrap(), (0, 0));

    // Removed by its seller: gone for the lead too, and the day with it.
    next_millisecond();
    ann.store.delete_activity(&logged.id).unwrap();
    ann.sync();
    lea.sync();
    assert!(lea.store.activities(&card).unwrap().is_empty());
    assert_eq!(lea.store.last_activity(&card).unwrap(), None);
    assert_eq!(lea.store.sync_pending().unwrap(), (0, 0));
    let again = ann.sync();
    assert_eq!((again.pushed, again.pulled), (0, 0));
}
