//! The review's words that only the board has: the changes view's title and prompts, the
//! one-to-ones' look back (last skill, trend, past meetings) and the team one-to-one. The
//! changes themselves, their groups, counts and overdue items are said by
//! [`crate::i18n::review`], as `funnel changes` says them.

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

// The review read in the background.
crate::texts! {
    pub reading_changes = {
        en: "Reading the changes…",
        fr: "Lecture des changements…",
    };
    pub review_thread_stopped = {
        en: "the thread reading the changes stopped",
        fr: "le fil qui lit les changements s'est arrêté",
    };
}
