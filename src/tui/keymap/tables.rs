//! The default key tables, as data. Each screen's and overlay's table is composed of parts, so a
//! binding shared by several (the navigation between cards, the periods, help) is written once;
//! `config.toml`'s `[keys.TABLE]` sections change them per table (see [`super::Keymap`]).

use crossterm::event::KeyCode;

use super::{Bind, ch, ctrl, key, shift};
use crate::tui::action::Action;

macro_rules! bind {
    ([$($k:expr),+], $action:ident, $hint_en:expr, $hint_fr:expr, $help_en:expr, $help_fr:expr) => {
        Bind {
            keys: &[$($k),+],
            action: Action::$action,
            hint: [$hint_en, $hint_fr],
            help: [$help_en, $help_fr],
        }
    };
}

/// Between stages and cards: the board and the one-to-one.
const CARD_NAVIGATION: &[Bind] = &[
    bind!(
        [ch('h'), key(KeyCode::Left)],
        FocusLeft,
        "",
        "",
        "previous stage",
        "étape précédente"
    ),
    bind!(
        [ch('l'), key(KeyCode::Right)],
        FocusRight,
        "",
        "",
        "next stage",
        "étape suivante"
    ),
    bind!(
        [ch('k'), key(KeyCode::Up)],
        Up,
        "",
        "",
        "card above",
        "carte au-dessus"
    ),
    bind!(
        [ch('j'), key(KeyCode::Down)],
        Down,
        "",
        "",
        "card below",
        "carte en dessous"
    ),
];

/// Far along a column.
const COLUMN_JUMPS: &[Bind] = &[
    bind!(
        [ch('g'), key(KeyCode::Home)],
        Top,
        "",
        "",
        "top of the column",
        "haut de la colonne"
    ),
    bind!(
        [ch('G'), key(KeyCode::End)],
        Bottom,
        "",
        "",
        "bottom of the column",
        "bas de la colonne"
    ),
    bind!(
        [key(KeyCode::PageUp), ctrl('u')],
        PageUp,
        "",
        "",
        "page up",
        "page précédente"
    ),
    bind!(
        [key(KeyCode::PageDown), ctrl('d')],
        PageDown,
        "",
        "",
        "page down",
        "page suivante"
    ),
];

/// Changes to the selected card.
const CARD_CHANGES: &[Bind] = &[
    bind!(
        [ch('L'), shift(KeyCode::Right)],
        MoveForward,
        "move",
        "avancer",
        "move the card to the next stage (needs its evidence)",
        "avancer la carte d'une étape (preuve requise)"
    ),
    bind!(
        [ch('H'), shift(KeyCode::Left)],
        MoveBack,
        "",
        "",
        "move the card back one stage",
        "reculer la carte d'une étape"
    ),
    bind!(
        [key(KeyCode::Enter)],
        OpenDetail,
        "detail",
        "détail",
        "card detail: evidence, questions, buying centre, history",
        "détail : preuve, questions, centre d'achat, historique"
    ),
    bind!(
        [ch('n')],
        NewCard,
        "new",
        "nouvelle",
        "new opportunity",
        "nouvelle opportunité"
    ),
    bind!(
        [ch('e')],
        EditCard,
        "edit",
        "modifier",
        "edit the card",
        "modifier la carte"
    ),
    bind!(
        [ch('d'), key(KeyCode::Delete)],
        DeleteCard,
        "",
        "",
        "delete the card (asks first)",
        "supprimer la carte (après confirmation)"
    ),
    bind!(
        [ch('w')],
        MarkWon,
        "won",
        "gagnée",
        "mark won",
        "marquer gagnée"
    ),
    bind!(
        [ch('x')],
        MarkLost,
        "lost",
        "perdue",
        "mark lost, with the reason",
        "marquer perdue, avec la raison"
    ),
    bind!(
        [ch('O')],
        Reopen,
        "",
        "",
        "reopen a won or lost card",
        "rouvrir une carte gagnée ou perdue"
    ),
    bind!(
        [ch('u')],
        Undo,
        "undo",
        "annuler",
        "undo the last change to a card (move, edit, won, lost, new, delete)",
        "annuler le dernier changement de carte (étape, champs, gain, perte, ajout, suppression)"
    ),
    bind!([ctrl('r')], Redo, "", "", "redo", "rétablir"),
];

