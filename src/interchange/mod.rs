//! Opportunities in and out of files: CSV for spreadsheets (one row per opportunity, the columns
//! people edit) and JSON for a lossless copy of a funnel (targets, and every opportunity with its
//! history, evidence, answers and people). An import checks the whole file and reports every
//! problem at once, each with its line and column, so a file is fixed in one go; it writes in one
//! store transaction, kept only when the whole file is good (a CSV file is written as it is read,
//! a JSON one once it is checked), where an id that already exists updates that opportunity
//! instead of adding a duplicate. No SQL here: all goes through [`crate::store`].

mod csv;
mod json;
mod stream;
mod texts;

pub use self::csv::{COLUMNS, Row, export_csv};
pub use self::json::export_json;

use chrono::{NaiveDate, NaiveTime};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::money::MoneyError;
use crate::domain::text::{self, TooLong};
use crate::domain::{DateConflict, Lang, Opportunity, Stage, Status, UnknownKey};
use crate::store::{
    CardFilter, Funnel, ImportStats, Imported, ImportedTarget, OnProgress, Store, StoreError,
};

/// Every problem found in a file, reported together ("LINE: column: reason" each), so the user
/// fixes them in one go. Nothing was written when this is returned. `Display` is English; the
/// user is told [`ImportError::say`] in their language.
#[derive(Debug)]
pub struct ImportError {
    /// In file order; a problem with the whole file (unreadable, unknown extension, empty, bad
    /// JSON syntax) is the only one.
    pub problems: Vec<Problem>,
    /// Set instead of `problems` when the file was fine but the database failed the write (busy,
    /// unusable), so a caller can tell bad input from a database that cannot be used.
    pub store: Option<StoreError>,
}

/// One problem in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the file (the header is line 1); 0 for the whole file, and for JSON,
    /// where `column` gives the path instead.
    pub line: usize,
    /// The CSV column or JSON path (`opportunities[3].stage`); empty when none applies.
    pub column: String,
    pub reason: Reason,
}

/// Why a file, a row or a value is refused; said in a language by [`Reason::say`], in English
/// by `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    // The file as a whole.
    UnsupportedFileType {
        path: PathBuf,
    },
    /// The system's reason, in its own words.
    CannotRead {
        path: PathBuf,
        reason: String,
    },
    EmptyFile,
    /// The CSV or JSON reader's own words (English).
    Unreadable(String),
    /// A JSON syntax or shape error: its column, and the reader's own words.
    Syntax {
        column: usize,
        message: String,
    },
    UnclosedQuote,
    InvalidUtf8,
    NotAnExport,
    UnreadableVersion {
        found: u32,
        supported: u32,
    },
    /// The file's currency is not the funnel's (`fiscal_start`: the file's, for the command
    /// that makes a funnel like its own).
    FileCurrency {
        given: String,
        expected: String,
        fiscal_start: u32,
    },
    FileFiscalStart {
        file: u32,
        funnel: u32,
        currency: String,
    },
    // A CSV header.
    UnnamedColumn(usize),
    UnknownColumn,
    DuplicateColumn,
    MissingColumn,
    // A row or an entry.
    FieldCount {
        expected: u64,
        found: u64,
    },
    Required,
    Amount(MoneyError),
    NotADate(String),
    NotATime(String),
    NoSuchDate(String),
    NotATimestamp(String),
    NotAUuid(String),
    NotTheCurrency {
        given: String,
        expected: String,
    },
    /// Not a stage key nor a stage name (CSV takes either).
    UnknownStage(String),
    /// Not a stage key (JSON takes keys only), a status or an event kind.
    Unknown(UnknownKey),
    DuplicateIdLine(usize),
    DuplicateIdEntry(usize),
    /// The id is a card's of another funnel: an import must not move cards between funnels
    /// behind the user's back.
    OtherFunnel,
    TooLong(TooLong),
    ClosedWhileOpen,
    NeedsClosedDate(Status),
    /// Dates that cannot both be right (the kinds the store refuses).
    Dates(DateConflict),
    LostNeedsReason,
    ReasonWhileNotLost,
    NotAYear(i32),
    ScoreOutOfRange(u8),
    NoSuchQuestion {
        stage: Stage,
        last: usize,
    },
    HistoryEnds {
        last: Stage,
        stage: Stage,
    },
}

impl ImportError {
    /// A problem with the file as a whole.
    fn whole(reason: Reason) -> ImportError {
        ImportError {
            problems: vec![Problem {
                line: 0,
                column: String::new(),
                reason,
            }],
            store: None,
        }
    }

