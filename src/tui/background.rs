//! The board's background sync: a worker thread with its own [`Store`] on the same file (WAL lets
//! both connections work at once; the board's connection is never shared) runs [`crate::sync`]
//! every so often and when the user presses `S`. Typing never waits for it: the event loop only
//! hands requests over and collects results ([`super::worker::Worker::pump`]).
//!
//! The board's side is plain state, [`SyncStatus`] in [`super::App::sync`]: when a sync is due, whether
//! one runs, how the last one ended and how many local changes wait. Without a hub configured
//! there is no worker and no status, and the board is exactly as before.

use chrono::{NaiveDateTime, TimeDelta};

use crate::domain::Lang;
use crate::store::Store;
use crate::sync;

/// Seconds between background syncs unless `[sync] every_seconds` says otherwise.
pub const DEFAULT_EVERY_SECONDS: u64 = 60;

/// How one background sync ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Synced {
        pushed: usize,
        pulled: usize,
        conflicts: usize,
        refused: usize,
    },
    /// The hub could not be reached; the changes wait, and the next sync tries again.
    Offline(String),
    /// Anything else (bad URL, authentication, a store error): said on the status line.
    Failed(String),
}

/// What the board knows of its background sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    pub every: TimeDelta,
    /// The store's clock at the last tick (the footer's "N s ago" counts from here).
    pub now: NaiveDateTime,
    /// A sync was handed to the worker and has not ended yet.
    pub running: bool,
    /// The user asked for a sync (`S`) that has not started yet.
    pub wanted: bool,
    pub last_attempt: Option<NaiveDateTime>,
    pub last_synced: Option<NaiveDateTime>,
    pub last: Option<Outcome>,
    /// Local changes not on the hub yet (refused ones included), and the refused ones.
    pub pending: i64,
    pub refused: i64,
    /// Rows pulled from the hub that failed a check, kept aside (`funnel conflicts` lists them).
    pub aside: i64,
    /// The board's changes take the hub member's name as soon as a sync has told it (no
    /// `user` in config.toml says otherwise).
    pub sign_as_member: bool,
}

impl SyncStatus {
    pub fn new(every: TimeDelta, now: NaiveDateTime) -> SyncStatus {
        SyncStatus {
            every,
            now,
            running: false,
            wanted: false,
            last_attempt: None,
            last_synced: None,
            last: None,
            pending: 0,
            refused: 0,
            aside: 0,
            sign_as_member: false,
        }
    }

    /// Whether a sync should start now: asked for, never tried, or the period has passed.
    pub fn is_due(&self) -> bool {
        !self.running
            && (self.wanted
                || self
                    .last_attempt
                    .is_none_or(|at| self.now - at >= self.every))
    }
}

/// One sync of `store` with the hub at `url`, as the board reports it (in `lang`).
pub fn sync_once(store: &mut Store, url: &str, lang: Lang) -> Outcome {
    let result = sync::connect(url)
        .and_then(|mut client| sync::sync(store, &mut client, sync::Options::default(), None));
    match result {
        Ok(report) => Outcome::Synced {
            pushed: report.pushed,
            pulled: report.pulled,
            conflicts: report.conflicts,
            refused: report.refused.len(),
        },
        Err(e) if e.is_offline() => Outcome::Offline(e.say(lang)),
        Err(e) => Outcome::Failed(e.say(lang)),
    }
}
