//! The seller's day in the store: the activity log and the latest activity kept beside each
//! card, next steps, the agenda and its counts, the upkeep per seller, the timeline, what a
//! funnel's board remembers and the board's column orders.

use chrono::{NaiveDate, NaiveTime};

use super::{new, setup};
use crate::domain::upkeep::{Flag, Flags, Upkeep, UpkeepSettings};
use crate::domain::{ActivityKind, NewActivity, Opportunity, Stage, Status};
use crate::store::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn clock(store: &mut Store, m: u32, d: u32, h: u32) {
    store.set_clock(Clock::Fixed(day(m, d).and_hms_opt(h, 0, 0).unwrap()));
}

fn call(on: NaiveDate, summary: &str) -> NewActivity {
    NewActivity {
        kind: ActivityKind::Call,
        on,
        at: Some(time(10, 30)),
        with: " Dana\tScully ".into(),
        summary: summary.into(),
    }
}

fn outbox(store: &Store) -> Vec<(String, String)> {
    let mut stmt = (store.conn)
        .prepare("SELECT tbl, row_id FROM sync_outbox ORDER BY tbl, row_id")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)));
    rows.unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn an_activity_is_logged_cleaned_and_listed_newest_first() {
    let (mut store, funnel) = setup();
    let card = (store.add_opportunity(&funnel, new("Acme", 100, Stage::PreFunnel))).unwrap();
    let first = store
        .log_activity(&card.id, &call(day(5, 1), "first"))
        .unwrap();
    assert_eq!(first.with, "Dana Scully", "cleaned like other fields");
    assert_eq!(
        (first.kind, first.by.as_str()),
        (ActivityKind::Call, "local")
    );
    let later = store
        .log_activity(&card.id, &call(day(5, 3), "later"))
        .unwrap();
    let listed = store.activities(&card.id).unwrap();
    assert_eq!(listed, [later.clone(), first.clone()]);

    // Refused: an unknown or deleted card, a text longer than the store keeps.
    let unknown = store.log_activity("0190c8a0-0000-7000-8000-000000000000", &call(day(5, 1), ""));
    assert!(matches!(unknown, Err(StoreError::NotFound(_))));
    let long = call(
        day(5, 1),
        &"x".repeat(crate::domain::text::MAX_FIELD_CHARS + 1),
    );
    let err = store.log_activity(&card.id, &long).unwrap_err();
    assert!(err.to_string().starts_with("summary"), "{err}");
    assert!(!err.say(crate::domain::Lang::Fr).is_empty());
    store.delete(&card.id, None).unwrap();
    assert!(store.log_activity(&card.id, &call(day(5, 1), "")).is_err());
    assert_eq!(
        store.activities(&card.id).unwrap().len(),
        2,
        "nothing written"
    );
}

#[test]
fn the_latest_activity_follows_the_log() {
    let (mut store, funnel) = setup();
    let card = (store.add_opportunity(&funnel, new("Acme", 100, Stage::PreFunnel))).unwrap();
    assert_eq!(store.last_activity(&card.id).unwrap(), None);
    let late = store.log_activity(&card.id, &call(day(5, 3), "")).unwrap();
    let early = store.log_activity(&card.id, &call(day(4, 20), "")).unwrap();
    assert_eq!(store.last_activity(&card.id).unwrap(), Some(day(5, 3)));
    assert_eq!(store.card(&card.id).unwrap().last_activity, Some(day(5, 3)));
    // Removed: the one before it counts again.
    store.delete_activity(&late.id).unwrap();
    assert_eq!(store.last_activity(&card.id).unwrap(), Some(day(4, 20)));
    assert!(store.delete_activity(&late.id).is_err(), "already removed");
    // Gone altogether (plain SQL, as a repair might): none left.
    (store.conn)
        .execute("DELETE FROM activities WHERE id = ?1", [&early.id])
        .unwrap();
    assert_eq!(store.last_activity(&card.id).unwrap(), None);
    // Neither the card's version nor its history moved.
    assert_eq!(store.opportunity(&card.id).unwrap().version, card.version);
    assert_eq!(store.check().unwrap(), []);
}

