//! The fields of pulled rows that clients read as they are, checked as the hub checks pushed
//! ones (see [`super::schema`]): an activity (the agenda and the upkeep flags read it), a card's
//! history (the review counts it: "pushed 3×") and coaching (meetings, their card notes and
//! action items, on the seller's agenda). One that a hub took before it checked them, or that a
//! hub changed since, is kept aside, saying which field, rather than read.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

use crate::domain::ActivityKind;
use crate::domain::money::MAX_CENTS;
use crate::domain::text::MAX_FIELD_CHARS;
use crate::store::{Fields, Flaw, STAMP};

/// The years a day may be in, as the hub's schema says.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// The first field whose value clients do not write, for the tables whose fields are checked.
pub(super) fn check_fields(table: &str, data: &Fields) -> Option<Flaw> {
    let data = data.to_map();
    let column = match table {
        "activities" => {
            let column = activity(&data)?;
            return Some(Flaw::Activity {
                column: column.to_owned(),
            });
        }
        "card_history" => history(&data),
        "meetings" => meeting(&data),
        "meeting_card_notes" => card_note(&data),
        "action_items" => action_item(&data),
        _ => None,
    }?;
    Some(Flaw::Field {
        table: table.to_owned(),
        column: column.to_owned(),
    })
}

fn value<'a>(data: &'a Map<String, Value>, name: &str) -> &'a Value {
    data.get(name).unwrap_or(&Value::Null)
}

/// A text of a field's length at most.
fn is_text(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|t| t.chars().count() <= MAX_FIELD_CHARS)
}

/// An ISO date (as the hub keeps a card's dates) of a year in [`YEARS`].
fn is_iso_day(v: &Value) -> bool {
    v.as_str()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .is_some_and(|d| YEARS.contains(&d.year()))
}

/// A day number (days since 1970, as a card's dates are kept in a file) of a year in [`YEARS`].
fn is_day_number(v: &Value) -> bool {
    v.as_i64()
        .and_then(|d| DateTime::from_timestamp(d.checked_mul(86_400)?, 0))
        .is_some_and(|t| YEARS.contains(&t.year()))
}

/// A minute of the day.
fn is_minute(v: &Value) -> bool {
    v.as_i64().is_some_and(|m| (0..1440).contains(&m))
}

/// A stamp as the store writes `updated_at`.
fn is_stamp(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|t| NaiveDateTime::parse_from_str(t, STAMP).is_ok())
}

/// The first of `names` that is not a text.
fn texts<'a>(data: &Map<String, Value>, names: &[&'a str]) -> Option<&'a str> {
    names.iter().copied().find(|n| !is_text(value(data, n)))
}

/// A stamp of the change and of its removal if any, and who made it.
fn bookkeeping(data: &Map<String, Value>) -> Option<&'static str> {
    if !is_stamp(value(data, "updated_at")) {
        Some("updated_at")
    } else if !(value(data, "deleted_at").is_null() || is_stamp(value(data, "deleted_at"))) {
        Some("deleted_at")
    } else {
        texts(data, &["updated_by"])
    }
}

fn activity(data: &Map<String, Value>) -> Option<&'static str> {
    let kind = value(data, "kind").as_str().unwrap_or_default();
    let minute = value(data, "at_minute");
    if !ActivityKind::ALL.iter().any(|k| k.key() == kind) {
        Some("kind")
    } else if !is_iso_day(value(data, "day")) {
        Some("day")
    } else if !(minute.is_null() || is_minute(minute)) {
        Some("at_minute")
    } else {
        texts(data, &["with_whom", "summary", "updated_by"])
    }
}

/// A change of one of a card's main fields (see the schema's `card_history`): its old and new
/// values are of that field's kind.
fn history(data: &Map<String, Value>) -> Option<&'static str> {
    let Some(field) = value(data, "field")
        .as_i64()
        .filter(|f| (0..=6).contains(f))
    else {
        return Some("field");
    };
    let fits = |v: &Value| match field {
        // Title, owner, next step.
        0 | 3 | 4 => is_text(v),
        1 => v.as_i64().is_some_and(|c| (0..=MAX_CENTS).contains(&c)),
        // Expected close, the next step's day.
        2 | 5 => v.is_null() || is_day_number(v),
        _ => v.is_null() || is_minute(v),
    };
    ["old", "new"]
        .into_iter()
        .find(|n| !fits(value(data, n)))
        .or_else(|| bookkeeping(data))
}

fn meeting(data: &Map<String, Value>) -> Option<&'static str> {
    if !matches!(value(data, "kind").as_str(), Some("seller" | "team")) {
        Some("kind")
    } else if !is_iso_day(value(data, "held_on")) {
        Some("held_on")
    } else if !is_stamp(value(data, "started_at")) {
        Some("started_at")
    } else {
        texts(data, &["funnel_id", "owner", "team", "skill", "notes"]).or_else(|| bookkeeping(data))
    }
}

fn card_note(data: &Map<String, Value>) -> Option<&'static str> {
    texts(data, &["meeting_id", "opportunity_id", "note"]).or_else(|| bookkeeping(data))
}

fn action_item(data: &Map<String, Value>) -> Option<&'static str> {
    let due = value(data, "due");
    if !matches!(value(data, "done").as_i64(), Some(0 | 1)) {
        Some("done")
    } else if !(due.is_null() || is_iso_day(due)) {
        Some("due")
    } else {
        texts(data, &["meeting_id", "owner", "text"]).or_else(|| bookkeeping(data))
    }
}
