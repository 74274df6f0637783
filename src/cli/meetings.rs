//! `funnel meetings`: the one-to-ones held with a seller or over a team, newest first (day,
//! kind, with whom, action items done and open, the skill chosen), and the open action items
//! `funnel today` lists for its person.

use serde::Serialize;
use std::io::Write;

use super::{CliError, CliResult, Context};
use crate::domain::review::ReviewScope;
use crate::domain::{Lang, text};
use crate::store::{ActionItem, MeetingKind, PastMeeting, date_text};

crate::texts! {
    meetings_need_scope = {
        en: "whose meetings? give --owner NAME or --team NAME (or set `user` in config.toml)",
        fr: "les entretiens de qui ? indiquez --owner NOM ou --team NOM (ou `user` dans config.toml)",
    };
    meetings_title_owner(name: &str) = {
        en: "One-to-ones with {name}",
        fr: "Entretiens individuels avec {name}",
    };
    meetings_title_team(name: &str) = {
        en: "Team one-to-ones over {name}",
        fr: "Entretiens d'équipe sur {name}",
    };
    no_meetings = { en: "no meeting yet", fr: "aucun entretien pour l'instant" };
    kind_seller = { en: "seller", fr: "vendeur" };
    kind_team = { en: "team", fr: "équipe" };
    lead_of(team: &str, lead: &str) = { en: "{team}, lead {lead}", fr: "{team}, manager {lead}" };
    no_skill = { en: "no skill chosen", fr: "aucune compétence choisie" };
    skill(name: &str) = { en: "skill: {name}", fr: "compétence : {name}" };
    items(done: usize, open: usize) = {
        en: "items: {done} done, {open} open",
        fr: "actions : {done} faites, {open} ouvertes",
    };
    action_items_title(n: usize) = {
        en: "Action items ({n} open):",
        fr: "Plan d'action ({n} ouvertes) :",
    };
    no_due = { en: "no date", fr: "sans date" };
}

/// `meetings --json`, one meeting (field names are a contract).
#[derive(Serialize)]
struct MeetingJson<'a> {
    id: &'a str,
    /// `YYYY-MM-DD`, the day it was held.
    date: String,
    kind: MeetingKind,
    /// The seller, or the team's lead ('' when not named).
    owner: &'a str,
    /// The seller's team when held, or the team met.
    team: &'a str,
    /// '' when none was chosen.
    skill: &'a str,
    notes: &'a str,
    items_done: usize,
    items_open: usize,
}

/// The `meetings --json` document.
#[derive(Serialize)]
struct MeetingsJson<'a> {
    owner: Option<&'a str>,
    team: Option<&'a str>,
    meetings: Vec<MeetingJson<'a>>,
}

/// Whose meetings: the team or seller asked for, else the configured user's.
fn scope(
    ctx: &Context,
    owner: Option<String>,
    team: Option<String>,
) -> Result<ReviewScope, CliError> {
    match (owner, team) {
        (_, Some(team)) => Ok(ReviewScope::Team(text::clean_line(&team).trim().to_owned())),
        (Some(owner), None) => Ok(ReviewScope::Owner(
            text::clean_line(&owner).trim().to_owned(),
        )),
        (None, None) => match ctx.config.user.as_deref().map(str::trim) {
            Some(user) if !user.is_empty() => Ok(ReviewScope::Owner(user.to_owned())),
            _ => Err(CliError::input(meetings_need_scope(ctx.lang))),
        },
    }
}

