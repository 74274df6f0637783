//! The seller's day on the command line: one card whole (`show`), its fields changed (`edit`),
//! its next step set and done (`next`, `done`), what was done with the customer logged (`log`),
//! closed cards reopened and cards deleted, and the upkeep filters of `list`.
//!
//! Dates typed here are quick dates read against the store's today, as in the card form, so a
//! script and a seller write `demain 14h` or `2027-01-15` alike.

use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;

use super::args::{EditArgs, ListArgs, LogArgs};
use super::{
    CliError, CliResult, Context, expected_days, parse_amount_arg, parse_day_arg, parse_when_arg,
    texts, time_text, when_text,
};
use crate::domain::activity::{ActivityKind, NewActivity};
use crate::domain::money::{format_money, format_plain};
use crate::domain::upkeep::{Flag, flags_of};
use crate::domain::{Catalog, EventKind, Lang, Opportunity, Stage, Status, text};
use crate::i18n::figures;
use crate::interchange::Row;
use crate::store::{ChangedField, FieldValue, TimelineEntry, TimelineWhat, date_text};

/// What `list`'s upkeep options keep, read once against today.
pub struct ListUpkeep {
    today: NaiveDate,
    overdue: bool,
    no_next_step: bool,
    due_before: Option<NaiveDate>,
    closing_before: Option<NaiveDate>,
}

impl ListUpkeep {
    pub fn new(ctx: &Context, args: &ListArgs) -> CliResult<ListUpkeep> {
        let day = |option: &str, text: Option<&String>| {
            text.map(|t| parse_day_arg(&ctx.store, option, t, ctx.lang))
                .transpose()
        };
        Ok(ListUpkeep {
            today: ctx.store.today(),
            overdue: args.overdue,
            no_next_step: args.no_next_step,
            due_before: day("due-before", args.due_before.as_ref())?,
            closing_before: day("closing-before", args.closing_before.as_ref())?,
        })
    }

    /// Whether `card` passes every option given.
    pub fn keeps(&self, card: &Opportunity) -> bool {
        let open = card.status == Status::Open;
        let due = card.fields.next_step_due;
        (!self.overdue || open && due.is_some_and(|d| d < self.today))
            && (!self.no_next_step || open && due.is_none())
            && self
                .due_before
                .is_none_or(|before| due.is_some_and(|d| d < before))
            && self
                .closing_before
                .is_none_or(|before| card.fields.expected_close.is_some_and(|d| d < before))
    }
}

/// `edit`: the fields given replace the card's, in one write based on the version read.
pub fn edit(ctx: &mut Context, args: EditArgs) -> CliResult {
    let lang = ctx.lang;
    let id = ctx.store.resolve_id(&args.id)?;
    let card = ctx.store.opportunity(&id)?;
    let mut fields = card.fields.clone();
    let mut changed = args.groups.write_into(&mut fields);
    for (field, given) in [
        (&mut fields.title, args.title),
        (&mut fields.next_step, args.next_step),
    ] {
        if let Some(value) = given {
            *field = value;
            changed = true;
        }
    }
    if let Some(value) = &args.value {
        fields.value_cents = parse_amount_arg(value, lang)?;
        changed = true;
    }
    // An empty date clears it.
    if let Some(close) = &args.expected_close {
        fields.expected_close = (!close.trim().is_empty())
            .then(|| parse_day_arg(&ctx.store, "expected-close", close, lang))
            .transpose()?;
        changed = true;
    }
    if let Some(due) = &args.due {
        let when = (!due.trim().is_empty())
            .then(|| parse_when_arg(&ctx.store, "due", due, lang))
            .transpose()?;
        fields.next_step_due = when.map(|(day, _)| day);
        fields.next_step_at = when.and_then(|(_, at)| at);
        changed = true;
    }
    if !changed {
        return Err(CliError::input(texts::nothing_to_edit(lang)));
    }
    let saved = ctx.store.update_fields(&id, card.version, fields)?;
    eprintln!(
        "{}",
        texts::edited(lang, &text::clean_line(&saved.fields.title))
    );
    Ok(())
}

