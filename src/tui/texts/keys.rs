//! The key tables' words: the short hints of the bottom bar and the lines of the `?` help.

// Hints: a word or two, for the bar under every screen.
crate::texts! {
    pub move_hint = { en: "move", fr: "avancer" };
    pub detail_hint = { en: "detail", fr: "détail" };
    pub new_hint = { en: "new", fr: "nouvelle" };
    pub edit_hint = { en: "edit", fr: "modifier" };
    pub won_hint = { en: "won", fr: "gagnée" };
    pub lost_hint = { en: "lost", fr: "perdue" };
    pub undo_hint = { en: "undo", fr: "annuler" };
    pub filter_hint = { en: "filter", fr: "filtrer" };
    pub dashboard_hint = { en: "dashboard", fr: "tableau de bord" };
    pub help_hint = { en: "help", fr: "aide" };
    pub quit = { en: "quit", fr: "quitter" };
    pub next_card_hint = { en: "next card", fr: "carte suiv." };
    pub card_note_hint = { en: "card note", fr: "note carte" };
    pub note_hint = { en: "note", fr: "note" };
    pub action_hint = { en: "action", fr: "action" };
    pub done_hint = { en: "done", fr: "faite" };
    pub skill_hint = { en: "skill", fr: "compétence" };
    pub end_hint = { en: "end", fr: "terminer" };
    pub keep_mine_hint = { en: "keep mine", fr: "garder le mien" };
    pub take_theirs_hint = { en: "take theirs", fr: "prendre le leur" };
    pub back_hint = { en: "back", fr: "retour" };
    pub go_to_card_hint = { en: "go to card", fr: "aller à la carte" };
    pub group_by_hint = { en: "group by", fr: "grouper par" };
    pub asked_hint = { en: "asked", fr: "posée" };
    pub answer_hint = { en: "answer", fr: "réponse" };
    pub evidence_hint = { en: "evidence", fr: "preuve" };
    pub add_person_hint = { en: "add person", fr: "ajouter personne" };
    pub confirm_evidence_hint = { en: "confirm evidence", fr: "confirmer la preuve" };
    pub move_anyway_hint = { en: "move anyway", fr: "avancer quand même" };
    pub cancel = { en: "cancel", fr: "annuler" };
    pub yes_hint = { en: "yes", fr: "oui" };
    pub no_hint = { en: "no", fr: "non" };
    pub ok_hint = { en: "ok", fr: "ok" };
    pub next_field = { en: "next field", fr: "champ suivant" };
    pub save_hint = { en: "save", fr: "enregistrer" };
    pub choose = { en: "choose", fr: "choisir" };
    pub since_hint = { en: "since…", fr: "depuis…" };
    pub close_hint = { en: "close", fr: "fermer" };
}

