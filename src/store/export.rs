//! Every card of a funnel read for a spreadsheet export, one row at a time and without copying:
//! at a million rows, decoding each card into an owned [`Opportunity`](crate::domain::Opportunity)
//! costs several times what SQLite takes to walk the table, so the text is borrowed from the row
//! and copied only when it needs cleaning.

use rusqlite::Row;
use std::borrow::Cow;

use super::card_key::CardId;
use super::funnels::{stage_from_index, status_from_index};
use super::{CardFilter, Day, Funnel, Minute, Result, Store, date_text};
use crate::domain::{Stage, Status, text};

/// The columns of a card a spreadsheet export writes, borrowed from the row being read. Text is
/// cleaned as when a card is loaded; dates are `YYYY-MM-DD`.
#[derive(Debug)]
pub struct CardText<'a> {
    pub id: String,
    pub title: Cow<'a, str>,
    pub account: Cow<'a, str>,
    pub value_cents: i64,
    pub stage: Stage,
    pub status: Status,
    pub owner: Cow<'a, str>,
    pub team: Cow<'a, str>,
    pub region: Cow<'a, str>,
    pub territory: Cow<'a, str>,
    pub product: Cow<'a, str>,
    pub created: String,
    pub expected_close: Option<String>,
    pub closed: Option<String>,
    pub lost_reason: Cow<'a, str>,
    pub next_step: Cow<'a, str>,
    pub next_step_due: Option<String>,
    /// `HH:MM`.
    pub next_step_at: Option<String>,
}

/// What [`CardText::read`] reads, in its order.
const COLUMNS: &str = "o.id, o.title, o.account, o.value_cents, o.stage, o.status, o.owner,
    o.team, o.region, o.territory, o.product, o.created, o.expected_close, o.closed,
    o.lost_reason, o.next_step, o.next_step_due, o.next_step_at";

impl<'a> CardText<'a> {
    fn read(row: &'a Row) -> rusqlite::Result<CardText<'a>> {
        let raw = |i: usize| row.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
        let s = |i: usize| raw(i).map(text::cleaned_line);
        let date = |i: usize| -> rusqlite::Result<Option<String>> {
            Ok(row.get::<_, Option<Day>>(i)?.map(|d| date_text(d.0)))
        };
        Ok(CardText {
            id: row.get::<_, CardId>(0)?.0,
            title: s(1)?,
            account: s(2)?,
            value_cents: row.get(3)?,
            stage: stage_from_index(row.get(4)?)?,
            status: status_from_index(row.get(5)?)?,
            owner: s(6)?,
            team: s(7)?,
            region: s(8)?,
            territory: s(9)?,
            product: s(10)?,
            created: date_text(row.get::<_, Day>(11)?.0),
            expected_close: date(12)?,
            closed: date(13)?,
            lost_reason: s(14)?,
            next_step: s(15)?,
            next_step_due: date(16)?,
            next_step_at: (row.get::<_, Option<Minute>>(17)?)
                .map(|m| m.0.format("%H:%M").to_string()),
        })
    }
}

impl Store {
    /// Calls `f` for every card matching the filter, in id order, as [`CardText`].
    pub fn for_each_card_text(
        &self,
        funnel: &Funnel,
        filter: &CardFilter,
        mut f: impl FnMut(&CardText) -> Result<()>,
    ) -> Result<()> {
        self.walk(funnel, filter, COLUMNS, |row| f(&CardText::read(row)?))
    }
}
