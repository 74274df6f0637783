//! Short ids: the fewest leading characters that name a card alone (as git does with hashes),
//! what lists and messages show, and finding the card a typed prefix names.

use rusqlite::OptionalExtension;
use std::collections::{HashMap, HashSet};

use super::card_key::{CardId, CardKey, prefix_range};
use super::{Result, Store, StoreError};

/// The fewest characters of an id that lists and messages show (see [`Store::short_id`]).
const SHORT_ID: usize = 8;
/// Above this many, [`Store::short_ids`] walks every id instead of seeking each one's neighbours.
const SHORT_IDS_BY_SEEKS: usize = 1_000;

/// How many leading characters two ids share.
fn shared_len(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// The start of `id` one character longer than what it shares with its neighbours.
fn short(id: &str, shared: usize) -> String {
    id[..(shared + 1).clamp(SHORT_ID, id.len())].to_owned()
}

impl Store {
    /// Finds the one opportunity whose id starts with `prefix` (as git does with hashes).
    pub fn resolve_id(&self, prefix: &str) -> Result<String> {
        let prefix = prefix.trim().to_ascii_lowercase();
        let Some((low, high)) = prefix_range(&prefix).filter(|_| !prefix.is_empty()) else {
            return Err(StoreError::NotFound(prefix));
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM opportunities WHERE id BETWEEN ?1 AND ?2
             AND deleted_at IS NULL LIMIT 2",
        )?;
        let ids: Vec<String> = stmt
            .query_map([low, high], |r| Ok(r.get::<_, CardId>(0)?.0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(StoreError::NotFound(prefix)),
            _ => Err(StoreError::Ambiguous(prefix)),
        }
    }

    /// The shortest start of `id` that [`Store::resolve_id`] reads as this card alone, and at
    /// least eight characters. Ids are time-ordered, so cards made together share their first
    /// digits: it takes one digit more than the id shares with either neighbour.
    pub fn short_id(&self, id: &str) -> Result<String> {
        let neighbour = |sql: &str| -> Result<Option<String>> {
            Ok(self
                .conn
                .prepare_cached(sql)?
                .query_row([CardKey(id)], |r| Ok(r.get::<_, CardId>(0)?.0))
                .optional()?)
        };
        let below = neighbour(
            "SELECT id FROM opportunities WHERE id < ?1 AND deleted_at IS NULL
             ORDER BY id DESC LIMIT 1",
        )?;
        let above = neighbour(
            "SELECT id FROM opportunities WHERE id > ?1 AND deleted_at IS NULL
             ORDER BY id LIMIT 1",
        )?;
        let shared = [below, above]
            .iter()
            .flatten()
            .map(|other| shared_len(id, other))
            .max()
            .unwrap_or(0);
        Ok(short(id, shared))
    }

    /// [`Store::short_id`] of each of `ids`. For many, one walk over every id in order: two
    /// seeks a card, in the order of a list, read pages all over the file (a million cards
    /// took 13 minutes on a file not in the OS cache; walked, 0.4 s).
    pub fn short_ids(&self, ids: &[&str]) -> Result<Vec<String>> {
        if ids.len() <= SHORT_IDS_BY_SEEKS {
            return ids.iter().map(|id| self.short_id(id)).collect();
        }
        let wanted: HashSet<&str> = ids.iter().copied().collect();
        let mut shared: HashMap<String, usize> = HashMap::with_capacity(ids.len());
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM opportunities WHERE deleted_at IS NULL ORDER BY id")?;
        let mut rows = stmt.query([])?;
        // The id before, and how much it shares with the one before it.
        let mut before: Option<(String, usize)> = None;
        while let Some(row) = rows.next()? {
            let id = row.get::<_, CardId>(0)?.0;
            let with_before = before.as_ref().map_or(0, |(b, _)| shared_len(b, &id));
            if let Some((b, b_shared)) = before.take()
                && wanted.contains(b.as_str())
            {
                shared.insert(b, b_shared.max(with_before));
            }
            before = Some((id, with_before));
        }
        if let Some((b, b_shared)) = before
            && wanted.contains(b.as_str())
        {
            shared.insert(b, b_shared);
        }
        // A card not walked (deleted meanwhile) keeps its whole id.
        Ok(ids
            .iter()
            .map(|id| short(id, shared.get(*id).copied().unwrap_or(id.len())))
            .collect())
    }
}
