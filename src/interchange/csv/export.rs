//! Writing a funnel as CSV, one row at a time.

use ::csv::WriterBuilder;
use std::io::Write;

use super::{COLUMNS, neutralised};
use crate::domain::money;
use crate::interchange::{ExportError, every_card};
use crate::store::{CardText, Funnel, Refusal, Store};

impl From<::csv::Error> for ExportError {
    fn from(e: ::csv::Error) -> Self {
        ExportError::Write(e.into())
    }
}

/// Writes every opportunity of the funnel (open, won and lost) as CSV with a header row, one row
/// at a time so a big funnel is never all in memory.
pub fn export_csv(store: &Store, funnel: &Funnel, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut writer = WriterBuilder::new()
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_writer(out);
    writer.write_record(COLUMNS)?;
    // The store's callback can only fail with a store error: a write error is kept here and
    // the walk stopped with a placeholder.
    let mut write_error = None;
    let walked = store.for_each_card_text(funnel, &every_card(), |card| {
        write_card(&mut writer, card, &funnel.currency).map_err(|e| {
            write_error = Some(e);
            Refusal::Interrupted.into()
        })
    });
    if let Some(e) = write_error {
        return Err(e.into());
    }
    walked?;
    writer.flush()?;
    Ok(())
}

/// One row in [`COLUMNS`] order, like [`Row`] with its free-text cells [`neutralised`], written
/// from the borrowed card (a million rows: no `Row` of owned strings each).
pub(super) fn write_card<W: Write>(
    writer: &mut ::csv::Writer<W>,
    card: &CardText,
    currency: &str,
) -> ::csv::Result<()> {
    let [
        title,
        account,
        owner,
        team,
        region,
        territory,
        product,
        lost_reason,
        next_step,
    ] = [
        &card.title,
        &card.account,
        &card.owner,
        &card.team,
        &card.region,
        &card.territory,
        &card.product,
        &card.lost_reason,
        &card.next_step,
    ]
    .map(|cell| neutralised(cell));
    let value = money::format_plain(card.value_cents);
    writer.write_record([
        card.id.as_str(),
        &title,
        &account,
        &value,
        currency,
        card.stage.key(),
        card.status.key(),
        &owner,
        &team,
        &region,
        &territory,
        &product,
        &card.created,
        card.expected_close.as_deref().unwrap_or_default(),
        card.closed.as_deref().unwrap_or_default(),
        &lost_reason,
        &next_step,
        card.next_step_due.as_deref().unwrap_or_default(),
        card.next_step_at.as_deref().unwrap_or_default(),
    ])
}
