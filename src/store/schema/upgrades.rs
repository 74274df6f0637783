//! Files made by every released schema version upgrade to what a new file is.
//!
//! `tests/fixtures/schema/vNN.db` is a database made by version NN's steps and filled with the
//! same data (see [`data`]) in that version's forms by plain SQL, its own triggers keeping its
//! sums and sync queue (see [`generate`], which made them once). Each is upgraded by opening a
//! copy with today's [`Store`], and compared with a new database into which the same data was
//! written through the public API: the same schema (`sqlite_master`, whitespace aside), and
//! the same answers from every reading the app makes (cards, records, totals, period sums,
//! column totals, history sums, breakdowns, targets, snapshots, meetings, sync state).

mod data;
mod generate;

use chrono::NaiveDate;
use std::path::PathBuf;

use super::MIGRATIONS;
use crate::domain::insight::{GroupBy, Snapshot};
use crate::domain::{NewActivity, Opportunity, Stage, UpkeepSettings};
use crate::store::{CardFilter, Clock, ColumnOrder, Funnel, Imported, Meeting, SYNCED, Scope};
use crate::store::{Store, TimelineWhat};
use data::Holds;

/// Where the fixtures are.
fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema")
}

/// The fixture of schema version `version`.
fn fixture(version: usize) -> PathBuf {
    fixtures().join(format!("v{version:02}.db"))
}

/// The funnels of the data, as the store hands them out.
fn funnels() -> Vec<Funnel> {
    data::FUNNELS
        .map(|(id, name, currency, fiscal_start)| Funnel {
            id: id.into(),
            name: name.into(),
            currency: currency.into(),
            fiscal_start,
        })
        .into()
}

fn funnel_of(id: &str) -> Funnel {
    funnels().into_iter().find(|f| f.id == id).unwrap()
}

/// A new database holding what version `version` can hold of the data, written through the
/// public API as a user (and a sync) would have.
fn written_anew(version: usize) -> Store {
    let holds = Holds::at(version);
    let mut store = Store::open_in_memory().unwrap();
    let at = |store: &mut Store, text: &str, actor: &str| {
        store.set_clock(Clock::Fixed(data::at(text)));
        store.set_actor(actor);
    };
    if holds.sync {
        store.enable_sync().unwrap();
        for (key, value) in data::SYNC_VALUES {
            store.set_sync_value(key, value).unwrap();
        }
    }
    at(&mut store, data::FUNNELS_MADE, data::LEAD);
    for f in funnels() {
        let made = store
            .add_funnel(&f.name, &f.currency, f.fiscal_start)
            .unwrap();
        // The id a hub gives it: what the fixtures' funnels are known by.
        store.rekey_funnel(&made.id, &f.id).unwrap();
    }
    for card in data::cards() {
        store.set_clock(Clock::Fixed(card.stamp));
        store.set_actor(card.actor);
        let funnel = funnel_of(&card.opportunity.funnel_id);
        let item = Imported {
            opportunity: card.opportunity.clone(),
            records: Some(card.records.clone()),
        };
        store.import(&funnel, [item], &[], false, None).unwrap();
        if let Some(deleted) = card.deleted {
            store.set_clock(Clock::Fixed(deleted));
            store.delete(&card.opportunity.id, None).unwrap();
        }
    }
    at(&mut store, data::TARGETS_SET, data::LEAD);
    for t in &data::TARGETS {
        let owner = Some(t.owner).filter(|o| !o.is_empty());
        let funnel = funnel_of(t.funnel.0);
        store
            .set_target(&funnel, t.period, owner, t.amount_cents)
            .unwrap();
    }
    if holds.snapshots {
        at(&mut store, data::SNAPSHOT_KEPT, data::LEAD);
        let (day, rtv, sales, target, gap, factor, probability) = data::SNAPSHOT;
        let snapshot = Snapshot {
            day: data::day(day),
            rtv_cents: rtv.into(),
            sales_to_date_cents: sales.into(),
            target_cents: Some(target.into()),
            gap_cents: Some(gap.into()),
            factor: Some(factor),
            probability: Some(probability),
        };
        let main = funnel_of(data::MAIN.0);
        store.save_snapshot(&main, 2026, &snapshot).unwrap();
    }
    if holds.meetings {
        for m in &data::MEETINGS {
            at(&mut store, m.started, data::LEAD);
            let meeting = store
                .start_meeting(&funnel_of(data::MAIN.0), "ana")
                .unwrap();
            if !m.skill.is_empty() {
                store.set_meeting_skill(&meeting.id, m.skill).unwrap();
            }
            store.set_meeting_notes(&meeting.id, m.notes).unwrap();
            for (_, owner, what, due, done) in m.items {
                let due = due.map(data::day);
                let item = store
                    .add_action_item(&meeting.id, owner, what, due)
                    .unwrap();
                if *done {
                    store.toggle_action_item(&item.id).unwrap();
                }
            }
            for (_, card, note) in m.card_notes {
                store.set_card_note(&meeting.id, card, note).unwrap();
            }
        }
    }
    if holds.day {
        for a in &data::ACTIVITIES {
            at(&mut store, a.logged, a.by);
            let new = NewActivity {
                kind: a.kind,
                on: data::day(a.on),
                at: a.at.map(data::minute),
                with: a.with.into(),
                summary: a.summary.into(),
            };
            let logged = store.log_activity(a.card, &new).unwrap();
            if let Some(deleted) = a.deleted {
                at(&mut store, deleted, a.by);
                store.delete_activity(&logged.id).unwrap();
            }
        }
        for (card, text, due, minute, when, by) in data::NEXT_STEPS {
            at(&mut store, when, by);
            let (due, minute) = (Some(data::day(due)), minute.map(data::minute));
            store.set_next_step(card, None, text, due, minute).unwrap();
        }
        let (name, value) = data::FUNNEL_SETTING;
        store
            .set_funnel_setting(&funnel_of(data::MAIN.0), name, value)
            .unwrap();
    }
    if holds.sync {
        let (card, reason) = data::REFUSED;
        let changes = store.pending_changes("opportunities", "", 100).unwrap();
        let refused = changes.iter().find(|c| c.id == card).unwrap();
        store
            .mark_pushed(&[], &[(refused, reason.to_owned())])
            .unwrap();
    }
    store
}

