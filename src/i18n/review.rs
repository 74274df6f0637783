//! The review in words (see [`crate::domain::review`]): each change, the group headings, the
//! counts and the overdue action items, so `funnel changes`, the changes view and the
//! one-to-ones say them alike. A change is said in full (the command line: amounts and stage
//! names whole) or compact (the board's rows: short amounts and stage names) with the same
//! words; the marks (↩ moved back, ⚠ unverified, ! a warning) are set here only.

use chrono::NaiveDate;

use super::count;
use crate::domain::money::{format_compact, format_money};
use crate::domain::review::{Change, OverdueItem, ReviewCounts, ReviewScope};
use crate::domain::{Catalog, Lang, Stage, text};

/// The mark of a warning (a change a lead asks about first, an overdue action item).
pub const WARNING_MARK: &str = "!";

// One change.
crate::texts! {
    change_new = { en: "new card", fr: "nouvelle carte" };
    change_reopened = { en: "reopened", fr: "rouverte" };
    change_won(value: &str) = { en: "won at {value}", fr: "gagnée à {value}" };
    change_lost = { en: "lost", fr: "perdue" };
    change_lost_because(reason: &str) = { en: "lost: {reason}", fr: "perdue : {reason}" };
    change_value(from: &str, to: &str) = {
        en: "value {from} → {to}",
        fr: "valeur {from} → {to}",
    };
    change_pushed(times: u32, from: &str, to: &str) = {
        en: "close date pushed {times}× {from} → {to}",
        fr: "clôture repoussée {times}× {from} → {to}",
    };
    change_pulled(from: &str, to: &str) = {
        en: "close date pulled in {from} → {to}",
        fr: "clôture avancée {from} → {to}",
    };
    change_forward(from: &str, to: &str) = {
        en: "moved forward {from} → {to}",
        fr: "avancée {from} → {to}",
    };
    change_backward(from: &str, to: &str) = {
        en: "moved back {from} → {to}",
        fr: "reculée {from} → {to}",
    };
    change_unverified(from: &str, to: &str) = {
        en: "unverified {from} → {to}",
        fr: "non vérifiée {from} → {to}",
    };
    change_handed(from: &str, to: &str) = {
        en: "handed over {from} → {to}",
        fr: "confiée {from} → {to}",
    };
    change_stale(day: &str) = {
        en: "gone stale, inactive since {day}",
        fr: "sans activité depuis le {day}",
    };
    no_date = { en: "no date", fr: "sans date" };
    nobody = { en: "nobody", fr: "personne" };
}

// The groups of changed cards, by a card's main change.
crate::texts! {
    pub group_lost = { en: "Lost", fr: "Perdues" };
    pub group_backward = { en: "Moved back", fr: "Reculées" };
    pub group_unverified = {
        en: "Unverified (moved without evidence)",
        fr: "Non vérifiées (avancées sans preuve)",
    };
    pub group_pushed = { en: "Close date pushed", fr: "Clôture repoussée" };
    pub group_value_down = { en: "Value down", fr: "Valeur en baisse" };
    pub group_stale = { en: "Gone stale", fr: "Sans activité" };
    pub group_won = { en: "Won", fr: "Gagnées" };
    pub group_new = { en: "New cards", fr: "Nouvelles cartes" };
    pub group_reopened = { en: "Reopened", fr: "Rouvertes" };
    pub group_value_up = { en: "Value up", fr: "Valeur en hausse" };
    pub group_pulled = { en: "Close date pulled in", fr: "Clôture avancée" };
    pub group_forward = { en: "Moved forward", fr: "Avancées" };
    pub group_handed = { en: "Handed over", fr: "Confiées" };
}

