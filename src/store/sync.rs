//! The local side of team sync: hybrid-logical-clock stamps, the outbox of unpushed changes,
//! applying rows pulled from the hub, and the conflicts kept for the user.
//!
//! Rows travel as JSON objects of their SQLite columns (less the local-only `hlc` and `version`),
//! read and written generically by column name, so a column added by a later migration syncs
//! without new code; pulled ones are parsed once into [`Fields`]. Names of tables come from
//! [`SYNCED`] and names of columns from the local schema, never from the hub: a hostile hub
//! cannot inject SQL. See [`crate::sync`] for the rules.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::LazyLock;

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{OptionalExtension, params_from_iter};
use serde_json::{Map, Value};

use super::card_key::{
    ID_FROM_TEXT, id_from_text_sql, id_text_sql, millis_from_text_sql, millis_text_sql,
};
use super::history_sums::HistorySums;
use super::import::{Summed, Tallies};
use super::opportunities::DAY_COLUMNS;
use super::schema::CARD_RECORDS;
use super::{Result, Store, StoreError, Tx, new_id};
use crate::domain::money;

mod fields;

pub use fields::Fields;
pub(super) use fields::PulledCard;

/// Tables that sync, parents first (a child's foreign key needs its parent applied first).
pub const SYNCED: [&str; 7] = [
    "funnels",
    "opportunities",
    "stage_events",
    "evidence",
    "answers",
    "people",
    "targets",
];

/// Columns that never travel: the hlc goes beside the data, the version is a local edit counter,
/// a funnel's key is this file's own number for it.
const LOCAL_ONLY: [&str; 3] = ["hlc", "version", "key"];

/// The amount columns of the synced tables. The hub keeps whatever a client sent (an older one
/// took any `i64`): a pulled amount is held to the bounds of a typed one, since one above the cap
/// would overflow the sums kept here.
const AMOUNTS: [(&str, &str); 4] = [
    ("opportunities", "value_cents"),
    ("opportunities", "budget_cents"),
    ("opportunities", "problem_cost_cents"),
    ("targets", "amount_cents"),
];

/// A column that travels under another name or form: a card names its funnel by the funnel's
/// key here and by its id on the hub, its dates are day numbers here (see
/// [`Day`](super::Day)) and ISO text on the hub, which other clients read, and its id (and
/// every pointer to it) and `updated_at` are bytes and milliseconds here and text on the hub
/// (see [`super::card_key`]).
struct Translated {
    table: &'static str,
    local: &'static str,
    hub: &'static str,
    /// The hub's value of the local row `t`.
    read: String,
    /// The local value of the hub's value `?`.
    write: String,
}

static TRANSLATED: LazyLock<Vec<Translated>> = LazyLock::new(|| {
    let card_id = |table: &'static str, column: &'static str| Translated {
        table,
        local: column,
        hub: column,
        read: id_text_sql(&format!("t.{column}")),
        write: ID_FROM_TEXT.clone(),
    };
    let pointers = (CARD_RECORDS.iter())
        .filter(|t| SYNCED.contains(t))
        .map(|table| card_id(table, "opportunity_id"));
    let updated_at = Translated {
        table: "opportunities",
        local: "updated_at",
        hub: "updated_at",
        read: millis_text_sql("t.updated_at"),
        write: millis_from_text_sql("?"),
    };
    let funnel = Translated {
        table: "opportunities",
        local: "funnel",
        hub: "funnel_id",
        read: "(SELECT id FROM funnels WHERE key = t.funnel)".into(),
        write: "(SELECT key FROM funnels WHERE id = ?)".into(),
    };
    let days = DAY_COLUMNS.map(|column| Translated {
        table: "opportunities",
        local: column,
        hub: column,
        read: format!("date(t.{column} * 86400, 'unixepoch')"),
        write: "unixepoch(?) / 86400".into(),
    });
    [card_id("opportunities", "id"), updated_at, funnel]
        .into_iter()
        .chain(days)
        .chain(pointers)
        .collect()
});

