//! Sums over the stage history, kept current so that the conversion paths, the days spent per
//! stage visit and the purchase lead times are read from a few hundred rows instead of a pass
//! over every card and its whole history (tens of seconds at a million cards).
//!
//! Three small tables of counts, keyed by funnel and owner (so the seller filter still works):
//! `journey_counts` (a card's path: created stage, furthest stage, status), `stage_day_counts`
//! (finished stage visits: stage, whole days) and `purchase_day_counts` (won cards: days from
//! creation to winning). Triggers keep them in the same transaction as every write, whoever
//! writes (the store, or a pull's plain SQL). They follow the definitions of the scans exactly:
//! soft-deleted events and cards count for nothing, a card without history counts from its
//! current stage, visits are ordered by (at, id), start with a 'created', 'moved' or
//! 'reopened' event and end at the next event of the card, whatever its kind.
//!
//! `history_paths` is a memo per card of its history's lowest, highest and created stage and
//! its latest event, so that a move, a close or a reopen (an event appended at the end) costs a
//! few lookups by key however long the card's history is. A card gets its memo from its
//! history the first time a trigger needs it; rarer changes (an event withdrawn or edited, or
//! inserted before the latest) look at the card's history and drop the memo.
//!
//! The tables, their triggers and the memo are made by the schema steps (`0007_history_sums`,
//! made again with the funnel keys and the compact cards). Bulk loads drop the triggers (see
//! `store::bulk`) and sum the cards as they write them ([`HistorySums`]).

use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;

use super::PulledCard;
use crate::domain::{EventKind, Opportunity, Stage, Status};
use crate::store::funnels::status_index;
use crate::store::{Result, Tx, parse_date};

/// Each table's rows counted from the cards and their histories: what the triggers keep
/// (`funnel check` compares).
pub(in crate::store) const RECOUNTS: [(&str, &str); 3] = [
    (
        "journey_counts",
        "SELECT funnel, owner, first, last, status, count(*) FROM (
    SELECT o.funnel, o.owner, coalesce(e.created, e.lowest, o.stage) AS first,
           max(coalesce(e.highest, o.stage), o.stage) AS last, o.status
    FROM opportunities o LEFT JOIN (
        SELECT opportunity_id, min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
               min(to_stage) AS lowest, max(to_stage) AS highest
        FROM stage_events WHERE deleted_at IS NULL GROUP BY opportunity_id
    ) e ON e.opportunity_id = o.id
    WHERE o.deleted_at IS NULL)
GROUP BY 1, 2, 3, 4, 5",
    ),
    (
        "stage_day_counts",
        "SELECT o.funnel, o.owner, v.stage, v.days, count(*) FROM (
    SELECT opportunity_id, to_stage AS stage, kind,
           CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10))
                AS INTEGER) AS days
    FROM stage_events WHERE deleted_at IS NULL
    WINDOW w AS (PARTITION BY opportunity_id ORDER BY at, id)
) v JOIN opportunities o ON o.id = v.opportunity_id AND o.deleted_at IS NULL
WHERE v.days IS NOT NULL AND v.kind IN ('created', 'moved', 'reopened')
GROUP BY 1, 2, 3, 4",
    ),
    (
        "purchase_day_counts",
        "SELECT funnel, owner, days, count(*) FROM (
    SELECT funnel, owner, closed - created AS days
    FROM opportunities WHERE deleted_at IS NULL AND status = 1 AND closed >= created)
WHERE days IS NOT NULL
GROUP BY 1, 2, 3",
    ),
];

/// The sums of the cards a bulk load writes (whose triggers are dropped), by funnel and owner,
/// as the triggers would have counted them. An import knows each card's whole history; a pull
/// sees cards and events apart, so it counts each card as if it had no history
/// (`cards_only`), and what the history changes is counted from the tables after the load.
#[derive(Default)]
pub(in crate::store) struct HistorySums {
    by_funnel: HashMap<String, HashMap<String, OwnerSums>>,
    cards_only: bool,
}

