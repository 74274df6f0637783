//! The SQLite store: opening and upgrading the file, and every query the app makes.
//!
//! Nothing outside this module writes SQL. The file is opened in WAL mode with foreign keys on
//! and a busy timeout; every user action is one transaction, committed before it is acknowledged,
//! so a crash never loses what the user was told was saved. Writes to an opportunity carry the
//! version the caller read: if another window changed it meanwhile, the write is refused with
//! [`StoreError::Conflict`] instead of silently overwriting.

mod funnels;
mod import;
mod opportunities;
mod records;
mod schema;

pub use funnels::{DEFAULT_FUNNEL, Funnel, normalize_currency};
pub use import::{ImportStats, Imported, ImportedTarget, Records};
pub use opportunities::{
    Card, CardFilter, MissingEvidence, MoveOutcome, NewOpportunity, validate_fields,
};
pub use schema::APPLICATION_ID;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a funnel database (left untouched)")]
    NotFunnelDatabase { path: PathBuf },
    #[error(
        "{path}: made by a newer version of funnel (schema {found}, this one knows {supported}); left untouched"
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no opportunity matches \"{0}\"")]
    NotFound(String),
    #[error("\"{0}\" matches several opportunities: give more characters of the id")]
    Ambiguous(String),
    #[error("no funnel named \"{0}\"")]
    NoSuchFunnel(String),
    #[error("a funnel named \"{0}\" already exists")]
    FunnelExists(String),
    #[error("this card was changed elsewhere (another window or command); reloaded, try again")]
    Conflict,
    #[error("{0}")]
    Invalid(String),
    #[error("the database is busy (another funnel is writing); try again in a moment")]
    Busy,
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// Internal: unwinds a dry-run import's transaction, carrying what it would have done.
    #[error("dry run")]
    DryRun(ImportStats),
    #[error("schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
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
}

/// A new UUID v7 as text: time-ordered, so new rows append to the primary-key index.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Page cache of a connection, in KiB (a negative `cache_size`).
const CACHE_KIB: i64 = 32_768;
/// Page cache while bulk-loading into an empty database.
const BULK_CACHE_KIB: i64 = 262_144;

const DATE: &str = "%Y-%m-%d";
pub(crate) const STAMP: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

// Dates are read and written once per card of an export or import: chrono's format strings
// are interpreted on every call, so the common exact form is done by hand.
pub(crate) fn date_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub(crate) fn parse_date(text: &str) -> rusqlite::Result<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
        && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
    {
        return Ok(date);
    }
    NaiveDate::parse_from_str(text, DATE).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(crate) fn parse_stamp(text: &str) -> rusqlite::Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, STAMP).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Store {
    /// Opens (creating if needed, mode 0600) and upgrades a funnel database. A file that is not
    /// a funnel database, or that a newer version wrote, is refused without being modified.
    pub fn open(path: &Path) -> Result<Store> {
        if path.exists() {
            check_existing(path)?;
        } else {
            create_private(path)?;
        }
        let conn = Connection::open(path)?;
        Store::setup(conn)
    }

    /// A private in-memory database (tests, `--dry-run` imports).
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // Room for every statement the board and an import repeat (the default keeps 16).
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Up to 32 MiB of page cache (default 2 MiB), used only as pages are read: at a million
        // cards the indexes are hundreds of MiB, and bulk writes (imports, demo) spill less.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        schema::migrations().to_latest(&mut conn)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        Ok(Store {
            conn,
            actor: default_actor(),
            clock: Clock::System,
        })
    }

    pub fn set_actor(&mut self, actor: impl Into<String>) {
        self.actor = actor.into();
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
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
        let stamp = self.stamp();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&Tx {
            tx: &tx,
            actor: &self.actor,
            stamp: &stamp,
            today: self.clock.now().date(),
        })?;
        tx.commit()?;
        Ok(out)
    }
}

/// A write transaction with who and when, handed to the query modules.
pub(crate) struct Tx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    actor: &'a str,
    stamp: &'a str,
    today: NaiveDate,
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

/// Creates the database file readable by its owner only before SQLite opens it.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map(drop)
        .map_err(|source| StoreError::Create {
            path: path.to_owned(),
            source,
        })
}

/// Looks at an existing file read-only: it must be empty, or a funnel database no newer than
/// this binary. Nothing is written before this check passes.
fn check_existing(path: &Path) -> Result<()> {
    let not_ours = || StoreError::NotFunnelDatabase {
        path: path.to_owned(),
    };
    if std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(false)
    {
        return Ok(());
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| not_ours())?;
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
    if found > schema::latest_version() {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found,
            supported: schema::latest_version(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
