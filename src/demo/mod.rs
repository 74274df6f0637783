//! Realistic, deterministic sample data: `funnel demo`, screenshots, tests and benchmarks.
//!
//! Everything comes from a small seeded PRNG (splitmix64) and plain arithmetic — no `rand`, no
//! floating-point library calls whose last bit could differ between platforms — so a seed gives
//! the same data forever. Each card draws from its own stream (seed, index), so cards do not
//! depend on each other and any number of them is generated in fixed memory, streamed into the
//! store as they are made.
//!
//! The data is shaped for the views that read it: six sellers in three teams and four regions
//! with different habits (win rate, stale cards, forced moves, ambition), fewer cards in later
//! stages, skewed values, closed cards over the past two years, histories consistent with each
//! card's stage (evidence on every verified move), checklists partly answered, buying centres,
//! a seller's day on every open card (a next step due, overdue, today or later, or missing, and
//! a log of calls, meetings, emails and notes over the last weeks, some cards gone quiet), and
//! targets sized so the funnel factor is worth discussing. For the review, open cards' close
//! dates pushed and values revised lately are kept in their field history (from a third
//! stream of each card; those rows, about one for three cards, are held until the cards are
//! written), and two sellers and a team's lead had a one-to-one two weeks ago (`coaching.rs`).
//! The cast and the words the cards are made of are data, in `assets/demo.toml` (read by `words.rs`); how a card is drawn is in
//! `plan.rs`.
//!
//! Ids are UUID v7 built from the card's creation time and a stream of (seed, funnel name), so
//! they are stable too: generating the same seed into the same funnel again rewrites the same
//! cards instead of adding copies (use another seed to add more).

mod coaching;
mod plan;
mod rng;
#[cfg(test)]
mod tests;
mod words;

use chrono::{Days, NaiveDate};

use crate::domain::indicators;
use crate::domain::insight::Snapshot;
use crate::domain::review::ReviewScope;
use crate::domain::{EventKind, Opportunity, Period, StageEvent, Status};
use crate::store::{self, Funnel, Store};
use plan::Plan;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of opportunities.
    pub size: usize,
    /// Same seed, same data.
    pub seed: u64,
    /// The day the data is generated for: every event is before it.
    pub today: NaiveDate,
}

impl DemoOptions {
    pub const DEFAULT_SIZE: usize = 60;
    pub const DEFAULT_SEED: u64 = 2026;

    /// `size` opportunities with the default seed.
    pub fn new(size: usize, today: NaiveDate) -> DemoOptions {
        DemoOptions {
            size,
            seed: DemoOptions::DEFAULT_SEED,
            today,
        }
    }
}

/// Fills `funnel` with `size` opportunities and targets; returns how many were added.
///
/// Cards are written in creation order, in one transaction (all or nothing): into an empty
/// database the store then builds its indexes once, after the load. Targets already set are
/// kept. The same seed into the same funnel rewrites the same cards, so it adds none.
pub fn generate(
    store: &mut Store,
    funnel: &Funnel,
    options: &DemoOptions,
    progress: store::OnProgress,
) -> store::Result<usize> {
    if options.size == 0 {
        return Ok(0);
    }
    let plan = Plan::new(funnel, options);
    // Written in creation order: ids are UUID v7 of the creation time, so every index keyed by
    // an opportunity id grows at its end instead of being rewritten at random (several times
    // faster at a million cards). 16 bytes a card; the cards themselves are made as written.
    let mut order: Vec<(i64, usize)> = (0..options.size)
        .map(|i| (plan.skeleton(i).created_at.and_utc().timestamp(), i))
        .collect();
    order.sort_unstable();
    // How open cards' close dates and values moved lately, kept once the cards are.
    let mut past = Vec::new();
    let cards = order.iter().map(|&(_, i)| {
        let card = plan.card(i);
        past.extend(plan.field_history(i, &card.opportunity));
        card
    });
    let added = store.import(funnel, cards, &[], false, progress)?.added;
    store.add_field_history(past)?;
    coaching::previous_meetings(store, funnel, options.today)?;
    // Targets someone already set (demo added to a working funnel) are left alone.
    let mut missing = Vec::new();
    for t in plan.targets(&store.totals(funnel)?) {
        let owner = (!t.owner.is_empty()).then_some(t.owner.as_str());
        if store.target(funnel, t.period, owner)?.is_none() {
            missing.push(t);
        }
    }
    store.import(funnel, std::iter::empty(), &missing, false, None)?;
    if options.size <= TREND_MAX_SIZE {
        record_trend(store, funnel, options.today)?;
    }
    Ok(added)
}