#[derive(Default)]
struct OwnerSums {
    /// (first, last, status) → cards.
    journeys: HashMap<(i64, i64, i64), i64>,
    /// (stage, days) → visits.
    stage_days: HashMap<(i64, i64), i64>,
    /// days → won cards.
    purchase_days: HashMap<i64, i64>,
}

/// An event as written: its stamp as stored (`at` text), id, kind and stage.
pub(in crate::store) struct Written<'a> {
    pub at: String,
    pub id: &'a str,
    pub kind: EventKind,
    pub to_stage: Stage,
}

/// Days between two dates of stamps as SQLite's `julianday` counts them: only for years it
/// reads.
fn day_span(from: NaiveDate, to: NaiveDate) -> Option<i64> {
    use chrono::Datelike;
    let read = |d: NaiveDate| (0..=9999).contains(&d.year());
    (read(from) && read(to)).then(|| (to - from).num_days())
}

/// The date of a stored stamp (its first ten characters).
fn stamp_date(at: &str) -> Option<NaiveDate> {
    parse_date(at.get(..10)?).ok()
}

/// Days from creation to winning of a won card, if it was won after it was created.
fn purchase_span(created: NaiveDate, closed: NaiveDate) -> Option<i64> {
    (closed >= created).then(|| (closed - created).num_days())
}

impl HistorySums {
    fn of(&mut self, funnel_id: &str, owner: &str) -> &mut OwnerSums {
        // Looked up by reference: a million cards share a handful of funnels and owners.
        if !self.by_funnel.contains_key(funnel_id) {
            self.by_funnel.insert(funnel_id.to_owned(), HashMap::new());
        }
        let owners = self.by_funnel.get_mut(funnel_id).expect("just added");
        if !owners.contains_key(owner) {
            owners.insert(owner.to_owned(), OwnerSums::default());
        }
        owners.get_mut(owner).expect("just added")
    }

    /// Adds a new card and the events written with it (its whole history).
    pub(super) fn add(&mut self, opp: &Opportunity, mut history: Vec<Written>) {
        let sums = self.of(&opp.funnel_id, &opp.fields.owner);
        let stages = || history.iter().map(|e| e.to_stage);
        let created = (history.iter())
            .filter(|e| e.kind == EventKind::Created)
            .map(|e| e.to_stage)
            .min();
        let highest = stages().max();
        let first = created.or(stages().min()).unwrap_or(opp.stage);
        let last = highest.map_or(opp.stage, |h| h.max(opp.stage));
        let status = status_index(opp.status);
        let key = (first.index() as i64, last.index() as i64, status);
        *sums.journeys.entry(key).or_default() += 1;
        history.sort_unstable_by(|a, b| (&a.at, a.id).cmp(&(&b.at, b.id)));
        for pair in history.windows(2) {
            let opens = matches!(
                pair[0].kind,
                EventKind::Created | EventKind::Moved | EventKind::Reopened
            );
            let span = stamp_date(&pair[0].at)
                .zip(stamp_date(&pair[1].at))
                .and_then(|(from, to)| day_span(from, to));
            if let (true, Some(days)) = (opens, span) {
                let key = (pair[0].to_stage.index() as i64, days);
                *sums.stage_days.entry(key).or_default() += 1;
            }
        }
        if let (Status::Won, Some(closed)) = (opp.status, opp.closed)
            && let Some(days) = purchase_span(opp.created, closed)
        {
            *sums.purchase_days.entry(days).or_default() += 1;
        }
    }

    /// Adds a pulled card row, as if it had no history (see [`Tx::write_history_sums`]).
    pub(in crate::store) fn add_pulled(&mut self, card: &PulledCard) {
        self.cards_only = true;
        let (Some(stage), Some(status), true) = (card.stage, card.status, card.alive) else {
            return;
        };
        let (funnel_id, owner, created, closed) =
            (card.funnel_id, card.owner, card.created, card.closed);
        let date = |text| parse_date(text).ok();
        let purchase = match (status, date(created), date(closed)) {
            (1, Some(created), Some(closed)) => purchase_span(created, closed),
            _ => None,
        };
        let sums = self.of(funnel_id, owner);
        *sums.journeys.entry((stage, stage, status)).or_default() += 1;
        if let Some(days) = purchase {
            *sums.purchase_days.entry(days).or_default() += 1;
        }
    }
}

