//! The board's words: its notices, its cards and columns, the title bar and the footer, undo and
//! redo, and what shows when there is nothing (no card, a terminal too small).

use std::fmt::Display;

// Undo and redo, on the board and in the card detail.
crate::texts! {
    /// A change, said with the key that undoes it.
    pub remembered(label: &str, key: &str) = {
        en: "{label} ({key}: undo)",
        fr: "{label} ({key}: annuler)",
    };
    /// Why `u` stops: `what` is one of the `*_barrier` messages.
    pub cannot_be_undone(what: &str) = {
        en: "{what} cannot be undone",
        fr: "{what} ne s'annule pas",
    };
    pub undone(label: &str) = { en: "Undone: {label}", fr: "Annulé : {label}" };
    pub redone(label: &str) = { en: "Redone: {label}", fr: "Rétabli : {label}" };
    pub nothing_to_undo = { en: "Nothing to undo", fr: "Rien à annuler" };
    pub nothing_to_redo = { en: "Nothing to redo", fr: "Rien à rétablir" };
    pub nothing_to_undo_because(why: &str) = {
        en: "Nothing to undo: {why}",
        fr: "Rien à annuler : {why}",
    };
    pub nothing_to_redo_because(why: &str) = {
        en: "Nothing to redo: {why}",
        fr: "Rien à rétablir : {why}",
    };
}

// Changes to cards (`title` quoted).
crate::texts! {
    pub no_card_here(key: &str) = {
        en: "No card here: {key} adds one",
        fr: "Aucune carte ici : {key} en ajoute une",
    };
    pub card_closed(key: &str) = {
        en: "This card is closed ({key} reopens it)",
        fr: "Cette carte est close ({key} pour la rouvrir)",
    };
    pub card_open_already(key: &str) = {
        en: "This card is open already ({key} reopens a won or lost card)",
        fr: "Cette carte est déjà ouverte ({key} rouvre une carte gagnée ou perdue)",
    };
    pub no_stage_that_way = {
        en: "No stage further that way",
        fr: "Pas d'autre étape dans ce sens",
    };
    pub moved_to(stage: &str) = { en: "Moved to {stage}", fr: "Déplacée vers {stage}" };
    pub moved_unverified(stage: &str) = {
        en: "Moved to {stage} (unverified)",
        fr: "Déplacée vers {stage} (non vérifié)",
    };
    pub reopened(title: &str) = { en: "Reopened {title}", fr: "Rouverte {title}" };
    pub marked_won(title: &str) = { en: "Marked won {title}", fr: "Marquée gagnée {title}" };
    pub marked_lost(title: &str) = { en: "Marked lost {title}", fr: "Marquée perdue {title}" };
    pub deleted(title: &str) = { en: "Deleted {title}", fr: "Supprimée {title}" };
    pub added(title: &str) = { en: "Added {title}", fr: "Ajoutée {title}" };
    pub saved(title: &str) = { en: "Saved {title}", fr: "Enregistrée {title}" };
    pub check_the_dates(change: &str, conflict: &str) = {
        en: "{change}, but check the dates: {conflict}",
        fr: "{change}, mais vérifiez les dates : {conflict}",
    };
    pub evidence_confirmed = { en: "Evidence confirmed", fr: "Preuve confirmée" };
    pub confirming_evidence_barrier = {
        en: "confirming evidence in the card detail",
        fr: "confirmer une preuve dans le détail",
    };
}

// The board's other keys.
crate::texts! {
    pub showing_closed = {
        en: "Showing won and lost cards",
        fr: "Cartes gagnées et perdues affichées",
    };
    pub closed_hidden = {
        en: "Won and lost cards hidden",
        fr: "Cartes gagnées et perdues masquées",
    };
    pub reloaded = { en: "Reloaded", fr: "Rechargé" };
    pub target_saved = { en: "Target saved", fr: "Objectif enregistré" };
    pub setting_target_barrier = { en: "setting a target", fr: "fixer un objectif" };
    pub no_owners = { en: "No owners yet", fr: "Aucun vendeur pour l'instant" };
}

