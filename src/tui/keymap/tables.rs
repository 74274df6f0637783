//! The default key tables, as data. Each screen's and overlay's table is composed of parts, so a
//! binding shared by several (the navigation between cards, the periods, help) is written once;
//! `config.toml`'s `[keys.TABLE]` sections change them per table (see [`super::Keymap`]).

use crossterm::event::KeyCode;

use super::{Bind, ch, ctrl, key, shift};
use crate::tui::action::Action;
use crate::tui::texts::keys;

/// `bind!([keys], Action, help)`, or `bind!([keys], Action, hint, help)` for a binding shown in
/// the hint bar; `hint` and `help` name messages of [`keys`].
macro_rules! bind {
    ([$($k:expr),+], $action:ident, $help:ident) => {
        Bind {
            keys: &[$($k),+],
            action: Action::$action,
            hint: None,
            help: keys::$help,
        }
    };
    ([$($k:expr),+], $action:ident, $hint:ident, $help:ident) => {
        Bind {
            keys: &[$($k),+],
            action: Action::$action,
            hint: Some(keys::$hint),
            help: keys::$help,
        }
    };
}

/// Between stages and cards: the board and the one-to-one.
const CARD_NAVIGATION: &[Bind] = &[
    bind!([ch('h'), key(KeyCode::Left)], FocusLeft, previous_stage),
    bind!([ch('l'), key(KeyCode::Right)], FocusRight, next_stage),
    bind!([ch('k'), key(KeyCode::Up)], Up, card_above),
    bind!([ch('j'), key(KeyCode::Down)], Down, card_below),
];

/// Far along a column.
const COLUMN_JUMPS: &[Bind] = &[
    bind!([ch('g'), key(KeyCode::Home)], Top, top_of_column),
    bind!([ch('G'), key(KeyCode::End)], Bottom, bottom_of_column),
    bind!([key(KeyCode::PageUp), ctrl('u')], PageUp, page_up),
    bind!([key(KeyCode::PageDown), ctrl('d')], PageDown, page_down),
];

/// Changes to the selected card.
const CARD_CHANGES: &[Bind] = &[
    bind!(
        [ch('L'), shift(KeyCode::Right)],
        MoveForward,
        move_hint,
        move_forward
    ),
    bind!([ch('H'), shift(KeyCode::Left)], MoveBack, move_back),
    bind!([key(KeyCode::Enter)], OpenDetail, detail_hint, open_detail),
    bind!([ch('n')], NewCard, new_hint, new_card),
    bind!([ch('e')], EditCard, edit_hint, edit_card),
    bind!([ch('d'), key(KeyCode::Delete)], DeleteCard, delete_card),
    bind!([ch('w')], MarkWon, won_hint, mark_won),
    bind!([ch('x')], MarkLost, lost_hint, mark_lost),
    bind!([ch('O')], Reopen, reopen),
    bind!([ch('u')], Undo, undo_hint, undo),
    bind!([ctrl('r')], Redo, redo),
];

/// The seller's day on the selected card: its next step, its activities, and the agenda.
const DAY_KEYS: &[Bind] = &[
    bind!([ch('A')], OpenAgenda, agenda_hint, open_agenda),
    bind!([ch('N')], SetNextStep, next_step_hint, set_next_step),
    bind!([ch(' ')], NextStepDone, next_step_done),
    bind!([ch('i')], LogActivity, log_activity),
];

/// What the board shows.
const BOARD_VIEW: &[Bind] = &[
    bind!([ch('/')], StartFilter, filter_hint, start_filter),
    bind!([ch('o')], PickOwner, pick_owner),
    bind!([key(KeyCode::Esc)], ClearFilter, clear_filter),
    bind!([ch('c')], ToggleClosed, toggle_closed),
    bind!([ch('t')], SetTarget, set_target),
];

/// The board's order and its filter (remembered per funnel).
const BOARD_ORDER: &[Bind] = &[
    bind!([ch('s')], CycleOrder, cycle_order),
    bind!([ch('F')], FilterBoard, filter_board),
];

/// The period on view, and reading the database again: the board and the dashboard.
const PERIODS: &[Bind] = &[
    bind!([ch('[')], PreviousPeriod, previous_period),
    bind!([ch(']')], NextPeriod, next_period),
    bind!([ch('R'), key(KeyCode::F(5))], Reload, reload),
];

