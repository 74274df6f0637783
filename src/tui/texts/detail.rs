//! The card detail's words, and the card's field labels it shares with the card form.

use std::fmt::Display;

use crate::domain::Lang;
use crate::store::ChangedField;

// A card's fields, as the detail and the form label them.
crate::texts! {
    pub account = { en: "Account", fr: "Compte" };
    pub value = { en: "Value", fr: "Valeur" };
    pub stage = { en: "Stage", fr: "Étape" };
    pub status = { en: "Status", fr: "Statut" };
    pub owner = { en: "Owner", fr: "Vendeur" };
    pub team = { en: "Team", fr: "Équipe" };
    pub region = { en: "Region", fr: "Région" };
    pub territory = { en: "Territory", fr: "Territoire" };
    pub product = { en: "Product", fr: "Produit" };
    pub created = { en: "Created", fr: "Créée le" };
    pub expected_close = { en: "Expected close", fr: "Clôture prévue" };
    pub decision_date = { en: "Decision date", fr: "Date de décision" };
    pub budget = { en: "Budget", fr: "Budget" };
    pub problem_cost = { en: "Problem cost", fr: "Coût du problème" };
    pub next_step = { en: "Next step", fr: "Prochaine étape" };
    pub next_step_due = { en: "Next step due", fr: "Échéance de l'étape" };
    pub decision_criteria = { en: "Decision criteria", fr: "Critères de décision" };
}

// The card's fields and status.
crate::texts! {
    pub status_open = { en: "open", fr: "ouverte" };
    pub won_on(date: &str) = { en: "won on {date}", fr: "gagnée le {date}" };
    pub lost_on(date: &str, reason: &str) = {
        en: "lost on {date} — {reason}",
        fr: "perdue le {date} — {reason}",
    };
    pub days_in_stage(stage: &str, days: i64) = {
        en: "{stage} ({days} days)",
        fr: "{stage} ({days} jours)",
    };
}

// The buying centre.
crate::texts! {
    pub buying_centre_title = { en: " Buying centre ", fr: " Centre d'achat " };
    pub person_line(
        name: &str,
        role: &str,
        influence: u8,
        authority: u8,
        motivations: &str,
    ) = {
        en: "{name} · {role} · influence {influence}/5 · authority {authority}/5 · {motivations}",
        fr: "{name} · {role} · influence {influence}/5 · autorité {authority}/5 · {motivations}",
    };
    pub nobody_yet(key: &str) = {
        en: "Nobody yet: {key} adds who takes part in the purchase",
        fr: "Personne pour l'instant : {key} ajoute qui participe à l'achat",
    };
    pub person_removed(name: &str) = { en: "Removed {name}", fr: "Retiré : {name}" };
    pub buying_centre_saved = { en: "Buying centre saved", fr: "Centre d'achat enregistré" };
    pub buying_centre_barrier = {
        en: "a change to the buying centre",
        fr: "une modification du centre d'achat",
    };
}

// The stage's evidence and questions.
crate::texts! {
    pub evidence_to_move_on = { en: "Evidence to move on:", fr: "Preuve pour avancer :" };
    /// `note`: empty, or ` — ` and the note.
    pub confirmed_on(date: impl Display, note: &str) = {
        en: "✓ confirmed on {date}{note}",
        fr: "✓ confirmée le {date}{note}",
    };
    pub not_confirmed_yet = {
        en: "· not confirmed yet (v confirms it)",
        fr: "· pas encore confirmée (v pour la confirmer)",
    };
    pub questions_for_stage = { en: "Questions for this stage:", fr: "Questions de cette étape :" };
    pub asked_barrier = {
        en: "marking a question asked or not",
        fr: "marquer une question posée ou non",
    };
    pub answering_barrier = { en: "answering a question", fr: "répondre à une question" };
}

// The history.
crate::texts! {
    pub unverified = { en: "unverified", fr: "non vérifié" };
    pub created_in = { en: "created in", fr: "créée à l'étape" };
    pub history_won = { en: "won", fr: "gagnée" };
    pub history_lost = { en: "lost", fr: "perdue" };
    pub history_reopened = { en: "reopened", fr: "rouverte" };
}

// The next step and its due day.
crate::texts! {
    pub next_step_overdue(when: &str, days: i64) = {
        en: "! due {when}: {days} d overdue",
        fr: "! prévue le {when} : {days} j de retard",
    };
    pub next_step_due_today(when: &str) = {
        en: "• due today ({when})",
        fr: "• prévue aujourd'hui ({when})",
    };
    pub next_step_later(when: &str, days: i64) = {
        en: "→ due {when}, in {days} d",
        fr: "→ prévue le {when}, dans {days} j",
    };
    pub next_step_undated = { en: "? no due date", fr: "? sans échéance" };
    pub no_next_step = { en: "? none: the card needs one", fr: "? aucune : la carte en attend une" };
}

// The timeline.
crate::texts! {
    pub timeline_title = { en: " Timeline ", fr: " Chronologie " };
    pub nothing_yet = { en: "Nothing yet", fr: "Rien pour l'instant" };
    pub with_whom(name: &str) = { en: "with {name}", fr: "avec {name}" };
    changed_title = { en: "title", fr: "titre" };
    changed_value = { en: "value", fr: "valeur" };
    changed_expected_close = { en: "expected close", fr: "clôture prévue" };
    changed_owner = { en: "owner", fr: "vendeur" };
    changed_next_step = { en: "next step", fr: "prochaine étape" };
    changed_next_step_due = { en: "next step day", fr: "échéance" };
    changed_next_step_at = { en: "next step time", fr: "heure d'échéance" };
    /// A field's change: its name, the old value and the new.
    pub field_changed(name: &str, old: &str, new: &str) = {
        en: "{name}: {old} → {new}",
        fr: "{name} : {old} → {new}",
    };
    /// An activity: its kind, ` with someone` or nothing, and its summary.
    pub activity_line(kind: &str, with: &str, summary: &str) = {
        en: "{kind}{with}: {summary}",
        fr: "{kind}{with} : {summary}",
    };
}

/// A field whose change the timeline shows, by its name.
pub fn changed_field(lang: Lang, field: ChangedField) -> &'static str {
    match field {
        ChangedField::Title => changed_title(lang),
        ChangedField::Value => changed_value(lang),
        ChangedField::ExpectedClose => changed_expected_close(lang),
        ChangedField::Owner => changed_owner(lang),
        ChangedField::NextStep => changed_next_step(lang),
        ChangedField::NextStepDue => changed_next_step_due(lang),
        ChangedField::NextStepAt => changed_next_step_at(lang),
    }
}