pub fn reopen(ctx: &mut Context, id: &str) -> CliResult {
    let id = ctx.store.resolve_id(id)?;
    let card = ctx.store.reopen(&id, None)?;
    let stage = Catalog::get(ctx.lang).name(card.stage);
    eprintln!("{}", texts::reopened(ctx.lang, stage));
    Ok(())
}

pub fn delete(ctx: &mut Context, id: &str) -> CliResult {
    let id = ctx.store.resolve_id(id)?;
    let card = ctx.store.opportunity(&id)?;
    ctx.store.delete(&id, Some(card.version))?;
    let title = text::clean_line(&card.fields.title);
    eprintln!("{}", texts::deleted(ctx.lang, &title));
    Ok(())
}

/// Where a card's next step stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Marker {
    Overdue,
    DueToday,
    Later,
    None,
}

impl Marker {
    fn of(card: &Opportunity, today: NaiveDate) -> Marker {
        match card.fields.next_step_due {
            Some(due) if due < today => Marker::Overdue,
            Some(due) if due == today => Marker::DueToday,
            Some(_) => Marker::Later,
            None => Marker::None,
        }
    }

    /// The words after the step's date (`!` marks an overdue one, as on the board).
    fn say(self, lang: Lang) -> String {
        match self {
            Marker::Overdue => format!("! {}", texts::flag(lang, Flag::Overdue)),
            Marker::DueToday => texts::flag(lang, Flag::DueToday).to_owned(),
            Marker::Later | Marker::None => String::new(),
        }
    }
}

#[derive(Serialize)]
struct PersonJson<'a> {
    name: &'a str,
    role: &'a str,
    influence: u8,
    authority: u8,
    motivations: &'a str,
}

#[derive(Serialize)]
struct EvidenceJson<'a> {
    stage: &'static str,
    confirmed_on: String,
    note: &'a str,
}

/// One timeline entry: when, who, then what, by `type`.
#[derive(Serialize)]
struct EntryJson<'a> {
    date: String,
    time: Option<String>,
    by: &'a str,
    #[serde(flatten)]
    what: WhatJson<'a>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum WhatJson<'a> {
    Activity {
        kind: &'static str,
        with: &'a str,
        summary: &'a str,
    },
    Stage {
        event: &'static str,
        from: Option<&'static str>,
        to: &'static str,
        evidence_confirmed: bool,
        note: &'a str,
    },
    Change {
        field: &'static str,
        old: Option<String>,
        new: Option<String>,
    },
}

/// The `show --json` document: the card as `list --json` gives it, then what only `show` says.
#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    card: Row,
    short_id: &'a str,
    next_step_marker: Marker,
    /// Most urgent first.
    flags: Vec<&'static str>,
    days_in_stage: i64,
    /// `YYYY-MM-DD`, empty without any activity (as the card's dates).
    last_activity: String,
    people: Vec<PersonJson<'a>>,
    evidence: Vec<EvidenceJson<'a>>,
    /// Newest first.
    timeline: Vec<EntryJson<'a>>,
}

/// A changed field's name in files and scripts.
fn field_key(field: ChangedField) -> &'static str {
    match field {
        ChangedField::Title => "title",
        ChangedField::Value => "value",
        ChangedField::ExpectedClose => "expected_close",
        ChangedField::Owner => "owner",
        ChangedField::NextStep => "next_step",
        ChangedField::NextStepDue => "next_step_due",
        ChangedField::NextStepAt => "next_step_at",
    }
}

