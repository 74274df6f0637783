//! The key bindings, one table per mode. The same table drives the dispatch, the hint bar at the
//! bottom and the `?` help overlay, so they can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::domain::Lang;

/// A key with its modifiers (shift is part of the character for letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn shift(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::SHIFT,
    }
}

impl Key {
    /// How the key is written in hints and help.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("C-{base}")
        } else if self.mods.contains(KeyModifiers::SHIFT) && !matches!(self.code, KeyCode::Char(_))
        {
            format!("S-{base}")
        } else {
            base
        }
    }

    /// Whether a key event is this key. Shift is ignored for characters (the character already
    /// says it: `L` is shift+l), and for BackTab.
    fn matches(self, event: &KeyEvent) -> bool {
        let mods = match event.code {
            KeyCode::Char(_) | KeyCode::BackTab => event.mods_without_shift(),
            _ => event.modifiers,
        };
        self.code == event.code && self.mods == mods
    }
}

trait WithoutShift {
    fn mods_without_shift(&self) -> KeyModifiers;
}

impl WithoutShift for KeyEvent {
    fn mods_without_shift(&self) -> KeyModifiers {
        self.modifiers - KeyModifiers::SHIFT
    }
}

/// One line of a table: keys, a short label for the hint bar (empty: not in the bar), a
/// description for the help overlay, in English and French.
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub hint: [&'static str; 2],
    pub help: [&'static str; 2],
}

impl Binding {
    pub fn hint(&self, lang: Lang) -> &'static str {
        self.hint[lang_index(lang)]
    }
    pub fn help(&self, lang: Lang) -> &'static str {
        self.help[lang_index(lang)]
    }
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join("/")
    }
}

fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Fr => 1,
    }
}

macro_rules! bind {
    ([$($k:expr),+], $action:ident, $hint_en:expr, $hint_fr:expr, $help_en:expr, $help_fr:expr) => {
        Binding {
            keys: &[$($k),+],
            action: Action::$action,
            hint: [$hint_en, $hint_fr],
            help: [$help_en, $help_fr],
        }
    };
}

pub const BOARD: &[Binding] = &[
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
    bind!([ch('?')], Help, "help", "aide", "this help", "cette aide"),
    bind!([ch('q')], Quit, "quit", "quitter", "quit", "quitter"),
];

/// The one-to-one: the board's navigation, the card walk, notes and the action plan.
pub const ONE_TO_ONE: &[Binding] = &[
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
    bind!([ch('?')], Help, "help", "aide", "this help", "cette aide"),
    bind!(
        [key(KeyCode::Esc), ch('q')],
        EndOneToOne,
        "end",
        "terminer",
        "end the one-to-one (back to the board)",
        "terminer l'entretien (retour au tableau)"
    ),
];

/// The list of sync conflicts.
pub const CONFLICTS: &[Binding] = &[
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

pub const DASHBOARD: &[Binding] = &[
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
    bind!([ch('?')], Help, "help", "aide", "this help", "cette aide"),
    bind!(
        [key(KeyCode::Esc), ch('q')],
        Cancel,
        "back",
        "retour",
        "back to the board",
        "retour au tableau"
    ),
];

pub const EVIDENCE_PROMPT: &[Binding] = &[
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

pub const CONFIRM: &[Binding] = &[
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

/// Dialogs where the user types text (filter, reason, date, note, answer).
pub const TEXT_INPUT: &[Binding] = &[
    bind!(
        [key(KeyCode::Enter)],
        Accept,
        "ok",
        "ok",
        "accept",
        "valider"
    ),
    bind!(
        [key(KeyCode::Esc)],
        Cancel,
        "cancel",
        "annuler",
        "cancel",
        "annuler"
    ),
];

pub const FORM: &[Binding] = &[
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

pub const PICKER: &[Binding] = &[
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
    bind!(
        [key(KeyCode::Esc)],
        Cancel,
        "cancel",
        "annuler",
        "cancel",
        "annuler"
    ),
];

pub const DETAIL: &[Binding] = &[
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
    bind!([ch('?')], Help, "help", "aide", "this help", "cette aide"),
    bind!(
        [key(KeyCode::Esc), ch('q')],
        Cancel,
        "back",
        "retour",
        "back to the board",
        "retour au tableau"
    ),
];

pub const HELP: &[Binding] = &[bind!(
    [key(KeyCode::Esc), ch('?'), ch('q')],
    Cancel,
    "close",
    "fermer",
    "close the help",
    "fermer l'aide"
)];

/// The action a key triggers in a table, if any.
pub fn lookup(table: &[Binding], event: &KeyEvent) -> Option<Action> {
    table
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_a_table() {
        for table in [
            BOARD,
            EVIDENCE_PROMPT,
            CONFIRM,
            TEXT_INPUT,
            FORM,
            PICKER,
            DETAIL,
            DASHBOARD,
            ONE_TO_ONE,
            CONFLICTS,
            HELP,
        ] {
            let keys: Vec<Key> = table.iter().flat_map(|b| b.keys.iter().copied()).collect();
            for (i, a) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(a), "{:?} bound twice", a);
            }
        }
    }

    #[test]
    fn shifted_letters_and_arrows() {
        let event = KeyEvent::new(KeyCode::Char('L'), KeyModifiers::SHIFT);
        assert_eq!(lookup(BOARD, &event), Some(Action::MoveForward));
        let event = KeyEvent::new(KeyCode::Right, KeyModifiers::SHIFT);
        assert_eq!(lookup(BOARD, &event), Some(Action::MoveForward));
        let event = KeyEvent::new(KeyCode::Right, KeyModifiers::NONE);
        assert_eq!(lookup(BOARD, &event), Some(Action::FocusRight));
        let event = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(lookup(BOARD, &event), Some(Action::Redo));
        let event = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(lookup(BOARD, &event), None);
    }
}
