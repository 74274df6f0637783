//! The PostgreSQL hub: its members and the statements sync runs against it (the schema and the
//! access rules are in [`schema`]).
//!
//! Every row is kept as the JSON object of its SQLite columns (`json`: the text as sent, never
//! looked into on the hub) beside the few columns the hub itself needs: `hlc` (which version is
//! newer), `xid` (the writing transaction, set by a trigger, the pull cursor) and, for
//! opportunities and targets, `owner` (and a card's `team`: what row-level security checks).
//! Coaching rows (meetings, their card notes and action items) share one table whose checked
//! columns (the meeting's kind, owner and team) the hub derives itself; a pull brings meetings
//! before the rows that point at them.
//! People are PostgreSQL roles listed in `members`; the policies, not the client, decide who may
//! read and write what. The schema is versioned in `meta` and upgraded by `funnel hub init`.

use std::collections::HashSet;

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, IsolationLevel};
use serde_json::{Map, Value};

use crate::store::{Change, Fields, Flaw, Flawed, Incoming, synced_table};

mod fields;
mod schema;

use fields::check_fields;

pub use schema::{init, init_to};

/// What a member is on the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Seller,
    Lead,
    Director,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Seller => "seller",
            Kind::Lead => "lead",
            Kind::Director => "director",
        }
    }
}

/// Maps a PostgreSQL role to an owner name, team and kind (the role itself is the admin's to
/// create, with its password or certificate, as for any PostgreSQL user).
pub fn set_member(
    client: &mut Client,
    role: &str,
    owner: &str,
    team: &str,
    kind: Kind,
) -> Result<(), postgres::Error> {
    client.execute(
        "INSERT INTO funnel_hub.members VALUES ($1, $2, $3, $4)
         ON CONFLICT (role_name) DO UPDATE SET owner = excluded.owner, team = excluded.team,
            kind = excluded.kind",
        &[&role, &owner, &team, &kind.key()],
    )?;
    Ok(())
}

/// The hub's id of the funnel with this name, if any.
pub fn funnel_id(client: &mut Client, name: &str) -> Result<Option<String>, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT id FROM funnel_hub.funnels WHERE name = $1",
            &[&name],
        )?
        .map(|r| r.get(0)))
}

/// The hub's answer to one pushed batch.
#[derive(Debug, Default)]
pub struct Pushed<'a> {
    /// On the hub now (or already there).
    pub accepted: Vec<&'a Change>,
    /// Refused by the server, with its reason.
    pub refused: Vec<(&'a Change, String)>,
}

/// Why the server refused one row, for errors that concern that row alone.
fn refusal(e: &postgres::Error) -> Option<String> {
    let db = e.as_db_error()?;
    [
        SqlState::INSUFFICIENT_PRIVILEGE,
        SqlState::FOREIGN_KEY_VIOLATION,
        SqlState::UNIQUE_VIOLATION,
        SqlState::CHECK_VIOLATION,
    ]
    .contains(db.code())
    .then(|| db.message().to_owned())
}

/// Pushes a batch in one transaction, one statement per hub table. If the server refuses a
/// row, the batch is redone with a savepoint per row, so the others still go through and the
/// refused ones are named.
pub fn push_batch<'a>(
    client: &mut Client,
    changes: &'a [Change],
) -> Result<Pushed<'a>, postgres::Error> {
    match push_in_one(client, changes, false) {
        Err(e) if refusal(&e).is_some() => push_in_one(client, changes, true),
        other => other,
    }
}

fn push_in_one<'a>(
    client: &mut Client,
    changes: &'a [Change],
    isolate: bool,
) -> Result<Pushed<'a>, postgres::Error> {
    let mut tx = client.transaction()?;
    let mut pushed = Pushed::default();
    if isolate {
        for change in changes {
            let mut row = tx.savepoint("row")?;
            match write_rows(&mut row, std::slice::from_ref(change)) {
                Ok(accepted) => {
                    row.commit()?;
                    pushed.accepted.extend(accepted);
                }
                // Dropping the savepoint rolls back to it.
                Err(e) => pushed.refused.push((change, refusal(&e).ok_or(e)?)),
            }
        }
    } else {
        for same_table in changes.chunk_by(|a, b| a.table == b.table) {
            pushed.accepted.extend(write_rows(&mut tx, same_table)?);
        }
    }
    tx.commit()?;
    Ok(pushed)
}