// Help: what each key does.
crate::texts! {
    pub previous_stage = { en: "previous stage", fr: "étape précédente" };
    pub next_stage = { en: "next stage", fr: "étape suivante" };
    pub card_above = { en: "card above", fr: "carte au-dessus" };
    pub card_below = { en: "card below", fr: "carte en dessous" };
    pub top_of_column = { en: "top of the column", fr: "haut de la colonne" };
    pub bottom_of_column = { en: "bottom of the column", fr: "bas de la colonne" };
    pub page_up = { en: "page up", fr: "page précédente" };
    pub page_down = { en: "page down", fr: "page suivante" };
    pub move_forward = {
        en: "move the card to the next stage (needs its evidence)",
        fr: "avancer la carte d'une étape (preuve requise)",
    };
    pub move_back = { en: "move the card back one stage", fr: "reculer la carte d'une étape" };
    pub open_detail = {
        en: "card detail: evidence, questions, buying centre, history",
        fr: "détail : preuve, questions, centre d'achat, historique",
    };
    pub new_card = { en: "new opportunity", fr: "nouvelle opportunité" };
    pub edit_card = { en: "edit the card", fr: "modifier la carte" };
    pub delete_card = {
        en: "delete the card (asks first)",
        fr: "supprimer la carte (après confirmation)",
    };
    pub mark_won = { en: "mark won", fr: "marquer gagnée" };
    pub mark_lost = { en: "mark lost, with the reason", fr: "marquer perdue, avec la raison" };
    pub reopen = { en: "reopen a won or lost card", fr: "rouvrir une carte gagnée ou perdue" };
    pub undo = {
        en: "undo the last change to a card (move, edit, won, lost, new, delete)",
        fr: "annuler le dernier changement de carte (étape, champs, gain, perte, ajout, \
             suppression)",
    };
    pub redo = { en: "redo", fr: "rétablir" };
    pub start_filter = {
        en: "filter by title, account, owner, team or region",
        fr: "filtrer par titre, compte, vendeur, équipe ou région",
    };
    pub pick_owner = { en: "show one seller's cards", fr: "n'afficher qu'un vendeur" };
    pub clear_filter = { en: "clear the filters", fr: "effacer les filtres" };
    pub toggle_closed = {
        en: "show or hide won and lost cards",
        fr: "afficher ou masquer les cartes gagnées et perdues",
    };
    pub set_target = {
        en: "set the period's target (the seller's when one seller is shown)",
        fr: "fixer l'objectif de la période (celui du vendeur affiché)",
    };
    pub previous_period = { en: "previous period", fr: "période précédente" };
    pub next_period = { en: "next period", fr: "période suivante" };
    pub reload = { en: "reload from the database", fr: "recharger depuis la base" };
    pub sync_now = {
        en: "sync with the team's hub now (it also syncs every minute)",
        fr: "synchroniser avec le hub de l'équipe maintenant (aussi chaque minute)",
    };
    pub open_dashboard = {
        en: "dashboard: figures, trend, stage funnel, win rates, stale cards",
        fr: "tableau de bord : chiffres, tendance, entonnoir, taux de réussite, cartes en retard",
    };
    pub open_conflicts = {
        en: "sync conflicts: cards changed here and on the hub (choose the version to keep)",
        fr: "conflits de synchro : cartes changées ici et sur le hub (choisir la version gardée)",
    };
    pub start_one_to_one = {
        en: "one-to-one with a seller (figures, meeting clock, notes, action plan)",
        fr: "entretien individuel avec un vendeur (chiffres, chrono, notes, plan d'action)",
    };
    pub help = { en: "this help", fr: "cette aide" };
    pub walk_next = {
        en: "walk to the seller's next card",
        fr: "passer à la carte suivante du vendeur",
    };
    pub walk_previous = {
        en: "walk back to the previous card",
        fr: "revenir à la carte précédente",
    };
    pub open_walked = { en: "card detail of the selected card", fr: "détail de la carte choisie" };
    pub card_note = {
        en: "coaching note on the walked card",
        fr: "note de coaching sur la carte parcourue",
    };
    pub meeting_note = { en: "the meeting note", fr: "la note de l'entretien" };
    pub add_action_item = {
        en: "add an action item (text, owner, due date)",
        fr: "ajouter une action (texte, responsable, échéance)",
    };
    pub next_item = { en: "select the next action item", fr: "choisir l'action suivante" };
    pub previous_item = {
        en: "select the previous action item",
        fr: "choisir l'action précédente",
    };
    pub toggle_item = {
        en: "tick the selected action item done (or open again)",
        fr: "cocher l'action choisie faite (ou la rouvrir)",
    };
    pub choose_skill = {
        en: "choose the one skill to develop (the weakest stage is proposed)",
        fr: "choisir la compétence à développer (l'étape la plus faible est proposée)",
    };
    pub end_one_to_one = {
        en: "end the one-to-one (back to the board)",
        fr: "terminer l'entretien (retour au tableau)",
    };
    pub previous_conflict = { en: "previous conflict", fr: "conflit précédent" };
    pub next_conflict = { en: "next conflict", fr: "conflit suivant" };
    pub keep_mine = {
        en: "keep this file's version (pushed on the next sync)",
        fr: "garder la version de ce fichier (envoyée à la prochaine synchro)",
    };
    pub take_theirs = {
        en: "take the hub's version (pushed on the next sync)",
        fr: "prendre la version du hub (envoyée à la prochaine synchro)",
    };
    pub back_to_board = { en: "back to the board", fr: "retour au tableau" };
    pub previous_stale = { en: "previous stale card", fr: "carte en retard précédente" };
    pub next_stale = { en: "next stale card", fr: "carte en retard suivante" };
    pub go_to_stale = {
        en: "show the selected stale card on the board",
        fr: "montrer la carte en retard choisie sur le tableau",
    };
    pub cycle_group = {
        en: "win rates by owner, team, region, territory (cycles)",
        fr: "taux de réussite par vendeur, équipe, région, territoire (en boucle)",
    };
    pub previous_line = {
        en: "previous question or person",
        fr: "question ou personne précédente",
    };
    pub next_line = { en: "next question or person", fr: "question ou personne suivante" };
    pub toggle_asked = {
        en: "mark the question asked or not",
        fr: "marquer la question posée ou non",
    };
    pub edit_answer = { en: "type the customer's answer", fr: "saisir la réponse du client" };
    pub confirm_current_evidence = {
        en: "confirm the current stage's evidence",
        fr: "confirmer la preuve de l'étape",
    };
    pub add_person = {
        en: "add someone to the buying centre",
        fr: "ajouter quelqu'un au centre d'achat",
    };
    pub edit_selected = {
        en: "edit the selected answer or person",
        fr: "modifier la réponse ou la personne choisie",
    };
    pub remove_person = { en: "remove the selected person", fr: "retirer la personne choisie" };
    pub edit_fields = { en: "edit the card's fields", fr: "modifier les champs de la carte" };
    pub move_to_next = { en: "move to the next stage", fr: "avancer d'une étape" };
    pub undo_here = {
        en: "undo the last change to a card, as on the board",
        fr: "annuler le dernier changement de carte, comme sur le tableau",
    };
    pub confirm_evidence = {
        en: "the customer gave the evidence: confirm it (optional note) and move",
        fr: "le client a donné la preuve : la confirmer (note facultative) et avancer",
    };
    pub force_move = {
        en: "move without evidence (recorded as unverified)",
        fr: "avancer sans preuve (noté comme non vérifié)",
    };
    pub stay = { en: "stay in this stage", fr: "rester à cette étape" };
    pub confirm = { en: "confirm", fr: "confirmer" };
    pub accept = { en: "accept", fr: "valider" };
    pub previous_field = { en: "previous field", fr: "champ précédent" };
    pub save = {
        en: "save (when every field is valid)",
        fr: "enregistrer (si tous les champs sont valides)",
    };
    pub cancel_form = { en: "cancel without saving", fr: "annuler sans enregistrer" };
    pub previous = { en: "previous", fr: "précédent" };
    pub next = { en: "next", fr: "suivant" };
    pub close_help = { en: "close the help", fr: "fermer l'aide" };
}

