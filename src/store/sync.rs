//! The local side of team sync: hybrid-logical-clock stamps, the outbox of unpushed changes,
//! applying rows pulled from the hub, and the conflicts kept for the user.
//!
//! Rows travel as JSON objects of their SQLite columns (less the local-only `hlc` and `version`),
//! read and written generically by column name, so a column added by a later migration syncs
//! without new code. Names of tables come from [`SYNCED`] and names of columns from the local
//! schema, never from the hub: a hostile hub cannot inject SQL. See [`crate::sync`] for the rules.

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{OptionalExtension, params_from_iter};
use serde_json::{Map, Value};

use super::{Result, Store, StoreError, Tx, new_id};

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

/// Columns that never travel: the hlc goes beside the data, the version is a local edit counter.
const LOCAL_ONLY: [&str; 2] = ["hlc", "version"];

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
    pub data: Map<String, Value>,
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

/// The next hybrid-logical-clock stamp of a row whose current stamp is the SQL expression
/// `old`: wall milliseconds when the clock is past it, else its counter plus one (a wall clock
/// behind a stamp pulled from another node never makes a change look older), then the node id
/// as the tiebreak. Fixed widths make the text sort in clock order. Plain SQL, so that every
/// program writing the file, not only funnel, stamps and queues its changes.
/// The condition (a `WHERE` clause of a `SELECT` without `FROM`) under which a change is queued.
pub(crate) const WHEN_ENABLED: &str =
    "WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')";

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

fn sql_of(value: &Value) -> Result<SqlValue> {
    Ok(match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => {
            return Err(StoreError::Invalid(format!(
                "hub sent a nested value: {other}"
            )));
        }
    })
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
                    tx.execute(
                        &format!(
                            "INSERT INTO sync_outbox (tbl, row_id, base) SELECT '{t}', id, '' FROM {t}
                             WHERE true ON CONFLICT DO NOTHING"
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
            "SELECT o.base, t.* FROM sync_outbox o JOIN {table} t ON t.id = o.row_id
             WHERE o.tbl = ?1 AND o.row_id > ?2 ORDER BY o.row_id LIMIT ?3"
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
            let (base, mut data) = row?;
            let hlc = text_field(&data, "hlc");
            for key in LOCAL_ONLY {
                data.remove(key);
            }
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
                     AND (SELECT hlc FROM {} WHERE id = ?2) = ?3",
                    c.table
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

    /// Applies rows pulled from the hub in one transaction: per row the newer hlc wins; an
    /// opportunity changed on both sides since the last sync becomes a [`Conflict`].
    pub fn apply_incoming(&mut self, rows: &[Incoming]) -> Result<ApplyStats> {
        self.write(|tx| {
            let mut stats = ApplyStats::default();
            for row in rows {
                tx.apply_one(row, &mut stats)?;
            }
            Ok(stats)
        })
    }

    /// Gives a local funnel the hub's id for the same name, so every member shares one funnel.
    /// The totals follow through their triggers; the moved cards are queued for the next push.
    /// The funnel itself takes the lowest stamp, so the hub's settings win at the next pull.
    pub fn rekey_funnel(&mut self, old: &str, new: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            tx.execute(
                "UPDATE funnels SET id = ?2, hlc = '0' WHERE id = ?1",
                [old, new],
            )?;
            tx.execute(
                "UPDATE opportunities SET funnel_id = ?2 WHERE funnel_id = ?1",
                [old, new],
            )?;
            for table in ["targets", "indicator_snapshots"] {
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
            let (columns, values) = tx.columns_of("opportunities", &data)?;
            let sets: Vec<String> = columns
                .iter()
                .filter(|c| *c != "id")
                .map(|c| format!("{c} = excluded.{c}"))
                .collect();
            // An upsert, so a card the winning side had removed comes back as chosen.
            tx.execute(
                &format!(
                    "INSERT INTO opportunities ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {},
                        version = version + 1",
                    columns.join(", "),
                    vec!["?"; columns.len()].join(", "),
                    sets.join(", ")
                ),
                params_from_iter(values),
            )?;
            tx.execute("DELETE FROM conflicts WHERE id = ?1", [&conflict.id])?;
            Ok(())
        })?;
        Ok(conflict)
    }
}

