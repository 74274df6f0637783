//! Reading a CSV file as a spreadsheet saved it, every bad row reported with its line and
//! column (see the parent module for the delimiter, the columns and formulas).

use ::csv::{ByteRecord, ReaderBuilder, StringRecord};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{COLUMNS, unquote};
use crate::domain::money::{self, DecimalSeparator};
use crate::domain::{Opportunity, OpportunityFields, Stage, Status, text};
use crate::interchange::stream::{Sink, write_while_reading};
use crate::interchange::{ImportError, Problems, Reason, check_currency, check_opportunity};
use crate::interchange::{parse_date, parse_id, parse_status, parse_time};
use crate::store::{Funnel, Imported, Importer, new_id};

/// Columns a file must have (and every row must fill).
const REQUIRED: [&str; 2] = ["title", "value"];

/// Checks a CSV file (without its byte-order mark) and writes its rows through `importer` as it
/// reads them. Once a row is bad the rest is only checked, and every problem is returned, so
/// that the import writes nothing.
pub(in crate::interchange) fn import(
    importer: &mut Importer,
    funnel: &Funnel,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<(), ImportError> {
    let delimiter = detect_delimiter(bytes);
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    let mut lines = Lines {
        bytes,
        offset: 0,
        line: 1,
    };
    // One record read into again and again: no allocation per row.
    let mut record = ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err(ImportError::whole(Reason::EmptyFile)),
        Err(e) => return Err(ImportError::whole(Reason::Unreadable(e.to_string()))),
    }
    let header_line = lines.of(record.position());
    let header_record = record.clone();
    // The rest of the file after a quote that never closes is read as one field: nothing
    // after it can be trusted, so that quote is the one problem reported. That field ends the
    // record it is in at the end of the file, so the search starts where the last record read
    // starts (`from`, on `first_line`), in which it must be.
    let unclosed = |from: usize, first_line: usize| {
        let (line, field) = unclosed_quote(&bytes[from..], delimiter)?;
        let line = first_line + line - 1;
        let column = (line > header_line)
            .then(|| header_record.get(field).map(clean_name))
            .flatten();
        let mut problems = Problems::default();
        problems.add(line, column.unwrap_or_default(), Reason::UnclosedQuote);
        Some(problems)
    };
    let mut problems = Problems::default();
    let header = Header::parse(&record, header_line, &mut problems);
    if !problems.0.is_empty() {
        // Rows can't be read against a wrong header.
        // The header itself may be the record the quote left open.
        return unclosed(0, 1).unwrap_or(problems).finish(());
    }
    let mut rows = RowReader {
        funnel,
        header: &header,
        separator: match delimiter {
            b';' => DecimalSeparator::Comma,
            _ => DecimalSeparator::Dot,
        },
        today,
        seen: HashMap::new(),
    };
    let problems = write_while_reading(importer, |sink| {
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    problems.add(lines.of(e.position()), "", field_count_reason(&e));
                    continue;
                }
            }
            let line = lines.of(record.position());
            record = match StringRecord::from_byte_record(record) {
                Ok(cells) => {
                    let row = rows.read(sink, &cells, line, &mut problems)?;
                    // Once a row is bad nothing will be kept: the rest is only checked.
                    if let Some(item) = row.filter(|_| problems.0.is_empty()) {
                        sink.add(item)?;
                    }
                    cells.into_byte_record()
                }
                Err(e) => {
                    let column = header.names.get(e.utf8_error().field()).cloned();
                    let column = column.unwrap_or_default();
                    problems.add(line, column, Reason::InvalidUtf8);
                    e.into_byte_record()
                }
            };
        }
        // Looked for once the rows are read, in the last one only: a file whose quote never
        // closes is refused all the same, as nothing is kept when rows fail, and the other
        // rows' bytes are not walked again (0.6 s at a million rows).
        Ok(unclosed(lines.offset, lines.line).unwrap_or(problems))
    })?;
    problems.finish(())
}

/// Line numbers as people count them. The csv crate's own count lags behind after a CRLF and
/// its positions point before the line breaks and blank lines it skips, so lines are counted
/// here up to where each record really starts.
struct Lines<'a> {
    bytes: &'a [u8],
    /// Where the last record started, on `line`.
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    /// The line of the record read from `position` (positions only move forward).
    fn of(&mut self, position: Option<&::csv::Position>) -> usize {
        let Some(position) = position else {
            return 0;
        };
        let mut start = position.byte() as usize;
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let skipped = &self.bytes[self.offset..start];
        self.line += skipped.iter().filter(|&&b| b == b'\n').count();
        self.offset = start;
        self.line
    }
}