/// Where a synced table is kept on the hub.
struct HubTable {
    name: &'static str,
    /// Columns copied out of the row's data, for the policies and foreign keys.
    columns: &'static [&'static str],
    /// Several local tables share it, told apart by `tbl`.
    shared: bool,
    /// Compare-and-set on the version the change was made on (a card someone else changed
    /// meanwhile is not overwritten blindly); otherwise the newer hlc wins.
    compare_and_set: bool,
}

fn hub_table(table: &str) -> HubTable {
    let (name, columns, compare_and_set): (_, &[&str], _) = match table {
        "funnels" => ("funnels", &["name"], false),
        "opportunities" => ("opportunities", &["owner", "team"], true),
        "targets" => ("targets", &["funnel_id", "owner"], false),
        // The hub derives a coaching row's columns itself (its subject from its meeting).
        "meetings" | "meeting_card_notes" | "action_items" => ("coaching", &[], false),
        _ => ("records", &["opportunity_id"], false),
    };
    HubTable {
        name,
        columns,
        shared: matches!(name, "records" | "coaching"),
        compare_and_set,
    }
}

impl HubTable {
    /// The upsert of a batch: one array parameter per column (`tbl`, `id`, the copied columns,
    /// `hlc`, `data`, then the `base` of each change), unnested into rows. Idempotent by
    /// (id, hlc): the same change pushed twice (a sync killed before it recorded the first)
    /// changes nothing. Compare-and-set returns the ids the hub now holds.
    fn upsert_sql(&self) -> String {
        let t = self.name;
        let key: &[&str] = if self.shared { &["tbl", "id"] } else { &["id"] };
        let plain = [key, self.columns, &["hlc"]].concat();
        let arrays: Vec<String> = (1..=plain.len() + 2)
            .map(|i| format!("${i}::text[]"))
            .collect();
        let sets: Vec<String> = plain[key.len()..]
            .iter()
            .chain(&["data"])
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        let (newer, returning) = if self.compare_and_set {
            // Ids are unique within a batch (one outbox row per table and id).
            let base = "(SELECT base FROM u WHERE u.id = excluded.id)";
            (
                format!("{t}.hlc = excluded.hlc OR {t}.hlc = {base}"),
                "RETURNING id",
            )
        } else {
            (format!("{t}.hlc < excluded.hlc"), "")
        };
        let plain = plain.join(", ");
        format!(
            "WITH u AS (SELECT * FROM unnest({}) AS u({plain}, data, base))
             INSERT INTO funnel_hub.{t} ({plain}, data) SELECT {plain}, data::json FROM u
             ON CONFLICT ({}) DO UPDATE SET {} WHERE {newer} {returning}",
            arrays.join(", "),
            key.join(", "),
            sets.join(", "),
        )
    }
}

/// Writes changes of one table in one statement; returns those the hub now holds.
fn write_rows<'a>(
    client: &mut impl GenericClient,
    changes: &'a [Change],
) -> Result<Vec<&'a Change>, postgres::Error> {
    let Some(first) = changes.first() else {
        return Ok(Vec::new());
    };
    let table = hub_table(first.table);
    let mut arrays: Vec<Vec<&str>> = Vec::new();
    if table.shared {
        arrays.push(changes.iter().map(|c| c.table).collect());
    }
    arrays.push(changes.iter().map(|c| c.id.as_str()).collect());
    for name in table.columns {
        arrays.push(changes.iter().map(|c| text(&c.data, name)).collect());
    }
    arrays.push(changes.iter().map(|c| c.hlc.as_str()).collect());
    let data: Vec<String> = changes
        .iter()
        .map(|c| Value::Object(c.data.clone()).to_string())
        .collect();
    arrays.push(data.iter().map(String::as_str).collect());
    arrays.push(changes.iter().map(|c| c.base.as_str()).collect());
    let params: Vec<&(dyn ToSql + Sync)> = arrays.iter().map(|a| a as _).collect();
    let sql = table.upsert_sql();
    if !table.compare_and_set {
        client.execute(&sql, &params)?;
        return Ok(changes.iter().collect());
    }
    // Those not written: the hub has a version we have not seen; the pull that follows brings
    // it and settles the conflict.
    let written: HashSet<String> = client
        .query(&sql, &params)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(changes.iter().filter(|c| written.contains(&c.id)).collect())
}