impl Tx<'_> {
    /// The columns of `data` that `table` has locally (others are ignored), with their values.
    fn columns_of(
        &self,
        table: &str,
        data: &Map<String, Value>,
    ) -> Result<(Vec<String>, Vec<SqlValue>)> {
        let mut stmt =
            self.prepare_cached(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
        let local: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut columns = Vec::new();
        let mut values = Vec::new();
        for name in local {
            if LOCAL_ONLY.contains(&name.as_str()) {
                continue;
            }
            if let Some(v) = data.get(&name) {
                values.push(sql_of(v)?);
                columns.push(name);
            }
        }
        Ok((columns, values))
    }

    /// The row as it is locally (hlc and columns), if present.
    fn local_row(&self, table: &str, id: &str) -> Result<Option<(String, Map<String, Value>)>> {
        let mut stmt = self.prepare_cached(&format!("SELECT * FROM {table} WHERE id = ?1"))?;
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
            .map(|mut data| {
                let hlc = text_field(&data, "hlc");
                for key in LOCAL_ONLY {
                    data.remove(key);
                }
                (hlc, data)
            }))
    }

    fn apply_one(&self, row: &Incoming, stats: &mut ApplyStats) -> Result<()> {
        let table = row.table;
        let local = self.local_row(table, &row.id)?;
        let pending = self
            .prepare_cached("SELECT 1 FROM sync_outbox WHERE tbl = ?1 AND row_id = ?2")?
            .exists([table, &row.id])?;
        let unqueue = || -> Result<()> {
            self.prepare_cached("DELETE FROM sync_outbox WHERE tbl = ?1 AND row_id = ?2")?
                .execute([table, &row.id])?;
            Ok(())
        };
        let Some((local_hlc, mine)) = local else {
            if self.displace_natural_key(row)? {
                self.write_incoming(row)?;
                stats.applied += 1;
            }
            return Ok(());
        };
        if local_hlc == row.hlc {
            // Our own change coming back (a push whose answer was lost): it is on the hub.
            return unqueue();
        }
        let theirs_newer = row.hlc > local_hlc;
        if table == "opportunities" && pending {
            self.prepare_cached(
                "INSERT INTO conflicts (id, tbl, row_id, title, mine, theirs, winner, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(rusqlite::params![
                new_id(),
                table,
                row.id,
                text_field(if theirs_newer { &row.data } else { &mine }, "title"),
                Value::Object(mine.clone()).to_string(),
                Value::Object(row.data.clone()).to_string(),
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
            self.write_incoming(row)?;
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
        let filter: Vec<String> = key.iter().map(|c| format!("{c} = ?")).collect();
        let mut values: Vec<SqlValue> = key
            .iter()
            .map(|c| sql_of(row.data.get(*c).unwrap_or(&Value::Null)))
            .collect::<Result<_>>()?;
        values.push(SqlValue::Text(row.id.clone()));
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
    fn write_incoming(&self, row: &Incoming) -> Result<()> {
        let (mut columns, mut values) = self.columns_of(row.table, &row.data)?;
        columns.push("hlc".into());
        values.push(SqlValue::Text(row.hlc.clone()));
        let sets: Vec<String> = columns
            .iter()
            .filter(|c| *c != "id")
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        // Bumping the version makes a window holding the old card reload instead of overwriting.
        let bump = if row.table == "opportunities" {
            ", version = version + 1"
        } else {
            ""
        };
        self.prepare_cached(&format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}{bump}",
            row.table,
            columns.join(", "),
            vec!["?"; columns.len()].join(", "),
            sets.join(", ")
        ))?
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
