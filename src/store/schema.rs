//! The database schema, as versioned migrations (SQLite's `user_version` holds the version).
//!
//! Each released step is literal SQL in its own file under `migrations/`, never edited once
//! released: a file made by an older version is upgraded by exactly the steps it was missing, as
//! they were released, whatever the code around them has become since. A change to the schema
//! is a new step appended to [`MIGRATIONS`], its file's hash added to the table of the test
//! below, and a database made by the new version added to `tests/fixtures/schema/` (made once
//! by the generator in `upgrades`, whose test upgrades every version's database and compares
//! it with a new one). The steps were written out from the code that used to build them; their
//! text is what that code produced, byte for byte.
//!
//! Sync-ready from the start: UUID v7 keys, `updated_at`/`updated_by` on every row and soft
//! deletes (`deleted_at`), so a seller's file can later be merged with a lead's. Stages and
//! statuses are stored as small integers (the index in [`Stage::ALL`](crate::domain::Stage) and
//! 0 open / 1 won / 2 lost) to keep rows small at a million opportunities; for the same reason
//! cards and the sums kept per funnel name their funnel by its small integer `key` rather than
//! its id, and their dates by day numbers (step 10), and cards keep their id as 16 bytes and
//! `updated_at` as milliseconds (step 11); other rows keep text.
//!
//! `totals` holds running sums per (funnel, period, status, stage, owner), kept by triggers in
//! the same transaction as the change, so the footer and column headers never scan every row.
//! Period 0 stands for "open with no expected close date" (it counts in the current period).

use rusqlite_migration::{M, Migrations};

/// Marks a SQLite file as a funnel database (`PRAGMA application_id`): "FNL1".
pub const APPLICATION_ID: i32 = 0x464E_4C31;

/// Every migration, oldest first; the schema version is how many have run. Never edit a
/// released one: append a new step.
pub(crate) const MIGRATIONS: [&str; 16] = [
    // 1. Funnels, cards and their records (history, evidence, answers, people, targets), and
    //    `totals` with its triggers; cards name their funnel by its id.
    include_str!("migrations/0001_initial.sql"),
    // 2. Daily indicator snapshots per funnel and period (one row a day, rewritten during the
    //    day), so the dashboard can show how RTV and the factor evolved.
    include_str!("migrations/0002_indicator_snapshots.sql"),
    // 3. Team sync (see `crate::sync`): a hybrid-logical-clock stamp on every synced row, the
    //    queue of local changes not yet on the hub, what sync remembers, and the conflicts kept
    //    for the user. Rows already there are stamped from `updated_at`. Changes are queued
    //    only once the file has synced (`sync_state.enabled`): a single user without a hub
    //    keeps no queue, and the first sync queues every row at once (see
    //    `Store::enable_sync`).
    include_str!("migrations/0003_sync.sql"),
    // 4. One-to-one meetings (see `super::meetings`): a lead's meetings with a seller,
    //    coaching notes per card and the action plan. Local only, not synced.
    include_str!("migrations/0004_meetings.sql"),
    // 5. Targets sync too (a lead sets the team's target once for everyone): the same stamp
    //    and queue as step 3's tables, and targets already there are queued if the file
    //    already syncs.
    include_str!("migrations/0005_targets_sync.sql"),
    // 6. The figures that must scan every card and its history, kept between runs (see
    //    `super::cache`). Any change to a card or its history counts one more
    //    `data_generation`; a kept figure is used only while the generation it was computed at
    //    is the current one. A bulk load drops the triggers (their names start with
    //    `generation_`) and counts once.
    include_str!("migrations/0006_figures_cache.sql"),
    // 7. Sums over the stage history (conversion paths, days per stage visit, purchase lead
    //    times) kept by triggers, so those figures no longer scan every card's history (see
    //    `super::sums`). Counted from the data already there.
    include_str!("migrations/0007_history_sums.sql"),
    // 8. The period's figures without reading every card: counts and sums of live cards per
    //    group (`group_totals`), per stage and equal value of the open ones
    //    (`open_value_counts`) and per account of the viable open ones (`account_totals`), kept
    //    by triggers like `totals` (see `super::sums`); and the open cards of a stage in the
    //    order they became stale (`opportunities_overdue`). Filled from the cards already
    //    there.
    include_str!("migrations/0008_period_breakdowns.sql"),
    // 9. Rows are stamped for sync only once the file syncs: the sync triggers of every synced
    //    table are made again with that condition. Stamps already there stay.
    include_str!("migrations/0009_stamp_when_synced.sql"),
    // 10. Cards name their funnel by a small integer key instead of its 36-character id (a
    //     funnel keeps its id, what syncs with the hub, and gets the key as its rowid), and
    //     their dates become days since 1970-01-01 (see [`Day`](super::Day)). SQLite cannot
    //     change a column's type: the tables are made again, and every index and trigger on
    //     them; foreign keys are off while steps run (see `Store::setup`).
    include_str!("migrations/0010_funnel_keys.sql"),
    // 11. Cards keep their id as the UUID's 16 bytes and when they last changed as
    //     milliseconds (see `super::card_key`), and every row pointing at a card keeps the
    //     bytes too. Sync queues a card under its id as text, as the hub knows it.
    include_str!("migrations/0011_compact_cards.sql"),
    // 12. Rows pulled from the hub that fail a check are kept aside with the reason
    //     (`sync_aside`), not applied, and tried again by the next sync (see `crate::sync`).
    include_str!("migrations/0012_sync_aside.sql"),
    // 13. A card's next step gets the day it is due (`next_step_due`, a day number, NULL
    //     without one), so the board can mark overdue next steps.
    include_str!("migrations/0013_next_step_due.sql"),
    // 14. The seller's day: a next step's minute (`next_step_at`); the log of `activities`
    //     (synced like a card's records) and each card's latest activity day kept beside it
    //     (`last_activity`, local: the card is not stamped for sync when only it changes);
    //     the upkeep flags' counts per day (`upkeep_counts`, kept like `totals`); the indexes
    //     of the agenda and of the board's other column orders; the history of a card's main
    //     fields (`card_changes`, for its timeline); and what a funnel's board remembers
    //     here (`funnel_settings`).
    include_str!("migrations/0014_sellers_day.sql"),
    // 15. A card's change takes its old counts off `upkeep_counts` by their keys, not by
    //     checking every row of it against them.
    include_str!("migrations/0015_upkeep_counts_by_key.sql"),
    // 16. The review: a card's field history travels (`card_history`, synced and append-only,
    //     replacing `card_changes`) and, like the stage history, is looked up by the card's
    //     owner when it changed (local `card_owner`, `card_team`); meetings, their card notes
    //     and action items sync, a meeting is with a seller or a team's lead; snapshots are
    //     kept per seller and per team too.
    include_str!("migrations/0016_review.sql"),
];