/// The SQL of a row's local id from its id as the hub knows it (`text`, an expression): a
/// card's is kept as bytes (see [`super::card_key`]).
fn local_id(table: &str, text: &str) -> String {
    match table {
        "opportunities" => id_from_text_sql(text),
        _ => text.to_owned(),
    }
}

/// The SQL of a row's id as the hub knows it, as the outbox queues it: the reverse of
/// [`local_id`], for a row of `table` whose columns are in scope.
pub(super) fn queued_id(table: &str) -> String {
    match table {
        "opportunities" => id_text_sql("id"),
        _ => "id".to_owned(),
    }
}

/// The [`TRANSLATED`] columns of `table`.
fn translated(table: &str) -> impl Iterator<Item = &'static Translated> {
    TRANSLATED.iter().filter(move |c| c.table == table)
}

/// The columns of a row `t` of `table` as the hub has them (then less [`LOCAL_ONLY`] and the
/// local forms of the [`TRANSLATED`] ones, see [`hub_row`]). A column translated under its own
/// name comes twice, the hub's form last: read in order into an object, that one stays.
fn hub_columns(table: &str) -> String {
    let mut columns = String::from("t.*");
    for c in translated(table) {
        columns.push_str(&format!(", {} AS {}", c.read, c.hub));
    }
    columns
}

/// A row read with [`hub_columns`], as it travels.
fn hub_row(table: &str, mut data: Map<String, Value>) -> Map<String, Value> {
    for key in LOCAL_ONLY {
        data.remove(key);
    }
    for c in translated(table).filter(|c| c.local != c.hub) {
        data.remove(c.local);
    }
    data
}

/// Unique keys besides `id`: two people may create the same answer, evidence or target with
/// different ids offline; the newer row replaces the older one.
fn natural_key(table: &str) -> &'static [&'static str] {
    match table {
        "evidence" => &["opportunity_id", "stage"],
        "answers" => &["opportunity_id", "stage", "question"],
        "targets" => &["funnel_id", "period", "owner"],
        _ => &[],
    }
}

/// A local row to push: its stamp, the hub version it was based on, and its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub table: &'static str,
    pub id: String,
    pub hlc: String,
    pub base: String,
    pub data: Map<String, Value>,
}

/// A row pulled from the hub.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub table: &'static str,
    pub id: String,
    pub hlc: String,
    pub data: Fields,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyStats {
    pub applied: usize,
    pub conflicts: usize,
}

/// Which version of a conflicted row to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Mine,
    Theirs,
}

/// Both sides changed the same opportunity since they last synced: the newer won, the other is
/// kept here until the user chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: String,
    pub row_id: String,
    pub title: String,
    pub mine: Map<String, Value>,
    pub theirs: Map<String, Value>,
    pub winner: Keep,
    pub at: String,
}

impl Conflict {
    /// The fields the two versions disagree on: (field, mine, theirs), bookkeeping left out.
    pub fn differences(&self) -> Vec<(String, Value, Value)> {
        self.mine
            .iter()
            .filter(|(k, v)| {
                self.theirs.get(*k) != Some(v)
                    && !k.starts_with("updated")
                    && *k != "hlc"
                    && *k != "version"
            })
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.clone(),
                    self.theirs.get(k).cloned().unwrap_or_default(),
                )
            })
            .collect()
    }
}

/// Table name as one of [`SYNCED`] (the only names ever put into SQL text).
pub fn synced_table(name: &str) -> Option<&'static str> {
    SYNCED.into_iter().find(|t| *t == name)
}

/// The condition under which changes are stamped and queued: the file has synced once.
pub(crate) const ENABLED: &str = "EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')";

/// A stamp for a row written before the file synced: its `updated_at` in milliseconds, counter
/// zero, this node.
pub(crate) const STAMP_FROM_UPDATED_AT: &str = "printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node')";

