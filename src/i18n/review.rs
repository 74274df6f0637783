//! The review in words (see [`crate::domain::review`]): each change, the counts and the
//! headings, so `funnel changes`, the changes view and the one-to-one say them alike.

use chrono::NaiveDate;

use super::count;
use crate::domain::money::format_money;
use crate::domain::review::{Change, ReviewCounts, ReviewScope};
use crate::domain::{Catalog, Lang, Stage};

crate::texts! {
    change_new = { en: "new card", fr: "nouvelle carte" };
    change_reopened = { en: "reopened", fr: "rouverte" };
    change_won(value: &str) = { en: "won at {value}", fr: "gagnée pour {value}" };
    change_lost(reason: &str) = { en: "lost: {reason}", fr: "perdue : {reason}" };
    change_value(from: &str, to: &str) = {
        en: "value {from} → {to}",
        fr: "valeur {from} → {to}",
    };
    change_pushed(times: u32, from: &str, to: &str) = {
        en: "close date pushed {times}× ({from} → {to})",
        fr: "clôture repoussée {times}× ({from} → {to})",
    };
    change_pulled(from: &str, to: &str) = {
        en: "close date brought forward ({from} → {to})",
        fr: "clôture avancée ({from} → {to})",
    };
    change_forward(from: &str, to: &str) = {
        en: "moved forward: {from} → {to}",
        fr: "avancée : {from} → {to}",
    };
    change_backward(from: &str, to: &str) = {
        en: "moved back: {from} → {to}",
        fr: "recul : {from} → {to}",
    };
    change_unverified(from: &str, to: &str) = {
        en: "moved without its evidence: {from} → {to}",
        fr: "avancée sans preuve : {from} → {to}",
    };
    change_handed(from: &str, to: &str) = {
        en: "handed over: {from} → {to}",
        fr: "confiée : {from} → {to}",
    };
    change_stale(day: &str) = {
        en: "gone stale (no activity, inactive since {day})",
        fr: "laissée de côté (sans activité, inactive depuis le {day})",
    };
    no_date = { en: "no date", fr: "sans date" };
    nobody = { en: "nobody", fr: "personne" };
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
    pub overdue_item(due: &str, text: &str, owner: &str, held: &str) = {
        en: "due {due}: {text} ({owner}, one-to-one of {held})",
        fr: "pour le {due} : {text} ({owner}, entretien du {held})",
    };
    count_new_one = { en: "new", fr: "nouvelle" };
    count_new_many = { en: "new", fr: "nouvelles" };
    count_won_one = { en: "won", fr: "gagnée" };
    count_won_many = { en: "won", fr: "gagnées" };
    count_lost_one = { en: "lost", fr: "perdue" };
    count_lost_many = { en: "lost", fr: "perdues" };
    count_reopened_one = { en: "reopened", fr: "rouverte" };
    count_reopened_many = { en: "reopened", fr: "rouvertes" };
    count_pushed_one = { en: "pushed", fr: "repoussée" };
    count_pushed_many = { en: "pushed", fr: "repoussées" };
    count_forward_one = { en: "moved forward", fr: "avancée" };
    count_forward_many = { en: "moved forward", fr: "avancées" };
    count_backward_one = { en: "moved back", fr: "en recul" };
    count_backward_many = { en: "moved back", fr: "en recul" };
    count_unverified_one = { en: "unverified move", fr: "avancée sans preuve" };
    count_unverified_many = { en: "unverified moves", fr: "avancées sans preuve" };
    count_stale_one = { en: "gone stale", fr: "sans activité" };
    count_stale_many = { en: "gone stale", fr: "sans activité" };
    count_overdue_one = { en: "overdue action item", fr: "action en retard" };
    count_overdue_many = { en: "overdue action items", fr: "actions en retard" };
    with_value(what: &str, value: &str) = { en: "{what} ({value})", fr: "{what} ({value})" };
    pushes(what: &str, times: u32) = {
        en: "{what} ({times} times in all)",
        fr: "{what} ({times} fois en tout)",
    };
}

fn day(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map_or_else(|| no_date(lang).to_owned(), |d| d.to_string())
}

fn stage(s: Stage, lang: Lang) -> &'static str {
    Catalog::get(lang).name(s)
}

