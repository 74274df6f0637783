//! The seller's day in words: the agenda, the upkeep flags counted in the title bar, the next
//! step prompt and the activity form, and the notices of the changes made with them.

pub use crate::i18n::day::{activity_kind, flag_name, flag_short};

// The agenda.
crate::texts! {
    pub agenda_title(who: &str) = { en: " Agenda — {who} ", fr: " Agenda — {who} " };
    pub cards_of(owner: &str) = { en: "{owner}'s cards", fr: "cartes de {owner}" };
    pub everyones_cards = { en: "everyone's cards", fr: "les cartes de tous" };
    pub nothing_needs_you = {
        en: "Nothing needs you today: every open card has a dated next step and recent activity.",
        fr: "Rien ne vous attend aujourd'hui : chaque carte ouverte a une prochaine étape datée \
             et une activité récente.",
    };
    pub more_not_listed(shown: usize) = {
        en: "… more below these {shown}: act on them first, or show one seller",
        fr: "… d'autres après ces {shown} : traitez-les d'abord, ou affichez un seul vendeur",
    };
    pub no_step_yet = { en: "no next step", fr: "pas de prochaine étape" };
    pub no_day_yet = { en: "no day yet", fr: "pas encore datée" };
    pub days_late(days: i64) = { en: "{days}d late", fr: "{days} j de retard" };
    pub today_word = { en: "today", fr: "aujourd'hui" };
    pub no_user_set = {
        en: "Set user in config.toml to see your own cards alone",
        fr: "Indiquez user dans config.toml pour ne voir que vos cartes",
    };
    pub agenda_legend = {
        en: "Each card is listed under its most urgent flag, the biggest first: ! its next step \
             is overdue, • due today. The flags a card also raises are on the right when there \
             is room.",
        fr: "Chaque carte est rangée sous son signal le plus urgent, la plus grosse d'abord : ! \
             sa prochaine étape est en retard, • prévue aujourd'hui. Les autres signaux de la \
             carte sont à droite s'il y a la place.",
    };
    pub action_items_group = { en: "Your action items", fr: "Vos actions" };
    pub key_ticks_one(key: &str) = {
        en: "{key} ticks one done",
        fr: "{key} en coche une faite",
    };
    pub item_ticked(text: &str) = { en: "Action item {text} ticked", fr: "Action {text} cochée" };
    pub on_the_board(title: &str) = {
        en: "On the board: {title}",
        fr: "Sur le tableau : {title}",
    };
}

// The next step prompt.
crate::texts! {
    pub next_step_title = { en: " Next step ", fr: " Prochaine étape " };
    pub next_step_of(title: &str) = {
        en: "The next step of \"{title}\":",
        fr: "La prochaine étape de \"{title}\" :",
    };
    pub step_done_what_next(done: &str) = {
        en: "Done: {done}. What comes next?",
        fr: "Fait : {done}. Et ensuite ?",
    };
    pub step_label = { en: "Next step", fr: "Étape" };
    pub when_label = { en: "When", fr: "Quand" };
    pub when_help = {
        en: "tomorrow, +3d, monday, 15/01, and a time: 14:30 · ↑↓ a day",
        fr: "demain, +3j, lundi, 15/01, et une heure : 14h30 · ↑↓ un jour",
    };
    pub step_needs_text = { en: "say what it is", fr: "dites laquelle" };
    pub step_day_passed = {
        en: "that day has passed: when now?",
        fr: "ce jour est passé : quand, maintenant ?",
    };
}

// The activity form.
crate::texts! {
    pub activity_title = { en: " Log an activity ", fr: " Noter une activité " };
    pub activity_on(title: &str) = { en: "On \"{title}\":", fr: "Sur \"{title}\" :" };
    pub kind_label = { en: "Kind", fr: "Type" };
    pub kind_help = {
        en: "↑↓ or ←→: call, meeting, email, note",
        fr: "↑↓ ou ←→ : appel, réunion, courriel, note",
    };
    pub day_label = { en: "Day", fr: "Jour" };
    pub day_help = {
        en: "empty: today · ↑↓ a day earlier or later · 2026-12-07 9:30",
        fr: "vide : aujourd'hui · ↑↓ un jour avant ou après · 2026-12-07 9h30",
    };
    pub with_label = { en: "With", fr: "Avec" };
    pub buying_centre_choices(names: &str) = {
        en: "↑↓ {names}, or type a name",
        fr: "↑↓ {names}, ou tapez un nom",
    };
    pub nobody_in_buying_centre = {
        en: "nobody in the buying centre yet: type a name",
        fr: "personne au centre d'achat pour l'instant : tapez un nom",
    };
    pub summary_label = { en: "Summary", fr: "Résumé" };
    pub note_needs_text = { en: "a note says something", fr: "une note dit quelque chose" };
}

// What the changes say.
crate::texts! {
    pub next_step_set(title: &str, when: &str) = {
        en: "Next step of {title}: {when}",
        fr: "Prochaine étape de {title} : {when}",
    };
    pub step_done_logged(title: &str) = {
        en: "Done and logged on {title}",
        fr: "Faite et notée sur {title}",
    };
    pub no_step_to_mark_done(title: &str) = {
        en: "{title} has no next step yet: set one",
        fr: "{title} n'a pas encore de prochaine étape : fixez-en une",
    };
    pub activity_logged(kind: &str, title: &str) = {
        en: "Logged: {kind} on {title}",
        fr: "Noté : {kind} sur {title}",
    };
    pub step_done_barrier = {
        en: "marking a next step done",
        fr: "marquer une prochaine étape faite",
    };
    pub logging_barrier = { en: "logging an activity", fr: "noter une activité" };
}
