//! The review: what changed on a seller's (or a team's) cards since a day — usually the day of
//! their previous one-to-one. It is the meeting's agenda: new cards, won and lost, value up or
//! down, close dates pushed (counted per card: "pushed 3×") or pulled, stage moves forward,
//! backward or forced ("unverified"), cards handed to another seller, cards gone stale, and the
//! action items left overdue.
//!
//! Pure: the store reads the raw rows (stage events and field history since the day, the
//! cards' current facts), this module tells what they mean, so the rules are tested on
//! hand-computed fixtures.

use chrono::{Days, NaiveDate, NaiveDateTime};
use std::cmp::Reverse;
use std::collections::HashMap;

use super::{EventKind, Stage, Status};

/// Whose cards a review is about: one seller's, or a team's (the union of its sellers' cards
/// of that team).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReviewScope {
    Owner(String),
    Team(String),
}

impl ReviewScope {
    /// The seller's or the team's name.
    pub fn name(&self) -> &str {
        match self {
            ReviewScope::Owner(name) | ReviewScope::Team(name) => name,
        }
    }
}

/// One change worth a lead's question, on one card, net over the review's window where that
/// makes sense (the value and the owner: where it started, where it is now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Created since the review's start.
    New,
    /// Won since the start (and still won): at its value now.
    Won { value_cents: i64 },
    /// Lost since the start (and still lost), with the reason given.
    Lost { reason: String },
    /// Reopened since the start (and open now).
    Reopened,
    /// The value moved (net: first value seen in the window to the value now).
    Value { from: i64, to: i64 },
    /// The expected close moved later `times` times in the window (each change that set a
    /// later date than the one before counts); `from` the date at the start, `to` now.
    ClosePushed {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        times: u32,
    },
    /// The expected close came nearer (and was never pushed in the window).
    ClosePulled { from: NaiveDate, to: NaiveDate },
    /// Moved forward with the evidence confirmed (consecutive such moves are one step).
    Forward { from: Stage, to: Stage },
    /// Moved back to an earlier stage.
    Backward { from: Stage, to: Stage },
    /// Moved forward without the evidence of the stage it left (a forced move).
    Unverified { from: Stage, to: Stage },
    /// Given to another seller (net: owner at the start, owner now).
    Handed { from: String, to: String },
    /// Open and untouched long enough to be inactive today, though it was not on the
    /// review's start: inactive since `since_day`.
    GoneStale { since_day: NaiveDate },
}

impl Change {
    /// The stable key of the change's kind (JSON, tests).
    pub fn key(&self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Won { .. } => "won",
            Change::Lost { .. } => "lost",
            Change::Reopened => "reopened",
            Change::Value { .. } => "value",
            Change::ClosePushed { .. } => "close_pushed",
            Change::ClosePulled { .. } => "close_pulled",
            Change::Forward { .. } => "forward",
            Change::Backward { .. } => "backward",
            Change::Unverified { .. } => "unverified",
            Change::Handed { .. } => "handed",
            Change::GoneStale { .. } => "gone_stale",
        }
    }

    /// Whether the change is one a lead asks about first: a deal lost, a card going back or
    /// forced forward, a close date slipping, a card going quiet.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Change::Lost { .. }
                | Change::Backward { .. }
                | Change::Unverified { .. }
                | Change::ClosePushed { .. }
                | Change::GoneStale { .. }
        )
    }
}

/// One card of the review with what changed on it, in a fixed order: what happened to the
/// card as a whole (new, won, lost, reopened), its value, its close date, its stage moves in
/// the order they happened, its owner, then whether it went stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardChanges {
    pub id: String,
    pub title: String,
    pub account: String,
    pub owner: String,
    pub stage: Stage,
    pub status: Status,
    pub value_cents: i64,
    pub changes: Vec<Change>,
}

impl CardChanges {
    /// Whether any of its changes is a warning (see [`Change::is_warning`]).
    pub fn has_warning(&self) -> bool {
        self.changes.iter().any(Change::is_warning)
    }
}

/// How many of each change the review holds, and the money they moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewCounts {
    /// Cards with at least one change.
    pub cards: usize,
    pub new: usize,
    pub won: usize,
    pub lost: usize,
    pub reopened: usize,
    pub value_up: usize,
    pub value_down: usize,
    /// Cards whose close date was pushed…
    pub pushed: usize,
    /// …and how many times in all.
    pub pushes: u32,
    pub pulled: usize,
    /// Forward steps (a run of verified moves is one).
    pub forward: usize,
    /// Backward moves, each.
    pub backward: usize,
    /// Forced moves, each.
    pub unverified: usize,
    pub handed: usize,
    pub gone_stale: usize,
    pub overdue_items: usize,
    /// Value of the cards won.
    pub won_cents: i64,
    /// Value of the cards lost.
    pub lost_cents: i64,
    /// Value of the new cards (as they are now).
    pub added_cents: i64,
    /// Net change of value of the cards whose value moved.
    pub value_change_cents: i64,
}