/// The schema: every table, index and trigger, its SQL with whitespace collapsed.
fn schema(store: &Store) -> Vec<(String, String, String)> {
    let mut stmt = (store.conn)
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
        .unwrap();
    let rows = stmt.query_map([], |r| {
        let sql: String = r.get(2)?;
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok((r.get(0)?, r.get(1)?, sql))
    });
    rows.unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

/// A meeting without the ids the store draws for it and its items, items in text order.
fn without_ids(mut m: Meeting) -> Meeting {
    m.id.clear();
    for item in m.items.iter_mut().chain(&mut m.carried) {
        item.id.clear();
        item.meeting_id.clear();
    }
    m.items.sort_by(|a, b| a.text.cmp(&b.text));
    m.carried.sort_by(|a, b| a.text.cmp(&b.text));
    m
}

/// What the app reads of the data, each reading named: a user would see any difference.
fn readings(store: &Store) -> Vec<(String, String)> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut see = |name: &str, value: String| seen.push((name.to_owned(), value));
    see("funnels", format!("{:?}", store.funnels().unwrap()));
    let today = data::day("2026-05-04");
    let all = CardFilter {
        closed_too: true,
        ..CardFilter::default()
    };
    let bob = CardFilter {
        owner: Some("bob".into()),
        closed_too: true,
        ..CardFilter::default()
    };
    for f in funnels() {
        let name = |what: &str| format!("{} {what}", f.name);
        let cards: Vec<Opportunity> = store.opportunities(&f, &all).unwrap();
        see(&name("cards"), format!("{cards:#?}"));
        for card in &cards {
            let on_board = store.card(&card.id).unwrap();
            see(&name("card progress"), format!("{:?}", on_board.progress));
        }
        for card in data::cards()
            .iter()
            .filter(|c| c.opportunity.funnel_id == f.id)
        {
            let id = &card.opportunity.id;
            let mut records = store.records(id).unwrap();
            // Drawn by the store as a seller logs them (see `see_day`).
            for a in &mut records.activities {
                a.id.clear();
            }
            see(&name("records"), format!("{id} {records:#?}"));
        }
        for stage in Stage::ALL {
            let count = store
                .column_totals(&f, &CardFilter::default(), &[stage])
                .unwrap()[0]
                .0;
            let page =
                (store.column_page(&f, stage, &CardFilter::default(), (0, 10, count as usize)))
                    .unwrap();
            let ids: Vec<&str> = page.iter().map(|c| c.opportunity.id.as_str()).collect();
            see(&name("column"), format!("{stage:?} {ids:?}"));
        }
        let mut totals = store.totals(&f).unwrap();
        totals.sort();
        see(&name("totals"), format!("{totals:?}"));
        for (year, undated, owner) in [
            (2026, true, None),
            (2026, false, Some("ana")),
            (2025, false, None),
        ] {
            let sums = store.period_sums(&f, year, undated, owner).unwrap();
            see(
                &name("period sums"),
                format!("{year} {undated} {owner:?} {sums:?}"),
            );
        }
        for filter in [&CardFilter::default(), &all, &bob] {
            let totals = store.column_totals(&f, filter, &Stage::ALL).unwrap();
            see(&name("column totals"), format!("{filter:?} {totals:?}"));
        }
        see(&name("owners"), format!("{:?}", store.owners(&f).unwrap()));
        see(
            &name("targets"),
            format!("{:?}", store.targets(&f).unwrap()),
        );
        see(
            &name("owner targets"),
            format!("{:?}", store.owner_targets(&f, 2026).unwrap()),
        );
        for owner in [None, Some("ana"), Some("bob")] {
            let journeys = store.journeys(&f, owner).unwrap();
            let stage_days = store.stage_days(&f, owner).unwrap();
            let purchase_days = store.purchase_days(&f, owner).unwrap();
            see(
                &name("history sums"),
                format!("{owner:?} {journeys:?} {stage_days:?} {purchase_days:?}"),
            );
        }
        for (year, current, owner) in [
            (2026, true, None),
            (2026, false, Some("bob")),
            (2025, false, None),
        ] {
            let scope = Scope {
                year,
                current,
                owner,
            };
            for by in GroupBy::ALL {
                let groups = store.group_rows(&f, scope, by).unwrap();
                see(&name("groups"), format!("{scope:?} {by:?} {groups:?}"));
            }
            let open = store.open_values(&f, scope).unwrap();
            let accounts = store.top_accounts(&f, scope, 5).unwrap();
            see(
                &name("open values, accounts"),
                format!("{scope:?} {open:?} {accounts:?}"),
            );
        }
        let stale = store
            .stale(&f, None, today, &[20; Stage::COUNT], 10)
            .unwrap();
        let stale: Vec<&str> = stale.iter().map(|o| o.id.as_str()).collect();
        see(&name("stale"), format!("{stale:?}"));
        see_day(store, &f, &mut see);
        let since = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        see(
            &name("snapshots"),
            format!("{:?}", store.snapshots(&f, 2026, since).unwrap()),
        );
        see(
            &name("team"),
            format!(
                "{:?} {:?}",
                store.team_of(&f, "ana").unwrap(),
                store.team_members(&f, "south").unwrap()
            ),
        );
        for meeting in store.meetings(&f, "ana").unwrap() {
            let whole = store.meeting(&meeting.id).unwrap();
            see(&name("meeting"), format!("{:#?}", without_ids(whole)));
        }
    }
    for key in ["enabled", "cursor", "synced_at"] {
        see(
            "sync state",
            format!("{key} {:?}", store.sync_value(key).unwrap()),
        );
    }
    see(
        "sync pending",
        format!("{:?}", store.sync_pending().unwrap()),
    );
    for table in SYNCED {
        // Ids the store draws (and a meeting's, in its children), for these tables: left out,
        // and the rows in their own order.
        let drawn = [
            "evidence",
            "answers",
            "activities",
            "card_history",
            "targets",
            "meetings",
            "meeting_card_notes",
            "action_items",
        ]
        .contains(&table);
        let mut queued: Vec<String> = (store.pending_changes(table, "", 100).unwrap())
            .into_iter()
            .map(|mut change| {
                // Stamped as it was written: a reading of the clock.
                change.hlc.clear();
                if drawn {
                    change.id.clear();
                    change.data.remove("id");
                    change.data.remove("meeting_id");
                }
                format!("{change:?}")
            })
            .collect();
        if drawn {
            queued.sort();
        }
        see("sync queue", format!("{table} {queued:#?}"));
    }
    see("conflicts", format!("{:?}", store.conflicts().unwrap()));
    seen
}

