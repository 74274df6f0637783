//! `funnel changes`: what changed on a seller's or a team's cards since a day (by default their
//! previous meeting), card by card, with the action items left overdue — the one-to-one's
//! agenda on the command line, or as JSON for scripts.

use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;

use super::args::ChangesArgs;
use super::{CliError, CliResult, Context, parse_day_arg};
use crate::domain::money::{format_money, format_plain};
use crate::domain::review::{Change, Review, ReviewCounts, ReviewScope};
use crate::domain::{Catalog, text};
use crate::i18n::review as words;
use crate::insight;
use crate::store::date_text;

crate::texts! {
    whose_changes = {
        en: "whose changes? give --owner NAME or --team NAME (or set `user` in config.toml)",
        fr: "les changements de qui ? indiquez --owner NOM ou --team NOM (ou `user` dans config.toml)",
    };
    since_after_today(since: &str) = {
        en: "--since {since} is after today",
        fr: "--since {since} est après aujourd'hui",
    };
}

/// Whose review: the team or seller asked for, else the configured user; checked to exist,
/// since a mistyped name would look like a quiet month.
fn scope(ctx: &Context, args: &ChangesArgs) -> CliResult<ReviewScope> {
    let (store, funnel, lang) = (&ctx.store, &ctx.funnel, ctx.lang);
    if let Some(team) = &args.team {
        let team = text::clean_line(team).trim().to_owned();
        insight::team::check_team(store, funnel, &team)?;
        return Ok(ReviewScope::Team(team));
    }
    let owner = (args.owner.as_deref())
        .or(ctx.config.user.as_deref())
        .map(|o| text::clean_line(o).trim().to_owned())
        .ok_or_else(|| CliError::input(whose_changes(lang)))?;
    insight::check_seller(store, funnel, &owner)?;
    Ok(ReviewScope::Owner(owner))
}

pub fn changes(ctx: &mut Context, args: ChangesArgs) -> CliResult {
    let scope = scope(ctx, &args)?;
    let since = match &args.since {
        Some(text) => {
            let day = parse_day_arg(&ctx.store, "since", text, ctx.lang)?;
            if day > ctx.store.today() {
                let said = since_after_today(ctx.lang, &date_text(day));
                return Err(CliError::input(said));
            }
            Some(day)
        }
        None => None,
    };
    let inactive_days = ctx.config.upkeep(&ctx.funnel.name).inactive_days;
    let review = insight::changes::review(&ctx.store, &ctx.funnel, &scope, since, inactive_days)?;
    let ids: Vec<&str> = review.cards.iter().map(|c| c.id.as_str()).collect();
    let short_ids = ctx.store.short_ids(&ids)?;
    if args.json {
        print_json(ctx, &review, short_ids)
    } else {
        print_text(ctx, &review, short_ids)
    }
}

/// A change as `--json` writes it: its `kind`, then what it says (amounts as plain decimals,
/// dates `YYYY-MM-DD`, stages by key).
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ChangeJson<'a> {
    New,
    Won {
        value: String,
    },
    Lost {
        reason: &'a str,
    },
    Reopened,
    Value {
        from: String,
        to: String,
    },
    ClosePushed {
        from: Option<String>,
        to: Option<String>,
        times: u32,
    },
    ClosePulled {
        from: String,
        to: String,
    },
    Forward {
        from: &'static str,
        to: &'static str,
    },
    Backward {
        from: &'static str,
        to: &'static str,
    },
    Unverified {
        from: &'static str,
        to: &'static str,
    },
    Handed {
        from: &'a str,
        to: &'a str,
    },
    GoneStale {
        since: String,
    },
}

fn change_json(change: &Change) -> ChangeJson<'_> {
    let day = |d: &NaiveDate| date_text(*d);
    match change {
        Change::New => ChangeJson::New,
        Change::Won { value_cents } => ChangeJson::Won {
            value: format_plain(*value_cents),
        },
        Change::Lost { reason } => ChangeJson::Lost { reason },
        Change::Reopened => ChangeJson::Reopened,
        Change::Value { from, to } => ChangeJson::Value {
            from: format_plain(*from),
            to: format_plain(*to),
        },
        Change::ClosePushed { from, to, times } => ChangeJson::ClosePushed {
            from: from.as_ref().map(day),
            to: to.as_ref().map(day),
            times: *times,
        },
        Change::ClosePulled { from, to } => ChangeJson::ClosePulled {
            from: day(from),
            to: day(to),
        },
        Change::Forward { from, to } => ChangeJson::Forward {
            from: from.key(),
            to: to.key(),
        },
        Change::Backward { from, to } => ChangeJson::Backward {
            from: from.key(),
            to: to.key(),
        },
        Change::Unverified { from, to } => ChangeJson::Unverified {
            from: from.key(),
            to: to.key(),
        },
        Change::Handed { from, to } => ChangeJson::Handed { from, to },
        Change::GoneStale { since_day } => ChangeJson::GoneStale {
            since: day(since_day),
        },
    }
}

#[derive(Serialize)]
struct CardJson<'a> {
    id: &'a str,
    short_id: String,
    title: &'a str,
    account: &'a str,
    owner: &'a str,
    stage: &'static str,
    status: &'static str,
    value: String,
    /// Whether a change of it is one a lead asks about first (lost, back, forced, pushed,
    /// gone stale).
    warning: bool,
    changes: Vec<ChangeJson<'a>>,
}