/// The team's screens.
const TEAM: &[Bind] = &[
    bind!([ch('S')], SyncNow, sync_now),
    bind!([ch('D')], OpenDashboard, dashboard_hint, open_dashboard),
    bind!([ch('C')], OpenConflicts, open_conflicts),
    bind!([ch('M')], StartOneToOne, start_one_to_one),
    bind!([ch('E')], StartTeamOneToOne, start_team_one_to_one),
    bind!([ch('W')], OpenChanges, open_changes),
];

/// Every key of the screen: on each screen.
const HELP_KEY: &[Bind] = &[bind!([ch('?')], Help, help_hint, help)];

/// Leaving funnel.
const QUIT: &[Bind] = &[bind!([ch('q')], Quit, quit, quit)];

/// The one-to-one's walk through the seller's cards.
const WALK: &[Bind] = &[
    bind!([key(KeyCode::Tab)], WalkNext, next_card_hint, walk_next),
    bind!([key(KeyCode::BackTab)], WalkPrevious, walk_previous),
    bind!([key(KeyCode::Enter)], OpenDetail, open_walked),
    bind!([ch('w')], ToggleWalk, toggle_walk),
    bind!([ch('c')], CardNote, card_note_hint, card_note),
];

/// A meeting's note, action plan and skill, and what the meeting looks back on: the seller's
/// and the team's one-to-one.
const MEETING: &[Bind] = &[
    bind!([ch('m')], MeetingNote, note_hint, meeting_note),
    bind!([ch('a')], AddActionItem, action_hint, add_action_item),
    bind!([ch('i')], NextItem, next_item),
    bind!([ch('I')], PreviousItem, previous_item),
    bind!([ch(' ')], ToggleItem, done_hint, toggle_item),
    bind!([ch('s')], ChooseSkill, skill_hint, choose_skill),
    bind!([ch('P')], PastMeetings, past_meetings),
    bind!([ch('W')], OpenChanges, changes_of_meeting),
];

/// The team one-to-one's walk through the changes since the last meeting with the lead.
const TEAM_WALK: &[Bind] = &[
    bind!([ch('k'), key(KeyCode::Up)], Up, previous_change),
    bind!([ch('j'), key(KeyCode::Down)], Down, next_change),
    bind!([key(KeyCode::Tab)], WalkNext, next_card_hint, next_change),
    bind!([key(KeyCode::BackTab)], WalkPrevious, previous_change),
    bind!([key(KeyCode::Enter)], OpenDetail, open_line_detail),
];

/// The changes view's lines.
const CHANGES_KEYS: &[Bind] = &[
    bind!([ch('k'), key(KeyCode::Up)], Up, line_above),
    bind!([ch('j'), key(KeyCode::Down)], Down, line_below),
    bind!([ch('g'), key(KeyCode::Home)], Top, first_line),
    bind!([ch('G'), key(KeyCode::End)], Bottom, last_line),
    bind!([key(KeyCode::PageUp), ctrl('u')], PageUp, page_up),
    bind!([key(KeyCode::PageDown), ctrl('d')], PageDown, page_down),
    bind!(
        [key(KeyCode::Enter)],
        OpenDetail,
        detail_hint,
        open_line_detail
    ),
    bind!([ch('s')], ChangeSince, since_hint, change_since),
];

/// The past meetings' list.
const MEETINGS_KEYS: &[Bind] = &[
    bind!([ch('k'), key(KeyCode::Up)], Up, line_above),
    bind!([ch('j'), key(KeyCode::Down)], Down, line_below),
    bind!(
        [key(KeyCode::Esc), ch('q'), ch('P')],
        Cancel,
        close_hint,
        close_meetings
    ),
];

/// Ending the one-to-one.
const END_ONE_TO_ONE: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('q')],
    EndOneToOne,
    end_hint,
    end_one_to_one
)];

/// The list of sync conflicts.
const CONFLICT_KEYS: &[Bind] = &[
    bind!([ch('k'), key(KeyCode::Up)], Up, previous_conflict),
    bind!([ch('j'), key(KeyCode::Down)], Down, next_conflict),
    bind!([ch('m')], KeepMine, keep_mine_hint, keep_mine),
    bind!([ch('t')], TakeTheirs, take_theirs_hint, take_theirs),
    bind!(
        [key(KeyCode::Esc), ch('q')],
        Cancel,
        back_hint,
        back_to_board
    ),
];

