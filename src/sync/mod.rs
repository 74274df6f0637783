//! Team sync through a PostgreSQL hub: each seller keeps working offline on their own SQLite file,
//! and `funnel sync` (or the board, in the background) exchanges changes with a shared hub.
//!
//! **Ordering.** Every synced row carries a hybrid logical clock stamp (`hlc`: wall milliseconds,
//! a counter, the file's node id; fixed-width text that sorts in clock order). A trigger stamps
//! each local write with a value above both the connection's last stamp and the row's current
//! one, so a change made after seeing a version always sorts after it, whatever the wall clocks
//! say; the node id breaks ties deterministically. Per row, the greater hlc wins. A file that
//! never synced keeps its rows unstamped (a stamp is 36 bytes a row); its first sync stamps each
//! one at its `updated_at` before pushing everything.
//! **Outbox.** The same trigger queues the row in `sync_outbox` with its `base`, the hlc it was
//! changed from. An outbox (rather than "hlc above the last pushed") survives several processes
//! writing one file and stamps pulled from nodes whose clocks run ahead. A row leaves the outbox
//! only once the hub holds that very hlc.
//! **Push.** Parents first (funnels, opportunities, then history, evidence, answers, people,
//! activities, a card's field history, targets, then meetings, their card notes and action
//! items), in batches, one hub transaction and one statement per batch (a
//! statement per row paid a round trip each: 30,000 rows took over 10 s). Each write is idempotent by (id, hlc),
//! so a sync killed anywhere resumes with no loss (the outbox is still there) and no duplicate
//! (the hub already has that hlc). Opportunities are compare-and-set on `base`: a card someone
//! else changed since we last saw it is not overwritten; the pull settles it. Records and
//! targets are newest-wins per row, so append-only history, evidence, answers, people and
//! activities merge as a union (two members' activities on one card are two rows; only the same
//! activity edited on both sides is settled, the newer edit winning).
//! **The review.** A card's field history (`card_history`: value, expected close, owner, next
//! step… with old and new values) travels as a record of its card, with the card's rights. It
//! is written once: the hub refuses to change a row of it, and a file keeps aside a row it
//! holds that comes back changed, so "pushed 3×" counts the same in every file. Each file
//! looks a history row and a stage event up by the card's owner and team as they were when
//! the row reached it (local `card_owner`, `card_team`: never pushed).
//! **Coaching.** Meetings, their card notes and action items travel through the hub's own
//! coaching table, not with the cards: their rights follow the meeting. The hub derives a card
//! note's or an action item's subject (the meeting's kind, seller or team) from the meeting it
//! holds, never from what a client says of the row, and who a meeting is with never changes.
//! A director reads and writes every meeting; a lead the seller meetings of their team's
//! sellers, and reads the team meetings of their team, of which they may only tick the action
//! items done or open; a seller reads their own seller meetings and may only tick their action
//! items; a card note is read by
//! those who read its card too. A hub older than coaching keeps the rows queued until it is
//! upgraded (`funnel hub init`).
//! **Pull.** Everything this role may see (row-level security decides) written since the cursor,
//! a PostgreSQL transaction id: rows carry the id of the transaction that wrote them, and the
//! next cursor is the snapshot's xmin, so a transaction still running during a pull is caught by
//! the next one. Pulling a row twice is harmless (equal or older hlc: skipped).
//! **Clocks.** Stamps are compared with the hub's clock: one more than
//! [`hub::AHEAD_LIMIT_MS`] ahead of it is refused by the hub on push (it stays queued, with the
//! reason) and kept aside on pull, so a clock set wrong, or a forged stamp, cannot win over every
//! later change nor drag the clocks of those who pull it. Each sync measures how far this
//! machine's clock is off the hub's ([`Report::clock_offset_ms`]), for the user to be told.
//! **Kept aside.** A pulled row that fails a check (not a JSON object, a payload that does not
//! repeat the hub's checked columns, an amount above the cap, a stage this file does not know,
//! a field of an activity, a history row or a coaching row that clients do not write…)
//! is not applied and does not stop the pull: it is kept aside in the file with the reason
//! (`funnel conflicts` lists them), with the records of a card kept aside, and every sync
//! fetches those rows again, whenever they were written; one that passes then is applied.
//! **Conflicts.** A pulled opportunity whose local row is still in the outbox was changed on both
//! sides since the last sync: the greater hlc wins and the other version is kept in the local
//! `conflicts` table (`funnel conflicts`), to keep mine or take theirs later. If ours won, it is
//! pushed over theirs in the same sync.
//! **Authority.** The hub's policies decide; a refused row stays in the outbox with the server's
//! reason (reported, retried on every sync, never lost). The policies check a row's columns and
//! clients apply its payload, so the hub refuses a payload that does not repeat them (owner,
//! team, id…), and the pull checks each row the same way (one written before the hub checked
//! is not applied). Funnels are shared by name: a local
//! funnel takes the hub's id for its name on first sync. Without a hub URL nothing of this runs.

