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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flaw(table: &str, row: Value) -> Option<Flaw> {
        let Value::Object(map) = row else {
            unreachable!()
        };
        check_fields(table, &Fields::try_from(&map).unwrap())
    }

    fn field(table: &str, column: &str) -> Option<Flaw> {
        Some(Flaw::Field {
            table: table.into(),
            column: column.into(),
        })
    }

    fn change(field: i64, old: Value, new: Value) -> Value {
        json!({"id": "h", "opportunity_id": "c", "field": field, "old": old, "new": new,
            "updated_at": "2026-03-02T09:15:00.000Z", "updated_by": "ann", "deleted_at": null})
    }

    #[test]
    fn a_history_rows_old_and_new_values_are_of_its_fields_kind() {
        // Day 20515 is 2026-03-02; 376199 is 2999-12-31 and 376200 the year 3000.
        for ok in [
            change(0, json!("Acme"), json!("Acme renewal")),
            change(1, json!(0), json!(100_000_000_000_000_i64)),
            change(2, json!(null), json!(20515)),
            change(5, json!(-25567), json!(376199)),
            change(6, json!(540), json!(null)),
            change(3, json!("ann"), json!("bob")),
        ] {
            assert_eq!(flaw("card_history", ok.clone()), None, "{ok}");
        }
        for (bad, column) in [
            (change(7, json!(1), json!(2)), "field"),
            (change(1, json!(-1), json!(5)), "old"),
            (change(1, json!(5), json!(1.5)), "new"),
            (change(1, json!(5), json!(100_000_000_000_001_i64)), "new"),
            (change(2, json!("2026-03-02"), json!(null)), "old"),
            (change(5, json!(null), json!(376200)), "new"),
            (change(6, json!(1440), json!(null)), "old"),
            (change(0, json!(null), json!("Acme")), "old"),
            (change(4, json!("x"), json!("y".repeat(10_001))), "new"),
        ] {
            assert_eq!(
                flaw("card_history", bad.clone()),
                field("card_history", column)
            );
        }
        let mut stamp = change(0, json!("a"), json!("b"));
        stamp["updated_at"] = json!("2026-03-02 09:15");
        assert_eq!(
            flaw("card_history", stamp),
            field("card_history", "updated_at")
        );
        let mut removed = change(0, json!("a"), json!("b"));
        removed["deleted_at"] = json!(3);
        assert_eq!(
            flaw("card_history", removed),
            field("card_history", "deleted_at")
        );
    }

    #[test]
    fn coaching_rows_are_what_clients_write() {
        let meeting = json!({"id": "m", "funnel_id": "f", "kind": "seller", "owner": "ann",
            "team": "north", "held_on": "2026-03-02", "skill": "", "notes": "",
            "started_at": "2026-03-02T09:15:00.000Z", "updated_at": "2026-03-02T09:15:00.000Z",
            "updated_by": "lea", "deleted_at": null});
        let item = json!({"id": "i", "meeting_id": "m", "owner": "ann", "text": "Call",
            "due": null, "done": 1, "updated_at": "2026-03-02T09:15:00.000Z",
            "updated_by": "ann", "deleted_at": null});
        let note = json!({"id": "n", "meeting_id": "m", "opportunity_id": "c", "note": "Who signs",
            "updated_at": "2026-03-02T09:15:00.000Z", "updated_by": "lea", "deleted_at": null});
        assert_eq!(flaw("meetings", meeting.clone()), None);
        assert_eq!(flaw("action_items", item.clone()), None);
        assert_eq!(flaw("meeting_card_notes", note.clone()), None);
        let with = |row: &Value, name: &str, value: Value| {
            let mut row = row.clone();
            row[name] = value;
            row
        };
        for (table, row, column) in [
            ("meetings", with(&meeting, "kind", json!("boss")), "kind"),
            (
                "meetings",
                with(&meeting, "held_on", json!("3000-01-01")),
                "held_on",
            ),
            ("meetings", with(&meeting, "team", json!(null)), "team"),
            (
                "meetings",
                with(&meeting, "started_at", json!(1)),
                "started_at",
            ),
            ("action_items", with(&item, "done", json!(2)), "done"),
            (
                "action_items",
                with(&item, "due", json!("2026-02-30")),
                "due",
            ),
            ("action_items", with(&item, "text", json!(["x"])), "text"),
            ("meeting_card_notes", with(&note, "note", json!(7)), "note"),
            (
                "meeting_card_notes",
                with(&note, "updated_by", json!(null)),
                "updated_by",
            ),
        ] {
            assert_eq!(flaw(table, row), field(table, column), "{table} {column}");
        }
    }
}