/// [`STAMP_FROM_UPDATED_AT`] for a row of `table`: a card keeps its milliseconds already.
fn stamp_from_updated_at(table: &str) -> String {
    match table {
        "opportunities" => {
            "printf('%013d-00000-', updated_at) || (SELECT value FROM sync_state WHERE key = 'node')"
                .to_owned()
        }
        _ => STAMP_FROM_UPDATED_AT.to_owned(),
    }
}

/// The next hybrid-logical-clock stamp of a row whose current stamp is the SQL expression
/// `old`: wall milliseconds when the clock is past it, else its counter plus one (a wall clock
/// behind a stamp pulled from another node never makes a change look older), then the node id
/// as the tiebreak. Fixed widths make the text sort in clock order. Plain SQL, so that every
/// program writing the file, not only funnel, stamps and queues its changes.
pub(crate) fn next_hlc_sql(old: &str) -> String {
    let wall = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
    let ms = format!("CAST(substr({old}, 1, 13) AS INTEGER)");
    let counter = format!("CAST(substr({old}, 15, 5) AS INTEGER)");
    format!(
        "(CASE WHEN {wall} > {ms} THEN printf('%013d-00000-', {wall}) \
         WHEN {counter} >= 99999 THEN printf('%013d-00000-', {ms} + 1) \
         ELSE printf('%013d-%05d-', {ms}, {counter} + 1) END \
         || (SELECT value FROM sync_state WHERE key = 'node'))"
    )
}

