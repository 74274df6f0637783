//! The one-to-one's words: its notices and its side panel.

use std::fmt::Display;

// Notices, and what `u` cannot undo.
crate::texts! {
    pub no_card_to_note(key: &str) = {
        en: "No card to note: {key} walks the seller's cards",
        fr: "Aucune carte : {key} parcourt les cartes du vendeur",
    };
    pub one_to_one_ended = {
        en: "One-to-one ended (everything was saved as you went)",
        fr: "Entretien terminé (tout a été enregistré au fil de l'eau)",
    };
    pub card_note_saved = { en: "Card note saved", fr: "Note de carte enregistrée" };
    pub meeting_note_saved = { en: "Meeting note saved", fr: "Note d'entretien enregistrée" };
    pub skill_chosen = { en: "Skill chosen", fr: "Compétence choisie" };
    pub no_text = { en: "No text: nothing added", fr: "Pas de texte : rien d'ajouté" };
    pub item_added = { en: "Action item added", fr: "Action ajoutée" };
    pub ticking_barrier = { en: "ticking an action item", fr: "cocher une action" };
    pub card_note_barrier = {
        en: "a one-to-one's card note",
        fr: "une note de carte d'entretien",
    };
    pub meeting_note_barrier = { en: "a one-to-one's note", fr: "une note d'entretien" };
    pub skill_barrier = { en: "choosing the skill", fr: "choisir la compétence" };
    pub item_barrier = { en: "adding an action item", fr: "ajouter une action" };
}

// The side panel: clock, figures, conversion.
crate::texts! {
    pub panel_title(owner: &str) = { en: " One-to-one · {owner} ", fr: " Entretien · {owner} " };
    pub past_the_hour(clock: &str) = {
        en: "⚑ {clock} — past the hour",
        fr: "⚑ {clock} — l'heure est passée",
    };
    pub team_header = { en: "team", fr: "équipe" };
    pub funnel_header = { en: "funnel", fr: "entonnoir" };
    pub conversion_header = { en: "Conversion", fr: "Conversion" };
    pub seller_header = { en: "seller", fr: "vendeur" };
    pub weakest_mark = { en: "◀ weakest", fr: "◀ plus faible" };
    pub no_stage_history = { en: "no stage history yet", fr: "pas encore d'historique" };
    pub skill_hint(hint: &str) = {
        en: "Skill to develop (hint): {hint}",
        fr: "Compétence à développer (piste) : {hint}",
    };
    pub chosen_skill = { en: "Chosen skill:", fr: "Compétence choisie :" };
    pub s_chooses = { en: "— (s chooses)", fr: "— (s pour choisir)" };
}

// The card walked through.
crate::texts! {
    pub walked_card(position: usize, cards: usize, title: &str) = {
        en: "Card {position}/{cards} · {title}",
        fr: "Carte {position}/{cards} · {title}",
    };
    pub evidence_confirmed_mark = { en: "✓ evidence confirmed", fr: "✓ preuve confirmée" };
    pub evidence_missing = { en: "✗ evidence missing", fr: "✗ preuve manquante" };
    pub checklist_asked(asked: usize, questions: usize) = {
        en: "checklist asked {asked}/{questions}",
        fr: "questions posées {asked}/{questions}",
    };
    pub last_move(from: &str, to: &str, date: impl Display) = {
        en: "last move {from} → {to} {date}",
        fr: "dernier pas {from} → {to} {date}",
    };
    pub verified = { en: "verified", fr: "vérifié" };
    pub unverified_warning = { en: "⚠ unverified", fr: "⚠ non vérifié" };
    pub no_move_yet = { en: "no move yet", fr: "aucun déplacement" };
    pub card_note(note: &str) = { en: "note: {note}", fr: "note : {note}" };
    pub no_open_card = {
        en: "No open card for this seller",
        fr: "Aucune carte ouverte pour ce vendeur",
    };
}

// The meeting's note and action plan.
crate::texts! {
    pub note = { en: "Note:", fr: "Note :" };
    pub m_writes_it = { en: "— (m writes it)", fr: "— (m pour l'écrire)" };
    pub action_plan = {
        en: "Action plan (↻ = from an earlier meeting)",
        fr: "Plan d'action (↻ = d'un entretien précédent)",
    };
    pub key_adds_an_item(key: &str) = {
        en: "  — ({key} adds an item)",
        fr: "  — ({key} pour ajouter une action)",
    };
}