/// What the board shows.
const BOARD_VIEW: &[Bind] = &[
    bind!(
        [ch('/')],
        StartFilter,
        "filter",
        "filtrer",
        "filter by title, account, owner, team or region",
        "filtrer par titre, compte, vendeur, équipe ou région"
    ),
    bind!(
        [ch('o')],
        PickOwner,
        "",
        "",
        "show one seller's cards",
        "n'afficher qu'un vendeur"
    ),
    bind!(
        [key(KeyCode::Esc)],
        ClearFilter,
        "",
        "",
        "clear the filters",
        "effacer les filtres"
    ),
    bind!(
        [ch('c')],
        ToggleClosed,
        "",
        "",
        "show or hide won and lost cards",
        "afficher ou masquer les cartes gagnées et perdues"
    ),
    bind!(
        [ch('t')],
        SetTarget,
        "",
        "",
        "set the period's target (the seller's when one seller is shown)",
        "fixer l'objectif de la période (celui du vendeur affiché)"
    ),
];

/// The period on view, and reading the database again: the board and the dashboard.
const PERIODS: &[Bind] = &[
    bind!(
        [ch('[')],
        PreviousPeriod,
        "",
        "",
        "previous period",
        "période précédente"
    ),
    bind!(
        [ch(']')],
        NextPeriod,
        "",
        "",
        "next period",
        "période suivante"
    ),
    bind!(
        [ch('R'), key(KeyCode::F(5))],
        Reload,
        "",
        "",
        "reload from the database",
        "recharger depuis la base"
    ),
];

/// The team's screens.
const TEAM: &[Bind] = &[
    bind!(
        [ch('S')],
        SyncNow,
        "",
        "",
        "sync with the team's hub now (it also syncs every minute)",
        "synchroniser avec le hub de l'équipe maintenant (aussi chaque minute)"
    ),
    bind!(
        [ch('D')],
        OpenDashboard,
        "dashboard",
        "tableau de bord",
        "dashboard: figures, trend, stage funnel, win rates, stale cards",
        "tableau de bord : chiffres, tendance, entonnoir, taux de réussite, cartes en retard"
    ),
    bind!(
        [ch('C')],
        OpenConflicts,
        "",
        "",
        "sync conflicts: cards changed here and on the hub (choose the version to keep)",
        "conflits de synchro : cartes changées ici et sur le hub (choisir la version gardée)"
    ),
    bind!(
        [ch('M')],
        StartOneToOne,
        "",
        "",
        "one-to-one with a seller (figures, meeting clock, notes, action plan)",
        "entretien individuel avec un vendeur (chiffres, chrono, notes, plan d'action)"
    ),
];

/// Every key of the screen: on each screen.
const HELP_KEY: &[Bind] = &[bind!(
    [ch('?')],
    Help,
    "help",
    "aide",
    "this help",
    "cette aide"
)];

/// Leaving funnel.
const QUIT: &[Bind] = &[bind!([ch('q')], Quit, "quit", "quitter", "quit", "quitter")];

/// The one-to-one's walk through the seller's cards, its notes and action plan.
const WALK: &[Bind] = &[
    bind!(
        [key(KeyCode::Tab)],
        WalkNext,
        "next card",
        "carte suiv.",
        "walk to the seller's next card",
        "passer à la carte suivante du vendeur"
    ),
    bind!(
        [key(KeyCode::BackTab)],
        WalkPrevious,
        "",
        "",
        "walk back to the previous card",
        "revenir à la carte précédente"
    ),
    bind!(
        [key(KeyCode::Enter)],
        OpenDetail,
        "",
        "",
        "card detail of the selected card",
        "détail de la carte choisie"
    ),
    bind!(
        [ch('c')],
        CardNote,
        "card note",
        "note carte",
        "coaching note on the walked card",
        "note de coaching sur la carte parcourue"
    ),
    bind!(
        [ch('m')],
        MeetingNote,
        "note",
        "note",
        "the meeting note",
        "la note de l'entretien"
    ),
    bind!(
        [ch('a')],
        AddActionItem,
        "action",
        "action",
        "add an action item (text, owner, due date)",
        "ajouter une action (texte, responsable, échéance)"
    ),
    bind!(
        [ch('i')],
        NextItem,
        "",
        "",
        "select the next action item",
        "choisir l'action suivante"
    ),
    bind!(
        [ch('I')],
        PreviousItem,
        "",
        "",
        "select the previous action item",
        "choisir l'action précédente"
    ),
    bind!(
        [ch(' ')],
        ToggleItem,
        "done",
        "faite",
        "tick the selected action item done (or open again)",
        "cocher l'action choisie faite (ou la rouvrir)"
    ),
    bind!(
        [ch('s')],
        ChooseSkill,
        "skill",
        "compétence",
        "choose the one skill to develop (the weakest stage is proposed)",
        "choisir la compétence à développer (l'étape la plus faible est proposée)"
    ),
];

