//! The SQLite store: opening and upgrading the file, and every query the app makes.
//!
//! Nothing outside this module writes SQL. The file is opened in WAL mode with foreign keys on
//! and a busy timeout; every user action is one transaction, committed before it is acknowledged,
//! so a crash never loses what the user was told was saved. Writes to an opportunity carry the
//! version the caller read: if another window changed it meanwhile, the write is refused with
//! [`StoreError::Conflict`] instead of silently overwriting.
//!
//! This file holds what every module shares (`Store`, `Tx`, errors, dates). The modules import
//! each other one way, each only from those in the lines above its own (`module_order` checks
//! it): what the store says (its refusals and problems), the schema and the forms of rows,
//! then the rows and the sums kept beside them, then what reads many cards or loads them in
//! bulk, then what exports, checks, imports and syncs.
//!
//! 1. `texts`
//! 2. `schema`, `card_key`, `funnels`, `cache`
//! 3. `stamps`, `sums`, `records`, `opportunities`, `activities`, `meetings`, `insight`, `short_ids`, `rewind`
//! 4. `board`, `bulk`, `agenda`, `timeline`, `review`
//! 5. `export`, `maintenance`, `import`, `sync`

mod activities;
mod agenda;
mod board;
mod bulk;
mod cache;
mod card_key;
mod export;
mod funnels;
mod import;
mod insight;
mod maintenance;
mod meetings;
mod opportunities;
mod records;
mod review;
mod rewind;
mod schema;
mod short_ids;
mod stamps;
mod sums;
mod sync;
mod texts;
mod timeline;

pub use agenda::{Agenda, AgendaLine};
pub use board::{Card, CardFilter, ColumnOrder, Progress, Side};
pub use export::CardText;
pub use funnels::{DEFAULT_FUNNEL, Funnel};
pub use import::{
    Checked, ImportProgress, ImportStats, Imported, ImportedTarget, Importer, NewCards, OnProgress,
    PROGRESS_EVERY,
};
pub use insight::Scope;
pub use maintenance::Repair;
pub use meetings::{ActionItem, Meeting, MeetingKind, PastMeeting};
pub use opportunities::{MissingEvidence, MoveOutcome, NewOpportunity, validate_fields};
pub use records::Records;
pub use review::ReviewRows;
pub use rewind::{EventStep, EvidenceStep, Rewind};
pub use schema::APPLICATION_ID;
pub use sync::{
    ApplyStats, Change, Conflict, Fields, Flaw, Flawed, Incoming, Keep, SYNCED, synced_table,
};
pub use texts::{Problem, Refusal};
pub use timeline::{ChangedField, FieldValue, TimelineEntry, TimelineWhat};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why the store refused or failed. `Display` is the English message (logs, tests); a user is
/// told [`StoreError::say`] in their language.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    NotFunnelDatabase {
        path: PathBuf,
    },
    Damaged {
        path: PathBuf,
        reason: Damage,
    },
    TooNew {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    NotFound(String),
    Ambiguous(String),
    NoSuchFunnel(String),
    FunnelExists(String),
    Conflict,
    /// Boxed: a refusal may carry a few texts, and every `Result` of the store carries this.
    Invalid(Box<Refusal>),
    Busy,
    ReadOnly,
    ReadOnlyOutdated {
        path: PathBuf,
    },
    Full,
    Sqlite(rusqlite::Error),
    Migration(#[from] rusqlite_migration::Error),
}

/// Why a file marked as a funnel database cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// Shorter than its header says, the usual cause (a copy cut short).
    Truncated {
        len: u64,
        expected: u64,
    },
    Unreadable,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(crate::domain::Lang::En))
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::Full,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// The file or its directory cannot be written (permissions, a read-only mount).
    fn is_cannot_write(&self) -> bool {
        match self {
            StoreError::ReadOnly => true,
            StoreError::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied)
            ),
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where "now" comes from: the system clock, or a fixed instant for tests and snapshots.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(NaiveDateTime),
}

impl Clock {
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => Utc::now().naive_utc(),
            Clock::Fixed(at) => at,
        }
    }
}

/// An open funnel database.
pub struct Store {
    conn: Connection,
    /// Who makes the changes (`updated_by`).
    actor: String,
    clock: Clock,
    /// Opened from a file this process cannot write: every change is refused up front.
    read_only: bool,
}