mod connect;
pub mod hub;
mod texts;

use std::path::PathBuf;
use std::sync::mpsc;

use postgres::Client;

use crate::config::Config;
use crate::store::{Incoming, SYNCED, Store, StoreError};

pub use connect::{connect, connect_with};

/// The hub URL: `FUNNEL_SYNC_URL`, else `[sync] url` in config.toml.
pub fn hub_url(config: &Config) -> Option<String> {
    std::env::var("FUNNEL_SYNC_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| config.sync.url.clone())
}

/// Why a sync failed. `Display` is English (logs, the board's status line for now); the user is
/// told [`SyncError::say`] in their language.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    Hub(#[from] postgres::Error),
    Store(#[from] StoreError),
    /// `sslmode=verify-ca`, which cannot be done as asked (see `connect`).
    VerifyCa,
    /// The hub URL does not parse (the driver's reason).
    BadUrl(String),
    /// The hub's certificate is refused (the TLS stack's reason, with its causes).
    Certificate(String),
    /// A root certificate file that cannot be used.
    Roots {
        file: PathBuf,
        reason: String,
    },
    /// A root certificate file without any certificate.
    NoRoots {
        file: PathBuf,
    },
    Stopped(usize),
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(crate::domain::Lang::En))
    }
}

impl SyncError {
    /// The hub could not be reached (the board shows "offline" rather than an error).
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Hub(e) if e.as_db_error().is_none())
    }
}

/// An error with its causes ("error performing TLS handshake" alone does not say which).
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    text
}

/// Pages pulled from the hub and not applied yet, at most.
const PAGES_AHEAD: usize = 4;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Rows per hub transaction.
    pub batch: usize,
    /// Test hook: stop after this many batches reached the hub, before recording the last one,
    /// as a process killed at the worst moment would.
    pub stop_after: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            batch: 500,
            stop_after: None,
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub pushed: usize,
    pub pulled: usize,
    pub conflicts: usize,
    /// Pulled rows that failed a check and were not applied.
    pub kept_aside: usize,
    /// How far this machine's clock is ahead of the hub's, in milliseconds (behind: negative).
    pub clock_offset_ms: i64,
    /// Rows the hub refused: (table, id, reason). They stay queued.
    pub refused: Vec<(String, String, String)>,
}

/// How far a sync has got, told to whoever started it (a first push or pull of a million rows
/// takes a while).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Rows the hub has taken so far (told after each batch).
    Pushed(usize),
    /// Rows received from the hub so far, told with each page as it is applied (rows this file
    /// holds already count too: the report's `pulled` counts only those that changed it).
    Received(usize),
    /// Every received row is applied; the store is finishing (its indexes and sums after a
    /// first pull, then the commit).
    Finishing,
}