/// `;` when the header line has more of them than commas, else `,`.
fn detect_delimiter(bytes: &[u8]) -> u8 {
    let mut lines = bytes.split(|&b| b == b'\n');
    let header = lines
        .find(|l| !l.trim_ascii().is_empty())
        .unwrap_or_default();
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// Where a quoted field opens and never closes, as (line, field index): the csv crate would
/// silently take the rest of the file as that one field. Quotes follow the same rules: a field
/// is quoted when it starts with `"`, and `""` inside is an escaped quote.
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    // Most files quote nothing: one fast search instead of a walk through every byte.
    if !bytes.contains(&b'"') {
        return None;
    }
    let (mut line, mut field, mut field_start) = (1, 0, true);
    let mut open = None;
    let mut iter = bytes.iter().copied().peekable();
    while let Some(b) = iter.next() {
        if b == b'\n' {
            line += 1;
        }
        if open.is_some() {
            if b == b'"' && iter.next_if_eq(&b'"').is_none() {
                open = None;
            }
            continue;
        }
        match b {
            b'\n' | b'\r' => (field, field_start) = (0, true),
            _ if b == delimiter => (field, field_start) = (field + 1, true),
            b'"' if field_start => {
                open = Some((line, field));
                field_start = false;
            }
            _ => field_start = false,
        }
    }
    open
}

fn clean_name(name: &[u8]) -> String {
    text::clean_line(&String::from_utf8_lossy(name))
}

fn field_count_reason(e: &::csv::Error) -> Reason {
    match e.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Reason::FieldCount {
            expected: *expected_len,
            found: *len,
        },
        _ => Reason::Unreadable(e.to_string()),
    }
}

/// Where each known column is in the file.
struct Header {
    /// As written (cleaned), for naming columns in problems.
    names: Vec<String>,
    positions: HashMap<&'static str, usize>,
}

impl Header {
    /// Reads the header row: known names in any order and case, each once, the required ones
    /// present.
    fn parse(record: &ByteRecord, line: usize, problems: &mut Problems) -> Header {
        let names: Vec<String> = record.iter().map(clean_name).collect();
        let mut positions = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let wanted = name.to_lowercase();
            match COLUMNS.iter().find(|c| **c == wanted) {
                None if name.is_empty() => problems.add(line, "", Reason::UnnamedColumn(i + 1)),
                None => problems.add(line, name.as_str(), Reason::UnknownColumn),
                Some(column) => {
                    if positions.insert(*column, i).is_some() {
                        problems.add(line, name.as_str(), Reason::DuplicateColumn);
                    }
                }
            }
        }
        for column in REQUIRED {
            if !positions.contains_key(column) {
                problems.add(line, column, Reason::MissingColumn);
            }
        }
        Header { names, positions }
    }
}

/// Turns checked rows into opportunities.
struct RowReader<'a> {
    funnel: &'a Funnel,
    header: &'a Header,
    separator: DecimalSeparator,
    today: NaiveDate,
    /// Ids met so far, with their line.
    seen: HashMap<uuid::Uuid, usize>,
}

/// One row being checked: its cells, and where to report.
struct Cells<'a> {
    header: &'a Header,
    record: &'a StringRecord,
    line: usize,
    problems: &'a mut Problems,
}

impl<'a> Cells<'a> {
    fn fail(&mut self, column: &str, reason: Reason) {
        self.problems.add(self.line, column, reason);
    }

    /// A column's cell, cleaned (copied only if that changed it); `None` when the file has no
    /// such column.
    fn cell(&self, column: &str) -> Option<Cow<'a, str>> {
        let i = *self.header.positions.get(column)?;
        Some(text::cleaned_line(&self.record[i]))
    }

    /// A free-text cell, as typed in the spreadsheet (see the module comment on formulas).
    fn text(&self, column: &str) -> Option<String> {
        self.cell(column).map(|cell| unquote(&cell).to_owned())
    }

    /// `None`: no such column, or a bad value (a problem is recorded); `Some(None)`: empty.
    fn parsed<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, Reason>,
    ) -> Option<Option<T>> {
        let cell = self.cell(column)?;
        if cell.is_empty() {
            return Some(None);
        }
        parse(&cell)
            .map_err(|reason| self.fail(column, reason))
            .ok()
            .map(Some)
    }

    /// A required cell's value; `None` once a problem is recorded.
    fn required<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, Reason>,
    ) -> Option<T> {
        let value = self.parsed(column, parse)?;
        if value.is_none() {
            self.fail(column, Reason::Required);
        }
        value
    }
}