/// Ending the one-to-one.
const END_ONE_TO_ONE: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('q')],
    EndOneToOne,
    "end",
    "terminer",
    "end the one-to-one (back to the board)",
    "terminer l'entretien (retour au tableau)"
)];

/// The list of sync conflicts.
const CONFLICT_KEYS: &[Bind] = &[
    bind!(
        [ch('k'), key(KeyCode::Up)],
        Up,
        "",
        "",
        "previous conflict",
        "conflit précédent"
    ),
    bind!(
        [ch('j'), key(KeyCode::Down)],
        Down,
        "",
        "",
        "next conflict",
        "conflit suivant"
    ),
    bind!(
        [ch('m')],
        KeepMine,
        "keep mine",
        "garder le mien",
        "keep this file's version (pushed on the next sync)",
        "garder la version de ce fichier (envoyée à la prochaine synchro)"
    ),
    bind!(
        [ch('t')],
        TakeTheirs,
        "take theirs",
        "prendre le leur",
        "take the hub's version (pushed on the next sync)",
        "prendre la version du hub (envoyée à la prochaine synchro)"
    ),
    bind!(
        [key(KeyCode::Esc), ch('q')],
        Cancel,
        "back",
        "retour",
        "back to the board",
        "retour au tableau"
    ),
];

/// The dashboard's own keys.
const DASHBOARD_KEYS: &[Bind] = &[
    bind!(
        [ch('k'), key(KeyCode::Up)],
        Up,
        "",
        "",
        "previous stale card",
        "carte en retard précédente"
    ),
    bind!(
        [ch('j'), key(KeyCode::Down)],
        Down,
        "",
        "",
        "next stale card",
        "carte en retard suivante"
    ),
    bind!(
        [key(KeyCode::Enter)],
        Accept,
        "go to card",
        "aller à la carte",
        "show the selected stale card on the board",
        "montrer la carte en retard choisie sur le tableau"
    ),
    bind!(
        [ch('g'), key(KeyCode::Tab)],
        CycleGroup,
        "group by",
        "grouper par",
        "win rates by owner, team, region, territory (cycles)",
        "taux de réussite par vendeur, équipe, région, territoire (en boucle)"
    ),
];

/// Back from the dashboard.
const DASHBOARD_BACK: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('q')],
    Cancel,
    "back",
    "retour",
    "back to the board",
    "retour au tableau"
)];

/// The card detail's own keys.
const DETAIL_KEYS: &[Bind] = &[
    bind!(
        [ch('k'), key(KeyCode::Up)],
        Up,
        "",
        "",
        "previous question or person",
        "question ou personne précédente"
    ),
    bind!(
        [ch('j'), key(KeyCode::Down)],
        Down,
        "",
        "",
        "next question or person",
        "question ou personne suivante"
    ),
    bind!(
        [ch(' ')],
        ToggleAsked,
        "asked",
        "posée",
        "mark the question asked or not",
        "marquer la question posée ou non"
    ),
    bind!(
        [ch('a')],
        EditAnswer,
        "answer",
        "réponse",
        "type the customer's answer",
        "saisir la réponse du client"
    ),
    bind!(
        [ch('v')],
        ConfirmCurrentEvidence,
        "evidence",
        "preuve",
        "confirm the current stage's evidence",
        "confirmer la preuve de l'étape"
    ),
    bind!(
        [ch('p')],
        AddPerson,
        "add person",
        "ajouter personne",
        "add someone to the buying centre",
        "ajouter quelqu'un au centre d'achat"
    ),
    bind!(
        [key(KeyCode::Enter)],
        EditSelected,
        "edit",
        "modifier",
        "edit the selected answer or person",
        "modifier la réponse ou la personne choisie"
    ),
    bind!(
        [ch('d'), key(KeyCode::Delete)],
        RemovePerson,
        "",
        "",
        "remove the selected person",
        "retirer la personne choisie"
    ),
    bind!(
        [ch('e')],
        EditCard,
        "",
        "",
        "edit the card's fields",
        "modifier les champs de la carte"
    ),
    bind!(
        [ch('L'), shift(KeyCode::Right)],
        MoveForward,
        "",
        "",
        "move to the next stage",
        "avancer d'une étape"
    ),
    bind!(
        [ch('u')],
        Undo,
        "",
        "",
        "undo the last change to a card, as on the board",
        "annuler le dernier changement de carte, comme sur le tableau"
    ),
    bind!([ctrl('r')], Redo, "", "", "redo", "rétablir"),
];

/// Back from the card detail.
const DETAIL_BACK: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('q')],
    Cancel,
    "back",
    "retour",
    "back to the board",
    "retour au tableau"
)];