fn text<'a>(data: &'a Map<String, Value>, key: &str) -> &'a str {
    data.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The tables the hub has (one not yet upgraded lacks the later ones).
pub fn tables(client: &mut impl GenericClient) -> Result<Vec<String>, postgres::Error> {
    let rows = client.query(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'funnel_hub'",
        &[],
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Whether a hub having `tables` keeps the rows of the synced `table`.
pub fn keeps(tables: &[String], table: &str) -> bool {
    let name = hub_table(table).name;
    tables.iter().any(|t| t == name)
}

/// How far ahead of the hub's clock a stamp may be: 5 minutes. A row stamped further ahead is
/// refused by the hub (its schema says the same bound) and kept aside by the pull.
pub const AHEAD_LIMIT_MS: i64 = 5 * 60 * 1000;

/// The hub's clock, in milliseconds since 1970.
pub fn clock(client: &mut Client) -> Result<i64, postgres::Error> {
    Ok(client.query_one(HUB_NOW, &[])?.get(0))
}

/// The name this role is known by as a member (what its changes are signed with), if it is one.
pub fn member_name(client: &mut Client) -> Result<Option<String>, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT owner FROM funnel_hub.members WHERE role_name = current_user",
            &[],
        )?
        .map(|r| r.get(0)))
}

const HUB_NOW: &str = "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint";

/// What a pull brought besides the rows it delivered.
#[derive(Debug, Default)]
pub struct Pulled {
    /// The next cursor, or none if the pull was stopped (it is then incomplete).
    pub next: Option<i64>,
    /// Rows that failed a check here, not delivered.
    pub flawed: Vec<Flawed>,
}

/// Per hub table (coaching: per kind of row, meetings before the rows that point at them): the
/// table, what a pull selects of its rows, up to the condition on `xid` it ends with, and the names of
/// the columns it sends in an array beside each row's data: those the access rules checked,
/// which the payload must repeat.
const PULLS: [(&str, &str, &[&str]); 7] = [
    (
        "funnels",
        "SELECT 'funnels', id, hlc, data::text, ARRAY[id, name] FROM funnel_hub.funnels WHERE",
        &["id", "name"],
    ),
    (
        "targets",
        "SELECT 'targets', id, hlc, data::text, ARRAY[id, funnel_id, owner]
         FROM funnel_hub.targets WHERE",
        &["id", "funnel_id", "owner"],
    ),
    (
        "opportunities",
        "SELECT 'opportunities', id, hlc, data::text, ARRAY[id, owner, team]
         FROM funnel_hub.opportunities WHERE",
        &["id", "owner", "team"],
    ),
    (
        "records",
        "SELECT tbl, id, hlc, data::text, ARRAY[id, opportunity_id] FROM funnel_hub.records
         WHERE",
        &["id", "opportunity_id"],
    ),
    (
        "coaching",
        "SELECT tbl, id, hlc, data::text, ARRAY[id, kind, owner, team] FROM funnel_hub.coaching
         WHERE tbl = 'meetings' AND",
        &["id", "kind", "owner", "team"],
    ),
    (
        "coaching",
        "SELECT tbl, id, hlc, data::text, ARRAY[id, meeting_id, opportunity_id]
         FROM funnel_hub.coaching WHERE tbl = 'meeting_card_notes' AND",
        &["id", "meeting_id", "opportunity_id"],
    ),
    (
        "coaching",
        "SELECT tbl, id, hlc, data::text, ARRAY[id, meeting_id] FROM funnel_hub.coaching
         WHERE tbl = 'action_items' AND",
        &["id", "meeting_id"],
    ),
];