/// A new UUID v7 as text: time-ordered, so new rows append to the primary-key index.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// How long a write waits for another one to finish before reporting [`StoreError::Busy`].
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Page cache of a connection, in KiB (a negative `cache_size`).
const CACHE_KIB: i64 = 32_768;
/// Page cache while bulk-loading into an empty database.
const BULK_CACHE_KIB: i64 = 262_144;
/// Page cache of a connection that computes figures (see [`Store::use_scan_cache`]).
const SCAN_CACHE_KIB: i64 = 4_096;
/// WAL pages after which a connection that leaves checkpoints to another still checkpoints by
/// itself (SQLite's default is 1,000): a safety net, should the other stop.
const CHECKPOINT_FALLBACK_PAGES: i64 = 10_000;

const DATE: &str = "%Y-%m-%d";
pub(crate) const STAMP: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

// Dates are read and written once per card of an export or import: chrono's format strings
// are interpreted on every call, so the common exact form is done by hand.
pub(crate) fn date_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub(crate) fn parse_date(text: &str) -> rusqlite::Result<NaiveDate> {
    if let Some(date) = exact_date(text) {
        return Ok(date);
    }
    NaiveDate::parse_from_str(text, DATE).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A card's date as stored: days since 1970-01-01, a 2-byte integer until 2059 (ISO text takes
/// 10 bytes, a Julian day number 3), which SQLite turns into text with
/// `date(d * 86400, 'unixepoch')` and back with `unixepoch(text) / 86400`. Integers sort and
/// subtract as dates do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Day(pub NaiveDate);

/// 1970-01-01 counted from 0001-01-01 as day 1, as chrono counts.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

impl Day {
    fn number(self) -> i64 {
        i64::from(self.0.num_days_from_ce()) - UNIX_EPOCH_FROM_CE
    }

    fn from_number(n: i64) -> rusqlite::types::FromSqlResult<Day> {
        i32::try_from(n + UNIX_EPOCH_FROM_CE)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .map(Day)
            .ok_or(rusqlite::types::FromSqlError::OutOfRange(n))
    }
}

impl rusqlite::ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.number().into())
    }
}

impl rusqlite::types::FromSql for Day {
    fn column_result(value: rusqlite::types::ValueRef) -> rusqlite::types::FromSqlResult<Self> {
        Day::from_number(value.as_i64()?)
    }
}

/// A time of day as stored: the minute of the day, 0 to 1439 (seconds are dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Minute(pub NaiveTime);

impl rusqlite::ToSql for Minute {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(i64::from(self.0.num_seconds_from_midnight() / 60).into())
    }
}

impl Minute {
    fn from_number(n: i64) -> rusqlite::types::FromSqlResult<Minute> {
        u32::try_from(n)
            .ok()
            .filter(|m| *m < 1440)
            .and_then(|m| NaiveTime::from_hms_opt(m / 60, m % 60, 0))
            .map(Minute)
            .ok_or(rusqlite::types::FromSqlError::OutOfRange(n))
    }
}

impl rusqlite::types::FromSql for Minute {
    fn column_result(value: rusqlite::types::ValueRef) -> rusqlite::types::FromSqlResult<Self> {
        Minute::from_number(value.as_i64()?)
    }
}

/// A real date written exactly `YYYY-MM-DD`.
fn exact_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    None
}