fn json_of(value: ValueRef) -> Value {
    match value {
        ValueRef::Null | ValueRef::Blob(_) => Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(f) => f.into(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
    }
}

fn text_field(data: &Map<String, Value>, key: &str) -> String {
    data.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

impl Store {
    pub fn sync_value(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Starts queueing local changes for the hub, with every row already there: called by the
    /// first sync (before it, a single user's file keeps no queue). Does nothing the next times.
    pub fn enable_sync(&mut self) -> Result<()> {
        self.write(|tx| {
            let added = tx.execute(
                "INSERT INTO sync_state VALUES ('enabled', '1') ON CONFLICT DO NOTHING",
                [],
            )?;
            if added > 0 {
                for t in SYNCED {
                    // Rows written before were not stamped (changing `hlc` fires no sync trigger).
                    tx.execute(
                        &format!(
                            "UPDATE {t} SET hlc = {} WHERE hlc = ''",
                            stamp_from_updated_at(t)
                        ),
                        [],
                    )?;
                    tx.execute(
                        &format!(
                            "INSERT INTO sync_outbox (tbl, row_id, base) SELECT '{t}', {}, '' FROM {t}
                             WHERE true ON CONFLICT DO NOTHING",
                            queued_id(t)
                        ),
                        [],
                    )?;
                }
            }
            Ok(())
        })
    }

    pub fn set_sync_value(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sync_state VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(())
        })
    }

    /// Local changes not yet on the hub, and how many of them the hub refused.
    pub fn sync_pending(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT count(*), count(refused) FROM sync_outbox",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Up to `limit` queued changes of `table` with ids after `after`, in id order.
    pub fn pending_changes(
        &self,
        table: &'static str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<Change>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT o.base, {} FROM sync_outbox o JOIN {table} t ON t.id = {}
             WHERE o.tbl = ?1 AND o.row_id > ?2 ORDER BY o.row_id LIMIT ?3",
            hub_columns(table),
            local_id(table, "o.row_id")
        ))?;
        let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
        let rows = stmt.query_map(rusqlite::params![table, after, limit as i64], |r| {
            let mut data = Map::new();
            for (i, name) in names.iter().enumerate().skip(1) {
                data.insert(name.clone(), json_of(r.get_ref(i)?));
            }
            Ok((r.get::<_, String>(0)?, data))
        })?;
        rows.map(|row| {
            let (base, data) = row?;
            let hlc = text_field(&data, "hlc");
            let data = hub_row(table, data);
            Ok(Change {
                table,
                id: text_field(&data, "id"),
                hlc,
                base,
                data,
            })
        })
        .collect()
    }

    /// Records the hub's answer to a pushed batch: accepted changes leave the outbox (unless the
    /// row changed again meanwhile), refused ones stay with the reason.
    pub fn mark_pushed(
        &mut self,
        accepted: &[&Change],
        refused: &[(&Change, String)],
    ) -> Result<()> {
        self.write(|tx| {
            for c in accepted {
                tx.prepare_cached(&format!(
                    "DELETE FROM sync_outbox WHERE tbl = ?1 AND row_id = ?2
                     AND (SELECT hlc FROM {} WHERE id = {}) = ?3",
                    c.table,
                    local_id(c.table, "?2")
                ))?
                .execute([c.table, &c.id, &c.hlc])?;
            }
            for (c, reason) in refused {
                tx.execute(
                    "UPDATE sync_outbox SET refused = ?3 WHERE tbl = ?1 AND row_id = ?2",
                    [c.table, &c.id, reason],
                )?;
            }
            Ok(())
        })
    }

    /// Applies pages of rows pulled from the hub: per row the newer hlc wins; an opportunity
    /// changed on both sides since the last sync becomes a [`Conflict`]. A page is a transaction,
    /// so the board's writes wait for one page at most. Into a file without cards (a first
    /// pull) the whole pull is one transaction loaded as an import into an empty file is:
    /// indexes and running totals built once at the end (a million cards row by row took
    /// minutes). Each page, once applied, is handed to `spent`.
    pub fn apply_incoming(
        &mut self,
        pages: impl IntoIterator<Item = Vec<Incoming>>,
        mut spent: impl FnMut(Vec<Incoming>),
    ) -> Result<ApplyStats> {
        let mut stats = ApplyStats::default();
        let mut shapes = Shapes::default();
        let mut pages = pages.into_iter().peekable();
        // Nothing new (most syncs): the schema is left alone.
        if pages.peek().is_none() {
            return Ok(stats);
        }
        if self.is_empty()? {
            return self.in_load_journal(|store| {
                store.without_foreign_keys(|store| {
                    store.write(|tx| {
                        let derived = tx.suspend_derived(false)?;
                        tx.stage_cards()?;
                        // One snapshot holds each (table, id) once, so a row of a table that was empty
                        // when the pull began has no local version to compare with (a million lookups
                        // saved). The whole pull is this transaction: an interrupted one leaves the
                        // tables empty for the next.
                        let empty = tx.empty_tables()?;
                        let (mut sums, mut tallies) = (HistorySums::default(), Tallies::default());
                        let applied = || {
                            for page in pages {
                                tx.apply_page(&page, &empty, &mut shapes, &mut stats)?;
                                // Every card row is new here, so written as it came.
                                let cards = page.iter().filter(|r| r.table == "opportunities");
                                for card in cards.map(|row| row.data.card()) {
                                    sums.add_pulled(&card);
                                    tallies.add_pulled(&card);
                                }
                                spent(page);
                            }
                            tx.unstage_cards()?;
                            tx.check_references()?;
                            tx.restore_derived(&derived, Summed::Pulled(tallies), sums)
                        };
                        let applied = applied();
                        // Connection settings are no part of the transaction: back to normal even
                        // when it is rolled back.
                        tx.bulk_settings(false, false)?;
                        applied.map(|()| stats)
                    })
                })
            });
        }
        for page in pages {
            self.write(|tx| tx.apply_page(&page, &[], &mut shapes, &mut stats))?;
            spent(page);
        }
        Ok(stats)
    }

    /// Gives a local funnel the hub's id for the same name, so every member shares one funnel.
    /// Its cards and sums name it by its key, which stays: the cards are only queued for the
    /// next push (the hub knows them under the other id); the rows that name it by its id
    /// follow. The funnel itself takes the lowest stamp, so the hub's settings win at the next
    /// pull.
    pub fn rekey_funnel(&mut self, old: &str, new: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            tx.execute(
                "UPDATE funnels SET id = ?2, hlc = '0' WHERE id = ?1",
                [old, new],
            )?;
            // Written as they are: stamped and queued by their trigger, no sum moves.
            tx.execute(
                "UPDATE opportunities SET hlc = hlc
                 WHERE funnel = (SELECT key FROM funnels WHERE id = ?1)",
                [new],
            )?;
            for table in ["targets", "indicator_snapshots", "meetings"] {
                tx.execute(
                    &format!("UPDATE {table} SET funnel_id = ?2 WHERE funnel_id = ?1"),
                    [old, new],
                )?;
            }
            tx.execute(
                "DELETE FROM sync_outbox WHERE tbl = 'funnels' AND row_id = ?1",
                [old],
            )?;
            Ok(())
        })
    }

    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, row_id, title, mine, theirs, winner, at FROM conflicts ORDER BY at, id",
        )?;
        let rows = stmt.query_map([], |r| {
            let json = |i: usize| -> rusqlite::Result<Map<String, Value>> {
                serde_json::from_str(&r.get::<_, String>(i)?).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })
            };
            Ok(Conflict {
                id: r.get(0)?,
                row_id: r.get(1)?,
                title: r.get(2)?,
                mine: json(3)?,
                theirs: json(4)?,
                winner: if r.get::<_, String>(5)? == "mine" {
                    Keep::Mine
                } else {
                    Keep::Theirs
                },
                at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Resolves a conflict (id or a unique prefix): the chosen version becomes a new local
    /// change of the card, stamped now, so the choice reaches the hub on the next sync.
    pub fn resolve_conflict(&mut self, prefix: &str, keep: Keep) -> Result<Conflict> {
        let matches: Vec<Conflict> = self
            .conflicts()?
            .into_iter()
            .filter(|c| c.id.starts_with(prefix))
            .collect();
        let conflict = match <[Conflict; 1]>::try_from(matches) {
            Ok([c]) => c,
            Err(m) if m.is_empty() => return Err(StoreError::NotFound(prefix.to_owned())),
            Err(_) => return Err(StoreError::Ambiguous(prefix.to_owned())),
        };
        let chosen = match keep {
            Keep::Mine => &conflict.mine,
            Keep::Theirs => &conflict.theirs,
        };
        self.write(|tx| {
            let mut data = chosen.clone();
            data.insert("updated_at".into(), tx.stamp.into());
            data.insert("updated_by".into(), tx.actor.into());
            let data = Fields::try_from(&data)?;
            // An upsert, so a card the winning side had removed comes back as chosen.
            let mut shapes = Shapes::default();
            let (sql, values) = shapes.upsert(tx, "opportunities", &data, None)?;
            tx.execute(sql, params_from_iter(values))?;
            tx.execute("DELETE FROM conflicts WHERE id = ?1", [&conflict.id])?;
            Ok(())
        })?;
        Ok(conflict)
    }
}

/// How rows of the synced tables are written: their local columns, read once per pull, and an
/// upsert per set of columns rows bring (nearly always the same one), built once. Per row, the
/// statement is then only looked up and its values borrowed from the row.
#[derive(Default)]
struct Shapes {
    columns: HashMap<&'static str, LocalColumns>,
    upserts: HashMap<(&'static str, Vec<usize>), String>,
    /// Per table, the names the last row brought and where each is written (or not): the next
    /// rows nearly always bring the same, which is then checked by comparing names rather than
    /// looking each up (a hash of every name of two million rows).
    last: Vec<(&'static str, LastShape)>,
}

/// The names of one row of a table, what becomes of each (its local column, or ignored: a
/// newer client's) and the upsert of rows bringing them.
struct LastShape {
    names: Vec<String>,
    written: Vec<Option<usize>>,
    upsert: (&'static str, Vec<usize>),
}

/// A table's local columns that travel, by position and by name (the hub's name of a
/// [`TRANSLATED`] one).
struct LocalColumns {
    names: Vec<String>,
    position: HashMap<String, usize>,
}

impl Shapes {
    /// The upsert of `data` into `table` (the columns it brings that the table has locally,
    /// others ignored, then `hlc` if given) and its values. An opportunity's version is bumped,
    /// so a window holding the old card reloads instead of overwriting. A row with an amount out
    /// of bounds is refused (and the pull or the choice with it).
    fn upsert<'d>(
        &mut self,
        tx: &Tx,
        table: &'static str,
        data: &'d Fields,
        hlc: Option<&'d str>,
    ) -> Result<(&str, Vec<ToSqlOutput<'d>>)> {
        check_amounts(table, data)?;
        let same = |(t, last): &(&str, LastShape)| {
            *t == table && data.names().len() == last.names.len() && data.names().eq(&last.names)
        };
        let at = match self.last.iter().position(same) {
            Some(at) => at,
            None => {
                let shape = self.shape(tx, table, data, hlc.is_some())?;
                self.last.retain(|(t, _)| *t != table);
                self.last.push((table, shape));
                self.last.len() - 1
            }
        };
        let last = &self.last[at].1;
        let mut values = Vec::with_capacity(last.upsert.1.len() + 1);
        for (value, written) in data.values().zip(&last.written) {
            if written.is_some() {
                values.push(value?);
            }
        }
        values.extend(hlc.map(|h| ToSqlOutput::Borrowed(ValueRef::Text(h.as_bytes()))));
        Ok((&self.upserts[&last.upsert], values))
    }

    /// The shape of rows bringing `data`'s names, its upsert built if new.
    fn shape(
        &mut self,
        tx: &Tx,
        table: &'static str,
        data: &Fields,
        with_hlc: bool,
    ) -> Result<LastShape> {
        let local = match self.columns.entry(table) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => {
                let mut stmt =
                    tx.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
                let names = stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .filter(|name| !matches!(name, Ok(n) if LOCAL_ONLY.contains(&n.as_str())))
                    .map(|name| {
                        name.map(|n| match translated(table).find(|c| c.local == n) {
                            Some(c) => c.hub.to_owned(),
                            None => n,
                        })
                    })
                    .collect::<rusqlite::Result<Vec<String>>>()?;
                let position = names.iter().cloned().zip(0..).collect();
                new.insert(LocalColumns { names, position })
            }
        };
        let mut written: Vec<Option<usize>> = data
            .names()
            .map(|n| local.position.get(n).copied())
            .collect();
        // A name sent twice (the hub keeps a client's JSON as sent): the last one counts, as
        // anywhere a JSON object is read.
        for i in 0..written.len() {
            if written[i].is_some() && written[i + 1..].contains(&written[i]) {
                written[i] = None;
            }
        }
        let key = (table, written.iter().flatten().copied().collect::<Vec<_>>());
        if !self.upserts.contains_key(&key) {
            let (mut columns, mut values): (Vec<&str>, Vec<&str>) = key
                .1
                .iter()
                .map(|&i| {
                    let name = local.names[i].as_str();
                    match translated(table).find(|c| c.hub == name) {
                        Some(c) => (c.local, c.write.as_str()),
                        None => (name, "?"),
                    }
                })
                .unzip();
            columns.extend(with_hlc.then_some("hlc"));
            values.extend(with_hlc.then_some("?"));
            let sets: Vec<String> = columns
                .iter()
                .filter(|c| **c != "id")
                .map(|c| format!("{c} = excluded.{c}"))
                .collect();
            let bump = if table == "opportunities" {
                ", version = version + 1"
            } else {
                ""
            };
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}{bump}",
                columns.join(", "),
                values.join(", "),
                sets.join(", ")
            );
            self.upserts.insert(key.clone(), sql);
        }
        Ok(LastShape {
            names: data.names().map(str::to_owned).collect(),
            written,
            upsert: key,
        })
    }
}

