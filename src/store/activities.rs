//! The activity log and the next step: what a seller did with the customer (a call, a
//! meeting, an email, a note, a next step done) and what they will do next, with its day and
//! time. Logging is one transaction; the card's `last_activity` (what the upkeep flags read)
//! follows the log by the schema's triggers, without stamping the card for sync.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{OptionalExtension, Row, params};

use super::card_key::{CardId, CardKey};
use super::{Day, Minute, Refusal, Result, Store, StoreError, Tx, new_id};
use crate::domain::{Activity, ActivityKind, NewActivity, Opportunity, Status, UnknownKey, text};

/// What [`activity_from_row`] reads, from the table `a`.
const ACTIVITY_COLUMNS: &str =
    "a.id, a.opportunity_id, a.kind, a.day, a.at_minute, a.with_whom, a.summary, a.updated_by";

pub(super) fn activity_from_row(row: &Row) -> rusqlite::Result<Activity> {
    let kind: String = row.get(2)?;
    Ok(Activity {
        id: row.get(0)?,
        opportunity_id: row.get::<_, CardId>(1)?.0,
        kind: kind.parse().map_err(|e: UnknownKey| {
            rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
        })?,
        on: row.get::<_, Day>(3)?.0,
        at: row.get::<_, Option<Minute>>(4)?.map(|m| m.0),
        with: text::clean_line(&row.get::<_, String>(5)?),
        summary: text::clean_line(&row.get::<_, String>(6)?),
        by: row.get(7)?,
    })
}

/// Cleans what a user typed for an activity and refuses a text longer than the store keeps.
fn cleaned(new: &NewActivity) -> Result<NewActivity, Refusal> {
    let mut new = new.clone();
    for (field, value) in [("with", &mut new.with), ("summary", &mut new.summary)] {
        *value = text::clean_line(value);
        if let Some(too_long) = text::too_long(value) {
            return Err(Refusal::TooLong { field, too_long });
        }
    }
    Ok(new)
}

impl Tx<'_> {
    /// Writes an activity of card `card_id` as given (its id and who logged it kept; an empty
    /// `by` is the transaction's actor): a new one, and imports (one already there is kept).
    pub(super) fn insert_activity(&self, card_id: &str, a: &Activity) -> Result<()> {
        let by = if a.by.is_empty() { self.actor } else { &a.by };
        self.prepare_cached(
            "INSERT INTO activities (id, opportunity_id, kind, day, at_minute, with_whom, summary,
                updated_at, updated_by, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
        )?
        .execute(params![
            a.id,
            CardKey(card_id),
            a.kind.key(),
            Day(a.on),
            a.at.map(Minute),
            a.with,
            a.summary,
            self.stamp,
            by,
            self.hlc
        ])?;
        Ok(())
    }

    /// Logs a new activity on a stored card (cleaned already).
    fn log(&self, card: &Opportunity, new: &NewActivity) -> Result<Activity> {
        let activity = Activity {
            id: new_id(),
            opportunity_id: card.id.clone(),
            kind: new.kind,
            on: new.on,
            at: new.at,
            with: new.with.clone(),
            summary: new.summary.clone(),
            by: self.actor.to_owned(),
        };
        self.insert_activity(&card.id, &activity)?;
        Ok(activity)
    }
}

impl Store {
    /// Logs an activity on a card, in one transaction.
    pub fn log_activity(&mut self, card_id: &str, new: &NewActivity) -> Result<Activity> {
        let new = cleaned(new)?;
        self.write(|tx| {
            let card = tx.load(card_id)?;
            tx.log(&card, &new)
        })
    }

    /// A card's live activities, newest first (by day, then time, then the order logged).
    pub fn activities(&self, card_id: &str) -> Result<Vec<Activity>> {
        let sql = format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activities a
             WHERE a.opportunity_id = ?1 AND a.deleted_at IS NULL
             ORDER BY a.day DESC, coalesce(a.at_minute, -1) DESC, a.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([CardKey(card_id)], activity_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes an activity from the log (kept for sync, hidden everywhere).
    pub fn delete_activity(&mut self, activity_id: &str) -> Result<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE activities SET deleted_at = ?2, updated_at = ?2, updated_by = ?3
                 WHERE id = ?1 AND deleted_at IS NULL",
                params![activity_id, tx.stamp, tx.actor],
            )?;
            if changed == 0 {
                return Err(Refusal::NoSuchActivity(activity_id.to_owned()).into());
            }
            Ok(())
        })
    }

    /// Sets an open card's next step: its text, the day it is due and the time, if any
    /// (`version`: the one the caller read, as [`Store::update_fields`]).
    pub fn set_next_step(
        &mut self,
        card_id: &str,
        version: Option<i64>,
        text: &str,
        due: Option<NaiveDate>,
        at: Option<NaiveTime>,
    ) -> Result<Opportunity> {
        let step = text::clean_line(text);
        if let Some(too_long) = text::too_long(&step) {
            return Err(Refusal::TooLong {
                field: "next_step",
                too_long,
            }
            .into());
        }
        self.write(|tx| {
            let mut card = tx.load_at(card_id, version)?;
            if card.status != Status::Open {
                return Err(Refusal::NextStepOnClosed(card.status).into());
            }
            card.fields.next_step = step;
            card.fields.next_step_due = due;
            card.fields.next_step_at = at;
            tx.save(&mut card)?;
            Ok(card)
        })
    }

    /// Marks a card's next step done on `on`: logs it (its text as the summary) and clears the
    /// next step, in one transaction, so the caller can ask for the following one.
    pub fn next_step_done(
        &mut self,
        card_id: &str,
        version: Option<i64>,
        on: NaiveDate,
    ) -> Result<(Opportunity, Activity)> {
        self.write(|tx| {
            let mut card = tx.load_at(card_id, version)?;
            let f = &card.fields;
            if f.next_step.is_empty() && f.next_step_due.is_none() {
                return Err(Refusal::NoNextStep.into());
            }
            let done = NewActivity {
                kind: ActivityKind::StepDone,
                on,
                at: None,
                with: String::new(),
                summary: f.next_step.clone(),
            };
            let activity = tx.log(&card, &done)?;
            card.fields.next_step.clear();
            card.fields.next_step_due = None;
            card.fields.next_step_at = None;
            tx.save(&mut card)?;
            Ok((card, activity))
        })
    }

    /// The day of a card's latest live activity (what the upkeep flags read), as kept.
    pub fn last_activity(&self, card_id: &str) -> Result<Option<NaiveDate>> {
        let day = self
            .conn
            .prepare_cached(
                "SELECT last_activity FROM opportunities WHERE id = ?1 AND deleted_at IS NULL",
            )?
            .query_row([CardKey(card_id)], |r| r.get::<_, Option<Day>>(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(card_id.to_owned()))?;
        Ok(day.map(|d| d.0))
    }
}
