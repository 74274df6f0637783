//! The board's background sync: a worker thread with its own [`Store`] on the same file (WAL lets
//! both connections work at once; the board's connection is never shared) runs [`crate::sync`]
//! every so often and when the user presses `S`. Typing never waits for it: the event loop only
//! hands requests over and collects results ([`Worker::pump`]).
//!
//! The board's side is plain state, [`SyncStatus`] in [`App::sync`]: when a sync is due, whether
//! one runs, how the last one ended and how many local changes wait. Without a hub configured
//! there is no worker and no status, and the board is exactly as before.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};

use super::App;
use super::worker::Job;
use crate::config::Config;
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
    /// A finished sync waiting to be applied by [`super::action::Action::SyncFinished`].
    pub inbox: Option<Outcome>,
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
            inbox: None,
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

impl App<'_> {
    /// Turns the background sync on (a hub is configured): the footer shows its state.
    pub fn enable_sync(&mut self, every: Duration) {
        let every = TimeDelta::from_std(every.max(Duration::from_secs(1)))
            .unwrap_or(TimeDelta::seconds(DEFAULT_EVERY_SECONDS as i64));
        self.sync = Some(SyncStatus::new(every, self.store.now()));
        // With a hub, every change is queued from now on (and what is already there).
        if let Err(e) = self.store.enable_sync() {
            self.warn_store(&e);
        }
        self.count_pending();
    }

    /// Moves the sync clock on (the event loop calls it on every turn).
    pub fn tick(&mut self) {
        let now = self.store.now();
        if let Some(status) = &mut self.sync {
            status.now = now;
        }
    }

    /// Starts a sync if one is due: marks it running and returns true (the caller hands it to
    /// the worker). Never two at once.
    pub fn take_sync_request(&mut self) -> bool {
        self.tick();
        let Some(status) = self.sync.as_mut().filter(|s| s.is_due()) else {
            return false;
        };
        status.running = true;
        status.wanted = false;
        status.last_attempt = Some(status.now);
        true
    }

    /// Re-reads how many local changes wait for the hub (after every change and sync).
    pub fn count_pending(&mut self) {
        if self.sync.is_none() {
            return;
        }
        let counts = self.store.sync_pending();
        if let (Some(status), Ok((pending, refused))) = (&mut self.sync, counts) {
            status.pending = pending;
            status.refused = refused;
        }
    }
}

/// One sync of `store` with the hub at `url`, as the board reports it.
pub fn sync_once(store: &mut Store, url: &str) -> Outcome {
    let result = sync::connect(url)
        .and_then(|mut client| sync::sync(store, &mut client, sync::Options::default(), None));
    match result {
        Ok(report) => Outcome::Synced {
            pushed: report.pushed,
            pulled: report.pulled,
            conflicts: report.conflicts,
            refused: report.refused.len(),
        },
        Err(e) if e.is_offline() => Outcome::Offline(e.to_string()),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// The sync thread (see [`super::worker`]).
pub type Worker = super::worker::Worker<(), Outcome>;

/// Starts the sync thread for the file at `path`; each request is one sync with the hub at
/// `url`. Dropping the worker ends it after the sync under way, if any (an interrupted one
/// resumes anyway).
pub fn spawn(path: PathBuf, url: String) -> std::io::Result<Worker> {
    let job = Job {
        next: |app| app.take_sync_request().then_some(()),
        apply: |app, outcome| app.sync_finished(outcome),
        stopped: || Outcome::Failed("the sync thread stopped".into()),
    };
    Worker::spawn("funnel-sync", path, job, move |store, ()| match store {
        Ok(store) => sync_once(store, &url),
        Err(e) => Outcome::Failed(e),
    })
}

/// Turns the background sync on when a hub is configured and the board's store is a writable
/// file: returns the worker the event loop pumps. Otherwise nothing changes.
pub fn start(app: &mut App, config: &Config) -> Option<Worker> {
    let url = sync::hub_url(config)?;
    if app.store.is_read_only() {
        return None;
    }
    let path = app.store.path()?;
    let worker = spawn(path, url).ok()?;
    let every = config.sync.every_seconds.unwrap_or(DEFAULT_EVERY_SECONDS);
    app.enable_sync(Duration::from_secs(every));
    Some(worker)
}