    /// Every problem in `lang`, one a line.
    pub fn say(&self, lang: Lang) -> String {
        let problems = self.problems.iter().map(|p| p.say(lang));
        let lines: Vec<String> = problems
            .chain(self.store.iter().map(|e| e.say(lang)))
            .collect();
        lines.join("\n")
    }
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError {
            problems: Vec::new(),
            store: Some(e),
        }
    }
}

impl Problem {
    /// "LINE: column: reason", the reason in `lang` (the place is written the same in all).
    pub fn say(&self, lang: Lang) -> String {
        let mut out = String::new();
        if self.line > 0 {
            out.push_str(&format!("{}: ", self.line));
        }
        if !self.column.is_empty() {
            out.push_str(&format!("{}: ", self.column));
        }
        out.push_str(&self.reason.say(lang));
        out
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.store.as_ref().map(|e| e as _)
    }
}

/// Why an export failed; whatever was written before is incomplete. `Display` is English; the
/// user is told [`ExportError::say`] in their language.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    Store(#[from] StoreError),
    Write(#[from] std::io::Error),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

/// Imports a `.csv` or `.json` file (by extension, any case) into `funnel`, all or nothing. With
/// `dry_run` nothing is written and the counts say what would change. `today` dates the
/// opportunities a CSV file adds; `progress` is told how far the import has got.
pub fn import_file(
    store: &mut Store,
    funnel: &Funnel,
    path: &Path,
    dry_run: bool,
    today: NaiveDate,
    progress: OnProgress,
) -> Result<ImportStats, ImportError> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let is_csv = match extension.as_deref() {
        Some("csv") => true,
        Some("json") => false,
        _ => {
            let path = path.to_owned();
            return Err(ImportError::whole(Reason::UnsupportedFileType { path }));
        }
    };
    let bytes = std::fs::read(path).map_err(|e| {
        let (path, reason) = (path.to_owned(), e.to_string());
        ImportError::whole(Reason::CannotRead { path, reason })
    })?;
    import_bytes(store, funnel, &bytes, is_csv, dry_run, today, progress)
}

/// [`import_file`] of a file's contents: CSV when `is_csv`, else JSON (the fuzz targets feed
/// this directly).
pub fn import_bytes(
    store: &mut Store,
    funnel: &Funnel,
    bytes: &[u8],
    is_csv: bool,
    dry_run: bool,
    today: NaiveDate,
    progress: OnProgress,
) -> Result<ImportStats, ImportError> {
    // Excel and Notepad start UTF-8 files with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if is_csv {
        store.import_with(funnel, dry_run, progress, |importer| {
            csv::import(importer, funnel, bytes, today)
        })
    } else {
        let batch = json::parse(store, funnel, bytes)?;
        Ok(store.import(funnel, batch.items, &batch.targets, dry_run, progress)?)
    }
}

/// What a checked JSON file asks the store to write.
struct Batch {
    items: Vec<Imported>,
    targets: Vec<ImportedTarget>,
}

/// Collects the problems of a file while it is checked.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, line: usize, column: impl Into<String>, reason: Reason) {
        self.0.push(Problem {
            line,
            column: column.into(),
            reason,
        });
    }

    /// The checked value, or every problem found.
    fn finish<T>(self, value: T) -> Result<T, ImportError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ImportError {
                problems: self.0,
                store: None,
            })
        }
    }
}

/// Every card of a funnel, open and closed, as exports list them.
fn every_card() -> CardFilter {
    CardFilter {
        closed_too: true,
        ..CardFilter::default()
    }
}

/// A date written exactly `YYYY-MM-DD` (chrono alone would also take "2026-3-5").
fn parse_date(text: &str) -> Result<NaiveDate, Reason> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(Reason::NotADate(text.to_owned()));
    }
    // Digits only, by the shape: read directly (chrono's format parser costs more per cell).
    let number = |at: std::ops::Range<usize>| text[at].parse::<u32>().unwrap_or_default();
    NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
        .ok_or_else(|| Reason::NoSuchDate(text.to_owned()))
}

/// A time of day written `HH:MM` (a next step's), as exports write it.
fn parse_time(text: &str) -> Result<NaiveTime, Reason> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| Reason::NotATime(text.to_owned()))
}

/// How exports write a time of day.
fn time_text(at: NaiveTime) -> String {
    at.format("%H:%M").to_string()
}