fn who(name: &str, lang: Lang) -> &str {
    if name.is_empty() { nobody(lang) } else { name }
}

/// One change of a card, in a few words.
pub fn change(change: &Change, currency: &str, lang: Lang) -> String {
    let money = |cents: i64| format_money(cents.into(), currency, lang);
    match change {
        Change::New => change_new(lang).to_owned(),
        Change::Won { value_cents } => change_won(lang, &money(*value_cents)),
        Change::Lost { reason } => change_lost(lang, reason),
        Change::Reopened => change_reopened(lang).to_owned(),
        Change::Value { from, to } => change_value(lang, &money(*from), &money(*to)),
        Change::ClosePushed { from, to, times } => {
            change_pushed(lang, *times, &day(*from, lang), &day(*to, lang))
        }
        Change::ClosePulled { from, to } => {
            change_pulled(lang, &day(Some(*from), lang), &day(Some(*to), lang))
        }
        Change::Forward { from, to } => change_forward(lang, stage(*from, lang), stage(*to, lang)),
        Change::Backward { from, to } => {
            change_backward(lang, stage(*from, lang), stage(*to, lang))
        }
        Change::Unverified { from, to } => {
            change_unverified(lang, stage(*from, lang), stage(*to, lang))
        }
        Change::Handed { from, to } => change_handed(lang, who(from, lang), who(to, lang)),
        Change::GoneStale { since_day } => change_stale(lang, &since_day.to_string()),
    }
}

/// The review's heading: whose changes, since when.
pub fn title(scope: &ReviewScope, since: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let (since, today) = (since.to_string(), today.to_string());
    match scope {
        ReviewScope::Owner(owner) => review_title_owner(lang, owner, &since, &today),
        ReviewScope::Team(team) => review_title_team(lang, team, &since, &today),
    }
}

/// The counts worth a line, in the order a lead reads them: what came in and went out, then
/// the warnings; kinds with nothing are left out.
pub fn counts(c: &ReviewCounts, currency: &str, lang: Lang) -> String {
    let money = |cents: i64| format_money(cents.into(), currency, lang);
    type Word = fn(Lang) -> &'static str;
    /// What follows a count: the value it stands for, or how many pushes.
    enum Then {
        Value(i64),
        Pushes(u32),
    }
    let kinds: [(usize, Word, Word, Option<Then>); 10] = [
        (
            c.new,
            count_new_one,
            count_new_many,
            Some(Then::Value(c.added_cents)),
        ),
        (
            c.won,
            count_won_one,
            count_won_many,
            Some(Then::Value(c.won_cents)),
        ),
        (
            c.lost,
            count_lost_one,
            count_lost_many,
            Some(Then::Value(c.lost_cents)),
        ),
        (c.reopened, count_reopened_one, count_reopened_many, None),
        (
            c.pushed,
            count_pushed_one,
            count_pushed_many,
            Some(Then::Pushes(c.pushes)),
        ),
        (c.forward, count_forward_one, count_forward_many, None),
        (c.backward, count_backward_one, count_backward_many, None),
        (
            c.unverified,
            count_unverified_one,
            count_unverified_many,
            None,
        ),
        (c.gone_stale, count_stale_one, count_stale_many, None),
        (c.overdue_items, count_overdue_one, count_overdue_many, None),
    ];
    let parts: Vec<String> = kinds
        .into_iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many, value)| {
            let what = count(
                i64::try_from(n).unwrap_or(i64::MAX),
                one(lang),
                many(lang),
                lang,
            );
            match value {
                Some(Then::Value(cents)) => with_value(lang, &what, &money(cents)),
                Some(Then::Pushes(times)) => pushes(lang, &what, times),
                None => what,
            }
        })
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
        assert_eq!(
            change(&pushed, "EUR", Lang::En),
            "close date pushed 3× (2026-06-10 → 2026-06-25)"
        );
        assert_eq!(
            change(&pushed, "EUR", Lang::Fr),
            "clôture repoussée 3× (2026-06-10 → 2026-06-25)"
        );
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
            format!("2 gagnées ({won}), 1 repoussée (3 fois en tout), 1 avancée sans preuve")
        );
    }
}
