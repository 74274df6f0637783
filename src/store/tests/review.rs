//! The review's rows in the store: what a seller's and a team's cards went through since their
//! previous meeting, read back through `insight::changes::review` against a hand-worked
//! story, and every statement's plan (an index by seller or team, never a scan).

use chrono::NaiveDate;

use super::{new, plan, setup};
use crate::domain::review::{Change, ReviewScope};
use crate::domain::{ActivityKind, NewActivity, Stage, Status};
use crate::insight::changes;
use crate::store::review::{
    CARD_FACTS, STALE_COUNT, last_meeting_sql, overdue_sql, scope_rows, stale_sql,
};
use crate::store::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn clock(store: &mut Store, m: u32, d: u32) {
    store.set_clock(Clock::Fixed(day(m, d).and_hms_opt(9, 0, 0).unwrap()));
}

fn card(
    store: &mut Store,
    funnel: &Funnel,
    title: &str,
    value: i64,
    owner: &str,
    team: &str,
) -> String {
    let mut new = new(title, value, Stage::ProblemRecognized);
    new.fields.owner = owner.into();
    new.fields.team = team.into();
    new.fields.expected_close = Some(day(6, 10));
    store.add_opportunity(funnel, new).unwrap().id
}

fn edit(store: &mut Store, id: &str, change: impl FnOnce(&mut crate::domain::OpportunityFields)) {
    let card = store.opportunity(id).unwrap();
    let mut fields = card.fields.clone();
    change(&mut fields);
    store.update_fields(id, card.version, fields).unwrap();
}

fn touch(store: &mut Store, id: &str, on: NaiveDate) {
    let call = NewActivity {
        kind: ActivityKind::Call,
        on,
        at: None,
        with: String::new(),
        summary: "call".into(),
    };
    store.log_activity(id, &call).unwrap();
}

/// The story, worked out by hand. On 1 April ana (team east) has A (1000), B (800) and S
/// (300); cid (east) has K (400); bob (west) has D (200) and E (100, ana's until 25 April).
/// ana's one-to-one is held on 10 April (an action item due 20 April left open, one due
/// 10 May, one due 15 April done). Then: A's close 10 June → 20 June (12 April) → 1 July
/// (14 April) → 25 June (15 April): pushed twice; A forced from "problem recognized" to
/// "decision criteria" (16 April), back to "impact defined" (18 April), a call on 1 May.
/// B won on 20 April. C (500) new on 22 April. D's close pushed (bob's). E handed to bob on
/// 25 April. K's value 400 → 450 on 23 April. S untouched since 1 April: inactive from 16
/// April (after 14 days), after the meeting: gone stale. Today is 4 May.
fn story() -> (Store, Funnel, [String; 7]) {
    let (mut store, funnel) = setup();
    clock(&mut store, 4, 1);
    let a = card(&mut store, &funnel, "A", 1000, "ana", "east");
    let b = card(&mut store, &funnel, "B", 800, "ana", "east");
    let s = card(&mut store, &funnel, "S", 300, "ana", "east");
    let k = card(&mut store, &funnel, "K", 400, "cid", "east");
    let d = card(&mut store, &funnel, "D", 200, "bob", "west");
    let e = card(&mut store, &funnel, "E", 100, "ana", "east");
    clock(&mut store, 4, 10);
    let meeting = store.start_meeting(&funnel, "ana").unwrap();
    store.set_meeting_skill(&meeting.id, "discovery").unwrap();
    store
        .add_action_item(&meeting.id, "ana", "Call the CFO", Some(day(4, 20)))
        .unwrap();
    store
        .add_action_item(&meeting.id, "ana", "Send the case", Some(day(5, 10)))
        .unwrap();
    let done = store
        .add_action_item(&meeting.id, "ana", "Book the demo", Some(day(4, 15)))
        .unwrap();
    store.toggle_action_item(&done.id).unwrap();
    for (d, close) in [(12, day(6, 20)), (14, day(7, 1)), (15, day(6, 25))] {
        clock(&mut store, 4, d);
        edit(&mut store, &a, |f| f.expected_close = Some(close));
    }
    edit(&mut store, &d, |f| f.expected_close = Some(day(8, 1)));
    clock(&mut store, 4, 16);
    store
        .move_stage(&a, None, Stage::DecisionCriteria, true)
        .unwrap();
    clock(&mut store, 4, 18);
    store
        .move_stage(&a, None, Stage::ImpactDefined, true)
        .unwrap();
    clock(&mut store, 4, 20);
    store.mark_won(&b, None, day(4, 20)).unwrap();
    clock(&mut store, 4, 22);
    let c = card(&mut store, &funnel, "C", 500, "ana", "east");
    clock(&mut store, 4, 23);
    edit(&mut store, &k, |f| f.value_cents = 450);
    clock(&mut store, 4, 25);
    edit(&mut store, &e, |f| {
        f.owner = "bob".into();
        f.team = "west".into();
    });
    touch(&mut store, &a, day(5, 1));
    for id in [&b, &c, &k, &d, &e] {
        touch(&mut store, id, day(5, 2));
    }
    clock(&mut store, 5, 4);
    (store, funnel, [a, b, c, s, k, d, e])
}

