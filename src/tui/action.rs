//! Everything a user can do on the board, as data: keys map to actions, and every change to
//! the state goes through [`App::update`](super::App::update) with one of these.

/// An action of the board and its dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    PreviousPeriod,
    NextPeriod,
    Reload,
    /// Sync with the hub now (in the background).
    SyncNow,
    /// A background sync ended: apply its result (see `App::sync_finished`).
    SyncFinished,
    /// The background figures arrived (see `App::figures_ready`).
    FiguresReady,
    Help,
    Quit,
    // Dialogs
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
}