// The review's heading, its counts and its overdue action items.
crate::texts! {
    pub review_title_owner(owner: &str, since: &str, today: &str) = {
        en: "Changes for {owner} since {since} (today {today})",
        fr: "Changements pour {owner} depuis le {since} (aujourd'hui {today})",
    };
    pub review_title_team(team: &str, since: &str, today: &str) = {
        en: "Changes for team {team} since {since} (today {today})",
        fr: "Changements pour l'équipe {team} depuis le {since} (aujourd'hui {today})",
    };
    pub nothing_changed = {
        en: "Nothing changed, and no action item is overdue.",
        fr: "Rien n'a changé, et aucune action n'est en retard.",
    };
    pub more_stale = {
        en: "More cards went stale than are listed (the biggest are): see the agenda.",
        fr: "D'autres cartes sont restées sans activité (les plus grosses sont listées) : voir l'agenda.",
    };
    pub overdue_heading = { en: "Overdue action items", fr: "Actions en retard" };
    item_due(owner: &str, due: &str, held: &str) = {
        en: "{owner} · due {due} (one-to-one of {held})",
        fr: "{owner} · pour le {due} (entretien du {held})",
    };
    card_one = { en: "card", fr: "carte" };
    card_many = { en: "cards", fr: "cartes" };
    count_cards_one = { en: "card changed", fr: "carte changée" };
    count_cards_many = { en: "cards changed", fr: "cartes changées" };
    count_new_one = { en: "new card", fr: "nouvelle carte" };
    count_new_many = { en: "new cards", fr: "nouvelles cartes" };
    count_won_one = { en: "won", fr: "gagnée" };
    count_won_many = { en: "won", fr: "gagnées" };
    count_lost_one = { en: "lost", fr: "perdue" };
    count_lost_many = { en: "lost", fr: "perdues" };
    count_reopened_one = { en: "reopened", fr: "rouverte" };
    count_reopened_many = { en: "reopened", fr: "rouvertes" };
    count_pushed_one = { en: "close date pushed", fr: "clôture repoussée" };
    count_pushed_many = { en: "close dates pushed", fr: "clôtures repoussées" };
    count_forward_one = { en: "moved forward", fr: "avancée" };
    count_forward_many = { en: "moved forward", fr: "avancées" };
    count_backward_one = { en: "moved back", fr: "reculée" };
    count_backward_many = { en: "moved back", fr: "reculées" };
    count_unverified_one = { en: "unverified", fr: "non vérifiée" };
    count_unverified_many = { en: "unverified", fr: "non vérifiées" };
    count_stale_one = { en: "gone stale", fr: "sans activité" };
    count_stale_many = { en: "gone stale", fr: "sans activité" };
    count_overdue_one = { en: "overdue action item", fr: "action en retard" };
    count_overdue_many = { en: "overdue action items", fr: "actions en retard" };
    with_value(what: &str, value: &str) = { en: "{what} ({value})", fr: "{what} ({value})" };
    pushes(what: &str, times: u32) = { en: "{what} ({times}×)", fr: "{what} ({times}×)" };
}

/// How amounts and stages are written in a change.
struct Form<'a> {
    money: &'a dyn Fn(i64) -> String,
    stage: &'a dyn Fn(Stage) -> String,
    /// Whether the marks make a column (a blank where there is none), for lines one below
    /// the other.
    mark_column: bool,
    /// Whether warnings are shown by colour, so only ↩ and ⚠ are marked.
    warnings_by_colour: bool,
}

/// The mark a change carries before its words: ↩ moved back, ⚠ unverified, the warning mark
/// for the other warnings (which the board shows by colour instead).
fn mark(change: &Change) -> Option<&'static str> {
    match change {
        Change::Backward { .. } => Some("↩"),
        Change::Unverified { .. } => Some("⚠"),
        c if c.is_warning() => Some(WARNING_MARK),
        _ => None,
    }
}

fn day(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map_or_else(|| no_date(lang).to_owned(), |d| d.to_string())
}

fn who(name: &str, lang: Lang) -> &str {
    if name.is_empty() { nobody(lang) } else { name }
}