pub(crate) fn parse_stamp(text: &str) -> rusqlite::Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, STAMP).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Store {
    /// Opens (creating if needed, mode 0600) and upgrades a funnel database. A file that is not
    /// a funnel database, or that a newer version wrote, is refused without being modified; an
    /// older one is copied next to itself (`NAME.bak-vN-YYYYMMDDHHMMSS`, UTC) before upgrading.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, &schema::MIGRATIONS)
    }

    /// [`Store::open`] with a given list of migrations (tests build "older" and "newer" files).
    fn open_with(path: &Path, steps: &[&'static str]) -> Result<Store> {
        if path.exists() {
            owner_may_write_wal(path);
            check_existing(path, steps.len())?;
        } else {
            create_private(path)?;
        }
        let conn = Connection::open(path)?;
        // SQLite quietly opens a write-protected file read-only; a read-only directory only
        // shows when the WAL index cannot be created. Either way: read-only mode, said so.
        let writable = !conn.is_readonly(rusqlite::MAIN_DB)?;
        match writable.then(|| Store::setup(conn, steps, Some(path))) {
            Some(Err(e)) if !e.is_cannot_write() => Err(e),
            Some(Ok(store)) => Ok(store),
            _ => {
                let store = Store::open_read_only(path, steps.len());
                owner_may_write_wal(path);
                store
            }
        }
    }

    /// Opens a database only to read it; it must already be at the current schema.
    fn open_read_only(path: &Path, latest: usize) -> Result<Store> {
        let conn = open_for_reading(path)?;
        conn.busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if usize::try_from(version).ok() != Some(latest) {
            return Err(StoreError::ReadOnlyOutdated {
                path: path.to_owned(),
            });
        }
        Ok(Store {
            conn,
            actor: default_actor(),
            clock: Clock::System,
            read_only: true,
        })
    }

    /// Whether changes are refused because the file or its directory cannot be written.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// A private in-memory database (tests, `--dry-run` imports).
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, &schema::MIGRATIONS, None)
    }

    /// Settings, then the pending migrations. `file`: where the database lives, for the copy
    /// taken before upgrading one made by an older version.
    fn setup(mut conn: Connection, steps: &[&'static str], file: Option<&Path>) -> Result<Store> {
        conn.busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        // Room for every statement the board and an import repeat (the default keeps 16).
        conn.set_prepared_statement_cache_capacity(64);
        use_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Up to 32 MiB of page cache (default 2 MiB), used only as pages are read: at a million
        // cards the indexes are hundreds of MiB, and bulk writes (imports, demo) spill less.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let found = usize::try_from(found).unwrap_or(0);
        if let Some(path) = file.filter(|_| (1..steps.len()).contains(&found)) {
            maintenance::backup_connection(&conn, &upgrade_backup_path(path, found), false)?;
        }
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        // Marked before the schema is created: a process killed in between leaves a file that
        // is recognised and completed on the next open, never one refused as foreign. One killed
        // during the switch to WAL, before the mark, leaves a hot journal that the next open
        // rolls back to an empty file (`roll_back_interrupted_creation`). Written once, so an
        // open that finds nothing to do writes nothing (and never waits for a lock).
        if app_id != APPLICATION_ID {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        // Off while the schema changes, as a table made again needs (see the migrations).
        conn.pragma_update(None, "foreign_keys", false)?;
        let mut version = found;
        // Another process opening the same new (or older) file at the same moment may run the
        // same steps first: each step is a transaction, so ours then fails whole, and the steps
        // left (none, often) are tried again as long as the other one makes progress.
        while let Err(e) = schema::migrations_of(steps).to_latest(&mut conn) {
            let now: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            let now = usize::try_from(now).unwrap_or(0);
            if now <= version {
                return Err(e.into());
            }
            version = now;
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        Ok(Store {
            conn,
            actor: default_actor(),
            clock: Clock::System,
            read_only: false,
        })
    }

    /// How long a change waits for another window's write to finish before failing with
    /// [`StoreError::Busy`] (5 s by default).
    pub fn set_busy_timeout(&mut self, timeout: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(timeout)?)
    }

    pub fn set_actor(&mut self, actor: impl Into<String>) {
        self.actor = actor.into();
    }

    /// The file this store was opened from (none for an in-memory database).
    pub fn path(&self) -> Option<std::path::PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    }

    /// A small page cache, for a connection that computes figures beside the board's: what
    /// must scan reads each page once, and the rest reads kept sums and a few index pages, so
    /// a big cache would only hold pages it never reads again (at a million cards it filled
    /// 32 MiB after each change, as much as the board's whole process).
    pub fn use_scan_cache(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -SCAN_CACHE_KIB)?;
        Ok(())
    }

    /// Leaves checkpoints to another connection on the same file ([`Store::checkpoint`]):
    /// SQLite copies the WAL back into the file after the commit that fills it past 1,000
    /// pages, an fsync of a few milliseconds that made one key in a few dozen the board's
    /// slowest (its p99 was twice its p50). Past [`CHECKPOINT_FALLBACK_PAGES`] this connection
    /// still checkpoints itself.
    pub fn leave_checkpoints_to_another(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", CHECKPOINT_FALLBACK_PAGES)?;
        Ok(())
    }

    /// Copies what the WAL holds into the database file as far as no reader still needs it,
    /// without waiting for readers or writers (a passive checkpoint): the work a connection
    /// that leaves checkpoints to this one no longer does. Nothing to do on a file this
    /// process cannot write.
    pub fn checkpoint(&self) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        let checkpointed = (self.conn)
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(StoreError::from);
        match checkpointed {
            // Another connection is checkpointing: it does the same work.
            Ok(()) | Err(StoreError::Busy) => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }

    fn stamp(&self) -> String {
        self.now().format(STAMP).to_string()
    }

    /// Runs `f` in one IMMEDIATE transaction (the write lock is taken up front, so a busy
    /// database waits for the busy timeout instead of failing half-way).
    fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.transact(true, f)
    }

    /// [`Store::write`] that rolls back instead of committing unless `commit` (a dry run), and
    /// whose `f` may fail with an error of its own (an import that finds bad rows).
    fn transact<T, E: From<StoreError>>(
        &mut self,
        commit: bool,
        f: impl FnOnce(&Tx) -> Result<T, E>,
    ) -> Result<T, E> {
        if self.read_only {
            if commit {
                return Err(StoreError::ReadOnly.into());
            }
            // A dry run writes nothing, but SQLite refuses even a write to be rolled back on a
            // file it opened read-only: the run goes to a copy in memory instead.
            let mut copy = Store {
                conn: maintenance::copy_in_memory(&self.conn)?,
                actor: self.actor.clone(),
                clock: self.clock,
                read_only: false,
            };
            return copy.transact(false, f);
        }
        let stamp = self.stamp();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&Tx {
            tx: &tx,
            actor: &self.actor,
            stamp: &stamp,
            stamp_ms: card_key::millis_of(&stamp),
            today: self.clock.now().date(),
            hlc: "",
        })?;
        if commit {
            tx.commit().map_err(StoreError::from)?;
        }
        Ok(out)
    }
}

