//! Figures kept between runs: the probability of the target and the period's figures (groups,
//! top accounts, stale cards).
//!
//! They are read from counts the triggers keep (tens of milliseconds at a million cards, most
//! of it the probability's exact programme), while the data they read changes only when
//! someone writes: a run that finds them kept starts in a few milliseconds. Each result is kept
//! in `figures_cache` with the `data_generation` it was computed at; triggers count a new
//! generation on every change to a card or its history (see the schema), so a kept result is
//! used only while nothing has changed since, and a change makes the next read compute again,
//! once. Numbers are kept as JSON that reads back exactly (`float_roundtrip`).

use rusqlite::params;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Result, Store, StoreError, Tx};

impl Store {
    /// The result of the scanning query `query` with `params` (every value it depends on): the
    /// kept one if the data has not changed since it was computed, else `compute`'s, kept for
    /// the next read when the database can be written. `compute` may read only opportunities
    /// and their history (or figures cached from them): nothing else counts a generation.
    pub(crate) fn cached<T: Serialize + DeserializeOwned>(
        &self,
        query: &str,
        params: impl Serialize,
        compute: impl FnOnce(&Self) -> Result<T>,
    ) -> Result<T> {
        let key = serde_json::to_string(&(query, params)).expect("query parameters serialise");
        // One statement, so the generation and the kept rows are read from the same snapshot.
        let (generation, kept): (i64, Option<String>) = self
            .conn
            .prepare_cached(
                "SELECT g.generation, c.rows FROM data_generation g
                 LEFT JOIN figures_cache c ON c.key = ?1 AND c.generation = g.generation",
            )?
            .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?)))?;
        // Rows this version cannot read (kept by another version of funnel) are computed again.
        if let Some(rows) = kept.and_then(|json| serde_json::from_str(&json).ok()) {
            return Ok(rows);
        }
        let rows = compute(self)?;
        if !self.read_only {
            match self.keep(&key, generation, &rows) {
                // Another window writing, or a full disk, must not fail a read: the figures are
                // simply computed again next time.
                Ok(()) | Err(StoreError::Busy | StoreError::Full) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(rows)
    }

    /// Keeps `rows` as computed at `generation`, unless the data changed meanwhile (the rows
    /// may then mix old and new data), and drops what was kept for older data, which can never
    /// be read again: the table holds only the current generation's figures.
    fn keep(&self, key: &str, generation: i64, rows: &impl Serialize) -> Result<()> {
        let json = serde_json::to_string(rows).expect("query rows serialise");
        let tx = self.conn.unchecked_transaction()?;
        tx.prepare_cached(
            "INSERT INTO figures_cache (key, generation, rows)
             SELECT ?1, ?2, ?3 FROM data_generation WHERE generation = ?2
             ON CONFLICT (key) DO UPDATE SET generation = excluded.generation, rows = excluded.rows",
        )?
        .execute(params![key, generation, json])?;
        tx.prepare_cached("DELETE FROM figures_cache WHERE generation < ?1")?
            .execute([generation])?;
        Ok(tx.commit()?)
    }

    /// How many changes the cards and their histories have seen (what kept figures are
    /// checked against).
    #[cfg(test)]
    pub(super) fn data_generation(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT generation FROM data_generation", [], |r| r.get(0))?)
    }
}

impl Tx<'_> {
    /// Counts one change for a whole bulk load, whose per-row triggers were dropped.
    pub(super) fn count_generation(&self) -> Result<()> {
        self.execute("UPDATE data_generation SET generation = generation + 1", [])?;
        Ok(())
    }
}