/// A changed field's value as `--json` writes it (amounts as plain decimals).
fn plain_value(value: &FieldValue) -> Option<String> {
    match value {
        FieldValue::Text(t) => Some(t.clone()),
        FieldValue::Amount(cents) => Some(format_plain(*cents)),
        FieldValue::Date(day) => Some(date_text(*day)),
        FieldValue::Time(at) => Some(time_text(*at)),
        FieldValue::None => None,
    }
}

fn entry_json(entry: &TimelineEntry) -> EntryJson<'_> {
    let what = match &entry.what {
        TimelineWhat::Activity(a) => WhatJson::Activity {
            kind: a.kind.key(),
            with: &a.with,
            summary: &a.summary,
        },
        TimelineWhat::Stage(e) => WhatJson::Stage {
            event: e.kind.key(),
            from: e.from_stage.map(Stage::key),
            to: e.to_stage.key(),
            evidence_confirmed: e.evidence_confirmed,
            note: &e.note,
        },
        TimelineWhat::Change { field, old, new } => WhatJson::Change {
            field: field_key(*field),
            old: plain_value(old),
            new: plain_value(new),
        },
    };
    EntryJson {
        date: date_text(entry.on),
        time: entry.at.map(time_text),
        by: &entry.by,
        what,
    }
}

/// What a timeline entry says, in `lang`.
fn entry_text(entry: &TimelineEntry, currency: &str, lang: Lang) -> String {
    let catalog = Catalog::get(lang);
    match &entry.what {
        TimelineWhat::Activity(a) => {
            let with = text::clean_line(&a.with);
            let kind = texts::activity_kind(lang, a.kind);
            let said = text::clean_line(&a.summary);
            if with.is_empty() {
                format!("{kind}: {said}")
            } else {
                texts::activity_with(lang, kind, &with, &said)
            }
        }
        TimelineWhat::Stage(e) => {
            let to = catalog.name(e.to_stage);
            let note = text::clean_line(&e.note);
            let said = match e.kind {
                EventKind::Created => texts::created_in(lang, to),
                EventKind::Moved => {
                    let from = e.from_stage.map_or("", |s| catalog.name(s));
                    if e.evidence_confirmed {
                        texts::moved_with_evidence(lang, from, to)
                    } else {
                        texts::moved_unverified(lang, from, to)
                    }
                }
                EventKind::Won => texts::won_in(lang, to),
                EventKind::Lost => texts::lost_in(lang, to),
                EventKind::Reopened => texts::reopened(lang, to),
            };
            if note.is_empty() {
                said
            } else {
                format!("{said} ({note})")
            }
        }
        TimelineWhat::Change { field, old, new } => {
            let value = |v: &FieldValue| match v {
                FieldValue::Amount(cents) => format_money((*cents).into(), currency, lang),
                other => plain_value(other).unwrap_or_else(|| "—".to_owned()),
            };
            texts::changed(
                lang,
                texts::changed_field(lang, *field),
                &value(old),
                &value(new),
            )
        }
    }
}

