//! Upkeep: what on an open card needs the seller now. A funnel's figures are only as good as
//! its upkeep, so each open card is checked for a next step that is overdue, due today or
//! missing, a close date already passed, too long a stay in its stage, and no activity for a
//! while. The agenda lists flagged cards most urgent first; the board marks them; the upkeep
//! figure says which share of a seller's open cards is kept up.

use chrono::NaiveDate;
use std::cmp::Reverse;
use std::str::FromStr;

use super::opportunity::{Opportunity, Status};
use super::stage::UnknownKey;

/// No activity for this many days flags a card, unless the funnel says otherwise.
pub const DEFAULT_INACTIVE_DAYS: u32 = 14;

/// Something on an open card that needs the seller, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// The next step's day has passed.
    Overdue,
    /// The next step is due today.
    DueToday,
    /// The expected close date has passed while the card is still open.
    ClosePassed,
    /// An open card without a dated next step.
    NoNextStep,
    /// In its stage for longer than the stage's expected days.
    OverStage,
    /// No activity logged (nor stage move) for the funnel's inactive days.
    Inactive,
}

impl Flag {
    pub const ALL: [Flag; 6] = [
        Flag::Overdue,
        Flag::DueToday,
        Flag::ClosePassed,
        Flag::NoNextStep,
        Flag::OverStage,
        Flag::Inactive,
    ];
    pub const COUNT: usize = Flag::ALL.len();

    pub fn key(self) -> &'static str {
        match self {
            Flag::Overdue => "overdue",
            Flag::DueToday => "due_today",
            Flag::ClosePassed => "close_passed",
            Flag::NoNextStep => "no_next_step",
            Flag::OverStage => "over_stage",
            Flag::Inactive => "inactive",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl FromStr for Flag {
    type Err = UnknownKey;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_lowercase().replace('-', "_");
        Flag::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .ok_or(UnknownKey::Flag(key))
    }
}

/// A set of [`Flag`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(u8);

impl Flags {
    pub const NONE: Flags = Flags(0);
    pub const ALL: Flags = Flags((1 << Flag::COUNT) - 1);

    pub fn with(self, flag: Flag) -> Flags {
        Flags(self.0 | 1 << flag.index())
    }

    pub fn contains(self, flag: Flag) -> bool {
        self.0 & 1 << flag.index() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn and(self, other: Flags) -> Flags {
        Flags(self.0 & other.0)
    }

    /// The flags in it, most urgent first.
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// Its most urgent flag.
    pub fn first(self) -> Option<Flag> {
        self.iter().next()
    }
}

impl FromIterator<Flag> for Flags {
    fn from_iter<I: IntoIterator<Item = Flag>>(iter: I) -> Flags {
        iter.into_iter().fold(Flags::NONE, Flags::with)
    }
}

/// A funnel's upkeep settings (`[funnels.NAME]` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpkeepSettings {
    /// No activity for more than this many days flags an open card.
    pub inactive_days: u32,
    /// The flags the funnel checks; the others are never raised.
    pub flags: Flags,
}

impl Default for UpkeepSettings {
    fn default() -> Self {
        UpkeepSettings {
            inactive_days: DEFAULT_INACTIVE_DAYS,
            flags: Flags::ALL,
        }
    }
}

impl UpkeepSettings {
    /// The last day of activity that still keeps a card active on `today`: a card last
    /// touched before it is inactive.
    pub fn active_since(&self, today: NaiveDate) -> NaiveDate {
        today - chrono::Days::new(u64::from(self.inactive_days))
    }
}

/// The last day a card was worked: its last logged activity, its last stage move or its
/// creation, whichever is latest.
pub fn last_touched(card: &Opportunity, last_activity: Option<NaiveDate>) -> NaiveDate {
    last_activity
        .unwrap_or(card.created)
        .max(card.created)
        .max(card.stage_since)
}

/// What needs the seller on `card` today. A closed card needs nothing. `expected_days` is the
/// card's stage's.
pub fn flags_of(
    card: &Opportunity,
    last_activity: Option<NaiveDate>,
    today: NaiveDate,
    expected_days: u32,
    settings: &UpkeepSettings,
) -> Flags {
    if card.status != Status::Open {
        return Flags::NONE;
    }
    let mut flags = Flags::NONE;
    match card.fields.next_step_due {
        Some(due) if due < today => flags = flags.with(Flag::Overdue),
        Some(due) if due == today => flags = flags.with(Flag::DueToday),
        Some(_) => {}
        None => flags = flags.with(Flag::NoNextStep),
    }
    if card
        .fields
        .expected_close
        .is_some_and(|close| close < today)
    {
        flags = flags.with(Flag::ClosePassed);
    }
    if card.days_in_stage(today) > i64::from(expected_days) {
        flags = flags.with(Flag::OverStage);
    }
    if last_touched(card, last_activity) < settings.active_since(today) {
        flags = flags.with(Flag::Inactive);
    }
    flags.and(settings.flags)
}

/// The agenda's order: most urgent flag first, then biggest value, then id (so equal lines
/// keep one order).
pub fn urgency_key(flags: Flags, card: &Opportunity) -> (usize, Reverse<i64>, &str) {
    let rank = flags.first().map_or(Flag::COUNT, Flag::index);
    (rank, Reverse(card.fields.value_cents), &card.id)
}

/// How many open cards raise each flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlagCounts(pub [u64; Flag::COUNT]);

impl FlagCounts {
    pub fn get(&self, flag: Flag) -> u64 {
        self.0[flag.index()]
    }