impl RowReader<'_> {
    /// Checks one row and merges it into its card. `None` when the row has problems (all of
    /// them recorded).
    fn read(
        &mut self,
        sink: &dyn Sink,
        record: &StringRecord,
        line: usize,
        problems: &mut Problems,
    ) -> Result<Option<Imported>, ImportError> {
        let before = problems.0.len();
        let mut cells = Cells {
            header: self.header,
            record,
            line,
            problems,
        };
        let mut opp = self.card(sink, &mut cells)?;
        self.apply(&mut cells, &mut opp);
        Ok((problems.0.len() == before).then_some(Imported {
            opportunity: opp,
            records: None,
        }))
    }

    /// The card a row updates (the stored one with its id) or starts.
    fn card(&mut self, sink: &dyn Sink, cells: &mut Cells) -> Result<Opportunity, ImportError> {
        let Some(id) = cells.parsed("id", parse_id).flatten() else {
            return Ok(self.new_opportunity(new_id()));
        };
        match self.seen.entry(id) {
            Entry::Occupied(first) => {
                cells.fail("id", Reason::DuplicateIdLine(*first.get()));
            }
            Entry::Vacant(slot) => {
                slot.insert(cells.line);
            }
        }
        let id = id.to_string();
        Ok(match sink.stored(&id)? {
            Some(found) if found.funnel_id == self.funnel.id => found,
            Some(_) => {
                cells.fail("id", Reason::OtherFunnel);
                self.new_opportunity(id)
            }
            None => self.new_opportunity(id),
        })
    }

    /// Writes a row's cells over its card; a column the file lacks keeps the card's value.
    fn apply(&self, cells: &mut Cells, opp: &mut Opportunity) {
        if let Some(title) = cells.required("title", |t| Ok(unquote(t).to_owned())) {
            opp.fields.title = title;
        }
        let separator = self.separator;
        let value = cells.required("value", |v| {
            money::parse_cents(v, separator).map_err(Reason::Amount)
        });
        if let Some(cents) = value {
            opp.fields.value_cents = cents;
        }
        cells.parsed("currency", |c| check_currency(c, self.funnel));
        let stage = cells.parsed("stage", |s| {
            Stage::parse_any(s).ok_or_else(|| Reason::UnknownStage(s.to_owned()))
        });
        if let Some(Some(stage)) = stage {
            opp.stage = stage;
        }
        if let Some(Some(status)) = cells.parsed("status", parse_status) {
            opp.status = status;
        }
        let OpportunityFields {
            account,
            owner,
            team,
            region,
            territory,
            product,
            next_step,
            ..
        } = &mut opp.fields;
        for (column, field) in [
            ("account", account),
            ("owner", owner),
            ("team", team),
            ("region", region),
            ("territory", territory),
            ("product", product),
            ("next_step", next_step),
        ] {
            if let Some(text) = cells.text(column) {
                *field = text;
            }
        }
        if let Some(Some(created)) = cells.parsed("created", parse_date) {
            opp.created = created;
        }
        if let Some(expected) = cells.parsed("expected_close", parse_date) {
            opp.fields.expected_close = expected;
        }
        if let Some(due) = cells.parsed("next_step_due", parse_date) {
            opp.fields.next_step_due = due;
        }
        if let Some(at) = cells.parsed("next_step_at", parse_time) {
            opp.fields.next_step_at = at;
        }
        let closed_cell = cells.parsed("closed", parse_date);
        if let Some(closed) = closed_cell {
            opp.closed = closed;
        }
        let reason_cell = cells.text("lost_reason");
        if let Some(reason) = &reason_cell {
            opp.lost_reason.clone_from(reason);
        }
        // A closing date or reason left from before the row changed the status is dropped; one
        // the row gives must agree with the status.
        if opp.status == Status::Open && closed_cell.flatten().is_none() {
            opp.closed = None;
        }
        if opp.status != Status::Lost && reason_cell.is_none_or(|r| r.is_empty()) {
            opp.lost_reason.clear();
        }
        for (column, reason) in check_opportunity(opp, self.today) {
            cells.fail(column, reason);
        }
    }

    /// What a row without a stored card starts from: open, in the pre-funnel, created and in
    /// its stage since today.
    fn new_opportunity(&self, id: String) -> Opportunity {
        let fields = OpportunityFields::default();
        Opportunity::open(
            id,
            self.funnel.id.clone(),
            fields,
            Stage::PreFunnel,
            self.today,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_comes_from_the_header_line() {
        assert_eq!(detect_delimiter(b"title;value;owner\n\"a,b\";1,5;x"), b';');
        assert_eq!(detect_delimiter(b"title,value\na;b;c;d,1"), b',');
        assert_eq!(detect_delimiter(b"title"), b',');
        assert_eq!(detect_delimiter(b""), b',');
        assert_eq!(detect_delimiter(b"\r\n\ntitle;value"), b';');
    }

    #[test]
    fn finds_a_quote_left_open() {
        let closed = b"title,value\n\"a \"\"big\"\"\ndeal\",5\nx\"y,3\n";
        assert_eq!(unclosed_quote(closed, b','), None);
        assert_eq!(
            unclosed_quote(b"title,value\nok,1\nx,\"2\nz,3\n", b','),
            Some((3, 1))
        );
        assert_eq!(unclosed_quote(b"a;\"b\r\n", b';'), Some((1, 1)));
        assert_eq!(unclosed_quote(b"\"", b','), Some((1, 0)));
    }
}
