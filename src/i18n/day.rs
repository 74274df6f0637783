//! The seller's day in words every layer shares: the upkeep flags (as a heading and short)
//! and the kinds of activity, so the agenda, the board, `today` and `show` name them alike.

use crate::domain::{ActivityKind, Flag, Lang};

// The flags: as the agenda's groups, and short in the title bar.
crate::texts! {
    flag_overdue = { en: "Overdue", fr: "En retard" };
    flag_due_today = { en: "Due today", fr: "Pour aujourd'hui" };
    flag_close_passed = { en: "Close date passed", fr: "Date de clôture passée" };
    flag_no_next_step = { en: "No next step", fr: "Sans prochaine étape" };
    flag_over_stage = { en: "Too long in its stage", fr: "Trop longtemps dans l'étape" };
    flag_inactive = { en: "No activity lately", fr: "Sans activité récente" };
    short_overdue = { en: "overdue", fr: "en retard" };
    short_due_today = { en: "today", fr: "aujourd'hui" };
    short_close_passed = { en: "close passed", fr: "clôture passée" };
    short_no_next_step = { en: "no step", fr: "sans étape" };
    short_over_stage = { en: "over stage", fr: "hors délai" };
    short_inactive = { en: "idle", fr: "inactives" };
}

/// A flag as the agenda's group heading.
pub fn flag_name(lang: Lang, flag: Flag) -> &'static str {
    let name = match flag {
        Flag::Overdue => flag_overdue,
        Flag::DueToday => flag_due_today,
        Flag::ClosePassed => flag_close_passed,
        Flag::NoNextStep => flag_no_next_step,
        Flag::OverStage => flag_over_stage,
        Flag::Inactive => flag_inactive,
    };
    name(lang)
}

/// A flag in a word or two, after its count.
pub fn flag_short(lang: Lang, flag: Flag) -> &'static str {
    let name = match flag {
        Flag::Overdue => short_overdue,
        Flag::DueToday => short_due_today,
        Flag::ClosePassed => short_close_passed,
        Flag::NoNextStep => short_no_next_step,
        Flag::OverStage => short_over_stage,
        Flag::Inactive => short_inactive,
    };
    name(lang)
}

crate::texts! {
    kind_call = { en: "call", fr: "appel" };
    kind_meeting = { en: "meeting", fr: "réunion" };
    kind_email = { en: "email", fr: "courriel" };
    kind_note = { en: "note", fr: "note" };
    kind_step_done = { en: "step done", fr: "étape faite" };
}

/// An activity's kind, in a word.
pub fn activity_kind(lang: Lang, kind: ActivityKind) -> &'static str {
    let word = match kind {
        ActivityKind::Call => kind_call,
        ActivityKind::Meeting => kind_meeting,
        ActivityKind::Email => kind_email,
        ActivityKind::Note => kind_note,
        ActivityKind::StepDone => kind_step_done,
    };
    word(lang)
}