    pub fn add(&mut self, flags: Flags) {
        for flag in flags.iter() {
            self.0[flag.index()] += 1;
        }
    }
}

/// A seller's upkeep: of their open cards, how many are kept up (a dated next step that is not
/// overdue, and some activity within the funnel's inactive days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Upkeep {
    pub open: u64,
    pub kept: u64,
}

impl Upkeep {
    /// Whether a card with these flags (computed with every flag on) counts as kept up.
    pub fn is_kept(flags: Flags) -> bool {
        !flags.contains(Flag::Overdue)
            && !flags.contains(Flag::NoNextStep)
            && !flags.contains(Flag::Inactive)
    }

    pub fn add(&mut self, kept: bool) {
        self.open += 1;
        self.kept += u64::from(kept);
    }

    /// The kept share in whole percent (none without an open card).
    pub fn percent(&self) -> Option<u64> {
        (self.open > 0).then(|| (self.kept * 100 + self.open / 2) / self.open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OpportunityFields, Stage};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn card(value: i64, due: Option<NaiveDate>) -> Opportunity {
        let fields = OpportunityFields {
            title: "t".into(),
            value_cents: value,
            next_step_due: due,
            ..Default::default()
        };
        Opportunity::open(
            format!("id{value}"),
            "f".into(),
            fields,
            Stage::ProblemRecognized,
            day(12, 1),
        )
    }

    #[test]
    fn a_next_step_is_overdue_due_today_later_or_missing() {
        let today = day(12, 8);
        let s = UpkeepSettings::default();
        let flags = |due| flags_of(&card(1, due), None, today, 30, &s);
        assert_eq!(flags(Some(day(12, 7))).first(), Some(Flag::Overdue));
        assert_eq!(flags(Some(today)).first(), Some(Flag::DueToday));
        assert!(flags(Some(day(12, 9))).is_empty());
        assert_eq!(flags(None).first(), Some(Flag::NoNextStep));
    }

    #[test]
    fn close_passed_over_stage_and_inactive() {
        let today = day(12, 20);
        let s = UpkeepSettings {
            inactive_days: 14,
            flags: Flags::ALL,
        };
        let mut c = card(1, Some(day(12, 25)));
        c.fields.expected_close = Some(day(12, 19));
        // Created 12/01, in its stage since: 19 days, expected 10; untouched for 19 days.
        let flags = flags_of(&c, None, today, 10, &s);
        assert_eq!(
            flags.iter().collect::<Vec<_>>(),
            [Flag::ClosePassed, Flag::OverStage, Flag::Inactive]
        );
        // An activity 14 days ago still counts; 15 days ago does not.
        assert!(!flags_of(&c, Some(day(12, 6)), today, 30, &s).contains(Flag::Inactive));
        assert!(flags_of(&c, Some(day(12, 5)), today, 30, &s).contains(Flag::Inactive));
        // A funnel that does not check a flag never raises it.
        let without = UpkeepSettings {
            flags: Flags::ALL.and(
                Flag::ALL
                    .into_iter()
                    .filter(|f| *f != Flag::Inactive)
                    .collect(),
            ),
            ..s
        };
        assert!(!flags_of(&c, None, today, 10, &without).contains(Flag::Inactive));
    }

    #[test]
    fn a_closed_card_needs_nothing() {
        let mut c = card(1, None);
        c.status = Status::Won;
        assert!(flags_of(&c, None, day(12, 30), 1, &UpkeepSettings::default()).is_empty());
    }

    #[test]
    fn the_agenda_puts_the_most_urgent_first_then_the_biggest() {
        let today = day(12, 8);
        let s = UpkeepSettings::default();
        let cards = [
            card(500, None),
            card(100, Some(day(12, 1))),
            card(900, Some(today)),
            card(300, Some(day(12, 2))),
        ];
        let mut order: Vec<&Opportunity> = cards.iter().collect();
        order.sort_by(|a, b| {
            let fa = flags_of(a, Some(today), today, 30, &s);
            let fb = flags_of(b, Some(today), today, 30, &s);
            urgency_key(fa, a).cmp(&urgency_key(fb, b))
        });
        let values: Vec<i64> = order.iter().map(|c| c.fields.value_cents).collect();
        assert_eq!(values, [300, 100, 900, 500]);
    }

    #[test]
    fn upkeep_is_the_share_of_open_cards_kept_up() {
        // Hand-computed: 4 open cards, of which 3 kept up -> 75 %.
        let today = day(12, 8);
        let s = UpkeepSettings::default();
        let mut upkeep = Upkeep::default();
        for (due, last) in [
            (Some(day(12, 10)), Some(day(12, 7))),
            (Some(today), Some(day(12, 1))),
            (Some(day(12, 9)), Some(day(12, 8))),
            (None, Some(day(12, 8))),
        ] {
            upkeep.add(Upkeep::is_kept(flags_of(
                &card(1, due),
                last,
                today,
                30,
                &s,
            )));
        }
        assert_eq!(
            (upkeep.open, upkeep.kept, upkeep.percent()),
            (4, 3, Some(75))
        );
        assert_eq!(Upkeep::default().percent(), None);
    }
}