pub fn meetings(
    ctx: &mut Context,
    owner: Option<String>,
    team: Option<String>,
    limit: usize,
    json: bool,
) -> CliResult {
    let scope = scope(ctx, owner, team)?;
    let past = ctx.store.past_meetings(&ctx.funnel, &scope, None, limit)?;
    // A mistyped name would look like no meeting: refused, with the names there are.
    if past.is_empty() {
        match &scope {
            ReviewScope::Owner(owner) => {
                crate::insight::check_seller(&ctx.store, &ctx.funnel, owner)?
            }
            ReviewScope::Team(team) => {
                crate::insight::team::check_team(&ctx.store, &ctx.funnel, team)?;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    if json {
        let (owner, team) = match &scope {
            ReviewScope::Owner(o) => (Some(o.as_str()), None),
            ReviewScope::Team(t) => (None, Some(t.as_str())),
        };
        let doc = MeetingsJson {
            owner,
            team,
            meetings: past.iter().map(meeting_json).collect(),
        };
        let text = serde_json::to_string_pretty(&doc).expect("meetings serialise");
        writeln!(out, "{text}")?;
        return Ok(());
    }
    let lang = ctx.lang;
    let title = match &scope {
        ReviewScope::Owner(o) => meetings_title_owner(lang, &text::clean_line(o)),
        ReviewScope::Team(t) => meetings_title_team(lang, &text::clean_line(t)),
    };
    writeln!(out, "{title}")?;
    if past.is_empty() {
        writeln!(out, "{}", no_meetings(lang))?;
        return Ok(());
    }
    for p in &past {
        writeln!(out, "{}", meeting_line(lang, p))?;
    }
    Ok(())
}

fn meeting_json(p: &PastMeeting) -> MeetingJson<'_> {
    let m = &p.meeting;
    MeetingJson {
        id: &m.id,
        date: date_text(m.held_on),
        kind: m.kind,
        owner: &m.owner,
        team: &m.team,
        skill: &m.skill,
        notes: &m.notes,
        items_done: p.items_done,
        items_open: p.items_open,
    }
}

/// Day, kind, with whom, items, skill (last: it may be long).
fn meeting_line(lang: Lang, p: &PastMeeting) -> String {
    let m = &p.meeting;
    let (kind, with) = match m.kind {
        MeetingKind::Seller => (kind_seller(lang), text::clean_line(&m.owner)),
        MeetingKind::Team if m.owner.is_empty() => (kind_team(lang), text::clean_line(&m.team)),
        MeetingKind::Team => (
            kind_team(lang),
            lead_of(
                lang,
                &text::clean_line(&m.team),
                &text::clean_line(&m.owner),
            ),
        ),
    };
    let skill_text = match m.skill.as_str() {
        "" => no_skill(lang).to_owned(),
        chosen => skill(lang, &text::clean_line(chosen)),
    };
    let items = items(lang, p.items_done, p.items_open);
    format!(
        "{}  {}  {}  {}  {skill_text}",
        date_text(m.held_on),
        text::pad(kind, 8),
        text::pad(&text::truncate(&with, 28), 28),
        text::pad(&items, 26),
    )
}

/// `today --json`, one open action item (field names are a contract).
#[derive(Serialize)]
pub struct ActionItemJson<'a> {
    id: &'a str,
    meeting_id: &'a str,
    text: &'a str,
    /// `YYYY-MM-DD`, empty without a date.
    due: String,
    overdue: bool,
}

/// Someone's open action items as `today --json` lists them.
pub fn action_items_json(
    items: &[ActionItem],
    today: chrono::NaiveDate,
) -> Vec<ActionItemJson<'_>> {
    items
        .iter()
        .map(|i| ActionItemJson {
            id: &i.id,
            meeting_id: &i.meeting_id,
            text: &i.text,
            due: i.due.map(date_text).unwrap_or_default(),
            overdue: i.due.is_some_and(|d| d < today),
        })
        .collect()
}

/// Someone's open action items as `today` prints them: due first, overdue marked `!`.
pub fn print_action_items(
    out: &mut impl Write,
    lang: Lang,
    items: &[ActionItem],
    today: chrono::NaiveDate,
) -> CliResult {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", action_items_title(lang, items.len()))?;
    for item in items {
        let mark = if item.due.is_some_and(|d| d < today) {
            "!"
        } else {
            " "
        };
        let due = item.due.map_or_else(|| no_due(lang).to_owned(), date_text);
        let line = format!(
            "{mark} {}  {}",
            text::pad(&due, 10),
            text::clean_line(&item.text)
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