#[test]
fn the_latest_activity_never_stamps_the_card_for_sync() {
    let (mut store, funnel) = setup();
    let card = (store.add_opportunity(&funnel, new("Acme", 100, Stage::PreFunnel))).unwrap();
    store.enable_sync().unwrap();
    store.conn.execute("DELETE FROM sync_outbox", []).unwrap();
    let hlc = |store: &Store| -> String {
        (store.conn)
            .query_row("SELECT hlc FROM opportunities", [], |r| r.get(0))
            .unwrap()
    };
    let before = hlc(&store);
    let logged = store.log_activity(&card.id, &call(day(5, 3), "")).unwrap();
    store.delete_activity(&logged.id).unwrap();
    assert_eq!(outbox(&store), [("activities".into(), logged.id.clone())]);
    assert_eq!(hlc(&store), before, "the card is not stamped");
    // A change to the card itself still is.
    (store.set_next_step(&card.id, None, "call", Some(day(5, 5)), None)).unwrap();
    assert!(outbox(&store).contains(&("opportunities".into(), card.id.clone())));
    assert!(hlc(&store) > before);
}

#[test]
fn a_next_step_is_set_then_marked_done() {
    let (mut store, funnel) = setup();
    let card = (store.add_opportunity(&funnel, new("Acme", 100, Stage::PreFunnel))).unwrap();
    let set = store
        .set_next_step(
            &card.id,
            Some(card.version),
            " Send\tthe quote ",
            Some(day(5, 6)),
            Some(time(9, 30)),
        )
        .unwrap();
    assert_eq!(set.fields.next_step, "Send the quote");
    assert_eq!(
        (set.fields.next_step_due, set.fields.next_step_at),
        (Some(day(5, 6)), Some(time(9, 30)))
    );
    assert_eq!(
        store.opportunity(&card.id).unwrap(),
        set,
        "read back as written"
    );
    // Based on the version before: refused, nothing written.
    let stale = store.set_next_step(&card.id, Some(card.version), "other", None, None);
    assert!(matches!(stale, Err(StoreError::Conflict)));

    let (done, activity) = store
        .next_step_done(&card.id, Some(set.version), day(5, 5))
        .unwrap();
    assert_eq!(
        (activity.kind, activity.summary.as_str(), activity.on),
        (ActivityKind::StepDone, "Send the quote", day(5, 5))
    );
    assert_eq!(done.fields.next_step, "");
    assert_eq!(
        (done.fields.next_step_due, done.fields.next_step_at),
        (None, None)
    );
    assert_eq!(store.opportunity(&card.id).unwrap(), done);
    assert_eq!(store.activities(&card.id).unwrap(), [activity]);
    assert_eq!(store.last_activity(&card.id).unwrap(), Some(day(5, 5)));
    let again = store.next_step_done(&card.id, None, day(5, 5)).unwrap_err();
    assert!(
        matches!(&again, StoreError::Invalid(r) if matches!(**r, Refusal::NoNextStep)),
        "{again}"
    );

    // A closed card plans no next step.
    store.mark_won(&card.id, None, day(5, 4)).unwrap();
    let closed = store
        .set_next_step(&card.id, None, "x", None, None)
        .unwrap_err();
    assert!(
        matches!(&closed, StoreError::Invalid(r) if matches!(**r, Refusal::NextStepOnClosed(Status::Won)))
    );
}

/// Title, owner, value, created (month, day), next step due, expected close.
type Row = (
    &'static str,
    &'static str,
    i64,
    (u32, u32),
    Option<(u32, u32)>,
    Option<(u32, u32)>,
);

/// Cards of a hand-computed agenda on 2026-05-04, every stage expecting 10 days, a card
/// inactive after 14 days without activity (since 2026-04-20):
///
/// | card | owner | value | in stage since | next step | close  | activity | flags                    |
/// |------|-------|-------|----------------|-----------|--------|----------|--------------------------|
/// | A    | ana   | 100   | 04-30          | 05-01     |        |          | overdue                  |
/// | B    | ana   | 500   | 04-30          | 05-04     |        |          | due today                |
/// | C    | bob   | 300   | 04-30          | 05-02     |        |          | overdue                  |
/// | D    | ana   | 900   | 04-30          |           |        |          | no next step             |
/// | E    | bob   | 200   | 03-01          | 05-10     | 04-01  |          | close, over stage, inact.|
/// | F    | ana   | 50    | 03-01          | 05-10     |        | 05-01    | over stage               |
/// | G    | ana   | 700   | 04-30          | 05-20     |        |          |                          |
/// | H    | ana   | 1000  | won            |           |        |          |                          |
pub(in crate::store) fn agenda_fixture() -> (Store, Funnel, Vec<Opportunity>) {
    let (mut store, funnel) = setup();
    let mut cards = Vec::new();
    let rows: [Row; 8] = [
        ("A", "ana", 100, (4, 30), Some((5, 1)), None),
        ("B", "ana", 500, (4, 30), Some((5, 4)), None),
        ("C", "bob", 300, (4, 30), Some((5, 2)), None),
        ("D", "ana", 900, (4, 30), None, None),
        ("E", "bob", 200, (3, 1), Some((5, 10)), Some((4, 1))),
        ("F", "ana", 50, (3, 1), Some((5, 10)), None),
        ("G", "ana", 700, (4, 30), Some((5, 20)), None),
        ("H", "ana", 1000, (4, 30), None, None),
    ];
    for (title, owner, value, (m, d), due, close) in rows {
        clock(&mut store, m, d, 9);
        let mut new = new(title, value, Stage::ProblemRecognized);
        new.fields.owner = owner.into();
        new.fields.expected_close = close.map(|(m, d)| day(m, d));
        let card = store.add_opportunity(&funnel, new).unwrap();
        clock(&mut store, 5, 4, 9);
        let due = due.map(|(m, d)| day(m, d));
        let card = store
            .set_next_step(&card.id, None, "step", due, None)
            .unwrap();
        cards.push(card);
    }
    store
        .log_activity(&cards[5].id, &call(day(5, 1), ""))
        .unwrap();
    store.mark_won(&cards[7].id, None, day(5, 4)).unwrap();
    (store, funnel, cards)
}

