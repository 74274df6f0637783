//! Makes the schema fixtures: for each released version that has none, a file made by that
//! version's steps alone (as that version created files) and filled with [`super::data`] by
//! plain SQL in that version's forms, so that its own triggers keep its sums, stamp its rows
//! and queue them for sync. The forms are read from the file's schema, not from its number.
//!
//! Released fixtures are never made again: they stand for the files users have, and one made
//! again by today's code would only show what today's code does. A fixture already there is
//! left alone; after adding a schema step, run
//! `cargo test --lib make_schema_fixtures -- --ignored` and commit the new file.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::path::Path;

use super::data::{self, CardData, Holds};
use crate::store::card_key::card_bytes;
use crate::store::funnels::status_index;
use crate::store::opportunities::period_in;
use crate::store::schema::MIGRATIONS;
use crate::store::{STAMP, Store, date_text};

/// How a version keeps cards (every version keeps the other rows alike).
struct Forms {
    /// Cards name their funnel by its key (`funnel`), not by its id (`funnel_id`).
    funnel_key: bool,
    /// Cards' dates are days since 1970-01-01, not ISO text.
    day_dates: bool,
    /// A card's id, and each pointer to a card, is the UUID's 16 bytes, and its `updated_at`
    /// milliseconds; not text.
    compact: bool,
}

impl Forms {
    fn of(conn: &Connection) -> Forms {
        let mut stmt = conn
            .prepare("SELECT name, type FROM pragma_table_info('opportunities')")
            .unwrap();
        let columns: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let kind = |name: &str| {
            let found = columns.iter().find(|(n, _)| n == name);
            found.map(|(_, kind)| kind.as_str()).unwrap_or_default()
        };
        Forms {
            funnel_key: !kind("funnel").is_empty(),
            day_dates: kind("created") == "INTEGER",
            compact: kind("id") == "BLOB",
        }
    }

    fn card_id(&self, id: &str) -> Value {
        match self.compact {
            true => Value::Blob(card_bytes(id)),
            false => Value::Text(id.into()),
        }
    }

    fn date(&self, date: Option<NaiveDate>) -> Value {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        match (date, self.day_dates) {
            (None, _) => Value::Null,
            (Some(d), true) => Value::Integer((d - epoch).num_days()),
            (Some(d), false) => Value::Text(date_text(d)),
        }
    }

    fn card_stamp(&self, at: NaiveDateTime) -> Value {
        match self.compact {
            true => Value::Integer(at.and_utc().timestamp_millis()),
            false => stamp(at),
        }
    }
}