/// Above this size the demo keeps no past snapshots (replaying every history costs too much).
const TREND_MAX_SIZE: usize = 5_000;
/// Days of past indicator snapshots the demo replays, so the dashboard has a trend to show.
const TREND_DAYS: u64 = 90;

/// Replays the cards' histories to write the daily indicator snapshots of the last 90 days, as
/// if the board had been opened every day: each day, every card as it stood then (its stage,
/// won or lost), summed like the footer, for the whole funnel, each seller and each team (its
/// sellers' cards, against the sum of their targets, as `insight::snapshots` keeps them). The
/// probability is not replayed (left empty).
fn record_trend(store: &mut Store, funnel: &Funnel, today: NaiveDate) -> store::Result<()> {
    let owners = store.owners(funnel)?;
    let mut teams = Vec::new();
    for team in store.teams(funnel)? {
        let members = store.team_members(funnel, &team)?;
        teams.push((ReviewScope::Team(team), members));
    }
    let filter = store::CardFilter {
        closed_too: true,
        ..Default::default()
    };
    let cards: Vec<(Opportunity, Vec<StageEvent>)> = store
        .opportunities(funnel, &filter)?
        .into_iter()
        .map(|o| {
            let history = store.history(&o.id)?;
            Ok((o, history))
        })
        .collect::<store::Result<_>>()?;
    for back in (1..=TREND_DAYS).rev() {
        let day = today - Days::new(back);
        let then: Vec<Opportunity> = cards.iter().filter_map(|(o, h)| as_of(o, h, day)).collect();
        let period = Period::containing(day, funnel.fiscal_start);
        let target = store.target(funnel, period.year, None)?.map(i128::from);
        let rows = indicators::aggregate(&then, funnel.fiscal_start);
        let s = indicators::summarize(&rows, period, true, target, None);
        // Past days' probabilities cannot be replayed from the history alone.
        let snapshot = Snapshot::of(day, &s, None);
        store.save_snapshot(funnel, period.year, &snapshot)?;
        let mut scoped = Vec::new();
        for owner in &owners {
            let target = store.target(funnel, period.year, Some(owner))?;
            let s = indicators::summarize(&rows, period, true, target.map(i128::from), Some(owner));
            scoped.push((
                ReviewScope::Owner(owner.clone()),
                Snapshot::of(day, &s, None),
            ));
        }
        for (scope, members) in &teams {
            let theirs: Vec<Opportunity> = (then.iter())
                .filter(|o| members.contains(&o.fields.owner))
                .cloned()
                .collect();
            let mut target = None;
            for member in members {
                if let Some(t) = store.target(funnel, period.year, Some(member))? {
                    target = Some(target.unwrap_or(0) + i128::from(t));
                }
            }
            let rows = indicators::aggregate(&theirs, funnel.fiscal_start);
            let s = indicators::summarize(&rows, period, true, target, None);
            scoped.push((scope.clone(), Snapshot::of(day, &s, None)));
        }
        store.save_scoped_snapshots(funnel, period.year, &scoped)?;
    }
    Ok(())
}

/// A card as it stood at the end of `day` according to its history (none before it existed).
fn as_of(opp: &Opportunity, history: &[StageEvent], day: NaiveDate) -> Option<Opportunity> {
    if opp.created > day {
        return None;
    }
    let mut then = opp.clone();
    then.status = Status::Open;
    then.closed = None;
    for event in history.iter().filter(|e| e.at.date() <= day) {
        then.stage = event.to_stage;
        match event.kind {
            EventKind::Won | EventKind::Lost => {
                then.status = if event.kind == EventKind::Won {
                    Status::Won
                } else {
                    Status::Lost
                };
                then.closed = Some(event.at.date());
            }
            EventKind::Reopened => {
                then.status = Status::Open;
                then.closed = None;
            }
            EventKind::Created | EventKind::Moved => {}
        }
    }
    Some(then)
}