/// `show`: the card whole, as text or as one JSON document.
pub fn show(ctx: &Context, id: &str, json: bool) -> CliResult {
    let lang = ctx.lang;
    let id = ctx.store.resolve_id(id)?;
    let card = ctx.store.opportunity(&id)?;
    let short_id = ctx.store.short_id(&id)?;
    let records = ctx.store.records(&id)?;
    let timeline = ctx.store.timeline(&id)?;
    let last_activity = ctx.store.last_activity(&id)?;
    let today = ctx.store.today();
    let expected = expected_days(lang, &ctx.config)[card.stage.index()];
    let settings = ctx.config.upkeep(&ctx.funnel.name);
    let flags = flags_of(&card, last_activity, today, expected, &settings);
    let marker = Marker::of(&card, today);
    let mut out = std::io::stdout().lock();
    if json {
        let doc = ShowJson {
            card: Row::from_opportunity(&card, &ctx.funnel.currency),
            short_id: &short_id,
            next_step_marker: marker,
            flags: flags.iter().map(Flag::key).collect(),
            days_in_stage: card.days_in_stage(today),
            last_activity: last_activity.map(date_text).unwrap_or_default(),
            people: (records.people.iter())
                .map(|p| PersonJson {
                    name: &p.name,
                    role: &p.role,
                    influence: p.influence,
                    authority: p.authority,
                    motivations: &p.motivations,
                })
                .collect(),
            evidence: (records.evidence.iter())
                .map(|e| EvidenceJson {
                    stage: e.stage.key(),
                    confirmed_on: date_text(e.confirmed_on),
                    note: &e.note,
                })
                .collect(),
            timeline: timeline.iter().map(entry_json).collect(),
        };
        let text = serde_json::to_string_pretty(&doc).expect("a card serialises");
        writeln!(out, "{text}")?;
        return Ok(());
    }
    let catalog = Catalog::get(lang);
    let f = &card.fields;
    let date = |d: Option<NaiveDate>| d.map(date_text).unwrap_or_default();
    let status = match card.status {
        Status::Open => texts::status_open(lang).to_owned(),
        Status::Won => format!("{} {}", figures::won_one(lang), date(card.closed)),
        Status::Lost => format!(
            "{} {} ({})",
            figures::lost_one(lang),
            date(card.closed),
            text::clean_line(&card.lost_reason)
        ),
    };
    let next_step = match f.next_step_due {
        Some(due) => format!(
            "{}  {} {}",
            text::clean_line(&f.next_step),
            when_text(due, f.next_step_at),
            marker.say(lang)
        ),
        None => text::clean_line(&f.next_step),
    };
    // Days in the stage matter while the card is open.
    let stage = match card.status {
        Status::Open => {
            texts::in_stage_for(lang, catalog.name(card.stage), card.days_in_stage(today))
        }
        Status::Won | Status::Lost => catalog.name(card.stage).to_owned(),
    };
    let flag_words: Vec<String> = flags.iter().map(|f| texts::flag(lang, f)).collect();
    let rows = [
        (texts::field_id(lang), short_id.clone()),
        (figures::stage(lang), stage),
        (texts::field_status(lang), status),
        (
            figures::value(lang),
            format_money(f.value_cents.into(), &ctx.funnel.currency, lang),
        ),
        (texts::field_account(lang), text::clean_line(&f.account)),
        (texts::field_owner(lang), text::clean_line(&f.owner)),
        (texts::field_team(lang), text::clean_line(&f.team)),
        (texts::field_region(lang), text::clean_line(&f.region)),
        (texts::field_territory(lang), text::clean_line(&f.territory)),
        (texts::field_product(lang), text::clean_line(&f.product)),
        (texts::field_expected_close(lang), date(f.expected_close)),
        (texts::field_next_step(lang), next_step),
        (texts::field_flags(lang), flag_words.join(", ")),
    ];
    writeln!(out, "{}", text::clean_line(&f.title))?;
    let width = rows.iter().map(|(l, _)| text::width(l)).max().unwrap_or(0);
    for (label, value) in rows.iter().filter(|(_, v)| !v.trim().is_empty()) {
        writeln!(out, "  {}  {}", text::pad(label, width), value.trim_end())?;
    }
    if !records.people.is_empty() {
        writeln!(out, "\n{}", texts::people(lang))?;
        for p in &records.people {
            writeln!(
                out,
                "  {}  {}",
                text::clean_line(&p.name),
                text::clean_line(&p.role)
            )?;
        }
    }
    if !records.evidence.is_empty() {
        writeln!(out, "\n{}", texts::evidence(lang))?;
        for e in &records.evidence {
            writeln!(
                out,
                "  {}  {}  {}",
                date_text(e.confirmed_on),
                catalog.name(e.stage),
                text::clean_line(&e.note)
            )?;
        }
    }
    if !timeline.is_empty() {
        writeln!(out, "\n{}", texts::timeline(lang))?;
        for entry in &timeline {
            let when = entry.at.map_or_else(
                || date_text(entry.on),
                |at| format!("{} {}", date_text(entry.on), time_text(at)),
            );
            writeln!(
                out,
                "  {}  {}  ({})",
                text::pad(&when, 16),
                entry_text(entry, &ctx.funnel.currency, lang),
                text::clean_line(&entry.by)
            )?;
        }
    }
    Ok(())
}