#[test]
fn a_sellers_review_since_the_previous_meeting_is_the_story() {
    let (store, funnel, [a, b, c, s, ..]) = story();
    let ana = ReviewScope::Owner("ana".into());
    assert_eq!(
        store.last_meeting_day(&funnel, &ana, day(5, 4)).unwrap(),
        Some(day(4, 10))
    );
    // The meeting of the day itself is not "the previous one".
    assert_eq!(
        store.last_meeting_day(&funnel, &ana, day(4, 10)).unwrap(),
        None
    );
    let review = changes::review(&store, &funnel, &ana, None, 14).unwrap();
    assert_eq!((review.since, review.today), (day(4, 10), day(5, 4)));
    let ids: Vec<&str> = review.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, [&a, &s, &b, &c], "warnings by value, then the rest");
    assert_eq!(
        review.cards[0].changes,
        [
            Change::ClosePushed {
                from: Some(day(6, 10)),
                to: Some(day(6, 25)),
                times: 2
            },
            Change::Unverified {
                from: Stage::ProblemRecognized,
                to: Stage::DecisionCriteria
            },
            Change::Backward {
                from: Stage::DecisionCriteria,
                to: Stage::ImpactDefined
            },
        ]
    );
    assert_eq!(
        (review.cards[0].stage, review.cards[0].value_cents),
        (Stage::ImpactDefined, 1000)
    );
    assert_eq!(
        review.cards[1].changes,
        [Change::GoneStale {
            since_day: day(4, 16)
        }]
    );
    assert_eq!(review.cards[2].changes, [Change::Won { value_cents: 800 }]);
    assert_eq!(review.cards[2].status, Status::Won);
    assert_eq!(review.cards[3].changes, [Change::New]);
    let counts = review.counts;
    assert_eq!(
        (
            counts.cards,
            counts.pushed,
            counts.pushes,
            counts.unverified,
            counts.backward
        ),
        (4, 1, 2, 1, 1)
    );
    assert_eq!(
        (counts.won_cents, counts.added_cents, counts.gone_stale),
        (800, 500, 1)
    );
    let items: Vec<(&str, NaiveDate)> = (review.overdue_items.iter())
        .map(|i| (i.text.as_str(), i.due))
        .collect();
    assert_eq!(items, [("Call the CFO", day(4, 20))]);
    assert_eq!(review.overdue_items[0].meeting_day, day(4, 10));

    // Since a later day, the earlier pushes are left out; with no meeting, 30 days back.
    let later = changes::review(&store, &funnel, &ana, Some(day(4, 15)), 14).unwrap();
    assert_eq!(
        later.cards[0].changes[0],
        Change::ClosePulled {
            from: day(7, 1),
            to: day(6, 25)
        }
    );
    let bob = ReviewScope::Owner("bob".into());
    let review = changes::review(&store, &funnel, &bob, None, 14).unwrap();
    assert_eq!(review.since, day(4, 4));
}