/// An open action item whose due day has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueItem {
    pub id: String,
    pub meeting_id: String,
    /// Who does it.
    pub owner: String,
    pub text: String,
    pub due: NaiveDate,
    /// The day of the meeting that made it.
    pub meeting_day: NaiveDate,
}

/// The review of a scope since a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub scope: ReviewScope,
    pub since: NaiveDate,
    pub today: NaiveDate,
    /// Warnings first (see [`Change::is_warning`]), then the others; biggest value at stake
    /// first within each, then by id so that equal cards keep one order.
    pub cards: Vec<CardChanges>,
    pub counts: ReviewCounts,
    /// Oldest due first.
    pub overdue_items: Vec<OverdueItem>,
    /// Whether more cards went stale than the review lists (it lists the biggest).
    pub more_stale: bool,
}

/// What a raw history row says happened to a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happened {
    /// A stage event: created, moved, won, lost, reopened.
    Stage {
        kind: EventKind,
        from: Option<Stage>,
        to: Stage,
        evidence_confirmed: bool,
    },
    /// The value changed (cents).
    Value { old: i64, new: i64 },
    /// The expected close changed.
    Close {
        old: Option<NaiveDate>,
        new: Option<NaiveDate>,
    },
    /// The owner changed.
    Owner { old: String, new: String },
}

/// One raw history row of a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Happening {
    pub card: String,
    pub at: NaiveDateTime,
    pub what: Happened,
}

/// A card as it is now, with the last day it was worked (see
/// [`super::upkeep::last_touched`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFacts {
    pub id: String,
    pub title: String,
    pub account: String,
    pub owner: String,
    pub stage: Stage,
    pub status: Status,
    pub value_cents: i64,
    pub lost_reason: String,
    pub last_touched: NaiveDate,
}

/// The first day a card last touched on `last_touched` counts as inactive: the day after it
/// falls out of `inactive_days` (as [`super::UpkeepSettings::active_since`] reads it).
pub fn inactive_from(last_touched: NaiveDate, inactive_days: u32) -> NaiveDate {
    last_touched + Days::new(u64::from(inactive_days) + 1)
}