/// The dashboard's own keys.
const DASHBOARD_KEYS: &[Bind] = &[
    bind!([ch('k'), key(KeyCode::Up)], Up, previous_stale),
    bind!([ch('j'), key(KeyCode::Down)], Down, next_stale),
    bind!([key(KeyCode::Enter)], Accept, go_to_card_hint, go_to_stale),
    bind!(
        [ch('g'), key(KeyCode::Tab)],
        CycleGroup,
        group_by_hint,
        cycle_group
    ),
];

/// Back from the dashboard.
const DASHBOARD_BACK: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('q')],
    Cancel,
    back_hint,
    back_to_board
)];

/// The card detail's own keys.
const DETAIL_KEYS: &[Bind] = &[
    bind!([ch('k'), key(KeyCode::Up)], Up, previous_line),
    bind!([ch('j'), key(KeyCode::Down)], Down, next_line),
    bind!([ch(' ')], ToggleAsked, asked_hint, toggle_asked),
    bind!([ch('a')], EditAnswer, answer_hint, edit_answer),
    bind!(
        [ch('v')],
        ConfirmCurrentEvidence,
        evidence_hint,
        confirm_current_evidence
    ),
    bind!([ch('p')], AddPerson, add_person_hint, add_person),
    bind!(
        [key(KeyCode::Enter)],
        EditSelected,
        edit_hint,
        edit_selected
    ),
    bind!([ch('d'), key(KeyCode::Delete)], RemovePerson, remove_person),
    bind!([ch('e')], EditCard, edit_fields),
    bind!([ch('N')], SetNextStep, set_next_step),
    bind!([ch('x')], NextStepDone, next_step_done),
    bind!([ch('i')], LogActivity, log_activity),
    bind!([ch('L'), shift(KeyCode::Right)], MoveForward, move_to_next),
    bind!([ch('u')], Undo, undo_here),
    bind!([ctrl('r')], Redo, redo),
];

/// Scrolling the card's timeline.
const DETAIL_TIMELINE: &[Bind] = &[
    bind!(
        [key(KeyCode::PageDown), ctrl('d')],
        PageDown,
        timeline_older
    ),
    bind!([key(KeyCode::PageUp), ctrl('u')], PageUp, timeline_newer),
];

/// Back from the card detail.
const DETAIL_BACK: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('q')],
    Cancel,
    back_hint,
    back_to_board
)];

/// The agenda's lines, and what is done from one.
const AGENDA_KEYS: &[Bind] = &[
    bind!([ch('k'), key(KeyCode::Up)], Up, line_above),
    bind!([ch('j'), key(KeyCode::Down)], Down, line_below),
    bind!([ch('g'), key(KeyCode::Home)], Top, first_line),
    bind!([ch('G'), key(KeyCode::End)], Bottom, last_line),
    bind!([key(KeyCode::PageUp), ctrl('u')], PageUp, page_up),
    bind!([key(KeyCode::PageDown), ctrl('d')], PageDown, page_down),
    bind!([ch(' ')], NextStepDone, step_done_hint, next_step_done),
    bind!([ch('N')], SetNextStep, reschedule_hint, reschedule),
    bind!([ch('i')], LogActivity, log_hint, log_activity),
    bind!(
        [key(KeyCode::Enter)],
        OpenDetail,
        detail_hint,
        open_line_detail
    ),
    bind!([ch('b')], ShowOnBoard, on_board_hint, show_on_board),
    bind!([ch('m')], ToggleMine, mine_hint, toggle_mine),
    bind!([ch('u')], Undo, undo_here),
    bind!([ctrl('r')], Redo, redo),
    bind!([ch('R'), key(KeyCode::F(5))], Reload, reload),
];

/// Back from the agenda.
const AGENDA_BACK: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('q')],
    Cancel,
    back_hint,
    back_to_board
)];

/// The next step and activity forms: fields to type in and fields to choose in.
const ENTRY_KEYS: &[Bind] = &[
    bind!([key(KeyCode::Tab)], NextField, next_field, next_field),
    bind!([key(KeyCode::BackTab)], PreviousField, previous_field),
    bind!([key(KeyCode::Down)], Down, change_hint, next_choice),
    bind!([key(KeyCode::Up)], Up, previous_choice),
    bind!([key(KeyCode::Enter)], Accept, save_hint, save),
    bind!([key(KeyCode::Esc)], Cancel, cancel, cancel_form),
];