/// An id: any UUID, to be written in the canonical lowercase hyphenated form (`to_string`) so
/// that it matches the stored one however the file spelled it.
fn parse_id(text: &str) -> Result<uuid::Uuid, Reason> {
    uuid::Uuid::parse_str(text).map_err(|_| Reason::NotAUuid(text.to_owned()))
}

/// A status key, in any case.
fn parse_status(text: &str) -> Result<Status, Reason> {
    (text.parse()).map_err(Reason::Unknown)
}

/// The currency a file states must be the funnel's: amounts are never converted.
fn check_currency(given: &str, funnel: &Funnel) -> Result<(), Reason> {
    if given.trim().eq_ignore_ascii_case(&funnel.currency) {
        Ok(())
    } else {
        Err(Reason::NotTheCurrency {
            given: given.to_owned(),
            expected: funnel.currency.clone(),
        })
    }
}

/// Checks of a whole opportunity, as (field, reason) pairs: no text longer than the store keeps;
/// won and lost cards need the day they closed (it decides the period they count in, so it is
/// never guessed) and lost ones a reason; open cards have neither.
fn check_opportunity(o: &Opportunity, today: NaiveDate) -> Vec<(&'static str, Reason)> {
    let mut problems = check_lengths(o);
    let refused = o
        .date_conflicts(today)
        .into_iter()
        .filter(|c| c.is_refused());
    problems.extend(refused.map(|c| ("closed", Reason::Dates(c))));
    match (o.status, o.closed) {
        (Status::Open, Some(_)) => problems.push(("closed", Reason::ClosedWhileOpen)),
        (Status::Won | Status::Lost, None) => {
            problems.push(("closed", Reason::NeedsClosedDate(o.status)));
        }
        _ => {}
    }
    match (o.status, o.lost_reason.is_empty()) {
        (Status::Lost, true) => problems.push(("lost_reason", Reason::LostNeedsReason)),
        (Status::Open | Status::Won, false) => {
            problems.push(("lost_reason", Reason::ReasonWhileNotLost));
        }
        _ => {}
    }
    problems
}

/// Text fields longer than the store keeps, as (field, reason) pairs.
fn check_lengths(o: &Opportunity) -> Vec<(&'static str, Reason)> {
    let lost_reason = ("lost_reason", &o.lost_reason);
    (o.fields.texts().into_iter().chain([lost_reason]))
        .filter_map(|(field, value)| Some((field, Reason::TooLong(text::too_long(value)?))))
        .collect()
}

/// The stored opportunity an imported id names, if any (in whichever funnel).
fn stored(store: &Store, id: &str) -> Result<Option<Opportunity>, ImportError> {
    match store.opportunity(id) {
        Ok(found) => Ok(Some(found)),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_exact_and_real() {
        let day = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(parse_date("2028-02-29"), Ok(day));
        assert_eq!(
            parse_date("2026-02-30").unwrap_err().to_string(),
            "no such date: 2026-02-30"
        );
        for text in [
            "2026-3-05",
            "05/03/2026",
            "2026-03-05T10:00",
            "",
            "2026−03−05",
        ] {
            assert!(
                matches!(parse_date(text), Err(Reason::NotADate(t)) if t == text),
                "{text}"
            );
        }
    }

    #[test]
    fn ids_are_any_uuid_in_canonical_form() {
        let id = "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B";
        assert_eq!(parse_id(id).unwrap().to_string(), id.to_lowercase());
        assert!(
            parse_id("550e8400-e29b-41d4-a716-446655440000").is_ok(),
            "v4"
        );
        assert_eq!(
            parse_id("42").unwrap_err().to_string(),
            "not a UUID: \"42\""
        );
    }

    #[test]
    fn problems_print_one_per_line() {
        let mut problems = Problems::default();
        problems.add(3, "value", Reason::Amount(MoneyError::Empty));
        let (expected, found) = (17, 16);
        problems.add(4, "", Reason::FieldCount { expected, found });
        problems.add(
            0,
            "opportunities[2].stage",
            Reason::Unknown(UnknownKey::Stage("x".into())),
        );
        let err = problems.finish(()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "3: value: empty amount\n4: expected 17 fields like the header, found 16\n\
             opportunities[2].stage: unknown stage \"x\""
        );
        assert_eq!(
            err.say(Lang::Fr),
            "3: value: montant vide\n4: 17 champs attendus comme dans l'en-tête, 16 trouvés\n\
             opportunities[2].stage: étape inconnue « x »"
        );
        let empty = ImportError::whole(Reason::EmptyFile);
        assert_eq!(empty.to_string(), "empty file: expected a header row");
        assert!(Problems::default().finish(7).is_ok());
    }
}