/// `next`: the card's next step and when it is due. Without a date it is kept, but the card
/// stays flagged until it has one, and the user is told so.
pub fn next(ctx: &mut Context, id: &str, step: &str, due: Option<&str>) -> CliResult {
    let lang = ctx.lang;
    let id = ctx.store.resolve_id(id)?;
    let when = due
        .map(|d| parse_when_arg(&ctx.store, "due", d, lang))
        .transpose()?;
    let card = ctx.store.set_next_step(
        &id,
        None,
        step,
        when.map(|(day, _)| day),
        when.and_then(|(_, at)| at),
    )?;
    say_next_step(ctx, &card);
    Ok(())
}

/// What a card's next step now is, and a hint when it has no date.
fn say_next_step(ctx: &Context, card: &Opportunity) {
    let lang = ctx.lang;
    let f = &card.fields;
    let step = text::clean_line(&f.next_step);
    match f.next_step_due {
        Some(due) => eprintln!(
            "{}",
            texts::next_step_set(lang, &step, &when_text(due, f.next_step_at))
        ),
        None => eprintln!("{}", texts::next_step_undated(lang, &step)),
    }
}

/// `log`: one activity on a card; prints its id, as `add` prints a card's.
pub fn log(ctx: &mut Context, args: LogArgs) -> CliResult {
    let lang = ctx.lang;
    let id = ctx.store.resolve_id(&args.id)?;
    // `done` is logged by marking the step done, not typed.
    let kind = (args.kind.parse::<ActivityKind>().ok())
        .filter(|k| *k != ActivityKind::StepDone)
        .ok_or_else(|| CliError::input(texts::unknown_kind(lang, &args.kind)))?;
    let (on, at) = match &args.date {
        Some(date) => parse_when_arg(&ctx.store, "date", date, lang)?,
        None => (ctx.store.today(), None),
    };
    let activity = NewActivity {
        kind,
        on,
        at,
        with: args.with.unwrap_or_default(),
        summary: args.note,
    };
    let logged = ctx.store.log_activity(&id, &activity)?;
    writeln!(std::io::stdout(), "{}", logged.id)?;
    eprintln!(
        "{}",
        texts::logged(lang, texts::activity_kind(lang, kind), &date_text(on))
    );
    Ok(())
}

/// `done`: the next step is marked done (and logged); the following one is set when given,
/// else the user is reminded that the card now has none.
pub fn done(ctx: &mut Context, id: &str, next: Option<&str>, due: Option<&str>) -> CliResult {
    let lang = ctx.lang;
    let id = ctx.store.resolve_id(id)?;
    // Read before anything is written: a bad date leaves the step as it was.
    let when = due
        .map(|d| parse_when_arg(&ctx.store, "due", d, lang))
        .transpose()?;
    let today = ctx.store.today();
    let (card, activity) = ctx.store.next_step_done(&id, None, today)?;
    eprintln!(
        "{}",
        texts::step_done(lang, &text::clean_line(&activity.summary))
    );
    match next {
        Some(step) => {
            let card = ctx.store.set_next_step(
                &id,
                Some(card.version),
                step,
                when.map(|(day, _)| day),
                when.and_then(|(_, at)| at),
            )?;
            say_next_step(ctx, &card);
        }
        None => {
            let short_id = ctx.store.short_id(&id)?;
            eprintln!("{}", texts::no_next_step_now(lang, &short_id));
        }
    }
    Ok(())
}