/// The review of `scope` from `since` to `today`: `cards` are the cards any happening is
/// about and every open card that may have gone stale (cards neither changed nor stale are
/// left out); `happenings` the rows since `since`, in any order (ties at one instant keep
/// the order given). A happening about a card not in `cards` is ignored.
pub fn review(
    scope: ReviewScope,
    since: NaiveDate,
    today: NaiveDate,
    inactive_days: u32,
    cards: Vec<CardFacts>,
    mut happenings: Vec<Happening>,
    mut overdue_items: Vec<OverdueItem>,
) -> Review {
    happenings.sort_by_key(|h| h.at);
    let mut by_card: HashMap<&str, Vec<&Happened>> = HashMap::new();
    for h in &happenings {
        by_card.entry(h.card.as_str()).or_default().push(&h.what);
    }
    let mut out: Vec<CardChanges> = cards
        .into_iter()
        .filter_map(|card| {
            let rows = by_card.get(card.id.as_str()).map_or(&[][..], Vec::as_slice);
            let changes = changes_of(&card, rows, since, today, inactive_days);
            (!changes.is_empty()).then_some(CardChanges {
                id: card.id,
                title: card.title,
                account: card.account,
                owner: card.owner,
                stage: card.stage,
                status: card.status,
                value_cents: card.value_cents,
                changes,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (!a.has_warning(), Reverse(a.value_cents), &a.id).cmp(&(
            !b.has_warning(),
            Reverse(b.value_cents),
            &b.id,
        ))
    });
    overdue_items.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    let mut counts = ReviewCounts {
        cards: out.len(),
        overdue_items: overdue_items.len(),
        ..ReviewCounts::default()
    };
    for card in &out {
        for change in &card.changes {
            count(&mut counts, card, change);
        }
    }
    Review {
        scope,
        since,
        today,
        cards: out,
        counts,
        overdue_items,
        more_stale: false,
    }
}

fn count(counts: &mut ReviewCounts, card: &CardChanges, change: &Change) {
    match change {
        Change::New => {
            counts.new += 1;
            counts.added_cents += card.value_cents;
        }
        Change::Won { value_cents } => {
            counts.won += 1;
            counts.won_cents += value_cents;
        }
        Change::Lost { .. } => {
            counts.lost += 1;
            counts.lost_cents += card.value_cents;
        }
        Change::Reopened => counts.reopened += 1,
        Change::Value { from, to } => {
            if to > from {
                counts.value_up += 1;
            } else {
                counts.value_down += 1;
            }
            counts.value_change_cents += to - from;
        }
        Change::ClosePushed { times, .. } => {
            counts.pushed += 1;
            counts.pushes += times;
        }
        Change::ClosePulled { .. } => counts.pulled += 1,
        Change::Forward { .. } => counts.forward += 1,
        Change::Backward { .. } => counts.backward += 1,
        Change::Unverified { .. } => counts.unverified += 1,
        Change::Handed { .. } => counts.handed += 1,
        Change::GoneStale { .. } => counts.gone_stale += 1,
    }
}

/// What changed on one card, from its rows oldest first.
fn changes_of(
    card: &CardFacts,
    rows: &[&Happened],
    since: NaiveDate,
    today: NaiveDate,
    inactive_days: u32,
) -> Vec<Change> {
    let mut created = false;
    let mut last_close_event: Option<EventKind> = None;
    let mut value: Option<(i64, i64)> = None;
    let mut close: Option<(Option<NaiveDate>, Option<NaiveDate>)> = None;
    let mut pushes = 0u32;
    let mut owner: Option<(&str, &str)> = None;
    let mut moves: Vec<Change> = Vec::new();
    for row in rows {
        match row {
            Happened::Stage {
                kind: EventKind::Created,
                ..
            } => created = true,
            Happened::Stage {
                kind: kind @ (EventKind::Won | EventKind::Lost | EventKind::Reopened),
                ..
            } => last_close_event = Some(*kind),
            Happened::Stage {
                kind: EventKind::Moved,
                from,
                to,
                evidence_confirmed,
            } => {
                let from = from.unwrap_or(*to);
                if from == *to {
                    continue;
                }
                let to = *to;
                let change = if to < from {
                    Change::Backward { from, to }
                } else if !evidence_confirmed {
                    Change::Unverified { from, to }
                } else if let Some(Change::Forward { to: last, .. }) = moves.last_mut()
                    && *last == from
                {
                    *last = to;
                    continue;
                } else {
                    Change::Forward { from, to }
                };
                moves.push(change);
            }
            Happened::Value { old, new } => {
                value = Some((value.map_or(*old, |(first, _)| first), *new));
            }
            Happened::Close { old, new } => {
                if matches!((old, new), (Some(old), Some(new)) if new > old) {
                    pushes += 1;
                }
                close = Some((close.map_or(*old, |(first, _)| first), *new));
            }
            Happened::Owner { old, new } => {
                owner = Some((owner.map_or(old.as_str(), |(first, _)| first), new.as_str()));
            }
        }
    }
    let mut changes = Vec::new();
    if created {
        changes.push(Change::New);
    }
    // The close the card is in now: won then reopened is a reopened card, not a win.
    match (last_close_event, card.status) {
        (Some(EventKind::Won), Status::Won) => changes.push(Change::Won {
            value_cents: card.value_cents,
        }),
        (Some(EventKind::Lost), Status::Lost) => changes.push(Change::Lost {
            reason: card.lost_reason.clone(),
        }),
        (Some(EventKind::Reopened), Status::Open) => changes.push(Change::Reopened),
        _ => {}
    }
    // A new card's first value is no change of value.
    if let Some((from, to)) = value.filter(|(from, to)| from != to && !created) {
        changes.push(Change::Value { from, to });
    }
    if let Some((from, to)) = close {
        if pushes > 0 {
            changes.push(Change::ClosePushed {
                from,
                to,
                times: pushes,
            });
        } else if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            changes.push(Change::ClosePulled { from, to });
        }
    }
    changes.extend(moves);
    if let Some((from, to)) = owner.filter(|(from, to)| from != to) {
        changes.push(Change::Handed {
            from: from.to_owned(),
            to: to.to_owned(),
        });
    }
    let stale_from = inactive_from(card.last_touched, inactive_days);
    if card.status == Status::Open && stale_from > since && stale_from <= today {
        changes.push(Change::GoneStale {
            since_day: stale_from,
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn at(d: u32, h: u32) -> NaiveDateTime {
        day(d).and_hms_opt(h, 0, 0).unwrap()
    }

    fn card(id: &str, value_cents: i64, status: Status, last_touched: NaiveDate) -> CardFacts {
        CardFacts {
            id: id.to_owned(),
            title: format!("Deal {id}"),
            account: "Acme".to_owned(),
            owner: "ana".to_owned(),
            stage: Stage::DecisionCriteria,
            status,
            value_cents,
            lost_reason: if status == Status::Lost {
                "price".to_owned()
            } else {
                String::new()
            },
            last_touched,
        }
    }

    fn happened(card: &str, at: NaiveDateTime, what: Happened) -> Happening {
        Happening {
            card: card.to_owned(),
            at,
            what,
        }
    }

    fn moved(from: Stage, to: Stage, evidence_confirmed: bool) -> Happened {
        Happened::Stage {
            kind: EventKind::Moved,
            from: Some(from),
            to,
            evidence_confirmed,
        }
    }

    fn event(kind: EventKind, to: Stage) -> Happened {
        Happened::Stage {
            kind,
            from: None,
            to,
            evidence_confirmed: true,
        }
    }

    fn close(old: u32, new: u32) -> Happened {
        Happened::Close {
            old: Some(NaiveDate::from_ymd_opt(2026, 6, old).unwrap()),
            new: Some(NaiveDate::from_ymd_opt(2026, 6, new).unwrap()),
        }
    }

    fn june(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 6, d)
    }

    /// Since 1 March, today 20 March, inactive after 14 days. Worked out by hand:
    /// - `a` (900): close 10→20 June, 20→25, back to 15 (pulled), then 15→30: pushed 3×, net
    ///   10→30 June; moved forward with evidence twice in a row (one step 3→5), then back
    ///   (5→4). Warning: pushed, backward.
    /// - `b` (500): created 5 March, value set 400→500 (no value change: it is new), forced
    ///   move 1→3. Warning: unverified.
    /// - `c` (2000): won 18 March at its value now; value 2500→2000 before (down 500).
    /// - `d` (300): lost 12 March (reason price).
    /// - `e` (700): won 6 March then reopened 8 March: reopened, not won.
    /// - `f` (100): handed ana→bob→cid: net ana→cid.
    /// - `g` (50): untouched since 3 March: inactive from 18 March (3 + 14 + 1), after the
    ///   start: gone stale. Warning.
    /// - `h` (60): untouched since 10 February: inactive from 25 February, before the start:
    ///   no change, left out.
    /// - `i` (80): close pulled 20→10 June.
    #[test]
    fn a_hand_computed_review() {
        let cards = vec![
            card("a", 900, Status::Open, day(19)),
            card("b", 500, Status::Open, day(19)),
            card("c", 2000, Status::Won, day(18)),
            card("d", 300, Status::Lost, day(12)),
            card("e", 700, Status::Open, day(8)),
            card("f", 100, Status::Open, day(15)),
            card("g", 50, Status::Open, day(3)),
            card(
                "h",
                60,
                Status::Open,
                NaiveDate::from_ymd_opt(2026, 2, 10).unwrap(),
            ),
            card("i", 80, Status::Open, day(16)),
        ];
        let s = |n| Stage::from_index(n).unwrap();
        let happenings = vec![
            happened("a", at(15, 9), moved(s(5), s(4), true)),
            happened("a", at(2, 9), close(10, 20)),
            happened("a", at(4, 9), close(20, 25)),
            happened("a", at(6, 9), close(25, 15)),
            happened("a", at(9, 9), close(15, 30)),
            happened("a", at(10, 9), moved(s(3), s(4), true)),
            happened("a", at(11, 9), moved(s(4), s(5), true)),
            happened("b", at(5, 9), event(EventKind::Created, s(1))),
            happened("b", at(5, 10), Happened::Value { old: 400, new: 500 }),
            happened("b", at(7, 9), moved(s(1), s(3), false)),
            happened(
                "c",
                at(14, 9),
                Happened::Value {
                    old: 2500,
                    new: 2000,
                },
            ),
            happened("c", at(18, 9), event(EventKind::Won, s(7))),
            happened("d", at(12, 9), event(EventKind::Lost, s(2))),
            happened("e", at(6, 9), event(EventKind::Won, s(7))),
            happened("e", at(8, 9), event(EventKind::Reopened, s(7))),
            happened(
                "f",
                at(13, 9),
                Happened::Owner {
                    old: "ana".into(),
                    new: "bob".into(),
                },
            ),
            happened(
                "f",
                at(15, 9),
                Happened::Owner {
                    old: "bob".into(),
                    new: "cid".into(),
                },
            ),
            happened("i", at(16, 9), close(20, 10)),
            happened("zz", at(16, 9), close(20, 10)),
        ];
        let item = |id: &str, due| OverdueItem {
            id: id.to_owned(),
            meeting_id: "m".to_owned(),
            owner: "ana".to_owned(),
            text: "call".to_owned(),
            due,
            meeting_day: day(1),
        };
        let r = review(
            ReviewScope::Owner("ana".into()),
            day(1),
            day(20),
            14,
            cards,
            happenings,
            vec![item("y", day(12)), item("x", day(10))],
        );
        let ids: Vec<&str> = r.cards.iter().map(|c| c.id.as_str()).collect();
        // Warnings by value (a 900, b 500, d 300, g 50), then the rest (c 2000, e 700,
        // f 100, i 80).
        assert_eq!(ids, ["a", "b", "d", "g", "c", "e", "f", "i"]);
        let changes = |id: &str| r.cards.iter().find(|c| c.id == id).unwrap().changes.clone();
        assert_eq!(
            changes("a"),
            [
                Change::ClosePushed {
                    from: june(10),
                    to: june(30),
                    times: 3
                },
                Change::Forward {
                    from: s(3),
                    to: s(5)
                },
                Change::Backward {
                    from: s(5),
                    to: s(4)
                },
            ]
        );
        assert_eq!(
            changes("b"),
            [
                Change::New,
                Change::Unverified {
                    from: s(1),
                    to: s(3)
                }
            ]
        );
        assert_eq!(
            changes("c"),
            [
                Change::Won { value_cents: 2000 },
                Change::Value {
                    from: 2500,
                    to: 2000
                }
            ]
        );
        assert_eq!(
            changes("d"),
            [Change::Lost {
                reason: "price".into()
            }]
        );
        assert_eq!(changes("e"), [Change::Reopened]);
        assert_eq!(
            changes("f"),
            [Change::Handed {
                from: "ana".into(),
                to: "cid".into()
            }]
        );
        assert_eq!(changes("g"), [Change::GoneStale { since_day: day(18) }]);
        assert_eq!(
            changes("i"),
            [Change::ClosePulled {
                from: june(20).unwrap(),
                to: june(10).unwrap()
            }]
        );
        assert_eq!(
            r.counts,
            ReviewCounts {
                cards: 8,
                new: 1,
                won: 1,
                lost: 1,
                reopened: 1,
                value_up: 0,
                value_down: 1,
                pushed: 1,
                pushes: 3,
                pulled: 1,
                forward: 1,
                backward: 1,
                unverified: 1,
                handed: 1,
                gone_stale: 1,
                overdue_items: 2,
                won_cents: 2000,
                lost_cents: 300,
                added_cents: 500,
                value_change_cents: -500,
            }
        );
        let due: Vec<&str> = r.overdue_items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(due, ["x", "y"]);
    }

    /// A card inactive from exactly the start was already stale then; one inactive from
    /// today has just gone stale; a closed card never goes stale.
    #[test]
    fn gone_stale_is_between_the_start_and_today() {
        let since = day(1);
        let today = day(20);
        // inactive_from = last_touched + 15.
        let cards = vec![
            card("then", 1, Status::Open, day(1) - Days::new(15)),
            card("today", 2, Status::Open, day(5)),
            card("won", 3, Status::Won, day(2)),
        ];
        let r = review(
            ReviewScope::Team("east".into()),
            since,
            today,
            14,
            cards,
            Vec::new(),
            Vec::new(),
        );
        assert_eq!(r.cards.len(), 1);
        assert_eq!(r.cards[0].id, "today");
        assert_eq!(r.cards[0].changes, [Change::GoneStale { since_day: today }]);
    }

    /// A close date set where there was none, or removed, is no push; a push undone by a
    /// pull still counts as pushed once (the date slipped, then was fixed).
    #[test]
    fn setting_or_clearing_a_close_is_no_push() {
        let cards = vec![
            card("set", 1, Status::Open, day(19)),
            card("undone", 2, Status::Open, day(19)),
        ];
        let happenings = vec![
            happened(
                "set",
                at(2, 9),
                Happened::Close {
                    old: None,
                    new: june(5),
                },
            ),
            happened(
                "set",
                at(3, 9),
                Happened::Close {
                    old: june(5),
                    new: None,
                },
            ),
            happened("undone", at(2, 9), close(10, 20)),
            happened("undone", at(3, 9), close(20, 10)),
        ];
        let r = review(
            ReviewScope::Owner("ana".into()),
            day(1),
            day(20),
            14,
            cards,
            happenings,
            Vec::new(),
        );
        assert_eq!(r.cards.len(), 1);
        assert_eq!(
            r.cards[0].changes,
            [Change::ClosePushed {
                from: june(10),
                to: june(10),
                times: 1
            }]
        );
    }
}
