//! The review's words on the board: the changes view, the one-to-ones' look back (last skill,
//! trend, past meetings) and the team one-to-one.

use std::fmt::Display;

// The changes view.
crate::texts! {
    pub changes_title(who: &str, since: impl Display) = {
        en: " Changes — {who} since {since} ",
        fr: " Changements — {who} depuis le {since} ",
    };
    pub team_named(team: &str) = { en: "team {team}", fr: "équipe {team}" };
    pub since_previous_meeting = {
        en: "(the previous meeting)",
        fr: "(l'entretien précédent)",
    };
    pub since_no_meeting = {
        en: "(no meeting yet: 30 days)",
        fr: "(pas encore d'entretien : 30 jours)",
    };
    pub nothing_changed = {
        en: "Nothing changed on these cards since then, and no action item is overdue.",
        fr: "Rien n'a changé sur ces cartes depuis, et aucune action n'est en retard.",
    };
    pub overdue_items_group = { en: "Overdue action items", fr: "Actions en retard" };
    pub item_due(due: impl Display, held: impl Display) = {
        en: "due {due} (meeting of {held})",
        fr: "pour le {due} (entretien du {held})",
    };
    pub since_title = { en: " Changes since ", fr: " Changements depuis " };
    pub since_label = {
        en: "Since which day? (2026-01-15, 15/01, -30d…; empty: the previous meeting)",
        fr: "Depuis quel jour ? (2026-01-15, 15/01, -30j…; vide : l'entretien précédent)",
    };
    pub since_in_future = {
        en: "that day is after today",
        fr: "ce jour est après aujourd'hui",
    };
    pub nobody_to_review = {
        en: "No seller to review: select a card, or show one seller or team (o, F)",
        fr: "Aucun vendeur à passer en revue : choisissez une carte, ou affichez un vendeur ou \
             une équipe (o, F)",
    };
}

// The groups of the changes view, by a card's main change.
crate::texts! {
    pub group_lost = { en: "Lost", fr: "Perdues" };
    pub group_backward = { en: "Moved back", fr: "Reculées" };
    pub group_unverified = {
        en: "Moved without evidence (unverified)",
        fr: "Avancées sans preuve (non vérifiées)",
    };
    pub group_pushed = { en: "Close date pushed", fr: "Clôture repoussée" };
    pub group_value_down = { en: "Value down", fr: "Valeur en baisse" };
    pub group_stale = { en: "Gone stale", fr: "Devenues inactives" };
    pub group_won = { en: "Won", fr: "Gagnées" };
    pub group_new = { en: "New", fr: "Nouvelles" };
    pub group_reopened = { en: "Reopened", fr: "Rouvertes" };
    pub group_value_up = { en: "Value up", fr: "Valeur en hausse" };
    pub group_pulled = { en: "Close date pulled in", fr: "Clôture avancée" };
    pub group_forward = { en: "Moved forward", fr: "Avancées" };
    pub group_handed = { en: "Handed over", fr: "Confiées à un autre" };
}

// One change, in a few words.
crate::texts! {
    pub change_new = { en: "new", fr: "nouvelle" };
    pub change_won(value: &str) = { en: "won {value}", fr: "gagnée {value}" };
    pub change_lost = { en: "lost", fr: "perdue" };
    pub change_lost_because(reason: &str) = { en: "lost: {reason}", fr: "perdue : {reason}" };
    pub change_reopened = { en: "reopened", fr: "rouverte" };
    pub change_value(from: &str, to: &str) = {
        en: "value {from} → {to}",
        fr: "valeur {from} → {to}",
    };
    pub change_pushed(times: u32, from: &str, to: &str) = {
        en: "pushed {times}× {from} → {to}",
        fr: "repoussée {times}× {from} → {to}",
    };
    pub change_pulled(from: &str, to: &str) = {
        en: "close pulled in {from} → {to}",
        fr: "clôture avancée {from} → {to}",
    };
    pub change_forward(from: &str, to: &str) = { en: "{from} → {to}", fr: "{from} → {to}" };
    pub change_backward(from: &str, to: &str) = {
        en: "↩ back {from} → {to}",
        fr: "↩ recul {from} → {to}",
    };
    pub change_unverified(from: &str, to: &str) = {
        en: "⚠ unverified {from} → {to}",
        fr: "⚠ non vérifiée {from} → {to}",
    };
    pub change_handed(from: &str, to: &str) = {
        en: "handed {from} → {to}",
        fr: "confiée {from} → {to}",
    };
    pub change_stale(since: impl Display) = {
        en: "inactive since {since}",
        fr: "inactive depuis le {since}",
    };
    pub no_date = { en: "none", fr: "aucune" };
}

