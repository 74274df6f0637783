//! A card's timeline: everything that happened to it in one list, newest first — the
//! activities logged, its stage history (created, moves with their evidence or unverified,
//! won, lost, reopened) and the changes to its main fields (`card_history`, kept by a
//! trigger of the schema).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::types::Value;

use super::card_key::CardKey;
use super::{Day, Minute, Result, Store, StoreError, parse_stamp};
use crate::domain::{Activity, StageEvent, text};

/// A field whose changes the timeline shows (its number in `card_history.field`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangedField {
    Title,
    Value,
    ExpectedClose,
    Owner,
    NextStep,
    NextStepDue,
    NextStepAt,
}

impl ChangedField {
    const ALL: [ChangedField; 7] = [
        ChangedField::Title,
        ChangedField::Value,
        ChangedField::ExpectedClose,
        ChangedField::Owner,
        ChangedField::NextStep,
        ChangedField::NextStepDue,
        ChangedField::NextStepAt,
    ];
}

/// A value of a changed field, as its field holds it (`None`: empty or no date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    /// Cents.
    Amount(i64),
    Date(NaiveDate),
    Time(NaiveTime),
    None,
}

/// What a timeline entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineWhat {
    Activity(Activity),
    /// An event of the stage history: created, moved (verified or not), won, lost, reopened.
    Stage(StageEvent),
    Change {
        field: ChangedField,
        old: FieldValue,
        new: FieldValue,
    },
}

/// One entry of a card's timeline: when, by whom, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// The day, and the time when known (an activity logged without one has none).
    pub on: NaiveDate,
    pub at: Option<NaiveTime>,
    pub by: String,
    pub what: TimelineWhat,
}

impl TimelineEntry {
    /// The order of the timeline: by day, then time (an entry without one first in its day).
    fn when(&self) -> (NaiveDate, Option<NaiveTime>) {
        (self.on, self.at)
    }
}

fn field_value(field: ChangedField, value: Value) -> rusqlite::Result<FieldValue> {
    let out_of_range = |e| {
        rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Integer, Box::new(e))
    };
    Ok(match (field, value) {
        (_, Value::Null) => FieldValue::None,
        (ChangedField::Value, Value::Integer(cents)) => FieldValue::Amount(cents),
        (ChangedField::ExpectedClose | ChangedField::NextStepDue, Value::Integer(day)) => {
            FieldValue::Date(Day::from_number(day).map_err(out_of_range)?.0)
        }
        (ChangedField::NextStepAt, Value::Integer(minute)) => {
            FieldValue::Time(Minute::from_number(minute).map_err(out_of_range)?.0)
        }
        (_, Value::Text(t)) if t.is_empty() => FieldValue::None,
        (_, Value::Text(t)) => FieldValue::Text(text::clean_line(&t)),
        (_, other) => FieldValue::Text(format!("{other:?}")),
    })
}

impl Store {
    /// Everything that happened to a card, newest first: activities, stage events and field
    /// changes, each with its day (and time when known) and who.
    pub fn timeline(&self, card_id: &str) -> Result<Vec<TimelineEntry>> {
        if !self.exists(card_id)? {
            return Err(StoreError::NotFound(card_id.to_owned()));
        }
        let mut entries: Vec<TimelineEntry> = Vec::new();
        // Each list comes oldest first, and the lists in the order a change writes them
        // (fields, then the stage event, then an activity): sorted stably and reversed, the
        // newest comes first, and of one change what the user did comes above what it changed.
        let mut stmt = self.conn.prepare_cached(
            "SELECT updated_at, updated_by, field, old, new FROM card_history
             WHERE opportunity_id = ?1 AND deleted_at IS NULL ORDER BY updated_at, field",
        )?;
        let mut rows = stmt.query([CardKey(card_id)])?;
        while let Some(row) = rows.next()? {
            let number: i64 = row.get(2)?;
            let found = usize::try_from(number)
                .ok()
                .and_then(|i| ChangedField::ALL.get(i));
            let Some(&field) = found else {
                continue;
            };
            let at = parse_stamp(&row.get::<_, String>(0)?)?;
            let what = TimelineWhat::Change {
                field,
                old: field_value(field, row.get(3)?)?,
                new: field_value(field, row.get(4)?)?,
            };
            entries.push(stamped(at, row.get(1)?, what));
        }
        for e in self.history(card_id)? {
            entries.push(stamped(
                e.at,
                e.by.clone().unwrap_or_default(),
                TimelineWhat::Stage(e),
            ));
        }
        for a in self.activities(card_id)?.into_iter().rev() {
            entries.push(TimelineEntry {
                on: a.on,
                at: a.at,
                by: a.by.clone(),
                what: TimelineWhat::Activity(a),
            });
        }
        entries.sort_by_key(TimelineEntry::when);
        entries.reverse();
        Ok(entries)
    }
}

fn stamped(at: NaiveDateTime, by: String, what: TimelineWhat) -> TimelineEntry {
    TimelineEntry {
        on: at.date(),
        at: Some(at.time()),
        by,
        what,
    }
}
