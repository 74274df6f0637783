//! An opportunity (a card on the board) and the records attached to it: stage history,
//! evidence, checklist answers and the people of the buying centre.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::stage::{Stage, UnknownKey};

/// Serialised as its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Won,
    Lost,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Won, Status::Lost];

    pub fn key(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Won => "won",
            Status::Lost => "lost",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Status {
    type Err = UnknownKey;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Exports write the key: found without lowercasing a copy.
        if let Some(status) = Status::ALL.into_iter().find(|status| status.key() == s) {
            return Ok(status);
        }
        let s = s.trim().to_lowercase();
        Status::ALL
            .into_iter()
            .find(|status| status.key() == s)
            .ok_or(UnknownKey::Status(s))
    }
}

/// The fields a user writes; everything else (id, version, timestamps) belongs to the store.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpportunityFields {
    pub title: String,
    pub account: String,
    pub value_cents: i64,
    pub owner: String,
    pub team: String,
    pub region: String,
    pub territory: String,
    pub product: String,
    pub expected_close: Option<NaiveDate>,
    pub next_step: String,
    /// When the next step is due (the board marks it once today has passed it).
    pub next_step_due: Option<NaiveDate>,
    /// The time of day the next step is due, if it has one (meaningful with a due day).
    pub next_step_at: Option<NaiveTime>,
    pub decision_date: Option<NaiveDate>,
    pub budget_cents: Option<i64>,
    pub problem_cost_cents: Option<i64>,
    pub decision_criteria: String,
}

impl OpportunityFields {
    /// The text fields with their column names (cleaning and length checks go through these).
    pub fn texts(&self) -> [(&'static str, &String); 9] {
        [
            ("title", &self.title),
            ("account", &self.account),
            ("owner", &self.owner),
            ("team", &self.team),
            ("region", &self.region),
            ("territory", &self.territory),
            ("product", &self.product),
            ("next_step", &self.next_step),
            ("decision_criteria", &self.decision_criteria),
        ]
    }

    pub fn texts_mut(&mut self) -> [(&'static str, &mut String); 9] {
        [
            ("title", &mut self.title),
            ("account", &mut self.account),
            ("owner", &mut self.owner),
            ("team", &mut self.team),
            ("region", &mut self.region),
            ("territory", &mut self.territory),
            ("product", &mut self.product),
            ("next_step", &mut self.next_step),
            ("decision_criteria", &mut self.decision_criteria),
        ]
    }

    /// The amounts with their column names (`None`: not given).
    pub fn amounts(&self) -> [(&'static str, Option<i64>); 3] {
        [
            ("value_cents", Some(self.value_cents)),
            ("budget_cents", self.budget_cents),
            ("problem_cost_cents", self.problem_cost_cents),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opportunity {
    pub id: String,
    pub funnel_id: String,
    pub fields: OpportunityFields,
    pub stage: Stage,
    pub status: Status,
    pub created: NaiveDate,
    /// Day the card entered its current stage (for days-in-stage and staleness).
    pub stage_since: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub lost_reason: String,
    /// Incremented on every write: a write based on an older version is refused.
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

impl Opportunity {
    /// A new open card in `stage`, created (and in its stage since) `today`, not stored yet.
    pub fn open(
        id: String,
        funnel_id: String,
        fields: OpportunityFields,
        stage: Stage,
        today: NaiveDate,
    ) -> Opportunity {
        Opportunity {
            id,
            funnel_id,
            fields,
            stage,
            status: Status::Open,
            created: today,
            stage_since: today,
            closed: None,
            lost_reason: String::new(),
            version: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        }
    }

    pub fn days_in_stage(&self, today: NaiveDate) -> i64 {
        (today - self.stage_since).num_days().max(0)
    }

    /// The date that decides the period an opportunity counts in: closing date once closed,
    /// else the expected close (none: it counts in the current period).
    pub fn period_date(&self) -> Option<NaiveDate> {
        match self.status {
            Status::Open => self.fields.expected_close,
            Status::Won | Status::Lost => self.closed,
        }
    }
}

/// Two of an opportunity's dates that cannot both be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateConflict {
    /// Won or lost after today (a close is recorded when it happens): refused.
    ClosedAfterToday,
    /// Won or lost before it was created: kept, with a warning (a card is created the day it
    /// is entered, and a deal entered late may well have closed before).
    ClosedBeforeCreated,
    /// A decision date before the card was created: kept, with a warning (likewise).
    DecidedBeforeCreated,
}

impl DateConflict {
    /// Whether the store refuses the change, rather than keeping it with a warning.
    pub fn is_refused(self) -> bool {
        self == DateConflict::ClosedAfterToday
    }
}

impl Opportunity {
    /// Its dates checked against each other and against `today`.
    pub fn date_conflicts(&self, today: NaiveDate) -> Vec<DateConflict> {
        let mut found = Vec::new();
        if let Some(closed) = self.closed {
            if closed > today {
                found.push(DateConflict::ClosedAfterToday);
            }
            if closed < self.created {
                found.push(DateConflict::ClosedBeforeCreated);
            }
        }
        if self.fields.decision_date.is_some_and(|d| d < self.created) {
            found.push(DateConflict::DecidedBeforeCreated);
        }
        found
    }
}

/// What happened to an opportunity, in the append-only history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Moved,
    Won,
    Lost,
    Reopened,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::Created,
        EventKind::Moved,
        EventKind::Won,
        EventKind::Lost,
        EventKind::Reopened,
    ];

    pub fn key(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Moved => "moved",
            EventKind::Won => "won",
            EventKind::Lost => "lost",
            EventKind::Reopened => "reopened",
        }
    }
}

impl FromStr for EventKind {
    type Err = UnknownKey;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|k| k.key() == s)
            .ok_or_else(|| UnknownKey::EventKind(s.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageEvent {
    pub id: String,
    pub at: NaiveDateTime,
    pub kind: EventKind,
    pub from_stage: Option<Stage>,
    pub to_stage: Stage,
    /// False for a forced move out of a stage whose evidence was not confirmed.
    pub evidence_confirmed: bool,
    pub note: String,
    /// Who made it (the card's `updated_by` when it was written, kept as pulled or imported);
    /// none in an event not written yet, which the store then signs with its own actor.
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub stage: Stage,
    pub confirmed_on: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub stage: Stage,
    pub question: usize,
    pub asked: bool,
    pub answer: String,
}

/// Someone in the customer's buying centre.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// Role in the purchase: decision maker, user, technical buyer, sponsor…
    pub role: String,
    /// 0–5.
    pub influence: u8,
    /// 0–5.
    pub authority: u8,
    pub motivations: String,
}
