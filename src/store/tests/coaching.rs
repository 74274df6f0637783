//! Coaching in the store: seller and team meetings, what carries from one to the next, past
//! meetings and the last skill, a person's open action items, the snapshots per seller and
//! team, the unverified value, and the plans of their statements.

use chrono::NaiveDate;

use super::{at, new, plan, setup};
use crate::domain::Stage;
use crate::domain::insight::Snapshot;
use crate::domain::review::ReviewScope;
use crate::store::insight::{HAS_SNAPSHOT_SQL, SNAPSHOTS_SQL, UNVERIFIED_SQL};
use crate::store::meetings::{OPEN_ITEMS_SQL, TEAMS_SQL, last_skill_sql, past_meetings_sql};
use crate::store::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn clock(store: &mut Store, m: u32, d: u32) {
    store.set_clock(Clock::Fixed(at(2026, m, d)));
}

/// A card of `owner` in `team`.
fn card(store: &mut Store, funnel: &Funnel, owner: &str, team: &str, value: i64) -> String {
    let mut c = new("Deal", value, Stage::ProblemRecognized);
    c.fields.owner = owner.into();
    c.fields.team = team.into();
    store.add_opportunity(funnel, c).unwrap().id
}

fn owner(name: &str) -> ReviewScope {
    ReviewScope::Owner(name.into())
}

fn team(name: &str) -> ReviewScope {
    ReviewScope::Team(name.into())
}

#[test]
fn a_seller_meeting_keeps_the_sellers_team_and_a_team_meeting_its_team_and_lead() {
    let (mut store, funnel) = setup();
    card(&mut store, &funnel, "ana", "north", 100);
    let seller = store.start_meeting(&funnel, "ana").unwrap();
    assert_eq!(
        (seller.kind, seller.owner.as_str(), seller.team.as_str()),
        (MeetingKind::Seller, "ana", "north")
    );
    let lone = store.start_meeting(&funnel, "dee").unwrap();
    assert_eq!(lone.team, "", "no team on any card");
    let met = store
        .start_team_meeting(&funnel, " north\t", " lea ")
        .unwrap();
    assert_eq!(
        (met.kind, met.owner.as_str(), met.team.as_str()),
        (MeetingKind::Team, "lea", "north")
    );
    assert_eq!(store.meeting(&met.id).unwrap(), met);
    let unnamed = store.start_team_meeting(&funnel, "north", "").unwrap();
    assert_eq!(unnamed.owner, "");
    let refused = store.start_team_meeting(&funnel, "  ", "lea").unwrap_err();
    assert!(
        matches!(&refused, StoreError::Invalid(r) if matches!(**r, Refusal::NoTeam)),
        "{refused:?}"
    );
}

#[test]
fn team_meetings_carry_the_teams_open_items_and_seller_meetings_the_sellers() {
    let (mut store, funnel) = setup();
    // Lea leads north and sells too: her own meeting's items stay with her meetings.
    let hers = store.start_meeting(&funnel, "lea").unwrap();
    let own = store
        .add_action_item(&hers.id, "lea", "Own pipeline", None)
        .unwrap();
    let first = store.start_team_meeting(&funnel, "north", "lea").unwrap();
    let open = store
        .add_action_item(&first.id, "lea", "Coach bo on closing", None)
        .unwrap();
    let done = store
        .add_action_item(&first.id, "lea", "Hire", None)
        .unwrap();
    store.toggle_action_item(&done.id).unwrap();
    let south = store.start_team_meeting(&funnel, "south", "sam").unwrap();
    store
        .add_action_item(&south.id, "sam", "South's", None)
        .unwrap();
    clock(&mut store, 6, 1);
    let second = store.start_team_meeting(&funnel, "north", "lea").unwrap();
    assert_eq!(second.carried, [open]);
    let next_own = store.start_meeting(&funnel, "lea").unwrap();
    assert_eq!(next_own.carried, [own]);
}

