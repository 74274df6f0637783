//! How a card names itself in the file: its id as the UUID's 16 bytes, and when it last changed
//! as milliseconds since 1970 (schema step `0011_compact_cards`).
//!
//! The app, the exports and the hub know a card by its id as text (36 characters, lowercase and
//! hyphenated). The file keeps the 16 bytes instead, in the card, in every index of cards (a
//! `WITHOUT ROWID` table's indexes carry its key) and in every row that points at a card: a
//! million cards take some 60 MB less. The bytes sort as the text does (hex digits in order,
//! hyphens at fixed places), so "in id order" is unchanged. Values are turned at the store's
//! boundary: [`CardKey`] when a card's id is bound, [`CardId`] when one is read, and in plain
//! SQL [`id_text_sql`] / [`ID_FROM_TEXT`] (sync, triggers, upgrades).

use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};

/// A card's id bound as it is stored. A text that is no UUID names no card: it is bound as
/// an empty blob, which no stored id equals (they are 16 bytes, by a CHECK).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CardKey<'a>(pub &'a str);

impl ToSql for CardKey<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(card_bytes(self.0)))
    }
}

/// A card id's stored bytes (none for a text that is no UUID, see [`CardKey`]).
pub(crate) fn card_bytes(id: &str) -> Vec<u8> {
    uuid::Uuid::try_parse(id).map_or_else(|_| Vec::new(), |u| u.as_bytes().to_vec())
}

/// The stored ids that start with `prefix` as text are those between these two (`None`: no id
/// does): the prefix's hex digits followed by all zeros, then by all `f`s, the hyphens where
/// the text form has them.
pub(crate) fn prefix_range(prefix: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    const HYPHENS: [usize; 4] = [8, 13, 18, 23];
    let shaped = prefix.len() <= 36
        && prefix
            .bytes()
            .enumerate()
            .all(|(i, b)| match HYPHENS.contains(&i) {
                true => b == b'-',
                false => b.is_ascii_hexdigit(),
            });
    if !shaped {
        return None;
    }
    let digits: String = prefix.chars().filter(|c| *c != '-').collect();
    let bound = |fill: char| {
        let hex: String = digits
            .chars()
            .chain(std::iter::repeat(fill))
            .take(32)
            .collect();
        uuid::Uuid::try_parse(&hex).map(|u| u.as_bytes().to_vec())
    };
    Some((bound('0').ok()?, bound('f').ok()?))
}

/// A card's id read back as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CardId(pub String);

impl FromSql for CardId {
    fn column_result(value: ValueRef) -> FromSqlResult<Self> {
        let bytes = value.as_blob()?;
        let id = uuid::Uuid::from_slice(bytes).map_err(|e| FromSqlError::Other(Box::new(e)))?;
        Ok(CardId(id.to_string()))
    }
}

/// The SQL turning a card id held as text (`text`, an expression: the hub's form, a sync
/// queue's entry) into its stored bytes; NULL for a text that is no id.
pub(crate) fn id_from_text_sql(text: &str) -> String {
    format!("unhex(replace({text}, '-', ''))")
}

/// [`id_from_text_sql`] of a bound parameter.
pub(crate) static ID_FROM_TEXT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| id_from_text_sql("?"));

/// The SQL turning a stored card id (`bytes`, an expression) into its text.
pub(crate) fn id_text_sql(bytes: &str) -> String {
    let part = |from: usize, len: usize| format!("substr(hex({bytes}), {from}, {len})");
    format!(
        "lower({} || '-' || {} || '-' || {} || '-' || {} || '-' || {})",
        part(1, 8),
        part(9, 4),
        part(13, 4),
        part(17, 4),
        part(21, 12)
    )
}

/// When a card last changed, as stored: milliseconds since 1970 (6 bytes; the text stamp took
/// 24). SQLite turns it into the text stamp with [`millis_text_sql`] and back with
/// [`millis_from_text_sql`].
pub(crate) fn millis_text_sql(ms: &str) -> String {
    format!("strftime('%Y-%m-%dT%H:%M:%fZ', {ms} / 1000.0, 'unixepoch')")
}

/// The SQL turning a text stamp (`text`, an expression) into milliseconds since 1970.
pub(crate) fn millis_from_text_sql(text: &str) -> String {
    format!("CAST(round(unixepoch({text}, 'subsec') * 1000) AS INTEGER)")
}

/// A text stamp (`super::STAMP`) read from the milliseconds kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MillisText(pub String);

impl FromSql for MillisText {
    fn column_result(value: ValueRef) -> FromSqlResult<Self> {
        let ms = value.as_i64()?;
        let at = chrono::DateTime::from_timestamp_millis(ms).ok_or(FromSqlError::OutOfRange(ms))?;
        Ok(MillisText(at.naive_utc().format(super::STAMP).to_string()))
    }
}

/// Milliseconds since 1970 of a text stamp (`super::STAMP`); 0 for one that is none.
pub(crate) fn millis_of(stamp: &str) -> i64 {
    super::parse_stamp(stamp).map_or(0, |at| at.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn ids_and_stamps_go_there_and_back_in_rust_and_in_sql() {
        let conn = Connection::open_in_memory().unwrap();
        let id = "018ecc84-ff60-708b-b166-69949d57824f";
        let (text, back): (String, CardId) = conn
            .query_row(
                &format!("SELECT {}, ?1", id_text_sql("?1")),
                [CardKey(id)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((text.as_str(), back.0.as_str()), (id, id));
        let same: bool = conn
            .query_row(
                &format!("SELECT {} = ?2", *ID_FROM_TEXT),
                rusqlite::params![id, CardKey(id)],
                |r| r.get(0),
            )
            .unwrap();
        assert!(same);
        // An uppercase spelling is the same id; a text that is no id names nothing.
        let upper: CardId = conn
            .query_row("SELECT ?1", [CardKey(&id.to_uppercase())], |r| r.get(0))
            .unwrap();
        assert_eq!(upper.0, id);
        let none: Vec<u8> = conn
            .query_row("SELECT ?1", [CardKey("abc")], |r| r.get(0))
            .unwrap();
        assert!(none.is_empty());

        let stamp = "2026-11-27T15:02:54.511Z";
        let ms = millis_of(stamp);
        assert_eq!(ms, 1_795_791_774_511);
        let (text, back, from_sql): (String, MillisText, i64) = conn
            .query_row(
                &format!(
                    "SELECT {}, ?1, {}",
                    millis_text_sql("?1"),
                    millis_from_text_sql("?2")
                ),
                rusqlite::params![ms, stamp],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (text.as_str(), back.0.as_str(), from_sql),
            (stamp, stamp, ms)
        );
    }
}