fn stamp(at: NaiveDateTime) -> Value {
    Value::Text(at.format(STAMP).to_string())
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn insert(conn: &Connection, table: &str, columns: &str, values: Vec<Value>) {
    let marks = vec!["?"; values.len()].join(", ");
    let sql = format!("INSERT INTO {table} ({columns}) VALUES ({marks})");
    conn.execute(&sql, params_from_iter(values))
        .unwrap_or_else(|e| panic!("{table}: {e}"));
}

/// Writes a card and its records as the app of that version did, then deletes it if it was.
fn write_card(conn: &Connection, forms: &Forms, card: &CardData) {
    let o = &card.opportunity;
    let f = &o.fields;
    let fiscal_start = data::FUNNELS
        .iter()
        .find(|(id, ..)| *id == o.funnel_id)
        .map(|funnel| funnel.3)
        .unwrap();
    let (funnel, funnel_value) = match forms.funnel_key {
        true => ("funnel", "(SELECT key FROM funnels WHERE id = ?)"),
        false => ("funnel_id", "?"),
    };
    let values = vec![
        forms.card_id(&o.id),
        text(&o.funnel_id),
        text(&f.title),
        text(&f.account),
        Value::Integer(f.value_cents),
        Value::Integer(o.stage.index() as i64),
        Value::Integer(status_index(o.status)),
        text(&f.owner),
        text(&f.team),
        text(&f.region),
        text(&f.territory),
        text(&f.product),
        forms.date(Some(o.created)),
        forms.date(f.expected_close),
        forms.date(o.closed),
        text(&o.lost_reason),
        text(&f.next_step),
        forms.date(f.decision_date),
        f.budget_cents.map_or(Value::Null, Value::Integer),
        f.problem_cost_cents.map_or(Value::Null, Value::Integer),
        text(&f.decision_criteria),
        forms.date(Some(o.stage_since)),
        Value::Integer(i64::from(period_in(o, fiscal_start))),
        Value::Integer(o.version),
        forms.card_stamp(card.stamp),
        text(card.actor),
    ];
    let marks = vec!["?"; values.len() - 2].join(", ");
    conn.execute(
        &format!(
            "INSERT INTO opportunities (id, {funnel}, title, account, value_cents, stage, status,
                owner, team, region, territory, product, created, expected_close, closed,
                lost_reason, next_step, decision_date, budget_cents, problem_cost_cents,
                decision_criteria, stage_since, period, version, updated_at, updated_by)
             VALUES (?, {funnel_value}, {marks})"
        ),
        params_from_iter(values),
    )
    .unwrap();
    let written = || vec![stamp(card.stamp), text(card.actor)];
    let pointer = || forms.card_id(&o.id);
    for e in &card.records.history {
        let mut values = vec![
            text(&e.id),
            pointer(),
            stamp(e.at),
            text(e.kind.key()),
            e.from_stage
                .map_or(Value::Null, |s| Value::Integer(s.index() as i64)),
            Value::Integer(e.to_stage.index() as i64),
            Value::Integer(i64::from(e.evidence_confirmed)),
            text(&e.note),
        ];
        values.extend(written());
        let columns = "id, opportunity_id, at, kind, from_stage, to_stage, evidence_confirmed, \
                       note, updated_at, updated_by";
        insert(conn, "stage_events", columns, values);
    }
    for e in &card.records.evidence {
        let mut values = vec![
            text(&data::record_id(&o.id, 'v', e.stage.index())),
            pointer(),
            Value::Integer(e.stage.index() as i64),
            text(&date_text(e.confirmed_on)),
            text(&e.note),
        ];
        values.extend(written());
        let columns = "id, opportunity_id, stage, confirmed_on, note, updated_at, updated_by";
        insert(conn, "evidence", columns, values);
    }
    for (n, a) in card.records.answers.iter().enumerate() {
        let mut values = vec![
            text(&data::record_id(&o.id, 'a', n)),
            pointer(),
            Value::Integer(a.stage.index() as i64),
            Value::Integer(a.question as i64),
            Value::Integer(i64::from(a.asked)),
            text(&a.answer),
        ];
        values.extend(written());
        let columns = "id, opportunity_id, stage, question, asked, answer, updated_at, updated_by";
        insert(conn, "answers", columns, values);
    }
    for p in &card.records.people {
        let mut values = vec![
            text(&p.id),
            pointer(),
            text(&p.name),
            text(&p.role),
            Value::Integer(i64::from(p.influence)),
            Value::Integer(i64::from(p.authority)),
            text(&p.motivations),
        ];
        values.extend(written());
        let columns = "id, opportunity_id, name, role, influence, authority, motivations, updated_at, \
             updated_by";
        insert(conn, "people", columns, values);
    }
    if let Some(deleted) = card.deleted {
        conn.execute(
            "UPDATE opportunities SET deleted_at = ?1, updated_at = ?2, updated_by = ?3,
                version = version + 1 WHERE id = ?4",
            params_from_iter([
                stamp(deleted),
                forms.card_stamp(deleted),
                text(card.actor),
                forms.card_id(&o.id),
            ]),
        )
        .unwrap();
    }
}

/// Writes every row of the data that version `version` can hold.
fn write_data(conn: &Connection, version: usize) {
    let holds = Holds::at(version);
    let forms = Forms::of(conn);
    let lead = || text(data::LEAD);
    if holds.sync {
        // Synced before the rest was written: its triggers stamp and queue every row.
        conn.execute("INSERT INTO sync_state VALUES ('enabled', '1')", [])
            .unwrap();
        for (key, value) in data::SYNC_VALUES {
            conn.execute("INSERT INTO sync_state VALUES (?1, ?2)", [key, value])
                .unwrap();
        }
    }
    for (id, name, currency, fiscal_start) in data::FUNNELS {
        let values = vec![
            text(id),
            text(name),
            text(currency),
            Value::Integer(i64::from(fiscal_start)),
            stamp(data::at(data::FUNNELS_MADE)),
            lead(),
        ];
        let columns = "id, name, currency, fiscal_start, updated_at, updated_by";
        insert(conn, "funnels", columns, values);
    }
    for card in data::cards() {
        write_card(conn, &forms, &card);
    }
    for (n, t) in data::TARGETS.iter().enumerate() {
        let values = vec![
            text(&format!("target-{n}")),
            text(t.funnel.0),
            Value::Integer(i64::from(t.period)),
            text(t.owner),
            Value::Integer(t.amount_cents),
            stamp(data::at(data::TARGETS_SET)),
            lead(),
        ];
        let columns = "id, funnel_id, period, owner, amount_cents, updated_at, updated_by";
        insert(conn, "targets", columns, values);
    }
    if holds.snapshots {
        let (day, rtv, sales, target, gap, factor, probability) = data::SNAPSHOT;
        let values = vec![
            text("snapshot-0"),
            text(data::MAIN.0),
            Value::Integer(2026),
            text(day),
            Value::Integer(rtv),
            Value::Integer(sales),
            Value::Integer(target),
            Value::Integer(gap),
            Value::Real(factor),
            Value::Real(probability),
            stamp(data::at(data::SNAPSHOT_KEPT)),
            lead(),
        ];
        let columns = "id, funnel_id, period, day, rtv_cents, sales_to_date_cents, target_cents, \
                       gap_cents, factor, probability, updated_at, updated_by";
        insert(conn, "indicator_snapshots", columns, values);
    }
    if holds.meetings {
        write_meetings(conn, &forms);
    }
    if holds.day {
        write_day(conn, &forms);
    }
    if holds.sync {
        let (card, reason) = data::REFUSED;
        conn.execute_batch("DELETE FROM sync_outbox WHERE tbl = 'funnels'")
            .unwrap();
        conn.execute(
            "UPDATE sync_outbox SET refused = ?2 WHERE tbl = 'opportunities' AND row_id = ?1",
            [card, reason],
        )
        .unwrap();
    }
}