/// The migrations of a list of steps (the real one, or a test's).
pub(crate) fn migrations_of(steps: &[&'static str]) -> Migrations<'static> {
    Migrations::new(steps.iter().map(|sql| M::up(sql)).collect())
}

/// The tables of cards' records: each points at its card by `opportunity_id`.
pub(super) const CARD_RECORDS: [&str; 7] = [
    "stage_events",
    "card_history",
    "evidence",
    "answers",
    "people",
    "activities",
    "meeting_card_notes",
];

#[cfg(test)]
mod upgrades;

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    /// Each released step: its file and the FNV-1a hash of its text.
    const RELEASED: [(&str, u64); 16] = [
        ("0001_initial", 0x9ed0_b522_5c78_6c27),
        ("0002_indicator_snapshots", 0x8639_772b_f141_31f8),
        ("0003_sync", 0x8750_140d_4bcd_e82e),
        ("0004_meetings", 0x93ee_ec6c_5eed_3311),
        ("0005_targets_sync", 0x6f24_08d7_dd50_f6da),
        ("0006_figures_cache", 0x9f24_ba81_2192_1503),
        ("0007_history_sums", 0xac3f_1346_9154_64d1),
        ("0008_period_breakdowns", 0xa79f_3440_e227_024a),
        ("0009_stamp_when_synced", 0x4831_83de_7d14_2744),
        ("0010_funnel_keys", 0x14e6_e242_f09d_c1d6),
        ("0011_compact_cards", 0xa9b7_979d_0ce0_4681),
        ("0012_sync_aside", 0xffa9_2b8b_7efd_d1c9),
        ("0013_next_step_due", 0x3c7a_74da_314d_12f9),
        ("0014_sellers_day", 0x6a9b_a492_893a_1dae),
        ("0015_upkeep_counts_by_key", 0x253b_1312_0eae_4586),
        ("0016_review", 0xfad6_8fbb_2fce_4ada),
    ];

    /// 64-bit FNV-1a: small, stable across Rust versions and platforms (std's hasher is not).
    fn fnv1a(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
            (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }

    #[test]
    fn migrations_are_valid() {
        super::migrations_of(&MIGRATIONS).validate().unwrap();
    }

    /// A released step is never edited: files already upgraded by it would differ from those
    /// it upgrades after the edit.
    #[test]
    fn released_migrations_never_change() {
        for (n, ((file, hash), sql)) in RELEASED.iter().zip(MIGRATIONS).enumerate() {
            assert_eq!(
                fnv1a(sql),
                *hash,
                "released migration {} ({file}.sql) changed: add a new step instead",
                n + 1
            );
        }
        assert_eq!(
            MIGRATIONS.len(),
            RELEASED.len(),
            "a step was added or removed: a released one stays, and a new one is listed here \
             with its hash"
        );
    }
}
