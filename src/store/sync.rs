//! The local side of team sync: what sync remembers, the outbox of unpushed changes, applying
//! rows pulled from the hub (`apply`), and the conflicts kept for the user. Rows are stamped
//! and queued by triggers and by `store::stamps`.
//!
//! Rows travel as JSON objects of their SQLite columns (less the local-only `hlc` and `version`),
//! read and written generically by column name, so a column added by a later migration syncs
//! without new code; pulled ones are parsed once into [`Fields`]. Names of tables come from
//! [`SYNCED`] and names of columns from the local schema, never from the hub: a hostile hub
//! cannot inject SQL. See [`crate::sync`] for the rules.

use rusqlite::{OptionalExtension, params_from_iter};
use serde_json::{Map, Value};

use super::stamps::{queued_id, stamp_from_updated_at};
use super::{Result, Store, StoreError};

mod apply;
mod aside;
mod fields;
mod hub_form;

use apply::Shapes;
pub use aside::{Flaw, Flawed};
pub use fields::Fields;
use hub_form::{hub_columns, hub_row, json_of, local_id, text_field};

/// Tables that sync, parents first (a child's foreign key needs its parent applied first): a
/// meeting after its funnel, its card notes after it and the cards, its action items after it.
pub const SYNCED: [&str; 12] = [
    "funnels",
    "opportunities",
    "stage_events",
    "evidence",
    "answers",
    "people",
    "activities",
    "card_history",
    "targets",
    "meetings",
    "meeting_card_notes",
    "action_items",
];

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
    /// Rows this file refused to write (see [`Flaw`]), kept aside.
    pub kept_aside: usize,
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

impl Store {
    /// The [`Store::sync_value`] naming the hub member this file last synced as: the person
    /// whose changes it records, unless `config.toml` says otherwise.
    pub const MEMBER: &'static str = "member";

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
                "UPDATE opportunities SET updated_by = updated_by
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