const EXPECTED: [u32; 8] = [10; 8];

fn titles(agenda: &Agenda) -> Vec<&str> {
    (agenda.lines.iter())
        .map(|l| l.card.fields.title.as_str())
        .collect()
}

#[test]
fn the_agenda_lists_what_needs_the_seller_most_urgent_first_with_every_count() {
    let (store, funnel, _) = agenda_fixture();
    let today = day(5, 4);
    let s = UpkeepSettings::default();
    let agenda = store
        .agenda(&funnel, None, today, &s, &EXPECTED, 10)
        .unwrap();
    assert_eq!(titles(&agenda), ["C", "A", "B", "E", "D", "F"]);
    assert!(!agenda.more);
    assert_eq!(agenda.counts.0, [2, 1, 1, 1, 2, 1]);
    let e = &agenda.lines[3];
    assert_eq!(
        e.flags.iter().collect::<Vec<_>>(),
        [Flag::ClosePassed, Flag::OverStage, Flag::Inactive]
    );
    assert_eq!(agenda.lines[5].last_activity, Some(day(5, 1)));
    assert_eq!(
        store
            .flag_counts(&funnel, None, today, &s, &EXPECTED)
            .unwrap(),
        agenda.counts
    );

    // The first lines only, the counts still of every card.
    let first = store
        .agenda(&funnel, None, today, &s, &EXPECTED, 3)
        .unwrap();
    assert_eq!((titles(&first), first.more), (vec!["C", "A", "B"], true));
    assert_eq!(first.counts, agenda.counts);
    let six = store
        .agenda(&funnel, None, today, &s, &EXPECTED, 6)
        .unwrap();
    assert!(!six.more, "exactly as many lines as cards");

    // One seller's.
    let ana = store
        .agenda(&funnel, Some("ana"), today, &s, &EXPECTED, 10)
        .unwrap();
    assert_eq!(titles(&ana), ["A", "B", "D", "F"]);
    assert_eq!(ana.counts.0, [1, 1, 0, 1, 1, 0]);
    assert_eq!(
        store
            .flag_counts(&funnel, Some("ana"), today, &s, &EXPECTED)
            .unwrap(),
        ana.counts
    );

    // A funnel that checks fewer flags: the others are neither listed nor counted.
    let some = UpkeepSettings {
        inactive_days: 14,
        flags: [Flag::Overdue, Flag::Inactive].into_iter().collect(),
    };
    let fewer = store
        .agenda(&funnel, None, today, &some, &EXPECTED, 10)
        .unwrap();
    assert_eq!(titles(&fewer), ["C", "A", "E"]);
    assert_eq!(fewer.counts.0, [2, 0, 0, 0, 0, 1]);
    assert_eq!(fewer.lines[2].flags, Flags::NONE.with(Flag::Inactive));
}