/// A write transaction with who and when, handed to the query modules.
#[derive(Clone, Copy)]
pub(crate) struct Tx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    actor: &'a str,
    stamp: &'a str,
    /// `stamp` in milliseconds since 1970, as cards keep it (see `card_key`).
    stamp_ms: i64,
    today: NaiveDate,
    /// The sync stamp (`hlc`) of the rows it inserts: empty, so that the sync triggers stamp
    /// and queue each one once the file syncs, except in a bulk load into a synced file, which
    /// drops those triggers and gives every row one stamp as it is written (see
    /// `Store::import_with`).
    hlc: &'a str,
}

impl<'a> Tx<'a> {
    /// A statement kept for the whole transaction, outside the connection's cache.
    fn prepare_held(&self, sql: &str) -> Result<rusqlite::Statement<'a>> {
        Ok(self.tx.prepare(sql)?)
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.tx
    }
}

fn default_actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "local".into())
}

/// Puts the file in WAL mode. SQLite refuses the switch as busy, without waiting, while
/// another connection holds a lock (another command opening the same new file at the same
/// moment): it is tried again for as long as a write would wait.
fn use_wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + DEFAULT_BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            done => return Ok(done?),
        }
    }
}

/// Creates the database file readable by its owner only before SQLite opens it.
fn create_private(path: &Path) -> Result<()> {
    match new_private_file(path) {
        // Made by another command opening the same new file at the same moment.
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::Create {
            path: path.to_owned(),
            source,
        }),
    }
}

/// A new file (never one that exists) readable by its owner only: the database, and the files
/// that hold all its data (backups, exports).
pub(crate) fn new_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Why a file that carries funnel's mark in its SQLite header might not read; `None` for a file
/// without the mark.
fn marked_as_ours(path: &Path) -> Option<Damage> {
    use std::io::Read;
    let mut header = [0u8; 100];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    let marked =
        header.starts_with(b"SQLite format 3\0") && header[68..72] == APPLICATION_ID.to_be_bytes();
    marked.then(|| {
        let page = match u32::from(u16::from_be_bytes([header[16], header[17]])) {
            1 => 65_536,
            size => size,
        };
        let pages = u32::from_be_bytes([header[28], header[29], header[30], header[31]]);
        let expected = u64::from(page) * u64::from(pages);
        match std::fs::metadata(path).map(|m| m.len()) {
            Ok(len) if len < expected => Damage::Truncated { len, expected },
            _ => Damage::Unreadable,
        }
    })
}