// The board's order and filter.
crate::texts! {
    pub cycle_order = {
        en: "sort the columns by value, expected close, next step or days in stage",
        fr: "trier les colonnes par valeur, clôture prévue, prochaine étape ou jours dans l'étape",
    };
    pub filter_board = {
        en: "filter by owner, team, region, territory, product, close dates, flags",
        fr: "filtrer par vendeur, équipe, région, territoire, produit, dates de clôture, signaux",
    };
}

// The card detail's timeline.
crate::texts! {
    pub timeline_older = { en: "timeline: older entries", fr: "chronologie : plus anciennes" };
    pub timeline_newer = { en: "timeline: newer entries", fr: "chronologie : plus récentes" };
}

// The seller's day: the board's keys for the next step, activities and the agenda, the
// agenda's own, and the next step and activity forms'.
crate::texts! {
    pub next_step_hint = { en: "step", fr: "étape" };
    pub step_done_hint = { en: "done", fr: "fait" };
    pub log_hint = { en: "log", fr: "noter" };
    pub agenda_hint = { en: "agenda", fr: "agenda" };
    pub reschedule_hint = { en: "reschedule", fr: "replanifier" };
    pub on_board_hint = { en: "on board", fr: "sur le tableau" };
    pub mine_hint = { en: "mine/all", fr: "les miennes/toutes" };
    pub change_hint = { en: "change", fr: "changer" };
    pub set_next_step = {
        en: "set or reschedule the card's next step (tomorrow, +3d, monday 14:00…)",
        fr: "fixer ou replanifier la prochaine étape (demain, +3j, lundi 14h…)",
    };
    pub next_step_done = {
        en: "next step done: log it, then set the following one",
        fr: "prochaine étape faite : la noter, puis fixer la suivante",
    };
    pub log_activity = {
        en: "log a call, meeting, email or note on the card",
        fr: "noter un appel, une réunion, un courriel ou une note sur la carte",
    };
    pub open_agenda = {
        en: "agenda: the cards that need you today",
        fr: "agenda : les cartes qui ont besoin de vous aujourd'hui",
    };
    pub line_above = { en: "line above", fr: "ligne au-dessus" };
    pub line_below = { en: "line below", fr: "ligne en dessous" };
    pub first_line = { en: "first line", fr: "première ligne" };
    pub last_line = { en: "last line", fr: "dernière ligne" };
    pub reschedule = {
        en: "reschedule the line's next step",
        fr: "replanifier la prochaine étape de la ligne",
    };
    pub open_line_detail = { en: "the card's detail", fr: "le détail de la carte" };
    pub show_on_board = {
        en: "back to the board, on this card",
        fr: "retour au tableau, sur cette carte",
    };
    pub toggle_mine = {
        en: "your cards or everyone's",
        fr: "vos cartes ou celles de tous",
    };
    pub next_choice = {
        en: "next choice (kind, person), or a day later",
        fr: "choix suivant (type, personne), ou un jour plus tard",
    };
    pub previous_choice = {
        en: "previous choice, or a day earlier",
        fr: "choix précédent, ou un jour plus tôt",
    };
    pub start_team_one_to_one = {
        en: "one-to-one with a team's lead (teams compared, sellers, changes)",
        fr: "entretien avec le responsable d'une équipe (équipes, vendeurs, changements)",
    };
    pub open_changes = {
        en: "what changed since the last one-to-one, for the seller or team shown",
        fr: "ce qui a changé depuis le dernier entretien, du vendeur ou de l'équipe affichés",
    };
    pub toggle_walk = {
        en: "walk the changed cards, or every open card",
        fr: "parcourir les cartes changées, ou toutes les cartes ouvertes",
    };
    pub past_meetings = {
        en: "past meetings (day, skill, items done and open)",
        fr: "entretiens passés (jour, compétence, actions faites et ouvertes)",
    };
    pub changes_of_meeting = {
        en: "every change since the previous meeting, in full",
        fr: "tous les changements depuis l'entretien précédent, en entier",
    };
    pub previous_change = { en: "previous changed card", fr: "carte changée précédente" };
    pub next_change = { en: "next changed card", fr: "carte changée suivante" };
    pub change_since = {
        en: "changes since another day (empty: the previous meeting)",
        fr: "les changements depuis un autre jour (vide : l'entretien précédent)",
    };
    pub close_meetings = { en: "close the list", fr: "fermer la liste" };
}