#[test]
fn the_counts_follow_every_change_to_the_cards() {
    let (mut store, funnel, cards) = agenda_fixture();
    let today = day(5, 4);
    let s = UpkeepSettings::default();
    let counts = |store: &Store| {
        store
            .flag_counts(&funnel, None, today, &s, &EXPECTED)
            .unwrap()
            .0
    };
    // A's step done without a new one: no next step instead of overdue.
    store.next_step_done(&cards[0].id, None, today).unwrap();
    assert_eq!(counts(&store), [1, 1, 1, 2, 2, 1]);
    // E logged today: active again; moved, its stage days start again.
    store.log_activity(&cards[4].id, &call(today, "")).unwrap();
    assert_eq!(counts(&store), [1, 1, 1, 2, 2, 0]);
    store
        .move_stage(&cards[4].id, None, Stage::PreFunnel, false)
        .unwrap();
    assert_eq!(counts(&store), [1, 1, 1, 2, 1, 0]);
    // Closed, deleted, reopened.
    store.mark_lost(&cards[2].id, None, "price", today).unwrap();
    store.delete(&cards[3].id, None).unwrap();
    assert_eq!(counts(&store), [0, 1, 1, 1, 1, 0]);
    store.reopen(&cards[2].id, None).unwrap();
    assert_eq!(counts(&store), [1, 1, 1, 1, 1, 0]);
    let agenda = store
        .agenda(&funnel, None, today, &s, &EXPECTED, 10)
        .unwrap();
    assert_eq!(agenda.counts.0, counts(&store));
    assert_eq!(store.check().unwrap(), []);
}

#[test]
fn upkeep_is_counted_per_seller() {
    let (store, funnel, _) = agenda_fixture();
    let upkeep = store
        .upkeep_by_owner(&funnel, day(5, 4), &UpkeepSettings::default(), &EXPECTED)
        .unwrap();
    // ana: A overdue, D without a next step; B, F, G kept. bob: C overdue, E inactive.
    assert_eq!(
        upkeep,
        [
            ("ana".to_owned(), Upkeep { open: 5, kept: 3 }),
            ("bob".to_owned(), Upkeep { open: 2, kept: 0 })
        ]
    );
}

#[test]
fn the_timeline_shows_everything_newest_first() {
    let (mut store, funnel) = setup();
    clock(&mut store, 5, 4, 9);
    let card = (store.add_opportunity(&funnel, new("Acme", 100, Stage::PreFunnel))).unwrap();
    clock(&mut store, 5, 4, 10);
    store.set_actor("ana");
    (store.set_next_step(&card.id, None, "call", Some(day(5, 6)), None)).unwrap();
    clock(&mut store, 5, 4, 11);
    let mut logged = call(day(5, 4), "talked");
    logged.at = Some(time(11, 30));
    store.log_activity(&card.id, &logged).unwrap();
    clock(&mut store, 5, 4, 12);
    store
        .move_stage(&card.id, None, Stage::ProblemRecognized, true)
        .unwrap();
    let timeline = store.timeline(&card.id).unwrap();
    let what: Vec<String> = timeline
        .iter()
        .map(|e| match &e.what {
            TimelineWhat::Activity(a) => format!("{:?} {} {:?}", a.kind, e.on, e.at),
            TimelineWhat::Stage(s) => {
                format!("{:?} {} {:?} {}", s.kind, s.evidence_confirmed, e.at, e.by)
            }
            TimelineWhat::Change { field, old, new } => {
                format!("{field:?} {old:?} {new:?} {}", e.by)
            }
        })
        .collect();
    assert_eq!(
        what,
        [
            "Moved false Some(12:00:00) ana",
            "Call 2026-05-04 Some(11:30:00)",
            "NextStepDue None Date(2026-05-06) ana",
            "NextStep None Text(\"call\") ana",
            "Created true Some(09:00:00) local",
        ]
    );
}

#[test]
fn field_changes_are_recorded_with_their_old_and_new_values() {
    let (mut store, funnel) = setup();
    let card = (store.add_opportunity(&funnel, new("Acme", 100, Stage::PreFunnel))).unwrap();
    let mut fields = card.fields.clone();
    fields.title = "Acme renewal".into();
    fields.value_cents = 250;
    fields.owner = "bob".into();
    fields.expected_close = Some(day(6, 30));
    fields.account = "not shown".into();
    store.update_fields(&card.id, card.version, fields).unwrap();
    let changes: Vec<_> = (store.timeline(&card.id).unwrap().into_iter())
        .filter_map(|e| match e.what {
            TimelineWhat::Change { field, old, new } => Some((field, old, new)),
            _ => None,
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                ChangedField::Owner,
                FieldValue::Text("ana".into()),
                FieldValue::Text("bob".into())
            ),
            (
                ChangedField::ExpectedClose,
                FieldValue::None,
                FieldValue::Date(day(6, 30))
            ),
            (
                ChangedField::Value,
                FieldValue::Amount(100),
                FieldValue::Amount(250)
            ),
            (
                ChangedField::Title,
                FieldValue::Text("Acme".into()),
                FieldValue::Text("Acme renewal".into())
            ),
        ]
    );
}

