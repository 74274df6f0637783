//! The overlays' words: the help's title and legends, the prompts, the forms, the
//! confirmations and the seller picker.

use std::fmt::Display;

// `?`.
crate::texts! {
    pub help_title = { en: " Keys (Esc closes) ", fr: " Touches (Échap pour fermer) " };
    pub board_legend = {
        en: "Double borders: viable stages, counted in RTV. On cards: 12d = days in stage \
             (! = stale), 3/5 = questions asked, ✓ = evidence confirmed.",
        fr: "Bordures doubles : étapes viables, comptées dans la RTV. Sur les cartes : 12j = \
             jours dans l'étape (! = en retard), 3/5 = questions posées, ✓ = preuve confirmée.",
    };
    pub dashboard_legend = {
        en: "Factor ▼ below, ≈ near (within 10%), ▲ above the required factor. ! marks the \
             weakest stage step and a funnel that depends on a few customers. Stale: days in \
             stage / expected days.",
        fr: "Facteur ▼ en dessous, ≈ proche (à 10 % près), ▲ au-dessus du facteur requis. ! \
             signale l'étape la plus faible et un entonnoir qui dépend de quelques clients. \
             Retard : jours dans l'étape / jours prévus.",
    };
}

// Confirmations and the picker.
crate::texts! {
    pub delete_title = { en: " Delete ", fr: " Supprimer " };
    pub delete_card(title: &str) = { en: "Delete \"{title}\"?", fr: "Supprimer \"{title}\"?" };
    pub key_undoes_it(key: &str) = {
        en: "({key} undoes it afterwards)",
        fr: "({key} l'annule ensuite)",
    };
    pub evidence_title = { en: " Evidence ", fr: " Preuve " };
    pub leaving_needs_evidence(from: &str, to: &str) = {
        en: "{from} → {to}: leaving this stage needs its evidence, not confirmed yet:",
        fr: "{from} → {to}: quitter cette étape demande sa preuve, pas encore confirmée :",
    };
    pub one_to_one_with = { en: " One-to-one with ", fr: " Entretien avec " };
    pub show_one_seller = { en: " Show one seller ", fr: " Afficher un vendeur " };
}

// Prompts: box title, label above the text, and why the text is refused.
crate::texts! {
    pub not_a_date = { en: "Not a date (YYYY-MM-DD)", fr: "Date invalide (AAAA-MM-JJ)" };
    pub lost_needs_reason = {
        en: "A lost card needs a reason",
        fr: "Une carte perdue a besoin d'une raison",
    };
    pub filter_title = { en: " Filter ", fr: " Filtre " };
    pub filter_label = {
        en: "Title, account, owner, team or region contains:",
        fr: "Titre, compte, vendeur, équipe ou région contient :",
    };
    pub lost_title = { en: " Lost ", fr: " Perdue " };
    pub why_lost(title: &str) = {
        en: "Why was it lost \"{title}\":",
        fr: "Pourquoi a-t-elle été perdue \"{title}\":",
    };
    pub won_title = { en: " Won ", fr: " Gagnée " };
    pub won_date(title: &str) = {
        en: "\"{title}\" — closing date (YYYY-MM-DD):",
        fr: "\"{title}\" — date de clôture (AAAA-MM-JJ) :",
    };
    pub evidence_note(evidence: &str) = {
        en: "{evidence} — note (optional):",
        fr: "{evidence} — note (facultative) :",
    };
    pub answer_title = { en: " Answer ", fr: " Réponse " };
    pub answer_label = { en: "The customer's answer:", fr: "La réponse du client :" };
    pub target_title = { en: " Target ", fr: " Objectif " };
    /// `owner`: empty, or ` — ` and the seller.
    pub target_label(period: impl Display, owner: &str, currency: &str) = {
        en: "Sales target for {period}{owner} ({currency}):",
        fr: "Objectif de ventes pour {period}{owner} ({currency}):",
    };
    pub card_note_title = { en: " Card note ", fr: " Note de carte " };
    pub coaching_note_on(title: &str) = {
        en: "Coaching note on \"{title}\":",
        fr: "Note de coaching sur \"{title}\":",
    };
    pub meeting_note_title = { en: " Meeting note ", fr: " Note d'entretien " };
    pub what_was_said = { en: "What was said:", fr: "Ce qui a été dit :" };
    pub skill_title = { en: " Skill to develop ", fr: " Compétence à développer " };
    pub skill_label = {
        en: "The one skill to work on until the next one-to-one:",
        fr: "La compétence à travailler d'ici le prochain entretien :",
    };
    pub action_item_title = { en: " Action item ", fr: " Action " };
    pub item_text_label = { en: "What is to be done:", fr: "Ce qu'il faut faire :" };
    pub item_owner_label = { en: "Who does it:", fr: "Qui s'en charge :" };
    pub item_due_label = {
        en: "Due date (YYYY-MM-DD, empty: none):",
        fr: "Échéance (AAAA-MM-JJ, vide : aucune) :",
    };
}

// Forms: titles, the labels of the fields not in the card detail, and the fields' errors.
crate::texts! {
    pub new_opportunity(stage: &str) = {
        en: " New opportunity — {stage} ",
        fr: " Nouvelle opportunité — {stage} ",
    };
    pub edit_opportunity = { en: " Edit opportunity ", fr: " Modifier l'opportunité " };
    pub person_title = { en: " Buying centre: person ", fr: " Centre d'achat : personne " };
    pub title_required = { en: "Title *", fr: "Titre *" };
    pub value_required = { en: "Value *", fr: "Valeur *" };
    pub name_required = { en: "Name *", fr: "Nom *" };
    pub role = { en: "Role in the purchase", fr: "Rôle dans l'achat" };
    pub influence = { en: "Influence (0-5)", fr: "Influence (0-5)" };
    pub authority = { en: "Authority (0-5)", fr: "Autorité (0-5)" };
    pub motivations = { en: "Motivations", fr: "Motivations" };
    pub fields_to_fix = {
        en: "Some fields need fixing: nothing saved yet",
        fr: "Des champs sont à corriger : rien n'est encore enregistré",
    };
    pub required = { en: "required", fr: "obligatoire" };
    pub not_a_date_field = { en: "not a date (YYYY-MM-DD)", fr: "date invalide (AAAA-MM-JJ)" };
    pub zero_to_five = { en: "a number from 0 to 5", fr: "un nombre de 0 à 5" };
}
