//! `funnel today` (also `agenda`): what needs the seller now, most urgent first, with the count
//! of each flag, and their open action items from one-to-ones; or, with `--ics`, their dated
//! next steps as a calendar file.

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

use super::args::TodayArgs;
use super::meetings::{ActionItemJson, action_items_json, print_action_items};
use super::{CliResult, Context, texts, when_text};
use crate::domain::money::format_money;
use crate::domain::text;
use crate::domain::upkeep::{Flag, FlagCounts};
use crate::interchange::{self, Row};
use crate::store::{ActionItem, Agenda, CardFilter, date_text};

/// Whose cards: the one asked for, else (unless `--all`) the configured user's, else everyone's.
fn owner(ctx: &Context, args: &TodayArgs) -> Option<String> {
    match (&args.owner, args.all) {
        (Some(owner), _) => Some(owner.clone()),
        (None, true) => None,
        (None, false) => ctx.config.user.as_deref().map(|u| u.trim().to_owned()),
    }
}

pub fn today(ctx: &mut Context, args: TodayArgs) -> CliResult {
    // A mistyped seller would look like a clear day: refused, with the sellers there are.
    if let Some(owner) = &args.owner {
        crate::insight::check_seller(&ctx.store, &ctx.funnel, owner)?;
    }
    let owner = owner(ctx, &args);
    if args.ics {
        return calendar(ctx, owner, args.output.as_deref());
    }
    let today = ctx.store.today();
    let settings = ctx.config.upkeep(&ctx.funnel.name);
    let agenda = ctx.store.agenda(
        &ctx.funnel,
        owner.as_deref(),
        today,
        &settings,
        &super::expected_days(ctx.lang, &ctx.config),
        args.limit,
    )?;
    // A person's agenda also holds what they took on in one-to-ones.
    let items = match &owner {
        Some(owner) => ctx.store.open_action_items(&ctx.funnel, owner)?,
        None => Vec::new(),
    };
    if args.json {
        print_json(ctx, &agenda, &items, owner.as_deref())
    } else {
        print_text(ctx, &agenda, &items, owner.as_deref())
    }
}

/// `--ics`: the calendar of the dated next steps of these cards.
fn calendar(ctx: &Context, owner: Option<String>, output: Option<&std::path::Path>) -> CliResult {
    let filter = CardFilter {
        owner,
        ..CardFilter::default()
    };
    let now = ctx.store.now();
    super::write_output(ctx, output, |out| {
        interchange::export_ics(&ctx.store, &ctx.funnel, &filter, ctx.lang, now, out)
    })
}

/// A line of the agenda: the card as `list --json` gives it, with its flags.
#[derive(Serialize)]
struct LineJson {
    #[serde(flatten)]
    card: Row,
    short_id: String,
    /// Most urgent first.
    flags: Vec<&'static str>,
    /// `YYYY-MM-DD`, empty without any activity (as the card's dates).
    last_activity: String,
}

/// The `today --json` document (field names are a contract).
#[derive(Serialize)]
struct AgendaJson<'a> {
    date: String,
    owner: Option<&'a str>,
    currency: &'a str,
    /// Open cards raising each flag, every card counted (not only the lines shown).
    counts: BTreeMap<&'static str, u64>,
    lines: Vec<LineJson>,
    /// Whether `--limit` left flagged cards out.
    more: bool,
    /// The person's open action items from one-to-ones, those due first (none for everyone's
    /// agenda).
    action_items: Vec<ActionItemJson<'a>>,
}

fn counts_json(counts: &FlagCounts) -> BTreeMap<&'static str, u64> {
    Flag::ALL
        .iter()
        .map(|f| (f.key(), counts.get(*f)))
        .collect()
}

fn print_json(
    ctx: &Context,
    agenda: &Agenda,
    items: &[ActionItem],
    owner: Option<&str>,
) -> CliResult {
    let ids: Vec<&str> = agenda.lines.iter().map(|l| l.card.id.as_str()).collect();
    let short_ids = ctx.store.short_ids(&ids)?;
    let lines = (agenda.lines.iter().zip(short_ids))
        .map(|(line, short_id)| LineJson {
            card: Row::from_opportunity(&line.card, &ctx.funnel.currency),
            short_id,
            flags: line.flags.iter().map(Flag::key).collect(),
            last_activity: line.last_activity.map(date_text).unwrap_or_default(),
        })
        .collect();
    let doc = AgendaJson {
        date: date_text(ctx.store.today()),
        owner,
        currency: &ctx.funnel.currency,
        counts: counts_json(&agenda.counts),
        lines,
        more: agenda.more,
        action_items: action_items_json(items, ctx.store.today()),
    };
    let text = serde_json::to_string_pretty(&doc).expect("the agenda serialises");
    writeln!(std::io::stdout(), "{text}")?;
    Ok(())
}

/// The counts, then a line a card: its id, most urgent flag, next step and when, value and
/// title; a word on the cards left out; then the open action items.
fn print_text(
    ctx: &Context,
    agenda: &Agenda,
    items: &[ActionItem],
    owner: Option<&str>,
) -> CliResult {
    let lang = ctx.lang;
    let mut out = std::io::stdout().lock();
    let counts: Vec<String> = Flag::ALL
        .iter()
        .filter(|f| agenda.counts.get(**f) > 0)
        .map(|f| format!("{} {}", agenda.counts.get(*f), texts::flag(lang, *f)))
        .collect();
    let date = date_text(ctx.store.today());
    let whose = owner.map(text::clean_line);
    writeln!(
        out,
        "{}",
        texts::agenda_title(
            lang,
            &date,
            whose.as_deref().unwrap_or(texts::everyone(lang))
        )
    )?;
    if agenda.lines.is_empty() {
        writeln!(out, "{}", texts::agenda_clear(lang))?;
        return print_action_items(&mut out, lang, items, ctx.store.today());
    }
    writeln!(out, "{}\n", counts.join(", "))?;
    let ids: Vec<&str> = agenda.lines.iter().map(|l| l.card.id.as_str()).collect();
    let short_ids = ctx.store.short_ids(&ids)?;
    let flag_width = Flag::ALL
        .iter()
        .map(|f| text::width(&texts::flag(lang, *f)))
        .max()
        .unwrap_or(0);
    for (line, short_id) in agenda.lines.iter().zip(short_ids) {
        let f = &line.card.fields;
        let first = line.flags.first().expect("an agenda line has a flag");
        let mark = if first == Flag::Overdue { "!" } else { " " };
        let when = f
            .next_step_due
            .map(|due| when_text(due, f.next_step_at))
            .unwrap_or_default();
        // Everyone's cards say whose each is.
        let whose = match owner {
            Some(_) => String::new(),
            None => format!("  {}", text::truncate(&f.owner, 16)),
        };
        let line = format!(
            "{mark} {}  {}  {}  {}  {}  {}{whose}",
            short_id,
            text::pad(&texts::flag(lang, first), flag_width),
            text::pad(&when, 16),
            text::pad(
                &format_money(f.value_cents.into(), &ctx.funnel.currency, lang),
                12
            ),
            text::pad(&text::truncate(&f.title, 32), 32),
            text::pad(&text::truncate(&f.next_step, 32), 32),
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    if agenda.more {
        writeln!(out, "\n{}", texts::agenda_more(lang))?;
    }
    print_action_items(&mut out, lang, items, ctx.store.today())
}