#[test]
fn a_funnel_remembers_its_settings_apart_from_another() {
    let (mut store, main) = setup();
    let other = store.add_funnel("other", "EUR", 1).unwrap();
    assert_eq!(store.funnel_setting(&main, "order").unwrap(), None);
    store
        .set_funnel_setting(&main, "order", "expected_close")
        .unwrap();
    store.set_funnel_setting(&other, "order", "value").unwrap();
    store
        .set_funnel_setting(&main, "order", "next_step_due")
        .unwrap();
    assert_eq!(
        store.funnel_setting(&main, "order").unwrap().as_deref(),
        Some("next_step_due")
    );
    assert_eq!(
        store.funnel_setting(&other, "order").unwrap().as_deref(),
        Some("value")
    );
}

#[test]
fn a_column_reads_in_each_order_from_any_card() {
    let (mut store, funnel) = setup();
    // title, value, in stage since, close, next step.
    let rows = [
        ("a", 300, (4, 1), Some((6, 1)), Some((5, 9))),
        ("b", 900, (4, 20), None, Some((5, 5))),
        ("c", 100, (3, 15), Some((5, 20)), None),
        ("d", 300, (4, 20), Some((5, 20)), Some((5, 5))),
    ];
    let mut ids = Vec::new();
    for (title, value, (m, d), close, due) in rows {
        clock(&mut store, m, d, 9);
        let mut new = new(title, value, Stage::ImpactDefined);
        new.fields.expected_close = close.map(|(m, d)| day(m, d));
        new.fields.next_step_due = due.map(|(m, d)| day(m, d));
        ids.push(store.add_opportunity(&funnel, new).unwrap().id);
    }
    clock(&mut store, 5, 4, 9);
    let by_id = |order: [usize; 4]| -> Vec<String> {
        let mut tied: Vec<String> = order.iter().map(|&i| ids[i].clone()).collect();
        // Equal keys go by id: the ids are drawn in creation order.
        tied.dedup();
        tied
    };
    let cases = [
        (ColumnOrder::Value, by_id([1, 0, 3, 2])),
        (ColumnOrder::ExpectedClose, by_id([2, 3, 0, 1])),
        (ColumnOrder::NextStepDue, by_id([1, 3, 0, 2])),
        (ColumnOrder::DaysInStage, by_id([2, 0, 1, 3])),
    ];
    for (order, expected) in cases {
        let filter = CardFilter {
            order,
            ..CardFilter::default()
        };
        let stage = Stage::ImpactDefined;
        let page = store
            .column_page(&funnel, stage, &filter, (0, 10, 4))
            .unwrap();
        let got: Vec<String> = page.iter().map(|c| c.opportunity.id.clone()).collect();
        assert_eq!(got, expected, "{order:?}");
        let from_end = store
            .column_page(&funnel, stage, &filter, (2, 2, 4))
            .unwrap();
        assert_eq!(from_end, page[2..], "{order:?} read from the end");
        for (i, card) in page.iter().enumerate() {
            let card = &card.opportunity;
            assert_eq!(
                store.rank_in_column(&funnel, card, &filter).unwrap(),
                i,
                "{order:?}"
            );
            let ids_of = |cards: Vec<Card>| -> Vec<String> {
                cards.into_iter().map(|c| c.opportunity.id).collect()
            };
            let below = store
                .column_beside(&funnel, &filter, card, Side::Below, 10)
                .unwrap();
            assert_eq!(ids_of(below), expected[i + 1..], "{order:?} below {i}");
            let above = store
                .column_beside(&funnel, &filter, card, Side::Above, 10)
                .unwrap();
            assert_eq!(ids_of(above), expected[..i], "{order:?} above {i}");
        }
    }
}

#[test]
fn check_finds_wrong_upkeep_counts_and_repair_counts_them_again() {
    let (store, _, _) = agenda_fixture();
    let mut store = store;
    (store.conn)
        .execute(
            "UPDATE upkeep_counts SET count = count + 1 WHERE what = 1",
            [],
        )
        .unwrap();
    let problems = store.check().unwrap();
    assert!(
        matches!(
            &problems[..],
            [Problem::Breakdown {
                table: "upkeep_counts",
                ..
            }]
        ),
        "{problems:?}"
    );
    store.repair().unwrap();
    assert_eq!(store.check().unwrap(), []);
}
