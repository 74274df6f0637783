//! What a seller did with the customer: a call, a meeting, an email, a note, or a next step
//! marked done. The log is what tells a lead (and the upkeep flags) that a card is being worked,
//! not only moved.

use chrono::{NaiveDate, NaiveTime};
use std::str::FromStr;

use super::stage::UnknownKey;

/// The kind of a logged activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActivityKind {
    Call,
    Meeting,
    Email,
    Note,
    /// The card's next step, marked done (its text is the summary).
    StepDone,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 5] = [
        ActivityKind::Call,
        ActivityKind::Meeting,
        ActivityKind::Email,
        ActivityKind::Note,
        ActivityKind::StepDone,
    ];

    /// What files, the command line and the store call it.
    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Email => "email",
            ActivityKind::Note => "note",
            ActivityKind::StepDone => "done",
        }
    }
}

impl FromStr for ActivityKind {
    type Err = UnknownKey;

    /// The key, or its French word (`appel`, `reunion`, `courriel`, `fait`), any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded = s.trim().to_lowercase();
        let kind = match folded.as_str() {
            "appel" => Some(ActivityKind::Call),
            "reunion" | "réunion" | "rdv" => Some(ActivityKind::Meeting),
            "courriel" | "mail" | "e-mail" => Some(ActivityKind::Email),
            "fait" => Some(ActivityKind::StepDone),
            key => ActivityKind::ALL.into_iter().find(|k| k.key() == key),
        };
        kind.ok_or(UnknownKey::ActivityKind(folded))
    }
}

/// An activity as the user writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub kind: ActivityKind,
    /// The day it happened (or is planned, for a meeting logged ahead).
    pub on: NaiveDate,
    pub at: Option<NaiveTime>,
    /// Who was met or called: a person of the buying centre, or any name typed.
    pub with: String,
    pub summary: String,
}

/// A logged activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: String,
    pub opportunity_id: String,
    pub kind: ActivityKind,
    pub on: NaiveDate,
    pub at: Option<NaiveTime>,
    pub with: String,
    pub summary: String,
    /// Who logged it.
    pub by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_keys_and_french_words() {
        for kind in ActivityKind::ALL {
            assert_eq!(kind.key().parse::<ActivityKind>().unwrap(), kind);
            assert_eq!(
                kind.key().to_uppercase().parse::<ActivityKind>().unwrap(),
                kind
            );
        }
        assert_eq!("Appel".parse::<ActivityKind>().unwrap(), ActivityKind::Call);
        assert_eq!(
            "réunion".parse::<ActivityKind>().unwrap(),
            ActivityKind::Meeting
        );
        assert_eq!(
            "courriel".parse::<ActivityKind>().unwrap(),
            ActivityKind::Email
        );
        assert!("lunch".parse::<ActivityKind>().is_err());
    }
}
