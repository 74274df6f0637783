//! CSV: opportunities as spreadsheet rows, written for any spreadsheet and read back from one as
//! Excel saves it in any locale, with every bad row reported.
//!
//! Reading: the delimiter is `,` or `;` (whichever the header line uses more), and it decides the
//! decimal separator of amounts (`;` is what Excel writes where the decimal mark is a comma).
//! Columns come in any order and may be left out; a row whose id is stored updates only the
//! columns the file has, so a partial sheet never blanks the rest of a card.
//!
//! Formula injection: a text cell starting with `=`, `+`, `-`, `@`, TAB or CR is exported with a
//! leading `'`, so spreadsheets show it as text instead of running it. An import strips that one
//! quote again (only before such a character, or before another quote that precedes one), so
//! export → import gives back exactly what was typed.

mod export;
mod import;

pub use export::export_csv;
pub(super) use import::import;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use crate::domain::Opportunity;
use crate::domain::money;
use crate::interchange::time_text;
use crate::store::date_text;

/// The columns, in export order; an import takes them in any order, any case.
pub const COLUMNS: [&str; 19] = [
    "id",
    "title",
    "account",
    "value",
    "currency",
    "stage",
    "status",
    "owner",
    "team",
    "region",
    "territory",
    "product",
    "created",
    "expected_close",
    "closed",
    "lost_reason",
    "next_step",
    "next_step_due",
    "next_step_at",
];

/// The CSV row form of an opportunity, also used by `funnel list --json`. Fields follow
/// [`COLUMNS`]; `value` is a plain decimal ("1234.50"), `stage` and `status` are keys, dates are
/// `YYYY-MM-DD` and empty when unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub account: String,
    pub value: String,
    pub currency: String,
    pub stage: String,
    pub status: String,
    pub owner: String,
    pub team: String,
    pub region: String,
    pub territory: String,
    pub product: String,
    pub created: String,
    pub expected_close: String,
    pub closed: String,
    pub lost_reason: String,
    pub next_step: String,
    pub next_step_due: String,
    /// `HH:MM`, empty without a time.
    pub next_step_at: String,
}

impl Row {
    pub fn from_opportunity(o: &Opportunity, currency: &str) -> Row {
        let f = &o.fields;
        let date = |d: Option<NaiveDate>| d.map(date_text).unwrap_or_default();
        Row {
            id: o.id.clone(),
            title: f.title.clone(),
            account: f.account.clone(),
            value: money::format_plain(f.value_cents),
            currency: currency.to_owned(),
            stage: o.stage.key().to_owned(),
            status: o.status.key().to_owned(),
            owner: f.owner.clone(),
            team: f.team.clone(),
            region: f.region.clone(),
            territory: f.territory.clone(),
            product: f.product.clone(),
            created: date_text(o.created),
            expected_close: date(f.expected_close),
            closed: date(o.closed),
            lost_reason: o.lost_reason.clone(),
            next_step: f.next_step.clone(),
            next_step_due: date(f.next_step_due),
            next_step_at: f.next_step_at.map(time_text).unwrap_or_default(),
        }
    }
}

/// First characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell would run as a formula, or is such a cell already quoted (so that quoting it
/// once more keeps the import's unquoting exact).
fn looks_like_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A free-text cell made safe to open in a spreadsheet.
fn neutralised(cell: &str) -> Cow<'_, str> {
    if looks_like_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Removes the quote [`neutralised`] adds (or that a user typed the spreadsheet way).
fn unquote(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OpportunityFields, Stage, Status};
    use crate::store::CardText;
    use ::csv::WriterBuilder;

    #[test]
    fn neutralises_formulas_and_round_trips() {
        assert_eq!(neutralised("=1+1"), "'=1+1");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("-5 days"), "'-5 days");
        assert_eq!(neutralised("\tx"), "'\tx");
        assert_eq!(neutralised("plain"), "plain");
        assert_eq!(neutralised("it's"), "it's");
        for typed in ["=1+1", "'=1+1", "''+x", "'quoted", "plain", "'", "", "+"] {
            let exported = neutralised(typed);
            assert_eq!(unquote(&exported), typed, "{exported}");
        }
    }

    #[test]
    fn export_rows_are_the_row_form_with_text_neutralised() {
        let mut opp = sample();
        opp.fields.title = "=1+1".into();
        opp.fields.next_step = "-call".into();
        opp.lost_reason = "x".into();
        let f = &opp.fields;
        let card = CardText {
            id: opp.id.clone(),
            title: Cow::Borrowed(&f.title),
            account: Cow::Borrowed(&f.account),
            value_cents: f.value_cents,
            stage: opp.stage,
            status: opp.status,
            owner: Cow::Borrowed(&f.owner),
            team: Cow::Borrowed(&f.team),
            region: Cow::Borrowed(&f.region),
            territory: Cow::Borrowed(&f.territory),
            product: Cow::Borrowed(&f.product),
            created: date_text(opp.created),
            expected_close: None,
            closed: opp.closed.map(date_text),
            lost_reason: Cow::Borrowed(&opp.lost_reason),
            next_step: Cow::Borrowed(&f.next_step),
            next_step_due: None,
            next_step_at: None,
        };
        let mut exported = WriterBuilder::new().from_writer(Vec::new());
        export::write_card(&mut exported, &card, "EUR").unwrap();
        let mut expected = WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let row = Row {
            title: "'=1+1".into(),
            next_step: "'-call".into(),
            ..Row::from_opportunity(&opp, "EUR")
        };
        expected.serialize(row).unwrap();
        assert_eq!(
            String::from_utf8(exported.into_inner().unwrap()).unwrap(),
            String::from_utf8(expected.into_inner().unwrap()).unwrap()
        );
    }

    #[test]
    fn row_fields_follow_the_columns() {
        let mut writer = WriterBuilder::new().from_writer(Vec::new());
        writer
            .serialize(Row::from_opportunity(&sample(), "EUR"))
            .unwrap();
        let out = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let header = out.lines().next().unwrap();
        assert_eq!(header, COLUMNS.join(","));
        assert_eq!(
            out.lines().nth(1).unwrap(),
            "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b,Deal,Acme,1234.50,EUR,closing,won,,,,,,\
             2026-01-05,,2026-02-01,,,,"
        );
    }

    fn sample() -> Opportunity {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        Opportunity {
            id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
            funnel_id: String::new(),
            fields: OpportunityFields {
                title: "Deal".into(),
                account: "Acme".into(),
                value_cents: 123_450,
                ..OpportunityFields::default()
            },
            stage: Stage::Closing,
            status: Status::Won,
            created: day(1, 5),
            stage_since: day(1, 20),
            closed: Some(day(2, 1)),
            lost_reason: String::new(),
            version: 3,
            updated_at: String::new(),
            updated_by: String::new(),
        }
    }
}
