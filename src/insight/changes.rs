//! The review a one-to-one opens with, and `funnel changes` prints: the store's rows for a
//! seller or a team since a day, read by [`crate::domain::review`].

use chrono::{Days, NaiveDate};

use crate::domain::review::{self, Review, ReviewScope};
use crate::store::{Funnel, Result, Store};

/// How many cards gone stale a review lists at most (the biggest; it says when there are
/// more): beyond that, the agenda is the place for them.
pub const STALE_LISTED: usize = 100;

/// How far back a review starts when the scope has had no meeting yet.
pub const DEFAULT_DAYS: u64 = 30;

/// The day a review starts from when none is given: the scope's previous meeting (before
/// today), else [`DEFAULT_DAYS`] before today.
pub fn default_since(store: &Store, funnel: &Funnel, scope: &ReviewScope) -> Result<NaiveDate> {
    let today = store.today();
    Ok(store
        .last_meeting_day(funnel, scope, today)?
        .unwrap_or(today - Days::new(DEFAULT_DAYS)))
}

/// What changed for `scope` since `since` (`None`: see [`default_since`]), with cards
/// inactive after `inactive_days` counted as gone stale.
pub fn review(
    store: &Store,
    funnel: &Funnel,
    scope: &ReviewScope,
    since: Option<NaiveDate>,
    inactive_days: u32,
) -> Result<Review> {
    let since = match since {
        Some(day) => day,
        None => default_since(store, funnel, scope)?,
    };
    let today = store.today();
    let rows = store.review_rows(funnel, scope, since, inactive_days, STALE_LISTED)?;
    let overdue = store.overdue_items(funnel, scope, today)?;
    let mut review = review::review(
        scope.clone(),
        since,
        today,
        inactive_days,
        rows.cards,
        rows.happenings,
        overdue,
    );
    review.more_stale = rows.more_stale;
    Ok(review)
}