#[derive(Serialize)]
struct CountsJson {
    cards: usize,
    new: usize,
    won: usize,
    lost: usize,
    reopened: usize,
    value_up: usize,
    value_down: usize,
    pushed: usize,
    pushes: u32,
    pulled: usize,
    forward: usize,
    backward: usize,
    unverified: usize,
    handed: usize,
    gone_stale: usize,
    overdue_items: usize,
    added_value: String,
    won_value: String,
    lost_value: String,
    value_change: String,
}

impl From<&ReviewCounts> for CountsJson {
    fn from(c: &ReviewCounts) -> CountsJson {
        CountsJson {
            cards: c.cards,
            new: c.new,
            won: c.won,
            lost: c.lost,
            reopened: c.reopened,
            value_up: c.value_up,
            value_down: c.value_down,
            pushed: c.pushed,
            pushes: c.pushes,
            pulled: c.pulled,
            forward: c.forward,
            backward: c.backward,
            unverified: c.unverified,
            handed: c.handed,
            gone_stale: c.gone_stale,
            overdue_items: c.overdue_items,
            added_value: format_plain(c.added_cents),
            won_value: format_plain(c.won_cents),
            lost_value: format_plain(c.lost_cents),
            value_change: format_plain(c.value_change_cents),
        }
    }
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    meeting_id: &'a str,
    owner: &'a str,
    text: &'a str,
    due: String,
    meeting_day: String,
}

/// The `changes --json` document (field names are a contract).
#[derive(Serialize)]
struct ReviewJson<'a> {
    owner: Option<&'a str>,
    team: Option<&'a str>,
    since: String,
    date: String,
    currency: &'a str,
    counts: CountsJson,
    /// Warnings first, then the others; biggest value first within each.
    cards: Vec<CardJson<'a>>,
    /// Whether more cards went stale than are listed.
    more_stale: bool,
    /// Oldest due first.
    overdue_items: Vec<ItemJson<'a>>,
}

fn print_json(ctx: &Context, review: &Review, short_ids: Vec<String>) -> CliResult {
    let (owner, team) = match &review.scope {
        ReviewScope::Owner(owner) => (Some(owner.as_str()), None),
        ReviewScope::Team(team) => (None, Some(team.as_str())),
    };
    let cards = (review.cards.iter().zip(short_ids))
        .map(|(card, short_id)| CardJson {
            id: &card.id,
            short_id,
            title: &card.title,
            account: &card.account,
            owner: &card.owner,
            stage: card.stage.key(),
            status: card.status.key(),
            value: format_plain(card.value_cents),
            warning: card.has_warning(),
            changes: card.changes.iter().map(change_json).collect(),
        })
        .collect();
    let overdue_items = (review.overdue_items.iter())
        .map(|i| ItemJson {
            id: &i.id,
            meeting_id: &i.meeting_id,
            owner: &i.owner,
            text: &i.text,
            due: date_text(i.due),
            meeting_day: date_text(i.meeting_day),
        })
        .collect();
    let doc = ReviewJson {
        owner,
        team,
        since: date_text(review.since),
        date: date_text(review.today),
        currency: &ctx.funnel.currency,
        counts: (&review.counts).into(),
        cards,
        more_stale: review.more_stale,
        overdue_items,
    };
    let text = serde_json::to_string_pretty(&doc).expect("a review serialises");
    writeln!(std::io::stdout(), "{text}")?;
    Ok(())
}

/// The heading and counts, then a block per card (its id, value, title, account, stage, and
/// seller in a team's review), each change on its own line, warnings marked; then the
/// overdue action items.
fn print_text(ctx: &Context, review: &Review, short_ids: Vec<String>) -> CliResult {
    let lang = ctx.lang;
    let currency = &ctx.funnel.currency;
    let mut out = std::io::stdout().lock();
    let title = words::title(&review.scope, review.since, review.today, lang);
    writeln!(out, "{}", text::clean_line(&title))?;
    if review.cards.is_empty() && review.overdue_items.is_empty() {
        writeln!(out, "{}", words::nothing_changed(lang))?;
        return Ok(());
    }
    writeln!(out, "{}", words::counts(&review.counts, currency, lang))?;
    let catalog = Catalog::get(lang);
    let team = matches!(review.scope, ReviewScope::Team(_));
    for (card, short_id) in review.cards.iter().zip(short_ids) {
        let whose = match team {
            true => format!("  {}", text::truncate(&card.owner, 16)),
            false => String::new(),
        };
        writeln!(
            out,
            "\n{short_id}  {}  {}  {}  {}{whose}",
            format_money(card.value_cents.into(), currency, lang),
            text::truncate(&card.title, 40),
            text::truncate(&card.account, 24),
            catalog.name(card.stage),
        )?;
        for change in &card.changes {
            writeln!(out, "  {}", words::change(lang, change, currency, catalog))?;
        }
    }
    if review.more_stale {
        writeln!(out, "\n{}", words::more_stale(lang))?;
    }
    if !review.overdue_items.is_empty() {
        writeln!(out, "\n{}", words::overdue_heading(lang))?;
        for item in &review.overdue_items {
            let line = words::overdue_line(lang, item);
            writeln!(out, "  {} {line}", words::WARNING_MARK)?;
        }
    }
    Ok(())
}
