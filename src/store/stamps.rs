//! Sync stamps and the outbox in SQL: when a local change is stamped and queued for the hub,
//! the stamp it gets, and the id it is queued under. The sync triggers (made by the schema
//! steps) do it row by row; a bulk load, which drops them, and the first sync, which stamps
//! and queues every row already there, do it with these. Plain SQL, so that every program
//! writing the file, not only funnel, stamps and queues its changes.

use super::card_key::id_text_sql;

/// The condition under which changes are stamped and queued: the file has synced once.
pub(super) const ENABLED: &str = "EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')";

/// A stamp for a row written before the file synced: its `updated_at` in milliseconds, counter
/// zero, this node.
const STAMP_FROM_UPDATED_AT: &str = "printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node')";

/// [`STAMP_FROM_UPDATED_AT`] for a row of `table`: a card keeps its milliseconds already.
pub(super) fn stamp_from_updated_at(table: &str) -> String {
    match table {
        "opportunities" => {
            "printf('%013d-00000-', updated_at) || (SELECT value FROM sync_state WHERE key = 'node')"
                .to_owned()
        }
        _ => STAMP_FROM_UPDATED_AT.to_owned(),
    }
}

/// The next hybrid-logical-clock stamp of a row whose current stamp is the SQL expression
/// `old`: wall milliseconds when the clock is past it, else its counter plus one (a wall clock
/// behind a stamp pulled from another node never makes a change look older), then the node id
/// as the tiebreak. Fixed widths make the text sort in clock order.
pub(super) fn next_hlc_sql(old: &str) -> String {
    let wall = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
    let ms = format!("CAST(substr({old}, 1, 13) AS INTEGER)");
    let counter = format!("CAST(substr({old}, 15, 5) AS INTEGER)");
    format!(
        "(CASE WHEN {wall} > {ms} THEN printf('%013d-00000-', {wall}) \
         WHEN {counter} >= 99999 THEN printf('%013d-00000-', {ms} + 1) \
         ELSE printf('%013d-%05d-', {ms}, {counter} + 1) END \
         || (SELECT value FROM sync_state WHERE key = 'node'))"
    )
}

/// The SQL of a row's id as the hub knows it, as the outbox queues it (the reverse of sync's
/// `local_id`), for a row of `table` whose columns are in scope.
pub(super) fn queued_id(table: &str) -> String {
    match table {
        "opportunities" => id_text_sql("id"),
        _ => "id".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn next(old: &str) -> String {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE sync_state (key, value); INSERT INTO sync_state VALUES ('node', 'ff');",
        )
        .unwrap();
        conn.query_row(&format!("SELECT {}", next_hlc_sql("?1")), [old], |r| {
            r.get(0)
        })
        .unwrap()
    }

    #[test]
    fn hlc_never_goes_back() {
        // A stamp far in the future (another node's clock ahead): count on from it.
        assert_eq!(next("9999999999998-00007-aa"), "9999999999998-00008-ff");
        assert_eq!(next("9999999999998-99999-aa"), "9999999999999-00000-ff");
        // A stamp in the past, or none yet: the wall clock, which sorts after it.
        let now = next("");
        assert!(now.ends_with("-00000-ff") && now.len() == 22, "{now}");
        assert!(next("0000000000001-00003-aa").as_str() > "0000000000001-00003-aa");
        assert!(now.as_str() > "1700000000000-00000-ff");
    }
}