#[test]
fn past_meetings_come_newest_first_with_their_items_and_without_the_one_in_progress() {
    let (mut store, funnel) = setup();
    let first = store.start_meeting(&funnel, "ana").unwrap();
    store.set_meeting_skill(&first.id, "Qualification").unwrap();
    let a = store.add_action_item(&first.id, "ana", "A", None).unwrap();
    store.add_action_item(&first.id, "ana", "B", None).unwrap();
    store.toggle_action_item(&a.id).unwrap();
    store.start_meeting(&funnel, "bob").unwrap();
    store.start_team_meeting(&funnel, "ana", "ana").unwrap();
    clock(&mut store, 6, 1);
    let second = store.start_meeting(&funnel, "ana").unwrap();
    store
        .set_meeting_notes(&second.id, "No skill this time")
        .unwrap();
    clock(&mut store, 7, 1);
    let now = store.start_meeting(&funnel, "ana").unwrap();

    let past = store
        .past_meetings(&funnel, &owner("ana"), Some(&now.id), 10)
        .unwrap();
    let seen: Vec<_> = past
        .iter()
        .map(|p| {
            (
                p.meeting.id.as_str(),
                p.meeting.held_on,
                p.meeting.skill.as_str(),
                p.items_done,
                p.items_open,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (second.id.as_str(), day(6, 1), "", 0, 0),
            (first.id.as_str(), day(5, 4), "Qualification", 1, 1)
        ]
    );
    assert!(past.iter().all(|p| p.meeting.items.is_empty()));
    let all = store
        .past_meetings(&funnel, &owner("ana"), None, 10)
        .unwrap();
    assert_eq!(all[0].meeting.id, now.id);
    assert_eq!(all.len(), 3);
    let one = store
        .past_meetings(&funnel, &owner("ana"), None, 1)
        .unwrap();
    assert_eq!(one.len(), 1);
    // The team meeting named "ana" is the team's, not the seller's.
    let teams = store
        .past_meetings(&funnel, &team("ana"), None, 10)
        .unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].meeting.kind, MeetingKind::Team);

    // The skill chosen last, skipping a meeting that chose none; none before the first.
    assert_eq!(
        store.last_skill(&funnel, &owner("ana"), &now.id).unwrap(),
        Some((day(5, 4), "Qualification".into()))
    );
    assert_eq!(
        store.last_skill(&funnel, &owner("ana"), &first.id).unwrap(),
        None
    );
    assert_eq!(
        store.last_skill(&funnel, &owner("bob"), &now.id).unwrap(),
        None
    );
}

