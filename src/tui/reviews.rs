//! The review of what changed ([`insight::changes::review`]) in the background. The one-to-ones
//! and the changes view read it when they open and after each change; for a seller with years
//! of history it reads tens of thousands of rows, seconds at a million cards. In the
//! interactive board a worker thread with its own [`Store`] reads it, so a one-to-one opens at
//! once: until the review arrives, its panel says it is being read, and everything else works.
//!
//! Without a worker (`board --print`, an in-memory store, most tests) the review is read in
//! place, as before. The board's side is plain state: each screen says whether its review is
//! [`Reading::Wanted`] or [`Reading::Asked`], the app whether one is under way
//! ([`ReviewStatus`]); a finished review reaches the screens that asked for it through the one
//! update path ([`super::action::Action::ReviewReady`]).

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::domain::review::{Review, ReviewScope};
use crate::insight;
use crate::store::{Clock, Funnel, Store, StoreError};

/// What the worker needs to read one review.
#[derive(Debug, Clone)]
pub struct Request {
    pub funnel: Funnel,
    pub scope: ReviewScope,
    pub since: Option<NaiveDate>,
    pub inactive_days: u32,
    /// The language its errors are said in.
    pub lang: Lang,
}

/// A review read by the worker, with what it was asked for: a screen that asks about another
/// scope or day, or asked again since, leaves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewed {
    /// The scope and day asked about; none when the worker is gone (every screen waiting is
    /// answered).
    pub asked: Option<(ReviewScope, Option<NaiveDate>)>,
    pub review: Result<Review, String>,
}

/// Where a screen's review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Read: the screen shows it.
    Done,
    /// Out of date, and not yet handed to the worker.
    Wanted,
    /// Handed to the worker; the screen takes the answer.
    Asked,
}

/// Whether the worker is reading a review (the board has one when this is some).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewStatus {
    pub running: bool,
}

/// Reads one request on the worker's own store.
pub fn work(store: Result<&mut Store, StoreError>, clock: Clock, request: Request) -> Reviewed {
    let lang = request.lang;
    let review = store.map_err(|e| e.say(lang)).and_then(|store| {
        store.set_clock(clock);
        insight::changes::review(
            store,
            &request.funnel,
            &request.scope,
            request.since,
            request.inactive_days,
        )
        .map_err(|e| e.say(lang))
    });
    Reviewed {
        asked: Some((request.scope, request.since)),
        review,
    }
}