/// Reads every row this role may see written since `cursor`, then those of `again` (the ids of
/// rows kept aside, whenever written), in pages of `page` handed to `deliver`, parents first,
/// all from one snapshot; `deliver` returns false to stop. Rows written by transactions still
/// running are not in the snapshot and have an xid at or above its xmin, the new cursor, so a
/// later pull gets them; rows pulled twice are skipped by their hlc. A row that fails a check
/// (see [`check`]) is not delivered but returned, and so are the records of a card that
/// failed one.
pub fn pull(
    client: &mut Client,
    cursor: i64,
    again: &[String],
    page: i32,
    mut deliver: impl FnMut(Vec<Incoming>) -> bool,
) -> Result<Pulled, postgres::Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let next: i64 = tx
        .query_one(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
            &[],
        )?
        .get(0);
    let latest = tx.query_one(HUB_NOW, &[])?.get::<_, i64>(0) + AHEAD_LIMIT_MS;
    let mut pulled = Pulled::default();
    let mut flawed_cards = HashSet::new();
    // A hub not yet upgraded to a table (coaching) has none of its rows to give.
    let held = tables(&mut tx)?;
    let pulls = PULLS.iter().filter(|(t, ..)| held.iter().any(|h| h == t));
    let since: Vec<_> = (pulls.clone())
        .map(|(_, select, checked)| (format!("{select} xid >= $1"), checked))
        .collect();
    // Those written since the cursor came already.
    let kept: Vec<_> = pulls
        .map(|(_, select, checked)| (format!("{select} xid < $1 AND id = ANY($2)"), checked))
        .collect();
    let by_cursor: &[&(dyn ToSql + Sync)] = &[&cursor];
    let by_id: &[&(dyn ToSql + Sync)] = &[&cursor, &again];
    let queries = (since.iter().map(|q| (q, by_cursor))).chain(
        kept.iter()
            .filter(|_| !again.is_empty())
            .map(|q| (q, by_id)),
    );
    for ((query, names), parameters) in queries {
        let portal = tx.bind(query.as_str(), parameters)?;
        loop {
            let rows = tx.query_portal(&portal, page)?;
            if rows.is_empty() {
                break;
            }
            let mut incoming = Vec::with_capacity(rows.len());
            for r in &rows {
                // Tables this version does not know (a newer client's) are skipped.
                let Some(table) = synced_table(r.get(0)) else {
                    continue;
                };
                let (id, hlc, data): (String, String, &str) = (r.get(1), r.get(2), r.get(3));
                let fields = Fields::parse(data).map_err(|e| Flaw::Shape(e.to_string()));
                let screened = fields.and_then(|fields| {
                    let flaw = check_stamp(&hlc, latest)
                        .or_else(|| check(&fields, names, &r.get::<_, Vec<&str>>(4), &flawed_cards))
                        .or_else(|| check_fields(table, &fields));
                    flaw.map_or(Ok(fields), Err)
                });
                match screened {
                    Ok(data) => incoming.push(Incoming {
                        table,
                        id,
                        hlc,
                        data,
                    }),
                    Err(flaw) => {
                        if table == "opportunities" {
                            flawed_cards.insert(id.clone());
                        }
                        let data = data.to_owned();
                        let row = Flawed {
                            table,
                            id,
                            hlc,
                            data,
                            flaw,
                        };
                        pulled.flawed.push(row);
                    }
                }
            }
            if !deliver(incoming) {
                return Ok(pulled);
            }
        }
    }
    tx.commit()?;
    pulled.next = Some(next);
    Ok(pulled)
}

/// Checks a pulled row's stamp: the form every client writes, and at most `latest` (the hub's
/// clock plus [`AHEAD_LIMIT_MS`]).
fn check_stamp(hlc: &str, latest: i64) -> Option<Flaw> {
    let well_formed = hlc.len() > 20
        && hlc.as_bytes()[13] == b'-'
        && hlc.as_bytes()[19] == b'-'
        && hlc[..13]
            .bytes()
            .chain(hlc[14..19].bytes())
            .all(|b| b.is_ascii_digit());
    if !well_formed {
        return Some(Flaw::BadStamp);
    }
    let millis: i64 = hlc[..13].parse().ok()?;
    (millis > latest).then(|| Flaw::Ahead {
        minutes: (millis - latest + AHEAD_LIMIT_MS) / 60_000,
    })
}

/// Checks a pulled row against the hub's `columns` (named `names`): the payload repeats each,
/// as a string. A record of a card that is kept aside is kept aside too.
fn check(
    data: &Fields,
    names: &[&str],
    columns: &[&str],
    flawed_cards: &HashSet<String>,
) -> Option<Flaw> {
    for (name, &value) in names.iter().zip(columns) {
        if !data.is_text(name, value) {
            return Some(Flaw::Mismatch {
                column: (*name).to_owned(),
            });
        }
        if *name == "opportunity_id" && flawed_cards.contains(value) {
            return Some(Flaw::CardAside);
        }
    }
    None
}
