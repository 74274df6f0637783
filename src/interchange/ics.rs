//! iCalendar: the dated next steps of open cards as a calendar a seller imports or subscribes
//! to, so the day's calls sit beside their other meetings.
//!
//! One event a card, its UID made from the card's id so that a calendar importing the file
//! again updates the event instead of adding a twin. A step without a time is an all-day event;
//! with one, half an hour at that time in floating local time (the time the seller typed,
//! wherever the calendar is). The format (escaping, line folding, CRLF) is the `icalendar`
//! crate's.

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use std::io::Write;

use super::{ExportError, texts};
use crate::domain::money::format_money;
use crate::domain::{Catalog, Lang, Opportunity, text};
use crate::store::{CardFilter, Funnel, Store};

/// Who made the calendar (its PRODID).
const PRODUCT: &str = "-//funnel//Next steps//EN";

/// How long a timed next step lasts in the calendar.
const STEP_MINUTES: i64 = 30;

/// Writes the dated next steps of the open cards `filter` keeps (its status is ignored: only
/// open cards have a step to do), in `lang`, stamped `now` (UTC).
pub fn export_ics(
    store: &Store,
    funnel: &Funnel,
    filter: &CardFilter,
    lang: Lang,
    now: NaiveDateTime,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let open = CardFilter {
        status: None,
        closed_too: false,
        ..filter.clone()
    };
    // `Calendar::new` names the crate as the product: the header is written whole instead.
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODUCT))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name(&texts::calendar_name(lang, &text::clean_line(&funnel.name)));
    store.for_each_opportunity(funnel, &open, |card| {
        if let Some(event) = event(&card, funnel, lang, now) {
            calendar.push(event);
        }
        Ok(())
    })?;
    write!(out, "{calendar}")?;
    Ok(())
}

/// The event of a card's next step; none without a due date.
fn event(card: &Opportunity, funnel: &Funnel, lang: Lang, now: NaiveDateTime) -> Option<Event> {
    let f = &card.fields;
    let due = f.next_step_due?;
    let title = text::clean_line(&f.title);
    let step = text::clean_line(&f.next_step);
    let summary = if step.is_empty() {
        title
    } else {
        format!("{step} — {title}")
    };
    let description = [
        (texts::account_label(lang), text::clean_line(&f.account)),
        (
            texts::value_label(lang),
            format_money(f.value_cents.into(), &funnel.currency, lang),
        ),
        (
            texts::stage_label(lang),
            Catalog::get(lang).name(card.stage).to_owned(),
        ),
        (texts::owner_label(lang), text::clean_line(&f.owner)),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(label, value)| texts::labelled(lang, label, &value))
    .collect::<Vec<_>>()
    .join("\n");
    let mut event = Event::new();
    event
        .uid(&uid(&card.id))
        .timestamp(now.and_utc())
        .summary(&summary)
        .description(&description);
    match f.next_step_at {
        Some(at) => {
            let start = due.and_time(at);
            event
                .starts(start)
                .ends(start + TimeDelta::minutes(STEP_MINUTES))
        }
        // An all-day event ends (exclusively) the next day.
        None => event.starts(due).ends(next_day(due)),
    };
    Some(event.done())
}

/// The event's UID: one a card, whatever its step, so a re-import replaces the event.
pub fn uid(card_id: &str) -> String {
    format!("{card_id}@funnel")
}

fn next_day(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OpportunityFields, Stage};
    use chrono::NaiveTime;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn funnel() -> Funnel {
        Funnel {
            id: "f".into(),
            name: "main".into(),
            currency: "EUR".into(),
            fiscal_start: 1,
        }
    }

    fn card(step: &str, due: Option<NaiveDate>, at: Option<NaiveTime>) -> Opportunity {
        let fields = OpportunityFields {
            title: "Pilot, phase 2; north".into(),
            account: "Acme".into(),
            value_cents: 1_250_000,
            next_step: step.into(),
            next_step_due: due,
            next_step_at: at,
            ..Default::default()
        };
        Opportunity::open(
            "0193-abc".into(),
            "f".into(),
            fields,
            Stage::ProblemRecognized,
            day(12, 1),
        )
    }

    fn parsed(event: Event) -> Event {
        let text = Calendar::new().push(event).done().to_string();
        let calendar: Calendar = text.parse().unwrap();
        calendar.events().next().unwrap().clone()
    }

    #[test]
    fn a_step_without_time_is_an_all_day_event() {
        let now = day(12, 8).and_hms_opt(9, 0, 0).unwrap();
        let e = event(
            &card("Call the CFO", Some(day(12, 31)), None),
            &funnel(),
            Lang::En,
            now,
        );
        let e = parsed(e.unwrap());
        assert_eq!(e.get_uid(), Some("0193-abc@funnel"));
        assert_eq!(e.get_start(), Some(day(12, 31).into()));
        assert_eq!(
            e.get_end(),
            Some(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().into())
        );
        assert_eq!(e.get_timestamp(), Some(now.and_utc()));
        assert_eq!(
            e.get_summary(),
            Some("Call the CFO — Pilot, phase 2; north")
        );
        let description = e.get_description().unwrap();
        assert!(
            description.contains("Acme") && description.contains("€12,500"),
            "{description}"
        );
        assert!(description.contains('\n'), "{description}");
    }

    #[test]
    fn a_timed_step_lasts_half_an_hour_in_floating_time() {
        let at = NaiveTime::from_hms_opt(14, 0, 0).unwrap();
        let now = day(12, 8).and_hms_opt(9, 0, 0).unwrap();
        let e = event(
            &card("Demo", Some(day(12, 9)), Some(at)),
            &funnel(),
            Lang::Fr,
            now,
        );
        let e = parsed(e.unwrap());
        let start = day(12, 9).and_time(at);
        assert_eq!(e.get_start(), Some(start.into()));
        assert_eq!(e.get_end(), Some((start + TimeDelta::minutes(30)).into()));
        assert!(e.get_description().unwrap().contains("12 500 €"));
    }

    #[test]
    fn no_due_date_no_event() {
        let now = day(12, 8).and_hms_opt(9, 0, 0).unwrap();
        assert!(event(&card("Call", None, None), &funnel(), Lang::En, now).is_none());
    }
}