/// What the seller's day reads of a funnel: the agenda and its counts, the upkeep per
/// seller, each card's timeline and latest activity, the columns in every order and what
/// the board remembers. The ids of activities are drawn by the store: left out.
fn see_day(store: &Store, f: &Funnel, see: &mut impl FnMut(&str, String)) {
    let name = |what: &str| format!("{} {what}", f.name);
    let today = data::day("2026-05-04");
    let settings = UpkeepSettings::default();
    let expected = [10, 20, 20, 30, 30, 20, 20, 10];
    for owner in [None, Some("ana"), Some("bob")] {
        let agenda = store
            .agenda(f, owner, today, &settings, &expected, 3)
            .unwrap();
        let lines: Vec<_> = (agenda.lines.iter())
            .map(|l| (&l.card.id, l.flags, l.last_activity))
            .collect();
        see(
            &name("agenda"),
            format!("{owner:?} {lines:?} {:?} {}", agenda.counts, agenda.more),
        );
    }
    let upkeep = store
        .upkeep_by_owner(f, today, &settings, &expected)
        .unwrap();
    see(&name("upkeep"), format!("{upkeep:?}"));
    let all = CardFilter {
        closed_too: true,
        ..CardFilter::default()
    };
    for card in store.opportunities(f, &all).unwrap() {
        let mut timeline = store.timeline(&card.id).unwrap();
        for entry in &mut timeline {
            if let TimelineWhat::Activity(a) = &mut entry.what {
                a.id.clear();
            }
        }
        let last = store.card(&card.id).unwrap().last_activity;
        see(
            &name("timeline"),
            format!("{} {last:?} {timeline:#?}", card.id),
        );
    }
    for order in [
        ColumnOrder::Value,
        ColumnOrder::ExpectedClose,
        ColumnOrder::NextStepDue,
        ColumnOrder::DaysInStage,
    ] {
        let filter = CardFilter {
            order,
            ..CardFilter::default()
        };
        for stage in Stage::ALL {
            let page = store.column_page(f, stage, &filter, (0, 10, 10)).unwrap();
            let ids: Vec<&str> = page.iter().map(|c| c.opportunity.id.as_str()).collect();
            see(
                &name("ordered column"),
                format!("{order:?} {stage:?} {ids:?}"),
            );
        }
    }
    let (setting, _) = data::FUNNEL_SETTING;
    see(
        &name("setting"),
        format!("{:?}", store.funnel_setting(f, setting).unwrap()),
    );
}