fn write_meetings(conn: &Connection, forms: &Forms) {
    let lead = || text(data::LEAD);
    // From step 16 a meeting keeps its seller's team, as `Store::start_meeting` writes it.
    let teams: bool = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_info('meetings') WHERE name = 'team'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for m in &data::MEETINGS {
        let started = data::at(m.started);
        let mut values = vec![
            text(m.id),
            text(data::MAIN.0),
            text("ana"),
            text(&date_text(started.date())),
            text(m.skill),
            text(m.notes),
            stamp(started),
            stamp(started),
            lead(),
        ];
        let mut columns =
            "id, funnel_id, owner, held_on, skill, notes, started_at, updated_at, updated_by"
                .to_owned();
        if teams {
            columns.push_str(", team");
            values.push(text(data::ANA.1));
        }
        insert(conn, "meetings", &columns, values);
        for (id, owner, what, due, done) in m.items {
            let values = vec![
                text(id),
                text(m.id),
                text(owner),
                text(what),
                due.map_or(Value::Null, text),
                Value::Integer(i64::from(*done)),
                stamp(started),
                lead(),
            ];
            let columns = "id, meeting_id, owner, text, due, done, updated_at, updated_by";
            insert(conn, "action_items", columns, values);
        }
        for (id, card, note) in m.card_notes {
            let values = vec![
                text(id),
                text(m.id),
                forms.card_id(card),
                text(note),
                stamp(started),
                lead(),
            ];
            let columns = "id, meeting_id, opportunity_id, note, updated_at, updated_by";
            insert(conn, "meeting_card_notes", columns, values);
        }
    }
}

/// The seller's day (version 14): activities (one removed), next steps set with their day and
/// time, and what the main funnel's board remembers.
fn write_day(conn: &Connection, forms: &Forms) {
    let minute = |m: Option<(u32, u32)>| {
        m.map_or(Value::Null, |(h, m)| Value::Integer(i64::from(h * 60 + m)))
    };
    for a in &data::ACTIVITIES {
        let logged = data::at(a.logged);
        let values = vec![
            text(a.id),
            forms.card_id(a.card),
            text(a.kind.key()),
            forms.date(Some(data::day(a.on))),
            minute(a.at),
            text(a.with),
            text(a.summary),
            stamp(logged),
            text(a.by),
        ];
        let columns = "id, opportunity_id, kind, day, at_minute, with_whom, summary, updated_at, \
                       updated_by";
        insert(conn, "activities", columns, values);
        if let Some(deleted) = a.deleted {
            let deleted = stamp(data::at(deleted));
            conn.execute(
                "UPDATE activities SET deleted_at = ?1, updated_at = ?1, updated_by = ?2
                 WHERE id = ?3",
                params_from_iter([deleted, text(a.by), text(a.id)]),
            )
            .unwrap();
        }
    }
    for (card, step, due, at, when, by) in data::NEXT_STEPS {
        conn.execute(
            "UPDATE opportunities SET next_step = ?1, next_step_due = ?2, next_step_at = ?3,
                version = version + 1, updated_at = ?4, updated_by = ?5 WHERE id = ?6",
            params_from_iter([
                text(step),
                forms.date(Some(data::day(due))),
                minute(at),
                forms.card_stamp(data::at(when)),
                text(by),
                forms.card_id(card),
            ]),
        )
        .unwrap();
    }
    let (name, value) = data::FUNNEL_SETTING;
    conn.execute(
        "INSERT INTO funnel_settings VALUES ((SELECT key FROM funnels WHERE id = ?1), ?2, ?3)",
        [data::MAIN.0, name, value],
    )
    .unwrap();
}

/// Makes the fixture of version `version` at `path`: the file as that version created it, the
/// data, then compacted into one small self-contained file.
fn make(path: &Path, version: usize) {
    let store = Store::open_with(path, &MIGRATIONS[..version]).unwrap();
    let tx = store.conn.unchecked_transaction().unwrap();
    write_data(&tx, version);
    tx.commit().unwrap();
    drop(store);
    let conn = Connection::open(path).unwrap();
    // Small pages keep each of the dozens of tables and indexes to a fraction of a default
    // page; SQLite reads a file of any page size alike.
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    conn.execute_batch("PRAGMA page_size = 1024; VACUUM;")
        .unwrap();
}

#[test]
#[ignore = "makes the fixture of a new schema version; run once, then commit it"]
fn make_schema_fixtures() {
    let dir = super::fixtures();
    std::fs::create_dir_all(&dir).unwrap();
    for version in 1..=MIGRATIONS.len() {
        let path = super::fixture(version);
        if !path.exists() {
            make(&path, version);
            println!("made {}", path.display());
        }
    }
}
