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

pub use self::csv::{COLUMNS, Row, export_csv};
pub use self::json::export_json;

use chrono::NaiveDate;
use std::fmt;
use std::path::Path;

use crate::domain::{Opportunity, Status};
use crate::store::{
    CardFilter, Funnel, ImportStats, Imported, ImportedTarget, OnProgress, Store, StoreError,
};

/// Every problem found in a file, reported together ("LINE: column: reason" each), so the user
/// fixes them in one go. Nothing was written when this is returned.
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
    pub reason: String,
}

impl ImportError {
    /// A problem with the file as a whole.
    fn whole(reason: impl Into<String>) -> ImportError {
        ImportError {
            problems: vec![Problem {
                line: 0,
                column: String::new(),
                reason: reason.into(),
            }],
            store: None,
        }
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

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}: ", self.line)?;
        }
        if !self.column.is_empty() {
            write!(f, "{}: ", self.column)?;
        }
        f.write_str(&self.reason)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problems = self.problems.iter().map(ToString::to_string);
        let lines: Vec<String> = problems
            .chain(self.store.iter().map(|e| e.to_string()))
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.store.as_ref().map(|e| e as _)
    }
}

/// Why an export failed; whatever was written before is incomplete.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
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
            return Err(ImportError::whole(format!(
                "{}: unsupported file type (use a .csv or .json file)",
                path.display()
            )));
        }
    };
    let bytes = std::fs::read(path)
        .map_err(|e| ImportError::whole(format!("cannot read {}: {e}", path.display())))?;
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
    fn add(&mut self, line: usize, column: impl Into<String>, reason: impl Into<String>) {
        self.0.push(Problem {
            line,
            column: column.into(),
            reason: reason.into(),
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
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(format!("not a date: \"{text}\" (write YYYY-MM-DD)"));
    }
    // Digits only, by the shape: read directly (chrono's format parser costs more per cell).
    let number = |at: std::ops::Range<usize>| text[at].parse::<u32>().unwrap_or_default();
    NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
        .ok_or_else(|| format!("no such date: {text}"))
}

/// An id: any UUID, to be written in the canonical lowercase hyphenated form (`to_string`) so
/// that it matches the stored one however the file spelled it.
fn parse_id(text: &str) -> Result<uuid::Uuid, String> {
    uuid::Uuid::parse_str(text).map_err(|_| format!("not a UUID: \"{text}\""))
}

/// The currency a file states must be the funnel's: amounts are never converted.
fn check_currency(given: &str, funnel: &Funnel) -> Result<(), String> {
    if given.trim().eq_ignore_ascii_case(&funnel.currency) {
        Ok(())
    } else {
        let expected = &funnel.currency;
        Err(format!("{given} is not the funnel's currency ({expected})"))
    }
}

/// Checks of a whole opportunity, as (field, reason) pairs: no text longer than the store keeps;
/// won and lost cards need the day they closed (it decides the period they count in, so it is
/// never guessed) and lost ones a reason; open cards have neither.
fn check_opportunity(o: &Opportunity) -> Vec<(&'static str, String)> {
    let mut problems = check_lengths(o);
    match (o.status, o.closed) {
        (Status::Open, Some(_)) => problems.push((
            "closed",
            "only won or lost opportunities have a closed date".to_owned(),
        )),
        (Status::Won | Status::Lost, None) => problems.push((
            "closed",
            format!("a {} opportunity needs a closed date", o.status),
        )),
        _ => {}
    }
    match (o.status, o.lost_reason.is_empty()) {
        (Status::Lost, true) => {
            problems.push((
                "lost_reason",
                "a lost opportunity needs a reason".to_owned(),
            ));
        }
        (Status::Open | Status::Won, false) => problems.push((
            "lost_reason",
            "only lost opportunities have a lost reason".to_owned(),
        )),
        _ => {}
    }
    problems
}

/// Text fields longer than the store keeps, as (field, reason) pairs.
fn check_lengths(o: &Opportunity) -> Vec<(&'static str, String)> {
    let lost_reason = ("lost_reason", &o.lost_reason);
    (o.fields.texts().into_iter().chain([lost_reason]))
        .filter_map(|(field, value)| Some((field, crate::domain::text::too_long(value)?)))
        .collect()
}

/// Why an id is refused when a card of another funnel has it: an import must not move cards
/// between funnels behind the user's back.
const OTHER_FUNNEL: &str = "this id belongs to an opportunity of another funnel";

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
            parse_date("2026-02-30").unwrap_err(),
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
                parse_date(text).unwrap_err().starts_with("not a date"),
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
        assert_eq!(parse_id("42").unwrap_err(), "not a UUID: \"42\"");
    }

    #[test]
    fn problems_print_one_per_line() {
        let mut problems = Problems::default();
        problems.add(3, "value", "empty amount");
        problems.add(4, "", "expected 17 fields, found 16");
        problems.add(0, "opportunities[2].stage", "unknown stage \"x\"");
        let err = problems.finish(()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "3: value: empty amount\n4: expected 17 fields, found 16\n\
             opportunities[2].stage: unknown stage \"x\""
        );
        assert_eq!(ImportError::whole("empty file").to_string(), "empty file");
        assert!(Problems::default().finish(7).is_ok());
    }
}