/// The question asked when a card leaves a stage without its evidence.
const EVIDENCE_KEYS: &[Bind] = &[
    bind!(
        [ch('c')],
        ConfirmEvidence,
        confirm_evidence_hint,
        confirm_evidence
    ),
    bind!([ch('f')], ForceMove, move_anyway_hint, force_move),
    bind!([key(KeyCode::Esc)], Cancel, cancel, stay),
];

/// Yes or no.
const CONFIRM_KEYS: &[Bind] = &[
    bind!([ch('y'), key(KeyCode::Enter)], Accept, yes_hint, confirm),
    bind!([ch('n'), key(KeyCode::Esc)], Cancel, no_hint, cancel),
];

/// Accepting a typed text.
const TEXT_ACCEPT: &[Bind] = &[bind!([key(KeyCode::Enter)], Accept, ok_hint, accept)];

/// Closing a prompt or a list without choosing.
const ESC_CANCEL: &[Bind] = &[bind!([key(KeyCode::Esc)], Cancel, cancel, cancel)];

/// Forms.
const FORM_KEYS: &[Bind] = &[
    bind!(
        [key(KeyCode::Tab), key(KeyCode::Down)],
        NextField,
        next_field,
        next_field
    ),
    bind!(
        [key(KeyCode::BackTab), key(KeyCode::Up)],
        PreviousField,
        previous_field
    ),
    bind!([key(KeyCode::Enter)], Accept, save_hint, save),
    bind!([key(KeyCode::Esc)], Cancel, cancel, cancel_form),
];

/// Choosing in a list.
const PICKER_KEYS: &[Bind] = &[
    bind!([ch('k'), key(KeyCode::Up)], Up, previous),
    bind!([ch('j'), key(KeyCode::Down)], Down, next),
    bind!([key(KeyCode::Enter)], Accept, choose, choose),
];

/// Closing the help.
const HELP_CLOSE: &[Bind] = &[bind!(
    [key(KeyCode::Esc), ch('?'), ch('q')],
    Cancel,
    close_hint,
    close_help
)];

/// Each table's parts, in the order the help and the hint bar list them.
pub const BOARD: &[&[Bind]] = &[
    CARD_NAVIGATION,
    COLUMN_JUMPS,
    CARD_CHANGES,
    DAY_KEYS,
    BOARD_VIEW,
    BOARD_ORDER,
    PERIODS,
    TEAM,
    HELP_KEY,
    QUIT,
];
pub const ONE_TO_ONE: &[&[Bind]] = &[CARD_NAVIGATION, WALK, MEETING, HELP_KEY, END_ONE_TO_ONE];
pub const TEAM_ONE_TO_ONE: &[&[Bind]] = &[TEAM_WALK, MEETING, HELP_KEY, END_ONE_TO_ONE];
pub const CHANGES: &[&[Bind]] = &[CHANGES_KEYS, HELP_KEY, DETAIL_BACK];
pub const MEETINGS: &[&[Bind]] = &[MEETINGS_KEYS];
pub const DETAIL: &[&[Bind]] = &[DETAIL_KEYS, DETAIL_TIMELINE, HELP_KEY, DETAIL_BACK];
pub const DASHBOARD: &[&[Bind]] = &[DASHBOARD_KEYS, PERIODS, HELP_KEY, DASHBOARD_BACK];
pub const AGENDA: &[&[Bind]] = &[AGENDA_KEYS, HELP_KEY, AGENDA_BACK];
pub const ENTRY: &[&[Bind]] = &[ENTRY_KEYS];
pub const CONFLICTS: &[&[Bind]] = &[CONFLICT_KEYS];
pub const HELP: &[&[Bind]] = &[HELP_CLOSE];
pub const EVIDENCE: &[&[Bind]] = &[EVIDENCE_KEYS];
pub const CONFIRM: &[&[Bind]] = &[CONFIRM_KEYS];
pub const TEXT: &[&[Bind]] = &[TEXT_ACCEPT, ESC_CANCEL];
pub const FORM: &[&[Bind]] = &[FORM_KEYS];
pub const PICKER: &[&[Bind]] = &[PICKER_KEYS, ESC_CANCEL];