fn said(lang: Lang, change: &Change, form: &Form) -> String {
    let (money, stage) = (form.money, form.stage);
    let said = match change {
        Change::New => change_new(lang).to_owned(),
        Change::Won { value_cents } => change_won(lang, &money(*value_cents)),
        Change::Lost { reason } if reason.trim().is_empty() => change_lost(lang).to_owned(),
        Change::Lost { reason } => change_lost_because(lang, &text::clean_line(reason)),
        Change::Reopened => change_reopened(lang).to_owned(),
        Change::Value { from, to } => change_value(lang, &money(*from), &money(*to)),
        Change::ClosePushed { from, to, times } => {
            change_pushed(lang, *times, &day(*from, lang), &day(*to, lang))
        }
        Change::ClosePulled { from, to } => {
            change_pulled(lang, &day(Some(*from), lang), &day(Some(*to), lang))
        }
        Change::Forward { from, to } => change_forward(lang, &stage(*from), &stage(*to)),
        Change::Backward { from, to } => change_backward(lang, &stage(*from), &stage(*to)),
        Change::Unverified { from, to } => change_unverified(lang, &stage(*from), &stage(*to)),
        Change::Handed { from, to } => change_handed(lang, who(from, lang), who(to, lang)),
        Change::GoneStale { since_day } => change_stale(lang, &since_day.to_string()),
    };
    let mark = match mark(change) {
        Some(WARNING_MARK) if form.warnings_by_colour => None,
        mark => mark,
    };
    match (mark, form.mark_column) {
        (Some(mark), _) => format!("{mark} {said}"),
        (None, true) => format!("  {said}"),
        (None, false) => said,
    }
}

/// One change of a card in full, after its mark or a blank (a column of marks): whole amounts
/// and stage names (the command line).
pub fn change(lang: Lang, change: &Change, currency: &str, catalog: &Catalog) -> String {
    let money = |cents: i64| format_money(cents.into(), currency, lang);
    let stage = |s: Stage| catalog.name(s).to_owned();
    let form = Form {
        money: &money,
        stage: &stage,
        mark_column: true,
        warnings_by_colour: false,
    };
    said(lang, change, &form)
}

/// One change of a card, compact: short amounts and stage names, ↩ and ⚠ marked (the board,
/// which shows the other warnings by colour).
pub fn change_short(lang: Lang, change: &Change, currency: &str, catalog: &Catalog) -> String {
    let money = |cents: i64| format_compact(cents.into(), currency, lang);
    let stage = |s: Stage| catalog.info(s).short.clone();
    let form = Form {
        money: &money,
        stage: &stage,
        mark_column: false,
        warnings_by_colour: true,
    };
    said(lang, change, &form)
}

/// The review's heading: whose changes, since when.
pub fn title(scope: &ReviewScope, since: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let (since, today) = (since.to_string(), today.to_string());
    match scope {
        ReviewScope::Owner(owner) => review_title_owner(lang, owner, &since, &today),
        ReviewScope::Team(team) => review_title_team(lang, team, &since, &today),
    }
}

/// An overdue action item's owner, due day and meeting (what follows its text).
pub fn overdue_due(lang: Lang, item: &OverdueItem) -> String {
    item_due(
        lang,
        &item.owner,
        &item.due.to_string(),
        &item.meeting_day.to_string(),
    )
}

/// An overdue action item on one line: its text, then whose and when.
pub fn overdue_line(lang: Lang, item: &OverdueItem) -> String {
    format!(
        "{} — {}",
        text::clean_line(&item.text),
        overdue_due(lang, item)
    )
}

/// A number of cards, in agreement ("3 cards").
pub fn cards(lang: Lang, n: usize) -> String {
    count(
        i64::try_from(n).unwrap_or(i64::MAX),
        card_one(lang),
        card_many(lang),
        lang,
    )
}

/// A count of the review: what each one tallies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    Cards,
    New,
    Won,
    Lost,
    Reopened,
    Pushed,
    Forward,
    Backward,
    Unverified,
    Stale,
    Overdue,
}

