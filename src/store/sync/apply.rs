//! Applying rows pulled from the hub: per row the newer stamp wins, a card changed on both
//! sides since the last sync becomes a conflict, rows holding the same natural key under
//! another id give way to the newer, and a first pull into a file without cards is one bulk
//! load (see `store::bulk`). Rows are written by upserts built once per set of columns they
//! bring, their values borrowed from the row.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{OptionalExtension, params_from_iter};
use serde_json::{Map, Value};

use super::hub_form::{
    LOCAL_ONLY, hub_columns, hub_row, json_of, local_id, natural_key, text_field, translated,
};
use super::{ApplyStats, Fields, Flaw, Flawed, Incoming, SYNCED};
use crate::domain::money;
use crate::store::sums::{HistorySums, Summed, Tallies};
use crate::store::{Refusal, Result, Store, Tx, new_id};

/// The amount columns of the synced tables. The hub keeps whatever a client sent (an older one
/// took any `i64`): a pulled amount is held to the bounds of a typed one, since one above the cap
/// would overflow the sums kept here.
const AMOUNTS: [(&str, &str); 4] = [
    ("opportunities", "value_cents"),
    ("opportunities", "budget_cents"),
    ("opportunities", "problem_cost_cents"),
    ("targets", "amount_cents"),
];

impl Store {
    /// Applies pages of rows pulled from the hub: per row the newer hlc wins; an opportunity
    /// changed on both sides since the last sync becomes a [`Conflict`]. A page is a transaction,
    /// so the board's writes wait for one page at most. Into a file without cards (a first
    /// pull) the whole pull is one transaction loaded as an import into an empty file is:
    /// indexes and running totals built once at the end (a million cards row by row took
    /// minutes). A row this file refuses to write (see [`Flaw::of_error`]) is kept aside, and
    /// so are the records of a card kept aside; every other row is applied. Each page, once
    /// applied, is handed to `spent`.
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
        let (kept_before, cards) = self.write(|tx| tx.aside())?;
        let mut aside = Aside { kept_before, cards };
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
                                let kept = tx.apply_page(
                                    &page,
                                    &empty,
                                    &mut shapes,
                                    &mut stats,
                                    &mut aside,
                                )?;
                                // Every card row is new here, so written as it came (unless
                                // kept aside).
                                let cards = (page.iter().enumerate()).filter(|(i, r)| {
                                    r.table == "opportunities" && !kept.contains(i)
                                });
                                for card in cards.map(|(_, row)| row.data.card()) {
                                    sums.add_pulled(&card);
                                    tallies.add_pulled(&card);
                                }
                                spent(page);
                            }
                            tx.unstage_cards()?;
                            tx.stamp_card_owners()?;
                            tx.check_references()?;
                            tx.restore_derived(&derived, Summed::Pulled(tallies, sums))
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
            self.write(|tx| tx.apply_page(&page, &[], &mut shapes, &mut stats, &mut aside))?;
            spent(page);
        }
        Ok(stats)
    }
}

/// What a pull has kept aside so far.
struct Aside {
    /// Rows were kept aside before this pull: each row that comes is looked for there.
    kept_before: bool,
    /// The cards kept aside (by an earlier pull and not applied since, or by this one): their
    /// records are kept aside too (applied, they would point at no card).
    cards: HashSet<String>,
}

/// How rows of the synced tables are written: their local columns, read once per pull, and an
/// upsert per set of columns rows bring (nearly always the same one), built once. Per row, the
/// statement is then only looked up and its values borrowed from the row.
#[derive(Default)]
pub(super) struct Shapes {
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
    pub(super) fn upsert<'d>(
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
            ToSqlOutput::Owned(SqlValue::Integer(cents)) => money::check_cents(cents).map_err(Some),
            _ => Err(None),
        };
        if let Err(error) = checked {
            return Err(Refusal::PulledAmount {
                table: table.to_owned(),
                id: data.text("id").to_owned(),
                column,
                error,
            }
            .into());
        }
    }
    Ok(())
}

impl Tx<'_> {
    /// Applies rows pulled from the hub; those of the `empty` tables are known not to be here.
    /// Returns the positions of the rows kept aside.
    fn apply_page(
        &self,
        rows: &[Incoming],
        empty: &[&str],
        shapes: &mut Shapes,
        stats: &mut ApplyStats,
        aside: &mut Aside,
    ) -> Result<Vec<usize>> {
        let mut kept = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            if aside.kept_before {
                self.unkeep(row.table, &row.id)?;
            }
            let absent = empty.contains(&row.table);
            let of_aside_card = || aside.cards.contains(row.data.text("opportunity_id"));
            let flaw = if !aside.cards.is_empty() && of_aside_card() {
                Some(Flaw::CardAside)
            } else {
                self.apply_or_flaw(row, absent, shapes, stats)?
            };
            if flaw.is_none() && row.table == "opportunities" && !aside.cards.is_empty() {
                aside.cards.remove(&row.id);
            }
            if let Some(flaw) = flaw {
                if row.table == "opportunities" {
                    aside.cards.insert(row.id.clone());
                }
                self.keep_aside(&Flawed {
                    table: row.table,
                    id: row.id.clone(),
                    hlc: row.hlc.clone(),
                    data: serde_json::Value::Object(row.data.to_map()).to_string(),
                    flaw,
                })?;
                stats.kept_aside += 1;
                kept.push(i);
            }
        }
        Ok(kept)
    }

    /// Applies one row, or says why this file refuses it (then nothing of it stays, nor in
    /// `stats`). The row is applied under a savepoint, undone when refused, unless it is known
    /// not to be here and has no natural key (most rows of a first pull): then it is written by
    /// one statement, which SQLite undoes alone.
    fn apply_or_flaw(
        &self,
        row: &Incoming,
        absent: bool,
        shapes: &mut Shapes,
        stats: &mut ApplyStats,
    ) -> Result<Option<Flaw>> {
        // History is written once: a row this file holds, sent again changed, is not applied.
        if row.table == "card_history"
            && !absent
            && (self.local_hlc(row.table, &row.id)?).is_some_and(|hlc| hlc != row.hlc)
        {
            return Ok(Some(Flaw::Rewritten));
        }
        let guarded = !absent || !natural_key(row.table).is_empty();
        if guarded {
            self.prepare_cached("SAVEPOINT pulled_row")?.execute([])?;
        }
        let before = *stats;
        let flaw = match self.apply_one(row, absent, shapes, stats) {
            Ok(()) => None,
            Err(e) => Some(Flaw::of_error(&e).ok_or(e)?),
        };
        if flaw.is_some() {
            *stats = before;
        }
        if guarded {
            if flaw.is_some() {
                self.prepare_cached("ROLLBACK TO pulled_row")?.execute([])?;
            }
            self.prepare_cached("RELEASE pulled_row")?.execute([])?;
        }
        Ok(flaw)
    }

    /// Gives the stage events and history rows of a first pull the owner and team of their
    /// card, as the insert triggers do for a later pull (here they found no card: the cards
    /// were staged apart), before the indexes that look them up are built.
    fn stamp_card_owners(&self) -> Result<()> {
        for table in ["stage_events", "card_history"] {
            self.execute(
                &format!(
                    "UPDATE {table} SET card_owner = o.owner, card_team = o.team
                     FROM opportunities o
                     WHERE o.id = {table}.opportunity_id AND card_owner = '' AND card_team = ''"
                ),
                [],
            )?;
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