#[test]
fn every_released_schema_version_upgrades_to_what_a_new_file_is() {
    let dir = tempfile::tempdir().unwrap();
    for version in 1..=MIGRATIONS.len() {
        let fixture = fixture(version);
        assert!(
            fixture.exists(),
            "no fixture for schema version {version}: run \
             `cargo test --lib make_schema_fixtures -- --ignored` and commit it"
        );
        let path = dir.path().join(format!("v{version:02}.db"));
        std::fs::copy(&fixture, &path).unwrap();
        let found: i64 = rusqlite::Connection::open(&path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(found, version as i64, "{}", fixture.display());
        let upgraded = Store::open(&path).unwrap_or_else(|e| panic!("v{version}: {e}"));
        let anew = written_anew(version);
        assert_eq!(schema(&upgraded), schema(&anew), "v{version}: schema");
        assert_eq!(upgraded.check().unwrap(), [], "v{version}");
        let (got, want) = (readings(&upgraded), readings(&anew));
        let names =
            |seen: &[(String, String)]| seen.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&got),
            names(&want),
            "v{version}: what there is to read"
        );
        for (got, want) in got.iter().zip(&want) {
            assert_eq!(
                got, want,
                "v{version} upgraded (left) and written anew (right)"
            );
        }
    }
}
