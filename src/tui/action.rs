//! Everything that can happen to the board, as data. A key becomes one of these through the key
//! table of whatever is on top ([`super::keymap`]); a paste, a resize, a click and a background
//! worker's result become one too; and [`Tui::update`](super::Tui::update) is the one path that
//! applies them.

use crossterm::event::KeyEvent;

use super::background::Outcome;
use crate::insight::Insight;

/// An action of the board, its screens and its overlays.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    // Selection
    FocusLeft,
    FocusRight,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    // Changes to the selected card
    MoveForward,
    MoveBack,
    OpenDetail,
    NewCard,
    EditCard,
    DeleteCard,
    MarkWon,
    MarkLost,
    Reopen,
    Undo,
    Redo,
    // View
    StartFilter,
    PickOwner,
    ClearFilter,
    ToggleClosed,
    SetTarget,
    /// The board's columns in the next order (value → expected close → next step → days).
    CycleOrder,
    /// The board's filter: owner, team, region, territory, product, close dates, flags.
    FilterBoard,
    PreviousPeriod,
    NextPeriod,
    Reload,
    /// Sync with the hub now (in the background).
    SyncNow,
    Help,
    Quit,
    // Overlays
    /// Evidence prompt: confirm the evidence now (then a note may be typed).
    ConfirmEvidence,
    /// Evidence prompt: move anyway, recorded as unverified.
    ForceMove,
    /// Confirm a dialog (delete, submit a form or text).
    Accept,
    /// Close a dialog or go back.
    Cancel,
    NextField,
    PreviousField,
    // Card detail
    ToggleAsked,
    EditAnswer,
    AddPerson,
    EditSelected,
    RemovePerson,
    ConfirmCurrentEvidence,
    // Sync conflicts
    OpenConflicts,
    KeepMine,
    TakeTheirs,
    // Dashboard
    OpenDashboard,
    /// Win rates by the next grouping (owner → team → region → territory).
    CycleGroup,
    // One-to-one
    StartOneToOne,
    WalkNext,
    WalkPrevious,
    CardNote,
    MeetingNote,
    AddActionItem,
    NextItem,
    PreviousItem,
    ToggleItem,
    ChooseSkill,
    EndOneToOne,
    /// The one-to-one's walk: the changed cards first, or every open card.
    ToggleWalk,
    /// The list of past meetings of the one-to-one's seller or team.
    PastMeetings,
    /// A one-to-one over a team (the director with its lead).
    StartTeamOneToOne,
    // The review
    /// What changed on the cards of a seller or team since a day.
    OpenChanges,
    /// The changes view: since which day.
    ChangeSince,
    // The seller's day
    /// Set or reschedule the card's next step.
    SetNextStep,
    /// Mark the card's next step done, then ask for the following one.
    NextStepDone,
    /// Log a call, meeting, email or note on the card.
    LogActivity,
    OpenAgenda,
    /// The agenda: the configured seller's cards, or everyone's.
    ToggleMine,
    /// The agenda: close it and select its card on the board.
    ShowOnBoard,
    // What does not come from the key tables
    /// A key no table binds, for the text field being edited.
    Type(KeyEvent),
    /// Text pasted into the terminal.
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// A mouse click (opt-in) at a screen cell.
    Click {
        x: u16,
        y: u16,
    },
    /// The mouse wheel over a screen cell.
    Scroll {
        x: u16,
        y: u16,
        down: bool,
    },
    /// The slower figures computed in the background (see [`super::figures`]).
    FiguresReady(Box<Result<Insight, String>>),
    /// A review of the changes read in the background (see [`super::reviews`]).
    ReviewReady(Box<super::reviews::Reviewed>),
    /// A background sync ended (see [`super::background`]).
    SyncFinished(Outcome),
}