#[test]
fn a_handed_card_is_in_its_new_sellers_review_and_a_team_is_its_sellers() {
    let (store, funnel, [a, b, c, s, k, d, e]) = story();
    let bob = changes::review(
        &store,
        &funnel,
        &ReviewScope::Owner("bob".into()),
        Some(day(4, 10)),
        14,
    )
    .unwrap();
    let ids: Vec<&str> = bob.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, [&d, &e]);
    assert_eq!(
        bob.cards[1].changes,
        [Change::Handed {
            from: "ana".into(),
            to: "bob".into()
        }]
    );
    // East: ana's and cid's cards, recorded while they were east's; bob's (west) are not.
    let east = ReviewScope::Team("east".into());
    let review = changes::review(&store, &funnel, &east, Some(day(4, 10)), 14).unwrap();
    let ids: Vec<&str> = review.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, [&a, &s, &b, &c, &k]);
    assert_eq!(
        review.cards[4].changes,
        [Change::Value { from: 400, to: 450 }]
    );
    // No team meeting yet: 30 days back; the seller's action items are not the team's.
    assert_eq!(
        store.last_meeting_day(&funnel, &east, day(5, 4)).unwrap(),
        None
    );
    assert!(review.overdue_items.is_empty());
}

#[test]
fn events_and_field_changes_record_the_cards_owner_and_team() {
    let (store, _, [a, .., e]) = story();
    let recorded = |table: &str, id: &str| -> Vec<(String, String)> {
        let sql = format!(
            "SELECT card_owner, card_team FROM {table} WHERE opportunity_id = ?1 ORDER BY rowid"
        );
        let mut stmt = store.conn.prepare(&sql).unwrap();
        let rows = stmt.query_map([card_key::CardKey(id)], |r| Ok((r.get(0)?, r.get(1)?)));
        rows.unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    let east = ("ana".to_owned(), "east".to_owned());
    assert_eq!(
        recorded("stage_events", &a),
        [east.clone(), east.clone(), east.clone()]
    );
    assert_eq!(
        recorded("card_history", &e).last(),
        Some(&("bob".to_owned(), "west".to_owned()))
    );
}

#[test]
fn the_reviews_statements_follow_an_index_by_seller_or_team() {
    let (store, _) = setup();
    for team in [false, true] {
        let events = plan(&store, &scope_rows("stage_events", "at", team));
        assert_eq!(
            events,
            "SEARCH stage_events USING INDEX stage_events_by_owner (card_owner=? AND at>?)"
        );
        let history = plan(&store, &scope_rows("card_history", "updated_at", team));
        assert_eq!(
            history,
            "SEARCH card_history USING INDEX card_history_by_owner (card_owner=? AND updated_at>?)"
        );
        // A team's: the card is read only for its team, once the index found it.
        let stale = plan(&store, &stale_sql(team));
        let covering = if team { "" } else { "COVERING " };
        assert_eq!(
            stale,
            format!("SEARCH o USING {covering}INDEX opportunities_agenda (funnel=?)")
        );
    }
    assert_eq!(
        plan(&store, STALE_COUNT),
        "SEARCH upkeep_counts USING PRIMARY KEY (funnel=? AND what=? AND owner=? AND day>? AND day<?)"
    );
    assert_eq!(
        plan(&store, CARD_FACTS),
        "SEARCH o USING PRIMARY KEY (id=?)"
    );
    for scope in [
        ReviewScope::Owner("ana".into()),
        ReviewScope::Team("east".into()),
    ] {
        let last = plan(&store, last_meeting_sql(&scope));
        assert!(
            last.starts_with("SEARCH meetings USING INDEX meetings_by_"),
            "{last}"
        );
        let overdue = plan(&store, overdue_sql(&scope));
        assert!(
            !overdue.contains("SCAN") && !overdue.contains("TEMP"),
            "{overdue}"
        );
    }
}