/// Per card with history: its funnel's id, owner, stage, path and status (a pull's correction).
const PATHS_OF_HISTORIES: &str = "
SELECT (SELECT id FROM funnels WHERE key = o.funnel), o.owner, o.stage, coalesce(e.created, e.lowest, o.stage),
       max(coalesce(e.highest, o.stage), o.stage), o.status, count(*)
FROM (SELECT opportunity_id, min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
             min(to_stage) AS lowest, max(to_stage) AS highest
      FROM stage_events WHERE deleted_at IS NULL GROUP BY opportunity_id) e
JOIN opportunities o ON o.id = e.opportunity_id AND o.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6";

/// The finished visits of cards with more than one event (a card with one has none): most
/// pulled cards carry only their 'created' event, and are found without reading the table.
const VISITS_OF_HISTORIES: &str = "
INSERT INTO stage_day_counts
SELECT o.funnel, o.owner, v.stage, v.days, count(*) FROM (
    SELECT opportunity_id, to_stage AS stage, kind,
           CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10))
                AS INTEGER) AS days
    FROM stage_events
    WHERE deleted_at IS NULL AND opportunity_id IN (
        SELECT opportunity_id FROM stage_events GROUP BY opportunity_id HAVING count(*) > 1)
    WINDOW w AS (PARTITION BY opportunity_id ORDER BY at, id)
) v JOIN opportunities o ON o.id = v.opportunity_id AND o.deleted_at IS NULL
WHERE v.days IS NOT NULL AND v.kind IN ('created', 'moved', 'reopened')
GROUP BY 1, 2, 3, 4";

impl Tx<'_> {
    /// Writes the sums of a bulk load (the tables were empty: so was the database). A pull's
    /// cards counted without their history are corrected from the tables: each card's path
    /// from its history, and the visits of cards with more than one event.
    pub(super) fn write_history_sums(&self, mut sums: HistorySums) -> Result<()> {
        self.execute_batch(
            "DELETE FROM journey_counts; DELETE FROM stage_day_counts;
             DELETE FROM purchase_day_counts; DELETE FROM history_paths;",
        )?;
        if sums.cards_only {
            let mut stmt = self.prepare(PATHS_OF_HISTORIES)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (stage, first, last, status): (i64, i64, i64, i64) =
                    (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
                let count: i64 = r.get(6)?;
                if (first, last) != (stage, stage) {
                    let owner = sums.of(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?);
                    *owner.journeys.entry((stage, stage, status)).or_default() -= count;
                    *owner.journeys.entry((first, last, status)).or_default() += count;
                }
            }
        }
        let insert = |table: &str, values: &str| {
            self.prepare(&format!(
                "INSERT INTO {table} VALUES ((SELECT key FROM funnels WHERE id = ?1), {values})"
            ))
        };
        let mut journeys = insert("journey_counts", "?2, ?3, ?4, ?5, ?6")?;
        let mut stage_days = insert("stage_day_counts", "?2, ?3, ?4, ?5")?;
        let mut purchase_days = insert("purchase_day_counts", "?2, ?3, ?4")?;
        for (funnel_id, owners) in &sums.by_funnel {
            for (owner, s) in owners {
                for ((first, last, status), count) in &s.journeys {
                    if *count != 0 {
                        journeys.execute(params![funnel_id, owner, first, last, status, count])?;
                    }
                }
                for ((stage, days), count) in &s.stage_days {
                    stage_days.execute(params![funnel_id, owner, stage, days, count])?;
                }
                for (days, count) in &s.purchase_days {
                    purchase_days.execute(params![funnel_id, owner, days, count])?;
                }
            }
        }
        if sums.cards_only {
            self.execute(VISITS_OF_HISTORIES, [])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