/// The question asked when a card leaves a stage without its evidence.
const EVIDENCE_KEYS: &[Bind] = &[
    bind!(
        [ch('c')],
        ConfirmEvidence,
        "confirm evidence",
        "confirmer la preuve",
        "the customer gave the evidence: confirm it (optional note) and move",
        "le client a donné la preuve : la confirmer (note facultative) et avancer"
    ),
    bind!(
        [ch('f')],
        ForceMove,
        "move anyway",
        "avancer quand même",
        "move without evidence (recorded as unverified)",
        "avancer sans preuve (noté comme non vérifié)"
    ),
    bind!(
        [key(KeyCode::Esc)],
        Cancel,
        "cancel",
        "annuler",
        "stay in this stage",
        "rester à cette étape"
    ),
];

/// Yes or no.
const CONFIRM_KEYS: &[Bind] = &[
    bind!(
        [ch('y'), key(KeyCode::Enter)],
        Accept,
        "yes",
        "oui",
        "confirm",
        "confirmer"
    ),
    bind!(
        [ch('n'), key(KeyCode::Esc)],
        Cancel,
        "no",
        "non",
        "cancel",
        "annuler"
    ),
];

/// Accepting a typed text.
const TEXT_ACCEPT: &[Bind] = &[bind!(
    [key(KeyCode::Enter)],
    Accept,
    "ok",
    "ok",
    "accept",
    "valider"
)];

/// Closing a prompt or a list without choosing.
const ESC_CANCEL: &[Bind] = &[bind!(
    [key(KeyCode::Esc)],
    Cancel,
    "cancel",
    "annuler",
    "cancel",
    "annuler"
)];

/// Forms.
const FORM_KEYS: &[Bind] = &[
    bind!(
        [key(KeyCode::Tab), key(KeyCode::Down)],
        NextField,
        "next field",
        "champ suivant",
        "next field",
        "champ suivant"
    ),
    bind!(
        [key(KeyCode::BackTab), key(KeyCode::Up)],
        PreviousField,
        "",
        "",
        "previous field",
        "champ précédent"
    ),
    bind!(
        [key(KeyCode::Enter)],
        Accept,
        "save",
        "enregistrer",
        "save (when every field is valid)",
        "enregistrer (si tous les champs sont valides)"
    ),
    bind!(
        [key(KeyCode::Esc)],
        Cancel,
        "cancel",
        "annuler",
        "cancel without saving",
        "annuler sans enregistrer"
    ),
];

/// Choosing in a list.
const PICKER_KEYS: &[Bind] = &[
    bind!(
        [ch('k'), key(KeyCode::Up)],
        Up,
        "",
        "",
        "previous",
        "précédent"
    ),
    bind!(
        [ch('j'), key(KeyCode::Down)],
        Down,
        "",
        "",
        "next",
        "suivant"
    ),
    bind!(
        [key(KeyCode::Enter)],
        Accept,
        "choose",
        "choisir",
        "choose",
        "choisir"
    ),
];

/// Closing the help.
const HELP_CLOSE: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('?'), ch('q')],
    Cancel,
    "close",
    "fermer",
    "close the help",
    "fermer l'aide"
)];

/// Each table's parts, in the order the help and the hint bar list them.
pub const BOARD: &[&[Bind]] = &[
    CARD_NAVIGATION,
    COLUMN_JUMPS,
    CARD_CHANGES,
    BOARD_VIEW,
    PERIODS,
    TEAM,
    HELP_KEY,
    QUIT,
];
pub const ONE_TO_ONE: &[&[Bind]] = &[CARD_NAVIGATION, WALK, HELP_KEY, END_ONE_TO_ONE];
pub const DETAIL: &[&[Bind]] = &[DETAIL_KEYS, HELP_KEY, DETAIL_BACK];
pub const DASHBOARD: &[&[Bind]] = &[DASHBOARD_KEYS, PERIODS, HELP_KEY, DASHBOARD_BACK];
pub const CONFLICTS: &[&[Bind]] = &[CONFLICT_KEYS];
pub const HELP: &[&[Bind]] = &[HELP_CLOSE];
pub const EVIDENCE: &[&[Bind]] = &[EVIDENCE_KEYS];
pub const CONFIRM: &[&[Bind]] = &[CONFIRM_KEYS];
pub const TEXT: &[&[Bind]] = &[TEXT_ACCEPT, ESC_CANCEL];
pub const FORM: &[&[Bind]] = &[FORM_KEYS];
pub const PICKER: &[&[Bind]] = &[PICKER_KEYS, ESC_CANCEL];