/// Pushes local changes, then pulls what this role may see; see the module doc for the rules.
/// `progress` is told how far it has got.
pub fn sync(
    store: &mut Store,
    client: &mut Client,
    options: Options,
    mut progress: Option<&mut dyn FnMut(Progress)>,
) -> Result<Report, SyncError> {
    let mut tell = |p| progress.as_mut().map_or((), |f| f(p));
    let mut report = Report::default();
    // Half way through the round trip, as near as this side can tell.
    let before = chrono::Utc::now().timestamp_millis();
    let hub_now = hub::clock(client)?;
    let after = chrono::Utc::now().timestamp_millis();
    report.clock_offset_ms = before + (after - before) / 2 - hub_now;
    store.enable_sync()?;
    // Kept for the next commands to sign this person's changes with (see `Store::MEMBER`).
    if let Some(name) = hub::member_name(client)?
        && store.sync_value(Store::MEMBER)?.as_ref() != Some(&name)
    {
        store.set_sync_value(Store::MEMBER, &name)?;
    }
    for funnel in store.funnels()? {
        if let Some(id) = hub::funnel_id(client, &funnel.name)?.filter(|id| *id != funnel.id) {
            store.rekey_funnel(&funnel.id, &id)?;
        }
    }
    let mut batches = 0;
    push(store, client, options, &mut report, &mut batches, &mut tell)?;
    let cursor = store
        .sync_value("cursor")?
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let page = i32::try_from(options.batch).unwrap_or(i32::MAX);
    // Rows kept aside are fetched again, whenever they were written: each may pass now.
    let again: Vec<String> = store.kept_aside()?.into_iter().map(|f| f.id).collect();
    // The hub sends the next page while this one is applied (on a first pull of a million
    // cards, either side alone takes most of the time). Applied pages go back to be freed by
    // the puller, which has time to spare: freeing a million parsed rows took the applying
    // side a tenth of its time.
    let (pulled, stats) = std::thread::scope(|scope| {
        let (pages, received) = mpsc::sync_channel(PAGES_AHEAD);
        let (spent, to_free) = mpsc::channel::<Vec<Incoming>>();
        let connection = &mut *client;
        // The sender moves to the puller: dropped when it is done, it ends the pages.
        let pulling = scope.spawn(move || {
            hub::pull(connection, cursor, &again, page, |rows| {
                to_free.try_iter().for_each(drop);
                pages.send(rows).is_ok()
            })
        });
        let (mut rows, mut pages) = (0, received.into_iter());
        let told = std::iter::from_fn(|| match pages.next() {
            Some(page) => {
                rows += page.len();
                tell(Progress::Received(rows));
                Some(page)
            }
            // Asked for once the last page is applied (never when nothing came).
            None => {
                if rows > 0 {
                    tell(Progress::Finishing);
                }
                None
            }
        });
        let applied = store.apply_incoming(told, |page| drop(spent.send(page)));
        let pulled = pulling
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        // A store error first: it is why the pull stopped early.
        applied
            .map_err(SyncError::from)
            .and_then(|stats| Ok((pulled?, stats)))
    })?;
    report.pulled += stats.applied;
    report.conflicts += stats.conflicts;
    store.keep_aside(&pulled.flawed)?;
    report.kept_aside += pulled.flawed.len() + stats.kept_aside;
    if let Some(next) = pulled.next {
        store.set_sync_value("cursor", &next.to_string())?;
    }
    if stats.conflicts > 0 {
        // A conflict our side won is pushed now, over the version just pulled.
        report.refused.clear();
        push(store, client, options, &mut report, &mut batches, &mut tell)?;
    }
    store.set_sync_value("synced_at", &chrono::Utc::now().to_rfc3339())?;
    Ok(report)
}

fn push(
    store: &mut Store,
    client: &mut Client,
    options: Options,
    report: &mut Report,
    batches: &mut usize,
    tell: &mut dyn FnMut(Progress),
) -> Result<(), SyncError> {
    // Rows of a table the hub does not have yet (it is older than this client) wait, queued,
    // until it is upgraded.
    let held = hub::tables(client)?;
    for table in SYNCED.into_iter().filter(|t| hub::keeps(&held, t)) {
        let mut after = String::new();
        loop {
            let changes = store.pending_changes(table, &after, options.batch)?;
            let Some(last) = changes.last() else { break };
            after = last.id.clone();
            let pushed = hub::push_batch(client, &changes)?;
            *batches += 1;
            // The worst moment to die: the hub has committed the batch, the outbox still has it.
            if options.stop_after == Some(*batches) {
                return Err(SyncError::Stopped(*batches));
            }
            store.mark_pushed(&pushed.accepted, &pushed.refused)?;
            report.pushed += pushed.accepted.len();
            tell(Progress::Pushed(report.pushed));
            report.refused.extend(
                pushed
                    .refused
                    .iter()
                    .map(|(c, why)| (c.table.to_owned(), c.id.clone(), why.clone())),
            );
        }
    }
    Ok(())
}