// The counts above the list: a tally each.
crate::texts! {
    pub count_new(n: usize, value: &str) = { en: "new {n} ({value})", fr: "nouvelles {n} ({value})" };
    pub count_won(n: usize, value: &str) = { en: "won {n} ({value})", fr: "gagnées {n} ({value})" };
    pub count_lost(n: usize, value: &str) = {
        en: "lost {n} ({value})",
        fr: "perdues {n} ({value})",
    };
    pub count_pushed(n: usize, times: u32) = {
        en: "pushed {n} ({times}×)",
        fr: "repoussées {n} ({times}×)",
    };
    pub count_backward(n: usize) = { en: "back {n}", fr: "reculs {n}" };
    pub count_unverified(n: usize) = { en: "unverified {n}", fr: "non vérifiées {n}" };
    pub count_stale(n: usize) = { en: "gone stale {n}", fr: "devenues inactives {n}" };
    pub count_overdue(n: usize) = { en: "overdue items {n}", fr: "actions en retard {n}" };
    pub count_cards(n: usize) = { en: "cards changed {n}", fr: "cartes changées {n}" };
}

// The one-to-ones' look back.
crate::texts! {
    pub last_time(day: impl Display, skill: &str) = {
        en: "Last time ({day}): {skill}",
        fr: "La dernière fois ({day}) : {skill}",
    };
    pub no_skill_before = {
        en: "Last time: no skill chosen yet",
        fr: "La dernière fois : pas encore de compétence",
    };
    pub trend_header = { en: "Last 90 days", fr: "90 derniers jours" };
    pub trend_header_colon = { en: "Last 90 days:", fr: "90 derniers jours :" };
    pub no_trend = {
        en: "no daily figures kept yet",
        fr: "pas encore de chiffres quotidiens",
    };
    pub changes_header(since: impl Display, cards: &str) = {
        en: "Changes since {since}: {cards}",
        fr: "Changements depuis le {since} : {cards}",
    };
    pub card_word = { en: "card", fr: "carte" };
    pub cards_word = { en: "cards", fr: "cartes" };
    pub no_change_since(since: impl Display) = {
        en: "No change since {since}",
        fr: "Aucun changement depuis le {since}",
    };
    pub walked_change(position: usize, cards: usize, title: &str) = {
        en: "Change {position}/{cards} · {title}",
        fr: "Changement {position}/{cards} · {title}",
    };
    pub walk_shows_changes = {
        en: "The walk goes through the changed cards",
        fr: "Le parcours passe par les cartes changées",
    };
    pub walk_shows_all = {
        en: "The walk goes through every open card",
        fr: "Le parcours passe par toutes les cartes ouvertes",
    };
    pub no_changes_to_walk = {
        en: "No change since the previous meeting (or in 30 days): the walk goes through every \
             open card",
        fr: "Aucun changement depuis l'entretien précédent (ou en 30 jours) : le parcours passe \
             par toutes les cartes ouvertes",
    };
}

// The past meetings.
crate::texts! {
    pub past_meetings_title(who: &str) = {
        en: " Past meetings — {who} ",
        fr: " Entretiens passés — {who} ",
    };
    pub no_past_meeting = { en: "No meeting before this one.", fr: "Aucun entretien avant celui-ci." };
    pub kind_seller = { en: "seller", fr: "vendeur" };
    pub kind_team = { en: "team", fr: "équipe" };
    pub done_one = { en: "done", fr: "faite" };
    pub done_many = { en: "done", fr: "faites" };
    pub open_one = { en: "open", fr: "ouverte" };
    pub open_many = { en: "open", fr: "ouvertes" };
    pub no_skill = { en: "no skill chosen", fr: "pas de compétence" };
}

// The team one-to-one.
crate::texts! {
    pub team_panel_title(team: &str, lead: &str) = {
        en: " Team one-to-one · {team} · {lead} ",
        fr: " Entretien d'équipe · {team} · {lead} ",
    };
    pub team_meeting_title(team: &str) = {
        en: " Team one-to-one · {team} ",
        fr: " Entretien d'équipe · {team} ",
    };
    pub teams_header = { en: "Teams", fr: "Équipes" };
    pub sellers_header = { en: "Sellers", fr: "Vendeurs" };
    pub upkeep_short = { en: "kept up", fr: "à jour" };
    pub unverified_short = { en: "unverif.", fr: "non vérif." };
    pub team_weakest(stage: &str) = {
        en: "Weakest stage against the funnel: {stage}",
        fr: "Étape la plus faible face à l'entonnoir : {stage}",
    };
    pub team_no_weakest = {
        en: "Weakest stage: not enough history yet",
        fr: "Étape la plus faible : pas encore assez d'historique",
    };
    pub no_team = {
        en: "No team on the cards: set a team on them first",
        fr: "Aucune équipe sur les cartes : indiquez d'abord une équipe",
    };
    pub team_with = {
        en: " Team one-to-one: which team? ",
        fr: " Entretien d'équipe : quelle équipe ? ",
    };
}

/// A count of cards, in agreement.
pub fn cards_count(l: crate::domain::Lang, n: usize) -> String {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    crate::i18n::count(n, card_word(l), cards_word(l), l)
}

/// How many of a meeting's action items are done and open, in agreement.
pub fn items_done_open(l: crate::domain::Lang, done: usize, open: usize) -> String {
    let count = |n: usize, one, many| {
        crate::i18n::count(i64::try_from(n).unwrap_or(i64::MAX), one, many, l)
    };
    format!(
        "{}, {}",
        count(done, done_one(l), done_many(l)),
        count(open, open_one(l), open_many(l))
    )
}