// Drawing the board.
crate::texts! {
    /// After a count of what is out of view: `↓ 3 more`.
    pub more = { en: "more", fr: "de plus" };
    /// Days, after a number: `12d`.
    pub days_short = { en: "d", fr: "j" };
    pub won_badge = { en: "WON", fr: "GAGNÉE" };
    pub lost_badge = { en: "LOST", fr: "PERDUE" };
    pub first_run = { en: "No opportunities yet.", fr: "Aucune opportunité pour l'instant." };
    pub first_run_add = {
        en: "n        add a card in the focused stage",
        fr: "n        ajouter une carte à l'étape choisie",
    };
    pub first_run_import = {
        en: "funnel import FILE.csv   bring your pipeline",
        fr: "funnel import FICHIER.csv   importer votre pipeline",
    };
    pub first_run_demo = {
        en: "funnel demo              try it on sample data",
        fr: "funnel demo              essayer sur des données d'exemple",
    };
    pub first_run_keys = { en: "?        every key", fr: "?        toutes les touches" };
    pub too_small(width: u16, height: u16, min_width: u16, min_height: u16) = {
        en: "Terminal too small: {width}x{height} (at least {min_width}x{min_height} needed). \
             Enlarge it, or q to quit.",
        fr: "Terminal trop petit : {width}x{height} (au moins {min_width}x{min_height}). \
             Agrandissez-le, ou q pour quitter.",
    };
}

// The title bar.
crate::texts! {
    pub title_period(period: impl Display) = { en: "period {period}", fr: "période {period}" };
    pub read_only = { en: "read-only", fr: "lecture seule" };
    pub not_current_period = { en: "not the current one", fr: "pas la période en cours" };
    pub owner_shown(owner: &str) = { en: "owner: {owner}", fr: "vendeur : {owner}" };
    pub ignored_here = { en: " (ignored here)", fr: " (ignoré ici)" };
    pub with_closed = { en: "with closed cards", fr: "avec cartes closes" };
}

// The footer's figures (the figures' own words are `i18n::figures`).
crate::texts! {
    pub sales_short = { en: "Sales", fr: "Ventes" };
    pub required_short = { en: "Req.", fr: "Requis" };
    pub no_target_key_sets_it(no_target: &str, key: &str) = {
        en: "{no_target} — {key} sets it",
        fr: "{no_target} — {key} pour le fixer",
    };
    pub open_viable_in(open: &str, viable: &str, period: impl Display) = {
        en: "{open} · {viable} in {period}",
        fr: "{open} · {viable} en {period}",
    };
}

// The board's order and its filter form.
crate::texts! {
    pub order_value = { en: "value", fr: "valeur" };
    pub order_expected_close = { en: "expected close", fr: "clôture prévue" };
    pub order_next_step = { en: "next step due", fr: "échéance de la prochaine étape" };
    pub order_days_in_stage = { en: "days in stage", fr: "jours dans l'étape" };
    pub sorted_by(order: &str) = { en: "Columns sorted by {order}", fr: "Colonnes triées par {order}" };
    pub title_sorted_by(order: &str) = { en: "by {order}", fr: "par {order}" };
    pub board_filter_title = { en: " Filter the board ", fr: " Filtrer le tableau " };
    pub closing_from = { en: "Closing from", fr: "Clôture à partir du" };
    pub closing_to = { en: "Closing until", fr: "Clôture jusqu'au" };
    pub filter_flags = { en: "Flags", fr: "Signaux" };
    pub only_overdue = { en: "overdue", fr: "en retard" };
    pub only_no_next_step = { en: "no next step", fr: "sans prochaine étape" };
    pub only_unverified = { en: "unverified", fr: "non vérifié" };
    pub unknown_flag(word: &str, known: &str) = {
        en: "unknown flag \"{word}\" (comma separated: {known})",
        fr: "signal inconnu « {word} » (séparés par des virgules : {known})",
    };
    pub closing_between(from: &str, to: &str) = { en: "closing {from}…{to}", fr: "clôture {from}…{to}" };
    pub filter_form_hint(flags: &str) = {
        en: "Flags, comma separated: {flags}. Dates: 2027-01-15, 15/01, +1w…",
        fr: "Signaux, séparés par des virgules : {flags}. Dates : 2027-01-15, 15/01, +1s…",
    };
    pub board_filtered = { en: "Board filtered", fr: "Tableau filtré" };
    pub upkeep_legend = {
        en: "Next step: ! overdue, • due today, ? none, →15/01 its day. ⧖ close date passed, \
             z no activity lately. Headers: cards with a next step overdue (!) or missing (?), \
             past their close (⧖).",
        fr: "Prochaine étape : ! en retard, • aujourd'hui, ? aucune, →15/01 son jour. ⧖ date de \
             clôture passée, z sans activité récente. En-têtes : cartes dont la prochaine étape \
             est en retard (!) ou manque (?), dont la clôture est passée (⧖).",
    };
}