#[test]
fn open_action_items_of_a_person_come_due_first_and_leave_once_done() {
    let (mut store, funnel) = setup();
    let other = store.add_funnel("other", "EUR", 1).unwrap();
    let m = store.start_meeting(&funnel, "ana").unwrap();
    let later = store
        .add_action_item(&m.id, "ana", "Later", Some(day(6, 1)))
        .unwrap();
    let undated = store
        .add_action_item(&m.id, "ana", "Someday", None)
        .unwrap();
    let done = store
        .add_action_item(&m.id, "ana", "Done", Some(day(4, 1)))
        .unwrap();
    store.toggle_action_item(&done.id).unwrap();
    store.add_action_item(&m.id, "lea", "Lead's", None).unwrap();
    clock(&mut store, 5, 20);
    let team = store.start_team_meeting(&funnel, "north", "lea").unwrap();
    let soon = store
        .add_action_item(&team.id, "ana", "Soon", Some(day(5, 1)))
        .unwrap();
    let elsewhere = store.start_meeting(&other, "ana").unwrap();
    store
        .add_action_item(&elsewhere.id, "ana", "Other funnel", None)
        .unwrap();
    assert_eq!(
        store.open_action_items(&funnel, "ana").unwrap(),
        [soon.clone(), later, undated]
    );
    store.toggle_action_item(&soon.id).unwrap();
    assert_eq!(store.open_action_items(&funnel, "ana").unwrap().len(), 2);
    assert!(
        store
            .open_action_items(&funnel, "nobody")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_funnels_teams_are_those_with_live_cards() {
    let (mut store, funnel) = setup();
    card(&mut store, &funnel, "ana", "north", 100);
    let gone = card(&mut store, &funnel, "bo", "south", 100);
    card(&mut store, &funnel, "cy", "", 100);
    assert_eq!(store.teams(&funnel).unwrap(), ["north", "south"]);
    store.delete(&gone, None).unwrap();
    assert_eq!(store.teams(&funnel).unwrap(), ["north"]);
}

fn snap(day: NaiveDate, rtv: i128) -> Snapshot {
    Snapshot {
        day,
        rtv_cents: rtv,
        sales_to_date_cents: 10,
        target_cents: Some(100),
        gap_cents: Some(90),
        factor: Some(rtv as f64 / 90.0),
        probability: Some(0.5),
    }
}

#[test]
fn snapshots_are_kept_apart_per_seller_team_and_whole_funnel() {
    let (mut store, funnel) = setup();
    let (d1, d2) = (day(5, 1), day(5, 2));
    store.save_snapshot(&funnel, 2026, &snap(d1, 1)).unwrap();
    let has = |store: &Store, scope: &ReviewScope, year, day| {
        store.has_snapshot(&funnel, year, scope, day).unwrap()
    };
    assert!(!has(&store, &owner("ana"), 2026, d1));
    store
        .save_scoped_snapshots(
            &funnel,
            2026,
            &[(owner("ana"), snap(d1, 2)), (team("ana"), snap(d1, 3))],
        )
        .unwrap();
    assert!(has(&store, &owner("ana"), 2026, d1) && has(&store, &team("ana"), 2026, d1));
    assert!(!has(&store, &owner("ana"), 2026, d2));
    assert!(!has(&store, &owner("ana"), 2025, d1));
    assert!(!has(&store, &owner("bo"), 2026, d1));
    // The day's row is rewritten, not doubled.
    store
        .save_scoped_snapshots(
            &funnel,
            2026,
            &[(owner("ana"), snap(d1, 4)), (owner("ana"), snap(d2, 5))],
        )
        .unwrap();
    assert_eq!(store.snapshots(&funnel, 2026, d1).unwrap(), [snap(d1, 1)]);
    assert_eq!(
        store
            .snapshots_scoped(&funnel, 2026, &owner("ana"), d1)
            .unwrap(),
        [snap(d1, 4), snap(d2, 5)]
    );
    assert_eq!(
        store
            .snapshots_scoped(&funnel, 2026, &owner("ana"), d2)
            .unwrap(),
        [snap(d2, 5)]
    );
    assert_eq!(
        store
            .snapshots_scoped(&funnel, 2026, &team("ana"), d1)
            .unwrap(),
        [snap(d1, 3)]
    );
    assert!(
        (store
            .snapshots_scoped(&funnel, 2026, &owner("bo"), d1)
            .unwrap())
        .is_empty()
    );
}

#[test]
fn the_unverified_value_is_the_open_rtv_whose_last_move_was_forced() {
    let (mut store, funnel) = setup();
    let unverified = |store: &Store| {
        let scope = Scope {
            year: 2026,
            current: true,
            owner: None,
        };
        store.unverified_by_owner(&funnel, scope).unwrap()
    };
    let of_ana = |store: &Store| {
        let scope = Scope {
            year: 2026,
            current: true,
            owner: Some("ana"),
        };
        store.unverified_by_owner(&funnel, scope).unwrap()
    };
    let forced = card(&mut store, &funnel, "ana", "north", 1_000);
    let early = card(&mut store, &funnel, "ana", "north", 300);
    let then_checked = card(&mut store, &funnel, "ana", "north", 50);
    let bos = card(&mut store, &funnel, "bo", "north", 7);
    let moved = |store: &mut Store, id: &str, to| {
        assert!(matches!(
            store.move_stage(id, None, to, true).unwrap(),
            MoveOutcome::Moved(_)
        ));
    };
    moved(&mut store, &forced, Stage::CommitsToInvest);
    moved(&mut store, &bos, Stage::CommitsToInvest);
    // Forced into a stage before the viable ones: not RTV.
    moved(&mut store, &early, Stage::ImpactDefined);
    assert_eq!(
        unverified(&store),
        [("ana".into(), 1_000), ("bo".into(), 7)]
    );
    assert_eq!(of_ana(&store), [("ana".into(), 1_000)]);
    // Forced, then moved on (here: back) once checked: its last move is not forced.
    moved(&mut store, &then_checked, Stage::DecisionCriteria);
    assert_eq!(of_ana(&store), [("ana".into(), 1_050)]);
    moved(&mut store, &then_checked, Stage::CommitsToInvest);
    assert_eq!(of_ana(&store), [("ana".into(), 1_000)]);
    let won = store.opportunity(&forced).unwrap();
    store.mark_won(&won.id, None, day(5, 4)).unwrap();
    assert!(of_ana(&store).is_empty());
}

#[test]
fn the_coaching_statements_read_along_their_indexes() {
    let (store, _) = setup();
    for kind in [MeetingKind::Seller, MeetingKind::Team] {
        let index = match kind {
            MeetingKind::Seller => "USING INDEX meetings_by_owner (funnel_id=? AND owner=?",
            MeetingKind::Team => "USING INDEX meetings_by_team (funnel_id=? AND kind=? AND team=?",
        };
        for sql in [past_meetings_sql(kind), last_skill_sql(kind)] {
            let plan = plan(&store, &sql);
            assert!(plan.contains(index), "{kind:?}: {plan}");
            // Only meetings begun at the same instant are sorted apart (by id).
            let rest = plan.replace("USE TEMP B-TREE FOR LAST TERM OF ORDER BY", "");
            assert!(!rest.contains("SCAN") && !rest.contains("TEMP"), "{plan}");
        }
    }
    let open = plan(&store, OPEN_ITEMS_SQL);
    assert!(
        open.contains("SEARCH a USING INDEX action_items_open_by_owner (owner=?)"),
        "{open}"
    );
    assert!(!open.contains("SCAN"), "{open}");
    let teams = plan(&store, TEAMS_SQL);
    assert!(
        teams.contains("SEARCH group_totals USING PRIMARY KEY (funnel=?)"),
        "{teams}"
    );
    for sql in [HAS_SNAPSHOT_SQL, SNAPSHOTS_SQL] {
        let snaps = plan(&store, sql);
        assert!(snaps.contains("indicator_snapshots"), "{snaps}");
        assert!(
            snaps.contains("(funnel_id=? AND period=? AND owner=? AND team=? AND day"),
            "{snaps}"
        );
        let rest = snaps.replace("SCAN CONSTANT ROW", "");
        assert!(!rest.contains("SCAN") && !rest.contains("TEMP"), "{snaps}");
    }
    let unverified = plan(&store, UNVERIFIED_SQL);
    assert!(
        unverified.starts_with("SCAN e USING INDEX stage_events_unverified"),
        "{unverified}"
    );
    for table in ["h USING PRIMARY KEY", "o USING PRIMARY KEY"] {
        assert!(
            unverified.contains(&format!("SEARCH {table}")),
            "{unverified}"
        );
    }
    assert!(!unverified.contains("TEMP"), "{unverified}");
}