/// Refuses a row of `table` whose amount is not one a user could enter (see [`AMOUNTS`]).
fn check_amounts(table: &str, data: &Fields) -> Result<()> {
    for (_, column) in AMOUNTS.iter().filter(|(t, _)| *t == table) {
        let checked = match data.get(column)? {
            ToSqlOutput::Owned(SqlValue::Null) => continue,
            ToSqlOutput::Owned(SqlValue::Integer(cents)) => {
                money::check_cents(cents).map_err(|e| e.to_string())
            }
            _ => Err("not an amount in cents".to_owned()),
        };
        if let Err(reason) = checked {
            let id = data.text("id");
            return Err(StoreError::Invalid(format!(
                "{table} {id}: {column}: {reason}"
            )));
        }
    }
    Ok(())
}

impl Tx<'_> {
    /// Applies rows pulled from the hub; those of the `empty` tables are known not to be here.
    fn apply_page(
        &self,
        rows: &[Incoming],
        empty: &[&str],
        shapes: &mut Shapes,
        stats: &mut ApplyStats,
    ) -> Result<()> {
        for row in rows {
            self.apply_one(row, empty.contains(&row.table), shapes, stats)?;
        }
        Ok(())
    }

    /// The synced tables holding no row.
    fn empty_tables(&self) -> Result<Vec<&'static str>> {
        let mut empty = Vec::new();
        for table in SYNCED {
            let sql = format!("SELECT NOT EXISTS (SELECT 1 FROM {table})");
            if self.query_row(&sql, [], |r| r.get(0))? {
                empty.push(table);
            }
        }
        Ok(empty)
    }

    /// The row's local hlc, if the row is here.
    fn local_hlc(&self, table: &str, id: &str) -> Result<Option<String>> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT hlc FROM {table} WHERE id = {}",
                local_id(table, "?1")
            ))?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// The row as it is locally (hlc and columns), if present.
    fn local_row(&self, table: &str, id: &str) -> Result<Option<Map<String, Value>>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {} FROM {table} t WHERE id = {}",
            hub_columns(table),
            local_id(table, "?1")
        ))?;
        let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
        Ok(stmt
            .query_row([id], |r| {
                let mut data = Map::new();
                for (i, name) in names.iter().enumerate() {
                    data.insert(name.clone(), json_of(r.get_ref(i)?));
                }
                Ok(data)
            })
            .optional()?
            .map(|data| hub_row(table, data)))
    }

    /// `absent`: the row is known not to be here (its table was empty when the pull began).
    fn apply_one(
        &self,
        row: &Incoming,
        absent: bool,
        shapes: &mut Shapes,
        stats: &mut ApplyStats,
    ) -> Result<()> {
        let table = row.table;
        let unqueue = || -> Result<()> {
            self.prepare_cached("DELETE FROM sync_outbox WHERE tbl = ?1 AND row_id = ?2")?
                .execute([table, &row.id])?;
            Ok(())
        };
        let local_hlc = if absent {
            None
        } else {
            self.local_hlc(table, &row.id)?
        };
        let Some(local_hlc) = local_hlc else {
            if self.displace_natural_key(row)? {
                self.write_incoming(row, shapes)?;
                stats.applied += 1;
            }
            return Ok(());
        };
        if local_hlc == row.hlc {
            // Our own change coming back (a push whose answer was lost): it is on the hub.
            return unqueue();
        }
        let theirs_newer = row.hlc > local_hlc;
        let pending = || {
            self.prepare_cached("SELECT 1 FROM sync_outbox WHERE tbl = ?1 AND row_id = ?2")?
                .exists([table, &row.id])
        };
        if table == "opportunities" && pending()? {
            let mine = self.local_row(table, &row.id)?.unwrap_or_default();
            self.prepare_cached(
                "INSERT INTO conflicts (id, tbl, row_id, title, mine, theirs, winner, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(rusqlite::params![
                new_id(),
                table,
                row.id,
                if theirs_newer {
                    row.data.text("title").to_owned()
                } else {
                    text_field(&mine, "title")
                },
                Value::Object(mine.clone()).to_string(),
                Value::Object(row.data.to_map()).to_string(),
                if theirs_newer { "theirs" } else { "mine" },
                self.stamp,
            ])?;
            stats.conflicts += 1;
            if !theirs_newer {
                // Ours stays and is pushed next over the version we have now seen.
                self.prepare_cached(
                    "UPDATE sync_outbox SET base = ?3 WHERE tbl = ?1 AND row_id = ?2",
                )?
                .execute([table, &row.id, &row.hlc])?;
                return Ok(());
            }
        }
        if theirs_newer {
            self.write_incoming(row, shapes)?;
            unqueue()?;
            stats.applied += 1;
        }
        Ok(())
    }

    /// Removes older local rows holding the incoming row's natural key under another id; false
    /// when a newer one holds it (the incoming row is then the older and is dropped).
    fn displace_natural_key(&self, row: &Incoming) -> Result<bool> {
        let key = natural_key(row.table);
        if key.is_empty() {
            return Ok(true);
        }
        let filter: Vec<String> = key
            .iter()
            .map(|c| match translated(row.table).find(|t| t.hub == *c) {
                Some(t) => format!("{} = {}", t.local, t.write),
                None => format!("{c} = ?"),
            })
            .collect();
        let mut values: Vec<ToSqlOutput> =
            key.iter().map(|c| row.data.get(c)).collect::<Result<_>>()?;
        values.push(ToSqlOutput::Borrowed(ValueRef::Text(row.id.as_bytes())));
        let others: Vec<(String, String)> = self
            .prepare_cached(&format!(
                "SELECT id, hlc FROM {} WHERE {} AND id <> ?",
                row.table,
                filter.join(" AND ")
            ))?
            .query_map(params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if others.iter().any(|(_, hlc)| *hlc > row.hlc) {
            return Ok(false);
        }
        for (id, _) in others {
            self.execute(&format!("DELETE FROM {} WHERE id = ?1", row.table), [&id])?;
            self.execute(
                "DELETE FROM sync_outbox WHERE tbl = ?1 AND row_id = ?2",
                [row.table, &id],
            )?;
        }
        Ok(true)
    }

    /// Upserts a hub row with its own hlc (so the triggers neither restamp nor queue it).
    fn write_incoming(&self, row: &Incoming, shapes: &mut Shapes) -> Result<()> {
        let (sql, values) = shapes.upsert(self, row.table, &row.data, Some(&row.hlc))?;
        self.prepare_cached(sql)?
            .execute(params_from_iter(values))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn next(old: &str) -> String {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE sync_state (key, value); INSERT INTO sync_state VALUES ('node', 'ff');",
        )
        .unwrap();
        conn.query_row(&format!("SELECT {}", next_hlc_sql("?1")), [old], |r| {
            r.get(0)
        })
        .unwrap()
    }

    #[test]
    fn hlc_never_goes_back() {
        // A stamp far in the future (another node's clock ahead): count on from it.
        assert_eq!(next("9999999999998-00007-aa"), "9999999999998-00008-ff");
        assert_eq!(next("9999999999998-99999-aa"), "9999999999999-00000-ff");
        // A stamp in the past, or none yet: the wall clock, which sorts after it.
        let now = next("");
        assert!(now.ends_with("-00000-ff") && now.len() == 22, "{now}");
        assert!(next("0000000000001-00003-aa").as_str() > "0000000000001-00003-aa");
        assert!(now.as_str() > "1700000000000-00000-ff");
    }
}