/// One count in words, its amount written by `money` ("2 won (€1,500)"); `None` when there
/// is nothing to count, but for the changed cards, always said.
pub fn tally(
    lang: Lang,
    tally: Tally,
    c: &ReviewCounts,
    money: &dyn Fn(i64) -> String,
) -> Option<String> {
    type Word = fn(Lang) -> &'static str;
    /// What follows a count: the value it stands for, or how many pushes.
    enum Then {
        Value(i64),
        Pushes(u32),
    }
    let (n, one, many, then): (usize, Word, Word, Option<Then>) = match tally {
        Tally::Cards => (c.cards, count_cards_one, count_cards_many, None),
        Tally::New => (
            c.new,
            count_new_one,
            count_new_many,
            Some(Then::Value(c.added_cents)),
        ),
        Tally::Won => (
            c.won,
            count_won_one,
            count_won_many,
            Some(Then::Value(c.won_cents)),
        ),
        Tally::Lost => (
            c.lost,
            count_lost_one,
            count_lost_many,
            Some(Then::Value(c.lost_cents)),
        ),
        Tally::Reopened => (c.reopened, count_reopened_one, count_reopened_many, None),
        Tally::Pushed => (
            c.pushed,
            count_pushed_one,
            count_pushed_many,
            Some(Then::Pushes(c.pushes)),
        ),
        Tally::Forward => (c.forward, count_forward_one, count_forward_many, None),
        Tally::Backward => (c.backward, count_backward_one, count_backward_many, None),
        Tally::Unverified => (
            c.unverified,
            count_unverified_one,
            count_unverified_many,
            None,
        ),
        Tally::Stale => (c.gone_stale, count_stale_one, count_stale_many, None),
        Tally::Overdue => (c.overdue_items, count_overdue_one, count_overdue_many, None),
    };
    if n == 0 && tally != Tally::Cards {
        return None;
    }
    let what = count(
        i64::try_from(n).unwrap_or(i64::MAX),
        one(lang),
        many(lang),
        lang,
    );
    Some(match then {
        Some(Then::Value(cents)) => with_value(lang, &what, &money(cents)),
        Some(Then::Pushes(times)) => pushes(lang, &what, times),
        None => what,
    })
}

/// The counts worth a line, in the order a lead reads them: what came in and went out, then
/// the warnings; kinds with nothing are left out.
pub fn counts(c: &ReviewCounts, currency: &str, lang: Lang) -> String {
    let money = |cents: i64| format_money(cents.into(), currency, lang);
    let kinds = [
        Tally::New,
        Tally::Won,
        Tally::Lost,
        Tally::Reopened,
        Tally::Pushed,
        Tally::Forward,
        Tally::Backward,
        Tally::Unverified,
        Tally::Stale,
        Tally::Overdue,
    ];
    let parts: Vec<String> = (kinds.into_iter())
        .filter_map(|t| tally(lang, t, c, &money))
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_and_counts_read_in_both_languages() {
        let pushed = Change::ClosePushed {
            from: NaiveDate::from_ymd_opt(2026, 6, 10),
            to: NaiveDate::from_ymd_opt(2026, 6, 25),
            times: 3,
        };
        let (en, fr) = (Catalog::get(Lang::En), Catalog::get(Lang::Fr));
        assert_eq!(
            change(Lang::En, &pushed, "EUR", en),
            "! close date pushed 3× 2026-06-10 → 2026-06-25"
        );
        assert_eq!(
            change_short(Lang::Fr, &pushed, "EUR", fr),
            "clôture repoussée 3× 2026-06-10 → 2026-06-25"
        );
        let back = Change::Backward {
            from: Stage::ALL[2],
            to: Stage::ALL[1],
        };
        let said = change(Lang::En, &back, "EUR", en);
        assert!(said.starts_with("↩ moved back "), "{said}");
        assert_eq!(change(Lang::En, &Change::New, "EUR", en), "  new card");
        let lost = Change::Lost {
            reason: String::new(),
        };
        assert_eq!(change(Lang::En, &lost, "EUR", en), "! lost");
        assert_eq!(change_short(Lang::En, &lost, "EUR", en), "lost");
        let counts = ReviewCounts {
            won: 2,
            won_cents: 1_500_00,
            pushed: 1,
            pushes: 3,
            unverified: 1,
            ..ReviewCounts::default()
        };
        let won = format_money(1_500_00, "EUR", Lang::Fr);
        assert_eq!(
            super::counts(&counts, "EUR", Lang::Fr),
            format!("2 gagnées ({won}), 1 clôture repoussée (3×), 1 non vérifiée")
        );
    }
}
