//! A synced row as the hub has it, and as it is here: which columns never travel, which travel
//! under another name or form (a card's funnel, dates, id and `updated_at`, and every pointer
//! to a card), the SQL that reads a local row in the hub's form and writes a hub value in the
//! local one, and the keys besides `id` that make two rows the same.

use std::sync::LazyLock;

use rusqlite::types::ValueRef;
use serde_json::{Map, Value};

use super::SYNCED;
use crate::store::card_key::{
    ID_FROM_TEXT, id_from_text_sql, id_text_sql, millis_from_text_sql, millis_text_sql,
};
use crate::store::opportunities::DAY_COLUMNS;
use crate::store::schema::CARD_RECORDS;

/// Columns that never travel: the hlc goes beside the data, the version is a local edit counter,
/// a funnel's key is this file's own number for it, a card's last activity is derived here
/// from its activities (and a pulled card's upsert never names it, so it stays as kept).
pub(super) const LOCAL_ONLY: [&str; 6] = [
    "hlc",
    "version",
    "key",
    "last_activity",
    "card_owner",
    "card_team",
];

/// A column that travels under another name or form: a card names its funnel by the funnel's
/// key here and by its id on the hub, its dates (and an activity's day) are day numbers here
/// (see [`Day`](crate::store::Day)) and ISO text on the hub, which other clients read, and its id (and
/// every pointer to it) and `updated_at` are bytes and milliseconds here and text on the hub
/// (see [`crate::store::card_key`]).
pub(super) struct Translated {
    table: &'static str,
    pub local: &'static str,
    pub hub: &'static str,
    /// The hub's value of the local row `t`.
    read: String,
    /// The local value of the hub's value `?`.
    pub write: String,
}

static TRANSLATED: LazyLock<Vec<Translated>> = LazyLock::new(|| {
    let card_id = |table: &'static str, column: &'static str| Translated {
        table,
        local: column,
        hub: column,
        read: id_text_sql(&format!("t.{column}")),
        write: ID_FROM_TEXT.clone(),
    };
    let pointers = (CARD_RECORDS.iter())
        .filter(|t| SYNCED.contains(t))
        .map(|table| card_id(table, "opportunity_id"));
    let updated_at = Translated {
        table: "opportunities",
        local: "updated_at",
        hub: "updated_at",
        read: millis_text_sql("t.updated_at"),
        write: millis_from_text_sql("?"),
    };
    let funnel = Translated {
        table: "opportunities",
        local: "funnel",
        hub: "funnel_id",
        read: "(SELECT id FROM funnels WHERE key = t.funnel)".into(),
        write: "(SELECT key FROM funnels WHERE id = ?)".into(),
    };
    let day = |table: &'static str, column: &'static str| Translated {
        table,
        local: column,
        hub: column,
        read: format!("date(t.{column} * 86400, 'unixepoch')"),
        write: "unixepoch(?) / 86400".into(),
    };
    let days = (DAY_COLUMNS
        .map(|column| day("opportunities", column))
        .into_iter())
    .chain([day("activities", "day")]);
    [card_id("opportunities", "id"), updated_at, funnel]
        .into_iter()
        .chain(days)
        .chain(pointers)
        .collect()
});

/// The SQL of a row's local id from its id as the hub knows it (`text`, an expression): a
/// card's is kept as bytes (see [`crate::store::card_key`]).
pub(super) fn local_id(table: &str, text: &str) -> String {
    match table {
        "opportunities" => id_from_text_sql(text),
        _ => text.to_owned(),
    }
}

/// The [`TRANSLATED`] columns of `table`.
pub(super) fn translated(table: &str) -> impl Iterator<Item = &'static Translated> {
    TRANSLATED.iter().filter(move |c| c.table == table)
}

/// The columns of a row `t` of `table` as the hub has them (then less [`LOCAL_ONLY`] and the
/// local forms of the [`TRANSLATED`] ones, see [`hub_row`]). A column translated under its own
/// name comes twice, the hub's form last: read in order into an object, that one stays.
pub(super) fn hub_columns(table: &str) -> String {
    let mut columns = String::from("t.*");
    for c in translated(table) {
        columns.push_str(&format!(", {} AS {}", c.read, c.hub));
    }
    columns
}

/// A row read with [`hub_columns`], as it travels.
pub(super) fn hub_row(table: &str, mut data: Map<String, Value>) -> Map<String, Value> {
    for key in LOCAL_ONLY {
        data.remove(key);
    }
    for c in translated(table).filter(|c| c.local != c.hub) {
        data.remove(c.local);
    }
    data
}

/// Unique keys besides `id`: two people may create the same answer, evidence or target with
/// different ids offline; the newer row replaces the older one.
pub(super) fn natural_key(table: &str) -> &'static [&'static str] {
    match table {
        "evidence" => &["opportunity_id", "stage"],
        "answers" => &["opportunity_id", "stage", "question"],
        "targets" => &["funnel_id", "period", "owner"],
        "meeting_card_notes" => &["meeting_id", "opportunity_id"],
        _ => &[],
    }
}

pub(super) fn json_of(value: ValueRef) -> Value {
    match value {
        ValueRef::Null | ValueRef::Blob(_) => Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(f) => f.into(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
    }
}

pub(super) fn text_field(data: &Map<String, Value>, key: &str) -> String {
    data.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