/// Opens a file only to read it. A WAL database needs its `-shm` index beside it; in a directory
/// where it cannot be created, nobody can write the file either, so it is read as immutable.
fn open_for_reading(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) => {
            let escaped = path
                .to_string_lossy()
                .replace('%', "%25")
                .replace('?', "%3f")
                .replace('#', "%23");
            Connection::open_with_flags(
                format!("file:{escaped}?immutable=1"),
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
            )
        }
        _ => Ok(conn),
    }
}

/// SQLite creates the `-wal` and `-shm` files next to a database with the database file's
/// mode: a read-only open of a 0400 file leaves them 0400, and they keep the file read-only
/// for its owner once its own mode is fixed. The owner's write bit is put back on them (called
/// after such an open, and before every open, for files left so by an earlier version). Only
/// files of the database file's owner: another's mode is not ours to change.
fn owner_may_write_wal(path: &Path) {
    #[cfg(unix)]
    for suffix in ["-wal", "-shm"] {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let Ok(owner) = std::fs::metadata(path).map(|m| m.uid()) else {
            return;
        };
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        if let Ok(meta) = std::fs::metadata(&name) {
            let mode = meta.permissions().mode();
            if mode & 0o200 == 0 && meta.uid() == owner {
                let writable = std::fs::Permissions::from_mode(mode | 0o200);
                let _ = std::fs::set_permissions(&name, writable);
            }
        }
    }
}

/// Where the copy taken before upgrading a version-`version` database goes.
fn upgrade_backup_path(path: &Path, version: usize) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = Utc::now().format("%Y%m%d%H%M%S");
    path.with_file_name(format!("{name}.bak-v{version}-{stamp}"))
}

/// Undoes the first transaction on a file that was empty, left unfinished by a killed process
/// (the switch of a new file to WAL, before it is marked): a header page with a hot journal that
/// the read-only look below cannot roll back, so it would take the file for a foreign one for
/// good. The journal says the file had no page before: rolled back, it is empty again, as any
/// SQLite open that can write would leave it. Any other journal is left to the next writer.
fn roll_back_interrupted_creation(path: &Path) {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let mut header = [0u8; 20];
    let read = std::fs::File::open(journal).and_then(|mut f| {
        use std::io::Read;
        f.read_exact(&mut header)
    });
    // A rollback journal's header: its magic, then the file's size in pages before the
    // transaction at offset 16.
    const MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
    if read.is_err() || header[..8] != MAGIC || header[16..20] != [0; 4] {
        return;
    }
    // SQLite rolls a hot journal back on the first read of a connection that can write. If it
    // cannot (a protected file, another process's lock), the look that follows says why.
    if let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        let _ = conn.busy_timeout(DEFAULT_BUSY_TIMEOUT);
        let _ = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()));
    }
}

/// Looks at an existing file read-only: it must be empty, or a funnel database no newer than
/// `supported`. Nothing is written before this check passes, except the rollback of a new file's
/// interrupted first transaction.
fn check_existing(path: &Path, supported: usize) -> Result<()> {
    // Ours by the mark in its header (which SQLite writes in the first page) but unreadable: say
    // it is damaged, not foreign, so the user looks for a backup rather than another file.
    let ours = marked_as_ours(path);
    let not_ours = || match &ours {
        Some(reason) => StoreError::Damaged {
            path: path.to_owned(),
            reason: *reason,
        },
        None => StoreError::NotFunnelDatabase {
            path: path.to_owned(),
        },
    };
    roll_back_interrupted_creation(path);
    if std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(false)
    {
        return Ok(());
    }
    let conn = open_for_reading(path).map_err(|_| not_ours())?;
    let read = |pragma: &str| -> rusqlite::Result<i64> {
        conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
    };
    let app_id = read("application_id").map_err(|_| not_ours())?;
    let version = read("user_version").map_err(|_| not_ours())?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .optional()
        .map_err(|_| not_ours())?
        .unwrap_or(0);
    if app_id != i64::from(APPLICATION_ID) && !(app_id == 0 && version == 0 && tables == 0) {
        return Err(not_ours());
    }
    let found = usize::try_from(version).unwrap_or(usize::MAX);
    if found > supported {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found,
            supported,
        });
    }
    Ok(())
}

#[cfg(test)]
mod module_order;
#[cfg(test)]
mod tests;
